"""Figures of the estimation study: each function reads a results table and writes PDF and PNG."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .checks import ESTIMATOR_ORDER  # noqa: E402

LABELS = {
    "independent_ols": "Independent OLS",
    "averaging": "Averaging",
    "pooling": "Pooling",
    "averaging_multitask": "Averaging multitask",
    "robust_multitask": "Robust multitask (Alg. 1)",
}
AXIS_LABELS = {
    "n_per_instance": "n (observations per instance)",
    "dim": "d (dimension)",
    "n_instances": "N (instances)",
    "sparsity": "s (sparsity of deviations)",
    "trim_fraction": "trim fraction omega",
    "deviation_size": "deviation size |delta_j,i|",
}
COLORS = dict(zip(ESTIMATOR_ORDER, ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#AA3377"]))


def _save(fig: plt.Figure, pdf: str | Path, png: str | Path) -> None:
    fig.tight_layout()
    fig.savefig(pdf, metadata={"CreationDate": None})
    fig.savefig(png, dpi=150)
    plt.close(fig)


def _l1_summary(table: pd.DataFrame, axis: str) -> pd.DataFrame:
    data_poor = table["regime"].iloc[0] == "data_poor"
    rows = table[(table["metric"] == "l1") & (table["instance"].astype(str) == ("target" if data_poor else "mean"))]
    grouped = rows.groupby(["estimator", axis])["error"]
    return grouped.agg(["mean", "std", "count"]).reset_index()


def plot_error_curve(table: pd.DataFrame, rate_check: pd.DataFrame, pdf: str | Path, png: str | Path) -> None:
    """Log-log mean l1 error against the study's axis, with Table 1's predicted slope for each estimator."""
    axis = table["axis"].iloc[0]
    study = table["study"].iloc[0]
    summary = _l1_summary(table, axis)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for estimator in ESTIMATOR_ORDER:
        part = summary[summary["estimator"] == estimator].sort_values(axis)
        if part.empty:
            continue
        x, y = part[axis].to_numpy(float), part["mean"].to_numpy()
        se = part["std"].to_numpy() / np.sqrt(part["count"].to_numpy())
        ax.errorbar(x, y, yerr=se, marker="o", ms=4, color=COLORS[estimator], label=LABELS[estimator], capsize=2)
        check = rate_check[(rate_check["study"] == study) & (rate_check["estimator"] == estimator)]
        if not check.empty:
            slope = float(check["predicted_slope"].iloc[0])
            # Reference line with Table 1's slope through the geometric centre of the measured curve.
            centre_x, centre_y = np.exp(np.log(x).mean()), np.exp(np.log(y).mean())
            ax.plot(x, centre_y * (x / centre_x) ** slope, ls="--", lw=1, color=COLORS[estimator], alpha=0.7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    regime = table["regime"].iloc[0]
    ax.set_ylabel("mean l1 error" + (" of the data-poor target" if regime == "data_poor" else " over instances"))
    ax.set_title(f"{study}: measured (solid) and Table 1 slope (dashed)", fontsize=10)
    ax.legend(fontsize=8)
    _save(fig, pdf, png)


def plot_trim_sensitivity(table: pd.DataFrame, pdf: str | Path, png: str | Path) -> None:
    """Error of every estimator against the robust estimator's trimming level omega."""
    summary = _l1_summary(table, "trim_fraction")
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for estimator in ESTIMATOR_ORDER:
        part = summary[summary["estimator"] == estimator]
        part = part.assign(x=part["trim_fraction"].astype(float)).sort_values("x")
        se = part["std"] / np.sqrt(part["count"])
        ax.errorbar(
            part["x"],
            part["mean"],
            yerr=se,
            marker="o",
            ms=4,
            color=COLORS[estimator],
            label=LABELS[estimator],
            capsize=2,
        )
    ax.set_yscale("log")
    ax.set_xlabel(AXIS_LABELS["trim_fraction"] + " (0 = plain mean: averaging multitask)")
    ax.set_ylabel("mean l1 error over instances")
    ax.set_title("Sensitivity to the trimming level (only the robust estimator uses it)", fontsize=10)
    ax.legend(fontsize=8)
    _save(fig, pdf, png)


def plot_support_alignment(table: pd.DataFrame, pdf: str | Path, png: str | Path) -> None:
    """Bars: error of every estimator when the deviations' supports are random, aligned or disjoint."""
    summary = _l1_summary(table, "support")
    supports = list(dict.fromkeys(table["support"]))
    width = 0.8 / len(ESTIMATOR_ORDER)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for k, estimator in enumerate(ESTIMATOR_ORDER):
        part = summary[summary["estimator"] == estimator].set_index("support").reindex(supports)
        se = part["std"] / np.sqrt(part["count"])
        ax.bar(
            np.arange(len(supports)) + k * width,
            part["mean"],
            width,
            yerr=se,
            color=COLORS[estimator],
            label=LABELS[estimator],
        )
    ax.set_xticks(np.arange(len(supports)) + 0.4 - width / 2, supports)
    ax.set_yscale("log")
    ax.set_ylabel("mean l1 error over instances")
    ax.set_title("Aligned vs poorly-aligned deviations (Section 3.3, Figure 1)", fontsize=10)
    ax.legend(fontsize=8)
    _save(fig, pdf, png)


def plot_bounds(bound_check: pd.DataFrame, study: str, pdf: str | Path, png: str | Path) -> None:
    """Measured error against the explicit lower bounds (Props. 4-7) and Theorem 1's upper bound."""
    rows = bound_check[bound_check["study"] == study]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for estimator in ESTIMATOR_ORDER:
        part = rows[rows["estimator"] == estimator]
        if part.empty:
            continue
        part = part.assign(x=part["axis_value"].astype(float)).sort_values("x")
        ax.errorbar(
            part["x"],
            part["measured_l1"],
            yerr=2 * part["measured_se"],
            marker="o",
            ms=4,
            color=COLORS[estimator],
            label=f"{LABELS[estimator]} (measured)",
            capsize=2,
        )
        kind = part["bound_type"].iloc[0]
        ax.plot(
            part["x"],
            part["paper_bound"],
            ls=":" if kind == "upper_bound" else "--",
            color=COLORS[estimator],
            label=f"{part['source'].iloc[0]} ({kind.replace('_', ' ')})",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    axis = rows["axis"].iloc[0] if not rows.empty else ""
    ax.set_xlabel(AXIS_LABELS.get(axis, axis))
    ax.set_ylabel("mean l1 error (Sigma-hat = I, Gaussian noise)")
    ax.set_title("Measured error against the paper's explicit bounds", fontsize=10)
    ax.legend(fontsize=6, ncol=2)
    _save(fig, pdf, png)


__all__ = ["plot_bounds", "plot_error_curve", "plot_support_alignment", "plot_trim_sensitivity"]
