"""The figure: rcParams, sizes, layout and finishing, axes labelled with plain numbers, titles in words."""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# ----------------------------------------------------------------------------------------- figures

WIDTH = 7.0
"""Width in inches of a one-panel figure with its legend at the right (two columns of a paper page)."""
PANEL = (3.6, 2.9)
"""Width and height in inches of one panel of a multi-panel figure (the legend adds its own width)."""

RC = {
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "figure.titlesize": 10.5,
    "axes.grid": True,
    "axes.grid.which": "major",
    "grid.color": "0.9",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.use_mathtext": False,
    "lines.linewidth": 1.4,
    "lines.markersize": 5,
    "errorbar.capsize": 2,
    "legend.frameon": False,
    "legend.borderaxespad": 0.3,
    "figure.constrained_layout.use": True,
    "figure.constrained_layout.h_pad": 0.06,
    "figure.constrained_layout.w_pad": 0.06,
}
"""The rcParams every figure is drawn under (:func:`styled`); the colour cycle of series that are not
methods is matplotlib's colour-blind-safe ``tableau-colorblind10``."""


def rc() -> dict:
    """:data:`RC` with the ``tableau-colorblind10`` colour cycle (for series that are not methods)."""
    import matplotlib.pyplot as plt

    return {**RC, "axes.prop_cycle": plt.style.library["tableau-colorblind10"]["axes.prop_cycle"]}


def styled(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorate a drawing function: it runs under :func:`rc` and its figure is :func:`finish`-ed."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib.pyplot as plt

        with plt.rc_context(rc()):
            return finish(draw(*args, **kwargs))

    return wrapper


def subplots(
    nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] | None = None, legend: float = 1.9, **kw
) -> tuple[Figure, np.ndarray]:
    """``plt.subplots`` with constrained layout and a 2-d array of axes: one panel is ``size`` (default
    :data:`PANEL`, or the rest of :data:`WIDTH` for a single panel), plus ``legend`` inches at the right for a
    legend (0: none)."""
    import matplotlib.pyplot as plt

    if size is None:
        size = (WIDTH - legend, 3.6) if nrows * ncols == 1 else PANEL
    kw.setdefault("squeeze", False)
    return plt.subplots(nrows, ncols, figsize=(size[0] * ncols + legend, size[1] * nrows), layout="constrained", **kw)


def finish(fig: Figure) -> Figure:
    """Lay the figure out (constrained layout, at the saving resolution), wrap every title to the width it has
    (:func:`fit_titles`), then drop tick labels that would overlap a neighbour (:func:`thin_tick_labels`)."""
    from ..figures import DPI

    fig.set_dpi(DPI)
    fig.canvas.draw()
    fit_titles(fig)
    thin_tick_labels(fig)
    return fig


def fit_titles(fig: Figure, rounds: int = 3) -> None:
    """Rewrap every axes title wider than its axes, and a figure title wider than the figure, at the widths the
    layout gives them (on a drawn figure; the layout is redone after each round)."""
    renderer = fig.canvas.get_renderer()
    for _ in range(rounds):
        changed = False
        titles = [(ax.title, ax.bbox.width) for ax in fig.axes if ax.get_title()]
        if fig._suptitle is not None and fig._suptitle.get_text():
            titles.append((fig._suptitle, fig.bbox.width * 0.97))
        for title, room in titles:
            width = title.get_window_extent(renderer).width
            if width <= room:
                continue
            text = title.get_text()
            longest = max(len(line) for line in text.split("\n"))
            chars = max(12, int(longest * room / width * 0.97))
            title.set_text(textwrap.fill(" ".join(text.split()), chars))
            changed = True
        if not changed:
            return
        fig.canvas.draw()


# ----------------------------------------------------------------------------------------- axes


def plain(value: float) -> str:
    """A tick label: ``200``, ``3200``, ``40,000``, ``0.25``, ``1e-05`` (no powers of ten written as 10^k)."""
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e7:
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    if 1e-4 <= abs(value) < 1e7:
        return f"{value:.3g}"
    return f"{value:.0e}"


def nice_log_ticks(low: float, high: float, most: int = 7) -> list[float]:
    """Ticks between ``low`` and ``high`` (both > 0) at 1-2-5 steps per decade, or every decade, or every other
    decade, whichever first gives at most ``most``; at least two ticks (finer steps when the range is narrow)."""
    low, high = min(low, high), max(low, high)
    decades = range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1)
    for multiples, every in (((1, 2, 5), 1), ((1,), 1), ((1,), 2), ((1,), 3), ((1,), 5)):
        ticks = [m * 10.0**k for k in decades if k % every == 0 for m in multiples]
        ticks = [t for t in ticks if low * (1 - 1e-9) <= t <= high * (1 + 1e-9)]
        if 2 <= len(ticks) <= most:
            return ticks
        if len(ticks) > most:
            continue
        break
    finer = [m * 10.0**k for k in decades for m in range(1, 10)]
    ticks = [t for t in finer if low <= t <= high]
    if len(ticks) >= 2:
        return ticks[:: max(1, math.ceil(len(ticks) / most))]
    return [float(f"{low:.2g}"), float(f"{high:.2g}")] if f"{low:.2g}" != f"{high:.2g}" else [low, high]


