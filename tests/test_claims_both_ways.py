"""Every claim of the ledger can go either way: synthetic results built to satisfy it give "holds", results
built to contradict it give "fails".

The synthetic data are results tables in each study's own format (what the point jobs write), so each
claim goes through its study's measurement code (``checks``) and the one verdict engine, exactly as in
the workflow. For rate claims the tables are built twice: once to read the claimed region the check
code computes for that grid, then with an exponent inside it (satisfy) or well outside it (contradict).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from banditlab import claims, verdicts
from banditlab.bandits import checks as bandit_checks
from banditlab.estimation import claims as estimation_claims
from banditlab.estimation import rows as estimation_rows
from banditlab.pareto import claims as pareto_claims
from banditlab.pareto import rows as pareto_rows
from banditlab.pareto import theory as pareto_theory

SATISFY, CONTRADICT = "satisfy", "contradict"
REPLICATES = 20


def _noise(rng, size, level=0.01):
    return 1.0 + level * rng.standard_normal(size)


# ------------------------------------------------------------------------------------------- estimation


def _estimation_rows(study, axis, values, point, estimator, metric_values):
    """Tidy estimation rows: metric_values(x, replicate) -> {(instance, metric): value}."""
    rows = []
    for x in values:
        for replicate in range(REPLICATES):
            params = {**point, axis: x}
            for (instance, metric), value in metric_values(x, replicate).items():
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
    "dim": 100,
    "sparsity": 2,
    "n_per_instance": 400,
    "n_target": 400,
    "deviation_size": 300.0,
    "design": "identity",
    "regime": "standard",
    "confidence": 0.05,
}


def _table1_verdict(claim, direction):
    estimator, regime = claim.claim_id.split("-")[2:4]
    case = estimation_claims.CONSTRUCTION if claim.kind == verdicts.LOWER_BOUND else "benign"
    axis = "n_target" if regime == "data_poor" else "n_per_instance"
    values = [100, 200, 400, 800]
    point = {**BASE_POINT, "regime": regime, "case": case}
    instance = "target" if regime == "data_poor" else "mean"
    rng = np.random.default_rng(0)

    def table(exponent):
        return _estimation_rows(
            "synthetic",
            axis,
            values,
            point,
            estimator,
            lambda x, r: {(instance, "l1"): 3.0 * x**exponent * _noise(rng, None)},
        )

    region = estimation_rows.rate_rows(table(0.0), resamples=50).iloc[0]
    low, high = region["claimed_low"], region["claimed_high"]
    if direction == SATISFY:
        if np.isfinite(low) and np.isfinite(high):
            exponent = (low + high) / 2
        else:
            exponent = low + 0.3 if np.isfinite(low) else high - 0.3
    else:
        exponent = high + 1.0 if np.isfinite(high) else low - 1.0
    rows = estimation_rows.rate_rows(table(exponent), resamples=200)
    return verdicts.evaluate(rows, estimation_claims.CLAIMS)


def _level_verdict(claim, direction):
    estimator = next(name for name, c in estimation_claims.PROPOSITION_CLAIMS.items() if c is claim)
    rng = np.random.default_rng(1)
    factor = 2.0 if direction == SATISFY else 0.3

    def metrics(x, r):
        bound = 10.0 * x**-0.5
        out = {("mean", "l1"): factor * bound * _noise(rng, None), ("mean", "lower_bound"): bound}
        if estimator == "averaging_multitask":
            out[("mean", "lower_bound_applies_corrected")] = 1.0
        return out

    point = {**BASE_POINT, "case": estimation_claims.CONSTRUCTION}
    table = _estimation_rows("construction", "n_per_instance", [200, 800], point, estimator, metrics)
    return verdicts.evaluate(estimation_rows.level_rows(table), estimation_claims.CLAIMS)


def _theorem1_verdict(claim, direction):
    rng = np.random.default_rng(2)
    factor = 0.1 if direction == SATISFY else 10.0

    def metrics(x, r):
        bound = 50.0 * x**-0.5
        return {
            ("mean", "l1"): factor * bound * _noise(rng, None),
            ("mean", "upper_bound"): bound,
            ("mean", "upper_bound_failure_probability"): 0.05,
        }

    point = {**BASE_POINT, "design": "uniform", "case": "other"}
    table = _estimation_rows("theorem1_level", "n_per_instance", [100, 400], point, "robust_multitask", metrics)
    return verdicts.evaluate(estimation_rows.level_rows(table), estimation_claims.CLAIMS)


# ---------------------------------------------------------------------------------------------- bandits

BANDIT_CFG = {
    "problem": {"K": 2, "s": 1},
    "hyperparameters": {"forced_scale": 0.001},
    "experiments": {
        "regret_vs_t": {"N": 10, "d": 20, "T_per_instance": 100_000},
        "regret_vs_d": {"N": 10},
        "regret_vs_n": {"d": 20},
        "data_poor": {"T_target": 400},
        "network": {"d": 20},
    },
}


def _grid_table(column, values, regret):
    """regret(policy, x, replicate) -> value; policies rmbandit, ols_bandit, lasso_bandit."""
    rows = [
        {"policy": policy, "replicate": r, column: x, "value": regret(policy, x, r)}
        for policy in ("rmbandit", "ols_bandit", "lasso_bandit")
        for x in values
        for r in range(REPLICATES)
    ]
    return pd.DataFrame(rows)


def _bandit_tables(direction):
    rng = np.random.default_rng(3)
    mine = {SATISFY: (1.0, -0.5, 0.0), CONTRADICT: (3.0, 1.5, 2.0)}[direction]  # exponents in d, N, data-poor d
    theirs = (2.0, 0.0, 1.0)

    def power(index):
        return lambda policy, x, r: x ** (mine if policy == "rmbandit" else theirs)[index] * _noise(rng, None)

    checkpoints = np.unique(np.geomspace(1_000, 1_000_000, 25).astype(int))
    growth = {SATISFY: lambda t: 5.0 * np.log(t) ** 2, CONTRADICT: lambda t: t**0.8}[direction]
    regret_vs_t = pd.DataFrame(
        [
            {"policy": "rmbandit", "replicate": r, "t": t, "value": growth(t) * _noise(rng, None, 0.002)}
            for r in range(REPLICATES)
            for t in checkpoints
        ]
    )
    d = BANDIT_CFG["experiments"]["network"]["d"]
    shape = {SATISFY: lambda n: bandit_checks.network_bound(n, 1.0, d), CONTRADICT: lambda n: 1e3 * n}[direction]
    network = pd.DataFrame(
        [
            {"policy": "rmbandit", "replicate": r, "alpha": 1.0, "n_tilde": n, "value": shape(n) * _noise(rng, None)}
            for r in range(REPLICATES)
            for n in (1, 2, 4, 8, 16)
        ]
    )
    return {
        "regret_vs_t": regret_vs_t,
        "regret_vs_d": _grid_table("d", [5, 10, 20, 40], power(0)),
        "regret_vs_n": _grid_table("N", [4, 8, 16, 32], power(1)),
        "data_poor": _grid_table("d", [5, 10, 20, 40], power(2)),
        "network": network,
    }


@functools.cache
def _bandit_verdict(direction):
    return bandit_checks.regret_check(_bandit_tables(direction), BANDIT_CFG)


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
    sign = 1.0 if direction == SATISFY else -1.0
    rho = {a: pareto_theory.dissimilarity([a]) for a in (1.0, 4.0)}
    rows = []
    for t_p in (1000, 2000, 3000):
        for K in (5, 10):
            for a in (1.0, 4.0):
                shape = (t_p / 1000) ** (-0.5 * sign) * (K / 5) ** sign * (rho[a] / rho[1.0]) ** (0.2 * sign)
                if direction == SATISFY:
                    random, tree = 10.0, 0.01 * shape
                else:
                    random = 0.5 * t_p / 1000
                    tree = 100 * random * shape
                missing = 0.0 if direction == SATISFY else 0.3  # share of Lemma 5 rounds missing a Pareto arm
                for r in range(REPLICATES):
                    point = f"K{K}_a{a:g}_t_p{t_p}"
                    for policy, metric, value in (
                        ("adaptive_tree", "regret_per_round", tree * _noise(rng, None)),
                        ("uniform_random", "regret_per_round", random * _noise(rng, None)),
                        ("adaptive_tree", "missing_pareto_share_lemma5", missing * _noise(rng, None)),
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
    return {"tp": tp, "nu": nu, "shifts": shifts}


def _gap_table(direction):
    from banditlab.pareto.appendix_b import gap_table

    table = gap_table()
    if direction == CONTRADICT:
        table = table.assign(gap=table["gap"] + 0.01)
    return table


@functools.cache
def _pareto_verdict(direction):
    return pareto_rows.check_table(_gap_table(direction), _pareto_tables(direction), PARETO_CFG, resamples=200)


# ----------------------------------------------------------------------------------------------- the test


def _evaluate(claim, direction):
    if claim in estimation_claims.TABLE1_CLAIMS.values():
        return _table1_verdict(claim, direction)
    if claim in estimation_claims.PROPOSITION_CLAIMS.values():
        return _level_verdict(claim, direction)
    if claim is estimation_claims.THEOREM1_CLAIM:
        return _theorem1_verdict(claim, direction)
    if claim in bandit_checks.CLAIMS:
        return _bandit_verdict(direction)  # one synthetic study serves every claim of the regret study
    if claim in pareto_claims.CLAIMS:
        return _pareto_verdict(direction)
    raise AssertionError(f"no synthetic measurement for {claim.claim_id}: every claim of the ledger needs one")


@pytest.mark.parametrize("direction", [SATISFY, CONTRADICT])
@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_every_claim_can_hold_and_can_fail(claim, direction):
    evaluated = _evaluate(claim, direction)
    rows = evaluated[evaluated["claim_id"] == claim.claim_id]
    assert not rows.empty, f"{claim.claim_id}: the synthetic results produced no measurement row"
    expected = verdicts.HOLDS if direction == SATISFY else verdicts.FAILS
    assert rows["verdict"].iloc[0] == expected, rows[["row", "estimate", "se", "claimed_low", "claimed_high", "reason"]]
