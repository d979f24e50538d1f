"""Every claim of the ledger can take every verdict it should, through its study's measurement code and the one engine.

For every claim, synthetic results tables in its study's own format (what the point jobs write) are built inside the
claim's premises, once to satisfy the claim and once to contradict it, and once outside its premises; they go through
the study's ``checks`` code (which computes each row's premises from the tables' parameters and writes the claim's
control rows, role ``control``, from the control's series in the same tables) and :func:`banditlab.verdicts.evaluate`,
exactly as in the workflow. Then:

* satisfying rows, with control series that the same rule rejects: ``holds``;
* the same rows, with control series that pass the rule too: ``not testable here`` (the rule cannot tell them apart);
* contradicting rows: ``fails`` (a failure needs no control);
* rows outside the premises: ``outside premises``.

Paper 000's studies write their control rows themselves (each claim's ``Control.rows``), so its tables carry the
control's series (the estimator or policy, the no-bias twin, the alpha = 0 network, the other regime's grid).
Paper 004's tables carry no control series (the control rows its studies write themselves, for the formula and
Lemma 7 claims, Lemmas 2 and 4 and the K trends under dominance-aware regrets, are left out here and tested on their
own): a *rejected* control is the contradicting run's rows relabelled ``role = control``, a *passing* control the
satisfying run's; and its claims declare no premise functions, so their outside case marks the rows' premises status
by hand (the engine honours a status a study writes). Four claims of paper 000 have premises no instance of the
studies can meet (:data:`NEVER_INSIDE`: the paper's printed hyperparameters, or conditions that exclude each other);
their satisfying and contradicting rows are marked inside by hand, so that their
rule and control are tested too.

For rate claims the tables are built twice: once to read the claimed region the check code computes for that grid,
then with an exponent inside it (satisfy) or well outside it (contradict).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from banditlab import claims, verdicts
from banditlab.bandits import checks as bandit_checks
from banditlab.bandits import claims as bandit_claims
from banditlab.estimation import claims as estimation_claims
from banditlab.estimation import rows as estimation_rows
from banditlab.estimation import theory
from banditlab.pareto import claims as pareto_claims
from banditlab.pareto import rows as pareto_rows
from banditlab.pareto import theory as pareto_theory

SATISFY, CONTRADICT, OUTSIDE = "satisfy", "contradict", "outside"
REJECT, PASS = "reject", "pass"
REPLICATES = 20
NEVER_INSIDE = {"000-corollary3-K", "000-proposition2", "000-lemma11", "000-line345-no-gain"}
"""Claims whose premises no instance of the studies meets (their premise functions say why, with numbers)."""


def _noise(rng, size, level=0.01):
    return 1.0 + level * rng.standard_normal(size)


# ------------------------------------------------------------------------------------------- estimation


def _estimation_rows(study, axis, values, point, metric_values, replicates=REPLICATES):
    """Tidy estimation rows: metric_values(x, replicate) -> {(estimator, instance, metric): value}; ``point`` may
    hold per-grid-value parameters as functions of x."""
    rows = []
    for x in values:
        params = {key: (value(x) if callable(value) else value) for key, value in point.items()} | {axis: x}
        for replicate in range(replicates):
            for (estimator, instance, metric), value in metric_values(x, replicate).items():
                rows.append(
                    {
                        "study": study,
                        "axis": axis,
                        "axis_value": str(x),
                        **params,
                        "replicate": replicate,
                        "estimator": estimator,
                        "instance": instance,
                        "metric": metric,
                        "error": value,
                    }
                )
    return pd.DataFrame(rows)


BASE_POINT = {
    "n_instances": 20,
    "dim": 50,
    "sparsity": 2,
    "n_per_instance": 400,
    "n_target": 400,
    "noise_sd": 1.0,
    "deviation_size": 300.0,
    "support": "disjoint",
    "design": "identity",
    "trim_fraction": 0.2,
    "regime": "standard",
    "lam_multiplier": 1.0,
    "data_poor_ratio": 0.0,
    "confidence": 0.05,
}
"""Appendix B's construction: inside the premises of the exact-rate cells, Propositions 4-7, Table 1's lower bound."""


def _corollary1_point():
    """Inside Corollary 1's premises: N = 1500, d = 32, s = 1 (delta >= 1.5e-5), trim zeta + eta, its lambda."""
    return {
        **BASE_POINT,
        "n_instances": 1500,
        "dim": 32,
        "sparsity": 1,
        "design": "uniform",
        "support": "random",
        "trim_fraction": "corollary1",
    }


