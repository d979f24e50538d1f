"""Helpers for the Snakemake report: check tables rendered as small self-contained HTML pages."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .io import write_text

#: Background colour of a verdict cell, by the first word of the verdict (any check table's vocabulary).
_VERDICT_COLOURS = {"holds": "#d9f2d9", "fails": "#f8d7d7", "outside": "#dde6f5", "not": "#fff3cd"}

_STYLE = """
body { font-family: sans-serif; font-size: 13px; margin: 1em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eee; position: sticky; top: 0; }
"""


def table_html(frame: pd.DataFrame, title: str, summary: str = "") -> str:
    """Render a check table as one HTML page (inline CSS, no scripts), verdict cells coloured.

    Parameters
    ----------
    frame : DataFrame
        The table (read from its CSV).
    title : str
        Page title and heading.
    summary : str
        Optional sentence shown above the table.
    """
    if not title:
        raise ValueError("title must be a non-empty string")
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row):
            text = (
                ""
                if (isinstance(value, float) and pd.isna(value))
                else (f"{value:.4g}" if isinstance(value, float) else str(value))
            )
            style = ""
            if column in ("verdict", "row_verdict") and text:
                colour = _VERDICT_COLOURS.get(text.split()[0])
                style = f' style="background:{colour}"' if colour else ""
            cells.append(f"<td{style}>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
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
    return write_text(table_html(frame, name, summary), html_path)


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
