"""The one verdict engine of the claims ledger: every claim's kind, its rule, and how its rows combine.

Every claim of both papers is tested by *measurement rows* that its study's ``checks`` module writes
(one row per grid, axis, stratum or point). A row holds an estimate, its standard error and the
*claimed region*: the values of the statistic the claim allows on that row, slack included. This
module turns rows into verdicts, with one vocabulary end to end:

``holds``              the measurement agrees with the claim, with the power the claim's kind declares;
``fails``              the measurement contradicts the claim beyond chance (family-wise, see below);
``not testable here``  neither: too little power, a vacuous bound, or no measurement at this config.

Every verdict carries a one-line reason.

Kinds and their rules
---------------------
The rules were fixed, and written here, before any result of the new checks was looked at. ``[lo, hi]``
is the row's 95% interval (estimate +- 1.96 se), ``w`` its half-width, ``R`` the claimed region.

=================  ==================================================  =========================================
kind               claimed region R (set by the study's check code)    a row holds when
=================  ==================================================  =========================================
``upper bound``    slope <= largest exponent among the rate's terms     it does not fail and ``w <= resolution``
                   on the grid + slack
``lower bound``    slope >= smallest exponent among the terms - slack   it does not fail and ``w <= resolution``
                   (tested only on the proof's construction)
``exact rate``     smallest - slack <= slope <= largest + slack         it does not fail and ``w <= resolution``
``level``          measured / explicit bound >= 1 (lower bounds) or     it does not fail and ``w <= resolution``
                   exceedance rate <= failure probability (Theorem 1)   (and the bound is not vacuous)
``value``          |computed - printed| <= the printed precision        it does not fail (exact computation)
``comparison``     paired difference on the claimed side of 0           ``[lo, hi]`` lies on the claimed side
``trend``          sign of a named effect statistic as claimed          ``[lo, hi]`` lies on the claimed side
``no effect``      |effect| <= margin                                   ``[lo, hi]`` lies inside the margin
=================  ==================================================  =========================================

A row *fails* when the hypothesis "the true value lies in R" is rejected: its p-value is
``2 (1 - Phi(d / se))`` with ``d`` the distance from the estimate to R (``d > 0`` outside R), so that a
single row fails at level 0.05 exactly when its 95% interval lies entirely outside R; for a ``level`` row
with a failure probability p_f, it is the binomial tail ``P[Binom(n, p_f) >= k]`` of k exceedances in n
replicates.

Chance, accounted for
---------------------
A claim tested on m rows must not be m times as likely to fail by chance: its rows' p-values are
combined by Holm's step-down procedure at the family-wise level :data:`FAMILY_LEVEL` (0.05), so the
claim *fails* with probability at most 0.05 when it is true on every row. It *holds* only when every
row holds (an intersection-union test: each row's 95% interval, no correction needed). Otherwise it is
*not testable here*, and the reason names the rows that lack power.

Resolution
----------
``holds`` needs power: a bound, rate or level row holds only when its 95% half-width is at most the
resolution its kind declares (:data:`RESOLUTION`), so a violation larger than ``slack + 2 x resolution``
would have been detected. A wider interval gives "not testable here: too little power", and the reason
says how far the half-width is from the resolution (replicates scale it like ``1/sqrt(n)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

HOLDS = "holds"
FAILS = "fails"
NOT_TESTABLE = "not testable here"
VERDICTS = (HOLDS, FAILS, NOT_TESTABLE)

FAMILY_LEVEL = 0.05
"""Family-wise level of every claim (Holm over its rows)."""
Z95 = float(stats.norm.ppf(0.975))

UPPER_BOUND = "upper bound"
LOWER_BOUND = "lower bound"
EXACT_RATE = "exact rate"
LEVEL = "level"
VALUE = "value"
COMPARISON = "comparison"
TREND = "trend"
NO_EFFECT = "no effect"
KINDS = (UPPER_BOUND, LOWER_BOUND, EXACT_RATE, LEVEL, VALUE, COMPARISON, TREND, NO_EFFECT)
_POWER_KINDS = (UPPER_BOUND, LOWER_BOUND, EXACT_RATE, LEVEL, VALUE)  # hold when w <= resolution
_SIDE_KINDS = (COMPARISON, TREND, NO_EFFECT)  # hold when the whole interval lies in R
_OPEN_KINDS = (COMPARISON, TREND)  # their R is one side of 0, 0 excluded: no difference is not "lower"

SLOPE_SLACK = 0.1
"""Omitted logarithmic factors and bounded constants bend a log-log line by about this much over a decade."""
SLOPE_RESOLUTION = 0.15
"""Half-width a fitted exponent needs for ``holds``: a violation of slack + 0.3 is then detected."""
LOG_EXPONENT_RESOLUTION = 0.5
"""Half-width of the exponent a of log^a T: a = 3 (one more logarithm than a = 2) is then detected."""
LEVEL_RESOLUTION = 0.1
"""Half-width of measured / bound (10% of the bound)."""
VALUE_TOLERANCE = 5e-5
"""A value printed to 4 decimals is reproduced when the computed value rounds to it."""
NO_EFFECT_MARGIN = 0.1
"""Largest log-log slope counted as "no change" (about 10% over the range of a tripled parameter)."""

RESOLUTION = {
    UPPER_BOUND: SLOPE_RESOLUTION,
    LOWER_BOUND: SLOPE_RESOLUTION,
    EXACT_RATE: SLOPE_RESOLUTION,
    LEVEL: LEVEL_RESOLUTION,
    VALUE: VALUE_TOLERANCE,
    COMPARISON: math.inf,
    TREND: math.inf,
    NO_EFFECT: math.inf,
}
"""Default resolution of each kind (a claim may declare its own, e.g. :data:`LOG_EXPONENT_RESOLUTION`)."""

ROW_COLUMNS = ["claim_id", "row", "statistic", "estimate", "se", "n", "claimed_low", "claimed_high", "resolution"]
"""The columns every measurement row must have (a study's check table may add its own)."""
VERDICT_COLUMNS = ["ci_low", "ci_high", "half_width", "p_fail", "p_holm", "row_verdict", "row_reason"]
"""The columns :func:`evaluate` adds to every row."""


@dataclass(frozen=True)
class Claim:
    """One claim of a paper, declared once, next to the study that tests it.

    Parameters
    ----------
    claim_id : str
        Short stable identifier (``000-table1-robust_multitask-standard``).
    paper, where, statement : str
        The paper, the place in it (section, equation, line of the text in ``shared/papers``) and the claim.
    kind : str
        One of :data:`KINDS`; fixes the rule (module docstring).
    instance : str
        The study, experiment and design it is tested on (and why that instance is the one it speaks of).
    rule : str
        The claimed region in words (what the check code computes as ``claimed_low``/``claimed_high``).
    shown_in : tuple of str
        Figures and tables that show it.
    resolution : float or None
        Half-width needed for ``holds``; None takes the kind's default (:data:`RESOLUTION`).
    slack : float
        Allowance added to the region's edges by the check code (slopes: :data:`SLOPE_SLACK`).
    """

    claim_id: str
    paper: str
    where: str
    statement: str
    kind: str
    instance: str
    rule: str
    shown_in: tuple[str, ...] = ()
    resolution: float | None = None
    slack: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"claim {self.claim_id}: kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def row_resolution(self) -> float:
        return RESOLUTION[self.kind] if self.resolution is None else float(self.resolution)


@dataclass(frozen=True)
class Finding:
    """A consequence of the printed formulas, shown by derivation, never by simulation data.

    ``evidence`` (a string, or a function returning one, evaluated when the ledger is written) is computed
    from the paper's own formulas, for example the exponent a printed rate implies or a counterexample
    evaluated exactly; the derivation cites the lines of the paper's text. ``affects`` names the claims
    or outputs whose reading the finding changes.
    """

    finding_id: str
    paper: str
    where: str
    statement: str
    finding: str
    derivation: str
    evidence: str | Callable[[], str] = ""
    affects: tuple[str, ...] = field(default_factory=tuple)

    @property
    def evidence_text(self) -> str:
        return self.evidence() if callable(self.evidence) else str(self.evidence)


def measurement_row(
    claim: Claim,
    row: str,
    statistic: str,
    estimate: float,
    se: float,
    n: int,
    claimed_low: float = -math.inf,
    claimed_high: float = math.inf,
    **extra: object,
) -> dict:
    """One measurement row of ``claim`` (extra study-specific columns pass through)."""
    return {
        "claim_id": claim.claim_id,
        "row": row,
        "statistic": statistic,
        "estimate": float(estimate),
        "se": float(se),
        "n": int(n),
        "claimed_low": float(claimed_low),
        "claimed_high": float(claimed_high),
        "resolution": claim.row_resolution,
        **extra,
    }


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
    return float(min(1.0, 2 * stats.norm.sf(distance / se)))


def p_exceedance(exceed: int, n: int, failure_probability: float) -> float:
    """``P[Binom(n, p_f) >= exceed]``: p-value of "the exceedance rate is at most p_f"."""
    if failure_probability >= 1:
        return 1.0
    return float(stats.binom.sf(exceed - 1, n, failure_probability))


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


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.3g}"


