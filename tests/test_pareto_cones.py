"""Cones, Pareto sets and the exact gap of paper 004 (Definitions 1-3, 7; Appendix B, Table 1)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banditlab.pareto import Cone, gap_to_front, hausdorff_distance, pareto_gap, pareto_set, preference_distance
from banditlab.pareto.appendix_b import ARM_MEANS, ARM_NAMES, C3_GENERATORS, PAPER_TABLE_1, gap_table, plot_example
from banditlab.pareto.cones import _gap_general, _gap_orthant
from banditlab.testing import gap_to_front_milp

C1 = Cone.orthant(2)
C3 = Cone.from_generators(C3_GENERATORS)


def _random_instance(seed, M, K, kind):
    rng = np.random.default_rng(seed)
    off = 1 - np.eye(M)
    if kind == "narrow":
        W = np.eye(M) + rng.uniform(0.0, 0.8, (M, M)) * off
    else:  # wider than the orthant in some directions
        W = np.eye(M) + rng.uniform(-0.3, 0.5, (M, M)) * off
    return Cone.from_generators(W), rng.uniform(0.2, 2.0, (K, M))


# ------------------------------------------------------------------ Table 1, value by value
@pytest.mark.parametrize("cone_name,col", [("C1", 0), ("C3", 1)])
@pytest.mark.parametrize("k", range(10))
def test_table1_value_by_value(cone_name, col, k):
    cone = C1 if cone_name == "C1" else C3
    gap = pareto_gap(ARM_MEANS, cone)[k]
    printed = PAPER_TABLE_1[ARM_NAMES[k]][2 + col]
    assert round(float(gap), 4) == printed
    assert (k in pareto_set(ARM_MEANS, cone)) == PAPER_TABLE_1[ARM_NAMES[k]][col]


def test_gap_table_is_tidy_and_matches():
    table = gap_table()
    assert list(table.columns[:4]) == ["arm", "r1", "r2", "cone"]
    assert len(table) == 20 and set(table.cone) == {"C1", "C3"}
    assert table["matches_4dp"].all() and table["pareto_matches"].all()
    assert (table["abs_diff"] < 5e-5).all()


def test_pareto_fronts_of_appendix_b():
    assert pareto_set(ARM_MEANS, C1).tolist() == [5, 6, 8, 9]
    assert pareto_set(ARM_MEANS, C3).tolist() == [1, 2, 4, 5, 6, 8, 9]


def test_reading_of_strictly_dominated_is_the_cone_interior():
    """Evidence in Table 1: A0 is dominated under C3 (Pareto? False) yet Delta_C3(A0) = 0.0000.

    A9 - A0 = (0.15, 0.25) = 0.25 * w2 lies on a boundary ray of C3: dominated (Definition 2.2),
    not strictly dominated (interior, Definition 2.3). So the gap counts only interior dominance, and
    Remark (i) ("Delta = 0 iff Pareto") fails for boundary-dominated arms.
    """
    a0, a9 = ARM_MEANS[0], ARM_MEANS[9]
    assert C3.dominates(a9, a0) and not C3.dominates(a9, a0, strict=True)
    assert 0 not in pareto_set(ARM_MEANS, C3)
    assert pareto_gap(ARM_MEANS, C3)[0] == 0.0


def test_uniform_scaling_reading_does_not_reproduce_table1():
    """A scalar eps = s*1 (instead of a free eps per coordinate) gives 0.0667 for A3 under C3, not 0.0392."""
    front = ARM_MEANS[pareto_set(ARM_MEANS, C3)]
    s_grid = np.exp(np.linspace(0, 0.2, 20001))
    x = ARM_MEANS[3]
    ok = ~np.array([np.any(C3.dominates(front, s * x, strict=True)) for s in s_grid])
    uniform = np.log(s_grid[ok][0])
    assert round(uniform, 4) != 0.0392 and abs(uniform - 0.0667) < 1e-4
    assert round(float(pareto_gap(ARM_MEANS, C3)[3]), 4) == 0.0392


# ------------------------------------------------------------------ exactness against a MILP
@pytest.mark.parametrize("seed", range(6))
def test_general_gap_matches_direct_milp(seed):
    cone, means = _random_instance(seed, M=2 + seed % 3, K=12, kind="narrow" if seed % 2 else "wide")
    front = means[pareto_set(means, cone)]
    exact = gap_to_front(means, front, cone)
    milp = gap_to_front_milp(means, front, cone)
    assert np.max(np.abs(exact - milp)) < 1e-5


@given(st.integers(0, 2**31), st.integers(2, 5))
@settings(max_examples=25, deadline=None)
def test_general_algorithm_on_orthant_equals_closed_form(seed, M):
    rng = np.random.default_rng(seed)
    means = rng.uniform(0.1, 3.0, (15, M))
    front = means[pareto_set(means, C1 if M == 2 else Cone.orthant(M))]
    np.testing.assert_allclose(_gap_general(means, front, Cone.orthant(M)), _gap_orthant(means, front), atol=1e-12)


# ------------------------------------------------------------------ dominance and cone equivalence
@given(st.integers(0, 2**31), st.integers(1, 5))
@settings(max_examples=40, deadline=None)
def test_orthant_dominance_is_coordinatewise(seed, M):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 4, (30, M)).astype(float)  # small integers: many ties and equalities
    b = rng.integers(0, 4, (30, M)).astype(float)
    cone = Cone.orthant(M)
    assert np.array_equal(cone.weakly_dominates(a, b), np.all(a >= b, axis=1))
    assert np.array_equal(cone.dominates(a, b), np.all(a >= b, axis=1) & np.any(a != b, axis=1))
    assert np.array_equal(cone.dominates(a, b, strict=True), np.all(a > b, axis=1))
    # broadcasting: (30, 1, M) against (1, 30, M)
    assert cone.dominates(a[:, None], b[None]).shape == (30, 30)


@given(st.integers(0, 2**31), st.integers(1, 5), st.floats(0.1, 10.0))
@settings(max_examples=25, deadline=None)
def test_identity_generators_equal_orthant(seed, M, scale):
    rng = np.random.default_rng(seed)
    means = rng.uniform(0.1, 2.0, (25, M))
    orth = Cone.orthant(M)
    for W in (np.eye(M), scale * np.eye(M)):
        gen = Cone.from_generators(W)
        assert np.array_equal(pareto_set(means, gen), pareto_set(means, orth))
        assert np.array_equal(pareto_gap(means, gen), pareto_gap(means, orth))


def test_narrow_cone_has_larger_pareto_set():
    rng = np.random.default_rng(3)
    means = rng.uniform(0.2, 2.0, (60, 2))
    assert set(pareto_set(means, C1)) <= set(pareto_set(means, C3))


def test_duplicate_arms_are_both_pareto():
    means = np.array([[1.0, 1.0], [1.0, 1.0], [0.5, 0.5]])
    assert pareto_set(means, C1).tolist() == [0, 1]
    assert pareto_gap(means, C1)[2] == pytest.approx(np.log(2.0))


# ------------------------------------------------------------------ zero/negative means, bad input
def test_zero_means_need_offset_and_offset_is_documented_shift():
    means = np.array([[1.0, 2.0], [2.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ValueError, match="offset"):
        pareto_gap(means, C1)
    gap = pareto_gap(means, C1, offset=1.0)
    assert np.all(np.isfinite(gap)) and gap[:2].tolist() == [0.0, 0.0]
    # (1,1) against the shifted front {(2,3), (3,2)}: each needs one coordinate doubled -> log 2
    assert gap[2] == pytest.approx(np.log(2.0))
    assert pareto_set(means, C1).tolist() == [0, 1]  # the Pareto set needs no offset
    with pytest.raises(ValueError, match="offset > 0"):
        pareto_gap(means - 0.5, C1)


@pytest.mark.parametrize(
    "W,match",
    [
        (np.ones((2, 3)), "square"),
        (np.array([[1.0, 2.0], [2.0, 4.0]]), "invertible"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), "finite"),
        (np.zeros((0, 0)), "square"),
    ],
)
def test_bad_generators(W, match):
    with pytest.raises(ValueError, match=match):
        Cone.from_generators(W)


def test_bad_inputs():
    with pytest.raises(ValueError, match="M must"):
        Cone.orthant(0)
    with pytest.raises(ValueError, match="M=2"):
        pareto_set(np.ones((3, 3)), C1)
    with pytest.raises(ValueError, match="2-d"):
        pareto_gap(np.ones(3), C1)
    with pytest.raises(ValueError, match="finite"):
        pareto_gap(np.array([[1.0, np.nan]]), C1)
    with pytest.raises(ValueError, match="cone must be"):
        pareto_set(ARM_MEANS, np.eye(2))
    with pytest.raises(ValueError, match="offset"):
        preference_distance([[1.0, -1.0]], [[1.0, 1.0]], C1)
    with pytest.raises(ValueError, match="base"):
        hausdorff_distance([[1.0, 1.0]], [[1.0, 1.0]], base="manhattan")


# ------------------------------------------------------------------ Figure 1
def test_plot_example_writes_files(tmp_path):
    from banditlab.figures import save_figure

    pdf, png = tmp_path / "f.pdf", tmp_path / "f.png"
    save_figure(plot_example(), pdf, png)
    assert pdf.stat().st_size > 1000 and png.stat().st_size > 1000
