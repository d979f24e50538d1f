"""The rows that test paper 004's claims (:mod:`.claims`): the ``pareto_check`` table, and the tables of
Appendix B and Appendix H's index claim, computed from the paper's formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts as v
from ..stats import bootstrap_slope, mean_se
from .claims import _BY_ID, CLAIMS, RANDOM, TREE
from .formula_rows import FORMULA_TABLES, formula_rows, lemma7_rows
from .reading_rows import lemma2_rows, lemma4_rows, lemma5_rows
from .theory import dissimilarity, schedule_dissimilarity

__all__ = ["check_table", "gap_table", "index_claim_table", "pareto_check"]


def _per_round(table: pd.DataFrame, policy: str, metric: str = "regret_per_round") -> pd.DataFrame:
    return table[(table["metric"] == metric) & (table["policy"] == policy)]


COMPARATOR = "uniform random"
"""The comparator of the tree's claims (the paper's benchmark): a row on which the tree played its arms is an
identity, not a measurement of Algorithm 1 (:data:`banditlab.verdicts.PLAYS_LIKE_SHARE`)."""


def _tree_readings(table: pd.DataFrame, metric: str = "regret_per_round") -> list[tuple[str, pd.DataFrame]]:
    """The tree's rows of ``metric`` per reading (``default`` without readings), each with the tree's share of rounds
    on random's arm in its replicate (column ``same_arm_share``, when the table has it)."""
    tree = table[table["policy"] == TREE]
    reading = tree["reading"].fillna("default") if "reading" in tree else pd.Series("default", index=tree.index)
    tree = tree.assign(reading=reading)
    share = tree[tree["metric"] == "same_arm_share"]
    out = []
    for name in dict.fromkeys(tree["reading"]):
        part = tree[(tree["reading"] == name) & (tree["metric"] == metric)]
        if len(share) and "point" in part:
            keys = ["point", "replicate", "reading"]
            part = part.join(share.set_index(keys)["value"].rename("same_arm_share"), on=keys)
        out.append((name, part))
    return out


def _guard(stratum: pd.DataFrame, reading: str) -> dict:
    """The columns a tree row carries: its reading and, when measured, how often the tree played random's arm."""
    extra = {"reading": reading}
    if "same_arm_share" in stratum and stratum["same_arm_share"].notna().any():
        extra.update(comparator=COMPARATOR, same_arm_share=float(stratum["same_arm_share"].mean()))
    return extra


def _trend_rows(
    frame, by, x_of, claim, label, region, resamples, rng, strata=(), extra=None, what="per-round regret"
) -> list[dict]:
    """One row per stratum: bootstrap slope of log mean ``what`` on log x, x = ``x_of(value of by)``.

    ``region`` is the claimed range of the slope ((0, inf) for "grows", (-inf, 0) for "falls", the margin for
    "no change"); ``extra(stratum)`` gives further columns of the row (reading, degeneracy guard).
    """
    groups = frame.groupby(list(strata)) if strata else [((), frame)]
    rows = []
    for key, stratum in groups:
        levels = sorted(stratum[by].unique(), key=x_of)
        if len(levels) < 2:
            continue
        values = [stratum.loc[stratum[by] == level, "value"].to_numpy() for level in levels]
        x = np.array([x_of(level) for level in levels], dtype=float)
        if min(level.mean() for level in values) > 0:
            slope, se = bootstrap_slope(values, x, resamples, rng)
        else:  # a mean of exactly 0 (nothing dominated, say) has no logarithm
            slope, se = np.nan, np.nan
        key = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{name}={value:g}" for name, value in zip(strata, key))
        grid = ", ".join(f"{level:g}" if isinstance(level, float | int | np.number) else str(level) for level in levels)
        statistic = f"log-log slope of {what} in {'rho' if x_of is not float else by}"
        rows.append(
            v.measurement_row(
                claim,
                f"{label}{': ' + where if where else ''} ({by} in [{grid}])",
                statistic,
                slope,
                se,
                min(len(replicates) for replicates in values),
                *region,
                **(extra(stratum) if extra else {}),
            )
        )
    return rows


