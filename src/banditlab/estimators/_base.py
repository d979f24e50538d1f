"""Base class of the multi-instance estimators: scikit-learn parameters, shared input handling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted

from ._sufficient import SufficientStatistics
from ._validation import check_instances, check_target


class MultiInstanceEstimator(BaseEstimator):
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
        check_is_fitted(self, "coef_")
        return np.asarray(X, dtype=float) @ self.coef_[instance]

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
        check_is_fitted(self, "coef_")
        Xs, ys = check_instances(Xs, ys)
        if len(Xs) != self.n_instances_ or Xs[0].shape[1] != self.n_features_in_:
            raise ValueError(
                f"score needs the {self.n_instances_} instances of the fit with {self.n_features_in_} features each, "
                f"got {len(Xs)} with {Xs[0].shape[1]}"
            )
        if min(len(y) for y in ys) < 2:
            raise ValueError("score needs n_j >= 2 rows in every instance (R^2 of one row is undefined)")
        return float(np.mean([r2_score(y, X @ coef) for X, y, coef in zip(Xs, ys, self.coef_)]))


def shared_instances(n_instances: int, target: int | None) -> np.ndarray:
    """Indices of the instances that enter a shared estimate (all but a data-poor target)."""
    keep = np.ones(n_instances, dtype=bool)
    if target is not None:
        keep[target] = False
    return np.flatnonzero(keep)
