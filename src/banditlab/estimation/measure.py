"""What an estimation results table says at one experiment's grid, shared by its checks and its figures.

The Table 1 point of an experiment (:func:`rate_point`), the variable of Table 1 its axis varies
(:func:`table1_axis`), the error rows Table 1 speaks of (:func:`rows_of_interest`), the factors of the
rates measured on the drawn data (:func:`measured_factors`) and the variables tied to the axis
(:func:`coupled_factors`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AXIS_TO_RATE = {"n_per_instance": "n", "n_target": "n", "dim": "d", "n_instances": "N", "sparsity": "s"}
"""Table 1's variable of each axis an experiment can vary."""

MEASURED = {"delta_l1": "bias_l1"}
"""Factors of the rates that are properties of the instance, and the metric that measures each on the data."""


def rows_of_interest(table: pd.DataFrame, metric: str = "l1") -> pd.DataFrame:
    """``metric`` rows (l1 errors by default) of the instance Table 1 speaks of: the mean instance, or the
    data-poor target."""
    data_poor = table["regime"].eq("data_poor")
    wanted = np.where(data_poor, "target", "mean")
    return table[(table["metric"] == metric) & (table["instance"].astype(str) == wanted)]


def coupled_factors(study_table: pd.DataFrame, axis: str, values: np.ndarray) -> dict[str, np.ndarray]:
    """Table 1's variables that move with the experiment's axis (N and n when an experiment ties them to d with
    ``instances_per_dim`` and ``observations_per_dim``), per grid value: ``{"N": [...], "n": [...]}``, or
    nothing."""
    out = {}
    standard = "regime" not in study_table or (study_table["regime"] == "standard").all()
    for column, key in (("n_instances", "N"), ("n_per_instance", "n")):
        if axis == column or column not in study_table or (key == "n" and not standard):
            continue
        per_value = study_table.groupby(study_table[axis].astype(float))[column].first().reindex(values)
        if per_value.nunique() > 1:
            out[key] = per_value.to_numpy(float)
    return out


def rate_point(study_table: pd.DataFrame) -> dict[str, float]:
    """The point of Table 1's rates at an experiment (``n, N, d, s, delta_l1, confidence``)."""
    first = study_table.iloc[0]
    data_poor = first["regime"] == "data_poor"
    return {
        "n": float(first["n_target"] if data_poor else first["n_per_instance"]),
        "N": float(first["n_instances"]),
        "d": float(first["dim"]),
        "s": float(first["sparsity"]),
        "delta_l1": float(first["sparsity"]) * float(first["deviation_size"]),
        "confidence": float(first["confidence"]),
    }


def table1_axis(axis: str, regime: str) -> str | None:
    """Table 1's variable along an experiment's axis (None: not one of Table 1's variables in this regime)."""
    if regime == "data_poor" and axis == "n_per_instance":
        return None  # n_i is tied to d^2 n_j in the data-poor experiments
    if regime == "standard" and axis == "n_target":
        return None
    return AXIS_TO_RATE.get(axis)


def measured_factors(study_table: pd.DataFrame, axis: str, values: np.ndarray, estimator: str) -> dict[str, np.ndarray]:
    """Per grid value, the mean over replicates of every measured factor the estimator's rows carry."""
    instance = "target" if study_table["regime"].iloc[0] == "data_poor" else "mean"
    rows = study_table[(study_table["estimator"] == estimator) & (study_table["instance"].astype(str) == instance)]
    out = {}
    for key, metric in MEASURED.items():
        metric_rows = rows[rows["metric"] == metric]
        if not metric_rows.empty:
            means = metric_rows.groupby(metric_rows[axis].astype(float))["error"].mean()
            out[key] = means.reindex(values).to_numpy()
    return out
