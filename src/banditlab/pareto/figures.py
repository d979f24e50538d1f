"""Figures of paper 004: Appendix B's example, and the Appendix H experiments drawn from their tables only.

Every function takes ``tables`` (the experiment's table by name) and the figure's ``options`` (keys of the
``pareto`` block) and returns the figure; :func:`banditlab.figures.save_figure` writes it. All are drawn in the
package's one style (:mod:`banditlab.style`): each policy with its :data:`STYLES` entry, Algorithm 1 once per
reading of ``pareto.readings`` with its :data:`READINGS` entry (the same in every figure), a reading the module
does not know with the next user colour, marker and the dash-dot line (:func:`banditlab.style.series_styles`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import style
from ..style import DASHED, DOTTED, SeriesStyle
from .theory import printed_rate_exponent

__all__ = [
    "POLICY_STYLE",
    "READINGS",
    "STYLES",
    "pareto_example",
    "pareto_frontier",
    "pareto_levels",
    "pareto_nu",
    "pareto_regret_tp",
    "pareto_regret_vs_T",
    "pareto_shifts",
    "pareto_tree",
    "series",
]

TREE = "adaptive_tree"
_C = style.BUILTIN_COLORS
STYLES = {
    "uniform_random": SeriesStyle("uniform random", _C["grey"], "x"),
    "oracle": SeriesStyle("oracle", _C["light grey"], ".", DOTTED),
    TREE: SeriesStyle("Algorithm 1 (adaptive tree)", _C["blue"], "o"),
    "fixed_partition": SeriesStyle("fixed partition", _C["yellow"], "s"),
    "scalarized_ucb": SeriesStyle("scalarized UCB", _C["green"], "^"),
    "pareto_ucb": SeriesStyle("Pareto UCB1 (Drugan & Nowé)", _C["red"], "v"),
}
"""How each policy is drawn, in drawing order: the paper's baseline first, so that a series with the same values
is named "(identical to uniform random)" in the legend (:func:`banditlab.style.legend`)."""
READINGS = {
    "default": STYLES[TREE],
    "as_printed": SeriesStyle("Algorithm 1 (as_printed)", _C["blue"], "o"),
    "sound": SeriesStyle("Algorithm 1 (sound)", _C["cyan"], "d", DASHED, filled=False),
    "text_phat": SeriesStyle("Algorithm 1 (text_phat)", _C["purple"], "D", DOTTED),
}
"""How Algorithm 1 is drawn under each reading of ``pareto.readings`` (``default``: the config declares none):
as_printed solid blue, sound dashed cyan with open markers (drawn on top: it plays like uniform random, whose
line shows through), text_phat dotted purple."""
POLICY_STYLE = {name: (look.label, look.color, look.marker) for name, look in STYLES.items()}
"""``{policy: (label, colour, marker)}`` of :data:`STYLES`, in drawing order (what ``notebooks/pareto.ipynb``
reads)."""


def _reading(policy: str) -> str | None:
    """The reading of a tree policy named ``adaptive_tree[<reading>]`` (:func:`_table`), else None."""
    return policy[len(TREE) + 1 : -1] if policy.startswith(TREE + "[") and policy.endswith("]") else None


def _is_tree(policy: str) -> bool:
    return policy == TREE or _reading(policy) is not None


def _label(policy: str) -> str:
    reading = _reading(policy)
    return f"Algorithm 1 ({reading})" if reading is not None else policy


def series(policies: Iterable[str]) -> dict[str, SeriesStyle]:
    """``{policy: SeriesStyle}``: :data:`STYLES`, :data:`READINGS` for ``adaptive_tree[<reading>]``, else a
    user's style."""
    builtin = {**STYLES, **{f"{TREE}[{reading}]": look for reading, look in READINGS.items()}}
    return style.series_styles(policies, builtin, label=_label)