def _corollary2_point():
    """Inside Corollary 2's premises: N = 400, d = 20, trim 0.45 > sqrt(9/N log(6d/delta)) = 0.42."""
    return {
        **BASE_POINT,
        "n_instances": 400,
        "dim": 20,
        "sparsity": 1,
        "design": "uniform",
        "trim_fraction": 0.45,
        "regime": "data_poor",
        "data_poor_ratio": 0.25,
        "n_per_instance": 40_000,
    }


def _table1_point(claim):
    estimator, regime = claim.claim_id.split("-")[2:4]
    if estimator == "robust_multitask":
        return _corollary1_point() if regime == "standard" else _corollary2_point()
    point = dict(BASE_POINT)
    if regime == "data_poor":
        point |= {"regime": "data_poor", "data_poor_ratio": 0.25, "n_per_instance": 250_000}
    return point


def _table1_rows(claim, direction, control):
    """A Table 1 cell along n, with its control's series (:data:`banditlab.estimation.rows.CONTROL_SERIES`)."""
    estimator, regime = claim.claim_id.split("-")[2:4]
    other, metric = estimation_rows.CONTROL_SERIES[estimator]
    case = estimation_claims.CONSTRUCTION if claim.kind == verdicts.LOWER_BOUND else "benign"
    axis = "n_target" if regime == "data_poor" else "n_per_instance"
    values = [100, 200, 400, 800]
    point = {**_table1_point(claim), "case": case}
    if direction == OUTSIDE:
        point["dim"] = 150  # n = 100 <= d: the first grid point's OLS does not exist (Assumption 6)
    instance = "target" if regime == "data_poor" else "mean"
    rng = np.random.default_rng(0)

    def table(exponent, control_exponent):
        def metrics(x, r):
            out = {(estimator, instance, "l1"): 3.0 * x**exponent * _noise(rng, None)}
            out[(other, instance, metric)] = 3.0 * x**control_exponent * _noise(rng, None)
            if "averaging_multitask" in (estimator, other):  # Proposition 7's construction, measured per replicate
                out[("averaging_multitask", "mean", "lower_bound_applies_corrected")] = 1.0
            return out

        return _estimation_rows("synthetic", axis, values, point, metrics)

    first = estimation_rows.rate_rows(table(0.0, 0.0), resamples=50)
    region = first[first["claim_id"] == claim.claim_id].iloc[0]
    low, high = region["claimed_low"], region["claimed_high"]
    inside = (
        (low + high) / 2 if np.isfinite(low) and np.isfinite(high) else (low + 0.3 if np.isfinite(low) else high - 0.3)
    )
    outside = high + 1.0 if np.isfinite(high) else low - 1.0
    exponent = outside if direction == CONTRADICT else inside
    return estimation_rows.rate_rows(table(exponent, outside if control == REJECT else inside), resamples=200)


def _level_rows(claim, direction, control):
    """Propositions 4-7: the estimator's mean error over its bound; the control, Algorithm 1's over the same bound."""
    estimator = next(name for name, c in estimation_claims.PROPOSITION_CLAIMS.items() if c is claim)
    rng = np.random.default_rng(1)
    factor = 0.3 if direction == CONTRADICT else 2.0
    theirs = 0.3 if control == REJECT else 2.0

    def metrics(x, r):
        bound = 10.0 * x**-0.5
        out = {
            (estimator, "mean", "l1"): factor * bound * _noise(rng, None),
            (estimator, "mean", "lower_bound"): bound,
            ("robust_multitask", "mean", "l1"): theirs * bound * _noise(rng, None),
        }
        if estimator == "averaging_multitask":
            out[(estimator, "mean", "lower_bound_applies_corrected")] = 1.0
        return out

    point = {**BASE_POINT, "case": estimation_claims.CONSTRUCTION}
    if direction == OUTSIDE:
        point["dim"] = 1000  # every n_j <= d (Assumption 6)
    table = _estimation_rows("construction", "n_per_instance", [200, 800], point, metrics)
    return estimation_rows.level_rows(table)


_UPPER_LEVELS = {
    "000-theorem1": ("upper_bound", "upper_bound_failure_probability", "theorem1_at_trim"),
    "000-corollary1-level": ("corollary_bound", "corollary_failure_probability", "corollary_bound"),
    "000-corollary2-level": ("corollary_bound", "corollary_failure_probability", "corollary_bound"),
}


