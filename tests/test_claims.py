"""The claims ledger maps every check table's verdicts to holds / fails / not testable here."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from banditlab.claims import (
    CHECK_TABLES,
    CLAIMS,
    FAILS,
    HOLDS,
    NOT_TESTABLE,
    VERDICT_MAP,
    VERDICTS,
    claims_ledger,
    combine_verdicts,
    ledger_markdown,
    normalise_verdict,
    verdict_counts,
    write_ledger,
)
from banditlab.report import table_html

ROOT = Path(__file__).resolve().parents[1]


def _rate(study, estimator, regime, verdict):
    return dict(
        study=study,
        axis="dim",
        regime=regime,
        estimator=estimator,
        measured_slope=1.0,
        ci_low=0.9,
        ci_high=1.1,
        predicted_slope=1.0,
        verdict=verdict,
    )


def synthetic_tables():
    rate = pd.DataFrame(
        [
            _rate("error_vs_n", "independent_ols", "standard", "agrees"),
            _rate("error_vs_d", "independent_ols", "standard", "not identifiable at this scale"),
            _rate("error_vs_n", "averaging_multitask", "standard", "agrees"),
            _rate("error_vs_d", "averaging_multitask", "standard", "disagrees"),
            _rate("data_poor_vs_d", "robust_multitask", "data_poor", "not identifiable at this scale"),
        ]
    )
    bound = pd.DataFrame(
        [
            dict(
                axis="deviation_size",
                axis_value=1.0,
                estimator="x",
                measured_l1=2.0,
                paper_bound=1.0,
                source=s,
                verdict=v,
            )
            for s, v in [("Proposition 4", "holds"), ("Theorem 1", "vacuous (failure probability >= 1)")]
        ]
    )
    regret = pd.DataFrame(
        [
            dict(
                claim="regret polylog in T",
                policy="rmbandit",
                quantity="a",
                fitted=2.0,
                ci95=0.5,
                predicted=2.0,
                verdict="exceeds prediction",
            ),
            dict(
                claim="regret polylog in T",
                policy="ols_bandit",
                quantity="a",
                fitted=1.0,
                ci95=0.5,
                predicted=1.0,
                verdict="consistent",
            ),
        ]
    )
    pareto = pd.DataFrame(
        [
            dict(check="h1_tree_beats_random", measured="0.9", expected="> 0.5", verdict="agrees"),
            dict(check="theorem1_cumulative_a7", measured="1.0", expected="<= -1", verdict="disagrees"),
            dict(check="h1_effect_K", measured="0.1", expected="+", verdict="inconclusive"),
        ]
    )
    gap = pd.DataFrame(
        [
            dict(
                arm=f"A{i}",
                cone=c,
                gap=0.1,
                paper_value=0.1,
                matches_4dp=not (c == "C3" and i == 1),
                pareto_matches=True,
            )
            for c in ("C1", "C3")
            for i in range(3)
        ]
    )
    index = pd.DataFrame([dict(K=5, n_contexts=11, share_equal=1.0), dict(K=10, n_contexts=11, share_equal=1.0)])
    return {
        "rate_check": rate,
        "bound_check": bound,
        "regret_check": regret,
        "pareto_check": pareto,
        "pareto_gap_table": gap,
        "pareto_index_claim": index,
    }


def test_every_vocabulary_maps_to_the_three_verdicts():
    for table, mapping in VERDICT_MAP.items():
        assert set(mapping.values()) <= set(VERDICTS), table
        for own, norm in mapping.items():
            assert normalise_verdict(table, own) == norm


def test_unknown_verdict_or_table_is_refused():
    with pytest.raises(ValueError, match="unknown verdict 'maybe' in check table 'rate_check'"):
        normalise_verdict("rate_check", "maybe")
    with pytest.raises(ValueError, match="table must be one of"):
        normalise_verdict("no_such_table", "agrees")
    tables = synthetic_tables()
    tables["pareto_check"].loc[0, "verdict"] = "sort of"
    with pytest.raises(ValueError, match="sort of"):
        claims_ledger(tables, "smoke")
    with pytest.raises(ValueError, match="scale"):
        claims_ledger(synthetic_tables(), "")
    with pytest.raises(ValueError, match="tables must be named"):
        claims_ledger({"other": pd.DataFrame()}, "smoke")


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([], NOT_TESTABLE),
        ([NOT_TESTABLE, HOLDS], HOLDS),
        ([HOLDS, FAILS, NOT_TESTABLE], FAILS),
        ([NOT_TESTABLE], NOT_TESTABLE),
    ],
)
def test_combine(rows, expected):
    assert combine_verdicts(rows) == expected


def test_ledger_from_synthetic_tables():
    ledger = claims_ledger(synthetic_tables(), "smoke").set_index("claim_id")
    assert len(ledger) == len(CLAIMS) and ledger.index.is_unique
    assert set(ledger["verdict"]) <= set(VERDICTS) and set(ledger["scale"]) == {"smoke"}
    v = ledger["verdict"]
    assert v["000-table1-independent_ols-standard"] == HOLDS  # agrees + not identifiable
    assert v["000-table1-averaging_multitask-standard"] == FAILS  # one disagreement is enough
    assert v["000-table1-robust_multitask-data_poor"] == NOT_TESTABLE
    assert v["000-table1-pooling-standard"] == NOT_TESTABLE  # no row at this config
    assert "no check row" in ledger.loc["000-table1-pooling-standard", "measured"]
    assert v["000-proposition4"] == HOLDS and v["000-theorem1"] == NOT_TESTABLE
    assert v["000-corollary3-T"] == FAILS  # only rmbandit rows count
    assert v["004-appH1-vs-random"] == HOLDS and v["004-theorem1"] == FAILS and v["004-appH1-K"] == NOT_TESTABLE
    assert v["004-table1-C1"] == HOLDS and v["004-table1-C3"] == FAILS
    assert v["004-appH-pareto-indices"] == HOLDS
    assert v["000-corollary4-d"] == NOT_TESTABLE  # no experiment tests it
    shown = ledger.loc["000-table1-independent_ols-standard", "shown_in"]
    assert "figures/error_vs_n.png" in shown and "figures/error_vs_d.png" in shown
    counts = verdict_counts(ledger.reset_index())
    assert sum(counts.values()) == len(CLAIMS)


def test_flipping_a_check_verdict_flips_the_claim():
    tables = synthetic_tables()
    tables["pareto_check"].loc[0, "verdict"] = "disagrees"
    assert claims_ledger(tables, "quick").set_index("claim_id").loc["004-appH1-vs-random", "verdict"] == FAILS
    tables["pareto_index_claim"].loc[1, "share_equal"] = 0.5
    assert claims_ledger(tables, "quick").set_index("claim_id").loc["004-appH-pareto-indices", "verdict"] == FAILS


def test_missing_table_is_not_testable():
    tables = synthetic_tables()
    del tables["regret_check"]
    ledger = claims_ledger(tables, "quick")
    rows = ledger[ledger["check_table"] == "regret_check"]
    assert len(rows) > 0 and set(rows["verdict"]) == {NOT_TESTABLE}


def test_catalogue_covers_the_papers():
    ids = {c.claim_id for c in CLAIMS}
    for needed in (
        "000-theorem2-T",
        "000-theorem3-d",
        "000-corollary3-d",
        "000-corollary4-ntilde",
        "000-proposition7",
        "004-theorem1",
        "004-theorem2",
        "004-theorem3",
        "004-table1-C1",
        "004-appH-pareto-indices",
    ):
        assert needed in ids
    assert sum(c.claim_id.startswith("000-table1-") for c in CLAIMS) == 10
    assert {c.table for c in CLAIMS} - {None} == set(CHECK_TABLES)


def test_write_ledger_and_html(tmp_path):
    paths = {}
    for name, frame in synthetic_tables().items():
        paths[name] = tmp_path / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    ledger = write_ledger(paths, "smoke", tmp_path / "claims.csv", tmp_path / "claims.md")
    again = pd.read_csv(tmp_path / "claims.csv")
    assert list(again["verdict"]) == list(ledger["verdict"])
    md = (tmp_path / "claims.md").read_text()
    counts = verdict_counts(ledger)
    assert f"{counts[HOLDS]} holds, {counts[FAILS]} fails, {counts[NOT_TESTABLE]} not testable here" in md
    assert md == ledger_markdown(ledger)
    page = table_html(ledger, "claims")
    assert page.count("<tr>") == len(ledger) + 1 and "#f8d7d7" in page


@pytest.mark.slow
def test_report_renders_in_chromium(tmp_path):
    """Runs tests/report/check_report.sh on report.html at the repository root (built by `snakemake`).

    Skipped on a developer machine without Chromium or a report; in CI (CI=true, after the smoke run and
    the Chromium install of .ci/run) both must be there.
    """
    report = ROOT / "report.html"
    missing = []
    if not Path("/usr/bin/chromium").exists() or shutil.which("bash") is None:
        missing.append("chromium not installed (apt-get install chromium)")
    if not report.exists():
        missing.append("no report.html: run `snakemake` (its `all` ends with the report) first")
    if missing and os.environ.get("CI") == "true":
        pytest.fail("; ".join(missing))
    if missing:
        pytest.skip("; ".join(missing))
    result = subprocess.run(
        ["bash", str(ROOT / "tests/report/check_report.sh"), str(report), str(tmp_path)],
        capture_output=True,
        text=True,
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
