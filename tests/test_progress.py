"""Long point jobs report progress: the point runner logs the replicates done, with the elapsed time, in every study."""

import logging

import pytest
import yaml
from workflow_copy import ROOT

from banditlab.runner import run_config_point

SMOKE = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())


def _progress_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO and "replicates (" in r.getMessage()]


@pytest.mark.parametrize("study", ["pareto", "bandits", "estimation"])
def test_run_point_logs_progress(study, caplog):
    caplog.set_level(logging.INFO)
    experiment, label = {"pareto": ("nu", "K5_T3000_a0_t_p1000"), "bandits": ("sensitivity", "grid")}.get(
        study, ("error_vs_n", "60")
    )
    block = SMOKE[study]
    total = int(block["experiments"][experiment].get("replicates", block.get("replicates", 1)))
    run_config_point(study, block, experiment, label, seed=1, scale="smoke")
    lines = _progress_lines(caplog)
    assert lines, "no progress line"
    assert lines[-1].split(": ")[-1].startswith(f"{total}/{total} replicates ("), lines
