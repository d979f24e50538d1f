"""The estimation study of paper 000 (Section 3) as a :class:`banditlab.study.Study`.

Every experiment of ``estimation.experiments`` runs the same replicate (:func:`.experiments.run_replicate`:
every estimator on the same draws) on a one-axis grid over the ``base`` point::

    error_vs_n: {grid: {n_per_instance: [200, 400]}, figure: error_curve}
    construction_vs_d: {grid: {dim: [40, 80]}, case: construction, design: identity, ..., bounds: true}

Its point's label is the axis value (:func:`point_label`). Its figure is one of :data:`STUDY`'s figure
kinds, drawn from its own table. The check tables read the experiments' tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..study import META_KEYS, Experiment, Figure, Point, Study, Table

RUN_KEYS = ("bounds",)
"""Keys of an experiment's block that set how its points run, not the instance (not results columns)."""


def point_label(value: Any) -> str:
    """How an axis value is written in file names and tables (stable across runs)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) >= 1 else repr(value)
    return str(value)


def _label(point: Point) -> str:
    (value,) = point.grid.values()
    return point_label(value)


def point_values(name: str, spec: Mapping, block: Mapping, grid: Mapping) -> dict:
    """The base point, the experiment's fixed keys, its axis value, its ``case`` (default benign), the
    block's ``confidence`` and ``estimators``, whether each instance gets its own rows (``each_instance``: the
    block's ``instance_rows`` is at least ``n_instances``), and in the data-poor regime with ``data_poor_ratio > 0`` the
    other instances' ``n_per_instance = round(ratio d^2 n_target)`` (Section 3.5's ``n_i = Theta(d^2 n_j)``).
    With ``instances_per_dim`` r > 0, ``n_instances = round(r d / s)``: N proportional to d/s along the grid
    (line 345's regime N = Omega(d/s)); with ``observations_per_dim`` r > 0, ``n_per_instance = round(r d)`` (n/d
    fixed along a d grid, so that OLS's finite-sample factor n/(n - d) does not move)."""
    if len(grid) != 1:
        raise ValueError(f"estimation.experiments.{name}.grid must vary exactly one key, got {sorted(grid)}")
    fixed = {key: value for key, value in spec.items() if key not in META_KEYS}
    point = {**block["base"], "case": "benign", "bounds": False, **fixed, **grid}
    per_dim = float(point.pop("instances_per_dim", 0) or 0)
    if per_dim > 0:
        point["n_instances"] = max(2, round(per_dim * int(point["dim"]) / max(int(point["sparsity"]), 1)))
    per_dim = float(point.pop("observations_per_dim", 0) or 0)
    if per_dim > 0:
        point["n_per_instance"] = max(1, round(per_dim * int(point["dim"])))
    ratio = float(point.get("data_poor_ratio", 0))
    if point["regime"] == "data_poor" and ratio > 0:
        point["n_per_instance"] = max(1, round(ratio * int(point["dim"]) ** 2 * int(point["n_target"])))
    point["confidence"] = block["confidence"]
    point["estimators"] = list(block["estimators"])
    point["each_instance"] = int(block.get("instance_rows", 200)) >= int(point["n_instances"])
    return point


LEMMA1_RUN = "banditlab.estimation.lemma1:run_lemma1"


def _bounded(block: Mapping) -> list[str]:
    """The experiments the bound check reads: those with ``bounds: true``, and Lemma 1's."""
    return [
        name
        for name, spec in block["experiments"].items()
        if spec.get("bounds", False) or STUDY.experiment(name, block).run == LEMMA1_RUN
    ]


def _check(block: Mapping) -> None:
    from .experiments import check_estimation_config

    check_estimation_config(block)


_ERROR_CURVE = Figure(
    "error_curve",
    "banditlab.estimation.figures:error_curve",
    (),
    "error_curve.rst",
    "Table 1 rates",
)
FIGURE_KINDS = {
    "error_curve": _ERROR_CURVE,
    "level": Figure("level", "banditlab.estimation.figures:theorem1_level", (), "level.rst", "Explicit bounds"),
    "trim": Figure("trim", "banditlab.estimation.figures:trim_sensitivity", (), "trim.rst", "Design checks"),
    "support": Figure("support", "banditlab.estimation.figures:support_alignment", (), "support.rst", "Design checks"),
    "bounds": Figure("bounds", "banditlab.estimation.figures:bounds", (), "bounds.rst", "Explicit bounds"),
    "tail": Figure(
        "tail",
        "banditlab.estimation.levels_figures:lemma1_tail",
        (),
        "lemma1_tail.rst",
        "Explicit bounds",
        every_method=False,  # Lemma 1's trimmed mean on its own draws: no estimator of the study
    ),
}
"""The figures an experiment may ask for (``figure: <kind>``), drawn from its own table."""

STUDY = Study(
    name="estimation",
    title="Paper 000, estimation (Section 3)",
    experiments={"lemma1_tail": Experiment("lemma1_tail", LEMMA1_RUN, _label)},
    default_experiment=Experiment("estimation", "banditlab.estimation.experiments:run_replicate", _label),
    point_values=point_values,
    tables=(
        Table(
            "rate_check",
            "banditlab.estimation.rows:rate_check",
            lambda block: list(block["experiments"]),
            markdown="banditlab.estimation.rows:rate_markdown",
        ),
        Table(
            "bound_check",
            "banditlab.estimation.rows:bound_check",
            _bounded,
            markdown="banditlab.estimation.rows:bound_markdown",
        ),
    ),
    figures=(
        Figure(
            "gain_over_ols",
            "banditlab.estimation.levels_figures:gain_over_ols",
            ("corollary1_vs_d", "error_vs_d"),
            "gain_over_ols.rst",
            "Table 1 rates",
            every_method=False,  # the robust estimator's error over OLS's, by design
        ),
    ),
    figure_kinds=FIGURE_KINDS,
    check=_check,
    claims="banditlab.estimation.claims:CLAIMS",
    findings="banditlab.estimation.claims:FINDINGS",
    cost_features="banditlab.estimation.experiments:cost_features",
    tidy="banditlab.estimation.experiments:tidy",
    point_mem_mb=2000,
    point_minutes=30,
    package="banditlab.estimation",
)
