"""Figures of paper 004: Appendix B's example, and the Appendix H experiments drawn from their tables only.

Every function takes ``tables`` (the experiment's table by name) and the figure's ``options`` (keys of the
``pareto`` block) and returns the figure; :func:`banditlab.figures.save_figure` writes it.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd

from .. import style
from .theory import printed_rate_exponent

__all__ = [
    "pareto_example",
    "pareto_levels",
    "pareto_nu",
    "pareto_regret_tp",
    "pareto_regret_vs_T",
    "pareto_shifts",
    "pareto_tree",
]

POLICY_STYLE = {
    "adaptive_tree": ("Algorithm 1 (adaptive tree)", "C0", "o"),
    "fixed_partition": ("fixed partition", "C1", "s"),
    "uniform_random": ("uniform random (paper's baseline)", "C3", "x"),
    "scalarized_ucb": ("scalarized UCB", "C2", "^"),
    "pareto_ucb": ("Pareto UCB1 (Drugan & Nowé)", "C4", "v"),
    "oracle": ("oracle", "k", "."),
}


def _table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    (table,) = tables.values()
    return table


def pareto_example(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Figure 1 of Appendix B (drawn from the paper's arms and cones; it reads no table)."""
    from .appendix_b import plot_example

    return plot_example()


def _summary(frame, by):
    g = frame.groupby(by)["value"]
    return g.mean().rename("mean").to_frame().join(g.std(ddof=1).fillna(0.0).rename("std")).reset_index()


# The two readings of regret (2) drawn side by side in every regret figure (experiments module doc).
REGRET_METRICS = (
    ("regret", "played-arm gap", "played-arm gap over T - t_p"),
    ("regret_support", "regret (2), Def. 6 support", "regret (2) over T - t_p"),
)


def _policy_lines(ax, s, x, skip=()):
    for policy, p in s.groupby("policy"):
        if policy in skip:
            continue
        label, color, marker = POLICY_STYLE.get(policy, (policy, None, "o"))
        # Algorithm 1 on top with open markers: it can coincide with the uniform-random policy
        tree = policy == "adaptive_tree"
        ax.errorbar(
            p[x],
            p["mean"],
            yerr=p["std"],
            label=label,
            color=color,
            marker=marker,
            capsize=3,
            zorder=3 if tree else 2,
            mfc="none" if tree else color,
            ms=9 if tree else 6,
        )


