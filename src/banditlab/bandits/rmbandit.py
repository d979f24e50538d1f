"""RMBandit (Algorithm 2 of Xu & Bastani) and its variants with another estimator in the same batches.

* :class:`RMBandit`: Algorithm 1 (trimmed mean of the instances' OLS estimates, then a LASSO toward it)
  at the end of ``B_0`` and of every batch.
* :class:`AveragingMultitaskBandit` (plain mean, eq. (4)) and :class:`PooledBandit` (pooled OLS,
  Appendix B.3): the paper's baselines, RMBandit with another Step 1.
* :class:`MedianShrinkageBandit`: ours, :class:`~banditlab.estimators.MedianShrinkage` instead of
  Algorithm 1.

Every fit is one of :mod:`banditlab.estimators`' from-statistics functions on the running statistics of
one arm (:class:`~banditlab.bandits.statistics.SufficientStats`).
"""

from __future__ import annotations

import numpy as np

from ..agents import Agent
from ..estimators import median_shrinkage_from_ols, multitask_from_gram, ols_from_gram, pooled_ols_from_gram
from ..estimators.median import check_shrinkage
from .decisions import filtered_argmax
from .env import Problem
from .hyperparameters import RMBanditHyperparameters, practical, theory_data_poor, theory_standard
from .schedules import data_poor_sources, doubling_batch_ends, round_robin_arms
from .statistics import LASSO_MAX_ITER, LASSO_TOL, OLS_RIDGE, SufficientStats

__all__ = [
    "RMBandit",
    "AveragingMultitaskBandit",
    "PooledBandit",
    "MedianShrinkageBandit",
    "median_shrinkage_fit",
]


