"""Median shrinkage (ours): weighted median of the per-instance OLS estimates, then soft thresholding toward it."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._base import MultiInstanceEstimator, source_sets
from ._stats import per_source_set, weighted_median
from ._sufficient import noise_levels


def check_shrinkage(threshold_multiplier: float, confidence: float) -> None:
    """``threshold_multiplier`` (c) must be a finite number >= 0 and ``confidence`` (delta) in (0, 1)."""
    c = threshold_multiplier
    if not (isinstance(c, numbers.Real) and math.isfinite(c) and c >= 0):
        raise ValueError(f"threshold_multiplier must be a finite number >= 0, got {c!r}")
    if not (isinstance(confidence, numbers.Real) and 0 < confidence < 1):
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")


def median_shrinkage_from_ols(
    ols_coef: np.ndarray,
    standard_errors: np.ndarray,
    threshold_multiplier: float = 1.0,
    confidence: float = 0.05,
    target: int | None = None,
    sources: np.ndarray | None = None,
    usable: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps 2 and 3 of :class:`MedianShrinkage` from the instances' OLS estimates and standard errors.

    Step 2: the coordinate-wise weighted median (weights ``1 / se_ik``) of the OLS estimates of the
    instances that share (all but a data-poor ``target``, or instance j's own source set
    ``sources[j]``). Step 3: soft thresholding of every instance's OLS estimate toward its median at
    ``t_jk = c se_jk sqrt(2 log(d N / delta))``.

    Parameters
    ----------
    ols_coef, standard_errors : ndarrays (N, d)
        ``b_j`` and ``se_jk`` (finite and > 0 in the rows of usable instances).
    threshold_multiplier, confidence : float
        ``c`` and ``delta`` (checked by :func:`check_shrinkage`).
    target : int, optional
        Data-poor instance left out of every median.
    sources : bool ndarray (N, N), optional
        ``sources[j, i]``: instance i enters instance j's median (not with ``target``).
    usable : bool ndarray (N,), optional
        Instances with an OLS estimate (default all): the others enter no median and get their own
        median as estimate (the bandit's batches, in which an instance may have fewer than d
        observations of an arm). A median over no instance is 0.

    Returns
    -------
    coef : ndarray (N, d)
    median : ndarray (d,), or (N, d) with ``sources`` (instance j's median)
    thresholds : ndarray (N, d), NaN in the rows of instances that are not usable
    """
    check_shrinkage(threshold_multiplier, confidence)
    n_instances, dim = ols_coef.shape
    usable = np.ones(n_instances, dtype=bool) if usable is None else np.asarray(usable, dtype=bool)
    members = source_sets(n_instances, target, sources) & usable

    def median(row: np.ndarray) -> np.ndarray:
        return weighted_median(ols_coef[row], 1.0 / standard_errors[row])

    medians = per_source_set(members, median, dim)
    shared = medians[0] if sources is None else medians
    centre = np.broadcast_to(shared, (n_instances, dim))
    rows = slice(None) if usable.all() else np.flatnonzero(usable)
    coef = centre.copy()
    thresholds = np.full((n_instances, dim), np.nan)
    thresholds[rows] = (
        threshold_multiplier * standard_errors[rows] * math.sqrt(2.0 * math.log(dim * n_instances / confidence))
    )
    difference = ols_coef[rows] - centre[rows]
    coef[rows] = centre[rows] + np.sign(difference) * np.maximum(np.abs(difference) - thresholds[rows], 0.0)
    return coef, shared, thresholds


