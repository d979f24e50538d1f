"""The rows of Corollary 4's claims (:mod:`.claims`), from a network experiment's table (:func:`network_rows`).

* ``000-corollary4-ntilde``: per alpha > 0, d and end of the N~ grid (N~ = 1 and N~ = N; nothing left out), the
  per-replicate difference between the target's regret at the N~ nearest d^(1/(alpha+1)) and at the end. Its
  control: the same difference at alpha = 0 (same d, same N~), against N~ = N.
* ``000-corollary4-scaling``: per alpha > 0 with at least two d, the log-log slope in d of the N~ that minimises
  the target's mean regret (:func:`regret_minimiser`, replicates bootstrapped within each d), against
  1/(alpha+1); its control, the same fit at alpha = 0.

Premises per row (:func:`banditlab.bandits.premises.corollary4_premises`) at the N~ compared, with the filter's
measured exclusion share of those runs (the largest of all arrivals' and the target's).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts as v
from ..stats import mean_se
from .claims import _BY_ID, RMBANDIT

__all__ = ["network_bound", "network_rows", "regret_minimiser"]

SCALING_RESAMPLES = 400


def network_bound(n_tilde: float, alpha: float, d: float) -> float:
    """Corollary 4's bound on the target's regret up to constants and logs: d (s~ + d/N~), s~ = min(N~^alpha, d)."""
    return d * (min(n_tilde**alpha, d) + d / n_tilde)


def _nearest(grid: np.ndarray, target: float) -> float:
    return float(grid[np.argmin(np.abs(np.log(grid / target)))])


def regret_minimiser(grid: np.ndarray, means: np.ndarray) -> float:
    """The N~ minimising the target's mean regret: the vertex of the parabola through the smallest mean and its two
    neighbours, in log N~ (kept between those neighbours); the grid's end when the smallest mean is there."""
    x, f = np.log(np.asarray(grid, float)), np.asarray(means, float)
    i = int(np.argmin(f))
    if i == 0 or i == len(x) - 1:
        return float(grid[i])
    (x0, x1, x2), (f0, f1, f2) = x[i - 1 : i + 2], f[i - 1 : i + 2]
    denominator = (x1 - x0) * (f1 - f2) - (x1 - x2) * (f1 - f0)
    if denominator == 0:
        return float(grid[i])
    vertex = x1 - 0.5 * ((x1 - x0) ** 2 * (f1 - f2) - (x1 - x2) ** 2 * (f1 - f0)) / denominator
    return float(np.exp(np.clip(vertex, x0, x2)))


def _params(hp: dict, first: pd.Series, runs: pd.DataFrame, alpha: float, n_tilde: float, end: float) -> dict:
    from .checks import premise_params

    d = float(first["d"])
    s_tilde = min(max(n_tilde, end) ** alpha, d)
    params = premise_params(hp, float(first["K"]), float(first["N"]), d, s_tilde, float(first["T"]), runs, capped=False)
    return params | {"alpha": alpha, "n_tilde": n_tilde, "n_tilde_end": end}


def _wide(group: pd.DataFrame) -> pd.DataFrame:
    return group.pivot_table(index="replicate", columns="n_tilde", values="value")


def network_rows(name: str, frame: pd.DataFrame, cfg: dict, hp: dict) -> list[dict]:
    """Every Corollary 4 row of one network experiment (module docstring); ``hp``: its hyperparameters."""
    claim, scaling = _BY_ID["000-corollary4-ntilde"], _BY_ID["000-corollary4-scaling"]
    frame = frame[frame["policy"] == RMBANDIT]
    if "metric" in frame:
        frame = frame[frame["metric"] == "regret_target"]
    if frame.empty:
        return []
    if "d" not in frame:
        frame = frame.assign(d=cfg["experiments"][name]["d"])
    if "K" not in frame:
        frame = frame.assign(K=cfg["problem"]["K"])
    rows: list[dict] = []
    for d, at_d in frame.groupby("d", sort=True):
        zero = at_d[at_d["alpha"] == 0]
        for alpha, group in at_d[at_d["alpha"] > 0].groupby("alpha", sort=True):
            rows += _end_rows(name, claim, hp, group, zero, float(alpha), float(d))
    for alpha, group in frame[frame["alpha"] > 0].groupby("alpha", sort=True):
        rows += _scaling_rows(name, scaling, hp, group, frame[frame["alpha"] == 0], float(alpha))
    return rows


