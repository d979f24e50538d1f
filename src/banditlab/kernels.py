"""Numba's on-disk kernel cache, filled once per run before the point jobs.

The package's compiled loops (``numba.njit(cache=True)``: the LASSO's coordinate descent, paper 004's policies
and truth) are compiled on their first call and written to numba's cache, which later processes load in a
fraction of a second. On a fresh clone the cache is empty, and every point job that starts before one of them
has written it compiles the same kernels again. The workflow's ``kernels`` rule runs :func:`warm_up` first, one
job per study (side by side): the cheapest point of every experiment of the study (by the cost model), one
replicate, through the same code as the point jobs, so that every kernel the run needs is compiled once for the
argument types it is called with. A point job that still compiles one logs a warning naming it
(:func:`compiled_here`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import Any

PACKAGE = "banditlab"


def loaded_kernels() -> dict[str, Any]:
    """``{module.name: dispatcher}`` of the cached numba kernels of the package's modules loaded in this process."""
    try:
        from numba.core.registry import CPUDispatcher
    except ImportError:  # numba not loaded: no kernel either
        return {}
    kernels = {}
    for name, module in list(sys.modules.items()):
        if module is None or not (name == PACKAGE or name.startswith(PACKAGE + ".")):
            continue
        for attribute, value in vars(module).items():
            if isinstance(value, CPUDispatcher) and value.stats.cache_path is not None and value.__module__ == name:
                kernels[f"{name}.{attribute}"] = value
    return kernels


def compiled_here() -> list[str]:
    """The package's kernels this process compiled instead of loading them from the cache (sorted names)."""
    return sorted(name for name, kernel in loaded_kernels().items() if kernel.stats.cache_misses)


def cheapest_point(study, block: Mapping[str, Any], experiment: str):
    """The point of ``experiment`` the cost model (the study's ``cost_features``) finds least work."""
    from .study import load, points

    grid = points(study, block, experiment)
    features = load(study.cost_features) if study.cost_features else None
    return min(grid, key=lambda point: sum(features(point)[1:])) if features else grid[0]


def warm_up(config: Mapping[str, Any], only: str | None = None) -> list[dict]:
    """Run the cheapest point of every experiment of ``config`` (of study ``only``, if given) with one replicate
    (results discarded), so that every kernel the run calls is in the cache; one row per experiment: seconds and
    the kernels compiled (names, ``;``-separated; empty when all came from the cache)."""
    from .runner import run_point
    from .study import studies

    rows = []
    before: set[str] = set(compiled_here())
    for study in studies(config):
        if only is not None and study.name != only:
            continue
        block = config[study.name]
        for experiment in block["experiments"]:
            point = cheapest_point(study, block, experiment)
            started = time.perf_counter()
            run_point(
                study.name,
                experiment,
                point.label,
                point.values,
                point.grid,
                run=study.experiment(experiment, block).run,
                tidy=study.tidy,
                replicates=1,
                seed=int(config["seed"]),
                scale=str(config["scale"]),
            )
            compiled = set(compiled_here())
            rows.append(
                {
                    "study": study.name,
                    "experiment": experiment,
                    "point": point.label,
                    "seconds": round(time.perf_counter() - started, 3),
                    "compiled": ";".join(sorted(compiled - before)),
                }
            )
            before = compiled
    return rows
