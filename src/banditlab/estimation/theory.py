"""Table 1, the explicit upper bounds (Lemma 1, Theorem 1, Corollaries 1-2) and the explicit lower
bounds (Propositions 4-7) of Xu and Bastani, as functions returning numbers.

Notation follows the paper: ``n`` observations per instance (``n_j`` for the instance of interest),
``N`` instances, ``d`` dimension, ``s`` sparsity of the deviations ``delta_j = beta_j - beta_dagger``,
``sigma`` noise standard deviation, ``x_max`` the bound of Assumption 1, ``psi`` the smallest eigenvalue
of the sample covariance (Assumption 6), ``delta`` (here ``confidence``) the failure probability.

Two readings had to be chosen where the text is inconsistent; both are documented where used:

* Corollary 1 states ``eta = sqrt(5s/(2d) log(3d/delta))`` but its proof (Appendix A.3) uses
  ``eta = sqrt(9/N log(6d/delta))``; :func:`corollary1_bound` follows the statement's final formula,
  which is what the proof's last display gives with the proof's eta.
* Algorithm 1 needs a trimming level ``omega = zeta + eta`` with ``omega < 1/2`` (Lemma 1). At every
  scale that fits a laptop, ``zeta + eta >= 1/2`` for either eta, so the ``"theory"`` trimming level of
  the estimators is ``zeta = sqrt(s/d)`` alone (see :func:`trim_fraction_theory`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..estimators.hyperparameters import lambda_theory as lambda_theory
from ..estimators.hyperparameters import trim_fraction_theory as trim_fraction_theory
from ..stats import loglog_slope

SQRT_2PI = math.sqrt(2 * math.pi)


# --- Hyperparameters of Corollaries 1-2 -------------------------------------------------------
# lambda_theory and trim_fraction_theory are the estimators' own defaults, so they live in
# banditlab.estimators.hyperparameters (shared by every study); they are re-exported here.


def eta_corollary1(sparsity: int, dim: int, confidence: float) -> float:
    """``eta`` as stated in Corollary 1: ``sqrt(5s/(2d) log(3d/delta))``."""
    return math.sqrt(5 * sparsity / (2 * dim) * math.log(3 * dim / confidence))


def eta_proof(n_instances: int, dim: int, confidence: float) -> float:
    """``eta`` as used in the proof of Corollary 1 (Appendix A.3): ``sqrt(9/N log(6d/delta))``."""
    return math.sqrt(9 / n_instances * math.log(6 * dim / confidence))


TRIM_READINGS = ("theory", "corollary1")
"""Named trimming levels of an experiment (``trim_fraction``): ``theory`` is zeta = sqrt(s/d) alone (the estimators'
default, :func:`trim_fraction_theory`); ``corollary1`` is Corollary 1's omega = zeta + eta with the proof's eta
(:func:`corollary1_trim`)."""


def corollary1_trim(sparsity: int, dim: int, n_instances: int, confidence: float) -> float:
    """Corollary 1's trimming ``omega = zeta + eta``: ``sqrt(s/d) + sqrt(9/N log(6d/delta))`` (the proof's eta,
    Appendix A.3, line 798; finding 000-corollary1-eta)."""
    return math.sqrt(sparsity / dim) + eta_proof(n_instances, dim, confidence)


def resolve_trim(trim, sparsity: int, dim: int, n_instances: int, confidence: float) -> float:
    """The number a point's ``trim_fraction`` stands for (a number, or one of :data:`TRIM_READINGS`)."""
    if isinstance(trim, str):
        if trim == "theory":
            return math.sqrt(sparsity / dim)
        if trim == "corollary1":
            return corollary1_trim(sparsity, dim, n_instances, confidence)
    try:
        return float(trim)
    except ValueError:
        raise ValueError(f"trim_fraction must be a number or one of {TRIM_READINGS}, got {trim!r}") from None


# --- Upper bounds ------------------------------------------------------------------------------