def _upper_level_rows(claim, direction, control):
    """Theorem 1 and Corollaries 1-2: instance 0's (the target's) error against its bound, per replicate; the control,
    the averaging multitask estimator's error against the same bound (Theorem 1: at the robust estimator's trim)."""
    bound_metric, failure_metric, control_metric = _UPPER_LEVELS[claim.claim_id]
    rng = np.random.default_rng(2)
    factor = 10.0 if direction == CONTRADICT else 0.5  # 0.5: the bound twice the error (informative)
    theirs = 10.0 if control == REJECT else 0.5
    data_poor = claim.claim_id == "000-corollary2-level"
    instance = "target" if data_poor else "0"

    def metrics(x, r):
        bound = 50.0 * x**-0.5
        # 20 replicates: 0 exceedances give a Clopper-Pearson upper limit of 0.17, so a failure probability of
        # 0.3 is what 20 replicates can show
        control_failure = (
            "theorem1_at_trim_failure_probability" if control_metric == "theorem1_at_trim" else failure_metric
        )
        return {
            ("robust_multitask", instance, "l1"): factor * bound * _noise(rng, None),
            ("robust_multitask", "mean", bound_metric): bound,
            ("robust_multitask", "mean", failure_metric): 0.3,
            ("averaging_multitask", instance, "l1"): theirs * bound * _noise(rng, None),
            ("averaging_multitask", "mean", control_metric): bound,
            ("averaging_multitask", "mean", control_failure): 0.3,
        }

    if claim.claim_id == "000-theorem1":
        point = {**BASE_POINT, "design": "uniform", "case": "other", "trim_fraction": 0.4}
        if direction == OUTSIDE:
            point["design"] = "gaussian"  # Gaussian contexts are unbounded (Assumption 1)
    else:
        point = {**(_corollary2_point() if data_poor else _corollary1_point()), "case": "other"}
        if direction == OUTSIDE:
            point["n_instances"] = 40  # far below the N the corollary's delta needs
    table = _estimation_rows("level", "n_per_instance", [100, 400], point, metrics)
    return estimation_rows.level_rows(table)


def _lemma1_rows(claim, direction, control):
    """Lemma 1: draws of the trimmed mean at or above its bound; the control, the plain mean's."""
    draws, failure = 100, theory.lemma1_failure_probability(1000, 0.2)
    exceed = 50 if direction == CONTRADICT else 0
    theirs = draws if control == REJECT else 0

    def metrics(x, r):
        out = {}
        for estimator, count in (("trimmed_mean", exceed), ("mean", theirs)):
            out |= {
                (estimator, "all", "lemma1_exceed"): float(count),
                (estimator, "all", "lemma1_draws"): float(draws),
                (estimator, "all", "error_mean"): 4.0,
                (estimator, "all", "lemma1_bound"): 8.0,
                (estimator, "all", "lemma1_failure_probability"): failure,
            }
        return out

    zeta, eta = (0.3, 0.25) if direction == OUTSIDE else (0.1, 0.2)  # zeta + eta >= 1/2: no c > 0 left
    point = {**BASE_POINT, "case": "other", "corrupted_fraction": zeta, "lemma1_eta": eta}
    table = _estimation_rows("lemma1_tail", "n_instances", [1000], point, metrics)
    return estimation_rows.level_rows(table)


def _line345_rows(claim, direction, control):
    """Line 345 along d: the error ratio robust multitask / OLS on a grid with N = 24 d/s (inside Corollary 1's
    premises) and on one at fixed N; each claim's control is the other grid's ratio slope."""
    gain = claim is estimation_claims.LINE345_GAIN
    falls, flat = -0.6, 0.0
    mine = {SATISFY: falls if gain else flat, OUTSIDE: falls if gain else flat, CONTRADICT: flat if gain else falls}
    theirs = {REJECT: flat if gain else falls, PASS: falls if gain else flat}[control]
    slopes = {"coupled": mine[direction] if gain else theirs, "fixed": theirs if gain else mine[direction]}
    rng = np.random.default_rng(5)
    point = {**_corollary1_point(), "case": "benign", "n_per_instance": 256}
    per_dim = 2 if direction == OUTSIDE and gain else 24  # N = 2 d: below what Corollary 1's delta needs
    grids = {
        "coupled": {**point, "n_instances": lambda d: per_dim * d},
        "fixed": {**point, "n_instances": 1500},
    }
    frames = []
    for study, grid_point in grids.items():

        def metrics(d, r, slope=slopes[study]):
            ols = 0.1 * d * _noise(rng, None)
            return {
                ("independent_ols", "mean", "l1"): ols,
                ("robust_multitask", "mean", "l1"): ols * (d / 32) ** slope * 0.5 * _noise(rng, None),
            }

        frames.append(_estimation_rows(study, "dim", [32, 48, 64], grid_point, metrics))
    return estimation_rows.rate_rows(pd.concat(frames, ignore_index=True), resamples=200)


# ---------------------------------------------------------------------------------------------- bandits

