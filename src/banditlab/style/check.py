"""What a reader would stumble on in a figure: :func:`check_figure`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .layout import _collide, _overlap, _tick_labels
from .series import _notes_identity, _same_data, _series

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend


def _texts(fig: Figure) -> list:
    """Every visible, non-empty text the figure draws (titles, labels, tick labels in view, legends, notes)."""
    from matplotlib.text import Text

    hidden = set()
    for ax in fig.axes:  # matplotlib keeps the labels of ticks outside the view, but does not draw them
        for axis in (ax.xaxis, ax.yaxis):
            shown = set(map(id, _tick_labels(axis)))
            for tick in [*axis.majorTicks, *axis.minorTicks]:
                hidden.update(id(label) for label in (tick.label1, tick.label2) if id(label) not in shown)
    texts = fig.findobj(lambda artist: isinstance(artist, Text))
    return [text for text in texts if text.get_visible() and text.get_text().strip() and id(text) not in hidden]


def _has_data(artist, ax: Axes) -> bool:
    """Whether a legend's series is drawn: finite points (inside the axes' view) or a bar of positive size."""
    from matplotlib.collections import Collection
    from matplotlib.container import BarContainer, Container, ErrorbarContainer
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if isinstance(artist, ErrorbarContainer):
        return _has_data(artist.lines[0], ax) if artist.lines[0] is not None else False
    if isinstance(artist, BarContainer):
        return any(_has_data(patch, ax) for patch in artist.patches)
    if isinstance(artist, Container):
        return any(_has_data(child, ax) for child in artist.get_children())
    if not artist.get_visible() or artist.axes is None and artist.figure is None:
        return False
    if isinstance(artist, Line2D):
        return bool(len(_shown(_points(artist), artist.get_transform(), ax)))
    if isinstance(artist, Collection):
        offsets = np.asarray(artist.get_offsets(), float).reshape(-1, 2)
        if len(offsets) and np.isfinite(offsets).all(axis=1).any():
            return True
        return any(len(path.vertices) for path in artist.get_paths())
    if isinstance(artist, Patch):
        box = artist.get_bbox() if hasattr(artist, "get_bbox") else None  # a bar of height 0 is a drawn 0
        return box is not None and np.isfinite([box.width, box.height]).all() and (box.width or box.height) != 0
    return True


def _points(line) -> np.ndarray:
    x, y = (np.asarray(v, float) for v in line.get_data())
    points = np.column_stack([x, y]) if x.shape == y.shape else np.empty((0, 2))
    return points[np.isfinite(points).all(axis=1)]


def _shown(points: np.ndarray, transform, ax: Axes) -> np.ndarray:
    """The display coordinates of ``points`` (in ``transform``'s coordinates) that fall inside the axes."""
    if not len(points):
        return np.empty((0, 2))
    shown = transform.transform(points)
    box = ax.bbox
    inside = (
        (shown[:, 0] >= box.x0 - 0.5)
        & (shown[:, 0] <= box.x1 + 0.5)
        & (shown[:, 1] >= box.y0 - 0.5)
        & (shown[:, 1] <= box.y1 + 0.5)
    )
    return shown[inside]


def _legend_artists(fig: Figure) -> list[tuple[Legend, list[Axes]]]:
    out = [(ax.get_legend(), [ax]) for ax in fig.axes if ax.get_legend() is not None]
    return out + [(legend_, list(fig.axes)) for legend_ in fig.legends]


def _labelled(ax: Axes) -> dict[str, list]:
    found: dict[str, list] = {}
    for artist in [*ax.containers, *ax.get_lines(), *ax.collections, *ax.patches]:
        label = artist.get_label()
        if label and not label.startswith("_"):
            found.setdefault(label, []).append(artist)
    return found


def check_figure(fig: Figure) -> list[str]:
    """What a reader would stumble on in ``fig`` (empty: nothing), checked on the laid-out figure:

    * a text (title, axis label, tick label, legend, annotation) reaching outside the canvas;
    * two tick labels of one axes overlapping;
    * a legend entry whose series is not drawn (no artist of that label with data in view);
    * a legend box over the data (a point or a bar of its axes inside it);
    * bars on a logarithmic value axis;
    * a series with the same values as another of its axes whose label does not say "identical to";
    * titles, axis labels, legends and tick labels running into one another.
    """
    from matplotlib.container import BarContainer
    from matplotlib.transforms import Bbox

    from ..figures import DPI

    fig.set_dpi(DPI)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    canvas = fig.bbox
    problems: list[str] = []
    tolerance = 1.0  # pixels
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        if (
            box.x0 < canvas.x0 - tolerance
            or box.y0 < canvas.y0 - tolerance
            or box.x1 > canvas.x1 + tolerance
            or (box.y1 > canvas.y1 + tolerance)
        ):
            problems.append(f"text outside the canvas: {text.get_text()!r}")
    for legend_, _ in _legend_artists(fig):
        box = legend_.get_window_extent(renderer)
        if (
            not Bbox.intersection(box, canvas)
            or box.x1 > canvas.x1 + tolerance
            or box.y1 > canvas.y1 + tolerance
            or (box.x0 < canvas.x0 - tolerance or box.y0 < canvas.y0 - tolerance)
        ):
            problems.append("legend outside the canvas")
    for index, ax in enumerate(fig.axes):
        name = ax.get_title() or f"axes {index}"
        for axis_name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            labels = _tick_labels(axis)
            for first, second in _colliding_ticks(labels, axis_name, renderer):
                pair = f"{first.get_text()!r} and {second.get_text()!r}"
                problems.append(f"{name!r}: {axis_name} tick labels overlap: {pair}")
        if any(isinstance(c, BarContainer) for c in ax.containers):
            for container in ax.containers:
                if isinstance(container, BarContainer):
                    scale = ax.get_xscale() if container.orientation == "horizontal" else ax.get_yscale()
                    if scale != "linear":
                        problems.append(f"{name!r}: bars on a {scale} axis")
                        break
        drawn = _series(ax)
        for i, (line, owner) in enumerate(drawn):
            for earlier, earlier_owner in drawn[:i]:
                if _same_data(line, earlier, 1e-9):
                    if not _notes_identity(owner.get_label()):
                        hidden = f"{owner.get_label()!r} is hidden under {earlier_owner.get_label()!r}"
                        problems.append(f"{name!r}: {hidden} (identical values, no 'identical to' note)")
                    break
    for legend_, axes in _legend_artists(fig):
        found: dict[str, list] = {}
        for ax in axes:
            for label, artists in _labelled(ax).items():
                found.setdefault(label, []).extend((artist, ax) for artist in artists)
        for text in legend_.get_texts():
            label = text.get_text()
            if not any(_has_data(artist, ax) for artist, ax in found.get(label, [])):
                problems.append(f"legend entry {label!r} has no drawn series")
        box = legend_.get_window_extent(renderer)
        for ax in axes:
            if _covers_data(box, ax):
                problems.append(f"legend over the data of {ax.get_title() or 'an axes'!r}")
    problems.extend(_colliding_blocks(fig, renderer))
    return problems


def _colliding_blocks(fig: Figure, renderer) -> list[str]:
    """Titles, axis labels, legends and tick labels that overlap one another (tick labels of one axis among
    themselves are checked apart)."""
    blocks = []
    for ax in fig.axes:
        for text, what in ((ax.title, "title"), (ax.xaxis.label, "x label"), (ax.yaxis.label, "y label")):
            if text.get_visible() and text.get_text().strip():
                blocks.append((f"{what} {text.get_text()!r}", text.get_window_extent(renderer), None))
        for axis in (ax.xaxis, ax.yaxis):
            for label in _tick_labels(axis):
                blocks.append((f"tick label {label.get_text()!r}", label.get_window_extent(renderer), id(axis)))
    for text in (getattr(fig, "_suptitle", None), getattr(fig, "_supxlabel", None), getattr(fig, "_supylabel", None)):
        if text is not None and text.get_visible() and text.get_text().strip():
            blocks.append((f"figure title {text.get_text()!r}", text.get_window_extent(renderer), None))
    for legend_, _ in _legend_artists(fig):
        blocks.append(("a legend", legend_.get_window_extent(renderer), None))
    problems = []
    for i, (first, box1, axis1) in enumerate(blocks):
        for second, box2, axis2 in blocks[i + 1 :]:
            if axis1 is not None and axis1 == axis2:
                continue
            if _overlap(box1, box2, shrink=1.0):
                problems.append(f"{first} overlaps {second}")
    return problems


def _colliding_ticks(labels: list, axis_name: str, renderer) -> list[tuple]:
    """Pairs of tick labels of one axis that overlap (:func:`_collide`)."""
    return [
        (first, second)
        for i, first in enumerate(labels)
        for second in labels[i + 1 :]
        if _collide(first, second, axis_name, renderer)
    ]


def _inside_box(shown: np.ndarray, box) -> np.ndarray:
    return (shown[:, 0] > box.x0) & (shown[:, 0] < box.x1) & (shown[:, 1] > box.y0) & (shown[:, 1] < box.y1)


def _along(line, ax: Axes, samples: int = 24) -> np.ndarray:
    """The display points of a line: its vertices, and for a drawn line ``samples`` points on each segment."""
    points = _points(line)
    if not len(points):
        return np.empty((0, 2))
    display = line.get_transform().transform(points)
    if line.get_linestyle() not in ("None", "none", "", " ") and len(display) > 1:
        steps = np.linspace(0, 1, samples, endpoint=False)[:, None, None]
        display = np.concatenate([(display[:-1] + steps * (display[1:] - display[:-1])).reshape(-1, 2), display])
    box = ax.bbox
    inside = (
        (display[:, 0] >= box.x0) & (display[:, 0] <= box.x1) & (display[:, 1] >= box.y0) & (display[:, 1] <= box.y1)
    )
    return display[inside]


def _covers_data(box, ax: Axes) -> bool:
    """Whether the (display) box ``box`` hides a data point, a line or a bar of ``ax``."""
    from matplotlib.container import BarContainer

    for line in ax.get_lines():
        if line.get_visible() and _inside_box(_along(line, ax), box).any():
            return True
    for collection in ax.collections:  # scatter dots
        offsets = np.asarray(collection.get_offsets(), float).reshape(-1, 2)
        offsets = offsets[np.isfinite(offsets).all(axis=1)]
        if collection.get_visible() and _inside_box(_shown(offsets, collection.get_offset_transform(), ax), box).any():
            return True
    for container in ax.containers:
        if isinstance(container, BarContainer):
            for patch in container.patches:
                if _overlap(patch.get_window_extent(), box, shrink=1.0):
                    return True
    return False