def _table(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The figure's one table, the tree's rows relabelled ``adaptive_tree[<reading>]`` when it ran under readings
    (every figure then draws each reading as a policy of its own)."""
    (table,) = tables.values()
    if "reading" not in table:
        return table
    reading = table["reading"].fillna("-").astype(str)
    tree = (table["policy"] == TREE) & (reading != "-")
    return table.assign(policy=table["policy"].where(~tree, TREE + "[" + reading + "]"))


def _ordered(policies: Iterable[str]) -> list[str]:
    """Policies in :data:`STYLES`' order, the tree's readings where Algorithm 1 stands (in :data:`READINGS`' order,
    then any other), then any other policy."""
    present = list(dict.fromkeys(policies))
    known = [f"{TREE}[{reading}]" for reading in READINGS]
    trees = [p for p in known if p in present] + [p for p in present if _is_tree(p) and p not in known]
    out = []
    for name in STYLES:
        out += trees if name == TREE else [name] if name in present else []
    return out + [p for p in present if p not in out]


def _summary(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Mean and sd (0 for one replicate) of ``value`` per ``by``."""
    grouped = frame.groupby(by)["value"]
    return grouped.agg(["mean", "std"]).fillna({"std": 0.0}).reset_index()


def _source(a: float) -> str:
    """The source exponent in words: Appendix H's nu, or Example 3's power law gamma = -a."""
    return f"nu = {a:g}" if a >= 0 else f"power law gamma = {-a:g}"


# The two readings of regret (2) drawn side by side in every regret figure (experiments module doc).
REGRET_METRICS = (
    ("regret", "Played-arm gap", "played-arm gap over T - t_p\n(mean ± sd over replicates)"),
    ("regret_support", "Regret (2), Definition 6's support", "regret (2) over T - t_p\n(mean ± sd over replicates)"),
)


def _policy_lines(ax, s: pd.DataFrame, x: str, skip: tuple[str, ...] = ()) -> None:
    """Every policy's mean ± sd against ``x`` (``s``: :func:`_summary` by policy and ``x``)."""
    for policy, look in series(_ordered(s["policy"])).items():
        if policy in skip:
            continue
        p = s[s["policy"] == policy].sort_values(x)
        style.plot_series(ax, p[x].astype(float), p["mean"], look, yerr=p["std"])


@style.styled
def pareto_regret_tp(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Figure 3 of Appendix H: regret over the last T - t_p rounds vs t_p, per (K, nu).

    Two panels per (K, nu): the played-arm gap (left) and regret (2) of Definition 6 (right).
    """
    table = _table(tables)
    reg = table[table.metric == "regret"]
    cells = sorted(reg.groupby(["K", "a"]).groups)
    ks = sorted({k for k, _ in cells})
    nus = sorted({a for _, a in cells})
    fig, axes = style.subplots(len(nus), 2 * len(ks), size=(3.4, 2.8 if len(nus) > 1 else 3.6))
    change_points = sorted(reg["t_p"].astype(float).unique())
    for j, (metric, title, ylabel) in enumerate(REGRET_METRICS):
        for (k, a), g in table[table.metric == metric].groupby(["K", "a"]):
            ax = axes[nus.index(a), 2 * ks.index(k) + j]
            _policy_lines(ax, _summary(g, ["policy", "t_p"]), "t_p")
            style.linear_axis(ax, "x", at=change_points)
            style.linear_axis(ax, "y")
            style.set_title(ax, f"{title}\nK = {k}, {_source(a)}, T = {int(g['T'].iloc[0])}")
            ax.set_xlabel("change point t_p")
            ax.set_ylabel(ylabel)
    style.legend(fig)
    return fig


@style.styled
def pareto_regret_vs_T(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Regret vs T: played-arm gap on log-log with the printed slope (top), regret (2) (bottom).

    The decay exponent in T of the printed bound for each source exponent ``a``
    (:func:`banditlab.pareto.theory.printed_rate_exponent` at the block's ``alpha`` and ``beta_true``;
    findings 004-theorem1-rate, 004-theorem2-rate) is drawn through the last point of Algorithm 1's played-arm gap.
    """
    from matplotlib.ticker import FuncFormatter, NullFormatter

    table = _table(tables)
    implied = {
        a: printed_rate_exponent(a, options["alpha"], options["beta_true"]) for a in table["a"].dropna().unique()
    }
    reg = table[(table.metric == "regret")]
    exps = sorted(reg["a"].unique())
    horizons = sorted(table["T"].astype(float).unique())
    fig, axes = style.subplots(2, len(exps), size=(3.8, 3.0))
    for col, a in enumerate(exps):
        name = _source(a) + (" (Theorem 1)" if a >= 0 else " (Theorem 2)")
        ax = axes[0, col]
        s = _summary(reg[reg.a == a], ["policy", "T"])
        s["mean"] = s["mean"].clip(lower=1e-9)
        _policy_lines(ax, s, "T", skip=("oracle",))
        first_tree = next((p for p in _ordered(s["policy"]) if _is_tree(p)), TREE)
        tree = s[s.policy == first_tree].sort_values("T")
        if a in implied and len(tree):
            slope = float(implied[a])
            t_last, r_last = float(tree["T"].iloc[-1]), float(tree["mean"].iloc[-1])
            ts = np.geomspace(float(tree["T"].iloc[0]), t_last, 20)
            shape = f"slope of the printed bound ({slope:.2f}), through {series([first_tree])[first_tree].label}"
            ax.plot(ts, r_last * (ts / t_last) ** slope, ls=DASHED, label=shape, **style.REFERENCE)
            ax.plot(ts, r_last * (ts / t_last) ** 1.0, ls=DOTTED, label="slope 1 (linear in T)", **style.REFERENCE)
        style.log_axis(ax, "x", at=horizons)
        style.log_axis(ax, "y")
        ax.set_ylabel("played-arm gap over T - t_p\n(mean ± sd over replicates)")
        style.set_title(ax, f"Played-arm gap\n{name}")
        ax2 = axes[1, col]
        sup = table[(table.metric == "regret_support") & (table.a == a)]
        _policy_lines(ax2, _summary(sup, ["policy", "T"]), "T", skip=("oracle",))
        style.log_axis(ax2, "x", at=horizons)
        ax2.set_yscale("symlog", linthresh=1.0)  # regret (2) is exactly 0 for full supports
        ax2.set_ylim(bottom=-0.3)  # the zeros clear of the axis line
        ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: style.plain(v)))
        ax2.yaxis.set_minor_formatter(NullFormatter())
        ax2.set_ylabel("regret (2) over T - t_p, symlog\n(mean ± sd over replicates)")
        style.set_title(ax2, f"Regret (2), Definition 6's support\n{name}")
        for axis in (ax, ax2):
            axis.set_xlabel("horizon T")
    style.legend(fig)
    return fig


