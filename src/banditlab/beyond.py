"""Methods beyond the papers: measurements only, on the same points as the papers' methods, no claim.

The claims ledger (:mod:`banditlab.claims`) speaks of the papers' methods. Every other method the studies
ran (ours, :class:`~banditlab.estimators.MedianShrinkage` and
:class:`~banditlab.bandits.MedianShrinkageBandit`, and any user's class named in the config by
import path) gets rows here instead, each against the paper's method it stands beside
(:data:`REFERENCE_ESTIMATOR`, :data:`REFERENCE_POLICY`), with no verdict (column ``claim``:
"beyond the papers").

Rows (one per experiment, point or grid, method and statistic; ``comparison`` is against the reference
method on the same draws, which every method shares):

* estimation, every grid point of every study: ``mean l1 error`` (of the data-poor target in the
  data-poor regime, else the mean over instances; mean over replicates, its standard error);
  ``comparison`` = the ratio of the method's mean to the reference's, with the delta-method standard
  error of a ratio of paired means, ``sd(e_i - R r_i) / (sqrt(n) mean(r))``;
* estimation, every study the rate check fits a slope on (an axis of Table 1 with at least two values,
  not a design sweep): ``log-log slope of the mean l1 error`` in the axis; ``comparison`` = method
  slope minus reference slope; standard errors by resampling replicates within each grid point, the same
  resample for both methods (paired: common data);
* bandits, every point of :data:`BANDIT_AXES`' experiments: the regret (per instance at T, or of the
  data-poor target) with the ratio to RMBandit's as above (paired: common random numbers);
* bandits, per experiment: the log-log slope of regret in the axis, per replicate, mean and standard
  error over replicates; ``comparison`` = the per-replicate difference to RMBandit's slope.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import registry
from .bandits.policies import PAPER_POLICIES
from .estimation.claims import OTHER
from .estimation.measure import AXIS_TO_RATE, table1_axis
from .estimators import ESTIMATORS
from .stats import loglog_slope, mean_se

REFERENCE_ESTIMATOR = "robust_multitask"
"""The paper's estimator the others are compared with (Algorithm 1)."""
REFERENCE_POLICY = "rmbandit"
"""The paper's policy the others are compared with (Algorithm 2)."""
PAPER_ESTIMATORS = tuple(ESTIMATORS)
"""The estimators the papers speak of (Table 1); every other estimator is beyond the papers."""
BANDIT_AXES = {"regret_vs_d": "d", "regret_vs_n": "N", "data_poor": "d"}
"""The bandit experiments measured here and their grid axis."""
BEYOND = "beyond the papers"

COLUMNS = [
    "section",
    "experiment",
    "case",
    "axis",
    "point",
    "method",
    "label",
    "reference",
    "statistic",
    "value",
    "se",
    "reference_value",
    "reference_se",
    "comparison",
    "comparison_kind",
    "comparison_se",
    "replicates",
    "claim",
]


def _ratio(values: np.ndarray, reference: np.ndarray) -> tuple[float, float]:
    """Ratio of paired means and its delta-method standard error ``sd(v - R r) / (sqrt(n) mean(r))``."""
    ratio = float(values.mean() / reference.mean())
    if len(values) < 2:
        return ratio, np.inf
    return ratio, float(np.std(values - ratio * reference, ddof=1) / np.sqrt(len(values)) / reference.mean())


def _row(**values) -> dict:
    row = dict.fromkeys(COLUMNS, np.nan)
    row.update(values, claim=BEYOND)
    row["label"] = registry.method_label(row["method"])
    return row


def _point_row(section, experiment, case, axis, point, method, reference, statistic, mine, theirs) -> dict:
    """One point's row: the method's mean (``mine``, per replicate) and, if given, the reference's and the ratio."""
    value, se = mean_se(mine)
    row = _row(
        section=section,
        experiment=experiment,
        case=case,
        axis=axis,
        point=str(point),
        method=method,
        reference=reference,
        statistic=statistic,
        value=value,
        se=se,
        replicates=len(mine),
    )
    if theirs is not None:
        row["reference_value"], row["reference_se"] = mean_se(theirs)
        row["comparison"], row["comparison_se"] = _ratio(mine, theirs)
        row["comparison_kind"] = "ratio to reference"
    return row


def _paired_bootstrap_slopes(mine, theirs, x, resamples, rng) -> tuple[np.ndarray, np.ndarray]:
    """Bootstrap draws of the two slopes, resampling replicates within each grid point (the same for both)."""
    draws = np.full((resamples, 2), np.nan)
    for b in range(resamples):
        picks = [rng.integers(0, len(values), len(values)) for values in mine]
        draws[b, 0] = loglog_slope(x, [values[pick].mean() for values, pick in zip(mine, picks)])
        if theirs is not None:
            draws[b, 1] = loglog_slope(x, [values[pick].mean() for values, pick in zip(theirs, picks)])
    return draws[:, 0], draws[:, 1]


