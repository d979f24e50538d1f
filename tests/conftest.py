"""The tests that need a finished workflow run get their own (`smoke_run`: the smoke config, run once per
session in a temporary copy of the workflow), never the results, figures or report of the checkout."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from workflow_copy import copy_workflow


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
