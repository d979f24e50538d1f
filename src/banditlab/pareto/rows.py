"""The rows that test paper 004's claims (:mod:`.claims`): the ``pareto_check`` table, and the tables of
Appendix B and Appendix H's index claim, computed from the paper's formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts as v
from ..stats import bootstrap_slope, mean_se
from .claims import _BY_ID, CLAIMS, RANDOM, TREE
from .formula_rows import FORMULA_TABLES, formula_rows, lemma7_rows
from .theory import dissimilarity, schedule_dissimilarity

__all__ = ["check_table", "gap_table", "index_claim_table", "pareto_check"]


def _per_round(table: pd.DataFrame, policy: str) -> pd.DataFrame:
    return table[(table["metric"] == "regret_per_round") & (table["policy"] == policy)]


def _trend_rows(frame, by, x_of, claim, label, region, resamples, rng, strata=()) -> list[dict]:
    """One row per stratum: bootstrap slope of log mean per-round regret on log x, x = ``x_of(value of by)``.

    ``region`` is the claimed range of the slope ((0, inf) for "grows", (-inf, 0) for "falls", the margin for
    "no change").
    """
    groups = frame.groupby(list(strata)) if strata else [((), frame)]
    rows = []
    for key, stratum in groups:
        levels = sorted(stratum[by].unique(), key=x_of)
        if len(levels) < 2:
            continue
        values = [stratum.loc[stratum[by] == level, "value"].to_numpy() for level in levels]
        x = np.array([x_of(level) for level in levels], dtype=float)
        slope, se = bootstrap_slope(values, x, resamples, rng)
        key = key if isinstance(key, tuple) else (key,)
        where = ", ".join(f"{name}={value:g}" for name, value in zip(strata, key))
        grid = ", ".join(f"{level:g}" if isinstance(level, float | int | np.number) else str(level) for level in levels)
        statistic = f"log-log slope of per-round regret in {'rho' if x_of is not float else by}"
        rows.append(
            v.measurement_row(
                claim,
                f"{label}{': ' + where if where else ''} ({by} in [{grid}])",
                statistic,
                slope,
                se,
                min(len(replicates) for replicates in values),
                *region,
            )
        )
    return rows


def _vs_random_rows(tp: pd.DataFrame) -> list[dict]:
    """Per point: the paired per-round regret difference, with regret (2) of Definition 6 beside it (columns
    ``regret2_tree`` and ``regret2_random``: the support reading, 0 for random by construction)."""
    claim = _BY_ID["004-appH1-vs-random"]

    def per_replicate(policy: str, metric: str) -> pd.Series:
        rows = tp[(tp["metric"] == metric) & (tp["policy"] == policy)]
        return rows.set_index(["point", "replicate"])["value"]

    difference = (per_replicate(TREE, "regret_per_round") - per_replicate(RANDOM, "regret_per_round")).dropna()
    support = {policy: per_replicate(policy, "regret_support_per_round") for policy in (TREE, RANDOM)}
    rows = []
    for point, diff in difference.groupby(level="point", sort=True):
        estimate, se = mean_se(diff.to_numpy())
        regret2 = {
            f"regret2_{name}": float(values.xs(point, level="point").mean()) if point in values.index else np.nan
            for name, values in (("tree", support[TREE]), ("random", support[RANDOM]))
        }
        rows.append(
            v.measurement_row(
                claim,
                f"tp: {point}",
                "per-round regret, tree - random",
                estimate,
                se,
                len(diff),
                -np.inf,
                0.0,
                **regret2,
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
        tree, rand = _per_round(tp, TREE), _per_round(tp, RANDOM)
        for frame, by, x_of, claim_id, region, strata in (
            (tree, "t_p", float, "004-appH1-tp", FALLS, ("K", "a")),
            (rand, "t_p", float, "004-appH1-random", NO_CHANGE, ("K", "a")),
            (tree, "K", float, "004-appH1-K", GROWS, ("t_p", "a")),
            (tree, "a", rho_of, "004-appH1-nu", GROWS, ("t_p", "K")),
        ):
            rows += _trend_rows(frame, by, x_of, _BY_ID[claim_id], "tp", region, resamples, rng, strata)
        rows += _vs_random_rows(tp)
    rows += _lemma5_rows(tables)
    nu = tables.get("nu")
    if nu is not None and len(nu):
        claim = _BY_ID["004-appH1-nu"]
        rows += _trend_rows(_per_round(nu, TREE), "a", rho_of, claim, "nu sweep", GROWS, resamples, rng)
    shifts = tables.get("shifts")
    if shifts is not None and len(shifts):
        rows += _shift_rows(shifts, cfg, resamples, rng)
    rows += formula_rows(formulas or {}) + lemma7_rows(tables.get("levels"))
    return v.evaluate(pd.DataFrame(rows), CLAIMS)


def _lemma5_rows(tables: dict[str, pd.DataFrame]) -> list[dict]:
    """One row per experiment: Algorithm 1's share of Lemma 5 rounds whose active set misses a Pareto arm."""
    claim = _BY_ID["004-lemma5-active-set"]
    rows = []
    for name, table in tables.items():
        if name == "levels":  # Lemma 7's experiment: the same tree as the tp experiment's, once per c1
            continue
        share = table[(table["metric"] == "missing_pareto_share_lemma5") & (table["policy"] == TREE)]
        if share.empty:
            continue
        delta = float((1.0 / share["T"]).max())  # Appendix H's delta = 1/T, the largest over the experiment
        estimate, se = mean_se(share["value"].to_numpy())
        label = f"{name}: {share['point'].nunique()} points x {share['replicate'].nunique()} replicates"
        rows.append(
            v.measurement_row(
                claim, label, "share of Lemma 5 rounds missing a Pareto arm", estimate, se, len(share), 0.0, delta
            )
        )
    return rows


def _shift_rows(shifts: pd.DataFrame, cfg: dict, resamples: int, rng: np.random.Generator) -> list[dict]:
    schedules = cfg["experiments"]["shifts"]["schedules"]
    last_change = {name: spec["change_points"][-1] for name, spec in schedules.items()}
    if len(set(last_change.values())) != 1:
        return []  # Theorem 3 compares schedules with the same t_p
    rho = {name: schedule_dissimilarity(spec) for name, spec in schedules.items()}
    tree = _per_round(shifts, TREE)
    return _trend_rows(tree, "schedule", rho.__getitem__, _BY_ID["004-theorem3"], "shifts", GROWS, resamples, rng)


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
