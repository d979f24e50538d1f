"""The estimation study of Section 3: errors of the estimators on one replicate of one grid point.

:func:`run_replicate` draws one problem for a parameter point (its generator comes from the runner,
:mod:`banditlab.runner`), fits every estimator the config names (``estimation.estimators``: the five of
paper 000 and our :class:`~banditlab.estimators.MedianShrinkage`; a user's class by import path, see
:mod:`banditlab.registry`) on the same data and returns one row per (estimator, instance, metric);
:func:`tidy` makes the point's table. The study's declaration is :mod:`.study`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import registry
from ..estimators import ALL_ESTIMATORS, SufficientStatistics
from ..study import points
from . import theory
from .bounds import paper_bounds
from .lemma1 import LEMMA1_KEYS
from .simulate import MultitaskData, make_instances

POINT_KEYS = (
    "n_instances",
    "dim",
    "sparsity",
    "n_per_instance",
    "n_target",
    "noise_sd",
    "deviation_size",
    "shared_scale",
    "support",
    "design",
    "covariate_shift",
    "trim_fraction",
    "regime",
    "lam_multiplier",
    "data_poor_ratio",
    "draw",
    "case",
)
"""The parameters of one grid point; each is a column of the results table."""

DEFAULT_ESTIMATORS = tuple(ALL_ESTIMATORS)
"""What the study fits when the config names no list: the five of paper 000 and ``median_shrinkage``."""


def build_estimator(name: str, point: Mapping[str, Any], data: MultitaskData, confidence: float):
    """Instantiate estimator ``name`` with the study's hyperparameters for this point.

    The multitask estimators use ``point['lam_multiplier']`` times Corollary 1's lambda with the true noise
    level and the design's x_max; the robust one trims ``point['trim_fraction']`` (a number, or
    ``"theory"`` for sqrt(s/d)). :class:`~banditlab.estimators.MedianShrinkage` uses the true noise levels
    too (``noise_sd = sigma_j``, as the lambdas above) and ``confidence`` as its delta, with its default
    threshold multiplier c = 1 (its thresholds ``se_jk sqrt(2 log(dN/delta))``). The other built-in
    baselines have no hyperparameter; a user's class (an import path) is built with no arguments.
    """
    if name not in ALL_ESTIMATORS:
        return registry.estimator_class(name, "estimation.estimators")()
    cls = ALL_ESTIMATORS[name]
    if name == "median_shrinkage":
        return cls(noise_sd=data.noise_sds, confidence=confidence)
    if name not in ("averaging_multitask", "robust_multitask"):
        return cls()
    lams = [
        float(point["lam_multiplier"]) * theory.lambda_theory(sd, data.x_max, n, data.dim, confidence)
        for sd, n in zip(data.noise_sds, data.n_obs)
    ]
    if name == "averaging_multitask":
        return cls(lam=lams)
    trim = point["trim_fraction"]
    if trim == "corollary1":  # Corollary 1's zeta + eta at this point's N and d (theory.corollary1_trim)
        trim = theory.resolve_trim(trim, int(point["sparsity"]), data.dim, data.n_instances, confidence)
    return cls(lam=lams, trim_fraction=trim, sparsity=int(point["sparsity"]))


def fit_estimator(name: str, model, data: MultitaskData, stats: SufficientStatistics):
    """Fit ``model`` on one replicate: ``fit_statistics`` when it has one (every built-in), else ``fit`` on the
    rows; returns the (N, d) ``coef_``, checked (a user's class that breaks the protocol is named)."""
    if callable(getattr(model, "fit_statistics", None)):
        model.fit_statistics(stats, target=data.target)
    elif data.Xs is None:
        raise ValueError(f"estimator {name!r} has no fit_statistics, and this point draws statistics only")
    else:
        model.fit(data.Xs, data.ys, target=data.target)
    coef = np.asarray(getattr(model, "coef_", None), dtype=float)
    if coef.shape != data.betas.shape:
        raise ValueError(f"estimator {name!r}: coef_ must have shape (N, d) = {data.betas.shape}, got {coef.shape}")
    return coef


def draw_point(point: Mapping[str, Any], rng: np.random.Generator) -> MultitaskData:
    """Draw one replicate's data for a grid point (data-poor target is instance 0)."""
    data_poor = point["regime"] == "data_poor"
    return make_instances(
        int(point["n_instances"]),
        int(point["dim"]),
        int(point["sparsity"]),
        int(point["n_per_instance"]),
        rng,
        noise_sd=float(point["noise_sd"]),
        deviation_size=float(point["deviation_size"]),
        shared_scale=float(point["shared_scale"]),
        support=str(point["support"]),
        design=str(point["design"]),
        covariate_shift=float(point["covariate_shift"]),
        target=0 if data_poor else None,
        n_target=int(point["n_target"]) if data_poor else None,
        **({"draw": "statistics"} if point["draw"] == "statistics" else {}),
    )


def error_rows(
    coef: np.ndarray, truth: np.ndarray, target: int | None, each_instance: bool = True
) -> list[tuple[str, str, float]]:
    """(instance, metric, value) rows: every instance (``each_instance``; else instance 0 alone, the one whose error
    the per-instance events of Theorem 1 and Corollary 1 count), their mean, and the data-poor target if any."""
    diff = coef - truth
    per_metric = {"l1": np.abs(diff).sum(axis=1), "l2": np.sqrt((diff**2).sum(axis=1))}
    rows = []
    for metric, errors in per_metric.items():
        shown = errors if each_instance else errors[:1]
        rows.extend((str(j), metric, float(e)) for j, e in enumerate(shown))
        if target is None:
            rows.append(("mean", metric, float(errors.mean())))
        else:
            rows.append(("target", metric, float(errors[target])))
            rows.append(("mean", metric, float(np.delete(errors, target).mean())))
    return rows


def smallest_eigenvalue(stats: SufficientStatistics) -> float:
    """``psi`` of Assumption 6: the smallest eigenvalue of every instance's sample covariance ``X_j'X_j / n_j``."""
    return min(float(np.linalg.eigvalsh(gram / n)[0]) for gram, n in zip(stats.grams, stats.n_obs))


def _pooled_limit(betas: np.ndarray, grams: np.ndarray) -> np.ndarray:
    """The pooled OLS estimate without noise: ``(sum_i X_i'X_i)^-1 sum_i X_i'X_i beta_i`` (Proposition 6)."""
    return np.linalg.solve(grams.sum(axis=0), np.einsum("ijk,ik->j", grams, betas))


SHARED_LIMITS = {
    "averaging": lambda betas, grams: betas.mean(axis=0),  # Proposition 5
    "pooling": _pooled_limit,
}
"""What the shared estimators converge to without noise, from the instances they use."""


def bias_rows(
    name: str, data: MultitaskData, stats: SufficientStatistics, each_instance: bool = True
) -> list[tuple[str, str, float]]:
    """``bias_l1`` rows: ``||limit - beta_j||_1``, the bias term of Propositions 5-6 (Table 1's ``||delta_j||_1``).

    The limit is over the instances the estimator uses (all but a data-poor target); the rows follow
    :func:`error_rows` (every instance, the mean, the target).
    """
    used = [i for i in range(data.n_instances) if i != data.target]
    limit = SHARED_LIMITS[name](data.betas[used], stats.grams[used])
    rows = error_rows(np.tile(limit, (data.n_instances, 1)), data.betas, data.target, each_instance)
    return [(instance, "bias_l1", value) for instance, metric, value in rows if metric == "l1"]


def no_bias_rows(name: str, point: Mapping[str, Any], data: MultitaskData, stats: SufficientStatistics, confidence):
    """``l1_no_bias`` rows (the mean instance, and the data-poor target): the estimator refitted on the same draws
    with every deviation set to 0, ``y_j - X_j delta_j = X_j beta_dagger + eps_j`` (same design, same noise), against
    ``beta_dagger``: its error without the bias term of Propositions 5-6, the exact-rate cells' negative control."""
    shifted = stats.xtys - np.einsum("ijk,ik->ij", stats.grams, data.deltas)
    twin = dataclasses.replace(stats, xtys=shifted)
    model = build_estimator(name, point, data, confidence)
    truth = np.tile(data.shared, (data.n_instances, 1))
    rows = error_rows(fit_estimator(name, model, data, twin), truth, data.target, each_instance=False)
    return [
        (instance, "l1_no_bias", value) for instance, metric, value in rows if metric == "l1" and not instance.isdigit()
    ]


def run_replicate(point: Mapping[str, Any], replicate) -> list[tuple]:
    """(replicate, seed, estimator, instance, metric, value) rows of one replicate of one grid point.

    Every estimator of ``point["estimators"]`` (built-in names or import paths) is fitted on the same draw,
    and fitting draws nothing, so adding one changes no other estimator's rows. With ``point["bounds"]``
    each estimator also gets rows for the paper's explicit bound on the mean l1 error over instances
    (:func:`banditlab.estimation.bounds.paper_bounds`), computed from the drawn truth. The shared estimators
    (averaging, pooling) also get their error on the same draws without the deviations (:func:`no_bias_rows`).
    """
    missing = [key for key in POINT_KEYS if key not in point]
    if missing:
        raise ValueError(f"grid point lacks parameters {missing}")
    confidence, bounds = float(point["confidence"]), bool(point["bounds"])
    data = draw_point(point, replicate.rng)
    stats = data.sufficient_statistics()  # computed once: every estimator fits on the same statistics
    psi = smallest_eigenvalue(stats) if bounds else float("nan")  # Theorem 1's bound only
    each_instance = bool(point.get("each_instance", True))
    records = []
    for name in point["estimators"]:
        model = build_estimator(name, point, data, confidence)
        rows = error_rows(fit_estimator(name, model, data, stats), data.betas, data.target, each_instance)
        if name in SHARED_LIMITS:
            rows += bias_rows(name, data, stats, each_instance) + no_bias_rows(name, point, data, stats, confidence)
        if bounds:
            rows += [
                ("mean", metric, value)
                for metric, value in paper_bounds(name, model, data, point, confidence, psi).items()
            ]
        records.extend(
            (replicate.index, replicate.seed, name, instance, metric, value) for instance, metric, value in rows
        )
    return records


def tidy(records: list[tuple], point: Mapping[str, Any], grid: Mapping[str, Any], stamps: Mapping[str, str]):
    """The point's table: its constants (experiment, axis, the point's parameters, confidence, scale, version)
    in front of the (replicate, seed, estimator, instance, metric, error) rows. The workflow adds the config
    hash at the table stage, so that a point's job depends on its own parameters only."""
    frame = pd.DataFrame.from_records(
        records, columns=["replicate", "seed", "estimator", "instance", "metric", "error"]
    )
    (axis,) = grid
    constants = {"study": stamps["experiment"], "axis": axis, "axis_value": stamps["label"]}
    constants |= {key: point[key] for key in POINT_KEYS}
    constants |= {key: point[key] for key in LEMMA1_KEYS if key in point}  # the Lemma 1 experiment's own keys
    constants |= {
        "confidence": point["confidence"],
        "scale": stamps["scale"],
        "banditlab_version": stamps["banditlab_version"],
    }
    for column, value in reversed(list(constants.items())):
        frame.insert(0, column, value)
    return frame, ()


def check_point(point: Mapping[str, Any], where: str, confidence: float = 0.05) -> None:
    """Reject a grid point that would fail mid-run, naming the config key and the allowed range.

    ``confidence`` is the block's delta (C of Proposition 7), used by the construction check."""
    s, d, n, N = (int(point[k]) for k in ("sparsity", "dim", "n_per_instance", "n_instances"))
    if s > d:
        raise ValueError(f"{where}: sparsity s={s} must satisfy 0 <= s <= dim d={d}")
    if point["trim_fraction"] == "theory" and 4 * s >= d:
        raise ValueError(f"{where}: trim_fraction 'theory' is sqrt(s/d) and needs s/d < 1/4, got s={s}, d={d}")
    if n <= d:
        raise ValueError(f"{where}: n_per_instance={n} must exceed dim d={d} (per-instance OLS is undefined otherwise)")
    if point["regime"] == "data_poor":
        if N < 2:
            raise ValueError(f"{where}: the data-poor regime needs n_instances >= 2, got {N}")
        if int(point["n_target"]) <= d:
            raise ValueError(
                f"{where}: n_target={point['n_target']} must exceed dim d={d} (the independent OLS baseline needs it)"
            )
    if point["support"] == "disjoint" and N * s > d:
        raise ValueError(f"{where}: support 'disjoint' needs n_instances*sparsity <= dim, got {N}*{s} > {d}")
    if point["trim_fraction"] == "corollary1":
        trim = theory.corollary1_trim(s, d, N, confidence)
        if trim >= 0.5:
            raise ValueError(
                f"{where}: trim_fraction 'corollary1' is sqrt(s/d) + sqrt(9/N log(6d/delta)) = {trim:.3f} >= 0.5 at "
                f"N={N}, d={d}, s={s} (Lemma 1 needs omega < 1/2): raise n_instances"
            )
    elif point["trim_fraction"] != "theory" and not 0 <= float(point["trim_fraction"]) < 0.5:
        raise ValueError(
            f"{where}: trim_fraction must be in [0, 0.5), 'theory' or 'corollary1', got {point['trim_fraction']}"
        )
    if float(point["data_poor_ratio"]) > 0 and point["regime"] != "data_poor":
        raise ValueError(f"{where}: data_poor_ratio > 0 needs regime data_poor, got {point['regime']!r}")
    if point["draw"] == "statistics" and point["design"] not in ("gaussian", "identity"):
        raise ValueError(f"{where}: draw 'statistics' needs design gaussian or identity, got {point['design']!r}")
    if point["case"] == "construction":
        _check_construction(point, where, confidence)


def _check_construction(point: Mapping[str, Any], where: str, confidence: float) -> None:
    """The Appendix B construction, as Proposition 7's proof needs it (finding 000-prop7-condition)."""
    wanted = {"design": "identity", "support": "disjoint", "lam_multiplier": 1.0}
    for key, value in wanted.items():
        if point[key] != value:
            raise ValueError(f"{where}: case 'construction' needs {key}={value!r}, got {point[key]!r}")
    N, d = int(point["n_instances"]), int(point["dim"])
    n_obs = np.full(N, float(point["n_per_instance"]))
    if point["regime"] == "data_poor":
        n_obs[0] = float(point["n_target"])
    # x_max of the identity design (sqrt(n) times orthonormal columns, entries close to N(0, 1)): exceeded with
    # probability about 1%; replicates that exceed it anyway are flagged per replicate (lower_bound_applies_*).
    x_max = float(np.sqrt(2 * np.log(2 * n_obs.max() * d / 0.01)))
    sds = np.full(N, float(point["noise_sd"]))
    needed = theory.proposition7_min_deviation(N, 0, sds, n_obs, d, x_max, confidence, all_instances=True)
    if float(point["deviation_size"]) < needed:
        raise ValueError(
            f"{where}: case 'construction' needs deviation_size >= N (5 lambda/4 + t) = {needed:.4g} at this point "
            f"(Proposition 7's proof, every instance), got {point['deviation_size']}"
        )


def check_estimators(estimation: Mapping[str, Any]) -> None:
    """Resolve ``estimation.estimators`` (built-in names or import paths, protocol checked) and refuse what an
    experiment cannot run: a class without ``fit_statistics`` where an experiment draws statistics only, and
    ``median_shrinkage`` at ``noise_sd = 0`` (its weights are 1/se)."""
    from .study import STUDY

    names = list(estimation.get("estimators", DEFAULT_ESTIMATORS))
    registry.check_names(names, "estimator", "estimation.estimators")
    for experiment in estimation["experiments"]:
        values = [point.values for point in points(STUDY, estimation, experiment)]
        for index, name in enumerate(names):
            where = f"estimation.estimators[{index}] ({name!r})"
            if any(p["draw"] == "statistics" for p in values) and not registry.fits_statistics(name):
                raise ValueError(
                    f"{where} has no fit_statistics(stats, target=None), which experiment {experiment!r} needs "
                    "(draw: statistics: only the sufficient statistics are drawn); add one or leave the experiment out"
                )
            if name == "median_shrinkage" and any(float(p["noise_sd"]) <= 0 for p in values):
                raise ValueError(
                    f"{where} needs noise_sd > 0 (its weights are 1/se_jk), but experiment {experiment!r} has "
                    "noise_sd = 0; leave median_shrinkage out of estimation.estimators or give the experiment noise"
                )


def check_estimation_config(estimation: Mapping[str, Any]) -> None:
    """Check the estimators and every grid point of every experiment before any job runs (errors name the
    config key)."""
    from .study import STUDY

    check_estimators(estimation)
    for experiment in estimation["experiments"]:
        for point in points(STUDY, estimation, experiment):
            ((axis, value),) = point.grid.items()
            where = f"estimation.experiments.{experiment}.grid.{axis} ({axis}={value})"
            check_point(point.values, where, float(estimation["confidence"]))


def cost_features(point) -> tuple[float, ...]:
    """Work of one point job (:mod:`banditlab.cost`): a fixed cost, ``reps x estimators x N x d^2 x (n_j + d)``
    (Gram matrices, OLS and LASSO per instance; ``n_j = n_target`` with ``draw: statistics``) and
    ``reps x estimators x N`` (per-instance Python work, which dominates with many small instances)."""
    values = point.values
    if "draws" in values:  # Lemma 1's experiment: a sort of N x draws samples per replicate (about 2000 units each)
        return (1.0, 2000.0 * point.replicates * int(values["n_instances"]) * int(values["draws"]), 0.0)
    reps = point.replicates * len(values["estimators"])
    N, d, n = int(values["n_instances"]), int(values["dim"]), int(values["n_per_instance"])
    if values.get("draw") == "statistics":
        n = int(values["n_target"])  # the statistics are drawn in O(d^3); only the target's rows are drawn
    elif values["regime"] == "data_poor":
        n = max(n, int(values["n_target"]))
    return (1.0, reps * N * d**2 * (n + d), reps * N)
