"""Every claim of the ledger can take every verdict it should, through its study's measurement code and the one engine.

For every claim, synthetic results tables in its study's own format (what the point jobs write) are built inside the
claim's premises, once to satisfy the claim and once to contradict it, and once outside its premises; they go through
the study's ``checks`` code (which computes each row's premises from the tables' parameters) and
:func:`banditlab.verdicts.evaluate`, exactly as in the workflow. Then:

* satisfying rows, with a control that the same rule rejects: ``holds``;
* the same rows, with a control that also passes: ``not testable here`` (the rule cannot tell them apart);
* contradicting rows: ``fails`` (a failure needs no control);
* rows outside the premises: ``outside premises``.

The test builds the controls from the study's own rows: a *rejected* control is the contradicting run's rows
relabelled ``role = control``, a *passing* control the satisfying run's. The control rows a study writes itself
(paper 004's Lemmas 2 and 4: the same boxes without their bias term, the count bound without its 1/4; its K trends
under dominance-aware regrets: uniform random's slope) are left out there and tested on their own: with them the
satisfying rows hold. Paper 004's claims
declare no premise functions; their outside case marks the rows' premises status by hand (the engine honours a
status a study writes).

For rate claims the tables are built twice: once to read the claimed region the check code computes for that grid,
then with an exponent inside it (satisfy) or well outside it (contradict).
"""

from __future__ import annotations

import functools
import math

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
    N, d, s = 1500, 32, 1
    trim = math.sqrt(s / d) + theory.eta_proof(N, d, 0.05)
    return {**BASE_POINT, "n_instances": N, "dim": d, "sparsity": s, "design": "uniform", "trim_fraction": trim}


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


def _table1_rows(claim, direction):
    estimator, regime = claim.claim_id.split("-")[2:4]
    case = estimation_claims.CONSTRUCTION if claim.kind == verdicts.LOWER_BOUND else "benign"
    axis = "n_target" if regime == "data_poor" else "n_per_instance"
    values = [100, 200, 400, 800]
    point = {**_table1_point(claim), "case": case}
    if direction == OUTSIDE:
        point["dim"] = 150  # n = 100 <= d: the first grid point's OLS does not exist (Assumption 6)
    instance = "target" if regime == "data_poor" else "mean"
    rng = np.random.default_rng(0)

    def table(exponent):
        def metrics(x, r):
            out = {(instance, "l1"): 3.0 * x**exponent * _noise(rng, None)}
            if estimator == "averaging_multitask":  # Proposition 7's construction, measured per replicate
                out[("mean", "lower_bound_applies_corrected")] = 1.0
            return out

        return _estimation_rows("synthetic", axis, values, point, estimator, metrics)

    region = estimation_rows.rate_rows(table(0.0), resamples=50).iloc[0]
    low, high = region["claimed_low"], region["claimed_high"]
    if direction in (SATISFY, OUTSIDE):
        if np.isfinite(low) and np.isfinite(high):
            exponent = (low + high) / 2
        else:
            exponent = low + 0.3 if np.isfinite(low) else high - 0.3
    else:
        exponent = high + 1.0 if np.isfinite(high) else low - 1.0
    return estimation_rows.rate_rows(table(exponent), resamples=200)


def _level_rows(claim, direction):
    estimator = next(name for name, c in estimation_claims.PROPOSITION_CLAIMS.items() if c is claim)
    rng = np.random.default_rng(1)
    factor = 0.3 if direction == CONTRADICT else 2.0

    def metrics(x, r):
        bound = 10.0 * x**-0.5
        out = {("mean", "l1"): factor * bound * _noise(rng, None), ("mean", "lower_bound"): bound}
        if estimator == "averaging_multitask":
            out[("mean", "lower_bound_applies_corrected")] = 1.0
        return out

    point = {**BASE_POINT, "case": estimation_claims.CONSTRUCTION}
    if direction == OUTSIDE:
        point["dim"] = 1000  # every n_j <= d (Assumption 6)
    table = _estimation_rows("construction", "n_per_instance", [200, 800], point, estimator, metrics)
    return estimation_rows.level_rows(table)


