"""Figures of the estimation study: each draws one experiment's results table, and nothing else.

Every function takes ``tables`` (the experiment's table by name) and the figure's ``options`` and returns
the figure; :func:`banditlab.figures.save_figure` writes it. All are drawn in the package's one style
(:mod:`banditlab.style`). Every estimator in the table is drawn, named by its class's ``label``: the five of
paper 000 and ours with :data:`STYLES` (colours :data:`COLORS`), any other (a user's class, named by import
path) with the next colour, marker and the dash-dot line of :func:`banditlab.style.series_styles`
(:func:`styles`). Table 1's predicted slopes are computed here from :mod:`.theory` on the table's own grid.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import registry, style
from ..style import DASHED, DOTTED, SeriesStyle
from . import theory
from .measure import coupled_factors, measured_factors, rate_point, table1_axis

ESTIMATOR_ORDER = list(theory.ESTIMATOR_NAMES)

AXIS_LABELS = {
    "n_per_instance": "n (observations per instance)",
    "n_target": "n (observations of the data-poor target)",
    "dim": "d (dimension)",
    "n_instances": "N (instances)",
    "sparsity": "s (sparsity of the deviations)",
    "trim_fraction": "trimming level omega",
    "deviation_size": "deviation size |delta_j,i|",
}
AXIS_WORDS = {
    "n_per_instance": "n",
    "n_target": "the target's n",
    "dim": "d",
    "n_instances": "N",
    "sparsity": "s",
    "deviation_size": "the deviation size",
}
CASE_WORDS = {
    "benign": "benign instance",
    "hard": "hard instance (deviations just above the LASSO cut-off)",
    "construction": "Appendix B construction",
    "other": "",
}
_C = style.BUILTIN_COLORS
STYLES = {
    "independent_ols": SeriesStyle(registry.method_label("independent_ols"), _C["blue"], "s"),
    "averaging": SeriesStyle(registry.method_label("averaging"), _C["red"], "v", DASHED, filled=False),
    "pooling": SeriesStyle(registry.method_label("pooling"), _C["green"], "^"),
    "averaging_multitask": SeriesStyle(registry.method_label("averaging_multitask"), _C["yellow"], "D"),
    "robust_multitask": SeriesStyle(registry.method_label("robust_multitask"), _C["purple"], "o"),
    "median_shrinkage": SeriesStyle(registry.method_label("median_shrinkage"), _C["cyan"], "P", DASHED, filled=False),
}
"""How each built-in estimator is drawn: the same colour and marker as its bandit counterpart
(:data:`banditlab.bandits.figures.STYLES`); dashed lines with open markers on top of solid ones, so that two
estimators with nearly equal errors (averaging and pooling) both stay visible."""
COLORS = {name: series.color for name, series in STYLES.items()}
BUILTIN_ORDER = [*ESTIMATOR_ORDER, "median_shrinkage"]
LABELS = {name: series.label for name, series in STYLES.items()}
"""Legend names of the built-in estimators: their classes' ``label`` attributes."""


def estimators_of(table: pd.DataFrame) -> list[str]:
    """The estimators of ``table`` in drawing order: the built-in ones in :data:`BUILTIN_ORDER`, then the
    others in their order in the table."""
    present = list(dict.fromkeys(table["estimator"]))
    return [name for name in BUILTIN_ORDER if name in present] + [name for name in present if name not in BUILTIN_ORDER]


def series(names: list[str]) -> dict[str, SeriesStyle]:
    """``{name: SeriesStyle}``: :data:`STYLES` where it knows the name, else a user's style
    (:func:`banditlab.style.series_styles`)."""
    return style.series_styles(names, STYLES)


def styles(names: list[str]) -> dict[str, tuple[str, str]]:
    """``{name: (label, colour)}`` of :func:`series` (the label of a user's class: its ``label`` attribute)."""
    return {name: (drawn.label, drawn.color) for name, drawn in series(names).items()}


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


def _instance(table: pd.DataFrame) -> str:
    return "target" if table["regime"].iloc[0] == "data_poor" else "mean"


def _l1_summary(table: pd.DataFrame, axis: str) -> pd.DataFrame:
    rows = table[(table["metric"] == "l1") & (table["instance"].astype(str) == _instance(table))]
    grouped = rows.groupby(["estimator", axis])["error"]
    return grouped.agg(["mean", "std", "count"]).reset_index()


def _error_label(table: pd.DataFrame) -> str:
    return "mean l1 error " + ("of the data-poor target" if _instance(table) == "target" else "over instances")


