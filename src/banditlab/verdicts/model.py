"""What the verdict engine (:mod:`banditlab.verdicts`) works on: the verdicts and kinds, the claim, premise,
control and finding types, the measurement rows the studies write, and the wording of regions and counts."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

HOLDS = "holds"
FAILS = "fails"
OUTSIDE_PREMISES = "outside premises"
NOT_TESTABLE = "not testable here"
VERDICTS = (HOLDS, FAILS, OUTSIDE_PREMISES, NOT_TESTABLE)

FAMILY_LEVEL = 0.05
"""Family-wise level of every claim (Holm over its rows)."""
Z95 = float(special.ndtri(0.975))

UPPER_BOUND = "upper bound"
LOWER_BOUND = "lower bound"
EXACT_RATE = "exact rate"
LEVEL = "level"
VALUE = "value"
COMPARISON = "comparison"
TREND = "trend"
NO_EFFECT = "no effect"
KINDS = (UPPER_BOUND, LOWER_BOUND, EXACT_RATE, LEVEL, VALUE, COMPARISON, TREND, NO_EFFECT)
_POWER_KINDS = (UPPER_BOUND, LOWER_BOUND, EXACT_RATE, LEVEL, VALUE)  # hold when the far edge is within r of R
_SIDE_KINDS = (COMPARISON, TREND, NO_EFFECT)  # hold when the whole interval lies in R
_OPEN_KINDS = (COMPARISON, TREND)  # their R is one side of 0, 0 excluded: no difference is not "lower"

SLOPE_SLACK = 0.1
"""Omitted logarithmic factors and bounded constants bend a log-log line by about this much over a decade."""
SLOPE_RESOLUTION = 0.15
"""How far past a slope region's edge the interval may reach for ``holds``: a violation of slack + 0.15 is seen."""
LOG_EXPONENT_RESOLUTION = 0.5
"""Resolution of the exponent a of log^a T: a = 3 (one more logarithm than a = 2) is then detected."""
LEVEL_RESOLUTION = 0.1
"""Resolution of measured / bound (10% of the bound); of an exceedance rate, 10% of the failure probability."""
VALUE_TOLERANCE = 5e-5
"""A value printed to 4 decimals is reproduced when the computed value rounds to it."""
NO_EFFECT_MARGIN = 0.1
"""Largest log-log slope counted as "no change" (about 10% over the range of a tripled parameter)."""
UNINFORMATIVE_FACTOR = 10.0
"""A level row whose bound exceeds the measured value by more than this factor is uninformative."""
PLAYS_LIKE_SHARE = 0.99
"""A row whose policy played the same arm as its comparator (columns ``comparator``, ``same_arm_share``) in at least
this share of the rounds it measures, on the same draws, measures the comparator: "not testable here"."""
NO_READING = "-"
"""The ``reading`` of a row whose claim does not depend on a reading of its algorithm."""

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

CLAIM_ROLE = "claim"
CONTROL_ROLE = "control"
PREMISES_MET = "met"
NOT_CHECKED = "not checked"
NONE_DECLARED = "none declared"

ROW_COLUMNS = ["claim_id", "row", "statistic", "estimate", "se", "n", "claimed_low", "claimed_high", "resolution"]
"""The columns every measurement row must have (a study's check table may add its own; optional columns the
engine reads: ``role``, ``premises``, ``exceed`` and ``failure_probability`` (exceedance rows), ``vacuous``,
``paper_bound`` and ``measured_value`` (level rows), ``note``, ``reading`` (the reading of the algorithm the row
was measured under: each claim is decided once per reading), ``comparator`` and ``same_arm_share`` (the
degeneracy guard, :data:`PLAYS_LIKE_SHARE`), ``not_testable`` (a reason the study gives why the row cannot
decide, e.g. "nothing eliminated"))."""
VERDICT_COLUMNS = [
    "role",
    "premises",
    "claimed",
    "ci_low",
    "ci_high",
    "half_width",
    "p_fail",
    "p_holm",
    "row_verdict",
    "row_reason",
]
"""The columns :func:`evaluate` adds to every row (besides the claim-level ``verdict``, ``reason``,
``premises_summary`` and ``control``)."""
CLAIM_COLUMNS = ["verdict", "reason", "premises_summary", "control"]


