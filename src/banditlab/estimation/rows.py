"""The rows that test the estimation study's claims (:mod:`.claims`): the rate and bound check tables.

Rate rows (``rate_check``): for every study along one of Table 1's variables, every estimator whose
cell speaks of the study's instance, the log-log slope of the mean l1 error against the axis
(replicates bootstrapped within each grid point; ``se`` = the bootstrap standard deviation), and the
claimed region the cell's kind allows on that grid (:func:`slope_region`). Which instance a cell
speaks of:

* the *lower bounds* of Table 1 are worst-case (eq. (6)): tested only on the constructions of
  Appendix B (``case: construction``: Sigma-hat = I, Gaussian noise, disjoint supports with Ns <= d,
  Corollary 1's full lambda, every instance's deviations >= N (5 lambda/4 + t));
* the *exact rates* (independent OLS; averaging and pooling, whose error Lemma 4 and the triangle
  inequality pin between 1/2 and 1 times bias + E||noise||_1) hold on every instance;
* the *upper bound* of the robust estimator holds on every instance, and is tested on a benign one,
  a hard one (``case: hard``: deviations just above the LASSO cut-off, partly aligned supports) and
  the constructions.

The cell's terms keep the logarithms of the explicit results (Corollaries 1-2, Propositions 5-7) and
the averaging and pooling bias ``||mean_i(delta_i - delta_j)||_1``, measured on the drawn data (metric
``bias_l1``). An upper bound is tested along n, N
and d, not along s: s <= d, so no finite s grid reaches where an error growing faster in s (the LASSO bias
``s lambda``, below ``sqrt(s d) lambda`` for every s <= d) would cross the bound.

Level rows (``bound_check``): the explicit bounds of Propositions 4-7 (measured error / bound, per
grid point of a construction) and Theorem 1 (share of replicates above the bound against the bound's
failure probability, where that probability is below 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import verdicts as v
from ..stats import bootstrap_slope
from . import premises, theory
from .claims import CLAIMS, CONSTRUCTION, ESTIMATOR_ORDER, LINE345_GAIN, LINE345_NO_GAIN, OTHER, TABLE1_CLAIMS
from .levels import level_rows
from .measure import AXIS_TO_RATE, coupled_factors, measured_factors, rate_point, rows_of_interest, table1_axis

# ----------------------------------------------------------------------------------------- rate rows


def slope_region(kind: str, exponents: tuple[float, float], slack: float) -> tuple[float, float]:
    """The slopes a cell of ``kind`` allows, from the smallest and largest exponent of its terms on the grid."""
    smallest, largest = exponents
    if kind == v.EXACT_RATE:
        return smallest - slack, largest + slack
    if kind == v.LOWER_BOUND:
        return smallest - slack, np.inf
    if kind == v.UPPER_BOUND:
        return -np.inf, largest + slack
    raise ValueError(f"kind must be a rate kind, got {kind!r}")


def _rate_axis(axis: str, regime: str, kind: str) -> str | None:
    """Table 1's variable along an experiment's axis that a claim of ``kind`` can be tested along (or None)."""
    rate_axis = table1_axis(axis, regime)
    if kind == v.UPPER_BOUND and rate_axis == "s":
        return None  # s <= d: a finite s grid cannot reach where a steeper error would cross the bound
    return rate_axis


CONTROL_SERIES = {
    "independent_ols": ("averaging", "l1"),
    "averaging": ("averaging", "l1_no_bias"),
    "pooling": ("pooling", "l1_no_bias"),
    "averaging_multitask": ("robust_multitask", "l1"),
    "robust_multitask": ("independent_ols", "l1"),
}
"""Each Table 1 cell's negative control (:data:`.claims.TABLE1_CONTROL`): the estimator and the metric whose slope
the same rule must reject, on the same study and draws (``l1_no_bias``: the estimator without the deviations)."""


def _errors(study_table: pd.DataFrame, axis: str, axis_values, estimator: str, metric: str = "l1") -> list:
    """Per grid value, the replicates' error of the instance Table 1 speaks of (mean instance, or data-poor target)."""
    subset = rows_of_interest(study_table, metric)
    subset = subset[subset["estimator"] == estimator]
    return [subset.loc[subset[axis].astype(float) == x, "error"].to_numpy() for x in axis_values]


