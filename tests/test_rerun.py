"""Rerun behaviour: a point job depends on its own grid values and on the package code it runs, nothing else.

* A point's values (the job's params) hold what its run reads: they do not change when another point,
  another experiment or a check-only key changes, and a key the simulation reads changes them.
* The code digest of a point follows the imports of the functions it runs: a pareto point never reaches the
  estimators, the estimation and bandit points do, and editing a file changes the digest of exactly the
  points whose code imports it.
* Through snakemake: after a run, an edited grid value reruns that point only, and an edited estimator
  module (a modified copy of the package first on PYTHONPATH) reruns the estimation and bandit points
  but no pareto point.
"""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from workflow_copy import ROOT

import banditlab
from banditlab.batches import plan_batches
from banditlab.provenance import _follow, functions_digest
from banditlab.study import get_study, points

SMOKE = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())


def _values(study: str, block: dict) -> dict[tuple[str, str], dict]:
    declared = get_study(study)
    return {(e, p.label): p.values for e in block["experiments"] for p in points(declared, block, e)}


def _unchanged(study: str, edit) -> set[tuple[str, str]]:
    block = SMOKE[study]
    edited = copy.deepcopy(block)
    edit(edited)
    before, after = _values(study, block), _values(study, edited)
    return {key for key, values in before.items() if after.get(key) == values}


def test_pareto_point_values_ignore_other_points_and_check_keys():
    everything = set(_values("pareto", SMOKE["pareto"]))

    def edit(cfg):
        cfg["experiments"]["horizon"]["grid"]["T"] = [2000, 5000]  # 4000 -> 5000
        cfg["experiments"]["nu"]["t_p"] = 900
        cfg["alpha"], cfg["claim_grid"] = 0.3, 101  # read by the checks and figures only

    changed = {("horizon", "K5_T4000_a2_t_p500")} | {key for key in everything if key[0] == "nu"}
    assert _unchanged("pareto", edit) == everything - changed
    assert _unchanged("pareto", lambda cfg: cfg.update(sigma=2.0)) == set()  # read by every point


def test_pareto_shift_points_hold_their_own_schedule_only():
    def edit(cfg):
        cfg["experiments"]["shifts"]["schedules"]["multi_8_1"]["change_points"] = [400, 1000]

    everything = set(_values("pareto", SMOKE["pareto"]))
    assert _unchanged("pareto", edit) == everything - {("shifts", "K5_T3000_schedulemulti_8_1")}


def test_bandit_point_values_ignore_other_points():
    everything = set(_values("bandits", SMOKE["bandits"]))
    experiments = SMOKE["bandits"]["experiments"]
    assert _unchanged("bandits", lambda c: c["experiments"]["regret_vs_d"]["grid"].update(d=[4, 9])) == everything - {
        ("regret_vs_d", "d8")
    }
    network = {("network", label) for label in ("alpha0_d8", "alpha0_d16", "alpha1_d8", "alpha1_d16")}
    assert (
        _unchanged("bandits", lambda c: c["experiments"]["network"].update(n_tilde=[1, 2, 6])) == everything - network
    )
    grid = {"alpha": [0.0, 1.0], "d": [8, 12]}  # a new d: its points only
    assert _unchanged("bandits", lambda c: c["experiments"]["network"]["grid"].update(grid)) == everything - {
        ("network", "alpha0_d16"),
        ("network", "alpha1_d16"),
    }
    # the study-wide policy list is read by the experiments that name none of their own
    no_greedy = everything - _unchanged("bandits", lambda c: c.update(policies=["rmbandit", "oracle"]))
    assert {e for e, _ in no_greedy} == {e for e, spec in experiments.items() if "policies" not in spec}
    # the no-diversity family is read only where the contexts have no diversity
    louder = everything - _unchanged("bandits", lambda c: c["problem"]["no_diversity"].update(gap=2.0))
    assert {e for e, _ in louder} == {"regret_vs_t_no_diversity"}


def test_estimation_point_values_ignore_other_points():
    everything = set(_values("estimation", SMOKE["estimation"]))
    edit = lambda c: c["experiments"]["error_vs_n"]["grid"].update(n_per_instance=[60, 120])  # noqa: E731
    assert _unchanged("estimation", edit) == everything - {("error_vs_n", "240"), ("error_vs_n", "120")}
    assert _unchanged("estimation", lambda c: c.update(bootstrap_resamples=10)) == everything  # checks only


