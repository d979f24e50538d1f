"""Two tiers: `pytest` runs the fast tests (about 2 minutes on 2 cores); `pytest --runslow` runs the full suite,
slow tests included (what CI runs, .ci/run). An explicit `-m` expression (`pytest -m slow`) selects as usual.

The tests that need a finished workflow run get their own (`smoke_run`: the smoke config, run once per
session in a temporary copy of the workflow), never the results, figures or report of the checkout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from workflow_copy import copy_workflow

FULL_SUITE = "pytest --runslow"


def pytest_addoption(parser):
    parser.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="run the slow tests too (the full suite, what CI runs: about 12 minutes on 2 cores)",
    )


def _fast_tier(config) -> bool:
    return not config.getoption("--runslow") and not config.getoption("markexpr")


def pytest_report_header(config):
    if _fast_tier(config):
        return f"fast tier: tests marked slow are deselected; the full suite: {FULL_SUITE}"
    return None


def pytest_collection_modifyitems(config, items):
    if not _fast_tier(config):
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    deselected = len(terminalreporter.stats.get("deselected", []))
    if _fast_tier(config) and deselected:
        terminalreporter.write_line(f"{deselected} slow tests deselected (the fast tier); all of them: {FULL_SUITE}")


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """A finished smoke run (`snakemake --cores 2 --configfile config/smoke.yaml`, report included) in a
    temporary copy of the workflow; shared by the tests that read a run's outputs. Never change its outputs
    (copy them first, as test_corruption.py does); dry runs (-n) in it are fine."""
    work = copy_workflow(tmp_path_factory.mktemp("smoke") / "work")
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", "--configfile", "config/smoke.yaml"],
        cwd=work,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"the smoke run in {work} failed:\n{result.stderr[-3000:]}"
    return work
