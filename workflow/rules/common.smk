# Shared by the study files: config validation (once, before any job), every helper function their
# rules call, and the list of final targets. The other .smk files hold rules only (snakemake --lint).
import functools
import hashlib
import json
import os
import sys

from banditlab.bandits.experiments import EXPERIMENTS as BANDIT_EXPERIMENTS
from banditlab.bandits.experiments import check_config as check_bandits_config
from banditlab.bandits.experiments import point_config as bandit_point_config
from banditlab.bandits.experiments import points as bandit_points
from banditlab.estimation.experiments import check_estimation_config, study_points
from banditlab.pareto.experiments import check_pareto_config, experiment_points
from banditlab.bandits.experiments import point_policies as bandit_point_policies
from banditlab.beyond import BANDIT_AXES as BEYOND_BANDIT_AXES
from banditlab.pareto.experiments import point_config as pareto_point_config
from banditlab.configcheck import validate_block
from banditlab.provenance import code_digest, modules_digest
from banditlab.registry import user_modules

validate_block(config, workflow.source_path("../schemas/config.schema.yaml"))

# Hashed here, before validating the study blocks below fills their schema defaults into `config`, so the
# hash is that of the config as given (the same in every results row).
_CONFIG_HASH = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]

# --- The study blocks: each validated by its own schema, then by the checks a schema cannot express
# (among them, estimators and policies named by import path, `package.module:Class`, must import and
# follow their protocol: banditlab.registry).
validate_block(config["estimation"], workflow.source_path("../schemas/estimation.schema.yaml"), "estimation")
check_estimation_config(config["estimation"])
ESTIMATION = config["estimation"]
ESTIMATION_STUDIES = list(ESTIMATION["studies"])
PLOT_KIND = {study: spec["plot"] for study, spec in ESTIMATION["studies"].items()}

validate_block(config["pareto"], workflow.source_path("../schemas/pareto.schema.yaml"), "pareto")
PARETO = config["pareto"]
check_pareto_config(PARETO)
PARETO_POINTS = experiment_points(PARETO)
PARETO_EXPERIMENTS = list(PARETO_POINTS)

validate_block(config["bandits"], workflow.source_path("../schemas/bandits.schema.yaml"), "bandits")
check_bandits_config(config["bandits"])
BANDITS = config["bandits"]

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


def user_code(names) -> str:
    """Digest of the user modules among ``names`` (estimators or policies named ``package.module:Class``;
    ``""`` when there is none). The point jobs that run them carry it as ``params.user_code``, so editing a
    user's module reruns them (and what follows), as ``params.code`` does for the package."""
    return modules_digest(user_modules(names))


@functools.cache
def _longest_point_job_minutes() -> dict[str, float]:
    from banditlab.cost import estimate_cost

    cost = estimate_cost(config)
    return dict(zip(cost["study"], cost["longest_job_minutes"]))


def point_runtime(study: str, minimum: int):
    """``runtime`` (minutes) of a study's point jobs from the cost model of this config (banditlab.cost)."""
    from banditlab.cost import point_runtime_minutes

    def runtime(wildcards, attempt):
        return point_runtime_minutes(_longest_point_job_minutes().get(study, 0.0), minimum, attempt)

    return runtime


# --- Estimation study (estimation.smk)


def estimation_point(wildcards) -> dict:
    """The parameters of one estimation grid point (its params: editing another point reruns nothing here)."""
    return canonical(dict(study_points(ESTIMATION, wildcards.study))[wildcards.point])


def estimation_point_files(wildcards) -> list[str]:
    return [
        f"results/estimation/{wildcards.study}/{label}.csv" for label, _ in study_points(ESTIMATION, wildcards.study)
    ]


def studies_with_plot(*kinds) -> str:
    """Wildcard constraint matching the estimation studies drawn by a figure kind (never empty)."""
    return "|".join(study for study in ESTIMATION_STUDIES if PLOT_KIND[study] in kinds) or "^$"


# --- Pareto study (pareto.smk)


def pareto_point(wildcards) -> dict:
    """The part of the pareto block one grid point depends on (banditlab.pareto.experiments.point_config)."""
    return canonical(pareto_point_config(wildcards.experiment, wildcards.point, PARETO))


def pareto_point_files(wildcards) -> list[str]:
    return [f"results/pareto/{wildcards.experiment}/{label}.csv" for label in PARETO_POINTS[wildcards.experiment]]


# --- Bandit regret study (bandits.smk)


def bandit_point(wildcards) -> dict:
    """The part of the bandits block one point depends on (banditlab.bandits.experiments.point_config)."""
    return canonical(bandit_point_config(wildcards.experiment, wildcards.point, BANDITS))


def bandit_point_user_code(wildcards) -> str:
    """``user_code`` of the policies one bandit point runs."""
    return user_code(bandit_point_policies(wildcards.experiment, BANDITS))


def bandit_point_files(wildcards) -> list[str]:
    return [
        f"results/bandits/{wildcards.experiment}/{point}.csv" for point in bandit_points(wildcards.experiment, BANDITS)
    ]


# --- Final targets: each study's rule file appends its figures and tables here.
FINAL_TARGETS: list[str] = []


def all_targets() -> list[str]:
    return FINAL_TARGETS
