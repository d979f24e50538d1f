"""Issue 7, determinism at the package level: the same (config, seed) gives byte-identical tables
whatever ran before in the same process (job order) and whichever other points are in the grid; a
different seed gives different draws; no run touches numpy's or Python's global random state.

(Identity across ``--cores`` is checked by the workflow comparison script of issue 6; identity across
whole workflow runs by tests/test_reliability_resume.py.)
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import numpy as np
import pytest
import yaml

from banditlab.bandits import experiments as bandits
from banditlab.estimation import experiments as estimation
from banditlab.io import write_table
from banditlab.pareto import experiments as pareto

ROOT = Path(__file__).resolve().parents[1]
SMOKE = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())


def estimation_cfg():
    cfg = copy.deepcopy(SMOKE["estimation"])
    cfg["base"].update(n_instances=4, dim=8, n_per_instance=30, n_target=20)
    cfg["studies"] = {"grid": {"axis": "n_per_instance", "values": [30, 45], "plot": "loglog"}}
    return cfg


def pareto_cfg():
    cfg = copy.deepcopy(SMOKE["pareto"])
    cfg["experiments"]["nu"].update(T=600, t_p=200, K=3, source_exponents=[0.0, 2.0], replicates=2)
    return cfg


def bandits_cfg():
    cfg = copy.deepcopy(SMOKE["bandits"])
    cfg["policies"] = ["rmbandit", "ols_bandit", "greedy"]
    cfg["regret_vs_d"].update(N=3, d=[4, 5], T_per_instance=60)
    return cfg


def run_estimation(label: str, seed: int, alone: bool = False):
    cfg = estimation_cfg()
    if alone:
        cfg["studies"]["grid"]["values"] = [int(label)]
    point = dict(estimation.study_points(cfg, "grid"))[label]
    table = estimation.run_point(
        "grid", "n_per_instance", point, replicates=2, seed=seed, confidence=cfg["confidence"], scale="smoke"
    )
    return table.drop(columns=[c for c in table.columns if "seconds" in c or "time" in c])


def run_pareto(label: str, seed: int, alone: bool = False):
    cfg = pareto_cfg()
    if alone:
        cfg["experiments"]["nu"]["source_exponents"] = [pareto.experiment_points(cfg)["nu"][label]["a"]]
    return pareto.run_point("nu", label, cfg, seed=seed, scale="smoke")


def run_bandits(label: str, seed: int, alone: bool = False):
    cfg = bandits_cfg()
    if alone:
        cfg["regret_vs_d"]["d"] = [int(label[1:])]
    return bandits.run_point("regret_vs_d", label, cfg, seed=seed, scale="smoke")


STUDIES = {
    "estimation": (run_estimation, ["30", "45"]),
    "pareto": (run_pareto, sorted(pareto.experiment_points(pareto_cfg())["nu"])),
    "bandits": (run_bandits, ["d4", "d5"]),
}


def csv_bytes(frame, tmp_path, name):
    path = write_table(
        frame, tmp_path / f"{name}.csv", nan_ok=[c for c in frame.columns if frame[c].isna().any() and c == "a"]
    )
    return path.read_bytes()


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_point_tables_do_not_depend_on_job_order_or_on_the_rest_of_the_grid(study, tmp_path):
    run, (first, second) = STUDIES[study]
    # the point in a one-point grid, first; then the other point; then the point in the full grid.
    alone = csv_bytes(run(first, 11, alone=True), tmp_path, "alone")
    csv_bytes(run(second, 11), tmp_path, "other")
    after_other = csv_bytes(run(first, 11), tmp_path, "after")
    assert alone == after_other
    assert len(alone) > 200


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_a_different_seed_gives_different_draws(study, tmp_path):
    run, (first, _) = STUDIES[study]
    a, b = run(first, 11), run(first, 12)
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    value = "value" if "value" in a.columns else a.select_dtypes("number").columns[-1]
    assert not np.array_equal(a[value].to_numpy(), b[value].to_numpy())
    assert (a["seed"] != b["seed"]).all()


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_runs_never_use_the_global_random_state(study, monkeypatch):
    """A run that seeded or drew from np.random / random would make results depend on job order."""
    run, (first, _) = STUDIES[study]
    np_state, py_state = np.random.get_state(), random.getstate()

    def forbidden(*args, **kwargs):
        raise AssertionError("global seeding is forbidden: derive a Generator with banditlab.seeding")

    monkeypatch.setattr(np.random, "seed", forbidden)
    monkeypatch.setattr(random, "seed", forbidden)
    run(first, 11)
    after = np.random.get_state()
    assert all(np.array_equal(x, y) for x, y in zip(np_state, after))
    assert random.getstate() == py_state


def test_a_fixed_global_seed_would_be_caught(monkeypatch):
    """The check above is not vacuous: code that draws from np.random changes its state."""
    before = np.random.get_state()[1].copy()
    np.random.random()
    assert not np.array_equal(before, np.random.get_state()[1])
