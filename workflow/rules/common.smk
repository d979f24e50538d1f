# Shared helpers: config validation (once, before any job) and the list of final targets.
import hashlib
import json

from snakemake.utils import validate

validate(config, schema="../schemas/config.schema.yaml")


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
