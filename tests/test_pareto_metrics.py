"""Paper 004's per-replicate measurements beyond regret (2): dominated plays, the dominance-aware gap, the window
after the round robin, and the events of Lemmas 2, 4 and 5, each against a hand computation."""

import math

import numpy as np
import pytest

from banditlab.pareto import Cone
from banditlab.pareto.env import ParetoBanditEnv, appendix_h_means
from banditlab.pareto.experiments import Truth, compute_truth, regret_metrics
from banditlab.pareto.metrics import bin_bounds, lemma2_boxes, lemma4_counts, lemma5_misses, play_metrics
from banditlab.pareto.policies import AdaptiveTreePolicy
from banditlab.pareto.protocol import replicate, run_policy
from banditlab.runner import run_config_point

# arms: 0 = (1, 0.5) and 1 = (0.5, 1) Pareto; 2 = (0.5, 0.5) dominated by both; 3 = (1, 0.25): tied with arm 0 in
# mu^(1), dominated by it, and not strictly dominated by anyone (Definition 7's gap 0)
MEANS = np.array([[1.0, 0.5], [0.5, 1.0], [0.5, 0.5], [1.0, 0.25]])


def test_dominated_share_and_the_weak_gap_by_hand():
    means = np.broadcast_to(MEANS, (4, 4, 2)).copy()
    truth = compute_truth(means, Cone.orthant(2), 0.0)
    assert truth.pareto[0].tolist() == [True, True, False, False] and truth.gaps[0, 3] == 0.0  # strict: gap 0
    arms = np.array([0, 1, 2, 3])
    out = play_metrics(arms, truth, np.log(means), 0, comparator=np.array([0, 0, 2, 2]))
    assert out["dominated_share"] == 0.5
    # arm 2: min over Pareto q of max_m log(q_m / 0.5) = log 2 (both); arm 3: to cover arm 0, log(0.5 / 0.25) = log 2
    assert out["weak_gap"] == pytest.approx((0 + 0 + math.log(2) + math.log(2)) / 4)
    assert out["same_arm_share"] == 0.5
    assert play_metrics(arms, truth, np.log(means[2:]), 2)["dominated_share"] == 1.0  # the window starts at round 2


def test_the_weak_gap_is_zero_exactly_on_the_pareto_set_of_appendix_h():
    s = np.linspace(0, 1, 201)[:-1]
    means = appendix_h_means(s, 10)
    truth = compute_truth(means, Cone.orthant(2), 1.0)
    for arm in range(10):
        gaps = [
            play_metrics(np.full(1, arm), Truth(truth.pareto[[t]], truth.gaps[[t]]), np.log(means[[t]] + 1), 0)
            for t in range(s.size)
        ]
        weak = np.array([g["weak_gap"] for g in gaps])
        assert ((weak == 0) == truth.pareto[:, arm]).all()
    # the strict gap of Definition 7 is 0 for most dominated arms there; the weak gap for none
    dominated = ~truth.pareto
    assert (truth.gaps[dominated] == 0).mean() > 0.5


def _tiny(readings=None, K=10, t_p=200, T=3000):
    block = {
        "sigma": 1.0,
        "dim": 1,
        "gap_offset": 1.0,
        "checkpoints": 3,
        "policies": ["adaptive_tree", "uniform_random"],
        "policy_params": {"adaptive_tree": {}},
        "experiments": {"tp": {"grid": {"t_p": [t_p], "K": [K], "a": [1.0]}, "T": T, "replicates": 2}},
    }
    if readings is not None:
        block["readings"] = readings
    return block


def test_the_window_leaves_out_the_round_robin_rounds_after_t_p():
    """K = 10, t_p = 200: the round robin lasts 8K log(KM T) ~ 816 rounds; the per-round metrics are over
    t > 816, for every policy, and the round-robin rounds after t_p are counted apart."""
    frame = run_config_point("pareto", _tiny(), "tp", seed=2, scale="smoke")
    whole = frame[frame.t == frame["T"]].pivot_table(index=["policy", "replicate"], columns="metric", values="value")
    n_rr = math.ceil(AdaptiveTreePolicy().constants(10, 2, 3000)["rr_threshold"]) - 1
    assert n_rr > 200
    assert (whole["window_rounds"] == 3000 - n_rr).all() and (whole["round_robin_after_tp"] == n_rr - 200).all()
    # by hand for the tree on replicate 0: the played-arm gaps of the window only
    env = ParetoBanditEnv.appendix_h(n_arms=10, nu=1.0, t_p=200)
    from banditlab.runner import Replicate

    draw = env.draw(3000, Replicate(2, "pareto", "tp", frame["point"].iloc[0], 0).rng)
    truth = compute_truth(draw.means, Cone.orthant(2), 1.0, rows=slice(200, 3000))
    traj = run_policy(AdaptiveTreePolicy(), *replicate(draw))
    played = regret_metrics(traj, draw, truth, Cone.orthant(2), 1.0)["per_round_played"]
    tree = whole.loc[("adaptive_tree", 0)]
    assert tree["regret_per_round"] == pytest.approx(played[n_rr - 200 :].mean(), rel=1e-12)
    assert tree["regret_round_robin"] == pytest.approx(played[: n_rr - 200].sum(), rel=1e-12)
    assert tree["regret"] == pytest.approx(played.sum(), rel=1e-12)


