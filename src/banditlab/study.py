"""The contract every study implements: experiments, tables and figures as data, and one grid.

A *study* is one config block (``estimation``, ``bandits``, ``pareto``) and one results folder
(``results/<study>/``). It declares, in its ``study`` module, a :class:`Study`:

* its **experiments** (:class:`Experiment`): a name, the function that runs one replicate of one point
  (``run(point, replicate) -> rows``, given by import path so that declaring a study imports nothing
  heavy), and how a point is labelled. The points come from the config, the same shape in every study::

      <study>:
        experiments:
          <name>: {grid: {axis: [values], ...}, <fixed key>: value, ...}

  The grid is the Cartesian product of its axes, first axis outermost (:func:`grid_values`); a point's
  values are the study's shared keys, the experiment's fixed keys and its grid values. An experiment the
  study does not declare runs the study's default experiment, or the function its block names by import
  path (``run: package.module:function``).
* its **tables** (:class:`Table`): the check tables and the tables computed from the papers' formulas,
  each made by one function from the experiments' tables (or from nothing);
* its **figures** (:class:`Figure`): the tables each reads, the function that draws it and the caption
  template (``$name`` fields filled from the config, :func:`caption_text`). An experiment's block may
  also ask for a figure of a kind the study declares (``figure: <kind>``), or of a user's own
  (``figure: {draw: package.module:function, caption: text}``);
* its claims and findings (import paths of the catalogues its checks declare), and its cost model's
  work features (:mod:`banditlab.cost`).

Point labels are made once, here (:func:`points`), and never parsed: a point carries its values.
:mod:`banditlab.runner` runs points, tables and figures; ``workflow/rules/studies.smk`` makes one generic
rule of each kind from the declarations.
"""

from __future__ import annotations

import dataclasses
import importlib
import itertools
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

STUDY_MODULES = {
    "estimation": "banditlab.estimation.study",
    "pareto": "banditlab.pareto.study",
    "bandits": "banditlab.bandits.study",
}
"""Every study by config block, in the order the workflow lists them (each module defines ``STUDY``)."""

META_KEYS = ("grid", "figure", "replicates", "run")
"""Keys of an experiment's block that are not values of its points."""


def load(path: str) -> Any:
    """The object an import path ``package.module:name`` names (imported on first use)."""
    module, _, name = path.partition(":")
    if not module or not name:
        raise ValueError(f"an import path must read 'package.module:name', got {path!r}")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Experiment:
    """One experiment of a study.

    Attributes
    ----------
    name : str
        Its config key under ``<study>.experiments`` and its results folder.
    run : str
        Import path of ``run(point, replicate) -> list of row dicts``: one replicate of one point
        (``point``: the point's values; ``replicate``: a :class:`banditlab.runner.Replicate`, whose
        generator is derived from (seed, study, experiment, point label, replicate)).
    label : str or callable
        A format string over the point's values (``"d{d}"``), or a function of the :class:`Point`
        returning its label; ``None``: the grid values joined (``"d10_N4"``, ``"default"`` without grid).
    """

    name: str
    run: str
    label: str | Callable[[Point], str] | None = None


@dataclass(frozen=True)
class Table:
    """A table of ``results/tables/``: a check table, or a table computed from a paper's formulas.

    ``make(tables, block, seed)`` (an import path) returns the table from the experiments' (and other
    tables') frames by name, the study's config block and the base seed; ``inputs`` names what it reads
    (a function of the study block, or a sequence of names). ``markdown`` is ``"check"`` (the verdict
    engine's rendering, titled ``title``), ``"plain"``, or the import path of a function of the table
    returning its Markdown. ``ledger``: its rows carry verdicts the claims ledger reads.
    """

    name: str
    make: str
    inputs: Sequence[str] | Callable[[Mapping], list[str]] = ()
    markdown: str = "check"
    title: str = ""
    ledger: bool = True


@dataclass(frozen=True)
class Figure:
    """A figure, ``figures/<name>.{pdf,png}``, drawn by ``draw(tables, options) -> matplotlib Figure``.

    ``tables`` are the experiments or tables it reads (by name; nothing else), ``options`` the keys of the
    study block its drawing reads, ``caption`` a template (``$key`` fields from :func:`caption_values`), or
    the names of template files of the study package (``captions/<name>.rst``) to put one after the other,
    ``subcategory`` its place in the report, ``every_method`` whether it draws every method of its tables (a
    user's included; False for a figure that follows one method by design, such as RMBandit's target regret).
    """

    name: str
    draw: str
    tables: tuple[str, ...]
    caption: str | tuple[str, ...]
    subcategory: str = ""
    options: tuple[str, ...] = ()
    every_method: bool = True


