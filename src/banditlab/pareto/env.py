"""Contexts, shifts and bi-objective rewards of the Appendix H experiments (paper 004).

The Appendix H instance: contexts in X = [0, 1], target ``Q = Uniform[0, 1]``, source ``P`` with
density ``(nu + 1) x^nu`` (more dissimilar to Q as nu grows), one change point ``t_p`` (contexts from
P at ``t <= t_p``, from Q afterwards, Section 2 "Covariate shift model"), K arms, M = 2 objectives

    k1(x) = 5 / (4 (1 - x)),      k2(x) = 5 / (5 - 4 x),
    mu_k^(1)(x) = max{0, 1 - 5 (1/k - 1/k1(x))},
    mu_k^(2)(x) = max{0, 1 - 5 (1/k2(x) - 1/k)}   if k > k2(x),
                  max{0, (1/4) (1/k - 1/k2(x))}   if k <= k2(x),

with arms numbered ``k = 1..K`` in the formulas (index ``k - 1`` in arrays) and Gaussian noise of
standard deviation ``sigma`` (sub-Gaussian noise of eq. (1)); ``1/k1(1) = 0`` is used at ``x = 1``.

Smoothness (Assumption 1). ``1/k1`` and ``1/k2`` are affine in x with slope ``-4/5``, so on every piece
where the formulas are smooth the slopes are ``5 * 4/5 = 4`` (mu^(1) and the ``k > k2`` branch of
mu^(2)) or ``1/4 * 4/5 = 1/5`` (the ``k <= k2`` branch): the means are Lipschitz (beta = 1) with
constant :func:`appendix_h_lipschitz` ``= 4`` **on each piece**. They are not Lipschitz on [0, 1]:
mu^(2)_k jumps from 1 to 0 where ``k2(x)`` crosses the integer k, at ``x_k = 5 (1 - 1/k) / 4``
(0.625, 0.833, 0.9375 for k = 2, 3, 4; k = 5 at the end point x = 1), as printed in Appendix H
(:func:`appendix_h_jumps`). Assumption 1 therefore fails at those points for any finite C_beta: in a
bin that straddles a jump the bin average can differ from the mean at a context by up to the jump
(1), more than ``c1 V_h = 4 V_h`` once ``V_h < 1/4``. :attr:`ParetoBanditEnv.lipschitz_constant` is
the piecewise constant, the value Algorithm 1 uses for ``c1`` unless a config overrides it.

The *ramped* instance (``ramp_width = w > 0``, an instance of ours where Assumption 1 holds): each jump of
mu^(2)_k at ``x_k`` is replaced by a straight line on ``[x_k - w, x_k]`` from the printed value at ``x_k - w``
(``1 - 4 w``) down to the printed value at ``x_k`` (0); everything else is as printed. The means are then
Lipschitz on all of [0, 1] with ``C_beta = max(4, (1 - 4 w) / w)`` (16 for ``w = 0.05``,
:func:`appendix_h_lipschitz`).

Extensions asked for by Theorems 2-3:

* contexts in ``[0, 1]^D``: each coordinate drawn independently from the 1-D density; the reward
  formulas are evaluated at the coordinate mean ``s(x) = mean_j x_j`` (a Lipschitz reduction of our
  choosing: the paper's experiments are 1-D only);
* several change points ``P_1 -> P_2 -> ... -> P_n -> Q`` (Theorem 3);
* the power-law family of Example 3 / Theorem 2: the paper prints the density ``(1 + gamma) x^-gamma``,
  which does not integrate to one on [0, 1] (its integral is ``(1 + gamma) / (1 - gamma)``); we use
  the normalized ``(1 - gamma) x^-gamma``, ``0 < gamma < 1``. Both families are :class:`PowerDensity`
  with exponent ``a`` (density ``(a + 1) x^a``): ``a = nu`` (Appendix H) or ``a = -gamma`` (Example 3).

All randomness flows from an explicit ``numpy.random.Generator``. :meth:`ParetoBanditEnv.draw` draws a
whole replicate at once (contexts, a noise vector for every (round, arm), uniform numbers for the
policies' own randomization) so that every policy run on the draw sees common random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "PowerDensity",
    "ShiftSchedule",
    "ParetoBanditEnv",
    "ReplicateDraw",
    "appendix_h_means",
    "appendix_h_lipschitz",
    "appendix_h_jumps",
    "claimed_pareto_indices",
    "jump_zones",
    "mean_range",
]

# The Appendix H formulas, written once: 1/k1(s) = _INV_K1_AT_0 - _SLOPE s, 1/k2(s) = 1 - _SLOPE s,
# mu1 = max(0, 1 - _SCALE_1 (1/k - 1/k1)), mu2 = max(0, 1 - _SCALE_2_ABOVE (1/k2 - 1/k)) if k > k2(s)
# else max(0, _SCALE_2_BELOW (1/k - 1/k2)).
_SLOPE = 0.8
_INV_K1_AT_0 = 0.8
_SCALE_1 = 5.0
_SCALE_2_ABOVE = 5.0
_SCALE_2_BELOW = 0.25


def _check_number(name: str, value: float, low: float, high: float, *, low_open=False, high_open=False):
    value = float(value)
    ok_low = value > low if low_open else value >= low
    ok_high = value < high if high_open else value <= high
    if not (np.isfinite(value) or high == np.inf) or not (ok_low and ok_high):
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ValueError(f"{name} must lie in {lo}{low}, {high}{hi}, got {value!r}")
    return value


def _check_int(name: str, value: int, low: int, high: float = np.inf) -> int:
    if isinstance(value, bool) or int(value) != value:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if not low <= value <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value}")
    return value


@dataclass(frozen=True)
class PowerDensity:
    """Product density ``prod_j (a + 1) x_j^a`` on ``[0, 1]^D``.

    ``a = 0`` is the uniform target Q, ``a = nu >= 0`` the Appendix H source, ``a = -gamma`` with
    ``0 < gamma < 1`` the (normalized) power law of Example 3. Sampling is by inversion,
    ``x = U^(1 / (a + 1))``.

    Examples
    --------
    >>> import numpy as np
    >>> x = PowerDensity(2.0).sample(1000, np.random.default_rng(0))
    >>> x.shape, bool((x >= 0).all() and (x <= 1).all())
    ((1000, 1), True)
    """

    exponent: float = 0.0
    dim: int = 1

    def __post_init__(self):
        _check_number("exponent", self.exponent, -1.0, np.inf, low_open=True)
        _check_int("dim", self.dim, 1, 16)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` contexts, shape ``(n, dim)``."""
        u = rng.random((int(n), self.dim))
        return u ** (1.0 / (self.exponent + 1.0))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Marginal CDF of one coordinate, ``x^(a + 1)`` on [0, 1]."""
        return np.clip(np.asarray(x, dtype=float), 0.0, 1.0) ** (self.exponent + 1.0)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Marginal density of one coordinate."""
        x = np.asarray(x, dtype=float)
        return (self.exponent + 1.0) * x**self.exponent


