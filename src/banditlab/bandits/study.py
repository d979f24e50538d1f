"""The regret study of paper 000 (Section 4) as a :class:`banditlab.study.Study`.

No experiments are printed in the paper; these test its claims (:mod:`.checks`). Each experiment's
block in ``bandits.experiments`` sets its grid and fixed keys; its points also read the study's
``problem``, ``hyperparameters`` and (unless the block names its own) ``policies``:

=============================  =================================================================
``regret_vs_t``                cumulative per-instance regret at log-spaced checkpoints (Corollary 3)
``regret_vs_t_no_diversity``   the same on contexts without covariate diversity, with lock-in metrics
``regret_vs_d``                per-instance regret at T against d (Corollary 3)
``regret_vs_n``                per-instance regret at T against N (Corollary 3)
``data_poor``                  regret of a data-poor target against d (Theorem 3)
``regret_vs_k``                per-instance regret at T against the number of arms K (Corollary 3)
``network``                    target regret against the number of instances shared (Corollary 4), per alpha and d
``network_premises``           the same at an instance inside Corollary 4's premises
``sensitivity``                RMBandit's regret for other q, h and trimming paths
=============================  =================================================================
"""

from __future__ import annotations

from collections.abc import Mapping

from ..study import META_KEYS, Experiment, Figure, Point, Study, Table

_RUN = "banditlab.bandits.experiments"


def point_values(name: str, spec: Mapping, block: Mapping, grid: Mapping) -> dict:
    """The study's problem and hyperparameters, the experiment's fixed keys (its own ``policies``, else the
    study's), its grid values, and the context family (the block's ``contexts``, else ``problem.contexts``).

    An experiment's own ``hyperparameters`` override the study's key by key; a ``K`` of its grid or fixed keys
    replaces ``problem.K`` (the number of arms of its problems)."""
    fixed = {key: value for key, value in spec.items() if key not in META_KEYS}
    values = {"problem": block["problem"], **fixed, **grid}
    values["hyperparameters"] = {**block["hyperparameters"], **fixed.get("hyperparameters", {})}
    values.setdefault("policies", list(block["policies"]))
    values.setdefault("contexts", block["problem"]["contexts"])
    problem = dict(block["problem"])
    if "K" in values:
        problem["K"] = int(values["K"])
    if values["contexts"] != "no_diversity":  # its parameters do not enter this point: editing them reruns nothing
        problem.pop("no_diversity", None)
    values["problem"] = problem
    return values


def network_label(point: Point) -> str:
    """``alpha0.5``, or ``alpha0.5_d20`` when the grid also varies d."""
    label = f"alpha{point.values['alpha']:g}"
    return f"{label}_d{point.values['d']}" if "d" in point.grid else label


def _check(block: Mapping) -> None:
    from .experiments import check_config

    check_config(block)


def _figure(name: str, table: str, subcategory: str, captions: tuple[str, ...], every_method: bool = True) -> Figure:
    return Figure(name, f"banditlab.bandits.figures:{name}", (table,), captions, subcategory, every_method=every_method)


STUDY = Study(
    name="bandits",
    title="Paper 000, RMBandit regret (Section 4)",
    experiments={
        "regret_vs_t": Experiment("regret_vs_t", f"{_RUN}:run_regret", "N{N}_d{d}"),
        "regret_vs_t_no_diversity": Experiment("regret_vs_t_no_diversity", f"{_RUN}:run_regret", "N{N}_d{d}"),
        "regret_vs_d": Experiment("regret_vs_d", f"{_RUN}:run_regret", "d{d}"),
        "regret_vs_n": Experiment("regret_vs_n", f"{_RUN}:run_regret", "N{N}"),
        "data_poor": Experiment("data_poor", f"{_RUN}:run_data_poor", "d{d}"),
        "regret_vs_k": Experiment("regret_vs_k", f"{_RUN}:run_regret", "K{K}"),
        "network": Experiment("network", f"{_RUN}:run_network", network_label),
        "network_premises": Experiment("network_premises", f"{_RUN}:run_network", network_label),
        "sensitivity": Experiment("sensitivity", f"{_RUN}:run_sensitivity", "grid"),
    },
    point_values=point_values,
    tables=(
        Table(
            "regret_check",
            "banditlab.bandits.checks:regret_check",
            lambda block: list(block["experiments"]),
            title="Regret check (paper 000, Section 4)",
        ),
        Table(
            "regret_sensitivity",
            "banditlab.bandits.checks:sensitivity_table",
            ("sensitivity",),
            markdown="plain",
            ledger=False,
        ),
    ),
    figures=(
        _figure(
            "regret_vs_t", "regret_vs_t", "Theorem 2, Corollary 3", ("regret_vs_t.rst", "greedy.rst", "policies.rst")
        ),
        _figure(
            "regret_vs_t_no_diversity",
            "regret_vs_t_no_diversity",
            "Theorem 2, Corollary 3",
            ("regret_vs_t_no_diversity.rst", "policies.rst"),
        ),
        _figure(
            "regret_vs_d", "regret_vs_d", "Theorem 2, Corollary 3", ("regret_vs_d.rst", "greedy.rst", "policies.rst")
        ),
        _figure(
            "regret_vs_n", "regret_vs_n", "Theorem 2, Corollary 3", ("regret_vs_n.rst", "greedy.rst", "policies.rst")
        ),
        _figure("regret_data_poor", "data_poor", "Theorem 3", ("regret_data_poor.rst", "greedy.rst", "policies.rst")),
        _figure(
            "regret_vs_k", "regret_vs_k", "Theorem 2, Corollary 3", ("regret_vs_k.rst", "greedy.rst", "policies.rst")
        ),
        # Corollary 4 is about RMBandit's target: both network figures draw its regret only
        _figure("regret_network", "network", "Corollary 4", ("regret_network.rst", "policies.rst"), every_method=False),
        _figure(
            "regret_network_scaling", "network", "Corollary 4", ("regret_network_scaling.rst",), every_method=False
        ),
    ),
    check=_check,
    claims="banditlab.bandits.claims:CLAIMS",
    findings="banditlab.bandits.claims:FINDINGS",
    cost_features=f"{_RUN}:cost_features",
    tidy=f"{_RUN}:tidy",
    table_stamps=("config_hash", "banditlab_version"),
    point_mem_mb=3000,
    point_minutes=20,
    package="banditlab.bandits",
)
