"""Property tests: Remarks (i) and (iii) of Definition 7 and the metric axioms of Appendix E for d_p.

Verdicts (paper 004, Appendix E claims d_p is a metric):
* non-negativity, d_p(P, P) = 0 and symmetry hold (tested on random Pareto sets);
* identity of indiscernibles FAILS: two distinct mutually non-dominated sets are at distance 0
  (Appendix E, step (a), equates "not strictly dominated by P2" with "belongs to P2");
* the triangle inequality FAILS (explicit counterexample below; also frequent on random Pareto sets).
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from banditlab.pareto import Cone, gap_to_front, hausdorff_distance, pareto_gap, pareto_set, preference_distance

SEEDS = st.integers(0, 2**31)


def _cone(rng, M, kind):
    if kind == "orthant":
        return Cone.orthant(M)
    return Cone.from_generators(np.eye(M) + rng.uniform(0.0, 0.7, (M, M)) * (1 - np.eye(M)))


def _front(rng, cone, K, M):
    means = rng.uniform(0.1, 2.0, (K, M))
    return means[pareto_set(means, cone)]


@given(SEEDS, st.integers(1, 4), st.sampled_from(["orthant", "narrow"]))
@settings(max_examples=40, deadline=None)
def test_gap_zero_exactly_on_pareto_set_and_positive_iff_strictly_dominated(seed, M, kind):
    rng = np.random.default_rng(seed)
    cone = _cone(rng, M, kind)
    means = rng.uniform(0.1, 2.0, (20, M))
    gap = pareto_gap(means, cone)
    front = pareto_set(means, cone)
    assert np.all(gap[front] == 0.0)  # exactly 0, not approximately
    strictly = np.array([np.any(cone.dominates(means, m, strict=True)) for m in means])
    assert np.all(gap[strictly] > 0) and np.all(gap[~strictly] == 0.0)
    if kind == "orthant":  # continuous draws: no boundary dominance, so > 0 exactly off the Pareto set
        off = np.setdiff1d(np.arange(20), front)
        assert np.all(gap[off] > 0)


@given(SEEDS, st.integers(1, 4), st.floats(1e-3, 1e3), st.sampled_from(["orthant", "narrow"]))
@settings(max_examples=40, deadline=None)
def test_scale_invariance_remark_iii(seed, M, alpha, kind):
    rng = np.random.default_rng(seed)
    cone = _cone(rng, M, kind)
    means = rng.uniform(0.1, 2.0, (15, M))
    assert np.array_equal(pareto_set(alpha * means, cone), pareto_set(means, cone))
    np.testing.assert_allclose(pareto_gap(alpha * means, cone), pareto_gap(means, cone), atol=1e-9)


@given(SEEDS)
@settings(max_examples=20, deadline=None)
def test_one_objective_reduces_to_log_ratio_remark_ii(seed):
    rng = np.random.default_rng(seed)
    means = rng.uniform(0.1, 2.0, (10, 1))
    np.testing.assert_allclose(pareto_gap(means, Cone.orthant(1)), np.log(means.max() / means[:, 0]), atol=1e-12)


@given(SEEDS, st.integers(2, 3), st.sampled_from(["orthant", "narrow"]))
@settings(max_examples=30, deadline=None)
def test_metric_axioms_that_hold(seed, M, kind):
    rng = np.random.default_rng(seed)
    cone = _cone(rng, M, kind)
    p1, p2 = _front(rng, cone, 12, M), _front(rng, cone, 12, M)
    d12 = preference_distance(p1, p2, cone)
    assert d12 >= 0.0
    assert d12 == preference_distance(p2, p1, cone)  # symmetry (exact)
    assert preference_distance(p1, p1, cone) == 0.0


def test_identity_of_indiscernibles_fails():
    """Appendix E (a) claims d_p = 0 => P1 = P2. Two incomparable singletons are a counterexample."""
    cone = Cone.orthant(2)
    assert preference_distance([[1.0, 2.0]], [[2.0, 1.0]], cone) == 0.0


def test_triangle_inequality_fails_counterexample():
    """Appendix E (c) claims the triangle inequality; it fails for d_p of Definition 8.

    P1 = {(1,1)}, P3 = {(2,2)}: P3 strictly dominates P1, d_p = log 2. P2 = {(3, 0.5)} is incomparable
    with both, so d_p(P1, P2) = d_p(P2, P3) = 0 < log 2. (The proof in Appendix E bounds a different
    quantity, a coordinatewise log-Hausdorff distance, not d_p of Definition 8.)
    """
    cone = Cone.orthant(2)
    p1, p2, p3 = [[1.0, 1.0]], [[3.0, 0.5]], [[2.0, 2.0]]
    d13 = preference_distance(p1, p3, cone)
    assert d13 == np.log(2.0)
    assert preference_distance(p1, p2, cone) + preference_distance(p2, p3, cone) == 0.0 < d13


def test_triangle_inequality_fails_on_random_pareto_sets_too():
    rng = np.random.default_rng(2024)
    cone = Cone.orthant(2)
    failures = 0
    for _ in range(200):
        p1, p2, p3 = (_front(rng, cone, 6, 2) for _ in range(3))
        lhs = preference_distance(p1, p3, cone)
        if lhs > preference_distance(p1, p2, cone) + preference_distance(p2, p3, cone) + 1e-12:
            failures += 1
    assert failures > 0


def test_example_2_hausdorff_versus_preference_metric():
    """Example 2: P(x) = {(1,0), (0,1), (x^2, x^2)} against the limit P(0) = {(1,0), (0,1)}.

    With the documented offset (the rewards hit 0) d_p(P(x), P(0)) = 0 for every x > 0 (the extra point
    is incomparable with both), whereas the Euclidean Hausdorff distance stays >= 0.79 and jumps to 0
    only at x = 0: the two notions of convergence disagree, which is the point of Example 2.
    """
    cone = Cone.orthant(2)
    limit = np.array([[1.0, 0.0], [0.0, 1.0]])
    for t in (2, 10, 100):
        x = 1.0 / t
        pts = np.array([[1.0, 0.0], [0.0, 1.0], [x * x, x * x]])
        assert pareto_set(pts, cone).tolist() == [0, 1, 2]
        assert preference_distance(pts, limit, cone, offset=1.0) == 0.0
        assert hausdorff_distance(pts, limit) > 0.75
    assert gap_to_front([[0.0, 0.0]], limit, cone, offset=1.0)[0] == 0.0
