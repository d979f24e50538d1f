"""The five estimators of Section 3 of Xu and Bastani and one of ours, scikit-learn style.

Every estimator fits N instances at once with ``fit(Xs, ys, target=None)`` and exposes ``coef_`` of
shape (N, d); the ones that build a shared model also expose ``shared_coef_`` of shape (d,). Every
estimator can also fit from the instances' sufficient statistics, ``fit_statistics(stats, target=None)``
with a :class:`SufficientStatistics` (``X_j'X_j``, ``X_j'y_j``, ``n_j`` and, where needed, the
residual sums of squares), with the same result as ``fit`` on the rows.

========================  =========================================  ======================
class                     paper                                      Table 1 row
========================  =========================================  ======================
:class:`IndependentOLS`   Section 3.6, Appendix B.1                  Independent
:class:`Averaging`        Section 3.3, Appendix B.2                  Averaging
:class:`Pooling`          Section 3.6, Appendix B.3                  Pooling
:class:`AveragingMultitask` eq. (4), Appendix B.4                    Averaging Multitask
:class:`RobustMultitask`  Algorithm 1, eqs. (2)-(3)                  Robust Multitask
:class:`MedianShrinkage`  ours, after Huang et al. (JASA 2025)       (none)
========================  =========================================  ======================

Every class has a ``label`` (its name in legends and tables).

The functions the classes fit with (:func:`ols_from_gram`, :func:`multitask_from_gram`,
:func:`pooled_ols_from_gram`, :func:`median_shrinkage_from_ols`, :func:`ridge_from_gram`) are also what
the bandit policies of :mod:`banditlab.bandits` fit with, from running statistics: per-instance source
sets ``Q_j``, a minimum count, warm starts and a tiny ridge that keeps rank-deficient designs cheap
(``ridge=``) are their options for that use.
"""

from ._stats import (
    gram_statistics,
    ols_from_gram,
    ridge_from_gram,
    trim_count,
    trimmed_mean,
    trimmed_mean_count,
    weighted_median,
)
from ._sufficient import SufficientStatistics
from .baselines import Averaging, IndependentOLS, Pooling, pooled_ols_from_gram
from .median import MedianShrinkage, median_shrinkage_from_ols
from .multitask import AveragingMultitask, RobustMultitask, multitask_from_gram

ESTIMATORS = {
    "independent_ols": IndependentOLS,
    "averaging": Averaging,
    "pooling": Pooling,
    "averaging_multitask": AveragingMultitask,
    "robust_multitask": RobustMultitask,
}
"""The five estimators of paper 000 (Table 1's rows): the ones the rate and bound checks speak of."""

ALL_ESTIMATORS = {**ESTIMATORS, "median_shrinkage": MedianShrinkage}
"""The built-in estimators: the five of paper 000 and ours beyond it (:class:`MedianShrinkage`).

The estimation study fits every one of them by default (config ``estimation.estimators``); the checks
against the paper read the five of :data:`ESTIMATORS` only, and ``median_shrinkage`` is reported in
``results/tables/beyond_papers.md`` (:mod:`banditlab.beyond`). A user's own estimator is named in the
config by import path instead (:mod:`banditlab.registry`); no entry here is needed.
"""

__all__ = [
    "ALL_ESTIMATORS",
    "ESTIMATORS",
    "Averaging",
    "AveragingMultitask",
    "IndependentOLS",
    "MedianShrinkage",
    "Pooling",
    "RobustMultitask",
    "SufficientStatistics",
    "gram_statistics",
    "median_shrinkage_from_ols",
    "multitask_from_gram",
    "ols_from_gram",
    "pooled_ols_from_gram",
    "ridge_from_gram",
    "trim_count",
    "trimmed_mean",
    "trimmed_mean_count",
    "weighted_median",
]
