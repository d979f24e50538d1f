"""N simultaneous linear contextual bandits with sparse differences (Section 2.1 of Xu & Bastani).

The model (Section 2.1): at step ``t`` an individual arrives at instance ``Z_t ~ CG(p)`` with context
``X_t ~ P_X^{Z_t}``; pulling arm ``k`` yields ``X_t' beta_k^{Z_t} + eps_t`` with
``beta_k^j = beta_k^dagger + delta_k^j`` and ``||delta_k^j||_0 <= s``.

Contexts are ``X = m_j + a_j * U`` with ``U ~ Uniform[-1, 1]^d`` and per-instance shift ``m_j`` and
scale ``a_j``: bounded (Assumption 1, ``x_max = max |m| + max a``), with a bounded density (margin
condition, Assumption 2) and a positive-definite covariance on every half-space (Assumption 4).

Two context families (``make_problem(contexts=...)``):

* ``"uniform"``: every coordinate varies (shift in ``[-0.2, 0.2]``, scale in ``[0.6, 1]``). These contexts
  are *covariate diverse* in the sense of Bastani, Bayati & Khosravi (2021, Assumption 3):
  ``E[X X' 1{X'u >= 0}]`` is positive definite for every direction u, so a greedy policy explores for free.
* ``"no_diversity"``: the first coordinate is a fixed intercept ``X_(1) = 1`` and the others vary little
  (scale ``diversity_scale`` times the above). For ``u = -e_1`` the half-space ``{X'u >= 0}`` is empty, so
  covariate diversity fails. Every arm's shared parameter has intercept ``intercept`` except arm 0's,
  which has ``intercept + gap``: arm 0 is the better arm on (almost) every context, every arm's mean
  reward is positive, and a greedy policy whose first pulls at an instance go to a worse arm keeps
  pulling it (the unexplored arm 0 keeps its initial score 0). The sparse differences ``delta_k^j``
  live on the varying coordinates only (the intercept is shared).

Common random numbers: :meth:`Problem.sample` draws the arrivals, contexts and noise of a whole
replicate once; every policy is run on the same :class:`Stream`, so policy comparisons are paired.
Regret is the expected (pseudo-)regret of Section 2.1, ``max_k X_t' beta_k^j - X_t' beta_{pi_t}^j``,
computed from the true parameters, never from noisy rewards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Problem",
    "Stream",
    "make_problem",
    "make_network_problem",
    "network_sparsity",
    "check_distribution",
    "CONTEXTS",
]

CONTEXTS = ("uniform", "no_diversity")


def check_distribution(p: np.ndarray, name: str = "p") -> np.ndarray:
    """``p`` must be a probability vector (non-negative, sums to one); returns it as floats."""
    p = np.asarray(p, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D probability vector, got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise ValueError(f"{name} must hold finite non-negative probabilities, got {p}")
    if abs(p.sum() - 1.0) > 1e-8:
        raise ValueError(f"{name} must sum to 1 (a distribution over instances), got sum {p.sum():.6g}")
    return p


def group_rows(groups: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Stable ordering of rows by group and the group boundaries: rows of group g are
    ``order[bounds[g]:bounds[g + 1]]``."""
    # numpy's stable sort is a radix sort for 16-bit integers: O(n) instead of O(n log n)
    keys = groups.astype(np.uint16) if n_groups <= np.iinfo(np.uint16).max else groups
    order = np.argsort(keys, kind="stable")
    bounds = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(groups, minlength=n_groups), out=bounds[1:])
    return order, bounds


@dataclass(frozen=True)
class Stream:
    """One replicate's arrivals, contexts and noise, shared by every policy (common random numbers).

    Attributes
    ----------
    Z : ndarray (T,) of int
        Instance of each arrival.
    X : ndarray (T, d)
        Contexts.
    noise : ndarray (T,)
        ``eps_t`` (sigma_{Z_t}-subgaussian), added to the pulled arm's mean reward.
    mean_rewards : ndarray (T, K)
        ``X_t' beta_k^{Z_t}`` for every arm.
    """

    Z: np.ndarray
    X: np.ndarray
    noise: np.ndarray
    mean_rewards: np.ndarray

    @property
    def T(self) -> int:
        return len(self.Z)

    def contexts(self, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray]:
        """What a policy sees of rounds ``t0 .. t1 - 1`` before it acts: instances ``Z`` and contexts ``X``."""
        return self.Z[t0:t1], self.X[t0:t1]

    def rewards(self, t0: int, arms: np.ndarray) -> np.ndarray:
        """Observed rewards ``Y_t = X_t' beta_{pi_t}^{Z_t} + eps_t`` for steps ``t0, t0+1, ...``."""
        t1 = t0 + len(arms)
        return self.mean_rewards[np.arange(t0, t1), arms] + self.noise[t0:t1]

    def regret(self, arms: np.ndarray) -> np.ndarray:
        """Per-step expected regret ``r_t = max_k X_t' beta_k - X_t' beta_{pi_t}`` (Section 2.1)."""
        arms = np.asarray(arms)
        if arms.shape != self.Z.shape:
            raise ValueError(f"arms must have shape {self.Z.shape}, got {arms.shape}")
        chosen = self.mean_rewards[np.arange(self.T), arms]
        return self.mean_rewards.max(axis=1) - chosen

    def optimal_arms(self) -> np.ndarray:
        return self.mean_rewards.argmax(axis=1)