@dataclass(frozen=True)
class Premise:
    """One premise of a claim, evaluated on one instance.

    ``met`` is True, False, or None (not checked: a measured premise whose measurement the row lacks);
    ``detail`` gives the numbers (``"delta >= 249 > 0.05 (N = 20; needs N >= 931)"``); ``where`` the lines
    of the paper it comes from.
    """

    name: str
    met: bool | None
    detail: str = ""
    where: str = ""

    def text(self) -> str:
        return f"{self.name}: {self.detail}" if self.detail else self.name


@dataclass(frozen=True)
class Control:
    """The negative control of a claim: what must *not* satisfy its rule, and the rows it needs.

    ``name`` is printed in the reasons ("the rule cannot tell <name> from <method>"); ``description`` says why
    the claim implies the control must not satisfy the rule; ``rows`` which rows a study writes for it
    (``role == "control"``, same claim id, same rule and region as the claim's rows).
    """

    name: str
    description: str
    rows: str


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
        How far past the region the interval's far edge may reach for ``holds``; None takes the kind's
        default (:data:`RESOLUTION`).
    slack : float
        Allowance added to the region's edges by the check code (slopes: :data:`SLOPE_SLACK`).
    premises : callable or None
        ``premises(params) -> sequence of Premise``: the paper's conditions evaluated on one instance (a
        mapping of its parameters: a row, or one grid point); None when the claim has none (an exact
        computation). A missing parameter raises ``KeyError`` (the row is then "not checked").
    control : Control or None
        The negative control; None when the claim declares none (it then holds without one).
    method : str
        How the claim's method is named in a reason ("the rule cannot tell <control> from <method>");
        empty: the text of the statement before its first colon, or the claim id.
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
    premises: Callable[[Mapping], Sequence[Premise]] | None = field(default=None, compare=False)
    control: Control | None = None
    method: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"claim {self.claim_id}: kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def row_resolution(self) -> float:
        return RESOLUTION[self.kind] if self.resolution is None else float(self.resolution)

    @property
    def method_label(self) -> str:
        """How the claim's method is named in a reason."""
        if self.method:
            return self.method
        head = self.statement.split(":")[0]
        return head if len(head) < 60 else self.claim_id


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


# ------------------------------------------------------------------------------------------------ premises


def premise_status(premises: Iterable[Premise]) -> str:
    """A row's premises status: ``"met"``, the failing premises with their numbers, or ``"not checked: ..."``."""
    premises = list(premises)
    failing = [p.text() for p in premises if p.met is False]
    if failing:
        return "; ".join(failing)
    unknown = [p.text() for p in premises if p.met is None]
    if unknown:
        return f"{NOT_CHECKED}: " + "; ".join(unknown)
    return PREMISES_MET


def premises_of(claim: Claim, params: Mapping) -> str:
    """The premises status of ``claim`` on one instance (``"met"`` when it declares none)."""
    if claim.premises is None:
        return PREMISES_MET
    try:
        return premise_status(claim.premises(params))
    except KeyError as missing:
        return f"{NOT_CHECKED}: the row lacks {missing}"


