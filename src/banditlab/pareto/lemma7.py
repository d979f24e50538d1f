"""Lemma 7 of paper 004 (Appendix F, lines 828-836): the adaptive tree against every fixed level of its partition.

Lemma 7 says that the level ``h_t`` Algorithm 1's split rule selects has a bias-plus-sampling error ``Psi(h_t)`` no
larger than that of the oracle level ``h*_t`` (line 828: "this doesn't incur an error larger than the oracle level"),
``Psi(h*_t) <= c1 V_{h*}^beta + c2 sqrt(2 log(KL/delta) / max{t_p P(T_h*), tau Q(T_h*)})``. We test its consequence
for the regret: the tree's regret is at most that of the best fixed level of the same dyadic tree.

:func:`run_levels` (experiment ``levels``) plays, on one replicate draw of the Appendix H instance, Algorithm 1
(``policy_params.adaptive_tree``), :class:`~.policies.FixedPartitionPolicy` at every depth of ``depths`` (the same
elimination and constants, ``policy_params.fixed_partition`` but the depth; policy ``fixed_partition_d<h>``) and the
uniform-random policy: all on the same contexts, rewards and uniforms (paired). A point's ``c1`` (a grid axis of
the experiment), when given, is the bias constant of eq. (5) of the tree and of every fixed level; omitted, both
take the instance's Lipschitz constant (4, ``C_beta``). Each row also records the
instance's facts the premises of :func:`lemma7_premises` read: the number and size of the jumps of the means
(:meth:`~.env.ParetoBanditEnv.discontinuities`) and its Lipschitz constant.

:func:`level_summary` reduces the ``levels`` table to one comparison per point: the best fixed level (the smallest
mean per-round regret after t_p over the replicates: an oracle choice, as ``h*`` is), the ratio of the tree's mean
regret to it with a paired standard error, and the share of rounds after t_p in which the two played the same arm
(a policy that plays like its comparator gives no statistical result: :data:`SAME_PLAY`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..verdicts import Premise

__all__ = ["SAME_PLAY", "TREE", "RANDOM", "level_summary", "lemma7_premises", "run_levels"]

TREE, RANDOM, FIXED = "adaptive_tree", "uniform_random", "fixed_partition"
SAME_PLAY = 0.99
"""A policy that plays the same arm as its comparator in at least this share of the rounds after t_p plays like it:
the comparison is then an identity under this reading, not a statistical result."""


def _fixed_name(depth: int) -> str:
    return f"{FIXED}_d{int(depth)}"


def run_levels(point: dict, replicate) -> list[dict]:
    """Algorithm 1, the fixed partition at every depth of ``point["depths"]`` and uniform random on one replicate draw.

    Rows (tidy, one per policy and metric): ``regret_per_round`` (played-arm reading of eq. (2) per round after
    t_p), ``missing_pareto_share_lemma5``, ``mean_support``, ``max_depth``, ``same_arm_as_tree`` and
    ``same_arm_as_random`` (share of the rounds after t_p in which the policy played the tree's, or uniform
    random's, arm); columns ``level`` (the fixed depth, NaN otherwise), ``jumps``, ``max_jump`` and ``lipschitz``
    (the instance) and ``c1`` (the tree's bias constant).
    """
    from .cones import Cone  # imported here: the claims catalogue reads this module's premises without the kernels
    from .experiments import _make_env, compute_truth, regret_metrics
    from .policies import make_policy
    from .protocol import replicate as replicate_of
    from .protocol import run_policy

    env = _make_env(point)
    horizon, t_p = int(point["T"]), env.t_p
    cone = Cone.orthant(2)
    offset = float(point["gap_offset"])
    params = point.get("policy_params", {})
    override = {} if point.get("c1") is None else {"c1": float(point["c1"])}
    tree_params = {**params.get(TREE, {}), **override}
    fixed_params = {key: value for key, value in {**params.get(FIXED, {}), **override}.items() if key != "depth"}
    policies = [(TREE, np.nan, make_policy(TREE, tree_params))]
    policies += [(_fixed_name(h), int(h), make_policy(FIXED, {**fixed_params, "depth": h})) for h in point["depths"]]
    policies.append((RANDOM, np.nan, make_policy(RANDOM)))
    draw = env.draw(horizon, replicate.rng)
    truth = compute_truth(draw.means, cone, offset, rows=slice(t_p, horizon))
    spec, stream = replicate_of(draw, cone)
    jumps = env.discontinuities()
    base = {
        "experiment": replicate.experiment,
        "point": replicate.label,
        "T": horizon,
        "t_p": t_p,
        "K": point["K"],
        "a": point["a"],
        "replicate": replicate.index,
        "seed": replicate.seed,
        "jumps": len(jumps),
        "max_jump": max((size for _, _, size in jumps), default=0.0),
        "lipschitz": np.nan if draw.lipschitz is None else float(draw.lipschitz),
    }
    results, c1 = [], np.nan
    for name, depth, policy in policies:
        trajectory = run_policy(policy, spec, stream, replicate.child(name))
        metrics = regret_metrics(trajectory, draw, truth, cone, offset)
        if name == TREE:
            c1 = policy.bias_constant(spec)
        results.append((name, depth, trajectory, metrics))
    played = {name: trajectory.arms[t_p:] for name, _, trajectory, _ in results}
    rows = []
    for name, depth, trajectory, metrics in results:
        lemma5 = metrics["lemma5_rounds"]
        values = {
            "regret_per_round": metrics["per_round_played"].mean(),
            "missing_pareto_share_lemma5": metrics["per_round_missing"][lemma5].mean() if lemma5.any() else 0.0,
            "mean_support": trajectory.support[t_p:].sum(axis=1).mean(),
            "max_depth": trajectory.depth.max(),
            "same_arm_as_tree": np.mean(played[name] == played[TREE]),
            "same_arm_as_random": np.mean(played[name] == played[RANDOM]),
        }
        for metric, value in values.items():
            rows.append(
                {
                    **base,
                    "policy": name,
                    "level": depth,
                    "c1": c1,
                    "metric": metric,
                    "t": horizon,
                    "value": float(value),
                }
            )
    return rows


def level_summary(levels: pd.DataFrame) -> pd.DataFrame:
    """One row per point of the ``levels`` table: the best fixed level and the tree's and random's comparison to it.

    Columns: ``point, T, t_p, K, a, jumps, max_jump, lipschitz, c1, replicates, best_level``, then for
    ``who`` in (``tree``, ``random``): ``{who}_ratio`` (mean regret / the best fixed level's, NaN when the latter is
    0), ``{who}_se`` (paired delta-method standard error: the standard deviation of ``r_i - ratio f_i`` over
    replicates divided by ``sqrt(n)`` times the best level's mean), ``{who}_same_arm`` (share of rounds after t_p in
    which it played the best level's arm: the best level's ``same_arm_as_tree`` or ``same_arm_as_random``).
    """
    regret = levels[levels["metric"] == "regret_per_round"]
    out = []
    for point, frame in regret.groupby("point", sort=True):
        wide = frame.pivot_table(index="replicate", columns="policy", values="value")
        fixed = [column for column in wide.columns if column.startswith(f"{FIXED}_d")]
        if TREE not in wide or RANDOM not in wide or not fixed:
            continue
        best = min(fixed, key=lambda column: (wide[column].mean(), int(column.rsplit("_d", 1)[1])))
        first = frame.iloc[0]
        row = {key: first[key] for key in ("point", "T", "t_p", "K", "a", "jumps", "max_jump", "lipschitz", "c1")}
        row.update({"replicates": len(wide), "best_level": int(best.rsplit("_d", 1)[1])})
        best_rows = levels[(levels["point"] == point) & (levels["policy"] == best)]
        f = wide[best].to_numpy()
        for who, column in (("tree", TREE), ("random", RANDOM)):
            r = wide[column].to_numpy()
            ratio = r.mean() / f.mean() if f.mean() > 0 else np.nan
            se = np.std(r - ratio * f, ddof=1) / (math.sqrt(len(r)) * f.mean()) if f.mean() > 0 else np.nan
            same = best_rows.loc[best_rows["metric"] == f"same_arm_as_{'tree' if who == 'tree' else 'random'}", "value"]
            row.update({f"{who}_ratio": ratio, f"{who}_se": se, f"{who}_same_arm": float(same.mean())})
        out.append(row)
    return pd.DataFrame(out)


def lemma7_premises(point) -> list[Premise]:
    """Lemma 7's premises on one instance (``point``: a row of :func:`level_summary`).

    * Assumption 1 (line 173), which Lemma 2 (lines 618-650, the error bound ``Psi`` compares) needs: the means are
      Hölder in the context; not met when they jump (``jumps > 0``);
    * Lemma 2's bias term (line 642) needs ``c1 >= C_beta``;
    * the Chernoff step of Lemma 7's proof (line 843), ``exp(-E[n_{h*}] / 8) <= delta`` with ``delta = 1/T``: the
      best level's bin holds ``E[n_{h*}] >= (T - t_p) 2^(-h*) >= 8 log T`` contexts (Q uniform on [0, 1]).
    """
    jumps, size = int(point["jumps"]), float(point["max_jump"])
    c1, lipschitz = float(point["c1"]), float(point["lipschitz"])
    expected = (int(point["T"]) - int(point["t_p"])) * 2.0 ** -int(point["best_level"])
    needed = 8 * math.log(int(point["T"]))
    return [
        Premise(
            "Assumption 1: the means are Hölder in the context",
            jumps == 0,
            f"the means jump by up to {size:g} at {jumps} points of [0, 1]" if jumps else "no jump",
            "line 173",
        ),
        Premise("Lemma 2: c1 >= C_beta", c1 >= lipschitz, f"c1 = {c1:g}, C_beta = {lipschitz:g}", "line 642"),
        Premise(
            "Lemma 7's Chernoff step: (T - t_p) 2^-h* >= 8 log T",
            expected >= needed,
            f"(T - t_p) 2^-h* = {expected:.4g}, 8 log T = {needed:.4g} (h* = {int(point['best_level'])})",
            "line 843",
        ),
    ]
