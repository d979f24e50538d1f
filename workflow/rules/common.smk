# Shared helpers: config validation (once, before any job) and the list of final targets.
import functools
import hashlib
import json
import os
import sys

from snakemake.utils import validate

from banditlab.provenance import code_digest

validate(config, schema="../schemas/config.schema.yaml")

# A dry run (snakemake -n) also prints the a-priori cost of this config (cheap: no simulation).
# (workflow.dryrun is not known yet while the Snakefile is parsed, hence the command line.)
if any(arg in ("--dry-run", "--dryrun") or (arg[:1] == "-" and arg[1:].isalpha() and "n" in arg) for arg in sys.argv[1:]):
    from banditlab.cost import format_cost

    print(format_cost(config, cores=workflow.resource_settings.cores), file=sys.stderr)

# One BLAS thread per job: jobs are the unit of parallelism, small-matrix BLAS slows down badly when
# threads oversubscribe the cores, and a fixed thread count keeps results identical whatever --cores is.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def study_config(study: str) -> dict:
    """The validated config block of one study (``estimation``, ``pareto``, ``bandits``)."""
    return config[study]


# Hashed once, here: each study's rule file later fills its block's schema defaults into `config`, so a
# hash taken inside a rule file would depend on the include order (different hashes per study).
_CONFIG_HASH = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]


def config_hash() -> str:
    """Short hash of the config as given (top-level validated), the same in every results row."""
    return _CONFIG_HASH


@functools.cache
def _longest_point_job_minutes() -> dict[str, float]:
    # Evaluated when the DAG is built, after every rule file has filled its schema defaults.
    from banditlab.cost import estimate_cost

    cost = estimate_cost(config)
    return dict(zip(cost["study"], cost["longest_job_minutes"]))


def point_runtime(study: str, minimum: int):
    """``runtime`` (minutes) of a study's point jobs from the cost model of this config (banditlab.cost)."""
    from banditlab.cost import point_runtime_minutes

    def runtime(wildcards, attempt):
        return point_runtime_minutes(_longest_point_job_minutes().get(study, 0.0), minimum, attempt)

    return runtime


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

    Every scripted rule carries it as ``params.code``: Snakemake's ``params`` rerun trigger then reruns a
    job when the package code it runs changes (its rule and script are already tracked as ``code``).
    """
    return code_digest(os.path.join(workflow.basedir, "workflow", "scripts", script))


# Each study's rule file appends its final targets (figures, tables) here.
FINAL_TARGETS: list[str] = []


def all_targets() -> list[str]:
    return FINAL_TARGETS