BANDIT_CFG = {
    "problem": {"K": 2, "s": 1},
    "hyperparameters": {"forced_scale": 0.001, "h": 2.0, "eta10": 0.02, "zeta_max": 0.25},
    # inside Theorem 2's premises: d > 4s, d and N >= log(dNT) (T = N x T_per_instance), event A measured
    "experiments": {
        "regret_vs_t": {"N": 40, "d": 40, "T_per_instance": 100_000},
        # Proposition 2 and Lemma 11 on a short horizon, whose failure probabilities 10/T and 10KN/T (0.1 and 0.4)
        # 200 replicates can resolve
        "regret_vs_t_events": {"N": 2, "d": 2, "T_per_instance": 50},
        "regret_vs_d": {"grid": {"d": [30, 60, 120, 240]}, "N": 40},
        "regret_vs_n": {"grid": {"N": [20, 40, 80, 160]}, "d": 40},
        "regret_vs_k": {"grid": {"K": [2, 4, 8]}, "N": 40, "d": 40},
        "data_poor": {"grid": {"d": [5, 10, 20, 40]}, "T_target": 400, "ratio_scale": 0.1},
        # Corollary 4 inside its premises needs N~* >= log(d N~* T) and d > 4 s~ at N~ = N: d in the thousands
        "network": {"grid": {"alpha": [0.0, 0.5], "d": [4096, 16384]}, "N": 4096, "T_per_instance": 1000},
    },
}
POLICIES = ("rmbandit", "ols_bandit", "lasso_bandit", "pooled")
EXPONENTS = {
    # (rmbandit satisfying, rmbandit contradicting), {policy: (rejected control, passing control)}
    "d": ((1.0, 4.0), {"ols_bandit": (3.0, 2.0), "lasso_bandit": (2.0, 2.0), "pooled": (4.5, 0.0)}),
    "N": ((-0.5, 1.5), {"ols_bandit": (1.0, 0.0), "lasso_bandit": (0.0, 0.0), "pooled": (2.0, -1.0)}),
    "K": ((1.0, 2.0), {"ols_bandit": (1.0, 1.0), "lasso_bandit": (1.0, 1.0), "pooled": (2.0, 0.5)}),
    "data_poor": ((-0.5, 2.0), {"ols_bandit": (1.0, 0.2), "lasso_bandit": (1.0, 1.0), "pooled": (2.5, -1.0)}),
}
"""Log-log slopes of the synthetic regret in the grid's axis: RMBandit's, and the other policies' (the controls:
OLS Bandit for the upper bounds in d and N and for Theorem 3, the pooled policy for the comparisons and along K)."""


def _exponent(kind, policy, direction, control):
    mine, others = EXPONENTS[kind]
    if policy == "rmbandit":
        return mine[1] if direction == CONTRADICT else mine[0]
    return others[policy][0 if control == REJECT else 1]


def _grid_table(kind, column, values, fixed, exclusion, direction, control, t_per=1000):
    rng = np.random.default_rng(3)
    rows = []
    for policy in POLICIES:
        power = _exponent(kind, policy, direction, control)
        for x in values:
            N = x if column == "N" else fixed["N"]
            d = x if column == "d" else fixed["d"]
            K = x if column == "K" else 2
            for r in range(REPLICATES):
                rows.append(
                    {
                        "policy": policy,
                        "replicate": r,
                        "N": N,
                        "K": K,
                        "d": d,
                        "s": 1,
                        "T": N * t_per,
                        "value": x**power * _noise(rng, None),
                        "filter_exclusion": exclusion,
                    }
                )
    return pd.DataFrame(rows)


def _data_poor_table(exclusion, direction, control):
    rng = np.random.default_rng(6)
    rows = []
    for policy in POLICIES:
        power = _exponent("data_poor", policy, direction, control)
        for d in (5, 10, 20, 40):
            ratio = 0.1 * d**2
            for r in range(REPLICATES):
                rows.append(
                    {
                        "policy": policy,
                        "replicate": r,
                        "N": 2,
                        "K": 2,
                        "d": d,
                        "s": 1,
                        "T": int(400 * (1 + ratio)),
                        "ratio": ratio,
                        "value": d**power * _noise(rng, None),
                        "filter_exclusion": exclusion,
                        "filter_exclusion_target": exclusion,
                    }
                )
    return pd.DataFrame(rows)


def _growth_table(exclusion, direction, control):
    rng = np.random.default_rng(7)
    checkpoints = np.unique(np.geomspace(1_000, 1_000_000, 25).astype(int))
    polylog = lambda t: 5.0 * np.log(t) ** 2  # noqa: E731
    shapes = {
        "rmbandit": (lambda t: t**0.8) if direction == CONTRADICT else polylog,
        "pooled": (lambda t: 0.01 * t) if control == REJECT else polylog,  # a constant regret per arrival: linear
    }
    return pd.DataFrame(
        [
            {"policy": policy, "replicate": r, "t": t, "value": shape(t) * _noise(rng, None, 0.002)}
            | {"filter_exclusion": exclusion}
            for policy, shape in shapes.items()
            for r in range(REPLICATES)
            for t in checkpoints
        ]
    )


