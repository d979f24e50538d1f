"""Policies for vector-preference contextual bandits under covariate shift (paper 004, Section 3).

Every policy is an online :class:`~banditlab.agents.Agent` (:class:`ParetoPolicy`): ``reset(spec,
horizon, rng)`` with a :class:`~.protocol.ParetoSpec`, then per batch ``act(t0, X, U)`` and
``update(t0, X, U, arms, rewards)`` with the reward vectors of the pulled arms only; the runner
(:func:`~.protocol.run_policy`) owns the truth and scores the :class:`~.protocol.Trajectory` the
policy reports. A policy that randomizes over a set ``S`` plays the ``floor(U_t |S|)``-th element of
``S`` in increasing arm order, ``U_t`` being the round's uniform of the stream (common to all
policies of a replicate).

Policies
--------
:class:`AdaptiveTreePolicy` (Algorithm 1), :class:`FixedPartitionPolicy` (same elimination on a fixed
dyadic level), :class:`UniformRandomPolicy` (the paper's baseline), :class:`OraclePolicy` (uniform
over the true Pareto set), :class:`ScalarizedUCBPolicy` (UCB1 on a fixed weighted sum of the
objectives per fixed bin: ignores the cone), :class:`~.pareto_ucb.ParetoUCBPolicy` (Drugan and Nowé's
Pareto UCB1 per fixed bin, in :mod:`.pareto_ucb`). The base class :class:`~.base.ParetoPolicy` and the
validation of hyperparameters are in :mod:`.base`. :data:`POLICIES` and :func:`make_policy` build them
by config name.
"""

from __future__ import annotations

import math

import numpy as np

from . import kernels
from .base import ParetoPolicy, _check_choice, _check_int, _check_real, _one_round
from .kernels import ELIMINATION_RULES, INHERIT_RULES, PLAY_RULES, SPLIT_RULES
from .pareto_ucb import ParetoUCBPolicy
from .protocol import ParetoSpec, Trajectory
from .readings import C1_NAMES, C2_NAMES, SPLIT_TESTS, lemma2_c2

__all__ = [
    "ParetoPolicy",
    "AdaptiveTreePolicy",
    "FixedPartitionPolicy",
    "UniformRandomPolicy",
    "OraclePolicy",
    "ScalarizedUCBPolicy",
    "ParetoUCBPolicy",
    "POLICIES",
    "make_policy",
]


# --------------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------------


def _check_named_real(name, value, names, low, high, low_open=False):
    """A number in its range, or one of the named values of the readings (``names``)."""
    if isinstance(value, str):
        return _check_choice(name, value, names)
    return _check_real(name, value, low, high, low_open=low_open)


def _set_elimination_params(policy, *, delta, L, c1, c2, beta, elimination) -> None:
    """Validate and store the hyperparameters of the elimination shared by the tree policies
    (line 4's ``delta`` and ``L``, eq. (5)'s ``c1``, ``c2``, ``beta``, line 11's reading)."""
    policy.delta = None if delta is None else _check_real("delta", delta, 0.0, 1.0, True, True)
    policy.L = None if L is None else _check_real("L", L, 0.0, 1e12, low_open=True)
    policy.c1 = None if c1 is None else _check_named_real("c1", c1, C1_NAMES, 0.0, 1e6)
    policy.c2 = _check_named_real("c2", c2, C2_NAMES, 0.0, 1e6, low_open=True)
    policy.beta = _check_real("beta", beta, 0.0, 1.0, low_open=True)
    policy.elimination = _check_choice("elimination", elimination, ELIMINATION_RULES)


# --------------------------------------------------------------------------------------------------
# policies
# --------------------------------------------------------------------------------------------------


