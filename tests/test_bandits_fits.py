"""The bandit policies fit with the estimators' code: the options they use (per-instance source sets, a minimum
count, omega >= 1/2, a relative ridge) against the estimator classes and the definitions."""

import numpy as np
import pytest

from banditlab.agents import simulate
from banditlab.bandits import PooledBandit, RMBandit, make_problem
from banditlab.bandits.schedules import data_poor_sources
from banditlab.bandits.statistics import OLS_RIDGE
from banditlab.estimation.simulate import make_instances
from banditlab.estimators import (
    Pooling,
    RobustMultitask,
    SufficientStatistics,
    multitask_from_gram,
    ols_from_gram,
    pooled_ols_from_gram,
    ridge_from_gram,
    trimmed_mean_count,
)
from banditlab.seeding import replicate_rng


@pytest.fixture(scope="module")
def stats():
    data = make_instances(7, 5, 1, 40, np.random.default_rng(8), noise_sd=0.5)
    return SufficientStatistics.from_data(data.Xs, data.ys)


@pytest.mark.parametrize("target", [None, 3])
def test_one_source_set_per_instance_is_the_estimator_when_all_share_the_same(stats, target):
    N = stats.n_instances
    sources = np.ones((N, N), dtype=bool)
    if target is not None:
        sources[:, target] = False
    args = (stats.grams, stats.xtys, stats.n_obs, 0.05, 0.3)
    coef, centres, _ = multitask_from_gram(*args, sums=True, sources=sources)
    expected = RobustMultitask(lam=0.05, trim_fraction=0.3).fit_statistics(stats, target=target)
    np.testing.assert_array_equal(coef, expected.coef_)
    np.testing.assert_array_equal(centres, np.tile(expected.shared_coef_, (N, 1)))


def test_source_sets_and_a_minimum_count_choose_whose_ols_enters_each_centre(stats):
    N, d = stats.n_instances, stats.n_features
    counts = stats.n_obs.copy()
    counts[1] = d - 1  # too few observations: enters no centre
    counts[2] = 0  # no data at all: gets its centre
    sources = data_poor_sources(N, target=0, neighbour=4)
    coef, centres, ols = multitask_from_gram(
        stats.grams, stats.xtys, counts, 0.05, 0.0, sums=True, sources=sources, min_count=d
    )
    assert np.isnan(ols[[0, 1, 2]]).all()  # the target and the two without enough data: no OLS computed
    np.testing.assert_allclose(centres[0], np.linalg.solve(stats.grams[4], stats.xtys[4]))  # Q_0 = {4}
    np.testing.assert_array_equal(centres[3], ols[[3, 4, 5, 6]].mean(axis=0))  # instances 1, 2 left out
    np.testing.assert_array_equal(coef[2], centres[2])
    assert not np.array_equal(coef[1], centres[1])  # a LASSO on its own data, toward the centre


def test_a_trimming_fraction_of_one_half_or_more_is_the_median(stats):
    args = (stats.grams, stats.xtys, stats.n_obs, 0.05)
    _, centre, ols = multitask_from_gram(*args, 0.9, sums=True)
    np.testing.assert_array_equal(centre, trimmed_mean_count(ols, (stats.n_instances - 1) // 2))
    np.testing.assert_array_equal(centre, np.median(ols, axis=0))  # N = 7: the middle value


def test_the_bandits_ridge_is_ols_where_the_design_has_full_rank_and_minimum_norm_where_not():
    rng = np.random.default_rng(3)
    X_full, X_poor = rng.normal(size=(40, 6)), rng.normal(size=(3, 6))
    grams = np.stack([X_full.T @ X_full, X_poor.T @ X_poor])
    xtys = np.stack([X_full.T @ rng.normal(size=40), X_poor.T @ rng.normal(size=3)])
    ridged = ols_from_gram(grams, xtys, ridge=OLS_RIDGE)
    np.testing.assert_allclose(ridged[0], ols_from_gram(grams[:1], xtys[:1])[0], rtol=1e-6)
    np.testing.assert_allclose(ridged[1], ols_from_gram(grams, xtys, "lstsq")[1], rtol=1e-5)
    scale = OLS_RIDGE * np.trace(grams, axis1=1, axis2=2) / 6
    np.testing.assert_array_equal(ridged, ridge_from_gram(grams, xtys, scale))
    assert np.isnan(ols_from_gram(grams, xtys, ridge=OLS_RIDGE, instances=[1])[0]).all()
    with pytest.raises(ValueError, match="inverse_diagonal needs ridge=0"):
        ols_from_gram(grams, xtys, ridge=OLS_RIDGE, inverse_diagonal=True)


def test_the_pooled_bandit_fits_the_pooling_estimator(stats):
    np.testing.assert_allclose(
        pooled_ols_from_gram(stats.grams, stats.xtys, ridge=OLS_RIDGE),
        Pooling().fit_statistics(stats).shared_coef_,
        rtol=1e-6,
    )
    problem = make_problem(3, 2, 4, 1, replicate_rng(2, "pooled-fit"))
    policy = PooledBandit(keep_history=True)
    simulate(policy, problem, problem.sample(2000, replicate_rng(2, "stream")), replicate_rng(2, "p"))
    assert np.array_equal(policy.allsample_coef_[0], policy.allsample_coef_[2])  # one estimate for every instance


def test_rmbandits_forced_sample_fit_is_the_robust_multitask_estimator_on_b0():
    problem = make_problem(4, 2, 3, 1, replicate_rng(5, "rm-fit"))
    stream = problem.sample(3000, replicate_rng(5, "stream"))
    policy = RMBandit()
    arms = simulate(policy, problem, stream, replicate_rng(5, "p"))
    b0, record = policy.b0_, policy.fits_[0]
    assert record["kind"] == "forced" and record["omega"] < 0.5
    Z, X = stream.contexts(0, b0)
    y = stream.rewards(0, arms[:b0])
    for k in range(problem.K):
        rows = [(Z == j) & (arms[:b0] == k) for j in range(problem.N)]
        assert min(r.sum() for r in rows) > problem.d  # every instance has an OLS estimate of arm k
        estimator = RobustMultitask(lam=record["lambda"], trim_fraction=record["omega"], tol=1e-8, max_iter=10**6)
        expected = estimator.fit([X[r] for r in rows], [y[r] for r in rows]).coef_
        # the same Algorithm 1, up to the bandits' ridge of 1e-9 in Step 1 and the LASSO's tolerance
        np.testing.assert_allclose(policy.forced_coef_[:, k], expected, rtol=1e-6, atol=1e-7)
