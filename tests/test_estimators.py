"""Each estimator against an independent formulation, and its input checks."""

import cvxpy as cp
import numpy as np
import pytest
from scipy import stats

from banditlab.estimation.simulate import make_instances
from banditlab.estimators import (
    Averaging,
    AveragingMultitask,
    IndependentOLS,
    Pooling,
    RobustMultitask,
    trimmed_mean,
)
from banditlab.lasso import lasso_gram, lasso_objective


def cvxpy_debias(X, y, lam, center):
    """Reference solve of eq. (3): (1/n)||X b - y||^2 + lam ||b - center||_1."""
    beta = cp.Variable(X.shape[1])
    objective = cp.sum_squares(X @ beta - y) / len(y) + lam * cp.norm1(beta - center)
    cp.Problem(cp.Minimize(objective)).solve(solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    return beta.value


@pytest.fixture(scope="module")
def data():
    return make_instances(10, 15, 2, 80, np.random.default_rng(7), noise_sd=0.5)


def relative_gap(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12)


@pytest.mark.parametrize("estimator_class", [RobustMultitask, AveragingMultitask])
def test_multitask_matches_cvxpy(data, estimator_class):
    kwargs = {"trim_fraction": 0.2} if estimator_class is RobustMultitask else {}
    lams = np.linspace(0.05, 0.3, data.n_instances)
    model = estimator_class(lam=lams, **kwargs).fit(data.Xs, data.ys)
    ols = np.stack([np.linalg.lstsq(X, y, rcond=None)[0] for X, y in zip(data.Xs, data.ys)])
    expected_shared = stats.trim_mean(ols, 0.2, axis=0) if kwargs else ols.mean(axis=0)
    np.testing.assert_allclose(model.shared_coef_, expected_shared, rtol=1e-9, atol=1e-12)
    for j in range(data.n_instances):
        reference = cvxpy_debias(data.Xs[j], data.ys[j], lams[j], expected_shared)
        assert relative_gap(model.coef_[j], reference) < 1e-6
        # The coordinate-descent solution is at least as good as cvxpy's on the paper's objective.
        ours = lasso_objective(data.Xs[j], data.ys[j], model.coef_[j], lams[j], expected_shared)
        assert ours <= lasso_objective(data.Xs[j], data.ys[j], reference, lams[j], expected_shared) + 1e-9


def test_lasso_warm_start_gives_same_solution(data):
    X, y = data.Xs[0], data.ys[0]
    gram, xty = X.T @ X / len(y), X.T @ y / len(y)
    cold = lasso_gram(gram, xty, 0.1)
    warm = lasso_gram(gram, xty, 0.1, coef_init=lasso_gram(gram, xty, 0.2))
    np.testing.assert_allclose(warm, cold, atol=1e-9)


def test_lasso_large_lambda_returns_center(data):
    X, y = data.Xs[0], data.ys[0]
    center = np.arange(X.shape[1], dtype=float)
    np.testing.assert_allclose(lasso_gram(X.T @ X / 80, X.T @ y / 80, 1e6, center), center)


def test_pooling_matches_lstsq_on_stacked_data(data):
    model = Pooling().fit(data.Xs, data.ys)
    stacked = np.linalg.lstsq(np.vstack(data.Xs), np.concatenate(data.ys), rcond=None)[0]
    np.testing.assert_allclose(model.shared_coef_, stacked, rtol=1e-9, atol=1e-12)
    assert np.all(model.coef_ == model.shared_coef_)


def test_pooling_and_averaging_leave_out_the_target(data):
    pooled = Pooling().fit(data.Xs, data.ys, target=3)
    others = [j for j in range(data.n_instances) if j != 3]
    stacked = np.linalg.lstsq(
        np.vstack([data.Xs[j] for j in others]), np.concatenate([data.ys[j] for j in others]), rcond=None
    )[0]
    np.testing.assert_allclose(pooled.shared_coef_, stacked, rtol=1e-9, atol=1e-12)
    averaged = Averaging().fit(data.Xs, data.ys, target=3)
    ols = [np.linalg.lstsq(data.Xs[j], data.ys[j], rcond=None)[0] for j in others]
    np.testing.assert_allclose(averaged.shared_coef_, np.mean(ols, axis=0), rtol=1e-9, atol=1e-12)


def test_independent_ols_is_per_instance_lstsq(data):
    model = IndependentOLS().fit(data.Xs, data.ys)
    for j in range(data.n_instances):
        np.testing.assert_allclose(
            model.coef_[j], np.linalg.lstsq(data.Xs[j], data.ys[j], rcond=None)[0], rtol=1e-9, atol=1e-12
        )


@pytest.mark.parametrize("n_values,trim_fraction", [(7, 0.1), (10, 0.2), (20, 0.25), (9, 0.0), (13, 0.49)])
def test_trimmed_mean_matches_scipy(n_values, trim_fraction):
    values = np.random.default_rng(n_values).standard_cauchy((n_values, 4))
    np.testing.assert_allclose(trimmed_mean(values, trim_fraction), stats.trim_mean(values, trim_fraction, axis=0))


def test_trimmed_mean_removes_floor_of_fraction_from_each_end():
    values = np.array([[-1000.0], [1.0], [2.0], [3.0], [1000.0]])
    assert trimmed_mean(values, 0.2)[0] == 2.0  # floor(0.2 * 5) = 1 from each end
    assert trimmed_mean(values, 0.19)[0] == values.mean()  # floor(0.95) = 0: plain mean


def test_data_poor_target_is_excluded_from_shared_estimate():
    data = make_instances(8, 10, 1, 60, np.random.default_rng(3), target=0, n_target=5)
    model = RobustMultitask(lam=0.1, trim_fraction=0.25).fit(data.Xs, data.ys, target=0)
    ols = [np.linalg.lstsq(data.Xs[j], data.ys[j], rcond=None)[0] for j in range(1, 8)]
    np.testing.assert_allclose(model.shared_coef_, stats.trim_mean(np.array(ols), 0.25, axis=0), rtol=1e-9)
    assert model.n_trimmed_ == 1  # floor(0.25 * 7 instances used)
    assert np.isnan(model.ols_coef_[0]).all()  # n_target=5 < d=10: never solved


def test_theory_hyperparameters_follow_corollary_1():
    data = make_instances(6, 16, 1, 100, np.random.default_rng(1))
    model = RobustMultitask(lam="theory", sparsity=1, noise_sd=1.0, x_max=1.0, confidence=0.1).fit(data.Xs, data.ys)
    assert model.trim_fraction_ == pytest.approx(np.sqrt(1 / 16))
    assert model.lam_ == pytest.approx(np.sqrt(32 / 100 * np.log(4 * 16 / 0.1)))


def test_robust_beats_independent_and_averaging_when_deviations_are_sparse():
    errors = {"ind": [], "avg": [], "rm": []}
    for seed in range(3):
        data = make_instances(20, 40, 2, 120, np.random.default_rng(seed))
        for key, model in {
            "ind": IndependentOLS(),
            "avg": Averaging(),
            "rm": RobustMultitask(lam=0.1, trim_fraction=0.2),
        }.items():
            errors[key].append(np.abs(model.fit(data.Xs, data.ys).coef_ - data.betas).sum(axis=1).mean())
    assert np.mean(errors["rm"]) < 0.7 * min(np.mean(errors["ind"]), np.mean(errors["avg"]))


def test_sklearn_parameter_api():
    model = RobustMultitask(lam=0.3, trim_fraction=0.1)
    assert model.get_params()["trim_fraction"] == 0.1
    assert model.set_params(lam=0.5).lam == 0.5
    assert "lam=0.5" in repr(model)


@pytest.mark.parametrize(
    "make_bad,match",
    [
        (lambda X, y: ([X[:, :3], X], [y, y]), "Xs\\[0\\] has 3 columns|Xs\\[1\\] has"),
        (lambda X, y: ([X, X], [y, y[:-1]]), "ys\\[1\\] must have shape"),
        (lambda X, y: ([X], [y, y]), "same number of instances"),
        (lambda X, y: ([], []), "at least one instance"),
        (lambda X, y: ([X, np.where(X > 1, np.nan, X)], [y, y]), "NaN or inf"),
    ],
)
def test_bad_shapes_are_named(make_bad, match):
    X = np.random.default_rng(0).normal(size=(30, 4))
    y = X.sum(axis=1)
    Xs, ys = make_bad(X, y)
    with pytest.raises(ValueError, match=match):
        IndependentOLS().fit(Xs, ys)


def test_rank_deficient_instance_is_named_unless_min_norm_requested():
    rng = np.random.default_rng(0)
    Xs = [rng.normal(size=(30, 5)), rng.normal(size=(3, 5))]
    ys = [X @ np.ones(5) for X in Xs]
    with pytest.raises(ValueError, match="instance 1: the design"):
        IndependentOLS().fit(Xs, ys)
    coef = IndependentOLS(ols="lstsq").fit(Xs, ys).coef_
    np.testing.assert_allclose(coef[1], np.linalg.pinv(Xs[1]) @ ys[1], atol=1e-10)


@pytest.mark.parametrize("trim", [0.5, 0.7, -0.1])
def test_trim_fraction_out_of_range(data, trim):
    with pytest.raises(ValueError, match="trim_fraction must be in \\[0, 0.5\\)"):
        RobustMultitask(lam=0.1, trim_fraction=trim).fit(data.Xs, data.ys)


def test_bad_lambda_and_theory_without_sparsity(data):
    with pytest.raises(ValueError, match="lam must be finite and > 0"):
        RobustMultitask(lam=-1.0, trim_fraction=0.1).fit(data.Xs, data.ys)
    with pytest.raises(ValueError, match="trim_fraction='theory' needs the sparsity s.*pass sparsity="):
        RobustMultitask(lam=0.1, trim_fraction="theory").fit(data.Xs, data.ys)
    with pytest.raises(ValueError, match="trim_fraction must be a number in \\[0, 0.5\\), 'auto' or 'theory'"):
        RobustMultitask(lam=0.1, trim_fraction="half").fit(data.Xs, data.ys)
    with pytest.raises(ValueError, match="one value per instance"):
        AveragingMultitask(lam=[0.1, 0.2]).fit(data.Xs, data.ys)


def test_default_trim_fraction_needs_no_second_argument(data):
    from banditlab.estimators.multitask import DEFAULT_TRIM_FRACTION

    model = RobustMultitask(lam=0.1).fit(data.Xs, data.ys)
    assert model.trim_fraction_ == DEFAULT_TRIM_FRACTION == 0.2 and model.n_trimmed_ == 2  # floor(0.2 * 10)
    np.testing.assert_array_equal(model.coef_, RobustMultitask(lam=0.1, trim_fraction=0.2).fit(data.Xs, data.ys).coef_)
    # with the sparsity given, the default is Corollary 1's sqrt(s/d), as trim_fraction='theory'
    assert RobustMultitask(lam=0.1, sparsity=1).fit(data.Xs, data.ys).trim_fraction_ == pytest.approx(np.sqrt(1 / 15))
    # every default at once: lam='auto' (Mallows' Cp, noise levels from the residuals)
    assert np.isfinite(RobustMultitask().fit(data.Xs, data.ys).coef_).all()


def test_target_out_of_range(data):
    with pytest.raises(ValueError, match="target must be an instance index"):
        Averaging().fit(data.Xs, data.ys, target=data.n_instances)


def test_trimmed_mean_count_matches_the_fraction_form_and_checks_its_range():
    from banditlab.estimators import trimmed_mean_count

    values = np.random.default_rng(3).standard_cauchy((11, 3))
    np.testing.assert_array_equal(trimmed_mean_count(values, 2), trimmed_mean(values, 0.2))
    np.testing.assert_array_equal(trimmed_mean_count(values, 5), np.median(values, axis=0))
    with pytest.raises(ValueError, match="n_cut must be in \\[0, 5\\]"):
        trimmed_mean_count(values, 6)


# --- the default lambda (lam="auto", Mallows' Cp) and score --------------------------------------------------


def _dense_instances(seed, deviation_sd, N=6, d=5, n=40):
    """Instances a user might have: dense deviations of every coefficient, Gaussian design, unit noise."""
    rng = np.random.default_rng(seed)
    betas = rng.normal(size=d) + deviation_sd * rng.normal(size=(N, d))
    Xs = [rng.normal(size=(n, d)) for _ in range(N)]
    return Xs, [X @ b + rng.normal(size=n) for X, b in zip(Xs, betas)], betas


def _error(model, Xs, ys, betas):
    return np.linalg.norm(model.fit(Xs, ys).coef_ - betas, axis=1).mean()


@pytest.mark.parametrize("estimator_class", [RobustMultitask, AveragingMultitask])
def test_default_lambda_is_never_much_worse_than_independent_ols(estimator_class):
    """On a small problem (N = 6, d = 5, n = 40) whose instances really differ, Corollary 1's lambda returns every
    instance at the shared estimate (error about 2, OLS 0.34); the default stays within 10% of OLS."""
    errors = {"ols": [], "auto": [], "theory": []}
    for seed in range(8):
        Xs, ys, betas = _dense_instances(seed, deviation_sd=1.0)
        errors["ols"].append(_error(IndependentOLS(), Xs, ys, betas))
        errors["auto"].append(_error(estimator_class(), Xs, ys, betas))
        errors["theory"].append(_error(estimator_class(lam="theory"), Xs, ys, betas))
    mean = {name: np.mean(values) for name, values in errors.items()}
    assert mean["auto"] <= 1.1 * mean["ols"], mean
    assert mean["theory"] > 3 * mean["ols"], mean


def test_default_lambda_shares_when_the_instances_agree():
    errors = {"ols": [], "auto": []}
    for seed in range(8):
        Xs, ys, betas = _dense_instances(seed, deviation_sd=0.0)
        errors["ols"].append(_error(IndependentOLS(), Xs, ys, betas))
        errors["auto"].append(_error(RobustMultitask(), Xs, ys, betas))
    assert np.mean(errors["auto"]) < 0.6 * np.mean(errors["ols"]), errors


def test_default_lambda_beats_ols_and_theory_on_sparse_deviations():
    """The README's example problem (N = 20, d = 50, s = 2, n = 200): Cp chooses about a quarter of the theory
    value, as the studies' lam_multiplier 0.25 does by hand."""
    errors = {"ols": [], "auto": [], "theory": []}
    for seed in range(3):
        data = make_instances(20, 50, 2, 200, np.random.default_rng(seed))
        errors["ols"].append(_error(IndependentOLS(), data.Xs, data.ys, data.betas))
        errors["auto"].append(_error(RobustMultitask(), data.Xs, data.ys, data.betas))
        errors["theory"].append(_error(RobustMultitask(lam="theory"), data.Xs, data.ys, data.betas))
    mean = {name: np.mean(values) for name, values in errors.items()}
    assert mean["auto"] < 0.7 * mean["ols"] and mean["auto"] < 0.7 * mean["theory"], mean


def test_default_lambda_minimises_mallows_cp_on_its_grid(data):
    """lam_ is the grid point of lowest Cp (fit + 2 sigma^2 per coordinate away from the shared estimate), and
    coef_ is eq. (3) at it (checked against cvxpy)."""
    from banditlab.estimators.multitask import AUTO_LAMBDA_FLOOR, AUTO_LAMBDA_GRID

    model = RobustMultitask(trim_fraction=0.2).fit(data.Xs, data.ys)
    d = data.Xs[0].shape[1]
    for j in (0, 3):
        X, y = data.Xs[j], data.ys[j]
        ols = np.linalg.lstsq(X, y, rcond=None)[0]
        sigma2 = np.sum((y - X @ ols) ** 2) / (len(y) - d)
        lam_max = 2 * np.abs(X.T @ (X @ model.shared_coef_ - y) / len(y)).max()
        grid = lam_max * np.geomspace(1.0, AUTO_LAMBDA_FLOOR, AUTO_LAMBDA_GRID)
        cps = []
        for lam in grid:
            coef = lasso_gram(X.T @ X / len(y), X.T @ y / len(y), lam, center=model.shared_coef_)
            cps.append(np.sum((y - X @ coef) ** 2) + 2 * sigma2 * np.sum(np.abs(coef - model.shared_coef_) > 1e-9))
        assert model.lam_[j] == pytest.approx(grid[int(np.argmin(cps))], rel=1e-9)
        np.testing.assert_allclose(model.coef_[j], cvxpy_debias(X, y, model.lam_[j], model.shared_coef_), atol=1e-5)
    assert 0 < model.lam_.min() and model.lam_.max() < RobustMultitask(lam="theory").fit(data.Xs, data.ys).lam_.max()


def test_default_lambda_fits_a_data_poor_target_and_from_statistics():
    from banditlab.estimators import SufficientStatistics

    data = make_instances(8, 10, 1, 80, np.random.default_rng(3), target=0, n_target=6)
    model = RobustMultitask(trim_fraction=0.2).fit(data.Xs, data.ys, target=0)  # n_target = 6 <= d: no OLS of it
    assert np.isfinite(model.coef_).all() and np.isfinite(model.lam_).all()
    again = RobustMultitask(trim_fraction=0.2).fit_statistics(SufficientStatistics.from_data(data.Xs, data.ys), 0)
    np.testing.assert_array_equal(again.coef_, model.coef_)


def test_score_is_the_mean_r2_over_instances(data):
    from sklearn.metrics import r2_score

    model = RobustMultitask(trim_fraction=0.2).fit(data.Xs, data.ys)
    expected = np.mean([r2_score(y, X @ coef) for X, y, coef in zip(data.Xs, data.ys, model.coef_)])
    assert model.score(data.Xs, data.ys) == pytest.approx(expected)
    assert 0.5 < model.score(data.Xs, data.ys) < 1
    exact = IndependentOLS().fit(data.Xs, [X @ beta for X, beta in zip(data.Xs, data.betas)])
    assert exact.score(data.Xs, [X @ beta for X, beta in zip(data.Xs, data.betas)]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="score needs the 10 instances of the fit"):
        model.score(data.Xs[:3], data.ys[:3])
    with pytest.raises(ValueError, match="n_j >= 2"):
        model.score([X[:1] for X in data.Xs], [y[:1] for y in data.ys])


def test_lasso_batch_warns_or_raises_on_a_fit_that_does_not_converge():
    """One sweep cannot both move a coordinate and confirm convergence: with ``max_iter=1`` the default raises, and
    ``on_max_iter="warn"`` warns and keeps the last iterate (lower objective than the start, as every sweep gives)."""
    from banditlab.lasso import lasso_gram_batch

    x = np.array([1.0, 0.7, 0.3])
    gram, xty, lam = np.outer(x, x)[None], (2.0 * x)[None], 0.1
    with pytest.raises(RuntimeError, match="did not converge"):
        lasso_gram_batch(gram, xty, lam, max_iter=1)
    with pytest.warns(RuntimeWarning, match="last iterate is used"):
        coef = lasso_gram_batch(gram, xty, lam, max_iter=1, on_max_iter="warn")[0]

    def objective(u):
        return 0.5 * u @ gram[0] @ u - u @ xty[0] + 0.5 * lam * np.abs(u).sum()

    assert np.isfinite(coef).all() and objective(coef) < objective(np.zeros(3))
    assert np.allclose(lasso_gram_batch(gram, xty, lam, coef_init=coef)[0], lasso_gram_batch(gram, xty, lam)[0])
    with pytest.raises(ValueError, match="on_max_iter"):
        lasso_gram_batch(gram, xty, lam, on_max_iter="ignore")
