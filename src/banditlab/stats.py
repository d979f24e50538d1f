"""Estimates and standard errors shared by the three studies' checks (slopes, paired differences).

Every function takes the replicates of each grid point as arrays and returns ``(estimate, se)``; the
verdict engine (:mod:`banditlab.verdicts`) turns them into intervals and p-values.
"""

from __future__ import annotations

import numpy as np


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of log y on log x."""
    return float(np.polyfit(np.log(np.asarray(x, float)), np.log(np.asarray(y, float)), 1)[0])


def local_slope(function, grid: np.ndarray) -> float:
    """Least-squares log-log slope of ``function`` over ``grid`` (the exponent a term shows on that grid)."""
    return loglog_slope(grid, [function(float(x)) for x in grid])


def bootstrap_slope(
    values_by_point: list[np.ndarray], axis_values: np.ndarray, resamples: int, rng: np.random.Generator
) -> tuple[float, float]:
    """Slope of log(mean value) on log(axis) and its bootstrap standard error.

    Replicates are resampled within each grid point (independent points), ``resamples`` times: all the
    resamples of a point are drawn at once, and each resample's least-squares slope is computed in closed form,
    ``sum_i (x_i - x_bar) log m_i / sum_i (x_i - x_bar)^2`` with ``x = log(axis)``.
    """
    if resamples < 2:
        raise ValueError(f"resamples must be >= 2, got {resamples}")
    means = np.array([values.mean() for values in values_by_point])
    slope = loglog_slope(axis_values, means)
    boot = np.empty((resamples, len(values_by_point)))
    for point, values in enumerate(values_by_point):
        values = np.asarray(values, dtype=float)
        boot[:, point] = values[rng.integers(0, len(values), (resamples, len(values)))].mean(axis=1)
    x = np.log(np.asarray(axis_values, dtype=float))
    centred = x - x.mean()
    draws = np.log(boot) @ centred / (centred @ centred)  # centring log m too would change nothing: sum(centred) = 0
    return slope, float(draws.std(ddof=1))


def mean_se(values: np.ndarray) -> tuple[float, float]:
    """Mean and its standard error (inf with a single value: no error estimate)."""
    values = np.asarray(values, dtype=float)
    se = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else np.inf
    return float(values.mean()), float(se)
