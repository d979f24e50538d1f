"""Methods as series: colours, markers and line styles, the series helpers and the legend outside the data."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D


# ----------------------------------------------------------------------------------------- colours, series

BUILTIN_COLORS = {
    "blue": "#4477AA",
    "red": "#EE6677",
    "green": "#228833",
    "yellow": "#CCBB44",
    "purple": "#AA3377",
    "cyan": "#66CCEE",
    "grey": "#777777",
    "light grey": "#BBBBBB",
}
"""The built-in methods' colours: Paul Tol's colour-blind-safe *bright* scheme, with a darker grey."""

USER_COLORS = ("#000000", "#994F00", "#E68310", "#FF00FF", "#800000", "#00CC66")
"""Colours of methods the studies do not know (a user's class), in order of appearance, then cycled: each at
least :data:`MIN_USER_DISTANCE` (CIEDE2000) from every built-in colour and from the others, the first at least
:data:`MIN_FIRST_USER_DISTANCE`."""
USER_MARKERS = ("*", "h", "p", "<", ">", "8")
USER_LINESTYLE = "-."
"""A user's method: the dash-dot line no built-in method draws, so it stays apart even where colours are close."""
MIN_USER_DISTANCE = 20.0
MIN_FIRST_USER_DISTANCE = 35.0

DASHED = (0, (4, 2))
DOTTED = (0, (1, 1.5))
REFERENCE = {"color": "0.35", "lw": 1.0}
"""Reference curves (a bound's shape, a predicted slope): thin, no markers."""


@dataclass(frozen=True)
class SeriesStyle:
    """How one method is drawn: legend label, colour, marker, line style, filled or open marker."""

    label: str
    color: str
    marker: str = "o"
    linestyle: Any = "-"
    filled: bool = True

    def kwargs(self, **extra: Any) -> dict:
        """Keyword arguments of ``ax.plot``/``ax.errorbar``: open markers (white inside) let a series drawn
        underneath show through; dashed lines are drawn on top of solid ones for the same reason."""
        out = {
            "color": self.color,
            "marker": self.marker,
            "linestyle": self.linestyle,
            "label": self.label,
            "markerfacecolor": self.color if self.filled else "white",
            "markeredgecolor": self.color,
            "zorder": 2.0 if self.linestyle in ("-", "solid") else 2.5,
        }
        return out | extra


def series_styles(
    names: Iterable[str], builtin: Mapping[str, SeriesStyle], label: Callable[[str], str] | None = None
) -> dict[str, SeriesStyle]:
    """``{name: SeriesStyle}`` in order: ``builtin[name]`` where the study knows the name, else the method's
    label (``label(name)``, default :func:`banditlab.registry.method_label`), the next user colour and marker
    (:data:`USER_COLORS`, :data:`USER_MARKERS`, cycled) and the dash-dot line."""
    if label is None:
        from ..registry import method_label as label
    out: dict[str, SeriesStyle] = {}
    extra = 0
    for name in dict.fromkeys(names):
        if name in builtin:
            out[name] = builtin[name]
        else:
            color, marker = USER_COLORS[extra % len(USER_COLORS)], USER_MARKERS[extra % len(USER_MARKERS)]
            out[name] = SeriesStyle(label(name), color, marker, USER_LINESTYLE)
            extra += 1
    return out


def _lab(color: str) -> np.ndarray:
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    matrix = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = matrix @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def color_distance(first: str, second: str) -> float:
    """How different two colours look: CIEDE2000 (about 2: barely; 20: clearly; 40: another colour family)."""
    (l1, a1, b1), (l2, a2, b2) = _lab(first), _lab(second)
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_big_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    rotation = (
        -math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
        * 2
        * math.sqrt(c_bar**7 / (c_bar**7 + 25**7))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    dl, dc, dhh = (l2 - l1) / s_l, (c2 - c1) / s_c, d_big_h / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + rotation * dc * dhh)


# ----------------------------------------------------------------------------------------- series, legends


def plot_series(
    ax: Axes,
    x,
    y,
    style: SeriesStyle,
    *,
    yerr=None,
    band=None,
    markevery: int | None = None,
    **extra: Any,
) -> Line2D:
    """One method's series: a line with markers, with error bars (``yerr``) or a shaded band (``band``:
    ``(low, high)``); returns the line (whose label is the legend's)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    kwargs = style.kwargs(**extra)
    if markevery is None and len(x) > 10:
        markevery = max(1, len(x) // 6)
    if markevery is not None:
        kwargs["markevery"] = markevery
    if yerr is not None:  # the bars alone, unlabelled: the legend shows the line and its markers
        bars = {"color": style.color, "linestyle": "none", "zorder": kwargs["zorder"] - 0.1, "label": "_bars"}
        ax.errorbar(x, y, yerr=np.asarray(yerr, float), **bars)
    (line,) = ax.plot(x, y, **kwargs)
    if band is not None:
        ax.fill_between(x, band[0], band[1], color=style.color, alpha=0.15, lw=0, zorder=1)
    return line


def _series(ax: Axes) -> list[tuple]:
    """The labelled series of an axes: ``(line, owner)`` where ``owner`` carries the legend label (the line, or
    the error-bar container it belongs to)."""
    from matplotlib.container import ErrorbarContainer

    out = [(line, line) for line in ax.get_lines() if not line.get_label().startswith("_")]
    for container in ax.containers:
        if isinstance(container, ErrorbarContainer) and container.lines[0] is not None:
            if container.get_label() and not container.get_label().startswith("_"):
                out.append((container.lines[0], container))
    return out


def _notes_identity(label: str) -> bool:
    return "(identical to" in " ".join(label.split())


def mark_identical(axes: Sequence[Axes], rtol: float = 1e-9) -> dict[str, str]:
    """Name, in the legend, every series whose values equal an earlier series' of the same axes (same x, y within
    ``rtol``): its label becomes ``"<label> (identical to <earlier label>)"``, or, when the axes share one legend
    and the two are identical in some of the panels where both are drawn only, ``"... (identical to <earlier>
    in k of m panels)"``, on every panel. Returns ``{label: earlier label}``."""
    pairs: dict[tuple[str, str], int] = {}  # (label, earlier label): panels where identical
    both: dict[tuple[str, str], int] = {}  # (label, earlier label): panels where both are drawn
    for ax in axes:
        drawn = [(line, " ".join(owner.get_label().split())) for line, owner in _series(ax)]
        for i, (line, label) in enumerate(drawn):
            if _notes_identity(label):
                continue
            first = None
            for earlier, earlier_label in drawn[:i]:
                key = (label, earlier_label.split(" (identical to")[0])
                both[key] = both.get(key, 0) + 1
                if first is None and _same_data(line, earlier, rtol):
                    first = key
            if first is not None:
                pairs[first] = pairs.get(first, 0) + 1
    noted = {}
    for (label, earlier), count in sorted(pairs.items(), key=lambda item: -item[1]):
        if label in noted:
            continue
        where = "" if count == both[(label, earlier)] else f" in {count} of {both[(label, earlier)]} panels"
        noted[label] = earlier
        for ax in axes:
            for _, owner in _series(ax):
                if " ".join(owner.get_label().split()) == label:
                    owner.set_label(f"{label} (identical to {earlier}{where})")
    return noted


