# Vector-preference contextual bandits under covariate shift (paper 004): Appendix B table and
# figure (part A's banditlab.pareto.appendix_b), Appendix H experiments (one job per grid point),
# the check table and one rule per figure.
from banditlab.pareto.experiments import check_pareto_config, experiment_points, point_config as pareto_point_config

validate(config["pareto"], schema="../schemas/pareto.schema.yaml")
PARETO = config["pareto"]
check_pareto_config(PARETO)
PARETO_POINTS = experiment_points(PARETO)
PARETO_EXPERIMENTS = list(PARETO_POINTS)


def pareto_point_files(wildcards):
    return [f"results/pareto/{wildcards.experiment}/{label}.csv" for label in PARETO_POINTS[wildcards.experiment]]


rule pareto_point:
    output:
        "results/pareto/{experiment}/{point}.csv",
    log:
        "logs/pareto/{experiment}/{point}.log",
    wildcard_constraints:
        experiment="|".join(PARETO_EXPERIMENTS),
    params:
        # Only what this point depends on, so editing another point or experiment reruns nothing here.
        pareto=lambda wildcards: canonical(pareto_point_config(wildcards.experiment, wildcards.point, PARETO)),
        seed=config["seed"],
        scale=config["scale"],
        code=package_code("pareto_point.py"),
    group:
        "pareto_{experiment}"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 2000 * attempt,  # doubled on each retry
        runtime=point_runtime("pareto", minimum=60),
    script:
        "../scripts/pareto_point.py"


rule pareto_table:
    input:
        pareto_point_files,
    output:
        "results/pareto/{experiment}.csv",
    log:
        "logs/pareto/{experiment}.table.log",
    wildcard_constraints:
        experiment="|".join(PARETO_EXPERIMENTS),
    params:
        config_hash=config_hash(),
        code=package_code("pareto_concat.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/pareto_concat.py"


rule pareto_gap_table:
    output:
        csv="results/tables/pareto_gap_table.csv",
        md="results/tables/pareto_gap_table.md",
    log:
        "logs/tables/pareto_gap_table.log",
    params:
        what="table",
        code=package_code("pareto_appendix_b.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    script:
        "../scripts/pareto_appendix_b.py"


rule pareto_example_figure:
    output:
        pdf="figures/pareto_example.pdf",
        png=report(
            "figures/pareto_example.png",
            caption="../report/pareto_example.rst",
            category="Paper 004, Pareto bandits",
            subcategory="Appendix B",
            labels={"figure": "pareto_example"},
        ),
    log:
        "logs/figures/pareto_example.log",
    params:
        what="figure",
        code=package_code("pareto_appendix_b.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    script:
        "../scripts/pareto_appendix_b.py"


rule pareto_index_claim:
    output:
        csv="results/tables/pareto_index_claim.csv",
        md="results/tables/pareto_index_claim.md",
    log:
        "logs/tables/pareto_index_claim.log",
    params:
        arms=PARETO["claim_arms"],
        grid=PARETO["claim_grid"],
        code=package_code("pareto_claim.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    script:
        "../scripts/pareto_claim.py"


rule pareto_check:
    input:
        gap_table="results/tables/pareto_gap_table.csv",
        claim="results/tables/pareto_index_claim.csv",
        tp="results/pareto/tp.csv",
        horizon="results/pareto/horizon.csv",
        nu="results/pareto/nu.csv",
        shifts="results/pareto/shifts.csv",
    output:
        csv="results/tables/pareto_check.csv",
        md="results/tables/pareto_check.md",
    log:
        "logs/tables/pareto_check.log",
    params:
        pareto=PARETO,
        code=package_code("pareto_check.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    script:
        "../scripts/pareto_check.py"


rule pareto_figure_regret_tp:
    input:
        table="results/pareto/tp.csv",
    output:
        pdf="figures/pareto_regret_tp.pdf",
        png=report(
            "figures/pareto_regret_tp.png",
            caption="../report/pareto_regret_tp.rst",
            category="Paper 004, Pareto bandits",
            subcategory="Appendix H",
            labels={"figure": "pareto_regret_tp"},
        ),
    log:
        "logs/figures/pareto_regret_tp.log",
    params:
        kind="regret_tp",
        code=package_code("pareto_plot.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/pareto_plot.py"


rule pareto_figure_regret_vs_T:
    input:
        table="results/pareto/horizon.csv",
        check="results/tables/pareto_check.csv",
    output:
        pdf="figures/pareto_regret_vs_T.pdf",
        png=report(
            "figures/pareto_regret_vs_T.png",
            caption="../report/pareto_regret_vs_T.rst",
            category="Paper 004, Pareto bandits",
            subcategory="Theorems 1-3",
            labels={"figure": "pareto_regret_vs_T"},
        ),
    log:
        "logs/figures/pareto_regret_vs_T.log",
    params:
        kind="regret_vs_T",
        code=package_code("pareto_plot.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/pareto_plot.py"


rule pareto_figure_nu:
    input:
        table="results/pareto/nu.csv",
    output:
        pdf="figures/pareto_nu.pdf",
        png=report(
            "figures/pareto_nu.png",
            caption="../report/pareto_nu.rst",
            category="Paper 004, Pareto bandits",
            subcategory="Appendix H",
            labels={"figure": "pareto_nu"},
        ),
    log:
        "logs/figures/pareto_nu.log",
    params:
        kind="nu",
        code=package_code("pareto_plot.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/pareto_plot.py"


rule pareto_figure_shifts:
    input:
        table="results/pareto/shifts.csv",
    output:
        pdf="figures/pareto_shifts.pdf",
        png=report(
            "figures/pareto_shifts.png",
            caption="../report/pareto_shifts.rst",
            category="Paper 004, Pareto bandits",
            subcategory="Theorems 1-3",
            labels={"figure": "pareto_shifts"},
        ),
    log:
        "logs/figures/pareto_shifts.log",
    params:
        kind="shifts",
        code=package_code("pareto_plot.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/pareto_plot.py"


rule pareto_figure_tree:
    input:
        table="results/pareto/horizon.csv",
    output:
        pdf="figures/pareto_tree.pdf",
        png=report(
            "figures/pareto_tree.png",
            caption="../report/pareto_tree.rst",
            category="Paper 004, Pareto bandits",
            subcategory="Appendix H",
            labels={"figure": "pareto_tree"},
        ),
    log:
        "logs/figures/pareto_tree.log",
    params:
        kind="tree",
        code=package_code("pareto_plot.py"),
    group:
        "pareto_summary"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/pareto_plot.py"


FINAL_TARGETS.extend(
    expand(
        "figures/pareto_{name}.{ext}",
        name=["example", "regret_tp", "regret_vs_T", "nu", "shifts", "tree"],
        ext=["pdf", "png"],
    )
    + [
        "results/tables/pareto_gap_table.md",
        "results/tables/pareto_index_claim.md",
        "results/tables/pareto_check.md",
    ]
)
