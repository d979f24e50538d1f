"""One style for every figure of the package, and the check that a figure is fit for a paper.

A drawing function (``draw(tables, options) -> Figure``, :mod:`banditlab.study`) decorated with :func:`styled`
draws under :data:`RC` (fonts, grid, constrained layout, a colour-blind-safe cycle) and is finished by
:func:`finish` (layout, then tick labels that would collide removed, end points kept). What it draws goes
through a few helpers:

* **methods** (estimators, policies): :class:`SeriesStyle` (label, colour, marker, line style, open or filled
  marker), the built-in ones fixed by each study, any other (a user's class, named by import path) from
  :func:`series_styles`: its class's label, the next colour of :data:`USER_COLORS` (chosen far from every
  built-in colour, :func:`color_distance`), a star-like marker and a dash-dot line that no built-in method uses;
* **series**: :func:`plot_series` (a line with markers, an error bar or a shaded band);
* **axes**: :func:`log_axis` (ticks at the grid values, or at 1-2-5 steps, labelled with plain numbers,
  minor labels off, end points labelled) and :func:`linear_axis` (bars start at 0);
* **titles** in words, wrapped to the panel's width: :func:`set_title`, :func:`set_suptitle`;
* **legends** outside the data: :func:`legend` (to the right of the axes or of the figure); two series with
  the same values are named so in the legend ("... (identical to X)", :func:`mark_identical`).

:func:`check_figure` lists what a reader would stumble on: text outside the canvas, overlapping tick labels,
a legend entry whose series is not drawn, a legend over the data, bars on a logarithmic axis, and a series
hidden under an identical one without a note. ``tests/test_figures.py`` runs it on every declared figure.
"""

from .check import check_figure
from .layout import (
    PANEL,
    RC,
    WIDTH,
    finish,
    fit_titles,
    linear_axis,
    log_axis,
    nice_log_ticks,
    plain,
    rc,
    set_suptitle,
    set_title,
    styled,
    subplots,
    thin_tick_labels,
)
from .series import (
    BUILTIN_COLORS,
    DASHED,
    DOTTED,
    LABEL_WIDTH,
    MIN_FIRST_USER_DISTANCE,
    MIN_USER_DISTANCE,
    REFERENCE,
    USER_COLORS,
    USER_LINESTYLE,
    USER_MARKERS,
    SeriesStyle,
    color_distance,
    legend,
    mark_identical,
    plot_series,
    series_styles,
    wrap_labels,
)

__all__ = [
    "BUILTIN_COLORS",
    "DASHED",
    "DOTTED",
    "LABEL_WIDTH",
    "MIN_FIRST_USER_DISTANCE",
    "MIN_USER_DISTANCE",
    "PANEL",
    "RC",
    "REFERENCE",
    "USER_COLORS",
    "USER_LINESTYLE",
    "USER_MARKERS",
    "WIDTH",
    "SeriesStyle",
    "check_figure",
    "color_distance",
    "finish",
    "fit_titles",
    "legend",
    "linear_axis",
    "log_axis",
    "mark_identical",
    "nice_log_ticks",
    "plain",
    "plot_series",
    "rc",
    "series_styles",
    "set_suptitle",
    "set_title",
    "styled",
    "subplots",
    "thin_tick_labels",
    "wrap_labels",
]
