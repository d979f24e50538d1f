"""Policies for vector-preference contextual bandits under covariate shift (paper 004, Section 3).

One small base class, :class:`ParetoPolicy`, fixes the interface: ``policy.run(draw, truth, cone)``
plays a whole replicate (a :class:`~banditlab.pareto.env.ReplicateDraw`) and returns a
:class:`Trajectory` (played arm, the support of the policy's randomization at each round, tree depth
and number of leaves). ``truth`` carries the true Pareto mask per round (only the oracle reads it).
Every policy's own randomness comes from ``draw.uniform`` (one uniform per round, common to all
policies of a replicate): a policy that randomizes over a set ``S`` plays the
``floor(u_t |S|)``-th element of ``S`` in increasing arm order.

Cones enter only through an inequality matrix ``A`` with ``C = {z : A z >= 0}`` and
``int C = {z : A z > 0}``: ``A = I`` for the orthant, ``A = W^{-1}`` for the simplicial cone generated
by the columns of ``W`` (Appendix A/B). Order as in Appendix B (maximization): ``y`` strictly
dominates ``x`` iff ``y - x`` is in ``int C``.

Policies
--------
:class:`AdaptiveTreePolicy` (Algorithm 1), :class:`FixedPartitionPolicy` (same elimination on a fixed
dyadic level), :class:`UniformRandomPolicy` (the paper's baseline), :class:`OraclePolicy` (uniform
over the true Pareto set), :class:`ScalarizedUCBPolicy` (UCB1 on a fixed weighted sum of the
objectives per fixed bin: ignores the cone).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

__all__ = [
    "Trajectory",
    "ParetoPolicy",
    "AdaptiveTreePolicy",
    "FixedPartitionPolicy",
    "UniformRandomPolicy",
    "OraclePolicy",
    "ScalarizedUCBPolicy",
    "cone_inequalities",
    "POLICIES",
    "make_policy",
]

SPLIT_RULES = ("bin", "played_arm", "min_active")
ELIMINATION_RULES = ("lemma5", "printed", "confident")
INHERIT_RULES = ("bin", "parent", "none")


@dataclass(frozen=True)
class Trajectory:
    """What a policy did in one replicate.

    Attributes
    ----------
    arms : (T,) int, played arm ``k_t`` (0-based).
    support : (T, K) bool, ``supp(pi_t(X_t))`` of Definition 5-6: the arms the policy randomized
        over at round t (a single arm for deterministic rounds).
    depth : (T,) int, level ``h_t`` of the bin used at round t (0 for policies without a tree).
    n_leaves : (T,) int, number of leaves of the partition after round t.
    forced : (T,) bool or None, rounds of forced exploration (Algorithm 1, lines 4-5: the round-robin
        phase ``t < 8 K log(K L / delta)``), to which Lemma 5 does not apply; ``None``: no such rounds.
    """

    arms: np.ndarray
    support: np.ndarray
    depth: np.ndarray
    n_leaves: np.ndarray
    forced: np.ndarray | None = None


def cone_inequalities(cone, n_objectives: int) -> np.ndarray:
    """Inequality matrix ``A`` (``C = {z : A z >= 0}``) of a cone.

    ``cone`` may be ``None`` (orthant), a ``(M, M)`` generator matrix ``W`` (columns generate the cone,
    ``A = W^{-1}``) or a :class:`banditlab.pareto.Cone` (its generator matrix is read).
    """
    if cone is None:
        return np.eye(n_objectives)
    if not isinstance(cone, np.ndarray):
        for attr in ("inequalities", "halfspaces", "A"):
            value = getattr(cone, attr, None)
            if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[1] == n_objectives:
                return np.ascontiguousarray(value, dtype=float)
        for attr in ("generators", "W", "generator_matrix"):  # Cone: columns generate C
            value = getattr(cone, attr, None)
            if value is not None:
                cone = np.asarray(value, dtype=float)
                break
        else:
            raise ValueError(f"cannot read the generators or inequalities of cone {cone!r}")
    w = np.asarray(cone, dtype=float)
    if w.shape != (n_objectives, n_objectives):
        raise ValueError(f"cone generator matrix must be ({n_objectives}, {n_objectives}), got {w.shape}")
    return np.ascontiguousarray(np.linalg.inv(w))


# --------------------------------------------------------------------------------------------------
# compiled kernels
# --------------------------------------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def _leaf_of(x, first_child, max_level):  # pragma: no cover - compiled
    """Descend from the root to the leaf containing x (dyadic, 2^D children per split)."""
    node = 0
    level = 0
    d = x.shape[0]
    while first_child[node] >= 0:
        offset = 0
        for j in range(d):
            scaled = int(x[j] * (1 << (level + 1)))
            if scaled >= (1 << (level + 1)):
                scaled = (1 << (level + 1)) - 1
            offset += (scaled & 1) << j
        node = first_child[node] + offset
        level += 1
    return node, level


@numba.njit(cache=True, nogil=True)
def _strictly_dominates(ineq, y, x):  # pragma: no cover - compiled
    """y - x in int C."""
    for r in range(ineq.shape[0]):
        s = 0.0
        for m in range(y.shape[0]):
            s += ineq[r, m] * (y[m] - x[m])
        if not s > 0.0:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _confidently_dominates(ineq, row_l1, mu_j, mu_k, width):  # pragma: no cover - compiled
    """``mu_j(x) - mu_k(x)`` in int C for every ``x`` with ``|mu_.(x) - mu_hat_.| <= width``.

    Row by row: ``a_r (mu_hat_j - mu_hat_k) > width ||a_r||_1`` (``width = ubar_j + ubar_k``, the
    2C of line 11), the worst case of ``a_r d`` over the box ``|d - (mu_hat_j - mu_hat_k)| <= width``.
    For the orthant this is "the lower confidence vector of j strictly dominates the upper one of k".
    """
    for r in range(ineq.shape[0]):
        s = 0.0
        for m in range(mu_j.shape[0]):
            s += ineq[r, m] * (mu_j[m] - mu_k[m])
        if not s > width * row_l1[r]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _child_offset(x, level):  # pragma: no cover - compiled
    """Index (0 .. 2^D - 1) of the child at ``level`` (the parent's level + 1) that contains x."""
    offset = 0
    for j in range(x.shape[0]):
        scaled = int(x[j] * (1 << level))
        if scaled >= (1 << level):
            scaled = (1 << level) - 1
        offset += (scaled & 1) << j
    return offset


@numba.njit(cache=True, nogil=True)
def _tree_kernel(
    contexts,
    means,
    noise,
    sigma,
    uniform,
    ineq,
    rr_threshold,
    split_const,
    ucb_log,
    c1,
    c2,
    beta,
    split_rule,
    elim_rule,
    max_depth,
    fixed_depth,
    inherit,
    capacity,
    arms,
    support,
    depth,
    n_leaves,
):  # pragma: no cover - compiled
    n_rounds, n_arms, n_obj = means.shape
    d = contexts.shape[1]
    psi = 1 << d
    first_child = -np.ones(capacity, np.int64)
    level = np.zeros(capacity, np.int64)
    counts = np.zeros((capacity, n_arms), np.int64)
    sums = np.zeros((capacity, n_arms, n_obj))
    nbin = np.zeros(capacity, np.int64)
    active = np.zeros((capacity, n_arms), np.bool_)
    active[0, :] = True
    # inherit == 0 ("bin", eqs. (3)-(4)): every leaf keeps the chronological list of the rounds whose
    # context lies in it (head/tail per node, next_round per round); a split hands each round to the
    # child that contains its context, so every sample is moved once per level.
    head = -np.ones(capacity, np.int64)
    tail = -np.ones(capacity, np.int64)
    next_round = -np.ones(n_rounds, np.int64)
    row_l1 = np.zeros(ineq.shape[0])
    for r in range(ineq.shape[0]):
        for m in range(n_obj):
            row_l1[r] += abs(ineq[r, m])
    n_nodes = 1
    leaves = 1
    # fixed partition: build the full tree down to fixed_depth (breadth first)
    if fixed_depth > 0:
        start = 0
        stop = 1
        for h in range(fixed_depth):
            for node in range(start, stop):
                if n_nodes + psi > capacity:
                    return -1
                first_child[node] = n_nodes
                for c in range(psi):
                    level[n_nodes + c] = h + 1
                    active[n_nodes + c, :] = True
                n_nodes += psi
            start = stop
            stop = n_nodes
        leaves = stop - start
    mu_hat = np.zeros((n_arms, n_obj))
    ubar = np.zeros(n_arms)
    ucb = np.zeros((n_arms, n_obj))
    in_front = np.zeros(n_arms, np.bool_)
    keep = np.zeros(n_arms, np.bool_)
    width_vec = np.zeros(n_obj)
    for t0 in range(n_rounds):
        t = t0 + 1
        x = contexts[t0]
        node, h = _leaf_of(x, first_child, max_depth)
        if t < rr_threshold:
            arm = t % n_arms
            for k in range(n_arms):
                support[t0, k] = False
            support[t0, arm] = True
        else:
            vh = 0.5**h
            bias = c1 * vh**beta
            skip = False  # an active arm without samples in the leaf, or nothing can be dropped
            for k in range(n_arms):
                if active[node, k]:
                    n = counts[node, k]
                    if n == 0:
                        skip = True
                    else:
                        ubar[k] = bias + c2 * math.sqrt(ucb_log / n)
                        for m in range(n_obj):
                            mu_hat[k, m] = sums[node, k, m] / n
                            ucb[k, m] = mu_hat[k, m] + ubar[k]
            if not skip and elim_rule != 1:
                # Speed only (results unchanged): "lemma5"/"confident" drop k for j only if, for every
                # row r, a_r mu_hat_j - ubar_j |a_r|_1 > a_r mu_hat_k + ubar_k |a_r|_1. When the largest
                # left side is below the smallest right side for some row (with a margin far above
                # rounding), no arm can be dropped and lines 10-11 are skipped: O(K) instead of O(K^2).
                for r in range(ineq.shape[0]):
                    best_lo = -np.inf
                    worst_hi = np.inf
                    for k in range(n_arms):
                        if active[node, k]:
                            proj = 0.0
                            for m in range(n_obj):
                                proj += ineq[r, m] * mu_hat[k, m]
                            best_lo = max(best_lo, proj - ubar[k] * row_l1[r])
                            worst_hi = min(worst_hi, proj + ubar[k] * row_l1[r])
                    if best_lo - worst_hi < -1e-9 * (1.0 + abs(best_lo) + abs(worst_hi)):
                        skip = True  # nothing to eliminate at this round
                        break
            if not skip:
                # line 10: estimated front of the UCB vectors among the active arms
                for k in range(n_arms):
                    in_front[k] = False
                    if not active[node, k]:
                        continue
                    dominated = False
                    for j in range(n_arms):
                        if j != k and active[node, j] and _strictly_dominates(ineq, ucb[j], ucb[k]):
                            dominated = True
                            break
                    in_front[k] = not dominated
                # line 11: refine the active set
                for k in range(n_arms):
                    keep[k] = False
                    if not active[node, k]:
                        continue
                    if elim_rule != 1:
                        # "lemma5" (k' in P_hat) or "confident" (k' in A): drop k when some k' is
                        # confidently strictly better at every context of the bin
                        keep[k] = True
                        for j in range(n_arms):
                            if j == k or not active[node, j] or (elim_rule == 0 and not in_front[j]):
                                continue
                            if _confidently_dominates(ineq, row_l1, mu_hat[j], mu_hat[k], ubar[j] + ubar[k]):
                                keep[k] = False
                                break
                    else:
                        if in_front[k]:
                            keep[k] = True
                            continue
                        for j in range(n_arms):
                            if not in_front[j]:
                                continue
                            # |mu_k - mu_j| <=_C 2C with 2C = ubar_k + ubar_j: A (2C 1 - |diff|) >= 0
                            for m in range(n_obj):
                                width_vec[m] = (ubar[k] + ubar[j]) - abs(mu_hat[k, m] - mu_hat[j, m])
                            inside = True
                            for r in range(ineq.shape[0]):
                                s = 0.0
                                for m in range(n_obj):
                                    s += ineq[r, m] * width_vec[m]
                                if s < 0.0:
                                    inside = False
                                    break
                            if inside:
                                keep[k] = True
                                break
                for k in range(n_arms):
                    active[node, k] = keep[k]
            n_active = 0
            for k in range(n_arms):
                support[t0, k] = active[node, k]
                if active[node, k]:
                    n_active += 1
            pick = int(uniform[t0] * n_active)
            if pick >= n_active:
                pick = n_active - 1
            arm = -1
            for k in range(n_arms):
                if active[node, k]:
                    if pick == 0:
                        arm = k
                        break
                    pick -= 1
        # observe and update the leaf's regressogram (eq. (4))
        arms[t0] = arm
        counts[node, arm] += 1
        nbin[node] += 1
        for m in range(n_obj):
            sums[node, arm, m] += means[t0, arm, m] + sigma * noise[t0, arm, m]
        depth[t0] = h
        if inherit == 0:
            if head[node] < 0:
                head[node] = t0
            else:
                next_round[tail[node]] = t0
            tail[node] = t0
        # lines 14-16: split the leaf when the sampling error falls below the bin width
        if fixed_depth < 0 and t >= rr_threshold and h < max_depth:
            if split_rule == 0:
                n_split = nbin[node]
            elif split_rule == 1:
                n_split = counts[node, arm]
            else:
                n_split = -1
                for k in range(n_arms):
                    if active[node, k] and (n_split < 0 or counts[node, k] < n_split):
                        n_split = counts[node, k]
            if n_split > 0 and math.sqrt(split_const / n_split) < (0.5**h) ** beta:
                if n_nodes + psi > capacity:
                    return -1
                first_child[node] = n_nodes
                for c in range(psi):
                    child = n_nodes + c
                    level[child] = h + 1
                    for k in range(n_arms):
                        active[child, k] = active[node, k]
                        if inherit == 1:  # "parent": a copy of all the parent's data
                            counts[child, k] = counts[node, k]
                            for m in range(n_obj):
                                sums[child, k, m] = sums[node, k, m]
                    if inherit == 1:
                        nbin[child] = nbin[node]
                if inherit == 0:  # "bin": each child gets the parent's rounds inside it, in order
                    s0 = head[node]
                    while s0 >= 0:
                        nxt = next_round[s0]
                        child = n_nodes + _child_offset(contexts[s0], h + 1)
                        a = arms[s0]
                        counts[child, a] += 1
                        nbin[child] += 1
                        for m in range(n_obj):
                            sums[child, a, m] += means[s0, a, m] + sigma * noise[s0, a, m]
                        next_round[s0] = -1
                        if head[child] < 0:
                            head[child] = s0
                        else:
                            next_round[tail[child]] = s0
                        tail[child] = s0
                        s0 = nxt
                    head[node] = -1
                    tail[node] = -1
                n_nodes += psi
                leaves += psi - 1
        n_leaves[t0] = leaves
    return n_nodes


@numba.njit(cache=True, nogil=True)
def _scalar_ucb_kernel(
    contexts, means, noise, sigma, weights, level, bonus, arms, depth, n_leaves
):  # pragma: no cover - compiled
    n_rounds, n_arms, n_obj = means.shape
    d = contexts.shape[1]
    side = 1 << level
    n_bins = side**d
    counts = np.zeros((n_bins, n_arms), np.int64)
    sums = np.zeros((n_bins, n_arms))
    totals = np.zeros(n_bins, np.int64)
    for t0 in range(n_rounds):
        b = 0
        stride = 1
        for j in range(d):
            cell = int(contexts[t0, j] * side)
            if cell >= side:
                cell = side - 1
            b += cell * stride
            stride *= side
        arm = -1
        for k in range(n_arms):
            if counts[b, k] == 0:
                arm = k
                break
        if arm < 0:
            best = -np.inf
            log_n = math.log(totals[b])
            for k in range(n_arms):
                score = sums[b, k] / counts[b, k] + bonus * math.sqrt(2.0 * log_n / counts[b, k])
                if score > best:
                    best = score
                    arm = k
        reward = 0.0
        for m in range(n_obj):
            reward += weights[m] * (means[t0, arm, m] + sigma * noise[t0, arm, m])
        counts[b, arm] += 1
        sums[b, arm] += reward
        totals[b] += 1
        arms[t0] = arm
        depth[t0] = level
        n_leaves[t0] = n_bins
    return n_bins


# --------------------------------------------------------------------------------------------------
# classes
# --------------------------------------------------------------------------------------------------


def _check_real(name, value, low, high, low_open=False, high_open=False):
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    ok = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok or math.isnan(value):
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{name} must lie in {lo}{low}, {high}{hi}, got {value!r}")
    return value


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value}")
    return int(value)


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def _set_elimination_params(policy, *, delta, L, c1, c2, beta, elimination) -> None:
    """Validate and store the hyperparameters of the elimination shared by the tree policies
    (line 4's ``delta`` and ``L``, eq. (5)'s ``c1``, ``c2``, ``beta``, line 11's reading)."""
    policy.delta = None if delta is None else _check_real("delta", delta, 0.0, 1.0, True, True)
    policy.L = None if L is None else _check_real("L", L, 0.0, 1e12, low_open=True)
    policy.c1 = None if c1 is None else _check_real("c1", c1, 0.0, 1e6)
    policy.c2 = _check_real("c2", c2, 0.0, 1e6, low_open=True)
    policy.beta = _check_real("beta", beta, 0.0, 1.0, low_open=True)
    policy.elimination = _check_choice("elimination", elimination, ELIMINATION_RULES)


