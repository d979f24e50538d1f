"""Pareto UCB1 (Drugan and Nowé, 2013) run in each bin of a fixed dyadic grid: a baseline for paper 004.

Paper 004 (Appendix H, line 988) says that no benchmark is known for its problem and compares Algorithm 1
with a uniformly random arm. Among the multi-objective bandit algorithms the paper itself cites (lines 34
and 517) is Pareto UCB1 of Drugan and Nowé (2013), "Designing multi-objective multi-armed bandits
algorithms: a study" (IJCNN); run per bin of a fixed partition of the contexts, as
:class:`~.policies.ScalarizedUCBPolicy` runs UCB1, it is the baseline a referee would ask for.

The algorithm, per bin ``b`` of the grid (``2^depth`` cells per coordinate, the partition of the fixed
partition and of the scalarized UCB at the same depth):

* while an arm has no sample in ``b``, play the first such arm (Pareto UCB1's initialisation: each arm
  once); the round's support is that arm;
* otherwise, with ``n`` the rounds of ``b`` so far and ``n_k`` those of arm ``k``, the index of arm ``k``
  is the vector ``mu_hat_k + bonus * sqrt(2 ln(n (D K)^(1/4)) / n_k) 1`` (one confidence term added to
  every objective, ``D`` the number of objectives, ``K`` the number of arms); the estimated front
  ``A'`` is the set of arms whose index vector no other arm's dominates, and the round plays an arm of
  ``A'`` uniformly at random: the ``floor(U_t |A'|)``-th arm of ``A'`` in increasing arm order, ``U_t``
  the round's uniform of the stream (the convention of every pareto policy). The round's support is
  ``A'`` (Definition 5: the distribution Pareto UCB1 draws from).

Source of the index. Drugan and Nowé print the confidence term as ``sqrt(2 ln(n (D |A*|)^(1/4)) / n_i)``
with ``|A*|`` the number of Pareto-optimal arms (as restated in the later literature and in public
implementations of Pareto UCB1; the 2013 text itself was not available to us). ``|A*|`` is unknown to the
learner and changes with the context here, so we use its upper bound ``K``: the term is at most
``ln(K / |A*|) / 4`` wider inside the logarithm. ``bonus`` (1 by default, as printed) scales the term:
UCB1's term assumes rewards in [0, 1], and Appendix H's rewards are Gaussian with ``sigma = 1``.

The order. Drugan and Nowé use Pareto dominance of the orthant (``v`` dominates ``u`` when ``v >= u`` in
every objective and ``v != u``). We use its generalisation to the paper's cone ``C`` (``spec.inequalities``,
``C = {z : A z >= 0}``): ``v`` dominates ``u`` when ``A (v - u) >= 0`` and ``v != u``. This is Definition 2.2,
the order that defines the Pareto set (Definition 3) that regret (2) compares with, so ``A'`` estimates the
set the regret is measured against; for the orthant it is Drugan and Nowé's order exactly. (Algorithm 1's
``P_hat``, line 10, uses strict dominance instead; with continuous noise the two differ only on ties.)
The test ``A (v - u) >= 0`` allows the relative rounding tolerance of :class:`banditlab.pareto.Cone`
(:data:`TOLERANCE`, ``1e-12`` of ``|A| (|v| + |u|)``), so that a difference on a boundary ray of the cone counts
as the exact arithmetic would (Appendix B's A9 - A0 under C3); ``v != u`` is exact.

Compiled like the other policies (:mod:`.kernels`): ``pareto_ucb_act``/``pareto_ucb_update`` are the steps of
:meth:`ParetoUCBPolicy.act`/:meth:`~ParetoUCBPolicy.update` and of the loop ``pareto_ucb_play`` behind
:meth:`~ParetoUCBPolicy.play`; :func:`banditlab.testing.reference_pareto_ucb` is the plain-Python loop both
must match (tested).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .base import ParetoPolicy, _check_int, _check_real, _one_round
from .kernels import observe
from .protocol import ParetoSpec, Trajectory

__all__ = ["ParetoUCBPolicy", "ParetoUCBState", "pareto_ucb_act", "pareto_ucb_update", "pareto_ucb_play"]

# meta (int64): cells per side of the grid, bin of the current round
SIDE, BIN = range(2)
# params (float64): the bonus multiplier and ln((D K)^(1/4))
BONUS, LOG_DK = range(2)
TOLERANCE = 1e-12
"""Relative tolerance of the dominance test, that of :class:`banditlab.pareto.Cone` (module docstring)."""


class ParetoUCBState:
    """The arrays of Pareto UCB1 per bin, in the argument order of the ``pareto_ucb_*`` kernels.

    ``meta`` (:data:`SIDE`, :data:`BIN`), ``params`` (:data:`BONUS`, :data:`LOG_DK`), the cone's inequality
    matrix ``ineq`` (R, M); per bin ``counts`` (K), ``sums`` (K, M) of the observed reward vectors and
    ``totals``; per round the played ``arms`` and the ``support``; scratch ``ucb`` (K, M), ``in_front`` (K)
    and ``reward`` (1, M).
    """

    FIELDS = ("meta", "params", "ineq", "counts", "sums", "totals", "arms", "support", "ucb", "in_front", "reward")

    def __init__(self, *, horizon, n_arms, dim, ineq, level, bonus):
        n_obj = ineq.shape[1]
        side = 2**level
        n_bins = side**dim
        self.meta = np.array([side, 0], np.int64)
        self.params = np.array([bonus, 0.25 * math.log(n_obj * n_arms)], np.float64)
        self.ineq = np.ascontiguousarray(ineq, dtype=np.float64)
        self.counts = np.zeros((n_bins, n_arms), np.int64)
        self.sums = np.zeros((n_bins, n_arms, n_obj))
        self.totals = np.zeros(n_bins, np.int64)
        self.arms = np.empty(horizon, np.int64)  # every round writes its arm
        self.support = np.empty((horizon, n_arms), np.bool_)  # every round writes its row
        self.ucb = np.zeros((n_arms, n_obj))
        self.in_front = np.zeros(n_arms, np.bool_)
        self.reward = np.zeros((1, n_obj))

    def arrays(self) -> tuple:
        """The state in the kernels' argument order."""
        return tuple(getattr(self, name) for name in self.FIELDS)


