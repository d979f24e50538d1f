"""Rerun behaviour: a point job depends on its own grid values and on the package code it runs, nothing else.

* ``point_config`` narrows a study block to one point; a point's table is the same from it as from the
  whole block (so passing it as the job's params changes no result), and it does not change when
  another point, another experiment or a check-only key changes.
* ``code_digest`` follows a script's imports through the package: the pareto point script never reaches
  the estimators, the estimation and bandit point scripts do, and editing a file changes the digest of
  exactly the scripts that import it.
* Through snakemake: after a run, an edited grid value reruns that point only, and an edited estimator
  module (a modified copy of the package first on PYTHONPATH) reruns the estimation and bandit points
  but no pareto point.
"""

import copy
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from workflow_copy import ROOT

import banditlab
from banditlab.bandits import experiments as bandit_experiments
from banditlab.pareto import experiments as pareto_experiments
from banditlab.provenance import code_digest, package_sources

SMOKE = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())
SCRIPTS = ROOT / "workflow/scripts"


def _pareto_points(cfg):
    return [(e, label) for e, points in pareto_experiments.experiment_points(cfg).items() for label in points]


def _bandit_points(cfg):
    return [(e, p) for e in bandit_experiments.EXPERIMENTS for p in bandit_experiments.points(e, cfg)]


@pytest.mark.parametrize("experiment,label", _pareto_points(SMOKE["pareto"]))
def test_pareto_point_config_gives_the_same_table(experiment, label):
    cfg = SMOKE["pareto"]
    narrowed = pareto_experiments.point_config(experiment, label, cfg)
    assert list(narrowed["experiments"]) == [experiment]
    assert list(pareto_experiments.experiment_points(narrowed)[experiment]) == [label]
    whole = pareto_experiments.run_point(experiment, label, cfg, seed=7, scale="smoke")
    assert whole.equals(pareto_experiments.run_point(experiment, label, narrowed, seed=7, scale="smoke"))


@pytest.mark.parametrize("experiment,point", _bandit_points(SMOKE["bandits"]))
def test_bandit_point_config_gives_the_same_table(experiment, point):
    cfg = SMOKE["bandits"]
    narrowed = bandit_experiments.point_config(experiment, point, cfg)
    assert bandit_experiments.points(experiment, narrowed) == [point]
    assert not set(bandit_experiments.EXPERIMENTS) - {experiment} & set(narrowed)
    whole = bandit_experiments.run_point(experiment, point, cfg, seed=7, scale="smoke")
    assert whole.equals(bandit_experiments.run_point(experiment, point, narrowed, seed=7, scale="smoke"))


def test_pareto_point_config_ignores_other_points_and_check_keys():
    cfg = SMOKE["pareto"]
    edited = copy.deepcopy(cfg)
    edited["experiments"]["horizon"]["T"] = [2000, 5000]  # 4000 -> 5000
    edited["experiments"]["nu"]["replicates"] = 3
    edited["alpha"], edited["claim_grid"] = 0.3, 101  # read by the checks only
    changed = {("horizon", "K5_T4000_a2_t_p500"), ("horizon", "K5_T5000_a2_t_p500")}
    changed |= {("nu", label) for label in pareto_experiments.experiment_points(cfg)["nu"]}
    for experiment, label in set(_pareto_points(cfg)) - changed:
        assert pareto_experiments.point_config(experiment, label, cfg) == pareto_experiments.point_config(
            experiment, label, edited
        ), (experiment, label)
    for experiment, label in set(_pareto_points(cfg)) & {("nu", label) for _, label in changed}:
        assert pareto_experiments.point_config(experiment, label, cfg) != pareto_experiments.point_config(
            experiment, label, edited
        )
    # a key the simulation reads changes every point
    louder = dict(cfg, sigma=2.0)
    assert all(
        pareto_experiments.point_config(e, p, cfg) != pareto_experiments.point_config(e, p, louder)
        for e, p in _pareto_points(cfg)
    )


def test_bandit_point_config_ignores_other_points():
    cfg = SMOKE["bandits"]

    def unchanged_points(edit) -> set[tuple[str, str]]:
        edited = copy.deepcopy(cfg)
        edit(edited)
        return {
            (e, p)
            for e, p in _bandit_points(cfg)
            if p in bandit_experiments.points(e, edited)
            and bandit_experiments.point_config(e, p, cfg) == bandit_experiments.point_config(e, p, edited)
        }

    everything = set(_bandit_points(cfg))
    assert unchanged_points(lambda c: c["regret_vs_d"].update(d=[4, 9])) == everything - {("regret_vs_d", "d8")}
    assert unchanged_points(lambda c: c["network"].update(n_tilde=[1, 2, 6])) == everything - {("network", "alpha1")}
    # the study-wide policy list is read by regret_vs_t/d/n only; replicates by every point
    no_greedy = unchanged_points(lambda c: c.update(policies=[p for p in c["policies"] if p != "greedy"]))
    assert {e for e, _ in everything - no_greedy} == {"regret_vs_t", "regret_vs_d", "regret_vs_n"}
    assert unchanged_points(lambda c: c.update(replicates=3)) == set()
    with pytest.raises(ValueError, match="not in the grid of regret_vs_d"):
        bandit_experiments.point_config("regret_vs_d", "d9", cfg)


