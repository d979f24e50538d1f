"""MedianShrinkage (ours) against a slow reference written independently here, and its input checks."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from banditlab.estimation.simulate import make_instances
from banditlab.estimators import (
    ALL_ESTIMATORS,
    IndependentOLS,
    MedianShrinkage,
    RobustMultitask,
    SufficientStatistics,
    weighted_median,
)


def reference_weighted_median(values, weights):
    """The smallest minimiser of sum_j w_j |x_j - m|: the objective is piecewise linear with kinks at the
    data, so its minimum over m is attained at a data point; take the smallest such point."""
    objective = [np.sum(weights * np.abs(values - m)) for m in values]
    best = min(objective)
    tied = [m for m, value in zip(values, objective) if value <= best * (1 + 1e-12)]
    median = min(tied)
    # scipy's bounded scalar minimiser of the same objective finds nothing better
    found = minimize_scalar(
        lambda m: np.sum(weights * np.abs(values - m)), bounds=(values.min(), values.max()), method="bounded"
    )
    assert np.sum(weights * np.abs(values - median)) <= found.fun + 1e-9
    return median


def reference_soft_threshold(value, centre, threshold):
    """argmin_u (u - value)^2 / 2 + threshold |u - centre|, by scipy's scalar minimiser."""
    if threshold == 0:
        return value
    width = abs(value - centre) + threshold + 1.0
    result = minimize_scalar(
        lambda u: 0.5 * (u - value) ** 2 + threshold * abs(u - centre),
        bounds=(centre - width, centre + width),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return result.x


def reference_fit(Xs, ys, multiplier, delta, noise_sds=None, target=None):
    """MedianShrinkage written from its docstring, one coordinate at a time, from the rows."""
    n_instances, d = len(Xs), Xs[0].shape[1]
    ols = np.array([np.linalg.lstsq(X, y, rcond=None)[0] for X, y in zip(Xs, ys)])
    if noise_sds is None:
        noise_sds = [np.sqrt(np.sum((y - X @ b) ** 2) / (len(y) - d)) for X, y, b in zip(Xs, ys, ols)]
    se = np.array([s * np.sqrt(np.diag(np.linalg.inv(X.T @ X))) for X, s in zip(Xs, noise_sds)])
    used = [j for j in range(n_instances) if j != target]
    median = np.array([reference_weighted_median(ols[used, k], 1 / se[used, k]) for k in range(d)])
    threshold = multiplier * se * np.sqrt(2 * np.log(d * n_instances / delta))
    coef = np.array(
        [
            [reference_soft_threshold(ols[j, k], median[k], threshold[j, k]) for k in range(d)]
            for j in range(n_instances)
        ]
    )
    return coef, median


@pytest.fixture(scope="module")
def data():
    return make_instances(9, 6, 1, 40, np.random.default_rng(11), noise_sd=[0.3, 0.5, 1.0] * 3, deviation_size=2.0)


@pytest.mark.parametrize("target", [None, 4])
@pytest.mark.parametrize("multiplier,delta,known", [(1.0, 0.05, False), (0.3, 0.2, True), (2.5, 0.01, False)])
def test_matches_the_slow_reference(data, multiplier, delta, known, target):
    noise_sds = data.noise_sds if known else None
    model = MedianShrinkage(threshold_multiplier=multiplier, confidence=delta, noise_sd=noise_sds)
    model.fit(data.Xs, data.ys, target=target)
    coef, median = reference_fit(data.Xs, data.ys, multiplier, delta, noise_sds, target)
    np.testing.assert_allclose(model.shared_coef_, median, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-7, atol=1e-8)
    # both outcomes of the soft threshold occur, so the comparison covers both branches
    assert (model.coef_ == model.shared_coef_).any() and (model.coef_ != model.shared_coef_).any()


def test_integer_weights_give_numpy_median_of_repeated_values():
    """With X'X = diag(w^2) and sigma = 1 the weights 1/se are the integers w; odd totals make the
    lower weighted median the median of the values repeated by their weights."""
    rng = np.random.default_rng(3)
    n_instances, d = 7, 12
    weights = rng.integers(1, 6, size=(n_instances, d))
    weights[0] += weights.sum(axis=0) % 2 == 0  # odd total weight in every coordinate
    values = rng.normal(size=(n_instances, d)).round(1)  # ties between instances are likely
    grams = np.stack([np.diag(w.astype(float) ** 2) for w in weights])
    statistics = SufficientStatistics(grams, np.einsum("jkl,jl->jk", grams, values), np.full(n_instances, 50.0))
    model = MedianShrinkage(noise_sd=1.0).fit_statistics(statistics)
    np.testing.assert_allclose(1 / model.standard_errors_, weights, rtol=1e-12)
    for k in range(d):
        expected = np.median(np.repeat(model.ols_coef_[:, k], weights[:, k]))
        assert model.shared_coef_[k] == expected
    np.testing.assert_array_equal(weighted_median(model.ols_coef_, weights), model.shared_coef_)


def test_weighted_median_tie_rule_is_the_lower_one():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_median(values, np.ones(4))[0] == 2.0  # half the weight at 2: the lower median
    assert weighted_median(values, np.array([1.0, 1.0, 1.0, 1.0 + 1e-9]))[0] == 3.0
    assert weighted_median(values, np.array([10.0, 1.0, 1.0, 1.0]))[0] == 1.0
    with pytest.raises(ValueError, match="weights must be finite and > 0"):
        weighted_median(values, np.array([1.0, 0.0, 1.0, 1.0]))


def test_zero_and_huge_threshold_give_ols_and_the_median(data):
    ols = IndependentOLS().fit(data.Xs, data.ys).coef_
    zero = MedianShrinkage(threshold_multiplier=0.0).fit(data.Xs, data.ys)
    np.testing.assert_array_equal(zero.ols_coef_, ols)
    np.testing.assert_allclose(zero.coef_, ols, rtol=1e-12, atol=1e-14)
    huge = MedianShrinkage(threshold_multiplier=1e6).fit(data.Xs, data.ys)
    np.testing.assert_array_equal(huge.coef_, np.tile(huge.shared_coef_, (data.n_instances, 1)))


def test_recovers_sparse_deviations_and_beats_independent_ols():
    errors = {"ols": [], "median": []}
    for seed in range(3):
        data = make_instances(20, 30, 2, 150, np.random.default_rng(seed), deviation_size=1.0)
        for key, model in {"ols": IndependentOLS(), "median": MedianShrinkage()}.items():
            errors[key].append(np.abs(model.fit(data.Xs, data.ys).coef_ - data.betas).sum(axis=1).mean())
    # the same margin as RobustMultitask's test in test_estimators.py
    assert np.mean(errors["median"]) < 0.7 * np.mean(errors["ols"])


def test_target_is_left_out_of_the_median():
    data = make_instances(6, 4, 1, 50, np.random.default_rng(1), noise_sd=0.1)
    ys = list(data.ys)
    ys[2] = ys[2] + 100.0 * data.Xs[2].sum(axis=1)  # instance 2 far off in every coordinate
    with_target = MedianShrinkage().fit(data.Xs, ys, target=2)
    others = MedianShrinkage().fit(
        [X for j, X in enumerate(data.Xs) if j != 2], [y for j, y in enumerate(ys) if j != 2]
    )
    np.testing.assert_array_equal(with_target.shared_coef_, others.shared_coef_)
    # the target itself keeps its (large) deviation, shrunk toward the others' median
    assert np.all(with_target.coef_[2] - with_target.shared_coef_ > 50)


def test_deterministic_and_scikit_learn_protocol(data):
    a = MedianShrinkage(threshold_multiplier=0.7).fit(data.Xs, data.ys).coef_
    b = MedianShrinkage(threshold_multiplier=0.7).fit(data.Xs, data.ys).coef_
    np.testing.assert_array_equal(a, b)
    model = MedianShrinkage(threshold_multiplier=0.3)
    assert model.get_params() == {"threshold_multiplier": 0.3, "confidence": 0.05, "noise_sd": None, "ols": "raise"}
    assert model.set_params(confidence=0.1).confidence == 0.1 and "confidence=0.1" in repr(model)
    fitted = model.fit(data.Xs, data.ys)
    assert fitted is model and model.coef_.shape == (9, 6) and model.shared_coef_.shape == (6,)
    assert model.thresholds_.shape == model.standard_errors_.shape == (9, 6) and model.noise_sd_.shape == (9,)
    np.testing.assert_allclose(model.predict(data.Xs[0], 0), data.Xs[0] @ model.coef_[0])


def test_labels():
    labels = {name: cls.label for name, cls in ALL_ESTIMATORS.items()}
    assert labels == {
        "independent_ols": "Independent OLS",
        "averaging": "Averaging",
        "pooling": "Pooling",
        "averaging_multitask": "Averaging multitask",
        "robust_multitask": "Robust multitask (Alg. 1)",
        "median_shrinkage": "Median shrinkage (ours)",
    }
    assert RobustMultitask().label == "Robust multitask (Alg. 1)"


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"threshold_multiplier": -1.0}, r"threshold_multiplier must be a finite number >= 0, got -1.0"),
        ({"threshold_multiplier": np.inf}, r"threshold_multiplier must be a finite number >= 0"),
        ({"threshold_multiplier": "big"}, r"threshold_multiplier must be a finite number >= 0, got 'big'"),
        ({"confidence": 1.0}, r"confidence must be in \(0, 1\), got 1.0"),
        ({"confidence": 0}, r"confidence must be in \(0, 1\)"),
        ({"noise_sd": -0.5}, r"noise_sd must be finite and > 0"),
        ({"noise_sd": [1.0, 2.0]}, r"noise_sd must be a scalar or have one value per instance \(9\)"),
        ({"ols": "pinv"}, r"ols must be 'raise' or 'lstsq', got 'pinv'"),
    ],
)
def test_bad_parameters_name_the_parameter_and_range(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        MedianShrinkage(**kwargs).fit(data.Xs, data.ys)


def test_degenerate_instances():
    rng = np.random.default_rng(0)
    Xs = [rng.uniform(-1, 1, (40, 6)) for _ in range(5)]
    ys = [X @ np.arange(6.0) + rng.normal(size=40) for X in Xs]
    # a data-poor target with n_j < d has no OLS estimate to shrink: named, as are noise levels
    poor = [X[:4] if j == 0 else X for j, X in enumerate(Xs)], [y[:4] if j == 0 else y for j, y in enumerate(ys)]
    with pytest.raises(ValueError, match=r"instance 0: the design X_0'X_0 is singular or rank-deficient"):
        MedianShrinkage().fit(*poor, target=0)
    with pytest.raises(
        ValueError, match=r"MedianShrinkage needs the noise level of instance 0, which has n_j=4 <= d=6"
    ):
        MedianShrinkage(ols="lstsq").fit(*poor, target=0)
    assert np.isfinite(MedianShrinkage(ols="lstsq", noise_sd=1.0).fit(*poor, target=0).coef_).all()
    # duplicated column: named, or fitted with the minimum-norm solution and pseudo-inverse errors
    doubled = [np.c_[X, X[:, 0]] for X in Xs]
    with pytest.raises(ValueError, match=r"instance 0: .*singular or rank-deficient"):
        MedianShrinkage().fit(doubled, ys)
    assert np.isfinite(MedianShrinkage(ols="lstsq").fit(doubled, ys).coef_).all()
    # noise-free responses: zero residuals, named
    with pytest.raises(ValueError, match=r"instance 0 from its OLS residuals, which are all zero"):
        MedianShrinkage().fit(Xs, [np.zeros(40)] * 5)
    # identical instances: every instance gets the common OLS fit
    ols = IndependentOLS().fit(Xs[:1], ys[:1]).coef_[0]
    np.testing.assert_allclose(MedianShrinkage().fit(Xs[:1] * 4, ys[:1] * 4).coef_, np.tile(ols, (4, 1)), rtol=1e-12)


@pytest.mark.parametrize("scale", [1e8, 1e-8])
def test_scale_equivariance(scale):
    rng = np.random.default_rng(2)
    Xs = [rng.uniform(-1, 1, (30, 4)) for _ in range(5)]
    ys = [X @ (np.ones(4) + 0.5 * rng.normal(size=4)) + rng.normal(size=30) for X in Xs]
    base = MedianShrinkage().fit(Xs, ys).coef_
    np.testing.assert_allclose(MedianShrinkage().fit(Xs, [y * scale for y in ys]).coef_, base * scale, rtol=1e-6)
    np.testing.assert_allclose(MedianShrinkage().fit([X * scale for X in Xs], ys).coef_, base / scale, rtol=1e-6)


def test_a_tie_is_not_decided_by_the_last_bits_of_the_weights():
    """Equal weights (the identity design: every instance the same standard error) with an even number of values:
    weights perturbed by one ulp, as two linear-algebra libraries may compute them, give the same lower median."""
    rng = np.random.default_rng(0)
    values = rng.normal(size=(10, 40))
    weights = np.full((10, 40), 0.7)
    expected = weighted_median(values, weights)
    np.testing.assert_array_equal(expected, np.sort(values, axis=0)[4])  # the lower median
    for _ in range(50):
        nudged = weights * (1.0 + rng.choice([-1.0, 0.0, 1.0], size=weights.shape) * np.finfo(float).eps)
        np.testing.assert_array_equal(weighted_median(values, nudged), expected)
    # the old rule (no tolerance) is decided by the nudge: this is what the test guards against
    order = np.argsort(values, axis=0, kind="stable")
    flips = 0
    for _ in range(50):
        nudged = weights * (1.0 + rng.choice([-1.0, 1.0], size=weights.shape) * np.finfo(float).eps)
        cumulative = np.cumsum(np.take_along_axis(nudged, order, axis=0), axis=0)
        flips += int((np.argmax(cumulative >= 0.5 * cumulative[-1], axis=0) != 4).any())
    assert flips > 0
