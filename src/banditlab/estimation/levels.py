"""The level rows of the estimation study (``bound_check``): the explicit bounds, per grid point where they apply.

* Propositions 4-7 (Appendix B): mean over replicates of measured l1 error / explicit lower bound (claimed >= 1);
  control: the robust multitask estimator's error over the same bound (Algorithm 1 beats every one of them on the
  constructions, so the rule must find its ratio below 1).
* Theorem 1 and Corollaries 1-2 (upper bounds with a failure probability): exceedance rows on the theorem's own
  event, one instance per replicate (instance 0, or the data-poor target): its l1 error above its bound, counted
  over the replicates against the failure probability (exact binomial p-value, Clopper-Pearson interval; the
  instances of one replicate share the trimmed mean, so they are not independent draws). Columns ``paper_bound``
  and ``measured_value`` (the mean bound and the mean error) let the engine flag an uninformative bound. Control:
  the averaging multitask estimator's error against the same bound, on the same replicates.
* Lemma 1 (the ``lemma1_tail`` experiment): every draw's trimmed mean against Lemma 1's bound; control: the plain
  mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts as v
from . import premises
from .claims import COROLLARY1_LEVEL, COROLLARY2_LEVEL, LEMMA1_CLAIM, PROPOSITION_CLAIMS, THEOREM1_CLAIM

__all__ = ["level_rows"]

ROBUST, NO_TRIM = "robust_multitask", "averaging_multitask"


def _per_replicate(frame: pd.DataFrame, metric: str, instance: str | None = None) -> pd.Series:
    rows = frame[frame["metric"] == metric]
    if instance is not None:
        rows = rows[rows["instance"].astype(str) == instance]
    return rows.set_index("replicate")["error"].sort_index()


def _ratio_row(claim, label, measured, lower, extra, role_control=False, status=""):
    ratio = (measured / lower).dropna()
    make = v.control_row if role_control else v.measurement_row
    keyword = {} if role_control else {"premises": status}
    return make(
        claim,
        label,
        "measured l1 error / explicit lower bound",
        ratio.mean(),
        ratio.std(ddof=1) / np.sqrt(len(ratio)),
        len(ratio),
        1.0,
        np.inf,
        measured_l1=measured.mean(),
        measured_se=measured.std(ddof=1) / np.sqrt(len(measured)),
        paper_bound=lower.mean(),
        bound_type="lower_bound",
        **keyword,
        **extra,
    )


def _exceedance(claim, label, error, bound, failure, extra, role_control=False, status="", statistic=None) -> dict:
    paired = pd.concat([error, bound], axis=1, keys=["error", "bound"]).dropna()
    exceed = int((paired["error"] > paired["bound"]).sum())
    keyword = {"role": v.CONTROL_ROLE} if role_control else {"premises": status}
    return v.exceedance_row(
        claim,
        label,
        statistic or "share of replicates whose instance's l1 error is above its bound",
        exceed,
        len(paired),
        failure,
        note=f"failure probability {failure:.3g}",
        measured_value=paired["error"].mean(),
        measured_l1=paired["error"].mean(),
        paper_bound=paired["bound"].mean(),
        bound_type="upper_bound",
        **keyword,
        **extra,
    )


def _level_rows_of_point(point: pd.DataFrame, label: str) -> list[dict]:
    """Props. 4-7 (ratio rows) and Theorem 1, Corollaries 1-2 (exceedance rows) at one grid point of one study."""
    data_poor = point["regime"].iloc[0] == "data_poor"
    identity = point["design"].iloc[0] == "identity"
    mean_instance, own = ("target", "target") if data_poor else ("mean", "0")
    by_estimator = dict(tuple(point.groupby("estimator", sort=False)))
    extra = {
        "study": point["study"].iloc[0],
        "axis": point["axis"].iloc[0],
        "axis_value": point["axis_value"].iloc[0],
        "case": point["case"].iloc[0],
    }
    robust = by_estimator.get(ROBUST)
    untrimmed = by_estimator.get(NO_TRIM)
    rows = []
    for estimator, est in by_estimator.items():
        lower = _per_replicate(est, "lower_bound")
        if lower.empty or not identity or estimator not in PROPOSITION_CLAIMS:
            continue
        claim = PROPOSITION_CLAIMS[estimator]
        status = premises.table_status(claim, point)  # Prop. 7: the construction its proof needs
        mine = {"estimator": estimator, **extra}
        rows.append(_ratio_row(claim, label, _per_replicate(est, "l1", mean_instance), lower, mine, status=status))
        if robust is not None:
            theirs = {"estimator": ROBUST, **extra}
            measured = _per_replicate(robust, "l1", mean_instance)
            rows.append(_ratio_row(claim, f"{label} [{ROBUST}]", measured, lower, theirs, role_control=True))
    if robust is None:
        return rows
    error = _per_replicate(robust, "l1", own)
    mine = {"estimator": ROBUST, **extra}
    theirs = {"estimator": NO_TRIM, **extra}
    other_error = _per_replicate(untrimmed, "l1", own) if untrimmed is not None else None
    upper = _per_replicate(robust, "upper_bound")
    if not upper.empty:
        failure = float(_per_replicate(robust, "upper_bound_failure_probability").max())
        status = premises.table_status(THEOREM1_CLAIM, point)
        rows.append(_exceedance(THEOREM1_CLAIM, label, error, upper, failure, mine, status=status))
        at_trim = _per_replicate(untrimmed, "theorem1_at_trim") if untrimmed is not None else pd.Series(dtype=float)
        if not at_trim.empty:
            failure = float(_per_replicate(untrimmed, "theorem1_at_trim_failure_probability").max())
            rows.append(
                _exceedance(THEOREM1_CLAIM, f"{label} [{NO_TRIM}]", other_error, at_trim, failure, theirs, True)
            )
    corollary = _per_replicate(robust, "corollary_bound")
    if not corollary.empty:
        claim = COROLLARY2_LEVEL if data_poor else COROLLARY1_LEVEL
        failure = float(_per_replicate(robust, "corollary_failure_probability").max())
        status = premises.table_status(claim, point)
        rows.append(_exceedance(claim, label, error, corollary, failure, mine, status=status))
        if other_error is not None:
            rows.append(_exceedance(claim, f"{label} [{NO_TRIM}]", other_error, corollary, failure, theirs, True))
    return rows


def _lemma1_rows(point: pd.DataFrame, label: str) -> list[dict]:
    """Lemma 1 at one point: the trimmed mean's draws at or above the bound (claim), the plain mean's (control)."""
    rows = []
    status = premises.table_status(LEMMA1_CLAIM, point)
    for estimator, role_control in (("trimmed_mean", False), ("mean", True)):
        est = point[point["estimator"] == estimator]
        if est.empty:
            continue

        def total(metric, est=est):
            return float(est.loc[est["metric"] == metric, "error"].sum())

        def mean(metric, est=est):
            return float(est.loc[est["metric"] == metric, "error"].mean())

        keyword = {"role": v.CONTROL_ROLE} if role_control else {"premises": status}
        rows.append(
            v.exceedance_row(
                LEMMA1_CLAIM,
                label if not role_control else f"{label} [{estimator}]",
                "share of draws with |mu_hat - mu| at or above the bound",
                int(total("lemma1_exceed")),
                int(total("lemma1_draws")),
                mean("lemma1_failure_probability"),
                note=f"failure probability {mean('lemma1_failure_probability'):.3g}",
                measured_value=mean("error_mean"),
                paper_bound=mean("lemma1_bound"),
                bound_type="upper_bound",
                estimator=estimator,
                study=point["study"].iloc[0],
                axis=point["axis"].iloc[0],
                axis_value=point["axis_value"].iloc[0],
                **keyword,
            )
        )
    return rows


_VACUOUS_FILTERED = (THEOREM1_CLAIM.claim_id, COROLLARY1_LEVEL.claim_id, COROLLARY2_LEVEL.claim_id)


def level_rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (explicit-bound claim, grid point where it applies), with its control rows; the vacuous rows of
    Theorem 1 and Corollaries 1-2 (failure probability >= 1) are kept only when no row of that claim is
    non-vacuous."""
    metrics = {"lower_bound", "upper_bound", "corollary_bound", "lemma1_exceed"}
    bounded = table["study"].isin(table.loc[table["metric"].isin(metrics), "study"].unique())
    rows: list[dict] = []
    for (study, axis_value), point in table[bounded].groupby(["study", "axis_value"], sort=False):
        label = f"{study} ({point['case'].iloc[0]}): {point['axis'].iloc[0]}={axis_value}"
        if (point["metric"] == "lemma1_exceed").any():
            rows += _lemma1_rows(point, label)
        else:
            rows += _level_rows_of_point(point, label)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    vacuous = frame["vacuous"].eq(True) if "vacuous" in frame else pd.Series(False, index=frame.index)
    claim_rows = frame["role"] == v.CLAIM_ROLE
    for claim_id in _VACUOUS_FILTERED:
        mine = frame["claim_id"] == claim_id
        if (mine & claim_rows & ~vacuous).any():
            keep &= ~(mine & vacuous)
    return frame[keep].reset_index(drop=True)
