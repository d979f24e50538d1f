"""Fits from sufficient statistics, and the exact draw of the Gaussian design's statistics."""

import numpy as np
import pytest
from scipy import stats

from banditlab.estimation.simulate import draw_gaussian_statistics, make_instances
from banditlab.estimators import (
    ALL_ESTIMATORS,
    IndependentOLS,
    MedianShrinkage,
    RobustMultitask,
    SufficientStatistics,
    ols_from_gram,
)

# --- identical fits on identical statistics ---------------------------------------------------------------

SETTINGS = {
    "independent_ols": {},
    "averaging": {},
    "pooling": {},
    "averaging_multitask": {"lam": 0.05},
    "robust_multitask": {"lam": 0.05, "trim_fraction": 0.2},
    "median_shrinkage": {},
}
THEORY = {  # settings that read the residual sums of squares and x_max from the statistics
    "averaging_multitask": {},
    "robust_multitask": {"sparsity": 1},
    "median_shrinkage": {"threshold_multiplier": 0.5},
}


@pytest.fixture(scope="module")
def data():
    return make_instances(8, 6, 1, 40, np.random.default_rng(4), noise_sd=0.5, covariate_shift=0.3)


def test_every_estimator_has_settings_here():
    assert set(SETTINGS) == set(ALL_ESTIMATORS)


@pytest.mark.parametrize("target", [None, 0, 5])
@pytest.mark.parametrize("name", sorted(ALL_ESTIMATORS))
def test_fit_on_rows_equals_fit_on_their_statistics(data, name, target):
    for settings in [SETTINGS[name], THEORY.get(name)]:
        if settings is None:
            continue
        on_rows = ALL_ESTIMATORS[name](**settings).fit(data.Xs, data.ys, target=target)
        on_stats = ALL_ESTIMATORS[name](**settings).fit_statistics(
            SufficientStatistics.from_data(data.Xs, data.ys), target=target
        )
        np.testing.assert_array_equal(on_rows.coef_, on_stats.coef_)
        if hasattr(on_rows, "shared_coef_"):
            np.testing.assert_array_equal(on_rows.shared_coef_, on_stats.shared_coef_)
        if hasattr(on_rows, "lam_"):
            np.testing.assert_array_equal(on_rows.lam_, on_stats.lam_)
        assert on_stats.target_ == target and on_stats.n_features_in_ == data.dim


@pytest.mark.parametrize("name", ["averaging_multitask", "robust_multitask"])
def test_data_poor_target_with_fewer_rows_than_features_fits_from_statistics(name):
    data = make_instances(6, 10, 1, 60, np.random.default_rng(2), target=0, n_target=4)
    settings = SETTINGS[name]
    on_rows = ALL_ESTIMATORS[name](**settings).fit(data.Xs, data.ys, target=0)
    statistics = SufficientStatistics.from_data(data.Xs, data.ys)
    assert np.isnan(statistics.rss[0]) and not np.isnan(statistics.rss[1:]).any()
    on_stats = ALL_ESTIMATORS[name](**settings).fit_statistics(statistics, target=0)
    np.testing.assert_array_equal(on_rows.coef_, on_stats.coef_)


def test_statistics_are_sums_and_rss_is_the_residual_sum_of_squares(data):
    statistics = SufficientStatistics.from_data(data.Xs, data.ys)
    j = 3
    X, y = data.Xs[j], data.ys[j]
    np.testing.assert_allclose(statistics.grams[j], X.T @ X, rtol=1e-13)
    np.testing.assert_allclose(statistics.xtys[j], X.T @ y, rtol=1e-13)
    coef = np.linalg.lstsq(X, y, rcond=None)[0]
    assert statistics.rss[j] == pytest.approx(np.sum((y - X @ coef) ** 2), rel=1e-10)
    assert statistics.x_max[j] == np.abs(X).max()
    assert statistics.n_obs[j] == len(y)
    # y'y - b'X'y is the same number up to cancellation
    assert statistics.rss[j] == pytest.approx(y @ y - coef @ (X.T @ y), rel=1e-8)


def test_statistics_of_more_data_are_the_sums():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 4)), rng.normal(size=50)
    first = SufficientStatistics.from_data([X[:20]], [y[:20]], rss=False)
    second = SufficientStatistics.from_data([X[20:]], [y[20:]], rss=False)
    summed = SufficientStatistics(first.grams + second.grams, first.xtys + second.xtys, first.n_obs + second.n_obs)
    np.testing.assert_allclose(
        IndependentOLS().fit_statistics(summed).coef_, IndependentOLS().fit([X], [y]).coef_, rtol=1e-12
    )


