# Shared helpers: config validation (once, before any job) and the list of final targets.
import hashlib
import json
import os

from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")

# One BLAS thread per job: jobs are the unit of parallelism, small-matrix BLAS slows down badly when
# threads oversubscribe the cores, and a fixed thread count keeps results identical whatever --cores is.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")


def study_config(study: str) -> dict:
    """The validated config block of one study (``estimation``, ``pareto``, ``bandits``)."""
    return config[study]


def config_hash() -> str:
    """Short hash of the whole validated config, recorded in every results row."""
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]


# Each study's rule file appends its final targets (figures, tables) here.
FINAL_TARGETS: list[str] = []


def all_targets() -> list[str]:
    return FINAL_TARGETS
