"""Reference implementations used only by the tests and the benchmarks.

Each is the straightforward implementation of an algorithm (one round at a time, in plain Python, or a direct
optimisation problem) that a vectorised or compiled function of the package must match. None is used by the
studies.
"""

from __future__ import annotations

import math

import numpy as np

from .pareto.cones import Cone, _as_points, _check_cone, _pareto_mask, _shift_positive, _strictly_dominated
from .pareto.protocol import Trajectory

# --------------------------------------------------------------------------------------------------------
# Paper 000 (Xu & Bastani): RMBandit, Algorithm 2, one arrival at a time
# --------------------------------------------------------------------------------------------------------


def run_rmbandit_loop(policy, problem, stream, rng: np.random.Generator) -> np.ndarray:
    """Per-step implementation of Algorithm 2 for a :class:`~banditlab.bandits.RMBandit`; the pulled arms (T,).

    One arrival at a time: a Python-level decision, a rank-one Gram update, the batch checks. It shares
    only the estimator fit (:meth:`~banditlab.bandits.RMBandit._fit`) with the vectorised policy, which
    :func:`banditlab.agents.simulate` must run to the same arms.
    """
    T = stream.T
    policy.reset(problem, T, rng)
    K, h = policy.K_, policy.hp_.h
    arms = np.empty(T, dtype=np.int64)
    for t in range(T):
        j, x = int(stream.Z[t]), stream.X[t]
        if t < policy.b0_:
            k = int(policy.arrivals_[j] % K)
        else:
            s0 = policy.forced_coef_[j] @ x
            s1 = policy.allsample_coef_[j] @ x
            s1[s0 < s0.max() - h / 2] = -np.inf
            k = int(np.argmax(s1))
        arms[t] = k
        y = stream.mean_rewards[t, k] + stream.noise[t]
        policy.arrivals_[j] += 1
        policy.batch_arrivals_[j] += 1
        policy.stats_.add_one(j, k, x, y)
        policy._close_batch(t + 1)
    return arms


__all__ = ["run_rmbandit_loop"]


# --------------------------------------------------------------------------------------------------------
# Paper 004 (Shukla & Kumar): the gap of Definition 7 as a MILP
# --------------------------------------------------------------------------------------------------------


