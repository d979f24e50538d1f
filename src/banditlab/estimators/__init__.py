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

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lazy exports below, spelled out for type checkers and banditlab.provenance's import walk
    from . import _stats, _sufficient, baselines, median, multitask  # noqa: F401

_EXPORTS = {
    **dict.fromkeys(
        (
            "gram_statistics",
            "ols_from_gram",
            "ridge_from_gram",
            "trim_count",
            "trimmed_mean",
            "trimmed_mean_count",
            "weighted_median",
        ),
        "_stats",
    ),
    "SufficientStatistics": "_sufficient",
    **dict.fromkeys(("Averaging", "IndependentOLS", "Pooling", "pooled_ols_from_gram"), "baselines"),
    **dict.fromkeys(("MedianShrinkage", "median_shrinkage_from_ols"), "median"),
    **dict.fromkeys(("AveragingMultitask", "RobustMultitask", "multitask_from_gram"), "multitask"),
}
_REGISTRIES = {
    "ESTIMATORS": ("independent_ols", "averaging", "pooling", "averaging_multitask", "robust_multitask"),
    "ALL_ESTIMATORS": (
        "independent_ols",
        "averaging",
        "pooling",
        "averaging_multitask",
        "robust_multitask",
        "median_shrinkage",
    ),
}
_CLASSES = {
    "independent_ols": "IndependentOLS",
    "averaging": "Averaging",
    "pooling": "Pooling",
    "averaging_multitask": "AveragingMultitask",
    "robust_multitask": "RobustMultitask",
    "median_shrinkage": "MedianShrinkage",
}
# ESTIMATORS: the five estimators of paper 000 (Table 1's rows), the ones the rate and bound checks speak of.
# ALL_ESTIMATORS: the built-in estimators, the five of paper 000 and ours beyond it (MedianShrinkage). The estimation
# study fits every one of them by default (config ``estimation.estimators``); the checks against the paper read the
# five of ESTIMATORS only, and ``median_shrinkage`` is reported in ``results/tables/beyond_papers.md``
# (banditlab.beyond). A user's own estimator is named in the config by import path instead (banditlab.registry).


def __getattr__(name: str):
    # Imported on first use: a module that needs one helper of this package (estimation.theory needs the
    # hyperparameters, a figure job the theory) does not load the LASSO's compiled kernels and scipy with it.
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    if name in _REGISTRIES:
        registry = {key: __getattr__(_CLASSES[key]) for key in _REGISTRIES[name]}
        globals()[name] = registry  # one dict per process: every caller sees the same registry
        return registry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