@dataclass(frozen=True)
class Problem:
    """True parameters of N bandit instances (Section 2.1).

    Attributes
    ----------
    betas : ndarray (N, K, d)
        ``beta_k^j``.
    shared : ndarray (K, d)
        ``beta_k^dagger``.
    p : ndarray (N,)
        Arrival probabilities.
    sigma : ndarray (N,)
        Noise standard deviations (Gaussian noise is sigma-subgaussian).
    shift, scale : ndarray (N, d)
        Context distribution ``X = shift_j + scale_j * Uniform[-1, 1]^d``.
    """

    betas: np.ndarray
    shared: np.ndarray
    p: np.ndarray
    sigma: np.ndarray
    shift: np.ndarray
    scale: np.ndarray
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        N, K, d = self.betas.shape
        if K < 2:
            raise ValueError(f"K (number of arms) must be >= 2, got {K}")
        check_distribution(self.p)
        if self.p.shape != (N,):
            raise ValueError(f"p must have one probability per instance ({N}), got shape {self.p.shape}")
        if self.sigma.shape != (N,) or (self.sigma < 0).any():
            raise ValueError("sigma must hold one non-negative noise level per instance")

    @property
    def N(self) -> int:
        return self.betas.shape[0]

    @property
    def K(self) -> int:
        return self.betas.shape[1]

    @property
    def d(self) -> int:
        return self.betas.shape[2]

    @property
    def x_max(self) -> float:
        """Assumption 1: ``||X||_inf <= x_max`` for every instance."""
        return float(np.max(np.abs(self.shift) + self.scale))

    def contexts(self, Z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """``X_t = shift_{Z_t} + scale_{Z_t} * U_t``, computed in place in chunks of rows (the same
        floating-point operations as with whole (T, d) gathers of shift and scale, in a third of the
        memory and cache-friendly)."""
        X = rng.uniform(-1.0, 1.0, size=(len(Z), self.d))
        chunk = max(1, 2**20 // max(self.d, 1))  # ~8 MB of rows at a time
        for start in range(0, len(Z), chunk):
            rows = slice(start, start + chunk)
            X[rows] *= self.scale[Z[rows]]
            X[rows] += self.shift[Z[rows]]
        return X

    def mean_rewards(self, Z: np.ndarray, X: np.ndarray) -> np.ndarray:
        """``X_t' beta_k^{Z_t}`` for all arms, (T, K), one matrix product per instance."""
        out = np.empty((len(Z), self.K))
        order, bounds = group_rows(Z, self.N)
        for j in range(self.N):
            rows = order[bounds[j] : bounds[j + 1]]
            if rows.size:
                out[rows] = X[rows] @ self.betas[j].T
        return out

    def sample(self, T: int, rng: np.random.Generator) -> Stream:
        """Draw one replicate of length ``T`` (arrivals, contexts, noise) from ``rng``."""
        if int(T) < 1:
            raise ValueError(f"T (horizon) must be a positive integer, got {T}")
        T = int(T)
        Z = rng.choice(self.N, size=T, p=self.p).astype(np.int64)
        X = self.contexts(Z, rng)
        noise = self.sigma[Z] * rng.standard_normal(T)
        return Stream(Z=Z, X=X, noise=noise, mean_rewards=self.mean_rewards(Z, X))

    def constants(self, h: float, rng: np.random.Generator, n_mc: int = 20_000) -> dict:
        """Monte Carlo estimates of the constants of Assumptions 1-5 for margin ``h``.

        Returns ``x_max``, ``b`` (max ||beta||_1), ``p_star`` (min over instances and optimal arms of
        ``P[X in U_k^j]``), ``psi`` (min eigenvalue of ``E[XX' | X in U_k^j]``) and ``rho`` (fraction of
        instances where the least-often-optimal arm is optimal). Arms never optimal by ``h`` on the
        sample are treated as sub-optimal (Assumption 3).
        """
        if not h > 0:
            raise ValueError(f"h must be > 0, got {h}")
        p_star, psi = np.inf, np.inf
        optimal = np.zeros((self.N, self.K), dtype=bool)
        for j in range(self.N):
            X = self.contexts(np.full(n_mc, j), rng)
            means = X @ self.betas[j].T
            for k in range(self.K):
                others = np.delete(means, k, axis=1).max(axis=1)
                inside = means[:, k] > others + h
                if inside.mean() > 0.01:
                    optimal[j, k] = True
                    p_star = min(p_star, inside.mean())
                    Xu = X[inside]
                    psi = min(psi, np.linalg.eigvalsh(Xu.T @ Xu / len(Xu))[0])
        return {
            "x_max": self.x_max,
            "b": float(np.abs(self.betas).sum(axis=2).max()),
            "p_star": float(p_star),
            "psi": float(psi),
            "rho": float(optimal.mean(axis=0).min()),
        }


def _shared_and_contexts(N, K, d, rng, reward_scale, context_shift):
    shared = rng.normal(0.0, reward_scale / np.sqrt(d), size=(K, d))
    scale = rng.uniform(0.6, 1.0, size=(N, d))
    shift = rng.uniform(-context_shift, context_shift, size=(N, d))
    return shared, scale, shift


def _check_no_diversity(d, intercept, gap, diversity_scale):
    if int(d) < 2:
        raise ValueError(f"no_diversity contexts need d >= 2 (an intercept and a varying part), got {d}")
    if not (np.isfinite(gap) and gap > 0):
        raise ValueError(f"gap (arm 0's intercept advantage) must be > 0, got {gap}")
    if not (np.isfinite(diversity_scale) and diversity_scale > 0):
        raise ValueError(f"diversity_scale must be > 0, got {diversity_scale}")
    if not np.isfinite(intercept):
        raise ValueError(f"intercept must be finite, got {intercept}")


def _no_diversity(shared, scale, shift, intercept, gap, diversity_scale):
    """Turn a uniform-context problem into the ``"no_diversity"`` family (module docstring)."""
    shift[:, 0], scale[:, 0] = 1.0, 0.0  # X_(1) = 1 exactly
    shift[:, 1:] *= diversity_scale
    scale[:, 1:] *= diversity_scale
    shared[:, 0] = intercept
    shared[0, 0] += gap


def make_problem(
    N: int,
    K: int,
    d: int,
    s: int,
    rng: np.random.Generator,
    *,
    p: np.ndarray | None = None,
    sigma: float | np.ndarray = 0.5,
    delta_scale: float = 1.0,
    reward_scale: float = 1.0,
    context_shift: float = 0.2,
    contexts: str = "uniform",
    intercept: float = 1.0,
    gap: float = 1.0,
    diversity_scale: float = 0.3,
) -> Problem:
    """A random problem with ``beta_k^j = beta_k^dagger + delta_k^j``, ``delta_k^j`` exactly s-sparse.

    ``beta_k^dagger ~ N(0, reward_scale^2 / d)`` per coordinate (so reward gaps are O(1) whatever d);
    each ``delta_k^j`` has ``s`` coordinates, chosen uniformly at random, equal to
    ``+-delta_scale``. ``p`` defaults to equal traffic ``1/N``.

    ``contexts="no_diversity"`` gives the family without covariate diversity of the module docstring:
    ``X_(1) = 1``, the other coordinates scaled by ``diversity_scale``, intercepts ``intercept + gap``
    (arm 0) and ``intercept`` (the other arms), ``delta_k^j`` supported on coordinates 2..d (so
    ``s <= d - 1``). The random draws are those of ``"uniform"``, transformed.
    """
    if int(N) < 1:
        raise ValueError(f"N (number of instances) must be >= 1, got {N}")
    if int(K) < 2:
        raise ValueError(f"K (number of arms) must be >= 2, got {K}")
    if int(d) < 1:
        raise ValueError(f"d (context dimension) must be >= 1, got {d}")
    if contexts not in CONTEXTS:
        raise ValueError(f"contexts must be one of {CONTEXTS}, got {contexts!r}")
    free = d - 1 if contexts == "no_diversity" else d  # coordinates a delta may change
    if not 0 <= int(s) <= free:
        raise ValueError(f"s (sparsity of delta) must be in [0, {free}] for d={d} and {contexts} contexts, got {s}")
    if contexts == "no_diversity":
        _check_no_diversity(d, intercept, gap, diversity_scale)
    p = np.full(N, 1.0 / N) if p is None else check_distribution(p)
    if p.shape != (N,):
        raise ValueError(f"p must have N={N} entries, got {p.shape}")
    shared, scale, shift = _shared_and_contexts(N, K, d, rng, reward_scale, context_shift)
    if contexts == "no_diversity":
        _no_diversity(shared, scale, shift, intercept, gap, diversity_scale)
    first = d - free
    deltas = np.zeros((N, K, d))
    for j in range(N):
        for k in range(K):
            support = first + rng.choice(free, size=int(s), replace=False)
            deltas[j, k, support] = delta_scale * rng.choice([-1.0, 1.0], size=int(s))
    return Problem(
        betas=shared[None] + deltas,
        shared=shared,
        p=p,
        sigma=np.broadcast_to(np.asarray(sigma, float), (N,)).copy(),
        shift=shift,
        scale=scale,
        meta={"s": int(s), "contexts": contexts},
    )


def network_sparsity(n_tilde: int, alpha: float, d: int) -> int:
    """``s~ = min(Ñ^alpha, d)`` of eq. (1), rounded up to an integer (``Ñ`` counts the target itself)."""
    if int(n_tilde) < 1:
        raise ValueError(f"n_tilde (instances shared, the target included) must be >= 1, got {n_tilde}")
    if alpha < 0:
        raise ValueError(f"alpha (network density exponent) must be >= 0, got {alpha}")
    # the tolerance keeps exact powers exact: 8 ** (1/3) = 2.0000000000000004 must give 2, not 3
    return int(min(np.ceil(float(n_tilde) ** alpha - 1e-9), d))


def make_network_problem(
    N: int,
    K: int,
    d: int,
    alpha: float,
    rng: np.random.Generator,
    *,
    sigma: float = 0.5,
    delta_scale: float = 1.0,
    reward_scale: float = 1.0,
    context_shift: float = 0.2,
    contexts: str = "uniform",
    intercept: float = 1.0,
    gap: float = 1.0,
    diversity_scale: float = 0.3,
) -> Problem:
    """Network structure of eq. (1): instance 0 is the target ``j``; its r-th nearest neighbour
    (r = 1..N-1) differs from it in ``s_{r,j} = network_sparsity(r + 1, alpha, d)`` coordinates of every
    arm, so ``Q_j = {i : s_{i,j} <= s~}`` with ``s~ = min(Ñ^alpha, d)`` holds exactly the Ñ nearest
    instances, the target included (``Ñ = |Q_j|``, Sections 2.1 and 4.3). Equal traffic.

    ``meta["s_tilde"][n - 1]`` is ``s~`` for ``Ñ = n``: the sparsity RMBandit's hyperparameters use when
    the target shares with its n nearest instances (Appendix C.7 plugs ``s = Ñ^alpha`` into Corollary 3).
    ``contexts`` as in :func:`make_problem` (with ``"no_diversity"`` the intercept is shared and
    ``s~`` is capped at d - 1, the coordinates that vary).
    """
    if alpha < 0:
        raise ValueError(f"alpha (network density exponent) must be >= 0, got {alpha}")
    if contexts not in CONTEXTS:
        raise ValueError(f"contexts must be one of {CONTEXTS}, got {contexts!r}")
    shared, scale, shift = _shared_and_contexts(N, K, d, rng, reward_scale, context_shift)
    free = d
    if contexts == "no_diversity":
        _check_no_diversity(d, intercept, gap, diversity_scale)
        _no_diversity(shared, scale, shift, intercept, gap, diversity_scale)
        free = d - 1
    deltas = np.zeros((N, K, d))
    for r in range(1, N):
        size = network_sparsity(r + 1, alpha, free)
        for k in range(K):
            support = d - free + rng.choice(free, size=size, replace=False)
            deltas[r, k, support] = delta_scale * rng.choice([-1.0, 1.0], size=size)
    return Problem(
        betas=shared[None] + deltas,
        shared=shared,
        p=np.full(N, 1.0 / N),
        sigma=np.full(N, float(sigma)),
        shift=shift,
        scale=scale,
        meta={
            "alpha": float(alpha),
            "contexts": contexts,
            "s_tilde": [network_sparsity(n, alpha, free) for n in range(1, N + 1)],
        },
    )
