"""Policies of paper 004 (Algorithm 1 and baselines), regret (2) and determinism."""

import math

import numpy as np
import pandas as pd
import pytest
from pareto_draws import constant_draw

from banditlab.pareto import Cone, pareto_gap, pareto_set, preference_distance
from banditlab.pareto.env import ParetoBanditEnv, ReplicateDraw
from banditlab.pareto.experiments import compute_truth, regret_metrics
from banditlab.pareto.policies import (
    AdaptiveTreePolicy,
    FixedPartitionPolicy,
    OraclePolicy,
    ScalarizedUCBPolicy,
    UniformRandomPolicy,
    make_policy,
)
from banditlab.pareto.protocol import Trajectory, cone_inequalities, replicate, run_policy
from banditlab.runner import run_config_point
from banditlab.testing import reference_tree

ORTHANT = Cone.orthant(2)
C3 = Cone.from_generators([[1.0, 0.6], [0.6, 1.0]])


def play(policy, draw, cone=None, truth=None):
    """The policy's trajectory on ``draw`` (compiled play; the oracle gets the truth's Pareto mask)."""
    return run_policy(policy, *replicate(draw, cone), pareto=None if truth is None else truth.pareto)


def reference(policy, draw, cone=None):
    return reference_tree(policy, *replicate(draw, cone))


EASY = [(1.0, 0.3), (0.3, 1.0), (0.7, 0.7), (0.2, 0.2), (0.5, 0.4)]  # Pareto: arms 0, 1, 2


@pytest.fixture(scope="module")
def appendix_draw():
    env = ParetoBanditEnv.appendix_h(n_arms=6, nu=2.0, t_p=800)
    return env.draw(4000, np.random.default_rng(11))


def test_round_robin_phase_length():
    policy = AdaptiveTreePolicy()
    draw = constant_draw(EASY, 3000, sigma=1.0)
    const = policy.constants(5, 2, 3000)
    assert const["rr_threshold"] == pytest.approx(8 * 5 * math.log(5 * 2 * 3000))
    traj = play(policy, draw)
    n_rr = math.ceil(const["rr_threshold"]) - 1  # rounds t = 1 .. n_rr satisfy t < 8K log(KL/delta)
    t = np.arange(1, n_rr + 1)
    np.testing.assert_array_equal(traj.arms[:n_rr], t % 5)
    assert (traj.support[:n_rr].sum(axis=1) == 1).all()
    assert (traj.depth[:n_rr] == 0).all()
    assert traj.support[n_rr].sum() > 1  # round n_rr + 1 plays from the active set


def test_split_rule_bin_count():
    policy = AdaptiveTreePolicy(split_on="bin", beta=1.0)
    horizon = 6000
    draw = constant_draw(EASY, horizon, sigma=1.0)
    split_const = policy.constants(5, 2, horizon)["split_const"]
    traj = play(policy, draw)
    first = int(np.argmax(traj.n_leaves > 1)) + 1  # round of the first split
    # root sees every context: it splits after the first round t with sqrt(c / t) < V_0 = 1
    assert first == math.floor(split_const) + 1
    assert traj.n_leaves[first - 1] == 2 and traj.n_leaves[first - 2] == 1
    assert traj.depth[first] == 1
    # eqs. (3)-(4), inherit="bin": a level-1 child counts exactly the rounds whose context lies in it
    # (those seen by the root included) and splits at the first round its count exceeds c / V_1^2 = 4c
    second = int(np.argmax(traj.n_leaves > 2)) + 1
    assert traj.depth[second - 1] == 1
    half = draw.contexts[:second, 0] >= 0.5  # rounds 1..second
    child = half[-1]  # the leaf of round `second`
    in_child = np.flatnonzero(half == child) + 1  # rounds 1..second whose context is in that child
    assert in_child.size == math.floor(4 * split_const) + 1 and in_child[-1] == second
    other = np.count_nonzero(half != child)
    assert other <= 4 * split_const  # the sibling has not split yet


def test_inherit_parent_copies_the_sibling_half():
    """inherit="parent" (the earlier default): a child starts with all the parent's rounds."""
    horizon = 6000
    draw = constant_draw(EASY, horizon, sigma=1.0)
    split_const = AdaptiveTreePolicy().constants(5, 2, horizon)["split_const"]
    traj = play(AdaptiveTreePolicy(inherit="parent"), draw)
    first = int(np.argmax(traj.n_leaves > 1)) + 1
    second = int(np.argmax(traj.n_leaves > 2)) + 1
    child = draw.contexts[second - 1, 0] >= 0.5
    own = np.count_nonzero((draw.contexts[first:second, 0] >= 0.5) == child)  # rounds first+1..second
    assert first + own == math.floor(4 * split_const) + 1  # the root's rounds all counted