@numba.njit(cache=True, nogil=True)
def _dominates(ineq, ucb, j, k):  # pragma: no cover - compiled
    """Definition 2.2 under the cone: ``A (ucb[j] - ucb[k]) >= 0`` (to :data:`TOLERANCE`), ``ucb[j] != ucb[k]``."""
    for r in range(ineq.shape[0]):
        s = 0.0
        scale = 0.0
        for m in range(ucb.shape[1]):
            s += ineq[r, m] * (ucb[j, m] - ucb[k, m])
            scale += abs(ineq[r, m]) * (abs(ucb[j, m]) + abs(ucb[k, m]))
        if s < -TOLERANCE * scale:
            return False
    for m in range(ucb.shape[1]):
        if ucb[j, m] != ucb[k, m]:
            return True
    return False


@numba.njit(cache=True, nogil=True, inline="always")
def pareto_ucb_act(t0, X, row, u, state):  # pragma: no cover - compiled
    """Pareto UCB1 in the grid cell of ``X[row]`` at round ``t0``: the played arm; records the support."""
    meta, params, ineq, counts, sums, totals, _, support, ucb, in_front = state[:10]
    side = meta[SIDE]
    b = 0
    stride = 1
    for j in range(X.shape[1]):
        cell = int(X[row, j] * side)
        if cell >= side:
            cell = side - 1
        b += cell * stride
        stride *= side
    meta[BIN] = b
    n_arms = counts.shape[1]
    n_obj = sums.shape[2]
    for k in range(n_arms):  # initialisation: each arm once in the bin
        if counts[b, k] == 0:
            for i in range(n_arms):
                support[t0, i] = False
            support[t0, k] = True
            return k
    log_term = math.log(totals[b]) + params[LOG_DK]
    for k in range(n_arms):
        width = params[BONUS] * math.sqrt(2.0 * log_term / counts[b, k])
        for m in range(n_obj):
            ucb[k, m] = sums[b, k, m] / counts[b, k] + width
    n_front = 0
    for k in range(n_arms):
        dominated = False
        for j in range(n_arms):
            if j != k and _dominates(ineq, ucb, j, k):
                dominated = True
                break
        in_front[k] = not dominated
        support[t0, k] = not dominated
        if not dominated:
            n_front += 1
    pick = int(u * n_front)
    if pick >= n_front:
        pick = n_front - 1
    for k in range(n_arms):
        if in_front[k]:
            if pick == 0:
                return k
            pick -= 1
    return -1  # unreachable: a finite set has an undominated element


@numba.njit(cache=True, nogil=True, inline="always")
def pareto_ucb_update(t0, X, row, arm, R, state):  # pragma: no cover - compiled
    """Add the observed reward vector ``R[0]`` of the played arm to its statistics in the round's cell."""
    meta, _, _, counts, sums, totals, arms = state[:7]
    b = meta[BIN]
    counts[b, arm] += 1
    for m in range(sums.shape[2]):
        sums[b, arm, m] += R[0, m]
    totals[b] += 1
    arms[t0] = arm


