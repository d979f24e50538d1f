"""What the studies' figures share: the legend entries of a figure, written into its PNG and read back.

Every figure of the estimation and bandit studies stores the text of its legends in the PNG's metadata
(a ``tEXt`` chunk with key :data:`LEGEND_KEY`, one JSON list), so a test, or a reader, can check which
methods a figure actually drew without parsing pixels: a method missing from the figure is missing
from that list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

LEGEND_KEY = "Legend"


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


__all__ = ["LEGEND_KEY", "legend_entries", "png_metadata", "read_legend"]
