# The generic rules of every study (banditlab.study): a job per batch of grid points, a table per experiment, the
# study's check and formula tables, and its figures. No rule names a study or an experiment: the declarations
# (banditlab/<study>/study.py) and the config's `experiments:` blocks say what exists (common.smk).


wildcard_constraints:
    study="|".join(STUDIES) or "^$",
    experiment="|".join(experiment for _, experiment in POINTS) or "^$",


rule kernels:
    output:
        "logs/kernels/{study}.csv",
    log:
        "logs/kernels/{study}.log",
    conda:
        "../envs/banditlab.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        # the modules with numba kernels among the code the points run: editing one refills the cache, and reruns
        # the study's points (an input of theirs); editing other code reruns only the points that import it
        kernels=lambda wildcards: kernels_digest(
            ["banditlab.runner:run_point", "banditlab.kernels:warm_up"]
            + [experiment_run(study, experiment) for study, experiment in POINTS if study == wildcards.study]
        ),
    script:
        "../scripts/kernels.py"


# One rule per batch of points (banditlab.batches): consecutive points of an experiment share one job and its
# fixed cost; each point keeps its own output file. The loop declares the same rule for every batch.
for batch in BATCHES:

    rule:
        name:
            batch.rule
        input:
            # numba's cache filled first (banditlab.kernels). Not ancient(): Snakemake does not look at the params
            # of a job whose ancient input is being remade, so a point whose code changed with a kernel would not rerun
            f"logs/kernels/{batch.study}.csv",
        output:
            [f"results/{batch.study}/{batch.experiment}/{label}.csv" for label in batch.labels],
        log:
            f"logs/{batch.study}/{batch.experiment}/batch{batch.index}.log",
        benchmark:
            f"benchmarks/{batch.study}/{batch.experiment}/batch{batch.index}.tsv"
        conda:
            "../envs/banditlab.yaml"
        threads: 1
        resources:
            mem_mb=functools.partial(batch_mem_mb, batch),
            runtime=functools.partial(batch_runtime, batch),
        params:
            # Only what these points depend on, so editing another point's batch or experiment reruns nothing here.
            study=batch.study,
            experiment=batch.experiment,
            points=batch_points(batch),
            run=experiment_run(batch.study, batch.experiment),
            tidy=STUDIES[batch.study].tidy,
            seed=config["seed"],
            scale=config["scale"],
            code=batch_code(batch),
            user_code=batch_user_code(batch),
        script:
            "../scripts/points.py"


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
