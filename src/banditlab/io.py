"""Tidy results tables: atomic writes, provenance columns, no silent NaN.

Every table the workflow writes goes through :func:`write_table`, which

* writes to a temporary file in the destination folder and renames it into place, so a killed job
  never leaves a half-written table that a later job could read;
* refuses NaN or infinite values unless the column is listed in ``nan_ok`` (where the table itself
  says why a value is missing);
* is byte-for-byte deterministic for the same frame (fixed float format, no index).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

FLOAT_FORMAT = "%.10g"


def write_table(frame: pd.DataFrame, path: str | os.PathLike, nan_ok: Iterable[str] = ()) -> Path:
    """Write ``frame`` as CSV to ``path`` atomically (temporary file, then rename).

    Parameters
    ----------
    frame : DataFrame
        The tidy table: one row per observation, every parameter a column.
    path : path-like
        Destination; its folder is created if needed.
    nan_ok : iterable of str
        Columns allowed to hold NaN (for example a bound that is undefined at some grid point).

    Raises
    ------
    ValueError
        If a numeric column outside ``nan_ok`` holds NaN or +-inf; the message names the column.
    """
    path = Path(path)
    allowed = set(nan_ok)
    for column in frame.columns:
        values = frame[column]
        if column in allowed or not pd.api.types.is_numeric_dtype(values):
            continue
        finite = np.isfinite(values.to_numpy(dtype=float))
        if not finite.all():
            raise ValueError(
                f"column {column!r} of the table for {path} holds {int((~finite).sum())} NaN/inf "
                "values; fix the computation or list the column in nan_ok with a reason"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", newline="") as stream:
            frame.to_csv(stream, index=False, float_format=FLOAT_FORMAT)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def write_text(text: str, path: str | os.PathLike) -> Path:
    """Write a text file (a Markdown table, say) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def read_tables(paths: Iterable[str | os.PathLike]) -> pd.DataFrame:
    """Concatenate several tidy CSV tables (same columns) in the given order."""
    frames = [pd.read_csv(path) for path in paths]
    if not frames:
        raise ValueError("read_tables needs at least one table")
    return pd.concat(frames, ignore_index=True)


def markdown_table(frame: pd.DataFrame, float_format: str = "{:.4g}") -> str:
    """Render ``frame`` as a GitHub Markdown table (no optional dependency on ``tabulate``)."""

    def cell(value: object) -> str:
        if isinstance(value, float | np.floating):
            return "" if np.isnan(value) else float_format.format(value)
        return str(value).replace("|", "\\|")

    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"
