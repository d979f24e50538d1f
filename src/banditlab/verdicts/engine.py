"""The verdict engine of :mod:`banditlab.verdicts`: a row's p-value and interval, its verdict, Holm's correction
over a claim's rows, the premises gate and the negative control, and the check tables' Markdown."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import special

from .model import (
    _OPEN_KINDS,
    _SIDE_KINDS,
    CLAIM_COLUMNS,
    CLAIM_ROLE,
    CONTROL_ROLE,
    FAILS,
    FAMILY_LEVEL,
    HOLDS,
    LEVEL,
    NO_READING,
    NONE_DECLARED,
    NOT_CHECKED,
    NOT_TESTABLE,
    OUTSIDE_PREMISES,
    PREMISES_MET,
    ROW_COLUMNS,
    UNINFORMATIVE_FACTOR,
    VERDICT_COLUMNS,
    Z95,
    Claim,
    _flag,
    _fmt,
    _is_exceedance,
    _number,
    _premise_state,
    _text,
    degenerate_reason,
    plural,
    premises_of,
    region_text,
)


def clopper_pearson(exceed: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact two-sided Clopper-Pearson interval of a binomial proportion.

    Examples
    --------
    >>> low, high = clopper_pearson(0, 40)
    >>> low, round(high, 4)
    (0.0, 0.0881)
    """
    alpha = 1 - level
    low = 0.0 if exceed == 0 else float(special.betaincinv(exceed, n - exceed + 1, alpha / 2))
    high = 1.0 if exceed == n else float(special.betaincinv(exceed + 1, n - exceed, 1 - alpha / 2))
    return low, high


def p_outside(estimate: float, se: float, low: float, high: float, open_region: bool = False) -> float:
    """p-value of "the true value lies in [low, high]" (normal approximation).

    ``2 (1 - Phi(d/se))`` (at most 1) with ``d`` the signed distance from ``estimate`` to the interval
    (positive outside): one row is rejected at level 0.05 exactly when its 95% interval lies entirely
    outside the region. With ``se = 0`` (an exact computation) it is 0 outside and 1 inside; with
    ``open_region`` (the claimed side of a comparison or trend excludes 0) an exact estimate on the edge
    counts as outside.
    """
    distance = max(estimate - high, low - estimate)
    if se == 0:
        return 0.0 if distance > 0 or (open_region and distance == 0) else 1.0
    return float(min(1.0, 2 * special.ndtr(-distance / se)))  # 2 (1 - Phi(d/se))


def p_exceedance(exceed: int, n: int, failure_probability: float) -> float:
    """``P[Binom(n, p_f) >= exceed]``: p-value of "the exceedance rate is at most p_f"."""
    if failure_probability >= 1:
        return 1.0
    if exceed <= 0:
        return 1.0
    return float(special.betainc(exceed, n - exceed + 1, failure_probability))  # the binomial tail, exactly


