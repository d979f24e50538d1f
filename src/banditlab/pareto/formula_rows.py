"""The measurement rows of paper 004's claims on Proposition 1, Remark (iii), Appendix H's dissimilarity in nu and
Lemma 7 (:mod:`.claims`), from the tables of :mod:`.formulas` and the ``levels`` experiment (:mod:`.lemma7`).

The formula claims are exact computations (standard error 0): a row holds when its value lies in the claimed
region and fails otherwise. Each claim's negative control is written beside its rows (``role = control``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import verdicts as v
from .claims import _BY_ID, SCALE_TOLERANCE
from .formulas import PROP1_READINGS
from .lemma7 import SAME_PLAY, lemma7_premises, level_summary
from .study import FORMULA_CHECKED as FORMULA_TABLES  # the tables of .formulas that pareto_check reads

__all__ = ["FORMULA_TABLES", "formula_rows", "lemma7_rows"]


def _prop1_rows(table: pd.DataFrame) -> list[dict]:
    claim = _BY_ID["004-prop1-closed-form"]
    rows = []
    for r in table.itertuples(index=False):
        region = (r.paper_value - v.VALUE_TOLERANCE, r.paper_value + v.VALUE_TOLERANCE)
        premises = v.premises_of(claim, {"min_mean": min(r.r1, r.r2)})
        for reading in PROP1_READINGS:
            value = getattr(r, f"prop1_{reading}")
            label = f"{reading}: {r.cone} {r.arm}"
            rows.append(
                v.measurement_row(claim, label, f"Proposition 1 ({reading})", value, 0.0, 1, *region, premises=premises)
            )
        rows.append(
            v.control_row(
                claim, f"all arms: {r.cone} {r.arm}", "closed form, k' over every arm", r.all_arms, 0.0, 1, *region
            )
        )
    return rows


def _scale_rows(table: pd.DataFrame) -> list[dict]:
    """Per (cone, alpha) of Appendix B: the largest change of the gap from alpha = 1; offset 0 is Definition 7 (the
    claim), the study's ``gap_offset`` its control."""
    claim = _BY_ID["004-remark3-scale"]
    rows = []
    scaled = table[table["instance"].str.startswith("appendix_b") & (table["scale"] != 1.0)]
    for (instance, offset, scale), group in scaled.groupby(["instance", "offset", "scale"], sort=True):
        change = float((group["gap"] - group["gap_at_scale_1"]).abs().max())
        label = f"{instance.removeprefix('appendix_b_')}, alpha={scale:g}"
        region = (-SCALE_TOLERANCE, SCALE_TOLERANCE)
        if offset == 0.0:
            premises = v.premises_of(claim, {"min_mean": group["min_mean"].min(), "scale": scale})
            statistic = "max_k |Delta(alpha mu) - Delta(mu)|"
            rows.append(v.measurement_row(claim, label, statistic, change, 0.0, len(group), *region, premises=premises))
        else:
            statistic = f"max_k |Delta(alpha mu + {offset:g}) - Delta(mu + {offset:g})|"
            rows.append(
                v.control_row(claim, f"{label}, offset {offset:g}", statistic, change, 0.0, len(group), *region)
            )
    return rows


def _nu_rows(table: pd.DataFrame) -> list[dict]:
    """Per measure (and h): the difference between consecutive exponents, and the same read backwards (control)."""
    rows = []
    for (measure, h), group in table.groupby(["measure", "h"], sort=True):
        claim = _BY_ID["004-appH-nu-rho" if measure == "definition4" else "004-appH-nu-dp"]
        group = group.sort_values("nu")
        nus, values = group["nu"].to_numpy(), group["value"].to_numpy()
        where = f"h={h:g}: " if measure == "definition4" else ""
        name = "rho_h" if measure == "definition4" else "D8"
        for i in range(len(nus) - 1):
            label = f"{where}nu {nus[i]:g} -> {nus[i + 1]:g}"
            up = values[i + 1] - values[i]
            rows.append(v.measurement_row(claim, label, f"{name}(nu') - {name}(nu)", up, 0.0, 1, 0.0, np.inf))
            rows.append(
                v.control_row(claim, f"reversed {label}", f"{name}(nu) - {name}(nu')", -up, 0.0, 1, 0.0, np.inf)
            )
    return rows


def formula_rows(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """The rows of the formula claims from whichever of :data:`FORMULA_TABLES` ``tables`` holds."""
    makers = {"pareto_prop1": _prop1_rows, "pareto_gap_scale": _scale_rows, "pareto_nu_dissimilarity": _nu_rows}
    rows = []
    for name, make in makers.items():
        table = tables.get(name)
        if table is not None and len(table):
            rows += make(table)
    return rows


def lemma7_rows(levels: pd.DataFrame | None) -> list[dict]:
    """Per point of the ``levels`` experiment: Algorithm 1's mean regret over the best fixed level's (claim), uniform
    random's (control). A policy playing the best level's arm in :data:`SAME_PLAY` of the rounds after t_p gives no
    measurement, with the reason (an identity under this reading, not a statistical result)."""
    if levels is None or levels.empty:
        return []
    claim = _BY_ID["004-lemma7-levels"]
    rows = []
    for point in level_summary(levels).to_dict("records"):
        premises = v.premise_status(lemma7_premises(point))
        for who, name, make in (
            ("tree", "Algorithm 1", v.measurement_row),
            ("random", "uniform random", v.control_row),
        ):
            estimate, se, same = point[f"{who}_ratio"], point[f"{who}_se"], point[f"{who}_same_arm"]
            note = ""
            if same >= SAME_PLAY:
                note = (
                    f"{name} plays like fixed_partition depth {point['best_level']} in {100 * same:.1f}% of the rounds "
                    "after t_p: identical under this reading, not a statistical result"
                )
                estimate, se = np.nan, np.nan
            extra = {"premises": premises} if make is v.measurement_row else {}
            rows.append(
                make(
                    claim,
                    f"levels: {point['point']} (best fixed depth {point['best_level']})",
                    f"{name}'s mean regret / the best fixed level's",
                    estimate,
                    se,
                    int(point["replicates"]),
                    -np.inf,
                    1.0,
                    note=note,
                    **extra,
                )
            )
    return rows
