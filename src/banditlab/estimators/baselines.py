"""The three baselines of Section 3.6 with closed forms: independent OLS, averaging, pooling."""

from __future__ import annotations

import numpy as np

from ._base import MultiInstanceEstimator, shared_instances
from ._stats import ols_from_gram


class IndependentOLS(MultiInstanceEstimator):
    """OLS on each instance alone, ``(X_j'X_j)^{-1} X_j'y_j`` (Section 3.6; Appendix B.1, Prop. 4).

    Parameters
    ----------
    ols : {"raise", "lstsq"}, default="raise"
        A rank-deficient instance (n_j < d, collinear columns) raises a ValueError naming it;
        ``"lstsq"`` uses the minimum-norm least-squares solution instead.

    Attributes
    ----------
    coef_ : ndarray of shape (N, d)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> Xs = [rng.normal(size=(30, 3)) for _ in range(2)]
    >>> ys = [X @ np.array([1.0, 2.0, 3.0]) for X in Xs]
    >>> IndependentOLS().fit(Xs, ys).coef_.round(6)
    array([[1., 2., 3.],
           [1., 2., 3.]])
    """

    label = "Independent OLS"

    def __init__(self, *, ols: str = "raise"):
        self.ols = ols

    def _fit_statistics(self, stats, target) -> None:
        self.coef_ = stats.ols(self.ols)


class Averaging(MultiInstanceEstimator):
    """Model averaging ``(1/N) sum_i beta_ind^i``, the same vector for every instance (Appendix B.2, Prop. 5).

    With ``fit(..., target=j)`` the average runs over the instances other than j (the data-poor proxy
    of Appendix B.2).

    Parameters
    ----------
    ols : {"raise", "lstsq"}, default="raise"
        Handling of rank-deficient instances in the per-instance OLS (see :class:`IndependentOLS`).

    Attributes
    ----------
    coef_ : ndarray of shape (N, d)
    shared_coef_ : ndarray of shape (d,)
    """

    label = "Averaging"

    def __init__(self, *, ols: str = "raise"):
        self.ols = ols

    def _fit_statistics(self, stats, target) -> None:
        used = shared_instances(stats.n_instances, target)
        ols = stats.ols(self.ols, instances=used)
        self.shared_coef_ = ols[used].mean(axis=0)
        self.coef_ = np.tile(self.shared_coef_, (stats.n_instances, 1))


class Pooling(MultiInstanceEstimator):
    """OLS on the data of all instances pooled, ``(sum_i X_i'X_i)^{-1} sum_i X_i'y_i`` (Appendix B.3, Prop. 6).

    With ``fit(..., target=j)`` instance j's data is left out of the pool.

    Parameters
    ----------
    ols : {"raise", "lstsq"}, default="raise"
        Handling of a rank-deficient pooled design.

    Attributes
    ----------
    coef_ : ndarray of shape (N, d)
    shared_coef_ : ndarray of shape (d,)
    """

    label = "Pooling"

    def __init__(self, *, ols: str = "raise"):
        self.ols = ols

    def _fit_statistics(self, stats, target) -> None:
        used = shared_instances(stats.n_instances, target)
        self.shared_coef_ = pooled_ols_from_gram(stats.grams, stats.xtys, used, self.ols)
        self.coef_ = np.tile(self.shared_coef_, (stats.n_instances, 1))


def pooled_ols_from_gram(
    grams: np.ndarray, xtys: np.ndarray, instances: np.ndarray | None = None, ols: str = "raise", ridge: float = 0.0
) -> np.ndarray:
    """OLS on the pooled data of ``instances`` (default all), ``(sum_i X_i'X_i)^{-1} sum_i X_i'y_i`` (d,).

    ``grams`` (N, d, d) and ``xtys`` (N, d) are the sums ``X_i'X_i`` and ``X_i'y_i``; ``ols`` and
    ``ridge`` say how the pooled design is solved (:func:`~banditlab.estimators.ols_from_gram`).
    """
    used = np.arange(len(xtys)) if instances is None else np.asarray(instances, dtype=np.int64)
    dim = np.shape(xtys)[1]
    pooled_gram = np.zeros((1, dim, dim))
    for j in used:  # sum_i X_i'X_i without an (N, d, d) copy
        pooled_gram[0] += grams[j]
    pooled_xty = np.asarray(xtys)[used].sum(axis=0)[None]
    try:
        return ols_from_gram(pooled_gram, pooled_xty, ols, ridge=ridge)[0]
    except ValueError as error:
        raise ValueError(f"pooled design: {error}".replace("instance 0: ", "")) from None
