"""Cheap a-priori cost estimate of a workflow config (no simulation): jobs and CPU-minutes per study.

Printed by ``snakemake -n`` (see workflow/rules/common.smk) so a paper-scale run is sized before it is
started. Per-job cost model (CPU seconds, one core per job):

``sum_k COEFFICIENTS[study][k] x work_k``, where the first work feature is 1 (its coefficient is the job's
fixed cost: interpreter start, package imports, numba's cached kernels, table I/O) and the others count the
dominant operations of a point job (:func:`job_table` lists them per job):

==========  =====================================================================================
study       work features of one parameter-point job
==========  =====================================================================================
estimation  ``reps x estimators x N x d^2 x (n_j + d)`` (Gram matrices, OLS and LASSO per instance;
            ``n_j = n_target`` with ``draw: statistics``) and ``reps x estimators x N`` (per-instance
            Python work, which dominates with many small instances)
pareto      ``reps x policies x T x K`` (one pass over the horizon per policy)
bandits     ``reps x policy runs x T_total`` (per-round Python work) and ``reps x policy runs x T_total x d^2``
            (the rank-one Gram updates and the d x d solves of the estimates)
==========  =====================================================================================

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


def _estimation_jobs(block: Mapping[str, Any]) -> list[tuple[str, str, tuple[float, ...]]]:
    from banditlab.estimation.experiments import study_points

    n_estimators = len(block.get("estimators", ())) or 6
    jobs = []
    for study, spec in block["studies"].items():
        reps = int(spec.get("replicates", block["replicates"])) * n_estimators
        for label, point in study_points(block, study):
            N, d, n = int(point["n_instances"]), int(point["dim"]), int(point["n_per_instance"])
            if point.get("draw") == "statistics":
                n = int(point["n_target"])  # the statistics are drawn in O(d^3); only the target's rows are drawn
            elif point["regime"] == "data_poor":
                n = max(n, int(point["n_target"]))
            jobs.append((study, label, (1.0, reps * N * d**2 * (n + d), reps * N)))
    return jobs


def _pareto_jobs(block: Mapping[str, Any]) -> list[tuple[str, str, tuple[float, ...]]]:
    from banditlab.pareto.experiments import experiment_points

    n_policies = len(block["policies"])
    jobs = []
    for experiment, points in experiment_points(dict(block)).items():
        reps = int(block["experiments"][experiment]["replicates"])
        for label, point in points.items():
            jobs.append((experiment, label, (1.0, reps * n_policies * int(point["T"]) * int(point["K"]))))
    return jobs


def _bandit_runs(experiment: str, label: str, spec: Mapping[str, Any], n_policies: int) -> tuple[int, float, int]:
    """(policy runs, total horizon T, dimension d) of one bandit point."""
    if experiment in ("regret_vs_t", "regret_vs_t_no_diversity"):
        runs = len(spec.get("policies", ())) or n_policies
        return runs, spec["N"] * spec["T_per_instance"], spec["d"]
    if experiment == "regret_vs_d":
        return n_policies, spec["N"] * spec["T_per_instance"], int(label[1:])
    if experiment == "regret_vs_n":
        return n_policies, int(label[1:]) * spec["T_per_instance"], spec["d"]
    if experiment == "data_poor":
        d = int(label[1:])
        return len(spec["policies"]), spec["T_target"] * (1 + spec["ratio_scale"] * d**2), d
    if experiment == "network":
        return len(spec["policies"]) * len(spec["n_tilde"]), spec["N"] * spec["T_per_instance"], spec["d"]
    runs = 2 * (len(spec["forced_scale"]) + len(spec["h"]) + len(spec["eta10"]))  # sensitivity
    return runs, spec["N"] * spec["T_per_instance"], spec["d"]


def _bandits_jobs(block: Mapping[str, Any]) -> list[tuple[str, str, tuple[float, ...]]]:
    from banditlab.bandits.experiments import EXPERIMENTS, points

    reps = int(block["replicates"])
    jobs = []
    for experiment in EXPERIMENTS:
        if experiment not in block:
            continue
        for label in points(experiment, dict(block)):
            runs, horizon, d = _bandit_runs(experiment, label, block[experiment], len(block["policies"]))
            rounds = reps * runs * float(horizon)
            jobs.append((experiment, label, (1.0, rounds, rounds * d**2)))
    return jobs


JOBS_OF_STUDY = {"estimation": _estimation_jobs, "pareto": _pareto_jobs, "bandits": _bandits_jobs}


def work_table(config: Mapping[str, Any]) -> pd.DataFrame:
    """One row per point job: study, experiment, point and its work features (module docstring)."""
    rows = [
        {"study": study, "experiment": experiment, "point": point, "work": work}
        for study, jobs in JOBS_OF_STUDY.items()
        if study in config
        for experiment, point, work in jobs(config[study])
    ]
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
