"""Paper 004's printed formulas evaluated exactly: Proposition 1's closed form of the gap, Remark (iii)'s scale
independence and what the ``gap_offset`` convention does to it, Appendix H's "dissimilarity increases with nu"
under Definitions 4 and 8, and the two terms of Theorem 1's ``min``.

Each ``*_table(tables, block, seed)`` is a table of ``results/tables/`` (declared in :mod:`.study`), computed from the
formulas and the ``pareto`` config block only (no simulation); :mod:`.formula_rows` turns the first three into the
measurement rows of their claims, and the findings of :mod:`.claims` quote :func:`theorem1_factors`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cones import Cone, pareto_gap, pareto_set
from .env import appendix_h_means
from .theory import dissimilarity

__all__ = [
    "PROP1_READINGS",
    "dp_transport",
    "front_distance",
    "gap_scale_table",
    "nu_dissimilarity_table",
    "prop1_gap",
    "prop1_table",
    "theorem1_factors",
    "theorem1_terms_table",
]

PROP1_READINGS = {
    "printed": "max{0, |log(mu_k'^m / mu_k^m)|}, as printed (line 531)",
    "without_abs": "max{0, log(mu_k'^m / mu_k^m)}, the absolute value dropped (the max with 0 is then not idle)",
}
"""The two readings of Proposition 1's inner term: the printed ``max{0, |.|}`` makes the ``max`` with 0 idle, which
suggests the absolute value may be a typo."""


def prop1_gap(points, front, reading: str = "printed") -> np.ndarray:
    """Proposition 1 (Appendix E, line 531) at one context (``X1 = X2``): for every row ``x`` of ``points``,
    ``min_{q in front} max_m max{0, |log(q_m / x_m)|}`` (``reading="printed"``) or
    ``min_{q in front} max_m max{0, log(q_m / x_m)}`` (``reading="without_abs"``, :data:`PROP1_READINGS`).

    The formula names no cone: the cone enters only through ``front`` (the Pareto set ``P(X2)``). Needs positive
    points and front (the logarithm).
    """
    if reading not in PROP1_READINGS:
        raise ValueError(f"reading must be one of {sorted(PROP1_READINGS)}, got {reading!r}")
    points, front = np.asarray(points, dtype=float), np.asarray(front, dtype=float)
    if points.min() <= 0 or front.min() <= 0:
        raise ValueError("Proposition 1 takes logarithms of the means: every mean must be > 0")
    log_ratio = np.log(front)[None, :, :] - np.log(points)[:, None, :]  # [point, q, m]
    inner = np.abs(log_ratio) if reading == "printed" else log_ratio
    return np.maximum(inner, 0.0).max(axis=2).min(axis=1)


def prop1_table(tables, block, seed) -> pd.DataFrame:
    """``pareto_prop1``: Proposition 1's closed form under both readings beside Appendix B's Table 1.

    One row per (cone, arm) of Appendix B: the printed Table 1 value, Definition 7's exact gap
    (:func:`~.cones.pareto_gap`), Proposition 1 under each reading (its ``min`` over the cone's Pareto set), and
    ``all_arms``: the printed reading with ``k'`` over every arm instead of the Pareto set (0 for every arm, since
    ``k' = k`` is allowed; the negative control of claim ``004-prop1-closed-form``).
    """
    from .appendix_b import ARM_MEANS, ARM_NAMES, PAPER_TABLE_1, cones

    rows = []
    for column, (name, cone) in enumerate(cones().items()):
        front = ARM_MEANS[pareto_set(ARM_MEANS, cone)]
        exact = pareto_gap(ARM_MEANS, cone)
        values = {reading: prop1_gap(ARM_MEANS, front, reading) for reading in PROP1_READINGS}
        every = prop1_gap(ARM_MEANS, ARM_MEANS, "printed")
        for k, arm in enumerate(ARM_NAMES):
            rows.append(
                {
                    "cone": name,
                    "arm": arm,
                    "r1": ARM_MEANS[k, 0],
                    "r2": ARM_MEANS[k, 1],
                    "paper_value": PAPER_TABLE_1[arm][2 + column],
                    "definition7": float(exact[k]),
                    **{f"prop1_{reading}": float(value[k]) for reading, value in values.items()},
                    "all_arms": float(every[k]),
                }
            )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------- Remark (iii)


def _appendix_h_random_arm_gap(n_arms: int, n_grid: int, scale: float, offset: float) -> float:
    """Mean over contexts ``x ~ Q`` (a midpoint grid) and arms of ``Delta(k, P(x))`` for the means ``scale * mu``
    shifted by ``offset``: the per-round played-arm regret of the uniform-random policy after t_p."""
    from .experiments import compute_truth  # the compiled orthant gaps of the experiments

    xs = (np.arange(n_grid) + 0.5) / n_grid
    return float(compute_truth(scale * appendix_h_means(xs, n_arms), Cone.orthant(2), offset).gaps.mean())


def gap_scale_table(tables, block, seed) -> pd.DataFrame:
    """``pareto_gap_scale``: Remark (iii) (line 135) and the ``gap_offset`` convention, scale by scale.

    Appendix B's arms under C1 and C3, for every scale ``alpha`` of ``formula_checks.remark3_scales`` (and 1): the
    exact gap of Definition 7 (offset 0) and the gap of the study's convention (``means + gap_offset``), each with
    its change from ``alpha = 1``. Appendix H (``formula_checks.n_arms`` arms, contexts ~ Q on a grid of
    ``formula_checks.grid``): the mean gap of a uniformly random arm, the regret unit of the experiments, at
    the same scales and at offsets ``gap_offset / 10, gap_offset, 10 gap_offset`` (its means hit 0, so the exact
    gap is not defined there). Columns: ``instance, arm, scale, offset, min_mean`` (the smallest shifted, scaled
    mean), ``gap, gap_at_scale_1, change``.
    """
    from .appendix_b import ARM_MEANS, ARM_NAMES, cones

    checks = block["formula_checks"]
    offset = float(block["gap_offset"])
    scales = sorted({1.0, *(float(s) for s in checks["remark3_scales"])})
    rows = []
    for name, cone in cones().items():
        for shift in (0.0, offset):
            base = pareto_gap(ARM_MEANS, cone, offset=shift)
            for scale in scales:
                gaps = pareto_gap(scale * ARM_MEANS, cone, offset=shift)
                for k, arm in enumerate(ARM_NAMES):
                    rows.append(
                        {
                            "instance": f"appendix_b_{name}",
                            "arm": arm,
                            "scale": scale,
                            "offset": shift,
                            "min_mean": float((scale * ARM_MEANS).min() + shift),
                            "gap": float(gaps[k]),
                            "gap_at_scale_1": float(base[k]),
                        }
                    )
    n_arms, n_grid = int(checks["n_arms"]), int(checks["grid"])
    for shift in (offset / 10, offset, 10 * offset):
        base = _appendix_h_random_arm_gap(n_arms, n_grid, 1.0, shift)
        for scale in scales:
            rows.append(
                {
                    "instance": f"appendix_h_K{n_arms}",
                    "arm": "uniform random arm (mean over arms and contexts)",
                    "scale": scale,
                    "offset": shift,
                    "min_mean": shift,  # the Appendix H means reach 0
                    "gap": _appendix_h_random_arm_gap(n_arms, n_grid, scale, shift),
                    "gap_at_scale_1": base,
                }
            )
    table = pd.DataFrame(rows)
    table["change"] = table["gap"] - table["gap_at_scale_1"]
    return table


# ------------------------------------------------------------------------ Appendix H, line 983: nu


def front_distance(means_a, pareto_a, means_b, pareto_b, offset: float) -> np.ndarray:
    """Definition 8's ``d_p`` (orthant) between the Pareto sets of paired rows: ``means_a`` and ``means_b`` are
    (n, K, M), ``pareto_a`` and ``pareto_b`` their (n, K) Pareto masks; the gaps are those of ``means + offset``.

    Closed form of the orthant (:mod:`.cones`): ``Delta(a, B) = max(0, max_{q in B} min_m log(q_m / a_m))``, and
    ``d_p(A, B) = max(max_{a in A} Delta(a, B), max_{b in B} Delta(b, A))``; tests check it against
    :func:`~.cones.preference_distance`.
    """
    log_a, log_b = np.log(np.asarray(means_a) + offset), np.log(np.asarray(means_b) + offset)

    def one_way(log_x, mask_x, log_y, mask_y):
        need = (log_y[:, None, :, :] - log_x[:, :, None, :]).min(axis=3)  # [n, x, y]
        need = np.where(mask_y[:, None, :], need, -np.inf)
        gaps = np.maximum(need.max(axis=2), 0.0)
        return np.where(mask_x, gaps, 0.0).max(axis=1)

    return np.maximum(one_way(log_a, pareto_a, log_b, pareto_b), one_way(log_b, pareto_b, log_a, pareto_a))


def _pareto_masks(means: np.ndarray) -> np.ndarray:
    """Orthant Pareto mask (Definition 2.2 dominance) of every row of ``means`` (n, K, M)."""
    dominated = Cone.orthant(means.shape[2]).dominates(means[:, :, None, :], means[:, None, :, :]).any(axis=1)
    return ~dominated


def dp_transport(nu: float, n_arms: int, offset: float, n_grid: int) -> float:
    """``E_U[d_p(P(F_nu^-1(U)), P(U))]``: Definition 8's metric between the Pareto sets of a source context and a
    target context at the same quantile ``U`` (the monotone coupling of ``P_nu = (nu + 1) x^nu`` and ``Q`` uniform,
    ``F_nu^-1(u) = u^(1/(nu+1))``), on a midpoint grid of ``n_grid`` quantiles, for the Appendix H means of
    ``n_arms`` arms plus ``offset``. 0 at ``nu = 0`` (P = Q). Our construction: the paper defines no dissimilarity of
    distributions through ``d_p``."""
    u = (np.arange(n_grid) + 0.5) / n_grid
    source, target = appendix_h_means(u ** (1.0 / (nu + 1.0)), n_arms), appendix_h_means(u, n_arms)
    distance = front_distance(source, _pareto_masks(source), target, _pareto_masks(target), offset)
    return float(distance.mean())


def nu_dissimilarity_table(tables, block, seed) -> pd.DataFrame:
    """``pareto_nu_dissimilarity``: the dissimilarity of Appendix H's source ``P_nu`` from ``Q`` for every exponent of
    ``formula_checks.nu_exponents``: Definition 4's ``rho_h(P_nu, Q)`` at every ``h`` of ``formula_checks.rho_h``
    (:func:`~.theory.dissimilarity`), and Definition 8's metric through :func:`dp_transport` (``n_arms`` and ``grid``
    of ``formula_checks``, the study's ``gap_offset``). Columns: ``measure, h, nu, value`` (``h = 0`` on the rows of
    Definition 8, which has no ball radius)."""
    checks = block["formula_checks"]
    nus = sorted(float(nu) for nu in checks["nu_exponents"])
    rows = [
        {"measure": "definition4", "h": float(h), "nu": nu, "value": dissimilarity([nu], h=float(h))}
        for h in checks["rho_h"]
        for nu in nus
    ]
    offset, n_arms, n_grid = float(block["gap_offset"]), int(checks["n_arms"]), int(checks["grid"])
    rows += [
        {"measure": "definition8", "h": 0.0, "nu": nu, "value": dp_transport(nu, n_arms, offset, n_grid)} for nu in nus
    ]
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- Theorem 1's min term


def theorem1_factors(horizon: int, change_points, nus, h: float = 0.05) -> pd.DataFrame:
    """The two terms of ``min{rho(P,Q)/t_p, rho(Q,Q)/(T - t_p)}`` in Theorem 1 (lines 297-304) on Appendix H, with
    ``rho = rho_h`` of Definition 4 (the theorem names no ``h``), one row per (nu, t_p): ``source_term``,
    ``target_term``, ``factor = source_term / target_term`` (above 1: the ``min`` takes the target term) and
    ``min_takes`` (``"target"`` or ``"source"``)."""
    rho_qq = dissimilarity([0.0], h=h)
    rows = []
    for nu in nus:
        rho_pq = dissimilarity([float(nu)], h=h)
        for t_p in change_points:
            source, target = rho_pq / t_p, rho_qq / (horizon - t_p)
            rows.append(
                {
                    "nu": float(nu),
                    "h": float(h),
                    "T": int(horizon),
                    "t_p": int(t_p),
                    "rho_PQ": rho_pq,
                    "rho_QQ": rho_qq,
                    "source_term": source,
                    "target_term": target,
                    "factor": source / target,
                    "min_takes": "target" if target < source else "source",
                }
            )
    return pd.DataFrame(rows)


def theorem1_terms_table(tables, block, seed) -> pd.DataFrame:
    """``pareto_theorem1_terms``: :func:`theorem1_factors` on the ``tp`` experiment's horizon and change points (the
    Appendix H.1 design) for every exponent of ``formula_checks.nu_exponents`` and every ``h`` of
    ``formula_checks.rho_h`` (finding ``004-theorem1-min-term``)."""
    checks = block["formula_checks"]
    tp = block["experiments"].get("tp")
    if tp is None:
        return pd.DataFrame(columns=["nu", "h", "T", "t_p", "source_term", "target_term", "factor", "min_takes"])
    nus = sorted(float(nu) for nu in checks["nu_exponents"])
    frames = [theorem1_factors(int(tp["T"]), tp["grid"]["t_p"], nus, float(h)) for h in checks["rho_h"]]
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------ regret (2) of full supports


def support_regret(n_arms: int = 10, n_grid: int = 201, offset: float = 1.0) -> dict[str, float]:
    """Regret (2)'s per-round term ``d_p(P^pi(x), P*(x))`` (eq. (2), Definitions 6 and 8, orthant, means + offset) on
    Appendix H at ``n_grid`` contexts, for supports that contain the Pareto set ``P*(x)`` and for supports that do not.

    Supports containing ``P*(x)``: ``P*(x)`` alone (the oracle), ``P*(x)`` and one other arm (each in turn), every arm
    (uniform random). Supports that do not: every arm but one Pareto arm (each in turn, where ``P*(x)`` has two or
    more arms). ``P^pi(x)`` is the support's non-dominated arms under the true means (Definition 6). Returns the
    largest term of each kind: ``{"containing": ..., "missing": ...}``.
    """
    xs = (np.arange(n_grid) + 0.5) / n_grid
    means = appendix_h_means(xs, n_arms)
    pstar = _pareto_masks(means)
    cone = Cone.orthant(means.shape[2])
    supports = {"containing": [pstar, np.ones_like(pstar)], "missing": []}
    for arm in range(n_arms):
        with_arm = pstar.copy()
        with_arm[:, arm] = True
        supports["containing"].append(with_arm)
        without = np.ones_like(pstar)
        without[:, arm] = False
        keep = pstar[:, arm] & (pstar.sum(axis=1) >= 2)  # contexts where the support misses the Pareto arm
        supports["missing"].append((without, keep))
    worst = {}
    for kind, items in supports.items():
        largest = 0.0
        for item in items:
            support, rows = (item, np.ones(n_grid, bool)) if kind == "containing" else item
            if not rows.any():
                continue
            dominated = cone.dominates(means[:, :, None, :], means[:, None, :, :]) & support[:, :, None]
            policy_front = support & ~dominated.any(axis=1)
            distance = front_distance(means, policy_front, means, pstar, offset)
            largest = max(largest, float(distance[rows].max()))
        worst[kind] = largest
    return worst
