"""Environment of Appendix H (paper 004): densities, shifts, reward formulas, Pareto-index claim."""

import numpy as np
import pytest
from scipy import stats

from banditlab.pareto import Cone, pareto_set
from banditlab.pareto.env import (
    ParetoBanditEnv,
    PowerDensity,
    ShiftSchedule,
    appendix_h_means,
    claimed_pareto_indices,
)
from banditlab.pareto.theory import dissimilarity, pareto_claim_table


@pytest.mark.parametrize("exponent", [0.0, 1.0, 4.0, -0.5])
def test_power_density_samples_match_cdf(exponent):
    density = PowerDensity(exponent)
    x = density.sample(4000, np.random.default_rng(123))[:, 0]
    assert stats.kstest(x, density.cdf).pvalue > 0.01
    # and the test has power: the uniform CDF is rejected for a non-uniform density
    if exponent != 0.0:
        assert stats.kstest(x, PowerDensity(0.0).cdf).pvalue < 1e-3


def test_density_integrates_to_one():
    from scipy.integrate import quad

    for a in (-0.75, -0.25, 0.0, 2.0, 8.0):
        total, _ = quad(lambda x: float(PowerDensity(a).pdf(x)), 0.0, 1.0)
        assert total == pytest.approx(1.0, abs=1e-6)


def test_shift_time_respected():
    env = ParetoBanditEnv.appendix_h(n_arms=4, nu=6.0, t_p=1500)
    draw = env.draw(3000, np.random.default_rng(7))
    before, after = draw.contexts[:1500, 0], draw.contexts[1500:, 0]
    assert stats.kstest(before, PowerDensity(6.0).cdf).pvalue > 0.01
    assert stats.kstest(after, PowerDensity(0.0).cdf).pvalue > 0.01
    assert stats.kstest(before, PowerDensity(0.0).cdf).pvalue < 1e-6
    assert draw.t_p == 1500


def test_multi_shift_phases():
    sched = ShiftSchedule((PowerDensity(8.0), PowerDensity(1.0)), (100, 300))
    phase = sched.phase(500)
    assert (phase[:100] == 0).all() and (phase[100:300] == 1).all() and (phase[300:] == 2).all()
    x = sched.sample(500, np.random.default_rng(0))[:, 0]
    assert x[:100].mean() > x[100:300].mean() > x[300:].mean() - 0.1
    assert sched.t_p == 300


def test_means_formula_by_hand():
    # x = 0.5: 1/k1 = 0.4, 1/k2 = 0.6, k2 = 5/3; arm k = 3 > k2
    m = appendix_h_means([0.5], 3)[0]
    assert m[2, 0] == pytest.approx(1 - 5 * (1 / 3 - 0.4))
    assert m[2, 1] == pytest.approx(max(0.0, 1 - 5 * (0.6 - 1 / 3)))
    assert m[0, 1] == pytest.approx(0.25 * (1 - 0.6))  # k = 1 <= k2
    assert (appendix_h_means(np.linspace(0, 1, 50), 7) >= 0).all()


def test_multidimensional_contexts_use_coordinate_mean():
    env = ParetoBanditEnv.appendix_h(n_arms=5, nu=1.0, t_p=10, dim=3)
    x = np.random.default_rng(1).random((20, 3))
    np.testing.assert_allclose(env.means(x), appendix_h_means(x.mean(axis=1), 5))
    assert env.draw(50, np.random.default_rng(2)).contexts.shape == (50, 3)


def test_claimed_indices_formula():
    for s in (0.0, 0.3, 0.55, 0.8):
        k1 = 5 / (4 * (1 - s))
        k2 = 5 / (5 - 4 * s)
        expected = [k - 1 for k in range(1, 11) if np.floor(k1) <= k <= np.ceil(k2)]
        assert claimed_pareto_indices(s, 10).tolist() == expected


