"""Point jobs in batches: consecutive points of one experiment run in one job.

A job pays a fixed cost before any replicate runs (interpreter start, package imports, loading numba's cached
kernels; :mod:`banditlab.cost`), which at the quick scale is about as large as the points' own work. A batch
pays it once for several points: consecutive points of one experiment, in grid order, are packed into a job
until the cost model's predicted work of the next point would take the batch over ``batch_seconds`` (top
level of the config). ``batch_seconds: 0`` gives one job per point.

Each point keeps its own output file (``results/<study>/<experiment>/<point>.csv``), so a figure, a table or
a user can still ask for one point; rerunning it reruns its batch. The batches depend only on the config and
the cost model's coefficients (not on a measurement or on ``--cores``), so every machine plans the same jobs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_BATCH_SECONDS = 20.0
"""Predicted seconds of work per point job when the config gives no ``batch_seconds``."""


@dataclass(frozen=True)
class Batch:
    """Consecutive points of one experiment run by one job.

    Attributes
    ----------
    study, experiment : str
    index : int, the batch's position within its experiment (0, 1, ...)
    labels : tuple of str, its points' labels in grid order
    seconds : float, predicted CPU seconds of the job (one fixed cost and every point's work)
    """

    study: str
    experiment: str
    index: int
    labels: tuple[str, ...]
    seconds: float

    @property
    def rule(self) -> str:
        """The name of the Snakemake rule that runs this batch."""
        return f"points_{self.study}_{self.experiment}_{self.index}"


def batch_seconds(config: Mapping[str, Any]) -> float:
    """The config's ``batch_seconds`` (default :data:`DEFAULT_BATCH_SECONDS`), checked."""
    value = config.get("batch_seconds", DEFAULT_BATCH_SECONDS)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"batch_seconds must be a number >= 0 (0: one job per point), got {value!r}")
    return float(value)


def pack(work_seconds: list[float], budget: float) -> list[list[int]]:
    """Consecutive indices of ``work_seconds`` grouped so that no group's sum exceeds ``budget``, unless the
    group is one item (greedy, in order; ``budget`` 0 gives one item per group)."""
    groups: list[list[int]] = []
    total = 0.0
    for index, seconds in enumerate(work_seconds):
        if groups and total + seconds <= budget:
            groups[-1].append(index)
            total += seconds
        else:
            groups.append([index])
            total = seconds
    return groups


def plan_batches(config: Mapping[str, Any], coefficients: Mapping[str, tuple[float, ...]] | None = None) -> list[Batch]:
    """Every point job of ``config``: its experiments' points packed by :func:`pack` on the cost model's
    predicted work per point (:func:`banditlab.cost.job_table` without the fixed cost)."""
    from .cost import COEFFICIENTS, job_table

    coefficients = COEFFICIENTS if coefficients is None else coefficients
    budget = batch_seconds(config)
    jobs = job_table(config, coefficients)
    batches = []
    for (study, experiment), group in jobs.groupby(["study", "experiment"], sort=False):
        fixed = coefficients[study][0]
        work = [seconds - fixed for seconds in group["seconds"]]
        labels = list(group["point"])
        for index, members in enumerate(pack(work, budget)):
            seconds = fixed + sum(work[member] for member in members)
            batches.append(Batch(study, experiment, index, tuple(labels[m] for m in members), seconds))
    return batches
