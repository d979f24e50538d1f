"""Synthetic multi-instance linear models of Section 3 (standard, data-poor, lower-bound designs).

Instance j has parameters ``beta_j = beta_dagger + delta_j`` with a dense shared ``beta_dagger`` and an
s-sparse deviation ``delta_j`` (Section 2.1), covariates from a per-instance distribution, and Gaussian
noise with standard deviation ``sigma_j``. Every draw comes from the ``numpy.random.Generator``
passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SUPPORTS = ("random", "aligned", "partial", "disjoint")
DESIGNS = ("uniform", "gaussian", "identity")


@dataclass(frozen=True)
class MultitaskData:
    """A drawn problem: data of N instances and the truth that generated it."""

    Xs: list[np.ndarray]
    ys: list[np.ndarray]
    betas: np.ndarray  # (N, d) true beta_j
    shared: np.ndarray  # (d,) beta_dagger
    deltas: np.ndarray  # (N, d) beta_j - beta_dagger, s-sparse rows
    noise_sds: np.ndarray  # (N,)
    n_obs: np.ndarray  # (N,) n_j
    x_max: float  # the bound of Assumption 1 for this design (sup-norm of the covariates)
    target: int | None  # the data-poor instance, if any

    @property
    def n_instances(self) -> int:
        return len(self.Xs)

    @property
    def dim(self) -> int:
        return self.betas.shape[1]


def _check_positive_int(value: int, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def draw_supports(n_instances: int, dim: int, sparsity: int, support: str, rng: np.random.Generator) -> np.ndarray:
    """Boolean (N, d) mask of the deviations' supports.

    ``random``: each instance its own uniformly random s-subset; ``aligned``: one random s-subset shared
    by all instances; ``partial``: a random ceil(s/2)-subset shared by all instances plus floor(s/2)
    coordinates of each instance's own (well-aligned components the trimmed mean cannot remove, beside
    poorly-aligned ones); ``disjoint``: pairwise disjoint s-subsets (the poorly-aligned extreme and the
    construction of Proposition 7), which needs ``N s <= d``.
    """
    if support not in SUPPORTS:
        raise ValueError(f"support must be one of {SUPPORTS}, got {support!r}")
    mask = np.zeros((n_instances, dim), dtype=bool)
    if sparsity == 0:
        return mask
    if support == "aligned":
        mask[:, rng.choice(dim, size=sparsity, replace=False)] = True
    elif support == "partial":
        shared = (sparsity + 1) // 2
        order = rng.permutation(dim)
        mask[:, order[:shared]] = True
        rest = order[shared:]
        for j in range(n_instances):
            mask[j, rng.choice(rest, size=sparsity - shared, replace=False)] = True
    elif support == "random":
        for j in range(n_instances):
            mask[j, rng.choice(dim, size=sparsity, replace=False)] = True
    else:
        if n_instances * sparsity > dim:
            raise ValueError(f"support='disjoint' needs N*s <= d, got N={n_instances}, s={sparsity}, d={dim}")
        order = rng.permutation(dim)
        for j in range(n_instances):
            mask[j, order[j * sparsity : (j + 1) * sparsity]] = True
    return mask


def draw_design(n_obs: int, dim: int, design: str, feature_scale: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Covariates of one instance, shape (n_obs, dim).

    ``uniform``: i.i.d. Uniform(-1, 1) entries times ``feature_scale`` (bounded: x_max = 1);
    ``gaussian``: i.i.d. N(0, 1) times ``feature_scale``; ``identity``: the design of Appendix B with
    ``X'X / n = I`` exactly (``sqrt(n)`` times orthonormal columns; needs ``n >= d``).
    """
    if design == "uniform":
        return rng.uniform(-1.0, 1.0, size=(n_obs, dim)) * feature_scale
    if design == "gaussian":
        return rng.standard_normal((n_obs, dim)) * feature_scale
    if design == "identity":
        if n_obs < dim:
            raise ValueError(f"design='identity' (Sigma-hat = I) needs n_j >= d, got n_j={n_obs}, d={dim}")
        q, r = np.linalg.qr(rng.standard_normal((n_obs, dim)))
        return np.sqrt(n_obs) * q * np.sign(np.diag(r))
    raise ValueError(f"design must be one of {DESIGNS}, got {design!r}")