def test_pareto_claim_table_recomputes_with_pareto_set():
    table = pareto_claim_table(n_arms=(6,), n_grid=41)
    xs = np.linspace(0, 1, 41)
    means = appendix_h_means(xs, 6)
    equal = [
        np.array_equal(pareto_set(means[i], Cone.orthant(2)), claimed_pareto_indices(x, 6)) for i, x in enumerate(xs)
    ]
    assert table["share_equal"].item() == pytest.approx(np.mean(equal))
    assert 0.0 <= table["share_claim_empty"].item() <= 1.0


def test_dissimilarity_grows_with_nu_and_mixture_in_between():
    r1, r4 = dissimilarity([1.0]), dissimilarity([4.0])
    assert dissimilarity([0.0]) < r1 < r4
    assert r1 < dissimilarity([4.0, 1.0], [0.5, 0.5]) < r4


def test_same_seed_same_draw():
    env = ParetoBanditEnv.appendix_h(n_arms=3, nu=1.0, t_p=5)
    a = env.draw(30, np.random.default_rng(3))
    b = env.draw(30, np.random.default_rng(3))
    c = env.draw(30, np.random.default_rng(4))
    np.testing.assert_array_equal(a.noise, b.noise)
    assert not np.array_equal(a.contexts, c.contexts)


@pytest.mark.parametrize(
    "kwargs, name",
    [({"n_arms": 1}, "n_arms"), ({"nu": -0.5}, "nu"), ({"sigma": -1.0}, "sigma")],
)
def test_bad_env_parameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ParetoBanditEnv.appendix_h(**kwargs)


def test_bad_gamma_and_horizon():
    with pytest.raises(ValueError, match="gamma"):
        ParetoBanditEnv.power_law(gamma=1.5)
    env = ParetoBanditEnv.appendix_h(t_p=100)
    with pytest.raises(ValueError, match="t_p"):
        env.draw(100, np.random.default_rng(0))
    with pytest.raises(ValueError, match="change_points"):
        ShiftSchedule((PowerDensity(1.0), PowerDensity(2.0)), (200, 100))


def test_lipschitz_constant_matches_a_numerical_estimate():
    """The constant derived from the formulas (4) equals the largest finite-difference slope on a fine
    grid, away from the jumps of mu^(2); across each jump the difference stays ~1 however fine the
    grid, so the instance is only piecewise Lipschitz (Assumption 1 fails at the jumps)."""
    env = ParetoBanditEnv.appendix_h(n_arms=10)
    s = np.linspace(0.0, 1.0, 400_001)
    means = appendix_h_means(s, 10)
    diff = np.abs(np.diff(means, axis=0))  # (cells, K, M)
    slopes = diff / np.diff(s)[:, None, None]
    jumps = env.discontinuities()
    assert [arm for arm, _, _ in jumps] == [1, 2, 3, 4]  # arms 2..5 (1-based); x_5 = 1 is the end point
    across = np.zeros(slopes.shape, dtype=bool)
    for arm, x_k, size in jumps:
        cells = np.flatnonzero((s[:-1] <= x_k + 1e-12) & (s[1:] >= x_k - 1e-12))
        across[cells, arm, 1] = True
        assert diff[cells, arm, 1].max() == pytest.approx(size, abs=1e-3)
    assert slopes[~across].max() == pytest.approx(env.lipschitz_constant, rel=1e-6)
    assert env.lipschitz_constant == 4.0
    # in D dimensions the means depend on the coordinate mean: the same constant in the sup norm
    env2 = ParetoBanditEnv.appendix_h(n_arms=10, dim=2)
    x = np.linspace(0.0, 0.6, 60_001)
    diag = env2.means(np.stack([x, x], axis=1))
    assert (np.abs(np.diff(diag, axis=0)) / np.diff(x)[:, None, None]).max() == pytest.approx(4.0, rel=1e-6)
    assert env2.lipschitz_constant == 4.0


def test_draw_carries_the_lipschitz_constant():
    draw = ParetoBanditEnv.appendix_h(n_arms=4, t_p=10).draw(50, np.random.default_rng(0))
    assert draw.lipschitz == 4.0
