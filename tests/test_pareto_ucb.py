"""Pareto UCB1 per bin (banditlab.pareto.pareto_ucb): the compiled kernel, the protocol loop and the plain-Python
reference make the same decisions; the estimated front is the cone's Pareto set once the means are known; it learns."""

import math
import types

import numpy as np
import pytest
from pareto_draws import constant_draw

from banditlab.pareto import Cone, pareto_set
from banditlab.pareto.appendix_b import ARM_MEANS, C3_GENERATORS
from banditlab.pareto.env import ParetoBanditEnv
from banditlab.pareto.pareto_ucb import ParetoUCBPolicy
from banditlab.pareto.policies import POLICIES, UniformRandomPolicy, make_policy
from banditlab.pareto.protocol import replicate, run_policy
from banditlab.testing import reference_pareto_ucb

ORTHANT, C3 = Cone.orthant(2), Cone.from_generators(C3_GENERATORS)


def appendix_h(K, nu, dim, T, t_p, seed):
    return ParetoBanditEnv.appendix_h(n_arms=K, nu=nu, t_p=t_p, dim=dim).draw(T, np.random.default_rng(seed))


DRAWS = {
    "K5_nu1": lambda: appendix_h(5, 1.0, 1, 3000, 500, 1),
    "K8_nu3": lambda: appendix_h(8, 3.0, 1, 2500, 300, 2),
    "K4_D2": lambda: appendix_h(4, 0.0, 2, 2000, 400, 3),
    "appendix_b": lambda: constant_draw(ARM_MEANS, 1500, 0.3, 4),
}
SETTINGS = {
    "default": lambda: ParetoUCBPolicy(),
    "coarse": lambda: ParetoUCBPolicy(depth=1, bonus=0.3),
    "one_bin": lambda: ParetoUCBPolicy(depth=0, bonus=2.0),
}


CASES = [
    ("K5_nu1", "default", "orthant"),
    ("K5_nu1", "coarse", "C3"),
    ("K8_nu3", "one_bin", "orthant"),
    ("K4_D2", "default", "C3"),
    ("appendix_b", "coarse", "orthant"),
    ("appendix_b", "default", "C3"),
]


@pytest.mark.parametrize("draw_name,setting,cone_name", CASES, ids=["-".join(case) for case in CASES])
def test_compiled_protocol_and_reference_make_the_same_decisions(draw_name, setting, cone_name):
    draw = DRAWS[draw_name]()
    cone = {"orthant": ORTHANT, "C3": C3}[cone_name]
    spec, stream = replicate(draw, cone)
    compiled = run_policy(SETTINGS[setting](), spec, stream, compiled=True)
    loop = run_policy(SETTINGS[setting](), spec, stream, compiled=False)
    reference = reference_pareto_ucb(SETTINGS[setting](), spec, stream)
    for trajectory in (loop, reference):
        for field in ("arms", "support", "depth", "n_leaves"):
            np.testing.assert_array_equal(getattr(compiled, field), getattr(trajectory, field), err_msg=field)
    assert compiled.forced is None
    sizes = compiled.support.sum(axis=1)
    assert sizes.min() == 1 and sizes.max() > 1  # the comparison covers initialisations and fronts of several arms


def test_the_reference_comparison_has_power(monkeypatch):
    """A reference whose index drops the (D K)^(1/4) plays differently on the same draw: the equality above would
    catch that slip in the kernel."""
    import banditlab.testing as testing

    draw = DRAWS["K5_nu1"]()
    spec, stream = replicate(draw, ORTHANT)
    compiled = run_policy(ParetoUCBPolicy(), spec, stream)
    dk = spec.n_objectives * spec.n_arms
    shim = types.SimpleNamespace(log=lambda x: 0.0 if x == dk else math.log(x), sqrt=math.sqrt)
    monkeypatch.setattr(testing, "math", shim)  # ln(n (D K)^(1/4)) -> ln(n) in the reference only
    assert not np.array_equal(reference_pareto_ucb(ParetoUCBPolicy(), spec, stream).arms, compiled.arms)


def test_with_known_means_the_front_is_the_cones_pareto_set():
    """bonus = 0 and no noise: the index is the true mean, so after each arm's first pull the support is the Pareto
    set of Definition 3 under the spec's cone: Appendix B's {A5, A6, A8, A9} under C1, seven arms under C3."""
    draw = constant_draw(ARM_MEANS, 200, 0.0, 5)
    fronts = {}
    for name, cone in (("C1", ORTHANT), ("C3", C3)):
        trajectory = run_policy(ParetoUCBPolicy(depth=0, bonus=0.0), *replicate(draw, cone))
        expected = np.zeros(10, bool)
        expected[pareto_set(ARM_MEANS, cone)] = True
        assert (trajectory.support[10:] == expected).all(), name
        assert trajectory.arms[:10].tolist() == list(range(10))  # each arm once first
        assert set(np.unique(trajectory.arms[10:])) == set(np.flatnonzero(expected))  # uniform over the front
        fronts[name] = expected
    assert not np.array_equal(fronts["C1"], fronts["C3"])  # the two cones give two different answers


def test_it_learns_the_pareto_arms():
    """Constant means: arms 0 and 1 are Pareto optimal, each dominated arm at least 0.4 below one of them in both
    objectives; after 6000 rounds Pareto UCB1 has spent more than 90% of them on arms 0-1 (96% on seeds 6-11),
    uniform random about 40%. Both halves of the front are played (uniform choice within the estimated front)."""
    means = [(1.0, 0.5), (0.5, 1.0), (0.3, 0.1), (0.1, 0.3), (0.2, 0.2)]
    draw = constant_draw(means, 6000, 0.5, 6)
    share = {}
    for policy in (ParetoUCBPolicy(depth=0), UniformRandomPolicy()):
        arms = run_policy(policy, *replicate(draw)).arms
        share[policy.name] = float(np.isin(arms, [0, 1]).mean())
        if policy.name == "pareto_ucb":
            assert 0.4 < np.mean(arms[np.isin(arms, [0, 1])] == 0) < 0.6
    assert share["pareto_ucb"] > 0.9
    assert share["uniform_random"] < 0.5  # the threshold is not met by a policy that does not learn


def test_registered_and_validated():
    assert POLICIES["pareto_ucb"] is ParetoUCBPolicy
    assert isinstance(make_policy("pareto_ucb", {"depth": 2}), ParetoUCBPolicy)
    for kwargs, field in (({"depth": -1}, "depth"), ({"depth": 13}, "depth"), ({"bonus": -0.1}, "bonus")):
        with pytest.raises(ValueError, match=field):
            ParetoUCBPolicy(**kwargs)
    with pytest.raises(ValueError, match="rounds"):
        policy = ParetoUCBPolicy()
        spec, stream = replicate(DRAWS["K5_nu1"]())
        policy.reset(spec, 10, np.random.default_rng(0))
        policy.play(stream)
