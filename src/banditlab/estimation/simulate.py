"""Synthetic multi-instance linear models of Section 3 (standard, data-poor, lower-bound designs).

Instance j has parameters ``beta_j = beta_dagger + delta_j`` with a dense shared ``beta_dagger`` and an
s-sparse deviation ``delta_j`` (Section 2.1), covariates from a per-instance distribution, and Gaussian
noise with standard deviation ``sigma_j``. Every draw comes from the ``numpy.random.Generator``
passed in.

For the Gaussian design the instances' sufficient statistics can be drawn exactly without the rows
(``make_instances(..., draw="statistics")``, :func:`draw_gaussian_statistics`): the cost no longer
grows with n_j, which the data-poor study needs when the other instances' n grows like d^2 n_target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..estimators import SufficientStatistics

SUPPORTS = ("random", "aligned", "partial", "disjoint")
DESIGNS = ("uniform", "gaussian", "identity")
DRAWS = ("rows", "statistics")
STATISTICS_DESIGNS = ("gaussian", "identity")
"""Designs whose sufficient statistics have an exact draw without the rows (``draw="statistics"``)."""


@dataclass(frozen=True)
class MultitaskData:
    """A drawn problem: data of N instances and the truth that generated it.

    With ``draw="rows"`` the data are ``Xs`` and ``ys`` (fit with ``model.fit(data.Xs, data.ys)``);
    with ``draw="statistics"`` they are ``statistics`` only and ``Xs``, ``ys`` are None (fit with
    ``model.fit_statistics(data.statistics)``). :meth:`sufficient_statistics` gives the statistics in
    both cases.
    """

    Xs: list[np.ndarray] | None
    ys: list[np.ndarray] | None
    betas: np.ndarray  # (N, d) true beta_j
    shared: np.ndarray  # (d,) beta_dagger
    deltas: np.ndarray  # (N, d) beta_j - beta_dagger, s-sparse rows
    noise_sds: np.ndarray  # (N,)
    n_obs: np.ndarray  # (N,) n_j
    x_max: float  # the bound of Assumption 1 for this design (sup-norm of the covariates)
    target: int | None  # the data-poor instance, if any
    statistics: SufficientStatistics | None = None  # set by draw="statistics"

    @property
    def n_instances(self) -> int:
        return self.betas.shape[0]

    def sufficient_statistics(self) -> SufficientStatistics:
        """The drawn statistics, or those of the drawn rows (computed on each call)."""
        if self.statistics is not None:
            return self.statistics
        return SufficientStatistics.from_data(self.Xs, self.ys)

    @property
    def dim(self) -> int:
        return self.betas.shape[1]


def _check_positive_int(value: int, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def draw_supports(n_instances: int, dim: int, sparsity: int, support: str, rng: np.random.Generator) -> np.ndarray:
    """Boolean (N, d) mask of the deviations' supports.

    ``random``: each instance its own uniformly random s-subset; ``aligned``: one random s-subset shared
    by all instances; ``partial``: a random ceil(s/2)-subset shared by all instances plus floor(s/2)
    coordinates of each instance's own (well-aligned components the trimmed mean cannot remove, beside
    poorly-aligned ones); ``disjoint``: pairwise disjoint s-subsets (the poorly-aligned extreme and the
    construction of Proposition 7), which needs ``N s <= d``.
    """
    if support not in SUPPORTS:
        raise ValueError(f"support must be one of {SUPPORTS}, got {support!r}")
    mask = np.zeros((n_instances, dim), dtype=bool)
    if sparsity == 0:
        return mask
    if support == "aligned":
        mask[:, rng.choice(dim, size=sparsity, replace=False)] = True
    elif support == "partial":
        shared = (sparsity + 1) // 2
        order = rng.permutation(dim)
        mask[:, order[:shared]] = True
        rest = order[shared:]
        for j in range(n_instances):
            mask[j, rng.choice(rest, size=sparsity - shared, replace=False)] = True
    elif support == "random":
        for j in range(n_instances):
            mask[j, rng.choice(dim, size=sparsity, replace=False)] = True
    else:
        if n_instances * sparsity > dim:
            raise ValueError(f"support='disjoint' needs N*s <= d, got N={n_instances}, s={sparsity}, d={dim}")
        order = rng.permutation(dim)
        for j in range(n_instances):
            mask[j, order[j * sparsity : (j + 1) * sparsity]] = True
    return mask


def draw_design(n_obs: int, dim: int, design: str, feature_scale: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Covariates of one instance, shape (n_obs, dim).

    ``uniform``: i.i.d. Uniform(-1, 1) entries times ``feature_scale`` (bounded: x_max = 1);
    ``gaussian``: i.i.d. N(0, 1) times ``feature_scale``; ``identity``: the design of Appendix B with
    ``X'X / n = I`` exactly (``sqrt(n)`` times orthonormal columns; needs ``n >= d``).
    """
    if design == "uniform":
        return rng.uniform(-1.0, 1.0, size=(n_obs, dim)) * feature_scale
    if design == "gaussian":
        return rng.standard_normal((n_obs, dim)) * feature_scale
    if design == "identity":
        if n_obs < dim:
            raise ValueError(f"design='identity' (Sigma-hat = I) needs n_j >= d, got n_j={n_obs}, d={dim}")
        q, r = np.linalg.qr(rng.standard_normal((n_obs, dim)))
        return np.sqrt(n_obs) * q * np.sign(np.diag(r))
    raise ValueError(f"design must be one of {DESIGNS}, got {design!r}")


