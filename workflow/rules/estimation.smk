# Estimation study of paper 000 (Section 3): one job per grid point, one table per study,
# the check tables, and one figure per study. Helper functions and the validated config: common.smk.


wildcard_constraints:
    study="|".join(ESTIMATION_STUDIES),


rule estimation_point:
    output:
        "results/estimation/{study}/{point}.csv",
    log:
        "logs/estimation/{study}/{point}.log",
    benchmark:
        "benchmarks/estimation/{study}/{point}.tsv"
    group:
        "estimation_{study}"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 2000 * attempt,  # doubled on each retry
        runtime=point_runtime("estimation", minimum=30),
    params:
        # Only what this point depends on, so editing another point or study reruns nothing here.
        point=estimation_point,
        axis=lambda wildcards: ESTIMATION["studies"][wildcards.study]["axis"],
        bounds=lambda wildcards: ESTIMATION["studies"][wildcards.study].get("bounds", False),
        replicates=lambda wildcards: ESTIMATION["studies"][wildcards.study].get("replicates", ESTIMATION["replicates"]),
        confidence=ESTIMATION["confidence"],
        seed=config["seed"],
        scale=config["scale"],
        estimators=ESTIMATION["estimators"],
        code=package_code("estimation_point.py"),
        user_code=user_code(ESTIMATION["estimators"]),
    script:
        "../scripts/estimation_point.py"


rule estimation_table:
    input:
        estimation_point_files,
    output:
        "results/estimation/{study}.csv",
    log:
        "logs/estimation/{study}.table.log",
    group:
        "estimation_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        config_hash=config_hash(),
        code=package_code("concat_tables.py"),
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
    group:
        "estimation_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        resamples=ESTIMATION["bootstrap_resamples"],
        seed=config["seed"],
        code=package_code("rate_check.py"),
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
        study=studies_with_plot("loglog"),
    group:
        "estimation_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="loglog",
        code=package_code("plot_estimation.py"),
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
        study=studies_with_plot("trim", "support"),
    group:
        "estimation_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind=lambda wildcards: PLOT_KIND[wildcards.study],
        code=package_code("plot_estimation.py"),
    script:
        "../scripts/plot_estimation.py"


rule figure_bounds:
    input:
        table="results/estimation/{study}.csv",
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
        study=studies_with_plot("bounds"),
    group:
        "estimation_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="bounds",
        code=package_code("plot_estimation.py"),
    script:
        "../scripts/plot_estimation.py"


FINAL_TARGETS.extend(
    expand("figures/{study}.{ext}", study=ESTIMATION_STUDIES, ext=["pdf", "png"])
    + ["results/tables/rate_check.md", "results/tables/bound_check.md"]
)
