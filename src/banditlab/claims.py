"""The claims ledger: every claim of both papers with its verdict, and the findings about the papers.

Nothing here decides a verdict. Each study declares its claims next to the code that tests them (its
:class:`banditlab.study.Study` names the catalogues: ``CLAIMS`` and ``FINDINGS`` of
:mod:`banditlab.estimation.claims`, :mod:`banditlab.bandits.claims`, :mod:`banditlab.pareto.claims`); its
check tables hold the measurement rows with the verdicts of the one engine (:mod:`banditlab.verdicts`); the
ledger lines the claims up, one row each, with what was measured, the kind and rule that decided, whether the
rows meet the claim's premises (``premises``: "met", or what fails, with numbers), its negative control and that
control's verdict (``control``), and the half-width against the resolution the kind declares. A claim with no
measurement row at this config is *not testable here*, with that reason; one with no row inside its premises is
*outside premises*. A claim whose rows were measured under several readings of an ambiguous algorithm (column
``reading`` of the check tables: paper 004's Algorithm 1) has one ledger row per reading, each with its own verdict;
``reading`` is ``-`` for the claims that depend on none.

The consequences of the printed formulas (``FINDINGS`` of each study: rates that cannot bound a regret,
proof gaps, definitions that do not satisfy their stated properties) form the ledger's second section,
*findings about the papers*; they are derivations, never simulation data.

References
----------
Xu and Bastani, *Learning Across Bandits in High Dimension via Robust Statistics* (paper 000).
Shukla and Kumar, *Vector preference-based contextual bandits under distributional shifts* (paper 004).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import verdicts as v
from .study import get_study, load
from .verdicts import FAILS, HOLDS, NOT_TESTABLE, OUTSIDE_PREMISES, VERDICTS

_STUDIES = [get_study(name) for name in ("estimation", "bandits", "pareto")]  # paper order: 000, then 004

CHECK_TABLES = tuple(table.name for study in _STUDIES for table in study.tables if table.ledger)
"""The check tables the ledger reads (each written by its study's check rule, verdicts included)."""

CLAIMS: tuple[v.Claim, ...] = tuple(claim for study in _STUDIES for claim in load(study.claims))
"""Every claim of both papers, in paper order."""
FINDINGS: tuple[v.Finding, ...] = tuple(finding for study in _STUDIES for finding in load(study.findings))
"""Every finding about the papers."""

LEDGER_COLUMNS = [
    "claim_id",
    "reading",
    "paper",
    "where",
    "claim",
    "kind",
    "instance",
    "rule",
    "resolution",
    "premises",
    "control",
    "measured",
    "rows",
    "max_half_width",
    "scale",
    "verdict",
    "reason",
    "check_table",
    "shown_in",
]
FINDING_COLUMNS = ["finding_id", "paper", "where", "statement", "finding", "derivation", "evidence", "affects"]


def _num(value: float) -> str:
    if np.isnan(value):  # a row without a measurement (its reason says why)
        return "no value"
    if not np.isfinite(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:.3g}"


def _measured(rows: pd.DataFrame) -> str:
    """The rows of one claim as a short 'what was measured' text (control rows marked as such)."""
    parts = []
    for row in rows.itertuples(index=False):
        interval = f"{_num(row.estimate)} [{_num(row.ci_low)}, {_num(row.ci_high)}]"
        role = "control " if getattr(row, "role", v.CLAIM_ROLE) == v.CONTROL_ROLE else ""
        parts.append(f"{role}{row.row}: {interval} vs {row.claimed} ({row.row_verdict})")
    return "; ".join(parts)


def _check_rows(tables: Mapping[str, pd.DataFrame]) -> dict[str, tuple[str, pd.DataFrame]]:
    """``{claim_id: (check table, its rows)}`` from the check tables."""
    by_claim: dict[str, tuple[str, pd.DataFrame]] = {}
    known = {claim.claim_id for claim in CLAIMS}
    for name, table in tables.items():
        if table.empty:
            continue
        for claim_id, rows in table.groupby("claim_id", sort=False):
            if claim_id not in known:
                raise ValueError(f"check table {name} has rows of claim {claim_id!r}, which no study declares")
            if claim_id in by_claim:
                raise ValueError(f"claim {claim_id} has rows in two check tables: {by_claim[claim_id][0]} and {name}")
            by_claim[claim_id] = (name, rows)
    return by_claim


def claims_ledger(tables: Mapping[str, pd.DataFrame], scale: str, claims: tuple[v.Claim, ...] = CLAIMS) -> pd.DataFrame:
    """One row per claim: where it is, its kind and rule, what was measured, the verdict and its reason.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The check tables by name (:data:`CHECK_TABLES`), as written by the studies' check rules.
    scale : str
        The config's ``scale`` (smoke, quick or paper), recorded in every row.
    claims : tuple of Claim
        The catalogue (default: :data:`CLAIMS`).

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`, one row per claim and reading (``reading`` ``-`` for a claim measured under
        none); ``verdict`` is one of :data:`banditlab.verdicts.VERDICTS`.
    """
    if not isinstance(scale, str) or not scale:
        raise ValueError(f"scale must be a non-empty string (smoke, quick or paper), got {scale!r}")
    unknown = set(tables) - set(CHECK_TABLES)
    if unknown:
        raise ValueError(f"tables must be named from {CHECK_TABLES}, got {sorted(unknown)}")
    by_claim = _check_rows(tables)
    out = []
    for claim in claims:
        table, all_rows = by_claim.get(claim.claim_id, ("none", pd.DataFrame()))
        for reading, rows in _by_reading(all_rows):
            out.append(_ledger_row(claim, table, reading, rows, scale))
    return pd.DataFrame(out, columns=LEDGER_COLUMNS)


def _by_reading(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """A claim's rows per reading, in the order the check table lists them (one group ``-`` without readings)."""
    if rows.empty or "reading" not in rows:
        return [(v.NO_READING, rows)]
    readings = rows["reading"].fillna(v.NO_READING).astype(str)
    return [(reading, rows[readings == reading]) for reading in dict.fromkeys(readings)]


def _ledger_row(claim: v.Claim, table: str, reading: str, rows: pd.DataFrame, scale: str) -> dict:
    """The ledger's row of ``claim`` under ``reading`` from its check-table rows."""
    if rows.empty:
        measured, verdict, reason, width = (
            "nothing at this config",
            NOT_TESTABLE,
            "no measurement at this config",
            math.nan,
        )
        premises = v.NONE_DECLARED if claim.premises is None else "no row"
        control = v.NONE_DECLARED if claim.control is None else f"{claim.control.name}: not run at this config"
    else:
        measured = _measured(rows)
        verdict, reason = rows["verdict"].iloc[0], rows["reason"].iloc[0]
        premises, control = rows["premises_summary"].iloc[0], rows["control"].iloc[0]
        own = rows[rows["role"] == v.CLAIM_ROLE] if "role" in rows else rows
        width = float(own["half_width"].max()) if len(own) else math.nan
    return {
        "claim_id": claim.claim_id,
        "reading": reading,
        "paper": claim.paper,
        "where": claim.where,
        "claim": claim.statement,
        "kind": claim.kind,
        "instance": claim.instance,
        "rule": claim.rule,
        "resolution": claim.row_resolution,
        "premises": premises,
        "control": control,
        "measured": measured,
        "rows": int((rows["role"] == v.CLAIM_ROLE).sum()) if "role" in rows else len(rows),
        "max_half_width": width,
        "scale": scale,
        "verdict": verdict,
        "reason": reason,
        "check_table": table,
        "shown_in": ", ".join(claim.shown_in) or "none",
    }


def findings_table(findings: tuple[v.Finding, ...] = FINDINGS) -> pd.DataFrame:
    """One row per finding about the papers (evidence evaluated now, from the printed formulas)."""
    return pd.DataFrame(
        [
            {
                "finding_id": f.finding_id,
                "paper": f.paper,
                "where": f.where,
                "statement": f.statement,
                "finding": f.finding,
                "derivation": f.derivation,
                "evidence": f.evidence_text,
                "affects": ", ".join(f.affects),
            }
            for f in findings
        ],
        columns=FINDING_COLUMNS,
    )


def verdict_counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Number of claims per verdict, in the order holds, fails, outside premises, not testable here."""
    unknown = set(ledger["verdict"]) - set(VERDICTS)
    if unknown:
        raise ValueError(f"verdicts must be in {VERDICTS}, got {sorted(unknown)}")
    counts = ledger["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def counts_text(counts: Mapping[str, int]) -> str:
    """``"10 hold, 2 fail, 15 outside premises, 6 not testable here"`` (``"1 holds"`` for one claim)."""
    verbs = {HOLDS: ("holds", "hold"), FAILS: ("fails", "fail")}
    parts = []
    for verdict in VERDICTS:
        n = counts.get(verdict, 0)
        word = verbs[verdict][0 if n == 1 else 1] if verdict in verbs else verdict
        parts.append(f"{n} {word}")
    return ", ".join(parts)


def summary_line(ledger: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The ledger's first line: verdict counts and the number of findings about the papers (with readings: the
    number of claims, then the verdicts counted once per claim and reading)."""
    n_claims = ledger["claim_id"].nunique() if len(ledger) else 0
    claims = v.plural(n_claims, "claim")
    if len(ledger) != n_claims:
        claims += f", {len(ledger)} verdicts (the claims on Algorithm 1 once per reading)"
    found = "finding" if len(findings) == 1 else "findings"
    return f"{claims}: {counts_text(verdict_counts(ledger))}; {len(findings)} {found} about the papers"


def ledger_markdown(ledger: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The ledger as Markdown: the counts first, then one row per claim, then the findings about the papers."""
    from .io import markdown_table

    scale = ", ".join(sorted(set(ledger["scale"])))
    lines = [
        "# Claims ledger",
        "",
        f"**{summary_line(ledger, findings)}** (scale: {scale}).",
        "",
    ]
    for paper, group in ledger.groupby("paper", sort=False):
        lines.append(f"* {paper}: {counts_text(verdict_counts(group))}")
    lines += [
        "",
        "Verdicts come from the measurement rows of the check tables by one engine (`banditlab.verdicts`): "
        "each claim's kind fixes its rule; only rows measured inside the claim's premises (its paper's own "
        "conditions, computed on each row: column `premises`) can hold or fail, and a claim with none is "
        f"*{OUTSIDE_PREMISES}*; a claim fails when a row contradicts it at family-wise level {v.FAMILY_LEVEL} (Holm "
        "over its rows inside the premises) and holds when every such row has its estimate inside the claimed "
        "region and its 95% interval's far edge within the resolution, and the same rule rejects the claim's "
        "negative control (column `control`). Nothing is written by hand.",
        "",
        "Methods beyond the papers (ours, and any named in the config by import path) have no claim here: their "
        "measurements, beside the papers' methods on the same points, are in "
        "[beyond_papers.md](beyond_papers.md) (measurements only, no verdict).",
        "",
        "## Claims",
        "",
        markdown_table(
            ledger[
                [
                    "paper",
                    "where",
                    "claim",
                    "reading",
                    "kind",
                    "rule",
                    "resolution",
                    "premises",
                    "control",
                    "verdict",
                    "reason",
                ]
            ]
        ),
        "## Findings about the papers",
        "",
        "Consequences of the printed formulas, shown by derivation (never by simulation data).",
        "",
        markdown_table(findings[["paper", "where", "statement", "finding", "derivation", "evidence"]]),
        "## What was measured",
        "",
        markdown_table(ledger[["claim_id", "reading", "instance", "measured", "max_half_width", "shown_in"]]),
    ]
    return "\n".join(lines)


def write_ledger(
    table_paths: Mapping[str, str], scale: str, csv_path: str, md_path: str, findings_path: str
) -> pd.DataFrame:
    """Read the check tables, build the ledger and the findings, write them as CSV and Markdown (``claims`` rule)."""
    from .io import write_table, write_text

    tables = {name: pd.read_csv(path) for name, path in table_paths.items()}
    ledger = claims_ledger(tables, scale)
    findings = findings_table()
    write_table(ledger, csv_path, nan_ok=("max_half_width", "resolution"))
    write_table(findings, findings_path)
    write_text(ledger_markdown(ledger, findings), md_path)
    return ledger


__all__ = [
    "CHECK_TABLES",
    "CLAIMS",
    "FINDINGS",
    "FINDING_COLUMNS",
    "LEDGER_COLUMNS",
    "claims_ledger",
    "counts_text",
    "findings_table",
    "ledger_markdown",
    "summary_line",
    "verdict_counts",
    "write_ledger",
]
