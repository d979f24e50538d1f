"""Publishing a paper-scale run: wall times from the Snakemake log, the folder, and the checks that keep it honest."""

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from banditlab import cost, publish
from banditlab.claims import CLAIMS

ROOT = Path(__file__).resolve().parents[1]

LOG = """Building DAG of jobs...
[Fri Nov 27 15:47:13 2026]
localrule points_estimation_error_vs_n_0:
    output: results/estimation/error_vs_n/60.csv, results/estimation/error_vs_n/240.csv
    jobid: 24
    reason: Missing output files: results/estimation/error_vs_n/60.csv
[Fri Nov 27 15:47:13 2026]
rule points_pareto_tp_0:
    jobid: 6
[Fri Nov 27 15:47:23 2026]
Finished jobid: 24 (Rule: points_estimation_error_vs_n_0)
[Fri Nov 27 15:48:03 2026]
localrule study_table:
    jobid: 2
    wildcards: table=rate_check
[Fri Nov 27 15:49:00 2026]
Finished jobid: 6 (Rule: points_pareto_tp_0)
[Fri Nov 27 15:49:13 2026]
Finished jobid: 2 (Rule: study_table)
[Fri Nov 27 15:49:20 2026]
localrule claims_ledger:
    jobid: 1
[Fri Nov 27 15:49:30 2026]
Finished jobid: 1 (Rule: claims_ledger)
"""


def test_job_times_and_wall_times_per_study(tmp_path):
    jobs = publish.job_times(LOG)
    batches = ["points_estimation_error_vs_n_0", "points_pareto_tp_0"]
    assert list(jobs["rule"]) == [*batches, "study_table", "claims_ledger"]
    assert jobs["wildcards"].iloc[0] == {} and jobs["wildcards"].iloc[2] == {"table": "rate_check"}
    log = tmp_path / "2026-11-27T154700.123456.snakemake.log"
    log.write_text(LOG)
    names = publish.owners(yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text()))
    assert names["rate_check"] == "estimation" and names["pareto_tree"] == "pareto"
    assert names["points_pareto_tp_0"] == "pareto" and names["points_estimation_error_vs_n_0"] == "estimation"
    walls = publish.wall_times(log, names=names)
    assert (
        walls["estimation"] == (dt.datetime(2026, 11, 27, 15, 49, 13) - dt.datetime(2026, 11, 27, 15, 47, 13)).seconds
    )
    assert walls["pareto"] == 107 and "bandits" not in walls
    assert walls["all"] == 150  # 15:47:00 to the last job's end
    assert publish.study_of("figure", {"figure": "error_vs_n"}, names) == "estimation"
    assert publish.study_of("claims_ledger", {}, names) is None


def test_the_run_log_is_the_one_that_ran_publish_not_the_report_builds(tmp_path):
    """The report job runs a second snakemake whose log is newer than the run's: wall times must not come from it."""
    run = LOG + "[Fri Nov 27 15:49:31 2026]\nlocalrule publish:\n    jobid: 0\n"
    (tmp_path / "2026-11-27T154700.123456.snakemake.log").write_text(run)
    (tmp_path / "2026-11-27T154925.000000.snakemake.log").write_text("Building DAG of jobs...\nCreating report...\n")
    assert publish.run_log(tmp_path).name.startswith("2026-11-27T154700")
    assert publish.wall_times(publish.run_log(tmp_path))["all"] == 150
    with pytest.raises(FileNotFoundError, match="ran a publish job"):
        publish.run_log(tmp_path / "empty")


def _published(tmp_path, scale="paper", claim_ids=None, commit=None):
    ids = [c.claim_id for c in CLAIMS] if claim_ids is None else claim_ids
    tmp_path.mkdir(parents=True, exist_ok=True)
    table = tmp_path / "claims.csv"
    pd.DataFrame({"claim_id": ids, "scale": scale, "verdict": "holds"}).to_csv(table, index=False)
    figure = tmp_path / "a.png"
    figure.write_bytes(b"png")
    record = {"scale": scale, "commit": commit or publish.git_commit(ROOT)}
    return publish.publish(tmp_path / "paper-scale", [table], [figure], record)


def test_publish_writes_the_folder_and_it_checks_out(tmp_path):
    folder = _published(tmp_path)
    assert (folder / "claims.csv").exists() and (folder / "figures" / "a.png").exists()
    assert yaml.safe_load((folder / "provenance.yaml").read_text())["scale"] == "paper"
    assert publish.check_published(folder, [c.claim_id for c in CLAIMS], ROOT) == []