def lemma1_bound(sigma_max: float, zeta: float, eta: float, c: float) -> float:
    """Deviation of the trimmed mean in Lemma 1: ``max_j sigma_j / c * (3 zeta + 4 eta) sqrt(log(3/eta))``."""
    _check_lemma1(zeta, eta, c)
    return sigma_max / c * (3 * zeta + 4 * eta) * math.sqrt(math.log(3 / eta))


def lemma1_failure_probability(n_instances: int, eta: float) -> float:
    """Probability bound of Lemma 1: ``3 exp(-N eta^2 / 9)`` (may exceed 1, i.e. be vacuous)."""
    return 3 * math.exp(-n_instances * eta**2 / 9)


def _check_lemma1(zeta: float, eta: float, c: float) -> None:
    if min(zeta, eta, c) <= 0 or eta > 0.5 - c - zeta + 1e-12:
        raise ValueError(
            f"Lemma 1 / Theorem 1 need zeta, eta, c > 0 and eta <= 1/2 - c - zeta; got zeta={zeta}, eta={eta}, c={c}"
        )


def theorem1_bound(
    lam: float | np.ndarray,
    sparsity: int,
    zeta: float,
    psi: float,
    dim: int,
    c: float,
    eta: float,
    noise_sds: Sequence[float],
    n_obs: Sequence[float],
) -> float:
    """Theorem 1: ``6 lam s / (zeta psi) + d/c (3 zeta + 4 eta) max_i sqrt(sigma_i^2/(n_i psi) log(3/eta))``.

    ``noise_sds`` and ``n_obs`` range over the instances entering the trimmed mean; ``lam`` may be an array
    (one lambda_j per instance j of interest), and so is then the bound.
    """
    _check_lemma1(zeta, eta, c)
    sds, ns = np.asarray(noise_sds, float), np.asarray(n_obs, float)
    spread = math.sqrt(float(np.max(sds**2 / (ns * psi))) * math.log(3 / eta))
    return 6 * np.asarray(lam) * sparsity / (zeta * psi) + dim / c * (3 * zeta + 4 * eta) * spread


def theorem1_failure_probability(
    dim: int, n_instances: int, eta: float, lam: float, n_target: float, noise_sd: float, x_max: float
) -> float:
    """``3d exp(-N eta^2/9) + 2d exp(-lam^2 n_j / (32 sigma_j^2 x_max^2))`` of Theorem 1 (may exceed 1)."""
    return 3 * dim * math.exp(-n_instances * eta**2 / 9) + 2 * dim * math.exp(
        -(lam**2) * n_target / (32 * noise_sd**2 * x_max**2)
    )


def corollary1_bound(
    sparsity: int,
    dim: int,
    n_instances: int,
    n_target: float,
    noise_sd: float,
    x_max: float,
    psi: float,
    c: float,
    confidence: float,
    noise_sds: Sequence[float],
    n_obs: Sequence[float],
) -> float:
    """Corollary 1 (standard regime), the explicit three-term bound, holding w.p. >= 1 - delta."""
    s, d = sparsity, dim
    spread = max(math.sqrt(si**2 * n_target * math.log(n_instances) / (ni * psi)) for si, ni in zip(noise_sds, n_obs))
    spread_log = max(
        math.sqrt(si**2 * n_target * math.log(n_instances) * math.log(6 * d / confidence) / (ni * psi))
        for si, ni in zip(noise_sds, n_obs)
    )
    lasso = 24 / psi * math.sqrt(2 * noise_sd**2 * x_max**2 * math.log(4 * d / confidence))
    first = (lasso + 3 / c * spread) * math.sqrt(s * d / n_target)
    return first + 12 / c * spread_log * d / math.sqrt(n_instances * n_target)