def rate_rows(table: pd.DataFrame, resamples: int = 1000, seed: int = 0) -> pd.DataFrame:
    """One measurement row per (Table 1 claim, study along one of its variables), with its control row
    (:data:`CONTROL_SERIES`), and line 345's ratio rows along d (:func:`line345_rows`)."""
    rng = np.random.default_rng(seed)
    out = []
    with_axis = table[table["axis"].isin(list(AXIS_TO_RATE))]
    for (study, axis), study_table in with_axis.groupby(["study", "axis"], sort=True):
        regime = str(study_table["regime"].iloc[0])
        case = str(study_table["case"].iloc[0])
        axis_values = np.sort(study_table[axis].astype(float).unique())
        if len(axis_values) < 2 or case == OTHER:
            continue
        point = rate_point(study_table)
        replicates = int(study_table["replicate"].nunique())
        coupled = coupled_factors(study_table, axis, axis_values)
        for estimator in ESTIMATOR_ORDER:
            claim = TABLE1_CLAIMS[(estimator, regime)]
            rate_axis = _rate_axis(axis, regime, claim.kind)
            errors = _errors(study_table, axis, axis_values, estimator)
            if not all(len(e) for e in errors) or rate_axis is None:
                continue
            if claim.kind == v.LOWER_BOUND and case != CONSTRUCTION:
                continue
            slope, se = bootstrap_slope(errors, axis_values, resamples, rng)
            measured = measured_factors(study_table, axis, axis_values, estimator) | coupled
            exponents = theory.term_exponents(estimator, regime, rate_axis, axis_values, point, measured)
            low, high = slope_region(claim.kind, exponents, claim.slack)
            label = f"{study} ({case}): {rate_axis} in [{axis_values[0]:g}, {axis_values[-1]:g}]"
            statistic = f"log-log slope of the mean l1 error in {rate_axis}"
            columns = dict(
                study=study,
                case=case,
                axis=axis,
                regime=regime,
                axis_min=axis_values[0],
                axis_max=axis_values[-1],
                grid_points=len(axis_values),
                table1_rate=theory.TABLE_1[(estimator, regime)].formula,
                predicted_slope=theory.predicted_slope(estimator, regime, rate_axis, axis_values, point, measured),
                term_exponent_min=exponents[0],
                term_exponent_max=exponents[1],
                measured_factors=", ".join(sorted(measured)) or "none",
            )
            status = premises.table_status(claim, study_table)
            out.append(
                v.measurement_row(
                    claim,
                    label,
                    statistic,
                    slope,
                    se,
                    replicates,
                    low,
                    high,
                    premises=status,
                    estimator=estimator,
                    **columns,
                )
            )
            other, metric = CONTROL_SERIES[estimator]
            theirs = _errors(study_table, axis, axis_values, other, metric)
            if all(len(e) for e in theirs) and all(np.all(e > 0) for e in theirs):
                slope, se = bootstrap_slope(theirs, axis_values, resamples, rng)
                row = f"{label} [{other}{', no bias' if metric == 'l1_no_bias' else ''}]"
                out.append(
                    v.control_row(claim, row, statistic, slope, se, replicates, low, high, estimator=other, **columns)
                )
    out += line345_rows(table, resamples, rng)
    return pd.DataFrame(out)


def _ratio_slope(study_table: pd.DataFrame, axis_values, resamples: int, rng) -> tuple[float, float, int]:
    """Slope of log(mean error robust / mean error OLS) on log d, replicates bootstrapped within each point."""
    mine = _errors(study_table, "dim", axis_values, "robust_multitask")
    theirs = _errors(study_table, "dim", axis_values, "independent_ols")
    x = np.log(np.asarray(axis_values, float))

    def slope(a, b):
        return float(np.polyfit(x, np.log([m.mean() / o.mean() for m, o in zip(a, b)]), 1)[0])

    draws = []
    for _ in range(resamples):
        picks = [rng.integers(0, len(m), len(m)) for m in mine]  # paired: the same replicates for both
        draws.append(slope([m[i] for m, i in zip(mine, picks)], [o[i] for o, i in zip(theirs, picks)]))
    return slope(mine, theirs), float(np.std(draws, ddof=1)), min(len(m) for m in mine)


