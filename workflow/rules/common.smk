# Shared by the rule files. Config validation (once, before any job), the studies' declarations
# (banditlab.study) turned into points, tables and figures, every helper function the rules call, and the list
# of final targets. The other .smk files hold rules only (snakemake --lint).
import functools
import hashlib
import json
import os
import sys

from banditlab.batches import plan_batches
from banditlab.configcheck import validate_block
from banditlab.provenance import code_digest, functions_digest, kernels_digest, modules_digest
from banditlab.registry import user_modules
from banditlab.study import caption_text, points, studies, study_figures, study_tables

validate_block(config, workflow.source_path("../schemas/config.schema.yaml"))

# Hashed here, before validating the study blocks below fills their schema defaults into `config`, so the
# hash is that of the config as given (the same in every results row). `batch_seconds` says how points are
# grouped into jobs, not what they compute: it is left out, so regrouping changes no results row.
_CONFIG_HASH = hashlib.sha256(
    json.dumps({key: value for key, value in config.items() if key != "batch_seconds"}, sort_keys=True).encode()
).hexdigest()[:12]

# --- The study blocks: each validated by its own schema, then by the checks a schema cannot express
# (among them, estimators and policies named by import path, `package.module:Class`, must import and
# follow their protocol: banditlab.registry).
STUDIES = {study.name: study for study in studies(config)}
for _name, _study in STUDIES.items():
    validate_block(config[_name], workflow.source_path(f"../schemas/{_name}.schema.yaml"), _name)
    _study.check(config[_name])

# Every point, table and figure of this config, from the studies' declarations (labels made once, there).
POINTS = {
    (name, experiment): points(study, config[name], experiment)
    for name, study in STUDIES.items()
    for experiment in config[name]["experiments"]
}
POINT = {(key[0], key[1], point.label): point for key, values in POINTS.items() for point in values}
TABLES = {
    table.name: (name, table, inputs)
    for name, study in STUDIES.items()
    for table, inputs in study_tables(study, config[name])
}
FIGURES = {
    figure.name: (name, figure) for name, study in STUDIES.items() for figure in study_figures(study, config[name])
}
EXPERIMENTS = [f"{study}/{experiment}" for study, experiment in POINTS]
BATCHES = plan_batches(config)  # the point jobs (banditlab.batches)

# A dry run (snakemake -n) also prints the a-priori cost of this config (cheap: no simulation).
# (workflow.dryrun is not known yet while the Snakefile is parsed, hence the command line.)
if any(
    arg in ("--dry-run", "--dryrun") or (arg[:1] == "-" and arg[1:].isalpha() and "n" in arg) for arg in sys.argv[1:]
):
    from banditlab.cost import format_cost

    print(format_cost(config, cores=workflow.resource_settings.cores), file=sys.stderr)

# One BLAS thread per job: jobs are the unit of parallelism, small-matrix BLAS slows down badly when
# threads oversubscribe the cores, and a fixed thread count keeps results identical whatever --cores is.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
# Figure jobs draw to files: the file-only backend, even on a desktop with a display (notebooks set their own).
os.environ.setdefault("MPLBACKEND", "Agg")


def config_hash() -> str:
    """Short hash of the config as given (top-level validated), the same in every results row."""
    return _CONFIG_HASH


def canonical(value):
    """``value`` with every dict's keys sorted, recursively: params that do not depend on the config's key
    order (Snakemake compares params by their text, so a reordered config would otherwise rerun jobs)."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def package_code(script: str) -> str:
    """Digest of the banditlab code ``workflow/scripts/<script>`` imports (banditlab.provenance).

    Each scripted rule carries it as ``params.code``, so that Snakemake's ``params`` rerun trigger reruns
    a job when the package code it runs changes (its own rule and script are tracked as ``code`` already).
    """
    return code_digest(os.path.join(workflow.basedir, "workflow", "scripts", script))


# --- Points (the batch rules)


def batch_points(batch) -> list[dict]:
    """The batch's points as the job's params: label, values (keys sorted), grid values and replicates."""
    return [
        {
            "label": point.label,
            "values": canonical(point.values),
            "grid": point.grid,
            "replicates": point.replicates,
        }
        for point in (POINT[(batch.study, batch.experiment, label)] for label in batch.labels)
    ]


def experiment_run(study: str, experiment: str) -> str:
    return STUDIES[study].experiment(experiment, config[study]).run


def batch_code(batch) -> str:
    """Digest of the code a point job runs: the runner, the experiment's function and the study's table maker
    (its imports followed), so that editing another study's code, a claim or a figure reruns no point."""
    run = experiment_run(batch.study, batch.experiment)
    return functions_digest(["banditlab.runner:run_point", run, STUDIES[batch.study].tidy])


def batch_user_code(batch) -> str:
    """Digest of the user modules the points run (estimators or policies named ``package.module:Class``; ``""``
    when there is none): editing a user's method reruns its points (and what follows)."""
    names = []
    for label in batch.labels:
        values = POINT[(batch.study, batch.experiment, label)].values
        names += list(values.get("estimators", [])) + list(values.get("policies", []))
    return modules_digest(user_modules(list(dict.fromkeys(names))))


def batch_mem_mb(batch, wildcards, attempt) -> int:
    """``mem_mb`` of a batch job: the study's per-point memory (points run one after the other), doubled on
    every retry."""
    return STUDIES[batch.study].point_mem_mb * 2 ** (attempt - 1)


def batch_runtime(batch, wildcards, attempt) -> int:
    """``runtime`` (minutes) of a batch job from the cost model's prediction for it (banditlab.cost)."""
    from banditlab.cost import point_runtime_minutes

    return point_runtime_minutes(batch.seconds / 60, STUDIES[batch.study].point_minutes, attempt)


def point_files(wildcards) -> list[str]:
    return [
        f"results/{wildcards.study}/{wildcards.experiment}/{point.label}.csv"
        for point in POINTS[(wildcards.study, wildcards.experiment)]
    ]


# --- Study tables and figures


def table_file(name: str) -> str:
    """Where an experiment's table or a study table lives."""
    if name in TABLES:
        return f"results/tables/{name}.csv"
    (study,) = [study for study, experiment in POINTS if experiment == name]
    return f"results/{study}/{name}.csv"


def study_table_inputs(wildcards) -> list[str]:
    return [table_file(name) for name in TABLES[wildcards.table][2]]


def figure_caption(wildcards) -> str:
    study, figure = FIGURES[wildcards.figure]
    extra = {"scale": config["scale"], "seed": config["seed"]}
    return caption_text(STUDIES[study], config[study], figure, extra)


def figure_options(wildcards) -> dict:
    study, figure = FIGURES[wildcards.figure]
    return canonical({key: config[study][key] for key in figure.options})


# --- Final targets: each rule file appends its outputs here.
FINAL_TARGETS: list[str] = []


def all_targets() -> list[str]:
    return FINAL_TARGETS