def test_statistics_without_rss_or_x_max_name_what_is_missing(data):
    bare = SufficientStatistics.from_data(data.Xs, data.ys, rss=False, x_max=False)
    assert bare.rss is None and bare.x_max is None
    with pytest.raises(ValueError, match=r"lam='theory' needs x_max.*pass x_max="):
        RobustMultitask(lam="theory", trim_fraction=0.2).fit_statistics(bare)
    with pytest.raises(ValueError, match=r"lam='theory' estimates the noise level of instance 0.*rss.*noise_sd"):
        RobustMultitask(lam="theory", trim_fraction=0.2, x_max=1.0).fit_statistics(bare)
    with pytest.raises(ValueError, match=r"lam='auto' estimates the noise levels.*rss is None.*noise_sd"):
        RobustMultitask(trim_fraction=0.2).fit_statistics(bare)
    with pytest.raises(ValueError, match=r"MedianShrinkage estimates the noise level of instance 0.*rss"):
        MedianShrinkage().fit_statistics(bare)
    # with the noise level and x_max given, neither is needed
    RobustMultitask(lam="theory", trim_fraction=0.2, x_max=1.0, noise_sd=0.5).fit_statistics(bare)
    RobustMultitask(trim_fraction=0.2, noise_sd=0.5).fit_statistics(bare)
    MedianShrinkage(noise_sd=0.5).fit_statistics(bare)


@pytest.mark.parametrize(
    "edit,match",
    [
        (lambda g, b, n: (g[0], b, n), r"grams must have shape \(N, d, d\)"),
        (lambda g, b, n: (g, b[:, :-1], n), r"xtys must have shape \(N, d\)"),
        (lambda g, b, n: (g, b, n[:-1]), r"n_obs must have shape \(N,\)"),
        (lambda g, b, n: (g, b, np.r_[0.0, n[1:]]), r"n_obs must be finite and > 0"),
        (lambda g, b, n: (np.where(np.arange(3)[:, None, None] == 1, np.nan, g), b, n), r"instance 1 holds NaN"),
        (lambda g, b, n: (g + np.triu(np.ones(g.shape[1:]), 1), b, n), r"grams\[0\] must be symmetric"),
    ],
)
def test_bad_statistics_are_refused_naming_the_field(edit, match):
    rng = np.random.default_rng(0)
    Xs = [rng.normal(size=(20, 3)) for _ in range(3)]
    good = SufficientStatistics.from_data(Xs, [X.sum(axis=1) for X in Xs], rss=False)
    with pytest.raises(ValueError, match=match):
        SufficientStatistics(*edit(good.grams, good.xtys, good.n_obs))


def test_bad_rss_and_wrong_type_are_refused():
    statistics = SufficientStatistics.from_data([np.eye(3)] * 2, [np.ones(3)] * 2, rss=False)
    with pytest.raises(ValueError, match=r"rss must be >= 0 and finite, or NaN"):
        SufficientStatistics(statistics.grams, statistics.xtys, statistics.n_obs, rss=np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=r"x_max must have shape \(N,\)"):
        SufficientStatistics(statistics.grams, statistics.xtys, statistics.n_obs, x_max=np.ones(3))
    with pytest.raises(TypeError, match="stats must be a SufficientStatistics"):
        IndependentOLS().fit_statistics((statistics.grams, statistics.xtys, statistics.n_obs))
    with pytest.raises(ValueError, match=r"target must be an instance index in \[0, 1\]"):
        IndependentOLS().fit_statistics(statistics, target=2)


# --- rank test of the per-instance OLS (one Cholesky factor) ---------------------------------------------


@pytest.mark.parametrize("ratio,deficient", [(1e-13, True), (1e-11, True), (1e-8, False), (1e-3, False)])
def test_rank_test_follows_the_condition_number(ratio, deficient):
    """G = Q diag(1, ..., ratio) Q': rank-deficient iff the reciprocal condition number is <= 1e-10
    (the 1-norm estimate is within a factor d of lambda_min/lambda_max, so the threshold sits between)."""
    rng = np.random.default_rng(1)
    q = np.linalg.qr(rng.normal(size=(5, 5)))[0]
    gram = (q * np.array([1.0, 0.7, 0.4, 0.2, ratio])) @ q.T
    gram = (gram + gram.T) / 2
    xty = rng.normal(size=5)
    if deficient:
        with pytest.raises(ValueError, match=r"instance 0: the design X_0'X_0 is singular or rank-deficient"):
            ols_from_gram(gram[None], xty[None])
        np.testing.assert_allclose(
            ols_from_gram(gram[None], xty[None], "lstsq")[0], np.linalg.lstsq(gram, xty, rcond=None)[0]
        )
    else:
        np.testing.assert_allclose(ols_from_gram(gram[None], xty[None])[0], np.linalg.solve(gram, xty), rtol=1e-6)


