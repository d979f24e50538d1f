"""Lemma 1 (line 323), the trimmed mean's tail, measured on its own event: one replicate of a point.

Lemma 1: for constants zeta, eta, c > 0 with eta < 1/2 - c - zeta, N samples of which fewer than N zeta (the set
J) are arbitrary and the others independent sigma-subgaussian with a common mean mu, the trimmed mean with
omega = zeta + eta satisfies ``P[|mu_hat - mu| >= max sigma_j / c (3 zeta + 4 eta) sqrt(log(3/eta))] <=
3 exp(-N eta^2/9)``.

:func:`run_lemma1` draws ``draws`` independent sets of N samples: N(0, sigma^2) for the uncorrupted ones, and the
largest corruption Lemma 1 allows, ``ceil(N zeta) - 1`` samples, all at ``1e6 sigma`` (one-sided, the worst case
for a trimmed mean), with c at its largest value ``1/2 - zeta - eta`` (the smallest bound). It records, for the
trimmed mean and for the plain mean on the same samples (the negative control: no trim), how many of the draws
reach the bound, the mean error and the bound with its failure probability. Its rows have the estimation
study's format (estimator ``trimmed_mean`` or ``mean``, instance ``all``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..estimators import trimmed_mean
from . import theory

__all__ = ["CORRUPTION", "LEMMA1_KEYS", "lemma1_setting", "run_lemma1"]

CORRUPTION = 1e6
"""Where the corrupted samples sit, in units of sigma (far above every uncorrupted one)."""
LEMMA1_KEYS = ("corrupted_fraction", "lemma1_eta", "draws")
"""An experiment's keys that set Lemma 1's point (each is also a column of its table)."""


def lemma1_setting(n_instances: int, zeta: float, eta: float) -> dict[str, float]:
    """The corrupted count, the trim, c and the bound's constants at one point (``c = 1/2 - zeta - eta``, taken a
    hair smaller so that Lemma 1's strict ``eta < 1/2 - c - zeta`` holds)."""
    c = (0.5 - zeta - eta) * (1 - 1e-9)
    return {
        "corrupted": max(math.ceil(n_instances * zeta) - 1, 0),
        "omega": zeta + eta,
        "c": c,
        "failure_probability": theory.lemma1_failure_probability(n_instances, eta),
    }


def run_lemma1(point: Mapping[str, Any], replicate) -> list[tuple]:
    """(replicate, seed, estimator, instance, metric, value) rows of one replicate of one Lemma 1 point."""
    N, sigma = int(point["n_instances"]), float(point["noise_sd"])
    zeta, eta, draws = float(point["corrupted_fraction"]), float(point["lemma1_eta"]), int(point["draws"])
    if not (zeta > 0 and eta > 0 and zeta + eta < 0.5):
        raise ValueError(f"Lemma 1 needs zeta, eta > 0 and zeta + eta < 1/2, got zeta={zeta}, eta={eta}")
    setting = lemma1_setting(N, zeta, eta)
    bound = theory.lemma1_bound(sigma, zeta, eta, setting["c"])
    samples = replicate.rng.normal(0.0, sigma, size=(N, draws))
    samples[: setting["corrupted"]] = CORRUPTION * sigma
    estimates = {"trimmed_mean": trimmed_mean(samples, setting["omega"]), "mean": samples.mean(axis=0)}
    rows = []
    for name, estimate in estimates.items():
        error = np.abs(estimate)
        values = {
            "lemma1_exceed": float((error >= bound).sum()),
            "lemma1_draws": float(draws),
            "error_mean": float(error.mean()),
            "lemma1_bound": float(bound),
            "lemma1_failure_probability": float(setting["failure_probability"]),
        }
        rows += [(replicate.index, replicate.seed, name, "all", metric, value) for metric, value in values.items()]
    return rows
