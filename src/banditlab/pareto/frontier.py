"""The frontier of Algorithm 1 (paper 004): its regret relative to uniform random against the share of replicates
that lose a Pareto arm, over a grid of the constants ``(c1, c2)`` of eq. (5) and at each named reading, on the
Appendix H instance as printed and on its ramped twin where Assumption 1 holds (:mod:`.env`).

The paper gives ``c1`` no value and prints ``c2 = 1``; whether the tree beats random depends on them. One constant
cannot answer "does Algorithm 1 beat random": the frontier shows how much regret each setting saves against how
often it drops a Pareto arm, on the same draws as random (paired).

:func:`run_frontier` runs one replicate of a point ``(instance, K, T)``: uniform random, the tree under every named
reading of ``pareto.readings`` (with the diagnostics of Lemmas 2, 4 and 5, :mod:`.metrics`) and the tree at every
``(c1, c2)`` of ``c1_grid x c2_grid`` with the other options of the reading ``grid_reading``. :func:`frontier_table`
summarises each setting over the replicates (``pareto_frontier``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..verdicts import Z95, clopper_pearson
from .cones import Cone
from .experiments import _make_env, compute_truth, regret_metrics, round_robin_rounds
from .metrics import lemma2_boxes, lemma4_counts, lemma5_misses, play_metrics, window_start
from .policies import AdaptiveTreePolicy, UniformRandomPolicy
from .protocol import replicate as replicate_of
from .protocol import run_policy
from .readings import check_readings, reading_params

__all__ = ["GRID", "frontier_markdown", "frontier_settings", "frontier_table", "run_frontier"]

GRID = "grid"
"""The ``reading`` of the frontier's ``(c1, c2)`` settings (the named readings keep their names)."""
RANDOM = "uniform_random"


def frontier_settings(point: dict) -> list[tuple[str, str, AdaptiveTreePolicy]]:
    """``(reading, setting, policy)`` per tree run of a frontier point: each named reading (recording its confidence
    boxes; setting: its name), then ``(c1, c2)`` over ``c1_grid x c2_grid`` with the options of ``grid_reading``
    (setting ``c1=<value>, c2=<value>`` as the config writes them)."""
    readings = point["readings"]
    check_readings(readings)
    base = dict(point.get("policy_params", {}).get("adaptive_tree", {}))
    if point["grid_reading"] not in readings:
        raise ValueError(
            f"pareto.experiments.frontier.grid_reading = {point['grid_reading']!r}: allowed: a reading of "
            f"pareto.readings ({sorted(readings)})"
        )
    out = [
        (name, name, AdaptiveTreePolicy(**reading_params(base, options), record_boxes=True))
        for name, options in readings.items()
    ]
    grid = reading_params(base, readings[point["grid_reading"]])
    for c1 in point["c1_grid"]:
        for c2 in point["c2_grid"]:
            check_readings({GRID + "_": {"c1": c1, "c2": c2}})
            setting = f"c1={c1 if isinstance(c1, str) else f'{c1:g}'}, c2={c2 if isinstance(c2, str) else f'{c2:g}'}"
            out.append((GRID, setting, AdaptiveTreePolicy(**{**grid, "c1": c1, "c2": c2})))
    return out


