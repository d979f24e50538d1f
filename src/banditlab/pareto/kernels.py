"""Compiled kernels of the pareto policies (paper 004): Algorithm 1's tree and the scalarized UCB baseline.

Each policy's state is a tuple of arrays (``arrays()`` of :class:`TreeState` or :class:`UCBState`, in
the order of their ``FIELDS``), shared by three compiled functions:

* ``*_act(t0, X, row, u, state)``: the arm of round ``t0`` from its context ``X[row]`` and uniform ``u``;
* ``*_update(t0, X, row, arm, R, state)``: learn from ``R[0]``, the observed reward vector of that arm;
* ``*_play(t_start, X, U, means, noise, sigma, state)``: the whole horizon in one compiled loop that
  calls the same two step functions and reads a reward only through :func:`observe`, for the arm just
  chosen.

The policies' ``act``/``update`` (the protocol of :mod:`banditlab.agents`, one round per batch, ``row``
0) and their ``play`` (``row = t0``) therefore make the same decisions (tested).

Speed. Every kernel is cached on disk (``cache=True``) and no jitted function is passed as an argument
(numba would recompile it in every process). The step functions are inlined into the play loops
(``inline="always"``), and the play loops, which allocate nothing, are compiled without reference
counting (``_nrt=False``): otherwise every round pays an atomic reference-count update per state
array, which more than doubles the cost of a round.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .tree_parts import (
    FIRST_CHILD,
    HEAD,
    LEVEL,
    NBIN,
    TAIL,
    _child_offset,
    _confidently_dominates,
    _leaf_of,
    _strictly_dominates,
)

__all__ = [
    "observe",
    "TreeState",
    "UCBState",
    "tree_act",
    "tree_update",
    "tree_play",
    "ucb_act",
    "ucb_update",
    "ucb_play",
]

# ---------------------------------------------------------------------------------- environment


@numba.njit(cache=True, nogil=True, inline="always")
def observe(means, noise, sigma, t0, arm, out):  # pragma: no cover - compiled
    """The reward vector of ``arm`` at round ``t0`` (eq. (1)), ``means[t0, arm] + sigma noise[t0, arm]``,
    into ``out[0]``."""
    for m in range(out.shape[1]):
        out[0, m] = means[t0, arm, m] + sigma * noise[t0, arm, m]


# ------------------------------------------------------------------------------ Algorithm 1 tree

# meta (int64): counters of the tree and the leaf of the current round, then the integer options
N_NODES, N_LEAVES, NODE, SPLIT_RULE, ELIM_RULE, MAX_DEPTH, FIXED_DEPTH, INHERIT, PLAY_FROM, RECORD = range(10)
# params (float64): the constants of lines 4, 14 and eq. (5), and the scale of line 14's right side
RR_THRESHOLD, SPLIT_CONST, UCB_LOG, C1, C2, BETA, SPLIT_SCALE = range(7)
# node_int (int64, one row per node): child pointer, level, contexts in the bin, its list of rounds (FIRST_CHILD,
# LEVEL, NBIN, HEAD, TAIL, from .tree_parts)
# hist (int64, one column per round): played arm, next round of the same leaf, depth, leaves after it, and at
# the decision the leaf's context count (eq. (3) summed over arms) and the fewest samples of an active arm
ARM, NEXT_ROUND, DEPTH, LEAVES, BIN_COUNT, MIN_COUNT = range(6)

# room for this many splits at first; :meth:`TreeState.grow` quadruples it when full
INITIAL_SPLITS = 1024

SPLIT_RULES = ("bin", "played_arm", "min_active")
ELIMINATION_RULES = ("lemma5", "printed", "confident")
INHERIT_RULES = ("bin", "parent", "none")
PLAY_RULES = ("active", "front")


class TreeState:
    """The arrays of Algorithm 1's state (one tree), in the argument order of the tree kernels.

    Per node (``capacity`` rows, grown by :meth:`grow`): ``node_int``, regressogram ``counts`` (K)
    and ``sums`` (K, M) of eq. (4), ``active`` set (K). Per round: ``hist`` (played arm, chronological
    list of a leaf's rounds, depth, leaves, the leaf's count and its active arms' fewest samples at the
    decision; one column per round), ``hist_x`` (context) and ``hist_r`` (observed reward) of the rounds a
    split hands to the children (``inherit="bin"``), ``support`` (the arms line 12 plays from),
    ``active_hist`` (the refined active set). Scratch of one round: ``mu_hat``, ``ubar``, ``ucb`` (eqs.
    (5)-(6)), ``in_front``, ``keep``, ``reward`` (the observed reward vector, ``(1, M)``). With ``record``,
    ``boxes`` (T, K, M + 1) keeps every round's confidence boxes of eq. (5) (``mu_hat_k`` and ``ubar_k`` of
    each active arm with a sample, NaN otherwise; Lemma 2's diagnostics), else one unused row.
    """

    FIELDS = (
        "meta",
        "params",
        "ineq",
        "row_l1",
        "node_int",
        "counts",
        "sums",
        "active",
        "hist",
        "hist_x",
        "hist_r",
        "support",
        "mu_hat",
        "ubar",
        "ucb",
        "in_front",
        "keep",
        "reward",
        "active_hist",
        "boxes",
    )

    def __init__(
        self,
        *,
        horizon,
        n_arms,
        dim,
        ineq,
        params,
        split_rule,
        elim_rule,
        inherit,
        max_depth,
        fixed_depth,
        play_from="active",
        record=False,
    ):
        n_obj = ineq.shape[1]
        psi = 2**dim
        capacity = 1 + psi * INITIAL_SPLITS if fixed_depth < 0 else sum(psi**h for h in range(fixed_depth + 1))
        self.meta = np.zeros(10, np.int64)
        self.meta[[SPLIT_RULE, ELIM_RULE, MAX_DEPTH, FIXED_DEPTH, INHERIT, PLAY_FROM, RECORD]] = (
            SPLIT_RULES.index(split_rule),
            ELIMINATION_RULES.index(elim_rule),
            max_depth,
            fixed_depth,
            INHERIT_RULES.index(inherit),
            PLAY_RULES.index(play_from),
            int(bool(record)),
        )
        self.params = np.asarray(params, dtype=np.float64)
        self.ineq = np.ascontiguousarray(ineq, dtype=np.float64)
        self.row_l1 = np.abs(self.ineq).sum(axis=1)
        self.node_int = np.zeros((capacity, 5), np.int64)
        self.node_int[:, [FIRST_CHILD, HEAD, TAIL]] = -1
        self.counts = np.zeros((capacity, n_arms), np.int64)
        self.sums = np.zeros((capacity, n_arms, n_obj))
        self.active = np.zeros((capacity, n_arms), np.bool_)
        self.hist = np.empty((6, horizon), np.int64)  # every round writes its arm, depth, leaves and counts
        self.hist[NEXT_ROUND] = -1
        self.hist_x = np.empty((horizon, dim))
        self.hist_r = np.empty((horizon, n_obj))
        self.support = np.empty((horizon, n_arms), np.bool_)  # every round writes its row
        self.mu_hat = np.zeros((n_arms, n_obj))
        self.ubar = np.zeros(n_arms)
        self.ucb = np.zeros((n_arms, n_obj))
        self.in_front = np.zeros(n_arms, np.bool_)
        self.keep = np.zeros(n_arms, np.bool_)
        self.reward = np.zeros((1, n_obj))
        self.active_hist = np.empty((horizon, n_arms), np.bool_)  # every round writes its row
        self.boxes = np.full((horizon if record else 1, n_arms, n_obj + 1), np.nan)
        tree_init(self.meta, self.node_int, self.active, dim)

    def arrays(self) -> tuple:
        """The state in the kernels' argument order."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def has_room(self) -> bool:
        """Whether one more split (``2^D`` nodes) fits; a fixed partition never splits."""
        psi = 2 ** self.hist_x.shape[1]
        return self.meta[FIXED_DEPTH] > 0 or self.meta[N_NODES] + psi <= self.node_int.shape[0]

    def grow(self) -> None:
        """Four times the node capacity, the existing nodes unchanged."""
        capacity = self.node_int.shape[0]
        for name, fill in (("node_int", -1), ("counts", 0), ("sums", 0.0), ("active", False)):
            old = getattr(self, name)
            new = np.full((4 * capacity, *old.shape[1:]), fill, dtype=old.dtype)
            new[:capacity] = old
            setattr(self, name, new)
        self.node_int[capacity:, [LEVEL, NBIN]] = 0


