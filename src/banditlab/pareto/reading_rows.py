"""The rows of paper 004's claims on Algorithm 1's lemmas, per reading (:mod:`.readings`): Lemma 5's active sets,
Lemma 2's confidence boxes and Lemma 4's counts, each an exceedance row (replicates in which the lemma's event
failed, against its ``delta``, exact binomial test), with the premises computed by
:func:`.readings.lemma2_premises` and the degeneracy guards of :mod:`banditlab.verdicts`.

Each lemma holds "with probability 1 - delta" for all rounds at once, with ``delta = 1/T`` (Appendix H): per
replicate the event is "some round (after the round robin) broke the lemma", and the row compares the number of
such replicates with ``Binom(n, delta)``. With ``n`` replicates the exact interval of a share of 0 reaches about
``3.7 / n``, far above ``delta``, so such a row cannot *hold*; it *fails* when the lemma's event happens in more
replicates than ``delta`` allows (one replicate in twenty at ``delta = 2e-5`` already has ``p ~ 4e-4``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import verdicts as v
from .claims import _BY_ID, TREE
from .env import appendix_h_lipschitz

__all__ = ["lemma2_rows", "lemma4_rows", "lemma5_rows"]

NO_READING = "default"


def _wide(table: pd.DataFrame) -> pd.DataFrame:
    """The tree's rows at ``t = T``, one row per (experiment point, reading, setting, replicate), metrics as
    columns (the frontier's grid settings left out: they are not readings)."""
    at_end = table["t"] == table["T"] if "t" in table else True
    tree = table[(table["policy"] == TREE) & at_end].reset_index(drop=True)
    tree = tree.assign(reading=tree["reading"].fillna(NO_READING) if "reading" in tree else NO_READING)
    tree = tree[tree["reading"] != "grid"]
    keys = [key for key in ("instance", "point", "reading", "replicate") if key in tree]
    extra = [key for key in ("K", "T", "c1", "c2") if key in tree]  # c1, c2: columns of the frontier's rows
    wide = tree.pivot_table(index=[*keys, *extra], columns="metric", values="value", sort=False).reset_index()
    if "instance" not in wide:
        wide["instance"] = "printed"
    return wide


def _premises(claim: v.Claim, group: pd.DataFrame, block: Mapping) -> str:
    """The premises status of a row over its points (each point's instance, K, T and the constants used)."""
    ramp = float(block.get("experiments", {}).get("frontier", {}).get("ramp_width", 0.05))
    points, labels = [], []
    for (point, instance), part in group.groupby(["point", "instance"], sort=False):
        params = {
            "instance": instance,
            "lipschitz": appendix_h_lipschitz(0.0 if instance == "printed" else ramp),
            "sigma": float(block.get("sigma", 1.0)),
            "K": int(part["K"].iloc[0]),
            "T": int(part["T"].iloc[0]),
        }
        for name in ("c1", "c2"):
            if name in part:
                params[name] = float(part[name].iloc[0])
        points.append(params)
        labels.append(str(point))
    return v.premises_over(claim, points, labels)


def _exceedance(claim, label, statistic, group, event, *, role=v.CLAIM_ROLE, **extra) -> dict:
    """An exceedance row: replicates with ``event`` (0/1 column) against ``delta = 1/T`` (the largest over the row's
    points, which only makes a failure harder to show)."""
    delta = float((1.0 / group["T"]).max())
    exceed, n = int(group[event].sum()), len(group)
    row = v.exceedance_row(claim, label, statistic, exceed, n, delta, **extra)
    row["role"] = role
    return row


def lemma5_rows(tables: Mapping[str, pd.DataFrame], block: Mapping) -> list[dict]:
    """Lemma 5: one row per experiment and reading (the frontier: per point and named reading), the replicates in
    which some round after the round robin left a true Pareto arm out of the active set; "not testable here:
    nothing eliminated" where the active set always held every arm (Lemma 5 is then true by construction)."""
    claim = _BY_ID["004-lemma5-active-set"]
    rows = []
    for name, table in tables.items():
        if table.empty or "lemma5_missed" not in set(table["metric"]):
            continue
        wide = _wide(table)
        by = ["point", "reading"] if name == "frontier" else ["reading"]
        for key, group in wide.groupby(by, sort=False):
            key = key if isinstance(key, tuple) else (key,)
            reading = key[-1]
            where = f"{name}: {key[0]}" if name == "frontier" else f"{name}: {group['point'].nunique()} points"
            active_share = float((group["mean_active"] / group["K"]).mean())
            untestable = ""
            if active_share >= 1.0:
                untestable = "nothing eliminated (the active set held all K arms in every round after the round robin)"
            rows.append(
                _exceedance(
                    claim,
                    f"{where}, {reading}",
                    "replicates whose active set missed a Pareto arm after the round robin",
                    group,
                    "lemma5_missed",
                    reading=reading,
                    premises=_premises(claim, group, block),
                    not_testable=untestable,
                    active_share=active_share,
                    missed_straddling=int(group["lemma5_missed_straddling"].sum()),
                    missed_elsewhere=int(group["lemma5_missed_elsewhere"].sum()),
                    miss_share=float(group["lemma5_miss_share"].mean()),
                )
            )
    return rows


def lemma2_rows(frontier: pd.DataFrame | None, block: Mapping) -> list[dict]:
    """Lemma 2: per frontier point and named reading, the replicates in which some (bin, arm, round) confidence box
    of eq. (5) missed a true mean of its bin; control rows: the same boxes without their bias term."""
    if frontier is None or frontier.empty or "lemma2_missed" not in set(frontier["metric"]):
        return []
    claim = _BY_ID["004-lemma2-coverage"]
    rows = []
    for (point, reading), group in _wide(frontier).dropna(subset=["lemma2_missed"]).groupby(["point", "reading"]):
        label = f"frontier: {point}, {reading}"
        common = {"reading": reading}
        rows.append(
            _exceedance(
                claim,
                label,
                "replicates with a confidence box missing a mean of its bin",
                group,
                "lemma2_missed",
                premises=_premises(claim, group, block),
                box_miss_share=float(group["lemma2_miss_share"].mean()),
                box_miss_share_straddling=float(group["lemma2_miss_share_straddling"].mean()),
                boxes=float(group["lemma2_boxes"].mean()),
                **common,
            )
        )
        rows.append(
            _exceedance(
                claim,
                label + " (boxes without c1 V_h^beta)",
                "replicates with a confidence box missing a mean of its bin",
                group,
                "lemma2_missed_without_bias",
                role=v.CONTROL_ROLE,
                **common,
            )
        )
    return rows


def lemma4_rows(frontier: pd.DataFrame | None, block: Mapping) -> list[dict]:
    """Lemma 4: per frontier point and named reading, the replicates in which some round after the round robin had
    an active arm with fewer than n / (4K) samples in its leaf (n the leaf's context count); control rows: the
    same against n / K."""
    if frontier is None or frontier.empty or "lemma4_missed" not in set(frontier["metric"]):
        return []
    claim = _BY_ID["004-lemma4-counts"]
    rows = []
    for (point, reading), group in _wide(frontier).dropna(subset=["lemma4_missed"]).groupby(["point", "reading"]):
        label = f"frontier: {point}, {reading}"
        ratio = group["lemma4_min_ratio"] if "lemma4_min_ratio" in group else pd.Series([np.nan])
        rows.append(
            _exceedance(
                claim,
                label,
                "replicates with an active arm below n / (4K) samples in its leaf",
                group,
                "lemma4_missed",
                reading=reading,
                miss_share=float(group["lemma4_miss_share"].mean()),
                min_ratio=float(ratio.min()),
            )
        )
        rows.append(
            _exceedance(
                claim,
                label + " (against n / K)",
                "replicates with an active arm below n / (4K) samples in its leaf",
                group,
                "lemma4_missed_n_over_k",
                role=v.CONTROL_ROLE,
                reading=reading,
            )
        )
    return rows