class AdaptiveTreePolicy(ParetoPolicy):
    """Algorithm 1: adaptive dyadic tree, UCB of eqs. (5)-(6), Pareto elimination, uniform play.

    One round per batch: :meth:`act` runs lines 3-12, :meth:`update` lines 13-16 (compiled step
    functions of :mod:`.kernels`); :meth:`play` runs the whole horizon with the same steps. Line
    numbers are those of the Algorithm 1 box. At round t (1-indexed) with context ``X_t``:

    * lines 4-6: while ``t < 8 K log(K L / delta)`` play ``k_t = t mod K`` (0-based arm) and update
      the regressogram of the root; the support of such a round is the played arm alone;
    * line 8: find the leaf ``(h_t, i_t)`` containing ``X_t`` in the dyadic tree of Definition 11
      (``[0, 1]^D`` halved along every coordinate, ``Psi = 2^D`` children, width ``V_h = 2^-h``);
    * line 9: a leaf's active set is its parent's when the leaf is created, then refined at every visit;
    * eqs. (5)-(6): ``u_k = mu_hat_k + ubar_k 1``, ``ubar_k = c1 V_h^beta + c2 sqrt(log(K M / delta) / n_k)``;
    * line 10: ``P_hat`` = the active arms whose UCB vector no other active arm's strictly dominates;
    * line 11: drop arms by the ``elimination`` reading below; nothing is dropped at a round where an
      active arm has no sample in the leaf;
    * line 12: play the ``floor(U_t |S|)``-th arm of ``S``, the refined active set ``A`` (``play_from``);
    * line 13: update the played arm's regressogram in the leaf (eq. (4));
    * lines 14-16: split the leaf when ``sqrt(8 K log(K L / delta) / n) < V_h^beta`` (``split_test``);
      children start with the parent's active set.

    Readings of the ambiguous lines, one per option (derivations and measurements:
    ``docs/algorithm1-readings.md``):

    * ``elimination`` (line 11 prints ``|mu_hat_k - mu_hat_k'| <=_C 2C`` with no quantifier over
      ``k'``): ``"lemma5"`` (default) drops ``k`` iff some ``k'`` in ``P_hat`` confidently strictly
      dominates it, ``mu_hat_k' - mu_hat_k - (ubar_k' + ubar_k) 1`` in int C over the confidence boxes,
      because its negation is step (c) of Lemma 5's proof, so no Pareto arm is dropped on Lemma 2's
      good event; ``"printed"`` is the literal two-sided rule with "some ``k'``" and ``"confident"``
      the ``"lemma5"`` test against every active arm instead of ``P_hat``.
    * ``inherit`` (eqs. (3)-(4) against "endowed with mean reward estimates ... from their parents"):
      ``"bin"`` (default) starts a child with the parent's rounds whose context lies in it, because
      eqs. (3)-(4) count exactly those and the bias term ``c1 V_h^beta`` then covers every sample;
      ``"parent"`` copies all the parent's data and ``"none"`` starts children empty (sensitivity runs).
    * ``split_on`` (line 14 writes ``n_{k,t}``, the proofs the bin count): ``"bin"`` (default) counts
      the contexts of the bin, because the factor ``8K`` only makes sense for a count over all arms;
      ``"played_arm"`` counts the played arm's samples, ``"min_active"`` the fewest of an active arm.
    * ``play_from`` (line 12, text l. 219, plays from ``A``; the prose of Section 3.1, text l. 287, and
      Lemma 6 from ``P_hat``): ``"active"`` (default) follows the box, because the box is the algorithm
      and Lemma 5 speaks of ``A``; ``"front"`` plays uniformly from line 10's ``P_hat`` (an active arm
      without a sample has an infinite UCB, so it alone forms ``P_hat`` until it is played).
    * ``split_test`` (line 14 compares the sampling error with ``V_h^beta``; eq. (5)'s bias term is
      ``c1 V_h^beta``): ``"width"`` (default) as printed; ``"bias"`` splits when
      ``sqrt(8 K log(K L / delta) / n) < c1 V_h^beta``.
    * ``L`` is never defined: ``L = M`` by default, because Lemma 2 takes its union bound over
      ``[K] x [M]``.
    * ``c1`` (no value in the paper, text l. 279, 616, 622): the instance's Lipschitz constant
      (``spec.lipschitz``, also named ``"lipschitz"``) by default, because Lemma 2 needs
      ``c1 >= C_beta``; ``"proof"`` is 1, the constant of Lemma 2's proof (text l. 642).
    * ``c2`` (1 as printed in eq. (5), text l. 279): a number, ``"printed"`` (1) or ``"lemma2"``,
      ``sigma sqrt(2 log(2KM/delta) / log(KM/delta))``, what Lemma 2's union bound (text l. 646-648)
      needs for ``sigma``-sub-Gaussian noise (:func:`.readings.lemma2_c2`).

    Parameters
    ----------
    delta : float in (0, 1) or None
        Confidence level; ``None`` uses ``1 / T`` (Appendix H).
    L : float > 0 or None
        The ``L`` of ``log(K L / delta)``; ``None`` uses ``M``.
    c1 : float >= 0, None, "lipschitz" or "proof"
        Bias constant of eq. (5); ``None`` or ``"lipschitz"`` uses ``spec.lipschitz``, ``"proof"`` is 1, a
        number overrides it.
    c2 : float > 0, "printed" or "lemma2"
        Multiplier of the sampling term of eq. (5) (1 as printed; ``"lemma2"``: Lemma 2's union bound).
    beta : float in (0, 1]
        Hölder exponent of Assumption 1 (the Appendix H means are Lipschitz: 1).
    split_on : {"bin", "played_arm", "min_active"}
    elimination : {"lemma5", "printed", "confident"}
    inherit : {"bin", "parent", "none"}
    play_from : {"active", "front"}
    split_test : {"width", "bias"}
    max_depth : int
        Safety cap on the tree depth.
    record_boxes : bool
        Keep every round's confidence boxes (:meth:`diagnostics`; Lemma 2's check), at T x K x (M + 1) floats.

    References
    ----------
    Shukla and Kumar, Algorithm 1, eqs. (3)-(6), Definition 11, Lemmas 2 and 5.

    Examples
    --------
    >>> import numpy as np
    >>> from banditlab.pareto.env import ParetoBanditEnv
    >>> from banditlab.pareto.protocol import replicate, run_policy
    >>> draw = ParetoBanditEnv.appendix_h(n_arms=5, nu=2.0, t_p=500).draw(3000, np.random.default_rng(0))
    >>> spec, stream = replicate(draw)
    >>> traj = run_policy(AdaptiveTreePolicy(), spec, stream)
    >>> traj.arms.shape, bool(traj.support[np.arange(3000), traj.arms].all())
    ((3000,), True)
    >>> AdaptiveTreePolicy().bias_constant(spec)  # c1 derived from the environment
    4.0
    """

    name = "adaptive_tree"
    _fixed_depth = -1

    def __init__(
        self,
        *,
        delta=None,
        L=None,
        c1=None,
        c2=1.0,
        beta=1.0,
        split_on="bin",
        elimination="lemma5",
        inherit="bin",
        play_from="active",
        split_test="width",
        max_depth=20,
        record_boxes=False,
    ):
        _set_elimination_params(self, delta=delta, L=L, c1=c1, c2=c2, beta=beta, elimination=elimination)
        self.split_on = _check_choice("split_on", split_on, SPLIT_RULES)
        self.inherit = _check_choice("inherit", inherit, INHERIT_RULES)
        self.play_from = _check_choice("play_from", play_from, PLAY_RULES)
        self.split_test = _check_choice("split_test", split_test, SPLIT_TESTS)
        self.max_depth = _check_int("max_depth", max_depth, 0, 40)
        if not isinstance(record_boxes, bool):
            raise ValueError(f"record_boxes must be True or False, got {record_boxes!r}")
        self.record_boxes = record_boxes

    def bias_constant(self, spec: ParetoSpec) -> float:
        """``c1`` of eq. (5): the number given, 1 for ``"proof"``, else the instance's Lipschitz constant
        ``spec.lipschitz``."""
        if self.c1 is not None and self.c1 != "lipschitz":
            return float(C1_NAMES[self.c1]) if isinstance(self.c1, str) else self.c1
        if spec.lipschitz is None:
            raise ValueError(
                "c1=None takes the instance's Lipschitz constant, but this problem states none "
                "(ParetoSpec.lipschitz is None); pass c1 explicitly"
            )
        return float(spec.lipschitz)

    def confidence_constant(self, spec: ParetoSpec, horizon: int) -> float:
        """``c2`` of eq. (5): the number given, 1 for ``"printed"``, Lemma 2's union-bound value for ``"lemma2"``
        (:func:`.readings.lemma2_c2` at the instance's noise level ``spec.sigma`` and this ``delta``)."""
        if not isinstance(self.c2, str):
            return self.c2
        if self.c2 == "lemma2":
            delta = self.constants(spec.n_arms, spec.n_objectives, horizon)["delta"]
            return lemma2_c2(spec.sigma, spec.n_arms, spec.n_objectives, delta)
        return float(C2_NAMES[self.c2])

    def constants(self, n_arms: int, n_objectives: int, horizon: int) -> dict:
        """``delta``, ``L``, the round-robin threshold ``8K log(KL/delta)`` and ``log(KM/delta)``."""
        delta = 1.0 / horizon if self.delta is None else self.delta
        big_l = float(n_objectives) if self.L is None else self.L
        split_const = 8.0 * n_arms * math.log(n_arms * big_l / delta)
        if split_const <= 0:
            raise ValueError(f"8 K log(K L / delta) = {split_const:.3g} must be positive; raise L or lower delta")
        return {
            "delta": delta,
            "L": big_l,
            "rr_threshold": split_const,
            "split_const": split_const,
            "ucb_log": math.log(n_arms * n_objectives / delta),
        }

    def reset(self, spec: ParetoSpec, horizon: int, rng: np.random.Generator) -> None:
        """An empty tree (the full fixed partition for :class:`FixedPartitionPolicy`) for ``horizon`` rounds."""
        const = self.constants(spec.n_arms, spec.n_objectives, horizon)
        self.c1_ = self.bias_constant(spec)
        self.c2_ = self.confidence_constant(spec, horizon)
        self.horizon_ = int(horizon)
        self.forced_ = np.arange(1, horizon + 1) < const["rr_threshold"]
        split_scale = self.c1_ if self.split_test == "bias" else 1.0
        self.state_ = kernels.TreeState(
            horizon=horizon,
            n_arms=spec.n_arms,
            dim=spec.dim,
            ineq=spec.inequalities,
            params=(
                const["rr_threshold"],
                const["split_const"],
                const["ucb_log"],
                self.c1_,
                self.c2_,
                self.beta,
                split_scale,
            ),
            split_rule=self.split_on,
            elim_rule=self.elimination,
            inherit=self.inherit,
            max_depth=self.max_depth,
            fixed_depth=self._fixed_depth,
            play_from=self.play_from,
            record=self.record_boxes,
        )

    def next_stop(self, t: int) -> int:
        """Every reward changes the next decision: batches of one round."""
        return t + 1

    def act(self, t0: int, X: np.ndarray, U: np.ndarray) -> np.ndarray:
        """Lines 3-12 at round ``t0``: the played arm (an array of one)."""
        X, u = _one_round(t0, X, U)
        if not self.state_.has_room():
            self.state_.grow()
        return np.array([kernels.tree_act(t0, X, 0, u, self.state_.arrays())], dtype=np.int64)

    def update(self, t0: int, X: np.ndarray, U: np.ndarray, arms: np.ndarray, rewards: np.ndarray) -> None:
        """Lines 13-16 at round ``t0``: the reward vector of the played arm, then the split of the leaf."""
        X, _ = _one_round(t0, X, U)
        rewards = np.ascontiguousarray(rewards, dtype=np.float64)
        kernels.tree_update(t0, X, 0, int(arms[0]), rewards, self.state_.arrays())

    def play(self, stream) -> np.ndarray:
        """Every round of ``stream`` (after :meth:`reset`) in one compiled loop; returns the played arms."""
        if stream.T != self.horizon_:
            raise ValueError(f"the stream has {stream.T} rounds, the policy was reset for {self.horizon_}")
        X, U = stream.contexts(0, stream.T)
        means, noise, sigma = stream.reward_lookup()
        t = 0
        while t < stream.T:
            t = kernels.tree_play(t, X, U, means, noise, sigma, self.state_.arrays())
            if t < stream.T:
                self.state_.grow()
        return self.state_.hist[kernels.ARM]

    def trajectory(self) -> Trajectory:
        hist = self.state_.hist
        return Trajectory(
            arms=hist[kernels.ARM],
            support=self.state_.support,
            depth=hist[kernels.DEPTH],
            n_leaves=hist[kernels.LEAVES],
            forced=self.forced_,
        )

    def diagnostics(self) -> dict:
        """What the checks of Lemmas 2, 4 and 5 read, per round (the policy's own arrays, not copies):
        ``active`` (T, K) the refined active set of line 11 (the support too, unless ``play_from="front"``),
        ``bin_count`` (T,) the leaf's context count and ``min_count`` (T,) the fewest samples of an active
        arm in it at the decision (-1 in the round-robin phase), ``boxes`` (T, K, M + 1) ``mu_hat_k`` and
        ``ubar_k`` of eq. (5) (NaN for an arm without box; ``None`` unless ``record_boxes``), and the
        constants ``c1``, ``c2`` used."""
        hist = self.state_.hist
        return {
            "active": self.state_.active_hist,
            "bin_count": hist[kernels.BIN_COUNT],
            "min_count": hist[kernels.MIN_COUNT],
            "boxes": self.state_.boxes if self.record_boxes else None,
            "c1": self.c1_,
            "c2": self.c2_,
        }


