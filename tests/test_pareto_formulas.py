"""Paper 004's formulas evaluated exactly (banditlab.pareto.formulas) and Lemma 7's experiment (pareto.lemma7): each
computation against a value derived by hand or an independent implementation, and each check both ways."""

import math

import numpy as np
import pandas as pd
import pytest

from banditlab import verdicts as v
from banditlab.pareto import Cone, pareto_gap, pareto_set, preference_distance
from banditlab.pareto import formulas as f
from banditlab.pareto.appendix_b import ARM_MEANS, cones
from banditlab.pareto.formula_rows import lemma7_rows
from banditlab.pareto.lemma7 import lemma7_premises, level_summary
from banditlab.runner import run_config_point

BLOCK = {
    "gap_offset": 1.0,
    "formula_checks": {
        "remark3_scales": [0.5, 10.0],
        "nu_exponents": [0.0, 1.0],
        "rho_h": [0.05],
        "n_arms": 5,
        "grid": 101,
    },
    "experiments": {"tp": {"T": 50_000, "grid": {"t_p": [1000, 3000]}}},
}


def test_proposition1_by_hand_and_against_table1():
    c1 = Cone.orthant(2)
    front = ARM_MEANS[pareto_set(ARM_MEANS, c1)]
    printed = f.prop1_gap(ARM_MEANS, front, "printed")
    # A0 = (0.80, 0.90): nearest Pareto point in the log-Chebyshev sense is A9 = (0.95, 1.15)
    assert printed[0] == pytest.approx(max(math.log(0.95 / 0.80), math.log(1.15 / 0.90)), abs=1e-15)
    assert (printed[pareto_set(ARM_MEANS, c1)] == 0).all()
    assert (f.prop1_gap(ARM_MEANS, front, "without_abs") <= printed + 1e-15).all()
    table = f.prop1_table({}, BLOCK, 0)
    # Table 1 is Definition 7 (the appB claims), so a mismatch of Proposition 1 is the proposition's, not the table's
    assert (table["definition7"] - table["paper_value"]).abs().max() < v.VALUE_TOLERANCE
    a0 = table[(table.cone == "C1") & (table.arm == "A0")].iloc[0]
    assert abs(a0.prop1_printed - a0.paper_value) > v.VALUE_TOLERANCE  # 0.2451 against 0.1719
    assert (table["all_arms"] == 0).all()  # k' = k: the control is 0 everywhere
    with pytest.raises(ValueError, match="reading"):
        f.prop1_gap(ARM_MEANS, front, "absolute")
    with pytest.raises(ValueError, match="> 0"):
        f.prop1_gap(ARM_MEANS - 1.0, front, "printed")


def test_remark3_holds_for_the_exact_gap_and_gap_offset_breaks_it():
    for cone in cones().values():
        for scale in (1e-3, 0.5, 10.0, 1e3):
            assert np.abs(pareto_gap(scale * ARM_MEANS, cone) - pareto_gap(ARM_MEANS, cone)).max() < 1e-12
    table = f.gap_scale_table({}, BLOCK, 0)
    a0 = table[(table.instance == "appendix_b_C1") & (table.arm == "A0") & (table.offset == 1.0)].set_index("scale")
    assert a0.loc[1.0, "gap"] == pytest.approx(math.log(1.95 / 1.80))  # the 0.080
    assert a0.loc[10.0, "gap"] == pytest.approx(math.log(10.5 / 9.0))  # ... and 0.154 with the means scaled by 10
    exact = table[(table.instance == "appendix_b_C1") & (table.offset == 0.0)]
    assert exact["change"].abs().max() < 1e-12
    h = table[table.instance.str.startswith("appendix_h")]
    assert set(h["offset"]) == {0.1, 1.0, 10.0} and (h.loc[h.scale == 1.0, "change"] == 0).all()


def test_front_distance_is_definition8():
    rng = np.random.default_rng(0)
    means = rng.random((40, 6, 2))
    other = rng.random((40, 6, 2))
    masks = [np.isin(np.arange(6), pareto_set(m, Cone.orthant(2))) for m in (*means, *other)]
    pa, pb = np.array(masks[:40]), np.array(masks[40:])
    fast = f.front_distance(means, pa, other, pb, 0.5)
    slow = [preference_distance(means[i][pa[i]], other[i][pb[i]], Cone.orthant(2), offset=0.5) for i in range(40)]
    np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)
    assert (fast > 0).any() and (fast == 0).any()  # both kinds of pairs occur: the comparison has power
    assert not np.allclose(f.front_distance(means, pa, other, pb, 2.0), slow)


def test_dissimilarity_in_nu():
    assert f.dp_transport(0.0, 5, 1.0, 101) == 0.0  # P = Q
    values = [f.dp_transport(nu, 5, 1.0, 201) for nu in (0.5, 1.0, 2.0)]
    assert values[0] > 0 and np.all(np.diff(values) > 0)
    table = f.nu_dissimilarity_table({}, BLOCK, 0)
    assert set(table["measure"]) == {"definition4", "definition8"}
    assert len(table) == 2 * 2