def log_axis(ax: Axes, axis: str = "x", at: Sequence[float] | None = None) -> None:
    """A logarithmic ``axis`` labelled with plain numbers: at the grid values ``at`` (every one, the end points
    included), or at :func:`nice_log_ticks` of the current limits; minor ticks unlabelled."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
    if at is not None:
        values = sorted({float(v) for v in at if np.isfinite(v) and v > 0})
        low, high = values[0], values[-1]
        pad = (high / low) ** 0.04 if high > low else 1.3
        (ax.set_xlim if axis == "x" else ax.set_ylim)(low / pad, high * pad)
    else:
        low, high = ax.get_xlim() if axis == "x" else ax.get_ylim()
        values = nice_log_ticks(low, high)
    target.set_major_locator(FixedLocator(values))
    target.set_major_formatter(FuncFormatter(lambda v, _: plain(v)))
    target.set_minor_formatter(NullFormatter())


def linear_axis(ax: Axes, axis: str = "y", *, zero: bool = False, at: Sequence[float] | None = None) -> None:
    """A linear ``axis`` with plain labels; ``zero``: it starts at 0 (bars); ``at``: ticks at those values."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    (ax.set_xscale if axis == "x" else ax.set_yscale)("linear")
    if zero:
        (ax.set_xlim if axis == "x" else ax.set_ylim)(0, None)
    target.set_major_locator(FixedLocator(sorted(at)) if at is not None else MaxNLocator(6, steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(FuncFormatter(lambda v, _: plain(round(v, 10))))


def thin_tick_labels(fig: Figure) -> None:
    """Blank the tick labels that would overlap a neighbour, keeping the first and the last (on a drawn figure)."""
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            labels = _tick_labels(axis)
            if len(labels) < 3:
                continue
            kept = [labels[0]]
            for label in labels[1:-1]:
                if _collide(label, kept[-1], name, renderer, 0.08) or _collide(label, labels[-1], name, renderer, 0.08):
                    label.set_text("")
                else:
                    kept.append(label)
            if len(kept) > 1 and _collide(kept[-1], labels[-1], name, renderer, 0.08):
                kept[-1].set_text("")
    fig.canvas.draw()


# ----------------------------------------------------------------------------------------- titles


def _wrap(text: str, width_inches: float, fontsize: float) -> str:
    chars = max(20, int(width_inches * 72 / (0.52 * fontsize)))
    return "\n".join(textwrap.fill(part, chars) for part in text.split("\n"))


def set_title(ax: Axes, text: str) -> None:
    """A panel title in words, wrapped to the panel's width."""
    import matplotlib as mpl

    width = ax.get_position().width * ax.figure.get_figwidth()
    size = mpl.rcParams["axes.titlesize"]
    ax.set_title(_wrap(text, width, size if isinstance(size, float | int) else 9.5))


def set_suptitle(fig: Figure, text: str) -> None:
    """A figure title in words, wrapped to the figure's width."""
    import matplotlib as mpl

    size = mpl.rcParams["figure.titlesize"]
    fig.suptitle(_wrap(text, fig.get_figwidth() * 0.95, size if isinstance(size, float | int) else 10.5))


def _tick_labels(axis) -> list:
    """The visible, non-empty tick labels of an axis whose ticks are inside its view, in the order of their ticks."""
    low, high = sorted(axis.get_view_interval())
    span = abs(high - low) * 1e-9
    ticks = [
        *axis.get_major_ticks(len(axis.get_majorticklocs())),
        *axis.get_minor_ticks(len(axis.get_minorticklocs())),
    ]
    shown = [
        tick
        for tick in ticks
        if tick.label1.get_visible() and tick.label1.get_text().strip() and low - span <= tick.get_loc() <= high + span
    ]
    return [tick.label1 for tick in sorted(shown, key=lambda tick: tick.get_loc())]


def _collide(first, second, axis_name: str, renderer, pad: float = 0.0) -> bool:
    """Whether two tick labels of one axis overlap: their boxes, or for x labels rotated by an angle a, whether
    their parallel baselines are closer than the text's height (distance along the axis times sin a)."""
    angle = first.get_rotation() % 180
    if angle in (0.0, 90.0) or axis_name == "y":
        box = first.get_window_extent(renderer)
        return _overlap(box.expanded(1 + pad, 1.0), second.get_window_extent(renderer))
    along = abs(first.get_window_extent(renderer).x1 - second.get_window_extent(renderer).x1)
    height = first.get_fontsize() * first.figure.dpi / 72
    return along * abs(math.sin(math.radians(angle))) < height * (1 + pad)


def _overlap(first, second, shrink: float = 0.5) -> bool:
    return (
        min(first.x1, second.x1) - max(first.x0, second.x0) > shrink
        and min(first.y1, second.y1) - max(first.y0, second.y0) > shrink
    )
