"""The verdict engine's readings and guards: a claim is decided once per reading; a row whose policy played like its
comparator, a row the study marks untestable and an identity decide nothing, and take no part in Holm's
correction; a non-degenerate row still fails."""

import numpy as np
import pandas as pd

from banditlab import verdicts
from banditlab.claims import CLAIMS

BY_ID = {claim.claim_id: claim for claim in CLAIMS}
VS_RANDOM = BY_ID["004-appH1-vs-random"]


def comparison(estimate, se=0.01, **extra):
    return verdicts.measurement_row(VS_RANDOM, f"row {estimate}", "difference", estimate, se, 20, -np.inf, 0.0, **extra)


def evaluate(*rows):
    return verdicts.evaluate(pd.DataFrame(list(rows)), CLAIMS)


def test_a_row_that_plays_like_its_comparator_is_not_testable_even_when_it_would_fail():
    degenerate = comparison(0.5, comparator="uniform random", same_arm_share=0.996, reading="sound")
    out = evaluate(degenerate)
    assert out["row_verdict"].iloc[0] == verdicts.NOT_TESTABLE
    assert "plays like uniform random under reading sound" in out["row_reason"].iloc[0]
    assert "99.6%" in out["row_reason"].iloc[0]
    assert np.isnan(out["p_fail"].iloc[0]) and out["verdict"].iloc[0] == verdicts.NOT_TESTABLE
    assert out["reason"].iloc[0].startswith("under reading sound: ")


def test_a_row_that_differs_from_its_comparator_still_fails():
    """The guard's threshold is 99%: at 98.9% the same contradicting row fails."""
    out = evaluate(comparison(0.5, comparator="uniform random", same_arm_share=0.989, reading="as_printed"))
    assert out["row_verdict"].iloc[0] == verdicts.FAILS and out["verdict"].iloc[0] == verdicts.FAILS
    assert out["p_fail"].iloc[0] < 1e-10


def test_the_study_can_say_why_a_row_cannot_decide():
    out = evaluate(comparison(0.5, not_testable="nothing eliminated (mean active set 5 of K = 5)"))
    assert out["row_verdict"].iloc[0] == verdicts.NOT_TESTABLE
    assert out["row_reason"].iloc[0].endswith("nothing eliminated (mean active set 5 of K = 5)")
    assert np.isnan(out["p_fail"].iloc[0])


def test_identities_get_no_p_value_and_no_verdict():
    """Exact zeros with se = 0 (two policies identical on every draw) were given p = 0, which reads as a rejection in
    the check tables; now they get no p-value (and no Holm-adjusted one), their rows are "not testable here", and a
    real row beyond chance beside them still fails the claim."""
    real = comparison(0.02, se=0.0092)  # 95% interval just above 0: p = 2 (1 - Phi(0.02 / 0.0092)) ~ 0.03
    zeros = [comparison(0.0, se=0.0) for _ in range(5)]
    for zero, index in zip(zeros, range(5)):
        zero["row"] = f"zero {index}"
    out = evaluate(real, *zeros)
    identity = out["row"].str.startswith("zero")
    assert out.loc[identity, "p_fail"].isna().all() and out.loc[identity, "p_holm"].isna().all()
    assert (out.loc[identity, "row_verdict"] == verdicts.NOT_TESTABLE).all()
    assert "identity" in out.loc[identity, "row_reason"].iloc[0]
    assert out.loc[~identity, "p_holm"].iloc[0] == out.loc[~identity, "p_fail"].iloc[0] < 0.05
    assert out["verdict"].iloc[0] == verdicts.FAILS


def test_each_reading_is_its_own_claim_verdict():
    rows = [
        comparison(0.5, reading="as_printed"),
        comparison(-0.5, reading="sound"),
        comparison(-0.5, reading="sound", role=verdicts.CONTROL_ROLE),
    ]
    rows[2]["row"] = "control"
    out = evaluate(*rows)
    by_reading = verdicts.reading_verdicts(out)
    assert by_reading[("004-appH1-vs-random", "as_printed")][0] == verdicts.FAILS
    sound = by_reading[("004-appH1-vs-random", "sound")]
    assert sound[0] == verdicts.NOT_TESTABLE and sound[1].startswith("under reading sound: the rule cannot tell")
    markdown = verdicts.check_markdown(out, "t")
    assert "**004-appH1-vs-random** (as_printed): fails" in markdown
    assert "**004-appH1-vs-random** (sound): not testable here" in markdown


def test_rows_without_a_reading_keep_their_verdicts_and_wording():
    out = evaluate(comparison(0.5))
    assert "reading" not in out and out["verdict"].iloc[0] == verdicts.FAILS
    assert not out["reason"].iloc[0].startswith("under reading")


def test_the_ledger_reports_a_claim_once_per_reading():
    from banditlab.claims import claims_ledger, findings_table, ledger_markdown, summary_line

    out = evaluate(
        comparison(0.5, reading="as_printed"),
        comparison(0.5, reading="sound", comparator="uniform random", same_arm_share=1.0),
    )
    ledger = claims_ledger({"pareto_check": out}, "smoke")
    mine = ledger[ledger["claim_id"] == "004-appH1-vs-random"].set_index("reading")
    assert list(mine.index) == ["as_printed", "sound"]
    assert mine.loc["as_printed", "verdict"] == verdicts.FAILS
    assert mine.loc["sound", "verdict"] == verdicts.NOT_TESTABLE
    assert "plays like uniform random under reading sound" in mine.loc["sound", "reason"]
    assert set(ledger.loc[ledger["claim_id"] != "004-appH1-vs-random", "reading"]) == {verdicts.NO_READING}
    line = summary_line(ledger, findings_table())
    assert f"{len(CLAIMS)} claims, {len(CLAIMS) + 1} verdicts (the claims on Algorithm 1 once per reading)" in line
    assert "| claim | reading | kind |" in ledger_markdown(ledger, findings_table())
