# The claims ledger (every quantitative claim of both papers, verdicts from the check tables), the check
# tables as report entries, and the notebooks executed against the current tables. Included last: it reads
# the check tables the study rule files write.
from banditlab import __version__ as banditlab_version


rule claims_ledger:
    input:
        rate_check="results/tables/rate_check.csv",
        bound_check="results/tables/bound_check.csv",
        regret_check="results/tables/regret_check.csv",
        pareto_check="results/tables/pareto_check.csv",
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
        scale=config["scale"],
        code=package_code("claims_ledger.py"),
    script:
        "../scripts/claims_ledger.py"


# The methods beyond the papers (ours and any named in the config by import path): measurements only,
# beside the papers' methods on the same points, no claim (banditlab.beyond). claims.md links to it.
rule beyond_papers:
    input:
        estimation=expand("results/estimation/{study}.csv", study=ESTIMATION_STUDIES),
        bandits=expand("results/bandits/{experiment}.csv", experiment=list(BEYOND_BANDIT_AXES)),
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
        bandit_experiments=list(BEYOND_BANDIT_AXES),
        resamples=ESTIMATION["bootstrap_resamples"],
        seed=config["seed"],
        scale=config["scale"],
        code=package_code("beyond_papers.py"),
    script:
        "../scripts/beyond_papers.py"


# Every check table as an HTML page of the report (the .md next to it stays the human-readable copy).
REPORT_TABLES = {
    "claims": "Both papers",
    "findings": "Both papers",
    "beyond_papers": "Beyond the papers",
    "rate_check": "Paper 000, estimation",
    "bound_check": "Paper 000, estimation",
    "regret_check": "Paper 000, RMBandit regret",
    "regret_sensitivity": "Paper 000, RMBandit regret",
    "pareto_gap_table": "Paper 004, Pareto bandits",
    "pareto_index_claim": "Paper 004, Pareto bandits",
    "pareto_check": "Paper 004, Pareto bandits",
}


rule report_table:
    input:
        # the ledger's page also states the number of findings (written by the same rule as claims.csv)
        lambda wildcards: [f"results/tables/{wildcards.table}.csv"]
        + (["results/tables/findings.csv"] if wildcards.table == "claims" else []),
    output:
        report(
            "results/report/{table}.html",
            caption="../report/tables.rst",
            category=lambda wildcards: (
                "Claims ledger" if wildcards.table in ("claims", "findings", "beyond_papers") else "Check tables"
            ),
            subcategory=lambda wildcards: REPORT_TABLES[wildcards.table],
            labels=lambda wildcards: {"table": wildcards.table},
        ),
    log:
        "logs/report/{table}.log",
    wildcard_constraints:
        table="|".join(REPORT_TABLES),
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=500,
    params:
        code=package_code("table_html.py"),
    script:
        "../scripts/table_html.py"


rule report_provenance:
    output:
        report("results/report/provenance.html", caption="../report/provenance.rst", category="Provenance"),
    log:
        "logs/report/provenance.log",
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=500,
    params:
        config=canonical(config),
        config_hash=config_hash(),
        version=banditlab_version,
        code=package_code("provenance.py"),
    script:
        "../scripts/provenance.py"


# The notebooks executed against the current tables, part of `all` (they also run by hand in Jupyter). Each
# reads only what it lists here: the provenance page (the run's config and hash, checked against every results
# row), results and check tables, and the one figure not drawn from a table (Appendix B's example).
NOTEBOOK_INPUTS = {
    "estimation": [
        "results/report/provenance.html",
        "results/tables/rate_check.csv",
        "results/tables/bound_check.csv",
        "results/tables/claims.csv",
    ]
    + expand("results/estimation/{study}.csv", study=ESTIMATION_STUDIES),
    "rmbandit": [
        "results/report/provenance.html",
        "results/tables/regret_check.csv",
        "results/tables/regret_sensitivity.csv",
        "results/tables/claims.csv",
    ]
    + expand(
        "results/bandits/{experiment}.csv",
        experiment=[
            "regret_vs_t",
            "regret_vs_t_no_diversity",
            "regret_vs_d",
            "regret_vs_n",
            "data_poor",
            "network",
            "sensitivity",
        ],
    ),
    "pareto": [
        "results/report/provenance.html",
        "results/tables/pareto_gap_table.csv",
        "results/tables/pareto_index_claim.csv",
        "results/tables/pareto_check.csv",
        "results/tables/claims.csv",
        "figures/pareto_example.png",
    ]
    + expand("results/pareto/{experiment}.csv", experiment=["tp", "horizon", "nu", "shifts"]),
}