def test_the_tree_runs_once_per_reading():
    readings = {"a": {"c1": "proof", "elimination": "printed"}, "b": {"c2": "lemma2"}}
    frame = run_config_point("pareto", _tiny(readings, K=5), "tp", seed=1, scale="smoke")
    assert sorted(frame.loc[frame.policy == "adaptive_tree", "reading"].unique()) == ["a", "b"]
    assert set(frame.loc[frame.policy == "uniform_random", "reading"]) == {"-"}
    whole = frame[frame.t == frame["T"]].pivot_table(index=["reading", "replicate"], columns="metric", values="value")
    assert (whole.loc["a", "c1"] == 1.0).all() and (whole.loc["b", "c1"] == 4.0).all()
    assert whole.loc["b", "c2"].iloc[0] == pytest.approx(math.sqrt(2 * math.log(2 * 10 * 3000) / math.log(10 * 3000)))
    assert (whole.loc["-", "same_arm_share"] == 1.0).all()  # uniform random against itself
    assert (whole.loc["b", "mean_active"] == 5).all() and (whole.loc["b", "same_arm_share"] == 1.0).all()
    with pytest.raises(ValueError, match="pareto.readings.a.c1"):
        run_config_point("pareto", _tiny({"a": {"c1": -1.0}}), "tp", seed=1, scale="smoke")


def test_lemma5_misses_split_by_bins_on_a_jump():
    """Two rounds after a round robin of one: a miss in the bin [0.5, 0.75) (it holds the jump at 0.625) and none
    in [0, 0.5); then a miss in [0, 0.5) only."""
    pareto = np.array([[True, True], [True, True], [True, False]])
    contexts = np.array([[0.1], [0.6], [0.2]])
    depth = np.array([0, 2, 1])
    active = np.array([[True, False], [True, False], [True, True]])
    out = lemma5_misses(active, pareto, 1, contexts, depth)
    assert out["lemma5_missed"] == 1 and out["lemma5_missed_straddling"] == 1 and out["lemma5_missed_elsewhere"] == 0
    assert out["lemma5_miss_share"] == 0.5 and out["mean_active"] == 1.5
    active[1] = True
    active[2] = [False, True]
    out = lemma5_misses(active, pareto, 1, contexts, depth)
    assert (out["lemma5_missed_straddling"], out["lemma5_missed_elsewhere"]) == (0, 1)
    assert lemma5_misses(active, pareto, 3, contexts, depth)["lemma5_missed"] == 0  # only round-robin rounds


def test_lemma2_boxes_miss_when_a_mean_of_the_bin_leaves_them():
    """One round, bin [0.5, 0.75) of K = 2 arms: mu^(1)_2 spans [0, 0.5] there (4-Lipschitz) and mu^(2)_2 jumps
    from 1 to 0 at 0.625. A box centred on each range, as wide as half of it, holds every mean; narrower boxes
    miss, and the bias term (c1 V_h = 4 x 0.25) is what makes the wide one hold."""
    contexts, depth = np.array([[0.55]]), np.array([2])
    s_low, s_high = bin_bounds(contexts, depth)
    from banditlab.pareto.env import mean_range

    low, high = mean_range(s_low, s_high, 2)
    centre, half = (low + high) / 2, ((high - low) / 2).max(axis=2) * (1 + 1e-12)
    boxes = np.concatenate([centre, half[..., None]], axis=2)
    held = lemma2_boxes(boxes, contexts, depth, 0, c1=4.0, beta=1.0)
    assert held["lemma2_missed"] == 0 and held["lemma2_boxes"] == 2 and held["lemma2_missed_without_bias"] == 1
    assert half[0, 1] == pytest.approx(0.5)  # the jump: arm 2's mu^(2) spans [0, 1]
    boxes[0, 1, 2] = 0.49
    missed = lemma2_boxes(boxes, contexts, depth, 0, c1=0.0, beta=1.0)
    assert missed["lemma2_missed"] == 1 and missed["lemma2_miss_share"] == 0.5
    assert missed["lemma2_miss_share_straddling"] == 0.5  # the bin holds the jump at 0.625
    boxes[0, 0] = np.nan  # no box for arm 1 (inactive, or no sample)
    assert lemma2_boxes(boxes, contexts, depth, 0, c1=0.0, beta=1.0)["lemma2_boxes"] == 1


def test_lemma4_counts_against_n_over_4k():
    bin_count = np.array([-1, 40, 40, 80])
    min_count = np.array([-1, 5, 2, 20])  # n / (4K) with K = 2: 5, 5, 10
    out = lemma4_counts(bin_count, min_count, 1, 2)
    assert out["lemma4_missed"] == 1 and out["lemma4_miss_share"] == pytest.approx(1 / 3)
    assert out["lemma4_min_ratio"] == pytest.approx(0.4) and out["lemma4_missed_n_over_k"] == 1
    assert lemma4_counts(bin_count, np.array([-1, 20, 20, 40]), 1, 2)["lemma4_missed_n_over_k"] == 0
