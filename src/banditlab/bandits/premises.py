"""The premises of paper 000's Section 4 claims (Theorem 2, Corollaries 3-4, Theorem 3), computed from the paper's
formulas on one experiment, and why Appendix C.1's hyperparameters cannot be met at any affordable size.

Each ``*_premises(params)`` is a pure function of one experiment's parameters: ``N`` instances, ``K`` arms,
``d``, ``s``, ``T`` the total horizon (all arrivals), the hyperparameters used (``h``, ``zeta10`` and ``eta10``
of the all-sample trimming path), and the measured ``filter_exclusion``: the share of arrivals after the
forced-sampling batch at which the forced-sample filter excluded the optimal arm (Proposition 2's event,
measured; None when the row lacks it: "not checked"). They return :class:`banditlab.verdicts.Premise` items
citing the lines of ``shared/papers/000_*.txt``.

The printed hyperparameters of Appendix C.1 are not a premise here: no affordable instance meets them
(:func:`appendix_c1_premise` says why, with numbers), and the experiments use practical ones
(:func:`banditlab.bandits.hyperparameters.practical`). What the C.1 values exist to guarantee is Proposition 2's
event A, that every forced-sample estimator is within ``h/(4 x_max)`` of the truth, so that the forced-sample
filter never excludes an optimal arm (Lemma 11: A fails with probability at most ``10KN/T``). That event is the
premise, measured on each run; with it the rest of the proof (Proposition 3 on event A, Lemmas 17-21) needs the
all-sample trimming path to satisfy eq. (29), which the hyperparameters used are checked against.

Theorem 2's ``d = Omega(log(dNT))`` and ``N = Omega(log(dNT))`` (line 458) are read with constant 1 (the
proof's own form of the second, eq. (29) at the last batch, needs ``N >= 9 log(dT/2) / (rho (1/2 - c -
zeta)^2)``, at least 36 log(dT/2): the reading is generous).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..verdicts import Premise

__all__ = [
    "C_LEMMA1",
    "appendix_c1_constraints",
    "appendix_c1_premise",
    "appendix_c1_smallest_n",
    "arms_premises",
    "corollary4_premises",
    "eq23_eq26_window",
    "proposition2_premises",
    "theorem2_premises",
    "theorem3_premises",
    "smallest_instances",
]

C_LEMMA1 = 0.01
"""Lemma 1's constant c where a premise needs one (as in :mod:`banditlab.estimation.premises`)."""


def _log_dnt(d: float, N: float, T: float) -> float:
    return math.log(d * N * T)


def _event_a(params: Mapping, instances: float) -> Premise:
    """Proposition 2's event A, measured: the filter's exclusion share at most Lemma 11's ``10 K N / T``.

    A positive share in a replicate means A failed there (under A the filter keeps every optimal arm), so the
    mean share over replicates is at most ``P[A fails]``, whatever the instances it is measured on: the checks pass
    the largest of the shares over all arrivals and over the target's (data-poor and network experiments)."""
    K, T = float(params["K"]), float(params["T"])
    allowed = 10 * K * instances / T
    where = "lines 524-532, Lemma 11 (line 1233)"
    name = "Proposition 2's event A (the forced-sample filter keeps the optimal arm)"
    share = params.get("filter_exclusion")
    if share is None or not math.isfinite(float(share)):
        return Premise(
            name, None, "not measured on this row (share of arrivals whose filter excludes the optimal arm)", where
        )
    share = float(share)
    detail = (
        f"the filter excludes the optimal arm at {share:.3g} of the arrivals; Lemma 11 allows {allowed:.3g} = 10KN/T"
    )
    return Premise(name, share <= allowed, detail, where)


def _d_vs_s(d: float, s: float) -> Premise:
    return Premise("d > 4s", d > 4 * s, f"d = {d:g}, s = {s:g}", "line 458")