def _region(low: float, high: float) -> str:
    if np.isfinite(low) and np.isfinite(high):
        return f"[{_fmt(low)}, {_fmt(high)}]"
    if np.isfinite(high):
        return f"<= {_fmt(high)}"
    if np.isfinite(low):
        return f">= {_fmt(low)}"
    return "anything"


def _flag(row: Mapping, name: str) -> bool:
    """A boolean column that may be missing or NaN (rows of other kinds) in ``row``."""
    value = row.get(name, False)
    return bool(value) if pd.notna(value) else False


def _row_verdict(kind: str, row: Mapping, rejected: bool) -> tuple[str, str]:
    estimate, se, low, high = row["estimate"], row["se"], row["claimed_low"], row["claimed_high"]
    lo, hi, width = row["ci_low"], row["ci_high"], row["half_width"]
    measured = f"{_fmt(estimate)} [{_fmt(lo)}, {_fmt(hi)}] vs claimed {_region(low, high)}"
    if not (np.isfinite(estimate) and np.isfinite(se)) or se < 0:
        return NOT_TESTABLE, f"no measurement ({row.get('note', 'estimate or its error undefined')})"
    if _flag(row, "vacuous"):
        return NOT_TESTABLE, f"{measured}: the bound is vacuous here ({row.get('note', '')})"
    if rejected:
        return FAILS, f"{measured}, rejected at family level {FAMILY_LEVEL} (Holm p = {row['p_holm']:.2g})"
    if kind in _SIDE_KINDS:
        inside = (low < lo and hi < high) if kind in _OPEN_KINDS else (low <= lo and hi <= high)
        if inside:
            return HOLDS, f"{measured}: the 95% interval lies in the claimed region"
        return NOT_TESTABLE, f"{measured}: too little power (the 95% interval straddles the region's edge)"
    if width <= row["resolution"]:
        return HOLDS, f"{measured}: consistent, half-width {_fmt(width)} <= resolution {_fmt(row['resolution'])}"
    return NOT_TESTABLE, (
        f"{measured}: too little power, half-width {_fmt(width)} > resolution {_fmt(row['resolution'])} "
        f"(about {math.ceil((width / row['resolution']) ** 2)}x the replicates would reach it)"
    )


