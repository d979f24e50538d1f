"""The functions of the generic workflow jobs after the points: an experiment's table, a study table (a check
table or a table of a paper's formulas) and a figure. Each reads only the tables its declaration names
(:mod:`banditlab.study`) and imports only the study code the job runs, by its import path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .study import load


def concat_points(paths: Sequence[str], stamps: Mapping[str, str]):
    """One experiment's table: its point tables in grid order, with ``stamps`` (config hash...) as last columns."""
    from .io import read_tables

    return read_tables(paths).assign(**stamps)


def make_table(make: str, inputs: Mapping[str, str], block: Mapping, seed: int):
    """A check table, or a table of a paper's formulas: ``make(tables, block, seed)`` on the named inputs."""
    import pandas as pd

    tables = {name: pd.read_csv(path) for name, path in inputs.items()}
    return load(make)(tables, block, seed)


def draw_figure(draw: str, inputs: Mapping[str, str], options: Mapping, pdf: str, png: str) -> None:
    """Draw a figure from its tables only (``draw(tables, options)``) and save it (:func:`figures.save_figure`)."""
    import pandas as pd

    from .figures import save_figure

    tables = {name: pd.read_csv(path) for name, path in inputs.items()}
    save_figure(load(draw)(tables, options), pdf, png)


__all__ = ["concat_points", "draw_figure", "make_table"]