def test_split_rule_options_differ():
    draw = constant_draw(EASY, 6000, sigma=1.0)
    bin_leaves = play(AdaptiveTreePolicy(split_on="bin"), draw).n_leaves
    arm_leaves = play(AdaptiveTreePolicy(split_on="played_arm"), draw).n_leaves
    assert bin_leaves[-1] >= arm_leaves[-1]
    assert np.argmax(bin_leaves > 1) < np.argmax(arm_leaves > 1) or arm_leaves[-1] == 1


@pytest.mark.parametrize("elimination", ["lemma5", "printed", "confident"])
@pytest.mark.parametrize("cone", [None, C3.generators])
def test_elimination_keeps_pareto_arms_noiseless(elimination, cone):
    draw = constant_draw(EASY, 20000, sigma=0.0)
    pareto = pareto_set(np.asarray(EASY), ORTHANT if cone is None else C3)
    policy = AdaptiveTreePolicy(c1=0.0, elimination=elimination)
    traj = play(policy, draw, cone)
    n_rr = math.ceil(policy.constants(5, 2, 20000)["rr_threshold"]) - 1  # singleton supports before
    assert traj.support[n_rr:, pareto].all()
    # and it does eliminate: the dominated arms are gone by the end
    if cone is None:
        assert traj.support[-1].sum() == len(pareto)


TREE_VARIANTS = {
    "default": AdaptiveTreePolicy(),
    "min_active": AdaptiveTreePolicy(split_on="min_active", beta=0.5, elimination="confident", inherit="none"),
    "played_arm": AdaptiveTreePolicy(split_on="played_arm", c1=0.2),
    "printed_parent": AdaptiveTreePolicy(c1=1.0, elimination="printed", inherit="parent"),
    "lemma5_bin_c1": AdaptiveTreePolicy(c1=0.1, elimination="lemma5", inherit="bin"),
    "fixed": FixedPartitionPolicy(depth=2),
    "fixed_printed": FixedPartitionPolicy(depth=2, c1=0.1, elimination="printed"),
}


@pytest.mark.parametrize("name", list(TREE_VARIANTS))
@pytest.mark.parametrize("instance", ["appendix_h", "easy_noisy"])
def test_compiled_kernel_matches_reference_loop(name, instance, appendix_draw):
    policy = TREE_VARIANTS[name]
    # easy_noisy: constant means (gaps x3) with noise, where every rule eliminates arms after splits
    draw = appendix_draw if instance == "appendix_h" else constant_draw(3 * np.asarray(EASY), 4000, sigma=0.3, seed=4)
    fast = play(policy, draw)
    slow = reference(policy, draw)
    for field in ("arms", "support", "depth", "n_leaves", "forced"):
        np.testing.assert_array_equal(getattr(fast, field), getattr(slow, field))
    if instance == "easy_noisy":
        assert fast.support.sum(axis=1)[~fast.forced].min() < 5  # the comparison covers eliminations


def test_compiled_kernel_matches_reference_under_a_narrow_cone():
    # the cone-robust test a_r d > width ||a_r||_1 is wider than the orthant's: larger gaps (x5)
    draw = constant_draw(5 * np.asarray(EASY), 8000, sigma=0.1, seed=5)
    for policy in (AdaptiveTreePolicy(c1=0.1), AdaptiveTreePolicy(c1=0.1, elimination="confident")):
        fast, slow = play(policy, draw, C3.generators), reference(policy, draw, C3.generators)
        np.testing.assert_array_equal(fast.support, slow.support)
        assert fast.support.sum(axis=1)[~fast.forced].min() < 5  # eliminations under the cone's rows


def test_two_dimensional_tree_matches_reference():
    env = ParetoBanditEnv.appendix_h(n_arms=4, nu=1.0, t_p=500, dim=2)
    draw = env.draw(3000, np.random.default_rng(5))
    policy = AdaptiveTreePolicy(beta=0.5)
    fast, slow = play(policy, draw), reference(policy, draw)
    np.testing.assert_array_equal(fast.arms, slow.arms)
    assert (fast.n_leaves.max() - 1) % 3 == 0 and fast.n_leaves.max() > 1  # 4 children per split in 2-D


