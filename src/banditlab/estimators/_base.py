"""Base class of the multi-instance estimators: scikit-learn's parameter API, shared input handling."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._sufficient import SufficientStatistics
from ._validation import check_instances, check_target


class ParameterAPI:
    """scikit-learn's parameter protocol (``get_params``, ``set_params``, the ``repr``), so that
    ``sklearn.base.clone`` and grid searches work, without importing scikit-learn (about a second of every
    job that fits an estimator). The parameters are the keyword arguments of ``__init__``, stored as is."""

    @classmethod
    def _get_param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(name for name, p in signature.parameters.items() if name != "self" and p.kind == p.KEYWORD_ONLY)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The estimator's parameters (its ``__init__`` arguments) by name."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params: Any):
        """Set parameters by name (an unknown name is refused); returns the estimator."""
        known = self._get_param_names()
        for name, value in params.items():
            if name not in known:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; valid ones: {known}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items() if name != "self"
        }
        changed = {name: value for name, value in self.get_params().items() if _differs(value, defaults.get(name))}
        return f"{type(self).__name__}({', '.join(f'{name}={value!r}' for name, value in changed.items())})"


def _differs(value: Any, default: Any) -> bool:
    try:
        return bool(value != default) if not isinstance(value, np.ndarray) else True
    except (TypeError, ValueError):  # an array-like compared element-wise
        return True


class MultiInstanceEstimator(ParameterAPI):
    """Fits N related linear models ``y_j = X_j beta_j + eps_j`` at once.

    Subclasses implement :meth:`_fit_statistics` on a :class:`SufficientStatistics`, and say through
    :meth:`_statistics_needed` whether they need the residual sums of squares or ``x_max`` beyond
    the Gram statistics. After ``fit``, ``coef_`` (N, d) holds one coefficient vector per instance;
    ``n_instances_`` and ``n_features_in_`` record the shapes.
    """

    label: str = ""
    """Human-readable name of the estimator (legends and tables)."""

    def fit(
        self, Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], target: int | None = None
    ) -> MultiInstanceEstimator:
        """Fit on N instances: ``Xs[j]`` of shape (n_j, d), ``ys[j]`` of shape (n_j,).

        Computes the instances' :class:`SufficientStatistics` and runs :meth:`fit_statistics`'s code
        on them, so ``fit(Xs, ys)`` and ``fit_statistics(SufficientStatistics.from_data(Xs, ys))``
        give identical coefficients.

        Parameters
        ----------
        Xs : sequence of N arrays (n_j, d); the n_j may differ.
        ys : sequence of N arrays (n_j,).
        target : int, optional
            A data-poor instance (Section 3.5): it is left out of every estimate shared across
            instances, so its own high-variance data cannot bias the shared model.

        Returns
        -------
        self
        """
        Xs, ys = check_instances(Xs, ys)
        target = check_target(target, len(Xs))
        rss, x_max = self._statistics_needed()
        return self._fit_checked(SufficientStatistics._from_checked(Xs, ys, rss=rss, x_max=x_max), target)

    def fit_statistics(self, stats: SufficientStatistics, target: int | None = None) -> MultiInstanceEstimator:
        """Fit on N instances' sufficient statistics instead of their rows.

        Parameters
        ----------
        stats : SufficientStatistics
            ``X_j'X_j``, ``X_j'y_j``, ``n_j`` and, where this estimator's settings need them, the
            residual sums of squares and ``x_max`` (see :class:`SufficientStatistics`).
        target : int, optional
            The data-poor instance, as in :meth:`fit`.

        Returns
        -------
        self
        """
        if not isinstance(stats, SufficientStatistics):
            raise TypeError(f"stats must be a SufficientStatistics, got {type(stats).__name__}")
        return self._fit_checked(stats, check_target(target, stats.n_instances))

    def _fit_checked(self, stats: SufficientStatistics, target: int | None) -> MultiInstanceEstimator:
        self.n_instances_, self.n_features_in_ = stats.n_instances, stats.n_features
        self.target_ = target
        self._fit_statistics(stats, target)
        return self

    def _statistics_needed(self) -> tuple[bool, bool]:
        """Whether a fit with the current parameters reads ``stats.rss`` and ``stats.x_max``."""
        return False, False

    def _fit_statistics(self, stats: SufficientStatistics, target: int | None) -> None:  # pragma: no cover
        raise NotImplementedError

    def predict(self, X: np.ndarray, instance: int) -> np.ndarray:
        """Predicted mean reward ``X @ coef_[instance]``."""
        self._check_fitted()
        return np.asarray(X, dtype=float) @ self.coef_[instance]

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise AttributeError(f"this {type(self).__name__} is not fitted yet: call fit or fit_statistics first")

    def score(self, Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> float:
        """The mean over instances of the coefficient of determination R^2 of each instance's predictions.

        As scikit-learn's regressors' ``score``, one instance at a time: ``R^2_j = 1 - ||y_j - X_j coef_j||^2 /
        ||y_j - mean(y_j)||^2`` (1 is a perfect fit, 0 that of the constant ``mean(y_j)``, and it can be
        negative), then the unweighted mean of the N values.

        Parameters
        ----------
        Xs : sequence of N arrays (n_j, d)
            One design per fitted instance, in the order of ``fit`` (n_j >= 2: the R^2 of one row is undefined).
        ys : sequence of N arrays (n_j,)

        Returns
        -------
        float
        """
        self._check_fitted()
        Xs, ys = check_instances(Xs, ys)
        if len(Xs) != self.n_instances_ or Xs[0].shape[1] != self.n_features_in_:
            raise ValueError(
                f"score needs the {self.n_instances_} instances of the fit with {self.n_features_in_} features each, "
                f"got {len(Xs)} with {Xs[0].shape[1]}"
            )
        if min(len(y) for y in ys) < 2:
            raise ValueError("score needs n_j >= 2 rows in every instance (R^2 of one row is undefined)")
        return float(np.mean([_r2(y, X @ coef) for X, y, coef in zip(Xs, ys, self.coef_)]))


def _r2(y: np.ndarray, predicted: np.ndarray) -> float:
    """The coefficient of determination of ``predicted`` for ``y`` (scikit-learn's ``r2_score`` for one output)."""
    total = float(((y - y.mean()) ** 2).sum())
    residual = float(((y - predicted) ** 2).sum())
    if total == 0.0:  # a constant y: perfect predictions score 1, others 0 (as r2_score)
        return 1.0 if residual == 0.0 else 0.0
    return 1.0 - residual / total


def shared_instances(n_instances: int, target: int | None) -> np.ndarray:
    """Indices of the instances that enter a shared estimate (all but a data-poor target)."""
    keep = np.ones(n_instances, dtype=bool)
    if target is not None:
        keep[target] = False
    return np.flatnonzero(keep)


def source_sets(n_instances: int, target: int | None = None, sources: np.ndarray | None = None) -> np.ndarray:
    """The instances each shared estimate is computed over, as a boolean matrix of N columns.

    Without ``sources``: one row, every instance but a data-poor ``target`` (the estimators, Section 3.5).
    With ``sources`` (N, N): row j is instance j's own source set ``Q_j`` (``sources[j, i]``: instance i
    enters instance j's shared estimate; RMBandit's data-poor and network modes, Sections 4.3-4.4).
    """
    if sources is None:
        row = np.zeros((1, n_instances), dtype=bool)
        row[0, shared_instances(n_instances, target)] = True
        return row
    if target is not None:
        raise ValueError("give a data-poor target or per-instance sources, not both")
    sources = np.asarray(sources, dtype=bool)
    if sources.shape != (n_instances, n_instances):
        raise ValueError(
            f"sources must be an (N, N) = ({n_instances}, {n_instances}) boolean matrix, got {sources.shape}"
        )
    return sources