def _events_table(direction, control):
    """Per replicate, the forced-sample estimators' error ratio to h/(4 x_max) and the filter's exclusion share."""
    mine = (2.0, 0.01) if direction == CONTRADICT else (0.5, 0.0)
    theirs = (2.0, 0.01) if control == REJECT else (0.5, 0.0)
    return pd.DataFrame(
        [
            {"policy": policy, "replicate": r, "t": 100, "value": 1.0}
            | {"forced_error_ratio": ratio, "forced_error_ratio_00": ratio, "filter_exclusion": share}
            for policy, (ratio, share) in (("rmbandit", mine), ("pooled", theirs))
            for r in range(200)
        ]
    )


def _network_table(exclusion, direction, control):
    """alpha = 1/2 shaped like Corollary 4's bound (contradicting: falling to N~ = N); alpha = 0, the control, shaped
    like its own bound d (1 + d/N~) (rejected) or like alpha = 1/2's (passing)."""
    rng = np.random.default_rng(8)
    N = BANDIT_CFG["experiments"]["network"]["N"]
    grid = [2**k for k in range(13)]  # 1 ... 4096 = N
    rows = []
    for d in BANDIT_CFG["experiments"]["network"]["grid"]["d"]:
        for alpha in (0.0, 0.5):
            for n in grid:
                if alpha > 0:
                    value = 1e9 / n if direction == CONTRADICT else bandit_checks.network_bound(n, alpha, d)
                else:
                    value = bandit_checks.network_bound(n, 0.0 if control == REJECT else 0.5, d)
                for r in range(REPLICATES):
                    rows.append(
                        {
                            "policy": "rmbandit",
                            "replicate": r,
                            "N": N,
                            "K": 2,
                            "d": d,
                            "T": N * 1000,
                            "alpha": alpha,
                            "n_tilde": n,
                            "value": value * _noise(rng, None),
                            "filter_exclusion": exclusion,
                            "filter_exclusion_target": exclusion,
                        }
                    )
    return pd.DataFrame(rows)


def _bandit_tables(direction, control):
    exclusion = 0.5 if direction == OUTSIDE else 0.0  # Proposition 2's event A fails when the filter excludes
    cfg = BANDIT_CFG["experiments"]
    return {
        "regret_vs_t": _growth_table(exclusion, direction, control),
        "regret_vs_t_events": _events_table(direction, control),
        "regret_vs_d": _grid_table("d", "d", [30, 60, 120, 240], cfg["regret_vs_d"], exclusion, direction, control),
        "regret_vs_n": _grid_table("N", "N", [20, 40, 80, 160], cfg["regret_vs_n"], exclusion, direction, control),
        "regret_vs_k": _grid_table("K", "K", [2, 4, 8], cfg["regret_vs_k"], exclusion, direction, control),
        "data_poor": _data_poor_table(exclusion, direction, control),
        "network": _network_table(exclusion, direction, control),
    }


@functools.cache
def _bandit_rows(direction, control):
    return bandit_checks.regret_check(_bandit_tables(direction, control), BANDIT_CFG)


# ----------------------------------------------------------------------------------------------- pareto

PARETO_CFG = {
    "experiments": {
        "shifts": {
            "schedules": {
                "one": {"exponents": [1.0], "change_points": [3000]},
                "two": {"exponents": [8.0, 1.0], "change_points": [1500, 3000]},
                "three": {"exponents": [8.0], "change_points": [3000]},
            }
        }
    }
}