def _point_modules(study: str) -> set[str]:
    declared = get_study(study)
    run = declared.experiment(next(iter(SMOKE[study]["experiments"])), SMOKE[study]).run
    paths = ["banditlab.runner:run_point", run, declared.tidy]
    return {name for path in paths for name in _follow([path.partition(":")[0]], "banditlab")}


def test_point_code_follows_imports_and_parent_packages():
    pareto, estimation, bandits = (_point_modules(study) for study in ("pareto", "estimation", "bandits"))
    assert {"banditlab", "banditlab.pareto", "banditlab.pareto.experiments", "banditlab.runner"} <= pareto
    assert not any(
        name.startswith(("banditlab.estimators", "banditlab.bandits", "banditlab.estimation")) for name in pareto
    )
    assert {"banditlab.estimators.multitask", "banditlab.lasso", "banditlab.estimation.experiments"} <= estimation
    assert not any(name.startswith(("banditlab.pareto", "banditlab.bandits")) for name in estimation)
    assert "banditlab.estimators.multitask" in bandits  # the bandits' trimmed mean and LASSO come from the estimators
    for study in ("pareto", "estimation", "bandits"):  # no point reaches the claims, the checks or the figures
        modules = _point_modules(study)
        assert not any(name.endswith((".claims", ".rows", ".checks", ".figures")) for name in modules), study


def _package_copy(dest: Path) -> Path:
    shutil.copytree(Path(banditlab.__file__).parent, dest / "banditlab", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


POINT_CODE = {
    study: ["banditlab.runner:run_point", get_study(study).tidy]
    + sorted({get_study(study).experiment(e, SMOKE[study]).run for e in SMOKE[study]["experiments"]})
    for study in ("pareto", "estimation", "bandits")
}


def _digests(pythonpath: Path, digest: str = "functions_digest") -> dict[str, str]:
    """Each study's point-code digest (``banditlab.provenance.<digest>``) computed by the package at ``pythonpath``."""
    code = (
        f"import json, sys; from banditlab.provenance import {digest}; "
        f"print(json.dumps({{s: {digest}(p) for s, p in json.loads(sys.argv[1]).items()}}))"
    )
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    args = [sys.executable, "-c", code, json.dumps(POINT_CODE)]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return yaml.safe_load(out.stdout)


def test_code_digest_changes_with_the_code_a_point_imports(tmp_path):
    installed = {study: functions_digest(paths) for study, paths in POINT_CODE.items()}
    package = _package_copy(tmp_path / "copy")
    assert _digests(package) == installed  # contents and module names, not the location
    with open(package / "banditlab/estimators/multitask.py", "a") as handle:
        handle.write("\n# an edit\n")
    edited = _digests(package)
    assert {study for study in installed if edited[study] != installed[study]} == {"estimation", "bandits"}


def test_kernels_digest_follows_the_numba_modules_only(tmp_path):
    """The kernels rule's digest (what numba's cache depends on) changes with a module that defines a cached
    kernel, and not with one that only calls it: editing an estimator must not refill the cache (which would
    rerun every point of the study)."""
    package = _package_copy(tmp_path / "copy")
    before = _digests(package, "kernels_digest")
    with open(package / "banditlab/estimators/multitask.py", "a") as handle:
        handle.write("\n# an edit\n")
    assert _digests(package, "kernels_digest") == before
    with open(package / "banditlab/lasso.py", "a") as handle:
        handle.write("\n# an edit\n")
    edited = _digests(package, "kernels_digest")
    assert {study for study in before if edited[study] != before[study]} == {"estimation", "bandits"}


# --- through snakemake ---------------------------------------------------------------------------------

TARGETS = ["results/estimation/error_vs_n.csv", "results/pareto/horizon.csv", "results/bandits/regret_vs_n.csv"]


def _snakemake(cwd: Path, *args: str, pythonpath: Path | None = None) -> str:
    env = dict(os.environ, MPLBACKEND="Agg")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", *TARGETS, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def _planned_jobs(output: str) -> dict[str, int]:
    """``{rule: count}`` from the first 'Job stats' table of a dry run (empty: nothing to do)."""
    if "Nothing to be done" in output:
        return {}
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(count) for rule, count in re.findall(r"^(\w+)\s+(\d+)$", table, flags=re.M)}