def holm(p_values: Iterable[float], level: float = FAMILY_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Holm's step-down adjusted p-values and rejections (NaN p-values are never rejected).

    Examples
    --------
    >>> adjusted, rejected = holm([0.01, 0.04, 0.03])
    >>> adjusted.round(2).tolist(), rejected.tolist()
    ([0.03, 0.06, 0.06], [True, False, False])
    """
    p = np.asarray(list(p_values), dtype=float)
    adjusted = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    m = finite.size
    if m:
        order = finite[np.argsort(p[finite], kind="stable")]
        running = 0.0
        for rank, index in enumerate(order):
            running = max(running, min(1.0, (m - rank) * p[index]))
            adjusted[index] = running
    rejected = np.isfinite(adjusted) & (adjusted <= level)
    return adjusted, rejected


# ---------------------------------------------------------------------------------------- one row's verdict


def _row_verdict(kind: str, row: Mapping, rejected: bool, family: bool = True) -> tuple[str, str]:
    """The verdict of one row from its measurement alone (premises are applied by :func:`evaluate`); ``family``:
    ``rejected`` comes from Holm over the claim's rows (else from the row's own p-value)."""
    estimate, se, low, high = row["estimate"], row["se"], row["claimed_low"], row["claimed_high"]
    lo, hi = row["ci_low"], row["ci_high"]
    open_region = kind in _OPEN_KINDS
    measured = f"{_fmt(estimate)} [{_fmt(lo)}, {_fmt(hi)}] vs claimed {region_text(low, high, open_region)}"
    if not (np.isfinite(estimate) and np.isfinite(se)) or se < 0:
        return NOT_TESTABLE, f"no measurement ({row.get('note', 'estimate or its error undefined')})"
    degenerate = degenerate_reason(row)
    if degenerate:
        return NOT_TESTABLE, f"{measured}: {degenerate}"
    if _flag(row, "vacuous"):
        return NOT_TESTABLE, f"{measured}: the bound is vacuous here ({row.get('note', '')})"
    if _is_identity(kind, row):
        return NOT_TESTABLE, (
            f"{measured}: identity (estimate exactly 0 with standard error 0: the compared quantities are "
            "identical on every draw), not a statistical result"
        )
    if rejected:
        if not family:
            return FAILS, f"{measured}, rejected at level {FAMILY_LEVEL} on its own (p = {row['p_fail']:.2g})"
        return FAILS, f"{measured}, rejected at family level {FAMILY_LEVEL} (Holm p = {row['p_holm']:.2g})"
    bound, value = _number(row, "paper_bound"), _number(row, "measured_value")
    if kind == LEVEL and bound > 0 and value > 0 and bound > UNINFORMATIVE_FACTOR * value:
        return NOT_TESTABLE, (
            f"{measured}: uninformative, the bound ({_fmt(bound)}) is {bound / value:.3g}x the measured value "
            f"({_fmt(value)}): a bound {UNINFORMATIVE_FACTOR:g}x too large would pass as well"
        )
    if kind in _SIDE_KINDS:
        inside = (low < lo and hi < high) if open_region else (low <= lo and hi <= high)
        if inside:
            return HOLDS, f"{measured}: the 95% interval lies in the claimed region"
        return NOT_TESTABLE, f"{measured}: too little power (the 95% interval straddles the region's edge)"
    resolution = float(row["resolution"])
    if _is_exceedance(row):
        resolution *= float(row["failure_probability"])
    if not low <= estimate <= high:
        return NOT_TESTABLE, f"{measured}: estimate past the bound, not rejected"
    below, above = (low - lo if np.isfinite(low) else -np.inf), (hi - high if np.isfinite(high) else -np.inf)
    reach = max(below, above)
    if reach <= resolution:
        return HOLDS, f"{measured}: inside, the interval's far edge within the resolution {_fmt(resolution)}"
    margin = min(estimate - low, high - estimate)
    wanted = resolution + margin
    factor = math.ceil(((reach + margin) / wanted) ** 2) if wanted > 0 else math.inf
    return NOT_TESTABLE, (
        f"{measured}: too little power, the interval reaches {_fmt(reach)} past the region, more than the "
        f"resolution {_fmt(resolution)} (about {factor}x the replicates would reach it)"
    )


def _is_identity(kind: str, row: Mapping) -> bool:
    """A difference or effect of exactly 0 with standard error 0: the compared quantities are identical."""
    return kind in _SIDE_KINDS and row["estimate"] == 0 and row["se"] == 0


def _p_fail(row: Mapping, kind: str) -> float:
    """The row's p-value; NaN (never rejected, not counted by Holm) for a row that cannot decide: no measurement,
    a vacuous bound, an identity (exact zeros with se = 0 are no evidence against a claim) or a degenerate row."""
    estimate, se = row["estimate"], row["se"]
    if not (np.isfinite(estimate) and np.isfinite(se)) or se < 0 or _flag(row, "vacuous"):
        return np.nan
    if _is_identity(kind, row) or degenerate_reason(row):
        return np.nan
    if _is_exceedance(row):
        return p_exceedance(int(row["exceed"]), int(row["n"]), float(row["failure_probability"]))
    return p_outside(estimate, se, row["claimed_low"], row["claimed_high"], kind in _OPEN_KINDS)


def _intervals(out: pd.DataFrame) -> None:
    se = out["se"].astype(float)
    out["ci_low"] = out["estimate"] - Z95 * se
    out["ci_high"] = out["estimate"] + Z95 * se
    for index, row in out.iterrows():
        if _is_exceedance(row):
            out.loc[index, ["ci_low", "ci_high"]] = clopper_pearson(int(row["exceed"]), int(row["n"]))
    out["half_width"] = (out["ci_high"] - out["ci_low"]) / 2


# ---------------------------------------------------------------------------------------------- the engine


def evaluate(rows: pd.DataFrame, claims: Iterable[Claim]) -> pd.DataFrame:
    """Add the row verdicts and the claim verdict (columns :data:`VERDICT_COLUMNS` and :data:`CLAIM_COLUMNS`).

    ``rows`` holds :data:`ROW_COLUMNS` (optional columns: see there). Every row must belong to a claim of
    ``claims``. With a ``reading`` column a claim is decided once per reading (its own Holm family, premises and
    control), and the reason starts with the reading.
    """
    by_id = {claim.claim_id: claim for claim in claims}
    if rows.empty:
        return pd.DataFrame(columns=[*ROW_COLUMNS, *VERDICT_COLUMNS, *CLAIM_COLUMNS])
    missing = [column for column in ROW_COLUMNS if column not in rows.columns]
    if missing:
        raise ValueError(f"measurement rows lack columns {missing}")
    unknown = sorted(set(rows["claim_id"]) - set(by_id))
    if unknown:
        raise ValueError(f"measurement rows of unknown claims {unknown}")
    out = rows.copy().reset_index(drop=True)
    out["role"] = out["role"].fillna(CLAIM_ROLE) if "role" in out else CLAIM_ROLE
    bad_roles = set(out["role"]) - {CLAIM_ROLE, CONTROL_ROLE}
    if bad_roles:
        raise ValueError(f"role must be {CLAIM_ROLE!r} or {CONTROL_ROLE!r}, got {sorted(bad_roles)}")
    premises = out["premises"] if "premises" in out else pd.Series("", index=out.index)
    out["premises"] = premises.fillna("").astype(str)
    _intervals(out)
    out["claimed"] = [
        region_text(row.claimed_low, row.claimed_high, by_id[row.claim_id].kind in _OPEN_KINDS)
        for row in out.itertuples(index=False)
    ]
    out["p_fail"] = [_p_fail(row, by_id[row["claim_id"]].kind) for row in out.to_dict("records")]
    for column in ("p_holm",):
        out[column] = np.nan
    for column in ("row_verdict", "row_reason", *CLAIM_COLUMNS):
        out[column] = ""
    by_reading = "reading" in out
    if by_reading:
        out["reading"] = [_text(row, "reading") or NO_READING for row in out.to_dict("records")]
    keys = ["claim_id", "reading"] if by_reading else ["claim_id"]
    for key, group in out.groupby(keys, sort=False):
        claim_id, reading = (key[0], key[1]) if by_reading else (key[0] if isinstance(key, tuple) else key, "")
        claim = by_id[claim_id]
        claim_index = group.index[group["role"] == CLAIM_ROLE]
        control_index = group.index[group["role"] == CONTROL_ROLE]
        for index in claim_index:
            if not out.at[index, "premises"]:
                out.at[index, "premises"] = premises_of(claim, out.loc[index].to_dict())
        for index in control_index:
            out.at[index, "premises"] = out.at[index, "premises"] or "control (no premises gate)"
        states = {index: _premise_state(out.at[index, "premises"]) for index in claim_index}
        inside = [index for index in claim_index if states[index] == "met"]
        _decide_rows(out, claim, inside, family=True)
        _decide_outside(out, claim, [index for index in claim_index if states[index] != "met"], states)
        _decide_rows(out, claim, list(control_index), family=True)
        verdict, reason = claim_verdict(claim, out.loc[claim_index], states)
        control_text, verdict, reason = _apply_control(
            claim, out.loc[claim_index], out.loc[control_index], verdict, reason
        )
        summary = premises_summary(claim, out.loc[claim_index])
        if reading and reading != NO_READING:
            reason = f"under reading {reading}: {reason}"
        out.loc[group.index, CLAIM_COLUMNS] = [verdict, reason, summary, control_text]
    return out


def _decide_rows(out: pd.DataFrame, claim: Claim, index: list, family: bool) -> None:
    """Holm over ``index`` (one family), then each row's verdict."""
    if not index:
        return
    adjusted, rejected = holm(out.loc[index, "p_fail"])
    out.loc[index, "p_holm"] = adjusted
    for position, is_rejected in zip(index, rejected):
        verdict, reason = _row_verdict(claim.kind, out.loc[position].to_dict(), bool(is_rejected))
        out.loc[position, ["row_verdict", "row_reason"]] = [verdict, reason]