@dataclass(frozen=True)
class Study:
    """What a study declares: see the module docstring."""

    name: str
    title: str
    experiments: Mapping[str, Experiment]
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()
    figure_kinds: Mapping[str, Figure] = field(default_factory=dict)
    default_experiment: Experiment | None = None
    shared: tuple[str, ...] = ()
    point_values: Callable[[str, Mapping, Mapping, Mapping], dict] | None = None
    check: Callable[[Mapping], None] | None = None
    claims: str = ""
    findings: str = ""
    cost_features: str = ""
    tidy: str = ""
    table_stamps: tuple[str, ...] = ("config_hash",)
    point_mem_mb: int = 2000
    point_minutes: int = 30
    package: str = ""

    def experiment(self, name: str, block: Mapping) -> Experiment:
        """The experiment ``name`` as declared, or as its config block names it (``run:`` import path)."""
        spec = block["experiments"][name]
        if "run" in spec:
            return Experiment(name, spec["run"], spec.get("label"))
        if name in self.experiments:
            return self.experiments[name]
        if self.default_experiment is not None:
            return Experiment(name, self.default_experiment.run, self.default_experiment.label)
        raise ValueError(
            f"{self.name}.experiments.{name}: no experiment of that name in study {self.name!r} "
            f"(known: {sorted(self.experiments)}); give its block `run: package.module:function`"
        )


@dataclass(frozen=True)
class Point:
    """One point of an experiment: its label (made once), its values and its grid values."""

    study: str
    experiment: str
    label: str
    values: dict
    grid: dict
    replicates: int


def get_study(name: str) -> Study:
    """The :class:`Study` declared by ``name``'s study module."""
    if name not in STUDY_MODULES:
        raise ValueError(f"study must be one of {sorted(STUDY_MODULES)}, got {name!r}")
    return importlib.import_module(STUDY_MODULES[name]).STUDY


def studies(config: Mapping) -> list[Study]:
    """The studies the config has a block for, in :data:`STUDY_MODULES` order."""
    return [get_study(name) for name in STUDY_MODULES if name in config]


def grid_values(grid: Mapping[str, Sequence]) -> list[dict]:
    """The Cartesian product of ``grid``'s axes, first axis outermost (one dict per point)."""
    axes = list(grid)
    for axis in axes:
        if isinstance(grid[axis], str) or not isinstance(grid[axis], Sequence) or not grid[axis]:
            raise ValueError(f"grid axis {axis!r} must be a non-empty list of values, got {grid[axis]!r}")
    return [dict(zip(axes, combination)) for combination in itertools.product(*(grid[axis] for axis in axes))]


def _default_label(point: Point) -> str:
    if not point.grid:
        return "default"
    text = "_".join(
        f"{axis}{value:g}" if isinstance(value, float) else f"{axis}{value}" for axis, value in point.grid.items()
    )
    return text.replace("-", "m").replace(".", "p").replace("/", "_")


def make_label(experiment: Experiment, point: Point) -> str:
    """The label of ``point`` (``experiment.label``: a format string over its values, or a function)."""
    if experiment.label is None:
        return _default_label(point)
    if isinstance(experiment.label, str):
        return experiment.label.format(**point.values)
    return experiment.label(point)


def default_point_values(study: Study, name: str, spec: Mapping, block: Mapping, grid: Mapping) -> dict:
    """A point's values: the study's shared keys, then the experiment's fixed keys, then its grid values."""
    shared = {key: block[key] for key in study.shared if key in block}
    fixed = {key: value for key, value in spec.items() if key not in META_KEYS}
    return {**shared, **fixed, **grid}


def points(study: Study, block: Mapping, experiment: str) -> list[Point]:
    """Every point of ``experiment`` in grid order, labelled once (labels must be distinct)."""
    spec = block["experiments"][experiment]
    declared = study.experiment(experiment, block)
    replicates = int(spec.get("replicates", block.get("replicates", 1)))
    out = []
    for grid in grid_values(spec.get("grid") or {}):
        if study.point_values is not None:
            values = study.point_values(experiment, spec, block, grid)
        else:
            values = default_point_values(study, experiment, spec, block, grid)
        draft = Point(study.name, experiment, "", values, grid, replicates)
        out.append(Point(study.name, experiment, make_label(declared, draft), values, grid, replicates))
    labels = [point.label for point in out]
    if len(set(labels)) != len(labels):
        raise ValueError(
            f"{study.name}.experiments.{experiment}.grid gives the same point label twice ({labels}): "
            "make the grid values distinct"
        )
    return out


