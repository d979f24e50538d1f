"""Seeds derived from (study, parameter point, replicate), never from global state.

The same (base seed, study, point, replicate) always gives the same stream, whatever the number of
cores, the job order or which other points are in the grid: each job derives its own generator from
these labels alone.
"""

from __future__ import annotations

import zlib

import numpy as np


def _label_entropy(label: object) -> int:
    # crc32 of the text form: stable across processes and Python versions (unlike hash()).
    return zlib.crc32(repr(label).encode())


def replicate_rng(base_seed: int, *labels: object) -> np.random.Generator:
    """A generator for one replicate, determined by ``base_seed`` and the ordered ``labels``.

    Examples
    --------
    >>> a = replicate_rng(1, "error_vs_n", 200, 0).normal()
    >>> b = replicate_rng(1, "error_vs_n", 200, 0).normal()
    >>> a == b
    True
    """
    if int(base_seed) < 0:
        raise ValueError(f"seed must be a non-negative integer, got {base_seed}")
    entropy = [int(base_seed), *(_label_entropy(label) for label in labels)]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def seed_int(base_seed: int, *labels: object) -> int:
    """A 32-bit integer seed from the same labels, recorded in results rows."""
    return int(np.random.SeedSequence([int(base_seed), *map(_label_entropy, labels)]).generate_state(1)[0])
