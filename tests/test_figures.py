"""Figures fit for a paper: every declared figure of every study, drawn from a small fixture, passes
banditlab.style.check_figure; each check fails on a figure broken on purpose; user methods are drawn apart from
the built-in ones; the regret captions say why greedy wins; docs/figures.md is what the declarations give.

The fixture is the smoke config run point by point in this process (banditlab.runner.run_config_point, about
20 s once per session, never the working tree's results), with a method of a user's own added to the estimation
and bandit tables (a built-in method's rows, renamed and scaled by 1.1).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.lines import Line2D

from banditlab import style
from banditlab.figure_catalogue import markdown
from banditlab.figures import read_legend, save_figure
from banditlab.runner import run_config_point
from banditlab.study import caption_text, load, points, studies, study_figures, study_tables

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SMOKE = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
USER = {"estimation": ("estimator", "independent_ols", "mine:Mine"), "bandits": ("policy", "rmbandit", "mine:Mine")}
"""Per study: the column naming methods, the built-in method copied, and the user's method it becomes."""
FIGURES = [(study, figure) for study in studies(SMOKE) for figure in study_figures(study, SMOKE[study.name])]


def _with_user_method(study: str, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` and a user's method: the rows of a built-in one renamed, their values scaled by 1.1."""
    if study not in USER or USER[study][0] not in table.columns:
        return table
    column, builtin, user = USER[study]
    rows = table[table[column] == builtin].copy()
    if "metric" in rows.columns:  # a user's estimator has no explicit bound of the paper
        rows = rows[~rows["metric"].astype(str).str.contains("bound")]
    rows[column] = user
    value = "error" if "error" in rows.columns else "value"
    rows[value] = rows[value] * 1.1
    return pd.concat([table, rows], ignore_index=True)


@pytest.fixture(scope="session")
def tables() -> dict[str, dict[str, pd.DataFrame]]:
    return fixture_tables()


def fixture_tables() -> dict[str, dict[str, pd.DataFrame]]:
    """``{study: {table name: frame}}``: every experiment of the smoke config (every point, its replicates)
    and every study table the figures might read."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for study in studies(SMOKE):
        block = SMOKE[study.name]
        frames = {}
        for experiment in block["experiments"]:
            parts = [
                run_config_point(study.name, block, experiment, point.label, seed=SMOKE["seed"], scale="smoke")
                for point in points(study, block, experiment)
            ]
            frames[experiment] = _with_user_method(study.name, pd.concat(parts, ignore_index=True))
        wanted = {name for _, figure in FIGURES for name in figure.tables}
        for table, inputs in study_tables(study, block):
            if table.name in wanted:
                frames[table.name] = load(table.make)({n: frames[n] for n in inputs}, block, SMOKE["seed"])
        out[study.name] = frames
    return out


def draw(study, figure, tables) -> plt.Figure:
    block = SMOKE[study.name]
    return load(figure.draw)(
        {name: tables[study.name][name] for name in figure.tables}, {k: block[k] for k in figure.options}
    )


# --- every figure ------------------------------------------------------------------------------------------

PROMISED = {"regret_vs_d": ("d(s + d/N)", "d^2"), "regret_vs_n": ("(s + d/N) log N",)}
"""Reference curves a caption names, which the legend must show (regret_vs_d once named d(s + d/N) and d^2 in
its title with no curve drawn)."""


@pytest.mark.parametrize(("study", "figure"), FIGURES, ids=[figure.name for _, figure in FIGURES])
def test_every_declared_figure_is_fit_for_a_paper(study, figure, tables, tmp_path):
    """check_figure finds nothing; the legend saved is the legend checked; a user's method is drawn in its own
    colour and dash-dot line (in every figure declared to draw every method); the caption promises only what is
    drawn (reference curves, Table 1's slopes)."""
    drawn = draw(study, figure, tables)
    problems = style.check_figure(drawn)
    legend = [text.get_text() for item in [*drawn.axes, drawn] for text in _legend_texts(item)]
    entries = " ".join(" ".join(entry.split()) for entry in legend)
    lines = [line for ax in drawn.axes for line in ax.get_lines() if line.get_label().startswith("mine:Mine")]
    save_figure(drawn, tmp_path / "f.pdf", tmp_path / "f.png")
    assert not problems, f"{figure.name}:\n" + "\n".join(problems)
    assert read_legend(tmp_path / "f.png") == legend  # what was checked is what was saved
    if study.name in USER and figure.tables and figure.every_method:
        assert "mine:Mine" in entries, (figure.name, legend)
        if lines:  # bars carry the colour alone (and a hatch)
            assert {line.get_linestyle() for line in lines} == {style.USER_LINESTYLE}
            assert {line.get_color() for line in lines} == {style.USER_COLORS[0]}
    text = " ".join(caption_text(study, SMOKE[study.name], figure, {"scale": "smoke", "seed": 1}).split())
    for term in PROMISED.get(figure.name, ()):
        assert term in text and term in entries, (figure.name, term)
    if "Table 1 slope" in entries:
        assert "slope Table 1 predicts" in text, figure.name
    if figure.name == "theorem1_level":  # it once had error_curve's caption, about slopes it does not draw
        assert "Table 1 slope" not in entries and "slope Table 1 predicts" not in text


def _legend_texts(item):
    legends = [item.get_legend()] if hasattr(item, "get_legend") else list(item.legends)
    return [text for legend in legends if legend is not None for text in legend.get_texts()]


def test_user_colours_markers_and_lines_are_kept_apart_from_every_built_in_method():
    from banditlab.bandits.figures import STYLES as POLICIES
    from banditlab.estimation.figures import STYLES as ESTIMATORS

    builtin = [*ESTIMATORS.values(), *POLICIES.values()]
    colours = {look.color for look in builtin}
    for index, colour in enumerate(style.USER_COLORS):
        nearest = min(style.color_distance(colour, other) for other in colours)
        assert nearest >= (style.MIN_FIRST_USER_DISTANCE if index == 0 else style.MIN_USER_DISTANCE), colour
        for other in style.USER_COLORS[:index]:
            assert style.color_distance(colour, other) >= style.MIN_USER_DISTANCE, (colour, other)
    assert not {look.marker for look in builtin} & set(style.USER_MARKERS)
    assert style.USER_LINESTYLE not in {look.linestyle for look in builtin}
    # The colour a user's method had before (Paul Tol's indigo), next to independent OLS's blue: too close.
    assert style.color_distance("#332288", ESTIMATORS["independent_ols"].color) < style.MIN_FIRST_USER_DISTANCE


# --- each check fails on a figure broken on purpose, and passes once the style's helper fixes it ----------


def _line_figure(**kw):
    fig, axes = style.subplots(**kw)
    ax = axes[0, 0]
    x = np.array([200.0, 400, 800, 1600, 3200])
    ax.plot(x, 5 / np.sqrt(x), marker="o", label="a series")
    return fig, ax, x


def test_a_title_reaching_outside_the_canvas_is_caught():
    fig, ax, _ = _line_figure(legend=0, size=(3.0, 2.5))
    ax.set_title("measured (solid) and Table 1 slope (dashed, paper's estimators) against n: code_name")
    assert any("text outside the canvas" in p for p in style.check_figure(fig))
    style.set_title(ax, ax.get_title())
    style.finish(fig)
    assert style.check_figure(fig) == []


def test_colliding_tick_labels_are_caught():
    fig, ax, x = _line_figure(legend=0, size=(2.2, 2.2))
    ax.set_xscale("log")  # matplotlib's default log labels: "3x10^2 4x10^2" run together at this width
    ax.xaxis.set_minor_formatter(matplotlib.ticker.LogFormatterSciNotation(labelOnlyBase=False))
    assert any("tick labels overlap" in p for p in style.check_figure(fig))
    style.log_axis(ax, "x", at=x)
    style.finish(fig)
    assert style.check_figure(fig) == []


def test_a_legend_entry_with_no_drawn_series_is_caught():
    fig, ax, _ = _line_figure()
    ax.plot([1.0, 2.0], [np.nan, np.nan], label="a series of NaN")
    ax.legend(handles=[*ax.get_lines(), Line2D([], [], color="k", label="a proxy with no data")])
    problems = style.check_figure(fig)
    assert any("'a series of NaN' has no drawn series" in p for p in problems), problems
    assert any("'a proxy with no data' has no drawn series" in p for p in problems), problems
    ax.get_lines()[-1].remove()
    ax.get_legend().remove()
    style.legend(ax)
    assert style.check_figure(fig) == []


def test_a_legend_over_the_data_is_caught():
    fig, ax, x = _line_figure(legend=0)
    ax.plot(x[[0, -1]], [0.2, 0.2], label="a flat line across the middle")  # two ends: the check follows the line
    ax.set_ylim(0, 0.4)
    ax.legend(loc="center")
    assert any("legend over the data" in p for p in style.check_figure(fig))
    ax.get_legend().remove()
    style.legend(fig, loc="bottom")
    assert style.check_figure(fig) == []


def test_bars_on_a_log_axis_are_caught():
    fig, axes = style.subplots(legend=0)
    ax = axes[0, 0]
    ax.bar([0, 1], [2.5, 4.0], label="bars")
    ax.set_yscale("log")
    assert any("bars on a log axis" in p for p in style.check_figure(fig))
    style.linear_axis(ax, "y", zero=True)
    assert not any("bars on" in p for p in style.check_figure(fig))


def test_a_series_hidden_under_an_identical_one_needs_a_note():
    fig, ax, x = _line_figure()
    ax.plot(x, 5 / np.sqrt(x), marker="s", label="the same values")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))
    assert any("is hidden under" in p for p in style.check_figure(fig))
    ax.get_legend().remove()
    style.legend(ax)
    texts = [" ".join(t.get_text().split()) for t in ax.get_legend().get_texts()]
    assert "the same values (identical to a series)" in texts
    assert style.check_figure(fig) == []


def test_a_figure_title_running_into_a_legend_is_caught():
    fig, axes = style.subplots(1, 2, legend=1.0)
    for ax in axes[0]:
        ax.plot([1, 2], [1, 2], label="one series with a long name")
    fig.suptitle("A figure title as wide as the whole figure, legend included")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside right upper")
    assert any("overlaps a legend" in p for p in style.check_figure(fig))


def test_identical_in_some_panels_only_is_said_so_in_a_shared_legend():
    fig, axes = style.subplots(1, 2)
    for k, ax in enumerate(axes[0]):
        ax.plot([1, 2], [1, 2], label="first")
        ax.plot([1, 2], [1, 2 + k], label="second")
    style.legend(fig)
    assert [" ".join(t.get_text().split()) for t in fig.legends[0].get_texts()] == [
        "first",
        "second (identical to first in 1 of 2 panels)",
    ]
    assert style.check_figure(fig) == []


def test_log_axes_are_labelled_with_plain_numbers_at_the_grid_and_the_end_points():
    fig, ax, x = _line_figure()
    style.log_axis(ax, "x", at=x)
    style.log_axis(ax, "y")
    style.finish(fig)
    labels = [label.get_text() for label in ax.get_xticklabels() if label.get_text()]
    assert labels == ["200", "400", "800", "1600", "3200"]
    assert all("10" not in label or label.isdigit() for label in (t.get_text() for t in ax.get_yticklabels()))
    assert style.plain(40000) == "40,000" and style.plain(0.25) == "0.25"
    assert style.nice_log_ticks(1.03, 1.07) and len(style.nice_log_ticks(1e-3, 1e6)) <= 7


# --- captions and the catalogue --------------------------------------------------------------------------


REGRET_FIGURES = ("regret_vs_t", "regret_vs_d", "regret_vs_n", "regret_data_poor")


@pytest.mark.parametrize("name", REGRET_FIGURES)
def test_the_regret_captions_say_why_greedy_wins_and_where_it_fails(name):
    (study, figure) = [(s, f) for s, f in FIGURES if f.name == name][0]
    text = caption_text(study, SMOKE[study.name], figure, {"scale": "smoke", "seed": 1})
    assert "Greedy" in text and "covariate diversity" in text and "regret_vs_t_no_diversity" in text


def test_docs_figures_md_lists_every_figure_as_the_declarations_give():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    text = (ROOT / "docs" / "figures.md").read_text()
    assert text == markdown(config, ROOT), (
        "docs/figures.md is stale: python -m banditlab.figure_catalogue > docs/figures.md"
    )
    for study in studies(config):
        for figure in study_figures(study, config[study.name]):
            assert f"**{figure.name}**" in text and f"figures/{figure.name}.pdf" in text
