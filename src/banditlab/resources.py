"""Jobs that run out of memory or time say which Snakemake resource to raise.

A point script wraps its one package call in :func:`guard`::

    with guard(snakemake.rule, snakemake.resources):
        table = run_point(...)

* ``MemoryError`` is re-raised with the rule's ``mem_mb`` and the command-line fix.
* ``SIGTERM`` (what SLURM sends when a job reaches its time limit, before ``SIGKILL``) ends the job
  with a message naming the rule's ``runtime``.
* When enforcement is on (inside a SLURM job, i.e. ``SLURM_JOB_ID`` is set, or with
  ``BANDITLAB_ENFORCE_RESOURCES=1``), the job's data segment is capped at ``mem_mb`` (``RLIMIT_DATA``)
  so an oversized allocation raises ``MemoryError`` (and the message above) instead of the cgroup's
  silent OOM kill, and a timer raises at ``runtime`` minutes. Local runs are not limited by default:
  the rules' ``runtime`` is a cluster request, not a promise.

The rules scale ``mem_mb`` and ``runtime`` with ``attempt``, so with ``--retries 1`` (the SLURM
profile) a job that failed for either reason is resubmitted once with twice the resources.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Mapping
from typing import Any


class ResourceExceeded(RuntimeError):
    """A job exceeded its ``runtime`` (or was terminated by the scheduler)."""


def _get(resources: Any, name: str) -> float | None:
    value = resources.get(name) if isinstance(resources, Mapping) else getattr(resources, name, None)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def advice(rule: str, resource: str, current: float | None) -> str:
    """How to raise ``resource`` of ``rule`` (doubling its current value)."""
    suggestion = f"{int(2 * current)}" if current else "<larger value>"
    unit = " MB" if resource == "mem_mb" else " min" if resource == "runtime" else ""
    now = f"{current:g}{unit}" if current else "unset"
    return (
        f"rule {rule}: raise resource {resource} (now {now}), e.g. "
        f"`--set-resources {rule}:{resource}={suggestion}`, or rerun with `--retries 1` "
        f"(the rules double {resource} on each attempt)"
    )


def enforcing() -> bool:
    return bool(os.environ.get("SLURM_JOB_ID")) or os.environ.get("BANDITLAB_ENFORCE_RESOURCES") == "1"


@contextlib.contextmanager
def guard(rule: str, resources: Any, enforce: bool | None = None) -> Iterator[None]:
    """Translate out-of-memory and out-of-time failures of the body into messages naming the resource.

    Parameters
    ----------
    rule : str
        The Snakemake rule name (``snakemake.rule``).
    resources : mapping or namespace
        The job's resources (``snakemake.resources``); ``mem_mb`` and ``runtime`` (minutes) are read.
    enforce : bool, optional
        Cap memory and time at those values; default :func:`enforcing` (on inside SLURM jobs).
    """
    mem_mb, runtime = _get(resources, "mem_mb"), _get(resources, "runtime")
    enforce = enforcing() if enforce is None else enforce

    def on_term(signum, frame):
        raise ResourceExceeded(
            f"terminated by signal {signum} (a scheduler's time limit?): " + advice(rule, "runtime", runtime)
        )

    def on_alarm(signum, frame):
        raise ResourceExceeded("exceeded its runtime: " + advice(rule, "runtime", runtime))

    previous_term = signal.signal(signal.SIGTERM, on_term)
    previous_alarm = signal.getsignal(signal.SIGALRM)
    previous_limit = None
    if enforce:
        if runtime:
            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, runtime * 60.0)
        if mem_mb and sys.platform.startswith("linux"):
            import resource

            previous_limit = resource.getrlimit(resource.RLIMIT_DATA)
            cap = int(mem_mb * 1024 * 1024)
            hard = previous_limit[1]
            resource.setrlimit(resource.RLIMIT_DATA, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        yield
    except MemoryError as error:
        raise MemoryError(f"out of memory: {advice(rule, 'mem_mb', mem_mb)}") from error
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        if enforce and runtime:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_alarm)
        if previous_limit is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_DATA, previous_limit)
