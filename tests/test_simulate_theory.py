"""Synthetic instances, seeds and the theory functions."""

import math

import numpy as np
import pytest

from banditlab.estimation import theory
from banditlab.estimation.simulate import make_instances
from banditlab.estimators import Averaging, IndependentOLS, Pooling
from banditlab.seeding import replicate_rng


def test_same_seed_same_draws_and_different_seeds_differ():
    a = make_instances(5, 8, 2, 20, replicate_rng(1, "study", 10, 0))
    b = make_instances(5, 8, 2, 20, replicate_rng(1, "study", 10, 0))
    c = make_instances(5, 8, 2, 20, replicate_rng(1, "study", 10, 1))
    np.testing.assert_array_equal(a.Xs[3], b.Xs[3])
    np.testing.assert_array_equal(a.ys[4], b.ys[4])
    assert not np.array_equal(a.Xs[3], c.Xs[3])


@pytest.mark.parametrize("support", ["random", "aligned", "disjoint"])
def test_deviations_are_s_sparse_with_the_requested_supports(support):
    data = make_instances(4, 12, 3, 20, np.random.default_rng(0), support=support, deviation_size=2.0)
    supports = data.deltas != 0
    assert (supports.sum(axis=1) == 3).all()
    assert np.allclose(np.abs(data.deltas[supports]), 2.0)
    if support == "aligned":
        assert (supports == supports[0]).all()
    if support == "disjoint":
        assert (supports.sum(axis=0) <= 1).all()


def test_identity_design_has_identity_sample_covariance():
    data = make_instances(3, 6, 1, 40, np.random.default_rng(0), design="identity")
    for X in data.Xs:
        np.testing.assert_allclose(X.T @ X / len(X), np.eye(6), atol=1e-12)


def test_data_poor_regime_gives_target_fewer_observations():
    data = make_instances(4, 6, 1, 50, np.random.default_rng(0), target=2, n_target=9)
    assert [len(y) for y in data.ys] == [50, 50, 9, 50]


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"sparsity": 9}, "s=9 > d=8"),
        ({"n_per_instance": -5}, "n_per_instance must be an integer >= 1"),
        ({"n_instances": 0}, "n_instances must be an integer >= 1"),
        ({"support": "disjoint", "sparsity": 3}, "N\\*s <= d"),
        ({"covariate_shift": 1.0}, "covariate_shift must be in \\[0, 1\\)"),
        ({"design": "identity", "n_per_instance": 4}, "needs n_j >= d"),
    ],
)
def test_bad_simulation_input(kwargs, match):
    args = {"n_instances": 4, "dim": 8, "sparsity": 2, "n_per_instance": 20} | kwargs
    with pytest.raises(ValueError, match=match):
        make_instances(
            args.pop("n_instances"),
            args.pop("dim"),
            args.pop("sparsity"),
            args.pop("n_per_instance"),
            np.random.default_rng(0),
            **args,
        )


def test_independent_ols_error_matches_proposition_4_on_identity_design():
    """On Sigma-hat = I with Gaussian noise, E||b_ind - b||_1 = d sigma sqrt(2/(pi n)) exactly;
    Proposition 4's bound is half of that (Lemma 4 drops the other half-line)."""
    d, n, sigma = 20, 50, 1.5
    errors = []
    for r in range(200):
        data = make_instances(1, d, 1, n, np.random.default_rng(r), design="identity", noise_sd=sigma)
        errors.append(np.abs(IndependentOLS().fit(data.Xs, data.ys).coef_[0] - data.betas[0]).sum())
    exact = d * sigma * math.sqrt(2 / (math.pi * n))
    assert np.mean(errors) == pytest.approx(exact, rel=0.05)
    assert np.mean(errors) > theory.proposition4_lower(d, sigma, n)


def test_averaging_and_pooling_lower_bounds_hold_on_identity_design():
    rng = np.random.default_rng(11)
    gaps = {"avg": [], "pool": []}
    for _ in range(30):
        data = make_instances(6, 10, 2, 30, rng, design="identity", deviation_size=1.0)
        avg = np.abs(Averaging().fit(data.Xs, data.ys).coef_[0] - data.betas[0]).sum()
        pool = np.abs(Pooling().fit(data.Xs, data.ys).coef_[0] - data.betas[0]).sum()
        gaps["avg"].append(avg - theory.proposition5_lower(data.deltas, 0, data.noise_sds, data.n_obs))
        gaps["pool"].append(pool - theory.proposition6_lower(data.deltas, 0, data.noise_sds, data.n_obs))
    assert np.mean(gaps["avg"]) > 0 and np.mean(gaps["pool"]) > 0


