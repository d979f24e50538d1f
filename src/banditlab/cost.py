"""Cheap a-priori cost estimate of a workflow config (no simulation): jobs and CPU-minutes per study.

Printed by ``snakemake -n`` (see workflow/rules/common.smk) so a paper-scale run is sized before it is
started. Per-job cost model (CPU seconds, one core per job):

``JOB_OVERHEAD_S + coefficient x work``, where ``work`` counts the dominant operations of a point job:

==========  ============================================================================  ===========
study       work of one parameter-point job                                               coefficient
==========  ============================================================================  ===========
estimation  replicates x N x d^2 x (n_j + d)  (Gram matrices, OLS and LASSO per instance;    ESTIMATION_S
            n_j = n_target with draw: statistics)
pareto      replicates x policies x T x K     (one pass over the horizon per policy)       PARETO_S
bandits     policy runs x T_total x d         (per-round scores dominate at long horizons)  BANDITS_S
==========  ============================================================================  ===========

The estimation and pareto coefficients were fitted by timing ``run_point`` of the largest quick-scale
points (config/config.yaml) on one core of the 2-core development machine (estimation 1.4e-9, pareto
1.9e-7 s per unit). The bandits coefficient was fitted on one replicate of two paper-scale points
(regret_vs_d at d = 160: 5.8e-8; network at alpha = 1: 2.1e-8 s per unit); an earlier d^2 model fitted at
quick scale over-predicted those points about 50-fold. The model is meant to be right within a factor of
about 3, enough to choose ``--cores`` and the cluster ``runtime``.
Tables, checks and figures (cheap) are not counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

JOB_OVERHEAD_S = 4.0
"""Interpreter start, package imports and table I/O of any job."""
ESTIMATION_S = 1.5e-9
PARETO_S = 2.0e-7
BANDITS_S = 3.5e-8


def _estimation_jobs(block: Mapping[str, Any]) -> list[float]:
    from banditlab.estimation.experiments import study_points

    seconds = []
    for study, spec in block["studies"].items():
        reps = int(spec.get("replicates", block["replicates"]))
        for _, point in study_points(block, study):
            N, d, n = int(point["n_instances"]), int(point["dim"]), int(point["n_per_instance"])
            if point.get("draw") == "statistics":
                n = int(point["n_target"])  # the statistics are drawn in O(d^3); only the target's rows are drawn
            elif point["regime"] == "data_poor":
                n = max(n, int(point["n_target"]))
            seconds.append(ESTIMATION_S * reps * N * d**2 * (n + d))
    return seconds


def _pareto_jobs(block: Mapping[str, Any]) -> list[float]:
    from banditlab.pareto.experiments import experiment_points

    n_policies = len(block["policies"])
    seconds = []
    for experiment, points in experiment_points(dict(block)).items():
        reps = int(block["experiments"][experiment]["replicates"])
        for point in points.values():
            seconds.append(PARETO_S * reps * n_policies * int(point["T"]) * int(point["K"]))
    return seconds


def _bandits_jobs(block: Mapping[str, Any]) -> list[float]:
    from banditlab.bandits.experiments import points

    reps = int(block["replicates"])
    n_policies = len(block["policies"])
    seconds = []
    for experiment in ("regret_vs_t", "regret_vs_d", "regret_vs_n", "data_poor", "network", "sensitivity"):
        spec = block[experiment]
        for label in points(experiment, dict(block)):
            if experiment == "regret_vs_t":
                runs, T, d = n_policies, spec["N"] * spec["T_per_instance"], spec["d"]
            elif experiment == "regret_vs_d":
                runs, T, d = n_policies, spec["N"] * spec["T_per_instance"], int(label[1:])
            elif experiment == "regret_vs_n":
                runs, T, d = n_policies, int(label[1:]) * spec["T_per_instance"], spec["d"]
            elif experiment == "data_poor":
                d = int(label[1:])
                runs, T = len(spec["policies"]), spec["T_target"] * (1 + spec["ratio_scale"] * d**2)
            elif experiment == "network":
                runs = len(spec["policies"]) * len(spec["n_tilde"])
                T, d = spec["N"] * spec["T_per_instance"], spec["d"]
            else:
                runs = 2 * (len(spec["forced_scale"]) + len(spec["h"]) + len(spec["eta10"]))
                T, d = spec["N"] * spec["T_per_instance"], spec["d"]
            seconds.append(BANDITS_S * reps * runs * float(T) * d)
    return seconds


ESTIMATORS_OF_JOBS = {"estimation": _estimation_jobs, "pareto": _pareto_jobs, "bandits": _bandits_jobs}


def estimate_cost(config: Mapping[str, Any]) -> pd.DataFrame:
    """One row per study in ``config``: point jobs, CPU-minutes, and the longest single job.

    Examples
    --------
    >>> import yaml
    >>> cost = estimate_cost(yaml.safe_load(open("config/smoke.yaml")))  # doctest: +SKIP
    >>> list(cost.columns)  # doctest: +SKIP
    ['study', 'point_jobs', 'cpu_minutes', 'longest_job_minutes']
    """
    rows = []
    for study, jobs in ESTIMATORS_OF_JOBS.items():
        if study not in config:
            continue
        seconds = np.asarray(jobs(config[study]), dtype=float) + JOB_OVERHEAD_S
        rows.append(
            {
                "study": study,
                "point_jobs": int(seconds.size),
                "cpu_minutes": float(seconds.sum() / 60),
                "longest_job_minutes": float(seconds.max() / 60) if seconds.size else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["study", "point_jobs", "cpu_minutes", "longest_job_minutes"])


def point_runtime_minutes(longest_job_minutes: float, minimum: int, attempt: int = 1) -> int:
    """Cluster ``runtime`` of a point job: three times the model's longest job (the model is right within
    about a factor of 3), at least ``minimum`` minutes, doubled on every retry (``attempt`` 1, 2, ...)."""
    if attempt < 1:
        raise ValueError(f"attempt must be >= 1, got {attempt}")
    return max(int(minimum), math.ceil(3 * float(longest_job_minutes))) * 2 ** (attempt - 1)


def format_cost(config: Mapping[str, Any], cores: int | None = None) -> str:
    """A few lines for the terminal: per study and total, with wall-clock time on ``cores`` cores."""
    cost = estimate_cost(config)
    lines = [f"Estimated cost at scale {config.get('scale', '?')!r} (model: banditlab.cost; right within ~3x):"]
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
