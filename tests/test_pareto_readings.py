"""Readings of Algorithm 1 (paper 004) as options of the tree policy: the compiled kernel and the plain-Python
reference agree under every new option, the default trajectories are unchanged, and each option does what its line
says."""

import math

import numpy as np
import pytest
from pareto_draws import constant_draw

from banditlab.pareto.env import ParetoBanditEnv
from banditlab.pareto.policies import AdaptiveTreePolicy
from banditlab.pareto.protocol import replicate, run_policy
from banditlab.pareto.readings import check_readings, lemma2_c2, reading_params
from banditlab.testing import reference_tree

EASY = [(1.0, 0.3), (0.3, 1.0), (0.7, 0.7), (0.2, 0.2), (0.5, 0.4)]  # Pareto: arms 0, 1, 2


@pytest.fixture(scope="module")
def appendix_draw():
    return ParetoBanditEnv.appendix_h(n_arms=6, nu=2.0, t_p=800).draw(4000, np.random.default_rng(11))


NEW_VARIANTS = {
    "front_printed": dict(c1="proof", elimination="printed", play_from="front"),
    "front_lemma5": dict(c1=0.1, play_from="front"),
    "front_parent": dict(c1=0.2, elimination="confident", play_from="front", inherit="parent"),
    "bias_split": dict(c1=0.5, split_test="bias", elimination="printed"),
    "bias_split_big_c1": dict(c1=3.0, split_test="bias", c2="lemma2"),
    "lemma2_c2": dict(c1=0.1, c2="lemma2", play_from="front", split_test="bias"),
}


@pytest.mark.parametrize("name", list(NEW_VARIANTS))
@pytest.mark.parametrize("instance", ["appendix_h", "easy_noisy"])
def test_new_options_compiled_kernel_matches_reference(name, instance, appendix_draw):
    """Every field of the trajectory and every diagnostic (active sets, counts, confidence boxes) agree exactly."""
    draw = appendix_draw if instance == "appendix_h" else constant_draw(3 * np.asarray(EASY), 4000, sigma=0.3, seed=4)
    policy = AdaptiveTreePolicy(**NEW_VARIANTS[name], record_boxes=True)
    spec, stream = replicate(draw)
    fast = run_policy(policy, spec, stream)
    fast_diag = policy.diagnostics()
    slow, slow_diag = reference_tree(policy, spec, stream, diagnostics=True)
    for field in ("arms", "support", "depth", "n_leaves", "forced"):
        np.testing.assert_array_equal(getattr(fast, field), getattr(slow, field), err_msg=field)
    for key in ("active", "bin_count", "min_count", "boxes"):
        np.testing.assert_array_equal(fast_diag[key], slow_diag[key], err_msg=key)
    assert (fast_diag["c1"], fast_diag["c2"]) == (slow_diag["c1"], slow_diag["c2"])
    rounds = ~fast.forced
    assert (fast.support[rounds] <= fast_diag["active"][rounds]).all()  # line 12 plays inside A
    if policy.play_from == "front" and instance == "appendix_h":  # rounds where P_hat is smaller than A
        assert (fast.support[rounds].sum(axis=1) < fast_diag["active"][rounds].sum(axis=1)).any()
    if instance == "easy_noisy" and policy.elimination != "lemma5":
        assert fast_diag["active"][rounds].sum(axis=1).min() < 5  # and rounds after an elimination


def test_protocol_loop_matches_compiled_play_under_the_new_options(appendix_draw):
    policy = AdaptiveTreePolicy(**NEW_VARIANTS["lemma2_c2"])
    spec, stream = replicate(appendix_draw)
    compiled = run_policy(policy, spec, stream)
    looped = run_policy(AdaptiveTreePolicy(**NEW_VARIANTS["lemma2_c2"]), spec, stream, compiled=False)
    np.testing.assert_array_equal(compiled.arms, looped.arms)
    np.testing.assert_array_equal(compiled.support, looped.support)


def test_explicit_defaults_change_nothing(appendix_draw):
    """play_from="active", split_test="width", c2="printed" are the default trajectory, bit for bit."""
    spec, stream = replicate(appendix_draw)
    default = run_policy(AdaptiveTreePolicy(), spec, stream)
    explicit = run_policy(
        AdaptiveTreePolicy(play_from="active", split_test="width", c2="printed", c1="lipschitz"), spec, stream
    )
    for field in ("arms", "support", "depth", "n_leaves"):
        np.testing.assert_array_equal(getattr(default, field), getattr(explicit, field))


def test_play_from_front_plays_the_ucb_front_only():
    """Line 10 recomputed from the recorded boxes: at every round after the round robin whose active arms all have a
    sample, the support is exactly the active arms whose UCB vector (``mu_hat + ubar``) no other active arm's strictly
    dominates; the played arm is in it. (P_hat can leave out a Pareto arm: a less-sampled arm's optimism may dominate
    it, which is why the text's reading misses Pareto arms.)"""
    draw = constant_draw(EASY, 6000, sigma=0.5)
    policy = AdaptiveTreePolicy(c1=0.0, play_from="front", record_boxes=True)
    traj = run_policy(policy, *replicate(draw))
    diag = policy.diagnostics()
    ucb = diag["boxes"][..., :2] + diag["boxes"][..., 2:]
    checked = 0
    for t in np.flatnonzero(~traj.forced):
        active = np.flatnonzero(diag["active"][t])
        if np.isnan(ucb[t, active]).any():
            continue
        front = [not any(np.all(ucb[t, j] > ucb[t, k]) for j in active if j != k) for k in active]
        np.testing.assert_array_equal(np.flatnonzero(traj.support[t]), active[np.asarray(front)])
        checked += 1
    assert checked > 5000 and traj.support[np.arange(6000), traj.arms].all()
    assert (traj.support[~traj.forced].sum(axis=1) < diag["active"][~traj.forced].sum(axis=1)).any()