@dataclass(frozen=True)
class ShiftSchedule:
    """Contexts from ``sources[j]`` for ``change_points[j-1] < t <= change_points[j]``, then ``target``.

    ``change_points`` are the rounds ``t_1 < ... < t_n`` (1-indexed) of Section 4.2; a single change
    point ``(t_p,)`` is the covariate-shift model of Section 2. ``t_p`` (the last change point) starts
    the regret window of eq. (2).
    """

    sources: tuple[PowerDensity, ...]
    change_points: tuple[int, ...]
    target: PowerDensity = PowerDensity(0.0)

    def __post_init__(self):
        if len(self.sources) != len(self.change_points) or not self.sources:
            raise ValueError(
                "ShiftSchedule needs one source per change point and at least one; got "
                f"{len(self.sources)} sources and {len(self.change_points)} change points"
            )
        cps = [_check_int("change_points", c, 0) for c in self.change_points]
        if any(b <= a for a, b in zip(cps, cps[1:])):
            raise ValueError(f"change_points must be strictly increasing, got {self.change_points}")
        dims = {s.dim for s in self.sources} | {self.target.dim}
        if len(dims) != 1:
            raise ValueError(f"all densities of a schedule need the same dim, got {sorted(dims)}")

    @property
    def t_p(self) -> int:
        """The last change point: regret (2) sums over ``t > t_p``."""
        return int(self.change_points[-1])

    @property
    def dim(self) -> int:
        return self.target.dim

    def phase(self, horizon: int) -> np.ndarray:
        """Index of the density used at each round ``t = 1..horizon`` (``n_sources`` = target)."""
        t = np.arange(1, int(horizon) + 1)
        return np.searchsorted(np.asarray(self.change_points), t, side="left")

    def sample(self, horizon: int, rng: np.random.Generator) -> np.ndarray:
        """Contexts for rounds ``1..horizon``, shape ``(horizon, dim)``; one draw per phase, in order."""
        phase = self.phase(horizon)
        out = np.empty((int(horizon), self.dim))
        densities = (*self.sources, self.target)
        for j, density in enumerate(densities):
            rows = np.flatnonzero(phase == j)
            if rows.size:
                out[rows] = density.sample(rows.size, rng)
        return out


