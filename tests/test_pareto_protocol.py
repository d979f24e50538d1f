"""Paper 004 policies as online agents: compiled play = protocol loop, online decisions, privileged oracle."""

import dataclasses

import numpy as np
import pytest

from banditlab.agents import simulate
from banditlab.pareto import Cone, kernels
from banditlab.pareto.env import ParetoBanditEnv, ReplicateDraw
from banditlab.pareto.experiments import compute_truth
from banditlab.pareto.policies import (
    AdaptiveTreePolicy,
    FixedPartitionPolicy,
    OraclePolicy,
    ScalarizedUCBPolicy,
    UniformRandomPolicy,
)
from banditlab.pareto.protocol import replicate, run_policy
from banditlab.testing import reference_scalarized_ucb, reference_tree

ORTHANT = Cone.orthant(2)
FIELDS = ("arms", "support", "depth", "n_leaves", "forced")

POLICIES = {
    "tree": lambda: AdaptiveTreePolicy(),
    "tree_c1_small": lambda: AdaptiveTreePolicy(c1=0.1),
    "tree_printed_parent": lambda: AdaptiveTreePolicy(c1=0.5, elimination="printed", inherit="parent"),
    "tree_confident_none": lambda: AdaptiveTreePolicy(
        c1=0.2, elimination="confident", inherit="none", split_on="min_active", beta=0.5
    ),
    "tree_played_arm": lambda: AdaptiveTreePolicy(c1=0.2, split_on="played_arm"),
    "fixed": lambda: FixedPartitionPolicy(depth=2, c1=0.1),
    "fixed_printed": lambda: FixedPartitionPolicy(depth=3, c1=0.1, elimination="printed"),
    "ucb": lambda: ScalarizedUCBPolicy(depth=2),
    "ucb_weighted": lambda: ScalarizedUCBPolicy(weights=[0.3, 0.7], depth=1, bonus=0.5),
    "uniform": lambda: UniformRandomPolicy(),
    "oracle": lambda: OraclePolicy(),
}

# (K, nu, dim, T, t_p, seed): Appendix H draws, and one noisy constant-means draw where every rule eliminates
DRAWS = [(4, 1.0, 1, 2500, 500, 1), (6, 3.0, 1, 2000, 300, 2), (3, 0.0, 2, 2000, 400, 3), ("easy", 0, 1, 3000, 10, 4)]
EASY = 3 * np.asarray([(1.0, 0.3), (0.3, 1.0), (0.7, 0.7), (0.2, 0.2), (0.5, 0.4)])


def make_draw(K, nu, dim, T, t_p, seed):
    rng = np.random.default_rng(seed)
    if K == "easy":
        return ReplicateDraw(
            contexts=rng.random((T, dim)),
            means=np.broadcast_to(EASY, (T, *EASY.shape)).copy(),
            noise=rng.standard_normal((T, *EASY.shape)),
            uniform=rng.random(T),
            t_p=t_p,
            sigma=0.3,
            lipschitz=0.0,
        )
    return ParetoBanditEnv.appendix_h(n_arms=K, nu=nu, t_p=t_p, dim=dim).draw(T, rng)


def run(policy, draw, compiled=True):
    pareto = compute_truth(draw.means, ORTHANT, 1.0, rows=slice(draw.t_p, None)).pareto
    return run_policy(policy, *replicate(draw, ORTHANT), pareto=pareto, compiled=compiled)


def assert_same(a, b, rounds=slice(None)):
    for field in FIELDS:
        x, y = getattr(a, field), getattr(b, field)
        if x is None or y is None:
            assert x is None and y is None, field
        else:
            np.testing.assert_array_equal(x[rounds], y[rounds], err_msg=field)


@pytest.mark.parametrize("draw_args", DRAWS, ids=lambda a: f"K{a[0]}_nu{a[1]}_D{a[2]}")
@pytest.mark.parametrize("name", list(POLICIES))
def test_compiled_play_equals_the_protocol_loop(name, draw_args):
    draw = make_draw(*draw_args)
    compiled = run(POLICIES[name](), draw, compiled=True)
    loop = run(POLICIES[name](), draw, compiled=False)
    assert_same(compiled, loop)
    # simulate's arms (the runner's record) are the policy's own record
    policy = POLICIES[name]()
    spec, stream = replicate(draw, ORTHANT)
    if policy.needs_pareto:
        spec = dataclasses.replace(spec, pareto=compute_truth(draw.means, ORTHANT, 1.0).pareto)
    arms = simulate(policy, spec, stream, np.random.default_rng(0))
    np.testing.assert_array_equal(arms, compiled.arms)
    if draw_args[0] == "easy" and name.startswith(("tree_", "fixed")):
        assert loop.support.sum(axis=1)[~loop.forced].min() < 5  # the comparison covers eliminations


def test_growing_the_tree_changes_nothing(monkeypatch):
    draw = make_draw(3, 0.0, 2, 4000, 400, 5)
    policy = AdaptiveTreePolicy(c1=0.1, beta=0.5)
    roomy = run(policy, draw)
    assert roomy.n_leaves[-1] > 3 * 2 + 1  # more than two splits: the tight tree below grows
    monkeypatch.setattr(kernels, "INITIAL_SPLITS", 1)
    assert_same(run(policy, draw, compiled=True), roomy)
    assert_same(run(policy, draw, compiled=False), roomy)


