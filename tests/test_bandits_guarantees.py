"""Each policy on tiny instances with a known answer, the forced-sampling schedules against their papers'
formulas, constant rewards, and the LASSO Bandit's forced sampling across d.

The clear-gap instance: two arms, every context coordinate in [1, 2], ``beta_1 = +1``, ``beta_0 = -1``
(arm 1 better by at least 2 d on every context), noise sigma = 0.01. On it each policy's guarantee says
which pulls may be sub-optimal: the forced pulls of arm 0 and, for an estimator that needs d samples per
arm, the unforced pulls before it has them. The share of optimal pulls must reach ``1 - that / T``.
Arm 1 is the better arm so that an all-zero initial estimate (argmax ties -> arm 0) cannot help.
"""

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
    make_network_problem,
    make_problem,
)
from banditlab.bandits.env import network_sparsity
from banditlab.bandits.experiments import forced_pulls, lock_in_rows
from banditlab.bandits.independent import LASSO_Q
from banditlab.bandits.schedules import forced_pull_count
from banditlab.seeding import replicate_rng

N, K, D, T = 2, 2, 3, 2000
# the papers refit every step; update_ratio -> 1 and first_stop = 1 do the same here
PER_STEP = {"update_ratio": 1.0 + 1e-9, "first_stop": 1}


def clear_gap_problem(sigma=0.01):
    betas = np.stack([np.stack([-np.ones(D), np.ones(D)])] * N)
    return Problem(
        betas=betas,
        shared=betas[0],
        p=np.full(N, 1.0 / N),
        sigma=np.full(N, sigma),
        shift=np.full((N, D), 1.5),
        scale=np.full((N, D), 0.5),
        meta={"s": 0},
    )


@pytest.fixture(scope="module")
def clear_gap():
    problem = clear_gap_problem()
    stream = problem.sample(T, replicate_rng(11, "clear-gap"))
    assert np.all(stream.optimal_arms() == 1)
    return problem, stream


def optimal_share(policy, problem, stream, label):
    arms = simulate(policy, problem, stream, replicate_rng(11, label))
    return float(np.mean(arms == 1)), arms


def independent_bound(stream, q, d):
    """Sub-optimal pulls the forced-sampling guarantee allows (Goldenshluger & Zeevi 2013; Bastani &
    Bayati 2020): arm 0's forced pulls, plus the unforced pulls before every arm has d forced samples."""
    allowed = 0
    for j in range(N):
        n = int(np.count_nonzero(stream.Z == j))
        ready = next(u for u in range(1, n + 2) if all(forced_pull_count(u, q, K, k) >= d for k in range(K)))
        forced_before = sum(int(forced_pull_count(ready, q, K, k)) for k in range(K))
        allowed += int(forced_pull_count(n, q, K, 0)) + min(n, ready) - min(forced_before, n)
    return allowed


def test_oracle_always_optimal(clear_gap):
    share, _ = optimal_share(Oracle(), *clear_gap, "oracle")
    assert share == 1.0