def _theorem1_rows(claim, direction):
    rng = np.random.default_rng(2)
    factor = 10.0 if direction == CONTRADICT else 0.5  # 0.5: the bound twice the error (informative)

    def metrics(x, r):
        bound = 50.0 * x**-0.5
        return {
            ("mean", "l1"): factor * bound * _noise(rng, None),
            ("mean", "upper_bound"): bound,
            # 20 replicates: 0 exceedances give a Clopper-Pearson upper limit of 0.17, so a failure probability of
            # 0.3 is what 20 replicates can show
            ("mean", "upper_bound_failure_probability"): 0.3,
        }

    design = "gaussian" if direction == OUTSIDE else "uniform"  # Gaussian contexts are unbounded (Assumption 1)
    point = {**BASE_POINT, "design": design, "case": "other", "trim_fraction": 0.4}
    table = _estimation_rows("theorem1_level", "n_per_instance", [100, 400], point, "robust_multitask", metrics)
    return estimation_rows.level_rows(table)


# ---------------------------------------------------------------------------------------------- bandits

BANDIT_CFG = {
    "problem": {"K": 2, "s": 1},
    "hyperparameters": {"forced_scale": 0.001, "h": 1.0, "eta10": 0.02, "zeta_max": 0.25},
    # inside Theorem 2's premises: d > 4s, d and N >= log(dNT) (T = N x T_per_instance), event A measured
    "experiments": {
        "regret_vs_t": {"N": 40, "d": 40, "T_per_instance": 100_000},
        "regret_vs_d": {"N": 40},
        "regret_vs_n": {"d": 40},
        "data_poor": {"T_target": 400, "ratio_scale": 0.1},
        # Corollary 4 inside its premises needs N~* >= log(d N~* T) and d > 4 s~ at N~ = N: d = 4096, alpha = 1/2
        "network": {"d": 4096},
    },
}
POLICIES = ("rmbandit", "ols_bandit", "lasso_bandit")


def _grid_table(column, values, regret, fixed, exclusion, t_per=1000):
    """regret(policy, x, replicate) -> value on a grid of ``column``; ``fixed`` the other of N and d."""
    rows = []
    for policy in POLICIES:
        for x in values:
            N = x if column == "N" else fixed
            d = x if column == "d" else fixed
            for r in range(REPLICATES):
                rows.append(
                    {
                        "policy": policy,
                        "replicate": r,
                        "N": N,
                        "K": 2,
                        "d": d,
                        "s": 1,
                        "T": N * t_per,
                        "value": regret(policy, x, r),
                        "filter_exclusion": exclusion,
                    }
                )
    return pd.DataFrame(rows)


def _data_poor_table(regret, exclusion):
    rows = []
    for policy in POLICIES:
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
                        "value": regret(policy, d, r),
                        "filter_exclusion": exclusion,
                    }
                )
    return pd.DataFrame(rows)


def _bandit_tables(direction):
    rng = np.random.default_rng(3)
    mine = {CONTRADICT: (3.0, 1.5, 2.0)}.get(direction, (1.0, -0.5, 0.0))  # exponents in d, N, data-poor d
    theirs = (2.0, 0.0, 1.0)
    exclusion = 0.5 if direction == OUTSIDE else 0.0  # Proposition 2's event A fails when the filter excludes

    def power(index):
        return lambda policy, x, r: x ** (mine if policy == "rmbandit" else theirs)[index] * _noise(rng, None)

    checkpoints = np.unique(np.geomspace(1_000, 1_000_000, 25).astype(int))
    growth = {CONTRADICT: lambda t: t**0.8}.get(direction, lambda t: 5.0 * np.log(t) ** 2)
    regret_vs_t = pd.DataFrame(
        [
            {
                "policy": "rmbandit",
                "replicate": r,
                "t": t,
                "value": growth(t) * _noise(rng, None, 0.002),
                "filter_exclusion": exclusion,
            }
            for r in range(REPLICATES)
            for t in checkpoints
        ]
    )
    d, N, alpha = BANDIT_CFG["experiments"]["network"]["d"], 4096, 0.5
    shape = {CONTRADICT: lambda n: 1e6 / n}.get(direction, lambda n: bandit_checks.network_bound(n, alpha, d))
    network = pd.DataFrame(
        [
            {
                "policy": "rmbandit",
                "replicate": r,
                "N": N,
                "T": N * 1000,
                "alpha": alpha,
                "n_tilde": n,
                "value": shape(n) * _noise(rng, None),
                "filter_exclusion": exclusion,
            }
            for r in range(REPLICATES)
            for n in (1, 16, 256, 4096)
        ]
    )
    return {
        "regret_vs_t": regret_vs_t,
        "regret_vs_d": _grid_table("d", [30, 60, 120, 240], power(0), 40, exclusion),
        "regret_vs_n": _grid_table("N", [20, 40, 80, 160], power(1), 40, exclusion),
        "data_poor": _data_poor_table(power(2), exclusion),
        "network": network,
    }


