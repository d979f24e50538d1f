"""The one point runner of every study: a point's replicates, seeded, as the study's tidy table.

:func:`run_point` is what the generic point job does (``workflow/scripts/point.py``); it imports only the
study code the point runs, by the import paths its declaration gives (the jobs that make tables and
figures are in :mod:`banditlab.jobs`, so that editing them reruns no point).

Seeds: replicate ``r`` of point ``label`` of ``experiment`` of ``study`` draws from
``replicate_rng(seed, study, experiment, label, r)`` (:mod:`banditlab.seeding`), and whatever else it
needs from :meth:`Replicate.child`; nothing depends on the order of jobs or the number of cores.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import __version__
from .progress import log_replicate_progress
from .seeding import replicate_rng, seed_int
from .study import load

log = logging.getLogger(__name__)


class Replicate:
    """One replicate of one point: its index, its generator and its recorded seed.

    Attributes
    ----------
    index : int
    labels : tuple ``(study, experiment, point label, index)``, what its generator is derived from
    rng : numpy.random.Generator, ``replicate_rng(base_seed, *labels)`` (created once)
    seed : int, the 32-bit seed recorded in results rows (``seed_int(base_seed, *labels)``)
    """

    def __init__(self, base_seed: int, study: str, experiment: str, label: str, index: int) -> None:
        self.index = index
        self.base_seed = int(base_seed)
        self.experiment = experiment
        self.label = label
        self.labels = (study, experiment, label, index)
        self.rng = replicate_rng(self.base_seed, *self.labels)
        self.seed = seed_int(self.base_seed, *self.labels)

    def child(self, *labels: object) -> np.random.Generator:
        """A further generator of this replicate, derived from its labels and ``labels`` (e.g. a policy name)."""
        return replicate_rng(self.base_seed, *self.labels, *labels)


def run_point(
    study: str,
    experiment: str,
    label: str,
    values: Mapping[str, Any],
    grid: Mapping[str, Any],
    *,
    run: str,
    tidy: str,
    replicates: int,
    seed: int,
    scale: str,
):
    """Every replicate of one point, as the study's tidy table and its NaN-allowed columns.

    ``run`` and ``tidy`` are import paths: ``run(values, replicate)`` returns one replicate's rows,
    ``tidy(records, values, grid, stamps)`` the table of all of them (``stamps``: the base seed, the scale,
    the package version, the experiment and the point's label) and the columns allowed to hold NaN.
    """
    if replicates < 1:
        raise ValueError(f"{study}.experiments.{experiment}: replicates must be >= 1, got {replicates}")
    from threadpoolctl import threadpool_limits

    run_replicate = load(run)
    records: list[dict] = []
    started = time.perf_counter()
    with threadpool_limits(limits=1):  # small matrices: one BLAS thread is fastest, and the same on any machine
        for index in range(replicates):
            records.extend(run_replicate(values, Replicate(seed, study, experiment, label, index)))
            log_replicate_progress(log, f"{study} {experiment} {label}", index + 1, replicates, started)
    stamps = {"seed": seed, "scale": scale, "banditlab_version": __version__, "experiment": experiment, "label": label}
    return load(tidy)(records, values, grid, stamps)


def run_config_point(
    study: str, block: Mapping, experiment: str, label: str | None = None, *, seed: int, scale="custom"
):
    """One point of an experiment of a study's config block (by its label; the only point when ``None``), run
    as the workflow runs it: its table (what ``results/<study>/<experiment>/<label>.csv`` holds).

    Examples
    --------
    >>> import yaml
    >>> block = yaml.safe_load(open("config/smoke.yaml"))["estimation"]  # doctest: +SKIP
    >>> table = run_config_point("estimation", block, "error_vs_n", "60", seed=1)  # doctest: +SKIP
    """
    from .study import get_study, points

    declared = get_study(study)
    grid = points(declared, block, experiment)
    chosen = grid if label is None else [point for point in grid if point.label == label]
    if len(chosen) != 1:
        labels = [point.label for point in grid]
        raise ValueError(f"{study}.experiments.{experiment} has points {labels}; name one (got {label!r})")
    (point,) = chosen
    table, _ = run_point(
        study,
        experiment,
        point.label,
        point.values,
        point.grid,
        run=declared.experiment(experiment, block).run,
        tidy=declared.tidy,
        replicates=point.replicates,
        seed=seed,
        scale=scale,
    )
    return table


__all__ = ["Replicate", "run_config_point", "run_point"]
