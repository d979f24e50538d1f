"""The base class of the pareto policies (paper 004) and the validation of their hyperparameters.

:class:`ParetoPolicy` is the protocol of :class:`~banditlab.agents.Agent` plus :meth:`ParetoPolicy.trajectory`;
the ``_check_*`` helpers refuse a bad hyperparameter in ``__init__`` with a message naming it and its range.
Shared by :mod:`.policies` (Algorithm 1 and the baselines) and :mod:`.pareto_ucb`.
"""

from __future__ import annotations

import math

import numpy as np

from ..agents import Agent
from .protocol import Trajectory

__all__ = ["ParetoPolicy"]


# --------------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------------


def _check_real(name, value, low, high, low_open=False, high_open=False):
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    ok = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok or math.isnan(value):
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{name} must lie in {lo}{low}, {high}{hi}, got {value!r}")
    return value


def _check_int(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value}")
    return int(value)


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def _one_round(t0: int, X: np.ndarray, U: np.ndarray) -> tuple[np.ndarray, float]:
    if len(X) != 1 or len(U) != 1:
        raise ValueError(f"a policy that learns from every reward acts on one round at a time, got {len(X)} at t={t0}")
    return np.ascontiguousarray(X, dtype=np.float64), float(U[0])


class ParetoPolicy(Agent):
    """Base class of the pareto policies: the protocol of :class:`~banditlab.agents.Agent`, plus
    :meth:`trajectory` (what the policy did, for the runner to score).

    Subclasses store their hyperparameters in a keyword-only ``__init__`` (validated there, so a bad
    value fails before any simulation); learned state lives in attributes ending in ``_``. ``name``
    labels results rows. ``needs_pareto = True`` asks the runner for the true Pareto mask in
    ``spec.pareto`` (the oracle only).
    """

    name = "base"
    needs_pareto = False

    def trajectory(self) -> Trajectory:  # pragma: no cover - abstract
        """Played arms, supports, depths and leaves of the rounds since :meth:`reset` (the policy's own
        arrays, not copies; the next :meth:`reset` allocates new ones)."""
        raise NotImplementedError

    def get_params(self) -> dict:
        """Hyperparameters (the ``__init__`` arguments), for results rows."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_")}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"