@numba.njit(cache=True, nogil=True, _nrt=False)
def pareto_ucb_play(t_start, X, U, means, noise, sigma, state):  # pragma: no cover - compiled
    """Rounds ``t_start ..`` of Pareto UCB1 (act, observe the played arm, update) on ``state``
    (:meth:`ParetoUCBState.arrays`); returns ``len(X)``."""
    reward = state[10]
    for t0 in range(t_start, X.shape[0]):
        arm = pareto_ucb_act(t0, X, t0, U[t0], state)
        observe(means, noise, sigma, t0, arm, reward)
        pareto_ucb_update(t0, X, t0, arm, reward, state)
    return X.shape[0]


class ParetoUCBPolicy(ParetoPolicy):
    """Pareto UCB1 (Drugan and Nowé, 2013) in each bin of a fixed dyadic grid (module docstring).

    One round per batch (compiled steps); :meth:`play` runs the whole horizon with the same steps. The
    support of a round is the estimated front ``A'`` it draws from (a single arm during a bin's
    initialisation).

    Parameters
    ----------
    depth : int in [0, 12]
        The grid has ``2^depth`` cells per coordinate (the partition of the fixed partition at that depth).
    bonus : float >= 0
        Multiplier of the confidence term ``sqrt(2 ln(n (D K)^(1/4)) / n_k)`` (1 as printed).

    References
    ----------
    Drugan, M. M. and Nowé, A. (2013). Designing multi-objective multi-armed bandits algorithms: a study.
    IJCNN 2013 (reference of paper 004, line 375): Pareto UCB1.

    Examples
    --------
    >>> import numpy as np
    >>> from banditlab.pareto.env import ParetoBanditEnv
    >>> from banditlab.pareto.protocol import replicate, run_policy
    >>> draw = ParetoBanditEnv.appendix_h(n_arms=5, nu=2.0, t_p=500).draw(3000, np.random.default_rng(0))
    >>> traj = run_policy(ParetoUCBPolicy(depth=2), *replicate(draw))
    >>> bool(traj.support[np.arange(3000), traj.arms].all())  # the played arm is in the front it drew from
    True
    """

    name = "pareto_ucb"

    def __init__(self, *, depth=3, bonus=1.0):
        self.depth = _check_int("depth", depth, 0, 12)
        self.bonus = _check_real("bonus", bonus, 0.0, 1e6)

    def reset(self, spec: ParetoSpec, horizon: int, rng: np.random.Generator) -> None:
        """Empty statistics in every cell of the grid, for ``horizon`` rounds (the policy draws nothing from
        ``rng``: it randomizes with the stream's uniforms)."""
        self.horizon_ = int(horizon)
        self.n_bins_ = (2**self.depth) ** spec.dim
        self.state_ = ParetoUCBState(
            horizon=horizon,
            n_arms=spec.n_arms,
            dim=spec.dim,
            ineq=spec.inequalities,
            level=self.depth,
            bonus=self.bonus,
        )

    def next_stop(self, t: int) -> int:
        """Every reward changes the next decision: batches of one round."""
        return t + 1

    def act(self, t0: int, X: np.ndarray, U: np.ndarray) -> np.ndarray:
        """The arm of round ``t0`` (an array of one)."""
        X, u = _one_round(t0, X, U)
        return np.array([pareto_ucb_act(t0, X, 0, u, self.state_.arrays())], dtype=np.int64)

    def update(self, t0: int, X: np.ndarray, U: np.ndarray, arms: np.ndarray, rewards: np.ndarray) -> None:
        """The reward vector of the arm played at round ``t0``."""
        X, _ = _one_round(t0, X, U)
        rewards = np.ascontiguousarray(rewards, dtype=np.float64)
        pareto_ucb_update(t0, X, 0, int(arms[0]), rewards, self.state_.arrays())

    def play(self, stream) -> np.ndarray:
        """Every round of ``stream`` (after :meth:`reset`) in one compiled loop; returns the played arms."""
        if stream.T != self.horizon_:
            raise ValueError(f"the stream has {stream.T} rounds, the policy was reset for {self.horizon_}")
        X, U = stream.contexts(0, stream.T)
        means, noise, sigma = stream.reward_lookup()
        pareto_ucb_play(0, X, U, means, noise, sigma, self.state_.arrays())
        return self.state_.arms

    def trajectory(self) -> Trajectory:
        depth = np.full(self.horizon_, self.depth, np.int64)
        leaves = np.full(self.horizon_, self.n_bins_, np.int64)
        return Trajectory(arms=self.state_.arms, support=self.state_.support, depth=depth, n_leaves=leaves)
