"""Base class of the multi-instance estimators: scikit-learn parameters, shared input handling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ._stats import gram_statistics
from ._validation import check_instances, check_target


class MultiInstanceEstimator(BaseEstimator):
    """Fits N related linear models ``y_j = X_j beta_j + eps_j`` at once.

    Subclasses implement :meth:`_fit_statistics` on the sufficient statistics
    ``X_j'X_j/n_j``, ``X_j'y_j/n_j`` and ``n_j``. After ``fit``, ``coef_`` (N, d) holds one
    coefficient vector per instance; ``n_instances_`` and ``n_features_in_`` record the shapes.
    """

    def fit(
        self, Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray], target: int | None = None
    ) -> MultiInstanceEstimator:
        """Fit on N instances: ``Xs[j]`` of shape (n_j, d), ``ys[j]`` of shape (n_j,).

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
        grams, xtys, counts = gram_statistics(Xs, ys)
        self.n_instances_, self.n_features_in_ = xtys.shape
        self.target_ = target
        self._fit_statistics(grams, xtys, counts, target, Xs, ys)
        return self

    def _fit_statistics(self, grams, xtys, counts, target, Xs, ys) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def predict(self, X: np.ndarray, instance: int) -> np.ndarray:
        """Predicted mean reward ``X @ coef_[instance]``."""
        check_is_fitted(self, "coef_")
        return np.asarray(X, dtype=float) @ self.coef_[instance]


def shared_instances(n_instances: int, target: int | None) -> np.ndarray:
    """Indices of the instances that enter a shared estimate (all but a data-poor target)."""
    keep = np.ones(n_instances, dtype=bool)
    if target is not None:
        keep[target] = False
    return np.flatnonzero(keep)
