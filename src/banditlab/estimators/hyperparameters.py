"""Corollary 1's hyperparameters of the multitask estimators (Xu and Bastani, Section 3.4).

``lam="theory"`` and ``trim_fraction="theory"`` of :class:`~banditlab.estimators.RobustMultitask` and
:class:`~banditlab.estimators.AveragingMultitask` call these. They sit with the estimators, which every
study shares; :mod:`banditlab.estimation.theory` re-exports them beside the bounds they come from.
"""

from __future__ import annotations

import math

__all__ = ["lambda_theory", "trim_fraction_theory"]


def lambda_theory(noise_sd: float, x_max: float, n_obs: float, dim: int, confidence: float = 0.05) -> float:
    """``lambda_j = sqrt(32 sigma_j^2 x_max^2 / n_j * log(4d/delta))`` (Corollary 1 and 2)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence (delta) must be in (0, 1), got {confidence}")
    if min(noise_sd, x_max, n_obs, dim) <= 0:
        raise ValueError("noise_sd, x_max, n_obs and dim must all be > 0")
    return math.sqrt(32 * noise_sd**2 * x_max**2 / n_obs * math.log(4 * dim / confidence))


def trim_fraction_theory(sparsity: int, dim: int) -> float:
    """The trimming level ``zeta = sqrt(s/d)`` of Corollary 1.

    Lemma 1 asks for ``omega = zeta + eta`` with ``eta = sqrt(5s/(2d) log(3d/delta))`` (statement) or
    ``sqrt(9/N log(6d/delta))`` (proof); both push omega past 1/2 unless d is in the thousands, so the
    theory default trims ``zeta`` itself. Raises when ``s/d >= 1/4`` (then ``zeta >= 1/2``).
    """
    if not (1 <= sparsity <= dim):
        raise ValueError(f"sparsity s must satisfy 1 <= s <= d={dim}, got {sparsity}")
    zeta = math.sqrt(sparsity / dim)
    if zeta >= 0.5:
        raise ValueError(
            f"trim_fraction='theory' is sqrt(s/d) = {zeta:.3f} >= 0.5 for s={sparsity}, d={dim}; need s/d < 1/4"
        )
    return zeta