def _omega_logs(d: float, N: float, T: float, who: str = "N", horizon_fixed: bool = False) -> list[Premise]:
    bound = _log_dnt(d, N, T)
    if horizon_fixed:
        needed = f"needs {who} >= {smallest_n(d, T, per_instance=False):g} at this T"
    else:
        needed = f"needs {who} >= {smallest_n(d, T / N):g} at this T per instance"
    return [
        Premise("d = Omega(log(dNT)) (constant 1)", d >= bound, f"d = {d:g} vs log(dNT) = {bound:.3g}", "line 458"),
        Premise(
            f"{who} = Omega(log(dNT)) (constant 1)",
            N >= bound,
            f"{who} = {N:g} vs log(dNT) = {bound:.3g} (T = {T:g}; {needed})",
            "line 458",
        ),
    ]


def smallest_n(d: float, horizon: float, per_instance: bool = True) -> int:
    """Smallest N with ``N >= log(d N T)`` (Theorem 2's condition, constant 1): ``T = N horizon`` when ``horizon`` is
    per instance (the standard experiments), else ``T = horizon``.

    >>> smallest_n(20, 4000), smallest_n(20, 40_000, per_instance=False)
    (17, 17)
    """
    n = 1
    while n < math.log(d * n * (n * horizon if per_instance else horizon)):
        n += 1
    return n


def _all_sample_path(params: Mapping, c: float) -> Premise:
    """Eq. (29) (line 1383) for the trimming path used: ``zeta_{1,0} + eta_{1,0} sqrt(log(d |B_m|)) <= 1/2 - c``
    at every batch (``|B_m| <= T``), and ``eta > 0`` (Lemma 1)."""
    d, T = float(params["d"]), float(params["T"])
    zeta, eta = float(params["zeta10"]), float(params["eta10"])
    largest = zeta + eta * math.sqrt(math.log(d * T))
    detail = (
        f"zeta_1,0 + eta_1,0 sqrt(log(dT)) = {zeta:.3g} + {eta:.3g} x {math.sqrt(math.log(d * T)):.3g} = {largest:.3g}"
    )
    met = eta > 0 and largest <= 0.5 - c
    if eta <= 0:
        detail += " (eta = 0: Lemma 1 needs eta > 0)"
    return Premise("eq. (29): the all-sample trimming path within Lemma 1", met, detail, "line 1383")


def theorem2_premises(params: Mapping, c: float = C_LEMMA1) -> list[Premise]:
    """Theorem 2 and Corollary 3 (lines 458-470): ``d > 4s``; ``d`` and ``N`` at least ``log(dNT)``; Proposition 2's
    event A, measured; eq. (29) for the all-sample trimming path used. (Equal traffic, ``p_j = Theta(1/N)``, line 454,
    holds in every standard experiment.)

    >>> params = dict(N=10, K=2, d=20, s=1, T=40_000, zeta10=0.2236, eta10=0.02, filter_exclusion=None)
    >>> [(p.name, p.met) for p in theorem2_premises(params) if p.met is not True]  # doctest: +NORMALIZE_WHITESPACE
    [('N = Omega(log(dNT)) (constant 1)', False),
     ("Proposition 2's event A (the forced-sample filter keeps the optimal arm)", None)]
    """
    N, d, s, T = (float(params[key]) for key in ("N", "d", "s", "T"))
    return [_d_vs_s(d, s), *_omega_logs(d, N, T), _event_a(params, N), _all_sample_path(params, c)]