def _measured(ax, summary: pd.DataFrame, axis: str, estimator: str, drawn: SeriesStyle):
    part = summary[summary["estimator"] == estimator]
    part = part.assign(x=part[axis].astype(float)).sort_values("x")
    se = (part["std"] / np.sqrt(part["count"])).fillna(0.0)
    if part.empty:
        return part
    style.plot_series(ax, part["x"], part["mean"], drawn, yerr=se)
    return part


def _title(table: pd.DataFrame, axis: str, what: str) -> str:
    case = CASE_WORDS.get(str(table["case"].iloc[0]), "")
    regime = "data-poor target" if _instance(table) == "target" else ""
    where = ", ".join(part for part in (case, regime) if part)
    return f"{what} against {AXIS_WORDS.get(axis, axis)}" + (f": {where}" if where else "")


@style.styled
def error_curve(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Log-log mean l1 error against the experiment's axis; where Table 1 gives a rate on this instance (every
    case but ``other``), its predicted slope for each of the paper's five estimators, dotted."""
    table = _table(tables)
    axis = table["axis"].iloc[0]
    summary = _l1_summary(table, axis)
    fig, axes = style.subplots()
    ax = axes[0, 0]
    drawn = {name: _measured(ax, summary, axis, name, look) for name, look in series(estimators_of(table)).items()}
    labelled = False
    for estimator, part in drawn.items() if str(table["case"].iloc[0]) != "other" else ():
        x, y = part["x"].to_numpy(), part["mean"].to_numpy()
        slope = _table1_slope(table, estimator, axis, x) if len(x) else None
        if slope is not None:  # Table 1's slope through the geometric centre of the measured curve
            centre_x, centre_y = np.exp(np.log(x).mean()), np.exp(np.log(y).mean())
            label = "_slope" if labelled else "Table 1 slope (dotted)"
            reference = centre_y * (x / centre_x) ** slope
            ax.plot(x, reference, ls=DOTTED, lw=1.1, color=STYLES[estimator].color, label=label)
            labelled = True
    style.log_axis(ax, "x", at=summary[axis].astype(float))
    style.log_axis(ax, "y")
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    ax.set_ylabel(_error_label(table))
    style.set_title(ax, _title(table, axis, "Estimation error"))
    style.legend(ax)
    return fig


