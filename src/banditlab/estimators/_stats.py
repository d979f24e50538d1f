"""Sufficient statistics, per-instance OLS and the element-wise trimmed mean (Algorithm 1, Step 1)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.linalg import lapack

from ._validation import check_trim_fraction

# An instance whose Gram matrix has reciprocal condition number (1-norm, estimated from its Cholesky
# factor) at or below this, or whose Cholesky factorisation fails, is treated as rank-deficient.
RANK_TOLERANCE = 1e-10


def gram_statistics(Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-instance ``X'X/n_j`` (N, d, d), ``X'y/n_j`` (N, d) and counts ``n_j`` (N,)."""
    counts = np.array([len(y) for y in ys], dtype=float)
    grams = np.stack([X.T @ X for X in Xs]) / counts[:, None, None]
    xtys = np.stack([X.T @ y for X, y in zip(Xs, ys)]) / counts[:, None]
    return grams, xtys, counts


def _cholesky(gram: np.ndarray, norm: float) -> tuple[np.ndarray | None, str]:
    """Lower Cholesky factor of ``gram`` (Fortran order) and ``""``, or ``None`` and why it is rank-deficient.

    ``norm`` is ``||G||_1``, the largest absolute column sum. The test of rank deficiency is the one
    LAPACK's expert driver ``dposvx`` uses: the factorisation
    fails (a non-positive pivot), or the reciprocal condition number in the 1-norm,
    ``1 / (||G||_1 ||G^-1||_1)`` as estimated by ``dpocon`` from the factor in O(d^2), is at most
    :data:`RANK_TOLERANCE`. For a symmetric positive definite G this number lies between
    ``(lambda_min/lambda_max)/d`` and ``lambda_min/lambda_max``, so the rule is the eigenvalue-ratio
    test it replaces up to a factor d, at a fraction of the cost of an eigendecomposition.
    """
    factor, info = lapack.dpotrf(gram.T, lower=True, clean=False)  # gram is symmetric: .T is its F-order view
    if info > 0:
        return None, f"Cholesky factorisation fails at column {info - 1}: a non-positive pivot"
    if info < 0:  # pragma: no cover - LAPACK argument error, impossible for a square float array
        raise RuntimeError(f"LAPACK dpotrf rejected argument {-info}")
    rcond, _ = lapack.dpocon(factor, norm, uplo="L")
    if not rcond > RANK_TOLERANCE:
        return None, f"reciprocal condition number {rcond:.3g} <= {RANK_TOLERANCE:g}"
    return factor, ""


