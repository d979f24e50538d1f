"""Per-instance sufficient statistics: what every estimator needs from N instances' data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._stats import OLSSolutions
from ._validation import check_instances, per_instance

# Gram matrices must be symmetric to this relative precision (X'X computed in floating point is
# symmetric to round-off; a user's statistics that are not are refused rather than silently used).
SYMMETRY_TOLERANCE = 1e-10


@dataclass(frozen=True, eq=False)
class SufficientStatistics:
    """Sufficient statistics of N linear-model instances ``y_j = X_j beta_j + eps_j``.

    Every estimator of :mod:`banditlab.estimators` depends on the data only through these, so a fit
    on them (``fit_statistics``) equals the fit on the rows (``fit``), which computes them with
    :meth:`from_data` and runs the same code. They are plain sums, so the statistics of more data
    are the sums of the statistics (running sums of a bandit, or an exact draw of the sums without
    the rows: :func:`banditlab.estimation.simulate.make_instances` with ``draw="statistics"``).

    Parameters
    ----------
    grams : ndarray (N, d, d)
        ``X_j'X_j`` (not divided by n_j), symmetric.
    xtys : ndarray (N, d)
        ``X_j'y_j``.
    n_obs : ndarray (N,)
        ``n_j``, the number of rows of instance j (> 0).
    rss : ndarray (N,), optional
        Residual sum of squares of instance j's own least-squares fit,
        ``||y_j - X_j b_j||^2 = y_j'y_j - b_j'X_j'y_j`` with ``b_j`` its OLS estimate; NaN where
        ``n_j <= d`` (no residual degrees of freedom). Needed only to estimate noise levels,
        ``sigma_j^2 = rss_j / (n_j - d)`` (``lam="theory"`` without ``noise_sd``, and
        :class:`~banditlab.estimators.MedianShrinkage` without ``noise_sd``).
    x_max : ndarray (N,), optional
        Largest absolute entry of ``X_j``. Needed only by ``lam="theory"`` without ``x_max`` (the
        bound of Assumption 1 is then the largest of these).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]); y = np.array([1.0, 2.0, 2.5])
    >>> stats = SufficientStatistics.from_data([X], [y])
    >>> stats.grams[0], stats.n_obs, stats.rss.round(6)
    (array([[2., 1.],
           [1., 5.]]), array([3.]), array([0.111111]))
    """

    grams: np.ndarray
    xtys: np.ndarray
    n_obs: np.ndarray
    rss: np.ndarray | None = None
    x_max: np.ndarray | None = None

    def __post_init__(self) -> None:
        grams = np.asarray(self.grams, dtype=float)
        xtys = np.asarray(self.xtys, dtype=float)
        n_obs = np.asarray(self.n_obs, dtype=float)
        if grams.ndim != 3 or grams.shape[1] != grams.shape[2] or grams.shape[0] == 0:
            raise ValueError(f"grams must have shape (N, d, d) with N >= 1, got {grams.shape}")
        n_instances, d = grams.shape[:2]
        if xtys.shape != (n_instances, d):
            raise ValueError(f"xtys must have shape (N, d) = {(n_instances, d)} to match grams, got {xtys.shape}")
        if n_obs.shape != (n_instances,):
            raise ValueError(f"n_obs must have shape (N,) = ({n_instances},), got {n_obs.shape}")
        if not (np.isfinite(n_obs).all() and (n_obs > 0).all()):
            raise ValueError(f"n_obs must be finite and > 0 for every instance (n_j >= 1 rows), got {n_obs}")
        for j in range(n_instances):
            if not (np.isfinite(grams[j]).all() and np.isfinite(xtys[j]).all()):
                raise ValueError(f"instance {j} holds NaN or inf in grams[{j}] or xtys[{j}]")
        scale = np.maximum(np.abs(np.diagonal(grams, axis1=1, axis2=2)).max(axis=1), np.finfo(float).tiny)
        asymmetry = np.abs(grams - grams.transpose(0, 2, 1)).max(axis=(1, 2)) / scale
        if (asymmetry > SYMMETRY_TOLERANCE).any():
            j = int(np.argmax(asymmetry > SYMMETRY_TOLERANCE))
            raise ValueError(
                f"grams[{j}] must be symmetric (X_{j}'X_{j}); its largest asymmetry is {asymmetry[j]:.3g} of its "
                f"largest diagonal entry (tolerance {SYMMETRY_TOLERANCE:g})"
            )
        object.__setattr__(self, "grams", grams)
        object.__setattr__(self, "xtys", xtys)
        object.__setattr__(self, "n_obs", n_obs)
        for name in ("rss", "x_max"):
            value = getattr(self, name)
            if value is None:
                continue
            value = np.asarray(value, dtype=float)
            if value.shape != (n_instances,):
                raise ValueError(f"{name} must have shape (N,) = ({n_instances},) or be None, got {value.shape}")
            defined = ~np.isnan(value)
            if not (np.isfinite(value[defined]).all() and (value[defined] >= 0).all()):
                raise ValueError(f"{name} must be >= 0 and finite, or NaN where undefined, got {value}")
            object.__setattr__(self, name, value)

    @property
    def n_instances(self) -> int:
        """N, the number of instances."""
        return self.grams.shape[0]

    @property
    def n_features(self) -> int:
        """d, the number of covariates."""
        return self.grams.shape[1]

    def ols(
        self, ols: str = "raise", instances: Sequence[int] | None = None, inverse_diagonal: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Per-instance OLS of these statistics (Algorithm 1, Step 1): exactly
        ``ols_from_gram(self.grams, self.xtys, ols, instances=instances, inverse_diagonal=inverse_diagonal)``,
        with each instance's Cholesky factorisation and solve made once and shared by every estimator fitted on
        these statistics."""
        solutions = self.__dict__.get("_ols_solutions")
        if solutions is None:
            solutions = OLSSolutions(self.grams, self.xtys)
            object.__setattr__(self, "_ols_solutions", solutions)
        return solutions.take(ols, instances, inverse_diagonal)

    def normalised(self) -> tuple[np.ndarray, np.ndarray]:
        """``X_j'X_j / n_j`` (N, d, d) and ``X_j'y_j / n_j`` (N, d), the form the estimators solve with."""
        return self.grams / self.n_obs[:, None, None], self.xtys / self.n_obs[:, None]

    @classmethod
    def from_data(
        cls, Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], *, rss: bool = True, x_max: bool = True
    ) -> SufficientStatistics:
        """The statistics of N instances' rows ``Xs[j]`` (n_j, d), ``ys[j]`` (n_j,).

        Parameters
        ----------
        Xs, ys : sequences of N arrays
            Checked as by the estimators' ``fit`` (shapes, finiteness), with errors naming the instance.
        rss : bool, default=True
            Also compute the residual sums of squares (from the residuals themselves, not from
            ``y'y - b'X'y``, which loses precision to cancellation when the fit is close): the OLS
            of every instance with ``n_j > d`` is solved as the estimators solve it (a rank-deficient
            one by the minimum-norm solution, whose residuals are the least-squares residuals).
        x_max : bool, default=True
            Also record the largest absolute entry of every ``X_j``.
        """
        Xs, ys = check_instances(Xs, ys)
        return cls._from_checked(Xs, ys, rss=rss, x_max=x_max)

    @classmethod
    def _from_checked(cls, Xs: list[np.ndarray], ys: list[np.ndarray], *, rss: bool, x_max: bool):
        n_instances, d = len(Xs), Xs[0].shape[1]
        n_obs = np.array([len(y) for y in ys], dtype=float)
        # Written in place: one (N, d, d) allocation (every further one costs page faults on a busy machine).
        grams = np.empty((n_instances, d, d))
        xtys = np.empty((n_instances, d))
        for j, (X, y) in enumerate(zip(Xs, ys)):
            np.matmul(X.T, X, out=grams[j])  # BLAS syrk: exactly symmetric
            np.matmul(y, X, out=xtys[j])
        largest = np.array([max(X.max(), -X.min()) for X in Xs]) if x_max else None
        # Computed from checked rows: finite, X'X exactly symmetric (numpy's syrk), so the O(N d^2)
        # checks of __post_init__ are skipped (they cost about half the Gram products at N=20, d=100).
        statistics = object.__new__(cls)
        for name, value in zip(
            ("grams", "xtys", "n_obs", "rss", "x_max"), (grams, xtys, n_obs, None, largest), strict=True
        ):
            object.__setattr__(statistics, name, value)
        if rss:
            enough = np.flatnonzero(n_obs > d)
            coefs = statistics.ols("lstsq", instances=enough)  # the factorisations the estimators reuse
            residual_ss = np.full(n_instances, np.nan)
            for j in enough:
                residual = ys[j] - Xs[j] @ coefs[j]
                residual_ss[j] = residual @ residual
            object.__setattr__(statistics, "rss", residual_ss)
        return statistics