def _check_ramp(ramp_width: float) -> float:
    return _check_number("ramp_width", ramp_width, 0.0, 0.2)


def appendix_h_means(s: np.ndarray, n_arms: int, ramp_width: float = 0.0) -> np.ndarray:
    """Mean rewards ``mu_k(s)`` of Appendix H, shape ``(len(s), n_arms, 2)``; ``s`` in [0, 1].

    ``ramp_width = w > 0``: the ramped instance (module doc), mu^(2)_k linear on ``[x_k - w, x_k)``.
    """
    ramp_width = _check_ramp(ramp_width)
    s = np.asarray(s, dtype=float).reshape(-1, 1)
    k = np.arange(1, n_arms + 1, dtype=float)[None, :]
    inv_k1 = _INV_K1_AT_0 - _SLOPE * s  # 1 / k1(s) = 0.8 (1 - s)
    inv_k2 = 1.0 - _SLOPE * s  # 1 / k2(s)
    k2 = 1.0 / inv_k2
    mu1 = np.maximum(0.0, 1.0 - _SCALE_1 * (1.0 / k - inv_k1))
    above = np.maximum(0.0, 1.0 - _SCALE_2_ABOVE * (inv_k2 - 1.0 / k))
    below = np.maximum(0.0, _SCALE_2_BELOW * (1.0 / k - inv_k2))
    mu2 = np.where(k > k2, above, below)
    if ramp_width > 0:
        top = _ramp_top(ramp_width)
        for arm, x_k, _ in appendix_h_jumps(n_arms):
            inside = (s[:, 0] >= x_k - ramp_width) & (s[:, 0] < x_k)
            mu2[inside, arm] = top * (x_k - s[inside, 0]) / ramp_width
    return np.stack([mu1, mu2], axis=-1)


def _ramp_top(ramp_width: float) -> float:
    """The printed mu^(2)_k at ``x_k - w``, where a ramp starts: ``1 - 5 (1/k2(x_k - w) - 1/k) = 1 - 4 w``."""
    return max(0.0, 1.0 - _SCALE_2_ABOVE * _SLOPE * ramp_width)


def appendix_h_lipschitz(ramp_width: float = 0.0) -> float:
    """Lipschitz constant of the Appendix H means in the context ``s``: 4 on each smooth piece of the printed
    instance; ``max(4, (1 - 4 w) / w)`` on all of [0, 1] for the ramped one (``w = ramp_width``).

    The largest ``|d mu / ds|`` of the formulas: ``|d(1/k1)/ds| = |d(1/k2)/ds| = 0.8`` times the
    largest multiplier (5 for mu^(1) and for mu^(2) when ``k > k2``, 1/4 when ``k <= k2``); the
    ``max(0, .)`` clips only lower slopes to 0. The jumps of :func:`appendix_h_jumps` are excluded; a ramp
    falls by ``1 - 4 w`` over ``w``.
    """
    pieces = _SLOPE * max(_SCALE_1, _SCALE_2_ABOVE, _SCALE_2_BELOW)
    ramp_width = _check_ramp(ramp_width)
    return pieces if ramp_width == 0 else max(pieces, _ramp_top(ramp_width) / ramp_width)


