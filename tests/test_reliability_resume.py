"""Issue 7, kill and resume: SIGKILL the smoke workflow's process group mid-run, restart it, and check
it finishes with results byte-identical to an uninterrupted run, and that no file a later job reads
was ever partially written.

Both runs use fresh copies of the workflow in temporary folders (never the shared results/), and a
subset of targets (one table per study: point jobs of all three
studies plus the concatenation jobs that read them) to keep the test near a minute.

Resume procedure checked here (and documented in the README): a SIGKILLed Snakemake leaves its lock
in .snakemake/locks, so ``snakemake --unlock`` first, then rerun the same command; the default
profile's ``rerun-incomplete: true`` reruns the jobs that were running when the run was killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from workflow_copy import copy_workflow

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
TARGETS = [
    "results/estimation/error_vs_n.csv",
    "results/pareto/nu.csv",
    "results/bandits/regret_vs_d.csv",
]
ARGS = [*TARGETS, "--cores", "2", "--configfile", "config/smoke.yaml"]
ENV = {**os.environ, "MPLBACKEND": "Agg"}


def snakemake(cwd: Path, *args: str, timeout: float = 400) -> subprocess.CompletedProcess:
    return subprocess.run([str(SNAKEMAKE), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)


def result_files(work: Path) -> dict[str, bytes]:
    """Every visible file under results/ (temporary files of the atomic writer start with '.')."""
    return {
        str(path.relative_to(work)): path.read_bytes()
        for path in sorted((work / "results").rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_gives_identical_tables(tmp_path):
    reference_dir = copy_workflow(tmp_path / "uninterrupted")
    work = copy_workflow(tmp_path / "killed")

    reference = snakemake(reference_dir, *ARGS)
    assert reference.returncode == 0, reference.stderr[-3000:]
    expected = result_files(reference_dir)
    assert set(TARGETS) <= set(expected)
    n_points = sum(1 for name in expected if name.count("/") == 3)  # results/<study>/<experiment>/<point>.csv

    # Start in its own process group; kill the whole group once some but not all point files exist.
    process = subprocess.Popen(
        [str(SNAKEMAKE), *ARGS],
        cwd=work,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            done = (
                [p for p in (work / "results").rglob("*.csv") if len(p.relative_to(work).parts) == 4]
                if (work / "results").exists()
                else []
            )
            if len(done) >= 2:
                break
            time.sleep(0.2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"

    partial = result_files(work)
    assert 2 <= sum(1 for name in partial if name.count("/") == 3) < n_points
    assert not set(TARGETS) <= set(partial)
    # No visible file is truncated: everything already in place equals the uninterrupted run's file.
    for name, content in partial.items():
        assert content == expected[name], f"{name} differs from the uninterrupted run after SIGKILL"

    # The kill may leave Snakemake's lock behind: then the error says to --unlock, and we do.
    resumed = snakemake(work, *ARGS)
    unlocked = resumed.returncode != 0
    if unlocked:
        assert "--unlock" in resumed.stderr + resumed.stdout, resumed.stderr[-3000:]
        unlock = snakemake(work, "--unlock", "--cores", "1", "--configfile", "config/smoke.yaml")
        assert unlock.returncode == 0, unlock.stderr[-2000:]
        resumed = snakemake(work, *ARGS)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    final = result_files(work)
    assert final.keys() == expected.keys()
    for name in expected:
        assert final[name] == expected[name], f"{name} differs from the uninterrupted run after resume"
    for target in TARGETS:
        assert not pd.read_csv(work / target).isna().to_numpy().all(axis=0).any()
    # leftovers of killed atomic writes are hidden temp files, never a target's name
    leftovers = [p.name for p in (work / "results").rglob(".*.tmp")]
    assert all(name.startswith(".") for name in leftovers)
    print(f"needed --unlock: {unlocked}; temporary files left by killed writes: {leftovers}")