def all_points(config: Mapping) -> dict[tuple[str, str, str], Point]:
    """``{(study, experiment, label): point}`` over every experiment of every study of the config."""
    out = {}
    for study in studies(config):
        for experiment in config[study.name]["experiments"]:
            for point in points(study, config[study.name], experiment):
                out[(study.name, experiment, point.label)] = point
    return out


def study_tables(study: Study, block: Mapping) -> list[tuple[Table, list[str]]]:
    """The study's tables whose inputs are all in this config, each with its list of inputs."""
    present = set(block["experiments"]) | {table.name for table in study.tables}
    out = []
    for table in study.tables:
        inputs = list(table.inputs(block) if callable(table.inputs) else table.inputs)
        if all(name in present for name in inputs):
            out.append((table, inputs))
    return out


def study_figures(study: Study, block: Mapping) -> list[Figure]:
    """The figures of this config: the declared ones whose tables are all present, then each experiment's
    own (``figure: <kind>`` of the study, or ``figure: {draw:, caption:}`` of a user)."""
    present = set(block["experiments"]) | {table.name for table, _ in study_tables(study, block)}
    out = [figure for figure in study.figures if all(name in present for name in figure.tables)]
    for name, spec in block["experiments"].items():
        wanted = spec.get("figure")
        if wanted is None:
            continue
        if isinstance(wanted, str):
            if wanted not in study.figure_kinds:
                raise ValueError(
                    f"{study.name}.experiments.{name}.figure must be one of {sorted(study.figure_kinds)} "
                    f"or a mapping {{draw: package.module:function, caption: text}}, got {wanted!r}"
                )
            kind = study.figure_kinds[wanted]
            out.append(dataclasses.replace(kind, name=name, tables=(name,)))
        else:
            out.append(
                Figure(name, wanted["draw"], (name,), wanted.get("caption", ""), wanted.get("subcategory", "Yours"))
            )
    names = [figure.name for figure in out]
    if len(set(names)) != len(names):
        raise ValueError(f"study {study.name!r} declares two figures of the same name: {names}")
    return out


def caption_values(study: Study, block: Mapping, figure: Figure, extra: Mapping) -> dict:
    """The fields a caption template may use: every key of the study block by its path joined with ``_``
    (``hyperparameters_h``), the keys of the experiment the figure reads (if one: ``d``, ``policies``,
    ``replicates``, its grid's axes), ``experiment``, ``figure``, and ``extra`` (``scale``, ``seed``)."""
    values = _flatten({key: value for key, value in block.items() if key != "experiments"})
    experiments = [name for name in figure.tables if name in block["experiments"]]
    if len(experiments) == 1:
        spec = block["experiments"][experiments[0]]
        values.update(_flatten({key: value for key, value in spec.items() if key not in ("grid", "figure", "run")}))
        values.update(spec.get("grid") or {})
        values["experiment"] = experiments[0]
    values["figure"] = figure.name
    return {key: _caption_text(value) for key, value in {**values, **extra}.items()}


def _flatten(block: Mapping, prefix: str = "") -> dict:
    out = {}
    for key, value in block.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}{key}_"))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _caption_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_caption_text(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def caption_template(study: Study, figure: Figure) -> str:
    """The caption template of ``figure``: its text, or its files ``captions/<name>.rst`` of the study package."""
    parts = (figure.caption,) if isinstance(figure.caption, str) else figure.caption
    if not all(_is_file_name(part) for part in parts):
        return "\n".join(parts)
    from importlib.resources import files

    return "\n".join((files(study.package) / "captions" / part).read_text() for part in parts)


def _is_file_name(text: str) -> bool:
    return text.endswith(".rst") and not any(char.isspace() for char in text)


def caption_text(study: Study, block: Mapping, figure: Figure, extra: Mapping) -> str:
    """The figure's caption with every ``$field`` filled from the config (a missing field is an error)."""
    template = string.Template(caption_template(study, figure))
    try:
        return template.substitute(caption_values(study, block, figure, extra))
    except KeyError as missing:
        raise ValueError(
            f"caption of figure {figure.name!r} uses ${missing.args[0]}, which is not a key of the "
            f"{study.name} block or of the experiment it draws"
        ) from None


__all__ = [
    "Experiment",
    "Figure",
    "Point",
    "Study",
    "Table",
    "all_points",
    "caption_text",
    "get_study",
    "grid_values",
    "load",
    "points",
    "studies",
    "study_figures",
    "study_tables",
]
