# The generic rules of every study (banditlab.study): a point job per grid point, a table per experiment, the
# study's check and formula tables, and its figures. No rule names a study or an experiment: the declarations
# (banditlab/<study>/study.py) and the config's `experiments:` blocks say what exists (common.smk).


wildcard_constraints:
    study="|".join(STUDIES) or "^$",
    experiment="|".join(experiment for _, experiment in POINTS) or "^$",


rule point:
    output:
        "results/{study}/{experiment}/{point}.csv",
    log:
        "logs/{study}/{experiment}/{point}.log",
    benchmark:
        "benchmarks/{study}/{experiment}/{point}.tsv"
    group:
        "{study}_{experiment}"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=lambda wildcards, attempt: STUDIES[wildcards.study].point_mem_mb * 2 ** (attempt - 1),
        runtime=point_runtime,
    params:
        # Only what this point depends on, so editing another point or experiment reruns nothing here.
        values=lambda wildcards: canonical(point_of(wildcards).values),
        grid=lambda wildcards: point_of(wildcards).grid,
        replicates=lambda wildcards: point_of(wildcards).replicates,
        run=point_run,
        tidy=lambda wildcards: STUDIES[wildcards.study].tidy,
        seed=config["seed"],
        scale=config["scale"],
        code=point_code,
        user_code=point_user_code,
    script:
        "../scripts/point.py"


rule experiment_table:
    input:
        point_files,
    output:
        "results/{study}/{experiment}.csv",
    log:
        "logs/{study}/{experiment}.table.log",
    group:
        "{study}_tables"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        stamps=lambda wildcards: {
            stamp: config_hash() if stamp == "config_hash" else banditlab_version
            for stamp in STUDIES[wildcards.study].table_stamps
        },
        code=package_code("experiment_table.py"),
    script:
        "../scripts/experiment_table.py"


rule study_table:
    input:
        study_table_inputs,
    output:
        csv="results/tables/{table}.csv",
        md="results/tables/{table}.md",
    log:
        "logs/tables/{table}.log",
    wildcard_constraints:
        table="|".join(TABLES) or "^$",
    group:
        "tables"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        inputs=lambda wildcards: TABLES[wildcards.table][2],
        make=lambda wildcards: TABLES[wildcards.table][1].make,
        markdown=lambda wildcards: TABLES[wildcards.table][1].markdown,
        title=lambda wildcards: TABLES[wildcards.table][1].title,
        block=lambda wildcards: canonical(config[TABLES[wildcards.table][0]]),
        seed=config["seed"],
        code=lambda wildcards: functions_digest(["banditlab.jobs:make_table", TABLES[wildcards.table][1].make]),
    script:
        "../scripts/study_table.py"


rule figure:
    input:
        lambda wildcards: [table_file(name) for name in FIGURES[wildcards.figure][1].tables],
    output:
        pdf="figures/{figure}.pdf",
        png=report(
            "figures/{figure}.png",
            caption="../report/figure.rst",
            category=lambda wildcards: STUDIES[FIGURES[wildcards.figure][0]].title,
            subcategory=lambda wildcards: FIGURES[wildcards.figure][1].subcategory,
            labels=lambda wildcards: {"figure": wildcards.figure},
        ),
    log:
        "logs/figures/{figure}.log",
    wildcard_constraints:
        figure="|".join(FIGURES) or "^$",
    group:
        "figures"
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        draw=lambda wildcards: FIGURES[wildcards.figure][1].draw,
        tables=lambda wildcards: list(FIGURES[wildcards.figure][1].tables),
        options=figure_options,
        caption=figure_caption,
        code=lambda wildcards: functions_digest(["banditlab.jobs:draw_figure", FIGURES[wildcards.figure][1].draw]),
    script:
        "../scripts/figure.py"


FINAL_TARGETS.extend(
    expand("figures/{figure}.{ext}", figure=list(FIGURES), ext=["pdf", "png"])
    + expand("results/tables/{table}.md", table=list(TABLES))
)