@numba.njit(cache=True, nogil=True)
def tree_init(meta, node_int, active, dim):  # pragma: no cover - compiled
    """The root with every arm active, or the full tree down to the fixed depth (breadth first)."""
    psi = 1 << dim
    active[0, :] = True
    n_nodes = 1
    leaves = 1
    fixed_depth = meta[FIXED_DEPTH]
    if fixed_depth > 0:
        start = 0
        stop = 1
        for h in range(fixed_depth):
            for node in range(start, stop):
                node_int[node, FIRST_CHILD] = n_nodes
                for c in range(psi):
                    node_int[n_nodes + c, LEVEL] = h + 1
                    active[n_nodes + c, :] = True
                n_nodes += psi
            start = stop
            stop = n_nodes
        leaves = stop - start
    meta[N_NODES] = n_nodes
    meta[N_LEAVES] = leaves


@numba.njit(cache=True, nogil=True, inline="always")
def tree_act(t0, X, row, u, state):  # pragma: no cover - compiled
    """Lines 3-12 of Algorithm 1 at round ``t0`` (0-based, context ``X[row]``, uniform ``u``): the played
    arm; records the support, the active set, the depth and the counts of the round (and its confidence
    boxes with ``record``)."""
    meta, params, ineq, row_l1, node_int, counts, sums, active, hist = state[:9]
    support, mu_hat, ubar, ucb, in_front, keep = state[11:17]
    active_hist, boxes = state[18], state[19]
    n_arms = counts.shape[1]
    n_obj = sums.shape[2]
    t = t0 + 1
    node, h = _leaf_of(X, row, node_int)  # line 8
    meta[NODE] = node
    hist[DEPTH, t0] = h
    if t < params[RR_THRESHOLD]:  # lines 4-5: round robin
        arm = t % n_arms
        for k in range(n_arms):
            support[t0, k] = False
            active_hist[t0, k] = active[node, k]
        support[t0, arm] = True
        hist[BIN_COUNT, t0] = -1
        hist[MIN_COUNT, t0] = -1
        return arm
    elim_rule = meta[ELIM_RULE]
    play_front = meta[PLAY_FROM] == 1
    c2 = params[C2]
    ucb_log = params[UCB_LOG]
    vh = 0.5**h
    bias = params[C1] * vh ** params[BETA]
    unsampled = False  # an active arm without samples in the leaf: no elimination at this round
    fewest = -1
    for k in range(n_arms):  # eqs. (5)-(6)
        if active[node, k]:
            n = counts[node, k]
            if fewest < 0 or n < fewest:
                fewest = n
            if n == 0:
                unsampled = True
            else:
                ubar[k] = bias + c2 * math.sqrt(ucb_log / n)
                for m in range(n_obj):
                    mu_hat[k, m] = sums[node, k, m] / n
                    ucb[k, m] = mu_hat[k, m] + ubar[k]
                if meta[RECORD] == 1:
                    for m in range(n_obj):
                        boxes[t0, k, m] = mu_hat[k, m]
                    boxes[t0, k, n_obj] = ubar[k]
    hist[BIN_COUNT, t0] = node_int[node, NBIN]
    hist[MIN_COUNT, t0] = fewest
    eliminate = not unsampled
    if eliminate and elim_rule != 1:
        # Speed only (results unchanged): "lemma5"/"confident" drop k for j only if, for every
        # row r, a_r mu_hat_j - ubar_j |a_r|_1 > a_r mu_hat_k + ubar_k |a_r|_1. When the largest
        # left side is below the smallest right side for some row (with a margin far above
        # rounding), no arm can be dropped and line 11 is skipped: O(K) instead of O(K^2).
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
                eliminate = False  # nothing to eliminate at this round
                break
    if unsampled and play_front:
        # line 10 with an unsampled arm: its UCB is +inf in every objective, so P_hat = the unsampled arms
        for k in range(n_arms):
            in_front[k] = active[node, k] and counts[node, k] == 0
    elif eliminate or play_front:
        # line 10: estimated front of the UCB vectors among the active arms
        for k in range(n_arms):
            in_front[k] = False
            if not active[node, k]:
                continue
            dominated = False
            for j in range(n_arms):
                if j != k and active[node, j] and _strictly_dominates(ineq, ucb, j, k):
                    dominated = True
                    break
            in_front[k] = not dominated
    if eliminate:
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
                    if _confidently_dominates(ineq, row_l1, mu_hat, j, k, ubar[j] + ubar[k]):
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
                    inside = True
                    for r in range(ineq.shape[0]):
                        s = 0.0
                        for m in range(n_obj):
                            s += ineq[r, m] * ((ubar[k] + ubar[j]) - abs(mu_hat[k, m] - mu_hat[j, m]))
                        if s < 0.0:
                            inside = False
                            break
                    if inside:
                        keep[k] = True
                        break
        for k in range(n_arms):
            active[node, k] = keep[k]
    # line 12: uniform over the refined active set ("active", the box) or over P_hat ("front", the text),
    # the floor(u |S|)-th arm of that set S; P_hat arms survive line 11 (a dropped arm is UCB-dominated)
    n_play = 0
    for k in range(n_arms):
        active_hist[t0, k] = active[node, k]
        chosen = active[node, k] and (not play_front or in_front[k])
        support[t0, k] = chosen
        if chosen:
            n_play += 1
    pick = int(u * n_play)
    if pick >= n_play:
        pick = n_play - 1
    arm = -1
    for k in range(n_arms):
        if support[t0, k]:
            if pick == 0:
                arm = k
                break
            pick -= 1
    return arm


