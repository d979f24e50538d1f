"""Benchmark: one Appendix H replicate (T = 5e4, K = 10) per policy, compiled vs per-round reference.

For each policy the compiled pass (``run_policy``: reset, then ``play`` over the whole horizon) is
timed on the full horizon, and so is the protocol loop (``banditlab.agents.simulate``: one Python
``act``/``update`` per round for the learning policies). The straightforward per-round Python loop
(``banditlab.testing.reference_tree`` for the tree policies, ``reference_scalarized_ucb`` for the
scalarized baseline) is timed in the same run on the first ``--ref-rounds`` rounds (all rounds with
``--full``) and compared per round. The regret evaluation (truth + regret (2)) is compared with the
per-round calls of ``banditlab.pareto`` (``pareto_set``, ``pareto_gap``, ``preference_distance``).

    python benchmarks/bench_pareto_policy.py [--horizon 50000] [--ref-rounds 5000] [--full]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from banditlab.pareto import Cone, pareto_gap, pareto_set, preference_distance
from banditlab.pareto.env import ParetoBanditEnv, ReplicateDraw
from banditlab.pareto.experiments import compute_truth, regret_metrics
from banditlab.pareto.policies import (
    AdaptiveTreePolicy,
    FixedPartitionPolicy,
    OraclePolicy,
    ScalarizedUCBPolicy,
    UniformRandomPolicy,
)
from banditlab.pareto.protocol import replicate, run_policy
from banditlab.testing import reference_scalarized_ucb, reference_tree


def _head(draw: ReplicateDraw, n: int) -> ReplicateDraw:
    return ReplicateDraw(
        draw.contexts[:n],
        draw.means[:n],
        draw.noise[:n],
        draw.uniform[:n],
        min(draw.t_p, n - 1),
        draw.sigma,
        draw.lipschitz,
    )


def regret_reference(traj, draw, cone, offset):
    """Regret (2) with one package call per round (played and support readings)."""
    played = supp = 0.0
    for t in range(draw.t_p, draw.horizon):
        means = draw.means[t]
        star = means[pareto_set(means, cone)]
        played += pareto_gap(means, cone, offset=offset)[traj.arms[t]]
        s = np.flatnonzero(traj.support[t])
        supp += preference_distance(means[s[pareto_set(means[s], cone)]], star, cone, offset=offset)
    return played, supp


def timed(fn, repeat=1):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--horizon", type=int, default=50_000)
    parser.add_argument("--ref-rounds", type=int, default=5_000)
    parser.add_argument("--full", action="store_true", help="time the reference on the full horizon")
    args = parser.parse_args()
    horizon = args.horizon
    n_ref = horizon if args.full else min(args.ref_rounds, horizon)
    env = ParetoBanditEnv.appendix_h(n_arms=10, nu=4.0, t_p=1000)
    draw = env.draw(horizon, np.random.default_rng(2026))
    small = _head(draw, n_ref)
    cone, offset = Cone.orthant(2), 1.0

    # warm up the compiled kernels (compilation is cached on disk, excluded from timings)
    truth_small = compute_truth(small.means, cone, offset, rows=slice(small.t_p, None))
    spec, stream = replicate(draw, cone)
    small_spec, small_stream = replicate(small, cone)
    for pol in (AdaptiveTreePolicy(), FixedPartitionPolicy(), ScalarizedUCBPolicy()):
        run_policy(pol, small_spec, small_stream)
        run_policy(pol, small_spec, replicate(_head(small, 50), cone)[1], compiled=False)
    regret_metrics(run_policy(AdaptiveTreePolicy(), small_spec, small_stream), small, truth_small, cone, offset)

    print(f"one replicate: T={horizon}, K=10, M=2, nu=4, t_p=1000; reference on {n_ref} rounds\n")
    print(
        f"{'component':34s} {'fast [s]':>9s} {'us/round':>9s} {'protocol us/round':>18s} "
        f"{'ref us/round':>13s} {'speed-up':>9s}"
    )
    t_truth, truth = timed(lambda: compute_truth(draw.means, cone, offset, rows=slice(draw.t_p, None)), 3)
    total = t_truth
    rows = []
    policies = [
        AdaptiveTreePolicy(),  # c1 = 4 from the instance: lines 10-11 mostly skipped (nothing can be dropped)
        AdaptiveTreePolicy(c1=0.25),  # a sensitivity value at which line 11 does eliminate
        AdaptiveTreePolicy(c1=1.0, elimination="printed", inherit="parent"),  # the earlier default
        FixedPartitionPolicy(depth=3),
        ScalarizedUCBPolicy(),
        UniformRandomPolicy(),
        OraclePolicy(),
    ]
    for pol in policies:
        t_fast, traj = timed(lambda: run_policy(pol, spec, stream, pareto=truth.pareto), 3)
        t_loop, _ = timed(lambda: run_policy(pol, small_spec, small_stream, pareto=truth_small.pareto, compiled=False))
        t_reg, _ = timed(lambda: regret_metrics(traj, draw, truth, cone, offset), 3)
        total += t_fast + t_reg
        fast_small = run_policy(pol, small_spec, small_stream, pareto=truth_small.pareto).arms
        if isinstance(pol, AdaptiveTreePolicy):
            t_ref, ref = timed(lambda: reference_tree(pol, small_spec, small_stream))
            assert np.array_equal(ref.arms, fast_small), "reference and compiled runs differ"
        elif isinstance(pol, ScalarizedUCBPolicy):
            t_ref, ref = timed(lambda: reference_scalarized_ucb(pol, small_spec, small_stream))
            assert np.array_equal(ref, fast_small), "reference and compiled runs differ"
        else:
            t_ref = np.nan
        fast_us = 1e6 * t_fast / horizon
        loop_us = 1e6 * t_loop / n_ref
        ref_us = 1e6 * t_ref / n_ref
        name = pol.name
        if isinstance(pol, AdaptiveTreePolicy) and not isinstance(pol, FixedPartitionPolicy):
            name = f"tree c1={pol.c1 if pol.c1 is not None else 'L'} {pol.elimination}/{pol.inherit}"
        rows.append((name, t_fast, fast_us, ref_us))
        print(f"{name:34s} {t_fast:9.3f} {fast_us:9.2f} {loop_us:18.2f} {ref_us:13.2f} {ref_us / fast_us:9.1f}")
    # regret evaluation: truth + regret (2) for the tree policy vs per-round package calls
    traj = run_policy(AdaptiveTreePolicy(), spec, stream)
    t_eval, (fast_reg) = timed(
        lambda: regret_metrics(
            traj, draw, compute_truth(draw.means, cone, offset, rows=slice(draw.t_p, None)), cone, offset
        ),
        3,
    )
    small_traj = run_policy(AdaptiveTreePolicy(), small_spec, small_stream)
    t_eval_ref, ref_reg = timed(lambda: regret_reference(small_traj, small, cone, offset))
    fast_small = regret_metrics(small_traj, small, truth_small, cone, offset)
    assert abs(fast_small["per_round_played"].sum() - ref_reg[0]) < 1e-8
    assert abs(fast_small["per_round_support"].sum() - ref_reg[1]) < 1e-8
    n_eval = horizon - draw.t_p
    n_eval_ref = small.horizon - small.t_p
    fast_us, ref_us = 1e6 * t_eval / n_eval, 1e6 * t_eval_ref / n_eval_ref
    print(
        f"{'regret (2) evaluation (tree)':34s} {t_eval:9.3f} {fast_us:9.2f} {'':18s} {ref_us:13.2f} "
        f"{ref_us / fast_us:9.1f}"
    )
    print(f"\ntruth (Pareto mask + gaps, shared by all policies): {t_truth:.3f} s")
    print(f"whole replicate, {len(policies)} policy runs incl. regret: {total:.2f} s")


if __name__ == "__main__":
    main()
