"""numba's kernel cache: a job that compiles a kernel says so, and the workflow's warm-up leaves no kernel for
the point jobs to compile (banditlab.kernels)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LASSO = "import numpy as np\nfrom banditlab.lasso import lasso_gram\nlasso_gram(np.eye(3), np.ones(3), 0.1)\n"
REPORT = "from banditlab.kernels import compiled_here\nimport json\nprint(json.dumps(compiled_here()))\n"

WARM_UP = "import yaml\nfrom banditlab.kernels import warm_up\nwarm_up(yaml.safe_load(open('config/smoke.yaml')))\n"
EVERY_POINT = """
import yaml
from banditlab.runner import run_point
from banditlab.study import points, studies
config = yaml.safe_load(open('config/smoke.yaml'))
for study in studies(config):
    block = config[study.name]
    for experiment in block['experiments']:
        for point in points(study, block, experiment):
            run_point(study.name, experiment, point.label, point.values, point.grid,
                      run=study.experiment(experiment, block).run, tidy=study.tidy, replicates=1, seed=0, scale='smoke')
"""


def compiled(code: str, cache: Path) -> list[str]:
    """The kernels a fresh process running ``code`` compiled, with numba's cache in ``cache``."""
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-c", code + REPORT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_process_that_compiles_a_kernel_names_it_and_the_next_loads_it(tmp_path):
    assert compiled(LASSO, tmp_path) == ["banditlab.lasso._cd_gram"]
    assert compiled(LASSO, tmp_path) == []


@pytest.mark.slow
def test_after_the_warm_up_no_point_of_the_smoke_config_compiles_a_kernel(tmp_path):
    cold = compiled(EVERY_POINT, tmp_path / "cold")
    assert "banditlab.lasso._cd_gram" in cold and any(".pareto." in name for name in cold)  # the check can fail
    assert compiled(WARM_UP, tmp_path / "warm")  # the warm-up compiled them ...
    assert compiled(EVERY_POINT, tmp_path / "warm") == []  # ... so that every point loads them
