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

from banditlab.bandits.experiments import DIAGNOSTIC_COLUMNS
from banditlab.io import write_table
from banditlab.pareto.study import STUDY as PARETO
from banditlab.runner import run_config_point
from banditlab.study import points

ROOT = Path(__file__).resolve().parents[1]
SMOKE = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())


def estimation_cfg():
    cfg = copy.deepcopy(SMOKE["estimation"])
    cfg["base"].update(n_instances=4, dim=8, n_per_instance=30, n_target=20)
    cfg["experiments"] = {"grid": {"grid": {"n_per_instance": [30, 45]}, "figure": "error_curve"}}
    cfg["replicates"] = 2
    return cfg


def pareto_cfg():
    cfg = copy.deepcopy(SMOKE["pareto"])
    cfg["experiments"]["nu"].update(T=600, t_p=200, K=3, grid={"a": [0.0, 2.0]}, replicates=2)
    return cfg


def bandits_cfg():
    cfg = copy.deepcopy(SMOKE["bandits"])
    cfg["policies"] = ["rmbandit", "ols_bandit", "greedy"]
    cfg["experiments"]["regret_vs_d"].update(N=3, grid={"d": [4, 5]}, T_per_instance=60)
    return cfg


def run_estimation(label: str, seed: int, alone: bool = False):
    cfg = estimation_cfg()
    if alone:
        cfg["experiments"]["grid"]["grid"]["n_per_instance"] = [int(label)]
    table = run_config_point("estimation", cfg, "grid", label, seed=seed, scale="smoke")
    return table.drop(columns=[c for c in table.columns if "seconds" in c or "time" in c])


def run_pareto(label: str, seed: int, alone: bool = False):
    cfg = pareto_cfg()
    if alone:
        (point,) = [p for p in points(PARETO, cfg, "nu") if p.label == label]
        cfg["experiments"]["nu"]["grid"]["a"] = [point.values["a"]]
    return run_config_point("pareto", cfg, "nu", label, seed=seed, scale="smoke")


def run_bandits(label: str, seed: int, alone: bool = False):
    cfg = bandits_cfg()
    if alone:
        cfg["experiments"]["regret_vs_d"]["grid"]["d"] = [int(label[1:])]
    return run_config_point("bandits", cfg, "regret_vs_d", label, seed=seed, scale="smoke")


STUDIES = {
    "estimation": (run_estimation, ["30", "45"]),
    "pareto": (run_pareto, sorted(p.label for p in points(PARETO, pareto_cfg(), "nu"))),
    "bandits": (run_bandits, ["d4", "d5"]),
}


def csv_bytes(frame, tmp_path, name):
    path = write_table(
        frame,
        tmp_path / f"{name}.csv",
        nan_ok=[c for c in frame.columns if frame[c].isna().any() and c in ("a", *DIAGNOSTIC_COLUMNS)],
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
