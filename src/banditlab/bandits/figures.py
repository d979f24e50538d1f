"""Figures of the bandit regret study; each draws one experiment's results table, and nothing else.

Every function takes ``tables`` (the experiment's table by name) and the figure's ``options`` and returns
the figure; :func:`banditlab.figures.save_figure` writes it. All are drawn in the package's one style
(:mod:`banditlab.style`). Every policy in a table is drawn (the oracle, whose regret is 0, excepted): the
built-in ones with :data:`STYLES`, any other (a user's class, named by import path) with its class's
``label``, the next user colour and marker and the dash-dot line (:func:`banditlab.style.series_styles`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import style
from ..style import DASHED, DOTTED, SeriesStyle

_C = style.BUILTIN_COLORS
STYLES = {
    "rmbandit": SeriesStyle("RMBandit", _C["purple"], "o"),
    "am_bandit": SeriesStyle("Averaging multitask", _C["yellow"], "D", DASHED, filled=False),
    "pooled": SeriesStyle("Pooled", _C["green"], "^"),
    "ols_bandit": SeriesStyle("OLS Bandit (indep.)", _C["blue"], "s"),
    "lasso_bandit": SeriesStyle("LASSO Bandit (indep.)", _C["red"], "v", DASHED, filled=False),
    "greedy": SeriesStyle("Greedy (indep.)", _C["grey"], "X", DOTTED),
    "oracle": SeriesStyle("Oracle", _C["light grey"], ".", DOTTED),
    "median_bandit": SeriesStyle("Median shrinkage bandit (ours)", _C["cyan"], "P", DASHED, filled=False),
}
"""How each built-in policy is drawn: RMBandit and its variants in the colours and markers of their estimators
(:data:`banditlab.estimation.figures.STYLES`); dashed or dotted lines with open markers on top of solid ones,
so that two policies with nearly equal regret (RMBandit and averaging multitask without covariate diversity)
both stay visible."""
STYLE = {name: (drawn.label, drawn.color) for name, drawn in STYLES.items()}
"""``{policy: (label, colour)}`` of :data:`STYLES` (what the notebooks read)."""
SKIPPED = ("oracle",)
"""Policies not drawn: the oracle's regret is 0 by definition."""


def series(policies: Iterable[str]) -> dict[str, SeriesStyle]:
    """``{policy: SeriesStyle}``: :data:`STYLES` where it knows the name, else a user's style."""
    return style.series_styles(policies, STYLES)


def styles(policies: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``{policy: (label, colour)}`` of :func:`series`."""
    return {name: (drawn.label, drawn.color) for name, drawn in series(policies).items()}


def _order(policies: Iterable[str]) -> list[str]:
    present = list(dict.fromkeys(policies))
    return [p for p in STYLES if p in present] + [p for p in present if p not in STYLES]


def _stats(frame: pd.DataFrame, x: str) -> pd.DataFrame:
    stats = frame.groupby(x)["value"].agg(["mean", "std", "count"]).reset_index()
    stats["half"] = 1.96 * stats["std"].fillna(0) / np.sqrt(stats["count"])
    return stats


def _policies(ax, frame: pd.DataFrame, x: str, *, band: bool = True) -> dict[str, pd.DataFrame]:
    """Every policy's mean against ``x``, with a 95% band (or bars) over replicates; returns the means."""
    looks = series(_order(frame["policy"]))
    out = {}
    for policy, look in looks.items():
        if policy in SKIPPED:
            continue
        stats = _stats(frame[frame["policy"] == policy], x)
        low, high = stats["mean"] - stats["half"], stats["mean"] + stats["half"]
        if band:
            style.plot_series(ax, stats[x], stats["mean"], look, band=(low, high))
        else:
            style.plot_series(ax, stats[x], stats["mean"], look, yerr=stats["half"])
        out[policy] = stats
    return out


def _table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    (table,) = tables.values()
    return table


def _lock_in(ax, frame):
    """One dot per replicate: the share of instances locked onto a sub-optimal arm in the second half."""
    rng = np.random.default_rng(0)  # horizontal jitter only, so the figure is reproducible
    looks = {p: look for p, look in series(_order(frame["policy"])).items() if p not in SKIPPED}
    for i, (policy, look) in enumerate(looks.items()):
        values = frame.loc[frame["policy"] == policy, "value"].to_numpy()
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(values)), values, color=look.color, alpha=0.7, s=14, lw=0)
        ax.hlines(values.mean(), i - 0.3, i + 0.3, color=look.color, lw=2)
    ax.set_xticks(range(len(looks)), [look.label for look in looks.values()], rotation=30, ha="right")
    ax.grid(False, axis="x")
    ax.set_ylim(-0.05, 1.05)
    style.linear_axis(ax, "y", at=[0, 0.25, 0.5, 0.75, 1])
    ax.set_ylabel("share of instances locked on a worse arm")
    style.set_title(ax, "Per replicate (dots; line: mean): linear regret after T/2")