def appendix_h_jumps(n_arms: int) -> list[tuple[int, float, float]]:
    """Discontinuities of mu^(2) in ``[0, 1]``: ``(arm index 0-based, s_k, jump size)``.

    ``k > k2(s)`` iff ``s < x_k = (1 - 1/k) / 0.8``; at ``x_k`` mu^(2)_k falls from
    ``max(0, 1 - 5 * 0) = 1`` (left limit) to ``max(0, 1/4 * 0) = 0``.
    """
    out = []
    for k in range(2, int(n_arms) + 1):
        x_k = (1.0 - 1.0 / k) / _SLOPE  # 1/k2(x_k) = 1/k; x_5 = 1 is the end point of [0, 1]
        if x_k <= 1.0:
            out.append((k - 1, x_k, 1.0))  # both branches are 0 inside the brackets: 1 - 0 vs 0
    return out


def jump_zones(n_arms: int, ramp_width: float = 0.0) -> list[tuple[int, float, float]]:
    """Where the means of arm ``k`` (0-based) are not ``4``-Lipschitz: ``(arm, start, end)`` in ``s``, the point
    ``x_k`` of a jump (``start = end``) or the ramp ``[x_k - w, x_k]`` that replaces it."""
    return [(arm, x_k - ramp_width, x_k) for arm, x_k, _ in appendix_h_jumps(n_arms)]


def mean_range(s_low: np.ndarray, s_high: np.ndarray, n_arms: int, ramp_width: float = 0.0):
    """The smallest and largest mean of every arm and objective over contexts with ``s`` in ``[s_low, s_high)``
    (a bin of the tree; ``s`` the coordinate mean); two arrays of shape ``(n, K, 2)``.

    Exact for the Appendix H formulas: each mean is monotone between the jumps (and ramp corners), so its extremes
    over an interval are at the interval's ends and at the breakpoints inside it; a jump contributes its left
    limit (1 for the arm that jumps) and its value, and the open end ``s_high`` its left limit.
    """
    s_low = np.atleast_1d(np.asarray(s_low, dtype=float))
    s_high = np.atleast_1d(np.asarray(s_high, dtype=float))
    zones = jump_zones(n_arms, ramp_width)
    points = sorted({z for _, start, end in zones for z in (start, end)})

    def left_limit(s: np.ndarray) -> np.ndarray:
        values = appendix_h_means(s, n_arms, ramp_width)
        if ramp_width == 0:
            for arm, x_k, _ in zones:
                values[np.isclose(s, x_k, rtol=0.0, atol=1e-12), arm, 1] = 1.0
        return values

    start = appendix_h_means(s_low, n_arms, ramp_width)
    end = left_limit(s_high)
    low, high = np.minimum(start, end), np.maximum(start, end)
    for z in points:
        inside = (s_low < z) & (z < s_high)
        if inside.any():
            at = np.full(int(inside.sum()), z)
            for values in (appendix_h_means(at, n_arms, ramp_width), left_limit(at)):
                low[inside] = np.minimum(low[inside], values)
                high[inside] = np.maximum(high[inside], values)
    return low, high


def claimed_pareto_indices(s: float, n_arms: int) -> np.ndarray:
    """Appendix H's claim: Pareto arms are the k (1-based) in ``[floor k1(s), ceil k2(s)]``; 0-based out."""
    k1 = np.inf if s >= 1.0 else 5.0 / (4.0 * (1.0 - s))
    k2 = 5.0 / (5.0 - 4.0 * s)
    lo = np.floor(k1)
    hi = np.ceil(k2)
    ks = np.arange(1, n_arms + 1)
    return ks[(ks >= lo) & (ks <= hi)] - 1


