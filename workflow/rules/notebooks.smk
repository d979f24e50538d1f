# The notebooks executed against the current tables, part of `all` (they also run by hand in Jupyter). Each
# reads one study's tables, the claims ledger and the provenance page (the run's config and hash, checked against
# every results row), and shows that study's figures as the figure jobs drew them (redrawing them is one call
# away in the notebook, not part of the run: the figure jobs already did it).
NOTEBOOK_STUDY = {"estimation": "estimation", "rmbandit": "bandits", "pareto": "pareto"}
# The package code a notebook runs (its params.code; tests/test_notebooks.py checks it is what the notebook imports):
# the study's drawing functions (their styles and redraw) and the study declarations.
NOTEBOOK_CODE = ["banditlab.{study}.figures:", "banditlab.study:study_figures"]
NOTEBOOK_INPUTS = {
    notebook: ["results/report/provenance.html", "results/tables/claims.csv"]
    + [table_file(experiment) for (name, experiment) in POINTS if name == study]
    + [table_file(table) for table, (name, _, _) in TABLES.items() if name == study]
    + [f"figures/{figure}.png" for figure, (name, _) in FIGURES.items() if name == study]
    for notebook, study in NOTEBOOK_STUDY.items()
    if study in STUDIES
}


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
        code=lambda wildcards: functions_digest(
            [path.format(study=NOTEBOOK_STUDY[wildcards.notebook]) for path in NOTEBOOK_CODE]
        ),
    shell:
        "{params.python} -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout={params.timeout} "
        "--ExecutePreprocessor.record_timing=False "
        "--output-dir results/notebooks {input.notebook} > {log} 2>&1"


rule notebooks:
    input:
        expand("results/notebooks/{notebook}.ipynb", notebook=list(NOTEBOOK_INPUTS)),


FINAL_TARGETS.extend(expand("results/notebooks/{notebook}.ipynb", notebook=list(NOTEBOOK_INPUTS)))