def _end_rows(name, claim, hp, group, zero, alpha: float, d: float) -> list[dict]:
    wide = _wide(group)
    grid = wide.columns.to_numpy(float)
    n_star = d ** (1.0 / (alpha + 1.0))
    best = _nearest(grid, n_star)
    first = group.iloc[0]
    rows = []
    for end in (grid.min(), grid.max()):
        if end == best:
            continue  # the grid's end is the N~ nearest the optimum: nothing to compare
        difference = (wide[best] - wide[end]).to_numpy()
        estimate, se = mean_se(difference)
        runs = group[group["n_tilde"].isin([best, end])]
        status = v.premises_of(claim, _params(hp, first, runs, alpha, best, end))
        label = f"{name} alpha={alpha:g}, d={d:g}: N~={best:g} (nearest d^(1/(alpha+1)) = {n_star:.2f}) vs N~={end:g}"
        statistic = "target regret at N~* minus at the end"
        rows.append(
            v.measurement_row(
                claim, label, statistic, estimate, se, len(difference), -np.inf, 0.0, premises=status, policy=RMBANDIT
            )
        )
        if end == grid.max() and not zero.empty:
            control = _wide(zero)
            if best in control and end in control:
                difference = (control[best] - control[end]).to_numpy()
                estimate, se = mean_se(difference)
                rows.append(
                    v.control_row(
                        claim,
                        f"{name} alpha=0 (control), d={d:g}: N~={best:g} vs N~={end:g}",
                        statistic,
                        estimate,
                        se,
                        len(difference),
                        -np.inf,
                        0.0,
                        policy=RMBANDIT,
                    )
                )
    return rows


def _minimiser_slope(group: pd.DataFrame, seed: int) -> tuple[float, float, int, dict]:
    """Slope of log(minimiser) on log d, its bootstrap se, the replicates, and the minimiser per d."""
    rng = np.random.default_rng(seed)
    by_d = {float(d): _wide(rows) for d, rows in group.groupby("d", sort=True)}
    ds = np.array(sorted(by_d))
    point = {d: regret_minimiser(wide.columns.to_numpy(float), wide.mean().to_numpy()) for d, wide in by_d.items()}
    slope = float(np.polyfit(np.log(ds), np.log([point[d] for d in ds]), 1)[0])
    draws = []
    for _ in range(SCALING_RESAMPLES):
        values = []
        for d in ds:
            wide = by_d[d]
            sample = wide.iloc[rng.integers(0, len(wide), len(wide))]
            values.append(regret_minimiser(wide.columns.to_numpy(float), sample.mean().to_numpy()))
        draws.append(np.polyfit(np.log(ds), np.log(values), 1)[0])
    replicates = min(len(wide) for wide in by_d.values())
    return slope, float(np.std(draws, ddof=1)), replicates, point


def _scaling_rows(name, claim, hp, group, zero, alpha: float) -> list[dict]:
    ds = np.sort(group["d"].unique()).astype(float)
    if len(ds) < 2:
        return []
    target = 1.0 / (alpha + 1.0)
    low, high = target - claim.slack, target + claim.slack
    slope, se, n, point = _minimiser_slope(group, seed=len(group))
    labels, params = [], []
    for d, rows in group.groupby("d", sort=True):
        grid = np.sort(rows["n_tilde"].unique()).astype(float)
        near = _nearest(grid, point[float(d)])
        runs = rows[rows["n_tilde"] == near]
        labels.append(f"d={d:g}")
        params.append(_params(hp, rows.iloc[0], runs, alpha, near, near))
    status = v.premises_over(claim, params, labels)
    minimisers = ", ".join(f"{point[d]:.3g} at d={d:g}" for d in ds)
    label = f"{name} alpha={alpha:g}: d in [{ds[0]:g}, {ds[-1]:g}]"
    statistic = "log-log slope in d of the regret-minimising N~"
    rows = [
        v.measurement_row(
            claim, label, statistic, slope, se, n, low, high, premises=status, policy=RMBANDIT, note=minimisers
        )
    ]
    if zero["d"].nunique() >= 2:
        slope0, se0, n0, point0 = _minimiser_slope(zero, seed=len(zero))
        note = ", ".join(f"{value:.3g} at d={d:g}" for d, value in point0.items())
        rows.append(
            v.control_row(
                claim,
                f"{name} alpha=0 (control, alpha={alpha:g}'s region)",
                statistic,
                slope0,
                se0,
                n0,
                low,
                high,
                policy=RMBANDIT,
                note=note,
            )
        )
    return rows