def test_table1_predicted_slopes():
    point = {"n": 200, "N": 20, "d": 50, "s": 2, "delta_l1": 2.0}
    assert theory.predicted_slope("independent_ols", "standard", "n", [100, 400, 1600], point) == pytest.approx(-0.5)
    assert theory.predicted_slope("independent_ols", "standard", "d", [10, 40, 160], point) == pytest.approx(1.0)
    # Corollary 2's terms are polylogarithmic in d: only their log(4d/delta), log(6d/delta) factors move
    poor = theory.predicted_slope("robust_multitask", "data_poor", "d", [10, 40, 160], point)
    log_factor = np.polyfit(np.log([10, 40, 160]), 0.5 * np.log(np.log(4 * np.array([10, 40, 160]) / 0.05)), 1)[0]
    assert 0 < poor <= log_factor + 1e-9 < 0.1
    low, high = theory.term_exponents("robust_multitask", "standard", "d", [10, 40, 160], point)
    # sqrt(s d/n) and d/sqrt(N n), each times its square-rooted logarithms (Corollary 1)
    assert low == pytest.approx(0.5) and 1.0 < high < 1.0 + 0.1  # the trimmed-mean term carries no log of d
    # the bias of the shared estimate, measured on the instance, replaces s x deviation size per grid value
    growing = theory.term_exponents("averaging", "standard", "d", [10, 40, 160], point, {"delta_l1": [1, 2, 4]})
    assert growing[0] == pytest.approx(0.5)  # bias ~ d^(1/2) here, below the variance term's d^1


def test_theory_bounds_are_finite_and_ordered():
    lam = theory.lambda_theory(1.0, 1.0, 400, 50, 0.05)
    assert lam == pytest.approx(math.sqrt(32 / 400 * math.log(4 * 50 / 0.05)))
    bound = theory.theorem1_bound(lam, 2, 0.1, 1.0, 50, 0.25, 0.1, [1.0] * 20, [400] * 20)
    assert bound > 6 * lam * 2 / 0.1
    with pytest.raises(ValueError, match="eta <= 1/2 - c - zeta"):
        theory.theorem1_bound(lam, 2, 0.3, 1.0, 50, 0.25, 0.1, [1.0], [400])
    assert theory.proposition7_min_deviation(
        20, 0, [1.0] * 20, [400] * 20, 50, 1.0, all_instances=True
    ) > 15 * theory.proposition7_min_deviation(20, 0, [1.0] * 20, [400] * 20, 50, 1.0)


def test_corollary_bounds_transcribe_the_printed_displays():
    """Corollaries 1 and 2 (Section 3.4-3.5) evaluated by hand: the first term carries 24/psi, the others 1/c."""
    s, d, N, n, sd, x, psi, c, conf = 2, 50, 20, 400.0, 1.0, 1.0, 0.5, 0.1, 0.05
    sds, ns = [sd] * N, [n] * N
    lasso = 24 / psi * math.sqrt(2 * sd**2 * x**2 * math.log(4 * d / conf))
    spread = math.sqrt(sd**2 * n * math.log(N) / (n * psi))
    spread_log = math.sqrt(sd**2 * n * math.log(N) * math.log(6 * d / conf) / (n * psi))
    expected1 = (lasso + 3 / c * spread) * math.sqrt(s * d / n) + 12 / c * spread_log * d / math.sqrt(N * n)
    assert theory.corollary1_bound(s, d, N, n, sd, x, psi, c, conf, sds, ns) == pytest.approx(expected1)
    n_rich = d**2 * n
    poor = math.sqrt(d**2 * n / n_rich * sd**2 * math.log(N) / psi)
    poor_log = math.sqrt(d**2 * n / n_rich * sd**2 * math.log(N) * math.log(6 * d / conf) / psi)
    expected2 = lasso * s / math.sqrt(n) + 3 / c * poor / math.sqrt(n) + 12 / c * poor_log / math.sqrt(N * n)
    assert theory.corollary2_bound(
        s, d, N, n, sd, x, psi, c, conf, [sd] * (N - 1), [n_rich] * (N - 1)
    ) == pytest.approx(expected2)
