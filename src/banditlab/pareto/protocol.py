"""The environment side of the pareto policies' protocol (:mod:`banditlab.agents`) and its runner.

A pareto policy is an online :class:`~banditlab.agents.Agent`. From one replicate draw
(:class:`~banditlab.pareto.env.ReplicateDraw`) the runner builds

* a :class:`ParetoSpec`, what the algorithm may know: K, M, D, the cone's inequality matrix, the
  instance's Lipschitz constant and the noise level, never the means;
* a :class:`ReplicateStream`, what it observes: per batch the covariates and the uniform numbers the
  policies randomize with, ``contexts(t0, t1) -> (X, U)`` (``draw.uniform``: common random numbers,
  the same for every policy of a replicate), then the reward vectors of the arms it pulled,
  ``rewards(t0, arms)``.

:func:`run_policy` plays a policy through the protocol loop (:func:`banditlab.agents.simulate`) or,
when it has one, its compiled ``play(stream)`` (the same decisions, tested), and returns the
:class:`Trajectory` the policy reports. The regret is computed from the truth by the caller
(:mod:`.experiments`). One exception: the oracle plays uniformly over the true Pareto set by
definition, so a policy that declares ``needs_pareto = True`` receives the true Pareto mask in
``spec.pareto`` (as paper 000's oracle reads the true parameters); no other policy sees it.

Cones enter only through an inequality matrix ``A`` with ``C = {z : A z >= 0}`` and
``int C = {z : A z > 0}``: ``A = I`` for the orthant, ``A = W^{-1}`` for the simplicial cone generated
by the columns of ``W`` (Appendix A/B).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..agents import simulate

__all__ = ["ParetoSpec", "ReplicateStream", "Trajectory", "cone_inequalities", "replicate", "run_policy"]


def cone_inequalities(cone, n_objectives: int) -> np.ndarray:
    """Inequality matrix ``A`` (``C = {z : A z >= 0}``) of a cone.

    ``cone`` may be ``None`` (orthant), a ``(M, M)`` generator matrix ``W`` (columns generate the cone,
    ``A = W^{-1}``) or a :class:`banditlab.pareto.Cone` (its generator matrix is read).
    """
    if cone is None:
        return np.eye(n_objectives)
    if not isinstance(cone, np.ndarray):
        for attr in ("inequalities", "halfspaces", "A"):
            value = getattr(cone, attr, None)
            if isinstance(value, np.ndarray) and value.ndim == 2 and value.shape[1] == n_objectives:
                return np.ascontiguousarray(value, dtype=float)
        for attr in ("generators", "W", "generator_matrix"):  # Cone: columns generate C
            value = getattr(cone, attr, None)
            if value is not None:
                cone = np.asarray(value, dtype=float)
                break
        else:
            raise ValueError(f"cannot read the generators or inequalities of cone {cone!r}")
    w = np.asarray(cone, dtype=float)
    if w.shape != (n_objectives, n_objectives):
        raise ValueError(f"cone generator matrix must be ({n_objectives}, {n_objectives}), got {w.shape}")
    return np.ascontiguousarray(np.linalg.inv(w))


@dataclass(frozen=True, eq=False)
class ParetoSpec:
    """What a pareto policy may know about the problem (the ``spec`` of ``Agent.reset``).

    Attributes
    ----------
    n_arms, n_objectives, dim : K, M and the dimension D of the contexts (in ``[0, 1]^D``).
    inequalities : (R, M) the cone's inequality matrix ``A`` (:func:`cone_inequalities`).
    lipschitz : the instance's Lipschitz constant ``C_beta`` (Assumption 1), or ``None`` when the
        instance states none; Algorithm 1's default ``c1`` (eq. (5)).
    sigma : the noise level of eq. (1).
    pareto : (T, K) the true Pareto mask, given only to a policy with ``needs_pareto`` (the oracle);
        ``None`` for every other policy.
    """

    n_arms: int
    n_objectives: int
    dim: int
    inequalities: np.ndarray
    lipschitz: float | None
    sigma: float
    pareto: np.ndarray | None = None


class ReplicateStream:
    """One replicate as the policies observe it: contexts and uniforms per batch, pulled rewards only.

    Parameters
    ----------
    draw : :class:`~banditlab.pareto.env.ReplicateDraw`
        Contexts ``X_t``, policy uniforms ``U_t``, means and standardized noise: the reward of arm k
        at round t is ``means[t, k] + sigma * noise[t, k]``.
    """

    def __init__(self, draw):
        self.T = int(draw.contexts.shape[0])
        self._X = np.ascontiguousarray(draw.contexts, dtype=np.float64)
        self._U = np.ascontiguousarray(draw.uniform, dtype=np.float64)
        self._means = np.ascontiguousarray(draw.means, dtype=np.float64)
        self._noise = np.ascontiguousarray(draw.noise, dtype=np.float64)
        self._sigma = float(draw.sigma)

    def contexts(self, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """``(X, U)`` of rounds ``t0 .. t1 - 1``: covariates ``(n, D)`` and the policies' uniforms ``(n,)``."""
        return self._X[t0:t1], self._U[t0:t1]

    def rewards(self, t0: int, arms: np.ndarray) -> np.ndarray:
        """Reward vectors ``(n, M)`` of the pulled ``arms`` at rounds ``t0 .. t0 + n - 1`` (eq. (1))."""
        rows = np.arange(t0, t0 + len(arms))
        return self._means[rows, arms] + self._sigma * self._noise[rows, arms]

    def reward_lookup(self) -> tuple[np.ndarray, np.ndarray, float]:
        """``(means, noise, sigma)``: the arguments of :func:`.kernels.observe`, the compiled reward lookup.

        For a policy's compiled ``play`` only, which reads through ``observe`` the reward of the arm it
        has just chosen and nothing else (tested: rewards of other arms or later rounds change nothing).
        """
        return self._means, self._noise, self._sigma


