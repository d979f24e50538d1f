"""Reproducibility: the same config and seed give bit-identical result tables whatever ``--cores`` is,
and every study's table records the package version, the config hash and the seed.

Runs the smoke workflow twice, in two clean copies of the repo (``--cores 1`` and ``--cores 2``), on a
subset of targets: one experiment table per study, each with several grid points, so that with two
cores the points really run side by side and in a different order.
"""

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import banditlab
from banditlab.batches import plan_batches

REPO = Path(__file__).resolve().parents[1]
CONFIG = "config/smoke.yaml"
# One table per study, each built from >= 2 grid points (a multi-point job set per target).
TARGETS = [
    "results/estimation/error_vs_n.csv",
    "results/pareto/horizon.csv",
    "results/bandits/regret_vs_n.csv",
]
# One figure per study, drawn from those tables (one saving function: fixed dpi, no dates, no software stamp).
FIGURES = [f"figures/{name}.{ext}" for name in ("error_vs_n", "pareto_tree", "regret_vs_n") for ext in ("pdf", "png")]
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "results",
    "logs",
    ".snakemake",
    "report.html",
    "*.pdf",
    "*.png",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    "*.ipynb",
)


def run_copy(dest: Path, cores: int) -> Path:
    shutil.copytree(REPO, dest, ignore=IGNORE)
    env = dict(os.environ, MPLBACKEND="Agg")
    proc = subprocess.run(
        [sys.executable, "-m", "snakemake", *TARGETS, *FIGURES, "--cores", str(cores), "--configfile", CONFIG],
        cwd=dest,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"snakemake --cores {cores} failed:\n{proc.stderr[-3000:]}"
    return dest


def result_tables(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "results").rglob("*.csv"))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("repro")
    return run_copy(base / "cores1", 1), run_copy(base / "cores2", 2)


@pytest.mark.slow
def test_cores_1_and_2_give_bit_identical_tables(two_runs):
    one, two = two_runs
    tables = result_tables(one)
    assert tables == result_tables(two)
    assert set(TARGETS) <= set(tables)
    assert len(tables) > len(TARGETS)  # the per-point tables are compared too
    _, mismatch, errors = filecmp.cmpfiles(one, two, tables, shallow=False)
    assert not mismatch and not errors, f"tables differ between --cores 1 and --cores 2: {mismatch + errors}"


@pytest.mark.slow
def test_cores_1_and_2_give_byte_identical_figures(two_runs):
    one, two = two_runs
    _, mismatch, errors = filecmp.cmpfiles(one, two, FIGURES, shallow=False)
    assert not mismatch and not errors, f"figures differ between --cores 1 and --cores 2: {mismatch + errors}"


@pytest.mark.slow
def test_every_point_job_keeps_its_snakemake_benchmark(two_runs):
    """benchmarks/<study>/<experiment>/batch<i>.tsv for each point job (a batch of points, banditlab.batches)
    whose results were made: seconds and memory, what banditlab.cost refits from."""
    one, _ = two_runs
    points = {Path(table) for table in result_tables(one) if table.count("/") == 3}  # results/<study>/<exp>/<pt>
    assert {point.parts[1] for point in points} == {"estimation", "pareto", "bandits"}
    config = yaml.safe_load((one / CONFIG).read_text())
    covered = set()
    for batch in plan_batches(config):
        made = {Path("results", batch.study, batch.experiment, f"{label}.csv") for label in batch.labels} & points
        if not made:
            continue  # a batch of an experiment these targets do not need
        benchmark = one / "benchmarks" / batch.study / batch.experiment / f"batch{batch.index}.tsv"
        assert benchmark.is_file(), f"no benchmark for {batch.rule}"
        measured = pd.read_csv(benchmark, sep="\t")
        assert {"s", "max_rss"} <= set(measured.columns) and (measured["s"] > 0).all(), benchmark
        covered |= made
    assert covered == points, f"point tables no batch made: {sorted(points - covered)}"


@pytest.mark.slow
def test_tables_carry_version_config_hash_and_seed(two_runs):
    one, _ = two_runs
    config = yaml.safe_load((one / CONFIG).read_text())
    for target in TARGETS:
        table = pd.read_csv(one / target)
        missing = {"seed", "config_hash", "banditlab_version"} - set(table.columns)
        assert not missing, f"{target} lacks {missing}"
        # `seed`: the config's seed (bandits) or the replicate's seed derived from it (estimation, pareto)
        assert table["seed"].notna().all() and pd.api.types.is_integer_dtype(table["seed"]), target
        if target.startswith("results/bandits"):
            assert (table["seed"] == config["seed"]).all(), target
        assert table["banditlab_version"].astype(str).eq(banditlab.__version__).all(), target
        hashes = table["config_hash"].astype(str).unique()
        assert len(hashes) == 1 and len(hashes[0]) == 12, (target, hashes)
    # the hash is the same for every study (one hash of the whole validated config)
    assert len({pd.read_csv(one / t)["config_hash"].astype(str).iloc[0] for t in TARGETS}) == 1


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_pins_match_the_pip_lock():
    lock = {}
    for line in (REPO / "requirements-lock.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert "==" in line, f"unpinned line in requirements-lock.txt: {line!r}"
            name, version = line.split("==")
            lock[_normalise(name)] = version.strip()
    assert not any(name.startswith("banditlab") for name in lock), "the lock must exclude the project itself"
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",)]
    pinned = dict(d.split("=", 1) for d in conda)
    assert pinned.pop("python").startswith("3.11")
    assert len(pinned) >= 8
    for name, version in pinned.items():
        assert _normalise(name) in lock, f"environment.yml pins {name}, absent from requirements-lock.txt"
        assert lock[_normalise(name)] == version, f"{name}: environment.yml {version} != lock {lock[_normalise(name)]}"
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-r requirements-lock.txt" in pip_section
    # every runtime dependency of pyproject.toml is locked
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0]
        assert _normalise(name) in lock, f"{name} (pyproject dependency) is not in requirements-lock.txt"
