# Vector-preference contextual bandits under covariate shift (paper 004): Appendix B table and
# figure (banditlab.pareto.appendix_b), Appendix H experiments (one job per grid point), the check
# table and one rule per figure. Helper functions and the validated config: common.smk.


rule pareto_point:
    output:
        "results/pareto/{experiment}/{point}.csv",
    log:
        "logs/pareto/{experiment}/{point}.log",
    benchmark:
        "benchmarks/pareto/{experiment}/{point}.tsv"
    wildcard_constraints:
        experiment="|".join(PARETO_EXPERIMENTS),
    group:
        "pareto_{experiment}"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 2000 * attempt,  # doubled on each retry
        runtime=point_runtime("pareto", minimum=60),
    params:
        # Only what this point depends on, so editing another point or experiment reruns nothing here.
        pareto=pareto_point,
        seed=config["seed"],
        scale=config["scale"],
        code=package_code("pareto_point.py"),
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        config_hash=config_hash(),
        code=package_code("pareto_concat.py"),
    script:
        "../scripts/pareto_concat.py"


rule pareto_gap_table:
    output:
        csv="results/tables/pareto_gap_table.csv",
        md="results/tables/pareto_gap_table.md",
    log:
        "logs/tables/pareto_gap_table.log",
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    params:
        code=package_code("pareto_appendix_b.py"),
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=10,
    params:
        code=package_code("pareto_appendix_b.py"),
    script:
        "../scripts/pareto_appendix_b.py"


rule pareto_index_claim:
    output:
        csv="results/tables/pareto_index_claim.csv",
        md="results/tables/pareto_index_claim.md",
    log:
        "logs/tables/pareto_index_claim.log",
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=30,
    params:
        arms=PARETO["claim_arms"],
        grid=PARETO["claim_grid"],
        code=package_code("pareto_claim.py"),
    script:
        "../scripts/pareto_claim.py"


rule pareto_check:
    input:
        gap_table="results/tables/pareto_gap_table.csv",
        tp="results/pareto/tp.csv",
        horizon="results/pareto/horizon.csv",
        nu="results/pareto/nu.csv",
        shifts="results/pareto/shifts.csv",
    output:
        csv="results/tables/pareto_check.csv",
        md="results/tables/pareto_check.md",
    log:
        "logs/tables/pareto_check.log",
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=30,
    params:
        pareto=PARETO,
        seed=config["seed"],
        resamples=PARETO["bootstrap_resamples"],
        code=package_code("pareto_check.py"),
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="regret_tp",
        code=package_code("pareto_plot.py"),
    script:
        "../scripts/pareto_plot.py"


rule pareto_figure_regret_vs_T:
    input:
        table="results/pareto/horizon.csv",
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="regret_vs_T",
        rates={"alpha": PARETO["alpha"], "beta": PARETO["beta_true"]},
        code=package_code("pareto_plot.py"),
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="nu",
        code=package_code("pareto_plot.py"),
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="shifts",
        code=package_code("pareto_plot.py"),
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
    group:
        "pareto_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="tree",
        code=package_code("pareto_plot.py"),
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