def premises_over(claim: Claim, points: Sequence[Mapping], labels: Sequence[str] | None = None) -> str:
    """The premises status of a row measured over several instances (a slope over a grid): met only when met at
    every point; otherwise each failing premise once, at its first failing point, with how many points fail.

    Examples
    --------
    >>> def needs_big_n(p):
    ...     return [Premise("N >= 10", p["N"] >= 10, f"N = {p['N']}")]
    >>> c = Claim("c", "p", "w", "s", UPPER_BOUND, "i", "r", premises=needs_big_n)
    >>> premises_over(c, [{"N": 5}, {"N": 20}], labels=["N=5", "N=20"])
    'N >= 10: N = 5 (N=5; not met at 1 of 2 points)'
    """
    if claim.premises is None:
        return PREMISES_MET
    labels = list(labels) if labels is not None else [str(i) for i in range(len(points))]
    failing: dict[str, list[tuple[str, Premise]]] = {}
    unknown: dict[str, str] = {}
    for label, point in zip(labels, points):
        try:
            evaluated = list(claim.premises(point))
        except KeyError as missing:
            unknown.setdefault("row", f"the row lacks {missing}")
            continue
        for premise in evaluated:
            if premise.met is False:
                failing.setdefault(premise.name, []).append((label, premise))
            elif premise.met is None:
                unknown.setdefault(premise.name, premise.text())
    total = len(points)
    if failing:
        parts = []
        for name, cases in failing.items():
            label, first = cases[0]
            where = f"{label}; not met at {len(cases)} of {total} points" if total > 1 else label
            parts.append(f"{name}: {first.detail} ({where})")
        return "; ".join(parts)
    if unknown:
        return f"{NOT_CHECKED}: " + "; ".join(unknown.values())
    return PREMISES_MET


def _premise_state(status: str) -> str:
    if status == PREMISES_MET:
        return "met"
    if status.startswith(NOT_CHECKED):
        return "unknown"
    return "outside"


# ------------------------------------------------------------------------------------------------- rows


def measurement_row(
    claim: Claim,
    row: str,
    statistic: str,
    estimate: float,
    se: float,
    n: int,
    claimed_low: float = -math.inf,
    claimed_high: float = math.inf,
    *,
    role: str = CLAIM_ROLE,
    premises: str = "",
    **extra: object,
) -> dict:
    """One measurement row of ``claim`` (extra study-specific columns pass through).

    ``premises`` is the row's premises status (:func:`premises_of`, :func:`premises_over`); left empty, the
    engine computes it from the row's columns. ``role`` is ``"claim"`` or ``"control"`` (:func:`control_row`).
    """
    if role not in (CLAIM_ROLE, CONTROL_ROLE):
        raise ValueError(f"role must be {CLAIM_ROLE!r} or {CONTROL_ROLE!r}, got {role!r}")
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
        "role": role,
        "premises": premises,
        **extra,
    }


def control_row(claim: Claim, row: str, statistic: str, estimate: float, se: float, n: int, *args, **extra) -> dict:
    """A row of ``claim``'s negative control: the same statistic and region, measured on the control."""
    return measurement_row(claim, row, statistic, estimate, se, n, *args, role=CONTROL_ROLE, **extra)


def exceedance_row(
    claim: Claim, row: str, statistic: str, exceed: int, n: int, failure_probability: float, **extra: object
) -> dict:
    """A ``level`` row of an exceedance rate: ``exceed`` of ``n`` independent draws above a bound that the claim
    says is exceeded with probability at most ``failure_probability`` (the theorem's own event: one instance's
    error against its own bound). The engine gives it an exact Clopper-Pearson interval and a binomial p-value."""
    if not 0 <= exceed <= n or n < 1:
        raise ValueError(f"need 0 <= exceed <= n and n >= 1, got exceed={exceed}, n={n}")
    share = exceed / n
    extra.setdefault("vacuous", failure_probability >= 1)
    return measurement_row(
        claim,
        row,
        statistic,
        share,
        math.sqrt(share * (1 - share) / n),
        n,
        0.0,
        min(failure_probability, 1.0),
        exceed=int(exceed),
        failure_probability=float(failure_probability),
        **extra,
    )


# ----------------------------------------------------------------------------------------------- wording


def _fmt(value: float) -> str:
    if not np.isfinite(value):
        return "-inf" if value < 0 else "inf"
    return f"{value:.3g}"


