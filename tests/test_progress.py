"""Long point jobs report progress: each study's run_point logs replicates done, with the elapsed time."""

import logging

import pytest
import yaml
from workflow_copy import ROOT

from banditlab.bandits import experiments as bandit_experiments
from banditlab.estimation import experiments as estimation
from banditlab.pareto import experiments as pareto_experiments

SMOKE = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())


def _progress_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.INFO and "replicates (" in r.getMessage()]


@pytest.mark.parametrize("study", ["pareto", "bandits", "estimation"])
def test_run_point_logs_progress(study, caplog):
    caplog.set_level(logging.INFO)
    if study == "pareto":
        cfg = SMOKE["pareto"]
        label = next(iter(pareto_experiments.experiment_points(cfg)["nu"]))
        pareto_experiments.run_point("nu", label, cfg, seed=1, scale="smoke")
        total = cfg["experiments"]["nu"]["replicates"]
    elif study == "bandits":
        cfg = SMOKE["bandits"]
        bandit_experiments.run_point("sensitivity", "grid", cfg, seed=1, scale="smoke")
        total = cfg["replicates"]
    else:
        spec = SMOKE["estimation"]["studies"]["error_vs_n"]
        _, point = estimation.study_points(SMOKE["estimation"], "error_vs_n")[0]
        total = 3
        estimation.run_point("error_vs_n", spec["axis"], point, replicates=total, seed=1, confidence=0.05)
    lines = _progress_lines(caplog)
    assert lines, "no progress line"
    assert lines[-1].split(": ")[-1].startswith(f"{total}/{total} replicates ("), lines
