"""Figures of the estimation study: each draws one experiment's results table, and nothing else.

Every function takes ``tables`` (the experiment's table by name) and the figure's ``options`` and returns
the figure; :func:`banditlab.figures.save_figure` writes it. Every estimator in the table is drawn, named
by its class's ``label``: the five of paper 000 and ours in the colours of :data:`COLORS`, any other (a
user's class, named by import path) in a colour of the fixed cycle :data:`banditlab.registry.EXTRA_COLORS`
(:func:`styles`). Table 1's predicted slopes are computed here from :mod:`.theory` on the table's own grid.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import registry
from . import theory
from .measure import coupled_factors, measured_factors, rate_point, table1_axis

ESTIMATOR_ORDER = list(theory.ESTIMATOR_NAMES)

AXIS_LABELS = {
    "n_per_instance": "n (observations per instance)",
    "dim": "d (dimension)",
    "n_instances": "N (instances)",
    "sparsity": "s (sparsity of deviations)",
    "trim_fraction": "trim fraction omega",
    "deviation_size": "deviation size |delta_j,i|",
}
COLORS = dict(zip(ESTIMATOR_ORDER, ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#AA3377"])) | {
    "median_shrinkage": "#66CCEE"
}
BUILTIN_ORDER = [*ESTIMATOR_ORDER, "median_shrinkage"]
LABELS = {name: registry.method_label(name) for name in BUILTIN_ORDER}
"""Legend names of the built-in estimators: their classes' ``label`` attributes."""


def estimators_of(table: pd.DataFrame) -> list[str]:
    """The estimators of ``table`` in drawing order: the built-in ones in :data:`BUILTIN_ORDER`, then the
    others in their order in the table."""
    present = list(dict.fromkeys(table["estimator"]))
    return [name for name in BUILTIN_ORDER if name in present] + [name for name in present if name not in BUILTIN_ORDER]


def styles(names: list[str]) -> dict[str, tuple[str, str]]:
    """``{name: (label, colour)}``: the class's label (:func:`banditlab.registry.method_label`), and
    :data:`COLORS` where it knows the name, else the next colour of the fixed cycle."""
    colours = registry.method_colors(names, COLORS)
    return {name: (registry.method_label(name), colours[name]) for name in names}


def _table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    (table,) = tables.values()
    return table


def _table1_slope(table: pd.DataFrame, estimator: str, axis: str, x: np.ndarray) -> float | None:
    """Table 1's slope for ``estimator`` along the experiment's grid (None where Table 1 has none)."""
    regime = str(table["regime"].iloc[0])
    rate_axis = table1_axis(axis, regime)
    if estimator not in ESTIMATOR_ORDER or rate_axis is None or len(x) < 2:
        return None
    measured = measured_factors(table, axis, x, estimator) | coupled_factors(table, axis, x)
    return theory.predicted_slope(estimator, regime, rate_axis, x, rate_point(table), measured)


def _l1_summary(table: pd.DataFrame, axis: str) -> pd.DataFrame:
    data_poor = table["regime"].iloc[0] == "data_poor"
    rows = table[(table["metric"] == "l1") & (table["instance"].astype(str) == ("target" if data_poor else "mean"))]
    grouped = rows.groupby(["estimator", axis])["error"]
    return grouped.agg(["mean", "std", "count"]).reset_index()