def ols_from_gram(
    grams: np.ndarray,
    xtys: np.ndarray,
    ols: str = "raise",
    instances: Sequence[int] | None = None,
    inverse_diagonal: bool = False,
    ridge: float = 0.0,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Per-instance OLS ``(X_j'X_j)^{-1} X_j'y_j`` (Algorithm 1, Step 1) from sufficient statistics.

    Each Gram matrix is factorised once, ``G_j = L_j L_j'`` (Cholesky, LAPACK ``dpotrf``), and the
    same factor serves the rank test (see :data:`RANK_TOLERANCE`), the solve (``dpotrs``) and, if
    asked, the diagonal of ``G_j^{-1}`` (``dpotri``). With ``ridge > 0`` there is no rank test: every
    instance is solved by :func:`ridge_from_gram`.

    Parameters
    ----------
    grams, xtys : ndarrays (N, d, d) and (N, d)
        Symmetric Gram matrices and the matching ``X'y``: the sums ``X_j'X_j`` and ``X_j'y_j``, or
        both divided by n_j (the solution and the rank test do not depend on that scaling;
        ``diag(G_j^{-1})`` scales inversely with it).
    ols : {"raise", "lstsq"}
        What to do with a rank-deficient instance (for example n_j < d): ``"raise"`` names it in a
        ValueError; ``"lstsq"`` uses the minimum-norm least-squares solution (pseudo-inverse), which is
        not the paper's estimator but keeps a pipeline running on degenerate designs.
    instances : sequence of int, optional
        Only these instances are solved (others are returned as NaN rows); default all.
    inverse_diagonal : bool, default=False
        Also return ``diag(G_j^{-1})`` (N, d) (the pseudo-inverse's for a rank-deficient instance
        under ``ols="lstsq"``; NaN rows for instances not solved). Only with ``ridge=0``.
    ridge : float >= 0, default=0
        If positive, ``ridge`` times its mean diagonal is added to every Gram matrix, which is then
        solved by Cholesky with no rank test (``ols`` is not used): the OLS solution up to a relative
        perturbation of that order where the design has full rank, close to the minimum-norm solution
        where it has not, for one Cholesky solve where ``ols="lstsq"`` takes an SVD. For callers that
        refit many times on designs that are often rank-deficient (the bandit policies).

    Returns
    -------
    coefs : ndarray (N, d)
    inverse_diagonals : ndarray (N, d), only if ``inverse_diagonal``
    """
    if ols not in ("raise", "lstsq"):
        raise ValueError(f"ols must be 'raise' or 'lstsq', got {ols!r}")
    n_instances, d = xtys.shape
    if ridge:
        if inverse_diagonal:
            raise ValueError("inverse_diagonal needs ridge=0")
        coefs = np.full((n_instances, d), np.nan)
        rows = slice(None) if instances is None else np.asarray(instances, dtype=np.int64)
        grams, xtys = np.asarray(grams, dtype=float)[rows], np.asarray(xtys, dtype=float)[rows]
        ridges = ridge * np.maximum(np.trace(grams, axis1=-2, axis2=-1) / d, 1e-300)
        coefs[rows] = ridge_from_gram(grams, xtys, ridges)
        return coefs
    chosen = list(range(n_instances) if instances is None else instances)
    coefs = np.full((n_instances, d), np.nan)
    diagonals = np.full((n_instances, d), np.nan) if inverse_diagonal else None
    # One instance at a time (no (N, d, d) temporaries: each fresh one costs page faults comparable to the solves)
    for j in chosen:
        gram = np.asarray(grams[j], dtype=float)
        factor, reason = _cholesky(gram, float(np.abs(gram).sum(axis=0).max()))
        if factor is not None:
            coefs[j] = lapack.dpotrs(factor, xtys[j], lower=True)[0]
            if inverse_diagonal:
                diagonals[j] = np.diagonal(lapack.dpotri(factor, lower=True)[0])
            continue
        if ols == "raise":
            raise ValueError(_singular_message(j, reason))
        coefs[j] = np.linalg.lstsq(gram, xtys[j], rcond=None)[0]
        if inverse_diagonal:
            diagonals[j] = np.diagonal(np.linalg.pinv(gram, hermitian=True))
    return (coefs, diagonals) if inverse_diagonal else coefs


class OLSSolutions:
    """Every instance's OLS from raw Gram statistics, factorised once and solved on demand.

    :func:`ols_from_gram` on the same ``grams``, ``xtys`` returns, bit for bit, what :meth:`take` returns: the
    same factorisation, rank test and solves, one instance at a time. The estimators fitted on one
    :class:`~banditlab.estimators.SufficientStatistics` share one of these (its :meth:`ols` method), so the
    N Cholesky factorisations are made once per statistics, not once per estimator.
    """

    def __init__(self, grams: np.ndarray, xtys: np.ndarray) -> None:
        self.grams, self.xtys = grams, xtys
        n_instances, d = xtys.shape
        self.factors: list[np.ndarray | None] = [None] * n_instances
        self.reasons: list[str | None] = [None] * n_instances  # None: not factorised yet
        self.coefs = np.full((n_instances, d), np.nan)
        self.diagonals = np.full((n_instances, d), np.nan)
        self.has_diagonal = np.zeros(n_instances, dtype=bool)
        self.has_lstsq = np.zeros(n_instances, dtype=bool)

    def _factor(self, j: int) -> None:
        if self.reasons[j] is None:
            gram = np.asarray(self.grams[j], dtype=float)
            factor, reason = _cholesky(gram, float(np.abs(gram).sum(axis=0).max()))
            self.factors[j], self.reasons[j] = factor, reason
            if factor is not None:
                self.coefs[j] = lapack.dpotrs(factor, self.xtys[j], lower=True)[0]

    def take(
        self, ols: str = "raise", instances: Sequence[int] | None = None, inverse_diagonal: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """What ``ols_from_gram(grams, xtys, ols, instances, inverse_diagonal)`` returns (copies)."""
        if ols not in ("raise", "lstsq"):
            raise ValueError(f"ols must be 'raise' or 'lstsq', got {ols!r}")
        n_instances, d = self.xtys.shape
        chosen = list(range(n_instances) if instances is None else instances)
        coefs = np.full((n_instances, d), np.nan)
        diagonals = np.full((n_instances, d), np.nan) if inverse_diagonal else None
        for j in chosen:
            self._factor(j)
            factor = self.factors[j]
            if factor is None:
                if ols == "raise":
                    raise ValueError(_singular_message(j, self.reasons[j]))
                if not self.has_lstsq[j]:
                    gram = np.asarray(self.grams[j], dtype=float)
                    self.coefs[j] = np.linalg.lstsq(gram, self.xtys[j], rcond=None)[0]
                    self.has_lstsq[j] = True
            coefs[j] = self.coefs[j]
            if inverse_diagonal:
                if not self.has_diagonal[j]:
                    if factor is not None:
                        self.diagonals[j] = np.diagonal(lapack.dpotri(factor, lower=True)[0])
                    else:
                        gram = np.asarray(self.grams[j], dtype=float)
                        self.diagonals[j] = np.diagonal(np.linalg.pinv(gram, hermitian=True))
                    self.has_diagonal[j] = True
                diagonals[j] = self.diagonals[j]
        return (coefs, diagonals) if inverse_diagonal else coefs


def _singular_message(j: int, reason: str) -> str:
    return (
        f"instance {j}: the design X_{j}'X_{j} is singular or rank-deficient ({reason}; n_j < d?), so "
        "its OLS estimate is undefined; give it more observations, or pass ols='lstsq' for the minimum-norm "
        "solution"
    )


def ridge_from_gram(grams: np.ndarray, xtys: np.ndarray, ridge: float | np.ndarray) -> np.ndarray:
    """Per-instance ridge regression ``(G_j + ridge_j I)^{-1} X_j'y_j`` from sufficient statistics.

    ``grams`` (M, d, d) are symmetric positive semi-definite, ``xtys`` (M, d), ``ridge`` a number or one
    value >= 0 per instance. One LAPACK Cholesky solve (``dposv``) per instance; LU
    (:func:`numpy.linalg.solve`) where rounding leaves ``G_j + ridge_j I`` not numerically positive definite.

    Examples
    --------
    >>> ridge_from_gram(np.array([[[2.0, 0.0], [0.0, 1.0]]]), np.array([[3.0, 2.0]]), 1.0)
    array([[1., 1.]])
    """
    grams = np.asarray(grams, dtype=float)
    xtys = np.asarray(xtys, dtype=float)
    n_instances, d = xtys.shape
    ridges = np.broadcast_to(np.asarray(ridge, dtype=float), (n_instances,))
    if not (np.isfinite(ridges).all() and (ridges >= 0).all()):
        raise ValueError(f"ridge must be finite and >= 0, got {ridge}")
    coefs = np.empty((n_instances, d))
    diagonal = np.arange(d)
    for j in range(n_instances):
        a = grams[j].copy()
        a[diagonal, diagonal] += ridges[j]
        _, coef, info = lapack.dposv(a, xtys[j], lower=0, overwrite_a=1, overwrite_b=0)
        if info != 0:  # pragma: no cover - not positive definite in floating point
            coef = np.linalg.solve(grams[j] + ridges[j] * np.eye(d), xtys[j])
        coefs[j] = coef
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
    return trimmed_mean_count(values, trim_count(trim_fraction, values.shape[0]))


def trim_count(trim_fraction: float, n_values: int) -> int:
    """Values removed from each end by ``TrimmedMean(., omega)`` of ``n_values`` values: ``floor(omega n)``,
    clipped so that at least one value remains.

    Below 1/2 the clip never binds. A larger ``omega`` is read as the median: Algorithm 2's trimming
    paths (``omega_{1,m} = zeta_{1,0} + eta_{1,0} sqrt(log(d |B_m|))``) and Appendix D.1's ``zeta = 1``
    can exceed 1/2.

    Examples
    --------
    >>> trim_count(0.2, 10), trim_count(0.95, 10), trim_count(1.0, 1)
    (2, 4, 0)
    """
    return int(min(np.floor(trim_fraction * n_values), (n_values - 1) // 2)) if n_values > 0 else 0


def trimmed_mean_count(values: np.ndarray, n_cut: int) -> np.ndarray:
    """Element-wise mean of ``values`` (N, d) after removing ``n_cut`` values from each end of every column.

    The count form of :func:`trimmed_mean` (``n_cut`` from :func:`trim_count`).
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


TIE_TOLERANCE = 1e-12
"""Relative tolerance of the weighted median's half-weight comparison (:func:`weighted_median`)."""


def weighted_median(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Lower weighted median of every column of ``values`` (m, d) with positive ``weights`` (m, d) or (m,).

    Per column, with the values sorted, ``x_(1) <= ... <= x_(m)``, and their weights ``w_(i)``, it is
    ``x_(i*)`` with ``i* = min{i : w_(1) + ... + w_(i) >= (w_(1) + ... + w_(m)) / 2}``: the smallest
    minimiser of ``sum_i w_i |x_i - c|`` over c. With equal weights it is the lower median
    (``x_(m/2)`` for even m); with integer weights of odd total it is ``numpy.median`` of the values
    repeated by their weights.

    A tie (a partial sum equal to half the total, as with equal weights and even m) is decided in exact
    arithmetic, not by the last bits of floating sums: a partial sum within :data:`TIE_TOLERANCE` (relative)
    below half the total counts as reaching it. Weights that differ by round-off (the same standard errors
    computed by two linear-algebra libraries) then give the same median.

    Examples
    --------
    >>> weighted_median(np.array([1.0, 2.0, 10.0]), np.array([1.0, 1.0, 3.0]))
    array([10.])
    >>> weighted_median(np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4))
    array([2.])
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    weights = np.asarray(weights, dtype=float)
    if weights.ndim == 1:
        weights = weights[:, None]
    if values.ndim != 2 or values.shape[0] == 0:
        raise ValueError(f"values must be a non-empty (m, d) array, got shape {values.shape}")
    try:
        weights = np.broadcast_to(weights, values.shape)
    except ValueError:
        raise ValueError(
            f"weights must have shape {values.shape} or ({values.shape[0]},), got {weights.shape}"
        ) from None
    if not (np.isfinite(weights).all() and (weights > 0).all()):
        raise ValueError("weights must be finite and > 0")
    order = np.argsort(values, axis=0, kind="stable")
    ordered = np.take_along_axis(values, order, axis=0)
    cumulative = np.cumsum(np.take_along_axis(weights, order, axis=0), axis=0)
    first = np.argmax(cumulative >= 0.5 * cumulative[-1] * (1.0 - TIE_TOLERANCE), axis=0)
    return ordered[first, np.arange(values.shape[1])]


def per_source_set(sources: np.ndarray, centre: Callable[[np.ndarray], np.ndarray], n_features: int) -> np.ndarray:
    """``centre(sources[j])`` for every row of the boolean matrix ``sources`` (M, N): (M, d) centres.

    ``centre`` maps a boolean mask of the N instances (a source set ``Q_j``) to a (d,) vector; it is
    called once per distinct row. A row without any instance gets the zero vector.
    """
    centres = np.zeros((len(sources), n_features))
    rows, inverse = np.unique(sources, axis=0, return_inverse=True)
    for r, row in enumerate(rows):
        if row.any():
            centres[inverse.ravel() == r] = centre(row)
    return centres
