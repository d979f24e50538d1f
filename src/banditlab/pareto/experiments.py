"""Appendix H experiments of paper 004: one replicate of a grid point -> tidy rows (checks: :mod:`.rows`).

Regret (2) and "the policy's Pareto set"
----------------------------------------
Definition 6 defines the policy Pareto set ``P^pi(X)`` as the non-dominated arms (true means) of
``supp(pi(X))``. We report two metrics, both summed over ``t > t_p`` (eq. (2)), side by side in every
table and figure:

* ``regret_support`` (regret (2) as the paper defines it): ``d_p(P^pi(X_t), P*(X_t))`` with ``supp``
  = the set the policy randomizes over at round t (the refined active set for Algorithm 1, all arms
  for the uniform policy, the played arm at deterministic rounds). It is 0 whenever the support
  contains every Pareto arm, so it only counts Pareto arms missing from the support, and it is
  exactly 0 for the paper's own uniform-random baseline. It is also 0 when the missing Pareto arm is
  not strictly dominated by the support (d_p vanishes between mutually non-dominated sets): with
  the earlier printed line 11 Algorithm 1 missed a Pareto arm in about half the rounds at quick
  scale while its regret (2) was 0 in most replicates, hence ``missing_pareto_share`` below.
* ``regret`` (played-arm gap): ``d_p({mu_{k_t}(X_t)}, P*(X_t))``, the played arm taken as the
  policy's set. Since no Pareto arm is strictly dominated by any arm, this equals
  ``Delta(k_t, P*(X_t))``. The paper compares Algorithm 1 with the uniform-random policy, whose
  regret (2) is 0, so its Figure 3 can only have plotted something like this reading; the trend
  checks use it.

Missing Pareto arms (Lemma 5)
-----------------------------
Lemma 5 states ``P*(X_t) subset A_(h_t, i_t)`` with probability ``1 - delta``: the support of
Algorithm 1 keeps every Pareto arm. ``missing_pareto_share`` is the share of rounds ``t > t_p``
whose support misses at least one arm of ``P*(X_t)``; ``missing_pareto_share_lemma5`` the same share
over the rounds Lemma 5 speaks of (after the forced round-robin phase of lines 4-5, whose support is
the played arm alone; every round for the other policies), ``lemma5_rounds`` its denominator.

Readings and the window
-----------------------
The tree policy runs once per reading of Algorithm 1 declared in the config (``pareto.readings``,
:mod:`.readings`), each row carrying its ``reading`` (``-`` for the other policies). The per-round metrics
(``regret_per_round``, ``regret_support_per_round``, ``missing_pareto_share`` and those of :mod:`.metrics`) are
taken over the window after ``t_p`` *and* after the tree's round-robin phase (:func:`.metrics.window_start`, the
same rounds for every policy of the point); the round-robin rounds after ``t_p`` are reported apart
(``round_robin_after_tp``, ``regret_round_robin``). ``regret`` and ``regret_support`` remain the sums of eq. (2)
over every round after ``t_p``.

Both are exact. The gap is multiplicative and the Appendix H means hit 0, so gaps are computed for
``means + gap_offset`` (``banditlab.pareto`` convention). For the orthant we use the closed form
``Delta(x, F) = max(0, max_q min_m log(q_m / x_m))`` (the maximum over all arms equals the maximum
over the front), vectorized over rounds; tests check it equals :func:`banditlab.pareto.pareto_gap`
and :func:`banditlab.pareto.preference_distance`. Other cones call those functions round by round.
Under strict dominance (Definition 7) an arm dominated only through ties (e.g. both at the clipped 0
of the second objective) has gap 0, so those rounds cost nothing.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd

from .cones import Cone, pareto_gap, pareto_set, preference_distance
from .env import ParetoBanditEnv
from .metrics import lemma5_misses, play_metrics, window_start
from .policies import AdaptiveTreePolicy, UniformRandomPolicy, make_policy
from .protocol import replicate as replicate_of
from .protocol import run_policy
from .readings import check_readings, reading_params

log = logging.getLogger(__name__)

__all__ = ["Truth", "check_pareto_config", "compute_truth", "regret_metrics", "run_replicate", "tidy"]


@dataclass(frozen=True)
class Truth:
    """True Pareto mask (Definition 3) and gaps ``Delta(k, P*(X_t))`` per round, shapes (T, K)."""

    pareto: np.ndarray
    gaps: np.ndarray


def _pareto_mask_batch(means: np.ndarray, cone: Cone) -> np.ndarray:
    """Pareto mask of every row of ``means`` (T, K, M) with the cone's own dominance test."""
    out = np.empty(means.shape[:2], dtype=bool)
    step = max(1, 2_000_000 // (means.shape[1] ** 2 * means.shape[2]))
    for a in range(0, means.shape[0], step):
        block = means[a : a + step]
        dom = cone.dominates(block[:, :, None, :], block[:, None, :, :])  # [t, j, k]: j dominates k
        out[a : a + step] = ~dom.any(axis=1)
    return out


def _orthant_gap_to_sets(logm: np.ndarray, points: np.ndarray, front: np.ndarray) -> np.ndarray:
    """max(0, max_{q in front} min_m (log q_m - log x_m)) for x in ``points``; masks (T, K)."""
    diff = (logm[:, None, :, :] - logm[:, :, None, :]).min(axis=-1)  # [t, k(point), j(front)]
    diff = np.where(front[:, None, :], diff, -np.inf)
    gap = np.maximum(diff.max(axis=-1), 0.0)
    return np.where(points, gap, 0.0)


@numba.njit(cache=True, inline="always")
def _dominates(a, b):  # pragma: no cover - compiled
    """Orthant dominance of mean vectors: ``a >= b`` in every objective and ``a != b`` in one."""
    differ = False
    for m in range(a.shape[0]):
        if a[m] < b[m]:
            return False
        if a[m] != b[m]:
            differ = True
    return differ


@numba.njit(cache=True, nogil=True)
def _orthant_truth_kernel(means, offset, first_gap_row, pareto, gaps):  # pragma: no cover - compiled
    """Orthant Pareto mask (Definition 2.2 dominance) and closed-form gaps, row by row."""
    n_rounds, n_arms, n_obj = means.shape
    logm = np.empty((n_arms, n_obj))
    for t in range(n_rounds):
        for k in range(n_arms):
            dominated = False
            for j in range(n_arms):
                if j != k and _dominates(means[t, j], means[t, k]):
                    dominated = True
                    break
            pareto[t, k] = not dominated
        if t < first_gap_row:
            continue
        for k in range(n_arms):
            for m in range(n_obj):
                logm[k, m] = math.log(means[t, k, m] + offset)
        for k in range(n_arms):
            best = 0.0
            for j in range(n_arms):
                worst = np.inf
                for m in range(n_obj):
                    diff = logm[j, m] - logm[k, m]
                    if diff < worst:
                        worst = diff
                if worst > best:
                    best = worst
            gaps[t, k] = best


@numba.njit(cache=True, nogil=True)
def _orthant_support_kernel(means, offset, support, pstar, out, rows):  # pragma: no cover - compiled
    """d_p(P^pi, P*) under the orthant for rows whose support misses a Pareto arm (closed form).

    ``P^pi`` = non-dominated arms of the support (true means). ``max_{a in P^pi} Delta(a, P*)`` uses
    the maximum over all arms (equal to the maximum over P*); ``max_{b in P*} Delta(b, P^pi)`` the
    maximum over the support (equal to the maximum over P^pi).
    """
    n, n_arms, n_obj = means.shape
    logm = np.empty((n_arms, n_obj))
    front = np.zeros(n_arms, np.bool_)
    for i in range(n):
        for k in range(n_arms):
            for m in range(n_obj):
                logm[k, m] = math.log(means[i, k, m] + offset)
        for k in range(n_arms):
            front[k] = False
            if not support[i, k]:
                continue
            dominated = False
            for j in range(n_arms):
                if j != k and support[i, j] and _dominates(means[i, j], means[i, k]):
                    dominated = True
                    break
            front[k] = not dominated
        dist = 0.0
        for k in range(n_arms):
            if front[k]:  # Delta(k, P*) over all arms
                for j in range(n_arms):
                    worst = np.inf
                    for m in range(n_obj):
                        worst = min(worst, logm[j, m] - logm[k, m])
                    dist = max(dist, worst)
            if pstar[i, k]:  # Delta(k, P^pi) over the support
                for j in range(n_arms):
                    if not support[i, j]:
                        continue
                    worst = np.inf
                    for m in range(n_obj):
                        worst = min(worst, logm[j, m] - logm[k, m])
                    dist = max(dist, worst)
        out[rows[i]] = dist


def compute_truth(means: np.ndarray, cone: Cone, offset: float, rows: slice | None = None) -> Truth:
    """Pareto mask for all rounds and gaps for the rounds in ``rows`` (default: all).

    Orthant: one compiled pass (exact comparisons, closed-form gap); tests check it against
    :func:`banditlab.pareto.pareto_set` and :func:`banditlab.pareto.pareto_gap`. Other cones: the
    package functions round by round.
    """
    rows = slice(0, means.shape[0]) if rows is None else rows
    if cone.is_orthant and rows.step in (None, 1) and (rows.stop is None or rows.stop >= means.shape[0]):
        if float(np.min(means)) + offset <= 0:
            raise ValueError(f"means + gap_offset must be > 0; min mean {float(np.min(means))}, offset {offset}")
        pareto = np.empty(means.shape[:2], dtype=bool)
        gaps = np.zeros(means.shape[:2])
        _orthant_truth_kernel(np.ascontiguousarray(means), float(offset), int(rows.start or 0), pareto, gaps)
        return Truth(pareto=pareto, gaps=gaps)
    pareto = _pareto_mask_batch(means, cone)
    gaps = np.zeros(means.shape[:2])
    if cone.is_orthant:
        logm = np.log(means[rows] + offset)
        step = max(1, 4_000_000 // (means.shape[1] ** 2 * means.shape[2]))
        block_gaps = []
        for a in range(0, logm.shape[0], step):
            lm = logm[a : a + step]
            ones = np.ones(lm.shape[:2], bool)
            block_gaps.append(_orthant_gap_to_sets(lm, ones, ones))
        if block_gaps:
            gaps[rows] = np.concatenate(block_gaps)
    else:
        for t in range(means.shape[0])[rows]:
            gaps[t] = pareto_gap(means[t], cone, offset=offset)
    return Truth(pareto=pareto, gaps=gaps)


def regret_metrics(traj, draw, truth: Truth, cone: Cone, offset: float) -> dict:
    """Per-round regret of eq. (2) after ``t_p`` (played-arm and support readings, module doc).

    Returns ``per_round_played``, ``per_round_support`` (floats), ``per_round_missing`` (the support
    misses a Pareto arm) and ``lemma5_rounds`` (not a forced round-robin round), each of length
    ``T - t_p``.
    """
    tp = draw.t_p
    t_idx = np.arange(tp, draw.horizon)
    played = truth.gaps[t_idx, traj.arms[tp:]]
    support = traj.support[tp:]
    pstar = truth.pareto[tp:]
    missing = (pstar & ~support).any(axis=1)
    supp_regret = np.zeros(t_idx.size)
    rows = np.flatnonzero(missing)
    if rows.size:
        means = draw.means[tp:][rows]
        sup = support[rows]
        if cone.is_orthant:
            _orthant_support_kernel(
                np.ascontiguousarray(means),
                float(offset),
                np.ascontiguousarray(sup),
                np.ascontiguousarray(pstar[rows]),
                supp_regret,
                rows,
            )
        else:
            for i, t in enumerate(rows):
                s = np.flatnonzero(sup[i])
                front_pi = s[pareto_set(means[i][s], cone)]
                supp_regret[t] = preference_distance(means[i][front_pi], means[i][pstar[rows][i]], cone, offset=offset)
    lemma5 = np.ones(t_idx.size, bool) if traj.forced is None else ~np.asarray(traj.forced)[tp:]
    return {
        "per_round_played": played,
        "per_round_support": supp_regret,
        "per_round_missing": missing,
        "lemma5_rounds": lemma5,
    }


def _make_env(point: dict) -> ParetoBanditEnv:
    sigma = point["sigma"]
    dim = point.get("dim", 1)
    if point.get("instance", "printed") not in ("printed", "ramped"):
        raise ValueError(f"instance must be 'printed' or 'ramped', got {point['instance']!r}")
    ramp = float(point.get("ramp_width", 0.05)) if point.get("instance") == "ramped" else 0.0
    if "schedule" in point:
        sched = point["schedules"][point["schedule"]]
        return ParetoBanditEnv.multi_shift(
            n_arms=point["K"],
            nus=tuple(sched["exponents"]),
            change_points=tuple(sched["change_points"]),
            sigma=sigma,
            dim=dim,
        )
    a = point["a"]
    if a < 0:
        return ParetoBanditEnv.power_law(n_arms=point["K"], gamma=-a, t_p=point["t_p"], sigma=sigma, dim=dim)
    return ParetoBanditEnv.appendix_h(n_arms=point["K"], nu=a, t_p=point["t_p"], sigma=sigma, dim=dim, ramp_width=ramp)


DEFAULT_READING = "default"
"""The reading of the tree when the config declares none (``policy_params.adaptive_tree`` alone)."""


def _policies(cfg: dict) -> list[tuple[str, object]]:
    """``(reading, policy)`` per run: the tree once per reading of ``pareto.readings`` (its options over
    ``policy_params.adaptive_tree``), every other policy once with reading ``-``."""
    readings = cfg.get("readings")
    if readings is not None:
        check_readings(readings)
    out = []
    for name in cfg["policies"]:
        params = dict(cfg.get("policy_params", {}).get(name, {}))
        if name == "adaptive_tree":
            make_policy(name, params)  # the base alone must be valid: a reading may not override every key
            for reading, options in (readings or {DEFAULT_READING: {}}).items():
                out.append((reading, make_policy(name, reading_params(params, options))))
        else:
            out.append(("-", make_policy(name, params)))
    return out


def round_robin_rounds(policies, n_arms: int, n_objectives: int, horizon: int) -> int:
    """Rounds of the tree's round-robin phase (lines 4-5, ``t < 8 K log(K L / delta)``), the largest over the tree
    policies run (0 without one)."""
    rounds = [
        min(horizon, math.ceil(policy.constants(n_arms, n_objectives, horizon)["rr_threshold"]) - 1)
        for _, policy in policies
        if isinstance(policy, AdaptiveTreePolicy)
    ]
    return max([0, *rounds])


def _checkpoints(t_p: int, horizon: int, n: int) -> np.ndarray:
    grid = np.unique(np.round(np.geomspace(max(t_p, 1), horizon, n)).astype(int))
    return grid[(grid > t_p) & (grid <= horizon)]


def run_replicate(point: dict, replicate) -> list[dict]:
    """Every policy (the tree once per reading) on one replicate draw of one grid point; tidy rows (one per metric
    value).

    Columns: experiment, point, every parameter (T, t_p, K, a, schedule), policy, reading, replicate, seed,
    metric, t (round the value refers to; T for whole-run metrics), value (:func:`tidy` adds scale and version).

    Metrics at ``t = T`` (one row per replicate and policy): ``regret`` (played-arm gap summed over
    ``t > t_p``), ``regret_support`` (regret (2) with Definition 6), ``regret_per_round`` and
    ``regret_support_per_round`` (their means over the window: after ``t_p`` and the round robin),
    ``window_rounds``, ``round_robin_after_tp``, ``regret_round_robin`` (module doc), ``missing_pareto_share``
    (window), ``missing_pareto_share_lemma5``, ``lemma5_rounds``, ``dominated_share``, ``weak_gap``,
    ``same_arm_share`` (against uniform random, when it runs; :mod:`.metrics`), ``max_depth``, ``n_leaves``,
    ``mean_support``, and for the tree policies ``c1`` and ``c2`` (the constants of eq. (5) used) and Lemma 5's
    ``lemma5_missed``, ``lemma5_missed_straddling``, ``lemma5_missed_elsewhere``, ``lemma5_miss_share``,
    ``mean_active`` (:func:`.metrics.lemma5_misses`). At each checkpoint ``t``: ``cum_regret``,
    ``cum_regret_support``, ``missing_pareto_share_so_far`` (share over ``t_p < s <= t``), ``depth_so_far``,
    ``leaves``.
    """
    env = _make_env(point)
    horizon = point["T"]
    cone = Cone.orthant(2)
    offset = float(point["gap_offset"])
    policies = _policies(point)
    checks = _checkpoints(env.t_p, horizon, int(point["checkpoints"]))
    params = {
        "T": horizon,
        "t_p": env.t_p,
        "K": point["K"],
        "a": point.get("a", np.nan),
        "schedule": point.get("schedule", "single"),
    }
    rows = []
    draw = env.draw(horizon, replicate.rng)
    truth = compute_truth(draw.means, cone, offset, rows=slice(env.t_p, horizon))
    spec, stream = replicate_of(draw, cone)  # what the policies may know and what they observe
    n_rr = round_robin_rounds(policies, spec.n_arms, spec.n_objectives, horizon)
    start = window_start(env.t_p, n_rr)
    log_means = np.log(draw.means[start:] + offset)
    comparator = None
    if any(policy.name == "uniform_random" for _, policy in policies):  # the degeneracy guard's comparator
        comparator = run_policy(UniformRandomPolicy(), spec, stream, replicate.child("uniform_random")).arms.copy()
    for reading, policy in policies:
        # the runner keeps the truth; only the oracle gets the Pareto mask (protocol module doc)
        traj = run_policy(policy, spec, stream, replicate.child(policy.name), pareto=truth.pareto)
        reg = regret_metrics(traj, draw, truth, cone, offset)
        base = {
            "experiment": replicate.experiment,
            "point": replicate.label,
            **params,
            "policy": policy.name,
            "reading": reading,
            "replicate": replicate.index,
            "seed": replicate.seed,
        }
        inside = slice(start - env.t_p, None)  # the window, in the arrays of the rounds after t_p
        played, supp = reg["per_round_played"], reg["per_round_support"]
        missing, lemma5 = reg["per_round_missing"], reg["lemma5_rounds"]
        n_lemma5 = int(lemma5.sum())
        n_window = horizon - start
        scalar = {
            "regret": played.sum(),
            "regret_support": supp.sum(),
            "regret_per_round": played[inside].sum() / n_window,
            "regret_support_per_round": supp[inside].sum() / n_window,
            "window_rounds": n_window,
            "round_robin_after_tp": start - env.t_p,
            "regret_round_robin": played[: start - env.t_p].sum(),
            "missing_pareto_share": missing[inside].mean(),
            # no round after the forced phase: nothing Lemma 5 could be wrong about, share 0
            "missing_pareto_share_lemma5": missing[lemma5].mean() if n_lemma5 else 0.0,
            "lemma5_rounds": n_lemma5,
            **play_metrics(traj.arms, truth, log_means, start, comparator),
            "max_depth": traj.depth.max(),
            "n_leaves": traj.n_leaves[-1],
            "mean_support": traj.support[env.t_p :].sum(axis=1).mean(),
        }
        if hasattr(policy, "bias_constant"):
            diagnostics = policy.diagnostics()
            scalar["c1"], scalar["c2"] = diagnostics["c1"], diagnostics["c2"]
            n_forced = int(np.count_nonzero(traj.forced))
            scalar.update(
                lemma5_misses(diagnostics["active"], truth.pareto, n_forced, draw.contexts, traj.depth, env.ramp_width)
            )
        for metric, value in scalar.items():
            rows.append({**base, "metric": metric, "t": horizon, "value": float(value)})
        cum = np.cumsum(played)
        cum_s = np.cumsum(supp)
        cum_miss = np.cumsum(missing)
        running_depth = np.maximum.accumulate(traj.depth)
        for c in checks:
            i = c - env.t_p - 1
            rows.append({**base, "metric": "cum_regret", "t": int(c), "value": float(cum[i])})
            rows.append({**base, "metric": "cum_regret_support", "t": int(c), "value": float(cum_s[i])})
            share = float(cum_miss[i] / (i + 1))
            rows.append({**base, "metric": "missing_pareto_share_so_far", "t": int(c), "value": share})
            rows.append({**base, "metric": "depth_so_far", "t": int(c), "value": float(running_depth[c - 1])})
            rows.append({**base, "metric": "leaves", "t": int(c), "value": float(traj.n_leaves[c - 1])})
    return rows


def tidy(records: list[dict], point: dict, grid: dict, stamps: dict) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The point's table: the rows with the scale after the seed and the package version last (``a`` is NaN for
    the shift schedules, ``level`` for the policies of Lemma 7's experiment that keep no fixed level, ``c1`` and ``c2``
    for random's rows of the frontier; the workflow adds the config hash at the table stage)."""
    frame = pd.DataFrame(records)
    frame.insert(frame.columns.get_loc("seed") + 1, "scale", stamps["scale"])
    frame["banditlab_version"] = stamps["banditlab_version"]
    return frame, ("a", "level", "c1", "c2")


def check_pareto_config(cfg: dict) -> None:
    """Fail fast (before any job) on grid values the schema cannot express: ``t_p < T``, valid
    schedules, policy hyperparameters and readings."""
    from ..study import points
    from .study import STUDY

    try:
        _policies(cfg)
    except ValueError as error:
        raise ValueError(f"pareto: {error}") from error
    for experiment in cfg["experiments"]:
        for point in points(STUDY, cfg, experiment):
            where = f"pareto.experiments.{experiment} (point {point.label})"
            if "schedule" in point.values:
                where = f"pareto.experiments.{experiment}.schedules.{point.values['schedule']}"
            try:
                env = _make_env(point.values)
            except (ValueError, KeyError) as error:
                raise ValueError(f"{where}: {error}") from error
            if env.t_p >= point.values["T"]:
                raise ValueError(f"{where}: change point t_p={env.t_p} must be < T={point.values['T']}")
            if experiment == "frontier":
                from .frontier import frontier_settings

                if "readings" not in point.values:
                    raise ValueError(f"{where}: the frontier needs pareto.readings (its grid_reading is one of them)")
                frontier_settings(point.values)


def cost_features(point) -> tuple[float, ...]:
    """Work of one point job (:mod:`banditlab.cost`): a fixed cost and ``reps x runs x T x K`` (one pass over the
    horizon per run: every policy, the tree once per reading, the frontier's settings)."""
    values = point.values
    if "T" not in values or "K" not in values:
        return (1.0, 0.0)  # an experiment of a user's own: its fixed cost only
    if "depths" in values:  # levels (Lemma 7): the tree, every fixed level and random
        runs = len(values["depths"]) + 2
    elif "c1_grid" in values:  # the frontier: random, the readings and every (c1, c2) of its grid
        runs = 1 + len(values.get("readings") or {}) + len(values["c1_grid"]) * len(values["c2_grid"])
    else:
        runs = len(values["policies"]) + max(0, len(values.get("readings") or {}) - 1)
    return (1.0, point.replicates * runs * int(values["T"]) * int(values["K"]))
