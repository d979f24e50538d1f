"""The claims ledger: every quantitative claim of both papers, with a verdict computed from the check tables.

The ledger is the one place where the verdicts of the check tables (each written by its own study, in its
own vocabulary) are put side by side. Nothing here decides whether a claim holds: a claim's verdict is the
normalised verdict of the check-table rows that test it, and a claim no check table tests is *not testable
here* by construction.

Normalised verdicts
-------------------
``holds``              the check table says the measurement agrees with the claim.
``fails``              the check table says the measurement contradicts the claim.
``not testable here``  the check table says the claim cannot be decided at this scale (a slope that is not
                       identifiable, a vacuous bound, a trend that is not significant), or no row tests it.

Several rows can test one claim (one per grid, per study, per K ...). They combine as: any ``fails`` gives
``fails``; otherwise any ``holds`` gives ``holds``; otherwise ``not testable here``.

Each check table's own vocabulary and its mapping is in :data:`VERDICT_MAP` (tables with a ``verdict``
column) or in :func:`_gap_table_verdict` and :func:`_index_claim_verdict` (tables of booleans/shares).
A verdict string not in the map raises ``ValueError``, so a new verdict in a check table cannot slip into
the ledger unmapped.

References
----------
Xu and Bastani, *Learning Across Bandits in High Dimension via Robust Statistics* (paper 000).
Shukla and Kumar, *Vector preference-based contextual bandits under distributional shifts* (paper 004).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

HOLDS = "holds"
FAILS = "fails"
NOT_TESTABLE = "not testable here"
VERDICTS = (HOLDS, FAILS, NOT_TESTABLE)

PAPER_000 = "000 Xu & Bastani"
PAPER_004 = "004 Shukla & Kumar"

CHECK_TABLES = ("rate_check", "bound_check", "regret_check", "pareto_check", "pareto_gap_table", "pareto_index_claim")

#: Each check table's verdict vocabulary -> the ledger's three verdicts (with the reason for each choice).
VERDICT_MAP: dict[str, dict[str, str]] = {
    # banditlab.estimation.checks.verdict: the slope's bootstrap interval contains Table 1's exponent
    # (agrees), misses it although the exponent is identifiable on this grid (disagrees), or the grid cannot
    # tell the terms of the rate apart (the measured slope lies in the bracket of its terms' exponents).
    "rate_check": {
        "agrees": HOLDS,
        "disagrees": FAILS,
        "not identifiable at this scale": NOT_TESTABLE,
    },
    # banditlab.estimation.checks (bound rows): a lower bound below the measured error holds; one above
    # it is violated (fails) only when the printed conditions are met, and says nothing when they are not;
    # Theorem 1 with failure probability >= 1 is vacuous, so it cannot be tested at this size.
    "bound_check": {
        "holds": HOLDS,
        "violated": FAILS,
        "violated: the printed conditions do not suffice": FAILS,
        "below bound, outside its conditions": NOT_TESTABLE,
        "vacuous (failure probability >= 1)": NOT_TESTABLE,
        "vacuous (failure probability >= 1); never exceeded": NOT_TESTABLE,
    },
    # banditlab.bandits.checks.regret_check: upper-bound claims are "consistent" when the fitted
    # exponent's interval reaches the prediction; a slope above the bound's local slope "only says the
    # measured regret is still far below the bound" (not testable); comparative claims are "shown" when the
    # difference's interval excludes 0; Corollary 4's minimiser must fall within a factor 2 of d^(1/(alpha+1)).
    "regret_check": {
        "consistent": HOLDS,
        "sublinear": HOLDS,
        "shown": HOLDS,
        "U-shape shown": HOLDS,
        "exceeds prediction": FAILS,
        "U-shape, minimiser off": FAILS,
        "slope above the bound's": NOT_TESTABLE,
        "not shown at this scale": NOT_TESTABLE,
        "not sublinear at this scale": NOT_TESTABLE,
        "no U-shape at this scale": NOT_TESTABLE,
        "too few checkpoints after 2 B_0": NOT_TESTABLE,
        "no prediction": NOT_TESTABLE,
        "linear regret (biased)": HOLDS,
        "not linear at this scale": NOT_TESTABLE,
    },
    # banditlab.pareto.checks.check_table: Spearman-trend and share verdicts; "inconclusive" is a
    # trend significant in no stratum either way.
    "pareto_check": {
        "agrees": HOLDS,
        "disagrees": FAILS,
        "inconclusive": NOT_TESTABLE,
        "not testable here": NOT_TESTABLE,
    },
}


def normalise_verdict(table: str, verdict: str) -> str:
    """Map one check-table verdict to holds / fails / not testable here (see :data:`VERDICT_MAP`)."""
    if table not in VERDICT_MAP:
        raise ValueError(f"table must be one of {sorted(VERDICT_MAP)}, got {table!r}")
    try:
        return VERDICT_MAP[table][verdict]
    except KeyError:
        raise ValueError(
            f"unknown verdict {verdict!r} in check table {table!r}; known: {sorted(VERDICT_MAP[table])}"
        ) from None


def _gap_table_verdict(row: pd.Series) -> str:
    """``pareto_gap_table``: a cell holds when the gap matches the printed value to 4 dp and the Pareto flag matches."""
    return HOLDS if bool(row["matches_4dp"]) and bool(row["pareto_matches"]) else FAILS


def _index_claim_verdict(row: pd.Series) -> str:
    """``pareto_index_claim``: the claimed index set must equal the computed Pareto set at every context."""
    return HOLDS if float(row["share_equal"]) == 1.0 else FAILS


def _num(value: object, fmt: str = "{:.3g}") -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "n/a" if math.isnan(number) else fmt.format(number)


def _measured(table: str, row: pd.Series) -> str:
    """One check-table row as a short 'what was measured' phrase."""
    if table == "rate_check":
        return (
            f"{row['study']}: slope {_num(row['measured_slope'], '{:.2f}')} "
            f"[{_num(row['ci_low'], '{:.2f}')}, {_num(row['ci_high'], '{:.2f}')}] "
            f"vs {_num(row['predicted_slope'], '{:.2f}')}"
        )
    if table == "bound_check":
        return (
            f"{row['axis']}={_num(row['axis_value'], '{:g}')}: error {_num(row['measured_l1'])} "
            f"vs bound {_num(row['paper_bound'])}"
        )
    if table == "regret_check":
        return (
            f"{row['policy']}: {row['quantity']} {_num(row['fitted'], '{:.2f}')} ± {_num(row['ci95'], '{:.2f}')} "
            f"vs {_num(row['predicted'], '{:.2f}')}"
        )
    if table == "pareto_check":
        return f"{row['check']}: {row['measured']} vs {row['expected']}"
    if table == "pareto_gap_table":
        return f"{row['arm']}/{row['cone']}: gap {_num(row['gap'], '{:.4f}')} vs {_num(row['paper_value'], '{:.4f}')}"
    if table == "pareto_index_claim":
        share = _num(row["share_equal"], "{:.3f}")
        return f"K={row['K']}: claimed set = Pareto set at {share} of {row['n_contexts']} contexts"
    raise ValueError(f"table must be one of {CHECK_TABLES}, got {table!r}")


def _row_verdict(table: str, row: pd.Series) -> tuple[str, str]:
    """(the table's own verdict, the normalised verdict) of one row."""
    if table == "pareto_gap_table":
        verdict = _gap_table_verdict(row)
        return ("matches" if verdict == HOLDS else "differs"), verdict
    if table == "pareto_index_claim":
        verdict = _index_claim_verdict(row)
        return ("equal everywhere" if verdict == HOLDS else "differs"), verdict
    return str(row["verdict"]), normalise_verdict(table, str(row["verdict"]))


def combine_verdicts(verdicts: list[str]) -> str:
    """Any ``fails`` -> fails; else any ``holds`` -> holds; else (or no rows) not testable here."""
    unknown = set(verdicts) - set(VERDICTS)
    if unknown:
        raise ValueError(f"verdicts must be in {VERDICTS}, got {sorted(unknown)}")
    if FAILS in verdicts:
        return FAILS
    if HOLDS in verdicts:
        return HOLDS
    return NOT_TESTABLE


@dataclass(frozen=True)
class Claim:
    """One quantitative claim of a paper and the check-table rows that test it.

    Parameters
    ----------
    claim_id : str
        Short stable identifier.
    paper, where, claim : str
        The paper, the place in it (section, equation, table) and the claim as stated there.
    table : str or None
        The check table that tests it (one of :data:`CHECK_TABLES`), or None when nothing here tests it.
    select : dict
        Column -> value (equality) or ``re.Pattern`` (full match on the string) selecting the rows.
    shown_in : tuple of str
        Figures and tables that show it (figures of the selected ``study`` rows are added for rate_check).
    untested_reason : str
        Why the claim is not tested (only for ``table=None``).
    """

    claim_id: str
    paper: str
    where: str
    claim: str
    table: str | None
    select: Mapping[str, object] = field(default_factory=dict)
    shown_in: tuple[str, ...] = ()
    untested_reason: str = ""


def _select(frame: pd.DataFrame, select: Mapping[str, object]) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in select.items():
        if column not in frame.columns:
            raise ValueError(f"check table has no column {column!r} (columns: {list(frame.columns)})")
        values = frame[column].astype(str)
        if isinstance(wanted, re.Pattern):
            mask &= values.str.fullmatch(wanted)
        else:
            mask &= values == str(wanted)
    return frame[mask]


R = re.compile
_EST = {
    "independent_ols": "Independent OLS",
    "averaging": "Averaging",
    "pooling": "Pooling",
    "averaging_multitask": "Averaging multitask",
    "robust_multitask": "Robust multitask (Algorithm 1)",
}
_TABLE1 = {
    ("independent_ols", "standard"): ("d/sqrt(n_j)", "lower"),
    ("independent_ols", "data_poor"): ("d/sqrt(n_j)", "lower"),
    ("averaging", "standard"): ("||delta_j||_1 + d/sqrt(N n_j)", "lower"),
    ("averaging", "data_poor"): ("||delta_j||_1 + 1/sqrt(N n_j)", "lower"),
    ("pooling", "standard"): ("||delta_j||_1 + d/sqrt(N n_j)", "lower"),
    ("pooling", "data_poor"): ("||delta_j||_1 + 1/sqrt(N n_j)", "lower"),
    ("averaging_multitask", "standard"): ("min(Ns, d)/sqrt(n_j) + d/sqrt(N n_j)", "lower"),
    ("averaging_multitask", "data_poor"): ("min(Ns, d)/sqrt(n_j)", "lower"),
    ("robust_multitask", "standard"): ("sqrt(s d/n_j) + d/sqrt(N n_j)", "upper"),
    ("robust_multitask", "data_poor"): ("s/sqrt(n_j)", "upper"),
}
_BOUNDS = {
    "Proposition 4": ("Appendix B.1, Proposition 4", "independent OLS: E||b - b_j||_1 >= d sigma_j / sqrt(2 pi n_j)"),
    "Proposition 5": (
        "Appendix B.2, Proposition 5",
        "averaging: E||b - b_j||_1 >= 1/2 ||mean(delta_i - delta_j)||_1 "
        "+ d sqrt(mean sigma_i^2 n_j/n_i) / sqrt(2 pi N n_j)",
    ),
    "Proposition 6": (
        "Appendix B.3, Proposition 6",
        "pooling: E||b - b_j||_1 >= 1/2 ||n-weighted mean(delta_i - delta_j)||_1 + the pooled-variance term",
    ),
    "Proposition 7": (
        "Appendix B.4, Proposition 7",
        "averaging multitask with Corollary 1's lambda: E||b - b_j||_1 = Omega~(min(Ns, d)/sqrt(n_j) + d/sqrt(N n_j))",
    ),
    "Theorem 1": (
        "Section 3.4, Theorem 1",
        "robust multitask: P[||b - b_j||_1 >= 6 lambda_j s/(zeta psi) "
        "+ d(3 zeta + 4 eta)/c max_i sqrt(sigma_i^2/(n_i psi) log 3/eta)] "
        "<= 3d exp(-N eta^2/9) + 2d exp(-lambda_j^2 n_j/(32 sigma_j^2 x_max^2))",
    ),
}


def _catalogue() -> tuple[Claim, ...]:
    claims: list[Claim] = []
    for (estimator, regime), (rate, kind) in _TABLE1.items():
        claims.append(
            Claim(
                claim_id=f"000-table1-{estimator}-{regime}",
                paper=PAPER_000,
                where=f"Section 3.3, Table 1 ({regime.replace('_', '-')} regime)",
                claim=f"{_EST[estimator]}: {kind} bound on E||b - b_j||_1 of order {rate} "
                "(log-log slope along each axis)",
                table="rate_check",
                select={"estimator": estimator, "regime": regime},
                shown_in=("results/tables/rate_check.md",),
            )
        )
    for source, (where, text) in _BOUNDS.items():
        claims.append(
            Claim(
                claim_id=f"000-{source.lower().replace(' ', '')}",
                paper=PAPER_000,
                where=where,
                claim=text,
                table="bound_check",
                select={"source": source},
                shown_in=("figures/lower_bound.png", "results/tables/bound_check.md"),
            )
        )
    rmb = "rmbandit"
    claims += [
        Claim(
            "000-theorem2-T",
            PAPER_000,
            "Section 4.2, Theorem 2",
            "total regret of RMBandit O(K d (sN + d) log N log^2(T/N)): polylogarithmic (log^2) growth in T "
            "(per-instance regret is total/N at equal traffic)",
            "regret_check",
            {"claim": R("regret (polylog|sublinear) in T"), "policy": rmb},
            ("figures/regret_vs_t.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary3-T",
            PAPER_000,
            "Section 4.2, Corollary 3",
            "per-instance regret O(K d (s + d/N) log N log^2 T): exponent of log T at most 2",
            "regret_check",
            {"claim": "regret polylog in T", "policy": rmb},
            ("figures/regret_vs_t.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary3-d",
            PAPER_000,
            "Section 4.2, Corollary 3",
            "per-instance regret grows in d at most like d (s + d/N)",
            "regret_check",
            {"claim": R(r"Corollary 3: regret ~ d\(s.*"), "policy": rmb},
            ("figures/regret_vs_d.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary3-vs-independent",
            PAPER_000,
            "Section 4.2, after Corollary 3",
            "RMBandit's regret is smaller by a factor d than an independent bandit's d^2 (grows more slowly in d)",
            "regret_check",
            {"claim": R(r"Corollary 3: regret ~ d\(s.*"), "policy": R("rmbandit - .*")},
            ("figures/regret_vs_d.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary3-N",
            PAPER_000,
            "Section 4.2, Corollary 3",
            "per-instance regret falls in N at least like (s + d/N) log N",
            "regret_check",
            {"claim": R(r"Corollary 3: regret ~ \(s.*"), "policy": rmb},
            ("figures/regret_vs_d.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary3-N-vs-independent",
            PAPER_000,
            "Section 4.2, Corollary 3",
            "more instances help RMBandit but not an independent bandit (slope in N below theirs)",
            "regret_check",
            {"claim": R(r"Corollary 3: regret ~ \(s.*"), "policy": R("rmbandit - .*")},
            ("figures/regret_vs_d.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary4-ntilde",
            PAPER_000,
            "Section 4.3, Corollary 4",
            "with s = N~^alpha the target regret is minimised at N~ = Theta(d^(1/(alpha+1))) (U-shape in N~)",
            "regret_check",
            {"claim": R("Corollary 4: .*"), "policy": rmb},
            ("figures/regret_network.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-corollary4-d",
            PAPER_000,
            "Section 4.3, Corollary 4",
            "at the optimal N~ the regret is O(K d^((2 alpha+1)/(alpha+1)) log d log^2 T)",
            None,
            shown_in=("figures/regret_network.png",),
            untested_reason="the network experiment uses one d, so the exponent of d is not fitted",
        ),
        Claim(
            "000-theorem3-d",
            PAPER_000,
            "Section 4.4, Theorem 3",
            "data-poor target regret O(K s^2 log^2(dT)): polylogarithmic in d",
            "regret_check",
            {"claim": R("Theorem 3: .*"), "policy": rmb},
            ("figures/regret_data_poor.png", "results/tables/regret_check.md"),
        ),
        Claim(
            "000-theorem3-vs-independent",
            PAPER_000,
            "Section 4.4, after Theorem 3",
            "multitask learning exponentially reduces the data-poor regret in d against an independent bandit",
            "regret_check",
            {"claim": R("Theorem 3: .*"), "policy": R("rmbandit - .*")},
            ("figures/regret_data_poor.png", "results/tables/regret_check.md"),
        ),
    ]
    for cone in ("C1", "C3"):
        claims.append(
            Claim(
                f"004-table1-{cone}",
                PAPER_004,
                "Appendix B, Table 1",
                f"scale-independent gap Delta_{cone} and Pareto membership of arms A0-A9 under cone {cone}, "
                "as printed (4 dp)",
                "pareto_gap_table",
                {"cone": cone},
                ("figures/pareto_example.png", "results/tables/pareto_gap_table.md"),
            )
        )
    pc = ("results/tables/pareto_check.md",)
    claims += [
        Claim(
            "004-theorem1",
            PAPER_004,
            "Section 4, Theorem 1 (single shift)",
            "R(T) <= O((K log(KM/delta)/max{t_p, T-t_p})^((alpha+1)/beta) + ...), "
            "read as a bound on cumulative regret (2)",
            "pareto_check",
            {"check": R("theorem1_cumulative.*")},
            ("figures/pareto_regret_vs_T.png",) + pc,
        ),
        Claim(
            "004-theorem1-per-round",
            PAPER_004,
            "Section 4, Theorem 1 (our reading)",
            "the same rate read as a bound on per-round (average) regret",
            "pareto_check",
            {"check": R("theorem1_per_round.*")},
            ("figures/pareto_regret_vs_T.png",) + pc,
        ),
        Claim(
            "004-theorem2",
            PAPER_004,
            "Section 4.1, Theorem 2 / Example 3",
            "for (P, Q) in D(gamma, C_gamma) the regret bound of Theorem 2, read as a bound on cumulative regret (2)",
            "pareto_check",
            {"check": R("theorem2_cumulative.*")},
            ("figures/pareto_regret_vs_T.png",) + pc,
        ),
        Claim(
            "004-theorem2-per-round",
            PAPER_004,
            "Section 4.1, Theorem 2 (our reading)",
            "the same rate read as a bound on per-round (average) regret",
            "pareto_check",
            {"check": R("theorem2_per_round.*")},
            ("figures/pareto_regret_vs_T.png",) + pc,
        ),
        Claim(
            "004-theorem3",
            PAPER_004,
            "Section 4.2, Theorem 3 (multiple shifts)",
            "with equal t_p the regret grows with rho(P~, Q) of the mixture source",
            "pareto_check",
            {"check": R("theorem3_.*")},
            ("figures/pareto_shifts.png",) + pc,
        ),
        Claim(
            "004-theorems-constants",
            PAPER_004,
            "Section 4, Theorems 1-3",
            "O(.) constants and the probability 1 - delta statements",
            "pareto_check",
            {"check": "theorem_constants"},
            pc,
        ),
        Claim(
            "004-appH-pareto-indices",
            PAPER_004,
            "Appendix H (experiment setup)",
            "the Pareto-optimal arms at context x are exactly the indices in [floor k1(x), ceil k2(x)]",
            "pareto_index_claim",
            {},
            ("results/tables/pareto_index_claim.md",),
        ),
        Claim(
            "004-appH1-tp",
            PAPER_004,
            "Appendix H.1, Figure 3",
            "the regret over the last T - t_p rounds decreases as t_p grows",
            "pareto_check",
            {"check": "h1_effect_t_p"},
            ("figures/pareto_regret_tp.png",) + pc,
        ),
        Claim(
            "004-appH1-tp-per-round",
            PAPER_004,
            "Appendix H.1 (our reading)",
            "the per-round regret over the last T - t_p rounds decreases as t_p grows",
            "pareto_check",
            {"check": "h1_effect_t_p_per_round"},
            ("figures/pareto_regret_tp.png",) + pc,
        ),
        Claim(
            "004-appH1-random",
            PAPER_004,
            "Appendix H.1",
            "the uniform-random benchmark shows no change with t_p",
            "pareto_check",
            {"check": "h1_random_no_change"},
            ("figures/pareto_regret_tp.png",) + pc,
        ),
        Claim(
            "004-appH1-K",
            PAPER_004,
            "Appendix H.1, Figure 3",
            "the regret worsens as the number of arms K grows",
            "pareto_check",
            {"check": "h1_effect_K"},
            ("figures/pareto_regret_tp.png",) + pc,
        ),
        Claim(
            "004-appH1-nu",
            PAPER_004,
            "Appendix H.1, Figure 3",
            "the regret worsens as the source dissimilarity nu grows (Figure 3 strata)",
            "pareto_check",
            {"check": "h1_effect_a"},
            ("figures/pareto_regret_tp.png",) + pc,
        ),
        Claim(
            "004-appH1-nu-sweep",
            PAPER_004,
            "Appendix H.1 (and rho of Definition 4)",
            "the regret worsens as the source dissimilarity grows (dedicated sweep over the source exponent)",
            "pareto_check",
            {"check": "nu_effect"},
            ("figures/pareto_nu.png",) + pc,
        ),
        Claim(
            "004-appH1-vs-random",
            PAPER_004,
            "Appendix H.1, Figure 3",
            "Algorithm 1 has lower regret than the uniform-random benchmark",
            "pareto_check",
            {"check": "h1_tree_beats_random"},
            ("figures/pareto_regret_tp.png",) + pc,
        ),
    ]
    return tuple(claims)


#: Every claim of both papers the ledger lists, in paper order.
CLAIMS: tuple[Claim, ...] = _catalogue()

LEDGER_COLUMNS = [
    "claim_id",
    "paper",
    "where",
    "claim",
    "measured",
    "scale",
    "verdict",
    "check_table",
    "check_verdicts",
    "shown_in",
]


def _study_figures(rows: pd.DataFrame) -> list[str]:
    return [f"figures/{study}.png" for study in dict.fromkeys(rows["study"].astype(str))]


def claims_ledger(tables: Mapping[str, pd.DataFrame], scale: str, claims: tuple[Claim, ...] = CLAIMS) -> pd.DataFrame:
    """One row per claim: where it is, what was measured, the normalised verdict and where it is shown.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The check tables by name (keys from :data:`CHECK_TABLES`); a claim whose table is missing, or has no
        selected row, is *not testable here*.
    scale : str
        The config's ``scale`` (smoke, quick or paper), recorded in every row.
    claims : tuple of Claim
        The catalogue (default: :data:`CLAIMS`).

    Returns
    -------
    DataFrame
        Columns :data:`LEDGER_COLUMNS`; ``verdict`` is one of :data:`VERDICTS`.

    Examples
    --------
    >>> import pandas as pd
    >>> checks = {"pareto_check": pd.DataFrame({"check": ["h1_tree_beats_random"], "measured": ["0.9"],
    ...                                          "expected": ["> 0.5"], "verdict": ["agrees"]})}
    >>> ledger = claims_ledger(checks, scale="smoke")
    >>> ledger.set_index("claim_id").loc["004-appH1-vs-random", "verdict"]
    'holds'
    """
    if not isinstance(scale, str) or not scale:
        raise ValueError(f"scale must be a non-empty string (smoke, quick or paper), got {scale!r}")
    unknown = set(tables) - set(CHECK_TABLES)
    if unknown:
        raise ValueError(f"tables must be named from {CHECK_TABLES}, got {sorted(unknown)}")
    out = []
    for claim in claims:
        shown = list(claim.shown_in)
        if claim.table is None:
            measured, own, verdict = f"nothing: {claim.untested_reason}", "", NOT_TESTABLE
        elif claim.table not in tables:
            measured, own, verdict = f"nothing: check table {claim.table} not built", "", NOT_TESTABLE
        else:
            rows = _select(tables[claim.table], claim.select)
            if rows.empty:
                measured, own, verdict = "nothing: no check row at this config", "", NOT_TESTABLE
            else:
                pairs = [_row_verdict(claim.table, row) for _, row in rows.iterrows()]
                measured = "; ".join(
                    f"{_measured(claim.table, row)} ({mine})" for (_, row), (mine, _) in zip(rows.iterrows(), pairs)
                )
                counts = Counter(mine for mine, _ in pairs)
                own = ", ".join(f"{name} x{n}" for name, n in counts.items())
                verdict = combine_verdicts([norm for _, norm in pairs])
                if claim.table == "rate_check":
                    shown = _study_figures(rows) + shown
        out.append(
            {
                "claim_id": claim.claim_id,
                "paper": claim.paper,
                "where": claim.where,
                "claim": claim.claim,
                "measured": measured,
                "scale": scale,
                "verdict": verdict,
                "check_table": claim.table or "none",
                "check_verdicts": own or "none",
                "shown_in": ", ".join(shown) or "none",
            }
        )
    return pd.DataFrame(out, columns=LEDGER_COLUMNS)


def verdict_counts(ledger: pd.DataFrame) -> dict[str, int]:
    """Number of claims per verdict, in the order holds, fails, not testable here."""
    counts = ledger["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in VERDICTS}


def ledger_markdown(ledger: pd.DataFrame) -> str:
    """The ledger as Markdown: verdict counts per paper, then one table row per claim."""
    from .io import markdown_table

    lines = [
        "# Claims ledger",
        "",
        f"Scale: {', '.join(sorted(set(ledger['scale'])))}. Verdicts are computed from the check tables "
        "(`banditlab.claims`), never written by hand.",
        "",
    ]
    for paper, group in ledger.groupby("paper", sort=False):
        counts = verdict_counts(group)
        lines.append(f"* {paper}: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    counts = verdict_counts(ledger)
    lines += ["* all: " + ", ".join(f"{n} {v}" for v, n in counts.items()), ""]
    shown = ledger[["paper", "where", "claim", "measured", "verdict", "shown_in"]]
    return "\n".join(lines) + "\n" + markdown_table(shown)


def write_ledger(table_paths: Mapping[str, str], scale: str, csv_path: str, md_path: str) -> pd.DataFrame:
    """Read the check tables, build the ledger and write it as CSV and Markdown (the ``claims`` rule)."""
    from .io import write_table, write_text

    tables = {name: pd.read_csv(path) for name, path in table_paths.items()}
    ledger = claims_ledger(tables, scale)
    write_table(ledger, csv_path)
    write_text(ledger_markdown(ledger), md_path)
    return ledger


__all__ = [
    "CLAIMS",
    "CHECK_TABLES",
    "Claim",
    "FAILS",
    "HOLDS",
    "NOT_TESTABLE",
    "VERDICTS",
    "VERDICT_MAP",
    "claims_ledger",
    "combine_verdicts",
    "ledger_markdown",
    "normalise_verdict",
    "verdict_counts",
    "write_ledger",
]