class FixedPartitionPolicy(AdaptiveTreePolicy):
    """Algorithm 1's elimination and uniform play on a fixed (non-adaptive) dyadic level.

    The partition is level ``depth`` of the dyadic tree from the start (``2^(depth D)`` bins), each
    bin with its own regressogram; no splitting. Everything else (round-robin phase, eqs. (5)-(6),
    lines 10-12, ``c1`` from the instance unless overridden, ``elimination="lemma5"``) is as in
    :class:`AdaptiveTreePolicy`. ``depth = 3`` in the configs is practical (a baseline of ours, not in
    the paper): 8 bins, the level the adaptive tree would need ~``8K log(KL/delta) 4^3`` contexts per
    bin to reach.
    """

    name = "fixed_partition"
    split_on = "bin"
    inherit = "none"  # the partition is built before any round: there is nothing to inherit
    play_from = "active"
    split_test = "width"
    record_boxes = False

    def __init__(self, *, depth=3, delta=None, L=None, c1=None, c2=1.0, beta=1.0, elimination="lemma5"):
        self.depth = _check_int("depth", depth, 1, 12)
        _set_elimination_params(self, delta=delta, L=L, c1=c1, c2=c2, beta=beta, elimination=elimination)

    @property
    def _fixed_depth(self):
        return self.depth

    @property
    def max_depth(self):
        return self.depth