def corollary1_smallest_dim(sparsity: int, confidence: float = 0.05, c: float = 0.0) -> int:
    """Smallest d at which Corollary 1's ``zeta + eta`` (printed eta) stays below ``1/2 - c`` (Lemma 1).

    ``zeta = sqrt(s/d)`` and ``eta = sqrt(5s/(2d) log(3d/delta))`` both shrink with d; below this d the
    corollary's hyperparameters fall outside Lemma 1's condition ``eta <= 1/2 - c - zeta``.
    """
    if sparsity < 1 or not 0 < confidence < 1 or not 0 <= c < 0.5:
        raise ValueError(f"need sparsity >= 1, confidence in (0, 1), c in [0, 1/2); got {sparsity}, {confidence}, {c}")
    dim = sparsity
    while math.sqrt(sparsity / dim) + eta_corollary1(sparsity, dim, confidence) >= 0.5 - c:
        dim += 1
    return dim


def corollary1_confidence(sparsity: int, dim: int, n_instances: int, c: float) -> float:
    """The smallest delta Corollary 1 allows: ``6d exp(-N/9 (1/2 - c - sqrt(s/d))^2)`` (may exceed 1)."""
    return 6 * dim * math.exp(-n_instances / 9 * (0.5 - c - math.sqrt(sparsity / dim)) ** 2)


def corollary2_bound(
    sparsity: int,
    dim: int,
    n_instances: int,
    n_target: float,
    noise_sd: float,
    x_max: float,
    psi: float,
    c: float,
    confidence: float,
    noise_sds: Sequence[float],
    n_obs: Sequence[float],
) -> float:
    """Corollary 2 (data-poor target j), explicit bound; ``noise_sds``/``n_obs`` over instances i != j."""
    s, d = sparsity, dim
    spread = max(
        math.sqrt(d**2 * n_target / ni * si**2 * math.log(n_instances) / psi) for si, ni in zip(noise_sds, n_obs)
    )
    spread_log = max(
        math.sqrt(d**2 * n_target / ni * si**2 * math.log(n_instances) * math.log(6 * d / confidence) / psi)
        for si, ni in zip(noise_sds, n_obs)
    )
    first = 24 / psi * math.sqrt(2 * noise_sd**2 * x_max**2 * math.log(4 * d / confidence)) * s / math.sqrt(n_target)
    return first + 3 / c * spread / math.sqrt(n_target) + 12 / c * spread_log / math.sqrt(n_instances * n_target)


# --- Lower bounds (Appendix B: Sigma-hat = I, Gaussian noise) -----------------------------------


def proposition4_lower(dim: int, noise_sd: float, n_target: float) -> float:
    """Independent OLS: ``d sigma_j / sqrt(2 pi n_j)`` (Proposition 4, both regimes)."""
    return dim * noise_sd / math.sqrt(2 * math.pi * n_target)


def proposition5_lower(
    deltas: np.ndarray, target: int, noise_sds: Sequence[float], n_obs: Sequence[float], data_poor: bool = False
) -> float:
    """Averaging: ``1/2 ||mean_i(delta_i - delta_j)||_1 + sqrt(1/N sum_i sigma_i^2 n_j/n_i) d/sqrt(N n_j)/sqrt(2 pi)``.

    In the data-poor regime the sums run over ``i != j`` (the proxy of Appendix B.2) while ``1/N``
    keeps the full N, as printed.
    """
    deltas = np.asarray(deltas, float)
    n_instances, dim = deltas.shape
    sigmas, ns = np.asarray(noise_sds, float), np.asarray(n_obs, float)
    keep = np.arange(n_instances) != target if data_poor else np.ones(n_instances, bool)
    bias = 0.5 * np.abs((deltas[keep] - deltas[target]).sum(axis=0) / n_instances).sum()
    nj = ns[target]
    spread = math.sqrt(float((sigmas[keep] ** 2 * nj / ns[keep]).sum()) / n_instances)
    return float(bias + spread * dim / math.sqrt(n_instances * nj) / SQRT_2PI)


