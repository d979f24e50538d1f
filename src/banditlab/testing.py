"""Reference loops used only by tests and benchmarks.

Each is the straightforward implementation of an algorithm (one round at a time, in plain Python) that a
vectorised or compiled policy of the package must match decision for decision. None is used by the
studies.
"""

from __future__ import annotations

import numpy as np

# --------------------------------------------------------------------------------------------------------
# Paper 000 (Xu & Bastani): RMBandit, Algorithm 2, one arrival at a time
# --------------------------------------------------------------------------------------------------------


def run_rmbandit_loop(policy, problem, stream, rng: np.random.Generator) -> np.ndarray:
    """Per-step implementation of Algorithm 2 for a :class:`~banditlab.bandits.RMBandit`; the pulled arms (T,).

    One arrival at a time: a Python-level decision, a rank-one Gram update, the batch checks. It shares
    only the estimator fit (:meth:`~banditlab.bandits.RMBandit._fit`) with the vectorised policy, which
    :func:`banditlab.agents.simulate` must run to the same arms.
    """
    T = stream.T
    policy.reset(problem, T, rng)
    K, h = policy.K_, policy.hp_.h
    arms = np.empty(T, dtype=np.int64)
    for t in range(T):
        j, x = int(stream.Z[t]), stream.X[t]
        if t < policy.b0_:
            k = int(policy.arrivals_[j] % K)
        else:
            s0 = policy.forced_coef_[j] @ x
            s1 = policy.allsample_coef_[j] @ x
            s1[s0 < s0.max() - h / 2] = -np.inf
            k = int(np.argmax(s1))
        arms[t] = k
        y = stream.mean_rewards[t, k] + stream.noise[t]
        policy.arrivals_[j] += 1
        policy.batch_arrivals_[j] += 1
        policy.stats_.add_one(j, k, x, y)
        policy._close_batch(t + 1)
    return arms


__all__ = ["run_rmbandit_loop"]
