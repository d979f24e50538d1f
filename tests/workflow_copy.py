"""Shared by the tests that run snakemake: a fresh copy of the workflow sources in a temporary folder."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_workflow(dest: Path) -> Path:
    """Copy Snakefile, workflow/, config/, profiles/, notebooks/ and `publish` (no results) to ``dest``.

    Runs in the copy never touch the tree."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Snakefile", "workflow", "config", "profiles", "notebooks", "publish"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".snakemake"))
        else:
            shutil.copy2(source, dest / name)
    return dest
