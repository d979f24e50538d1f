"""Figures of the estimation study's newer views: Lemma 1's tail and line 345's gain over OLS.

Each draws only the tables it is declared with (:mod:`.study`) and returns the figure.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .figures import COLORS, LABELS
from .measure import rows_of_interest

__all__ = ["gain_over_ols", "lemma1_tail"]


def lemma1_tail(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Lemma 1: the trimmed mean's and the plain mean's mean error against Lemma 1's bound, along N."""
    (table,) = tables.values()
    axis = table["axis"].iloc[0]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    styles = {"trimmed_mean": ("trimmed mean (omega = zeta + eta)", "#AA3377"), "mean": ("plain mean", "#4477AA")}
    for estimator, (label, colour) in styles.items():
        rows = table[(table["estimator"] == estimator) & (table["metric"] == "error_mean")]
        summary = rows.groupby(rows[axis].astype(float))["error"].mean()
        ax.plot(summary.index, summary.to_numpy(), marker="o", color=colour, label=f"{label}: mean |error|")
    bound = table[table["metric"] == "lemma1_bound"].groupby(table[axis].astype(float))["error"].mean()
    ax.plot(bound.index, bound.to_numpy(), ls="--", color="k", label="Lemma 1's bound")
    ax.set(xscale="log", yscale="log", xlabel=axis, ylabel="|mu_hat - mu| (units of sigma)")
    ax.set_title("Lemma 1: trimmed mean under the largest corruption it allows", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def gain_over_ols(tables: Mapping[str, pd.DataFrame], options: Mapping) -> plt.Figure:
    """Line 345: the robust multitask estimator's mean error over independent OLS's along d, with N proportional to
    d/s and at fixed N, beside the d^(-1/2) of the claimed sqrt(d) gain."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    markers = ["o", "s", "^", "v"]
    for k, ((name, table), marker) in enumerate(zip(tables.items(), markers)):
        rows = rows_of_interest(table)
        means = rows.groupby(["estimator", rows["dim"].astype(float)])["error"].mean().unstack(0)
        if not {"robust_multitask", "independent_ols"} <= set(means.columns):
            continue
        ratio = means["robust_multitask"] / means["independent_ols"]
        grows = table.groupby("dim")["n_instances"].first().nunique() > 1
        label = f"{name} ({'N proportional to d/s' if grows else 'N fixed'})"
        colour = COLORS["robust_multitask"] if k == 0 else COLORS["independent_ols"]
        ax.plot(ratio.index, ratio.to_numpy(), marker=marker, color=colour, label=label)
        x = ratio.index.to_numpy(float)
        centre_x, centre_y = np.exp(np.log(x).mean()), np.exp(np.log(ratio.to_numpy()).mean())
        ax.plot(x, centre_y * (x / centre_x) ** -0.5, ls="--", lw=1, color="grey")
    ax.set(xscale="log", yscale="log", xlabel="d (dimension)")
    ax.set_ylabel(f"mean l1 error: {LABELS['robust_multitask']} / {LABELS['independent_ols']}", fontsize=8)
    ax.set_title("Line 345: the sqrt(d) gain needs N = Omega(d/s) (dashed: d^(-1/2))", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