def test_truth_matches_package_functions(appendix_draw):
    truth = compute_truth(appendix_draw.means, ORTHANT, 1.0)
    for t in range(0, 4000, 97):
        np.testing.assert_allclose(truth.gaps[t], pareto_gap(appendix_draw.means[t], ORTHANT, offset=1.0), atol=1e-12)
        assert np.flatnonzero(truth.pareto[t]).tolist() == pareto_set(appendix_draw.means[t], ORTHANT).tolist()


def test_regret_matches_preference_distance(appendix_draw):
    truth = compute_truth(appendix_draw.means, ORTHANT, 1.0, rows=slice(800, None))
    rng = np.random.default_rng(2)
    support = rng.random((4000, 6)) < 0.4
    arms = rng.integers(0, 6, 4000)
    support[np.arange(4000), arms] = True
    traj = Trajectory(arms=arms, support=support, depth=np.zeros(4000, int), n_leaves=np.ones(4000, int))
    reg = regret_metrics(traj, appendix_draw, truth, ORTHANT, 1.0)
    for t in range(800, 4000, 37):
        means = appendix_draw.means[t]
        star = means[pareto_set(means, ORTHANT)]
        s = np.flatnonzero(support[t])
        pi = means[s[pareto_set(means[s], ORTHANT)]]
        assert reg["per_round_support"][t - 800] == pytest.approx(
            preference_distance(pi, star, ORTHANT, offset=1.0), abs=1e-12
        )
        assert reg["per_round_played"][t - 800] == pytest.approx(
            preference_distance(means[[arms[t]]], star, ORTHANT, offset=1.0), abs=1e-12
        )


def test_general_cone_regret_path_matches_orthant_formula_logic():
    env = ParetoBanditEnv.appendix_h(n_arms=4, nu=1.0, t_p=50)
    draw = env.draw(120, np.random.default_rng(9))
    truth = compute_truth(draw.means, C3, 1.0, rows=slice(50, None))
    for t in range(50, 120, 7):
        np.testing.assert_allclose(truth.gaps[t], pareto_gap(draw.means[t], C3, offset=1.0))
    traj = play(UniformRandomPolicy(), draw)
    reg = regret_metrics(traj, draw, truth, C3, 1.0)
    assert (reg["per_round_support"] == 0).all()  # support = all arms contains P*
    np.testing.assert_allclose(reg["per_round_played"], truth.gaps[np.arange(50, 120), traj.arms[50:]])


def test_oracle_regret_exactly_zero(appendix_draw):
    truth = compute_truth(appendix_draw.means, ORTHANT, 1.0, rows=slice(800, None))
    traj = play(OraclePolicy(), appendix_draw, truth=truth)
    reg = regret_metrics(traj, appendix_draw, truth, ORTHANT, 1.0)
    assert reg["per_round_played"].sum() == 0.0
    assert reg["per_round_support"].sum() == 0.0
    assert truth.pareto[np.arange(4000), traj.arms].all()
    # a non-oracle policy pays something on this instance
    rnd = regret_metrics(play(UniformRandomPolicy(), appendix_draw), appendix_draw, truth, ORTHANT, 1.0)
    assert rnd["per_round_played"].sum() > 0


def test_scalarized_ucb_plays_best_weighted_arm_noiseless():
    draw = constant_draw(EASY, 3000, sigma=0.0)
    traj = play(ScalarizedUCBPolicy(depth=0, bonus=0.0), draw)
    assert (traj.arms[5:] == 2).all()  # (0.7, 0.7) has the largest mean of the objectives
    assert (traj.support.sum(axis=1) == 1).all()


def _tiny_cfg():
    return {
        "sigma": 1.0,
        "dim": 1,
        "gap_offset": 1.0,
        "alpha": 0.2,
        "beta_true": 1.0,
        "checkpoints": 4,
        "policies": ["adaptive_tree", "uniform_random", "oracle"],
        "policy_params": {"adaptive_tree": {"c1": 1.0}},
        "experiments": {
            "tp": {"grid": {"t_p": [300], "K": [4], "a": [2.0]}, "T": 1500, "replicates": 2},
            "horizon": {"grid": {"T": [1500], "a": [1.0]}, "t_p": 300, "K": 4, "replicates": 2},
            "nu": {"grid": {"a": [1.0]}, "T": 1500, "t_p": 300, "K": 4, "replicates": 2},
            "shifts": {
                "grid": {"schedule": ["m"]},
                "T": 1500,
                "K": 4,
                "replicates": 2,
                "schedules": {"m": {"exponents": [4.0, 1.0], "change_points": [100, 300]}},
            },
        },
    }


