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
    "pareto_frontier",
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


TREE = "adaptive_tree"
READING_COLORS = ("C0", "C4", "C5", "C6", "C8", "C9")
"""Colours of the tree's readings (the first one, C0, is Algorithm 1's colour when the table has no readings)."""


def _table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The figure's one table, the tree's rows relabelled ``adaptive_tree[<reading>]`` when it ran under readings
    (every figure then draws each reading as a policy of its own)."""
    (table,) = tables.values()
    if "reading" not in table:
        return table
    reading = table["reading"].fillna("-").astype(str)
    tree = (table["policy"] == TREE) & (reading != "-")
    return table.assign(policy=table["policy"].where(~tree, TREE + "[" + reading + "]"))


def _is_tree(policy: str) -> bool:
    return policy == TREE or policy.startswith(TREE + "[")


def _style(policy: str, order: list[str] | None = None) -> tuple[str, str | None, str]:
    """Legend label, colour and marker of a policy, or of the tree under a reading (``order``: the tree readings
    of the figure, for their colours)."""
    if policy in POLICY_STYLE:
        return POLICY_STYLE[policy]
    if _is_tree(policy):
        reading = policy[len(TREE) + 1 : -1]
        index = (order or [policy]).index(policy) if policy in (order or []) else 0
        return f"Algorithm 1 ({reading})", READING_COLORS[index % len(READING_COLORS)], "o"
    return policy, None, "o"


def _ordered(policies) -> list[str]:
    """Policies in POLICY_STYLE's order, each tree reading where Algorithm 1 stands, then any other."""
    present = list(dict.fromkeys(policies))
    out = []
    for name in POLICY_STYLE:
        out += [p for p in present if p == name or (name == TREE and _is_tree(p) and p != TREE)]
    return out + [p for p in present if p not in out]


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
    trees = [p for p in _ordered(s["policy"]) if _is_tree(p)]
    for policy in _ordered(s["policy"]):
        p = s[s["policy"] == policy]
        if policy in skip:
            continue
        label, color, marker = _style(policy, trees)
        # Algorithm 1 on top with open markers: it can coincide with the uniform-random policy
        tree = _is_tree(policy)
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
        first_tree = next((p for p in _ordered(s["policy"]) if _is_tree(p)), TREE)
        tree = s[s.policy == first_tree]
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
        policies = [p for p in _ordered(s["policy"]) if p != "oracle"]
        trees = [p for p in policies if _is_tree(p)]
        width = 0.8 / max(1, len(policies))
        for i, policy in enumerate(policies):
            p = s[s.policy == policy].set_index("schedule").reindex(scheds)
            label, color, _ = _style(policy, trees)
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
    rounds ``t_p < s <= t`` missing a Pareto arm (Lemma 5 says none should), one line style per reading, and
    the share ``missing_pareto_share`` of every policy over the window (after t_p and the round robin).
    """
    table = _table(tables)
    big_all = table[table["T"] == table["T"].max()]
    trees = [p for p in _ordered(big_all["policy"]) if _is_tree(p)]
    styles = ("-", "--", ":", "-.")
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8), layout="constrained")
    for ax, metric, ylabel in (
        (axes[0], "depth_so_far", "deepest level reached"),
        (axes[1], "leaves", "number of leaves"),
        (axes[2], "missing_pareto_share_so_far", "Algorithm 1: share of rounds\nin (t_p, t] missing a Pareto arm"),
    ):
        s = _summary(big_all[(big_all.metric == metric) & big_all.policy.isin(trees)], ["policy", "a", "t"])
        for (policy, a), p in s.groupby(["policy", "a"]):
            source = f"nu={a:g}" if a >= 0 else f"gamma={-a:g}"
            ax.errorbar(
                p["t"],
                p["mean"],
                yerr=p["std"],
                marker="o",
                ms=3,
                capsize=2,
                color=f"C{sorted(s['a'].unique()).index(a)}",
                ls=styles[trees.index(policy) % len(styles)],
                label=source if len(trees) == 1 else f"{source}, {policy[len(TREE) + 1 : -1]}",
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
    policies = _ordered(s["policy"])
    width = 0.8 / max(1, len(policies))
    for i, policy in enumerate(policies):
        p = s[s.policy == policy].set_index("a").reindex(exps)
        label, color, _ = _style(policy, trees)
        ax.bar(np.arange(len(exps)) + i * width, p["mean"], width, yerr=p["std"], label=label, color=color, capsize=2)
    ax.set_xticks(np.arange(len(exps)) + width * (len(policies) - 1) / 2)
    ax.set_xticklabels([f"nu={a:g}" if a >= 0 else f"gamma={-a:g}" for a in exps], fontsize=8)
    ax.set_ylim(0, 1.5)  # room for the legend above the bars
    ax.set_ylabel("share of rounds after t_p and\nthe round robin missing a Pareto arm")
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


def pareto_frontier(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Algorithm 1's frontier (:mod:`.frontier`): per point (instance, K, T), the tree's regret relative to uniform
    random (same draws; 95% interval) against the share of replicates that lost a Pareto arm, one dot per (c1, c2)
    of the grid (colour: c1, marker: c2) and a labelled star per named reading; random is the line at 1. Reads the
    experiment's table and summarises it as the table ``pareto_frontier`` does (:func:`.frontier.frontier_table`)."""
    from .frontier import frontier_table

    table = frontier_table(tables, {}, 0)
    points = list(dict.fromkeys(zip(table["K"], table["T"])))
    instances = list(dict.fromkeys(table["instance"]))
    fig, axes = plt.subplots(
        len(instances), len(points), figsize=(4.2 * len(points), 3.6 * len(instances)), squeeze=False
    )
    grid = table[table["reading"] == "grid"]
    c1_values = sorted(grid["c1"].unique())
    c2_values = list(dict.fromkeys(setting.split("c2=")[1] for setting in grid["setting"]))  # as the config writes
    colours = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, max(1, len(c1_values))))
    markers = ("o", "s", "^", "D", "v", "P")
    readings = [r for r in dict.fromkeys(table["reading"]) if r != "grid"]
    for row, instance in enumerate(instances):
        for col, (n_arms, horizon) in enumerate(points):
            ax = axes[row, col]
            part = table[(table["instance"] == instance) & (table["K"] == n_arms) & (table["T"] == horizon)]
            for r in part[part["reading"] == "grid"].itertuples(index=False):
                ax.errorbar(
                    r.lost_share,
                    r.regret_ratio,
                    yerr=[[r.regret_ratio - r.ratio_low], [r.ratio_high - r.regret_ratio]],
                    marker=markers[c2_values.index(r.setting.split("c2=")[1]) % len(markers)],
                    color=colours[c1_values.index(r.c1)],
                    ms=6,
                    capsize=2,
                    ls="none",
                )
            for r in part[part["reading"] != "grid"].itertuples(index=False):
                ax.plot(r.lost_share, r.regret_ratio, "*", ms=15, mec="k", mfc="C3", zorder=4)
                ax.annotate(r.reading, (r.lost_share, r.regret_ratio), xytext=(6, 4), textcoords="offset points")
            ax.axhline(1.0, color="grey", lw=1, ls="--")
            ax.set_xlim(-0.05, 1.05)
            ax.set_title(f"{instance} Appendix H, K={n_arms}, T={horizon}", fontsize=9)
            ax.set_xlabel("share of replicates losing a Pareto arm")
            ax.set_ylabel("regret / uniform random's")
    handles = [plt.Line2D([], [], color=colours[i], marker="o", ls="none") for i in range(len(c1_values))]
    labels = [f"c1 = {c1:g}" for c1 in c1_values]
    handles += [
        plt.Line2D([], [], color="k", marker=markers[i % len(markers)], ls="none") for i in range(len(c2_values))
    ]
    labels += [f"c2 = {c2}" for c2 in c2_values]
    handles.append(plt.Line2D([], [], color="C3", marker="*", mec="k", ms=12, ls="none"))
    labels.append("named readings: " + ", ".join(readings))
    rows_of_legend = -(-len(labels) // 4)
    top = 1 - (0.05 * rows_of_legend + 0.02) / len(instances)
    fig.legend(handles, labels, loc="upper center", ncol=4, fontsize=7, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, top))
    return fig
