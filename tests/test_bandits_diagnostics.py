"""Proposition 2's event, measured (banditlab.bandits.diagnostics): RMBandit records its forced-sample filter, and the
runner's share of arrivals whose filter drops the optimal arm is 1 for a filter rigged to drop it and 0 for a filter
built on the truth."""

import numpy as np
import pytest

from banditlab.agents import simulate
from banditlab.bandits import make_problem
from banditlab.bandits.diagnostics import filter_columns, filter_exclusion, forced_error_ratio
from banditlab.bandits.independent import OLSBandit
from banditlab.bandits.rmbandit import RMBandit
from banditlab.seeding import replicate_rng


class _ForcedFit(RMBandit):
    """RMBandit whose forced-sample fit is replaced by ``sign`` times the true parameters (a test rig: the policy
    itself never sees the truth)."""

    def __init__(self, betas, sign, **kwargs):
        super().__init__(**kwargs)
        self.betas, self.sign = betas, sign

    def _fit(self, stats, arrivals, forced):
        coef = super()._fit(stats, arrivals, forced)
        return self.sign * self.betas.copy() if forced else coef


@pytest.fixture(scope="module")
def problem_and_stream():
    problem = make_problem(4, 2, 5, 1, replicate_rng(0, "diag"))
    stream = problem.sample(3000, replicate_rng(0, "diag-stream"))
    return problem, stream


def _run(policy, problem, stream):
    simulate(policy, problem, stream, replicate_rng(0, "diag-policy"))
    return filter_columns(policy, problem, stream)


def test_a_filter_built_on_the_truth_never_drops_the_optimal_arm(problem_and_stream):
    problem, stream = problem_and_stream
    policy = _ForcedFit(problem.betas, 1.0, options={"h": 1.0})
    columns = _run(policy, problem, stream)
    assert columns["filter_exclusion"] == 0.0
    assert columns["forced_error_ratio"] == 0.0 and columns["forced_error_ratio_00"] == 0.0
    assert policy.filter_kept_.shape == (stream.T, problem.K)
    assert policy.filter_kept_[: policy.b0_].all()  # no filter in B_0


def test_a_filter_rigged_to_drop_the_optimal_arm_gives_share_one(problem_and_stream):
    problem, stream = problem_and_stream
    # forced estimates of the opposite sign and a filter of width ~0: the kept arm is the worst one
    policy = _ForcedFit(problem.betas, -1.0, options={"h": 1e-9})
    columns = _run(policy, problem, stream)
    assert columns["filter_exclusion"] == pytest.approx(1.0)
    assert columns["forced_error_ratio"] > 1  # event A fails, as it must for the filter to drop an optimal arm


def test_the_share_counts_arrivals_after_b0_at_the_instances_asked(problem_and_stream):
    problem, stream = problem_and_stream
    policy = _ForcedFit(problem.betas, -1.0, options={"h": 1e-9})
    simulate(policy, problem, stream, replicate_rng(0, "diag-policy"))
    policy.filter_kept_[:] = True
    after = np.flatnonzero(np.arange(stream.T) >= policy.b0_)
    at_zero = after[stream.Z[after] == 0]
    policy.filter_kept_[at_zero, stream.optimal_arms()[at_zero]] = False  # drop it at instance 0 only
    share_zero = filter_exclusion(policy, stream, instances=[0])
    share_all = filter_exclusion(policy, stream)
    assert share_zero == 1.0
    assert share_all == pytest.approx(len(at_zero) / len(after))


def test_policies_without_the_filter_give_nan(problem_and_stream):
    problem, stream = problem_and_stream
    policy = OLSBandit()
    simulate(policy, problem, stream, replicate_rng(0, "diag-policy"))
    assert np.isnan(filter_exclusion(policy, stream)) and np.isnan(forced_error_ratio(policy, problem)[0])


def test_practical_rmbandit_records_a_filter_that_keeps_the_optimal_arm_mostly(problem_and_stream):
    problem, stream = problem_and_stream
    policy = RMBandit(options={"h": 2.0})
    columns = _run(policy, problem, stream)
    assert 0.0 <= columns["filter_exclusion"] < 0.05
    kept = policy.filter_kept_[policy.b0_ :]
    assert kept.any(axis=1).all()  # the filter keeps at least the best forced-sample arm
