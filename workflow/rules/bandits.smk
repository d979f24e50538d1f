# RMBandit regret study of paper 000 (Section 4): one job per parameter point, one table per
# experiment, the regret check table, and one rule per figure.
from banditlab.bandits.experiments import EXPERIMENTS, check_config, points as bandit_points

validate(config["bandits"], schema="../schemas/bandits.schema.yaml")
check_config(config["bandits"])

BANDITS = config["bandits"]


def bandit_point_files(wildcards):
    return [f"results/bandits/{wildcards.experiment}/{point}.csv" for point in bandit_points(wildcards.experiment, BANDITS)]


wildcard_constraints:
    experiment="|".join(EXPERIMENTS),


rule bandits_point:
    output:
        "results/bandits/{experiment}/{point}.csv",
    log:
        "logs/bandits/{experiment}/{point}.log",
    params:
        bandits=BANDITS,
        seed=config["seed"],
        scale=config["scale"],
    threads: 1
    resources:
        mem_mb=3000,
        runtime=20,
    script:
        "../scripts/bandits_point.py"


rule bandits_table:
    input:
        bandit_point_files,
    output:
        "results/bandits/{experiment}.csv",
    log:
        "logs/bandits/{experiment}.table.log",
    script:
        "../scripts/bandits_table.py"


rule bandits_regret_check:
    input:
        expand("results/bandits/{experiment}.csv", experiment=EXPERIMENTS),
    output:
        csv="results/tables/regret_check.csv",
        md="results/tables/regret_check.md",
        sensitivity_csv="results/tables/regret_sensitivity.csv",
        sensitivity_md="results/tables/regret_sensitivity.md",
    log:
        "logs/tables/regret_check.log",
    params:
        bandits=BANDITS,
    script:
        "../scripts/bandits_check.py"


rule bandits_figure_regret_vs_t:
    input:
        table="results/bandits/regret_vs_t.csv",
    output:
        pdf="figures/regret_vs_t.pdf",
        png="figures/regret_vs_t.png",
    log:
        "logs/figures/regret_vs_t.log",
    params:
        kind="regret_vs_t",
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_regret_vs_d:
    input:
        table="results/bandits/regret_vs_d.csv",
        table_n="results/bandits/regret_vs_n.csv",
    output:
        pdf="figures/regret_vs_d.pdf",
        png="figures/regret_vs_d.png",
    log:
        "logs/figures/regret_vs_d.log",
    params:
        kind="regret_vs_d",
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_data_poor:
    input:
        table="results/bandits/data_poor.csv",
    output:
        pdf="figures/regret_data_poor.pdf",
        png="figures/regret_data_poor.png",
    log:
        "logs/figures/regret_data_poor.log",
    params:
        kind="data_poor",
    script:
        "../scripts/bandits_plot.py"


rule bandits_figure_network:
    input:
        table="results/bandits/network.csv",
    output:
        pdf="figures/regret_network.pdf",
        png="figures/regret_network.png",
    log:
        "logs/figures/regret_network.log",
    params:
        kind="network",
    script:
        "../scripts/bandits_plot.py"


FINAL_TARGETS.extend(
    expand("figures/{name}.{ext}", name=["regret_vs_t", "regret_vs_d", "regret_data_poor", "regret_network"], ext=["pdf", "png"])
    + ["results/tables/regret_check.md", "results/tables/regret_sensitivity.md"]
)
