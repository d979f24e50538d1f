"""The verdict engine: each kind's rule, earned holds, premises, negative controls, exact intervals for exceedance
rates, the identity and uninformative guards, Holm over a claim's rows, and the ledger's wording.

Each rule is shown with a case that makes it say the other thing."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from banditlab import verdicts as v


def claim(kind, **options):
    return v.Claim("c", "paper", "where", "statement", kind, "instance", "rule", **options)


def rows(claim_, *specs, premises="met", role=v.CLAIM_ROLE):
    """specs: (estimate, se, low, high) per row."""
    return pd.DataFrame(
        [
            v.measurement_row(claim_, f"row{i}", "stat", e, se, 20, lo, hi, premises=premises, role=role)
            for i, (e, se, lo, hi) in enumerate(specs)
        ]
    )


def verdict(claim_, *specs, premises="met"):
    out = v.evaluate(rows(claim_, *specs, premises=premises), [claim_])
    return out["verdict"].iloc[0], list(out["row_verdict"])


def evaluated(frame, claim_):
    return v.evaluate(frame, [claim_])


# ------------------------------------------------------------------------------------------- kinds and rules


@pytest.mark.parametrize("kind", [v.UPPER_BOUND, v.EXACT_RATE, v.LEVEL])
def test_bound_kinds_hold_fail_or_lack_power(kind):
    c = claim(kind)
    resolution = c.row_resolution
    assert verdict(c, (0.5, 0.01, -np.inf, 1.0))[0] == v.HOLDS
    assert verdict(c, (2.0, 0.01, -np.inf, 1.0))[0] == v.FAILS
    # inside, but the interval reaches twice the resolution past the edge: a violation that size would be missed
    reaching = (0.05 + 2 * resolution) / v.Z95
    assert verdict(c, (0.95, reaching, -np.inf, 1.0))[0] == v.NOT_TESTABLE
    # the same width deep inside the region: its far edge stays inside, so it holds
    assert verdict(c, (0.5 - 2 * resolution, reaching, -np.inf, 1.0))[0] == v.HOLDS


def test_an_estimate_past_the_bound_that_is_not_rejected_does_not_hold():
    """corollary3-T-log-exponent at paper scale: 2.33 [1.91, 2.74] against <= 2.25 was "holds"."""
    c = claim(v.UPPER_BOUND, resolution=v.LOG_EXPONENT_RESOLUTION)
    result, _ = verdict(c, (2.33, (2.74 - 2.33) / v.Z95, -np.inf, 2.25))
    out = v.evaluate(rows(c, (2.33, (2.74 - 2.33) / v.Z95, -np.inf, 2.25)), [c])
    assert result == v.NOT_TESTABLE and "estimate past the bound, not rejected" in out["row_reason"].iloc[0]
    # the same interval with the estimate just inside the bound holds (its far edge is within the resolution 0.5)
    assert verdict(c, (2.2, (2.74 - 2.33) / v.Z95, -np.inf, 2.25))[0] == v.HOLDS


def test_exact_rates_check_both_edges():
    c = claim(v.EXACT_RATE)
    assert verdict(c, (-0.5, 0.01, -0.6, -0.4))[0] == v.HOLDS
    assert verdict(c, (-0.5, 0.2, -0.6, -0.4))[0] == v.NOT_TESTABLE  # both edges reached past the resolution


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
    assert verdict(c, (0.0, 0.0, -5e-5, 5e-5))[0] == v.HOLDS  # a computed 0 is a value, not an identity


def test_claim_holds_only_when_every_row_holds():
    c = claim(v.UPPER_BOUND)
    wide = 1.0
    result, per_row = verdict(c, (0.5, 0.01, -np.inf, 1.0), (0.9, wide, -np.inf, 1.0))
    assert result == v.NOT_TESTABLE and per_row == [v.HOLDS, v.NOT_TESTABLE]
    result, per_row = verdict(c, (0.5, 0.01, -np.inf, 1.0), (3.0, 0.01, -np.inf, 1.0))
    assert result == v.FAILS and per_row == [v.HOLDS, v.FAILS]


def test_undefined_measurements_are_not_testable():
    c = claim(v.UPPER_BOUND)
    assert verdict(c, (np.nan, 0.1, -np.inf, 1.0))[0] == v.NOT_TESTABLE
    assert verdict(c, (0.5, np.inf, -np.inf, 1.0))[0] == v.NOT_TESTABLE
    assert v.evaluate(pd.DataFrame(), [c]).empty


# ------------------------------------------------------------------------------------------------- guards


def test_an_identity_never_fails():
    """Two policies identical on every draw: difference 0 with standard error 0 (paper 004's vs-random rows)."""
    c = claim(v.COMPARISON)
    out = v.evaluate(rows(c, (0.0, 0.0, -np.inf, 0.0)), [c])
    assert out["verdict"].iloc[0] == v.NOT_TESTABLE and "identity" in out["row_reason"].iloc[0]
    # an exact difference that is not 0 is a result: it fails
    assert verdict(c, (0.1, 0.0, -np.inf, 0.0))[0] == v.FAILS


def test_an_uninformative_bound_does_not_hold():
    c = claim(v.LEVEL)
    base = v.measurement_row(c, "r", "share", 0.5, 0.01, 20, -np.inf, 1.0, premises="met")
    loose = pd.DataFrame([{**base, "paper_bound": 48.0, "measured_value": 1.0}])
    out = v.evaluate(loose, [c])
    assert out["verdict"].iloc[0] == v.NOT_TESTABLE and "uninformative" in out["row_reason"].iloc[0]
    tight = pd.DataFrame([{**base, "paper_bound": 2.0, "measured_value": 1.0}])
    assert v.evaluate(tight, [c])["verdict"].iloc[0] == v.HOLDS


def test_exceedance_rates_use_clopper_pearson_and_the_binomial_tail():
    """0 of 40 exceedances: the Wald se is 0, but the exact upper limit (8.8%) is above the 5.55% claimed."""
    c = claim(v.LEVEL)

    def row(exceed, n, failure=0.0555):
        frame = pd.DataFrame([v.exceedance_row(c, "r", "share", exceed, n, failure, premises="met")])
        return v.evaluate(frame, [c])

    few = row(0, 40)
    assert few["verdict"].iloc[0] == v.NOT_TESTABLE
    assert few["ci_high"].iloc[0] == pytest.approx(1 - 0.025 ** (1 / 40))
    assert row(0, 400)["verdict"].iloc[0] == v.HOLDS  # exact upper limit 0.9%
    assert row(12, 40)["verdict"].iloc[0] == v.FAILS
    assert row(0, 40, failure=3.0)["verdict"].iloc[0] == v.NOT_TESTABLE  # vacuous: probability >= 1
    assert v.p_exceedance(3, 20, 0.05) == pytest.approx(
        1 - sum(0.05**k * 0.95 ** (20 - k) * _binom(20, k) for k in range(3))
    )
    low, high = v.clopper_pearson(5, 20)
    assert (low, high) == pytest.approx((0.0866, 0.4910), abs=1e-4)


def test_level_rows_with_a_failure_probability_use_the_binomial_tail():
    c = claim(v.LEVEL)
    base = v.measurement_row(c, "r", "share", 0.0, 0.0, 200, 0.0, 0.05, premises="met")
    never = pd.DataFrame([{**base, "exceed": 0, "failure_probability": 0.05, "vacuous": False}])
    always = pd.DataFrame([{**base, "estimate": 1.0, "exceed": 200, "failure_probability": 0.05, "vacuous": False}])
    assert v.evaluate(never, [c])["verdict"].iloc[0] == v.HOLDS
    assert v.evaluate(always, [c])["verdict"].iloc[0] == v.FAILS


def _binom(n, k):
    from math import comb

    return comb(n, k)


# ----------------------------------------------------------------------------------------------- premises


def test_rows_outside_the_premises_neither_hold_nor_fail():
    c = claim(v.UPPER_BOUND)
    status = "Corollary 1's failure probability: delta >= 249 > 0.05 (N = 20; needs N >= 931)"
    inside, _ = verdict(c, (0.5, 0.01, -np.inf, 1.0))
    outside = v.evaluate(rows(c, (0.5, 0.01, -np.inf, 1.0), premises=status), [c])
    assert inside == v.HOLDS and outside["verdict"].iloc[0] == v.OUTSIDE_PREMISES
    assert "would hold" in outside["row_reason"].iloc[0] and "delta >= 249" in outside["row_reason"].iloc[0]
    contradicting = v.evaluate(rows(c, (5.0, 0.01, -np.inf, 1.0), premises=status), [c])
    assert contradicting["verdict"].iloc[0] == v.OUTSIDE_PREMISES  # not "fails"
    assert "would fail" in contradicting["reason"].iloc[0]
    assert contradicting["premises_summary"].iloc[0].startswith("not met on any of 1 row: Corollary 1's")


def test_a_claim_is_decided_on_its_rows_inside_the_premises_only():
    c = claim(v.UPPER_BOUND)
    frame = pd.concat(
        [rows(c, (0.5, 0.01, -np.inf, 1.0)), rows(c, (5.0, 0.01, -np.inf, 1.0), premises="N = 5: too few")]
    )
    out = v.evaluate(frame.reset_index(drop=True), [c])
    assert out["verdict"].iloc[0] == v.HOLDS and "1 more row outside its premises" in out["reason"].iloc[0]
    assert list(out["row_verdict"]) == [v.HOLDS, v.OUTSIDE_PREMISES]
    assert out["premises_summary"].iloc[0] == "met on 1 of 2 rows: N = 5: too few"


def test_rows_outside_the_premises_leave_holms_family():
    """One row inside at p = 0.03 fails alone; nine rows outside do not dilute it."""
    c = claim(v.UPPER_BOUND)
    se = 0.1
    estimate = 1.0 + se * stats.norm.isf(0.015)  # p_fail = 0.03
    inside = rows(c, (estimate, se, -np.inf, 1.0))
    outside = rows(c, *[(0.5, 0.01, -np.inf, 1.0)] * 9, premises="outside: synthetic")
    out = v.evaluate(pd.concat([inside, outside]).reset_index(drop=True), [c])
    assert out["verdict"].iloc[0] == v.FAILS
    # with the nine rows inside the premises, Holm over ten rows no longer rejects it
    together = rows(c, (estimate, se, -np.inf, 1.0), *[(0.5, 0.01, -np.inf, 1.0)] * 9)
    assert v.evaluate(together, [c])["verdict"].iloc[0] == v.NOT_TESTABLE


def test_the_engine_computes_premises_from_a_row_and_says_when_it_cannot():
    def enough_instances(params):
        N = params["n_instances"]
        return [v.Premise("N >= 100", N >= 100, f"N = {N}", "line 1")]

    c = claim(v.UPPER_BOUND, premises=enough_instances)
    base = v.measurement_row(c, "r", "slope", 0.5, 0.01, 20, -np.inf, 1.0)
    assert base["premises"] == ""
    big = v.evaluate(pd.DataFrame([{**base, "n_instances": 500}]), [c])
    small = v.evaluate(pd.DataFrame([{**base, "n_instances": 20}]), [c])
    unknown = v.evaluate(pd.DataFrame([base]), [c])
    assert big["verdict"].iloc[0] == v.HOLDS and big["premises"].iloc[0] == "met"
    assert small["verdict"].iloc[0] == v.OUTSIDE_PREMISES and small["premises"].iloc[0] == "N >= 100: N = 20"
    assert unknown["verdict"].iloc[0] == v.NOT_TESTABLE and unknown["premises"].iloc[0].startswith("not checked")


def test_premises_over_a_grid_need_every_point():
    def enough_instances(params):
        return [v.Premise("N >= 100", params["N"] >= 100, f"N = {params['N']}")]

    c = claim(v.UPPER_BOUND, premises=enough_instances)
    assert v.premises_over(c, [{"N": 100}, {"N": 400}]) == "met"
    status = v.premises_over(c, [{"N": 20}, {"N": 50}, {"N": 400}], labels=["N=20", "N=50", "N=400"])
    assert status == "N >= 100: N = 20 (N=20; not met at 2 of 3 points)"
    assert v.premises_over(c, [{"M": 1}]).startswith("not checked")
    assert (
        v.premise_status([v.Premise("a", True), v.Premise("b", None, "not measured")]) == "not checked: b: not measured"
    )


# ---------------------------------------------------------------------------------------- negative controls

CONTROL = v.Control("independent OLS", "what must not pass", "which rows")


def test_a_claim_holds_only_when_its_control_is_rejected():
    c = claim(v.UPPER_BOUND, control=CONTROL, method="Algorithm 1")
    agree = rows(c, (0.5, 0.01, -np.inf, 1.0))
    rejected = rows(c, (2.0, 0.01, -np.inf, 1.0), role=v.CONTROL_ROLE)
    passes = rows(c, (0.4, 0.01, -np.inf, 1.0), role=v.CONTROL_ROLE)
    undecided = rows(c, (0.9, 0.5, -np.inf, 1.0), role=v.CONTROL_ROLE)
    held = evaluated(pd.concat([agree, rejected]).reset_index(drop=True), c)
    assert held["verdict"].iloc[0] == v.HOLDS and held["control"].iloc[0].startswith("independent OLS: rejected")
    same = evaluated(pd.concat([agree, passes]).reset_index(drop=True), c)
    assert same["verdict"].iloc[0] == v.NOT_TESTABLE
    assert "the rule cannot tell independent OLS from Algorithm 1" in same["reason"].iloc[0]
    unsure = evaluated(pd.concat([agree, undecided]).reset_index(drop=True), c)
    assert unsure["verdict"].iloc[0] == v.NOT_TESTABLE and "not rejected" in unsure["reason"].iloc[0]
    alone = evaluated(agree, c)
    assert alone["verdict"].iloc[0] == v.NOT_TESTABLE and "was not run" in alone["reason"].iloc[0]
    assert alone["control"].iloc[0] == "independent OLS: not run at this config"
    # a claim without a declared control holds on its rows alone
    assert verdict(claim(v.UPPER_BOUND), (0.5, 0.01, -np.inf, 1.0))[0] == v.HOLDS


def test_a_failure_needs_no_control():
    c = claim(v.UPPER_BOUND, control=CONTROL)
    contradicting = rows(c, (3.0, 0.01, -np.inf, 1.0))
    also = rows(c, (3.0, 0.01, -np.inf, 1.0), role=v.CONTROL_ROLE)
    assert evaluated(contradicting, c)["verdict"].iloc[0] == v.FAILS
    assert evaluated(pd.concat([contradicting, also]).reset_index(drop=True), c)["verdict"].iloc[0] == v.FAILS


def test_control_rows_are_their_own_holm_family_and_have_no_premises_gate():
    c = claim(v.UPPER_BOUND, control=CONTROL)
    agree = rows(c, (0.5, 0.01, -np.inf, 1.0))
    control = rows(c, (2.0, 0.01, -np.inf, 1.0), premises="an instance control, outside by design", role=v.CONTROL_ROLE)
    out = evaluated(pd.concat([agree, control]).reset_index(drop=True), c)
    assert out["verdict"].iloc[0] == v.HOLDS
    assert list(out["row_verdict"]) == [v.HOLDS, v.FAILS]


def test_a_null_control_of_a_sign_claim_is_rejected_only_at_the_methods_precision():
    """A one-sided rule cannot reject "no difference"; it rejects it when an effect as large as the method's would
    have been seen in the control."""
    c = claim(v.COMPARISON, control=CONTROL)
    agree = rows(c, (-1.0, 0.1, -np.inf, 0.0))
    narrow_null = rows(c, (0.02, 0.1, -np.inf, 0.0), role=v.CONTROL_ROLE)
    wide_null = rows(c, (0.02, 0.8, -np.inf, 0.0), role=v.CONTROL_ROLE)
    assert evaluated(pd.concat([agree, narrow_null]).reset_index(drop=True), c)["verdict"].iloc[0] == v.HOLDS
    assert evaluated(pd.concat([agree, wide_null]).reset_index(drop=True), c)["verdict"].iloc[0] == v.NOT_TESTABLE
    identical = rows(c, (0.0, 0.0, -np.inf, 0.0), role=v.CONTROL_ROLE)  # an identity tells nothing
    assert evaluated(pd.concat([agree, identical]).reset_index(drop=True), c)["verdict"].iloc[0] == v.NOT_TESTABLE


def test_roles_are_checked():
    c = claim(v.UPPER_BOUND)
    with pytest.raises(ValueError, match="role must be"):
        v.measurement_row(c, "r", "s", 0.5, 0.1, 10, role="placebo")
    frame = rows(c, (0.5, 0.01, -np.inf, 1.0)).assign(role="placebo")
    with pytest.raises(ValueError, match="role must be"):
        v.evaluate(frame, [c])


# ------------------------------------------------------------------------------------------------- chance


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
    unadjusted = np.mean([(rng.standard_normal(m) > stats.norm.isf(0.025)).any() for _ in range(runs)])
    assert unadjusted > 0.15  # 1 - 0.975^8 = 18%


def test_one_row_fails_exactly_when_its_95_interval_misses_the_region():
    c = claim(v.UPPER_BOUND)
    inside_edge = 1.0 + 0.99 * v.Z95 * 0.1  # interval [0.998, ...] still touches the region (<= 1)
    outside_edge = 1.0 + 1.01 * v.Z95 * 0.1
    assert verdict(c, (inside_edge, 0.1, -np.inf, 1.0))[0] != v.FAILS
    assert verdict(c, (outside_edge, 0.1, -np.inf, 1.0))[0] == v.FAILS


# ------------------------------------------------------------------------------------------------- wording


def test_regions_are_printed_as_their_rules_state_them():
    strict = v.evaluate(rows(claim(v.COMPARISON), (0.0, 0.0, -np.inf, 0.0)), [claim(v.COMPARISON)])
    assert strict["claimed"].iloc[0] == "< 0" and "vs claimed < 0" in strict["row_reason"].iloc[0]
    closed = v.evaluate(rows(claim(v.UPPER_BOUND), (0.5, 0.01, -np.inf, 1.0)), [claim(v.UPPER_BOUND)])
    assert closed["claimed"].iloc[0] == "<= 1"
    assert v.region_text(0.0, np.inf, open_region=True) == "> 0" and v.region_text(-0.1, 0.1) == "[-0.1, 0.1]"


def test_reasons_use_correct_plurals_and_articles():
    c = claim(v.UPPER_BOUND)
    one = v.evaluate(rows(c, (0.5, 0.01, -np.inf, 1.0)), [c])
    assert "holds on its only row" in one["reason"].iloc[0] and "all 1 rows" not in one["reason"].iloc[0]
    two = v.evaluate(rows(c, (0.5, 0.01, -np.inf, 1.0), (0.4, 0.01, -np.inf, 1.0)), [c])
    assert "holds on all 2 rows" in two["reason"].iloc[0]
    assert v.with_article("upper") == "an upper" and v.with_article("lower") == "a lower"
    assert v.plural(1, "row") == "1 row" and v.plural(3, "row") == "3 rows"


# ------------------------------------------------------------------------------------------------- inputs


def test_unknown_claims_and_missing_columns_are_refused():
    c = claim(v.UPPER_BOUND)
    frame = rows(c, (0.5, 0.01, -np.inf, 1.0))
    with pytest.raises(ValueError, match="unknown claims"):
        v.evaluate(frame, [claim(v.UPPER_BOUND).__class__("other", "p", "w", "s", v.UPPER_BOUND, "i", "r")])
    with pytest.raises(ValueError, match="lack columns"):
        v.evaluate(frame.drop(columns="se"), [c])
    with pytest.raises(ValueError, match="kind must be one of"):
        claim("a guess")


def test_check_markdown_lists_each_claim_its_premises_control_and_rows():
    c = claim(v.UPPER_BOUND, control=CONTROL)
    frame = pd.concat([rows(c, (0.5, 0.01, -np.inf, 1.0)), rows(c, (2.0, 0.01, -np.inf, 1.0), role=v.CONTROL_ROLE)])
    text = v.check_markdown(v.evaluate(frame.reset_index(drop=True), [c]), "Title")
    assert text.startswith("# Title") and "**c**: holds" in text and "| row0 |" in text
    assert "premises: none declared; control: independent OLS: rejected" in text and "| control |" in text