@functools.cache
def _bandit_rows(direction):
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
    return {"tp": tp, "nu": nu, "shifts": shifts, "frontier": _frontier_table(direction)}


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
    rows = pareto_rows.check_table(_gap_table(direction), _pareto_tables(direction), PARETO_CFG, resamples=200)
    if direction == OUTSIDE:  # no premise function: the status a study would write for an instance outside them
        rows = rows.assign(premises="synthetic premise: not met")
    return rows


# ------------------------------------------------------------------------------------------------ the test


def _rows(claim, direction):
    """The claim's own measurement rows from its study's check code (role claim)."""
    if claim in estimation_claims.TABLE1_CLAIMS.values():
        frame = _table1_rows(claim, direction)
    elif claim in estimation_claims.PROPOSITION_CLAIMS.values():
        frame = _level_rows(claim, direction)
    elif claim is estimation_claims.THEOREM1_CLAIM:
        frame = _theorem1_rows(claim, direction)
    elif claim in bandit_claims.CLAIMS:
        frame = _bandit_rows(direction)  # one synthetic study serves every claim of the regret study
    elif claim in pareto_claims.CLAIMS:
        frame = _pareto_rows(SATISFY if direction == OUTSIDE else direction)
        if direction == OUTSIDE:
            frame = _pareto_rows(OUTSIDE)
    else:
        raise AssertionError(f"no synthetic measurement for {claim.claim_id}: every claim of the ledger needs one")
    rows = frame[frame["claim_id"] == claim.claim_id]
    if "role" in rows:  # the test builds the controls below; a study's own control rows are tested apart
        rows = rows[rows["role"].fillna(verdicts.CLAIM_ROLE) == verdicts.CLAIM_ROLE]
    assert not rows.empty, f"{claim.claim_id}: the synthetic results produced no measurement row ({direction})"
    return rows


def _as_control(rows):
    return rows.assign(role=verdicts.CONTROL_ROLE, premises="")


def _verdict(frame, claim):
    evaluated = verdicts.evaluate(frame.reset_index(drop=True), claims.CLAIMS)
    rows = evaluated[evaluated["claim_id"] == claim.claim_id]
    return rows["verdict"].iloc[0], rows


def _show(rows):
    return rows[["role", "row", "estimate", "se", "claimed", "premises", "row_verdict", "reason"]].to_string()


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_every_claim_holds_only_with_a_rejected_control(claim):
    satisfy, contradict = _rows(claim, SATISFY), _rows(claim, CONTRADICT)
    verdict, rows = _verdict(pd.concat([satisfy, _as_control(contradict)]), claim)
    assert verdict == verdicts.HOLDS, _show(rows)
    assert rows["control"].iloc[0].startswith(f"{claim.control.name}: rejected")
    summary = rows["premises_summary"].iloc[0]
    assert summary in ("met", "none declared") or summary.startswith("met on"), summary  # Corollary 4: N~ = 1 is out


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_a_control_that_passes_too_makes_the_claim_not_testable(claim):
    satisfy = _rows(claim, SATISFY)
    verdict, rows = _verdict(pd.concat([satisfy, _as_control(satisfy)]), claim)
    assert verdict == verdicts.NOT_TESTABLE, _show(rows)
    assert f"the rule cannot tell {claim.control.name} from {claim.method_label}" in rows["reason"].iloc[0]


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_contradicting_rows_fail_the_claim(claim):
    verdict, rows = _verdict(_rows(claim, CONTRADICT), claim)
    assert verdict == verdicts.FAILS, _show(rows)


@pytest.mark.parametrize("claim", claims.CLAIMS, ids=lambda c: c.claim_id)
def test_rows_outside_the_premises_give_outside_premises(claim):
    verdict, rows = _verdict(_rows(claim, OUTSIDE), claim)
    assert verdict == verdicts.OUTSIDE_PREMISES, _show(rows)
    assert (rows["row_verdict"] == verdicts.OUTSIDE_PREMISES).all()


def test_a_claim_without_its_control_rows_does_not_hold():
    claim = estimation_claims.PROPOSITION_CLAIMS["independent_ols"]
    verdict, rows = _verdict(_rows(claim, SATISFY), claim)
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
