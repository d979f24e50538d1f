"""The verdict engine: each kind's rule, resolution, Holm over a claim's rows, and undefined measurements."""

import numpy as np
import pandas as pd
import pytest

from banditlab import verdicts as v


def claim(kind, **options):
    return v.Claim("c", "paper", "where", "statement", kind, "instance", "rule", **options)


def rows(claim_, *specs):
    """specs: (estimate, se, low, high) per row."""
    return pd.DataFrame(
        [v.measurement_row(claim_, f"row{i}", "stat", e, se, 20, lo, hi) for i, (e, se, lo, hi) in enumerate(specs)]
    )


def verdict(claim_, *specs):
    out = v.evaluate(rows(claim_, *specs), [claim_])
    return out["verdict"].iloc[0], list(out["row_verdict"])


@pytest.mark.parametrize("kind", [v.UPPER_BOUND, v.EXACT_RATE, v.LEVEL])
def test_bound_kinds_hold_fail_or_lack_power(kind):
    c = claim(kind)
    resolution = c.row_resolution
    assert verdict(c, (0.5, 0.01, -np.inf, 1.0))[0] == v.HOLDS
    assert verdict(c, (2.0, 0.01, -np.inf, 1.0))[0] == v.FAILS
    # inside the region but wider than the resolution: not enough power to say "holds"
    wide = 2 * resolution / v.Z95
    assert verdict(c, (0.5, wide, -np.inf, 1.0))[0] == v.NOT_TESTABLE
    # just outside, but within noise: no failure either
    assert verdict(c, (1.01, 0.01 * resolution, -np.inf, 1.0))[0] in (v.HOLDS, v.FAILS)


def test_lower_bound_fails_below_and_holds_above():
    c = claim(v.LOWER_BOUND)
    assert verdict(c, (-0.2, 0.02, -0.6, np.inf))[0] == v.HOLDS
    assert verdict(c, (-1.5, 0.02, -0.6, np.inf))[0] == v.FAILS


@pytest.mark.parametrize("kind", [v.COMPARISON, v.TREND])
def test_sign_kinds_need_the_whole_interval_on_the_claimed_side(kind):
    c = claim(kind)
    assert verdict(c, (-1.0, 0.1, -np.inf, 0.0))[0] == v.HOLDS
    assert verdict(c, (1.0, 0.1, -np.inf, 0.0))[0] == v.FAILS
    assert verdict(c, (-0.1, 0.1, -np.inf, 0.0))[0] == v.NOT_TESTABLE  # straddles 0


def test_no_effect_is_an_equivalence_test():
    c = claim(v.NO_EFFECT)
    margin = (-v.NO_EFFECT_MARGIN, v.NO_EFFECT_MARGIN)
    assert verdict(c, (0.01, 0.01, *margin))[0] == v.HOLDS
    assert verdict(c, (0.5, 0.01, *margin))[0] == v.FAILS
    assert verdict(c, (0.05, 0.05, *margin))[0] == v.NOT_TESTABLE


def test_value_kind_is_exact():
    c = claim(v.VALUE)
    assert verdict(c, (0.1719, 0.0, 0.1719 - 5e-5, 0.1719 + 5e-5))[0] == v.HOLDS
    assert verdict(c, (0.1730, 0.0, 0.1719 - 5e-5, 0.1719 + 5e-5))[0] == v.FAILS


def test_claim_holds_only_when_every_row_holds():
    c = claim(v.UPPER_BOUND)
    wide = 1.0
    result, per_row = verdict(c, (0.5, 0.01, -np.inf, 1.0), (0.5, wide, -np.inf, 1.0))
    assert result == v.NOT_TESTABLE and per_row == [v.HOLDS, v.NOT_TESTABLE]
    result, per_row = verdict(c, (0.5, 0.01, -np.inf, 1.0), (3.0, 0.01, -np.inf, 1.0))
    assert result == v.FAILS and per_row == [v.HOLDS, v.FAILS]


def test_undefined_measurements_are_not_testable():
    c = claim(v.UPPER_BOUND)
    assert verdict(c, (np.nan, 0.1, -np.inf, 1.0))[0] == v.NOT_TESTABLE
    assert verdict(c, (0.5, np.inf, -np.inf, 1.0))[0] == v.NOT_TESTABLE
    assert v.evaluate(pd.DataFrame(), [c]).empty