class RMBandit(Agent):
    """Robust Multitask Bandit, Algorithm 2 of Xu & Bastani.

    ``B_0 = q log T`` forced round-robin steps; batches ``B_m = (2^{m-1} B_0, 2^m B_0]``; the forced-sample
    estimators ``beta_k^j(B_0, lambda_{0,j}, omega_0)`` are fitted once at the end of B_0 and frozen; the
    all-sample estimators ``beta_k^j(B_m, lambda_{1,j,m}, omega_{1,m})`` are refitted at the end of every
    batch on that batch's data only; in batch m+1 the arm is the all-sample argmax among the arms within
    ``h/2`` of the forced-sample maximum. Each fit is Algorithm 1 per arm
    (:func:`~banditlab.estimators.multitask_from_gram`) over the instances with at least d observations
    of the arm, the OLS of Step 1 with a ridge of :data:`~banditlab.bandits.statistics.OLS_RIDGE` times its
    mean diagonal, the LASSO of Step 2 warm-started at the previous all-sample estimate.

    Reading of the paths: ``omega_{1,m} = zeta_{1,0} + eta_{1,0} sqrt(log(d min_j |B_m^j|))`` and
    ``lambda_{1,j,m} = lambda_{1,j,0} sqrt(log(d |B_m^j|)/|B_m^j|)`` with ``|B_m^j|`` the arrivals at j
    in batch m, applied from m = 0 (the all-sample estimator used in B_1 is fitted on B_0's data).

    Hyperparameters and their sources (defaults: :func:`banditlab.bandits.hyperparameters.practical`,
    config block ``bandits.hyperparameters``; the values that motivate them are in
    ``docs/bandit-baselines.md``):

    * ``q = forced_scale K d / min_j p_j`` (``forced_scale = 0.25``): practical, C.1's ``K d / p_min`` form
      with a constant that gives every (instance, arm) a few times d forced samples, because C.1's printed
      q makes ``B_0 = q log T`` longer than any horizon. Data-poor mode:
      ``q = forced_scale K max(d / p_l, (s+1) log d / p_j)`` (D.1's structure).
    * ``h = 2``: practical, a little above the typical reward gap, because C.1 assumes forced-sample errors
      below h/(4 x_max), which only its printed q delivers; a narrower filter drops the optimal arm on a fixed set
      of contexts (:func:`banditlab.bandits.hyperparameters.practical`).
    * ``zeta_0 = zeta_{1,0} = min(sqrt(s/d), 0.25)``: C.1 as printed, capped (practical); uncapped with
      ``s = s~ = min(Ñ^alpha, d)`` in network mode (eq. (1), Appendix C.7). Data-poor mode: 1 (D.1).
    * ``eta_0 = 0.05``, ``eta_{1,0} = 0.02`` on the printed path ``eta_{1,0} sqrt(log(d min_j |B_m^j|))``:
      practical, because C.1's ``eta_{1,0} = sqrt(9/(rho N))`` makes every trimmed mean the median.
      Data-poor mode: 0 (D.1).
    * ``lambda_{0,j} = lambda_{1,j,0} = sigma_j x_max`` on the printed path ``sqrt(log(d n)/n)``:
      practical (universal-threshold order), because C.1's ``sqrt(64/p_*)`` factor over-shrinks.

    Parameters
    ----------
    hyperparameters : {"practical", "theory"} or RMBanditHyperparameters
        "theory": Appendix C.1 (or D.1 when ``target`` is given) from the problem's constants.
    centre : {"trimmed", "mean", "pooled"}
        Step 1 of Algorithm 1; "mean" and "pooled" give the baselines.
    sources : bool ndarray (N, N), optional
        ``Q_j`` per instance (default: all instances).
    target, neighbour : int, optional
        Data-poor mode (Section 4.4): ``Q_target = {neighbour}`` and D.1 hyperparameters.
    sparsity : int, optional
        The ``s`` the hyperparameters use (default ``problem.meta["s"]``, 1 if absent). Network mode
        passes ``s~ = min(Ñ^alpha, d)`` (:func:`banditlab.bandits.env.network_sparsity`).
    options : dict, optional
        Keyword arguments of :func:`banditlab.bandits.hyperparameters.practical` (h, forced_scale, ...).
        In "theory" mode only ``options["h"]`` is read (default 0.1): the margin h of Assumption 3 from
        which ``p_*`` and ``psi`` are estimated by Monte Carlo, also used as the filter width.

    References
    ----------
    Xu & Bastani, *Learning Across Bandits in High Dimension via Robust Statistics*, Algorithm 2,
    Theorems 2-3, Corollaries 3-4, Appendices C.1 and D.1.

    Examples
    --------
    >>> from banditlab.agents import simulate
    >>> from banditlab.bandits import make_problem
    >>> from banditlab.seeding import replicate_rng
    >>> problem = make_problem(3, 2, 4, 1, replicate_rng(0, "doc"))
    >>> stream = problem.sample(600, replicate_rng(0, "doc-stream"))
    >>> arms = simulate(RMBandit(), problem, stream, replicate_rng(0, "doc-policy"))
    >>> bool(stream.regret(arms).min() >= 0)
    True

    Attributes
    ----------
    batch_ends_ : list of int
        ``2^m B_0`` clipped to T (``batch_ends_[0] = B_0``).
    forced_coef_ : ndarray (N, K, d)
        Forced-sample estimators (set at the end of B_0, never changed afterwards).
    allsample_coef_ : ndarray (N, K, d)
        Current all-sample estimators.
    fits_ : list of dict
        One record per fit: end step, kind, omega, lambda.
    filter_kept_ : bool ndarray (T, K)
        The forced-sample filter's set at every arrival: ``filter_kept_[t, k]`` is True when arm k was within
        ``h/2`` of the best forced-sample score at arrival t (all True in ``B_0``, where no filter applies). A
        diagnostic of what the policy did, from its own estimates only; the runner compares it with the truth
        (Proposition 2's event A: the filter never drops an optimal arm).
    """

    name = "rmbandit"

    def __init__(
        self,
        *,
        hyperparameters="practical",
        centre="trimmed",
        sources=None,
        target=None,
        neighbour=None,
        options=None,
        c=0.1,
        keep_history=False,
        sparsity=None,
    ) -> None:
        self.hyperparameters = hyperparameters
        self.centre = centre
        self.sources = sources
        self.target = target
        self.neighbour = neighbour
        self.sparsity = sparsity
        self.options = options or {}
        self.c = c
        self.keep_history = keep_history

    def _resolve(self, problem: Problem, T: int, rng) -> RMBanditHyperparameters:
        hp = self.hyperparameters
        s = int(problem.meta.get("s", 1) if self.sparsity is None else self.sparsity)
        if not 0 <= s <= problem.d:
            raise ValueError(f"sparsity s must be in [0, d={problem.d}], got {s}")
        if isinstance(hp, RMBanditHyperparameters):
            return hp
        if hp == "practical":
            return practical(
                problem.N,
                problem.K,
                problem.d,
                s,
                problem.p,
                problem.sigma,
                problem.x_max,
                target=self.target,
                neighbour=self.neighbour,
                **self.options,
            )
        if hp == "theory":
            h = self.options.get("h", 0.1)
            constants = dict(problem.constants(h, rng), h=h)
            if self.target is not None:
                return theory_data_poor(
                    problem.N,
                    problem.K,
                    problem.d,
                    max(s, 1),
                    T,
                    problem.p,
                    problem.sigma,
                    constants,
                    self.target,
                    self.neighbour,
                    self.c,
                )
            return theory_standard(
                problem.N, problem.K, problem.d, max(s, 1), T, problem.p, problem.sigma, constants, self.c
            )
        raise ValueError(f"hyperparameters must be 'practical', 'theory' or RMBanditHyperparameters, got {hp!r}")

    def reset(self, problem: Problem, T: int, rng: np.random.Generator) -> None:
        if self.centre not in ("trimmed", "mean", "pooled"):
            raise ValueError(f"centre must be 'trimmed', 'mean' or 'pooled', got {self.centre!r}")
        if problem.K < 2:
            raise ValueError(f"K (number of arms) must be >= 2, got {problem.K}")
        self.hp_ = self._resolve(problem, T, rng)
        N, K, d = problem.N, problem.K, problem.d
        if len(self.hp_.lambda0) != N or len(self.hp_.lambda10) != N:
            raise ValueError(f"lambda0 and lambda10 must have one value per instance (N={N})")
        self.N_, self.K_, self.d_ = N, K, d
        if self.sources is not None:
            sources = np.asarray(self.sources, dtype=bool)
            if sources.shape != (N, N):
                raise ValueError(f"sources must be an (N, N) = ({N}, {N}) boolean matrix, got {sources.shape}")
        elif self.target is not None:
            if (
                self.neighbour is None
                or not (0 <= self.target < N and 0 <= self.neighbour < N)
                or self.target == self.neighbour
            ):
                raise ValueError(
                    f"data-poor mode needs distinct target and neighbour in [0, {N - 1}], "
                    f"got {self.target}, {self.neighbour}"
                )
            sources = data_poor_sources(N, self.target, self.neighbour)
        else:
            sources = np.ones((N, N), dtype=bool)
        self.sources_ = sources
        self.b0_ = self.hp_.batch_start(T)
        self.batch_ends_ = doubling_batch_ends(self.b0_, T)
        self.arrivals_ = np.zeros(N, dtype=np.int64)
        self.batch_arrivals_ = np.zeros(N, dtype=np.int64)
        self.stats_ = SufficientStats(N, K, d)
        self.forced_coef_ = np.zeros((N, K, d))
        self.allsample_coef_ = np.zeros((N, K, d))
        self.fits_: list[dict] = []
        self.history_: list[np.ndarray] = []
        self.filter_kept_ = np.ones((T, K), dtype=bool)

    def next_stop(self, t: int) -> int:
        return next(end for end in self.batch_ends_ if end > t)

    def act(self, t0: int, Z: np.ndarray, X: np.ndarray) -> np.ndarray:
        if t0 < self.b0_:
            return round_robin_arms(Z, self.arrivals_, self.K_)
        kept = self.filter_kept_[t0 : t0 + len(Z)]
        return filtered_argmax(X, Z, self.forced_coef_, self.allsample_coef_, self.hp_.h, kept=kept)

    def update(self, t0: int, Z: np.ndarray, X: np.ndarray, arms: np.ndarray, y: np.ndarray) -> None:
        t1 = t0 + len(Z)
        counts = np.bincount(Z, minlength=self.N_)
        self.arrivals_ += counts
        self.batch_arrivals_ += counts
        self.stats_.add(Z, arms, X, y)
        self._close_batch(t1)

    def _close_batch(self, t1: int) -> None:
        if t1 not in self.batch_ends_:
            return
        T = self.batch_ends_[-1]
        if t1 == self.b0_:
            self.forced_coef_ = self._fit(self.stats_, self.batch_arrivals_, forced=True)
            self.forced_coef_.setflags(write=False)
        if t1 < T:  # the estimator fitted at the end of the horizon would never be used
            self.allsample_coef_ = self._fit(self.stats_, self.batch_arrivals_, forced=False)
            if self.keep_history:
                self.history_.append(self.allsample_coef_.copy())
        self.stats_ = SufficientStats(self.N_, self.K_, self.d_)
        self.batch_arrivals_ = np.zeros(self.N_, dtype=np.int64)

    def _fit(self, stats: SufficientStats, arrivals: np.ndarray, forced: bool) -> np.ndarray:
        hp, d = self.hp_, self.d_
        n = np.maximum(arrivals, 1).astype(float)
        path = np.sqrt(np.log(d * n) / n)
        if forced:
            omega = hp.zeta0 + hp.eta0
            lam = hp.lambda0 * (path if hp.scale_lambda0 else 1.0)
        else:
            active = arrivals[arrivals > 0]
            n_min = active.min() if active.size else 1
            omega = hp.zeta10 + hp.eta10 * np.sqrt(np.log(d * n_min))
            lam = hp.lambda10 * path
        coef = np.empty((self.N_, self.K_, d))
        for k in range(self.K_):
            coef[:, k] = self._fit_arm(stats, k, lam, omega)
        self.fits_.append(
            {
                "t": int(self.arrivals_.sum()),
                "kind": "forced" if forced else "all",
                "omega": float(omega),
                "lambda": lam.copy(),
            }
        )
        return coef

    def _fit_arm(self, stats: SufficientStats, k: int, lam: np.ndarray, omega: float) -> np.ndarray:
        """Algorithm 1 for arm ``k`` (Step 1 per :attr:`centre`) on the statistics divided by the counts, (N, d)."""
        gram, xty, count = stats.gram[:, k], stats.xty[:, k], stats.count[:, k]
        if self.centre == "pooled":
            return pooled_ols_from_gram(gram, xty, ridge=OLS_RIDGE)
        n = np.maximum(count, 1.0)
        coef, _, _ = multitask_from_gram(
            gram / n[:, None, None],
            xty / n[:, None],
            count,
            lam,
            0.0 if self.centre == "mean" else omega,
            coef_init=self.allsample_coef_[:, k],
            tol=LASSO_TOL,
            max_iter=LASSO_MAX_ITER,
            sources=self.sources_,
            min_count=self.d_,
            ridge=OLS_RIDGE,
        )
        return coef


