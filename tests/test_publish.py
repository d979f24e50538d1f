"""Publishing a paper-scale run: wall times from the Snakemake log, the folder, and the checks that keep it honest."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from banditlab import publish
from banditlab.claims import CLAIMS

ROOT = Path(__file__).resolve().parents[1]

LOG = """Building DAG of jobs...
[Fri Nov 27 15:47:13 2026]
localrule estimation_point:
    output: results/estimation/error_vs_n/200.csv
    jobid: 24
[Fri Nov 27 15:47:13 2026]
rule pareto_point:
    jobid: 6
[Fri Nov 27 15:47:23 2026]
Finished jobid: 24 (Rule: estimation_point)
[Fri Nov 27 15:48:03 2026]
localrule rate_check:
    jobid: 2
[Fri Nov 27 15:49:00 2026]
Finished jobid: 6 (Rule: pareto_point)
[Fri Nov 27 15:49:13 2026]
Finished jobid: 2 (Rule: rate_check)
[Fri Nov 27 15:49:20 2026]
localrule claims_ledger:
    jobid: 1
[Fri Nov 27 15:49:30 2026]
Finished jobid: 1 (Rule: claims_ledger)
"""


def test_job_times_and_wall_times_per_study(tmp_path):
    jobs = publish.job_times(LOG)
    assert list(jobs["rule"]) == ["estimation_point", "pareto_point", "rate_check", "claims_ledger"]
    log = tmp_path / "2026-11-27T154700.123456.snakemake.log"
    log.write_text(LOG)
    walls = publish.wall_times(log)
    assert (
        walls["estimation"] == (dt.datetime(2026, 11, 27, 15, 49, 13) - dt.datetime(2026, 11, 27, 15, 47, 13)).seconds
    )
    assert walls["pareto"] == 107 and "bandits" not in walls
    assert walls["all"] == 150  # 15:47:00 to the last job's end
    assert publish.study_of("figure_error_curve") == "estimation" and publish.study_of("claims_ledger") is None


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
