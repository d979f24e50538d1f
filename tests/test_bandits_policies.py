"""Algorithm 2 invariants, the oracle, greedy on a separable problem, and bad hyperparameters."""

import numpy as np
import pytest

from banditlab.agents import simulate
from banditlab.bandits import (
    AveragingMultitaskBandit,
    GreedyBandit,
    LassoBandit,
    OLSBandit,
    Oracle,
    PooledBandit,
    Problem,
    RMBandit,
    make_problem,
    practical,
)
from banditlab.bandits.hyperparameters import RMBanditHyperparameters
from banditlab.bandits.schedules import data_poor_sources, network_sources, round_robin_arms
from banditlab.estimators import trim_count
from banditlab.seeding import replicate_rng
from banditlab.testing import run_rmbandit_loop


@pytest.fixture(scope="module")
def setting():
    rng = replicate_rng(7, "test_bandits")
    problem = make_problem(5, 2, 8, 1, rng)
    stream = problem.sample(4000, rng)
    return problem, stream


def run(policy, setting, label="p"):
    problem, stream = setting
    arms = simulate(policy, problem, stream, replicate_rng(7, label))
    return arms, stream.regret(arms)


def test_oracle_regret_is_exactly_zero(setting):
    _, regret = run(Oracle(), setting)
    assert np.all(regret == 0.0)


def test_batch_boundaries_double(setting):
    policy = RMBandit()
    run(policy, setting)
    ends = policy.batch_ends_
    b0 = policy.b0_
    assert b0 == int(np.floor(policy.hp_.q * np.log(4000)))
    assert ends[0] == b0 and ends[-1] == 4000
    for m, end in enumerate(ends[:-1]):
        assert end == b0 * 2**m
    # M = ceil(log2(T / (q log T))) batches after B_0
    assert len(ends) - 1 == int(np.ceil(np.log2(4000 / b0)))
    # one all-sample fit per batch end before T, one forced fit at the end of B_0
    kinds = [fit["kind"] for fit in policy.fits_]
    assert kinds.count("forced") == 1 and kinds.count("all") == len(ends) - 1


def test_forced_schedule_is_round_robin_per_instance(setting):
    problem, stream = setting
    policy = RMBandit()
    arms, _ = run(policy, setting)
    b0 = policy.b0_
    for j in range(problem.N):
        pulls = arms[:b0][stream.Z[:b0] == j]
        assert np.array_equal(pulls, np.arange(len(pulls)) % problem.K)


def test_round_robin_continues_counts_across_segments():
    Z = np.array([0, 1, 0, 0, 1])
    arms = round_robin_arms(Z, prior_counts=np.array([1, 0]), K=3)
    assert arms.tolist() == [1, 0, 2, 0, 1]


def test_forced_estimators_never_change_after_b0(setting):
    problem, stream = setting
    policy = RMBandit(keep_history=True)
    policy.reset(problem, stream.T, replicate_rng(7, "p"))
    snapshot = None
    t = 0
    while t < stream.T:
        t1 = policy.next_stop(t)
        arms = policy.act(t, stream.Z[t:t1], stream.X[t:t1])
        policy.update(t, stream.Z[t:t1], stream.X[t:t1], arms, stream.rewards(t, arms))
        if t1 == policy.b0_:
            snapshot = policy.forced_coef_.copy()
        elif snapshot is not None:
            assert np.array_equal(policy.forced_coef_, snapshot)
        t = t1
    assert snapshot is not None and np.abs(snapshot).sum() > 0
    assert not policy.forced_coef_.flags.writeable
    # the all-sample estimators do change from batch to batch
    assert len(policy.history_) >= 2 and not np.array_equal(policy.history_[0], policy.history_[-1])


def test_h_filter_and_all_sample_choice(setting):
    problem, stream = setting
    policy = RMBandit(keep_history=True)
    arms, _ = run(policy, setting)
    h = policy.hp_.h
    ends = policy.batch_ends_
    for m in range(1, len(ends)):
        start, stop = ends[m - 1], ends[m]
        coef = policy.history_[m - 1]
        for t in range(start, stop, 37):
            j, x = stream.Z[t], stream.X[t]
            forced = policy.forced_coef_[j] @ x
            kept = np.flatnonzero(forced >= forced.max() - h / 2)
            assert arms[t] in kept
            assert arms[t] == kept[np.argmax(coef[j][kept] @ x)]