def run_frontier(point: dict, replicate) -> list[dict]:
    """One replicate of a frontier point: tidy rows (columns experiment, point, instance, K, T, t_p, a, policy,
    reading, setting, c1, c2, replicate, seed, metric, t, value; ``setting`` names the run (:func:`frontier_settings`,
    ``-`` for random), ``c1``, ``c2`` the constants the tree used, NaN for random).

    Metrics (one row each, ``t = T``), per run: ``regret_per_round`` (played-arm gap over the window after ``t_p``
    and the round robin, :mod:`.metrics`), ``support_missed`` (0/1: some round after the round robin whose support,
    the set line 12 plays from, misses a Pareto arm), ``dominated_share``, ``weak_gap``, ``same_arm_share`` (with
    random's arms), ``mean_active``, Lemma 5's ``lemma5_missed`` (and its split), ``max_depth``; for the named
    readings also Lemma 2's and Lemma 4's (:func:`.metrics.lemma2_boxes`, :func:`.metrics.lemma4_counts`).
    """
    env = _make_env(point)
    horizon, cone, offset = int(point["T"]), Cone.orthant(2), float(point["gap_offset"])
    settings = frontier_settings(point)
    draw = env.draw(horizon, replicate.rng)
    truth = compute_truth(draw.means, cone, offset, rows=slice(env.t_p, horizon))
    spec, stream = replicate_of(draw, cone)
    n_rr = round_robin_rounds([(r, policy) for r, _, policy in settings], spec.n_arms, spec.n_objectives, horizon)
    start = window_start(env.t_p, n_rr)
    log_means = np.log(draw.means[start:] + offset)
    random = run_policy(UniformRandomPolicy(), spec, stream, replicate.child(RANDOM))
    random_arms = random.arms.copy()
    base = {
        "experiment": replicate.experiment,
        "point": replicate.label,
        "instance": env.instance,
        "K": spec.n_arms,
        "T": horizon,
        "t_p": env.t_p,
        "a": float(point["a"]),
    }
    rows = []

    def emit(policy, reading, setting, c1, c2, values):
        for metric, value in values.items():
            rows.append(
                {
                    **base,
                    "policy": policy,
                    "reading": reading,
                    "setting": setting,
                    "c1": c1,
                    "c2": c2,
                    "replicate": replicate.index,
                    "seed": replicate.seed,
                    "metric": metric,
                    "t": horizon,
                    "value": float(value),
                }
            )

    def played(traj) -> dict:
        gaps = regret_metrics(traj, draw, truth, cone, offset)["per_round_played"][start - env.t_p :]
        return {"regret_per_round": gaps.mean(), **play_metrics(traj.arms, truth, log_means, start, random_arms)}

    emit(RANDOM, "-", "-", np.nan, np.nan, played(random))
    for reading, setting, policy in settings:
        traj = run_policy(policy, spec, stream, replicate.child(policy.name))
        diag = policy.diagnostics()
        n_forced = int(np.count_nonzero(traj.forced))
        values = played(traj)
        values["support_missed"] = float((truth.pareto[n_forced:] & ~traj.support[n_forced:]).any())
        values.update(lemma5_misses(diag["active"], truth.pareto, n_forced, draw.contexts, traj.depth, env.ramp_width))
        values["max_depth"] = traj.depth.max()
        if diag["boxes"] is not None:
            boxes = lemma2_boxes(
                diag["boxes"], draw.contexts, traj.depth, n_forced, diag["c1"], policy.beta, env.ramp_width
            )
            values.update(boxes)
            values.update(lemma4_counts(diag["bin_count"], diag["min_count"], n_forced, spec.n_arms))
        emit(policy.name, reading, setting, diag["c1"], diag["c2"], values)
    return rows


def _ratio(tree: np.ndarray, random: np.ndarray) -> tuple[float, float]:
    """Paired ratio of means ``mean(tree) / mean(random)`` and its delta-method standard error."""
    n = tree.size
    ratio = tree.mean() / random.mean()
    if n < 2:
        return float(ratio), float("nan")
    cov = np.cov(tree, random, ddof=1)
    var = (cov[0, 0] - 2 * ratio * cov[0, 1] + ratio**2 * cov[1, 1]) / (n * random.mean() ** 2)
    return float(ratio), float(np.sqrt(max(var, 0.0)))


