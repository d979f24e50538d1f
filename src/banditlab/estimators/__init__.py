"""The five estimators of Section 3 of Xu and Bastani, scikit-learn style.

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
========================  =========================================  ======================
"""

from ._stats import gram_statistics, ols_from_gram, trimmed_mean, trimmed_mean_count
from ._sufficient import SufficientStatistics
from .baselines import Averaging, IndependentOLS, Pooling
from .multitask import AveragingMultitask, RobustMultitask, multitask_from_gram

ESTIMATORS = {
    "independent_ols": IndependentOLS,
    "averaging": Averaging,
    "pooling": Pooling,
    "averaging_multitask": AveragingMultitask,
    "robust_multitask": RobustMultitask,
}
"""Registry used by the experiments: a new estimator is one class and one entry here."""

__all__ = [
    "ESTIMATORS",
    "Averaging",
    "AveragingMultitask",
    "IndependentOLS",
    "Pooling",
    "RobustMultitask",
    "SufficientStatistics",
    "gram_statistics",
    "multitask_from_gram",
    "ols_from_gram",
    "trimmed_mean",
    "trimmed_mean_count",
]