def _regret_against_t(ax, regret: pd.DataFrame) -> None:
    _policies(ax, regret, "t")
    style.log_axis(ax, "x")
    style.log_axis(ax, "y")
    ax.set_xlabel("t (total arrivals)")
    ax.set_ylabel("cumulative regret per instance")


@style.styled
def regret_vs_t_no_diversity(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret against t on contexts without covariate diversity, and each replicate's lock-in share."""
    table = _table(tables)
    fig, axes = style.subplots(1, 2, size=(3.7, 3.3))
    _regret_against_t(axes[0, 0], table[table["metric"] == "regret_per_instance"])
    style.set_title(axes[0, 0], "Cumulative regret per instance against t, without covariate diversity")
    _lock_in(axes[0, 1], table[table["metric"] == "locked_share"])
    style.legend(fig, [axes[0, 0]])
    return fig


@style.styled
def regret_vs_t(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Cumulative regret per instance against t (log-log), and against (log t)^2 (linear: Corollary 3's log^2 T
    growth is a straight line there); a policy far above the others leaves the right panel's frame."""
    table = _table(tables)
    fig, axes = style.subplots(1, 2, size=(3.7, 3.3))
    _regret_against_t(axes[0, 0], table)
    style.set_title(axes[0, 0], "Cumulative regret per instance against t")
    right = axes[0, 1]
    means = _policies(right, table.assign(log2t=np.log(table["t"]) ** 2), "log2t")
    final = {policy: float(stats["mean"].iloc[-1]) for policy, stats in means.items()}
    ranked = sorted(final.values())
    title = "Against (log t)^2: log^2 t growth is a straight line"
    if len(ranked) >= 2 and ranked[-1] > 3 * ranked[-2] > 0:  # one policy dwarfs the rest: cut it off
        right.set_ylim(0, 1.1 * ranked[-2])
        off = [series([p])[p].label for p, value in final.items() if value > 1.1 * ranked[-2]]
        title += f" ({', '.join(off)}: above the frame)"
    style.linear_axis(right, "y")
    right.set_xlabel("(log t)^2")
    right.set_ylabel("cumulative regret per instance")
    style.set_title(right, title)
    style.legend(fig, [axes[0, 0]])
    return fig


def _reference(ax, x: np.ndarray, shape: np.ndarray, through: pd.DataFrame | None, label: str, ls) -> None:
    """A bound's shape in x, scaled through the geometric centre of a measured curve (``through``)."""
    if through is None or through.empty:
        return
    y = through["mean"].to_numpy(float)
    scale = np.exp(np.mean(np.log(y[y > 0]))) / np.exp(np.mean(np.log(shape)))
    ax.plot(x, scale * shape, ls=ls, label=label, **style.REFERENCE)


def _regret_against(table: pd.DataFrame, column: str, xlabel: str, ylabel: str, title: str):
    fig, axes = style.subplots()
    ax = axes[0, 0]
    means = _policies(ax, table, column, band=False)
    style.log_axis(ax, "x", at=table[column].astype(float).unique())
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    style.set_title(ax, title)
    return fig, ax, means


@style.styled
def regret_vs_d(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret per instance at T against the dimension d (log-log), with the shapes of Corollary 3's bound
    d(s + d/N) (through RMBandit's curve) and of an independent bandit's d^2 (through the OLS Bandit's)."""
    table = _table(tables)
    fig, ax, means = _regret_against(
        table, "d", "d (dimension)", "regret per instance at T", "Regret at T against the dimension d"
    )
    d = np.sort(table["d"].astype(float).unique())
    s, n = float(table["s"].iloc[0]), float(table["N"].iloc[0])
    _reference(ax, d, d * (s + d / n), means.get("rmbandit"), "shape of d(s + d/N): Corollary 3", DASHED)
    independent = means.get("ols_bandit", means.get("lasso_bandit"))
    _reference(ax, d, d**2, independent, "shape of d^2: an independent bandit", DOTTED)
    style.log_axis(ax, "y")
    style.legend(ax)
    return fig


@style.styled
def regret_vs_n(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret per instance at T against the number of instances N (log-log), with the shape of Corollary 3's
    bound (s + d/N) log N (through RMBandit's curve)."""
    table = _table(tables)
    fig, ax, means = _regret_against(
        table, "N", "N (instances)", "regret per instance at T", "Regret at T against the number of instances N"
    )
    n = np.sort(table["N"].astype(float).unique())
    s, d = float(table["s"].iloc[0]), float(table["d"].iloc[0])
    _reference(ax, n, (s + d / n) * np.log(n), means.get("rmbandit"), "shape of (s + d/N) log N: Corollary 3", DASHED)
    style.log_axis(ax, "y")
    style.legend(ax)
    return fig


@style.styled
def regret_data_poor(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """The data-poor target's regret against d (Theorem 3), log-log."""
    table = _table(tables)
    fig, ax, _ = _regret_against(
        table,
        "d",
        "d (dimension)",
        "regret of the data-poor target",
        "Regret of a data-poor target (p_l/p_j ~ d^2) against d",
    )
    style.log_axis(ax, "y")
    style.legend(ax)
    return fig


@style.styled
def regret_vs_k(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret per instance at T against the number of arms K (log-log)."""
    table = _table(tables)
    fig, ax, _ = _regret_against(
        table, "K", "K (arms)", "regret per instance at T", "Regret at T against the number of arms K"
    )
    style.log_axis(ax, "y")
    style.legend(ax)
    return fig


def _target_regret(table: pd.DataFrame) -> pd.DataFrame:
    table = table[table["policy"] == "rmbandit"]
    return table[table["metric"] == "regret_target"] if "metric" in table else table


def _dimension_colours(dims) -> dict:
    """One colour per d, in order (a sequential map: the curves are ordered by d)."""
    return dict(zip(dims, plt.get_cmap("viridis")(np.linspace(0.0, 0.85, len(dims)))))


@style.styled
def regret_network(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """RMBandit's target regret against the number of instances it shares with, one panel per alpha and one curve
    per d (Corollary 4; mean and 95% band over replicates), with the bound's optimum Ñ* = d^(1/(alpha+1)) marked
    (dashed, in the curve's colour)."""
    table = _target_regret(_table(tables))
    alphas = sorted(table["alpha"].unique())
    fig, axes = style.subplots(1, len(alphas), size=(3.6, 3.2), sharey=True)
    colours = _dimension_colours(sorted(table["d"].unique()))
    for ax, alpha in zip(axes[0], alphas):
        for d, colour in colours.items():
            stats = _stats(table[(table["alpha"] == alpha) & (table["d"] == d)], "n_tilde")
            if stats.empty:
                continue
            look = SeriesStyle(f"d = {d}", colour, "o")
            band = (stats["mean"] - stats["half"], stats["mean"] + stats["half"])
            style.plot_series(ax, stats["n_tilde"], stats["mean"], look, band=band)
            ax.axvline(d ** (1 / (alpha + 1)), color=colour, ls=DASHED, lw=1)
        style.log_axis(ax, "x", at=table["n_tilde"].astype(float).unique())
        style.log_axis(ax, "y")
        ax.set_xlabel("Ñ (instances shared with the target)")
        style.set_title(ax, f"Corollary 4: alpha = {alpha:g} (dashed: Ñ* = d^(1/(alpha+1)))")
    axes[0, 0].set_ylabel("target regret (RMBandit)")
    style.legend(fig)
    return fig


@style.styled
def regret_network_scaling(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """The Ñ that minimises the target's mean regret against d, per alpha, beside d^(1/(alpha+1)) (Corollary 4)."""
    from .network_rows import regret_minimiser

    table = _target_regret(_table(tables))
    fig, axes = style.subplots()
    ax = axes[0, 0]
    palette = plt.get_cmap("tab10")
    for k, (alpha, group) in enumerate(table.groupby("alpha", sort=True)):
        dims, minimisers = [], []
        for d, rows in group.groupby("d", sort=True):
            means = rows.groupby("n_tilde")["value"].mean()
            dims.append(float(d))
            minimisers.append(regret_minimiser(means.index.to_numpy(float), means.to_numpy()))
        x = np.array(dims)
        colour = palette(k)
        ax.plot(x, minimisers, marker="o", color=colour, label=f"alpha = {alpha:g}: measured minimiser")
        ax.plot(x, x ** (1 / (alpha + 1)), ls=DASHED, color=colour, label=f"d^(1/(alpha+1)) = d^{1 / (alpha + 1):.2g}")
    style.log_axis(ax, "x", at=table["d"].astype(float).unique())
    style.log_axis(ax, "y")
    ax.set_xlabel("d (dimension)")
    ax.set_ylabel("Ñ minimising the target's regret")
    style.set_title(ax, "Corollary 4: the regret-minimising Ñ against d")
    style.legend(ax)
    return fig


__all__ = [
    "regret_data_poor",
    "regret_network",
    "regret_network_scaling",
    "regret_vs_d",
    "regret_vs_k",
    "regret_vs_n",
    "regret_vs_t",
    "regret_vs_t_no_diversity",
    "series",
    "styles",
]
