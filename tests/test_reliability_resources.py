"""Issue 7, long runs: a paper-scale dry run prints job counts and an estimated cost; a job that runs
out of memory or time says which resource to raise; the point rules scale resources with attempt."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from workflow_copy import copy_workflow

from banditlab.batches import plan_batches
from banditlab.cost import estimate_cost, format_cost
from banditlab.resources import ResourceExceeded, advice, guard

ROOT = Path(__file__).resolve().parents[1]


def load(name):
    return yaml.safe_load((ROOT / "config" / name).read_text())


def test_cost_grows_with_scale_and_counts_every_point_job():
    costs = {name: estimate_cost(load(f"{name}.yaml")).set_index("study") for name in ("smoke", "config", "paper")}
    for study in ("estimation", "pareto", "bandits"):
        assert costs["smoke"].loc[study, "cpu_minutes"] < costs["config"].loc[study, "cpu_minutes"]
        assert costs["config"].loc[study, "cpu_minutes"] < costs["paper"].loc[study, "cpu_minutes"]
    smoke = load("smoke.yaml")
    assert costs["smoke"].loc["estimation", "point_jobs"] == sum(
        batch.study == "estimation" for batch in plan_batches(smoke)
    )
    assert sum(len(batch.labels) for batch in plan_batches(smoke) if batch.study == "estimation") == sum(
        len(*spec["grid"].values()) for spec in smoke["estimation"]["experiments"].values()
    )
    text = format_cost(load("paper.yaml"), cores=8)
    assert "paper" in text and "CPU-min" in text and "on 8 cores" in text


def test_cost_model_is_cheap():
    start = time.perf_counter()
    format_cost(load("paper.yaml"))
    assert time.perf_counter() - start < 1.0  # parse-time work only, no simulation


def test_out_of_memory_names_mem_mb():
    with pytest.raises(MemoryError, match=r"rule estimation_point: raise resource mem_mb \(now 2000 MB\).*mem_mb=4000"):
        with guard("estimation_point", {"mem_mb": 2000, "runtime": 30}, enforce=False):
            raise MemoryError()


def test_runtime_exceeded_names_runtime():
    with pytest.raises(ResourceExceeded, match=r"exceeded its runtime.*raise resource runtime \(now 0.001 min\)"):
        with guard("pareto_point", {"mem_mb": 2000, "runtime": 0.001}, enforce=True):
            time.sleep(2)


def test_sigterm_from_the_scheduler_names_runtime():
    with pytest.raises(
        ResourceExceeded, match=r"terminated by signal.*rule bandits_point: raise resource runtime \(now 20 min\)"
    ):
        with guard("bandits_point", {"mem_mb": 3000, "runtime": 20}, enforce=False):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(2)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_DATA is Linux-only")
def test_enforced_memory_cap_turns_an_oversized_allocation_into_the_message():
    code = textwrap.dedent("""
        import numpy as np
        from banditlab.resources import guard
        with guard("estimation_point", {"mem_mb": 1500, "runtime": 5}, enforce=True):
            np.ones(400 * 1024 * 1024)  # 3.2 GB > 1500 MB
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "raise resource mem_mb (now 1500 MB)" in result.stderr, result.stderr[-2000:]


def test_advice_without_a_value():
    assert "now unset" in advice("r", "runtime", None)


def test_point_rules_scale_resources_with_attempt():
    text = (ROOT / "workflow" / "rules" / "studies.smk").read_text()
    body = text.split("for batch in BATCHES:", 1)[1].split("\nrule ", 1)[0]
    assert "mem_mb=functools.partial(batch_mem_mb, batch)" in body
    assert "runtime=functools.partial(batch_runtime, batch)" in body
    common = (ROOT / "workflow" / "rules" / "common.smk").read_text()
    mem_mb = common.split("def batch_mem_mb(batch, wildcards, attempt)", 1)[1].split("\ndef ", 1)[0]
    assert "point_mem_mb * 2 ** (attempt - 1)" in mem_mb
    assert re.search(r"point_runtime_minutes\(batch.seconds / 60, .*, attempt\)", common)
    script = (ROOT / "workflow" / "scripts" / "points.py").read_text()
    assert "guard(snakemake.rule, snakemake.resources)" in script


def test_point_runtime_covers_the_cost_model_and_doubles_on_retry():
    from banditlab.cost import estimate_cost, point_runtime_minutes

    paper = yaml.safe_load((ROOT / "config" / "paper.yaml").read_text())
    longest = estimate_cost(paper).set_index("study")["longest_job_minutes"]
    for study in ("estimation", "pareto", "bandits"):
        first = point_runtime_minutes(longest[study], 20, attempt=1)
        assert first >= 3 * longest[study] and first >= 20
        assert point_runtime_minutes(longest[study], 20, attempt=2) == 2 * first
    with pytest.raises(ValueError, match="attempt must be >= 1"):
        point_runtime_minutes(1.0, 20, attempt=0)


@pytest.mark.slow
def test_paper_dry_run_prints_job_counts_and_cost(tmp_path):
    """In a copy of the workflow (results of the checkout would change what a dry run plans); the default
    profile's `cores: all` sizes the wall-time estimate to this machine."""
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("snakemake")),
            "-n",
            "--quiet",
            "rules",
            "--configfile",
            "config/paper.yaml",
        ],
        cwd=copy_workflow(tmp_path / "work"),
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout + result.stderr
    assert re.search(r"points_estimation_\w+\s+\d+", out) and re.search(r"total\s+\d+", out)
    assert "Estimated cost at scale 'paper'" in out and "CPU-min" in out
    from snakemake.utils import available_cpu_count

    assert f"wall on {available_cpu_count()} cores" in out, out[-2000:]