class ParetoPolicy:
    """Base class: a policy maps a replicate draw to a :class:`Trajectory`.

    Subclasses store their hyperparameters in a keyword-only ``__init__`` (validated there, so a bad
    value fails before any simulation) and implement :meth:`run`. ``name`` labels results rows.
    """

    name = "base"

    def run(self, draw, truth, cone=None) -> Trajectory:  # pragma: no cover - abstract
        """Play every round of ``draw``; ``truth.pareto`` (T, K) is the true Pareto mask."""
        raise NotImplementedError

    def get_params(self) -> dict:
        """Hyperparameters (the ``__init__`` arguments), for results rows."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_")}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


class AdaptiveTreePolicy(ParetoPolicy):
    """Algorithm 1: adaptive dyadic tree, UCB of eqs. (5)-(6), Pareto elimination, uniform play.

    Line numbers are those of the Algorithm 1 box. At round t (1-indexed) with context ``X_t``:

    * lines 4-6: while ``t < 8 K log(K L / delta)`` play ``k_t = t mod K`` (0-based arm) and update
      the regressogram of the root; the support of such a round is the played arm alone;
    * line 8: find the leaf ``(h_t, i_t)`` containing ``X_t`` in the dyadic tree of Definition 11
      (``[0, 1]^D`` halved along every coordinate, ``Psi = 2^D`` children, width ``V_h = 2^-h``);
    * line 9: a leaf's active set is its parent's when the leaf is created, then refined at every visit;
    * eqs. (5)-(6): ``u_k = mu_hat_k + ubar_k 1``, ``ubar_k = c1 V_h^beta + c2 sqrt(log(K M / delta) / n_k)``;
    * line 10: ``P_hat`` = the active arms whose UCB vector no other active arm's strictly dominates;
    * line 11: drop arms by the ``elimination`` reading below; nothing is dropped at a round where an
      active arm has no sample in the leaf;
    * line 12: play the ``floor(U_t |A|)``-th arm of the refined active set ``A``;
    * line 13: update the played arm's regressogram in the leaf (eq. (4));
    * lines 14-16: split the leaf when ``sqrt(8 K log(K L / delta) / n) < V_h^beta``; children start
      with the parent's active set.

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
    * line 12 plays from ``A`` (the box), not from ``P_hat`` (the prose of Section 3.1): the box is
      the algorithm.
    * ``L`` is never defined: ``L = M`` by default, because Lemma 2 takes its union bound over
      ``[K] x [M]``.
    * ``c1``: the instance's Lipschitz constant (``draw.lipschitz``) by default, because Lemma 2
      needs ``c1 >= C_beta``.

    Parameters
    ----------
    delta : float in (0, 1) or None
        Confidence level; ``None`` uses ``1 / T`` (Appendix H).
    L : float > 0 or None
        The ``L`` of ``log(K L / delta)``; ``None`` uses ``M``.
    c1 : float >= 0 or None
        Bias constant of eq. (5); ``None`` uses ``draw.lipschitz``, a number overrides it.
    c2 : float > 0
        Multiplier of the sampling term of eq. (5) (1 as printed).
    beta : float in (0, 1]
        Hölder exponent of Assumption 1 (the Appendix H means are Lipschitz: 1).
    split_on : {"bin", "played_arm", "min_active"}
    elimination : {"lemma5", "printed", "confident"}
    inherit : {"bin", "parent", "none"}
    max_depth : int
        Safety cap on the tree depth.

    References
    ----------
    Shukla and Kumar, Algorithm 1, eqs. (3)-(6), Definition 11, Lemmas 2 and 5.

    Examples
    --------
    >>> import numpy as np
    >>> from banditlab.pareto.env import ParetoBanditEnv
    >>> draw = ParetoBanditEnv.appendix_h(n_arms=5, nu=2.0, t_p=500).draw(3000, np.random.default_rng(0))
    >>> traj = AdaptiveTreePolicy().run(draw)
    >>> traj.arms.shape, bool(traj.support[np.arange(3000), traj.arms].all())
    ((3000,), True)
    >>> AdaptiveTreePolicy().bias_constant(draw)  # c1 derived from the environment
    4.0
    """

    name = "adaptive_tree"

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
        max_depth=20,
    ):
        _set_elimination_params(self, delta=delta, L=L, c1=c1, c2=c2, beta=beta, elimination=elimination)
        self.split_on = _check_choice("split_on", split_on, SPLIT_RULES)
        self.inherit = _check_choice("inherit", inherit, INHERIT_RULES)
        self.max_depth = _check_int("max_depth", max_depth, 0, 40)

    def bias_constant(self, draw) -> float:
        """``c1`` of eq. (5): the override, else the Lipschitz constant of the draw's instance."""
        if self.c1 is not None:
            return self.c1
        lipschitz = getattr(draw, "lipschitz", None)
        if lipschitz is None:
            raise ValueError(
                "c1=None takes the instance's Lipschitz constant, but this draw carries none "
                "(ReplicateDraw.lipschitz is None); pass c1 explicitly"
            )
        return float(lipschitz)

    _fixed_depth = -1

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

    def run(self, draw, truth=None, cone=None) -> Trajectory:
        """Play Algorithm 1 on ``draw`` (compiled kernel)."""
        horizon, n_arms, n_obj = draw.means.shape
        ineq = cone_inequalities(cone, n_obj)
        const = self.constants(n_arms, n_obj, horizon)
        c1 = self.bias_constant(draw)
        arms = np.empty(horizon, np.int64)
        support = np.zeros((horizon, n_arms), np.bool_)
        depth = np.zeros(horizon, np.int64)
        leaves = np.zeros(horizon, np.int64)
        psi = 2 ** draw.contexts.shape[1]
        capacity = 1 + psi * 1024
        if self._fixed_depth > 0:
            capacity = sum(psi**h for h in range(self._fixed_depth + 1))
        while True:
            status = _tree_kernel(
                np.ascontiguousarray(draw.contexts),
                draw.means,
                draw.noise,
                float(draw.sigma),
                draw.uniform,
                ineq,
                const["rr_threshold"],
                const["split_const"],
                const["ucb_log"],
                c1,
                self.c2,
                self.beta,
                SPLIT_RULES.index(self.split_on),
                ELIMINATION_RULES.index(self.elimination),
                self.max_depth,
                self._fixed_depth,
                INHERIT_RULES.index(self.inherit),
                capacity,
                arms,
                support,
                depth,
                leaves,
            )
            if status > 0:
                break
            capacity *= 4
        forced = np.arange(1, horizon + 1) < const["rr_threshold"]
        return Trajectory(arms=arms, support=support, depth=depth, n_leaves=leaves, forced=forced)

    def run_reference(self, draw, truth=None, cone=None) -> Trajectory:
        """The same algorithm as a plain per-round Python loop (dict tree), for tests and benchmarks."""
        return _reference_tree(self, draw, cone, self._fixed_depth)


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

    def __init__(self, *, depth=3, delta=None, L=None, c1=None, c2=1.0, beta=1.0, elimination="lemma5"):
        self.depth = _check_int("depth", depth, 1, 12)
        _set_elimination_params(self, delta=delta, L=L, c1=c1, c2=c2, beta=beta, elimination=elimination)

    split_on = "bin"
    inherit = "none"  # the partition is built before any round: there is nothing to inherit

    @property
    def _fixed_depth(self):
        return self.depth

    @property
    def max_depth(self):
        return self.depth