def _pareto_tables(direction):
    """Per-round regret of the tree and of uniform random on the tp grid, the nu sweep and the shift schedules.

    Satisfy: random flat in t_p; the tree falls in t_p, grows in K and rho, and stays far below random.
    Contradict: random grows in t_p; the tree grows in t_p, falls in K and rho, and stays far above random.
    """
    rng = np.random.default_rng(4)
    sign = 1.0 if direction != CONTRADICT else -1.0
    rho = {a: pareto_theory.dissimilarity([a]) for a in (1.0, 4.0)}
    rows = []
    for t_p in (1000, 2000, 3000):
        for K in (5, 10):
            for a in (1.0, 4.0):
                shape = (t_p / 1000) ** (-0.5 * sign) * (K / 5) ** sign * (rho[a] / rho[1.0]) ** (0.2 * sign)
                if direction != CONTRADICT:
                    random, tree = 10.0, 0.01 * shape
                else:
                    random = 0.5 * t_p / 1000
                    tree = 100 * random * shape
                # the K claim under the dominance-aware regrets: the tree's share of dominated plays and its gap
                # grow in K (satisfy) or fall (contradict); random's stay flat
                dominated, weak = 0.1 * (K / 5) ** (0.5 * sign), 0.05 * (K / 5) ** (0.5 * sign)
                for r in range(REPLICATES):
                    point = f"K{K}_a{a:g}_t_p{t_p}"
                    for policy, metric, value in (
                        ("adaptive_tree", "regret_per_round", tree * _noise(rng, None)),
                        ("uniform_random", "regret_per_round", random * _noise(rng, None)),
                        ("adaptive_tree", "dominated_share", dominated * _noise(rng, None)),
                        ("uniform_random", "dominated_share", 0.5 * _noise(rng, None)),
                        ("adaptive_tree", "weak_gap", weak * _noise(rng, None)),
                        ("uniform_random", "weak_gap", 0.2 * _noise(rng, None)),
                    ):
                        rows.append(
                            {
                                "point": point,
                                "T": 20_000,
                                "t_p": t_p,
                                "K": K,
                                "a": a,
                                "policy": policy,
                                "replicate": r,
                                "metric": metric,
                                "value": value,
                            }
                        )
    tp = pd.DataFrame(rows)
    levels = _levels_table(direction, rng)
    nu = pd.DataFrame(
        [
            {
                "a": a,
                "policy": "adaptive_tree",
                "replicate": r,
                "metric": "regret_per_round",
                "value": pareto_theory.dissimilarity([a]) ** sign * _noise(rng, None),
            }
            for a in (-0.5, 0.0, 1.0, 4.0)
            for r in range(REPLICATES)
        ]
    )
    schedules = PARETO_CFG["experiments"]["shifts"]["schedules"]
    shifts = pd.DataFrame(
        [
            {
                "schedule": name,
                "policy": "adaptive_tree",
                "replicate": r,
                "metric": "regret_per_round",
                "value": pareto_theory.schedule_dissimilarity(spec) ** sign * _noise(rng, None),
            }
            for name, spec in schedules.items()
            for r in range(REPLICATES)
        ]
    )
    return {"tp": tp, "nu": nu, "shifts": shifts, "levels": levels, "frontier": _frontier_table(direction)}


def _levels_table(direction, rng):
    """Lemma 7's experiment: per replicate, the tree, three fixed levels and uniform random on an instance without
    jumps (inside the premises). Satisfy: the tree at 0.9 of the best level (depth 2), random at 1.5; contradict: the
    tree at 1.5."""
    tree = 0.9 if direction != CONTRADICT else 1.5
    base = {"point": "K5_T20000_a1_t_p1000", "T": 20_000, "t_p": 1000, "K": 5, "a": 1.0, "jumps": 0, "max_jump": 0.0}
    rows = []
    for r in range(REPLICATES):
        best = 0.05 * _noise(rng, None)
        for policy, level, value in (
            ("adaptive_tree", np.nan, tree * best * _noise(rng, None)),
            ("fixed_partition_d1", 1, 1.2 * best),
            ("fixed_partition_d2", 2, best),
            ("fixed_partition_d3", 3, 1.1 * best),
            ("uniform_random", np.nan, 1.5 * best * _noise(rng, None)),
        ):
            common = {**base, "lipschitz": 4.0, "c1": 4.0, "replicate": r, "policy": policy, "level": level}
            rows.append({**common, "metric": "regret_per_round", "value": value})
            rows.append({**common, "metric": "same_arm_as_tree", "value": 0.5})
            rows.append({**common, "metric": "same_arm_as_random", "value": 0.4})
    return pd.DataFrame(rows)


FORMULA_CHECKS = {
    "remark3_scales": [0.5, 10.0],
    "nu_exponents": [0.0, 1.0, 4.0],
    "rho_h": [0.05],
    "n_arms": 5,
    "grid": 201,
}
FORMULA_BLOCK = {"gap_offset": 1.0, "formula_checks": FORMULA_CHECKS}