class MedianShrinkage(MultiInstanceEstimator):
    """Median shrinkage, our own estimator beyond the two papers.

    The follow-up to Xu and Bastani by Huang, Xu, Lee, Hassani, Bastani and Dobriban (JASA 2025)
    replaces the trimmed mean with a coordinate-wise weighted median of the per-instance OLS
    estimates and shrinks each instance's OLS estimate toward it coordinate by coordinate instead of
    solving a LASSO. Their weights and thresholds are not available to us; every formula below is
    ours (and so is any error in it).

    Step 1 (as :class:`IndependentOLS`): ``b_j = (X_j'X_j)^{-1} X_j'y_j`` and the standard errors
    ``se_jk = sigma_j sqrt([(X_j'X_j)^{-1}]_kk)``.

    Step 2: per coordinate k, the weighted median of the OLS coordinates of the shared instances S
    (all instances, or all but a data-poor ``target``) with weights ``w_jk = 1 / se_jk``, so a more
    precise estimate counts more. Ties are broken to the *lower* weighted median: with
    ``b_(1)k <= ... <= b_(|S|)k`` and their weights, ``m_k = b_(i*)k`` where
    ``i* = min{i : w_(1)k + ... + w_(i)k >= (sum_l w_(l)k) / 2}`` (the smallest minimiser of
    ``sum_j w_jk |b_jk - m|``; see :func:`~banditlab.estimators.weighted_median`).

    Step 3: per instance j and coordinate k, soft thresholding of the difference to the median,

        ``beta_jk = m_k + sign(b_jk - m_k) max(|b_jk - m_k| - t_jk, 0)``,
        ``t_jk = c se_jk sqrt(2 log(d N / delta))``,

    with ``c = threshold_multiplier`` and ``delta = confidence``. With ``c = 1`` and no deviation in
    coordinate k (and m_k close to the shared value), ``(b_jk - m_k)/se_jk`` is about N(0, 1) and
    ``P(|Z| > sqrt(2 log(dN/delta))) <= delta/(dN)``, so by a union bound all d N coordinates without
    a deviation are set exactly to the median with probability about 1 - delta, while a deviation
    larger than the threshold is kept, shrunk by ``t_jk``. ``c = 0`` gives independent OLS, a large c
    the median itself.

    Parameters
    ----------
    threshold_multiplier : float >= 0, default=1.0
        ``c`` above (1: the union-bound level of Step 3).
    confidence : float in (0, 1), default=0.05
        ``delta`` above.
    noise_sd : float or array-like of shape (N,), optional
        Known noise standard deviations ``sigma_j``; by default each is estimated from the instance's
        OLS residuals, ``sigma_j^2 = rss_j / (n_j - d)`` (so every instance needs ``n_j > d``), as
        ``lam="theory"`` of :class:`RobustMultitask` does.

        Unlike the multitask estimators, every instance (a data-poor target too) needs its own OLS
        estimate, since Step 3 shrinks it: ``n_j >= d`` and a full-rank design.
    ols : {"raise", "lstsq"}, default="raise"
        A rank-deficient instance raises a ValueError naming it, or uses the minimum-norm
        least-squares solution and the pseudo-inverse's diagonal in ``se_jk``.

    Attributes
    ----------
    coef_ : ndarray (N, d)
        ``beta_jk`` of Step 3 for every instance (the data-poor target included).
    shared_coef_ : ndarray (d,)
        The weighted median ``m`` of Step 2 (without the target, if one was given).
    ols_coef_ : ndarray (N, d)
        Step-1 OLS estimates ``b_j``.
    standard_errors_ : ndarray (N, d)
        ``se_jk``.
    noise_sd_ : ndarray (N,)
        ``sigma_j`` used.
    thresholds_ : ndarray (N, d)
        ``t_jk``.

    See Also
    --------
    RobustMultitask : Algorithm 1 of Xu and Bastani (trimmed mean, then a LASSO).

    References
    ----------
    Huang, Xu, Lee, Hassani, Bastani and Dobriban, JASA 2025 (the idea; formulas here are ours).

    Examples
    --------
    >>> import numpy as np
    >>> from banditlab.estimation.simulate import make_instances
    >>> data = make_instances(n_instances=10, dim=20, sparsity=1, n_per_instance=100, rng=np.random.default_rng(0))
    >>> model = MedianShrinkage().fit(data.Xs, data.ys)
    >>> model.coef_.shape, model.shared_coef_.shape
    ((10, 20), (20,))
    """

    label = "Median shrinkage (ours)"

    def __init__(
        self,
        *,
        threshold_multiplier: float = 1.0,
        confidence: float = 0.05,
        noise_sd: float | None = None,
        ols: str = "raise",
    ):
        self.threshold_multiplier = threshold_multiplier
        self.confidence = confidence
        self.noise_sd = noise_sd
        self.ols = ols

    def _statistics_needed(self) -> tuple[bool, bool]:
        return self.noise_sd is None, False

    def _fit_statistics(self, stats, target) -> None:
        check_shrinkage(self.threshold_multiplier, self.confidence)
        ols_coef, inverse_diagonal = stats.ols(self.ols, inverse_diagonal=True)
        sds = noise_levels(stats, self.noise_sd, "MedianShrinkage")
        errors = sds[:, None] * np.sqrt(inverse_diagonal)  # stats.grams are X_j'X_j: [(X_j'X_j)^{-1}]_kk
        bad = ~(np.isfinite(errors) & (errors > 0))
        if bad.any():
            j, k = (int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"MedianShrinkage: the standard error of coordinate {k} of instance {j} is {errors[j, k]:.3g}, "
                "not a positive number (an all-zero column of X_j under ols='lstsq'?), so it has no weight"
            )
        self.coef_, self.shared_coef_, self.thresholds_ = median_shrinkage_from_ols(
            ols_coef, errors, self.threshold_multiplier, self.confidence, target
        )
        self.ols_coef_ = ols_coef
        self.standard_errors_ = errors
        self.noise_sd_ = sds