def corollary4_premises(params: Mapping, c: float = C_LEMMA1) -> list[Premise]:
    """Corollary 4 (line 486; proof line 1521): Theorem 2's premises with ``N -> N~`` and ``s -> s~ = min(N~^alpha, d)``
    at both N~ a row compares (``n_tilde`` and ``n_tilde_end``), and ``N = Omega(d^(1/(alpha+1)))`` (constant 1)."""
    N, d, T, alpha = (float(params[key]) for key in ("N", "d", "T", "alpha"))
    out = [
        Premise(
            "N = Omega(d^(1/(alpha+1))) (constant 1)",
            N >= d ** (1 / (alpha + 1)),
            f"N = {N:g} vs d^(1/(alpha+1)) = {d ** (1 / (alpha + 1)):.3g}",
            "line 486",
        )
    ]
    for key in ("n_tilde", "n_tilde_end"):
        n_tilde = float(params[key])
        s_tilde = min(n_tilde**alpha, d)
        for premise in (_d_vs_s(d, s_tilde), _omega_logs(d, n_tilde, T, "N~", horizon_fixed=True)[1]):
            out.append(Premise(f"{premise.name} at N~ = {n_tilde:g}", premise.met, premise.detail, "lines 486, 1521"))
    out += [_event_a(params, N), _all_sample_path(params, c)]
    return out


def arms_premises(params: Mapping, c: float = C_LEMMA1) -> list[Premise]:
    """Corollary 3 read along K (line 470: the bound is linear in K): Theorem 2's premises, and the constants of
    Assumptions 3-5 (p_*, psi, rho, h) held fixed along the K grid, as the O(.) treats them. With K arms that are
    each optimal somewhere (Assumption 3 (ii), line 157) the optimal regions share the context space, so
    ``p_* <= 1/K`` falls along any K grid and C.1's q carries ``1/p_*`` (line 1016): not met by this problem family
    (every arm's parameters drawn alike), whose arms are exchangeable. ``params["K_grid"]``: the grid's K values."""
    grid = [int(k) for k in params["K_grid"]]
    exchangeable = Premise(
        "the constants of Assumptions 3-5 fixed along K",
        len(grid) < 2,
        f"K in {grid}: every arm is optimal on part of the contexts (exchangeable arms), so p_* <= 1/K falls from "
        f"<= {1 / min(grid):.3g} to <= {1 / max(grid):.3g} along the grid, and q (line 1016) grows like 1/p_*",
        "lines 151-158, 1016",
    )
    return [*theorem2_premises(params, c), exchangeable]


def proposition2_premises(params: Mapping) -> list[Premise]:
    """Proposition 2 (line 518) and Lemma 11 (line 1233): ``d`` and ``N`` at least ``log(dNT)``, and the forced-sample
    hyperparameters and q at Theorem 2's values (Appendix C.1), which no affordable instance meets
    (:func:`appendix_c1_premise`)."""
    N, d, T = (float(params[key]) for key in ("N", "d", "T"))
    return [*_omega_logs(d, N, T), appendix_c1_premise(params)]


def theorem3_premises(params: Mapping) -> list[Premise]:
    """Theorem 3 (line 498; D.1 line 1541): ``d > 4s`` (Corollary 3's setting); ``p_l/p_j = Theta(d^2)``; the
    forced-sample event for the target and its neighbour (measured, ``10 K 2 / T``). The trimmed mean of a single
    neighbour needs no ``N = Omega(log(dNT))`` (line 1541)."""
    d, s = float(params["d"]), float(params["s"])
    ratio = float(params["ratio"])
    return [
        _d_vs_s(d, s),
        Premise(
            "p_l/p_j = Theta(d^2)",
            ratio > 0 and math.isclose(ratio / d**2, float(params.get("ratio_scale", ratio / d**2))),
            f"p_l/p_j = {ratio:g} = {ratio / d**2:g} d^2",
            "line 498",
        ),
        _event_a(params, 2),
    ]


# ----------------------------------------------------------------------------------------- Appendix C.1


def _room(c: float, zeta: float) -> float:
    return 0.5 - c - zeta


def appendix_c1_q(N, K, d, s, sigma, x_max, p_star, psi, h, c) -> float:
    """C.1's q (line 1016) at equal traffic ``p_i = 1/N`` (the four terms, as printed)."""
    ratio = sigma**2 * N  # max_i sigma_i^2 / p_i
    return max(
        (384 * math.sqrt(3)) ** 2
        * x_max**2
        * ratio
        * K
        * d**2
        * math.log(d)
        * math.log(N)
        / (c**2 * h**2 * p_star * psi * N),
        192**3 * x_max**4 * ratio * K * s * d * math.log(d) / (h**2 * p_star**2 * psi**2),
        96 * x_max**2 * K * d * math.log(d * N) / (p_star * psi / N),
        60 * K * math.log(N) / (p_star / N),
    )