@functools.cache
def _formula_tables(direction):
    """The tables of the printed formulas. Satisfy: Proposition 1's values replaced by Table 1's (the computed ones
    contradict it), the scale and nu tables as computed; contradict: Proposition 1 as computed, every scaled gap moved
    by 0.01, the nu sequence reversed."""
    from banditlab.pareto import formulas

    prop1 = formulas.prop1_table({}, FORMULA_BLOCK, 0)
    scale = formulas.gap_scale_table({}, FORMULA_BLOCK, 0)
    nu = formulas.nu_dissimilarity_table({}, FORMULA_BLOCK, 0)
    if direction != CONTRADICT:
        prop1 = prop1.assign(**{f"prop1_{reading}": prop1["paper_value"] for reading in formulas.PROP1_READINGS})
    else:
        scale = scale.assign(gap=np.where(scale["scale"] != 1.0, scale["gap"] + 0.01, scale["gap"]))
        nu = nu.assign(value=nu.groupby(["measure", "h"])["value"].transform(lambda x: x[::-1].values))
    return {"pareto_prop1": prop1, "pareto_gap_scale": scale, "pareto_nu_dissimilarity": nu}


LEMMA_REPLICATES, LEMMA_T = 200, 50  # enough replicates for the exact interval of 0 events to fall below 1.1 / T


def _frontier_table(direction):
    """Lemmas 2, 4 and 5 on the frontier's ramped instance under a reading inside their premises (c1 = C_beta = 16,
    c2 above Lemma 2's union-bound value): the lemma's event in no replicate (satisfy) or in every one (contradict),
    and the tree eliminating (mean active set 4.5 of K = 5)."""
    event = 0.0 if direction != CONTRADICT else 1.0
    metrics = {
        "lemma5_missed": event,
        "lemma5_missed_straddling": event,
        "lemma5_missed_elsewhere": 0.0,
        "lemma5_miss_share": 0.01 * event,
        "mean_active": 4.5,
        "lemma2_missed": event,
        "lemma2_miss_share": 1e-4 * event,
        "lemma2_miss_share_straddling": 1e-4 * event,
        "lemma2_boxes": 1000.0,
        "lemma2_missed_without_bias": 1.0,
        "lemma4_missed": event,
        "lemma4_miss_share": 0.01 * event,
        "lemma4_min_ratio": 2.0 - event,
        "lemma4_missed_n_over_k": 1.0,
    }
    return pd.DataFrame(
        [
            {
                "point": "K5_T50_instanceramped",
                "instance": "ramped",
                "K": 5,
                "T": LEMMA_T,
                "t": LEMMA_T,
                "policy": "adaptive_tree",
                "reading": "sound",
                "c1": 16.0,
                "c2": 3.0,
                "replicate": r,
                "metric": metric,
                "value": value,
            }
            for r in range(LEMMA_REPLICATES)
            for metric, value in metrics.items()
        ]
    )


def _gap_table(direction):
    from banditlab.pareto.appendix_b import gap_table

    table = gap_table()
    if direction == CONTRADICT:
        table = table.assign(gap=table["gap"] + 0.01)
    return table


@functools.cache
def _pareto_rows(direction):
    rows = pareto_rows.check_table(
        _gap_table(direction), _pareto_tables(direction), PARETO_CFG, resamples=200, formulas=_formula_tables(direction)
    )
    if direction == OUTSIDE:  # no premise function: the status a study would write for an instance outside them
        rows = rows.assign(premises="synthetic premise: not met")
    return rows


# ------------------------------------------------------------------------------------------------ the test

ESTIMATION_BUILDERS = {
    **{claim.claim_id: _table1_rows for claim in estimation_claims.TABLE1_CLAIMS.values()},
    **{claim.claim_id: _level_rows for claim in estimation_claims.PROPOSITION_CLAIMS.values()},
    **{claim_id: _upper_level_rows for claim_id in _UPPER_LEVELS},
    "000-lemma1": _lemma1_rows,
    "000-line345-gain": _line345_rows,
    "000-line345-no-gain": _line345_rows,
}


def _as_control(rows):
    return rows.assign(role=verdicts.CONTROL_ROLE, premises="")


def _study_rows(claim, direction, control):
    """The claim's rows (its own and its control's) from its study's check code."""
    if claim.claim_id in ESTIMATION_BUILDERS:
        frame = ESTIMATION_BUILDERS[claim.claim_id](claim, direction, control)
    elif claim in bandit_claims.CLAIMS:
        frame = _bandit_rows(direction, control)  # one synthetic study serves every claim of the regret study
    elif claim in pareto_claims.CLAIMS:  # no control rows from the study yet: relabel the other run's (docstring)
        own = _pareto_rows(direction if direction != OUTSIDE else SATISFY)
        own = own[own["role"] == verdicts.CLAIM_ROLE] if "role" in own else own
        if direction == OUTSIDE:
            own = _pareto_rows(OUTSIDE)
        other = _pareto_rows(CONTRADICT if control == REJECT else SATISFY)
        other = other[other["role"] == verdicts.CLAIM_ROLE] if "role" in other else other
        frame = pd.concat([own, _as_control(other)])
    else:
        raise AssertionError(f"no synthetic measurement for {claim.claim_id}: every claim of the ledger needs one")
    rows = frame[frame["claim_id"] == claim.claim_id].copy()
    assert not rows.empty, f"{claim.claim_id}: the synthetic results produced no measurement row ({direction})"
    if claim.claim_id in NEVER_INSIDE and direction != OUTSIDE:
        rows.loc[rows["role"] == verdicts.CLAIM_ROLE, "premises"] = verdicts.PREMISES_MET  # see the module docstring
    return rows