def frontier_table(tables: dict[str, pd.DataFrame], block: dict, seed: int) -> pd.DataFrame:
    """``pareto_frontier``: one row per point and tree setting (named reading or ``(c1, c2)`` of the grid).

    Columns: instance, K, T, reading, setting, c1, c2, c1_over_C_beta (c1 against the instance's Lipschitz constant),
    replicates, ``regret_ratio`` (mean per-round regret of the tree over random's on the same draws) with its 95%
    interval (delta method), ``lost_share`` (share of replicates whose support missed a Pareto arm after the round
    robin) with its exact interval, ``lemma5_lost_share`` (the same for the active set), ``active_share`` (mean
    active set / K), ``same_arm_share``, ``dominated_share`` of the tree and of random, ``weak_gap_ratio``, and
    ``safe_best`` (the grid setting of lowest ratio below 1 among those that lost no Pareto arm in any replicate).
    """
    from .env import appendix_h_lipschitz

    frame = tables["frontier"]
    tree = frame[frame["policy"] != RANDOM].pivot_table(
        index=["instance", "K", "T", "reading", "setting", "c1", "c2", "replicate"],
        columns="metric",
        values="value",
        sort=False,
    )
    tree = tree.reset_index()
    random = frame[frame["policy"] == RANDOM].pivot_table(
        index=["instance", "K", "T", "replicate"], columns="metric", values="value"
    )
    ramp = float(block.get("experiments", {}).get("frontier", {}).get("ramp_width", 0.05))
    rows = []
    for key, group in tree.groupby(["instance", "K", "T", "reading", "setting", "c1", "c2"], sort=False):
        instance, n_arms, horizon, reading, setting, c1, c2 = key
        paired = random.loc[[(instance, n_arms, horizon, r) for r in group["replicate"]]]
        ratio, se = _ratio(group["regret_per_round"].to_numpy(), paired["regret_per_round"].to_numpy())
        lost = int(group["support_missed"].sum())
        low, high = clopper_pearson(lost, len(group))
        weak = group["weak_gap"].mean() / paired["weak_gap"].mean() if paired["weak_gap"].mean() > 0 else np.nan
        lipschitz = appendix_h_lipschitz(0.0 if instance == "printed" else ramp)
        rows.append(
            {
                "instance": instance,
                "K": int(n_arms),
                "T": int(horizon),
                "reading": reading,
                "setting": setting,
                "c1": c1,
                "c2": c2,
                "c1_over_C_beta": c1 / lipschitz,
                "replicates": len(group),
                "regret_ratio": ratio,
                "ratio_low": ratio - Z95 * se,
                "ratio_high": ratio + Z95 * se,
                "lost_share": lost / len(group),
                "lost_low": low,
                "lost_high": high,
                "lemma5_lost_share": group["lemma5_missed"].mean(),
                "active_share": group["mean_active"].mean() / n_arms,
                "same_arm_share": group["same_arm_share"].mean(),
                "dominated_share": group["dominated_share"].mean(),
                "dominated_share_random": paired["dominated_share"].mean(),
                "weak_gap_ratio": weak,
            }
        )
    out = pd.DataFrame(rows)
    named = list(dict.fromkeys(out.loc[out["reading"] != GRID, "reading"]))
    out["_order"] = [named.index(r) if r in named else len(named) for r in out["reading"]]
    out = out.sort_values(["instance", "K", "T", "_order", "c1", "c2"], kind="stable").drop(columns="_order")
    out = out.reset_index(drop=True)
    out["safe_best"] = False
    safe = out[(out["reading"] == GRID) & (out["lost_share"] == 0) & (out["regret_ratio"] < 1)]
    for _, group in safe.groupby(["instance", "K", "T"]):
        out.loc[group["regret_ratio"].idxmin(), "safe_best"] = True
    return out


def frontier_markdown(table: pd.DataFrame) -> str:
    """``pareto_frontier.md``: per point, each named reading and the grid's safe best (its lowest regret ratio among
    the settings that lost no Pareto arm), then every setting."""
    from ..io import markdown_table

    lines = [
        "# Algorithm 1's frontier: regret relative to uniform random against Pareto arms lost",
        "",
        "Per point (instance, K, T) and tree setting: `regret_ratio` is the tree's mean per-round played-arm gap over "
        "uniform random's on the same draws (after t_p and the round-robin phase; 95% interval by the delta method), "
        "`lost_share` the share of replicates in which the arms line 12 plays from missed a true Pareto arm at some "
        "round after the round robin (exact interval), `lemma5_lost_share` the same for the active set (Lemma 5's "
        "event), `same_arm_share` the share of rounds the tree played random's arm. The named readings are those of "
        "`pareto.readings`; `grid` settings vary (c1, c2) with the other options of `grid_reading`.",
        "",
    ]
    for (instance, n_arms, horizon), group in table.groupby(["instance", "K", "T"], sort=False):
        lines.append(f"## {instance}, K = {n_arms}, T = {horizon}")
        lines.append("")
        for row in group[group["reading"] != GRID].itertuples(index=False):
            lines.append(
                f"* {row.reading} (c1 = {row.c1:.3g}, c2 = {row.c2:.3g}): regret ratio {row.regret_ratio:.3f} "
                f"[{row.ratio_low:.3f}, {row.ratio_high:.3f}], lost a Pareto arm in {row.lost_share:.0%} of "
                f"{row.replicates} replicates, same arm as random {row.same_arm_share:.1%}"
            )
        best = group[group["safe_best"]]
        if len(best):
            row = best.iloc[0]
            lines.append(
                f"* safest gain on the grid: c1 = {row.c1:.3g} ({row.c1_over_C_beta:.3g} C_beta), c2 = {row.c2:.3g}: "
                f"regret ratio {row.regret_ratio:.3f} [{row.ratio_low:.3f}, {row.ratio_high:.3f}], no Pareto arm lost"
            )
        else:
            lines.append(
                "* no grid setting had a regret ratio below 1 while keeping every Pareto arm in every replicate"
            )
        lines.append("")
    return "\n".join([*lines, markdown_table(table, "{:.4g}")])
