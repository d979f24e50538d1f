"""Benchmark: the fixed cost of each kind of workflow job, broken down by import and by kernel loading.

A job is a fresh Python process (Snakemake's ``script:``): the interpreter, Snakemake's script preamble, the
modules the job's script imports (and those it loads by import path), and the numba kernels its first call
loads from the on-disk cache, before any replicate. Each part is measured in its own fresh process, CPU seconds
(user + system, from the operating system), the minimum over ``--repeats`` runs:

* ``interpreter``: ``python -c pass``;
* ``imports``: ``python -X importtime -c "import <the job's modules>"``, split by top-level package;
* ``kernels``: the first call of each numba kernel a point job uses, after its import (a cache load when the
  cache is warm; a compilation when it is cold: ``--cold`` measures that too);
* ``point, no replicate``: a whole point of each study run with zero work beyond one tiny replicate.

Run it against another checkout to compare (its ``src`` first on ``PYTHONPATH``)::

    python benchmarks/bench_job_overhead.py [--tree PATH] [--repeats 5]
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# What a job of each kind runs by import path, beyond its script's own imports (this checkout's declarations).
DYNAMIC = {
    "points.py": {
        "estimation": ["banditlab.estimation.experiments"],
        "bandits": ["banditlab.bandits.experiments"],
        "pareto": ["banditlab.pareto.experiments"],
    },
    "study_table.py": {"rate_check": ["banditlab.estimation.rows"], "pareto_check": ["banditlab.pareto.rows"]},
    "figure.py": {"estimation": ["banditlab.estimation.figures"], "pareto": ["banditlab.pareto.figures"]},
}
KERNEL_CALLS = {
    "lasso": (
        "import numpy as np\nfrom banditlab.lasso import lasso_gram\nlasso_gram(np.eye(3), np.ones(3), 0.1)",
        "import banditlab.lasso",
    ),
    "pareto": (
        "import numpy as np\nfrom banditlab.pareto.env import ParetoBanditEnv\n"
        "from banditlab.pareto.experiments import run_replicate\n"
        "from banditlab.pareto.study import STUDY\n"
        "from banditlab.runner import Replicate\n"
        "point = {'sigma': 1.0, 'dim': 1, 'gap_offset': 1.0, 'checkpoints': 3, 'T': 60, 't_p': 20, 'K': 3, 'a': 1.0,\n"
        "         'policies': ['adaptive_tree', 'fixed_partition', 'uniform_random', 'oracle', 'scalarized_ucb'],\n"
        "         'policy_params': {}}\n"
        "run_replicate(point, Replicate(0, 'pareto', 'x', 'y', 0))",
        "import banditlab.pareto.experiments, banditlab.pareto.study, banditlab.runner",
    ),
}


def cpu_seconds(code: str, env: dict, flags: tuple[str, ...] = ()) -> tuple[float, str]:
    """CPU seconds (user + system, children) of ``python <flags> -c code`` and its stderr."""
    before = os.times()
    result = subprocess.run([sys.executable, *flags, "-c", code], env=env, capture_output=True, text=True)
    after = os.times()
    if result.returncode != 0:
        raise RuntimeError(f"{code!r} failed:\n{result.stderr[-2000:]}")
    used = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return used, result.stderr


def best(code: str, env: dict, repeats: int, flags: tuple[str, ...] = ()) -> float:
    return min(cpu_seconds(code, env, flags)[0] for _ in range(repeats))


def script_imports(script: Path) -> list[str]:
    """The modules a workflow script imports (its import statements)."""
    modules = []
    for node in ast.walk(ast.parse(script.read_text())):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.append(node.module)
    return sorted(set(modules))


def import_breakdown(modules: list[str], env: dict, repeats: int) -> dict[str, float]:
    """Import seconds by top-level package: each module's own time, summed per package (min over runs of
    ``-X importtime``, wall time of the importing process)."""
    code = "import snakemake.script\n" + "\n".join(f"import {m}" for m in modules)
    best_parts: dict[str, float] = {}
    for _ in range(repeats):
        _, stderr = cpu_seconds(code, env, ("-X", "importtime"))
        parts: dict[str, float] = defaultdict(float)
        for line in stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
            if match:
                parts[match.group(3).split(".")[0].lstrip("_")] += int(match.group(1)) / 1e6
        for name, value in parts.items():
            best_parts[name] = min(best_parts.get(name, value), value)
    return dict(sorted(best_parts.items(), key=lambda item: -item[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", default=str(REPO), help="a checkout of the project (its src/ is imported)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    print(f"tree {tree} (best of {args.repeats}, CPU seconds)")
    print(f"  interpreter                  {best('pass', env, args.repeats):6.2f}")
    print(f"  snakemake.script             {best('import snakemake.script', env, args.repeats):6.2f}")
    scripts = sorted((tree / "workflow" / "scripts").glob("*.py"))
    for script in scripts:
        own = [m for m in script_imports(script) if m.startswith("banditlab") or m in ("pandas", "numpy")]
        variants = DYNAMIC.get(script.name, {"": []}) if (tree / "src/banditlab/study.py").exists() else {"": []}
        for name, extra in variants.items():
            modules = own + extra
            total = best("import snakemake.script\n" + "\n".join(f"import {m}" for m in modules), env, args.repeats)
            parts = import_breakdown(modules, env, min(args.repeats, 3))
            shown = ", ".join(f"{k} {v:.2f}" for k, v in list(parts.items())[:6])
            print(f"  {script.stem + (' ' + name if name else ''):<28} {total:6.2f}  imports: {shown}")
    for name, (call, imports) in KERNEL_CALLS.items():
        try:
            loaded = best(call, env, args.repeats) - best(imports, env, args.repeats)
        except RuntimeError as error:
            print(f"  kernels {name:<20} not measured here ({str(error).splitlines()[-1]})")
            continue
        print(f"  kernels {name:<20} {loaded:6.2f}  (first calls after import: cache load, dispatch)")
    start = time.perf_counter()
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