def test_h_extremes_select_forced_or_all_sample(setting):
    problem, stream = setting
    base = practical(problem.N, problem.K, problem.d, 1, problem.p, problem.sigma, problem.x_max)
    tiny = RMBandit(hyperparameters=base.with_(h=1e-12), keep_history=True)
    arms, _ = run(tiny, setting)
    t = np.arange(tiny.b0_, stream.T)
    forced_choice = np.einsum("td,tkd->tk", stream.X[t], tiny.forced_coef_[stream.Z[t]]).argmax(axis=1)
    assert np.array_equal(arms[t], forced_choice)


def test_vectorized_matches_per_step_loop(setting):
    problem, stream = setting
    fast = simulate(RMBandit(), problem, stream, replicate_rng(7, "p"))
    slow = run_rmbandit_loop(RMBandit(), problem, stream, replicate_rng(7, "p"))
    assert np.array_equal(fast, slow)


def test_truth_knowing_and_greedy_on_separable_problem():
    # arm 0 beats arm 1 by at least 2 on every context (all coordinates are positive): trivially separable
    N, d = 2, 3  # K = 2 arms
    betas = np.stack([np.stack([np.ones(d), -np.ones(d)])] * N)
    problem = Problem(
        betas=betas,
        shared=betas[0],
        p=np.full(N, 0.5),
        sigma=np.full(N, 0.1),
        shift=np.full((N, d), 1.5),
        scale=np.full((N, d), 0.5),
    )
    stream = problem.sample(2000, replicate_rng(3, "separable"))
    assert np.all(stream.regret(simulate(Oracle(), problem, stream, replicate_rng(3, "o"))) == 0)
    regret = stream.regret(simulate(GreedyBandit(), problem, stream, replicate_rng(3, "g")))
    # greedy may pull arm 1 until it has seen one reward of each instance, never afterwards
    assert np.count_nonzero(regret) <= 2 * N
    assert np.all(regret[200:] == 0)


def test_baselines_run_and_learn(setting):
    problem, stream = setting
    uniform = stream.regret(np.zeros(stream.T, dtype=np.int64)).sum()
    for policy in (AveragingMultitaskBandit(), PooledBandit(), OLSBandit(), LassoBandit(), GreedyBandit(), RMBandit()):
        arms, regret = run(policy, setting, policy.name)
        assert arms.min() >= 0 and arms.max() < problem.K
        assert np.all(regret >= 0)
        # multitask bandits learn: second half much better than always pulling one arm
        if policy.name in ("rmbandit", "ols_bandit", "greedy"):
            assert regret[stream.T // 2 :].sum() < 0.5 * uniform / 2


def test_ols_bandit_forced_schedule():
    policy = OLSBandit(q=2)
    problem = make_problem(1, 2, 3, 1, replicate_rng(1, "x"))
    policy.reset(problem, 100, replicate_rng(1, "y"))
    forced = policy.forced_arm(np.arange(30))
    # K q = 4: local times 1-4 (blocks n=0), 5-8 (n=1), 13-16 (n=2), 29-32 (n=3), 1-based
    expected = np.full(30, -1)
    for start in (0, 4, 12, 28):
        expected[start : start + 4] = [0, 0, 1, 1][: max(0, min(4, 30 - start))]
    assert np.array_equal(forced, expected)


def test_sources_helpers():
    s = data_poor_sources(4, target=0, neighbour=2)
    assert s[0].tolist() == [False, False, True, False]
    assert not s[1:, 0].any() and s[1:, 1:].all()
    n = network_sources(5, target=0, n_tilde=3)
    assert n[0].tolist() == [True, True, True, False, False] and n[1:].all()
    with pytest.raises(ValueError, match="n_tilde"):
        network_sources(5, 0, 6)


def test_trim_count_keeps_one_value():
    assert trim_count(0.2, 10) == 2
    assert trim_count(0.95, 10) == 4
    assert trim_count(1.0, 1) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"q": 0.0}, "q must be"),
        ({"q": -1.0}, "q must be"),
        ({"h": 0.0}, "h must be"),
        ({"h": -0.5}, "h must be"),
        ({"eta10": -0.1}, "eta10"),
    ],
)
def test_bad_hyperparameters(change, message):
    base = dict(q=1.0, h=0.1, zeta0=0.1, eta0=0.0, zeta10=0.1, eta10=0.0, lambda0=np.ones(2), lambda10=np.ones(2))
    with pytest.raises(ValueError, match=message):
        RMBanditHyperparameters(**{**base, **change})


