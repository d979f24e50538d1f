"""Time per replicate of RMBandit and each baseline against a per-step loop implementation of RMBandit.

Setting of issue 4: N = 10 instances, K = 2 arms, d = 100, T = 1e5 arrivals (total), practical
hyperparameters. The reference is :func:`banditlab.testing.run_rmbandit_loop` (one arrival at a time,
rank-one Gram updates), measured in the same run on the same stream; the vectorized policy must
make exactly the same decisions. Usage: ``python benchmarks/bench_bandits.py [--T 100000] [--repeats 3]``.

``--point EXPERIMENT POINT [--config config/paper.yaml]`` instead times one replicate of one parameter
point of the regret study (CPU time per policy, so other jobs on shared cores distort it less) and
prints the functions that dominate it (cProfile), e.g. ``--point network alpha1``.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import io
import pstats
import time

import numpy as np
from threadpoolctl import threadpool_limits

from banditlab.agents import simulate
from banditlab.bandits import RMBandit, make_problem
from banditlab.bandits.policies import POLICIES
from banditlab.seeding import replicate_rng
from banditlab.testing import run_rmbandit_loop


def best_of(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--N", type=int, default=10)
    parser.add_argument("--K", type=int, default=2)
    parser.add_argument("--d", type=int, default=100)
    parser.add_argument("--s", type=int, default=2)
    parser.add_argument("--T", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (1: no oversubscription on shared cores)")
    parser.add_argument("--point", nargs=2, metavar=("EXPERIMENT", "POINT"), help="profile one replicate of a point")
    parser.add_argument("--config", default="config/paper.yaml", help="config file of --point")
    args = parser.parse_args()
    with threadpool_limits(args.threads):
        if args.point:
            profile_point(*args.point, args.config)
        else:
            run(args)


def warm_up() -> None:
    """Import everything and load the compiled LASSO once, outside the timings."""
    rng = replicate_rng(0, "warm-up")
    small = make_problem(2, 2, 3, 1, rng)
    for policy in POLICIES.values():
        simulate(policy(), small, small.sample(200, rng), rng)


def profile_point(experiment: str, point: str, config: str) -> None:
    """CPU seconds of one replicate of ``point`` (per policy) and its 15 most expensive functions."""
    import yaml

    from banditlab.bandits import experiments
    from banditlab.runner import run_config_point

    cfg = copy.deepcopy(yaml.safe_load(open(config))["bandits"])
    cfg["replicates"] = 1
    warm_up()
    seconds: dict[str, float] = {}
    inner = experiments.simulate

    def timed(policy, problem, stream, rng):
        start = time.process_time()
        arms = inner(policy, problem, stream, rng)
        seconds[policy.name] = seconds.get(policy.name, 0.0) + time.process_time() - start
        return arms

    experiments.simulate = timed
    profiler = cProfile.Profile(time.process_time)
    start = time.process_time()
    profiler.runcall(run_config_point, "bandits", cfg, experiment, point, seed=0, scale="profile")
    total = time.process_time() - start
    experiments.simulate = inner
    print(f"{experiment} {point} ({config}): {total:.1f} CPU s for one replicate")
    for name, value in seconds.items():
        print(f"  {name:<14}{value:8.1f} s")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
    print(text.getvalue())


def run(args) -> None:

    rng = replicate_rng(0, "bench_bandits")
    problem = make_problem(args.N, args.K, args.d, args.s, rng)
    stream = problem.sample(args.T, rng)
    warm_up()

    print(f"N={args.N} K={args.K} d={args.d} s={args.s} T={args.T} (best of {args.repeats})")
    loop_time, loop_arms = best_of(lambda: run_rmbandit_loop(RMBandit(), problem, stream, replicate_rng(0, "p")), 1)
    rows = []
    for policy in POLICIES.values():
        elapsed, arms = best_of(lambda: simulate(policy(), problem, stream, replicate_rng(0, "p")), args.repeats)
        rows.append((policy.name, elapsed, stream.regret(arms).sum() / args.N))
        if policy is RMBandit:
            same = np.array_equal(arms, loop_arms)
            rm_time = elapsed
    print(f"{'policy':<16}{'seconds':>10}{'regret/inst':>14}")
    print(f"{'rmbandit (loop)':<16}{loop_time:>10.3f}{stream.regret(loop_arms).sum() / args.N:>14.1f}")
    for name, elapsed, regret in rows:
        print(f"{name:<16}{elapsed:>10.3f}{regret:>14.1f}")
    print(
        f"speed-up of vectorized RMBandit over the per-step loop: {loop_time / rm_time:.1f}x "
        f"(target >= 20x); identical decisions: {same}"
    )


if __name__ == "__main__":
    main()
