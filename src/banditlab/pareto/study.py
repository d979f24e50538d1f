"""The experiments of paper 004 (Appendix H) and its Appendix B tables as a :class:`banditlab.study.Study`.

Every experiment of ``pareto.experiments`` runs :func:`.experiments.run_replicate` (every policy on one
replicate draw) on its grid: ``tp`` (change point t_p x arms K x source exponent a), ``horizon`` (T x a),
``nu`` (a) and ``shifts`` (a schedule of several sources); ``levels`` runs :func:`.lemma7.run_levels` (Algorithm 1
against every fixed level of its tree, Lemma 7); ``frontier`` runs :func:`.frontier.run_frontier` (the tree over a
grid of (c1, c2) and under each reading, beside uniform random) on ``instance x K x T``. The source exponent ``a``
is Appendix H's nu when ``a >= 0`` (density ``(nu + 1) x^nu``) and Example 3's ``-gamma`` when ``a < 0``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..study import META_KEYS, Experiment, Figure, Point, Study, Table

SHARED = ("sigma", "dim", "gap_offset", "checkpoints", "policies", "policy_params", "readings")
"""Keys of the ``pareto`` block every point reads (the others feed the checks and figures only)."""

_TYPES = {"T": int, "t_p": int, "K": int, "a": float, "c1": float, "schedule": str}


def point_label(values: Mapping) -> str:
    """Stable, filesystem-safe label of a point from its ``T, t_p, K, a`` (or ``T, K, schedule``) values."""
    parts = []
    for key in sorted(values):
        value = values[key]
        if isinstance(value, float):
            value = f"{value:g}"
        parts.append(f"{key}{value}")
    return "_".join(parts).replace("-", "m").replace(".", "p")


def _label(point: Point) -> str:
    keys = ("T", "K", "schedule") if "schedule" in point.values else ("T", "t_p", "K", "a")
    return point_label({key: point.values[key] for key in keys})


def _levels_label(point: Point) -> str:
    keys = ("T", "t_p", "K", "a", "c1")
    return point_label({key: point.values[key] for key in keys if point.values.get(key) is not None})


def point_values(name: str, spec: Mapping, block: Mapping, grid: Mapping) -> dict:
    """The shared keys (:data:`SHARED`), the experiment's fixed keys and its grid values (``T, t_p, K`` as
    integers, ``a`` as a float); a shift point keeps its own schedule only."""
    fixed = {key: value for key, value in spec.items() if key not in META_KEYS}
    values = {**{key: block[key] for key in SHARED if key in block}, **fixed, **grid}
    for key, kind in _TYPES.items():
        if key in values:
            values[key] = kind(values[key])
    if "schedule" in values:
        if values["schedule"] not in values.get("schedules", {}):
            raise ValueError(
                f"pareto.experiments.{name}.grid.schedule names {values['schedule']!r}, which is not one of its "
                f"schedules: {sorted(values.get('schedules', {}))}"
            )
        values["schedules"] = {values["schedule"]: values["schedules"][values["schedule"]]}
    return values


FORMULA_TABLES = {
    "pareto_prop1": "prop1_table",
    "pareto_gap_scale": "gap_scale_table",
    "pareto_nu_dissimilarity": "nu_dissimilarity_table",
    "pareto_theorem1_terms": "theorem1_terms_table",
}
"""The tables of the printed formulas (:mod:`.formulas`), by name: their maker."""
FORMULA_CHECKED = ("pareto_prop1", "pareto_gap_scale", "pareto_nu_dissimilarity")
"""Those whose rows test claims (inputs of ``pareto_check``; :data:`.formula_rows.FORMULA_TABLES`)."""


def _frontier_label(point: Point) -> str:
    return point_label({key: point.values[key] for key in ("instance", "K", "T")})


def _check(block: Mapping) -> None:
    from .experiments import check_pareto_config

    check_pareto_config(block)


def _figure(name: str, table: str, subcategory: str, options: tuple[str, ...] = ()) -> Figure:
    captions = (f"{name}.rst", "algorithm1.rst")
    return Figure(name, f"banditlab.pareto.figures:{name}", (table,), captions, subcategory, options)


STUDY = Study(
    name="pareto",
    title="Paper 004, Pareto bandits",
    experiments={
        "levels": Experiment("levels", "banditlab.pareto.lemma7:run_levels", _levels_label),
        "frontier": Experiment("frontier", "banditlab.pareto.frontier:run_frontier", _frontier_label),
    },
    default_experiment=Experiment("appendix_h", "banditlab.pareto.experiments:run_replicate", _label),
    point_values=point_values,
    tables=(
        Table("pareto_gap_table", "banditlab.pareto.rows:gap_table", (), markdown="plain", ledger=False),
        Table("pareto_index_claim", "banditlab.pareto.rows:index_claim_table", (), markdown="plain", ledger=False),
        *(
            Table(name, f"banditlab.pareto.formulas:{make}", (), markdown="plain", ledger=False)
            for name, make in FORMULA_TABLES.items()
        ),
        Table(
            "pareto_check",
            "banditlab.pareto.rows:pareto_check",
            lambda block: ["pareto_gap_table", *FORMULA_CHECKED, *block["experiments"]],
            title="Paper 004 checks (Appendix B, Appendix E, Remark (iii), Lemmas 5 and 7, Theorem 3, Appendix H)",
        ),
        Table(
            "pareto_frontier",
            "banditlab.pareto.frontier:frontier_table",
            ("frontier",),
            markdown="banditlab.pareto.frontier:frontier_markdown",
            ledger=False,
        ),
    ),
    figures=(
        Figure("pareto_example", "banditlab.pareto.figures:pareto_example", (), "pareto_example.rst", "Appendix B"),
        _figure("pareto_regret_tp", "tp", "Appendix H"),
        _figure("pareto_regret_vs_T", "horizon", "Theorems 1-3", ("alpha", "beta_true")),
        _figure("pareto_nu", "nu", "Appendix H"),
        _figure("pareto_shifts", "shifts", "Theorems 1-3"),
        _figure("pareto_tree", "horizon", "Appendix H"),
        _figure("pareto_levels", "levels", "Lemma 7"),
        Figure(
            "pareto_frontier",
            "banditlab.pareto.figures:pareto_frontier",
            ("frontier",),
            ("pareto_frontier.rst",),
            "Algorithm 1",
        ),
    ),
    check=_check,
    claims="banditlab.pareto.claims:CLAIMS",
    findings="banditlab.pareto.claims:FINDINGS",
    cost_features="banditlab.pareto.experiments:cost_features",
    tidy="banditlab.pareto.experiments:tidy",
    point_mem_mb=2000,
    point_minutes=60,
    package="banditlab.pareto",
)
