"""What the runner measures from the truth about a finished policy: Proposition 2's event A, per replicate.

RMBandit (and every variant with its filter: the averaging multitask, pooled and median bandits) records the set
its forced-sample filter kept at every arrival (:attr:`~banditlab.bandits.rmbandit.RMBandit.filter_kept_`, from
its own estimates only). The runner, which owns the truth, compares it with the optimal arms:

* :func:`filter_exclusion`: the share of arrivals after the forced-sampling batch ``B_0`` at which the filter
  dropped the optimal arm. Event A (eq. (7), line 524: every forced-sample estimator within ``h/(4 x_max)`` in l1)
  implies that the filter never drops an arm that is optimal (its forced score is then within ``h/2`` of the
  best), so a positive share means A failed in that replicate, and its mean over replicates is at most
  ``P[A fails] <= 10 K N / T`` (Lemma 11, line 1233). This is the premise of the regret claims
  (:mod:`banditlab.bandits.premises`).
* :func:`forced_error_ratio`: event A itself, ``max_{j,k} ||beta_hat_k^j(B_0) - beta_k^j||_1 / (h / (4 x_max))``
  (A holds when it is at most 1), and the same for one instance and arm (Proposition 2's per-estimator event).

Policies without a forced-sample filter (the independent bandits, greedy, the oracle, a user's policy) give NaN.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FILTER_COLUMNS", "filter_exclusion", "forced_error_ratio", "filter_columns"]

FILTER_COLUMNS = ("filter_exclusion", "forced_error_ratio", "forced_error_ratio_00")
"""The per-replicate columns :func:`filter_columns` adds to a policy's rows."""


def filter_exclusion(policy, stream, instances=None) -> float:
    """Share of the arrivals after ``B_0`` (at ``instances`` only, if given) at which ``policy``'s forced-sample
    filter dropped the optimal arm; NaN for a policy without the filter or with no arrival after ``B_0``."""
    kept = getattr(policy, "filter_kept_", None)
    if kept is None:
        return float("nan")
    after = np.arange(stream.T) >= int(policy.b0_)
    if instances is not None:
        after &= np.isin(stream.Z, instances)
    if not after.any():
        return float("nan")
    rows = np.flatnonzero(after)
    return float(np.mean(~kept[rows, stream.optimal_arms()[rows]]))


def forced_error_ratio(policy, problem) -> tuple[float, float]:
    """Event A's ratio ``max_{j,k} ||beta_hat_k^j(B_0) - beta_k^j||_1 4 x_max / h`` (A holds when <= 1), and the
    same for instance 0 and arm 0 (Proposition 2's event for one estimator); NaN without a forced-sample fit."""
    coef = getattr(policy, "forced_coef_", None)
    if getattr(policy, "filter_kept_", None) is None or coef is None:
        return float("nan"), float("nan")
    errors = np.abs(np.asarray(coef) - problem.betas).sum(axis=2)  # (N, K)
    allowed = float(policy.hp_.h) / (4 * problem.x_max)
    return float(errors.max() / allowed), float(errors[0, 0] / allowed)


def filter_columns(policy, problem, stream, instances=None) -> dict[str, float]:
    """:data:`FILTER_COLUMNS` of one finished policy run (NaN for a policy without the filter)."""
    ratio, ratio_00 = forced_error_ratio(policy, problem)
    return {
        "filter_exclusion": filter_exclusion(policy, stream, instances),
        "forced_error_ratio": ratio,
        "forced_error_ratio_00": ratio_00,
    }