def estimation_rows(table: pd.DataFrame, resamples: int, seed: int) -> list[dict]:
    """The rows of every estimator beyond the papers in the estimation results (all studies concatenated)."""
    rng = np.random.default_rng(seed)
    beyond = [name for name in dict.fromkeys(table["estimator"]) if name not in PAPER_ESTIMATORS]
    if not beyond:
        return []
    data_poor = table["regime"].eq("data_poor")
    wanted = np.where(data_poor, "target", "mean")
    errors = table[(table["metric"] == "l1") & (table["instance"].astype(str) == wanted)]
    rows: list[dict] = []
    for (study, axis), study_table in errors.groupby(["study", "axis"], sort=True):
        case, regime = str(study_table["case"].iloc[0]), str(study_table["regime"].iloc[0])
        points = list(dict.fromkeys(study_table["axis_value"].astype(str)))
        by = {
            name: {p: group.sort_values("replicate")["error"].to_numpy() for p, group in part.groupby("axis_value")}
            for name, part in study_table.assign(axis_value=study_table["axis_value"].astype(str)).groupby("estimator")
        }
        reference = by.get(REFERENCE_ESTIMATOR)
        what = "mean l1 error" + (" of the data-poor target" if regime == "data_poor" else " over instances")
        for method in beyond:
            if method not in by:
                continue
            for point in points:
                theirs = None if reference is None else reference[point]
                mine = by[method][point]
                rows.append(
                    _point_row("estimation", study, case, axis, point, method, REFERENCE_ESTIMATOR, what, mine, theirs)
                )
            rate_axis = table1_axis(axis, regime) if axis in AXIS_TO_RATE else None
            if rate_axis is None or case == OTHER or len(points) < 2:
                continue
            x = np.array([float(p) for p in points])
            order = np.argsort(x)
            x, ordered = x[order], [points[i] for i in order]
            mine = [by[method][p] for p in ordered]
            theirs = None if reference is None else [reference[p] for p in ordered]
            mine_draws, their_draws = _paired_bootstrap_slopes(mine, theirs, x, resamples, rng)
            slope = loglog_slope(x, [values.mean() for values in mine])
            row = _row(
                section="estimation",
                experiment=study,
                case=case,
                axis=axis,
                point=f"{x[0]:g}..{x[-1]:g}",
                method=method,
                reference=REFERENCE_ESTIMATOR,
                statistic=f"log-log slope of the {what} in {rate_axis}",
                value=slope,
                se=float(mine_draws.std(ddof=1)),
                replicates=min(len(values) for values in mine),
            )
            if theirs is not None:
                their_slope = loglog_slope(x, [values.mean() for values in theirs])
                row.update(
                    reference_value=their_slope,
                    reference_se=float(their_draws.std(ddof=1)),
                    comparison=slope - their_slope,
                    comparison_kind="difference to reference",
                    comparison_se=float((mine_draws - their_draws).std(ddof=1)),
                )
            rows.append(row)
    return rows


def _replicate_slopes(column: pd.Series, axis: str) -> pd.Series:
    """Per replicate, the log-log slope of ``column`` (indexed by replicate and ``axis``) in ``axis``."""
    return pd.Series(
        {r: loglog_slope(group.index.get_level_values(axis), group.to_numpy()) for r, group in column.groupby(level=0)}
    )


