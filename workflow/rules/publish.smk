# The paper-scale conclusions, published into docs/paper-scale/ (committed): not part of `all`; run it once
# after a paper-scale run: snakemake publish --cores 2 --configfile config/paper.yaml
PUBLISHED_TABLES = list(REPORT_TABLES)


rule publish:
    input:
        tables=[f"results/tables/{name}.csv" for name in PUBLISHED_TABLES]
        + [f"results/tables/{name}.md" for name in PUBLISHED_TABLES if name != "findings"],
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