def evaluate(rows: pd.DataFrame, claims: Iterable[Claim]) -> pd.DataFrame:
    """Add the row verdicts and the claim verdict (columns :data:`VERDICT_COLUMNS`, ``verdict``, ``reason``).

    ``rows`` holds :data:`ROW_COLUMNS` (a ``level`` row may carry ``exceed``, ``failure_probability`` and
    ``vacuous``). Every row must belong to a claim of ``claims``.
    """
    by_id = {claim.claim_id: claim for claim in claims}
    if rows.empty:
        return pd.DataFrame(columns=[*ROW_COLUMNS, *VERDICT_COLUMNS, "verdict", "reason"])
    missing = [column for column in ROW_COLUMNS if column not in rows.columns]
    if missing:
        raise ValueError(f"measurement rows lack columns {missing}")
    unknown = sorted(set(rows["claim_id"]) - set(by_id))
    if unknown:
        raise ValueError(f"measurement rows of unknown claims {unknown}")
    out = rows.copy()
    se = out["se"].astype(float)
    out["ci_low"] = out["estimate"] - Z95 * se
    out["ci_high"] = out["estimate"] + Z95 * se
    out["half_width"] = Z95 * se
    kinds = {claim_id: claim.kind for claim_id, claim in by_id.items()}
    out["p_fail"] = [_p_fail(row, kinds) for row in out.to_dict("records")]
    out["p_holm"] = np.nan
    out["row_verdict"] = ""
    out["row_reason"] = ""
    out["verdict"] = ""
    out["reason"] = ""
    for claim_id, group in out.groupby("claim_id", sort=False):
        claim = by_id[claim_id]
        adjusted, rejected = holm(group["p_fail"])
        out.loc[group.index, "p_holm"] = adjusted
        verdicts = []
        for index, is_rejected in zip(group.index, rejected):
            verdict, reason = _row_verdict(claim.kind, out.loc[index].to_dict(), bool(is_rejected))
            out.loc[index, ["row_verdict", "row_reason"]] = [verdict, reason]
            verdicts.append(verdict)
        verdict, reason = combine(claim, list(group["row"]), verdicts, list(out.loc[group.index, "row_reason"]))
        out.loc[group.index, ["verdict", "reason"]] = [verdict, reason]
    return out


