"""The paper's explicit bounds at one replicate of an estimation point (metric rows of the results tables).

:func:`paper_bounds` gives, per estimator, the bounds of Appendix B (Propositions 4-7), Theorem 1 and Corollaries 1-2
computed from the drawn truth and data (``bounds: true`` experiments); :mod:`.rows` turns them into level rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..estimators import ESTIMATORS
from . import theory
from .simulate import MultitaskData

__all__ = ["corollary_bound", "paper_bounds", "theorem1_at_trim"]


def theorem1_at_trim(model, data: MultitaskData, sparsity: int, omega: float, psi: float, x_max: float) -> dict:
    """Theorem 1's bound (mean over the instances of interest) and failure probability with ``omega`` split as
    zeta = eta = omega/2 and c = 1/2 - omega, at ``model``'s lambdas; empty when omega is not in (0, 1/2)."""
    if not 0 < omega < 0.5:
        return {}
    n_instances, dim = data.betas.shape
    targets = [data.target] if data.target is not None else list(range(n_instances))
    zeta = eta = omega / 2
    c = 0.5 - omega
    used = [i for i in range(n_instances) if i != data.target]
    sds, ns = data.noise_sds, data.n_obs
    upper = theory.theorem1_bound(model.lam_[targets], sparsity, zeta, psi, dim, c, eta, sds[used], ns[used])
    failure = [
        theory.theorem1_failure_probability(dim, len(used), eta, model.lam_[j], ns[j], sds[j], x_max) for j in targets
    ]
    return {"bound": float(np.mean(upper)), "failure_probability": float(np.max(failure))}


def corollary_bound(
    data: MultitaskData, sparsity: int, omega: float, psi: float, confidence: float
) -> dict[str, float]:
    """Corollary 1's bound (standard regime, line 337) or Corollary 2's (data-poor, line 353) for the first instance
    of interest (instance 0, or the data-poor target), with the largest c the trim ``omega`` allows (c = 1/2 -
    omega: the smallest 3/c and 12/c), and the probability it is exceeded: the corollary's delta (``confidence``)
    where the trim leaves Lemma 1 room for it, else the smallest delta the trim allows (Corollary 1:
    ``6d exp(-N (omega - sqrt(s/d))^2/9)``), capped at 1 (vacuous: Corollary 1 with omega <= sqrt(s/d), Corollary 2
    with omega below the proof's eta). Empty when omega >= 1/2."""
    c = 0.5 - omega
    if c <= 0:
        return {}
    n_instances, dim = data.betas.shape
    j = data.target if data.target is not None else 0
    others = [i for i in range(n_instances) if i != data.target]
    sds, ns = data.noise_sds, data.n_obs
    args = (sparsity, dim, n_instances, float(ns[j]), float(sds[j]), data.x_max, psi, c, confidence)
    if data.target is None:
        bound = theory.corollary1_bound(*args, sds, ns)
        zeta = math.sqrt(sparsity / dim)
        smallest = 6 * dim * math.exp(-n_instances * (omega - zeta) ** 2 / 9) if omega > zeta else 1.0
    else:
        bound = theory.corollary2_bound(*args, sds[others], ns[others])
        smallest = confidence if omega > theory.eta_proof(n_instances, dim, confidence) else 1.0
    return {"bound": float(bound), "failure_probability": float(min(max(confidence, smallest), 1.0))}


def paper_bounds(
    name: str,
    model,
    data: MultitaskData,
    point: Mapping[str, Any],
    confidence: float,
    psi: float,
) -> dict[str, float]:
    """The paper's explicit bound on E||beta_hat_j - beta_j||_1 for this estimator, averaged over instances j.

    ``psi`` is the smallest eigenvalue of the instances' sample covariances
    (:func:`banditlab.estimation.experiments.smallest_eigenvalue`).

    * ``lower_bound``: Propositions 4 (independent OLS), 5 (averaging), 6 (pooling) and 7 (averaging
      multitask; its construction needs lambda = Corollary 1's lambda with delta = C = ``confidence`` and
      deviations of at least :func:`banditlab.estimation.theory.proposition7_min_deviation`: as printed in
      ``lower_bound_applies``, as the proof needs in ``lower_bound_applies_corrected``). They assume
      Sigma-hat = I and Gaussian noise (``design: identity``).
    * ``upper_bound`` and ``upper_bound_failure_probability``: Theorem 1 for the robust estimator with
      omega = the trimming used, split as zeta = eta = omega/2 and c = 1/2 - omega, psi the smallest
      eigenvalue of the instances' sample covariances, x_max the design's bound.
    * ``corollary_bound`` and ``corollary_failure_probability``: Corollary 1 or 2 for the robust estimator
      (:func:`corollary_bound`; the bound of instance 0, or of the data-poor target).
    * ``theorem1_at_trim`` and ``theorem1_at_trim_failure_probability``: Theorem 1's bound at the robust
      estimator's trim, evaluated for the averaging multitask estimator (its lambdas; Theorem 1's negative
      control: the estimator without the trim has no such guarantee).
    """
    if name not in ESTIMATORS:
        return {}  # no bound of the paper for an estimator beyond it
    n_instances, dim = data.betas.shape
    sparsity = int(point["sparsity"])
    data_poor = data.target is not None
    targets = [data.target] if data_poor else range(n_instances)
    sds, ns = data.noise_sds, data.n_obs
    if name == "independent_ols":
        return {"lower_bound": float(np.mean([theory.proposition4_lower(dim, sds[j], ns[j]) for j in targets]))}
    if name == "averaging":
        return {
            "lower_bound": float(
                np.mean([theory.proposition5_lower(data.deltas, j, sds, ns, data_poor) for j in targets])
            )
        }
    if name == "pooling":
        return {
            "lower_bound": float(
                np.mean([theory.proposition6_lower(data.deltas, j, sds, ns, data_poor) for j in targets])
            )
        }
    omega = theory.resolve_trim(point["trim_fraction"], sparsity, dim, n_instances, confidence)
    if name == "averaging_multitask":
        values = [
            theory.proposition7_lower(n_instances, sparsity, dim, j, sds, ns, data.x_max, confidence) for j in targets
        ]
        construction = float(point["lam_multiplier"]) == 1.0 and point["support"] == "disjoint"
        size = float(point["deviation_size"])
        printed, corrected = (
            max(
                theory.proposition7_min_deviation(n_instances, j, sds, ns, dim, data.x_max, confidence, every)
                for j in targets
            )
            for every in (False, True)
        )
        out = {
            "lower_bound": float(np.mean(values)),
            "lower_bound_applies": float(construction and size >= printed),
            "lower_bound_applies_corrected": float(construction and size >= corrected),
        }
        at_trim = theorem1_at_trim(model, data, sparsity, omega, psi, data.x_max)
        return out | {f"theorem1_at_trim{'' if key == 'bound' else '_' + key}": v for key, v in at_trim.items()}
    omega = model.trim_fraction_ if name == "robust_multitask" else 0.0
    if omega <= 0:
        return {}  # no explicit bound for this estimator (or Theorem 1 with no trimming)
    out = {}
    upper = theorem1_at_trim(model, data, sparsity, omega, psi, data.x_max)
    if upper:
        out = {"upper_bound": upper["bound"], "upper_bound_failure_probability": upper["failure_probability"]}
    corollary = corollary_bound(data, sparsity, omega, psi, confidence)
    return out | {f"corollary_{key}" if key != "bound" else "corollary_bound": v for key, v in corollary.items()}
