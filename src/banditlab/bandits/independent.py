"""Per-instance baselines of RMBandit: OLS Bandit, LASSO Bandit, greedy, and the oracle.

Each instance learns alone from its own data (no sharing across instances). The OLS and LASSO Bandits
force-sample on the schedule of Goldenshluger & Zeevi (2013) and Bastani & Bayati (2020) and choose with
Algorithm 2's filter; greedy never forces a sample; the oracle knows the true parameters.
"""

from __future__ import annotations

import numpy as np

from ..agents import Agent
from ..estimators import ols_from_gram, ridge_from_gram
from ..lasso import lasso_gram_batch
from .decisions import filtered_argmax, greedy_argmax
from .schedules import arrival_numbers, forced_arms, geometric_stop
from .statistics import LASSO_MAX_ITER, LASSO_TOL, OLS_RIDGE, SufficientStats

__all__ = ["OLSBandit", "LassoBandit", "LASSO_Q", "GreedyBandit", "Oracle"]


class _IndependentBandit(Agent):
    """Per-instance forced-sampling bandit of Goldenshluger & Zeevi (2013) / Bastani & Bayati (2020).

    Instance j forces arm k at its local times ``(2^n - 1) K q + q k + {1..q}`` (1-based, n = 0, 1, ...;
    the forced-sample sets ``T_k`` of both papers; :func:`~banditlab.bandits.schedules.forced_arms`);
    otherwise it pulls the all-sample argmax among the arms within ``h/2`` of the forced-sample maximum.
    Estimators are refitted whenever the step count grows by ``update_ratio`` (the papers refit every
    step; practical, and it only favours the baseline). Up to local time n, arm k has been forced
    :func:`~banditlab.bandits.schedules.forced_pull_count` times, about ``q log2(n / (K q))``.
    """

    estimator = "ols"

    def __init__(self, *, q=None, h=1.0, lambda1=None, lambda2=None, update_ratio=1.1, first_stop=None) -> None:
        self.q, self.h = q, h
        self.lambda1, self.lambda2 = lambda1, lambda2
        self.update_ratio, self.first_stop = update_ratio, first_stop

    def default_q(self, d: int) -> int:  # pragma: no cover - each subclass sets its own
        raise NotImplementedError

    def reset(self, problem, T, rng) -> None:
        N, K, d = problem.N, problem.K, problem.d
        q = self.default_q(d) if self.q is None else self.q
        if not (float(q) == int(q) and int(q) > 0):
            raise ValueError(f"q (forced samples per arm and block) must be a positive integer, got {q}")
        self.q_ = int(q)
        if not self.h > 0:
            raise ValueError(f"h must be > 0, got {self.h}")
        if not self.update_ratio > 1:
            raise ValueError(f"update_ratio must be > 1, got {self.update_ratio}")
        self.N_, self.K_, self.d_ = N, K, d
        sx = problem.sigma * problem.x_max
        self.lambda1_ = sx / 4 if self.lambda1 is None else np.broadcast_to(self.lambda1, (N,))
        self.lambda2_ = sx if self.lambda2 is None else np.broadcast_to(self.lambda2, (N,))
        if self.estimator == "lasso" and not ((self.lambda1_ > 0).all() and (self.lambda2_ > 0).all()):
            # lam = 0 on the first, rank-deficient forced-sample Gram matrices: coordinate descent stalls
            raise ValueError(
                f"{self.name}: lambda1 and lambda2 must be > 0, got {self.lambda1_} and {self.lambda2_} (the "
                "defaults sigma x_max / 4 and sigma x_max vanish when sigma = 0); pass lambda1= and lambda2="
            )
        self.first_ = self.first_stop or N
        self.local_ = np.zeros(N, dtype=np.int64)
        self.forced_stats_ = SufficientStats(N, K, d)
        self.all_stats_ = SufficientStats(N, K, d)
        self.forced_coef_ = np.zeros((N, K, d))
        self.allsample_coef_ = np.zeros((N, K, d))
        self.forced_seen_ = -1.0

    def next_stop(self, t):
        return geometric_stop(t, self.update_ratio, self.first_)

    def forced_arm(self, local: np.ndarray) -> np.ndarray:
        """Forced arm at local (0-based) times, -1 where no arm is forced."""
        return forced_arms(local, self.K_, self.q_)

    def act(self, t0, Z, X):
        forced = self.forced_arm(arrival_numbers(Z, self.local_))
        arms = filtered_argmax(X, Z, self.forced_coef_, self.allsample_coef_, self.h)
        return np.where(forced >= 0, forced, arms)

    def update(self, t0, Z, X, arms, y):
        is_forced = self.forced_arm(arrival_numbers(Z, self.local_)) >= 0
        self.local_ += np.bincount(Z, minlength=self.N_)
        if is_forced.any():
            self.forced_stats_.add(Z[is_forced], arms[is_forced], X[is_forced], y[is_forced])
        self.all_stats_.add(Z, arms, X, y)
        if self.forced_stats_.count.sum() > self.forced_seen_:
            self.forced_coef_ = self._fit(self.forced_stats_, forced=True, init=self.forced_coef_)
            self.forced_seen_ = self.forced_stats_.count.sum()
        self.allsample_coef_ = self._fit(self.all_stats_, forced=False, init=self.allsample_coef_)

    def _fit(self, stats, forced, init):
        """Every (instance, arm) alone: OLS (:data:`~banditlab.bandits.statistics.OLS_RIDGE`), or the LASSO
        with ``lambda_1`` (forced samples) or ``lambda_{2,t} = lambda_2 sqrt((log t + log d)/t)``."""
        N, K, d = self.N_, self.K_, self.d_
        gram, xty = stats.gram.reshape(N * K, d, d), stats.xty.reshape(N * K, d)
        n = np.maximum(stats.count, 1.0).reshape(N * K)
        if self.estimator == "ols":
            return ols_from_gram(gram / n[:, None, None], xty / n[:, None], ridge=OLS_RIDGE).reshape(N, K, d)
        t = np.maximum(self.local_, 1).astype(float)
        lam = self.lambda1_ if forced else self.lambda2_ * np.sqrt((np.log(t) + np.log(d)) / t)
        lam = np.repeat(np.asarray(lam, float), K)
        return lasso_gram_batch(
            gram,
            xty,
            lam,
            None,
            init.reshape(N * K, d),
            tol=LASSO_TOL,
            max_iter=LASSO_MAX_ITER,
            n_obs=n,
            on_max_iter="warn",  # the forced-sample fit on few samples: keep its last iterate (statistics.py)
        ).reshape(N, K, d)


