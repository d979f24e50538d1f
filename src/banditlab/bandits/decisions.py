"""The policies' choice of arm from their estimates, one matrix product per instance and segment."""

from __future__ import annotations

import numpy as np

from .env import group_rows

__all__ = ["filtered_argmax", "greedy_argmax"]


def filtered_argmax(
    X: np.ndarray,
    Z: np.ndarray,
    forced: np.ndarray,
    allsample: np.ndarray,
    h: float,
    kept: np.ndarray | None = None,
) -> np.ndarray:
    """Algorithm 2's decision: the arms within ``h/2`` of the best forced-sample score, then the best
    all-sample score among them. ``forced``, ``allsample``: (N, K, d) estimates. ``kept``, if given, an (n, K)
    boolean array filled with the filter's set of every arrival (the arms within ``h/2``)."""
    arms = np.empty(len(Z), dtype=np.int64)
    K = forced.shape[1]
    both = np.concatenate([forced, allsample], axis=1)  # (N, 2K, d): one product per instance
    order, bounds = group_rows(Z, forced.shape[0])
    for j in np.flatnonzero(np.diff(bounds)):
        rows = order[bounds[j] : bounds[j + 1]]
        scores = X[rows] @ both[j].T
        s0, s1 = scores[:, :K], scores[:, K:]
        dropped = s0 < s0.max(axis=1, keepdims=True) - h / 2
        s1[dropped] = -np.inf
        arms[rows] = s1.argmax(axis=1)
        if kept is not None:
            kept[rows] = ~dropped
    return arms


def greedy_argmax(X: np.ndarray, Z: np.ndarray, coef: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The arm of the best score ``X_t' coef[Z_t, k]``, ties broken uniformly at random by ``rng``."""
    K = coef.shape[1]
    if len(Z) < 4096:
        scores = np.einsum("td,tkd->tk", X, coef[Z])
    else:
        scores = np.empty((len(Z), K))
        order, bounds = group_rows(Z, coef.shape[0])
        for j in np.flatnonzero(np.diff(bounds)):
            rows = order[bounds[j] : bounds[j + 1]]
            scores[rows] = X[rows] @ coef[j].T
    best = scores.max(axis=1, keepdims=True)
    ties = (scores >= best) * rng.random(scores.shape)
    return ties.argmax(axis=1)