def pareto_regret_tp(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Figure 3 of Appendix H: regret over the last T - t_p rounds vs t_p, per (K, nu).

    Two panels per (K, nu): the played-arm gap (left) and regret (2) of Definition 6 (right).
    """
    table = _table(tables)
    reg = table[table.metric == "regret"]
    cells = sorted(reg.groupby(["K", "a"]).groups)
    ks = sorted({k for k, _ in cells})
    nus = sorted({a for _, a in cells})
    ncol, nrow = 2 * len(ks), len(nus)
    fig, axes = plt.subplots(
        nrow, ncol, figsize=(3.3 * ncol, 2.7 * nrow + 1.2), squeeze=False, sharex=True, layout="constrained"
    )
    for j, (metric, title, ylabel) in enumerate(REGRET_METRICS):
        for (k, a), g in table[table.metric == metric].groupby(["K", "a"]):
            ax = axes[nus.index(a), 2 * ks.index(k) + j]
            _policy_lines(ax, _summary(g, ["policy", "t_p"]), "t_p")
            ax.set_title(f"K={k}, nu={a:g}: {title}", fontsize=8)
            ax.set_xlabel("change point t_p")
            ax.set_ylabel(ylabel, fontsize=8)
    style.legend(fig, loc="bottom", ncol=3)  # outside the data; identical series named so
    fig.suptitle(f"Regret after the shift, T={int(reg['T'].iloc[0])} (mean ± sd)", fontsize=10)
    return fig


def pareto_regret_vs_T(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret vs T: played-arm gap on log-log with the printed slope (top), regret (2) (bottom).

    The decay exponent in T of the printed bound for each source exponent ``a``
    (:func:`banditlab.pareto.theory.printed_rate_exponent` at the block's ``alpha`` and ``beta_true``;
    findings 004-theorem1-rate, 004-theorem2-rate) is drawn through the last point of Algorithm 1's played-arm gap.
    """
    table = _table(tables)
    implied = {
        a: printed_rate_exponent(a, options["alpha"], options["beta_true"]) for a in table["a"].dropna().unique()
    }
    reg = table[(table.metric == "regret")]
    exps = sorted(reg["a"].unique())
    fig, axes = plt.subplots(2, len(exps), figsize=(4.2 * len(exps) + 2, 6.4), squeeze=False, layout="constrained")
    for col, a in enumerate(exps):
        ax = axes[0, col]
        s = _summary(reg[reg.a == a], ["policy", "T"])
        s["mean"] = s["mean"].clip(lower=1e-9)
        _policy_lines(ax, s, "T", skip=("oracle",))
        tree = s[s.policy == "adaptive_tree"]
        if a in implied and len(tree):
            slope = float(implied[a])
            t_last, r_last = float(tree["T"].iloc[-1]), float(tree["mean"].iloc[-1])
            ts = np.geomspace(float(tree["T"].iloc[0]), t_last, 20)
            ax.plot(ts, r_last * (ts / t_last) ** slope, "k--", lw=1, label=f"printed bound slope {slope:.2f}")
            ax.plot(ts, r_last * (ts / t_last) ** 1.0, "k:", lw=1, label="slope 1 (linear)")
        ax.set_yscale("log")
        ax.set_ylabel("played-arm gap over T - t_p")
        name = f"nu={a:g} (Theorem 1)" if a >= 0 else f"power law gamma={-a:g} (Theorem 2)"
        ax.set_title(f"{name}: played-arm gap", fontsize=9)
        ax2 = axes[1, col]
        sup = table[(table.metric == "regret_support") & (table.a == a)]
        _policy_lines(ax2, _summary(sup, ["policy", "T"]), "T", skip=("oracle",))
        ax2.set_yscale("symlog", linthresh=1.0)  # regret (2) is exactly 0 for full supports
        ax2.set_ylabel("regret (2) over T - t_p (symlog)")
        ax2.set_title(f"{name}: regret (2), Def. 6 support", fontsize=9)
        for axis in (ax, ax2):
            axis.set_xscale("log")
            axis.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
            axis.set_xlabel("horizon T")
    style.legend(fig)  # outside the data; identical series named so
    return fig


def pareto_nu(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Effect of the source exponent a (nu >= 0; power law gamma = -a < 0): both readings of regret."""
    table = _table(tables)
    fig, axes = plt.subplots(1, 2, figsize=(11.5, 3.6), layout="constrained")
    for ax, (metric, title, ylabel) in zip(axes, REGRET_METRICS):
        _policy_lines(ax, _summary(table[table.metric == metric], ["policy", "a"]), "a")
        ax.axvline(0.0, color="grey", lw=0.5)
        ax.set_xlabel("source exponent a (density (a+1) x^a; a = nu, or -gamma)")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=9)
    style.legend(fig)  # outside the data; identical series named so
    return fig


def pareto_shifts(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Theorem 3: regret per shift schedule (equal total t_p), bars with sd, both readings."""
    table = _table(tables)
    fig, axes = plt.subplots(
        1, 2, figsize=(2 * (1.6 + 1.3 * table["schedule"].nunique()) + 2, 3.6), layout="constrained"
    )
    for ax, (metric, title, ylabel) in zip(axes, REGRET_METRICS):
        s = _summary(table[table.metric == metric], ["policy", "schedule"])
        scheds = sorted(s["schedule"].unique())
        policies = [p for p in POLICY_STYLE if p in set(s["policy"]) and p != "oracle"]
        width = 0.8 / max(1, len(policies))
        for i, policy in enumerate(policies):
            p = s[s.policy == policy].set_index("schedule").reindex(scheds)
            label, color, _ = POLICY_STYLE[policy]
            x = np.arange(len(scheds)) + i * width
            ax.bar(x, p["mean"], width, yerr=p["std"], label=label, color=color, capsize=2)
        ax.set_xticks(np.arange(len(scheds)) + width * (len(policies) - 1) / 2)
        ax.set_xticklabels(scheds, rotation=20, fontsize=8)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=9)
    style.legend(fig)  # outside the data
    return fig


def pareto_tree(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Algorithm 1's tree over time and the share of rounds whose support misses a Pareto arm.

    Largest horizon of the table. Panels: deepest level, number of leaves, Algorithm 1's share of
    rounds ``t_p < s <= t`` missing a Pareto arm (Lemma 5 says none should), and the final share
    ``missing_pareto_share`` of every policy.
    """
    table = _table(tables)
    big_all = table[table["T"] == table["T"].max()]
    big = big_all[big_all.policy == "adaptive_tree"]
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8), layout="constrained")
    for ax, metric, ylabel in (
        (axes[0], "depth_so_far", "deepest level reached"),
        (axes[1], "leaves", "number of leaves"),
        (axes[2], "missing_pareto_share_so_far", "Algorithm 1: share of rounds\nin (t_p, t] missing a Pareto arm"),
    ):
        s = _summary(big[big.metric == metric], ["a", "t"])
        for a, p in s.groupby("a"):
            ax.errorbar(
                p["t"],
                p["mean"],
                yerr=p["std"],
                marker="o",
                ms=3,
                capsize=2,
                label=f"nu={a:g}" if a >= 0 else f"gamma={-a:g}",
            )
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("round t")
        ax.set_ylabel(ylabel)
    axes[2].set_ylim(-0.02, 1.02)
    axes[2].set_title("round-robin rounds (lines 4-5) after t_p included", fontsize=8)
    style.legend(fig, list(axes[:3]), loc="bottom", ncol=4)  # outside the data; identical series named so
    ax = axes[3]
    s = _summary(big_all[big_all.metric == "missing_pareto_share"], ["policy", "a"])
    exps = sorted(s["a"].unique())
    policies = [p for p in POLICY_STYLE if p in set(s["policy"])]
    width = 0.8 / max(1, len(policies))
    for i, policy in enumerate(policies):
        p = s[s.policy == policy].set_index("a").reindex(exps)
        label, color, _ = POLICY_STYLE[policy]
        ax.bar(np.arange(len(exps)) + i * width, p["mean"], width, yerr=p["std"], label=label, color=color, capsize=2)
    ax.set_xticks(np.arange(len(exps)) + width * (len(policies) - 1) / 2)
    ax.set_xticklabels([f"nu={a:g}" if a >= 0 else f"gamma={-a:g}" for a in exps], fontsize=8)
    ax.set_ylim(0, 1.5)  # room for the legend above the bars
    ax.set_ylabel("share of rounds t > t_p\nmissing a Pareto arm")
    ax.legend(fontsize=6, loc="upper left", ncol=2)
    fig.suptitle(
        f"Algorithm 1: tree growth and missing Pareto arms, T={int(big_all['T'].max())} (mean ± sd over replicates)",
        fontsize=10,
    )
    return fig


def pareto_levels(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Lemma 7: per-round regret after t_p of the fixed partition at every depth (mean ± sd over replicates), with
    Algorithm 1 and uniform random as horizontal bands, one panel per point of the ``levels`` experiment."""
    table = _table(tables)
    reg = table[table.metric == "regret_per_round"]
    points = sorted(reg["point"].unique())
    fig, axes = plt.subplots(
        1, len(points), figsize=(4.2 * len(points), 4.2), squeeze=False, sharey=True, layout="constrained"
    )
    for ax, point in zip(axes[0], points):
        frame = reg[reg["point"] == point]
        fixed = _summary(frame[frame["level"].notna()], ["level"])
        label, color, marker = POLICY_STYLE["fixed_partition"]
        ax.errorbar(
            fixed["level"],
            fixed["mean"],
            yerr=fixed["std"],
            label=f"{label} (depth)",
            color=color,
            marker=marker,
            capsize=3,
        )
        for policy, linestyle in (("adaptive_tree", "-"), ("uniform_random", ":")):
            values = frame.loc[frame["policy"] == policy, "value"]
            name, color, _ = POLICY_STYLE[policy]
            ax.axhline(values.mean(), color=color, ls=linestyle, lw=1.5, label=name)
            ax.axhspan(values.mean() - values.std(ddof=1), values.mean() + values.std(ddof=1), color=color, alpha=0.1)
        first = frame.iloc[0]
        ax.set_title(f"K={int(first['K'])}, nu={first['a']:g}, c1={first['c1']:g}, T={int(first['T'])}", fontsize=9)
        ax.set_xlabel("depth of the fixed partition")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    axes[0, 0].set_ylabel("played-arm gap per round after t_p")
    fig.suptitle("Lemma 7: Algorithm 1 against every fixed level of its tree (same draws)", fontsize=10)
    style.legend(fig, loc="bottom", ncol=3)  # outside the data; identical series named so
    return fig
