"""The rows that test the regret study's claims (:mod:`.claims`): the ``regret_check`` table.

:func:`regret_check` reads the experiments' tables (:mod:`.experiments`) and fits:

* growth in T (``regret_vs_t``): from the regret *increments* between checkpoints, which the additive
  regret of the forced-sampling phase does not bend: if R(t) ~ log^a t then dR/dlog t ~ log^(a-1) t,
  so the slope of log(dR/dlog t) on log log t estimates a - 1 and its slope on log t the power of t
  (0 for polylogarithmic regret, 1 for linear). Fitted on replicate means after 2 B_0 (once the
  all-sample estimators are in use); standard errors by resampling replicates;
* slopes in d and N (``regret_vs_d``, ``regret_vs_n``, ``data_poor``): per replicate, the slope of
  log regret on log d (or log N); estimate and standard error over replicates. Comparisons use the
  per-replicate difference of two policies' slopes (common random numbers: paired);
* Corollary 4 (``network``): the per-replicate difference between the target's regret at the Ñ
  nearest d^(1/(alpha+1)) and at an end of the Ñ grid.

:func:`sensitivity_summary` tabulates RMBandit's regret for other hyperparameters (no claim).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts as v
from ..stats import local_slope, mean_se
from .claims import _BY_ID, CLAIMS, INDEPENDENT, RMBANDIT


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.polyfit(x, y, 1)[0])


def _replicate_slopes(frame: pd.DataFrame, xcol: str) -> pd.DataFrame:
    """Per policy and replicate: slope of log(regret) on log(x)."""
    out = []
    for (policy, r), group in frame.groupby(["policy", "replicate"]):
        group = group.sort_values(xcol)
        y = np.log(np.maximum(group["value"].to_numpy(), 1e-9))
        out.append({"policy": policy, "replicate": r, "slope": _slope(np.log(group[xcol].to_numpy(float)), y)})
    return pd.DataFrame(out)


def growth_in_t(frame: pd.DataFrame, t_min: float, seed: int, resamples: int = 400) -> dict[str, tuple]:
    """RMBandit's exponent a of log^a t and power p of t in dR/dlog t: {name: (estimate, se, n, t_lo, t_hi)}."""
    rng = np.random.default_rng(seed)
    wide = frame[frame["policy"] == RMBANDIT].pivot_table(index="replicate", columns="t", values="value")
    ts = wide.columns.to_numpy(float)
    keep = ts >= t_min
    if keep.sum() < 4:
        nan = (np.nan, np.nan, len(wide), t_min, float(ts.max()) if ts.size else np.nan)
        return {"a": nan, "p": nan}
    values, ts = wide.to_numpy()[:, keep], ts[keep]
    mid = np.sqrt(ts[1:] * ts[:-1])

    def fit(sample):
        rate = np.diff(sample.mean(axis=0)) / np.diff(np.log(ts))
        ok = rate > 0
        if ok.sum() < 3:
            return np.nan, np.nan
        y = np.log(rate[ok])
        return _slope(np.log(np.log(mid[ok])), y) + 1.0, _slope(np.log(mid[ok]), y)

    a_hat, p_hat = fit(values)
    boot = np.array([fit(values[rng.integers(0, len(values), len(values))]) for _ in range(resamples)])
    se_a, se_p = np.nanstd(boot, axis=0, ddof=1)
    span = (float(ts[0]), float(ts[-1]))
    return {"a": (a_hat, se_a, len(values), *span), "p": (p_hat, se_p, len(values), *span)}


def filter_exclusion(frame: pd.DataFrame, policy: str = RMBANDIT) -> float | None:
    """Proposition 2's event, measured: the mean share of arrivals after B_0 at which ``policy``'s forced-sample
    filter excluded the optimal arm (a column ``filter_exclusion``, or rows of metric ``filter_exclusion``);
    None when the table does not record it."""
    rows = frame[frame["policy"] == policy] if "policy" in frame else frame
    if "metric" in rows and (rows["metric"] == "filter_exclusion").any():
        return float(rows.loc[rows["metric"] == "filter_exclusion", "value"].mean())
    if "filter_exclusion" in rows and rows["filter_exclusion"].notna().any():
        return float(rows["filter_exclusion"].mean())
    return None


def _premise_params(
    cfg: dict, N: float, d: float, s: float, T: float, frame: pd.DataFrame, capped: bool = True
) -> dict:
    """The parameters :mod:`.premises` reads, for one point: the practical trimming path's zeta_1,0 and eta_1,0."""
    hp = cfg["hyperparameters"]
    zeta = float(np.sqrt(max(s, 1) / d))
    if capped and hp.get("zeta_max") is not None:
        zeta = min(zeta, float(hp["zeta_max"]))
    return {
        "N": N,
        "K": cfg["problem"]["K"],
        "d": d,
        "s": s,
        "T": T,
        "h": hp["h"],
        "zeta10": zeta,
        "eta10": float(hp["eta10"]),
        "filter_exclusion": filter_exclusion(frame),
    }