def test_check_published_names_every_problem(tmp_path):
    folder = _published(tmp_path, claim_ids=[c.claim_id for c in CLAIMS][1:], commit="0" * 40)
    problems = " ".join(publish.check_published(folder, [c.claim_id for c in CLAIMS], ROOT))
    assert CLAIMS[0].claim_id in problems and "not an ancestor of HEAD" in problems
    with pytest.raises(ValueError, match="only a paper-scale run is published"):
        _published(tmp_path / "quick", scale="quick")


def test_the_published_paper_scale_folder_is_honest():
    """docs/paper-scale/ (the README's headline) has a paper-scale row for every claim of the catalogue, and
    was produced at a commit of this history. A claim added later fails here until the folder is refreshed:
    `snakemake publish --cores 2 --configfile config/paper.yaml`, then commit docs/paper-scale/."""
    folder = ROOT / "docs" / "paper-scale"
    problems = publish.check_published(folder, [c.claim_id for c in CLAIMS], ROOT)
    assert problems == [], "\n".join(problems)
    record = yaml.safe_load((folder / "provenance.yaml").read_text())
    assert {"estimation", "pareto", "bandits", "all"} <= set(record["wall_seconds"])
    assert record["command"] == "snakemake publish --cores 2 --configfile config/paper.yaml"
    assert record["machine"]["cores"] == 2 and record["wall_seconds"]["all"] <= 15 * 60  # the 15-minute budget
    assert record["uncommitted_changes"] is False
    published_figures = {path.name for path in (folder / "figures").glob("*.png")}
    assert published_figures, "no figure published"


def test_the_cost_model_predicts_the_published_run_within_a_factor_of_1_5_per_study():
    """`snakemake -n`'s estimate (banditlab.cost on config/paper.yaml) against the CPU seconds the published run's
    point jobs measured. Fails when the model or the paper config drifts from the published run: refit
    (benchmarks/refit_cost.py) or refresh the folder."""
    record = yaml.safe_load((ROOT / "docs" / "paper-scale" / "provenance.yaml").read_text())
    config = yaml.safe_load((ROOT / "config" / "paper.yaml").read_text())
    predicted = cost.batch_table(config).groupby("study")["seconds"].sum()
    for study, seconds in record["point_job_cpu_seconds"].items():
        assert 1 / 1.5 <= predicted[study] / seconds["measured"] <= 1.5, (study, predicted[study], seconds)


def test_the_readme_summary_matches_the_published_ledger():
    """The README's first screen states the paper-scale verdict counts; they are the published ledger's."""
    readme = " ".join((ROOT / "README.md").read_text().split())
    summary = (
        r"of (\d+) claims \((\d+) verdicts.*?\): (\d+) hold, (\d+) fail.*?, (\d+) are outside premises, "
        r"(\d+) are not testable here; (\d+) findings"
    )
    match = re.search(summary, readme)
    assert match, "README lost its paper-scale summary line"
    ledger = pd.read_csv(ROOT / "docs" / "paper-scale" / "claims.csv")
    findings = pd.read_csv(ROOT / "docs" / "paper-scale" / "findings.csv")
    counts = ledger["verdict"].value_counts()
    expected = (
        ledger["claim_id"].nunique(),
        len(ledger),
        *(int(counts.get(verdict, 0)) for verdict in ("holds", "fails", "outside premises", "not testable here")),
        len(findings),
    )
    assert tuple(int(group) for group in match.groups()) == expected


def test_uncommitted_changes_leaves_out_the_folder_being_published(tmp_path):
    """Snakemake removes the publish job's old outputs before it runs: that is not a change to the commit."""
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True)

    git("init", "-q")
    (tmp_path / "docs" / "paper-scale").mkdir(parents=True)
    (tmp_path / "docs" / "paper-scale" / "provenance.yaml").write_text("scale: paper\n")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("add", ".")
    git("commit", "-qm", "one")
    assert not publish.uncommitted_changes(tmp_path)
    (tmp_path / "docs" / "paper-scale" / "provenance.yaml").unlink()
    assert publish.uncommitted_changes(tmp_path)
    assert not publish.uncommitted_changes(tmp_path, exclude="docs/paper-scale")
    (tmp_path / "code.py").write_text("x = 2\n")
    assert publish.uncommitted_changes(tmp_path, exclude="docs/paper-scale")


def test_the_published_run_was_reproduced_byte_for_byte():
    """A second clean-clone run of the published commit (banditlab-compare --record) gave the same tables and
    ledger, byte for byte, within the same 15-minute budget."""
    record = yaml.safe_load((ROOT / "docs" / "paper-scale" / "provenance.yaml").read_text())
    reproduced = record["reproduced"]
    assert reproduced["commit"] == record["commit"]
    assert reproduced["byte_identical"] and reproduced["files_that_differ"] == []
    assert reproduced["verdicts_that_differ"] == 0 and reproduced["values_beyond_tolerance"] == 0
    assert reproduced["wall_seconds"] <= 15 * 60
