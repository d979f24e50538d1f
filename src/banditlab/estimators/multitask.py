"""The two-step multitask estimators: Algorithm 1 (robust) and its plain-mean ablation (eq. (4))."""

from __future__ import annotations

import numbers

import numpy as np

from ._base import MultiInstanceEstimator, shared_instances, source_sets
from ._stats import ols_from_gram, per_source_set, trim_count, trimmed_mean, trimmed_mean_count
from ._sufficient import SufficientStatistics, noise_levels
from ._validation import check_trim_fraction, per_instance
from .hyperparameters import lambda_theory, trim_fraction_theory

DEFAULT_TRIM_FRACTION = 0.2
"""``trim_fraction="auto"`` of :class:`RobustMultitask` without ``sparsity`` (ours, not the paper's).

Lemma 1 needs ``omega`` above the fraction of instances that deviate in a coordinate; 0.2 tolerates
up to a fifth of the instances deviating in any one coordinate while averaging the middle 60% of
them. It equals Corollary 1's ``sqrt(s/d)`` at ``s/d = 1/25`` (the quick study's ``s = 2, d = 50``).
With fewer than five instances ``floor(0.2 N) = 0`` and nothing is trimmed (the plain mean).
"""

AUTO_LAMBDA_GRID = 30
"""``lam="auto"``: lambdas tried per instance, geometric from the smallest one that sets the instance to the shared
estimate down to ``AUTO_LAMBDA_FLOOR`` times it."""
AUTO_LAMBDA_FLOOR = 1e-4


def lasso_gram_batch(*args, **kwargs):
    """:func:`banditlab.lasso.lasso_gram_batch` (eq. (3) per instance), imported on first use: its compiled kernels
    load when an estimator fits, not when a figure or a check imports the classes for their labels."""
    from ..lasso import lasso_gram_batch as solve

    return solve(*args, **kwargs)


