"""Progress lines for long point jobs: the job's log (``logs/<study>/...``) shows it is moving."""

from __future__ import annotations

import logging
import time


def log_replicate_progress(
    logger: logging.Logger, what: str, done: int, total: int, started: float, times: int = 5
) -> None:
    """Log ``"<what>: <done>/<total> replicates (<elapsed>s)"`` about ``times`` times per job.

    ``started`` is a ``time.perf_counter()`` reading taken before the first replicate.
    """
    if done % max(1, total // times) == 0 or done == total:
        logger.info("%s: %d/%d replicates (%.1fs)", what, done, total, time.perf_counter() - started)
