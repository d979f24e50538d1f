"""What every figure shares: one saving function, and the legend entries written into its PNG.

:func:`save_figure` is the only way the package writes a figure: PDF and PNG at :data:`DPI`, with no
creation date and no software stamp, so the same tables give byte-identical files on every run and
whatever ``--cores`` is. Every PNG stores the text of its legends in its metadata (a ``tEXt`` chunk with
key :data:`LEGEND_KEY`, one JSON list), so a test, or a reader, can check which methods a figure actually
drew without parsing pixels: a method missing from the figure is missing from that list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

LEGEND_KEY = "Legend"
DPI = 150
"""Resolution of every PNG."""


def legend_entries(fig: Figure) -> list[str]:
    """The texts of every legend drawn on ``fig`` (each axes' legend, then figure legends), in order."""
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    return [text.get_text() for legend in legends if legend is not None for text in legend.get_texts()]


def png_metadata(fig: Figure) -> dict[str, str]:
    """``savefig(..., metadata=...)`` for a PNG: the legend entries as one JSON list."""
    return {LEGEND_KEY: json.dumps(legend_entries(fig))}


def read_legend(png: str | Path) -> list[str]:
    """The legend entries stored in a PNG written with :func:`png_metadata` (``[]`` if none)."""
    from PIL import Image

    with Image.open(png) as image:
        return json.loads(image.text.get(LEGEND_KEY, "[]"))


def save_figure(fig: Figure, pdf: str | Path, png: str | Path) -> None:
    """Write ``fig`` as PDF and PNG (no dates, no software stamp: byte-identical across runs), then close it."""
    import matplotlib.pyplot as plt

    fig.savefig(pdf, metadata={"CreationDate": None, "Producer": None})
    fig.savefig(png, dpi=DPI, metadata={"Software": None, **png_metadata(fig)})
    plt.close(fig)


__all__ = ["DPI", "LEGEND_KEY", "legend_entries", "png_metadata", "read_legend", "save_figure"]
