# Estimation study of paper 000 (Section 3): one job per grid point, one table per study,
# the check tables, and one figure per study.
from banditlab.experiments.estimation import check_estimation_config, study_points

validate(config["estimation"], schema="../schemas/estimation.schema.yaml")
check_estimation_config(config["estimation"])

ESTIMATION = config["estimation"]
ESTIMATION_STUDIES = list(ESTIMATION["studies"])
PLOT_KIND = {study: spec["plot"] for study, spec in ESTIMATION["studies"].items()}


def estimation_point_files(wildcards):
    return [f"results/estimation/{wildcards.study}/{label}.csv" for label, _ in study_points(ESTIMATION, wildcards.study)]


def studies_with_plot(*kinds):
    return [study for study in ESTIMATION_STUDIES if PLOT_KIND[study] in kinds]


wildcard_constraints:
    study="|".join(ESTIMATION_STUDIES),


rule estimation_point:
    output:
        "results/estimation/{study}/{point}.csv",
    log:
        "logs/estimation/{study}/{point}.log",
    params:
        # Only what this point depends on, so editing another point or study reruns nothing here.
        point=lambda wildcards: canonical(dict(study_points(ESTIMATION, wildcards.study))[wildcards.point]),
        axis=lambda wildcards: ESTIMATION["studies"][wildcards.study]["axis"],
        bounds=lambda wildcards: ESTIMATION["studies"][wildcards.study].get("bounds", False),
        replicates=ESTIMATION["replicates"],
        confidence=ESTIMATION["confidence"],
        seed=config["seed"],
        scale=config["scale"],
        code=package_code("estimation_point.py"),
    group:
        "estimation_{study}"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 2000 * attempt,  # doubled on each retry
        runtime=point_runtime("estimation", minimum=30),
    script:
        "../scripts/estimation_point.py"


rule estimation_table:
    input:
        estimation_point_files,
    output:
        "results/estimation/{study}.csv",
    log:
        "logs/estimation/{study}.table.log",
    params:
        config_hash=config_hash(),
        code=package_code("concat_tables.py"),
    group:
        "estimation_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/concat_tables.py"


rule rate_check:
    input:
        expand("results/estimation/{study}.csv", study=ESTIMATION_STUDIES),
    output:
        rates="results/tables/rate_check.csv",
        rates_md="results/tables/rate_check.md",
        bounds="results/tables/bound_check.csv",
        bounds_md="results/tables/bound_check.md",
    log:
        "logs/tables/rate_check.log",
    params:
        resamples=ESTIMATION["bootstrap_resamples"],
        seed=config["seed"],
        code=package_code("rate_check.py"),
    group:
        "estimation_summary"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    script:
        "../scripts/rate_check.py"


rule figure_error_curve:
    input:
        table="results/estimation/{study}.csv",
        rates="results/tables/rate_check.csv",
    output:
        pdf="figures/{study}.pdf",
        png=report(
            "figures/{study}.png",
            caption="../report/estimation_error_curve.rst",
            category="Paper 000, estimation (Section 3)",
            subcategory="Table 1 rates",
            labels={"figure": "{study}"},
        ),
    log:
        "logs/figures/{study}.log",
    wildcard_constraints:
        study="|".join(studies_with_plot("loglog")) or "^$",
    params:
        kind="loglog",
        code=package_code("plot_estimation.py"),
    group:
        "estimation_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plot_estimation.py"


rule figure_trim_or_support:
    input:
        table="results/estimation/{study}.csv",
    output:
        pdf="figures/{study}.pdf",
        png=report(
            "figures/{study}.png",
            caption="../report/estimation_trim_support.rst",
            category="Paper 000, estimation (Section 3)",
            subcategory="Design checks",
            labels={"figure": "{study}"},
        ),
    log:
        "logs/figures/{study}.log",
    wildcard_constraints:
        study="|".join(studies_with_plot("trim", "support")) or "^$",
    params:
        kind=lambda wildcards: PLOT_KIND[wildcards.study],
        code=package_code("plot_estimation.py"),
    group:
        "estimation_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plot_estimation.py"


rule figure_bounds:
    input:
        bounds="results/tables/bound_check.csv",
    output:
        pdf="figures/{study}.pdf",
        png=report(
            "figures/{study}.png",
            caption="../report/lower_bound.rst",
            category="Paper 000, estimation (Section 3)",
            subcategory="Explicit bounds",
            labels={"figure": "{study}"},
        ),
    log:
        "logs/figures/{study}.log",
    wildcard_constraints:
        study="|".join(studies_with_plot("bounds")) or "^$",
    params:
        kind="bounds",
        code=package_code("plot_estimation.py"),
    group:
        "estimation_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/plot_estimation.py"


FINAL_TARGETS.extend(
    expand("figures/{study}.{ext}", study=ESTIMATION_STUDIES, ext=["pdf", "png"])
    + ["results/tables/rate_check.md", "results/tables/bound_check.md"]
)