@style.styled
def pareto_nu(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Effect of the source exponent a (nu >= 0; power law gamma = -a < 0): both readings of regret."""
    table = _table(tables)
    fig, axes = style.subplots(1, 2, size=(3.8, 3.0))
    for ax, (metric, title, ylabel) in zip(axes[0], REGRET_METRICS):
        _policy_lines(ax, _summary(table[table.metric == metric], ["policy", "a"]), "a")
        if table["a"].min() < 0 < table["a"].max():
            ax.axvline(0.0, color="0.6", lw=0.6, label="_nu = 0")
        style.linear_axis(ax, "x")
        style.linear_axis(ax, "y")
        ax.set_xlabel("source exponent a (nu, or -gamma)")
        ax.set_ylabel(ylabel)
        style.set_title(ax, f"{title}\nagainst the source exponent, T = {int(table['T'].iloc[0])}")
    style.legend(fig)
    return fig


def _bars(ax, x, height, look: SeriesStyle, width: float, yerr=None, label: str | None = None) -> None:
    """One policy's bar(s) in its colour, hatched and white inside for a style with open markers (as its line); a
    bar of height 0 is marked "0" (else it would not show)."""
    x, height = np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(height, float))
    face = look.color if look.filled else "white"
    hatch = None if look.filled else "////"
    error = {"ecolor": "0.3", "elinewidth": 1.0}
    label = look.label if label is None else label
    ax.bar(x, height, width, yerr=yerr, color=face, edgecolor=look.color, hatch=hatch, label=label, error_kw=error)
    for where in x[height == 0]:
        ax.annotate("0", (where, 0), xytext=(0, 1.5), textcoords="offset points", ha="center", fontsize=6, color="0.3")


@style.styled
def pareto_shifts(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Theorem 3: regret per shift schedule (equal total t_p), bars with sd, both readings."""
    table = _table(tables)
    scheds = sorted(table["schedule"].dropna().unique())
    fig, axes = style.subplots(1, 2, size=(1.4 + 1.1 * len(scheds), 3.0))
    for ax, (metric, title, ylabel) in zip(axes[0], REGRET_METRICS):
        s = _summary(table[table.metric == metric], ["policy", "schedule"])
        looks = {p: look for p, look in series(_ordered(s["policy"])).items() if p != "oracle"}
        width = 0.8 / max(1, len(looks))
        for i, (policy, look) in enumerate(looks.items()):
            p = s[s.policy == policy].set_index("schedule").reindex(scheds)
            _bars(ax, np.arange(len(scheds)) + (i - (len(looks) - 1) / 2) * width, p["mean"], look, width, p["std"])
        ax.set_xticks(np.arange(len(scheds)), scheds, rotation=20, ha="right")
        ax.grid(False, axis="x")
        style.linear_axis(ax, "y", zero=True)
        ax.set_xlabel("shift schedule (pareto.experiments.shifts)")
        ax.set_ylabel(ylabel)
        style.set_title(ax, f"{title}\nper shift schedule, T = {int(table['T'].iloc[0])}")
    style.legend(fig)
    return fig


@style.styled
def pareto_example(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Figure 1 of Appendix B: the ten arms and their Pareto fronts under C1 (a) and C3 (b), drawn from the paper's
    arms and cones (it reads no table).

    Triangles are Pareto arms, crosses dominated arms (labelled with their gap Delta); the shaded wedge at each
    Pareto arm is the region it dominates (``mu - C``); the red arrows in the corner are the cone's generators.
    """
    from .appendix_b import ARM_MEANS, ARM_NAMES, cones
    from .cones import pareto_gap, pareto_set

    fig, axes = style.subplots(1, 2, size=(4.3, 3.9), sharex=True, sharey=True)
    titles = ("(a) Positive orthant C_1", "(b) Narrower cone C_3")
    pareto, dominated, generator = _C["blue"], "0.3", _C["red"]
    for ax, cone, title in zip(axes[0], cones().values(), titles):
        front = pareto_set(ARM_MEANS, cone)
        gaps = pareto_gap(ARM_MEANS, cone)
        w = cone.generators
        for k in front:
            p = ARM_MEANS[k]
            wedge = np.array([p, p - 2.0 * w[:, 0], p - 2.0 * w[:, 1]])
            ax.fill(wedge[:, 0], wedge[:, 1], color=pareto, alpha=0.07, lw=0, label="_wedge")
        base = np.array([0.52, 0.42])  # the cone itself, drawn from a corner of the plane
        tips = base + 0.22 * (w / np.linalg.norm(w, axis=0)).T
        for tip, name in zip(tips, ("w_1", "w_2")):
            ax.annotate("", xy=tip, xytext=base, arrowprops={"arrowstyle": "->", "color": generator})
            ax.text(*(tip + 0.015), name, color=generator, fontsize=8)
        ax.fill([base[0], *tips[:, 0]], [base[1], *tips[:, 1]], color=generator, alpha=0.15, label="_cone")
        is_front = np.isin(np.arange(len(ARM_NAMES)), front)
        ax.scatter(*ARM_MEANS[is_front].T, marker="^", s=45, color=pareto, label="Pareto arm", zorder=3)
        ax.scatter(*ARM_MEANS[~is_front].T, marker="x", s=40, color=dominated, label="dominated arm (gap Delta)")
        for k, name in enumerate(ARM_NAMES):
            text = name if gaps[k] == 0 else f"{name} ({gaps[k]:.4f})"
            ax.annotate(text, ARM_MEANS[k], xytext=(4, 4), textcoords="offset points", fontsize=7)
        style.set_title(ax, f"{title}: Pareto front {{{', '.join(ARM_NAMES[k] for k in front)}}}")
        ax.set_xlim(0.45, 1.55)
        ax.set_ylim(0.35, 1.35)
        style.linear_axis(ax, "x")
        style.linear_axis(ax, "y")
        ax.set_xlabel("mean reward r_1")
    axes[0, 0].set_ylabel("mean reward r_2")
    style.legend(fig)
    return fig


TREE_PANELS = (
    ("depth_so_far", "deepest level reached", "Deepest level of the tree"),
    ("leaves", "number of leaves", "Leaves of the tree"),
    (
        "missing_pareto_share_so_far",
        "share of rounds in (t_p, t] missing\na Pareto arm (round robin included)",
        "Algorithm 1: missing a Pareto arm",
    ),
)


def _checkpoints(values, most: int = 5) -> list[float]:
    """At most ``most`` of the checkpoints ``values``, evenly spread, the first and the last included (the ticks of
    a time axis: every checkpoint would crowd it)."""
    values = sorted({float(v) for v in values})
    return [values[i] for i in sorted({round(k) for k in np.linspace(0, len(values) - 1, min(most, len(values)))})]


def _integers(ax, axis: str = "y") -> None:
    """A linear axis with integer ticks only (levels, leaves)."""
    from matplotlib.ticker import MaxNLocator

    style.linear_axis(ax, axis)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(5, integer=True))


@style.styled
def pareto_tree(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Algorithm 1's tree over time and the share of rounds whose support misses a Pareto arm.

    Largest horizon of the table, one row per source exponent. Panels: deepest level, number of leaves,
    Algorithm 1's share of rounds ``t_p < s <= t`` missing a Pareto arm (Lemma 5 says none should), each reading
    in its style, and the share ``missing_pareto_share`` of every policy over the window (after t_p and the round
    robin), as bars.
    """
    table = _table(tables)
    big = table[table["T"] == table["T"].max()]
    exps = sorted(big["a"].unique())
    horizon = int(big["T"].max())
    looks = series(_ordered(big["policy"]))
    trees = [p for p in looks if _is_tree(p)]
    fig, axes = style.subplots(len(exps), 4, size=(3.3, 2.8))
    for row, a in enumerate(exps):
        part = big[big["a"] == a]
        for col, (metric, ylabel, title) in enumerate(TREE_PANELS):
            ax = axes[row, col]
            s = _summary(part[(part["metric"] == metric) & part["policy"].isin(trees)], ["policy", "t"])
            for policy in trees:
                p = s[s["policy"] == policy].sort_values("t")
                style.plot_series(ax, p["t"].astype(float), p["mean"], looks[policy], yerr=p["std"])
            style.log_axis(ax, "x", at=_checkpoints(s["t"]))
            if col < 2:
                _integers(ax)
            else:
                ax.set_ylim(-0.03, 1.03)
                style.linear_axis(ax, "y", at=[0, 0.25, 0.5, 0.75, 1])
            ax.set_xlabel("round t")
            ax.set_ylabel(ylabel)
            style.set_title(ax, f"{title}\n{_source(a)}, T = {horizon}")
        ax = axes[row, 3]
        s = _summary(part[part["metric"] == "missing_pareto_share"], ["policy"]).set_index("policy")
        drawn = [p for p in looks if p in s.index]
        for i, policy in enumerate(drawn):
            label = "_tree" if policy in trees else None  # the tree's entry is its line's (named there)
            _bars(ax, i, s.loc[policy, "mean"], looks[policy], 0.8, s.loc[policy, "std"], label=label)
        ax.set_xticks([])
        ax.grid(False, axis="x")
        ax.set_xlabel("policies (colours as in the legend)")
        style.linear_axis(ax, "y", zero=True)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("share of rounds missing a\nPareto arm (mean ± sd)")
        style.set_title(ax, f"Every policy, after the round robin\n{_source(a)}, T = {horizon}")
    style.legend(fig)
    return fig


@style.styled
def pareto_levels(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Lemma 7: per-round regret after t_p of the fixed partition at every depth (mean ± sd over replicates), with
    Algorithm 1 and uniform random as horizontal bands, one panel per point of the ``levels`` experiment."""
    table = _table(tables)
    reg = table[table.metric == "regret_per_round"]
    points = sorted(reg["point"].unique())
    fig, axes = style.subplots(1, len(points), size=(3.6, 3.0), sharey=True)
    fixed = STYLES["fixed_partition"]
    fixed = SeriesStyle("fixed partition at each depth", fixed.color, fixed.marker, fixed.linestyle)
    bands = {  # uniform random first (the note reads "identical to uniform random"), dotted on top of the tree
        "uniform_random": (SeriesStyle(STYLES["uniform_random"].label, STYLES["uniform_random"].color), DOTTED, 3.0),
        TREE: (STYLES[TREE], "-", 2.0),
    }
    for ax, point in zip(axes[0], points):
        frame = reg[reg["point"] == point]
        for policy, (look, linestyle, order) in bands.items():
            values = frame.loc[frame["policy"] == policy, "value"]
            mean, sd = values.mean(), values.std(ddof=1) if len(values) > 1 else 0.0
            ax.axhline(mean, color=look.color, ls=linestyle, lw=1.6, label=look.label, zorder=order)
            ax.axhspan(mean - sd, mean + sd, color=look.color, alpha=0.12, lw=0, label="_band")
        levels = _summary(frame[frame["level"].notna()], ["level"])
        style.plot_series(ax, levels["level"], levels["mean"], fixed, yerr=levels["std"])
        style.linear_axis(ax, "x", at=levels["level"].astype(float))
        style.linear_axis(ax, "y")
        first = frame.iloc[0]
        where = f"K = {int(first['K'])}, {_source(first['a'])}, c1 = {first['c1']:g}, T = {int(first['T'])}"
        style.set_title(ax, where)
        ax.set_xlabel("depth of the fixed partition")
    axes[0, 0].set_ylabel("played-arm gap per round after t_p")
    style.legend(fig)
    return fig


INSTANCE_WORDS = {"printed": "Appendix H as printed (means jump)", "ramped": "Appendix H ramped (Assumption 1)"}
"""The frontier's instances in words: Appendix H's means as printed, and its ramped twin (:mod:`.env`)."""
GRID_MARKERS = ("s", "^", "v", "X", "P", "H")
"""Markers of the values of c2 on the frontier's grid (none of the readings' markers)."""


def _setting_styles(grid: pd.DataFrame) -> dict[str, SeriesStyle]:
    """``{setting: SeriesStyle}`` of the (c1, c2) grid, by c1 then c2: colour by c1 (viridis, in order), marker
    by c2 (as the config writes it), no line."""
    from matplotlib.colors import to_hex

    rows = grid.drop_duplicates("setting")
    c1_values = sorted(rows["c1"].unique())
    c2_of = {setting: setting.split("c2=")[1] for setting in rows["setting"]}
    c2_values = list(dict.fromkeys(c2_of.values()))
    colours = [to_hex(c) for c in plt.get_cmap("viridis")(np.linspace(0.0, 0.85, max(1, len(c1_values))))]
    order = sorted(
        zip(rows["setting"], rows["c1"]), key=lambda s: (c1_values.index(s[1]), c2_values.index(c2_of[s[0]]))
    )
    out = {}
    for setting, c1 in order:
        marker = GRID_MARKERS[c2_values.index(c2_of[setting]) % len(GRID_MARKERS)]
        out[setting] = SeriesStyle(f"c1 = {c1:g}, c2 = {c2_of[setting]}", colours[c1_values.index(c1)], marker, "none")
    return out


@style.styled
def pareto_frontier(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Algorithm 1's frontier: per point (instance, K, T), the tree's regret relative to uniform random (same draws;
    95% interval) against the share of replicates that lost a Pareto arm, each named reading in its style (large
    markers), each (c1, c2) of the grid a small marker (colour: c1, shape: c2), uniform random the line at 1.

    Reads the experiment's table and summarises it as the table ``pareto_frontier`` does
    (:func:`.frontier.frontier_table`, :mod:`.frontier`)."""
    from .frontier import GRID, frontier_table

    table = frontier_table(tables, {}, 0)
    table = table[np.isfinite(table["regret_ratio"]) & np.isfinite(table["lost_share"])]
    points = list(dict.fromkeys(zip(table["K"], table["T"])))
    instances = list(dict.fromkeys(table["instance"]))
    grid = table[table["reading"] == GRID]
    settings = _setting_styles(grid)
    readings = [r for r in dict.fromkeys(table["reading"]) if r != GRID]
    looks = series(_ordered(f"{TREE}[{reading}]" for reading in readings))
    columns = 1 if 1 + len(readings) + len(settings) <= 12 else 2  # of the legend, at the right
    lines = 1 + len(readings) + 2 * len(settings)  # a setting's label may be noted "(identical to ...)"
    height = max(3.0, (0.17 * lines / columns + 0.6) / len(instances))
    fig, axes = style.subplots(len(instances), len(points), size=(3.6, height), legend=2.6 * columns)
    random = STYLES["uniform_random"]
    for row, instance in enumerate(instances):
        for col, (n_arms, horizon) in enumerate(points):
            ax = axes[row, col]
            part = table[(table["instance"] == instance) & (table["K"] == n_arms) & (table["T"] == horizon)]
            ax.axhline(1.0, color=random.color, ls=DASHED, lw=1.2, label=f"{random.label}: ratio 1", zorder=1.5)
            for policy, look in looks.items():  # the readings first: larger markers under the grid's
                r = part[part["reading"] == policy[len(TREE) + 1 : -1]]
                _point(ax, r, look, markersize=10)
            for setting, look in settings.items():
                _point(ax, part[part["setting"] == setting], look, markersize=5)
            ax.set_xlim(-0.05, 1.05)
            style.linear_axis(ax, "x", at=[0, 0.25, 0.5, 0.75, 1])
            style.linear_axis(ax, "y")
            style.set_title(ax, f"{INSTANCE_WORDS.get(instance, instance)}\nK = {n_arms}, T = {horizon}")
            ax.set_xlabel("share of replicates losing a Pareto arm")
            ax.set_ylabel("regret / uniform random's")
    style.legend(fig, ncol=columns)
    return fig


def _point(ax, rows: pd.DataFrame, look: SeriesStyle, markersize: float) -> None:
    """One setting's point of a panel with its 95% interval (nothing when the panel has none)."""
    if rows.empty:
        return
    r = rows.iloc[0]
    yerr = [[r["regret_ratio"] - r["ratio_low"]], [r["ratio_high"] - r["regret_ratio"]]]
    style.plot_series(ax, [r["lost_share"]], [r["regret_ratio"]], look, yerr=yerr, markersize=markersize)