def proposition6_lower(
    deltas: np.ndarray, target: int, noise_sds: Sequence[float], n_obs: Sequence[float], data_poor: bool = False
) -> float:
    """Pooling (Proposition 6): weighted bias ``1/2 ||sum_i n_i (delta_i - delta_j) / sum_i n_i||_1`` plus
    ``sqrt((sum_i sigma_i^2 n_i) N n_j) / sum_i n_i * d / sqrt(N n_j) / sqrt(2 pi)``; data-poor sums over i != j."""
    deltas = np.asarray(deltas, float)
    n_instances, dim = deltas.shape
    sigmas, ns = np.asarray(noise_sds, float), np.asarray(n_obs, float)
    keep = np.arange(n_instances) != target if data_poor else np.ones(n_instances, bool)
    weights = ns[keep] / ns[keep].sum()
    bias = 0.5 * np.abs((weights[:, None] * (deltas[keep] - deltas[target])).sum(axis=0)).sum()
    nj = ns[target]
    spread = math.sqrt(float((sigmas[keep] ** 2 * ns[keep]).sum()) * n_instances * nj) / ns[keep].sum()
    return float(bias + spread * dim / math.sqrt(n_instances * nj) / SQRT_2PI)


def proposition7_lower(
    n_instances: int,
    sparsity: int,
    dim: int,
    target: int,
    noise_sds: Sequence[float],
    n_obs: Sequence[float],
    x_max: float,
    failure: float = 0.05,
) -> float:
    """Averaging multitask (Proposition 7, final display), for lambda_j = lambda_theory(..., delta=C).

    ``min{3d/8 lam, 3Ns/8 lam + (d - Ns)/(2 sqrt(2 pi)) sqrt(1/N sum_i sigma_i^2 n_j/n_i)/sqrt(N n_j)} (1 - 2C)``
    when ``Ns < d``, and ``3d/8 lam (1 - 2C)`` otherwise. It only applies to the construction (i)-(iii)
    of the proof (large deviations on the target's support, disjoint supports); ``failure`` is C.
    """
    if not 0 <= failure <= 0.5:
        raise ValueError(f"failure (C) must be in [0, 1/2], got {failure}")
    sigmas, ns = np.asarray(noise_sds, float), np.asarray(n_obs, float)
    nj = ns[target]
    lam = lambda_theory(sigmas[target], x_max, nj, dim, failure)
    if n_instances * sparsity >= dim:
        return 3 * dim / 8 * lam * (1 - 2 * failure)
    spread = math.sqrt(float((sigmas**2 * nj / ns).sum()) / n_instances)
    mixed = 3 * n_instances * sparsity / 8 * lam + (dim - n_instances * sparsity) / (2 * SQRT_2PI) * spread / math.sqrt(
        n_instances * nj
    )
    return min(3 * dim / 8 * lam, mixed) * (1 - 2 * failure)


def proposition7_min_deviation(
    n_instances: int,
    target: int,
    noise_sds: Sequence[float],
    n_obs: Sequence[float],
    dim: int,
    x_max: float,
    failure: float = 0.05,
    all_instances: bool = False,
) -> float:
    """Smallest deviation size for which the construction of Proposition 7 works.

    As printed, condition (i) asks ``|delta_j| >= 5N/(4(N-1)) lam + t`` on the target's support only
    (``all_instances=False``). The proof's contradiction step, however, needs every non-zero of
    ``beta_j - mean_i beta_i`` to exceed ``5 lam/4 + t``, and on another instance k's support that
    entry is ``delta_k / N``; so every instance's deviations must reach ``N (5 lam/4 + t)``
    (``all_instances=True``). The estimation study measures both cases.
    """
    sigmas, ns = np.asarray(noise_sds, float), np.asarray(n_obs, float)
    lam = lambda_theory(sigmas[target], x_max, ns[target], dim, failure)
    t = math.sqrt(2 / (n_instances - 1) ** 2 * float((sigmas**2 / ns).sum()) * math.log(2 / failure))
    if all_instances:
        return n_instances * (5 * lam / 4 + t)
    return 5 * n_instances / (4 * (n_instances - 1)) * lam + t