@dataclass(frozen=True)
class ReplicateDraw:
    """Everything random about one replicate, shared by all policies (common random numbers).

    Attributes
    ----------
    contexts : (T, D) contexts ``X_t``.
    means : (T, K, M) true means ``mu_k(X_t)``.
    noise : (T, K, M) standardized noise; the reward of arm k at round t is
        ``means[t, k] + sigma * noise[t, k]``.
    uniform : (T,) uniforms a policy uses for its own randomization at round t.
    t_p : last change point (regret window is ``t > t_p``, i.e. rows ``t_p ..T-1``).
    sigma : noise level.
    lipschitz : Lipschitz constant ``C_beta`` (beta = 1, sup norm of the context) of the means, or
        ``None`` when the instance does not state one; Algorithm 1 reads it as its default ``c1``.
    """

    contexts: np.ndarray
    means: np.ndarray
    noise: np.ndarray
    uniform: np.ndarray
    t_p: int
    sigma: float
    lipschitz: float | None = None

    def __post_init__(self):
        # NaN or inf here would flow silently into every policy's regret: refuse it at the source.
        for name in ("contexts", "means", "noise", "uniform"):
            if not np.isfinite(getattr(self, name)).all():
                raise ValueError(f"ReplicateDraw.{name} holds NaN or inf; every draw must be finite")
        if not (np.isfinite(self.sigma) and self.sigma >= 0):
            raise ValueError(f"ReplicateDraw.sigma must be finite and >= 0, got {self.sigma}")
        if self.lipschitz is not None and not (np.isfinite(self.lipschitz) and self.lipschitz >= 0):
            raise ValueError(f"ReplicateDraw.lipschitz must be None or finite and >= 0, got {self.lipschitz}")

    @property
    def horizon(self) -> int:
        return self.contexts.shape[0]

    @property
    def n_arms(self) -> int:
        return self.means.shape[1]

    def rewards(self, arms: np.ndarray) -> np.ndarray:
        """Observed reward vectors for a sequence of played arms, shape ``(T, M)``."""
        t = np.arange(arms.shape[0])
        return self.means[t, arms] + self.sigma * self.noise[t, arms]