@numba.njit(cache=True, nogil=True, inline="always")
def tree_update(t0, X, row, arm, R, state):  # pragma: no cover - compiled
    """Lines 13-16 of Algorithm 1 at round ``t0`` (context ``X[row]``, played ``arm``, reward ``R[0]``):
    the arm's regressogram (eq. (4)) in the leaf of the round, then the split of that leaf. Needs room
    for one split (:meth:`TreeState.has_room`)."""
    meta, params, _, _, node_int, counts, sums, active, hist, hist_x, hist_r = state[:11]
    n_arms = counts.shape[1]
    n_obj = sums.shape[2]
    d = hist_x.shape[1]
    psi = 1 << d
    t = t0 + 1
    node = meta[NODE]
    h = hist[DEPTH, t0]
    inherit = meta[INHERIT]
    hist[ARM, t0] = arm
    counts[node, arm] += 1
    node_int[node, NBIN] += 1
    for m in range(n_obj):
        sums[node, arm, m] += R[0, m]
    if inherit == 0:  # "bin": keep the round (context, reward) in its leaf's list, for the split
        for j in range(d):
            hist_x[t0, j] = X[row, j]
        for m in range(n_obj):
            hist_r[t0, m] = R[0, m]
        if node_int[node, HEAD] < 0:
            node_int[node, HEAD] = t0
        else:
            hist[NEXT_ROUND, node_int[node, TAIL]] = t0
        node_int[node, TAIL] = t0
    # lines 14-16: split the leaf when the sampling error falls below the bin width (times SPLIT_SCALE: 1 as
    # printed, c1 when the split test compares it with the bias term c1 V_h^beta of eq. (5))
    if meta[FIXED_DEPTH] < 0 and t >= params[RR_THRESHOLD] and h < meta[MAX_DEPTH]:
        split_rule = meta[SPLIT_RULE]
        if split_rule == 0:
            n_split = node_int[node, NBIN]
        elif split_rule == 1:
            n_split = counts[node, arm]
        else:
            n_split = -1
            for k in range(n_arms):
                if active[node, k] and (n_split < 0 or counts[node, k] < n_split):
                    n_split = counts[node, k]
        if n_split > 0 and math.sqrt(params[SPLIT_CONST] / n_split) < params[SPLIT_SCALE] * (0.5**h) ** params[BETA]:
            n_nodes = meta[N_NODES]
            node_int[node, FIRST_CHILD] = n_nodes
            for c in range(psi):
                child = n_nodes + c
                node_int[child, LEVEL] = h + 1
                for k in range(n_arms):
                    active[child, k] = active[node, k]
                    if inherit == 1:  # "parent": a copy of all the parent's data
                        counts[child, k] = counts[node, k]
                        for m in range(n_obj):
                            sums[child, k, m] = sums[node, k, m]
                if inherit == 1:
                    node_int[child, NBIN] = node_int[node, NBIN]
            if inherit == 0:  # "bin": each child gets the parent's rounds inside it, in order
                s0 = node_int[node, HEAD]
                while s0 >= 0:
                    nxt = hist[NEXT_ROUND, s0]
                    child = n_nodes + _child_offset(hist_x, s0, h + 1)
                    a = hist[ARM, s0]
                    counts[child, a] += 1
                    node_int[child, NBIN] += 1
                    for m in range(n_obj):
                        sums[child, a, m] += hist_r[s0, m]
                    hist[NEXT_ROUND, s0] = -1
                    if node_int[child, HEAD] < 0:
                        node_int[child, HEAD] = s0
                    else:
                        hist[NEXT_ROUND, node_int[child, TAIL]] = s0
                    node_int[child, TAIL] = s0
                    s0 = nxt
                node_int[node, HEAD] = -1
                node_int[node, TAIL] = -1
            meta[N_NODES] = n_nodes + psi
            meta[N_LEAVES] += psi - 1
    hist[LEAVES, t0] = meta[N_LEAVES]