@style.styled
def theorem1_level(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Theorem 1 at a failure probability below 1: every estimator's mean l1 error against the axis, the robust
    estimator's per-replicate errors (dots) and Theorem 1's upper bound (dotted), with the share of replicates
    above it in the legend."""
    table = _table(tables)
    axis = table["axis"].iloc[0]
    summary = _l1_summary(table, axis)
    fig, axes = style.subplots()
    ax = axes[0, 0]
    drawn = series(estimators_of(table))
    for estimator, look in drawn.items():
        _measured(ax, summary, axis, estimator, look)
    rows = table[table["estimator"] == "robust_multitask"]
    measured = rows[(rows["metric"] == "l1") & (rows["instance"].astype(str) == _instance(table))]
    bound = rows[rows["metric"] == "upper_bound"]
    if not bound.empty and not measured.empty:
        look = drawn["robust_multitask"]
        paired = measured.merge(bound, on=[axis, "replicate"], suffixes=("", "_bound"))
        above, total = int((paired["error"] > paired["error_bound"]).sum()), len(paired)
        ax.scatter(paired[axis].astype(float), paired["error"], s=8, color=look.color, alpha=0.35, lw=0, label="_dots")
        level = bound.groupby(bound[axis].astype(float))["error"].mean()
        failure = float(rows.loc[rows["metric"] == "upper_bound_failure_probability", "error"].max())
        label = f"Theorem 1's upper bound: {above} of {total} replicates above (failure probability {failure:.2g})"
        ax.plot(level.index, level.to_numpy(), ls=DOTTED, lw=1.6, color=look.color, label=label)
    style.log_axis(ax, "x", at=summary[axis].astype(float))
    style.log_axis(ax, "y")
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    ax.set_ylabel(_error_label(table))
    style.set_title(ax, f"Robust estimator against Theorem 1's upper bound, along {AXIS_WORDS.get(axis, axis)}")
    style.legend(ax)
    return fig


@style.styled
def trim_sensitivity(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Error of every estimator against the robust estimator's trimming level omega."""
    table = _table(tables)
    summary = _l1_summary(table, "trim_fraction")
    fig, axes = style.subplots()
    ax = axes[0, 0]
    for estimator, drawn in series(estimators_of(table)).items():
        _measured(ax, summary, "trim_fraction", estimator, drawn)
    style.linear_axis(ax, "x", at=summary["trim_fraction"].astype(float).unique())
    style.log_axis(ax, "y")
    ax.set_xlabel(AXIS_LABELS["trim_fraction"] + " (0: the plain mean of averaging multitask)")
    ax.set_ylabel(_error_label(table))
    style.set_title(ax, "Estimation error against the trimming level (only the robust estimator trims)")
    style.legend(ax)
    return fig


@style.styled
def support_alignment(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Bars: error of every estimator when the deviations' supports are random, aligned or disjoint."""
    table = _table(tables)
    summary = _l1_summary(table, "support")
    supports = list(dict.fromkeys(table["support"]))
    drawn = series(estimators_of(table))
    width = 0.8 / len(drawn)
    fig, axes = style.subplots()
    ax = axes[0, 0]
    for k, (estimator, look) in enumerate(drawn.items()):
        part = summary[summary["estimator"] == estimator].set_index("support").reindex(supports)
        se = (part["std"] / np.sqrt(part["count"])).fillna(0.0)
        x = np.arange(len(supports)) + (k - (len(drawn) - 1) / 2) * width
        hatch = "//" if look.linestyle == style.USER_LINESTYLE else None
        bars = {"hatch": hatch, "edgecolor": "white", "error_kw": {"ecolor": "0.45"}}
        ax.bar(x, part["mean"], width, yerr=se, color=look.color, label=look.label, **bars)
    ax.set_xticks(np.arange(len(supports)), supports)
    ax.grid(False, axis="x")
    style.linear_axis(ax, "y", zero=True)
    ax.set_xlabel("supports of the deviations delta_j")
    ax.set_ylabel(_error_label(table))
    style.set_title(ax, "Estimation error by the alignment of the deviations' supports (Section 3.3)")
    style.legend(ax)
    return fig


def _bound_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per (estimator, grid point): mean measured l1 error, its se, the mean explicit bound and its kind."""
    axis = table["axis"].iloc[0]
    measured = table[(table["metric"] == "l1") & (table["instance"].astype(str) == _instance(table))]
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


@style.styled
def bounds(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Measured error (markers, two standard errors) against the explicit lower bounds (Props. 4-7, dashed) and
    Theorem 1's upper bound (dotted), each in its estimator's colour; open markers: Proposition 7's
    construction (as the proof needs it) does not hold there."""
    table = _table(tables)
    summary = _bound_summary(table)
    axis = table["axis"].iloc[0]
    measured = _l1_summary(table, axis)
    fig, axes = style.subplots(size=(4.4, 3.8), legend=2.6)
    ax = axes[0, 0]
    for estimator, drawn in series(estimators_of(table)).items():
        part = summary[summary["estimator"] == estimator]
        if part.empty:  # no explicit bound of the paper (an estimator beyond it): the measured error alone
            alone = measured[measured["estimator"] == estimator]
            alone = alone.assign(x=alone[axis].astype(float)).sort_values("x")
            se = (alone["std"] / np.sqrt(alone["count"])).fillna(0.0)
            style.plot_series(ax, alone["x"], alone["mean"], drawn, yerr=2 * se)
            continue
        se = (part["std"] / np.sqrt(part["count"])).fillna(0.0)
        style.plot_series(ax, part["x"], part["mean"], drawn, yerr=2 * se)
        if not part["applies"].all():  # open markers where the construction does not hold
            closed = part[~part["applies"]]
            ax.plot(closed["x"], closed["mean"], ls="none", marker=drawn.marker, mfc="white", mec=drawn.color, zorder=3)
        kind = part["bound_type"].iloc[0]
        ax.plot(
            part["x"],
            part["bound"],
            ls=DOTTED if kind == "upper_bound" else DASHED,
            lw=2.2,  # wide and under the measured lines: a bound that meets a measured curve peeks out around it
            alpha=0.75,
            zorder=1.5,
            color=drawn.color,
            label=f"{_BOUND_SOURCE.get(estimator, drawn.label)} ({kind.replace('_', ' ')})",
        )
    style.log_axis(ax, "x", at=summary["x"] if not summary.empty else measured[axis].astype(float))
    style.log_axis(ax, "y")
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    ax.set_ylabel("mean l1 error (Sigma-hat = I, Gaussian noise)")
    style.set_title(ax, "Measured error (markers) against the explicit bounds (dashed: lower, dotted: upper)")
    style.legend(ax)
    return fig


__all__ = [
    "bounds",
    "error_curve",
    "estimators_of",
    "series",
    "styles",
    "support_alignment",
    "theorem1_level",
    "trim_sensitivity",
]
