"""The one runner of every study: a point's replicates, an experiment's table, a check table, a figure.

Each function is what one generic workflow job does (``workflow/scripts/{point,table,check,figure}.py``
call them); each imports only the study code the job runs, by the import path its declaration gives.

Seeds: replicate ``r`` of point ``label`` of ``experiment`` of ``study`` draws from
``replicate_rng(seed, study, experiment, label, r)`` (:mod:`banditlab.seeding`), and whatever else it
needs from :meth:`Replicate.child`; nothing depends on the order of jobs or the number of cores.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
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


def concat_points(paths: Sequence[str], stamps: Mapping[str, str]):
    """One experiment's table: its point tables in grid order, with ``stamps`` (config hash...) as last columns."""
    from .io import read_tables

    return read_tables(paths).assign(**stamps)


def make_table(make: str, inputs: Mapping[str, str], block: Mapping, seed: int):
    """A check table, or a table of a paper's formulas: ``make(tables, block, seed)`` on the named inputs."""
    import pandas as pd

    tables = {name: pd.read_csv(path) for name, path in inputs.items()}
    return load(make)(tables, block, seed)


def draw_figure(draw: str, inputs: Mapping[str, str], options: Mapping, pdf: str, png: str) -> None:
    """Draw a figure from its tables only (``draw(tables, options)``) and save it (:func:`figures.save_figure`)."""
    import pandas as pd

    from .figures import save_figure

    tables = {name: pd.read_csv(path) for name, path in inputs.items()}
    save_figure(load(draw)(tables, options), pdf, png)


__all__ = ["Replicate", "concat_points", "draw_figure", "make_table", "run_point"]
