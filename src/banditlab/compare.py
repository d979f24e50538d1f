"""Compare two published folders (``docs/paper-scale/``, or two runs' ``results/tables/``): which values differ
beyond round-off, and whether any verdict differs.

    banditlab-compare FOLDER_A FOLDER_B [--rtol 1e-9] [--atol 1e-12] [--record]

Every CSV table found under both folders (the ledger, the findings, the check tables; matched by relative path)
is compared cell by cell: numbers within ``rtol`` (relative) or ``atol`` (absolute) are round-off, anything else
is a difference; text must be equal. The verdict columns (``verdict``, ``row_verdict``) are reported apart: a
differing verdict is a different conclusion, not round-off. Exit status: 0 when nothing differs beyond the
tolerance, 1 when values differ but no verdict does, 2 when a verdict differs or a table is missing on one side.

With ``--record``, FOLDER_B is a second run of FOLDER_A's published commit (its own ``provenance.yaml`` beside its
tables): the result goes into FOLDER_A's ``provenance.yaml`` as a ``reproduced:`` entry (the second run's commit,
wall time and machine, whether every table and the ledger are byte-identical, the count of values beyond the
tolerance and of verdicts that differ).
"""

from __future__ import annotations

import argparse
import filecmp
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

VERDICT_COLUMNS = ("verdict", "row_verdict")
RTOL = 1e-9
"""Default relative tolerance: far above the round-off of sums and products in double precision (about 1e-15 per
operation), far below any difference a reader would call a different result."""
ATOL = 1e-12


@dataclass
class Comparison:
    """What :func:`compare` found: tables on one side only, cell differences, verdict differences."""

    only_in_a: list[str] = field(default_factory=list)
    only_in_b: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    tables: int = 0

    @property
    def status(self) -> int:
        if self.verdicts or self.only_in_a or self.only_in_b:
            return 2
        return 1 if self.values else 0

    def report(self) -> str:
        lines = [f"{self.tables} tables compared"]
        for title, items in (
            ("only in the first folder", self.only_in_a),
            ("only in the second folder", self.only_in_b),
            ("verdicts that differ", self.verdicts),
            ("values that differ beyond the tolerance", self.values),
        ):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines += [f"  {item}" for item in items]
        if self.status == 0:
            lines.append("identical up to round-off; no verdict differs")
        return "\n".join(lines)


def _tables(folder: Path) -> dict[str, Path]:
    return {str(path.relative_to(folder)): path for path in sorted(folder.rglob("*.csv"))}


def _cell(value) -> str:
    return repr(value.item() if hasattr(value, "item") else value)


def _row_name(frame: pd.DataFrame, index: int) -> str:
    for key in ("claim_id", "finding_id"):
        if key in frame.columns:
            row = frame.iloc[index]
            extra = f" / {row['row']}" if "row" in frame.columns else ""
            return f"{row[key]}{extra}"
    return f"row {index + 1}"


def compare_tables(name: str, a: pd.DataFrame, b: pd.DataFrame, rtol: float, atol: float, out: Comparison) -> None:
    """Record in ``out`` how table ``name`` differs between its two versions."""
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        out.values.append(f"{name}: shape or columns differ ({a.shape}, {b.shape})")
        return
    for column in a.columns:
        left, right = a[column], b[column]
        numeric = pd.api.types.is_numeric_dtype(left) and pd.api.types.is_numeric_dtype(right)
        if numeric:
            x, y = left.to_numpy(float), right.to_numpy(float)
            same = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
        else:
            same = ((left.astype(str) == right.astype(str)) | (left.isna() & right.isna())).to_numpy()
        for index in np.flatnonzero(~same):
            where = f"{name}: {_row_name(a, index)}: {column}"
            text = f"{where} = {_cell(left.iloc[index])} against {_cell(right.iloc[index])}"
            (out.verdicts if column in VERDICT_COLUMNS else out.values).append(text)


def compare(folder_a: str | Path, folder_b: str | Path, rtol: float = RTOL, atol: float = ATOL) -> Comparison:
    """Compare every CSV table of two folders (see the module docstring)."""
    a, b = _tables(Path(folder_a)), _tables(Path(folder_b))
    out = Comparison(only_in_a=sorted(set(a) - set(b)), only_in_b=sorted(set(b) - set(a)))
    for name in sorted(set(a) & set(b)):
        out.tables += 1
        compare_tables(name, pd.read_csv(a[name]), pd.read_csv(b[name]), rtol, atol, out)
    return out


def byte_identical(folder_a: str | Path, folder_b: str | Path) -> list[str]:
    """The tables and ledgers (``*.csv``, ``*.md``) of folder A whose copy in folder B is missing or differs in any
    byte (empty: the two runs published the same files)."""
    a, b = Path(folder_a), Path(folder_b)
    names = sorted(str(p.relative_to(a)) for pattern in ("*.csv", "*.md") for p in a.rglob(pattern))
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return sorted(mismatch + errors)


def record_reproduction(folder_a: str | Path, folder_b: str | Path, result: Comparison) -> dict[str, object]:
    """Write the ``reproduced:`` entry of FOLDER_A's provenance from the second run in FOLDER_B (its provenance
    gives the commit, wall time and machine); return the entry. Refuses two different commits."""
    first = yaml.safe_load((Path(folder_a) / "provenance.yaml").read_text())
    second = yaml.safe_load((Path(folder_b) / "provenance.yaml").read_text())
    if first.get("commit") != second.get("commit"):
        raise ValueError(f"not a reproduction: commit {second.get('commit')} against {first.get('commit')}")
    differing = byte_identical(folder_a, folder_b)
    entry = {
        "commit": second["commit"],
        "published": second.get("published"),
        "wall_seconds": (second.get("wall_seconds") or {}).get("all"),
        "machine": {key: second.get("machine", {}).get(key) for key in ("cpu", "cores", "platform")},
        "byte_identical": not differing,
        "files_that_differ": differing,
        "values_beyond_tolerance": len(result.values),
        "verdicts_that_differ": len(result.verdicts),
        "command": "banditlab-compare docs/paper-scale <second run's docs/paper-scale> --record",
    }
    first["reproduced"] = entry
    path = Path(folder_a) / "provenance.yaml"
    path.write_text(yaml.safe_dump(first, sort_keys=False))
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="banditlab-compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("folder_a")
    parser.add_argument("folder_b")
    parser.add_argument("--rtol", type=float, default=RTOL, help=f"relative tolerance (default {RTOL:g})")
    parser.add_argument("--atol", type=float, default=ATOL, help=f"absolute tolerance (default {ATOL:g})")
    parser.add_argument(
        "--record", action="store_true", help="FOLDER_B reruns FOLDER_A's commit: add `reproduced:` to its provenance"
    )
    args = parser.parse_args(argv)
    for folder in (args.folder_a, args.folder_b):
        if not Path(folder).is_dir():
            parser.error(f"{folder} is not a folder")
    result = compare(args.folder_a, args.folder_b, args.rtol, args.atol)
    print(result.report())
    if args.record:
        try:
            entry = record_reproduction(args.folder_a, args.folder_b, result)
        except (OSError, ValueError) as error:
            parser.error(str(error))
        identical = "byte-identical" if entry["byte_identical"] else f"{len(entry['files_that_differ'])} files differ"
        print(f"recorded in {Path(args.folder_a) / 'provenance.yaml'}: reproduced, {identical}")
    return result.status


if __name__ == "__main__":
    sys.exit(main())
