"""Shared by the pareto policy tests: draws whose means do not depend on the context."""

import numpy as np

from banditlab.pareto.env import ReplicateDraw


def constant_draw(means, horizon, sigma=0.0, seed=0, t_p=10, dim=1):
    """A draw whose means do not depend on the context (an easy instance; Lipschitz constant 0)."""
    rng = np.random.default_rng(seed)
    means = np.asarray(means, dtype=float)
    return ReplicateDraw(
        contexts=rng.random((horizon, dim)),
        means=np.broadcast_to(means, (horizon, *means.shape)).copy(),
        noise=rng.standard_normal((horizon, *means.shape)),
        uniform=rng.random(horizon),
        t_p=t_p,
        sigma=sigma,
        lipschitz=0.0,
    )