def _p_fail(row: Mapping, by_kind: Mapping[str, str]) -> float:
    estimate, se = row["estimate"], row["se"]
    if not (np.isfinite(estimate) and np.isfinite(se)) or se < 0 or _flag(row, "vacuous"):
        return np.nan
    if pd.notna(row.get("failure_probability", np.nan)):
        return p_exceedance(int(row["exceed"]), int(row["n"]), float(row["failure_probability"]))
    open_region = by_kind.get(row["claim_id"]) in _OPEN_KINDS
    return p_outside(estimate, se, row["claimed_low"], row["claimed_high"], open_region)


def combine(claim: Claim, labels: list[str], verdicts: list[str], reasons: list[str]) -> tuple[str, str]:
    """The claim's verdict from its rows' (Holm already applied): any fails -> fails; all hold -> holds."""
    if not verdicts:
        return NOT_TESTABLE, "no measurement at this config"
    failing = [label for label, verdict in zip(labels, verdicts) if verdict == FAILS]
    if failing:
        first = reasons[verdicts.index(FAILS)]
        return FAILS, f"fails on {len(failing)} of {len(verdicts)} rows ({'; '.join(failing)}); first: {first}"
    if all(verdict == HOLDS for verdict in verdicts):
        return HOLDS, f"holds on all {len(verdicts)} rows ({'; '.join(labels)})"
    untested = [label for label, verdict in zip(labels, verdicts) if verdict != HOLDS]
    first = reasons[verdicts.index(NOT_TESTABLE)]
    return NOT_TESTABLE, f"not decided on {len(untested)} of {len(verdicts)} rows ({'; '.join(untested)}): {first}"


def check_markdown(evaluated: pd.DataFrame, title: str) -> str:
    """A check table as Markdown: one line per claim (verdict and reason), then its rows."""
    from .io import markdown_table

    lines = [
        f"# {title}",
        "",
        f"Rows evaluated by banditlab.verdicts (Holm over each claim's rows, level {FAMILY_LEVEL}).",
        "",
    ]
    if evaluated.empty:
        return "\n".join([*lines, "No measurement row at this config.", ""])
    for claim_id, (verdict, reason) in claim_verdicts(evaluated).items():
        lines.append(f"* **{claim_id}**: {verdict}: {reason}")
    shown = ["claim_id", "row", "statistic", "estimate", "ci_low", "ci_high", "claimed_low", "claimed_high"]
    table = evaluated[[*shown, "p_holm", "row_verdict"]]
    return "\n".join([*lines, "", markdown_table(table, "{:.4g}")])


def claim_verdicts(evaluated: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """``{claim_id: (verdict, reason)}`` from rows :func:`evaluate` has annotated."""
    first = evaluated.drop_duplicates("claim_id")
    return {row.claim_id: (row.verdict, row.reason) for row in first.itertuples(index=False)}


__all__ = [
    "COMPARISON",
    "Claim",
    "EXACT_RATE",
    "FAILS",
    "FAMILY_LEVEL",
    "Finding",
    "HOLDS",
    "KINDS",
    "LEVEL",
    "LOWER_BOUND",
    "NOT_TESTABLE",
    "NO_EFFECT",
    "TREND",
    "UPPER_BOUND",
    "VALUE",
    "VERDICTS",
    "check_markdown",
    "claim_verdicts",
    "combine",
    "evaluate",
    "holm",
    "measurement_row",
    "p_exceedance",
    "p_outside",
]