def _t_rows(tables: dict[str, pd.DataFrame], cfg: dict) -> list[dict]:
    frame = tables["regret_vs_t"]
    block, hp = cfg["experiments"]["regret_vs_t"], cfg["hyperparameters"]
    N, d, K = block["N"], block["d"], cfg["problem"]["K"]
    T = N * block["T_per_instance"]
    b0 = hp["forced_scale"] * K * d * N * np.log(T)  # B_0 of the practical q (equal traffic)
    fits = growth_in_t(frame, t_min=2 * b0, seed=len(frame))
    a, a_se, n, t_lo, t_hi = fits["a"]
    p, p_se = fits["p"][:2]
    label = f"regret_vs_t: t in [{t_lo:.0f}, {t_hi:.0f}] (after 2 B_0)"
    exponent = _BY_ID["000-corollary3-T-log-exponent"]
    polylog = _BY_ID["000-corollary3-T-polylog"]
    local_power = (2.0 - 1.0) / np.log(np.sqrt(t_lo * t_hi))  # of log^2 t at the range's geometric centre
    status = v.premises_of(exponent, _premise_params(cfg, N, d, cfg["problem"]["s"], T, frame))
    return [
        v.measurement_row(
            exponent,
            label,
            "exponent a of log^a t",
            a,
            a_se,
            n,
            -np.inf,
            2.0 + exponent.slack,
            premises=status,
            policy=RMBANDIT,
        ),
        v.measurement_row(
            polylog,
            label,
            "power of t in dR/dlog t",
            p,
            p_se,
            n,
            -np.inf,
            local_power + polylog.slack,
            premises=status,
            policy=RMBANDIT,
        ),
    ]


def _grid_premises(claim: v.Claim, frame: pd.DataFrame, column: str, cfg: dict, extra: dict | None = None) -> str:
    """``claim``'s premises at every grid value of ``column`` (the experiment's N, d, s, T read from its rows)."""
    labels, points = [], []
    try:
        for value, rows in frame.groupby(column, sort=True):
            first = rows.iloc[0]
            s = float(first["s"]) if "s" in rows else float(cfg["problem"]["s"])
            params = _premise_params(cfg, float(first["N"]), float(first["d"]), s, float(first["T"]), rows)
            if "ratio" in rows:
                params["ratio"] = float(first["ratio"])
            labels.append(f"{column}={value:g}")
            points.append({**params, **(extra or {})})
    except KeyError as missing:
        return f"{v.NOT_CHECKED}: the table or config lacks {missing}"
    return v.premises_over(claim, points, labels)


def _slope_rows(
    frame: pd.DataFrame, column: str, experiment: str, claims: tuple[str, str], terms, cfg: dict | None = None
) -> list[dict]:
    """The upper-bound row of RMBandit's slope in ``column`` (``claims[0]``, bound's ``terms``) and the comparison
    rows against the independent bandits (``claims[1]``)."""
    grid = np.sort(frame[column].unique()).astype(float)
    if len(grid) < 2:
        return []  # a slope needs two grid values
    slopes = _replicate_slopes(frame[frame["policy"] != "oracle"], column)
    label = f"{experiment}: {column} in [{grid[0]:g}, {grid[-1]:g}]"
    claim, comparison = _BY_ID[claims[0]], _BY_ID[claims[1]]
    spec = cfg.get("experiments", {}).get(experiment, {}) if cfg else {}
    extra = {"ratio_scale": spec["ratio_scale"]} if "ratio_scale" in spec else {}
    status = _grid_premises(claim, frame, column, cfg, extra) if cfg is not None else ""
    largest = max(local_slope(term, grid) for term in terms)
    rows = []
    mine = slopes[slopes["policy"] == RMBANDIT].set_index("replicate")["slope"]
    if not mine.empty:
        estimate, se = mean_se(mine.to_numpy())
        statistic = f"log-log slope of regret in {column}"
        rows.append(
            v.measurement_row(
                claim, label, statistic, estimate, se, len(mine), -np.inf, largest + claim.slack, premises=status
            )
        )
    for other in INDEPENDENT:
        theirs = slopes[slopes["policy"] == other].set_index("replicate")["slope"]
        difference = (mine - theirs).dropna()
        if difference.empty:
            continue
        estimate, se = mean_se(difference.to_numpy())
        rows.append(
            v.measurement_row(
                comparison,
                f"{label}, rmbandit - {other}",
                f"difference of log-log slopes in {column}",
                estimate,
                se,
                len(difference),
                -np.inf,
                0.0,
                premises=status,
            )
        )
    return rows