class UniformRandomPolicy(ParetoPolicy):
    """The paper's benchmark (Appendix H): arm ``floor(U_t K)`` every round; support = all arms.

    Learns nothing: it acts on the whole horizon as one batch, and :meth:`play` reads no reward.
    """

    name = "uniform_random"

    def __init__(self):
        pass

    def reset(self, spec: ParetoSpec, horizon: int, rng: np.random.Generator) -> None:
        self.n_arms_ = spec.n_arms
        self.arms_ = np.empty(horizon, np.int64)
        self.horizon_ = int(horizon)

    def next_stop(self, t: int) -> int:
        return self.horizon_

    def act(self, t0: int, X: np.ndarray, U: np.ndarray) -> np.ndarray:
        arms = np.minimum((np.asarray(U) * self.n_arms_).astype(np.int64), self.n_arms_ - 1)
        self.arms_[t0 : t0 + len(arms)] = arms
        return arms

    def play(self, stream) -> np.ndarray:
        """Every round of ``stream`` (after :meth:`reset`) as one batch, no reward read; the played arms."""
        return self.act(0, *stream.contexts(0, stream.T))

    def trajectory(self) -> Trajectory:
        zeros = np.zeros(self.horizon_, np.int64)
        support = np.ones((self.horizon_, self.n_arms_), bool)
        return Trajectory(arms=self.arms_, support=support, depth=zeros, n_leaves=zeros + 1)