@dataclass(frozen=True)
class Trajectory:
    """What a policy did in one replicate (reported by the policy, scored by the runner).

    Attributes
    ----------
    arms : (T,) int, played arm ``k_t`` (0-based).
    support : (T, K) bool, ``supp(pi_t(X_t))`` of Definition 5-6: the arms the policy randomized
        over at round t (a single arm for deterministic rounds).
    depth : (T,) int, level ``h_t`` of the bin used at round t (0 for policies without a tree).
    n_leaves : (T,) int, number of leaves of the partition after round t.
    forced : (T,) bool or None, rounds of forced exploration (Algorithm 1, lines 4-5: the round-robin
        phase ``t < 8 K log(K L / delta)``), to which Lemma 5 does not apply; ``None``: no such rounds.
    """

    arms: np.ndarray
    support: np.ndarray
    depth: np.ndarray
    n_leaves: np.ndarray
    forced: np.ndarray | None = None


def replicate(draw, cone=None) -> tuple[ParetoSpec, ReplicateStream]:
    """The spec and the stream of one replicate draw under ``cone`` (``None``: the orthant)."""
    n_obj = draw.means.shape[2]
    spec = ParetoSpec(
        n_arms=int(draw.means.shape[1]),
        n_objectives=int(n_obj),
        dim=int(draw.contexts.shape[1]),
        inequalities=cone_inequalities(cone, n_obj),
        lipschitz=None if draw.lipschitz is None else float(draw.lipschitz),
        sigma=float(draw.sigma),
    )
    return spec, ReplicateStream(draw)


def run_policy(
    policy,
    spec: ParetoSpec,
    stream: ReplicateStream,
    rng: np.random.Generator | None = None,
    *,
    pareto: np.ndarray | None = None,
    compiled: bool = True,
) -> Trajectory:
    """Play ``policy`` on ``stream`` and return its :class:`Trajectory`.

    ``compiled``: use the policy's ``play(stream)`` when it has one, else (or with ``False``) the
    protocol loop :func:`banditlab.agents.simulate`; both give the same trajectory. ``rng`` is the
    policy's own generator (``None``: a fixed one; the pareto policies randomize with the stream's
    ``U`` instead). ``pareto``: the true Pareto mask (T, K), passed in ``spec.pareto`` to a policy with
    ``needs_pareto`` (the oracle) and to no other.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    if getattr(policy, "needs_pareto", False):
        if pareto is None:
            raise ValueError(f"{policy.name} plays the true Pareto set: pass pareto (the (T, K) true Pareto mask)")
        spec = dataclasses.replace(spec, pareto=np.asarray(pareto, dtype=bool))
    if compiled and callable(getattr(policy, "play", None)):
        policy.reset(spec, stream.T, rng)
        policy.play(stream)
    else:
        simulate(policy, spec, stream, rng)
    return policy.trajectory()
