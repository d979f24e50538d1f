"""Paper 004's formulas that its checks and figures evaluate: the dissimilarity of Definition 4, the decay
exponents of the printed bounds (Theorems 1-2) and Appendix H's Pareto-index claim against the computed sets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cones import Cone, pareto_set
from .env import appendix_h_means, claimed_pareto_indices

__all__ = [
    "dissimilarity",
    "pareto_claim_table",
    "printed_rate_exponent",
    "schedule_dissimilarity",
    "theorem2_exponent",
]


def pareto_claim_table(n_arms=(5, 10, 20), n_grid: int = 1001) -> pd.DataFrame:
    """Appendix H's claim (Pareto arms = indices in [floor k1(x), ceil k2(x)]) vs :func:`pareto_set`.

    One row per K: share of grid contexts where the claimed and computed (orthant) sets coincide,
    where the claimed set is empty, where it holds two indices (its most), mean sizes, and a few example contexts.
    """
    cone = Cone.orthant(2)
    xs = np.linspace(0.0, 1.0, n_grid)
    rows = []
    for k in n_arms:
        means = appendix_h_means(xs, k)
        equal = []
        empty = []
        sizes_claim, sizes_true = [], []
        examples = []
        for i, x in enumerate(xs):
            true = pareto_set(means[i], cone)
            claim = claimed_pareto_indices(x, k)
            equal.append(np.array_equal(true, claim))
            empty.append(claim.size == 0)
            sizes_claim.append(claim.size)
            sizes_true.append(true.size)
            if i in (0, n_grid // 4, n_grid // 2, 3 * n_grid // 4, n_grid - 1):
                examples.append(f"x={x:.2f}: claimed {(claim + 1).tolist()} true {(true + 1).tolist()}")
        rows.append(
            {
                "K": k,
                "n_contexts": n_grid,
                "share_equal": float(np.mean(equal)),
                "share_claim_empty": float(np.mean(empty)),
                "share_claim_two": float(np.mean(np.asarray(sizes_claim) == 2)),
                "mean_size_claimed": float(np.mean(sizes_claim)),
                "mean_size_true": float(np.mean(sizes_true)),
                "examples_1based": "; ".join(examples),
            }
        )
    return pd.DataFrame(rows)


def dissimilarity(exponents, weights=None, h: float = 0.05, n_grid: int = 4001) -> float:
    """``rho_h(P, Q) = E_{X~Q}[1 / P(B(X, h))]`` (Definition 4, Pathak et al.), Q uniform on [0, 1].

    ``P`` is the mixture ``sum_j w_j (a_j + 1) x^a_j`` (Theorem 3's ``P~``; one component = one source).
    """
    exponents = np.atleast_1d(np.asarray(exponents, dtype=float))
    weights = np.full(exponents.size, 1.0 / exponents.size) if weights is None else np.asarray(weights, float)
    x = (np.arange(n_grid) + 0.5) / n_grid
    lo, hi = np.clip(x - h, 0, 1), np.clip(x + h, 0, 1)
    mass = sum(w * (hi ** (a + 1) - lo ** (a + 1)) for a, w in zip(exponents, weights))
    return float(np.mean(1.0 / mass))


def schedule_dissimilarity(schedule: dict) -> float:
    """rho(P~, Q) of Theorem 3: the mixture of a schedule's sources weighted by their durations."""
    change_points = np.asarray(schedule["change_points"], dtype=float)
    durations = np.diff(np.concatenate([[0.0], change_points]))
    return dissimilarity(schedule["exponents"], durations / durations.sum())


def theorem2_exponent(alpha: float, beta: float, gamma: float) -> float:
    """Decay exponent in T of Theorem 2's bound at fixed t_p (T - t_p > t_p): the slower of its two terms.

    First term: ``(1/(T - t_p))^((alpha+1)/alpha * gamma (beta+1)/beta + 1/alpha)``; second: ``^((alpha+1)/beta)``.
    """
    first = (alpha + 1) / alpha * gamma * (beta + 1) / beta + 1 / alpha
    return -min(first, (alpha + 1) / beta)


def printed_rate_exponent(a: float, alpha: float, beta: float) -> float:
    """Decay exponent in T of the printed bound for source exponent ``a``: Theorem 1 (``a >= 0``, Appendix H's
    nu) or Theorem 2 (``a = -gamma < 0``, Example 3), at fixed t_p."""
    return -(alpha + 1) / beta if a >= 0 else theorem2_exponent(alpha, beta, -a)