def test_level_rows_with_a_failure_probability_use_the_binomial_tail():
    c = claim(v.LEVEL)
    base = v.measurement_row(c, "r", "share", 0.0, 0.0, 20, 0.0, 0.05)
    never = pd.DataFrame([{**base, "exceed": 0, "failure_probability": 0.05, "vacuous": False}])
    always = pd.DataFrame([{**base, "estimate": 1.0, "exceed": 20, "failure_probability": 0.05, "vacuous": False}])
    vacuous = pd.DataFrame([{**base, "exceed": 0, "failure_probability": 3.0, "vacuous": True}])
    assert v.evaluate(never, [c])["verdict"].iloc[0] == v.HOLDS
    assert v.evaluate(always, [c])["verdict"].iloc[0] == v.FAILS
    assert v.evaluate(vacuous, [c])["verdict"].iloc[0] == v.NOT_TESTABLE
    assert v.p_exceedance(3, 20, 0.05) == pytest.approx(
        1 - sum(0.05**k * 0.95 ** (20 - k) * _binom(20, k) for k in range(3))
    )


def _binom(n, k):
    from math import comb

    return comb(n, k)


def test_holm_matches_the_step_down_definition():
    p = np.array([0.001, 0.04, 0.03, 0.5, np.nan])
    adjusted, rejected = v.holm(p, level=0.05)
    # sorted finite p: 0.001, 0.03, 0.04, 0.5 with multipliers 4, 3, 2, 1 and running maxima
    assert adjusted[0] == pytest.approx(0.004)
    assert adjusted[2] == pytest.approx(0.09) and adjusted[1] == pytest.approx(0.09)
    assert adjusted[3] == pytest.approx(0.5) and np.isnan(adjusted[4])
    assert rejected.tolist() == [True, False, False, False, False]


def test_family_wise_false_failures_stay_below_the_level():
    """A claim true on all its rows (each estimate on the region's edge) fails in at most ~5% of runs.

    Runs the engine's own p-values and Holm step (what :func:`evaluate` applies per claim)."""
    rng = np.random.default_rng(7)
    runs, m = 1500, 8
    failures = 0
    for _ in range(runs):
        estimates = 1.0 + 0.05 * rng.standard_normal(m)
        p = [v.p_outside(e, 0.05, -np.inf, 1.0) for e in estimates]
        failures += v.holm(p)[1].any()
    assert failures / runs <= v.FAMILY_LEVEL + 0.015
    # without Holm, eight rows each failing when its 95% interval misses R would fail far more often
    unadjusted = np.mean([(rng.standard_normal(m) > v.stats.norm.isf(0.025)).any() for _ in range(runs)])
    assert unadjusted > 0.15  # 1 - 0.975^8 = 18%


def test_unknown_claims_and_missing_columns_are_refused():
    c = claim(v.UPPER_BOUND)
    frame = rows(c, (0.5, 0.01, -np.inf, 1.0))
    with pytest.raises(ValueError, match="unknown claims"):
        v.evaluate(frame, [claim(v.UPPER_BOUND).__class__("other", "p", "w", "s", v.UPPER_BOUND, "i", "r")])
    with pytest.raises(ValueError, match="lack columns"):
        v.evaluate(frame.drop(columns="se"), [c])
    with pytest.raises(ValueError, match="kind must be one of"):
        claim("a guess")


def test_check_markdown_lists_each_claim_and_its_rows():
    c = claim(v.UPPER_BOUND)
    text = v.check_markdown(v.evaluate(rows(c, (0.5, 0.01, -np.inf, 1.0)), [c]), "Title")
    assert text.startswith("# Title") and "**c**: holds" in text and "| row0 |" in text


def test_one_row_fails_exactly_when_its_95_interval_misses_the_region():
    c = claim(v.UPPER_BOUND)
    inside_edge = 1.0 + 0.99 * v.Z95 * 0.1  # interval [0.998, ...] still touches the region (<= 1)
    outside_edge = 1.0 + 1.01 * v.Z95 * 0.1
    assert verdict(c, (inside_edge, 0.1, -np.inf, 1.0))[0] != v.FAILS
    assert verdict(c, (outside_edge, 0.1, -np.inf, 1.0))[0] == v.FAILS