def _planned_by_study(output: str) -> Counter:
    """``{(kind, study): count}`` of the point jobs (batches of points, ``points``) and experiment-table jobs a
    dry run plans."""
    batches = re.findall(r"^\s*rule points_(estimation|pareto|bandits)_\w+:", output, flags=re.M)
    tables = re.findall(r"^\s*rule experiment_table:.*?wildcards: study=(\w+)", output, flags=re.M | re.S)
    return Counter([("points", study) for study in batches] + [("experiment_table", study) for study in tables])


@pytest.fixture(scope="module")
def finished_run(smoke_run):
    """The session's smoke run (conftest.py); these tests only dry-run in it (-n writes no output)."""
    return smoke_run


@pytest.mark.slow
def test_a_finished_run_has_nothing_to_rerun(finished_run):
    assert _planned_jobs(_snakemake(finished_run, "-n", "--configfile", "config/smoke.yaml")) == {}


@pytest.mark.slow
def test_an_edited_grid_value_reruns_the_batch_that_holds_it_only(finished_run):
    config = yaml.safe_load((finished_run / "config/smoke.yaml").read_text())
    config["estimation"]["experiments"]["error_vs_n"]["grid"]["n_per_instance"] = [60, 120]  # 240 -> 120
    config["pareto"]["experiments"]["horizon"]["grid"]["T"] = [2000, 5000]  # 4000 -> 5000
    config["pareto"]["alpha"] = 0.3  # read by the check and a figure only
    config["bandits"]["experiments"]["regret_vs_n"]["grid"]["N"] = [3, 7]  # 6 -> 7
    config["bandits"]["experiments"]["regret_vs_d"]["grid"]["d"] = [4, 9]  # another experiment
    (finished_run / "edited.yaml").write_text(yaml.safe_dump(config))
    output = _snakemake(finished_run, "-n", "--configfile", "edited.yaml")
    planned = _planned_jobs(output)
    assert planned.pop("experiment_table") == 3, planned
    # the smoke grids are one batch per experiment (banditlab.batches): the edited experiments' batches only
    assert set(planned) == {"points_estimation_error_vs_n_0", "points_pareto_horizon_0", "points_bandits_regret_vs_n_0"}
    assert _planned_by_study(output) == Counter(
        {(kind, study): 1 for kind in ("points", "experiment_table") for study in ("estimation", "pareto", "bandits")}
    )


def _dry_run_after_editing(finished_run: Path, tmp_path: Path, module: str) -> str:
    """A dry run of the finished smoke run with a copy of the package whose ``module`` (a path under it) is edited."""
    package = _package_copy(tmp_path)
    with open(package / "banditlab" / module, "a") as handle:
        handle.write("\n# an edit\n")
    return _snakemake(finished_run, "-n", "--configfile", "config/smoke.yaml", pythonpath=package)


@pytest.mark.slow
def test_an_edited_estimator_reruns_what_imports_it(finished_run, tmp_path):
    output = _dry_run_after_editing(finished_run, tmp_path, "estimators/multitask.py")
    planned = _planned_by_study(output)
    config = yaml.safe_load((finished_run / "config/smoke.yaml").read_text())
    batches = Counter(
        batch.study for batch in plan_batches(config) if batch.experiment in ("error_vs_n", "regret_vs_n")
    )
    assert batches["estimation"] >= 1 and batches["bandits"] >= 1, batches
    # every batch of the targets' estimation and bandit experiments, which import the estimator (via the policies)
    assert planned[("points", "estimation")] == batches["estimation"], planned
    assert planned[("points", "bandits")] == batches["bandits"], planned
    assert planned[("points", "pareto")] == 0 and planned[("experiment_table", "pareto")] == 0, planned
    assert "rule kernels:" not in output  # numba's cache does not depend on the estimator's module


@pytest.mark.slow
def test_an_edited_kernel_refills_the_cache_and_reruns_the_points_that_load_it(finished_run, tmp_path):
    output = _dry_run_after_editing(finished_run, tmp_path, "lasso.py")
    planned = _planned_by_study(output)
    kernels = re.findall(r"^\s*rule kernels:.*?wildcards: study=(\w+)", output, flags=re.M | re.S)
    assert sorted(kernels) == ["bandits", "estimation"], kernels
    assert planned[("points", "estimation")] >= 1 and planned[("points", "bandits")] >= 1, planned
    assert planned[("points", "pareto")] == 0, planned
