"""Cheap a-priori cost estimate of a workflow config (no simulation): jobs and CPU-minutes per study.

Printed by ``snakemake -n`` (see workflow/rules/common.smk) so a paper-scale run is sized before it is
started. Per-job cost model (CPU seconds, one core per job):

``sum_k COEFFICIENTS[study][k] x work_k``, where the first work feature is 1 (its coefficient is the job's
fixed cost: interpreter start, package imports, numba's cached kernels, table I/O) and the others count the
dominant operations of a point job: each study declares them (``Study.cost_features``, e.g.
:func:`banditlab.estimation.experiments.cost_features`); :func:`job_table` lists them per job.

The coefficients are refitted from a run's own measurements: every point job (a batch of points) records
Snakemake's ``benchmark:`` file (``benchmarks/<study>/<experiment>/batch<index>.tsv``), and :func:`refit` fits
each study's coefficients (the fixed cost included) to those seconds by non-negative least squares
(``benchmarks/refit_cost.py`` prints them and the predicted against the measured time per study). The values
below were fitted jointly to the batches of a quick and a paper-scale run on the project's 2-core machine, each
batch weighted by one over the square root of its seconds so that neither the many small jobs nor the few large
ones decide alone; the published run's provenance (``docs/paper-scale/provenance.yaml``) gives the prediction
beside the measured CPU time per study, which the tests hold within 1.5x. The jobs besides the points (the kernel
cache, tables, checks, figures, notebooks, report) are priced by :data:`TAIL_SECONDS`, measured on the paper-scale
run's log (``refit_cost.py --log``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

COEFFICIENTS: dict[str, tuple[float, ...]] = {
    "estimation": (1.56, 2.01e-11, 4.66e-5),
    "pareto": (0.095, 8.67e-8),
    "bandits": (2.75, 4.93e-7, 1.25e-10),
}
"""Seconds per unit of each work feature (module docstring; the first is the fixed cost of a job), per study."""

TAIL_SECONDS: dict[str, float] = {
    "kernels": 9.7,
    "experiment_table": 0.8,
    "study_table": 2.7,
    "figure": 2.3,
    "report_table": 0.4,
    "notebook": 16.7,
    "ledger": 3.5,
    "report": 3.0,
}
"""CPU seconds of each kind of job besides the points (the kernel cache before them; the tables, figures,
notebooks and report after them), :func:`tail_jobs` counts them; measured on a run's log."""


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


def batch_table(
    config: Mapping[str, Any], coefficients: Mapping[str, tuple[float, ...]] = COEFFICIENTS
) -> pd.DataFrame:
    """One row per point job (a batch of points, :mod:`banditlab.batches`): study, experiment, batch index,
    its points' labels, its work features (the fixed-cost feature once, the others summed over its points)
    and its predicted seconds."""
    from .batches import plan_batches

    points = job_table(config, coefficients).set_index(["study", "experiment", "point"])
    rows = []
    for batch in plan_batches(config, coefficients):
        work = np.sum([points.loc[(batch.study, batch.experiment, label), "work"] for label in batch.labels], axis=0)
        work[0] = 1.0  # one fixed cost per job, whatever its number of points
        rows.append(
            {
                "study": batch.study,
                "experiment": batch.experiment,
                "batch": batch.index,
                "points": batch.labels,
                "work": tuple(float(value) for value in work),
                "seconds": batch.seconds,
            }
        )
    return pd.DataFrame(rows, columns=["study", "experiment", "batch", "points", "work", "seconds"])


def tail_jobs(config: Mapping[str, Any]) -> dict[str, int]:
    """How many jobs of each kind besides the points a run of ``config`` makes (:data:`TAIL_SECONDS`'s kinds)."""
    from .study import studies, study_figures, study_tables

    counts = dict.fromkeys(TAIL_SECONDS, 0)
    for study in studies(config):
        block = config[study.name]
        counts["kernels"] += 1
        counts["experiment_table"] += len(block["experiments"])
        counts["study_table"] += len(study_tables(study, block))
        counts["figure"] += len(study_figures(study, block))
        counts["notebook"] += 1
    counts["report_table"] = counts["study_table"] + 3  # every study table, the ledger, findings, beyond papers
    counts["ledger"] = 2  # the claims ledger and the beyond-papers table
    counts["report"] = 2  # provenance and the HTML report
    return counts