class AveragingMultitaskBandit(RMBandit):
    """RMBandit with the plain mean in Step 1 (eq. (4)): the averaging multitask bandit. Hyperparameters
    as :class:`RMBandit` (its trimming parameters are unused)."""

    name = "am_bandit"

    def __init__(self, **kwargs) -> None:
        super().__init__(centre="mean", **kwargs)


class PooledBandit(RMBandit):
    """RMBandit's schedule and filter with one pooled OLS estimate per arm, ignoring instances (the
    pooling estimator of Appendix B.3). Hyperparameters as :class:`RMBandit` (only q and h are used)."""

    name = "pooled"

    def __init__(self, **kwargs) -> None:
        super().__init__(centre="pooled", **kwargs)


def median_shrinkage_fit(
    gram: np.ndarray,
    xty: np.ndarray,
    count: np.ndarray,
    noise_sd: np.ndarray,
    sources: np.ndarray,
    threshold_multiplier: float = 1.0,
    confidence: float = 0.05,
    min_count: int | None = None,
) -> np.ndarray:
    """:class:`~banditlab.estimators.MedianShrinkage` for one arm from running statistics, with a source set
    per instance (``Q_j``).

    Step 1 for every instance with at least ``min_count`` (default d) observations: its OLS estimate
    and standard errors ``se_jk = sigma_j sqrt([(X_j'X_j)^{-1}]_kk)`` (minimum-norm solution and
    pseudo-inverse where the design is rank-deficient). Steps 2-3:
    :func:`~banditlab.estimators.median_shrinkage_from_ols` with ``sources`` as the source sets. An
    instance without an OLS estimate (too few observations, or a standard error that is not positive,
    e.g. an all-zero column) gets the median of its sources, as RMBandit gives an instance without data
    its centre; the median over no source is 0.

    Parameters
    ----------
    gram, xty, count : ndarrays (N, d, d), (N, d), (N,)
        Unnormalised sums ``X_j'X_j``, ``X_j'y_j`` and ``n_j``.
    noise_sd : ndarray (N,)
        ``sigma_j`` (> 0), the known noise levels (RMBandit's practical lambda uses them too).
    sources : bool ndarray (N, N)
        ``sources[j, i]``: instance i enters instance j's median.
    """
    n_instances, d = xty.shape
    min_count = d if min_count is None else min_count
    candidates = np.flatnonzero(count >= max(min_count, 1))
    ols, inverse_diagonal = ols_from_gram(gram, xty, "lstsq", instances=candidates, inverse_diagonal=True)
    errors = np.asarray(noise_sd, float)[:, None] * np.sqrt(inverse_diagonal)
    usable = np.zeros(n_instances, dtype=bool)
    usable[candidates] = (np.isfinite(errors[candidates]) & (errors[candidates] > 0)).all(axis=1)
    coef, _, _ = median_shrinkage_from_ols(
        ols, errors, threshold_multiplier, confidence, sources=sources, usable=usable
    )
    return coef