def _verdict(frame, claim):
    evaluated = verdicts.evaluate(frame.reset_index(drop=True), claims.CLAIMS)
    rows = evaluated[evaluated["claim_id"] == claim.claim_id]
    return rows["verdict"].iloc[0], rows


def _show(rows):
    return rows[["role", "row", "estimate", "se", "claimed", "premises", "row_verdict", "reason"]].to_string()


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_every_claim_holds_only_with_a_rejected_control(claim):
    verdict, rows = _verdict(_study_rows(claim, SATISFY, REJECT), claim)
    assert verdict == verdicts.HOLDS, _show(rows)
    assert rows["control"].iloc[0].startswith(f"{claim.control.name}: rejected"), rows["control"].iloc[0]
    summary = rows["premises_summary"].iloc[0]
    assert summary in ("met", "none declared") or summary.startswith("met on"), summary  # Corollary 4: N~ = 1 is out


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_a_control_that_passes_too_makes_the_claim_not_testable(claim):
    verdict, rows = _verdict(_study_rows(claim, SATISFY, PASS), claim)
    assert verdict == verdicts.NOT_TESTABLE, _show(rows)
    assert f"the rule cannot tell {claim.control.name} from {claim.method_label}" in rows["reason"].iloc[0]


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_contradicting_rows_fail_the_claim(claim):
    verdict, rows = _verdict(_study_rows(claim, CONTRADICT, REJECT), claim)
    assert verdict == verdicts.FAILS, _show(rows)


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_rows_outside_the_premises_give_outside_premises(claim):
    verdict, rows = _verdict(_study_rows(claim, OUTSIDE, REJECT), claim)
    assert verdict == verdicts.OUTSIDE_PREMISES, _show(rows)
    own = rows[rows["role"] == verdicts.CLAIM_ROLE]
    assert (own["row_verdict"] == verdicts.OUTSIDE_PREMISES).all()


@pytest.mark.parametrize("claim", [c for c in claims.CLAIMS if c.paper.startswith("000")], ids=lambda c: c.claim_id)
def test_every_paper000_study_writes_its_control_rows(claim):
    """Paper 000's check code writes each claim's control rows itself, from the control's series in the tables."""
    rows = _study_rows(claim, SATISFY, REJECT)
    assert (rows["role"] == verdicts.CONTROL_ROLE).any(), _show(rows)


def test_a_claim_without_its_control_rows_does_not_hold():
    claim = estimation_claims.PROPOSITION_CLAIMS["independent_ols"]
    rows = _study_rows(claim, SATISFY, REJECT)
    verdict, rows = _verdict(rows[rows["role"] == verdicts.CLAIM_ROLE], claim)
    assert verdict == verdicts.NOT_TESTABLE and "was not run" in rows["reason"].iloc[0]


def test_every_paper000_claim_declares_premises_and_a_control_with_its_rows():
    for claim in claims.CLAIMS:
        assert claim.control is not None and claim.control.rows and claim.control.description, claim.claim_id
        if claim.paper.startswith("000"):
            assert claim.premises is not None, claim.claim_id


@pytest.mark.parametrize(
    "claim_id", ["004-lemma2-coverage", "004-lemma4-counts", "004-appH1-K-dominated", "004-appH1-K-weak-gap"]
)
def test_the_controls_a_study_writes_are_rejected_by_the_rule(claim_id):
    """Lemma 2's boxes without their bias term and Lemma 4's bound without its 1/4 miss in every replicate of the
    synthetic run, and uniform random's dominated share and gap are flat in K: the rule rejects these controls, so
    the satisfying rows hold."""
    frame = _pareto_rows(SATISFY)
    rows = frame[frame["claim_id"] == claim_id]
    assert set(rows["role"]) == {verdicts.CLAIM_ROLE, verdicts.CONTROL_ROLE}
    claim = next(c for c in claims.CLAIMS if c.claim_id == claim_id)
    verdict, evaluated = _verdict(rows, claim)
    assert verdict == verdicts.HOLDS, _show(evaluated)
    assert evaluated["control"].iloc[0].startswith(f"{claim.control.name}: rejected")