class OLSBandit(_IndependentBandit):
    """OLS Bandit of Goldenshluger & Zeevi (2013), run independently on each instance.

    Hyperparameters and their sources:

    * ``q = d`` (default): practical, because the forced-sample OLS needs at least d samples per arm,
      which the first block (q per arm) then gives (G&Z's q is set from problem constants that are not
      known in practice).
    * ``h = bandits.hyperparameters.h`` (2): the same filter width as RMBandit, so the two differ only in
      the estimator (practical).
    * Refit when the step count grows by ``update_ratio`` (1.1): practical, see the class above.
    """

    name = "ols_bandit"
    estimator = "ols"

    def default_q(self, d: int) -> int:
        return int(d)


LASSO_Q = 3
"""Default forced-sampling q of the LASSO Bandit: a constant, the same for every d (see LassoBandit)."""


class LassoBandit(_IndependentBandit):
    """LASSO Bandit of Bastani & Bayati (2020), run independently on each instance.

    Hyperparameters and their sources:

    * ``q = LASSO_Q = 3`` (config ``bandits.hyperparameters.lasso_q``), the same for every d: practical,
      because in Bastani & Bayati's theorem q does not depend on d, and a q that grows with d adds about
      ``K d log T`` forced pulls, which would handicap the baseline exactly along the d axis of Corollary 3
      and Theorem 3; 3 is the tuned value (``docs/bandit-baselines.md``). This study's arm parameters are
      dense (s_0 = d), whereas the LASSO Bandit is designed for sparse ones.
    * ``lambda_1 = sigma x_max / 4`` (forced-sample LASSO) and ``lambda_{2,t} = lambda_2 sqrt((log t +
      log d)/t)`` with ``lambda_2 = sigma x_max`` (all-sample LASSO): Bastani & Bayati's path with
      practical constants (the universal-threshold order of RMBandit's lambda), because the printed ones
      depend on the compatibility constant and p_*, which are not known in practice.
    * ``h`` and ``update_ratio``: as :class:`OLSBandit`.
    """

    name = "lasso_bandit"
    estimator = "lasso"

    def default_q(self, d: int) -> int:
        return LASSO_Q


class GreedyBandit(Agent):
    """Greedy per-instance ridge regression, no forced exploration: the Greedy Bandit of Bastani, Bayati &
    Khosravi (2021), who show it is rate-optimal when contexts are covariate diverse and can lock onto a
    worse arm otherwise (``make_problem(contexts="no_diversity")``).

    Hyperparameters and their sources:

    * ``ridge = 1``: practical, because their OLS estimate is undefined before an arm has d samples; an
      arm never pulled keeps the estimate 0.
    * Ties (all-zero scores at the start) broken uniformly at random by the policy's own generator.
    * Refit when the step count grows by ``update_ratio`` (1.1); they refit every step (practical).
    """

    name = "greedy"

    def __init__(self, *, ridge=1.0, update_ratio=1.1, first_stop=None) -> None:
        self.ridge, self.update_ratio, self.first_stop = ridge, update_ratio, first_stop

    def reset(self, problem, T, rng):
        if not self.ridge > 0:
            raise ValueError(f"ridge must be > 0, got {self.ridge}")
        self.N_, self.K_, self.d_ = problem.N, problem.K, problem.d
        self.first_ = self.first_stop or problem.N
        self.rng_ = rng
        self.stats_ = SufficientStats(problem.N, problem.K, problem.d)
        self.coef_ = np.zeros((problem.N, problem.K, problem.d))

    def next_stop(self, t):
        return geometric_stop(t, self.update_ratio, self.first_)

    def act(self, t0, Z, X):
        return greedy_argmax(X, Z, self.coef_, self.rng_)

    def update(self, t0, Z, X, arms, y):
        self.stats_.add(Z, arms, X, y)
        N, K, d = self.N_, self.K_, self.d_
        gram, xty = self.stats_.gram.reshape(N * K, d, d), self.stats_.xty.reshape(N * K, d)
        self.coef_ = ridge_from_gram(gram, xty, self.ridge).reshape(N, K, d)


class Oracle(Agent):
    """Knows ``beta_k^j`` and pulls ``argmax_k X_t' beta_k^{Z_t}`` (the comparator of Section 2.1). No
    hyperparameters."""

    name = "oracle"

    def reset(self, problem, T, rng):
        self.problem_ = problem

    def next_stop(self, t):
        return np.iinfo(np.int64).max

    def act(self, t0, Z, X):
        return self.problem_.mean_rewards(Z, X).argmax(axis=1)