def appendix_c1_constraints(N, K, d, s, T, sigma=0.5, x_max=1.0, p_star=0.5, psi=1 / 3, rho=1.0, h=1.0, c=0.1) -> dict:
    """The proof's constraints on ``|B_0| = q log T`` and T with C.1's q, each as (left, right, met).

    * ``B_0 < T``: at least one batch after forced sampling (Algorithm 2, line 412);
    * eq. (23) (line 1150): ``|B_0| >= 96^2 x^2 max(sigma^2/p) K s d log(16d/s) / (c^2 h^2 p* psi)``;
    * eq. (26) (line 1187): ``|B_0| <= 128^2 (1/2 - c - zeta)^2 x^2 max(sigma^2/p) K d^2 / (c^2 h^2 p* psi)``;
    * eq. (29) at the last batch (lines 1383, 1489-1491): ``log(dT/2) <= rho N (1/2 - c - zeta)^2 / 9``;
    * line 1211: ``c >= 1/(16 sqrt 6)`` (with it, (23) follows from ``T >= (16d/s)^2``, line 1215).
    """
    zeta = math.sqrt(s / d)
    ratio = sigma**2 * N
    q = appendix_c1_q(N, K, d, s, sigma, x_max, p_star, psi, h, c)
    b0 = q * math.log(T)
    scale = x_max**2 * ratio * K / (c**2 * h**2 * p_star * psi)
    eq23 = 96**2 * scale * s * d * math.log(16 * d / s)
    eq26 = 128**2 * _room(c, zeta) ** 2 * scale * d**2 if _room(c, zeta) > 0 else -math.inf
    eq29 = rho * N * max(_room(c, zeta), 0) ** 2 / 9
    return {
        "q": q,
        "B_0 < T": (b0, T, b0 < T),
        "(23) B_0 >= ...": (b0, eq23, b0 >= eq23),
        "(26) B_0 <= ...": (b0, eq26, b0 <= eq26),
        "(29) log(dT/2) <= ...": (math.log(d * T / 2), eq29, math.log(d * T / 2) <= eq29),
        "c >= 1/(16 sqrt 6)": (c, 1 / (16 * math.sqrt(6)), c >= 1 / (16 * math.sqrt(6))),
    }


def eq23_eq26_window(d: float, s: float, c: float = 0.0) -> float:
    """(23)'s lower end over (26)'s upper end for ``|B_0|``: ``0.5625 (s/d) log(16d/s) / (1/2 - c - sqrt(s/d))^2``.

    Every other factor cancels, so above 1 no N, T, c, sigma, p, psi, p* or h leaves room for ``|B_0|``.

    >>> round(eq23_eq26_window(20, 1), 2)
    2.12
    """
    room = _room(c, math.sqrt(s / d))
    return math.inf if room <= 0 else (96 / 128) ** 2 * (s / d) * math.log(16 * d / s) / room**2


def appendix_c1_feasible(N, K, d, s, sigma=0.5, x_max=1.0, p_star=0.5, psi=1 / 3, rho=1.0, h=1.0) -> dict | None:
    """A (c, T) meeting ``B_0 < T``, (26) and (29) together with C.1's q at this N, or None (c on a log grid)."""
    zeta = math.sqrt(s / d)
    for c in np.geomspace(1e-7, max(_room(0.0, zeta) - 1e-6, 1e-7), 400):
        if _room(c, zeta) <= 0:
            continue
        q = appendix_c1_q(N, K, d, s, sigma, x_max, p_star, psi, h, c)
        t_low = q * 10.0  # the smallest T with q log T < T: iterate T = q log T
        for _ in range(50):
            t_low = q * math.log(t_low)
        scale = x_max**2 * sigma**2 * N * K / (c**2 * h**2 * p_star * psi)
        log_t_26 = 128**2 * _room(c, zeta) ** 2 * scale * d**2 / q  # (26): log T <= U / q
        log_t_29 = rho * N * _room(c, zeta) ** 2 / 9 - math.log(d / 2)  # (29): log T <= ...
        log_high = min(log_t_26, log_t_29)
        if math.log(t_low) < log_high:
            return {"N": N, "c": float(c), "T_low": t_low, "T_high": math.exp(min(log_high, 700.0))}
    return None