def _relative(paths):
    root = Path(banditlab.__file__).parent
    return {str(path.relative_to(root)) for path in paths}


def test_package_sources_follow_imports_and_parent_packages():
    pareto = _relative(package_sources(SCRIPTS / "pareto_point.py"))
    estimation = _relative(package_sources(SCRIPTS / "estimation_point.py"))
    bandits = _relative(package_sources(SCRIPTS / "bandits_point.py"))
    assert {"__init__.py", "pareto/__init__.py", "pareto/cones.py", "pareto/policies.py", "io.py"} <= pareto
    assert not any(name.startswith(("estimators/", "bandits/", "estimation/")) for name in pareto)
    assert {"estimators/multitask.py", "estimators/__init__.py", "lasso.py", "estimation/experiments.py"} <= estimation
    assert not any(name.startswith(("pareto/", "bandits/")) for name in estimation)
    assert "estimators/multitask.py" in bandits  # the bandits' trimmed mean and LASSO come from the estimators
    assert _relative(package_sources(SCRIPTS / "concat_tables.py")) == {"__init__.py", "io.py"}


def _package_copy(dest: Path) -> Path:
    shutil.copytree(Path(banditlab.__file__).parent, dest / "banditlab", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _digests(pythonpath: Path, scripts: list[str]) -> dict[str, str]:
    code = (
        "import json, sys; from banditlab.provenance import code_digest; "
        "print(json.dumps({s: code_digest(s) for s in sys.argv[1:]}))"
    )
    env = dict(os.environ, PYTHONPATH=str(pythonpath))
    out = subprocess.run([sys.executable, "-c", code, *scripts], env=env, capture_output=True, text=True, check=True)
    return yaml.safe_load(out.stdout)


def test_code_digest_changes_with_the_code_a_script_imports(tmp_path):
    scripts = [
        str(SCRIPTS / name)
        for name in ("pareto_point.py", "estimation_point.py", "bandits_point.py", "concat_tables.py")
    ]
    installed = {script: code_digest(script) for script in scripts}
    package = _package_copy(tmp_path / "copy")
    assert _digests(package, scripts) == installed  # contents and package-relative paths, not the location
    with open(package / "banditlab/estimators/multitask.py", "a") as handle:
        handle.write("\n# an edit\n")
    edited = _digests(package, scripts)
    changed = {Path(s).name for s in scripts if edited[s] != installed[s]}
    assert changed == {"estimation_point.py", "bandits_point.py"}


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


@pytest.fixture(scope="module")
def finished_run(smoke_run):
    """The session's smoke run (conftest.py); these tests only dry-run in it (-n writes no output)."""
    return smoke_run


@pytest.mark.slow
def test_a_finished_run_has_nothing_to_rerun(finished_run):
    assert _planned_jobs(_snakemake(finished_run, "-n", "--configfile", "config/smoke.yaml")) == {}


@pytest.mark.slow
def test_an_edited_grid_value_reruns_that_point_only(finished_run):
    config = yaml.safe_load((finished_run / "config/smoke.yaml").read_text())
    config["estimation"]["studies"]["error_vs_n"]["values"] = [60, 120]  # 240 -> 120
    config["pareto"]["experiments"]["horizon"]["T"] = [2000, 5000]  # 4000 -> 5000
    config["pareto"]["alpha"] = 0.3  # read by the check only
    config["bandits"]["regret_vs_n"]["N"] = [3, 7]  # 6 -> 7
    config["bandits"]["regret_vs_d"]["d"] = [4, 9]  # another experiment
    (finished_run / "edited.yaml").write_text(yaml.safe_dump(config))
    planned = _planned_jobs(_snakemake(finished_run, "-n", "--configfile", "edited.yaml"))
    assert planned == {
        "estimation_point": 1,
        "pareto_point": 1,
        "bandits_point": 1,
        "estimation_table": 1,
        "pareto_table": 1,
        "bandits_table": 1,
    }


@pytest.mark.slow
def test_an_edited_estimator_reruns_what_imports_it(finished_run, tmp_path):
    package = _package_copy(tmp_path)
    with open(package / "banditlab/estimators/multitask.py", "a") as handle:
        handle.write("\n# an edit\n")
    planned = _planned_jobs(_snakemake(finished_run, "-n", "--configfile", "config/smoke.yaml", pythonpath=package))
    assert planned.get("estimation_point") == 2 and planned.get("bandits_point") == 2, planned
    assert "pareto_point" not in planned and "pareto_table" not in planned, planned