def make_instances(
    n_instances: int,
    dim: int,
    sparsity: int,
    n_per_instance: int,
    rng: np.random.Generator,
    *,
    noise_sd: float | np.ndarray = 1.0,
    deviation_size: float = 1.0,
    shared_scale: float = 1.0,
    support: str = "random",
    design: str = "uniform",
    covariate_shift: float = 0.0,
    target: int | None = None,
    n_target: int | None = None,
) -> MultitaskData:
    """Draw N instances of the model of Section 3.

    Parameters
    ----------
    n_instances, dim, sparsity, n_per_instance : int
        N, d, s (``0 <= s <= d``) and n_j of every instance but the data-poor target.
    rng : numpy.random.Generator
        The only source of randomness.
    noise_sd : float or array (N,)
        sigma_j of the Gaussian noise.
    deviation_size : float
        Magnitude of every non-zero of ``delta_j`` (random sign), so ``||delta_j||_1 = s * size``.
    shared_scale : float
        ``beta_dagger`` has i.i.d. Uniform(-shared_scale, shared_scale) entries (dense).
    support : {"random", "aligned", "disjoint"}
        See :func:`draw_supports`.
    design : {"uniform", "gaussian", "identity"}
        See :func:`draw_design`; ``identity`` with Gaussian noise is the lower-bound design of
        Propositions 4-7.
    covariate_shift : float in [0, 1)
        Per-instance covariate distributions: instance j's features are scaled by factors drawn
        from Uniform(1 - covariate_shift, 1) (0: identical distributions).
    target, n_target : int, optional
        Data-poor regime (Section 3.5): instance ``target`` gets ``n_target`` observations.
    """
    n_instances = _check_positive_int(n_instances, "n_instances")
    dim = _check_positive_int(dim, "dim")
    sparsity = _check_positive_int(sparsity, "sparsity", minimum=0)
    n_per_instance = _check_positive_int(n_per_instance, "n_per_instance")
    if sparsity > dim:
        raise ValueError(f"sparsity s must satisfy 0 <= s <= d, got s={sparsity} > d={dim}")
    if not 0 <= covariate_shift < 1:
        raise ValueError(f"covariate_shift must be in [0, 1), got {covariate_shift}")
    if not (np.isfinite(deviation_size) and deviation_size >= 0):
        raise ValueError(f"deviation_size must be >= 0, got {deviation_size}")
    if not (np.isfinite(shared_scale) and shared_scale >= 0):
        raise ValueError(f"shared_scale must be >= 0, got {shared_scale}")
    noise_sds = np.broadcast_to(np.asarray(noise_sd, dtype=float), (n_instances,)).copy()
    if not (np.isfinite(noise_sds).all() and (noise_sds >= 0).all()):
        raise ValueError(f"noise_sd must be >= 0 (scalar or one per instance), got {noise_sd}")
    n_obs = np.full(n_instances, n_per_instance)
    if (target is None) != (n_target is None):
        raise ValueError("the data-poor regime needs both target and n_target")
    if target is not None:
        if not 0 <= target < n_instances:
            raise ValueError(f"target must be in [0, {n_instances - 1}], got {target}")
        n_obs[target] = _check_positive_int(n_target, "n_target")

    shared = rng.uniform(-shared_scale, shared_scale, size=dim)
    mask = draw_supports(n_instances, dim, sparsity, support, rng)
    signs = rng.choice([-1.0, 1.0], size=(n_instances, dim))
    deltas = np.where(mask, deviation_size * signs, 0.0)
    betas = shared + deltas
    scales = (
        rng.uniform(1.0 - covariate_shift, 1.0, size=(n_instances, dim))
        if covariate_shift > 0
        else np.ones((n_instances, dim))
    )
    Xs, ys = [], []
    for j in range(n_instances):
        X = draw_design(int(n_obs[j]), dim, design, scales[j], rng)
        Xs.append(X)
        ys.append(X @ betas[j] + noise_sds[j] * rng.standard_normal(int(n_obs[j])))
    x_max = float(max(np.abs(X).max() for X in Xs)) if design != "uniform" else 1.0
    return MultitaskData(Xs, ys, betas, shared, deltas, noise_sds, n_obs, x_max, target)