class OraclePolicy(ParetoPolicy):
    """Plays the ``floor(U_t |P*(X_t)|)``-th arm of the true Pareto set; its regret (2) is 0.

    The one policy that sees the truth: it declares ``needs_pareto`` and the runner passes the true
    Pareto mask in ``spec.pareto`` (by definition, as paper 000's oracle reads the true parameters).
    It learns nothing: it acts on the whole horizon as one batch, and :meth:`play` reads no reward.
    """

    name = "oracle"
    needs_pareto = True

    def __init__(self):
        pass

    def reset(self, spec: ParetoSpec, horizon: int, rng: np.random.Generator) -> None:
        if spec.pareto is None:
            raise ValueError(
                "the oracle needs the true Pareto mask (spec.pareto); run it with run_policy(..., pareto=)"
            )
        if spec.pareto.shape != (horizon, spec.n_arms):
            raise ValueError(f"spec.pareto must have shape {(horizon, spec.n_arms)}, got {spec.pareto.shape}")
        self.pareto_ = spec.pareto
        self.arms_ = np.empty(horizon, np.int64)
        self.horizon_ = int(horizon)

    def next_stop(self, t: int) -> int:
        return self.horizon_

    def act(self, t0: int, X: np.ndarray, U: np.ndarray) -> np.ndarray:
        pareto = self.pareto_[t0 : t0 + len(U)]
        sizes = pareto.sum(axis=1)
        pick = np.minimum((np.asarray(U) * sizes).astype(np.int64), sizes - 1)
        ranks = np.cumsum(pareto, axis=1) - 1
        arms = np.argmax(pareto & (ranks == pick[:, None]), axis=1)
        self.arms_[t0 : t0 + len(arms)] = arms
        return arms

    def play(self, stream) -> np.ndarray:
        """Every round of ``stream`` (after :meth:`reset`) as one batch, no reward read; the played arms."""
        return self.act(0, *stream.contexts(0, stream.T))

    def trajectory(self) -> Trajectory:
        zeros = np.zeros(self.horizon_, np.int64)
        return Trajectory(arms=self.arms_, support=self.pareto_.copy(), depth=zeros, n_leaves=zeros + 1)


