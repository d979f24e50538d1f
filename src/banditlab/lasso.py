"""LASSO toward a centre, solved by coordinate descent on the Gram matrix.

The debiasing step of Algorithm 1 (eq. (3)) and of the averaging multitask estimator (eq. (4)) is

    argmin_b  (1/n) ||X b - y||_2^2 + lam * ||b - centre||_1 ,

which depends on the data only through ``gram = X'X / n`` and ``xty = X'y / n``. Working on these
sufficient statistics lets the bandit policies retrain from running sums without keeping raw data.
Substituting ``u = b - centre`` gives a plain LASSO in ``u`` with linear term ``xty - gram @ centre``;
cyclic coordinate descent then updates

    u_k <- S(q_k + G_kk u_k, lam / 2) / G_kk ,    q = (xty - G centre) - G u ,

where ``S`` is soft-thresholding (the factor 1/2 comes from the paper's 1/n, not 1/(2n), scaling).
The loops are compiled with numba; ``coef_init`` warm-starts along lambda paths.
"""

from __future__ import annotations

import warnings

import numba
import numpy as np

__all__ = ["lasso_gram", "lasso_gram_batch", "lasso_objective"]


@numba.njit(cache=True, nogil=True)
def _cd_gram(gram, linear, half_lam, u, tol, max_iter):  # pragma: no cover - compiled
    d = gram.shape[0]
    residual = linear - gram @ u
    for sweep in range(max_iter):
        max_change = 0.0
        max_abs = 0.0
        for k in range(d):
            g_kk = gram[k, k]
            old = u[k]
            if g_kk <= 0.0:
                new = 0.0
            else:
                z = residual[k] + g_kk * old
                if z > half_lam:
                    new = (z - half_lam) / g_kk
                elif z < -half_lam:
                    new = (z + half_lam) / g_kk
                else:
                    new = 0.0
            change = new - old
            if change != 0.0:
                u[k] = new
                for i in range(d):
                    residual[i] -= gram[i, k] * change
                change_size = abs(change) * np.sqrt(g_kk)
                if change_size > max_change:
                    max_change = change_size
            scaled = abs(new) * np.sqrt(max(g_kk, 0.0))
            if scaled > max_abs:
                max_abs = scaled
        if max_change <= tol * max(max_abs, 1.0):
            return sweep + 1
    return -1


def _check_lasso_inputs(gram: np.ndarray, xty: np.ndarray, lam: float) -> None:
    if gram.ndim != 2 or gram.shape[0] != gram.shape[1]:
        raise ValueError(f"gram must be a square (d, d) matrix, got shape {gram.shape}")
    if xty.shape != (gram.shape[0],):
        raise ValueError(f"xty must have shape ({gram.shape[0]},), got {xty.shape}")
    if not (np.isfinite(lam) and lam >= 0):
        raise ValueError(f"lam must be a finite number >= 0, got {lam}")
    if not (np.isfinite(gram).all() and np.isfinite(xty).all()):
        raise ValueError("gram and xty must be finite (found NaN or inf in the data)")


