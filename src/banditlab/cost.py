"""Cheap a-priori cost estimate of a workflow config (no simulation): jobs and CPU-minutes per study.

Printed by ``snakemake -n`` (see workflow/rules/common.smk) so a paper-scale run is sized before it is
started. Per-job cost model (CPU seconds, one core per job):

``sum_k COEFFICIENTS[study][k] x work_k``, where the first work feature is 1 (its coefficient is the job's
fixed cost: interpreter start, package imports, numba's cached kernels, table I/O) and the others count the
dominant operations of a point job: each study declares them (``Study.cost_features``, e.g.
:func:`banditlab.estimation.experiments.cost_features`); :func:`job_table` lists them per job.

The coefficients are refitted from a run's own measurements: every point job records Snakemake's
``benchmark:`` file (``benchmarks/<study>/<experiment>/<point>.tsv``), and :func:`refit` fits each study's
coefficients (the fixed cost included) to those seconds by non-negative least squares
(``benchmarks/refit_cost.py`` prints them and the predicted against the measured time per study). The
values below were fitted to the 164 point jobs of a paper-scale run on the project's 2-core machine
(2026-11-27) and checked against the run published in ``docs/paper-scale/`` (same config, a second run):
per study, the prediction is within 1.5x of the measured CPU time; per job, within about 3x (small jobs,
whose fixed cost varies, are the worst). Tables, checks and figures (cheap) are not counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

COEFFICIENTS: dict[str, tuple[float, ...]] = {
    "estimation": (4.84, 3.36e-11, 1.67e-4),
    "pareto": (2.58, 5.85e-8),
    "bandits": (14.2, 8.12e-7, 1.73e-10),
}
"""Seconds per unit of each work feature (module docstring; the first is the fixed cost of a job), per study."""


def work_table(config: Mapping[str, Any]) -> pd.DataFrame:
    """One row per point job: study, experiment, point and its work features (each study's ``cost_features``)."""
    from .study import load, points, studies

    rows = []
    for study in studies(config):
        features = load(study.cost_features)
        block = config[study.name]
        for experiment in block["experiments"]:
            for point in points(study, block, experiment):
                rows.append(
                    {"study": study.name, "experiment": experiment, "point": point.label, "work": features(point)}
                )
    return pd.DataFrame(rows, columns=["study", "experiment", "point", "work"])


def job_table(config: Mapping[str, Any], coefficients: Mapping[str, tuple[float, ...]] = COEFFICIENTS) -> pd.DataFrame:
    """:func:`work_table` with each job's predicted seconds."""
    jobs = work_table(config)
    seconds = []
    for study, work in zip(jobs["study"], jobs["work"], strict=True):
        if len(coefficients[study]) != len(work):
            raise ValueError(
                f"cost model of {study!r}: {len(coefficients[study])} coefficients for {len(work)} work features "
                "(refit them: benchmarks/refit_cost.py)"
            )
        seconds.append(float(np.dot(coefficients[study], work)))
    return jobs.assign(seconds=seconds)


def estimate_cost(config: Mapping[str, Any]) -> pd.DataFrame:
    """One row per study in ``config``: point jobs, CPU-minutes, and the longest single job.

    Examples
    --------
    >>> import yaml
    >>> cost = estimate_cost(yaml.safe_load(open("config/smoke.yaml")))  # doctest: +SKIP
    >>> list(cost.columns)  # doctest: +SKIP
    ['study', 'point_jobs', 'cpu_minutes', 'longest_job_minutes']
    """
    jobs = job_table(config)
    rows = []
    for study, group in jobs.groupby("study", sort=False):
        seconds = group["seconds"].to_numpy()
        rows.append(
            {
                "study": study,
                "point_jobs": int(seconds.size),
                "cpu_minutes": float(seconds.sum() / 60),
                "longest_job_minutes": float(seconds.max() / 60),
            }
        )
    return pd.DataFrame(rows, columns=["study", "point_jobs", "cpu_minutes", "longest_job_minutes"])


def measured_seconds(jobs: pd.DataFrame, benchmark_root: str | Path) -> pd.Series:
    """Snakemake's measured seconds of every job of ``jobs`` (NaN where its benchmark file is missing)."""
    root = Path(benchmark_root)
    values = []
    for row in jobs.itertuples(index=False):
        path = root / row.study / row.experiment / f"{row.point}.tsv"
        values.append(float(pd.read_csv(path, sep="\t")["s"].iloc[0]) if path.exists() else np.nan)
    return pd.Series(values, index=jobs.index, name="measured")


def refit(config: Mapping[str, Any], benchmark_root: str | Path) -> dict[str, tuple[float, ...]]:
    """Each study's coefficients (fixed cost first) fitted to a run's benchmark files by non-negative least
    squares."""
    from scipy.optimize import nnls

    jobs = work_table(config)
    jobs["measured"] = measured_seconds(jobs, benchmark_root)
    fitted = {}
    for study, group in jobs.dropna(subset=["measured"]).groupby("study", sort=False):
        features = np.array(group["work"].tolist(), dtype=float)
        scale = features.max(axis=0)
        scale[scale == 0] = 1.0
        solution, _ = nnls(features / scale, group["measured"].to_numpy())
        fitted[study] = tuple(float(value) for value in solution / scale)
    return fitted


def point_runtime_minutes(longest_job_minutes: float, minimum: int, attempt: int = 1) -> int:
    """Cluster ``runtime`` of a point job: three times the model's longest job (the model is right within
    about a factor of 3), at least ``minimum`` minutes, doubled on every retry (``attempt`` 1, 2, ...)."""
    if attempt < 1:
        raise ValueError(f"attempt must be >= 1, got {attempt}")
    return max(int(minimum), math.ceil(3 * float(longest_job_minutes))) * 2 ** (attempt - 1)


def format_cost(config: Mapping[str, Any], cores: int | None = None) -> str:
    """A few lines for the terminal: per study and total, with wall-clock time on ``cores`` cores."""
    cost = estimate_cost(config)
    scale = config.get("scale", "?")
    lines = [f"Estimated cost at scale {scale!r} (model: banditlab.cost; per study within ~1.5x, per job ~3x):"]
    for row in cost.itertuples(index=False):
        lines.append(
            f"  {row.study:<11} {row.point_jobs:>5} point jobs  {row.cpu_minutes:>10.1f} CPU-min  "
            f"(longest job {row.longest_job_minutes:.1f} min)"
        )
    total = float(cost["cpu_minutes"].sum())
    lines.append(
        f"  {'total':<11} {int(cost['point_jobs'].sum()):>5} point jobs  {total:>10.1f} CPU-min"
        + (f"  ~ {total / max(cores, 1):.1f} min wall on {cores} cores" if cores else "")
    )
    return "\n".join(lines)