def _vs_random_rows(tp: pd.DataFrame) -> list[dict]:
    """Per reading and point: the paired per-round regret difference, with regret (2) of Definition 6 beside it
    (columns ``regret2_tree`` and ``regret2_random``: the support reading, 0 for random by construction)."""
    claim = _BY_ID["004-appH1-vs-random"]

    def per_replicate(frame: pd.DataFrame) -> pd.Series:
        return frame.set_index(["point", "replicate"])["value"]

    random = per_replicate(_per_round(tp, RANDOM))
    random2 = per_replicate(_per_round(tp, RANDOM, "regret_support_per_round"))
    support = dict(_tree_readings(tp, "regret_support_per_round"))
    rows = []
    for reading, tree in _tree_readings(tp):
        difference = (per_replicate(tree) - random).dropna()
        tree2 = per_replicate(support[reading])
        for point, diff in difference.groupby(level="point", sort=True):
            estimate, se = mean_se(diff.to_numpy())
            regret2 = {
                f"regret2_{name}": float(values.xs(point, level="point").mean()) if point in values.index else np.nan
                for name, values in (("tree", tree2), ("random", random2))
            }
            rows.append(
                v.measurement_row(
                    claim,
                    f"tp: {point}, {reading}",
                    "per-round regret after t_p and the round robin, tree - random",
                    estimate,
                    se,
                    len(diff),
                    -np.inf,
                    0.0,
                    **regret2,
                    **_guard(tree[tree["point"] == point], reading),
                )
            )
    return rows


def _gap_rows(gap_table: pd.DataFrame) -> list[dict]:
    rows = []
    for r in gap_table.itertuples(index=False):
        claim = _BY_ID[f"004-appB-table1-{r.cone}"]
        rows.append(
            v.measurement_row(
                claim,
                f"{r.arm}: gap",
                f"Delta_{r.cone}({r.arm})",
                r.gap,
                0.0,
                1,
                r.paper_value - v.VALUE_TOLERANCE,
                r.paper_value + v.VALUE_TOLERANCE,
            )
        )
        rows.append(
            v.measurement_row(
                claim,
                f"{r.arm}: Pareto flag",
                f"computed Pareto flag = printed ({r.paper_pareto})",
                float(bool(r.pareto) == bool(r.paper_pareto)),
                0.0,
                1,
                1.0,
                1.0,
            )
        )
    return rows


GROWS, FALLS = (0.0, np.inf), (-np.inf, 0.0)
NO_CHANGE = (-v.NO_EFFECT_MARGIN, v.NO_EFFECT_MARGIN)


