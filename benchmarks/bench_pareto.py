"""Benchmark ``banditlab.pareto.pareto_gap`` against a direct per-arm formulation solved by HiGHS.

The reference solves Definition 7 of paper 004 arm by arm as a small mixed-integer LP
(``scipy.optimize.milp``: eps, s and one binary per (front point, facet) for the disjunction "escape
this point through that facet"; for a general cone no single LP expresses the joint eps). It is
timed in the same run on ``--ref-arms`` arms per configuration (the dominated ones first) and its
per-arm time is scaled to K arms; the ratio column is (reference time for K arms) / (pareto_gap time).

Usage: python benchmarks/bench_pareto.py [--quick] [--ref-arms N] [--seed S]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from banditlab.pareto import Cone, pareto_gap, pareto_set
from banditlab.testing import gap_to_front_milp


def _best_time(fn, repeat):
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def run(Ks, Ms, cones, ref_arms, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for M in Ms:
        for K in Ks:
            means = rng.uniform(0.2, 2.0, (K, M))
            for cone_name in cones:
                if cone_name == "orthant":
                    cone = Cone.orthant(M)
                else:
                    cone = Cone.from_generators(np.eye(M) + 0.25 * (1 - np.eye(M)))
                repeat = 5 if K <= 100 else 2
                t_fast, gap = _best_time(lambda: pareto_gap(means, cone), repeat)
                front_idx = pareto_set(means, cone)
                front = means[front_idx]
                dominated = np.setdiff1d(np.arange(K), front_idx)
                sample = np.r_[dominated[:ref_arms], front_idx[: max(0, ref_arms - len(dominated))]]
                start = time.perf_counter()
                ref = gap_to_front_milp(means[sample], front, cone)
                t_ref_sample = time.perf_counter() - start
                t_ref = t_ref_sample / len(sample) * K
                rows.append(
                    {
                        "M": M,
                        "K": K,
                        "cone": cone_name,
                        "pareto_size": len(front_idx),
                        "fast_ms": 1e3 * t_fast,
                        "ref_ms_for_K": 1e3 * t_ref,
                        "ref_arms_timed": len(sample),
                        "ratio": t_ref / t_fast,
                        "max_abs_diff": float(np.max(np.abs(gap[sample] - ref))),
                    }
                )
                print(
                    f"M={M} K={K:5d} {cone_name:7s} |P|={len(front_idx):4d} fast={1e3 * t_fast:9.2f} ms "
                    f"ref={1e3 * t_ref:10.1f} ms ratio={t_ref / t_fast:9.1f} maxdiff={rows[-1]['max_abs_diff']:.2e}",
                    flush=True,
                )
    return pd.DataFrame(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grid (a few seconds)")
    parser.add_argument("--ref-arms", type=int, default=None, help="arms solved by the reference per configuration")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.quick:
        Ks, Ms, ref_arms = [10, 100], [2, 3], 10
    else:
        Ks, Ms, ref_arms = [10, 30, 100, 300, 1000], [2, 3, 4, 5], 30
    if args.ref_arms is not None:
        if args.ref_arms < 1:
            raise ValueError(f"--ref-arms must be >= 1; got {args.ref_arms}")
        ref_arms = args.ref_arms
    table = run(Ks, Ms, ["orthant", "narrow"], ref_arms, args.seed)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"\nmax abs difference over all configurations: {table['max_abs_diff'].max():.3e}")
    print(f"ratio (reference / pareto_gap): min {table['ratio'].min():.1f}, median {table['ratio'].median():.1f}")


if __name__ == "__main__":
    main()