def test_theorem1_takes_the_target_term_on_appendix_h():
    table = f.theorem1_factors(50_000, (1000, 3000), (1.0, 8.0), h=0.05)
    row = table[(table.nu == 1.0) & (table.t_p == 3000)].iloc[0]
    assert row.factor == pytest.approx((row.rho_PQ / 3000) / (row.rho_QQ / 47_000))
    assert 35 < row.factor < 40  # the "38 at nu = 1"
    assert table["factor"].max() > 1e10  # "up to 1e10 at nu = 8"
    assert set(table["min_takes"]) == {"target"}
    flipped = f.theorem1_factors(50_000, (40_000,), (0.0,), h=0.05).iloc[0]  # P = Q and t_p > T/2: (T-t_p)/t_p
    assert flipped.factor == pytest.approx(10_000 / 40_000) and flipped.min_takes == "source"
    terms = f.theorem1_terms_table({}, BLOCK, 0)
    assert set(terms["t_p"]) == {1000, 3000} and set(terms["nu"]) == {0.0, 1.0}


def test_regret2_is_zero_for_supports_that_contain_the_pareto_set():
    worst = f.support_regret(n_arms=6, n_grid=51)
    assert worst["containing"] == 0.0
    assert worst["missing"] > 0.1  # the same computation sees a missing Pareto arm


# ------------------------------------------------------------------------------------------- Lemma 7


def _levels(tree, random, same_tree=0.5, jumps=0, c1=4.0, n=8, seed=0):
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n):
        best = 0.05 + 0.005 * rng.standard_normal()
        base = {"point": "p", "T": 20_000, "t_p": 1000, "K": 5, "a": 1.0, "jumps": jumps, "max_jump": 1.0 * bool(jumps)}
        base |= {"lipschitz": 4.0, "c1": c1, "replicate": r}
        for policy, value in (
            ("adaptive_tree", tree * best),
            ("fixed_partition_d1", 1.3 * best),
            ("fixed_partition_d2", best),
            ("uniform_random", random * best),
        ):
            rows.append({**base, "policy": policy, "metric": "regret_per_round", "value": value})
            rows.append({**base, "policy": policy, "metric": "same_arm_as_tree", "value": same_tree})
            rows.append({**base, "policy": policy, "metric": "same_arm_as_random", "value": 0.3})
    return pd.DataFrame(rows)


def test_level_summary_ratio_and_paired_error():
    summary = level_summary(_levels(0.9, 1.5)).iloc[0]
    assert summary.best_level == 2
    assert summary.tree_ratio == pytest.approx(0.9) and summary.random_ratio == pytest.approx(1.5)
    assert summary.tree_se == pytest.approx(
        0.0, abs=1e-12
    )  # exactly proportional to the best level, replicate by replicate
    noisy = _levels(0.9, 1.5)
    noisy.loc[(noisy.policy == "adaptive_tree") & (noisy.metric == "regret_per_round"), "value"] *= np.linspace(
        0.9, 1.1, 8
    )
    assert level_summary(noisy).iloc[0].tree_se > 0


def test_lemma7_rows_guard_identical_play_and_read_the_premises():
    same = lemma7_rows(_levels(1.0, 1.0, same_tree=1.0))
    claim = next(row for row in same if row["role"] == v.CLAIM_ROLE)
    assert np.isnan(claim["estimate"]) and "plays like fixed_partition depth 2" in claim["note"]
    different = next(row for row in lemma7_rows(_levels(0.9, 1.5)) if row["role"] == v.CLAIM_ROLE)
    assert different["estimate"] == pytest.approx(0.9) and different["premises"] == v.PREMISES_MET
    point = level_summary(_levels(0.9, 1.5, jumps=4, c1=0.5)).iloc[0]
    failing = [p.name for p in lemma7_premises(point) if p.met is False]
    assert failing == ["Assumption 1: the means are Hölder in the context", "Lemma 2: c1 >= C_beta"]
    deep = dict(point) | {"best_level": 12, "jumps": 0, "c1": 4.0}  # (T - t_p) 2^-12 = 4.6 < 8 log T = 79
    assert [p.name for p in lemma7_premises(deep) if p.met is False] == [
        "Lemma 7's Chernoff step: (T - t_p) 2^-h* >= 8 log T"
    ]


