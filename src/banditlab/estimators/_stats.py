"""Sufficient statistics, per-instance OLS and the element-wise trimmed mean (Algorithm 1, Step 1)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import check_trim_fraction

# An instance whose Gram matrix has eigenvalue ratio below this is treated as rank-deficient.
RANK_TOLERANCE = 1e-10


def gram_statistics(Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-instance ``X'X/n_j`` (N, d, d), ``X'y/n_j`` (N, d) and counts ``n_j`` (N,)."""
    counts = np.array([len(y) for y in ys], dtype=float)
    grams = np.stack([X.T @ X for X in Xs]) / counts[:, None, None]
    xtys = np.stack([X.T @ y for X, y in zip(Xs, ys)]) / counts[:, None]
    return grams, xtys, counts


def ols_from_gram(
    grams: np.ndarray, xtys: np.ndarray, ols: str = "raise", instances: Sequence[int] | None = None
) -> np.ndarray:
    """Per-instance OLS ``(X_j'X_j)^{-1} X_j'y_j`` (Algorithm 1, Step 1) from sufficient statistics.

    Parameters
    ----------
    grams, xtys : ndarrays (N, d, d) and (N, d)
    ols : {"raise", "lstsq"}
        What to do with a rank-deficient instance (for example n_j < d): ``"raise"`` names it in a
        ValueError; ``"lstsq"`` uses the minimum-norm least-squares solution (pseudo-inverse), which is
        not the paper's estimator but keeps a pipeline running on degenerate designs.
    instances : sequence of int, optional
        Only these instances are solved (others are returned as NaN rows); default all.
    """
    if ols not in ("raise", "lstsq"):
        raise ValueError(f"ols must be 'raise' or 'lstsq', got {ols!r}")
    n_instances, d = xtys.shape
    chosen = range(n_instances) if instances is None else instances
    coefs = np.full((n_instances, d), np.nan)
    for j in chosen:
        eigenvalues = np.linalg.eigvalsh(grams[j])
        rank_deficient = eigenvalues[0] <= RANK_TOLERANCE * max(eigenvalues[-1], np.finfo(float).tiny)
        if rank_deficient and ols == "raise":
            raise ValueError(
                f"instance {j}: the design X_{j}'X_{j} is singular or rank-deficient "
                f"(smallest/largest eigenvalue {eigenvalues[0]:.3g}/{eigenvalues[-1]:.3g}; n_j < d?), so its OLS "
                "estimate is undefined; give it more observations, or pass ols='lstsq' for the minimum-norm solution"
            )
        if rank_deficient:
            coefs[j] = np.linalg.lstsq(grams[j], xtys[j], rcond=None)[0]
        else:
            coefs[j] = np.linalg.solve(grams[j], xtys[j])
    return coefs


def trimmed_mean(values: np.ndarray, trim_fraction: float) -> np.ndarray:
    """Element-wise trimmed mean over instances (Section 3.1; Algorithm 1, eq. (2)).

    Sorts each column of ``values`` (N, d) and averages after removing ``floor(trim_fraction * N)``
    values from each end; ``trim_fraction = 0`` is the plain mean. This is the paper's
    ``TrimmedMean(., omega)`` with ``omega = trim_fraction`` and the same convention as
    ``scipy.stats.trim_mean(values, trim_fraction, axis=0)``.

    Examples
    --------
    >>> trimmed_mean(np.array([[1.0], [2.0], [3.0], [100.0]]), 0.25)
    array([2.5])
    """
    trim_fraction = check_trim_fraction(trim_fraction)
    values = np.asarray(values, dtype=float)
    return trimmed_mean_count(values, int(np.floor(trim_fraction * values.shape[0])))


def trimmed_mean_count(values: np.ndarray, n_cut: int) -> np.ndarray:
    """Element-wise mean of ``values`` (N, d) after removing ``n_cut`` values from each end of every column.

    The count form of :func:`trimmed_mean`, for callers whose trimming rule is not ``floor(omega N)``
    (the bandit's omega paths, which can exceed 1/2 and are then read as the median).
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    n_values = values.shape[0]
    if not 0 <= n_cut <= (n_values - 1) // 2:
        raise ValueError(f"n_cut must be in [0, {(n_values - 1) // 2}] for {n_values} values, got {n_cut}")
    if n_cut == 0:
        return values.mean(axis=0)
    ordered = np.sort(values, axis=0)
    return ordered[n_cut : n_values - n_cut].mean(axis=0)
