"""Publish a finished paper-scale run: the ledger, the findings, every check table, every figure as PNG, and a
provenance file, in a small self-describing folder (``docs/paper-scale/``) that is committed to git.

The folder is what the README's summary line links to; :func:`check_published` is what the test that keeps
it honest asserts (every claim of the catalogue has a row, the published scale is ``paper``, the commit is
an ancestor of HEAD). Raw per-replicate results stay out of it.

Wall times come from the run's own Snakemake log (``.snakemake/log/<start>.snakemake.log``): per study, the
span from its first job's start to its last job's end (studies run side by side, so the spans overlap), and
in all, from the run's start to the publishing job. The CPU seconds of each study's point jobs come from their
Snakemake ``benchmark:`` files: what the cost model (:mod:`banditlab.cost`) predicts.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
import yaml

STUDIES = ("estimation", "pareto", "bandits")
LIBRARIES = ("snakemake", "numpy", "scipy", "pandas", "scikit-learn", "numba", "matplotlib")
_STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")
_START = re.compile(r"^(?:local)?rule (\w+):$")
_JOBID = re.compile(r"^\s+jobid: (\d+)$")
_FINISH = re.compile(r"^Finished jobid: (\d+) \(Rule: (\w+)\)$")
_WILDCARDS = re.compile(r"^\s+wildcards: (.*)$")


def study_of(rule: str, wildcards: Mapping[str, str], owners: Mapping[str, str] | None = None) -> str | None:
    """The study a job belongs to: an experiment table's ``study`` wildcard, the study that declares a study
    table or a figure, or that runs a batch of points (``owners``: table and figure names, and the batches' rule
    names, to studies); None for the ledger, the report and the notebooks."""
    if "study" in wildcards:
        return wildcards["study"]
    owners = owners or {}
    if rule in ("study_table", "figure"):
        return owners.get(wildcards.get("table", wildcards.get("figure")))
    return owners.get(rule)


def job_times(log_text: str) -> pd.DataFrame:
    """One row per finished job of a Snakemake run log: rule, wildcards (a dict), start, end (datetimes)."""
    starts: dict[str, list] = {}
    rows = []
    stamp, pending, last = None, None, None
    for line in log_text.splitlines():
        if match := _STAMP.match(line.strip()):
            stamp = dt.datetime.strptime(match.group(1), "%a %b %d %H:%M:%S %Y")
            continue
        if (match := _START.match(line)) and stamp is not None:
            pending = [match.group(1), {}, stamp]
            continue
        if (match := _JOBID.match(line)) and pending is not None:
            starts[match.group(1)] = last = pending
            pending = None
            continue
        if (match := _WILDCARDS.match(line)) and last is not None:
            last[1] = dict(item.split("=", 1) for item in match.group(1).split(", ") if "=" in item)
            continue
        if (match := _FINISH.match(line.strip())) and stamp is not None and match.group(1) in starts:
            rule, wildcards, start = starts.pop(match.group(1))
            rows.append({"rule": rule, "wildcards": wildcards, "start": start, "end": stamp})
    return pd.DataFrame(rows, columns=["rule", "wildcards", "start", "end"])


def owners(config: Mapping) -> dict[str, str]:
    """The study that declares each study table and figure of ``config`` (:mod:`banditlab.study`), and that runs
    each batch of points (by the batch's rule name, :mod:`banditlab.batches`)."""
    from .batches import plan_batches
    from .study import studies, study_figures, study_tables

    out = {batch.rule: batch.study for batch in plan_batches(config)}
    for study in studies(config):
        out |= {table.name: study.name for table, _ in study_tables(study, config[study.name])}
        out |= {figure.name: study.name for figure in study_figures(study, config[study.name])}
    return out


def wall_times(
    log_path: str | Path, until: dt.datetime | None = None, names: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Wall seconds per study (first start to last end of its jobs) and in all (run start to ``until``);
    ``names``: :func:`owners` of the run's config (which study each study table and figure belongs to)."""
    log_path = Path(log_path)
    jobs = job_times(log_path.read_text())
    out = {}
    for study in STUDIES:
        rows = jobs[[study_of(rule, wc, names) == study for rule, wc in zip(jobs["rule"], jobs["wildcards"])]]
        if not rows.empty:
            out[study] = float((rows["end"].max() - rows["start"].min()).total_seconds())
    started = dt.datetime.strptime(log_path.name.split(".snakemake.log")[0].split(".")[0], "%Y-%m-%dT%H%M%S")
    end = until or (jobs["end"].max() if not jobs.empty else started)
    out["all"] = float((end - started).total_seconds())
    return out


def point_job_seconds(config: Mapping, benchmark_root: str | Path = "benchmarks") -> dict[str, dict[str, float]]:
    """Per study, the measured seconds of its point jobs summed (their benchmark files), and the cost model's
    prediction of the same sum (:mod:`banditlab.cost`)."""
    from banditlab import cost

    jobs = cost.batch_table(config)
    jobs["measured"] = cost.measured_seconds(jobs, benchmark_root)
    sums = jobs.groupby("study", sort=False)[["measured", "seconds"]].sum(min_count=1)
    return {
        study: {"measured": round(float(row.measured), 1), "predicted": round(float(row.seconds), 1)}
        for study, row in sums.iterrows()
    }


def run_log(log_dir: str | Path = ".snakemake/log") -> Path:
    """The Snakemake log of the run that publishes: the newest log in which a ``publish`` job started.

    Not simply the newest log: the report job runs a second snakemake (``--report``), whose own log is
    newer than the run's.
    """
    logs = sorted(Path(log_dir).glob("*.snakemake.log"), reverse=True)
    for log in logs:
        if any(match.group(1) == "publish" for match in map(_START.match, log.read_text().splitlines()) if match):
            return log
    raise FileNotFoundError(f"no Snakemake log in {log_dir} ran a publish job ({len(logs)} logs)")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def machine() -> dict[str, object]:
    """Cores, memory, CPU model, platform, and the linear-algebra libraries with their thread settings: what can
    make the last bits of a result differ between two machines."""
    memory_kb = 0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0]
        memory_kb = int(first.split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 2**20, 1),
        "cpu": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "blas": blas_libraries(),
        "threads": {name: os.environ.get(name, "unset") for name in THREAD_VARIABLES},
    }


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``; the processor string elsewhere)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def blas_libraries() -> list[dict[str, object]]:
    """The BLAS/LAPACK and OpenMP libraries numpy and scipy load: API, version, threading layer, threads."""
    import numpy  # noqa: F401  (loads its BLAS)
    import scipy.linalg  # noqa: F401
    from threadpoolctl import threadpool_info

    keys = ("internal_api", "version", "threading_layer", "architecture", "num_threads")
    return [
        {key: info[key] for key in keys if key in info} | {"library": Path(info["filepath"]).name}
        for info in threadpool_info()
    ]