def test_run_levels_pairs_every_level_on_one_draw():
    block = {
        "sigma": 1.0,
        "dim": 1,
        "gap_offset": 1.0,
        "policies": ["uniform_random"],
        "policy_params": {"adaptive_tree": {"c2": 1.0}, "fixed_partition": {"depth": 3, "c2": 1.0}},
        "experiments": {
            "levels": {
                "grid": {"c1": [4.0, 0.1]},
                "a": 1.0,
                "T": 6000,
                "t_p": 300,
                "K": 4,
                "depths": [1, 2],
                "replicates": 2,
            }
        },
    }
    frame = pd.concat(
        run_config_point("pareto", block, "levels", label, seed=3)
        for label in ("K4_T6000_a1_c14_t_p300", "K4_T6000_a1_c10p1_t_p300")
    )
    assert set(frame["policy"]) == {"adaptive_tree", "fixed_partition_d1", "fixed_partition_d2", "uniform_random"}
    assert (frame["jumps"] == 3).all() and (frame["lipschitz"] == 4.0).all()  # K = 4: jumps at s = 0.625, 0.833, 0.9375
    same = frame[frame.metric == "same_arm_as_tree"].groupby(["c1", "policy"])["value"].mean()
    assert same.loc[(4.0, "fixed_partition_d1")] == 1.0  # c1 = C_beta: nothing is eliminated, the levels play alike
    assert (same.loc[0.1] < 1.0).any()  # a small c1 eliminates: the levels play differently, no identity


@pytest.mark.parametrize(
    "path,value,named",
    [
        (("experiments", "levels", "depths"), [0, 2], "pareto.experiments.levels.depths"),
        (("experiments", "levels", "grid", "c1"), [-1.0], "pareto.experiments.levels.grid.c1"),
        (("formula_checks", "remark3_scales"), [0.0], "pareto.formula_checks.remark3_scales"),
        (("formula_checks", "grid"), 3, "pareto.formula_checks.grid"),
        (("policy_params", "pareto_ucb", "bonus"), -1.0, "pareto.policy_params.pareto_ucb.bonus"),
    ],
)
def test_bad_new_keys_are_refused_with_their_dotted_path(path, value, named):
    from pathlib import Path

    import yaml

    from banditlab.configcheck import ConfigError, validate_block

    root = Path(__file__).resolve().parents[1]
    block = yaml.safe_load((root / "config" / "smoke.yaml").read_text())["pareto"]
    validate_block(dict(block), root / "workflow" / "schemas" / "pareto.schema.yaml", "pareto")  # as shipped: valid
    node = block
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        validate_block(block, root / "workflow" / "schemas" / "pareto.schema.yaml", "pareto")


def test_the_corrected_findings_compute_their_numbers():
    from banditlab.pareto.claims import FINDINGS

    by_id = {finding.finding_id: finding for finding in FINDINGS}
    index = by_id["004-appH-index-claim"]
    assert "one index or none" not in index.finding and "at most two indices" in index.finding
    assert "two indices at 0.0" not in index.evidence_text  # the grid has contexts where the interval holds two
    for finding_id in ("004-theorem1-rate", "004-regret2-random"):
        text = by_id[finding_id].finding + by_id[finding_id].derivation
        assert "support contains the Pareto set" in text and "P^pi(X) = P*(X)" in text
        assert "containing P* (P* alone, P* plus each other arm, every arm) = 0;" in by_id[finding_id].evidence_text
    minimum = by_id["004-theorem1-min-term"].evidence_text
    assert "nu=1: 37.8 (t_p=3000)" in minimum and "nu=8:" in minimum and minimum.endswith("the min takes: target")


@pytest.mark.parametrize(
    "name", ["pareto_prop1", "pareto_gap_scale", "pareto_nu_dissimilarity", "pareto_theorem1_terms"]
)
def test_formula_tables_are_written_as_the_workflow_writes_them(name, tmp_path):
    """A plain table of results/tables/ may hold no NaN (banditlab.io.write_table refuses one)."""
    from banditlab.io import write_table
    from banditlab.pareto.study import FORMULA_TABLES

    table = getattr(f, FORMULA_TABLES[name])({}, BLOCK, 0)
    assert len(table)
    write_table(table, tmp_path / f"{name}.csv")


def test_a_levels_point_is_written_as_the_workflow_writes_it(tmp_path):
    """The tree and uniform random keep no fixed level: their ``level`` is NaN, which the point's tidy allows."""
    from banditlab.io import write_table
    from banditlab.runner import run_point

    values = {"sigma": 1.0, "dim": 1, "gap_offset": 1.0, "policy_params": {}, "a": 1.0, "T": 800, "t_p": 200, "K": 3}
    values |= {"depths": [1, 2], "c1": 4.0}
    table, nan_ok = run_point(
        "pareto",
        "levels",
        "tiny",
        values,
        {},
        run="banditlab.pareto.lemma7:run_levels",
        tidy="banditlab.pareto.experiments:tidy",
        replicates=1,
        seed=1,
        scale="smoke",
    )
    assert table["level"].isna().any()
    write_table(table, tmp_path / "point.csv", nan_ok=nan_ok)
