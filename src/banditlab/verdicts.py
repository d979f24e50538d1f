"""The one verdict engine of the claims ledger: every claim's kind, premises, control and rule, and how its rows
combine.

Every claim of both papers is tested by *measurement rows* that its study's ``checks`` module writes
(one row per grid, axis, stratum or point). A row holds an estimate, its standard error, the *claimed region*
(the values of the statistic the claim allows on that row, slack included), the *premises status* of the
instance it was measured on, and its *role*: a row of the claim's method, or of its *negative control*. This
module turns rows into verdicts, with one vocabulary end to end:

``holds``              the measurement agrees with the claim, inside its premises, with the power the claim's
                       kind declares, and the same rule rejects the claim's negative control;
``fails``              the measurement contradicts the claim beyond chance (family-wise), inside its premises;
``outside premises``   no row was measured on an instance that meets the claim's premises (the paper's own
                       conditions, computed from its formulas): the paper says nothing there;
``not testable here``  neither: too little power, a vacuous or uninformative bound, an identity, a control the
                       rule cannot tell from the method, or no measurement at this config.

Every verdict carries a one-line reason.

Kinds and their rules
---------------------
The rules were fixed, and written here, before any result of the checks was looked at. ``[lo, hi]`` is the
row's 95% interval (estimate +- 1.96 se; exact Clopper-Pearson for an exceedance rate), ``R`` the claimed
region, ``r`` the row's resolution.

=================  ==================================================  =========================================
kind               claimed region R (set by the study's check code)    a row holds when (and it does not fail)
=================  ==================================================  =========================================
``upper bound``    slope <= largest exponent among the rate's terms     the estimate lies in R and the interval's
                   on the grid + slack                                  far edge within r of R
``lower bound``    slope >= smallest exponent among the terms - slack   as above
                   (tested only on the proof's construction)
``exact rate``     smallest - slack <= slope <= largest + slack         as above (both edges)
``level``          measured / explicit bound >= 1 (lower bounds) or     as above; an exceedance rate's r is
                   exceedance rate <= failure probability (Theorem 1)   r x the failure probability
``value``          |computed - printed| <= the printed precision        the computed value lies in R (exact)
``comparison``     paired difference on the claimed side of 0 (< 0)     ``[lo, hi]`` lies on the claimed side
``trend``          sign of a named effect statistic as claimed          ``[lo, hi]`` lies on the claimed side
``no effect``      |effect| <= margin                                   ``[lo, hi]`` lies inside the margin
=================  ==================================================  =========================================

A row *fails* when the hypothesis "the true value lies in R" is rejected: its p-value is
``2 (1 - Phi(d / se))`` with ``d`` the distance from the estimate to R (``d > 0`` outside R), so that a
single row fails at level 0.05 exactly when its 95% interval lies entirely outside R; for an exceedance row
(k of n replicates above a bound of failure probability p_f) it is the exact binomial tail
``P[Binom(n, p_f) >= k]``.

"Holds" is earned
-----------------
A row that is not rejected holds only when its point estimate lies inside R and its interval's far edge is
within the resolution of R (a violation larger than the resolution would have been seen). An estimate past
the bound that is not rejected is "not testable here: estimate past the bound, not rejected". Three more
guards: a row of a comparison, trend or no-effect claim (a difference or an effect) whose estimate is exactly 0
with a zero-width interval (two policies identical on every draw, say) is an *identity*, never a failure or a
success (a bound's slope of exactly 0 is a flat curve, a ``value`` or ``level`` row of 0 a computed value or a
count of events); a ``level`` row whose bound is more than
:data:`UNINFORMATIVE_FACTOR` times the measured value (columns ``paper_bound`` and ``measured_value``) is
*uninformative* (a bound ten times too large would pass as well); a bound with failure probability >= 1
(column ``vacuous``) says nothing.

Premises
--------
A claim declares its premises (:attr:`Claim.premises`, a pure function of a row's parameters returning
:class:`Premise` items computed from the paper's formulas; see :mod:`banditlab.estimation.premises` and
:mod:`banditlab.bandits.premises`). Each measurement row carries a status in its ``premises`` column:
``"met"``, the premises that fail with their numbers (``"Corollary 1's failure probability: delta >= 249 ...
(N = 20; needs N >= 931)"``), or ``"not checked: ..."`` (a measured premise without its measurement). When the
column is empty the engine computes the status from the row's own columns with the claim's function
(:func:`premise_status`). Only rows whose premises are met can hold or fail; the others are "outside
premises", with the direction they would take in the reason. A claim with no row inside its premises is
"outside premises".

Negative controls
-----------------
A claim names a control (:attr:`Claim.control`): a method or an instance the claim says must *not* satisfy
its rule. Control rows (``role == "control"``, :func:`control_row`) are evaluated with the same rule on the
same rows (Holm among themselves, no premises gate: an instance control is outside the premises by design).
A claim holds only when its control is *rejected*: the control fails the rule; for the sign kinds
(comparison, trend, no effect), whose null control cannot be rejected by a one-sided test, also when the
control does not hold although its intervals are narrower than the margin by which the method's rows clear
the region's edge (an effect as large as the method's would have been seen). A control that holds too
makes the claim "not testable here: the rule cannot tell <control> from <method>"; a control with no rows
at this config, or neither rejected nor passing, leaves the claim not testable. A failure needs no control.

Chance, accounted for
---------------------
A claim tested on m rows inside its premises must not be m times as likely to fail by chance: their
p-values are combined by Holm's step-down procedure at the family-wise level :data:`FAMILY_LEVEL` (0.05), so
the claim *fails* with probability at most 0.05 when it is true on every row. It *holds* only when every
row inside its premises holds (an intersection-union test: each row's 95% interval, no correction needed).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

HOLDS = "holds"
FAILS = "fails"
OUTSIDE_PREMISES = "outside premises"
NOT_TESTABLE = "not testable here"
VERDICTS = (HOLDS, FAILS, OUTSIDE_PREMISES, NOT_TESTABLE)

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
``paper_bound`` and ``measured_value`` (level rows), ``note``)."""
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