def noise_levels(stats: SufficientStatistics, noise_sd, context: str, remedy: str = "") -> np.ndarray:
    """Noise standard deviations sigma_j (N,): ``noise_sd`` if given, else ``sqrt(rss_j / (n_j - d))``.

    The residual-based estimate is the usual unbiased one for sigma_j^2 of a full-rank OLS fit (n_j - d
    residual degrees of freedom). ``context`` names what needs it in the errors (e.g. "lam='theory'"),
    ``remedy`` adds an alternative to passing ``noise_sd``.
    """
    n_instances, dim = stats.n_instances, stats.n_features
    if noise_sd is not None:
        return per_instance(noise_sd, n_instances, "noise_sd")
    sds = np.empty(n_instances)
    for j in range(n_instances):
        n_j = stats.n_obs[j]
        if n_j <= dim:
            raise ValueError(
                f"{context} needs the noise level of instance {j}, which has n_j={int(n_j)} <= d={dim} "
                "(no residual degrees of freedom); pass noise_sd"
            )
        if stats.rss is None or np.isnan(stats.rss[j]):
            raise ValueError(
                f"{context} estimates the noise level of instance {j} from the residual sum of squares of its OLS "
                "fit, which these statistics lack (rss is None, or NaN for this instance); give the statistics rss, "
                "or pass noise_sd"
            )
        sds[j] = np.sqrt(stats.rss[j] / (n_j - dim))
        if not sds[j] > 0:
            raise ValueError(
                f"{context} estimates the noise level of instance {j} from its OLS residuals, which are all "
                f"zero (noise-free data?); pass noise_sd > 0{remedy}"
            )
    return sds
