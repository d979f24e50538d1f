"""Figures of the bandit regret study; each draws one experiment's results table, and nothing else.

Every function takes ``tables`` (the experiment's table by name) and the figure's ``options`` and returns
the figure; :func:`banditlab.figures.save_figure` writes it. Every policy in a table is drawn: the built-in
ones with :data:`STYLE`, any other (a user's class, named by import path) with its class's ``label`` and a
colour of the fixed cycle :data:`banditlab.registry.EXTRA_COLORS` (:func:`styles`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import registry

STYLE = {
    "rmbandit": ("RMBandit", "C0"),
    "am_bandit": ("averaging multitask", "C1"),
    "pooled": ("pooled", "C2"),
    "ols_bandit": ("OLS Bandit (indep.)", "C3"),
    "lasso_bandit": ("LASSO Bandit (indep.)", "C4"),
    "greedy": ("greedy (indep.)", "C5"),
    "oracle": ("oracle", "k"),
    "median_bandit": ("Median shrinkage bandit (ours)", "C6"),
}


def styles(policies: Iterable[str]) -> dict[str, tuple[str, str]]:
    """``{policy: (label, colour)}``: :data:`STYLE` where it knows the name, else the class's label
    (:func:`banditlab.registry.method_label`) and the next colour of the fixed cycle, in order."""
    names = list(dict.fromkeys(policies))
    colours = registry.method_colors(names, {name: colour for name, (_, colour) in STYLE.items()})
    return {name: (STYLE[name][0] if name in STYLE else registry.method_label(name), colours[name]) for name in names}


def _band(ax, frame, x, label, color, marker=None):
    stats = frame.groupby(x)["value"].agg(["mean", "std", "count"]).reset_index()
    half = 1.96 * stats["std"].fillna(0) / np.sqrt(stats["count"])
    ax.plot(stats[x], stats["mean"], label=label, color=color, marker=marker)
    ax.fill_between(stats[x], stats["mean"] - half, stats["mean"] + half, color=color, alpha=0.2)


def _policies(ax, frame, x, marker=None, skip=("oracle",)):
    style = styles(frame["policy"])
    for policy, group in frame.groupby("policy", sort=False):
        if policy in skip:
            continue
        label, color = style[policy]
        _band(ax, group, x, label, color, marker)


def _lock_in(ax, frame):
    """One dot per replicate: the share of instances locked onto a sub-optimal arm in the second half."""
    rng = np.random.default_rng(0)  # horizontal jitter only, so the figure is reproducible
    policies = [p for p in frame["policy"].drop_duplicates() if p != "oracle"]
    style = styles(frame["policy"])
    for i, policy in enumerate(policies):
        values = frame.loc[frame["policy"] == policy, "value"].to_numpy()
        label, color = style[policy]
        ax.scatter(i + rng.uniform(-0.15, 0.15, len(values)), values, color=color, alpha=0.7, s=18)
        ax.hlines(values.mean(), i - 0.3, i + 0.3, color=color)
    ax.set_xticks(range(len(policies)), [style[p][0] for p in policies], rotation=30, ha="right", fontsize=8)
    ax.set(
        ylabel="share of instances locked on a worse arm",
        ylim=(-0.05, 1.05),
        title="Per replicate: linear regret (t > T/2)",
    )


def _table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    (table,) = tables.values()
    return table


def regret_vs_t_no_diversity(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret against t on contexts without covariate diversity, and each replicate's lock-in share."""
    table = _table(tables)
    regret = table[table["metric"] == "regret_per_instance"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    _policies(axes[0], regret, "t")
    axes[0].set(
        yscale="log",
        xlabel="t (total arrivals)",
        ylabel="cumulative regret per instance (log scale)",
        title="No covariate diversity: regret vs t",
    )
    axes[0].legend(fontsize=8)
    _lock_in(axes[1], table[table["metric"] == "locked_share"])
    fig.tight_layout()
    return fig


def regret_vs_t(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Cumulative regret per instance against t, and against (log t)^2 (Corollary 3)."""
    table = _table(tables)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    _policies(axes[0], table, "t")
    axes[0].set(xlabel="t (total arrivals)", ylabel="cumulative regret per instance", title="Regret vs t")
    table = table.assign(log2t=np.log(table["t"]) ** 2)
    _policies(axes[1], table, "log2t")
    axes[1].set(
        xlabel="(log t)^2",
        ylabel="cumulative regret per instance",
        title="Corollary 3: RMBandit regret = O(log^2 T)",
    )
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _regret_against(table: pd.DataFrame, column: str, title: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(5.5, 4))
    _policies(ax, table, column, marker="o")
    ax.set(xscale="log", yscale="log", xlabel=column, ylabel="regret per instance at T", title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def regret_vs_d(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret per instance at T against the dimension d (log-log)."""
    return _regret_against(_table(tables), "d", "Corollary 3: d(s + d/N) vs d^2")


def regret_vs_n(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret per instance at T against the number of instances N (log-log)."""
    return _regret_against(_table(tables), "N", "Corollary 3: regret vs the number of instances N")


def regret_data_poor(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """The data-poor target's regret against d (Theorem 3)."""
    table = _table(tables)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    _policies(ax, table, "d", marker="o")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="d",
        ylabel="regret of the data-poor target",
        title="Theorem 3: data-poor target (p_l/p_j ~ d^2)",
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def regret_vs_k(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret per instance at T against the number of arms K (log-log)."""
    return _regret_against(_table(tables), "K", "Corollary 3: regret vs the number of arms K")


def _target_regret(table: pd.DataFrame) -> pd.DataFrame:
    table = table[table["policy"] == "rmbandit"]
    return table[table["metric"] == "regret_target"] if "metric" in table else table


def regret_network(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """The target's regret against the number of instances it shares with, one panel per alpha and one curve per d
    (RMBandit; Corollary 4), with d^(1/(alpha+1)) marked."""
    table = _target_regret(_table(tables))
    alphas = sorted(table["alpha"].unique())
    fig, axes = plt.subplots(1, len(alphas), figsize=(5 * len(alphas), 4), squeeze=False)
    dims = sorted(table["d"].unique())
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, len(dims)))
    for ax, alpha in zip(axes[0], alphas):
        for d, colour in zip(dims, colours):
            part = table[(table["alpha"] == alpha) & (table["d"] == d)]
            _band(ax, part, "n_tilde", f"d = {d}", colour, marker="o")
            ax.axvline(d ** (1 / (alpha + 1)), color=colour, ls="--", lw=1)
        ax.set(
            xscale="log",
            yscale="log",
            xlabel="Ñ (instances shared with the target)",
            ylabel="target regret (RMBandit)",
            title=f"Corollary 4: alpha = {alpha:g} (dashed: Ñ* = d^(1/(alpha+1)))",
        )
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def regret_network_scaling(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """The N~ that minimises the target's mean regret against d, per alpha, beside d^(1/(alpha+1)) (Corollary 4)."""
    from .network_rows import regret_minimiser

    table = _target_regret(_table(tables))
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for k, (alpha, group) in enumerate(table.groupby("alpha", sort=True)):
        dims, minimisers = [], []
        for d, rows in group.groupby("d", sort=True):
            means = rows.groupby("n_tilde")["value"].mean()
            dims.append(float(d))
            minimisers.append(regret_minimiser(means.index.to_numpy(float), means.to_numpy()))
        x = np.array(dims)
        ax.plot(x, minimisers, marker="o", color=f"C{k}", label=f"alpha = {alpha:g}: measured minimiser")
        ax.plot(x, x ** (1 / (alpha + 1)), ls="--", color=f"C{k}", label=f"d^(1/(alpha+1)) = d^{1 / (alpha + 1):.2g}")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="d",
        ylabel="Ñ minimising the target's regret",
        title="Corollary 4: the optimal Ñ against d",
    )
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