def _decide_outside(out: pd.DataFrame, claim: Claim, index: list, states: Mapping) -> None:
    """Rows outside the premises (or not checked): their verdict names the direction they would take."""
    for position in index:
        row = out.loc[position].to_dict()
        would, reason = _row_verdict(claim.kind, row, bool(row["p_fail"] <= FAMILY_LEVEL), family=False)
        direction = {HOLDS: "would hold", FAILS: "would fail"}.get(would, "would not be decided")
        if states[position] == "outside":
            out.loc[position, ["row_verdict", "row_reason"]] = [
                OUTSIDE_PREMISES,
                f"outside premises ({row['premises']}); {direction}: {reason}",
            ]
        else:
            out.loc[position, ["row_verdict", "row_reason"]] = [
                NOT_TESTABLE,
                f"premises {row['premises']}; {direction}: {reason}",
            ]


def combine(claim: Claim, labels: list[str], verdicts: list[str], reasons: list[str]) -> tuple[str, str]:
    """The verdict of rows inside the premises (Holm already applied): any fails -> fails; all hold -> holds."""
    if not verdicts:
        return NOT_TESTABLE, "no measurement at this config"
    failing = [label for label, verdict in zip(labels, verdicts) if verdict == FAILS]
    if failing:
        first = reasons[verdicts.index(FAILS)]
        return (
            FAILS,
            f"fails on {len(failing)} of {plural(len(verdicts), 'row')} ({'; '.join(failing)}); first: {first}",
        )
    if all(verdict == HOLDS for verdict in verdicts):
        which = "its only row" if len(verdicts) == 1 else f"all {plural(len(verdicts), 'row')}"
        return HOLDS, f"holds on {which} ({'; '.join(labels)})"
    untested = [label for label, verdict in zip(labels, verdicts) if verdict != HOLDS]
    first = reasons[next(i for i, verdict in enumerate(verdicts) if verdict != HOLDS)]
    return NOT_TESTABLE, (
        f"not decided on {len(untested)} of {plural(len(verdicts), 'row')} ({'; '.join(untested)}): {first}"
    )