def bandit_rows(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    """The rows of every policy beyond the papers in the bandit experiments of :data:`BANDIT_AXES`."""
    rows: list[dict] = []
    for experiment, axis in BANDIT_AXES.items():
        if experiment not in tables:
            continue
        frame = tables[experiment]
        metric = "regret_target" if experiment == "data_poor" else "regret_per_instance"
        frame = frame[frame["metric"] == metric]
        if "t" in frame:
            frame = frame[frame["t"] == frame["T"]]  # the regret at the horizon
        what = "regret of the data-poor target" if experiment == "data_poor" else "regret per instance at T"
        wide = frame.pivot_table(index=["replicate", axis], columns="policy", values="value").sort_index()
        grid = np.sort(frame[axis].unique())
        for method in [p for p in dict.fromkeys(frame["policy"]) if p not in PAPER_POLICIES]:
            theirs_all = wide[REFERENCE_POLICY] if REFERENCE_POLICY in wide else None
            for value in grid:
                mine = wide[method].xs(value, level=axis).to_numpy()
                theirs = None if theirs_all is None else theirs_all.xs(value, level=axis).to_numpy()
                point = f"{value:g}"
                rows.append(
                    _point_row("bandits", experiment, "", axis, point, method, REFERENCE_POLICY, what, mine, theirs)
                )
            if len(grid) < 2:
                continue
            slopes = {name: _replicate_slopes(wide[name], axis) for name in (method, REFERENCE_POLICY) if name in wide}
            value, se = mean_se(slopes[method].to_numpy())
            row = _row(
                section="bandits",
                experiment=experiment,
                case="",
                axis=axis,
                point=f"{grid[0]:g}..{grid[-1]:g}",
                method=method,
                reference=REFERENCE_POLICY,
                statistic=f"log-log slope of the {what} in {axis}",
                value=value,
                se=se,
                replicates=len(slopes[method]),
            )
            if REFERENCE_POLICY in slopes:
                row["reference_value"], row["reference_se"] = mean_se(slopes[REFERENCE_POLICY].to_numpy())
                difference = (slopes[method] - slopes[REFERENCE_POLICY]).dropna().to_numpy()
                row["comparison"], row["comparison_se"] = mean_se(difference)
                row["comparison_kind"] = "difference to reference"
            rows.append(row)
    return rows


def beyond_papers_table(
    estimation: pd.DataFrame | None, bandits: Mapping[str, pd.DataFrame], resamples: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Every row of the methods beyond the papers (columns :data:`COLUMNS`); empty when there is none."""
    rows = [] if estimation is None else estimation_rows(estimation, resamples, seed)
    rows += bandit_rows(bandits)
    return pd.DataFrame(rows, columns=COLUMNS)


NOTES = (
    "Measurements only: these methods are not in the papers, so no claim of the papers speaks of them and no "
    "verdict is given. value +- se: the method's statistic (mean over replicates, or a log-log slope); "
    "reference_value: the same statistic of the paper's method (robust_multitask, rmbandit) on the same draws; "
    "comparison: the ratio of the means (per point) or the difference of the slopes (per grid), with its "
    "paired standard error. A ratio below 1 means a lower error or regret than the paper's method."
)


def beyond_papers_markdown(table: pd.DataFrame, scale: str = "") -> str:
    """The table as Markdown: a title, the notes, and one row per measurement."""
    from .io import markdown_table

    lines = [
        "# Methods beyond the papers (measurements only, no claim)",
        "",
        (f"Scale: {scale}. " if scale else "") + NOTES,
        "",
    ]
    if table.empty:
        lines.append("No method beyond the papers ran at this config.")
        return "\n".join(lines) + "\n"
    shown = table.assign(
        value=[f"{v:.4g} ± {s:.2g}" for v, s in zip(table["value"], table["se"])],
        reference_value=[
            "" if np.isnan(v) else f"{v:.4g} ± {s:.2g}" for v, s in zip(table["reference_value"], table["reference_se"])
        ],
        comparison=[
            "" if np.isnan(v) else f"{v:.3g} ± {s:.2g}" for v, s in zip(table["comparison"], table["comparison_se"])
        ],
    )
    columns = ["section", "experiment", "axis", "point", "label", "statistic", "value", "reference", "reference_value"]
    lines.append(markdown_table(shown[[*columns, "comparison_kind", "comparison", "replicates", "claim"]]))
    return "\n".join(lines)


def write_beyond_papers(
    estimation_paths: list[str],
    bandit_paths: Mapping[str, str],
    csv_path: str,
    md_path: str,
    resamples: int,
    seed: int,
    scale: str,
) -> pd.DataFrame:
    """Read the studies' results tables, write ``beyond_papers.{csv,md}`` (rule ``beyond_papers``)."""
    from .io import read_tables, write_table, write_text

    estimation = read_tables(estimation_paths) if estimation_paths else None
    bandits = {name: pd.read_csv(path) for name, path in bandit_paths.items()}
    table = beyond_papers_table(estimation, bandits, resamples, seed)
    numeric = ["value", "se", "reference_value", "reference_se", "comparison", "comparison_se"]
    write_table(table, csv_path, nan_ok=numeric)
    write_text(beyond_papers_markdown(table, scale), md_path)
    return table


__all__ = [
    "BANDIT_AXES",
    "COLUMNS",
    "PAPER_ESTIMATORS",
    "REFERENCE_ESTIMATOR",
    "REFERENCE_POLICY",
    "bandit_rows",
    "beyond_papers_markdown",
    "beyond_papers_table",
    "estimation_rows",
    "write_beyond_papers",
]
