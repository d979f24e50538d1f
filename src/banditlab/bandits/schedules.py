"""Who is sampled when: source sets, forced-sampling schedules and refit stops of the bandit policies.

* Source sets ``Q_j`` (the instances whose OLS estimates enter instance j's robust centre): data-poor
  mode (Section 4.4) and network mode (Section 4.3).
* RMBandit's forced phase (round robin per instance in ``B_0``) and doubling batches (Algorithm 2).
* The forced-sample schedule of the OLS and LASSO Bandits (Goldenshluger & Zeevi 2013; Bastani &
  Bayati 2020) and its pull count.
* Geometric refit stops of the per-instance baselines.
"""

from __future__ import annotations

import numpy as np

from .env import group_rows

__all__ = [
    "data_poor_sources",
    "network_sources",
    "arrival_numbers",
    "round_robin_arms",
    "doubling_batch_ends",
    "forced_arms",
    "forced_pull_count",
    "geometric_stop",
]


def data_poor_sources(N: int, target: int, neighbour: int) -> np.ndarray:
    """``Q_target = {neighbour}`` (Theorem 3: the target's own high-variance OLS is left out of Step 1,
    Section 3.5); every other instance shares from all instances but the target (footnote 2)."""
    sources = np.ones((N, N), dtype=bool)
    sources[:, target] = False
    sources[target] = False
    sources[target, neighbour] = True
    return sources


def network_sources(N: int, target: int, n_tilde: int, order: np.ndarray | None = None) -> np.ndarray:
    """``Q_target`` = the target and its ``n_tilde - 1`` nearest instances (Section 4.3); ``order``
    lists instances from nearest to farthest (default ``target, then 0, 1, ...``)."""
    if not 1 <= n_tilde <= N:
        raise ValueError(f"n_tilde (instances shared with the target) must be in [1, {N}], got {n_tilde}")
    order = np.array([target] + [i for i in range(N) if i != target]) if order is None else np.asarray(order)
    sources = np.ones((N, N), dtype=bool)
    sources[target] = False
    sources[target, order[:n_tilde]] = True
    return sources


def arrival_numbers(Z: np.ndarray, prior_counts: np.ndarray) -> np.ndarray:
    """Per-instance arrival number (0-based) of every arrival of a segment: ``prior_counts[Z_t]`` plus the
    arrivals at the same instance earlier in the segment."""
    order, bounds = group_rows(Z, len(prior_counts))
    rank = np.empty(len(Z), dtype=np.int64)
    rank[order] = np.arange(len(Z)) - np.repeat(bounds[:-1], np.diff(bounds))
    return prior_counts[Z] + rank


def round_robin_arms(Z: np.ndarray, prior_counts: np.ndarray, K: int) -> np.ndarray:
    """Forced arms of B_0: arrival number ``c`` (0-based, counted per instance) pulls arm ``c mod K``
    (Appendix C.3's ``(k-1) = (sum_{r<=t} 1(Z_r=j) - 1) mod K``; Algorithm 2 prints the same rule
    shifted by one arm, which changes nothing)."""
    return arrival_numbers(Z, prior_counts) % K


def doubling_batch_ends(b0: int, T: int) -> list[int]:
    """Ends of Algorithm 2's batches: ``B_0`` ends at ``b0``, batch m at ``2^m b0``, the last at T."""
    ends, m = [b0], 1
    while ends[-1] < T:
        ends.append(min(b0 * 2**m, T))
        m += 1
    return ends


def forced_arms(local: np.ndarray, K: int, q: int) -> np.ndarray:
    """Forced arm at per-instance (0-based) times ``local``, -1 where no arm is forced: arm k at the 1-based
    times ``(2^n - 1) K q + q k + {1..q}``, n = 0, 1, ... (the forced-sample sets ``T_k`` of Goldenshluger &
    Zeevi 2013 and Bastani & Bayati 2020)."""
    Kq = K * q
    u = local + 1
    n = np.floor(np.log2(np.maximum((u - 1) / Kq + 1, 1.0))).astype(np.int64)
    offset = u - (2**n - 1) * Kq
    return np.where((offset >= 1) & (offset <= Kq), (offset - 1) // q, -1)


def forced_pull_count(n, q: int, K: int, arm: int) -> np.ndarray:
    """Forced pulls of ``arm`` among the first ``n`` local times of the schedule
    ``T_arm = {(2^b - 1) K q + q arm + i : b >= 0, i = 1..q}`` (Goldenshluger & Zeevi 2013; Bastani &
    Bayati 2020): ``sum_b min(max(n - (2^b - 1) K q - q arm, 0), q)``. It does not depend on d."""
    n = np.asarray(n, dtype=np.int64)
    total = np.zeros_like(n)
    b = 0
    while True:
        start = (2**b - 1) * K * q + q * arm
        if np.all(n <= start):
            return total
        total += np.clip(n - start, 0, q)
        b += 1


def geometric_stop(t: int, ratio: float, first: int) -> int:
    """The next refit of a per-instance baseline: when the step count has grown by the factor ``ratio``
    (at least one step, and not before step ``first``)."""
    return max(t + 1, first, int(np.ceil(t * ratio)))
