"""The one policy protocol of both papers: online agents that see contexts and the rewards they pull.

Every policy, of paper 000's bandits and of paper 004's Pareto bandits, is an :class:`Agent`:

* ``reset(spec, horizon, rng)``: forget everything; ``spec`` is what the algorithm is allowed to know
  about the problem (sizes, noise level, a bound on the contexts, a preference cone: the inputs of its
  hyperparameters), never the true parameters; ``rng`` is the agent's own generator;
* then, until the horizon, ``t1 = next_stop(t)`` (the end of the batch that starts at ``t``; an agent
  that learns from every reward returns ``t + 1``), ``arms = act(t, *contexts)`` for the batch's
  contexts, and ``update(t, *contexts, arms, rewards)`` with the rewards of the pulled arms only.

The runner (:func:`simulate`) owns the truth: it reveals the contexts of a batch, asks for the arms,
looks up the rewards of those arms and computes every regret from the true means, which the agent never
sees. What a round's context is depends on the environment: ``(Z, X)`` (instance and covariates) for
paper 000, ``(X, U)`` (covariates and the agent's uniform number, common to every agent of a replicate)
for paper 004.

An agent whose decisions follow every reward (Algorithm 1 of paper 004) would pay a Python call per
round; such an agent may also implement ``play(stream)``, one compiled pass over the whole horizon
that reads rewards only through the stream's reward lookup for the arm it has just chosen, with the
same decisions as the protocol loop (tested: same arms, and rewards of arms it did not pull, or of
later rounds, change nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Agent:
    """Base class of every policy: ``reset`` -> repeat (``next_stop``, ``act``, ``update``)."""

    name = "agent"

    def reset(self, spec: Any, horizon: int, rng: np.random.Generator) -> None:  # pragma: no cover - abstract
        """Forget the past; ``spec`` holds what the algorithm may know of the problem."""
        raise NotImplementedError

    def next_stop(self, t: int) -> int:  # pragma: no cover - abstract
        """End (exclusive) of the batch of rounds that starts at round ``t``."""
        raise NotImplementedError

    def act(self, t0: int, *contexts: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """The arm of every round of the batch that starts at ``t0``, from that batch's contexts."""
        raise NotImplementedError

    def update(self, t0: int, *observed: np.ndarray) -> None:
        """Learn from the batch: its contexts, the pulled arms and their rewards (in that order)."""


def simulate(agent: Agent, spec: Any, stream: Any, rng: np.random.Generator) -> np.ndarray:
    """Run ``agent`` on ``stream`` through the protocol; returns the pulled arm of every round.

    ``stream`` reveals ``stream.T`` rounds: ``stream.contexts(t0, t1)`` (a tuple of arrays) and
    ``stream.rewards(t0, arms)`` (the rewards of the pulled arms of rounds ``t0 .. t0 + len(arms)``).
    """
    horizon = stream.T
    agent.reset(spec, horizon, rng)
    arms = np.empty(horizon, dtype=np.int64)
    t = 0
    while t < horizon:
        t1 = min(int(agent.next_stop(t)), horizon)
        if t1 <= t:
            name = getattr(agent, "name", type(agent).__name__)  # a duck-typed agent may have no name
            raise RuntimeError(f"{name}: next_stop({t}) = {t1} does not advance")
        contexts = stream.contexts(t, t1)
        chosen = np.asarray(agent.act(t, *contexts), dtype=np.int64)
        arms[t:t1] = chosen
        agent.update(t, *contexts, chosen, stream.rewards(t, chosen))
        t = t1
    return arms


__all__ = ["Agent", "simulate"]