@numba.njit(cache=True, nogil=True, _nrt=False)
def tree_play(t_start, X, U, means, noise, sigma, state):  # pragma: no cover - compiled
    """Rounds ``t_start ..`` of Algorithm 1 (act, observe the played arm, update) on ``state``
    (:meth:`TreeState.arrays`); returns the first round not played: ``len(X)``, or earlier when the
    nodes are full (grow them and call again)."""
    meta, node_int, reward = state[0], state[4], state[17]
    psi = 1 << X.shape[1]
    capacity = node_int.shape[0]
    fixed = meta[FIXED_DEPTH] > 0
    for t0 in range(t_start, X.shape[0]):
        if not fixed and meta[N_NODES] + psi > capacity:
            return t0
        arm = tree_act(t0, X, t0, U[t0], state)
        observe(means, noise, sigma, t0, arm, reward)
        tree_update(t0, X, t0, arm, reward, state)
    return X.shape[0]


# --------------------------------------------------------------------------- scalarized UCB1


class UCBState:
    """The arrays of the scalarized UCB1 baseline, in the argument order of the ucb kernels.

    ``meta`` (cells per side of the grid, bin of the current round), ``params`` (the bonus multiplier),
    ``weights`` (M); per bin ``counts`` and ``sums`` of ``w . r`` (K) and ``totals``; per round the
    played ``arms``; scratch ``reward`` (M).
    """

    FIELDS = ("meta", "params", "weights", "counts", "sums", "totals", "arms", "reward")

    def __init__(self, *, horizon, n_arms, dim, weights, level, bonus):
        side = 2**level
        n_bins = side**dim
        self.meta = np.array([side, 0], np.int64)
        self.params = np.array([bonus], np.float64)
        self.weights = np.ascontiguousarray(weights, dtype=np.float64)
        self.counts = np.zeros((n_bins, n_arms), np.int64)
        self.sums = np.zeros((n_bins, n_arms))
        self.totals = np.zeros(n_bins, np.int64)
        self.arms = np.empty(horizon, np.int64)  # every round writes its arm
        self.reward = np.zeros((1, self.weights.shape[0]))

    def arrays(self) -> tuple:
        """The state in the kernels' argument order."""
        return tuple(getattr(self, name) for name in self.FIELDS)