class ParetoBanditEnv:
    """The Appendix H bandit: K arms, M = 2 objectives, contexts in ``[0, 1]^D`` with shifts.

    Parameters
    ----------
    n_arms : int, >= 2
        K.
    schedule : ShiftSchedule
        Source densities and change points (Section 2 and Section 4.2).
    sigma : float, >= 0
        Standard deviation of the Gaussian reward noise (Appendix H: 1).

    Examples
    --------
    >>> import numpy as np
    >>> env = ParetoBanditEnv.appendix_h(n_arms=5, nu=2.0, t_p=100)
    >>> draw = env.draw(300, np.random.default_rng(0))
    >>> draw.means.shape, draw.t_p
    ((300, 5, 2), 100)
    """

    n_objectives = 2

    def __init__(self, *, n_arms: int, schedule: ShiftSchedule, sigma: float = 1.0, ramp_width: float = 0.0):
        self.n_arms = _check_int("n_arms", n_arms, 2, 10_000)
        if not isinstance(schedule, ShiftSchedule):
            raise ValueError(f"schedule must be a ShiftSchedule, got {type(schedule).__name__}")
        self.schedule = schedule
        self.sigma = _check_number("sigma", sigma, 0.0, 1e6)
        self.ramp_width = _check_ramp(ramp_width)

    @classmethod
    def appendix_h(cls, *, n_arms=10, nu=1.0, t_p=1000, sigma=1.0, dim=1, ramp_width=0.0) -> ParetoBanditEnv:
        """Single shift from ``(nu + 1) x^nu`` to Uniform at ``t_p`` (Appendix H); ``ramp_width > 0``: the
        ramped instance (module doc)."""
        _check_number("nu", nu, 0.0, 1e3)
        src = PowerDensity(float(nu), dim)
        schedule = ShiftSchedule((src,), (int(t_p),), PowerDensity(0.0, dim))
        return cls(n_arms=n_arms, schedule=schedule, sigma=sigma, ramp_width=ramp_width)

    @classmethod
    def power_law(cls, *, n_arms=10, gamma=0.5, t_p=1000, sigma=1.0, dim=1) -> ParetoBanditEnv:
        """Example 3 / Theorem 2: source ``(1 - gamma) x^-gamma`` (normalized), target Uniform."""
        _check_number("gamma", gamma, 0.0, 1.0, low_open=True, high_open=True)
        src = PowerDensity(-float(gamma), dim)
        return cls(n_arms=n_arms, schedule=ShiftSchedule((src,), (int(t_p),), PowerDensity(0.0, dim)), sigma=sigma)

    @classmethod
    def multi_shift(cls, *, n_arms=10, nus=(4.0, 1.0), change_points=(1000, 2000), sigma=1.0, dim=1) -> ParetoBanditEnv:
        """Theorem 3: ``P_1 -> ... -> P_n -> Q`` with ``P_j`` of exponent ``nus[j]``."""
        for nu in nus:
            _check_number("nus", nu, -1.0, 1e3, low_open=True)
        sources = tuple(PowerDensity(float(nu), dim) for nu in nus)
        return cls(
            n_arms=n_arms,
            schedule=ShiftSchedule(sources, tuple(int(c) for c in change_points), PowerDensity(0.0, dim)),
            sigma=sigma,
        )

    @property
    def dim(self) -> int:
        return self.schedule.dim

    @property
    def t_p(self) -> int:
        return self.schedule.t_p

    @property
    def instance(self) -> str:
        """``"printed"`` (Appendix H as printed) or ``"ramped"`` (its jumps replaced by ramps)."""
        return "printed" if self.ramp_width == 0 else "ramped"

    @property
    def lipschitz_constant(self) -> float:
        """``C_beta`` of Assumption 1 (beta = 1) in the sup norm of the context: 4 for the printed instance, on
        each piece (module docstring); :func:`appendix_h_lipschitz` of the ramp width for the ramped one.

        Derived from the formulas (:func:`appendix_h_lipschitz`): the means depend on x through
        ``s(x) = mean_j x_j`` and ``|s(x) - s(x')| <= max_j |x_j - x'_j|``, so the constant in s holds
        in x for every D. A dyadic bin of side ``V_h`` has sup-norm diameter ``V_h``, so ``c1 = 4``
        bounds the bias ``c1 V_h`` of eq. (5) on each smooth piece (not across the jumps).
        """
        return appendix_h_lipschitz(self.ramp_width)

    def discontinuities(self) -> list[tuple[int, float, float]]:
        """Where mu^(2) jumps (in ``s``): :func:`appendix_h_jumps` for this K."""
        return appendix_h_jumps(self.n_arms)

    def means(self, contexts: np.ndarray) -> np.ndarray:
        """True means ``mu_k(x)`` at contexts ``(n, D)``, shape ``(n, K, 2)``."""
        contexts = np.atleast_2d(np.asarray(contexts, dtype=float))
        if contexts.shape[1] != self.dim:
            raise ValueError(f"contexts must have {self.dim} columns, got shape {contexts.shape}")
        return appendix_h_means(contexts.mean(axis=1), self.n_arms, self.ramp_width)

    def draw(self, horizon: int, rng: np.random.Generator) -> ReplicateDraw:
        """Draw one replicate of length ``horizon`` (contexts, then noise, then policy uniforms)."""
        horizon = _check_int("horizon", horizon, 1, 10**8)
        if self.t_p >= horizon:
            raise ValueError(f"the last change point t_p={self.t_p} must be < horizon={horizon}")
        if not isinstance(rng, np.random.Generator):
            raise ValueError("rng must be a numpy.random.Generator")
        contexts = self.schedule.sample(horizon, rng)
        noise = rng.standard_normal((horizon, self.n_arms, 2))
        uniform = rng.random(horizon)
        return ReplicateDraw(
            contexts=contexts,
            means=self.means(contexts),
            noise=noise,
            uniform=uniform,
            t_p=self.t_p,
            sigma=self.sigma,
            lipschitz=self.lipschitz_constant,
        )
