# RMBandit regret study of paper 000 (Section 4): one job per parameter point, one table per
# experiment, the regret check table, and one rule per figure. Helper functions and the validated
# config: common.smk.


wildcard_constraints:
    experiment="|".join(BANDIT_EXPERIMENTS),


rule bandits_point:
    output:
        "results/bandits/{experiment}/{point}.csv",
    log:
        "logs/bandits/{experiment}/{point}.log",
    benchmark:
        "benchmarks/bandits/{experiment}/{point}.tsv"
    group:
        "bandits_{experiment}"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: 3000 * attempt,  # doubled on each retry
        runtime=point_runtime("bandits", minimum=20),
    params:
        # Only what this point depends on, so editing another point or experiment reruns nothing here.
        bandits=bandit_point,
        seed=config["seed"],
        scale=config["scale"],
        code=package_code("bandits_point.py"),
        user_code=bandit_point_user_code,
    script:
        "../scripts/bandits_point.py"


rule bandits_table:
    input:
        bandit_point_files,
    output:
        "results/bandits/{experiment}.csv",
    log:
        "logs/bandits/{experiment}.table.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        config_hash=config_hash(),
        code=package_code("bandits_table.py"),
    script:
        "../scripts/bandits_table.py"


rule bandits_regret_check:
    input:
        expand("results/bandits/{experiment}.csv", experiment=BANDIT_EXPERIMENTS),
    output:
        csv="results/tables/regret_check.csv",
        md="results/tables/regret_check.md",
        sensitivity_csv="results/tables/regret_sensitivity.csv",
        sensitivity_md="results/tables/regret_sensitivity.md",
    log:
        "logs/tables/regret_check.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        bandits=BANDITS,
        code=package_code("bandits_check.py"),
    script:
        "../scripts/bandits_check.py"


rule bandits_figure_regret_vs_t:
    input:
        table="results/bandits/regret_vs_t.csv",
    output:
        pdf="figures/regret_vs_t.pdf",
        png=report(
            "figures/regret_vs_t.png",
            caption="../report/regret_vs_t.rst",
            category="Paper 000, RMBandit regret (Section 4)",
            subcategory="Theorem 2, Corollary 3",
            labels={"figure": "regret_vs_t"},
        ),
    log:
        "logs/figures/regret_vs_t.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="regret_vs_t",
        code=package_code("bandits_plot.py"),
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_regret_vs_t_no_diversity:
    input:
        table="results/bandits/regret_vs_t_no_diversity.csv",
    output:
        pdf="figures/regret_vs_t_no_diversity.pdf",
        png=report(
            "figures/regret_vs_t_no_diversity.png",
            caption="../report/regret_vs_t_no_diversity.rst",
            category="Paper 000, RMBandit regret (Section 4)",
            subcategory="Theorem 2, Corollary 3",
            labels={"figure": "regret_vs_t_no_diversity"},
        ),
    log:
        "logs/figures/regret_vs_t_no_diversity.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="regret_vs_t_no_diversity",
        code=package_code("bandits_plot.py"),
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_regret_vs_d:
    input:
        table="results/bandits/regret_vs_d.csv",
    output:
        pdf="figures/regret_vs_d.pdf",
        png=report(
            "figures/regret_vs_d.png",
            caption="../report/regret_vs_d.rst",
            category="Paper 000, RMBandit regret (Section 4)",
            subcategory="Theorem 2, Corollary 3",
            labels={"figure": "regret_vs_d"},
        ),
    log:
        "logs/figures/regret_vs_d.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="regret_vs_d",
        code=package_code("bandits_plot.py"),
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_regret_vs_n:
    input:
        table="results/bandits/regret_vs_n.csv",
    output:
        pdf="figures/regret_vs_n.pdf",
        png=report(
            "figures/regret_vs_n.png",
            caption="../report/regret_vs_n.rst",
            category="Paper 000, RMBandit regret (Section 4)",
            subcategory="Theorem 2, Corollary 3",
            labels={"figure": "regret_vs_n"},
        ),
    log:
        "logs/figures/regret_vs_n.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="regret_vs_n",
        code=package_code("bandits_plot.py"),
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_data_poor:
    input:
        table="results/bandits/data_poor.csv",
    output:
        pdf="figures/regret_data_poor.pdf",
        png=report(
            "figures/regret_data_poor.png",
            caption="../report/regret_data_poor.rst",
            category="Paper 000, RMBandit regret (Section 4)",
            subcategory="Theorem 3",
            labels={"figure": "regret_data_poor"},
        ),
    log:
        "logs/figures/regret_data_poor.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="data_poor",
        code=package_code("bandits_plot.py"),
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_network:
    input:
        table="results/bandits/network.csv",
    output:
        pdf="figures/regret_network.pdf",
        png=report(
            "figures/regret_network.png",
            caption="../report/regret_network.rst",
            category="Paper 000, RMBandit regret (Section 4)",
            subcategory="Corollary 4",
            labels={"figure": "regret_network"},
        ),
    log:
        "logs/figures/regret_network.log",
    group:
        "bandits_summary"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        kind="network",
        code=package_code("bandits_plot.py"),
    script:
        "../scripts/bandits_plot.py"


FINAL_TARGETS.extend(
    expand(
        "figures/{name}.{ext}",
        name=[
            "regret_vs_t",
            "regret_vs_t_no_diversity",
            "regret_vs_d",
            "regret_vs_n",
            "regret_data_poor",
            "regret_network",
        ],
        ext=["pdf", "png"],
    )
    + ["results/tables/regret_check.md", "results/tables/regret_sensitivity.md"]
)
