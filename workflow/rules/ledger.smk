# The claims ledger (every quantitative claim of both papers, verdicts from the check tables) and the table of
# the methods beyond the papers. Included after studies.smk: it reads the tables the studies' rules write.
from banditlab.beyond import BANDIT_AXES as BEYOND_BANDIT_AXES

# The check tables whose rows carry verdicts (each study's tables declared with ledger=True).
CHECK_TABLES = [name for name, (_, table, _) in TABLES.items() if table.ledger]
BEYOND_BANDITS = [name for name in BEYOND_BANDIT_AXES if ("bandits", name) in POINTS]
BEYOND_ESTIMATION = [experiment for study, experiment in POINTS if study == "estimation"]


rule claims_ledger:
    input:
        expand("results/tables/{table}.csv", table=CHECK_TABLES),
    output:
        csv="results/tables/claims.csv",
        md="results/tables/claims.md",
        findings="results/tables/findings.csv",
    log:
        "logs/tables/claims.log",
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=500,
    params:
        tables=CHECK_TABLES,
        scale=config["scale"],
        code=package_code("claims_ledger.py"),
    script:
        "../scripts/claims_ledger.py"


# The methods beyond the papers (ours and any named in the config by import path): measurements only,
# beside the papers' methods on the same points, no claim (banditlab.beyond). claims.md links to it.
rule beyond_papers:
    input:
        estimation=expand("results/estimation/{experiment}.csv", experiment=BEYOND_ESTIMATION),
        bandits=expand("results/bandits/{experiment}.csv", experiment=BEYOND_BANDITS),
    output:
        csv="results/tables/beyond_papers.csv",
        md="results/tables/beyond_papers.md",
    log:
        "logs/tables/beyond_papers.log",
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        bandit_experiments=BEYOND_BANDITS,
        resamples=config["estimation"]["bootstrap_resamples"],
        seed=config["seed"],
        scale=config["scale"],
        code=package_code("beyond_papers.py"),
    script:
        "../scripts/beyond_papers.py"


FINAL_TARGETS.extend(["results/tables/claims.md", "results/tables/beyond_papers.md"])