def test_run_point_deterministic_and_seed_sensitive():
    cfg = _tiny_cfg()
    a, b, c = (run_config_point("pareto", cfg, "tp", seed=seed, scale="smoke") for seed in (1, 1, 2))
    pd.testing.assert_frame_equal(a, b)
    reg = lambda f: f[(f.metric == "regret") & (f.policy == "adaptive_tree")]["value"].to_numpy()  # noqa: E731
    assert not np.array_equal(reg(a), reg(c))
    assert (a[(a.policy == "oracle") & a.metric.str.startswith("regret")]["value"] == 0).all()
    assert set(a.columns) >= {"T", "t_p", "K", "a", "policy", "replicate", "seed", "scale", "metric", "value"}


def test_run_point_shifts_experiment():
    frame = run_config_point("pareto", _tiny_cfg(), "shifts", seed=3, scale="smoke")
    assert (frame["t_p"] == 300).all() and (frame["schedule"] == "m").all()


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"delta": 0.0}, "delta"),
        ({"delta": 1.5}, "delta"),
        ({"beta": 0.0}, "beta"),
        ({"beta": 2.0}, "beta"),
        ({"c1": -1.0}, "c1"),
        ({"c2": 0.0}, "c2"),
        ({"L": -1.0}, "L"),
        ({"split_on": "leaf"}, "split_on"),
        ({"elimination": "greedy"}, "elimination"),
        ({"max_depth": -1}, "max_depth"),
        ({"inherit": "yes"}, "inherit"),
        ({"inherit": True}, "inherit"),
        ({"c1": "big"}, "c1"),
    ],
)
def test_bad_tree_hyperparameters(kwargs, name):
    with pytest.raises(ValueError, match=name):
        AdaptiveTreePolicy(**kwargs)


def test_bad_other_hyperparameters():
    with pytest.raises(ValueError, match="depth"):
        FixedPartitionPolicy(depth=0)
    with pytest.raises(ValueError, match="weights"):
        ScalarizedUCBPolicy(weights=[1.0, -1.0])
    with pytest.raises(ValueError, match="policy"):
        make_policy("thompson")
    with pytest.raises(ValueError, match="positive"):
        AdaptiveTreePolicy(L=0.01, delta=0.9).constants(2, 2, 100)
    with pytest.raises(ValueError, match="cone"):
        cone_inequalities(np.eye(3), 2)
    no_constant = ReplicateDraw(**{**constant_draw(EASY, 50).__dict__, "lipschitz": None})
    with pytest.raises(ValueError, match="c1"):
        play(AdaptiveTreePolicy(), no_constant)
    play(AdaptiveTreePolicy(c1=0.5), no_constant)  # an explicit c1 needs no constant from the draw


def test_c1_defaults_to_the_instance_lipschitz_constant(appendix_draw):
    assert appendix_draw.lipschitz == 4.0
    derived = play(AdaptiveTreePolicy(), appendix_draw)
    explicit = play(AdaptiveTreePolicy(c1=4.0), appendix_draw)
    np.testing.assert_array_equal(derived.support, explicit.support)
    easy = constant_draw(3 * np.asarray(EASY), 4000, sigma=0.3, seed=4)  # lipschitz 0
    derived = play(AdaptiveTreePolicy(), easy)
    np.testing.assert_array_equal(derived.support, play(AdaptiveTreePolicy(c1=0.0), easy).support)
    assert not np.array_equal(play(AdaptiveTreePolicy(c1=4.0), easy).support, derived.support)


def test_run_point_records_new_metrics():
    frame = run_config_point("pareto", _tiny_cfg(), "tp", seed=1, scale="smoke")
    whole = frame[frame.t == frame["T"]].pivot_table(index=["policy", "replicate"], columns="metric", values="value")
    assert (whole.loc["adaptive_tree", "c1"] == 1.0).all()  # the config's override
    for metric in ("missing_pareto_share", "missing_pareto_share_lemma5", "regret_support_per_round"):
        assert whole[metric].between(0, 1).all() if "share" in metric else (whole[metric] >= 0).all()
    assert (whole.loc["uniform_random", "missing_pareto_share"] == 0).all()
    assert (whole.loc["oracle", "missing_pareto_share"] == 0).all()
    np.testing.assert_allclose(whole["regret_support_per_round"] * (1500 - 300), whole["regret_support"])
    so_far = frame[frame.metric == "missing_pareto_share_so_far"]
    last = so_far[so_far.t == so_far.t.max()].set_index(["policy", "replicate"])["value"]
    np.testing.assert_allclose(last.sort_index(), whole["missing_pareto_share"].sort_index())