def lasso_gram(
    gram: np.ndarray,
    xty: np.ndarray,
    lam: float,
    center: np.ndarray | None = None,
    coef_init: np.ndarray | None = None,
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> np.ndarray:
    """Solve ``argmin_b (1/n)||Xb - y||^2 + lam ||b - center||_1`` from ``X'X/n`` and ``X'y/n``.

    Algorithm 1, eq. (3) of Xu and Bastani (with ``center`` the trimmed mean) and eq. (4) (with
    ``center`` the plain mean).

    Parameters
    ----------
    gram : ndarray of shape (d, d)
        ``X'X / n`` (symmetric positive semi-definite).
    xty : ndarray of shape (d,)
        ``X'y / n``.
    lam : float
        The paper's ``lambda_j`` (>= 0); ``lam = 0`` gives least squares where ``gram`` is invertible.
    center : ndarray of shape (d,), optional
        The point the l1 penalty shrinks toward (zero if omitted: the ordinary LASSO).
    coef_init : ndarray of shape (d,), optional
        Warm start (for example the solution at the previous lambda of a path).
    tol : float
        Stop when a full sweep changes no coordinate by more than ``tol`` times the largest
        coefficient, both measured in the metric of ``gram``.
    max_iter : int
        Maximum number of sweeps.

    Returns
    -------
    coef : ndarray of shape (d,)

    Raises
    ------
    RuntimeError
        If coordinate descent does not converge within ``max_iter`` sweeps.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.eye(3) * np.sqrt(4.0); y = X @ np.array([1.0, 0.0, -2.0])
    >>> lasso_gram(X.T @ X / 3, X.T @ y / 3, lam=0.0).round(6)
    array([ 1.,  0., -2.])
    """
    gram = np.ascontiguousarray(gram, dtype=float)
    xty = np.asarray(xty, dtype=float)
    _check_lasso_inputs(gram, xty, lam)
    d = gram.shape[0]
    center = np.zeros(d) if center is None else np.asarray(center, dtype=float)
    return _solve_checked(gram, xty, float(lam), center, coef_init, float(tol), int(max_iter))


def _solve_checked(gram, xty, lam, center, coef_init, tol, max_iter, on_max_iter="raise") -> np.ndarray:
    """One problem of :func:`lasso_gram` whose inputs are already checked (C-contiguous float gram)."""
    u = np.zeros(len(xty)) if coef_init is None else np.asarray(coef_init, dtype=float) - center
    linear = xty - gram @ center
    u = np.ascontiguousarray(u)
    sweeps = _cd_gram(gram, linear, 0.5 * lam, u, tol, max_iter)
    if sweeps < 0:
        message = (
            f"LASSO coordinate descent did not converge in max_iter={max_iter} sweeps (lam={lam}); "
            "raise max_iter or tol, or check the design for near-collinear columns"
        )
        if on_max_iter == "raise":
            raise RuntimeError(message)
        warnings.warn(f"{message}; its last iterate is used", RuntimeWarning, stacklevel=3)
    return u + center


def lasso_gram_batch(
    grams: np.ndarray,
    xtys: np.ndarray,
    lams: np.ndarray | float,
    centers: np.ndarray | None = None,
    coef_init: np.ndarray | None = None,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    n_obs: np.ndarray | None = None,
    on_max_iter: str = "raise",
) -> np.ndarray:
    """:func:`lasso_gram` for N problems at once: ``grams`` (N, d, d), ``xtys`` (N, d) -> (N, d).

    ``lams`` is a scalar or one value per problem; ``centers`` and ``coef_init`` are (N, d) or a
    single (d,) vector shared by all problems. Each problem runs the same coordinate descent as
    :func:`lasso_gram` (identical results). With ``n_obs`` (N,), ``grams`` and ``xtys`` are the sums
    ``X_j'X_j`` and ``X_j'y_j`` and problem j is solved on ``grams[j] / n_obs[j]``,
    ``xtys[j] / n_obs[j]``, divided one problem at a time. ``on_max_iter``: ``"raise"`` (a problem that does not
    converge in ``max_iter`` sweeps raises RuntimeError) or ``"warn"`` (it warns and gives its last iterate: for a
    bandit policy's many refits on rank-deficient Gram matrices, where a near-flat direction can keep coordinate
    descent from meeting ``tol`` while the objective and the fitted values on the samples no longer move).
    """
    if on_max_iter not in ("raise", "warn"):
        raise ValueError(f"on_max_iter must be 'raise' or 'warn', got {on_max_iter!r}")
    grams = np.asarray(grams, dtype=float)
    xtys = np.asarray(xtys, dtype=float)
    if grams.ndim != 3 or xtys.ndim != 2 or grams.shape != (len(xtys), xtys.shape[1], xtys.shape[1]):
        raise ValueError(f"grams must be (N, d, d) and xtys (N, d), got shapes {grams.shape} and {xtys.shape}")
    n_problems, d = xtys.shape
    lams = np.broadcast_to(np.asarray(lams, dtype=float), (n_problems,))
    if not (np.isfinite(lams).all() and (lams >= 0).all()):
        raise ValueError(f"lam must be a finite number >= 0 for every problem, got {lams}")
    if n_obs is not None:
        n_obs = np.asarray(n_obs, dtype=float)
        if n_obs.shape != (n_problems,) or not (np.isfinite(n_obs).all() and (n_obs > 0).all()):
            raise ValueError(f"n_obs must hold one finite count > 0 per problem ({n_problems}), got {n_obs}")
    centers = (
        np.zeros((n_problems, d)) if centers is None else np.broadcast_to(np.asarray(centers, float), (n_problems, d))
    )
    starts = None if coef_init is None else np.broadcast_to(np.asarray(coef_init, float), (n_problems, d))
    coefs = np.empty((n_problems, d))
    for j in range(n_problems):
        # one problem at a time: no (N, d, d) temporaries (each fresh one costs page faults)
        gram = np.ascontiguousarray(grams[j]) if n_obs is None else grams[j] / n_obs[j]
        xty = xtys[j] if n_obs is None else xtys[j] / n_obs[j]
        if not (np.isfinite(gram).all() and np.isfinite(xty).all()):
            raise ValueError(f"gram and xty must be finite (found NaN or inf in the data of problem {j})")
        coefs[j] = _solve_checked(
            gram,
            xty,
            float(lams[j]),
            centers[j],
            None if starts is None else starts[j],
            float(tol),
            int(max_iter),
            on_max_iter,
        )
    return coefs


def lasso_objective(X: np.ndarray, y: np.ndarray, coef: np.ndarray, lam: float, center: np.ndarray) -> float:
    """The objective of eq. (3), ``(1/n)||X b - y||^2 + lam ||b - center||_1`` (for checks)."""
    residual = X @ coef - y
    return float(residual @ residual / len(y) + lam * np.abs(coef - center).sum())