def check_table(
    gap_table: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    cfg: dict,
    seed: int = 0,
    resamples: int = 1000,
    formulas: dict[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Every measurement row of paper 004's claims, with verdicts (:func:`banditlab.verdicts.evaluate`).

    ``tables``: the experiments' results tables by name (``tp``, ``horizon``, ``nu``, ``shifts``, ``levels``; any may
    be absent); ``formulas``: the tables of :mod:`.formulas` by name (:data:`.formula_rows.FORMULA_TABLES`);
    ``cfg``: the ``pareto`` config block (the shift schedules); slopes' standard errors by ``resamples``
    bootstrap draws from ``seed``.
    """
    rng = np.random.default_rng(seed)
    rows = _gap_rows(gap_table)
    rho = {}

    def rho_of(a: float) -> float:
        if a not in rho:
            rho[a] = dissimilarity([a])
        return rho[a]

    tp = tables.get("tp")
    if tp is not None and len(tp):
        rand = _per_round(tp, RANDOM)
        rows += _trend_rows(rand, "t_p", float, _BY_ID["004-appH1-random"], "tp", NO_CHANGE, resamples, rng, ("K", "a"))
        for reading, tree in _tree_readings(tp):
            guard = lambda stratum, reading=reading: _guard(stratum, reading)  # noqa: E731
            for by, x_of, claim_id, region, strata in (
                ("t_p", float, "004-appH1-tp", FALLS, ("K", "a")),
                ("K", float, "004-appH1-K", GROWS, ("t_p", "a")),
                ("a", rho_of, "004-appH1-nu", GROWS, ("t_p", "K")),
            ):
                label = f"tp, {reading}"
                rows += _trend_rows(tree, by, x_of, _BY_ID[claim_id], label, region, resamples, rng, strata, guard)
        rows += _vs_random_rows(tp)
        rows += _k_trend_rows(tp, resamples, rng)
    nu = tables.get("nu")
    if nu is not None and len(nu):
        claim = _BY_ID["004-appH1-nu"]
        for reading, tree in _tree_readings(nu):
            guard = lambda stratum, reading=reading: _guard(stratum, reading)  # noqa: E731
            label = f"nu sweep, {reading}"
            rows += _trend_rows(tree, "a", rho_of, claim, label, GROWS, resamples, rng, extra=guard)
    shifts = tables.get("shifts")
    if shifts is not None and len(shifts):
        rows += _shift_rows(shifts, cfg, resamples, rng)
    rows += formula_rows(formulas or {}) + lemma7_rows(tables.get("levels"))
    # Lemma 7's experiment runs the tp experiment's tree once per c1: not a further test of Lemma 5
    rows += lemma5_rows({name: table for name, table in tables.items() if name != "levels"}, cfg)
    rows += lemma2_rows(tables.get("frontier"), cfg)
    rows += lemma4_rows(tables.get("frontier"), cfg)
    rows += _unmeasured_readings(rows, cfg)
    return v.evaluate(pd.DataFrame(rows), CLAIMS)


def _unmeasured_readings(rows: list[dict], cfg: dict) -> list[dict]:
    """A row "no measurement at this config" for every claim on Algorithm 1 and reading without a row (a trend in K
    on a grid of one K, say), so that the ledger reports every such claim under every reading."""
    readings = list(cfg.get("readings") or {}) or ["default"]
    seen = {(row["claim_id"], row.get("reading", "default")) for row in rows}
    out = []
    for claim in CLAIMS:
        if not claim.method_label.startswith("Algorithm 1"):
            continue
        for reading in readings:
            if (claim.claim_id, reading) not in seen:
                note = "no measurement at this config (its experiment or grid axis is missing)"
                out.append(v.measurement_row(claim, "-", "-", np.nan, np.nan, 0, reading=reading, note=note))
    return out


def _k_trend_rows(tp: pd.DataFrame, resamples: int, rng: np.random.Generator) -> list[dict]:
    """The K claim under the dominance-aware regrets: per reading and (t_p, nu) stratum, the slope in K of the
    tree's share of dominated plays and of its mean dominance-aware gap (:mod:`.metrics`), and the same slope of
    uniform random's (the control, under each reading: a trend random shows too is the instance's)."""
    rows = []
    for claim_id, metric, what in (
        ("004-appH1-K-dominated", "dominated_share", "the share of dominated plays"),
        ("004-appH1-K-weak-gap", "weak_gap", "the dominance-aware gap"),
    ):
        claim = _BY_ID[claim_id]
        random = _per_round(tp, RANDOM, metric)
        for reading, tree in _tree_readings(tp, metric):
            guard = lambda stratum, reading=reading: _guard(stratum, reading)  # noqa: E731
            label = f"tp, {reading}"
            rows += _trend_rows(tree, "K", float, claim, label, GROWS, resamples, rng, ("t_p", "a"), guard, what)
            control = _trend_rows(
                random, "K", float, claim, "tp, uniform random", GROWS, resamples, rng, ("t_p", "a"), what=what
            )
            rows += [{**row, "role": v.CONTROL_ROLE, "reading": reading} for row in control]
    return rows


def _shift_rows(shifts: pd.DataFrame, cfg: dict, resamples: int, rng: np.random.Generator) -> list[dict]:
    schedules = cfg["experiments"]["shifts"]["schedules"]
    last_change = {name: spec["change_points"][-1] for name, spec in schedules.items()}
    if len(set(last_change.values())) != 1:
        return []  # Theorem 3 compares schedules with the same t_p
    rho = {name: schedule_dissimilarity(spec) for name, spec in schedules.items()}
    rows = []
    for reading, tree in _tree_readings(shifts):
        guard = lambda stratum, reading=reading: _guard(stratum, reading)  # noqa: E731
        label = f"shifts, {reading}"
        claim = _BY_ID["004-theorem3"]
        rows += _trend_rows(tree, "schedule", rho.__getitem__, claim, label, GROWS, resamples, rng, extra=guard)
    return rows


def pareto_check(tables: dict[str, pd.DataFrame], block: dict, seed: int) -> pd.DataFrame:
    """``pareto_check``: :func:`check_table` on Appendix B's gap table, the tables of the printed formulas and the
    experiments' tables."""
    formulas = {name: tables[name] for name in FORMULA_TABLES if name in tables}
    experiments = {name: table for name, table in tables.items() if name != "pareto_gap_table" and name not in formulas}
    resamples = int(block["bootstrap_resamples"])
    return check_table(tables["pareto_gap_table"], experiments, block, seed, resamples, formulas)


def gap_table(tables: dict[str, pd.DataFrame], block: dict, seed: int) -> pd.DataFrame:
    """``pareto_gap_table``: Appendix B's Table 1 computed beside the printed values."""
    from .appendix_b import gap_table as appendix_b_gap_table

    return appendix_b_gap_table()


def index_claim_table(tables: dict[str, pd.DataFrame], block: dict, seed: int) -> pd.DataFrame:
    """``pareto_index_claim``: Appendix H's Pareto-index claim against the computed Pareto sets."""
    from .theory import pareto_claim_table

    return pareto_claim_table(n_arms=tuple(block["claim_arms"]), n_grid=int(block["claim_grid"]))
