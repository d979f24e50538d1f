"""Figures of the Appendix H experiments (paper 004), drawn from the tidy results tables only."""

from __future__ import annotations

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

__all__ = ["plot_regret_tp", "plot_regret_vs_T", "plot_nu", "plot_shifts", "plot_tree"]

POLICY_STYLE = {
    "adaptive_tree": ("Algorithm 1 (adaptive tree)", "C0", "o"),
    "fixed_partition": ("fixed partition", "C1", "s"),
    "uniform_random": ("uniform random (paper's baseline)", "C3", "x"),
    "scalarized_ucb": ("scalarized UCB", "C2", "^"),
    "oracle": ("oracle", "k", "."),
}


def _save(fig, pdf, png):
    fig.tight_layout()
    fig.savefig(pdf)
    fig.savefig(png, dpi=150)
    plt.close(fig)


def _summary(frame, by):
    g = frame.groupby(by)["value"]
    return g.mean().rename("mean").to_frame().join(g.std(ddof=1).fillna(0.0).rename("std")).reset_index()


def plot_regret_tp(table: pd.DataFrame, pdf, png) -> None:
    """Figure 3 of Appendix H: regret over the last T - t_p rounds vs t_p, one panel per (K, nu)."""
    reg = table[table.metric == "regret"]
    cells = sorted(reg.groupby(["K", "a"]).groups)
    ncol = len({k for k, _ in cells})
    nrow = len({a for _, a in cells})
    ks = sorted({k for k, _ in cells})
    nus = sorted({a for _, a in cells})
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, 2.8 * nrow), squeeze=False, sharex=True)
    for (k, a), g in reg.groupby(["K", "a"]):
        ax = axes[nus.index(a), ks.index(k)]
        s = _summary(g, ["policy", "t_p"])
        for policy, p in s.groupby("policy"):
            label, color, marker = POLICY_STYLE.get(policy, (policy, None, "o"))
            ax.errorbar(p["t_p"], p["mean"], yerr=p["std"], label=label, color=color, marker=marker, capsize=3)
        ax.set_title(f"K={k}, nu={a:g}", fontsize=9)
        ax.set_xlabel("change point t_p")
        ax.set_ylabel("regret over T - t_p")
    axes[0, 0].legend(fontsize=7)
    fig.suptitle(f"Regret (2) after the shift, T={int(reg['T'].iloc[0])} (mean ± sd)", fontsize=10)
    _save(fig, pdf, png)


def plot_regret_vs_T(table: pd.DataFrame, implied: dict, pdf, png) -> None:
    """Regret vs T on log-log, with the slope printed in Theorem 1 (and 2) drawn through the last point.

    ``implied`` maps each source exponent ``a`` to the decay exponent in T of the printed bound
    (:func:`banditlab.pareto.checks.printed_rate_exponent`; findings 004-theorem1-rate, 004-theorem2-rate).
    """
    reg = table[(table.metric == "regret")]
    exps = sorted(reg["a"].unique())
    fig, axes = plt.subplots(1, len(exps), figsize=(4.2 * len(exps), 3.4), squeeze=False)
    for ax, a in zip(axes[0], exps):
        s = _summary(reg[reg.a == a], ["policy", "T"])
        for policy, p in s.groupby("policy"):
            if policy == "oracle":
                continue
            label, color, marker = POLICY_STYLE.get(policy, (policy, None, "o"))
            ax.errorbar(
                p["T"], p["mean"].clip(lower=1e-9), yerr=p["std"], label=label, color=color, marker=marker, capsize=3
            )
        tree = s[s.policy == "adaptive_tree"]
        if a in implied and len(tree):
            slope = float(implied[a])
            t_last, r_last = float(tree["T"].iloc[-1]), float(tree["mean"].iloc[-1])
            ts = np.geomspace(float(tree["T"].iloc[0]), t_last, 20)
            ax.plot(ts, r_last * (ts / t_last) ** slope, "k--", lw=1, label=f"printed bound slope {slope:.2f}")
            ax.plot(ts, r_last * (ts / t_last) ** 1.0, "k:", lw=1, label="slope 1 (linear)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel("horizon T")
        ax.set_ylabel("regret over T - t_p")
        ax.set_title(f"nu={a:g} (Theorem 1)" if a >= 0 else f"power law gamma={-a:g} (Theorem 2)", fontsize=9)
    axes[0, 0].legend(fontsize=7)
    _save(fig, pdf, png)


def plot_nu(table: pd.DataFrame, pdf, png) -> None:
    """Effect of the source exponent a (nu >= 0; power law gamma = -a < 0) on regret."""
    s = _summary(table[table.metric == "regret"], ["policy", "a"])
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for policy, p in s.groupby("policy"):
        label, color, marker = POLICY_STYLE.get(policy, (policy, None, "o"))
        ax.errorbar(p["a"], p["mean"], yerr=p["std"], label=label, color=color, marker=marker, capsize=3)
    ax.axvline(0.0, color="grey", lw=0.5)
    ax.set_xlabel("source exponent a (density (a+1) x^a; a = nu, or -gamma)")
    ax.set_ylabel("regret over T - t_p")
    ax.legend(fontsize=7)
    _save(fig, pdf, png)


def plot_shifts(table: pd.DataFrame, pdf, png) -> None:
    """Theorem 3: regret per shift schedule (equal total t_p), bars with sd."""
    s = _summary(table[table.metric == "regret"], ["policy", "schedule"])
    scheds = sorted(s["schedule"].unique())
    policies = [p for p in POLICY_STYLE if p in set(s["policy"]) and p != "oracle"]
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * len(scheds), 3.5))
    width = 0.8 / max(1, len(policies))
    for i, policy in enumerate(policies):
        p = s[s.policy == policy].set_index("schedule").reindex(scheds)
        label, color, _ = POLICY_STYLE[policy]
        ax.bar(np.arange(len(scheds)) + i * width, p["mean"], width, yerr=p["std"], label=label, color=color, capsize=2)
    ax.set_xticks(np.arange(len(scheds)) + width * (len(policies) - 1) / 2)
    ax.set_xticklabels(scheds, rotation=20, fontsize=8)
    ax.set_ylabel("regret over T - t_p")
    ax.legend(fontsize=7)
    _save(fig, pdf, png)


def plot_tree(table: pd.DataFrame, pdf, png) -> None:
    """Depth and number of leaves of Algorithm 1's tree over time (largest horizon of the table)."""
    big = table[(table["T"] == table["T"].max()) & (table.policy == "adaptive_tree")]
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.3))
    for ax, metric, ylabel in (
        (axes[0], "depth_so_far", "deepest level reached"),
        (axes[1], "leaves", "number of leaves"),
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
    axes[0].legend(fontsize=7)
    fig.suptitle("Algorithm 1: tree growth (mean ± sd over replicates)", fontsize=10)
    _save(fig, pdf, png)