class MedianShrinkageBandit(RMBandit):
    """RMBandit's batches, forced sampling and filter with our median-shrinkage estimator inside (not in the papers).

    Everything but the estimator is :class:`RMBandit` (Algorithm 2 of Xu & Bastani), with the same
    hyperparameters (``q``, hence ``B_0 = q log T`` and the doubling batches, and the filter width
    ``h``; data-poor mode with ``target`` and ``neighbour``; ``sources``). Where RMBandit fits
    Algorithm 1 at the end of B_0 (forced-sample estimator) and of every batch (all-sample estimator,
    on that batch's data), this policy fits :class:`~banditlab.estimators.MedianShrinkage` per arm
    (:func:`median_shrinkage_fit`): the weighted median of the OLS estimates of ``Q_j`` (weights
    ``1/se``), then soft thresholding of instance j's OLS estimate toward it at
    ``t_jk = c se_jk sqrt(2 log(d N / delta))``, with the known noise levels ``sigma_j``
    (``problem.sigma``, which RMBandit's practical lambda uses as well). RMBandit's trimming and LASSO
    penalties (zeta, eta, lambda) are not used.

    Hyperparameters and their sources (ours; there is no paper value):

    * ``threshold_multiplier = 1`` (``c``) and ``confidence = 0.05`` (``delta``): the defaults of
      :class:`~banditlab.estimators.MedianShrinkage`, the union-bound level at which every coordinate
      without a deviation is set to the median with probability about ``1 - delta``.
    * Everything else as :class:`RMBandit` (config block ``bandits.hyperparameters``).

    References
    ----------
    Huang, Xu, Lee, Hassani, Bastani and Dobriban, JASA 2025 (the idea of a median instead of the trimmed
    mean; the formulas here are ours). Xu & Bastani, Algorithm 2 (the batch structure).

    Examples
    --------
    >>> from banditlab.agents import simulate
    >>> from banditlab.bandits import make_problem
    >>> from banditlab.seeding import replicate_rng
    >>> problem = make_problem(3, 2, 4, 1, replicate_rng(0, "doc"))
    >>> stream = problem.sample(600, replicate_rng(0, "doc-stream"))
    >>> arms = simulate(MedianShrinkageBandit(), problem, stream, replicate_rng(0, "doc-policy"))
    >>> bool(stream.regret(arms).min() >= 0)
    True
    """

    name = "median_bandit"
    label = "Median shrinkage bandit (ours)"

    def __init__(self, *, threshold_multiplier: float = 1.0, confidence: float = 0.05, **kwargs) -> None:
        super().__init__(**kwargs)
        self.threshold_multiplier = threshold_multiplier
        self.confidence = confidence

    def reset(self, problem: Problem, T: int, rng: np.random.Generator) -> None:
        check_shrinkage(self.threshold_multiplier, self.confidence)
        if not (problem.sigma > 0).all():
            raise ValueError(
                f"{self.name} needs a noise level sigma_j > 0 for every instance (its weights are 1/se), "
                f"got {problem.sigma}"
            )
        self.noise_sd_ = np.asarray(problem.sigma, float).copy()
        super().reset(problem, T, rng)

    def _fit(self, stats: SufficientStats, arrivals: np.ndarray, forced: bool) -> np.ndarray:
        coef = np.empty((self.N_, self.K_, self.d_))
        for k in range(self.K_):
            coef[:, k] = median_shrinkage_fit(
                stats.gram[:, k],
                stats.xty[:, k],
                stats.count[:, k],
                self.noise_sd_,
                self.sources_,
                self.threshold_multiplier,
                self.confidence,
            )
        self.fits_.append(
            {
                "t": int(self.arrivals_.sum()),
                "kind": "forced" if forced else "all",
                "threshold_multiplier": float(self.threshold_multiplier),
            }
        )
        return coef