def draw_identity_statistics(
    n_obs: int, beta: np.ndarray, noise_sd: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Exact draw of one instance's ``(X'X, X'y, rss, max|X|)`` for the identity design (Appendix B).

    ``X'X = n I`` exactly (:func:`draw_design`'s ``identity``: ``sqrt(n)`` times orthonormal columns), so
    ``X'y = n beta + noise_sd X'eps`` with ``X'eps ~ N(0, n I)``, and ``rss ~ noise_sd^2 chi2(n - d)``
    independent of it (NaN when ``n = d``). ``max|X|`` is not drawn (NaN): the identity design's largest
    entry has no simple law, and only the rows drawn for a data-poor target set ``x_max`` (see
    :func:`make_instances`). Needs ``n >= d``.
    """
    d = len(beta)
    if n_obs < d:
        raise ValueError(f"design='identity' (Sigma-hat = I) needs n_j >= d, got n_j={n_obs}, d={d}")
    xty = n_obs * beta + noise_sd * np.sqrt(n_obs) * rng.standard_normal(d)
    rss = noise_sd**2 * rng.chisquare(n_obs - d) if n_obs > d else float("nan")
    return n_obs * np.eye(d), xty, float(rss), float("nan")


def draw_gaussian_statistics(
    n_obs: int,
    beta: np.ndarray,
    noise_sd: float,
    feature_scale: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Exact draw of one instance's ``(X'X, X'y, rss, max|X|)`` for the Gaussian design, without the rows.

    The rows are ``x = feature_scale * z``, ``z ~ N(0, I_d)`` (``Sigma = diag(feature_scale^2)``, the
    ``design="gaussian"`` of :func:`draw_design`) and ``y = x'beta + noise_sd * eps``, ``eps ~ N(0, 1)``.
    For ``n >= d``:

    * ``X'X = D A A' D ~ Wishart_d(n, Sigma)`` with ``D = diag(feature_scale)`` and the Bartlett
      decomposition ``A`` lower triangular, ``A_kk = sqrt(chi2(n - k))`` (k = 0..d-1) and
      ``A_ik ~ N(0, 1)`` below the diagonal, all independent (Bartlett 1933; e.g. Anderson,
      *An Introduction to Multivariate Statistical Analysis*, Thm. 7.2.1).
    * ``X'y = X'X beta + noise_sd X'eps``, and given X, ``X'eps ~ N(0, X'X)``, drawn as ``L z`` with
      ``L = D A`` (``L L' = X'X``) and ``z ~ N(0, I_d)``.
    * ``rss = ||(I - H) noise_sd eps||^2 ~ noise_sd^2 chi2(n - d)``, independent of X and of ``X'eps``
      (H the hat matrix; Cochran's theorem); NaN when ``n = d`` (no residual degrees of freedom, as
      :meth:`~banditlab.estimators.SufficientStatistics.from_data` records it).
    * ``max|X|``, the largest of the n d entries ``|x_ik|``, has ``P(max <= t) = prod_k
      erf(t / (sqrt(2) feature_scale_k))^n``; it is drawn from that law by inversion, independently
      of the rest (its weak dependence on ``X'X`` is not reproduced: it only sets ``x_max``).

    For ``n < d`` (a rank-deficient Wishart) the n rows are drawn and summed, which is exact and cheap.

    Parameters
    ----------
    n_obs : int
        n >= 1.
    beta : ndarray (d,)
    noise_sd : float
        sigma >= 0.
    feature_scale : ndarray (d,)
        Positive per-feature standard deviations.
    rng : numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    gram : ndarray (d, d)
        ``X'X``, exactly symmetric.
    xty : ndarray (d,)
        ``X'y``.
    rss : float
        OLS residual sum of squares, NaN if ``n <= d``.
    x_abs_max : float
        ``max |X|``.
    """
    d = len(beta)
    if n_obs < d:
        X = rng.standard_normal((n_obs, d)) * feature_scale
        y = X @ beta + noise_sd * rng.standard_normal(n_obs)
        return X.T @ X, X.T @ y, float("nan"), float(np.abs(X).max())
    bartlett = np.zeros((d, d))
    bartlett[np.tril_indices(d, -1)] = rng.standard_normal(d * (d - 1) // 2)
    bartlett[np.diag_indices(d)] = np.sqrt(rng.chisquare(n_obs - np.arange(d)))
    factor = feature_scale[:, None] * bartlett  # D A, so that gram = factor @ factor.T
    gram = (bartlett @ bartlett.T) * np.outer(feature_scale, feature_scale)  # exactly symmetric
    xty = gram @ beta + noise_sd * (factor @ rng.standard_normal(d))
    rss = noise_sd**2 * rng.chisquare(n_obs - d) if n_obs > d else float("nan")
    return gram, xty, float(rss), _draw_gaussian_abs_max(n_obs, feature_scale, rng)


def _draw_gaussian_abs_max(n_obs: int, feature_scale: np.ndarray, rng: np.random.Generator) -> float:
    """The largest |entry| of an (n, d) matrix with independent N(0, feature_scale_k^2) columns, by inversion."""
    from scipy.optimize import brentq  # imported here: only the statistics draw of a Gaussian design needs it
    from scipy.special import erfc

    log_u = np.log1p(-rng.uniform())  # log of u = 1 - U(0, 1) in (0, 1]; P(max <= t) = u is solved for t

    def log_cdf_minus_target(t: float) -> float:
        return n_obs * np.log1p(-erfc(t / (np.sqrt(2.0) * feature_scale))).sum() - log_u

    upper = float(feature_scale.max()) * (np.sqrt(2.0 * np.log(2.0 * n_obs * len(feature_scale))) + 1.0)
    while log_cdf_minus_target(upper) < 0:
        upper *= 2.0
    lower = upper
    while log_cdf_minus_target(lower) > 0:
        lower /= 2.0
    if lower == upper:
        return upper
    return float(brentq(log_cdf_minus_target, lower, upper, xtol=1e-14 * upper, rtol=1e-14))


def make_instances(
    n_instances: int,
    dim: int,
    sparsity: int,
    n_per_instance: int,
    rng: np.random.Generator,
    *,
    noise_sd: float | np.ndarray = 1.0,
    deviation_size: float = 1.0,
    shared_scale: float = 1.0,
    support: str = "random",
    design: str = "uniform",
    covariate_shift: float = 0.0,
    target: int | None = None,
    n_target: int | None = None,
    draw: str = "rows",
) -> MultitaskData:
    """Draw N instances of the model of Section 3.

    Parameters
    ----------
    n_instances, dim, sparsity, n_per_instance : int
        N, d, s (``0 <= s <= d``) and n_j of every instance but the data-poor target.
    rng : numpy.random.Generator
        The only source of randomness.
    noise_sd : float or array (N,)
        sigma_j of the Gaussian noise.
    deviation_size : float
        Magnitude of every non-zero of ``delta_j`` (random sign), so ``||delta_j||_1 = s * size``.
    shared_scale : float
        ``beta_dagger`` has i.i.d. Uniform(-shared_scale, shared_scale) entries (dense).
    support : {"random", "aligned", "disjoint"}
        See :func:`draw_supports`.
    design : {"uniform", "gaussian", "identity"}
        See :func:`draw_design`; ``identity`` with Gaussian noise is the lower-bound design of
        Propositions 4-7.
    covariate_shift : float in [0, 1)
        Per-instance covariate distributions: instance j's features are scaled by factors drawn
        from Uniform(1 - covariate_shift, 1) (0: identical distributions).
    target, n_target : int, optional
        Data-poor regime (Section 3.5): instance ``target`` gets ``n_target`` observations.
    draw : {"rows", "statistics"}, default="rows"
        ``"rows"`` draws ``Xs`` and ``ys``; ``"statistics"`` draws only every instance's
        :class:`~banditlab.estimators.SufficientStatistics` (``X'X``, ``X'y``, ``n_j``, rss and
        ``max|X_j|``) from their exact joint law, at a cost independent of n_j (see
        :func:`draw_gaussian_statistics`; ``design="gaussian"`` only). The truth (``betas``,
        ``shared``, ``deltas``) is drawn first and is the same for both.
    """
    n_instances = _check_positive_int(n_instances, "n_instances")
    dim = _check_positive_int(dim, "dim")
    sparsity = _check_positive_int(sparsity, "sparsity", minimum=0)
    n_per_instance = _check_positive_int(n_per_instance, "n_per_instance")
    if draw not in DRAWS:
        raise ValueError(f"draw must be one of {DRAWS}, got {draw!r}")
    if draw == "statistics" and design not in STATISTICS_DESIGNS:
        raise ValueError(
            f"draw='statistics' (an exact draw of the sufficient statistics without the rows) is available for "
            f"design in {STATISTICS_DESIGNS} only, got design={design!r}; use draw='rows' or design='gaussian'"
        )
    if sparsity > dim:
        raise ValueError(f"sparsity s must satisfy 0 <= s <= d, got s={sparsity} > d={dim}")
    if not 0 <= covariate_shift < 1:
        raise ValueError(f"covariate_shift must be in [0, 1), got {covariate_shift}")
    if not (np.isfinite(deviation_size) and deviation_size >= 0):
        raise ValueError(f"deviation_size must be >= 0, got {deviation_size}")
    if not (np.isfinite(shared_scale) and shared_scale >= 0):
        raise ValueError(f"shared_scale must be >= 0, got {shared_scale}")
    noise_sds = np.broadcast_to(np.asarray(noise_sd, dtype=float), (n_instances,)).copy()
    if not (np.isfinite(noise_sds).all() and (noise_sds >= 0).all()):
        raise ValueError(f"noise_sd must be >= 0 (scalar or one per instance), got {noise_sd}")
    n_obs = np.full(n_instances, n_per_instance)
    if (target is None) != (n_target is None):
        raise ValueError("the data-poor regime needs both target and n_target")
    if target is not None:
        if not 0 <= target < n_instances:
            raise ValueError(f"target must be in [0, {n_instances - 1}], got {target}")
        n_obs[target] = _check_positive_int(n_target, "n_target")

    shared = rng.uniform(-shared_scale, shared_scale, size=dim)
    mask = draw_supports(n_instances, dim, sparsity, support, rng)
    signs = rng.choice([-1.0, 1.0], size=(n_instances, dim))
    deltas = np.where(mask, deviation_size * signs, 0.0)
    betas = shared + deltas
    scales = (
        rng.uniform(1.0 - covariate_shift, 1.0, size=(n_instances, dim))
        if covariate_shift > 0
        else np.ones((n_instances, dim))
    )
    if draw == "statistics":
        return _statistics_data(n_obs, design, betas, shared, deltas, noise_sds, scales, target, rng)
    Xs, ys = [], []
    for j in range(n_instances):
        X = draw_design(int(n_obs[j]), dim, design, scales[j], rng)
        Xs.append(X)
        ys.append(X @ betas[j] + noise_sds[j] * rng.standard_normal(int(n_obs[j])))
    x_max = float(max(np.abs(X).max() for X in Xs)) if design != "uniform" else 1.0
    return MultitaskData(Xs, ys, betas, shared, deltas, noise_sds, n_obs, x_max, target)


def _statistics_data(n_obs, design, betas, shared, deltas, noise_sds, scales, target, rng) -> MultitaskData:
    """``draw="statistics"``: every instance's sufficient statistics drawn exactly, except a data-poor
    target's, which are computed from its drawn rows (it is small, and its rows set ``x_max`` for the
    identity design, whose statistics carry none)."""
    drawn = []
    for j in range(len(n_obs)):
        if j == target:
            X = draw_design(int(n_obs[j]), betas.shape[1], design, scales[j], rng)
            y = X @ betas[j] + noise_sds[j] * rng.standard_normal(int(n_obs[j]))
            own = SufficientStatistics.from_data([X], [y])
            drawn.append((own.grams[0], own.xtys[0], float(own.rss[0]), float(np.abs(X).max())))
        elif design == "gaussian":
            drawn.append(draw_gaussian_statistics(int(n_obs[j]), betas[j], noise_sds[j], scales[j], rng))
        else:
            drawn.append(draw_identity_statistics(int(n_obs[j]), betas[j], noise_sds[j], rng))
    grams, xtys, rss, x_abs_max = (np.array(part) for part in zip(*drawn))
    if np.isnan(x_abs_max).all():
        raise ValueError(
            "draw='statistics' with design='identity' needs a data-poor target (its rows give x_max, the bound of "
            "Assumption 1); use draw='rows' in the standard regime"
        )
    statistics = SufficientStatistics(grams, xtys, n_obs.astype(float), rss, x_abs_max)
    x_max = float(np.nanmax(x_abs_max))
    return MultitaskData(None, None, betas, shared, deltas, noise_sds, n_obs, x_max, target, statistics)