def lambda_cp(
    grams: np.ndarray,
    xtys: np.ndarray,
    counts: np.ndarray,
    shared: np.ndarray,
    noise_sds: np.ndarray,
    grid: int = AUTO_LAMBDA_GRID,
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Each instance's ``lambda_j`` chosen by Mallows' Cp (``lam="auto"``), from the sums ``X_j'X_j``, ``X_j'y_j``.

    For every lambda of a grid (geometric, from ``lambda_max_j``, the smallest lambda at which eq. (3) returns
    ``shared`` itself, down to ``AUTO_LAMBDA_FLOOR`` times it, or to the last lambda at which it converges), eq. (3)
    is solved and scored by
    ``Cp_j = ||y_j - X_j b||^2 + 2 sigma_j^2 |{k : b_k != shared_k}|``: the fit plus twice the noise variance
    per coordinate where instance j departs from the shared estimate (the degrees of freedom of a LASSO,
    Zou, Hastie and Tibshirani 2007, counted as if ``shared`` were fixed). ``||y_j||^2`` is the same for every
    lambda and is left out, so no residual sum of squares is needed here. Ties go to the larger lambda. The
    LASSO runs in units where the features have unit mean square and the coefficients are of order one, so the
    choice does not depend on the units of ``X`` or ``y``.

    Parameters
    ----------
    grams, xtys : ndarray (N, d, d), (N, d)
        ``X_j'X_j`` and ``X_j'y_j`` (sums, not divided by n_j).
    counts : ndarray (N,)
        ``n_j``.
    shared : ndarray (d,)
        The centre of eq. (3) (Step 1's trimmed mean).
    noise_sds : ndarray (N,)
        ``sigma_j`` (estimates are fine: the OLS residuals' ``sqrt(rss_j / (n_j - d))``).

    Returns
    -------
    lam : ndarray (N,)
        The chosen ``lambda_j`` (0 for an instance whose data already centre on ``shared``).
    coef : ndarray (N, d)
        Eq. (3) at those lambdas.
    """
    counts = np.asarray(counts, dtype=float)
    # Solved in units where the features have unit mean square (X / a) and the coefficients are O(1) (y / s):
    # eq. (3) is then the same problem with lambda / (a s), and the LASSO's stopping rule means the same.
    diagonals = np.diagonal(grams, axis1=1, axis2=2)
    mean_square = float(np.mean(diagonals / counts[:, None]))
    a = np.sqrt(mean_square) if np.isfinite(mean_square) and mean_square > 0 else 1.0
    slopes = np.abs(xtys) / np.where(diagonals > 0, diagonals, np.inf)  # one-feature regressions: a coef scale
    s = a * max(float(np.abs(shared).max(initial=0.0)), float(slopes.max(initial=0.0)))
    s = s if np.isfinite(s) and s > 0 else 1.0
    grams, xtys = grams / a**2, xtys / (a * s)
    shared, noise_sds = shared * (a / s), np.asarray(noise_sds, dtype=float) / s

    def fit(coef):  # ||y_j - X_j b||^2 - ||y_j||^2
        return np.einsum("jk,jkl,jl->j", coef, grams, coef) - 2 * np.einsum("jk,jk->j", coef, xtys)

    gradient = (grams @ shared - xtys) / counts[:, None]  # (1/2) d/db (1/n)||y - Xb||^2 at b = shared
    lam_max = 2 * np.abs(gradient).max(axis=1)  # eq. (3) returns shared itself from there up
    chosen = lam_max.copy()
    coef = np.broadcast_to(shared, xtys.shape).copy()
    best, best_coef = fit(coef), coef.copy()
    # Cp differences below the solver's precision are ties (so round-off never decides)
    resolution = 1e-8 * (np.abs(best) + noise_sds**2 * xtys.shape[1])
    on_path = np.ones(len(counts), dtype=bool)  # instances whose LASSO still converges down the grid
    for fraction in np.geomspace(1.0, AUTO_LAMBDA_FLOOR, grid)[1:]:
        lams = fraction * lam_max
        active = np.flatnonzero(on_path)
        try:
            coef[active] = lasso_gram_batch(
                grams[active], xtys[active], lams[active], shared, coef[active], tol, max_iter, counts[active]
            )
        except RuntimeError:  # no convergence (near-collinear columns): find which, one instance at a time
            for k in active:
                try:
                    coef[k] = lasso_gram_batch(
                        grams[k : k + 1], xtys[k : k + 1], lams[k], shared, coef[k], tol, max_iter, counts[k : k + 1]
                    )[0]
                except RuntimeError:  # smaller lambdas are harder still: the instance leaves the path here
                    on_path[k] = False
        cp = fit(coef) + 2 * noise_sds**2 * (coef != shared).sum(axis=1)
        better = on_path & (cp < best - resolution)  # ties: the larger lambda, met first
        best[better], chosen[better], best_coef[better] = cp[better], lams[better], coef[better]
    return chosen * (a * s), best_coef * (s / a)


def multitask_from_gram(
    grams: np.ndarray,
    xtys: np.ndarray,
    counts: np.ndarray,
    lam: float | np.ndarray,
    trim_fraction: float,
    target: int | None = None,
    ols: str = "raise",
    coef_init: np.ndarray | None = None,
    tol: float = 1e-10,
    max_iter: int = 100_000,
    ols_coef: np.ndarray | None = None,
    sums: bool = False,
    sources: np.ndarray | None = None,
    min_count: int | None = None,
    ridge: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Algorithm 1 from sufficient statistics.

    Step 1: per-instance OLS, then the element-wise trimmed mean (eq. (2)) over the instances, leaving
    out a data-poor ``target`` (Section 3.5), or over each instance's own source set ``Q_j``
    (``sources``; RMBandit's data-poor and network modes, Sections 4.3-4.4). Step 2: for every
    instance, the LASSO of eq. (3) centred at its shared estimate. ``trim_fraction = 0`` gives the
    averaging multitask estimator (eq. (4)).

    Parameters
    ----------
    grams : ndarray (N, d, d)
        ``X_j'X_j / n_j`` (or ``X_j'X_j`` with ``sums=True``).
    xtys : ndarray (N, d)
        ``X_j'y_j / n_j`` (or ``X_j'y_j`` with ``sums=True``).
    counts : ndarray (N,)
        ``n_j`` (with ``sums=False`` only checked: the statistics are already normalised); > 0, or
        >= 0 with ``min_count`` (an instance without data gets its shared estimate).
    lam : float or ndarray (N,)
        The paper's ``lambda_j``.
    trim_fraction : float >= 0
        ``omega``: ``floor(omega n)`` values are removed from each end of a trimmed mean over n
        instances, at most ``(n - 1) // 2`` (:func:`~banditlab.estimators.trim_count`: an ``omega`` of
        1/2 or more, which Algorithm 2's trimming paths can reach, is the median).
    target : int, optional
        Data-poor instance excluded from Step 1 (its OLS is never computed, so n_target < d is fine).
    ols : {"raise", "lstsq"}
        Rank-deficient instances in Step 1 raise, or use the minimum-norm solution.
    coef_init : ndarray (N, d), optional
        Warm start of the LASSO (for example the previous batch's estimates).
    tol, max_iter :
        Coordinate-descent stopping rule of :func:`banditlab.lasso.lasso_gram`.
    ols_coef : ndarray (N, d), optional
        Step-1 OLS estimates already computed by the caller (rows of the shared instances are used).
    sums : bool, default=False
        ``grams`` and ``xtys`` are the sums ``X_j'X_j`` and ``X_j'y_j``; the LASSO divides them by
        ``n_j`` one instance at a time (the same numbers as dividing first, without an (N, d, d) copy).
    sources : bool ndarray (N, N), optional
        ``sources[j, i]``: instance i enters instance j's trimmed mean (not with ``target``).
    min_count : int, optional
        Only instances with ``n_j >= min_count`` enter Step 1 (so their OLS exists); an instance whose
        source set holds none of them is shrunk toward 0.
    ridge : float >= 0, default=0
        Step 1's OLS with a ridge of ``ridge`` times the mean diagonal (:func:`~banditlab.estimators.ols_from_gram`).

    Returns
    -------
    coef : ndarray (N, d)
    shared : ndarray (d,), or (N, d) with ``sources`` (instance j's trimmed mean)
    ols_coef : ndarray (N, d), NaN in the rows not computed (a data-poor target, too few observations)
    """
    counts = np.asarray(counts, dtype=float)
    if min_count is None and (counts <= 0).any():
        raise ValueError(f"every instance needs n_j >= 1 observations, got counts {counts}")
    if not (counts >= 0).all():
        raise ValueError(f"counts must be >= 0, got {counts}")
    n_instances, dim = np.shape(xtys)
    lams = np.broadcast_to(np.asarray(lam, dtype=float), (n_instances,))
    if not (np.isfinite(lams).all() and (lams >= 0).all()):
        raise ValueError(f"lam must be >= 0 and finite for every instance, got {lams}")
    if not (np.isfinite(trim_fraction) and trim_fraction >= 0):
        raise ValueError(f"trim_fraction must be a finite number >= 0, got {trim_fraction}")
    members = source_sets(n_instances, target, sources)
    if min_count is not None:
        members = members & (counts >= min_count)
    if ols_coef is None:
        ols_coef = ols_from_gram(grams, xtys, ols, instances=np.flatnonzero(members.any(axis=0)), ridge=ridge)

    def trimmed(row: np.ndarray) -> np.ndarray:
        return trimmed_mean_count(ols_coef[row], trim_count(trim_fraction, int(row.sum())))

    centres = per_source_set(members, trimmed, dim)
    shared = centres[0] if sources is None else centres
    n_obs = counts if sums else None
    if (counts > 0).all():
        coef = lasso_gram_batch(grams, xtys, lams, shared, coef_init, tol=tol, max_iter=max_iter, n_obs=n_obs)
        return coef, shared, ols_coef
    coef = np.broadcast_to(shared, (n_instances, dim)).copy()
    rows = np.flatnonzero(counts > 0)
    if rows.size:
        starts = None if coef_init is None else np.broadcast_to(coef_init, (n_instances, dim))[rows]
        coef[rows] = lasso_gram_batch(
            grams[rows],
            xtys[rows],
            lams[rows],
            coef[rows],
            starts,
            tol=tol,
            max_iter=max_iter,
            n_obs=None if n_obs is None else n_obs[rows],
        )
    return coef, shared, ols_coef


class _TwoStepMultitask(MultiInstanceEstimator):
    """Shared machinery: resolve ``lam`` (number, per-instance array or ``"theory"``) then run Algorithm 1."""

    def _resolve_trim_fraction(self, n_features: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _statistics_needed(self) -> tuple[bool, bool]:
        named = self.lam if isinstance(self.lam, str) else None
        return named in ("theory", "auto") and self.noise_sd is None, named == "theory" and self.x_max is None

    def _resolve_lam(self, stats: SufficientStatistics) -> np.ndarray:
        n_instances = stats.n_instances
        if not (isinstance(self.lam, str) and self.lam == "theory"):
            if isinstance(self.lam, str):
                raise ValueError(
                    f"lam must be a positive number, one per instance, 'auto' or 'theory'; got {self.lam!r}"
                )
            return per_instance(self.lam, n_instances, "lam")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence}")
        if self.x_max is not None:
            x_max = float(self.x_max)
        elif stats.x_max is None:
            raise ValueError(
                "lam='theory' needs x_max, the bound of Assumption 1: pass x_max=, or statistics with x_max "
                "(SufficientStatistics.from_data records the largest |X_j| entry of every instance)"
            )
        else:
            x_max = float(np.nanmax(stats.x_max))  # NaN: an instance whose statistics carry no rows
        if not x_max > 0:
            raise ValueError(f"x_max must be > 0, got {x_max}")
        noise_sds = noise_levels(stats, self.noise_sd, "lam='theory'", " or a numeric lam")
        dim = stats.n_features
        return np.array(
            [lambda_theory(noise_sds[j], x_max, stats.n_obs[j], dim, self.confidence) for j in range(n_instances)]
        )

    def _auto_noise_sds(self, stats: SufficientStatistics) -> np.ndarray:
        """``sigma_j`` for ``lam="auto"``: ``noise_sd``, else the OLS residuals' estimate; an instance without
        residual degrees of freedom (n_j <= d, a data-poor target) takes the median of the others'."""
        if self.noise_sd is not None:
            return per_instance(self.noise_sd, stats.n_instances, "noise_sd")
        if stats.rss is None:
            raise ValueError(
                "lam='auto' estimates the noise levels from the residual sums of squares of the OLS fits, which "
                "these statistics lack (rss is None); give the statistics rss, or pass noise_sd or a numeric lam"
            )
        free = stats.n_obs - stats.n_features
        known = (free > 0) & np.isfinite(stats.rss)
        if not known.any():
            raise ValueError(
                f"lam='auto' needs the noise level of some instance, and none has n_j > d={stats.n_features} "
                "(no residual degrees of freedom); pass noise_sd or a numeric lam"
            )
        sds = np.full(stats.n_instances, np.nan)
        sds[known] = np.sqrt(np.maximum(stats.rss[known], 0.0) / free[known])
        sds[~known] = np.median(sds[known])
        return sds

    def _fit_statistics(self, stats, target) -> None:
        counts, dim = stats.n_obs, stats.n_features
        trim = self._resolve_trim_fraction(dim)
        used = shared_instances(len(counts), target)
        # OLS of every instance with enough data: Step 1 needs those in `used`; a data-poor target with
        # n_j <= d has no OLS estimate and needs none (Step 2 is a LASSO).
        solvable = [j for j in range(len(counts)) if j != target or counts[j] > dim]
        ols_coef = stats.ols(self.ols, instances=solvable)
        if isinstance(self.lam, str) and self.lam == "auto":
            shared = trimmed_mean(ols_coef[used], check_trim_fraction(trim))  # Step 1, as multitask_from_gram
            noise_sds = self._auto_noise_sds(stats)
            lams, coef = lambda_cp(
                stats.grams, stats.xtys, counts, shared, noise_sds, tol=self.tol, max_iter=self.max_iter
            )
            self.coef_, self.shared_coef_ = coef, shared
        else:
            lams = self._resolve_lam(stats)
            self.coef_, self.shared_coef_, _ = multitask_from_gram(
                stats.grams,
                stats.xtys,
                counts,
                lams,
                trim,
                target,
                self.ols,
                tol=self.tol,
                max_iter=self.max_iter,
                ols_coef=ols_coef,
                sums=True,
            )
        self.ols_coef_ = ols_coef
        self.lam_ = lams
        self.trim_fraction_ = trim
        self.n_trimmed_ = int(np.floor(trim * len(used)))


class RobustMultitask(_TwoStepMultitask):
    """Robust multitask estimator, Algorithm 1 of Xu and Bastani.

    Step 1 (eq. (2)): per-instance OLS ``beta_ind^j`` and their element-wise trimmed mean, removing
    ``floor(trim_fraction * N)`` values from each end of every coordinate. Step 2 (eq. (3)): for every
    instance j, ``argmin_b (1/n_j)||X_j b - y_j||^2 + lam_j ||b - shared||_1``.

    Parameters
    ----------
    lam : float, array-like of shape (N,), "auto" or "theory", default="auto"
        The paper's ``lambda_j``. ``"auto"`` (ours) chooses each instance's ``lambda_j`` by Mallows' Cp
        (:func:`lambda_cp`: the fit of eq. (3) plus ``2 sigma_j^2`` per coordinate where the instance departs
        from the shared estimate, ``sigma_j`` from ``noise_sd`` or the OLS residuals), because Corollary 1's
        value is a worst-case bound: on ordinary problems it is several times too large (about 4x on the
        studies' uniform designs, more on Gaussian ones, whose ``x_max`` grows with n) and returns every
        instance equal to the shared estimate, worse than independent OLS. ``"theory"`` is Corollary 1's
        ``sqrt(32 sigma_j^2 x_max^2 / n_j log(4d/delta))`` with ``delta = confidence``, ``sigma_j``
        from ``noise_sd`` or the OLS residuals, ``x_max`` given or the largest ``|X|`` entry (what the checks
        of the theory use: the estimation study passes ``lam_multiplier`` times it).
    trim_fraction : float in [0, 0.5), "auto" or "theory", default="auto"
        The trimming level ``omega``. ``"theory"`` is ``zeta = sqrt(s/d)`` of Corollary 1 (needs
        ``sparsity``); see :func:`banditlab.estimators.hyperparameters.trim_fraction_theory` for why eta
        is not added. ``"auto"`` is ``"theory"`` when ``sparsity`` is given and otherwise
        :data:`DEFAULT_TRIM_FRACTION` = 0.2 (ours, not the paper's; see there), so the default needs no
        second argument.
    sparsity : int, optional
        ``s``, used by ``trim_fraction="theory"`` (required there) and ``"auto"``.
    noise_sd : float or array-like (N,), optional
        Known noise standard deviations for ``lam="auto"`` and ``lam="theory"``.
    x_max : float, optional
        The bound of Assumption 1 for ``lam="theory"``.
    confidence : float, default=0.05
        ``delta`` of Corollary 1.
    ols : {"raise", "lstsq"}, default="raise"
        Rank-deficient instances in Step 1 raise a ValueError naming the instance, or use the
        minimum-norm least-squares solution.
    tol, max_iter :
        Coordinate-descent stopping rule of :func:`banditlab.lasso.lasso_gram`.

    Attributes
    ----------
    coef_ : ndarray (N, d)
        ``beta_RM^j`` for every instance.
    shared_coef_ : ndarray (d,)
        ``beta_RM^dagger``, the trimmed mean (without the data-poor target, if one was given).
    ols_coef_ : ndarray (N, d)
        Step-1 OLS estimates (NaN for a data-poor target with n_j <= d).
    lam_ : ndarray (N,)
    trim_fraction_ : float
    n_trimmed_ : int
        Values removed from each end of every coordinate.

    References
    ----------
    Xu and Bastani, Learning Across Bandits in High Dimension via Robust Statistics, Algorithm 1,
    eqs. (2)-(3); Theorem 1 and Corollaries 1-2 for the theory hyperparameters. Mallows, Some comments on
    Cp, Technometrics 1973, and Zou, Hastie and Tibshirani, On the degrees of freedom of the lasso, Annals of
    Statistics 2007, for ``lam="auto"``.

    Examples
    --------
    >>> import numpy as np
    >>> from banditlab.estimation.simulate import make_instances
    >>> data = make_instances(n_instances=10, dim=20, sparsity=1, n_per_instance=100, rng=np.random.default_rng(0))
    >>> model = RobustMultitask(lam=0.1, trim_fraction=0.2).fit(data.Xs, data.ys)
    >>> model.coef_.shape, model.n_trimmed_
    ((10, 20), 2)
    >>> auto = RobustMultitask().fit(data.Xs, data.ys)  # lam="auto": each lambda_j by Mallows' Cp
    >>> round(auto.score(data.Xs, data.ys), 2)  # mean R^2 over the instances
    0.75
    """

    label = "Robust multitask (Alg. 1)"

    def __init__(
        self,
        *,
        lam: float | str = "auto",
        trim_fraction: float | str = "auto",
        sparsity: int | None = None,
        noise_sd: float | None = None,
        x_max: float | None = None,
        confidence: float = 0.05,
        ols: str = "raise",
        tol: float = 1e-10,
        max_iter: int = 100_000,
    ):
        self.lam = lam
        self.trim_fraction = trim_fraction
        self.sparsity = sparsity
        self.noise_sd = noise_sd
        self.x_max = x_max
        self.confidence = confidence
        self.ols = ols
        self.tol = tol
        self.max_iter = max_iter

    def _resolve_trim_fraction(self, n_features: int) -> float:
        if not isinstance(self.trim_fraction, str):
            return check_trim_fraction(self.trim_fraction)
        if self.trim_fraction not in ("auto", "theory"):
            raise ValueError(
                f"trim_fraction must be a number in [0, 0.5), 'auto' or 'theory', got {self.trim_fraction!r}"
            )
        if self.trim_fraction == "auto" and self.sparsity is None:
            return DEFAULT_TRIM_FRACTION
        if isinstance(self.sparsity, bool) or not isinstance(self.sparsity, numbers.Integral):
            raise ValueError(
                f"trim_fraction={self.trim_fraction!r} needs the sparsity s as an integer >= 1 (it trims sqrt(s/d)), "
                f"got sparsity={self.sparsity!r}" + ("; pass sparsity=" if self.sparsity is None else "")
            )
        return trim_fraction_theory(int(self.sparsity), n_features)


class AveragingMultitask(_TwoStepMultitask):
    """Averaging multitask estimator, eq. (4): Algorithm 1 with the plain mean in Step 1 (Appendix B.4).

    Parameters are those of :class:`RobustMultitask` without the trimming ones (``lam="auto"`` by default too).

    Attributes
    ----------
    coef_ : ndarray (N, d)
    shared_coef_ : ndarray (d,)
        The mean of the per-instance OLS estimates (without a data-poor target, if given).
    ols_coef_ : ndarray (N, d)
    lam_ : ndarray (N,)
    """

    label = "Averaging multitask"

    def __init__(
        self,
        *,
        lam: float | str = "auto",
        noise_sd: float | None = None,
        x_max: float | None = None,
        confidence: float = 0.05,
        ols: str = "raise",
        tol: float = 1e-10,
        max_iter: int = 100_000,
    ):
        self.lam = lam
        self.noise_sd = noise_sd
        self.x_max = x_max
        self.confidence = confidence
        self.ols = ols
        self.tol = tol
        self.max_iter = max_iter

    def _resolve_trim_fraction(self, n_features: int) -> float:
        return 0.0