def claim_verdict(claim: Claim, rows: pd.DataFrame, states: Mapping) -> tuple[str, str]:
    """The claim's verdict from its own rows (before the control): premises first, then :func:`combine`."""
    if rows.empty:
        return NOT_TESTABLE, "no measurement at this config"
    inside = rows[[states[index] == "met" for index in rows.index]]
    outside = rows[[states[index] == "outside" for index in rows.index]]
    if inside.empty:
        if outside.empty:
            first = rows["premises"].iloc[0]
            return NOT_TESTABLE, f"premises {first} on every row"
        directions = outside["row_reason"].str.extract(r"; (would [a-z ]+?):")[0].value_counts()
        said = ", ".join(f"{direction} on {plural(int(count), 'row')}" for direction, count in directions.items())
        return OUTSIDE_PREMISES, (
            f"no row inside its premises ({plural(len(rows), 'row')}; first: {outside['premises'].iloc[0]}); "
            f"outside them it {said}"
        )
    verdict, reason = combine(claim, list(inside["row"]), list(inside["row_verdict"]), list(inside["row_reason"]))
    if len(inside) < len(rows):
        reason += f"; {plural(len(rows) - len(inside), 'more row')} outside its premises or not checked"
    return verdict, reason


def _control_rejected(claim: Claim, rows: pd.DataFrame, control: pd.DataFrame, verdict: str) -> bool:
    """Whether the rule rejects the control (module docstring)."""
    if verdict == FAILS:
        return True
    if claim.kind not in _SIDE_KINDS or verdict == HOLDS or control.empty:
        return False
    decided = control[control["row_verdict"] != NOT_TESTABLE]
    if len(decided) or control["row_reason"].str.contains("identity").any():
        return False
    held = rows[rows["row_verdict"] == HOLDS]
    if held.empty:
        return False
    margins = []
    for row in held.itertuples(index=False):
        edges = [row.ci_low - row.claimed_low, row.claimed_high - row.ci_high]
        margins.append(min(edge for edge in edges if np.isfinite(edge)) + (row.ci_high - row.ci_low) / 2)
    return bool(control["half_width"].max() < min(margins))


