"""Reference loops used only by tests and benchmarks.

Each is the straightforward one-round-at-a-time implementation of a policy that the package runs in
a faster form (compiled, vectorized, batched); tests check that both make the same decisions and the
benchmarks time one against the other. No module of the package imports this one.
"""

from __future__ import annotations

import math

import numpy as np

from .pareto.protocol import Trajectory

__all__ = ["reference_tree", "reference_scalarized_ucb"]


# --------------------------------------------------------------------------------------------------
# paper 004 (banditlab.pareto): Algorithm 1 and the scalarized UCB, plain Python, one round at a time
# --------------------------------------------------------------------------------------------------


def reference_tree(policy, spec, stream):
    """Algorithm 1 (:class:`~banditlab.pareto.policies.AdaptiveTreePolicy`, or the fixed partition of
    :class:`~banditlab.pareto.policies.FixedPartitionPolicy`) as a per-round Python loop over a dict tree.

    Reads the problem only through ``spec`` and the stream's ``contexts`` and ``rewards`` of the
    played arm; returns a :class:`~banditlab.pareto.protocol.Trajectory`.
    """
    horizon, n_arms, n_obj = stream.T, spec.n_arms, spec.n_objectives
    contexts, uniform = stream.contexts(0, horizon)
    dim = contexts.shape[1]
    ineq = spec.inequalities
    row_l1 = np.abs(ineq).sum(axis=1)
    const = policy.constants(n_arms, n_obj, horizon)
    fixed_depth = policy._fixed_depth
    split_rule = policy.split_on
    beta, c1, c2 = policy.beta, policy.bias_constant(spec), policy.c2
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
        else:
            act = np.flatnonzero(node["active"])
            cnt = node["counts"][act]
            if np.all(cnt > 0):
                mu = node["sums"][act] / cnt[:, None]
                ubar = c1 * (0.5**h) ** beta + c2 * np.sqrt(const["ucb_log"] / cnt)
                ucb = mu + ubar[:, None]
                front = [not any(strictly(ucb[j], ucb[i]) for j in range(len(act)) if j != i) for i in range(len(act))]
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
            act = np.flatnonzero(node["active"])
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
            if n_split > 0 and math.sqrt(const["split_const"] / n_split) < (0.5**h) ** beta:
                split(node)
                n_leaves += 2**dim - 1
        leaves[t0] = n_leaves
    forced = np.arange(1, horizon + 1) < const["rr_threshold"]
    return Trajectory(arms=arms, support=support, depth=depth, n_leaves=leaves, forced=forced)


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