class UniformRandomPolicy(ParetoPolicy):
    """The paper's benchmark (Appendix H): an arm uniformly at random every round; support = all arms."""

    name = "uniform_random"

    def __init__(self):
        pass

    def run(self, draw, truth=None, cone=None) -> Trajectory:
        horizon, n_arms, _ = draw.means.shape
        arms = np.minimum((draw.uniform * n_arms).astype(np.int64), n_arms - 1)
        zeros = np.zeros(horizon, np.int64)
        return Trajectory(arms=arms, support=np.ones((horizon, n_arms), bool), depth=zeros, n_leaves=zeros + 1)


class OraclePolicy(ParetoPolicy):
    """Knows the means: plays uniformly over the true Pareto set ``P*(X_t)``; its regret (2) is 0."""

    name = "oracle"

    def __init__(self):
        pass

    def run(self, draw, truth, cone=None) -> Trajectory:
        pareto = np.asarray(truth.pareto, dtype=bool)
        horizon = pareto.shape[0]
        sizes = pareto.sum(axis=1)
        pick = np.minimum((draw.uniform * sizes).astype(np.int64), sizes - 1)
        ranks = np.cumsum(pareto, axis=1) - 1
        arms = np.argmax(pareto & (ranks == pick[:, None]), axis=1)
        zeros = np.zeros(horizon, np.int64)
        return Trajectory(arms=arms, support=pareto.copy(), depth=zeros, n_leaves=zeros + 1)


