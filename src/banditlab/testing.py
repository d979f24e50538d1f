"""Reference implementations used only by the tests and the benchmarks.

Each is the straightforward implementation of an algorithm (one round at a time, in plain Python, or a direct
optimisation problem) that a vectorised or compiled function of the package must match. None is used by the
studies.
"""

from __future__ import annotations

import numpy as np

from .pareto.cones import Cone, _as_points, _check_cone, _pareto_mask, _shift_positive, _strictly_dominated

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


# --------------------------------------------------------------------------------------------------------
# Paper 004 (Shukla & Kumar): the gap of Definition 7 as a MILP
# --------------------------------------------------------------------------------------------------------


def gap_to_front_milp(points, front, cone: Cone, *, offset: float = 0.0, s_max: float = 1e3) -> np.ndarray:
    """Direct per-arm formulation of Definition 7 solved with ``scipy.optimize.milp`` (HiGHS).

    Independent of the corner/dual construction used by :func:`gap_to_front`; used only as the
    reference of :func:`banditlab.pareto.gap_to_front` in the tests and in ``benchmarks/bench_pareto.py``. Per
    arm ``x``: minimize ``s`` over
    ``eps in [1, s_max]^M``, ``s`` and binaries ``z[q, i]`` with ``eps_m <= s``, ``sum_i z[q, i] >= 1``
    and ``(A (x * eps))_i - (A q)_i >= -B (1 - z[q, i])`` (the disjunction "escape q through facet i";
    a single facet suffices to leave the open cone ``q - int C``). The disjunction makes this a MILP:
    no single LP expresses Definition 7 for a general cone. Returns ``log s``.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    cone = _check_cone(cone)
    pts = _shift_positive(_as_points(points, "points", cone.dim), offset, "points")
    fr = _shift_positive(_as_points(front, "front", cone.dim), offset, "front")
    fr = fr[_pareto_mask(fr, cone)]
    A = cone.inverse
    M = cone.dim
    n = fr.shape[0]
    out = np.zeros(pts.shape[0])
    todo = _strictly_dominated(pts, fr, cone)
    Uq = fr @ A.T  # (n, M)
    for k in np.flatnonzero(todo):
        x = pts[k]
        G = A * x[None, :]  # (A diag(x))
        big = np.abs(G).sum(axis=1) * s_max + np.abs(Uq).max(axis=0) + 1.0  # per facet
        nv = M + 1 + n * M
        c = np.zeros(nv)
        c[M] = 1.0
        rows, lo, hi = [], [], []
        for m in range(M):  # eps_m - s <= 0
            r = np.zeros(nv)
            r[m], r[M] = 1.0, -1.0
            rows.append(r), lo.append(-np.inf), hi.append(0.0)
        for q in range(n):
            r = np.zeros(nv)
            r[M + 1 + q * M : M + 1 + (q + 1) * M] = 1.0
            rows.append(r), lo.append(1.0), hi.append(np.inf)
            for i in range(M):  # G_i eps - B z >= Uq_i - B
                r = np.zeros(nv)
                r[:M] = G[i]
                r[M + 1 + q * M + i] = -big[i]
                rows.append(r), lo.append(Uq[q, i] - big[i]), hi.append(np.inf)
        integrality = np.r_[np.zeros(M + 1), np.ones(n * M)]
        bounds = Bounds(np.r_[np.ones(M + 1), np.zeros(n * M)], np.r_[np.full(M + 1, s_max), np.ones(n * M)])
        res = milp(
            c,
            constraints=LinearConstraint(np.array(rows), lo, hi),
            integrality=integrality,
            bounds=bounds,
            options={"mip_rel_gap": 1e-12},
        )
        out[k] = np.log(res.x[M]) if res.success else np.inf
    return out