def network_bound(n_tilde: float, alpha: float, d: float) -> float:
    """Corollary 4's bound on the target's regret up to constants and logs: d (s~ + d/N~), s~ = min(N~^alpha, d)."""
    return d * (min(n_tilde**alpha, d) + d / n_tilde)


def _network_rows(frame: pd.DataFrame, cfg: dict) -> list[dict]:
    claim = _BY_ID["000-corollary4-ntilde"]
    d = cfg["experiments"]["network"]["d"]
    rows = []
    for alpha, group in frame[frame["policy"] == RMBANDIT].groupby("alpha"):
        wide = group.pivot_table(index="replicate", columns="n_tilde", values="value")
        grid = wide.columns.to_numpy(float)
        n_star = d ** (1.0 / (alpha + 1.0))
        best = grid[np.argmin(np.abs(np.log(grid / n_star)))]
        for end in (grid.min(), grid.max()):
            if end == best or network_bound(end, alpha, d) < 2 * network_bound(best, alpha, d):
                continue  # the bound predicts no clear gap to this end
            difference = (wide[best] - wide[end]).to_numpy()
            estimate, se = mean_se(difference)
            first = group.iloc[0]
            params = _premise_params(
                cfg,
                float(first["N"]),
                float(d),
                min(max(best, end) ** alpha, d),
                float(first["T"]),
                group,
                capped=False,
            )
            params |= {"alpha": float(alpha), "n_tilde": float(best), "n_tilde_end": float(end)}
            rows.append(
                v.measurement_row(
                    claim,
                    f"network alpha={alpha:g}: N~={best:g} (nearest d^(1/(alpha+1)) = {n_star:.2f}) vs N~={end:g}",
                    "target regret at N~* minus at the end",
                    estimate,
                    se,
                    len(difference),
                    -np.inf,
                    0.0,
                    premises=v.premises_of(claim, params),
                    policy=RMBANDIT,
                )
            )
    return rows


def regret_check(tables: dict[str, pd.DataFrame], cfg: dict, seed: int = 0) -> pd.DataFrame:
    """Every measurement row of the regret study's claims, with their verdicts (:func:`banditlab.verdicts.evaluate`).

    ``tables``: the experiments' tables by name; ``cfg``: the ``bandits`` block (``seed`` is not used: the
    bootstraps are seeded by their table's size)."""
    s = cfg["problem"]["s"]
    experiments = cfg["experiments"]
    rows: list[dict] = []
    if "regret_vs_t" in tables:
        rows += _t_rows(tables, cfg)
    if "regret_vs_d" in tables:
        N = experiments["regret_vs_d"]["N"]
        terms = (lambda d: d * s, lambda d: d * d / N)
        claims = ("000-corollary3-d", "000-corollary3-vs-independent")
        rows += _slope_rows(tables["regret_vs_d"], "d", "regret_vs_d", claims, terms, cfg)
    if "regret_vs_n" in tables:
        d = experiments["regret_vs_n"]["d"]
        terms = (lambda n: s * np.log(n), lambda n: d / n * np.log(n))
        claims = ("000-corollary3-N", "000-corollary3-N-vs-independent")
        rows += _slope_rows(tables["regret_vs_n"], "N", "regret_vs_n", claims, terms, cfg)
    if "data_poor" in tables:
        horizon = experiments["data_poor"]["T_target"]
        terms = (lambda d: s**2 * np.log(d * horizon) ** 2,)
        claims = ("000-theorem3-d", "000-theorem3-vs-independent")
        rows += _slope_rows(tables["data_poor"], "d", "data_poor", claims, terms, cfg)
    if "network" in tables:
        rows += _network_rows(tables["network"], cfg)
    return v.evaluate(pd.DataFrame(rows), CLAIMS)


def sensitivity_table(tables: dict[str, pd.DataFrame], cfg: dict, seed: int = 0) -> pd.DataFrame:
    """``regret_sensitivity``: :func:`sensitivity_summary` of the sensitivity experiment."""
    return sensitivity_summary(tables["sensitivity"])


def sensitivity_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean per-instance regret (and 95% half-width) per policy and hyperparameter value."""
    grouped = frame.groupby(["parameter", "parameter_value", "policy"])["value"]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    out["ci95"] = 1.96 * out["std"] / np.sqrt(out["count"])
    return out.rename(columns={"mean": "regret_per_instance", "count": "replicates"}).drop(columns="std")