class ScalarizedUCBPolicy(ParetoPolicy):
    """UCB1 on the weighted sum ``w . r`` in each bin of a fixed dyadic grid; ignores the cone.

    What a practitioner tries first: scalarize, discretize the context, run UCB1 per bin (each arm
    once, then ``argmax w . mu_hat_k + bonus sqrt(2 log n_bin / n_k)``). Deterministic given the
    history, so its support is the played arm.

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

    def run(self, draw, truth=None, cone=None) -> Trajectory:
        horizon, n_arms, n_obj = draw.means.shape
        w = np.full(n_obj, 1.0 / n_obj) if self.weights is None else np.asarray(self.weights)
        if w.shape != (n_obj,):
            raise ValueError(f"weights must have {n_obj} entries, got {w.shape[0]}")
        arms = np.empty(horizon, np.int64)
        depth = np.zeros(horizon, np.int64)
        leaves = np.zeros(horizon, np.int64)
        _scalar_ucb_kernel(
            np.ascontiguousarray(draw.contexts),
            draw.means,
            draw.noise,
            float(draw.sigma),
            w,
            self.depth,
            self.bonus,
            arms,
            depth,
            leaves,
        )
        support = np.zeros((horizon, n_arms), bool)
        support[np.arange(horizon), arms] = True
        return Trajectory(arms=arms, support=support, depth=depth, n_leaves=leaves)


POLICIES = {
    cls.name: cls
    for cls in (AdaptiveTreePolicy, FixedPartitionPolicy, UniformRandomPolicy, OraclePolicy, ScalarizedUCBPolicy)
}


def make_policy(name: str, params: dict | None = None) -> ParetoPolicy:
    """Build a policy from its ``name`` and a dict of hyperparameters (config grids)."""
    if name not in POLICIES:
        raise ValueError(f"policy must be one of {sorted(POLICIES)}, got {name!r}")
    return POLICIES[name](**(params or {}))


# --------------------------------------------------------------------------------------------------
# per-round reference implementation (plain Python), used by tests and the benchmark
# --------------------------------------------------------------------------------------------------


def _reference_tree(policy: AdaptiveTreePolicy, draw, cone, fixed_depth: int) -> Trajectory:
    horizon, n_arms, n_obj = draw.means.shape
    dim = draw.contexts.shape[1]
    ineq = cone_inequalities(cone, n_obj)
    row_l1 = np.abs(ineq).sum(axis=1)
    const = policy.constants(n_arms, n_obj, horizon)
    split_rule = policy.split_on
    beta, c1, c2 = policy.beta, policy.bias_constant(draw), policy.c2

    def reward(s, arm):
        return draw.means[s, arm] + draw.sigma * draw.noise[s, arm]

    def new_node(level, parent=None):
        node = {
            "level": level,
            "children": None,
            "counts": np.zeros(n_arms, int),
            "sums": np.zeros((n_arms, n_obj)),
            "n": 0,
            "rounds": [],  # rounds whose context lies in the bin (inherit="bin")
            "active": np.ones(n_arms, bool),
        }
        if parent is not None:
            node["active"] = parent["active"].copy()
            if policy.inherit == "parent":
                node["counts"] = parent["counts"].copy()
                node["sums"] = parent["sums"].copy()
                node["n"] = parent["n"]
        return node

    def child_index(x, level):
        cells = np.minimum((x * 2**level).astype(int), 2**level - 1)
        return int(sum(((c & 1) << j) for j, c in enumerate(cells)))

    def split(node):
        node["children"] = [new_node(node["level"] + 1, node) for _ in range(2**dim)]
        if policy.inherit == "bin":  # eqs. (3)-(4): the parent's rounds inside each child, in order
            for s in node["rounds"]:
                child = node["children"][child_index(draw.contexts[s], node["level"] + 1)]
                child["rounds"].append(s)
                child["counts"][arms[s]] += 1
                child["n"] += 1
                r = reward(s, arms[s])
                for m in range(n_obj):  # one addition at a time, in the compiled kernel's order
                    child["sums"][arms[s], m] += r[m]
            node["rounds"] = []

    root = new_node(0)
    n_leaves = 1
    if fixed_depth > 0:
        frontier = [root]
        for _ in range(fixed_depth):
            nxt = []
            for node in frontier:
                node["children"] = [new_node(node["level"] + 1) for _ in range(2**dim)]
                nxt.extend(node["children"])
            frontier = nxt
        n_leaves = len(frontier)

    def strictly(y, x):
        return bool(np.all(ineq @ (y - x) > 0))

    def confidently(mu_j, mu_k, width):
        for r in range(ineq.shape[0]):
            total = 0.0
            for m in range(n_obj):  # summed in the compiled kernel's order
                total += ineq[r, m] * (mu_j[m] - mu_k[m])
            if not total > width * row_l1[r]:
                return False
        return True

    arms = np.empty(horizon, int)
    support = np.zeros((horizon, n_arms), bool)
    depth = np.zeros(horizon, int)
    leaves = np.zeros(horizon, int)
    for t0 in range(horizon):
        t = t0 + 1
        x = draw.contexts[t0]
        node, h = root, 0
        while node["children"] is not None:
            node = node["children"][child_index(x, h + 1)]
            h += 1
        if t < const["rr_threshold"]:
            arm = t % n_arms
            support[t0, arm] = True
        else:
            act = np.flatnonzero(node["active"])
            cnt = node["counts"][act]
            if np.all(cnt > 0):
                mu = node["sums"][act] / cnt[:, None]
                ubar = c1 * (0.5**h) ** beta + c2 * np.sqrt(const["ucb_log"] / cnt)
                ucb = mu + ubar[:, None]
                front = [not any(strictly(ucb[j], ucb[i]) for j in range(len(act)) if j != i) for i in range(len(act))]
                keep = []
                for i in range(len(act)):
                    if policy.elimination == "printed":
                        ok = front[i] or any(
                            front[j] and np.all(ineq @ ((ubar[i] + ubar[j]) - np.abs(mu[i] - mu[j])) >= 0)
                            for j in range(len(act))
                        )
                    else:
                        rivals = [j for j in range(len(act)) if j != i]
                        if policy.elimination == "lemma5":
                            rivals = [j for j in rivals if front[j]]
                        ok = not any(confidently(mu[j], mu[i], ubar[j] + ubar[i]) for j in rivals)
                    keep.append(ok)
                node["active"][act[~np.asarray(keep)]] = False
            act = np.flatnonzero(node["active"])
            support[t0, act] = True
            arm = int(act[min(int(draw.uniform[t0] * len(act)), len(act) - 1)])
        arms[t0] = arm
        node["counts"][arm] += 1
        node["n"] += 1
        r = reward(t0, arm)
        for m in range(n_obj):
            node["sums"][arm, m] += r[m]
        if policy.inherit == "bin":
            node["rounds"].append(t0)
        depth[t0] = h
        if fixed_depth < 0 and t >= const["rr_threshold"] and h < policy.max_depth:
            if split_rule == "bin":
                n_split = node["n"]
            elif split_rule == "played_arm":
                n_split = node["counts"][arm]
            else:
                n_split = node["counts"][node["active"]].min()
            if n_split > 0 and math.sqrt(const["split_const"] / n_split) < (0.5**h) ** beta:
                split(node)
                n_leaves += 2**dim - 1
        leaves[t0] = n_leaves
    forced = np.arange(1, horizon + 1) < const["rr_threshold"]
    return Trajectory(arms=arms, support=support, depth=depth, n_leaves=leaves, forced=forced)