# The workflow script that draws each notebook's figures: its package imports are the notebook's (checked by
# tests/test_notebooks.py), so `params.code` reruns a notebook when the plotting code it calls changes.
NOTEBOOK_SCRIPTS = {"estimation": "plot_estimation.py", "rmbandit": "bandits_plot.py", "pareto": "pareto_plot.py"}


rule notebook:
    input:
        notebook="notebooks/{notebook}.ipynb",
        tables=lambda wildcards: NOTEBOOK_INPUTS[wildcards.notebook],
    output:
        "results/notebooks/{notebook}.ipynb",
    log:
        "logs/notebooks/{notebook}.log",
    wildcard_constraints:
        notebook="|".join(NOTEBOOK_INPUTS),
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
    params:
        timeout=600,
        python=sys.executable,  # the workflow's own Python: its venv has nbconvert and the kernel
        code=lambda wildcards: package_code(NOTEBOOK_SCRIPTS[wildcards.notebook]),
    shell:
        "{params.python} -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout={params.timeout} "
        "--ExecutePreprocessor.record_timing=False "
        "--output-dir results/notebooks {input.notebook} > {log} 2>&1"


rule notebooks:
    input:
        expand("results/notebooks/{notebook}.ipynb", notebook=list(NOTEBOOK_INPUTS)),


FINAL_TARGETS.extend(
    ["results/tables/claims.md", "results/tables/beyond_papers.md", "results/report/provenance.html"]
    + expand("results/report/{table}.html", table=list(REPORT_TABLES))
    + expand("results/notebooks/{notebook}.ipynb", notebook=list(NOTEBOOK_INPUTS))
)


# `snakemake --report report.html` as the last job of `all`: every figure with its caption, the check
# tables, the ledger and the provenance page, in one self-contained file.
rule report_html:
    input:
        list(FINAL_TARGETS),
        ledger="results/tables/claims.csv",
        findings="results/tables/findings.csv",
        stylesheet="workflow/report/report.css",
    output:
        "report.html",
    log:
        "logs/report/report_html.log",
    localrule: True
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        config=canonical(config),
        snakefile=workflow.main_snakefile,
        code=package_code("snakemake_report.py"),
    script:
        "../scripts/snakemake_report.py"


FINAL_TARGETS.append("report.html")


# The paper-scale conclusions, published into docs/paper-scale/ (committed): not part of `all`; run it once
# after a paper-scale run: snakemake publish --cores 2 --configfile config/paper.yaml
PUBLISHED_TABLES = ["claims", "findings"] + [name for name in REPORT_TABLES if name not in ("claims", "findings")]


rule publish:
    input:
        tables=[f"results/tables/{name}.csv" for name in PUBLISHED_TABLES]
        + [f"results/tables/{name}.md" for name in PUBLISHED_TABLES if name != "findings"]
        + ["results/tables/regret_sensitivity.csv"],
        figures=[target for target in FINAL_TARGETS if target.endswith(".png")],
        report="report.html",
    output:
        "docs/paper-scale/provenance.yaml",
    log:
        "logs/report/publish.log",
    localrule: True
    conda:
        "../envs/banditlab.yaml"
    params:
        config=canonical(config),
        config_hash=config_hash(),
        code=package_code("publish.py"),
    script:
        "../scripts/publish.py"