# --- Table 1 as data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """One cell of Table 1: the printed formula and bound type, and the terms its rate is a sum of.

    The terms are those of the explicit results the cell summarises (Propositions 4-7, Corollaries 1-2)
    with their numeric constants dropped but two factors Table 1 omits kept: the logarithms
    (``log(4d/delta)``, ``log N``, ``log(6d/delta)``) and the bias ``||mean_i(delta_i - delta_j)||_1`` of the
    shared estimate (Propositions 5-6, written ``||delta_j||_1`` in Table 1), a property of the instance the
    rate check measures on the drawn data (metric ``bias_l1``). The ``psi`` of Assumption 6 is a constant of
    the problem class and stays out: the studies keep n >= 4d, where it barely moves. Data-poor cells take
    ``n_i = Theta(d^2 n_j)`` for every other instance (Section 3.5), as the data-poor studies draw them.
    """

    estimator: str
    regime: str
    formula: str
    bound: str
    terms: tuple[Callable[..., float], ...]

    def __call__(self, n: float, N: float, d: float, s: float, delta_l1: float, confidence: float = 0.05) -> float:
        return float(sum(term(n, N, d, s, delta_l1, confidence) for term in self.terms))


def _rates() -> dict[tuple[str, str], Rate]:
    sqrt, log = math.sqrt, math.log

    def bias(n, N, d, s, delta_l1, confidence=0.05):  # Props. 5-6: the shared estimate's bias
        return delta_l1

    def independent(n, N, d, s, delta_l1, confidence=0.05):  # Prop. 4
        return d / sqrt(n)

    def shared_variance(n, N, d, s, delta_l1, confidence=0.05):  # Props. 5-6
        return d / sqrt(N * n)

    def shared_variance_poor(n, N, d, s, delta_l1, confidence=0.05):  # Props. 5-6 with n_i = d^2 n_j
        return 1 / sqrt(N * n)

    def am_bias(n, N, d, s, delta_l1, confidence=0.05):  # Prop. 7: |S| lambda_j, lambda_j ~ sqrt(log(4d/C)/n_j)
        return min(N * s, d) * sqrt(log(4 * d / confidence) / n)

    def rm_lasso(n, N, d, s, delta_l1, confidence=0.05):  # Corollary 1, first term (lambda_j s / zeta)
        return sqrt(log(4 * d / confidence)) * sqrt(s * d / n)

    def rm_trim(n, N, d, s, delta_l1, confidence=0.05):  # Corollary 1, first term (trimmed-mean error)
        return sqrt(log(N)) * sqrt(s * d / n)

    def rm_shared(n, N, d, s, delta_l1, confidence=0.05):  # Corollary 1, second term
        return sqrt(log(N) * log(6 * d / confidence)) * d / sqrt(N * n)

    def rm_poor_lasso(n, N, d, s, delta_l1, confidence=0.05):  # Corollary 2, first term
        return sqrt(log(4 * d / confidence)) * s / sqrt(n)

    def rm_poor_trim(n, N, d, s, delta_l1, confidence=0.05):  # Corollary 2, second term at n_i = d^2 n_j
        return sqrt(log(N)) / sqrt(n)

    def rm_poor_shared(n, N, d, s, delta_l1, confidence=0.05):  # Corollary 2, third term at n_i = d^2 n_j
        return sqrt(log(N) * log(6 * d / confidence)) / sqrt(N * n)

    am_standard = ("min(Ns, d)/sqrt(n_j) + d/sqrt(N n_j)", (am_bias, shared_variance))
    cells = [
        ("independent_ols", "standard", "d/sqrt(n_j)", "lower", (independent,)),
        ("independent_ols", "data_poor", "d/sqrt(n_j)", "lower", (independent,)),
        ("averaging", "standard", "||delta_j||_1 + d/sqrt(N n_j)", "lower", (bias, shared_variance)),
        ("averaging", "data_poor", "||delta_j||_1 + 1/sqrt(N n_j)", "lower", (bias, shared_variance_poor)),
        ("pooling", "standard", "||delta_j||_1 + d/sqrt(N n_j)", "lower", (bias, shared_variance)),
        ("pooling", "data_poor", "||delta_j||_1 + 1/sqrt(N n_j)", "lower", (bias, shared_variance_poor)),
        ("averaging_multitask", "standard", am_standard[0], "lower", am_standard[1]),
        ("averaging_multitask", "data_poor", "min(Ns, d)/sqrt(n_j)", "lower", (am_bias,)),
        ("robust_multitask", "standard", "sqrt(s d/n_j) + d/sqrt(N n_j)", "upper", (rm_lasso, rm_trim, rm_shared)),
        ("robust_multitask", "data_poor", "s/sqrt(n_j)", "upper", (rm_poor_lasso, rm_poor_trim, rm_poor_shared)),
    ]
    return {(e, r): Rate(e, r, f, b, terms) for e, r, f, b, terms in cells}


TABLE_1: dict[tuple[str, str], Rate] = _rates()
"""Table 1 of the paper keyed by (estimator, regime); regimes are ``standard`` and ``data_poor``."""

ESTIMATOR_NAMES = ("independent_ols", "averaging", "pooling", "averaging_multitask", "robust_multitask")


def _points_on_grid(
    point: dict[str, float], axis: str, values: Sequence[float], measured: dict[str, Sequence[float]] | None
) -> list[dict[str, float]]:
    """``point`` at every grid value of ``axis``; ``measured`` (``delta_l1``) overrides per grid value.

    Without a measured bias, ``||delta_j||_1`` grows like ``s`` (a fixed size per non-zero)."""
    out = []
    for index, value in enumerate(values):
        moved = {**point, axis: float(value)}
        if axis == "s":
            moved["delta_l1"] = point["delta_l1"] * value / point["s"]
        for key, per_value in (measured or {}).items():
            moved[key] = float(per_value[index])
        out.append(moved)
    return out


def predicted_slope(
    estimator: str,
    regime: str,
    axis: str,
    values: Sequence[float],
    point: dict[str, float],
    measured: dict[str, Sequence[float]] | None = None,
) -> float:
    """Log-log slope of the Table 1 rate along ``axis`` over ``values`` (least squares), others at ``point``.

    With every numeric constant set to one, this is the exponent the cell predicts on that grid: where
    one term dominates it is that term's exponent; where terms cross it lies between them. ``point`` holds
    ``n, N, d, s, delta_l1`` and optionally ``confidence``.
    """
    rate = TABLE_1[(estimator, regime)]
    return loglog_slope(values, [rate(**p) for p in _points_on_grid(point, axis, values, measured)])


def term_exponents(
    estimator: str,
    regime: str,
    axis: str,
    values: Sequence[float],
    point: dict[str, float],
    measured: dict[str, Sequence[float]] | None = None,
) -> tuple[float, float]:
    """Smallest and largest exponent along ``axis`` among the terms of the Table 1 rate, on the grid.

    The omitted constants re-weight the terms, so any slope in this bracket is compatible with Table 1
    for some constants; a measured slope outside it contradicts the rate whatever the constants.
    """
    rate = TABLE_1[(estimator, regime)]
    slopes = []
    for term in rate.terms:
        ys = [term(**p) for p in _points_on_grid(point, axis, values, measured)]
        if min(ys) <= 0:
            continue  # a term that vanishes (||delta||_1 = 0, say) has no exponent
        slopes.append(loglog_slope(values, ys))
    return min(slopes), max(slopes)