class ScalarizedUCBPolicy(ParetoPolicy):
    """UCB1 on the weighted sum ``w . r`` in each bin of a fixed dyadic grid; ignores the cone.

    What a practitioner tries first: scalarize, discretize the context, run UCB1 per bin (each arm
    once, then ``argmax w . mu_hat_k + bonus sqrt(2 log n_bin / n_k)``). Deterministic given the
    history, so its support is the played arm. One round per batch (compiled steps of :mod:`.kernels`);
    :meth:`play` runs the whole horizon with the same steps.

    Parameters
    ----------
    weights : sequence of M positive floats or None (equal weights)
    depth : int, the grid has ``2^depth`` cells per coordinate.
    bonus : float >= 0, multiplier of the UCB1 bonus.
    """

    name = "scalarized_ucb"

    def __init__(self, *, weights=None, depth=3, bonus=1.0):
        if weights is not None:
            weights = tuple(float(w) for w in weights)
            if not weights or min(weights) <= 0 or not all(map(math.isfinite, weights)):
                raise ValueError(f"weights must be positive finite numbers, got {weights!r}")
        self.weights = weights
        self.depth = _check_int("depth", depth, 0, 12)
        self.bonus = _check_real("bonus", bonus, 0.0, 1e6)

    def reset(self, spec: ParetoSpec, horizon: int, rng: np.random.Generator) -> None:
        n_obj = spec.n_objectives
        w = np.full(n_obj, 1.0 / n_obj) if self.weights is None else np.asarray(self.weights)
        if w.shape != (n_obj,):
            raise ValueError(f"weights must have {n_obj} entries, got {w.shape[0]}")
        self.horizon_ = int(horizon)
        self.n_bins_ = (2**self.depth) ** spec.dim
        self.state_ = kernels.UCBState(
            horizon=horizon, n_arms=spec.n_arms, dim=spec.dim, weights=w, level=self.depth, bonus=self.bonus
        )

    def next_stop(self, t: int) -> int:
        return t + 1

    def act(self, t0: int, X: np.ndarray, U: np.ndarray) -> np.ndarray:
        X, u = _one_round(t0, X, U)
        return np.array([kernels.ucb_act(t0, X, 0, u, self.state_.arrays())], dtype=np.int64)

    def update(self, t0: int, X: np.ndarray, U: np.ndarray, arms: np.ndarray, rewards: np.ndarray) -> None:
        X, _ = _one_round(t0, X, U)
        rewards = np.ascontiguousarray(rewards, dtype=np.float64)
        kernels.ucb_update(t0, X, 0, int(arms[0]), rewards, self.state_.arrays())

    def play(self, stream) -> np.ndarray:
        """Every round of ``stream`` (after :meth:`reset`) in one compiled loop; returns the played arms."""
        if stream.T != self.horizon_:
            raise ValueError(f"the stream has {stream.T} rounds, the policy was reset for {self.horizon_}")
        X, U = stream.contexts(0, stream.T)
        means, noise, sigma = stream.reward_lookup()
        kernels.ucb_play(0, X, U, means, noise, sigma, self.state_.arrays())
        return self.state_.arms

    def trajectory(self) -> Trajectory:
        arms = self.state_.arms
        support = np.zeros((self.horizon_, self.state_.counts.shape[1]), bool)
        support[np.arange(self.horizon_), arms] = True
        depth = np.full(self.horizon_, self.depth, np.int64)
        leaves = np.full(self.horizon_, self.n_bins_, np.int64)
        return Trajectory(arms=arms, support=support, depth=depth, n_leaves=leaves)


POLICIES = {
    cls.name: cls
    for cls in (
        AdaptiveTreePolicy,
        FixedPartitionPolicy,
        UniformRandomPolicy,
        OraclePolicy,
        ScalarizedUCBPolicy,
        ParetoUCBPolicy,
    )
}


def make_policy(name: str, params: dict | None = None) -> ParetoPolicy:
    """Build a policy from its ``name`` and a dict of hyperparameters (config grids)."""
    if name not in POLICIES:
        raise ValueError(f"policy must be one of {sorted(POLICIES)}, got {name!r}")
    return POLICIES[name](**(params or {}))