def error_curve(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Log-log mean l1 error against the experiment's axis, with Table 1's predicted slope for each estimator."""
    table = _table(tables)
    axis = table["axis"].iloc[0]
    study = table["study"].iloc[0]
    summary = _l1_summary(table, axis)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    style = styles(estimators_of(table))
    case_has_rates = str(table["case"].iloc[0]) != "other"
    for estimator, (label, colour) in style.items():
        part = summary[summary["estimator"] == estimator].sort_values(axis)
        if part.empty:
            continue
        x, y = part[axis].to_numpy(float), part["mean"].to_numpy()
        se = part["std"].to_numpy() / np.sqrt(part["count"].to_numpy())
        ax.errorbar(x, y, yerr=se, marker="o", ms=4, color=colour, label=label, capsize=2)
        slope = _table1_slope(table, estimator, axis, x) if case_has_rates else None
        if slope is not None:
            # Reference line with Table 1's slope through the geometric centre of the measured curve.
            centre_x, centre_y = np.exp(np.log(x).mean()), np.exp(np.log(y).mean())
            ax.plot(x, centre_y * (x / centre_x) ** slope, ls="--", lw=1, color=colour, alpha=0.7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    regime = table["regime"].iloc[0]
    ax.set_ylabel("mean l1 error" + (" of the data-poor target" if regime == "data_poor" else " over instances"))
    ax.set_title(f"{study}: measured (solid) and Table 1 slope (dashed, paper's estimators)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def trim_sensitivity(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Error of every estimator against the robust estimator's trimming level omega."""
    table = _table(tables)
    summary = _l1_summary(table, "trim_fraction")
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for estimator, (label, colour) in styles(estimators_of(table)).items():
        part = summary[summary["estimator"] == estimator]
        part = part.assign(x=part["trim_fraction"].astype(float)).sort_values("x")
        se = part["std"] / np.sqrt(part["count"])
        ax.errorbar(part["x"], part["mean"], yerr=se, marker="o", ms=4, color=colour, label=label, capsize=2)
    ax.set_yscale("log")
    ax.set_xlabel(AXIS_LABELS["trim_fraction"] + " (0 = plain mean: averaging multitask)")
    ax.set_ylabel("mean l1 error over instances")
    ax.set_title("Sensitivity to the trimming level (only the robust estimator uses it)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def support_alignment(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Bars: error of every estimator when the deviations' supports are random, aligned or disjoint."""
    table = _table(tables)
    summary = _l1_summary(table, "support")
    supports = list(dict.fromkeys(table["support"]))
    style = styles(estimators_of(table))
    width = 0.8 / len(style)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for k, (estimator, (label, colour)) in enumerate(style.items()):
        part = summary[summary["estimator"] == estimator].set_index("support").reindex(supports)
        se = part["std"] / np.sqrt(part["count"])
        ax.bar(np.arange(len(supports)) + k * width, part["mean"], width, yerr=se, color=colour, label=label)
    ax.set_xticks(np.arange(len(supports)) + 0.4 - width / 2, supports)
    ax.set_yscale("log")
    ax.set_ylabel("mean l1 error over instances")
    ax.set_title("Aligned vs poorly-aligned deviations (Section 3.3, Figure 1)", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _bound_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per (estimator, grid point): mean measured l1 error, its se, the mean explicit bound and its kind."""
    axis = table["axis"].iloc[0]
    instance = "target" if table["regime"].iloc[0] == "data_poor" else "mean"
    measured = table[(table["metric"] == "l1") & (table["instance"].astype(str) == instance)]
    stats = measured.groupby(["estimator", axis])["error"].agg(["mean", "std", "count"]).reset_index()
    bounds = table[table["metric"].isin(["lower_bound", "upper_bound"])]
    bound = bounds.groupby(["estimator", axis, "metric"])["error"].mean().reset_index()
    applies = table[table["metric"] == "lower_bound_applies_corrected"].groupby(["estimator", axis])["error"].min()
    out = bound.merge(stats, on=["estimator", axis]).rename(columns={"error": "bound", "metric": "bound_type"})
    out["applies"] = [applies.get((e, x), 1.0) == 1.0 for e, x in zip(out["estimator"], out[axis])]
    return out.assign(x=out[axis].astype(float)).sort_values("x")


_BOUND_SOURCE = {
    "independent_ols": "Proposition 4",
    "averaging": "Proposition 5",
    "pooling": "Proposition 6",
    "averaging_multitask": "Proposition 7",
    "robust_multitask": "Theorem 1",
}


def bounds(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Measured error against the explicit lower bounds (Props. 4-7) and Theorem 1's upper bound, from an
    experiment's results table; open markers: Proposition 7's construction (as the proof needs it) does not
    hold there."""
    table = _table(tables)
    summary = _bound_summary(table)
    axis = table["axis"].iloc[0]
    measured = _l1_summary(table, axis)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for estimator, (label, colour) in styles(estimators_of(table)).items():
        part = summary[summary["estimator"] == estimator]
        if part.empty:  # no explicit bound of the paper (an estimator beyond it): the measured error alone
            alone = measured[measured["estimator"] == estimator]
            alone = alone.assign(x=alone[axis].astype(float)).sort_values("x")
            se = alone["std"] / np.sqrt(alone["count"])
            ax.errorbar(alone["x"], alone["mean"], yerr=2 * se, marker="o", ms=3, color=colour, capsize=2, label=label)
            continue
        se = part["std"] / np.sqrt(part["count"])
        ax.errorbar(part["x"], part["mean"], yerr=2 * se, ls="-", color=colour, capsize=2, label=label)
        ax.scatter(part["x"], part["mean"], s=18, color=np.where(part["applies"], colour, "white"), edgecolors=colour)
        kind = part["bound_type"].iloc[0]
        ax.plot(
            part["x"],
            part["bound"],
            ls=":" if kind == "upper_bound" else "--",
            color=colour,
            label=f"{_BOUND_SOURCE[estimator]} ({kind.replace('_', ' ')})",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    ax.set_ylabel("mean l1 error (Sigma-hat = I, Gaussian noise)")
    ax.set_title("Measured error (solid) against the paper's explicit bounds (dashed, dotted)", fontsize=10)
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    return fig


__all__ = ["bounds", "error_curve", "estimators_of", "styles", "support_alignment", "trim_sensitivity"]
