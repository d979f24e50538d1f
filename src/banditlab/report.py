"""Helpers for the Snakemake report: check tables rendered as small self-contained HTML pages."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .io import write_text

#: Background colour of a verdict cell, by the first word of the verdict (any check table's vocabulary).
_VERDICT_COLOURS = {"holds": "#d9f2d9", "fails": "#f8d7d7", "outside": "#dde6f5", "not": "#fff3cd"}

# Tables as wide as the window, never wider: long cells wrap (anywhere, for the long tokens of paths and ids),
# numbers and other short cells stay on one line, so the claims ledger reads without horizontal scrolling.
_STYLE = """
body { font-family: sans-serif; font-size: 13px; margin: 1em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #eee; position: sticky; top: 0; overflow-wrap: normal; }
td.short { white-space: nowrap; overflow-wrap: normal; }
tr.details td { border-top: none; color: #444; font-size: 12px; padding-bottom: 8px; }
tr.details b { font-weight: 600; color: #222; }
"""
SHORT_CELL = 12
"""Cells of at most this many characters (numbers, verdict words, short labels) are never wrapped."""

DETAIL_COLUMNS = {
    "claims": ("instance", "rule", "resolution", "measured", "rows", "max_half_width", "scale", "check_table"),
}
"""Per table, the columns shown on a second line under each row (label: value, the full width of the table), so
that the row itself keeps few enough columns to read in a window: the claims ledger's long measurements."""


def _cell_text(value) -> str:
    if isinstance(value, float) and pd.isna(value):
        return ""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def table_html(frame: pd.DataFrame, title: str, summary: str = "", details: tuple[str, ...] = ()) -> str:
    """Render a check table as one HTML page (inline CSS, no scripts), verdict cells coloured.

    The table is as wide as the window: long cells wrap, short ones (numbers) do not.

    Parameters
    ----------
    frame : DataFrame
        The table (read from its CSV).
    title : str
        Page title and heading.
    summary : str
        Optional sentence shown above the table.
    details : tuple of str
        Columns shown on a second line under each row (``label: value``, across the table's width) rather
        than as columns of their own; names absent from ``frame`` are ignored.
    """
    if not title:
        raise ValueError("title must be a non-empty string")
    below = [column for column in details if column in frame.columns]
    columns = [column for column in frame.columns if column not in below]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = []
    for record in frame.to_dict("records"):
        cells = []
        for column in columns:
            text = _cell_text(record[column])
            style = ' class="short"' if len(text) <= SHORT_CELL else ""
            if column in ("verdict", "row_verdict") and text:
                colour = _VERDICT_COLOURS.get(text.split()[0])
                style += f' style="background:{colour}"' if colour else ""
            cells.append(f"<td{style}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
        parts = [
            f"<b>{html.escape(column)}</b>: {html.escape(text)}"
            for column in below
            if (text := _cell_text(record[column]))
        ]
        if parts:
            body.append(f'<tr class="details"><td colspan="{len(columns)}">{"; ".join(parts)}</td></tr>')
    intro = f"<p>{html.escape(summary)}</p>" if summary else ""
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><h2>{html.escape(title)}</h2>{intro}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n"
    )


def write_table_html(csv_path: str | Path, html_path: str | Path) -> Path:
    """Render ``results/tables/<name>.csv`` as ``<html_path>`` (the ``report_table`` rule)."""
    frame = pd.read_csv(csv_path)
    name = Path(csv_path).stem
    summary = ""
    if name == "claims":
        from .claims import summary_line

        findings = pd.read_csv(Path(csv_path).with_name("findings.csv"))
        summary = summary_line(frame, findings) + " (the findings are on the 'findings' page)."
    return write_text(table_html(frame, name, summary, DETAIL_COLUMNS.get(name, ())), html_path)


def provenance_html(config: dict, config_hash: str) -> str:
    """A page with the package and library versions, the config hash and the full config (YAML)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    import yaml

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    rows = [("banditlab", ver("banditlab")), ("python", platform.python_version())]
    rows += [
        (name, ver(name)) for name in ("snakemake", "numpy", "scipy", "pandas", "scikit-learn", "numba", "matplotlib")
    ]
    rows += [("config hash", config_hash), ("scale", str(config.get("scale"))), ("seed", str(config.get("seed")))]
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    text = yaml.safe_dump(config, sort_keys=False)
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>provenance</title><style>{_STYLE}</style>"
        f"</head><body><h2>Provenance</h2><table>{table}</table><h3>Config</h3>"
        f"<pre>{html.escape(text)}</pre></body></html>\n"
    )


def write_provenance(config: dict, config_hash: str, html_path: str | Path) -> Path:
    """Write :func:`provenance_html` (the ``report_provenance`` rule)."""
    if not config_hash:
        raise ValueError("config_hash must be a non-empty string")
    return write_text(provenance_html(config, config_hash), html_path)
