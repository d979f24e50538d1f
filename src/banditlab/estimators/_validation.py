"""Input checks shared by the estimators: clear messages naming the argument and the instance."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def check_instances(Xs: Sequence[np.ndarray], ys: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Validate N design matrices ``Xs[j]`` (n_j, d) and responses ``ys[j]`` (n_j,)."""
    if isinstance(Xs, np.ndarray) and Xs.ndim == 3:
        Xs = list(Xs)
    if isinstance(ys, np.ndarray) and ys.ndim == 2:
        ys = list(ys)
    if len(Xs) == 0:
        raise ValueError("Xs must hold at least one instance (N >= 1), got an empty list")
    if len(Xs) != len(ys):
        raise ValueError(f"Xs and ys must have the same number of instances, got {len(Xs)} and {len(ys)}")
    Xs = [np.asarray(X, dtype=float) for X in Xs]
    ys = [np.asarray(y, dtype=float) for y in ys]
    d = Xs[0].shape[1] if Xs[0].ndim == 2 else None
    for j, (X, y) in enumerate(zip(Xs, ys)):
        if X.ndim != 2:
            raise ValueError(f"Xs[{j}] must be a 2-D (n_j, d) array, got shape {X.shape}")
        if X.shape[1] != d:
            raise ValueError(f"Xs[{j}] has {X.shape[1]} columns but Xs[0] has {d}: all instances share d")
        if X.shape[0] == 0:
            raise ValueError(f"Xs[{j}] has no rows: every instance needs n_j >= 1 observations")
        if y.shape != (X.shape[0],):
            raise ValueError(f"ys[{j}] must have shape ({X.shape[0]},) to match Xs[{j}], got {y.shape}")
        if not (np.isfinite(X).all() and np.isfinite(y).all()):
            raise ValueError(f"instance {j} holds NaN or inf in Xs[{j}] or ys[{j}]")
    return Xs, ys


def check_target(target: int | None, n_instances: int) -> int | None:
    """The data-poor target index, if any, must name an instance and leave others to share from."""
    if target is None:
        return None
    if not (isinstance(target, int | np.integer) and 0 <= target < n_instances):
        raise ValueError(f"target must be an instance index in [0, {n_instances - 1}], got {target!r}")
    if n_instances < 2:
        raise ValueError("a data-poor target needs at least one other instance (N >= 2)")
    return int(target)


def check_trim_fraction(trim_fraction: float) -> float:
    if not (np.isfinite(trim_fraction) and 0.0 <= trim_fraction < 0.5):
        raise ValueError(f"trim_fraction must be in [0, 0.5), got {trim_fraction}")
    return float(trim_fraction)


def per_instance(value: float | Sequence[float] | np.ndarray, n_instances: int, name: str) -> np.ndarray:
    """Broadcast a scalar or a length-N sequence of positive numbers to shape (N,)."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        array = np.full(n_instances, float(array))
    if array.shape != (n_instances,):
        raise ValueError(
            f"{name} must be a scalar or have one value per instance ({n_instances}), got shape {array.shape}"
        )
    if not (np.isfinite(array).all() and (array > 0).all()):
        raise ValueError(f"{name} must be finite and > 0, got {array}")
    return array