def git_commit(repo: str | Path = ".") -> str:
    """The checked-out commit (the code that made the results)."""
    result = _git(repo, "rev-parse", "HEAD")
    result.check_returncode()
    return result.stdout.strip()


def uncommitted_changes(repo: str | Path = ".", exclude: str | Path | None = None) -> bool:
    """Whether the working tree differs from the commit (then the commit alone does not reproduce the run), the
    folder ``exclude`` aside (the one being published: Snakemake removes a job's old outputs before it runs)."""
    paths = [".", f":(exclude){exclude}"] if exclude is not None else ["."]
    return bool(_git(repo, "status", "--porcelain", "--untracked-files=no", "--", *paths).stdout.strip())


def provenance(config: Mapping, config_hash: str, walls: Mapping[str, float], commit: str) -> dict[str, object]:
    """The provenance record of a published run."""
    return {
        "scale": config.get("scale"),
        "seed": config.get("seed"),
        "commit": commit,
        "config_hash": config_hash,
        "published": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "versions": {"banditlab": _version("banditlab"), **{name: _version(name) for name in LIBRARIES}},
        "machine": machine(),
        "wall_seconds": {key: round(value, 1) for key, value in walls.items()},
        "command": "snakemake publish --cores 2 --configfile config/paper.yaml",
    }


def publish(
    folder: str | Path,
    tables: Iterable[str | Path],
    figures: Iterable[str | Path],
    record: Mapping[str, object],
) -> Path:
    """Copy the ledger, check tables (CSV and Markdown) and PNG figures into ``folder``; write its provenance.

    The folder is rebuilt from scratch, so a claim or figure that no longer exists does not linger.
    """
    if record.get("scale") != "paper":
        raise ValueError(f"only a paper-scale run is published (config scale: {record.get('scale')!r})")
    folder = Path(folder)
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "tables").mkdir(parents=True)
    (staging / "figures").mkdir()
    for table in map(Path, tables):
        # beside the ledger: claims.md links to beyond_papers.md by its bare name
        destination = staging if table.stem in ("claims", "findings", "beyond_papers") else staging / "tables"
        shutil.copy2(table, destination / table.name)
    for figure in map(Path, figures):
        shutil.copy2(figure, staging / "figures" / figure.name)
    (staging / "provenance.yaml").write_text(yaml.safe_dump(dict(record), sort_keys=False))
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder


def check_published(folder: str | Path, claim_ids: Iterable[str], repo: str | Path = ".") -> list[str]:
    """Problems with a published folder (empty when it is honest): missing claims, wrong scale, foreign commit."""
    folder = Path(folder)
    problems = []
    record = yaml.safe_load((folder / "provenance.yaml").read_text())
    if record.get("scale") != "paper":
        problems.append(f"published scale is {record.get('scale')!r}, not 'paper'")
    ledger = pd.read_csv(folder / "claims.csv")
    missing = sorted(set(claim_ids) - set(ledger["claim_id"]))
    if missing:
        problems.append(f"claims without a paper-scale row (refresh the folder): {missing}")
    if set(ledger["scale"]) != {"paper"}:
        problems.append(f"ledger rows of scale {sorted(set(ledger['scale']))}")
    commit = str(record.get("commit"))
    if _shallow(repo) and not _has_commit(commit, repo):
        # a shallow clone (CI's, say) lacks the history to decide; a full clone decides
        warnings.warn(f"shallow clone: cannot check that {commit} is an ancestor of HEAD", stacklevel=2)
        return problems
    if _git(repo, "merge-base", "--is-ancestor", commit, "HEAD").returncode != 0:
        problems.append(f"commit {commit} is not an ancestor of HEAD")
    return problems


def _git(repo: str | Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def _shallow(repo: str | Path) -> bool:
    return _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def _has_commit(commit: str, repo: str | Path) -> bool:
    return _git(repo, "cat-file", "-e", f"{commit}^{{commit}}").returncode == 0
