"""Running sufficient statistics of the bandit policies, per (instance, arm), and the settings of the fits on them.

A policy adds each segment's observations to running sums ``X'X``, ``X'y`` and counts per (instance,
arm) and refits from them with the estimators' functions (:mod:`banditlab.estimators`,
:mod:`banditlab.lasso`), never from raw rows.
"""

from __future__ import annotations

import numpy as np

from .env import group_rows

__all__ = ["SufficientStats", "OLS_RIDGE", "LASSO_TOL", "LASSO_MAX_ITER"]

OLS_RIDGE = 1e-9
"""Ridge of every OLS fit of a bandit policy, as a fraction of the Gram matrix's mean diagonal
(``ols_from_gram(..., ridge=OLS_RIDGE)``): a policy refits many times on Gram matrices that are
rank-deficient in its early segments (fewer samples of an arm than d), which this solves with one
Cholesky solve each, close to the minimum-norm solution."""

LASSO_TOL = 1e-8
"""Coordinate-descent tolerance of every LASSO fit of a bandit policy (:func:`banditlab.lasso.lasso_gram`)."""

LASSO_MAX_ITER = 1_000_000
"""Sweep limit of those fits: coordinate descent on a rank-deficient Gram matrix (fewer samples of an arm
than d) can need 1e5 to 1e6 sweeps (``docs/bandit-baselines.md``). A fit of RMBandit that does not converge raises;
one of the LASSO Bandit's per-instance fits warns and keeps its last iterate: its forced-sample fit on a single
sample of an arm (a rank-one Gram matrix) moves weight between two coordinates of nearly equal size at a rate no
sweep limit bounds, while the objective has all but stopped decreasing."""


class SufficientStats:
    """Running ``X'X``, ``X'y`` and counts per (instance, arm): arrays (N, K, d, d), (N, K, d), (N, K).

    ``X_g' X_g`` of a group is one BLAS call (numpy computes a product ``A.T @ A`` with ``syrk`` and
    mirrors it, so the result is exactly symmetric); it is added to the running matrix in place.
    """

    def __init__(self, N: int, K: int, d: int) -> None:
        self.N, self.K = N, K
        self.gram = np.zeros((N, K, d, d))
        self.xty = np.zeros((N, K, d))
        self.count = np.zeros((N, K))

    def add(self, Z: np.ndarray, arms: np.ndarray, X: np.ndarray, y: np.ndarray) -> None:
        """Add a segment's observations: one ``X_g' X_g`` product per (instance, arm) group."""
        groups = Z * self.K + arms
        order, bounds = group_rows(groups, self.N * self.K)
        for g in np.flatnonzero(np.diff(bounds)):
            rows = order[bounds[g] : bounds[g + 1]]
            j, k = divmod(int(g), self.K)
            Xg = X[rows]
            self.gram[j, k] += Xg.T @ Xg
            self.xty[j, k] += Xg.T @ y[rows]
            self.count[j, k] += rows.size

    def add_one(self, j: int, k: int, x: np.ndarray, y: float) -> None:
        """Add one observation (context ``x``, reward ``y``) of arm ``k`` at instance ``j``."""
        self.gram[j, k] += np.outer(x, x)
        self.xty[j, k] += x * y
        self.count[j, k] += 1

    def copy(self) -> SufficientStats:
        other = SufficientStats.__new__(SufficientStats)
        other.N, other.K = self.N, self.K
        other.gram, other.xty, other.count = self.gram.copy(), self.xty.copy(), self.count.copy()
        return other