def test_failed_cholesky_and_inverse_diagonal():
    singular = np.ones((1, 3, 3))
    with pytest.raises(ValueError, match="instance 0: .*Cholesky factorisation fails"):
        ols_from_gram(singular, np.ones((1, 3)))
    rng = np.random.default_rng(0)
    grams = np.stack([a.T @ a for a in rng.normal(size=(3, 10, 4))])
    coefs, diagonals = ols_from_gram(grams, rng.normal(size=(3, 4)), instances=[0, 2], inverse_diagonal=True)
    np.testing.assert_allclose(diagonals[[0, 2]], np.diagonal(np.linalg.inv(grams[[0, 2]]), axis1=1, axis2=2))
    assert np.isnan(coefs[1]).all() and np.isnan(diagonals[1]).all()


# --- the exact draw of the statistics --------------------------------------------------------------------

D, N_ROWS, SIGMA = 5, 8, 0.7
SCALE = np.array([1.0, 0.5, 1.5, 0.8, 1.2])
BETA = np.array([0.3, -1.0, 0.5, 2.0, 0.0])
SEEDS = 400


def summaries(gram, xty, rss, x_abs_max):
    """Scalar summaries compared between draws: an OLS coordinate, a diagonal and an off-diagonal Gram
    entry, the Gram trace, rss, max|X| and a coordinate of the noise part of X'y."""
    ols = np.linalg.solve(gram, xty)
    return [ols[1], gram[2, 2], gram[0, 3], np.trace(gram), rss, x_abs_max, (xty - gram @ BETA)[0]]


def rows_draw(rng):
    X = rng.standard_normal((N_ROWS, D)) * SCALE
    y = X @ BETA + SIGMA * rng.standard_normal(N_ROWS)
    statistics = SufficientStatistics.from_data([X], [y])
    return statistics.grams[0], statistics.xtys[0], statistics.rss[0], statistics.x_max[0]


def sample(draw, seed_offset):
    return np.array([summaries(*draw(np.random.default_rng([seed, seed_offset]))) for seed in range(SEEDS)])


@pytest.fixture(scope="module")
def from_rows():
    return sample(rows_draw, 0)


def ks_pvalues(a, b):
    return np.array([stats.ks_2samp(a[:, k], b[:, k]).pvalue for k in range(a.shape[1])])


def test_statistics_draw_agrees_in_distribution_with_the_rows(from_rows):
    drawn = sample(lambda rng: draw_gaussian_statistics(N_ROWS, BETA, SIGMA, SCALE, rng), 1)
    pvalues = ks_pvalues(from_rows, drawn)
    assert (pvalues > 0.001).all(), pvalues


@pytest.mark.parametrize(
    "wrong,rejected",
    [
        # Wishart with n - 1 degrees of freedom: the Gram trace and rss (chi2(n - 1 - d)) are off
        (lambda rng: draw_gaussian_statistics(N_ROWS - 1, BETA, SIGMA, SCALE, rng), [3, 4]),
        # a noise level 1.5 times too large: the OLS spread and rss are off
        (lambda rng: draw_gaussian_statistics(N_ROWS, BETA, 1.5 * SIGMA, SCALE, rng), [0, 4]),
        # the right Wishart for Sigma = I instead of diag(SCALE^2): OLS spread, Gram diagonal, trace, max|X|
        (lambda rng: draw_gaussian_statistics(N_ROWS, BETA, SIGMA, np.ones(D), rng), [0, 1, 3, 5]),
    ],
)
def test_the_distribution_test_rejects_wrong_draws(from_rows, wrong, rejected):
    """The KS test above has power: each deliberately wrong draw is rejected at p < 0.001."""
    pvalues = ks_pvalues(from_rows, sample(wrong, 2))
    assert (pvalues[rejected] < 0.001).all(), pvalues


def test_make_instances_draws_statistics_of_the_same_truth():
    kwargs = {"design": "gaussian", "covariate_shift": 0.4, "target": 1, "n_target": 3, "noise_sd": 0.5}
    rows = make_instances(4, 6, 2, 30, np.random.default_rng(9), **kwargs)
    drawn = make_instances(4, 6, 2, 30, np.random.default_rng(9), draw="statistics", **kwargs)
    np.testing.assert_array_equal(rows.betas, drawn.betas)  # the truth is drawn first, the same way
    assert drawn.Xs is None and drawn.ys is None and drawn.n_instances == 4
    statistics = drawn.sufficient_statistics()
    assert statistics is drawn.statistics
    assert statistics.grams.shape == (4, 6, 6) and list(statistics.n_obs) == [30, 3, 30, 30]
    assert np.linalg.matrix_rank(statistics.grams[1]) == 3  # n_target < d: the rows are drawn and summed
    assert np.isnan(statistics.rss[1]) and (statistics.rss[[0, 2, 3]] > 0).all()
    assert drawn.x_max == statistics.x_max.max()
    model = RobustMultitask(lam=0.1, trim_fraction=0.25).fit_statistics(statistics, target=1)
    assert np.isfinite(model.coef_).all()
    np.testing.assert_array_equal(rows.sufficient_statistics().grams[0], rows.Xs[0].T @ rows.Xs[0])