@numba.njit(cache=True, nogil=True, inline="always")
def ucb_act(t0, X, row, u, state):  # pragma: no cover - compiled
    """UCB1 in the grid cell of ``X[row]``: each arm once, then ``argmax mean + bonus sqrt(2 log n / n_k)``
    (the first maximum); ``u`` is unused (a deterministic policy)."""
    meta, params, _, counts, sums, totals = state[:6]
    side = meta[0]
    b = 0
    stride = 1
    for j in range(X.shape[1]):
        cell = int(X[row, j] * side)
        if cell >= side:
            cell = side - 1
        b += cell * stride
        stride *= side
    meta[1] = b
    n_arms = counts.shape[1]
    for k in range(n_arms):
        if counts[b, k] == 0:
            return k
    arm = -1
    best = -np.inf
    log_n = math.log(totals[b])
    bonus = params[0]
    for k in range(n_arms):
        score = sums[b, k] / counts[b, k] + bonus * math.sqrt(2.0 * log_n / counts[b, k])
        if score > best:
            best = score
            arm = k
    return arm


@numba.njit(cache=True, nogil=True, inline="always")
def ucb_update(t0, X, row, arm, R, state):  # pragma: no cover - compiled
    """Add the scalarized reward ``w . R[0]`` of the played arm to its statistics in the round's cell."""
    meta, _, weights, counts, sums, totals, arms = state[:7]
    b = meta[1]
    value = 0.0
    for m in range(weights.shape[0]):
        value += weights[m] * R[0, m]
    counts[b, arm] += 1
    sums[b, arm] += value
    totals[b] += 1
    arms[t0] = arm


@numba.njit(cache=True, nogil=True, _nrt=False)
def ucb_play(t_start, X, U, means, noise, sigma, state):  # pragma: no cover - compiled
    """Rounds ``t_start ..`` of the scalarized UCB1 (act, observe the played arm, update) on ``state``
    (:meth:`UCBState.arrays`); returns ``len(X)``."""
    reward = state[7]
    for t0 in range(t_start, X.shape[0]):
        arm = ucb_act(t0, X, t0, U[t0], state)
        observe(means, noise, sigma, t0, arm, reward)
        ucb_update(t0, X, t0, arm, reward, state)
    return X.shape[0]