def clopper_pearson(exceed: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact two-sided Clopper-Pearson interval of a binomial proportion.

    Examples
    --------
    >>> low, high = clopper_pearson(0, 40)
    >>> low, round(high, 4)
    (0.0, 0.0881)
    """
    alpha = 1 - level
    low = 0.0 if exceed == 0 else float(stats.beta.ppf(alpha / 2, exceed, n - exceed + 1))
    high = 1.0 if exceed == n else float(stats.beta.ppf(1 - alpha / 2, exceed + 1, n - exceed))
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
    if _flag(row, "vacuous"):
        return NOT_TESTABLE, f"{measured}: the bound is vacuous here ({row.get('note', '')})"
    if kind in _SIDE_KINDS and estimate == 0 and lo == 0 and hi == 0:
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


def _p_fail(row: Mapping, kind: str) -> float:
    estimate, se = row["estimate"], row["se"]
    if not (np.isfinite(estimate) and np.isfinite(se)) or se < 0 or _flag(row, "vacuous"):
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
    ``claims``.
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
    for claim_id, group in out.groupby("claim_id", sort=False):
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
    from .io import markdown_table

    lines = [
        f"# {title}",
        "",
        f"Rows evaluated by banditlab.verdicts (premises, negative controls, Holm over each claim's rows inside its "
        f"premises, level {FAMILY_LEVEL}).",
        "",
    ]
    if evaluated.empty:
        return "\n".join([*lines, "No measurement row at this config.", ""])
    first = evaluated.drop_duplicates("claim_id")
    for row in first.itertuples(index=False):
        lines.append(f"* **{row.claim_id}**: {row.verdict}: {row.reason}")
        lines.append(f"  premises: {row.premises_summary}; control: {row.control}")
    shown = ["claim_id", "role", "row", "statistic", "estimate", "ci_low", "ci_high", "claimed", "premises"]
    table = evaluated[[*shown, "p_holm", "row_verdict"]]
    return "\n".join([*lines, "", markdown_table(table, "{:.4g}")])


def claim_verdicts(evaluated: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """``{claim_id: (verdict, reason)}`` from rows :func:`evaluate` has annotated."""
    first = evaluated.drop_duplicates("claim_id")
    return {row.claim_id: (row.verdict, row.reason) for row in first.itertuples(index=False)}


__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_ROLE",
    "COMPARISON",
    "CONTROL_ROLE",
    "Claim",
    "Control",
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
    "OUTSIDE_PREMISES",
    "PREMISES_MET",
    "Premise",
    "TREND",
    "UPPER_BOUND",
    "VALUE",
    "VERDICTS",
    "check_markdown",
    "claim_verdict",
    "claim_verdicts",
    "clopper_pearson",
    "combine",
    "control_row",
    "evaluate",
    "exceedance_row",
    "holm",
    "measurement_row",
    "p_exceedance",
    "p_outside",
    "plural",
    "premise_status",
    "premises_of",
    "premises_over",
    "premises_summary",
    "region_text",
    "with_article",
]
