"""Reference implementations used only by the tests and the benchmarks: straightforward, slow, independent of
the fast code they check (a direct MILP of Definition 7's gap; the plain per-round loops of the policies)."""

from __future__ import annotations

import numpy as np

from .pareto.cones import Cone, _as_points, _check_cone, _pareto_mask, _shift_positive, _strictly_dominated

# ---------------------------------------------------------------------- paper 004: the gap of Definition 7


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