def test_make_instances_statistics_agree_with_rows_in_distribution():
    """The same check through make_instances, with per-instance covariate scales drawn by it."""

    def ols_and_diagonal(draw, offset):
        values = []
        for seed in range(300):
            data = make_instances(
                1, 4, 1, 12, np.random.default_rng([seed, offset]), design="gaussian", covariate_shift=0.5, draw=draw
            )
            statistics = data.sufficient_statistics()
            ols = IndependentOLS().fit_statistics(statistics).coef_[0]
            values.append([ols[0] - data.betas[0, 0], statistics.grams[0, 1, 1], statistics.rss[0], data.x_max])
        return np.array(values)

    pvalues = ks_pvalues(ols_and_diagonal("rows", 0), ols_and_diagonal("statistics", 1))
    assert (pvalues > 0.001).all(), pvalues


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (
            {"draw": "statistics"},
            r"draw='statistics' .* design in \('gaussian', 'identity'\) only, got design='uniform'",
        ),
        ({"draw": "statistics", "design": "identity"}, r"design='identity' needs a data-poor target"),
        ({"draw": "sums"}, r"draw must be one of \('rows', 'statistics'\), got 'sums'"),
    ],
)
def test_statistics_draw_refuses_designs_without_an_exact_draw(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_instances(3, 4, 1, 10, np.random.default_rng(0), **kwargs)


def test_statistics_draw_is_reproducible_and_exactly_symmetric():
    a = make_instances(3, 7, 1, 50, np.random.default_rng(5), design="gaussian", draw="statistics")
    b = make_instances(3, 7, 1, 50, np.random.default_rng(5), design="gaussian", draw="statistics")
    c = make_instances(3, 7, 1, 50, np.random.default_rng(6), design="gaussian", draw="statistics")
    np.testing.assert_array_equal(a.statistics.grams, b.statistics.grams)
    np.testing.assert_array_equal(a.statistics.xtys, b.statistics.xtys)
    assert not np.array_equal(a.statistics.grams, c.statistics.grams)
    np.testing.assert_array_equal(a.statistics.grams, a.statistics.grams.transpose(0, 2, 1))


def test_lasso_batch_on_sums_equals_lasso_batch_on_normalised_statistics():
    from banditlab.lasso import lasso_gram_batch

    rng = np.random.default_rng(8)
    Xs = [rng.normal(size=(n, 5)) for n in (30, 45, 60)]
    statistics = SufficientStatistics.from_data(Xs, [X @ np.ones(5) + rng.normal(size=len(X)) for X in Xs])
    grams, xtys = statistics.normalised()
    centre = np.full(5, 0.8)
    np.testing.assert_array_equal(
        lasso_gram_batch(statistics.grams, statistics.xtys, [0.1, 0.2, 0.3], centre, n_obs=statistics.n_obs),
        lasso_gram_batch(grams, xtys, [0.1, 0.2, 0.3], centre),
    )
    with pytest.raises(ValueError, match=r"n_obs must hold one finite count > 0 per problem \(3\)"):
        lasso_gram_batch(statistics.grams, statistics.xtys, 0.1, n_obs=[1.0, 2.0])
    bad = statistics.grams.copy()
    bad[1, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or inf in the data of problem 1"):
        lasso_gram_batch(bad, statistics.xtys, 0.1)


def test_identity_statistics_agree_with_identity_rows():
    """draw='statistics' with Appendix B's identity design: X'X = n I exactly for the rich instances, and the
    rich instances' OLS error and rss have the law of the rows' (KS over seeds); the target is drawn as rows."""

    def draws(draw, offset):
        values = []
        for seed in range(300):
            data = make_instances(
                2, 4, 1, 40, np.random.default_rng([seed, offset]), design="identity", target=0, n_target=8, draw=draw
            )
            statistics = data.sufficient_statistics()
            ols = IndependentOLS().fit_statistics(statistics).coef_[1]
            values.append([ols[0] - data.betas[1, 0], ols[3] - data.betas[1, 3], statistics.rss[1]])
            if draw == "statistics":
                np.testing.assert_array_equal(statistics.grams[1], 40 * np.eye(4))
                assert np.isfinite(data.x_max) and np.isnan(statistics.x_max[1])
        return np.array(values)

    pvalues = ks_pvalues(draws("rows", 0), draws("statistics", 1))
    assert (pvalues > 0.001).all(), pvalues