def _same_data(first: Line2D, second: Line2D, rtol: float) -> bool:
    x1, y1 = (np.asarray(v, float) for v in first.get_data())
    x2, y2 = (np.asarray(v, float) for v in second.get_data())
    if x1.shape != x2.shape or not len(x1):
        return False
    return bool(np.array_equal(x1, x2) and np.allclose(y1, y2, rtol=rtol, atol=0, equal_nan=True))


LABEL_WIDTH = 34
"""Legend labels longer than this many characters are wrapped onto several lines."""


def wrap_labels(axes: Iterable[Axes], width: int = LABEL_WIDTH) -> None:
    """Wrap every series label longer than ``width`` characters (on the artist, so the legend shows it)."""
    for ax in axes:
        for artist in [*ax.get_lines(), *ax.collections, *ax.patches, *ax.containers]:
            label = artist.get_label()
            if label and not label.startswith("_") and len(label) > width and "\n" not in label:
                artist.set_label(textwrap.fill(label, width, subsequent_indent="  "))


def legend(
    where: Axes | Figure,
    axes: Sequence[Axes] | None = None,
    *,
    loc: str = "right",
    ncol: int | None = None,
    title: str | None = None,
) -> Legend | None:
    """The legend, outside the data: to the right of one axes (``where`` an Axes), or of the whole figure with
    the entries of ``axes`` (default: every axes) merged by label (``where`` a Figure; ``loc="bottom"`` puts it
    under the panels, in as many columns as fit the figure's width, at most ``ncol``). Identical series are named
    so first (:func:`mark_identical`), long labels wrapped (:func:`wrap_labels`)."""
    from matplotlib.figure import Figure as _Figure

    figure = where if isinstance(where, _Figure) else where.figure
    axes = list(axes if axes is not None else figure.axes) if isinstance(where, _Figure) else [where]
    mark_identical(axes)
    wrap_labels(axes)
    handles, labels = {}, []
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in handles:
                handles[label] = handle
                labels.append(label)
    if not labels:
        return None
    entries = ([handles[label] for label in labels], labels)
    if loc != "bottom":
        if isinstance(where, _Figure):
            return where.legend(*entries, loc="outside right upper", ncol=ncol or 1, title=title)
        return where.legend(*entries, loc="upper left", bbox_to_anchor=(1.02, 1.0), ncol=ncol or 1, title=title)
    renderer = figure.canvas.get_renderer()
    for columns in range(min(ncol or len(labels), len(labels)), 0, -1):  # the most columns that fit
        if isinstance(where, _Figure):
            made = where.legend(*entries, loc="outside lower center", ncol=columns, title=title)
        else:
            made = where.legend(*entries, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=columns, title=title)
        if columns == 1 or made.get_window_extent(renderer).width <= 0.98 * figure.bbox.width:
            return made
        made.remove()
    return None