def _perturbed(draw, arms, cut, seed):
    """``draw`` with new rewards for every arm not pulled at rounds < cut and for every arm from ``cut`` on."""
    rng = np.random.default_rng(seed)
    means, noise = draw.means.copy(), draw.noise.copy()
    hidden = np.ones(means.shape[:2], bool)
    hidden[np.arange(cut), arms[:cut]] = False
    means[hidden] = rng.random((hidden.sum(), means.shape[2]))
    noise[hidden] = rng.standard_normal((hidden.sum(), means.shape[2]))
    return ReplicateDraw(draw.contexts, means, noise, draw.uniform, draw.t_p, draw.sigma, draw.lipschitz)


@pytest.mark.parametrize("compiled", [True, False], ids=["play", "protocol"])
@pytest.mark.parametrize("name", list(POLICIES))
def test_decisions_use_only_past_rewards_of_pulled_arms(name, compiled):
    draw = make_draw("easy", 0, 1, 3000, 10, 6)
    pareto = compute_truth(draw.means, ORTHANT, 1.0).pareto  # the oracle's input stays the original truth
    before = run_policy(POLICIES[name](), *replicate(draw), pareto=pareto, compiled=compiled)
    for cut in (900, 2999):
        other = _perturbed(draw, before.arms, cut, seed=cut)
        after = run_policy(POLICIES[name](), *replicate(other), pareto=pareto, compiled=compiled)
        assert_same(before, after, slice(0, cut + 1))  # round cut is decided before its reward
        np.testing.assert_array_equal(before.n_leaves[:cut], after.n_leaves[:cut])
    free = slice(None) if before.forced is None else ~before.forced  # rounds after the round robin
    learned = name.startswith("ucb") or (name != "oracle" and before.support[free].sum(axis=1).min() < draw.n_arms)
    if learned:  # the test has power: where the rewards drive decisions, new rewards change later play
        changed = _perturbed(draw, before.arms, 300, seed=7)  # from inside the round robin (412 rounds)
        later = run_policy(POLICIES[name](), *replicate(changed), pareto=pareto, compiled=compiled)
        assert not (np.array_equal(before.arms, later.arms) and np.array_equal(before.support, later.support))


def test_the_truth_reaches_the_oracle_only():
    draw = make_draw(4, 1.0, 1, 600, 100, 8)
    pareto = compute_truth(draw.means, ORTHANT, 1.0).pareto
    seen = {}

    class Spy(AdaptiveTreePolicy):
        def reset(self, spec, horizon, rng):
            seen["spec"] = spec
            super().reset(spec, horizon, rng)

    run_policy(Spy(), *replicate(draw), pareto=pareto)
    assert seen["spec"].pareto is None
    assert not any(
        isinstance(v, np.ndarray) and v.shape[:2] == draw.means.shape[:2] for v in vars(seen["spec"]).values()
    )
    assert set(vars(seen["spec"])) == {"n_arms", "n_objectives", "dim", "inequalities", "lipschitz", "sigma", "pareto"}
    oracle = OraclePolicy()
    run_policy(oracle, *replicate(draw), pareto=pareto)
    assert oracle.pareto_ is not None and np.array_equal(oracle.pareto_, pareto)
    with pytest.raises(ValueError, match="Pareto mask"):
        run_policy(OraclePolicy(), *replicate(draw))


def test_learning_policies_act_one_round_at_a_time():
    draw = make_draw(4, 1.0, 1, 600, 100, 9)
    spec, stream = replicate(draw)
    for policy in (AdaptiveTreePolicy(), ScalarizedUCBPolicy()):
        policy.reset(spec, stream.T, np.random.default_rng(0))
        assert policy.next_stop(7) == 8
        with pytest.raises(ValueError, match="one round at a time"):
            policy.act(0, *stream.contexts(0, 2))
        with pytest.raises(ValueError, match="rounds"):
            policy.play(replicate(make_draw(4, 1.0, 1, 500, 100, 9))[1])


def test_stream_reveals_pulled_rewards_as_the_draw_defines_them():
    draw = make_draw(4, 1.0, 1, 600, 100, 10)
    _, stream = replicate(draw)
    arms = np.random.default_rng(0).integers(0, 4, 600)
    np.testing.assert_array_equal(stream.rewards(0, arms), draw.rewards(arms))
    np.testing.assert_array_equal(stream.rewards(100, arms[100:250]), draw.rewards(arms)[100:250])
    X, U = stream.contexts(10, 20)
    np.testing.assert_array_equal(X, draw.contexts[10:20])
    np.testing.assert_array_equal(U, draw.uniform[10:20])


@pytest.mark.parametrize("draw_args", DRAWS[:3], ids=lambda a: f"K{a[0]}_nu{a[1]}_D{a[2]}")
def test_scalarized_ucb_matches_reference_loop(draw_args):
    draw = make_draw(*draw_args)
    for policy in (ScalarizedUCBPolicy(depth=2), ScalarizedUCBPolicy(weights=[0.3, 0.7], depth=1, bonus=0.5)):
        spec, stream = replicate(draw)
        np.testing.assert_array_equal(
            run_policy(policy, spec, stream).arms, reference_scalarized_ucb(policy, spec, stream)
        )


def test_reference_tree_reads_only_the_stream():
    """The reference loop sees the same observations as the policies: its trajectory is that of play."""
    draw = make_draw(6, 3.0, 1, 2000, 300, 2)
    policy = AdaptiveTreePolicy(c1=0.1)
    assert_same(reference_tree(policy, *replicate(draw)), run(policy, draw))
