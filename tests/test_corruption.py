"""Corrupting finished results so they plainly contradict a claim turns that claim into "fails" when only the
tables, the checks and the ledger are rerun, through snakemake; a claim whose smoke rows lie outside its premises
(Section 4's, at the smoke sizes: N below log(dNT)) cannot fail there, and its ledger says the rows would.

Uses the session's smoke run (``smoke_run`` in conftest.py, in a temporary copy of the workflow, never the
checkout's results): its results and Snakemake's metadata are copied into another temporary workflow copy,
four results are corrupted, and snakemake rebuilds ``results/tables/claims.csv``; no point job may run again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from workflow_copy import copy_workflow

SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def _edit(paths, change) -> int:
    """Rewrite every CSV of ``paths`` with ``change(frame)``; returns how many were rewritten."""
    count = 0
    for path in paths:
        frame = pd.read_csv(path)
        change(frame)
        frame.to_csv(path, index=False, float_format="%.10g")
        count += 1
    return count


def _flatten_independent_ols(frame: pd.DataFrame) -> None:
    rows = (frame["estimator"] == "independent_ols") & (frame["metric"] == "l1")
    frame.loc[rows, "error"] = 1.0  # the error curve that should fall like n^-1/2 is flat


def _far_below_the_bound(frame: pd.DataFrame) -> None:
    rows = (frame["estimator"] == "independent_ols") & (frame["metric"] == "l1")
    frame.loc[rows, "error"] *= 0.01  # errors a hundred times below Proposition 4's bound


def _steep_in_d(frame: pd.DataFrame) -> None:
    rows = frame["policy"] == "rmbandit"
    frame.loc[rows, "value"] *= frame.loc[rows, "d"].astype(float) ** 3  # RMBandit's regret times d^3


def _optimum_times_ten(frame: pd.DataFrame) -> None:
    """RMBandit's target regret times ten where it shares with the N~ nearest d^(1/(alpha+1)) (Corollary 4)."""
    optimum = frame["d"].astype(float) ** (1 / (frame["alpha"].astype(float) + 1))
    grid = frame["n_tilde"].astype(float)
    nearest = frame.assign(gap=(grid / optimum).map(np.log).abs()).groupby("alpha")["gap"].transform("min")
    rows = (frame["policy"] == "rmbandit") & ((grid / optimum).map(np.log).abs() == nearest)
    frame.loc[rows, "value"] *= 10.0


OUTSIDE_AT_SMOKE = {"000-corollary3-d", "000-corollary4-ntilde"}
"""Claims whose smoke rows are outside their premises: they turn to "outside premises ... would fail"."""

CORRUPTIONS = {
    "000-table1-independent_ols-standard": ("results/estimation/error_vs_n", _flatten_independent_ols),
    "000-proposition4": ("results/estimation/construction_vs_n", _far_below_the_bound),
    "000-corollary3-d": ("results/bandits/regret_vs_d", _steep_in_d),
    "000-corollary4-ntilde": ("results/bandits/network", _optimum_times_ten),
}


@pytest.mark.slow
def test_corrupted_results_turn_their_claims_into_fails(smoke_run, tmp_path):
    work = copy_workflow(tmp_path / "work")
    shutil.copytree(smoke_run / "results", work / "results")
    shutil.copytree(smoke_run / ".snakemake" / "metadata", work / ".snakemake" / "metadata")
    before = pd.read_csv(work / "results/tables/claims.csv").set_index("claim_id")["verdict"]
    for folder, change in CORRUPTIONS.values():
        assert _edit(sorted((work / folder).glob("*.csv")), change) >= 1
    result = subprocess.run(
        [str(SNAKEMAKE), "results/tables/claims.csv", "--cores", "2", "--configfile", "config/smoke.yaml"],
        cwd=work,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    ran = result.stdout + result.stderr
    assert "rule estimation_point" not in ran and "rule bandits_point" not in ran and "rule pareto_point" not in ran
    ledger = pd.read_csv(work / "results/tables/claims.csv").set_index("claim_id")
    after = ledger["verdict"]
    for claim_id in CORRUPTIONS:
        if claim_id in OUTSIDE_AT_SMOKE:
            assert after[claim_id] == "outside premises", (claim_id, before[claim_id], after[claim_id])
            assert "would fail" in ledger.loc[claim_id, "reason"], ledger.loc[claim_id, "reason"]
        else:
            assert after[claim_id] == "fails", (claim_id, before[claim_id], after[claim_id])
