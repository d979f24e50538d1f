"""Appendix B of paper 004: the ten-arm example of Figure 1 and the gap values of Table 1.

Functions
---------
gap_table()                 -> tidy DataFrame reproducing Table 1 next to the printed values.
plot_example()              -> Figure 1 (arms, Pareto fronts under C1 and C3, dominance cones).

Examples
--------
>>> from banditlab.pareto.appendix_b import gap_table
>>> table = gap_table()
>>> bool(table["matches_4dp"].all())
True
>>> table.loc[(table.arm == "A3") & (table.cone == "C3"), "gap"].round(4).item()
0.0392
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .cones import Cone, pareto_gap, pareto_set

__all__ = ["ARM_NAMES", "ARM_MEANS", "C3_GENERATORS", "PAPER_TABLE_1", "cones", "gap_table", "plot_example"]

ARM_NAMES = [f"A{i}" for i in range(10)]
#: Appendix B, "Arms (K=10, M=2)": (r1, r2) for A0..A9.
ARM_MEANS = np.array(
    [
        [0.80, 0.90],
        [1.20, 0.50],
        [0.60, 1.10],
        [1.00, 0.70],
        [1.10, 1.00],
        [0.90, 1.20],
        [1.40, 0.60],
        [0.70, 0.80],
        [1.25, 1.05],
        [0.95, 1.15],
    ]
)
#: Appendix B: C3 = cone{w1 = (1, 0.6), w2 = (0.6, 1)}, generators as columns of W.
C3_GENERATORS = np.array([[1.0, 0.6], [0.6, 1.0]])

#: Table 1 of paper 004 as printed: (Pareto under C1?, Pareto under C3?, Delta_C1, Delta_C3).
PAPER_TABLE_1 = {
    "A0": (False, False, 0.1719, 0.0000),
    "A1": (False, True, 0.1542, 0.0000),
    "A2": (False, True, 0.0870, 0.0000),
    "A3": (False, False, 0.2231, 0.0392),
    "A4": (False, True, 0.0488, 0.0000),
    "A5": (True, True, 0.0000, 0.0000),
    "A6": (True, True, 0.0000, 0.0000),
    "A7": (False, False, 0.3054, 0.0556),
    "A8": (True, True, 0.0000, 0.0000),
    "A9": (True, True, 0.0000, 0.0000),
}


def cones() -> dict[str, Cone]:
    """The two cones of Table 1: C1 (orthant) and C3 (narrow cone)."""
    return {"C1": Cone.orthant(2), "C3": Cone.from_generators(C3_GENERATORS)}


def gap_table() -> pd.DataFrame:
    """Table 1 of paper 004 reproduced, one row per (arm, cone), printed values as data.

    Columns: ``arm, r1, r2, cone, pareto, paper_pareto, pareto_matches, gap, paper_value, abs_diff,
    matches_4dp`` (``matches_4dp``: the computed gap rounded to 4 decimals equals the printed value).
    """
    rows = []
    for col, (cone_name, cone) in enumerate(cones().items()):
        gaps = pareto_gap(ARM_MEANS, cone)
        front = set(pareto_set(ARM_MEANS, cone).tolist())
        for k, arm in enumerate(ARM_NAMES):
            paper_pareto = PAPER_TABLE_1[arm][col]
            paper_value = PAPER_TABLE_1[arm][2 + col]
            rows.append(
                {
                    "arm": arm,
                    "r1": ARM_MEANS[k, 0],
                    "r2": ARM_MEANS[k, 1],
                    "cone": cone_name,
                    "pareto": k in front,
                    "paper_pareto": paper_pareto,
                    "pareto_matches": (k in front) == paper_pareto,
                    "gap": float(gaps[k]),
                    "paper_value": paper_value,
                    "abs_diff": abs(float(gaps[k]) - paper_value),
                    "matches_4dp": bool(np.round(gaps[k], 4) == paper_value),
                }
            )
    return pd.DataFrame(rows)


def plot_example():
    """Draw Figure 1 of paper 004: the ten arms and their Pareto fronts under C1 (a) and C3 (b); returns it
    (:func:`banditlab.pareto.figures.pareto_example`, the study's figure ``pareto_example``)."""
    from .figures import pareto_example

    return pareto_example({}, {})