def line345_rows(table: pd.DataFrame, resamples: int, rng) -> list[dict]:
    """Line 345 along d (standard regime, benign or hard studies with both estimators): on a grid with N growing
    with d (N = Omega(d/s)) the ratio of the robust multitask estimator's error to OLS's falls like d^(-1/2)
    (``000-line345-gain``); on a grid at fixed N (N = o(d)) it does not change (``000-line345-no-gain``). Each
    claim's control is the other regime's grid."""
    out = []
    along_d = table[(table["axis"] == "dim") & (table["regime"] == "standard") & table["case"].isin(["benign", "hard"])]
    for study, study_table in along_d.groupby("study", sort=True):
        axis_values = np.sort(study_table["dim"].astype(float).unique())
        estimators = set(study_table["estimator"])
        if len(axis_values) < 2 or not {"robust_multitask", "independent_ols"} <= estimators:
            continue
        slope, se, n = _ratio_slope(study_table, axis_values, resamples, rng)
        grows = study_table.groupby("dim")["n_instances"].first().nunique() > 1  # N tied to d (instances_per_dim)
        label = (
            f"{study}: d in [{axis_values[0]:g}, {axis_values[-1]:g}], N {'proportional to d/s' if grows else 'fixed'}"
        )
        statistic = "log-log slope in d of mean l1 error ratio robust multitask / independent OLS"
        gain_region = (-np.inf, -0.5 + LINE345_GAIN.slack)
        flat_region = (-v.NO_EFFECT_MARGIN, v.NO_EFFECT_MARGIN)
        mine, other = (LINE345_GAIN, LINE345_NO_GAIN) if grows else (LINE345_NO_GAIN, LINE345_GAIN)
        mine_region, other_region = (gain_region, flat_region) if grows else (flat_region, gain_region)
        status = premises.table_status(mine, study_table)
        out.append(v.measurement_row(mine, label, statistic, slope, se, n, *mine_region, premises=status, study=study))
        out.append(v.control_row(other, f"{label} [control]", statistic, slope, se, n, *other_region, study=study))
    return out


# -------------------------------------------------------------------------------------------- output

RATE_NOTES = (
    "One row per (Table 1 cell, study along one of its variables). estimate = log-log slope of the mean l1 "
    "error (bootstrap se); claimed_low/high = the slopes the cell allows on that grid (kinds and rules: "
    "banditlab.verdicts; lower bounds only on the Appendix B constructions). predicted_slope is the local slope "
    "of the cell with every omitted constant set to 1 (drawn in the figures). verdict/reason: the claim's verdict "
    f"(Holm over its rows at family level {v.FAMILY_LEVEL}); row_verdict/row_reason: this row's."
)
LEVEL_NOTES = (
    "One row per (explicit bound, grid point where it applies). Propositions 4-7: estimate = mean over "
    "replicates of measured / bound (claimed >= 1). Theorem 1: estimate = share of replicates above the bound "
    "(claimed <= its failure probability; exact binomial p-value and Clopper-Pearson interval). Proposition 7's rows "
    "where a replicate misses the construction the proof needs are outside its premises."
)


def rate_check(tables, block, seed: int) -> pd.DataFrame:
    """``rate_check``: the rate rows of every experiment's table, with the engine's verdicts."""
    table = pd.concat(list(tables.values()), ignore_index=True)
    return v.evaluate(rate_rows(table, resamples=int(block["bootstrap_resamples"]), seed=seed), CLAIMS)


def bound_check(tables, block, seed: int) -> pd.DataFrame:
    """``bound_check``: the level rows of the experiments with explicit bounds, with the engine's verdicts."""
    return v.evaluate(level_rows(pd.concat(list(tables.values()), ignore_index=True)), CLAIMS)


def rate_markdown(table: pd.DataFrame) -> str:
    return v.check_markdown(table, "Rate check against Table 1 (paper 000)") + "\n" + RATE_NOTES + "\n"


def bound_markdown(table: pd.DataFrame) -> str:
    title = "Measured error against the explicit bounds (paper 000, Propositions 4-7, Theorem 1)"
    return v.check_markdown(table, title) + "\n" + LEVEL_NOTES + "\n"