def appendix_c1_smallest_n(K=2, d=20, s=1, sigma=0.5, x_max=1.0, p_star=0.5, psi=1 / 3, rho=1.0, h=1.0) -> dict:
    """The smallest N at which some (c, T) meets ``B_0 < T``, (26) and (29) with C.1's q (bisection on N)."""
    low, high = 2, 2
    while appendix_c1_feasible(high, K, d, s, sigma, x_max, p_star, psi, rho, h) is None:
        low, high = high, high * 2
        if high > 1e9:
            raise ValueError("no N below 1e9 meets (26) and (29)")
    while high - low > max(1, low // 200):
        middle = (low + high) // 2
        if appendix_c1_feasible(middle, K, d, s, sigma, x_max, p_star, psi, rho, h) is None:
            low = middle
        else:
            high = middle
    return appendix_c1_feasible(high, K, d, s, sigma, x_max, p_star, psi, rho, h)


def appendix_c1_premise(params: Mapping, constants: Mapping | None = None) -> Premise:
    """Appendix C.1's hyperparameters (lines 1008-1016) for this experiment: cannot be met at any affordable size.

    Not part of the claims' premises (module docstring); it says why, with numbers for this experiment's N, K,
    d, s, T (constants of Assumptions 1-5 at their most favourable: ``x_max = 1, p* = 1/2, psi = 1/3, rho = 1, h = 1,
    sigma = 0.5``)."""
    constants = {"sigma": 0.5, "x_max": 1.0, "p_star": 0.5, "psi": 1 / 3, "rho": 1.0, "h": 1.0, **(constants or {})}
    N, K, d, s, T = (float(params[key]) for key in ("N", "K", "d", "s", "T"))
    checks = appendix_c1_constraints(N, K, d, s, T, c=0.1, **constants)
    window = eq23_eq26_window(d, s)
    failing = [name for name, value in checks.items() if name != "q" and not value[2]]
    detail = (
        f"with c = 0.1, q = {checks['q']:.3g} so B_0 = q log T = {checks['q'] * math.log(T):.3g} against T = {T:g}; "
        f"fails {', '.join(failing)}; (23) and (26) leave no room for |B_0| at d = {d:g}, s = {s:g} for any N, T, c "
        f"(lower end / upper end = {window:.3g})"
    )
    return Premise("Appendix C.1's hyperparameters", False, detail, "lines 1008-1016, 1150, 1187, 1383")


def smallest_instances(t_per_instance: float = 4000, d: float = 20, s: float = 1, K: int = 2) -> dict:
    """The smallest regret experiments inside Theorem 2's premises (event A still to be measured there)."""
    n = smallest_n(d, t_per_instance)
    return {
        "Theorem 2 / Corollary 3": f"d = {d:g} > 4s, N >= {n} at T = N x {t_per_instance:g} (log(dNT) <= N), "
        f"event A (filter exclusion <= 10KN/T = {10 * K / t_per_instance:.3g} per arrival)",
        "Corollary 4": "s~ = min(N~^alpha, d) < d/4 at every N~ compared, N~ >= log(d N~ T): N~ = 1 never qualifies",
        "Theorem 3": "d > 4s (d >= 5 at s = 1), p_l/p_j proportional to d^2, event A for target and neighbour",
    }