@pytest.mark.parametrize("policy_class", [RMBandit, AveragingMultitaskBandit, PooledBandit])
def test_multitask_bandits_err_only_in_forced_phase(clear_gap, policy_class):
    # Algorithm 2: after B_0 the forced-sample estimators are accurate (errors << h/4 here), the h/2 filter
    # drops arm 0 (2 d below arm 1 > h/2), so only B_0's round-robin pulls of arm 0 can be sub-optimal:
    # ceil(n_j / K) per instance with n_j arrivals in B_0.
    problem, stream = clear_gap
    policy = policy_class()
    share, arms = optimal_share(policy, problem, stream, policy.name)
    n_b0 = np.bincount(stream.Z[: policy.b0_], minlength=N)
    allowed = int(np.sum(-(-n_b0 // K)))
    assert allowed < 0.05 * T  # the bound is informative
    assert share >= 1 - allowed / T
    assert np.all(arms[policy.b0_ :] == 1)


@pytest.mark.parametrize(
    "policy_class,q", [(OLSBandit, D), (LassoBandit, LASSO_Q), (LassoBandit, 3), (OLSBandit, 2 * D)]
)
def test_independent_bandits_err_only_on_forced_pulls(clear_gap, policy_class, q):
    problem, stream = clear_gap
    # penalties well above 0: coordinate descent on these collinear all-positive contexts with 1-2 samples per
    # arm and lam ~ 0.01 needs more than lasso.py's 100000 sweeps (a rank-deficient, badly conditioned Gram)
    policy = policy_class(q=q, lambda1=0.1, lambda2=0.1, **PER_STEP)
    share, _ = optimal_share(policy, problem, stream, policy.name)
    allowed = independent_bound(stream, q, D)
    assert allowed < 0.05 * T
    assert share >= 1 - allowed / T


def test_greedy_pulls_the_worse_arm_at_most_once_per_instance(clear_gap):
    # ridge greedy on all-positive contexts: one pull of arm 0 gives beta_0 = y x / (1 + |x|^2) with y < 0,
    # a negative score on every context, below arm 1's; so arm 0 is pulled at most once per instance
    problem, stream = clear_gap
    share, arms = optimal_share(GreedyBandit(**PER_STEP), problem, stream, "greedy")
    assert share >= 1 - N / T
    for j in range(N):
        assert np.count_nonzero(arms[stream.Z == j] == 0) <= 1


def test_forced_schedules_match_their_papers(clear_gap):
    problem, stream = clear_gap
    counts = np.bincount(stream.Z, minlength=N)
    lasso = {"lambda1": 0.1, "lambda2": 0.1}  # see test_independent_bandits_err_only_on_forced_pulls
    for policy, q in (
        (OLSBandit(), D),
        (LassoBandit(**lasso), LASSO_Q),
        (LassoBandit(q=4, **lasso), 4),
        (OLSBandit(q=5), 5),
    ):
        simulate(policy, problem, stream, replicate_rng(11, "schedule"))
        for j in range(N):
            for k in range(K):
                assert policy.forced_stats_.count[j, k] == forced_pull_count(counts[j], q, K, k), (policy.name, q)
    # RMBandit: B_0 = floor(q log T) round-robin steps, arm k pulled ceil((n_j - k) / K) times at instance j
    policy = RMBandit()
    arms = simulate(policy, problem, stream, replicate_rng(11, "schedule"))
    assert policy.b0_ == int(np.floor(policy.hp_.q * np.log(T)))
    for j in range(N):
        n_j = int(np.count_nonzero(stream.Z[: policy.b0_] == j))
        forced_arms = arms[: policy.b0_][stream.Z[: policy.b0_] == j]
        for k in range(K):
            assert np.count_nonzero(forced_arms == k) == -(-(n_j - k) // K)
    assert forced_pulls(policy, stream, 0) == int(np.count_nonzero(stream.Z[: policy.b0_] == 0))


def test_forced_pull_count_formula():
    # q = 2, K = 2: arm 0 at local times 1-2, 5-6, 13-14, 29-30 (1-based), arm 1 at 3-4, 7-8, 15-16, 31-32
    assert [int(forced_pull_count(n, 2, 2, 0)) for n in (0, 1, 2, 4, 5, 6, 13, 14, 30)] == [0, 1, 2, 2, 3, 4, 5, 6, 8]
    assert [int(forced_pull_count(n, 2, 2, 1)) for n in (2, 3, 4, 8, 16, 32)] == [0, 1, 2, 4, 6, 8]
    # about q log2(n / (K q)) per arm: logarithmic in n
    assert forced_pull_count(10**6, 1, 2, 0) == 19


def test_lasso_bandit_forced_pulls_do_not_change_with_d():
    T_fixed, counts = 3000, {}
    ols_counts = {}
    for d in (5, 20, 80):
        problem = make_problem(3, 2, d, 1, replicate_rng(2, "d-free", d))
        stream = problem.sample(T_fixed, replicate_rng(2, "d-free-stream"))  # Z is drawn first: same arrivals
        lasso = LassoBandit()
        simulate(lasso, problem, stream, replicate_rng(2, "lasso"))
        counts[d] = lasso.forced_stats_.count.copy()
        ols = OLSBandit()
        simulate(ols, problem, stream, replicate_rng(2, "ols"))
        ols_counts[d] = ols.forced_stats_.count.sum()
    assert np.array_equal(counts[5], counts[20]) and np.array_equal(counts[5], counts[80])
    arrivals = np.bincount(stream.Z, minlength=3)
    expected = [[forced_pull_count(n, LASSO_Q, 2, k) for k in range(2)] for n in arrivals]
    assert np.array_equal(counts[5], expected)  # q log2(n / (K q)) per arm, whatever d
    # the OLS Bandit keeps q = d (its forced-sample OLS needs d samples per arm): it grows with d
    assert ols_counts[5] < ols_counts[20] < ols_counts[80]


def constant_reward_problem(value):
    """Rewards ``value`` for every arm and context, no noise: every estimator sees one constant."""
    d = 4
    betas = np.zeros((3, 2, d))
    betas[..., 0] = value  # X_1 = 1 (an intercept), the other coordinates vary
    shift, scale = np.zeros((3, d)), np.full((3, d), 0.5)
    shift[:, 0], scale[:, 0] = 1.0, 0.0
    return Problem(betas=betas, shared=betas[0], p=np.full(3, 1 / 3), sigma=np.zeros(3), shift=shift, scale=scale)


@pytest.mark.parametrize("value", [0.0, 2.5])
@pytest.mark.parametrize(
    "make_policy",
    [
        RMBandit,
        AveragingMultitaskBandit,
        PooledBandit,
        OLSBandit,
        lambda: LassoBandit(lambda1=0.05, lambda2=0.1),  # the default penalties are sigma x_max (= 0 here)
        GreedyBandit,
        Oracle,
    ],
)
def test_constant_reward_never_divides_by_zero(value, make_policy):
    problem = constant_reward_problem(value)
    stream = problem.sample(600, replicate_rng(4, "constant"))
    assert np.all(stream.rewards(0, np.zeros(600, dtype=np.int64)) == value)
    policy = make_policy()
    with np.errstate(divide="raise", invalid="raise", over="raise"):
        arms = simulate(policy, problem, stream, replicate_rng(4, "constant-policy"))
    assert arms.min() >= 0 and arms.max() < 2
    assert np.all(stream.regret(arms) == 0.0)  # every arm is optimal
    for name in ("forced_coef_", "allsample_coef_", "coef_"):
        if hasattr(policy, name):
            assert np.isfinite(getattr(policy, name)).all(), name


def test_no_diversity_contexts_lock_greedy_but_not_forced_sampling():
    problem = make_problem(6, 2, 8, 1, replicate_rng(3, "nodiv"), contexts="no_diversity")
    assert np.all(problem.shift[:, 0] == 1.0) and np.all(problem.scale[:, 0] == 0.0)
    assert np.all(problem.betas[:, :, 0] == problem.betas[0, :, 0])  # the deltas leave the intercept alone
    stream = problem.sample(6 * 1500, replicate_rng(3, "nodiv-stream"))
    assert np.mean(stream.optimal_arms() == 0) > 0.99  # arm 0 is the better arm almost everywhere
    assert stream.mean_rewards.min() > 0  # every arm pays: an unexplored arm's score 0 looks worse
    locked = {}
    for policy in (GreedyBandit(), RMBandit(), OLSBandit(), LassoBandit()):
        arms = simulate(policy, problem, stream, replicate_rng(3, policy.name))
        locked[policy.name] = lock_in_rows(stream, arms, stream.regret(arms))
    # increment ratio (R(T) - R(T/2)) / (R(T/2) - R(T/4)): 2 for linear regret, 1.08 for log^2 t at T = 9000
    assert locked["greedy"]["locked_share"] > 0 and locked["greedy"]["late_increment_ratio"] > 1.5
    for name in ("rmbandit", "ols_bandit", "lasso_bandit"):
        assert locked[name]["locked_share"] == 0.0, name
        assert locked[name]["suboptimal_share_late"] < 0.05, name


def test_network_problem_follows_eq_1():
    d, alpha = 20, 0.5
    problem = make_network_problem(16, 2, d, alpha, replicate_rng(1, "net"))
    differences = (problem.betas != problem.betas[0]).sum(axis=2)  # s_{r, target} per arm
    for n_tilde in range(1, 17):
        s_tilde = problem.meta["s_tilde"][n_tilde - 1]
        assert s_tilde == min(int(np.ceil(n_tilde**alpha - 1e-9)), d)
        # Q_j = {i : s_{i,j} <= s~} holds the Ñ nearest instances (the target included)
        assert np.all(differences[:n_tilde] <= s_tilde)
    assert network_sparsity(8, 1 / 3, 20) == 2 and network_sparsity(9, 1 / 3, 20) == 3
    assert network_sparsity(16, 1.0, 10) == 10
    with pytest.raises(ValueError, match="n_tilde"):
        network_sparsity(0, 1.0, 10)


def test_network_mode_uses_s_tilde():
    problem = make_network_problem(8, 2, 16, 1.0, replicate_rng(1, "net2"))
    stream = problem.sample(800, replicate_rng(1, "net2-stream"))
    options = {"h": 1.0, "zeta_max": None}
    for n_tilde in (2, 8):
        s_tilde = problem.meta["s_tilde"][n_tilde - 1]
        policy = RMBandit(options=options, sparsity=s_tilde)
        simulate(policy, problem, stream, replicate_rng(1, "p"))
        assert policy.hp_.zeta10 == pytest.approx(np.sqrt(s_tilde / 16))
    with pytest.raises(ValueError, match="sparsity"):
        RMBandit(sparsity=17).reset(problem, 100, replicate_rng(1, "p"))