def region_text(low: float, high: float, open_region: bool = False) -> str:
    """The claimed region as its rule states it: strict (``< 0``) for the claimed side of a comparison or trend.

    Examples
    --------
    >>> region_text(-np.inf, 0.0, open_region=True), region_text(1.0, np.inf), region_text(-0.6, -0.4)
    ('< 0', '>= 1', '[-0.6, -0.4]')
    """
    if np.isfinite(low) and np.isfinite(high):
        return f"({_fmt(low)}, {_fmt(high)})" if open_region else f"[{_fmt(low)}, {_fmt(high)}]"
    if np.isfinite(high):
        return f"{'<' if open_region else '<='} {_fmt(high)}"
    if np.isfinite(low):
        return f"{'>' if open_region else '>='} {_fmt(low)}"
    return "anything"


def plural(count: int, noun: str) -> str:
    """``"1 row"``, ``"3 rows"``.

    >>> plural(1, "row"), plural(2, "row"), plural(0, "point")
    ('1 row', '2 rows', '0 points')
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def with_article(word: str) -> str:
    """``"an upper"``, ``"a lower"``."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _flag(row: Mapping, name: str) -> bool:
    """A boolean column that may be missing or NaN (rows of other kinds) in ``row``."""
    value = row.get(name, False)
    return bool(value) if pd.notna(value) else False


def _number(row: Mapping, name: str) -> float:
    value = row.get(name, np.nan)
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _is_exceedance(row: Mapping) -> bool:
    return np.isfinite(_number(row, "failure_probability")) and np.isfinite(_number(row, "exceed"))


def _text(row: Mapping, name: str) -> str:
    """A text column that may be missing, empty or NaN in ``row``: its value, or ``""``."""
    value = row.get(name, "")
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def degenerate_reason(row: Mapping) -> str:
    """Why a row cannot decide before any statistics, or ``""``: the study's ``not_testable`` reason, or the policy
    played like its comparator (``same_arm_share >= PLAYS_LIKE_SHARE``): then it measures the comparator, under the
    row's reading, and a difference or trend it shows is the comparator's."""
    reason = _text(row, "not_testable")
    if reason:
        return reason
    comparator, share = _text(row, "comparator"), _number(row, "same_arm_share")
    if comparator and np.isfinite(share) and share >= PLAYS_LIKE_SHARE:
        reading = _text(row, "reading")
        under = f"reading {reading}" if reading and reading != NO_READING else "this reading"
        return (
            f"plays like {comparator} under {under} (the same arm in {share:.1%} of the rounds after t_p on the same "
            "draws), not a statistical result"
        )
    return ""


__all__ = [
    "HOLDS",
    "FAILS",
    "OUTSIDE_PREMISES",
    "NOT_TESTABLE",
    "VERDICTS",
    "FAMILY_LEVEL",
    "Z95",
    "UPPER_BOUND",
    "LOWER_BOUND",
    "EXACT_RATE",
    "LEVEL",
    "VALUE",
    "COMPARISON",
    "TREND",
    "NO_EFFECT",
    "KINDS",
    "SLOPE_SLACK",
    "SLOPE_RESOLUTION",
    "LOG_EXPONENT_RESOLUTION",
    "LEVEL_RESOLUTION",
    "VALUE_TOLERANCE",
    "NO_EFFECT_MARGIN",
    "UNINFORMATIVE_FACTOR",
    "PLAYS_LIKE_SHARE",
    "NO_READING",
    "RESOLUTION",
    "CLAIM_ROLE",
    "CONTROL_ROLE",
    "PREMISES_MET",
    "NOT_CHECKED",
    "NONE_DECLARED",
    "ROW_COLUMNS",
    "VERDICT_COLUMNS",
    "CLAIM_COLUMNS",
    "Premise",
    "Control",
    "Claim",
    "Finding",
    "degenerate_reason",
    "premise_status",
    "premises_of",
    "premises_over",
    "measurement_row",
    "control_row",
    "exceedance_row",
    "region_text",
    "plural",
    "with_article",
]
