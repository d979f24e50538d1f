"""The rows that test the regret study's claims (:mod:`.claims`): the ``regret_check`` table.

:func:`regret_check` reads the experiments' tables (:mod:`.experiments`), each by its kind (its run function and
grid axis, :func:`experiment_kind`, so that a second experiment of a kind needs no code), and fits:

* growth in T (run_regret without a grid, uniform contexts): from the regret *increments* between checkpoints,
  which the additive regret of the forced-sampling phase does not bend: if R(t) ~ log^a t then dR/dlog t ~
  log^(a-1) t, so the slope of log(dR/dlog t) on log log t estimates a - 1 and its slope on log t the power of t
  (0 for polylogarithmic regret, 1 for linear). Fitted on replicate means after 2 B_0 (once the all-sample
  estimators are in use); standard errors by resampling replicates. The same fits on the pooled policy are the
  negative control. Proposition 2's and Lemma 11's events are counted per replicate on the same runs;
* slopes in d, N and K (run_regret with a d, N or K grid; ``data_poor``): per replicate, the slope of log regret
  on log d (or log N, log K); estimate and standard error over replicates. Comparisons use the per-replicate
  difference of two policies' slopes (common random numbers: paired). The controls: the OLS Bandit's slope for
  the upper bounds (the pooled policy's along K), the pooled policy minus the independent bandits for the
  comparisons;
* Corollary 4 (the network experiments): :mod:`.network_rows`.

Each row's premises come from :mod:`.premises` with the experiment's own hyperparameters (the study's, updated by
its block's ``hyperparameters``) and the measured Proposition 2 event (the filter's exclusion share, the largest
of all arrivals' and the target's; :func:`event_share`).

:func:`sensitivity_summary` tabulates RMBandit's regret for other hyperparameters (no claim).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import verdicts as v
from ..stats import local_slope, mean_se
from .claims import _BY_ID, CLAIMS, INDEPENDENT, RMBANDIT
from .network_rows import network_bound, network_rows

__all__ = [
    "REGRET_METRICS",
    "event_share",
    "experiment_kind",
    "filter_exclusion",
    "growth_in_t",
    "network_bound",
    "premise_params",
    "regret_check",
    "sensitivity_summary",
    "sensitivity_table",
]

REGRET_METRICS = ("regret_per_instance", "regret_target")
"""The regret metrics the claims read (a table's other metrics, e.g. the lock-in shares, are left out)."""
POOLED = "pooled"
CONTROL_POLICY = {"d": "ols_bandit", "N": "ols_bandit", "K": POOLED, "data_poor": "ols_bandit"}
"""The policy whose slope is the negative control of each upper bound (the claims' ``control``)."""
_RUNS = {"data_poor": "run_data_poor", "network": "run_network", "sensitivity": "run_sensitivity"}


def _slope(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.polyfit(x, y, 1)[0])


def _regret(frame: pd.DataFrame) -> pd.DataFrame:
    if "metric" not in frame:
        return frame
    return frame[frame["metric"].isin(REGRET_METRICS)]


def _hyper(cfg: dict, experiment: str) -> dict:
    """The experiment's hyperparameters: the study's, updated by its block's own."""
    own = cfg.get("experiments", {}).get(experiment, {}).get("hyperparameters", {})
    return {**cfg.get("hyperparameters", {}), **own}


def experiment_kind(cfg: dict, name: str, frame: pd.DataFrame) -> str | None:
    """``"t"``, ``"d"``, ``"N"``, ``"K"``, ``"data_poor"``, ``"network"`` or None: what an experiment's table
    measures, from its declared run function and its grid axis (a name the config does not declare is read as the
    built-in experiment of that name)."""
    from .study import STUDY

    spec = cfg.get("experiments", {}).get(name, {})
    try:
        run = STUDY.experiment(name, cfg).run.rsplit(":", 1)[-1]
    except (KeyError, ValueError):
        run = _RUNS.get(name, "run_regret")
    if run == "run_data_poor":
        return "data_poor"
    if run == "run_network":
        return "network"
    if run != "run_regret":
        return None
    axes = list(spec.get("grid") or {})
    if not axes:
        axes = [axis for axis in ("d", "N", "K") if name == f"regret_vs_{axis.lower()}"]
    if len(axes) == 1 and axes[0] in ("d", "N", "K"):
        return axes[0]
    contexts = spec.get("contexts", cfg.get("problem", {}).get("contexts", "uniform"))
    if not axes and "t" in frame and contexts != "no_diversity":
        return "t"
    return None


def filter_exclusion(frame: pd.DataFrame, policy: str = RMBANDIT, column: str = "filter_exclusion") -> float | None:
    """Proposition 2's event, measured: the mean share of arrivals after B_0 at which ``policy``'s forced-sample
    filter excluded the optimal arm (``column``: over all arrivals, or ``filter_exclusion_target`` over the
    target's); None when the table does not record it."""
    rows = frame[frame["policy"] == policy] if "policy" in frame else frame
    if "metric" in rows and (rows["metric"] == column).any():
        return float(rows.loc[rows["metric"] == column, "value"].mean())
    if column in rows and rows[column].notna().any():
        return float(rows[column].mean())
    return None


def event_share(frame: pd.DataFrame, policy: str = RMBANDIT) -> float | None:
    """The largest of the filter's mean exclusion shares over all arrivals and over the target's (each is at most
    P[A fails]); None when neither is recorded."""
    shares = [filter_exclusion(frame, policy, column) for column in ("filter_exclusion", "filter_exclusion_target")]
    shares = [share for share in shares if share is not None]
    return max(shares) if shares else None


def premise_params(
    hp: dict, K: float, N: float, d: float, s: float, T: float, frame: pd.DataFrame, capped: bool = True
) -> dict:
    """The parameters :mod:`.premises` reads, for one point: the practical trimming path's zeta_1,0 and eta_1,0 of
    the experiment's hyperparameters ``hp``, and the measured event share."""
    zeta = float(np.sqrt(max(s, 1) / d))
    if capped and hp.get("zeta_max") is not None:
        zeta = min(zeta, float(hp["zeta_max"]))
    return {
        "N": N,
        "K": K,
        "d": d,
        "s": s,
        "T": T,
        "h": hp["h"],
        "zeta10": zeta,
        "eta10": float(hp["eta10"]),
        "filter_exclusion": event_share(frame),
    }


def _arms(cfg: dict, frame: pd.DataFrame) -> int:
    if "K" in frame and frame["K"].notna().any():
        return int(frame["K"].iloc[0])
    return int(cfg["problem"]["K"])


# --------------------------------------------------------------------------------------------- growth in T


def growth_in_t(
    frame: pd.DataFrame, t_min: float, seed: int, resamples: int = 400, policy: str = RMBANDIT
) -> dict[str, tuple]:
    """``policy``'s exponent a of log^a t and power p of t in dR/dlog t: {name: (estimate, se, n, t_lo, t_hi)}."""
    rng = np.random.default_rng(seed)
    wide = _regret(frame)[lambda f: f["policy"] == policy].pivot_table(index="replicate", columns="t", values="value")
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


def _t_rows(name: str, frame: pd.DataFrame, cfg: dict) -> list[dict]:
    spec, hp = cfg["experiments"][name], _hyper(cfg, name)
    N, d, K = spec["N"], spec["d"], _arms(cfg, frame)
    T = N * spec["T_per_instance"]
    b0 = hp["forced_scale"] * K * d * N * np.log(T)  # B_0 of the practical q (equal traffic)
    exponent = _BY_ID["000-corollary3-T-log-exponent"]
    polylog = _BY_ID["000-corollary3-T-polylog"]
    status = v.premises_of(exponent, premise_params(hp, K, N, d, cfg["problem"]["s"], T, frame))
    rows = []
    for policy in (RMBANDIT, POOLED):
        if policy not in set(frame["policy"]):
            continue
        fits = growth_in_t(frame, t_min=2 * b0, seed=len(frame), policy=policy)
        if policy != RMBANDIT and not np.isfinite(fits["a"][0]):
            continue  # no fit of the control here (too few checkpoints after 2 B_0): no control row
        a, a_se, n, t_lo, t_hi = fits["a"]
        p, p_se = fits["p"][:2]
        label = f"{name}: t in [{t_lo:.0f}, {t_hi:.0f}] (after 2 B_0)"
        local_power = (2.0 - 1.0) / np.log(np.sqrt(t_lo * t_hi))  # of log^2 t at the range's geometric centre
        make = v.measurement_row if policy == RMBANDIT else v.control_row
        extra = {"premises": status} if policy == RMBANDIT else {}
        label = label if policy == RMBANDIT else f"{label} [{policy}]"
        rows += [
            make(
                exponent,
                label,
                "exponent a of log^a t",
                a,
                a_se,
                n,
                -np.inf,
                2.0 + exponent.slack,
                policy=policy,
                **extra,
            ),
            make(
                polylog,
                label,
                "power of t in dR/dlog t",
                p,
                p_se,
                n,
                -np.inf,
                local_power + polylog.slack,
                policy=policy,
                **extra,
            ),
        ]
    return rows


def _per_replicate(frame: pd.DataFrame, policy: str) -> pd.DataFrame:
    rows = frame[frame["policy"] == policy]
    return rows.drop_duplicates("replicate")


def _event_rows(name: str, frame: pd.DataFrame, cfg: dict) -> list[dict]:
    """Proposition 2 (instance 0, arm 0) and Lemma 11 (event A; the filter drops an optimal arm): one exceedance row
    each per policy with a forced-sample filter (RMBandit: the claim; pooled: the control)."""
    columns = {"forced_error_ratio", "forced_error_ratio_00", "filter_exclusion"}
    if not columns <= set(frame.columns):
        return []
    spec = cfg["experiments"][name]
    N, d, K = spec["N"], spec["d"], _arms(cfg, frame)
    T = N * spec["T_per_instance"]
    prop2, lemma11 = _BY_ID["000-proposition2"], _BY_ID["000-lemma11"]
    params = {"N": N, "K": K, "d": d, "s": cfg["problem"]["s"], "T": T}
    rows = []
    for policy in (RMBANDIT, POOLED):
        reps = _per_replicate(frame, policy)
        if reps.empty or reps["forced_error_ratio"].isna().all():
            continue
        extra = {"premises": v.premises_of(prop2, params)} if policy == RMBANDIT else {"role": v.CONTROL_ROLE}
        n = len(reps)
        events = (
            (
                prop2,
                "forced-sample estimator (instance 0, arm 0) off by more than h/(4 x_max)",
                "forced_error_ratio_00",
                10 / T,
            ),
            (
                lemma11,
                "event A fails (some forced-sample estimator off by more than h/(4 x_max))",
                "forced_error_ratio",
                10 * K * N / T,
            ),
        )
        for claim, what, column, failure in events:
            exceed = int((reps[column] > 1).sum())
            rows.append(
                v.exceedance_row(
                    claim,
                    f"{name} [{policy}]",
                    f"share of replicates: {what}",
                    exceed,
                    n,
                    failure,
                    policy=policy,
                    **extra,
                )
            )
        exceed = int((reps["filter_exclusion"] > 0).sum())
        rows.append(
            v.exceedance_row(
                lemma11,
                f"{name} [{policy}]: filter",
                "share of replicates whose filter drops an optimal arm after B_0",
                exceed,
                n,
                10 * K * N / T,
                policy=policy,
                **extra,
            )
        )
    return rows


# ------------------------------------------------------------------------------------------ slopes in d, N, K


def _replicate_slopes(frame: pd.DataFrame, xcol: str) -> pd.DataFrame:
    """Per policy and replicate: slope of log(regret) on log(x)."""
    out = []
    for (policy, r), group in frame.groupby(["policy", "replicate"]):
        group = group.sort_values(xcol)
        y = np.log(np.maximum(group["value"].to_numpy(), 1e-9))
        out.append({"policy": policy, "replicate": r, "slope": _slope(np.log(group[xcol].to_numpy(float)), y)})
    return pd.DataFrame(out, columns=["policy", "replicate", "slope"])


def _grid_premises(claim: v.Claim, frame: pd.DataFrame, column: str, cfg: dict, name: str, extra: dict) -> str:
    """``claim``'s premises at every grid value of ``column`` (the experiment's N, d, s, T, K read from its rows)."""
    labels, points = [], []
    hp = _hyper(cfg, name)
    try:
        for value, rows in frame.groupby(column, sort=True):
            first = rows.iloc[0]
            s = float(first["s"]) if "s" in rows else float(cfg["problem"]["s"])
            K = _arms(cfg, rows)
            params = premise_params(hp, K, float(first["N"]), float(first["d"]), s, float(first["T"]), rows)
            if "ratio" in rows:
                params["ratio"] = float(first["ratio"])
            labels.append(f"{column}={value:g}")
            points.append({**params, **extra})
    except KeyError as missing:
        return f"{v.NOT_CHECKED}: the table or config lacks {missing}"
    return v.premises_over(claim, points, labels)


def _slope_rows(frame: pd.DataFrame, column: str, name: str, claims: tuple, terms, cfg: dict, kind: str) -> list[dict]:
    """The upper-bound row of RMBandit's slope in ``column`` (``claims[0]``, the bound's ``terms``) with its control
    (:data:`CONTROL_POLICY`), and the comparison rows against the independent bandits (``claims[1]``, if any) with
    the pooled policy's as control."""
    frame = _regret(frame)
    grid = np.sort(frame[column].unique()).astype(float)
    if len(grid) < 2:
        return []  # a slope needs two grid values
    slopes = _replicate_slopes(frame[frame["policy"] != "oracle"], column)
    label = f"{name}: {column} in [{grid[0]:g}, {grid[-1]:g}]"
    claim = _BY_ID[claims[0]]
    spec = cfg.get("experiments", {}).get(name, {})
    extra = {"ratio_scale": spec["ratio_scale"]} if "ratio_scale" in spec else {}
    if kind == "K":
        extra["K_grid"] = [int(k) for k in grid]
    status = _grid_premises(claim, frame, column, cfg, name, extra)
    largest = max(local_slope(term, grid) for term in terms)
    statistic = f"log-log slope of regret in {column}"

    def slopes_of(policy):
        return slopes[slopes["policy"] == policy].set_index("replicate")["slope"]

    rows = []
    mine = slopes_of(RMBANDIT)
    if not mine.empty:
        estimate, se = mean_se(mine.to_numpy())
        rows.append(
            v.measurement_row(
                claim, label, statistic, estimate, se, len(mine), -np.inf, largest + claim.slack, premises=status
            )
        )
    control = slopes_of(CONTROL_POLICY[kind])
    if not control.empty:
        estimate, se = mean_se(control.to_numpy())
        row = f"{label} [{CONTROL_POLICY[kind]}]"
        rows.append(v.control_row(claim, row, statistic, estimate, se, len(control), -np.inf, largest + claim.slack))
    if len(claims) < 2:
        return rows
    comparison = _BY_ID[claims[1]]
    for other in INDEPENDENT:
        theirs = slopes_of(other)
        for who, make in ((RMBANDIT, v.measurement_row), (POOLED, v.control_row)):
            difference = (slopes_of(who) - theirs).dropna()
            if difference.empty:
                continue
            estimate, se = mean_se(difference.to_numpy())
            extra_row = {"premises": status} if who == RMBANDIT else {}
            rows.append(
                make(
                    comparison,
                    f"{label}, {who} - {other}",
                    f"difference of log-log slopes in {column}",
                    estimate,
                    se,
                    len(difference),
                    -np.inf,
                    0.0,
                    **extra_row,
                )
            )
    return rows


def _axis_rows(name: str, frame: pd.DataFrame, cfg: dict, kind: str) -> list[dict]:
    spec = cfg.get("experiments", {}).get(name, {})
    s = cfg["problem"]["s"]
    if kind == "d":
        N = spec.get("N", frame["N"].iloc[0] if "N" in frame else math.nan)
        terms = (lambda d: d * s, lambda d: d * d / N)
        return _slope_rows(frame, "d", name, ("000-corollary3-d", "000-corollary3-vs-independent"), terms, cfg, kind)
    if kind == "N":
        d = spec.get("d", frame["d"].iloc[0] if "d" in frame else math.nan)
        terms = (lambda n: s * np.log(n), lambda n: d / n * np.log(n))
        return _slope_rows(frame, "N", name, ("000-corollary3-N", "000-corollary3-N-vs-independent"), terms, cfg, kind)
    if kind == "K":
        return _slope_rows(frame, "K", name, ("000-corollary3-K",), (lambda k: k,), cfg, kind)
    horizon = spec["T_target"]
    terms = (lambda d: s**2 * np.log(d * horizon) ** 2,)
    return _slope_rows(frame, "d", name, ("000-theorem3-d", "000-theorem3-vs-independent"), terms, cfg, kind)


# ---------------------------------------------------------------------------------------------------- tables


def regret_check(tables: dict[str, pd.DataFrame], cfg: dict, seed: int = 0) -> pd.DataFrame:
    """Every measurement row of the regret study's claims, with their verdicts (:func:`banditlab.verdicts.evaluate`).

    ``tables``: the experiments' tables by name; ``cfg``: the ``bandits`` block (``seed`` is not used: the
    bootstraps are seeded by their table's size)."""
    rows: list[dict] = []
    for name, frame in tables.items():
        kind = experiment_kind(cfg, name, frame)
        if kind == "t":
            rows += _t_rows(name, frame, cfg) + _event_rows(name, frame, cfg)
        elif kind in ("d", "N", "K", "data_poor"):
            rows += _axis_rows(name, frame, cfg, kind)
        elif kind == "network":
            rows += network_rows(name, frame, cfg, _hyper(cfg, name))
    return v.evaluate(pd.DataFrame(rows), CLAIMS)


def sensitivity_table(tables: dict[str, pd.DataFrame], cfg: dict, seed: int = 0) -> pd.DataFrame:
    """``regret_sensitivity``: :func:`sensitivity_summary` of the sensitivity experiment."""
    return sensitivity_summary(tables["sensitivity"])


def sensitivity_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean per-instance regret (and 95% half-width) per policy and hyperparameter value, with the filter's mean
    exclusion share (Proposition 2's event) where the policy has the filter."""
    grouped = frame.groupby(["parameter", "parameter_value", "policy"])
    out = grouped["value"].agg(["mean", "std", "count"]).reset_index()
    out["ci95"] = 1.96 * out["std"] / np.sqrt(out["count"])
    if "filter_exclusion" in frame:
        out["filter_exclusion"] = grouped["filter_exclusion"].mean().to_numpy()
    return out.rename(columns={"mean": "regret_per_instance", "count": "replicates"}).drop(columns="std")