def gap_to_front_milp(points, front, cone: Cone, *, offset: float = 0.0, s_max: float = 1e3) -> np.ndarray:
    """Direct per-arm formulation of Definition 7 solved with ``scipy.optimize.milp`` (HiGHS).

    Independent of the corner/dual construction used by :func:`gap_to_front`; used only as the
    reference of :func:`banditlab.pareto.gap_to_front` in the tests and in ``benchmarks/bench_pareto.py``. Per
    arm ``x``: minimize ``s`` over
    ``eps in [1, s_max]^M``, ``s`` and binaries ``z[q, i]`` with ``eps_m <= s``, ``sum_i z[q, i] >= 1``
    and ``(A (x * eps))_i - (A q)_i >= -B (1 - z[q, i])`` (the disjunction "escape q through facet i";
    a single facet suffices to leave the open cone ``q - int C``). The disjunction makes this a MILP:
    no single LP expresses Definition 7 for a general cone. Returns ``log s``.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    cone = _check_cone(cone)
    pts = _shift_positive(_as_points(points, "points", cone.dim), offset, "points")
    fr = _shift_positive(_as_points(front, "front", cone.dim), offset, "front")
    fr = fr[_pareto_mask(fr, cone)]
    A = cone.inverse
    M = cone.dim
    n = fr.shape[0]
    out = np.zeros(pts.shape[0])
    todo = _strictly_dominated(pts, fr, cone)
    Uq = fr @ A.T  # (n, M)
    for k in np.flatnonzero(todo):
        x = pts[k]
        G = A * x[None, :]  # (A diag(x))
        big = np.abs(G).sum(axis=1) * s_max + np.abs(Uq).max(axis=0) + 1.0  # per facet
        nv = M + 1 + n * M
        c = np.zeros(nv)
        c[M] = 1.0
        rows, lo, hi = [], [], []
        for m in range(M):  # eps_m - s <= 0
            r = np.zeros(nv)
            r[m], r[M] = 1.0, -1.0
            rows.append(r), lo.append(-np.inf), hi.append(0.0)
        for q in range(n):
            r = np.zeros(nv)
            r[M + 1 + q * M : M + 1 + (q + 1) * M] = 1.0
            rows.append(r), lo.append(1.0), hi.append(np.inf)
            for i in range(M):  # G_i eps - B z >= Uq_i - B
                r = np.zeros(nv)
                r[:M] = G[i]
                r[M + 1 + q * M + i] = -big[i]
                rows.append(r), lo.append(Uq[q, i] - big[i]), hi.append(np.inf)
        integrality = np.r_[np.zeros(M + 1), np.ones(n * M)]
        bounds = Bounds(np.r_[np.ones(M + 1), np.zeros(n * M)], np.r_[np.full(M + 1, s_max), np.ones(n * M)])
        res = milp(
            c,
            constraints=LinearConstraint(np.array(rows), lo, hi),
            integrality=integrality,
            bounds=bounds,
            options={"mip_rel_gap": 1e-12},
        )
        out[k] = np.log(res.x[M]) if res.success else np.inf
    return out


# --------------------------------------------------------------------------------------------------
# paper 004 (banditlab.pareto): Algorithm 1 and the scalarized UCB, plain Python, one round at a time
# --------------------------------------------------------------------------------------------------


def reference_tree(policy, spec, stream, diagnostics: bool = False):
    """Algorithm 1 (:class:`~banditlab.pareto.policies.AdaptiveTreePolicy`, or the fixed partition of
    :class:`~banditlab.pareto.policies.FixedPartitionPolicy`) as a per-round Python loop over a dict tree.

    Reads the problem only through ``spec`` and the stream's ``contexts`` and ``rewards`` of the
    played arm; returns a :class:`~banditlab.pareto.protocol.Trajectory`, and with ``diagnostics`` also the
    dict of :meth:`~banditlab.pareto.policies.AdaptiveTreePolicy.diagnostics` (``boxes`` always filled).
    """
    horizon, n_arms, n_obj = stream.T, spec.n_arms, spec.n_objectives
    contexts, uniform = stream.contexts(0, horizon)
    dim = contexts.shape[1]
    ineq = spec.inequalities
    row_l1 = np.abs(ineq).sum(axis=1)
    const = policy.constants(n_arms, n_obj, horizon)
    fixed_depth = policy._fixed_depth
    split_rule = policy.split_on
    beta, c1, c2 = policy.beta, policy.bias_constant(spec), policy.confidence_constant(spec, horizon)
    split_scale = c1 if policy.split_test == "bias" else 1.0  # line 14 against V_h^beta or c1 V_h^beta
    observed = np.zeros((horizon, n_obj))  # the reward vector seen at each round

    def new_node(level, parent=None):
        node = {
            "level": level,
            "children": None,
            "counts": np.zeros(n_arms, int),
            "sums": np.zeros((n_arms, n_obj)),
            "n": 0,
            "rounds": [],  # rounds whose context lies in the bin (inherit="bin")
            "active": np.ones(n_arms, bool),
        }
        if parent is not None:
            node["active"] = parent["active"].copy()
            if policy.inherit == "parent":
                node["counts"] = parent["counts"].copy()
                node["sums"] = parent["sums"].copy()
                node["n"] = parent["n"]
        return node

    def child_index(x, level):
        cells = np.minimum((x * 2**level).astype(int), 2**level - 1)
        return int(sum(((c & 1) << j) for j, c in enumerate(cells)))

    def split(node):
        node["children"] = [new_node(node["level"] + 1, node) for _ in range(2**dim)]
        if policy.inherit == "bin":  # eqs. (3)-(4): the parent's rounds inside each child, in order
            for s in node["rounds"]:
                child = node["children"][child_index(contexts[s], node["level"] + 1)]
                child["rounds"].append(s)
                child["counts"][arms[s]] += 1
                child["n"] += 1
                for m in range(n_obj):  # one addition at a time, in the compiled kernel's order
                    child["sums"][arms[s], m] += observed[s, m]
            node["rounds"] = []

    root = new_node(0)
    n_leaves = 1
    if fixed_depth > 0:
        frontier = [root]
        for _ in range(fixed_depth):
            nxt = []
            for node in frontier:
                node["children"] = [new_node(node["level"] + 1) for _ in range(2**dim)]
                nxt.extend(node["children"])
            frontier = nxt
        n_leaves = len(frontier)

    def strictly(y, x):
        return bool(np.all(ineq @ (y - x) > 0))

    def confidently(mu_j, mu_k, width):
        for r in range(ineq.shape[0]):
            total = 0.0
            for m in range(n_obj):  # summed in the compiled kernel's order
                total += ineq[r, m] * (mu_j[m] - mu_k[m])
            if not total > width * row_l1[r]:
                return False
        return True

    arms = np.empty(horizon, int)
    support = np.zeros((horizon, n_arms), bool)
    active_hist = np.zeros((horizon, n_arms), bool)
    bin_count = np.full(horizon, -1)
    min_count = np.full(horizon, -1)
    boxes = np.full((horizon, n_arms, n_obj + 1), np.nan)
    depth = np.zeros(horizon, int)
    leaves = np.zeros(horizon, int)
    for t0 in range(horizon):
        t = t0 + 1
        x = contexts[t0]
        node, h = root, 0
        while node["children"] is not None:
            node = node["children"][child_index(x, h + 1)]
            h += 1
        if t < const["rr_threshold"]:
            arm = t % n_arms
            support[t0, arm] = True
            active_hist[t0] = node["active"]
        else:
            act = np.flatnonzero(node["active"])
            cnt = node["counts"][act]
            bin_count[t0], min_count[t0] = node["n"], cnt.min()
            sampled = cnt > 0
            mu = node["sums"][act] / np.maximum(cnt, 1)[:, None]
            ubar = c1 * (0.5**h) ** beta + c2 * np.sqrt(const["ucb_log"] / np.maximum(cnt, 1))
            boxes[t0, act[sampled], :n_obj] = mu[sampled]
            boxes[t0, act[sampled], n_obj] = ubar[sampled]
            # line 10 (an unsampled arm has an infinite UCB: then P_hat is the unsampled arms)
            ucb = np.where(sampled[:, None], mu + ubar[:, None], np.inf)
            if np.all(sampled):
                front = [not any(strictly(ucb[j], ucb[i]) for j in range(len(act)) if j != i) for i in range(len(act))]
            else:
                front = list(~sampled)
            front_arms = act[np.asarray(front, bool)]
            if np.all(cnt > 0):
                keep = []
                for i in range(len(act)):
                    if policy.elimination == "printed":
                        ok = front[i] or any(
                            front[j] and np.all(ineq @ ((ubar[i] + ubar[j]) - np.abs(mu[i] - mu[j])) >= 0)
                            for j in range(len(act))
                        )
                    else:
                        rivals = [j for j in range(len(act)) if j != i]
                        if policy.elimination == "lemma5":
                            rivals = [j for j in rivals if front[j]]
                        ok = not any(confidently(mu[j], mu[i], ubar[j] + ubar[i]) for j in rivals)
                    keep.append(ok)
                node["active"][act[~np.asarray(keep)]] = False
            active_hist[t0] = node["active"]
            act = np.flatnonzero(node["active"])
            if policy.play_from == "front":  # line 12 as the text reads it: uniform over P_hat
                assert set(front_arms) <= set(act)  # line 11 keeps every arm of P_hat
                act = front_arms
            support[t0, act] = True
            arm = int(act[min(int(uniform[t0] * len(act)), len(act) - 1)])
        arms[t0] = arm
        observed[t0] = stream.rewards(t0, np.array([arm]))[0]
        node["counts"][arm] += 1
        node["n"] += 1
        for m in range(n_obj):
            node["sums"][arm, m] += observed[t0, m]
        if policy.inherit == "bin":
            node["rounds"].append(t0)
        depth[t0] = h
        if fixed_depth < 0 and t >= const["rr_threshold"] and h < policy.max_depth:
            if split_rule == "bin":
                n_split = node["n"]
            elif split_rule == "played_arm":
                n_split = node["counts"][arm]
            else:
                n_split = node["counts"][node["active"]].min()
            if n_split > 0 and math.sqrt(const["split_const"] / n_split) < split_scale * (0.5**h) ** beta:
                split(node)
                n_leaves += 2**dim - 1
        leaves[t0] = n_leaves
    forced = np.arange(1, horizon + 1) < const["rr_threshold"]
    traj = Trajectory(arms=arms, support=support, depth=depth, n_leaves=leaves, forced=forced)
    if not diagnostics:
        return traj
    extra = {"active": active_hist, "bin_count": bin_count, "min_count": min_count, "boxes": boxes, "c1": c1, "c2": c2}
    return traj, extra


def reference_scalarized_ucb(policy, spec, stream) -> np.ndarray:
    """The scalarized UCB1 baseline (:class:`~banditlab.pareto.policies.ScalarizedUCBPolicy`) with a dict
    of grid cells, one round at a time; returns the played arms."""
    horizon, n_arms, n_obj = stream.T, spec.n_arms, spec.n_objectives
    contexts, _ = stream.contexts(0, horizon)
    weights = np.full(n_obj, 1.0 / n_obj) if policy.weights is None else np.asarray(policy.weights)
    side = 2**policy.depth
    stats: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    arms = np.empty(horizon, int)
    for t in range(horizon):
        cell = tuple(np.minimum((contexts[t] * side).astype(int), side - 1))
        counts, sums = stats.setdefault(cell, (np.zeros(n_arms, int), np.zeros(n_arms)))
        unplayed = np.flatnonzero(counts == 0)
        if unplayed.size:
            arm = int(unplayed[0])
        else:
            scores = sums / counts + policy.bonus * np.sqrt(2 * math.log(counts.sum()) / counts)
            arm = int(np.argmax(scores))
        reward = stream.rewards(t, np.array([arm]))[0]
        counts[arm] += 1
        sums[arm] += sum(weights[m] * reward[m] for m in range(n_obj))
        arms[t] = arm
    return arms


def reference_pareto_ucb(policy, spec, stream):
    """Pareto UCB1 per grid cell (:class:`~banditlab.pareto.pareto_ucb.ParetoUCBPolicy`) with a dict of cells, one
        round at a time, in plain Python; returns a :class:`~banditlab.pareto.protocol.Trajectory`.

        Each arm once per cell, then the index ``mu_hat_k + bonus sqrt(2 ln(n (D K)^(1/4)) / n_k)`` per objective,
        the arms whose index vector no other's dominates under the cone (``A (v - u) >= 0`` up to the relative tolerance
    1e-12 of :class:`~banditlab.pareto.Cone`, and ``v != u``), and the
        ``floor(U_t |A'|)``-th of them. Reads the problem only through ``spec`` and the stream.
    """
    horizon, n_arms, n_obj = stream.T, spec.n_arms, spec.n_objectives
    contexts, uniform = stream.contexts(0, horizon)
    ineq = spec.inequalities
    side = 2**policy.depth
    log_dk = 0.25 * math.log(n_obj * n_arms)

    def dominates(v, w):
        for r in range(ineq.shape[0]):
            total = scale = 0.0
            for m in range(n_obj):  # summed in the compiled kernel's order
                total += ineq[r, m] * (v[m] - w[m])
                scale += abs(ineq[r, m]) * (abs(v[m]) + abs(w[m]))
            if total < -1e-12 * scale:  # the relative tolerance of banditlab.pareto.Cone
                return False
        return any(v[m] != w[m] for m in range(n_obj))

    stats: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
    arms = np.empty(horizon, int)
    support = np.zeros((horizon, n_arms), bool)
    for t in range(horizon):
        cell = tuple(np.minimum((contexts[t] * side).astype(int), side - 1))
        counts, sums = stats.setdefault(cell, (np.zeros(n_arms, int), np.zeros((n_arms, n_obj))))
        unplayed = np.flatnonzero(counts == 0)
        if unplayed.size:
            arm = int(unplayed[0])
            support[t, arm] = True
        else:
            log_term = math.log(int(counts.sum())) + log_dk
            ucb = [
                [sums[k, m] / counts[k] + policy.bonus * math.sqrt(2.0 * log_term / counts[k]) for m in range(n_obj)]
                for k in range(n_arms)
            ]
            front = [k for k in range(n_arms) if not any(dominates(ucb[j], ucb[k]) for j in range(n_arms) if j != k)]
            support[t, front] = True
            arm = front[min(int(uniform[t] * len(front)), len(front) - 1)]
        reward = stream.rewards(t, np.array([arm]))[0]
        counts[arm] += 1
        for m in range(n_obj):
            sums[arm, m] += reward[m]
        arms[t] = arm
    n_bins = side ** contexts.shape[1]
    return Trajectory(
        arms=arms,
        support=support,
        depth=np.full(horizon, policy.depth),
        n_leaves=np.full(horizon, n_bins),
    )