def _apply_control(
    claim: Claim, rows: pd.DataFrame, control: pd.DataFrame, verdict: str, reason: str
) -> tuple[str, str, str]:
    """(control text for the ledger, verdict, reason) once the control is taken into account."""
    if claim.control is None:
        return NONE_DECLARED, verdict, reason
    name = claim.control.name
    if control.empty:
        text = f"{name}: not run at this config"
        if verdict == HOLDS:
            return (
                text,
                NOT_TESTABLE,
                (
                    f"the rows agree ({reason}), but the control {name} was not run: the rule has not been shown "
                    f"to tell it from {claim.method_label}"
                ),
            )
        return text, verdict, reason
    labels, verdicts_, reasons = list(control["row"]), list(control["row_verdict"]), list(control["row_reason"])
    control_verdict, control_reason = combine(claim, labels, verdicts_, reasons)
    rejected = _control_rejected(claim, rows, control, control_verdict)
    state = "rejected" if rejected else ("passes" if control_verdict == HOLDS else "not rejected")
    text = f"{name}: {state}: {control_reason}"
    if verdict != HOLDS:
        return text, verdict, reason
    if rejected:
        return text, HOLDS, f"{reason}; the control {name} is rejected by the same rule"
    if control_verdict == HOLDS:
        return (
            text,
            NOT_TESTABLE,
            (f"the rule cannot tell {name} from {claim.method_label}: the control holds too ({control_reason})"),
        )
    return (
        text,
        NOT_TESTABLE,
        (f"the rows agree, but the control {name} is not rejected ({control_verdict}: {control_reason})"),
    )


def premises_summary(claim: Claim, rows: pd.DataFrame) -> str:
    """The ledger's ``premises`` cell: ``"met"``, or how many rows meet them and what fails, with numbers."""
    if claim.premises is None and (rows.empty or (rows["premises"] == PREMISES_MET).all()):
        return NONE_DECLARED
    if rows.empty:
        return "no row"
    statuses = list(rows["premises"])
    met = sum(status == PREMISES_MET for status in statuses)
    if met == len(statuses):
        return PREMISES_MET
    others = list(dict.fromkeys(status for status in statuses if status != PREMISES_MET))
    if met:
        head = f"met on {met} of {plural(len(statuses), 'row')}"
    elif all(status.startswith(NOT_CHECKED) for status in others):
        head = f"not checked on any of {plural(len(statuses), 'row')}"
    else:
        head = f"not met on any of {plural(len(statuses), 'row')}"
    shown = others[:3]
    more = f" (+{len(others) - 3} other statuses)" if len(others) > 3 else ""
    return f"{head}: " + " | ".join(shown) + more


# ------------------------------------------------------------------------------------------------ outputs


def check_markdown(evaluated: pd.DataFrame, title: str) -> str:
    """A check table as Markdown: one line per claim (verdict, reason, premises, control), then its rows."""
    from ..io import markdown_table

    lines = [
        f"# {title}",
        "",
        f"Rows evaluated by banditlab.verdicts (premises, negative controls, Holm over each claim's rows inside its "
        f"premises, level {FAMILY_LEVEL}).",
        "",
    ]
    if evaluated.empty:
        return "\n".join([*lines, "No measurement row at this config.", ""])
    keys = ["claim_id", "reading"] if "reading" in evaluated else ["claim_id"]
    first = evaluated.drop_duplicates(keys)
    for row in first.to_dict("records"):
        reading = _text(row, "reading")
        under = f" ({reading})" if reading and reading != NO_READING else ""
        lines.append(f"* **{row['claim_id']}**{under}: {row['verdict']}: {row['reason']}")
        lines.append(f"  premises: {row['premises_summary']}; control: {row['control']}")
    shown = ["claim_id", *keys[1:], "role", "row", "statistic", "estimate", "ci_low", "ci_high", "claimed", "premises"]
    table = evaluated[[*shown, "p_holm", "row_verdict"]]
    return "\n".join([*lines, "", markdown_table(table, "{:.4g}")])


def claim_verdicts(evaluated: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """``{claim_id: (verdict, reason)}`` from rows :func:`evaluate` has annotated (the first reading's, when the rows
    carry readings: :func:`reading_verdicts` gives them all)."""
    first = evaluated.drop_duplicates("claim_id")
    return {row.claim_id: (row.verdict, row.reason) for row in first.itertuples(index=False)}


def reading_verdicts(evaluated: pd.DataFrame) -> dict[tuple[str, str], tuple[str, str]]:
    """``{(claim_id, reading): (verdict, reason)}`` from rows :func:`evaluate` has annotated (reading ``"-"`` for
    rows without one)."""
    rows = evaluated.assign(reading=evaluated["reading"] if "reading" in evaluated else NO_READING)
    first = rows.drop_duplicates(["claim_id", "reading"])
    return {(row.claim_id, row.reading): (row.verdict, row.reason) for row in first.itertuples(index=False)}


__all__ = [
    "check_markdown",
    "claim_verdict",
    "claim_verdicts",
    "clopper_pearson",
    "combine",
    "evaluate",
    "holm",
    "p_exceedance",
    "p_outside",
    "premises_summary",
    "reading_verdicts",
]
