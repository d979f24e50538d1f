"""Median shrinkage (ours): weighted median of the per-instance OLS estimates, then soft thresholding toward it."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._base import MultiInstanceEstimator, shared_instances
from ._stats import ols_from_gram, weighted_median
from ._sufficient import noise_levels


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
        multiplier = self.threshold_multiplier
        if not (isinstance(multiplier, numbers.Real) and math.isfinite(multiplier) and multiplier >= 0):
            raise ValueError(f"threshold_multiplier must be a finite number >= 0, got {multiplier!r}")
        if not (isinstance(self.confidence, numbers.Real) and 0 < self.confidence < 1):
            raise ValueError(f"confidence must be in (0, 1), got {self.confidence!r}")
        n_instances, dim = stats.n_instances, stats.n_features
        ols_coef, inverse_diagonal = ols_from_gram(stats.grams, stats.xtys, self.ols, inverse_diagonal=True)
        sds = noise_levels(stats, self.noise_sd, "MedianShrinkage")
        errors = sds[:, None] * np.sqrt(inverse_diagonal)  # stats.grams are X_j'X_j: [(X_j'X_j)^{-1}]_kk
        bad = ~(np.isfinite(errors) & (errors > 0))
        if bad.any():
            j, k = (int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"MedianShrinkage: the standard error of coordinate {k} of instance {j} is {errors[j, k]:.3g}, "
                "not a positive number (an all-zero column of X_j under ols='lstsq'?), so it has no weight"
            )
        used = shared_instances(n_instances, target)
        median = weighted_median(ols_coef[used], 1.0 / errors[used])
        thresholds = multiplier * errors * math.sqrt(2.0 * math.log(dim * n_instances / self.confidence))
        difference = ols_coef - median
        self.coef_ = median + np.sign(difference) * np.maximum(np.abs(difference) - thresholds, 0.0)
        self.shared_coef_ = median
        self.ols_coef_ = ols_coef
        self.standard_errors_ = errors
        self.noise_sd_ = sds
        self.thresholds_ = thresholds