def test_split_test_bias_splits_when_the_sampling_error_meets_c1_v_h():
    """Line 14 against c1 V_h^beta: a level-1 child splits once its count exceeds split_const / (c1 / 2)^2; with
    c1 = 2 that is split_const (the printed test waits for 4 split_const)."""
    horizon = 6000
    draw = constant_draw(EASY, horizon, sigma=1.0)
    for c1, factor in ((2.0, 1.0), (1.0, 4.0)):
        policy = AdaptiveTreePolicy(c1=c1, split_test="bias")
        split_const = policy.constants(5, 2, horizon)["split_const"]
        traj = run_policy(policy, *replicate(draw))
        second = int(np.argmax(traj.n_leaves > 2)) + 1
        half = draw.contexts[:second, 0] >= 0.5
        in_child = np.count_nonzero(half == half[-1])
        assert in_child == math.floor(factor * split_const) + 1, (c1, in_child, split_const)
    never = run_policy(AdaptiveTreePolicy(c1=0.0, split_test="bias"), *replicate(draw))
    assert never.n_leaves[-1] == 1  # c1 V_h = 0: the sampling error never falls below it


def test_named_constants_resolve_from_the_paper():
    spec, _ = replicate(ParetoBanditEnv.appendix_h(n_arms=5, nu=1.0, t_p=100).draw(500, np.random.default_rng(0)))
    assert AdaptiveTreePolicy(c1="proof").bias_constant(spec) == 1.0
    assert AdaptiveTreePolicy(c1="lipschitz").bias_constant(spec) == 4.0 == AdaptiveTreePolicy().bias_constant(spec)
    assert AdaptiveTreePolicy(c2="printed").confidence_constant(spec, 500) == 1.0
    expected = spec.sigma * math.sqrt(2 * math.log(2 * 10 * 500) / math.log(10 * 500))
    assert AdaptiveTreePolicy(c2="lemma2").confidence_constant(spec, 500) == pytest.approx(expected, rel=1e-12)
    assert lemma2_c2(1.0, 5, 2, 1 / 50_000) == pytest.approx(1.4511, abs=1e-4)  # the "about 1.45"
    assert lemma2_c2(2.0, 5, 2, 1 / 50_000) == pytest.approx(2 * lemma2_c2(1.0, 5, 2, 1 / 50_000))


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"play_from": "hat"}, "play_from"),
        ({"split_test": "c1"}, "split_test"),
        ({"c2": "union"}, "c2"),
        ({"c1": "paper"}, "c1"),
        ({"record_boxes": 1}, "record_boxes"),
    ],
)
def test_bad_new_options_are_refused_by_name(kwargs, name):
    with pytest.raises(ValueError, match=name):
        AdaptiveTreePolicy(**kwargs)


def test_readings_are_validated_with_the_field_and_what_is_allowed():
    check_readings({"sound": {"elimination": "lemma5", "c1": "lipschitz", "c2": "lemma2"}, "x": {"c1": 0.5}})
    for readings, message in (
        ({"sound": {"line11": "lemma5"}}, "pareto.readings.sound.line11: not an option"),
        ({"sound": {"c2": 0.0}}, r"pareto.readings.sound.c2 = 0.0: allowed: a number in \(0, 1e6\]"),
        ({"sound": {"play_from": "hat"}}, r"pareto.readings.sound.play_from = 'hat': allowed: one of"),
        ({"grid": {}}, "not 'grid'"),
        ({}, "must map reading names"),
    ):
        with pytest.raises(ValueError, match=message):
            check_readings(readings)
    assert reading_params({"beta": 1.0, "c2": 1.0}, {"c2": "lemma2"}) == {"beta": 1.0, "c2": "lemma2"}


def test_lemma2_premises_survive_the_results_tables_rounding():
    """The sound reading's constants are read back from CSV at 10 significant digits: still inside the premises;
    a c2 one part in a thousand short, or the printed instance, is outside."""
    from banditlab.io import FLOAT_FORMAT
    from banditlab.pareto.env import appendix_h_lipschitz
    from banditlab.pareto.readings import lemma2_premises
    from banditlab.verdicts import PREMISES_MET, premise_status

    needed, lipschitz = lemma2_c2(1.0, 5, 2, 1 / 3000), appendix_h_lipschitz(0.05)
    rounded = {"c1": float(FLOAT_FORMAT % lipschitz), "c2": float(FLOAT_FORMAT % needed)}
    params = {"instance": "ramped", "lipschitz": lipschitz, "sigma": 1.0, "K": 5, "T": 3000, **rounded}
    assert premise_status(lemma2_premises(params)) == PREMISES_MET
    short = premise_status(lemma2_premises({**params, "c2": needed * 0.999}))
    assert short.startswith(
        f"c2 >= sigma sqrt(2 log(2KM/delta) / log(KM/delta)): c2 = {needed * 0.999:.4g} vs {needed:.4g}"
    )
    printed = premise_status(lemma2_premises({**params, "instance": "printed", "lipschitz": 4.0, "c1": 4.0}))
    assert printed.startswith("Assumption 1 on the instance: mu^(2) jumps by 1")