TAIL_RULES = {
    "kernels": "kernels",
    "experiment_table": "experiment_table",
    "study_table": "study_table",
    "figure": "figure",
    "report_table": "report_table",
    "notebook": "notebook",
    "claims_ledger": "ledger",
    "beyond_papers": "ledger",
    "report_provenance": "report",
    "report_html": "report",
}
"""The kind (:data:`TAIL_SECONDS`) of each rule after the points."""


def tail_seconds(log_text: str) -> dict[str, float]:
    """Mean seconds of each kind of tail job in a Snakemake run log (one-second stamps; the kinds of
    :data:`TAIL_SECONDS` that ran)."""
    from .publish import job_times

    jobs = job_times(log_text)
    jobs = jobs[jobs["rule"].isin(TAIL_RULES)]
    seconds = (pd.to_datetime(jobs["end"]) - pd.to_datetime(jobs["start"])).dt.total_seconds()
    means = seconds.groupby(jobs["rule"].map(TAIL_RULES)).mean()
    return {kind: round(float(means[kind]), 1) for kind in TAIL_SECONDS if kind in means}


def estimate_cost(config: Mapping[str, Any]) -> pd.DataFrame:
    """One row per study in ``config``: point jobs, their CPU-minutes, and the longest single job; then one
    row ``tail`` for the jobs after the points (tables, figures, notebooks, report; :func:`tail_jobs`).

    Examples
    --------
    >>> import yaml
    >>> cost = estimate_cost(yaml.safe_load(open("config/smoke.yaml")))  # doctest: +SKIP
    >>> list(cost.columns)  # doctest: +SKIP
    ['study', 'point_jobs', 'cpu_minutes', 'longest_job_minutes']
    """
    jobs = batch_table(config)
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
    tail = tail_jobs(config)
    seconds = [TAIL_SECONDS[kind] for kind, count in tail.items() for _ in range(count)]
    rows.append(
        {
            "study": "tail",
            "point_jobs": 0,
            "cpu_minutes": float(sum(seconds) / 60),
            "longest_job_minutes": float(max(seconds, default=0.0) / 60),
        }
    )
    return pd.DataFrame(rows, columns=["study", "point_jobs", "cpu_minutes", "longest_job_minutes"])


def measured_seconds(jobs: pd.DataFrame, benchmark_root: str | Path) -> pd.Series:
    """Snakemake's measured seconds of every job of ``jobs`` (:func:`batch_table`; NaN where its benchmark file,
    ``<study>/<experiment>/batch<index>.tsv``, is missing)."""
    root = Path(benchmark_root)
    values = []
    for row in jobs.itertuples(index=False):
        path = root / row.study / row.experiment / f"batch{row.batch}.tsv"
        values.append(float(pd.read_csv(path, sep="\t")["s"].iloc[0]) if path.exists() else np.nan)
    return pd.Series(values, index=jobs.index, name="measured")


def refit(config: Mapping[str, Any], benchmark_root: str | Path) -> dict[str, tuple[float, ...]]:
    """Each study's coefficients (fixed cost first) fitted to a run's benchmark files by non-negative least
    squares.

    The run's batches are those :data:`COEFFICIENTS` planned (refit before pasting new coefficients in): an
    experiment whose benchmark files do not match the planned batches in number is refused.
    """
    from scipy.optimize import nnls

    jobs = batch_table(config)
    root = Path(benchmark_root)
    for (study, experiment), group in jobs.groupby(["study", "experiment"], sort=False):
        files = len(list((root / study / experiment).glob("batch*.tsv")))
        if files and files != len(group):
            raise ValueError(
                f"{study}/{experiment}: {files} benchmark files for {len(group)} planned batches; the run was "
                "batched by other coefficients or another batch_seconds (refit right after the run)"
            )
    jobs["measured"] = measured_seconds(jobs, root)
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
    other = sum(tail_jobs(config).values())
    for row in cost.itertuples(index=False):
        jobs = f"{row.point_jobs:>5} point jobs" if row.study != "tail" else f"{other:>5} other jobs"
        longest = f"(longest job {row.longest_job_minutes:.1f} min)"
        lines.append(f"  {row.study:<11} {jobs}  {row.cpu_minutes:>10.1f} CPU-min  {longest}")
    total = float(cost["cpu_minutes"].sum())
    wall = max(total / max(cores or 1, 1), float(cost["longest_job_minutes"].max()))
    lines.append(
        f"  {'total':<11} {int(cost['point_jobs'].sum()):>5} point jobs  {total:>10.1f} CPU-min"
        + (f"  ~ {wall:.1f} min wall on {cores} cores" if cores else "")
    )
    lines.append("  (tail: the kernel cache before the points; the tables, figures, notebooks and report after them)")
    return "\n".join(lines)