def test_bad_problem_inputs():
    rng = replicate_rng(0, "bad")
    with pytest.raises(ValueError, match="K"):
        make_problem(3, 1, 4, 1, rng)
    with pytest.raises(ValueError, match="sum to 1"):
        make_problem(3, 2, 4, 1, rng, p=np.array([0.5, 0.2, 0.2]))
    with pytest.raises(ValueError, match="non-negative"):
        make_problem(3, 2, 4, 1, rng, p=np.array([1.2, -0.1, -0.1]))
    with pytest.raises(ValueError, match="s "):
        make_problem(3, 2, 4, 5, rng)
    with pytest.raises(ValueError, match="h must be"):
        OLSBandit(h=0).reset(make_problem(2, 2, 3, 1, rng), 10, rng)


def test_theory_hyperparameters_are_astronomical(setting):
    problem, _ = setting
    hp = RMBandit(hyperparameters="theory")._resolve(problem, 10_000, replicate_rng(7, "c"))
    assert hp.source == "theory-C.1" and hp.q > 1e6
    assert hp.batch_start(10_000) == 10_000  # B_0 >= T: the whole horizon is forced sampling
    dp = make_problem(2, 2, 8, 1, replicate_rng(7, "dp"), p=np.array([0.02, 0.98]))
    hp = RMBandit(hyperparameters="theory", target=0, neighbour=1)._resolve(dp, 10_000, replicate_rng(7, "c"))
    assert hp.source == "theory-D.1" and hp.zeta10 == 1.0 and hp.eta10 == 0.0


def test_common_random_numbers_and_reproducibility(setting):
    problem, stream = setting
    one = problem.sample(500, replicate_rng(7, "crn"))
    two = problem.sample(500, replicate_rng(7, "crn"))
    for name in ("Z", "X", "noise", "mean_rewards"):
        assert np.array_equal(getattr(one, name), getattr(two, name))
    a = simulate(RMBandit(), problem, stream, replicate_rng(7, "p"))
    b = simulate(RMBandit(), problem, stream, replicate_rng(7, "p"))
    assert np.array_equal(a, b)


def test_regret_is_expected_regret_from_true_parameters(setting):
    problem, stream = setting
    arms = np.ones(stream.T, dtype=np.int64)
    means = np.einsum("td,tkd->tk", stream.X, problem.betas[stream.Z])
    assert np.allclose(stream.regret(arms), means.max(axis=1) - means[:, 1])
    # the noise enters rewards, never regret
    assert np.allclose(stream.rewards(0, arms) - means[:, 1], stream.noise)


def test_data_poor_mode_runs_and_excludes_target(setting):
    dp = make_problem(3, 2, 6, 1, replicate_rng(7, "dp2"), p=np.array([0.02, 0.49, 0.49]))
    stream = dp.sample(6000, replicate_rng(7, "dp3"))
    policy = RMBandit(target=0, neighbour=1)
    arms = simulate(policy, dp, stream, replicate_rng(7, "dp4"))
    assert policy.sources_[0].tolist() == [False, True, False]
    assert policy.hp_.zeta10 == 1.0
    assert stream.regret(arms)[stream.Z == 0].sum() >= 0
    with pytest.raises(ValueError, match="distinct target and neighbour"):
        simulate(RMBandit(target=0, neighbour=0), dp, stream, replicate_rng(7, "dp4"))
