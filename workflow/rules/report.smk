# The report: every table as an HTML page, the provenance page, and `snakemake --report` as the last job of
# `all`. Included after the rules whose outputs it lists.
from banditlab import __version__ as banditlab_version

# Every table of the studies, the ledger, the findings and the methods beyond the papers, as report pages.
REPORT_TABLES = {
    "claims": ("Claims ledger", "Both papers"),
    "findings": ("Claims ledger", "Both papers"),
    "beyond_papers": ("Claims ledger", "Beyond the papers"),
} | {name: ("Check tables", STUDIES[study].title) for name, (study, _, _) in TABLES.items()}


rule report_table:
    input:
        # the ledger's page also states the number of findings (written by the same rule as claims.csv)
        lambda wildcards: [f"results/tables/{wildcards.table}.csv"]
        + (["results/tables/findings.csv"] if wildcards.table == "claims" else []),
    output:
        report(
            "results/report/{table}.html",
            caption="../report/tables.rst",
            category=lambda wildcards: REPORT_TABLES[wildcards.table][0],
            subcategory=lambda wildcards: REPORT_TABLES[wildcards.table][1],
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


FINAL_TARGETS.extend(
    ["results/report/provenance.html"] + expand("results/report/{table}.html", table=list(REPORT_TABLES))
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
