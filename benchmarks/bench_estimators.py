"""Benchmark of the estimators: RobustMultitask against its floor, MedianShrinkage beside it, the exact
statistics draw against raw rows, and (optionally) the cvxpy and scikit-learn formulations.

    python benchmarks/bench_estimators.py                    # floor ratios, MedianShrinkage, draws, sklearn
    python benchmarks/bench_estimators.py --cvxpy            # also the cvxpy reference (about a minute)
    python benchmarks/bench_estimators.py --draw-dim 80      # the data-poor study's d = 80 (1 GB, ~10 s)
    python benchmarks/bench_estimators.py --paper            # also predict the paper-scale wall time

Targets: a RobustMultitask fit within 1.5x of its floor, the unavoidable work measured in the same run
(the N Gram matrices X'X and X'y, N linear solves, and the LASSO coordinate descent itself); issue 3's
>= 50x faster than cvxpy and not slower than scikit-learn. Ratios, not absolute times, are the result:
the machine is shared, so every repeat times all parts back to back and the best repeat of each is kept.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import Lasso
from threadpoolctl import threadpool_limits

from banditlab.estimation.simulate import make_instances
from banditlab.estimation.study import STUDY
from banditlab.estimators import (
    IndependentOLS,
    MedianShrinkage,
    RobustMultitask,
    SufficientStatistics,
    gram_statistics,
    ols_from_gram,
    trimmed_mean,
)
from banditlab.lasso import _cd_gram
from banditlab.runner import run_config_point
from banditlab.study import points

CASES = [
    {"n_instances": 20, "dim": 100, "n_per_instance": 200, "sparsity": 2},
    {"n_instances": 50, "dim": 200, "n_per_instance": 1000, "sparsity": 4},
]
LAM = 0.1
TRIM = 0.2


def timed(function) -> tuple[float, object]:
    """CPU seconds of this process (not wall time: on a shared machine a fit of a few milliseconds is
    preempted by other processes far more often than its shorter parts, which would bias the ratios)."""
    start = time.process_time()
    result = function()
    return time.process_time() - start, result


def best_of(functions: dict, repeats: int) -> tuple[dict[str, float], dict[str, object]]:
    """Best time of every function over ``repeats`` rounds, each round running all of them in turn."""
    times = {name: [] for name in functions}
    results = {}
    for _ in range(repeats):
        for name, function in functions.items():
            seconds, results[name] = timed(function)
            times[name].append(seconds)
    return {name: min(values) for name, values in times.items()}, results


def fit_ours(data):
    return RobustMultitask(lam=LAM, trim_fraction=TRIM).fit(data.Xs, data.ys)


def floor_parts(data, shared: np.ndarray) -> dict:
    """The unavoidable work of a fit: Gram statistics, N solves (no rank test), the LASSO's coordinate descent."""
    n = np.array([len(y) for y in data.ys], dtype=float)
    grams = np.stack([X.T @ X for X in data.Xs]) / n[:, None, None]
    xtys = np.stack([X.T @ y for X, y in zip(data.Xs, data.ys)]) / n[:, None]

    def coordinate_descent():
        for gram, xty in zip(grams, xtys):
            _cd_gram(gram, xty - gram @ shared, 0.5 * LAM, np.zeros(len(xty)), 1e-10, 100_000)

    return {
        "grams": lambda: ([X.T @ X for X in data.Xs], [X.T @ y for X, y in zip(data.Xs, data.ys)]),
        "solves": lambda: np.linalg.solve(grams, xtys[..., None]),
        "lasso_cd": coordinate_descent,
    }


def bench_floor(case: dict, repeats: int) -> tuple:
    data = make_instances(
        case["n_instances"], case["dim"], case["sparsity"], case["n_per_instance"], np.random.default_rng(0)
    )
    model = fit_ours(data)  # compiles the numba kernel outside the timing
    times, _ = best_of({"fit": lambda: fit_ours(data), **floor_parts(data, model.shared_coef_)}, repeats)
    floor = times["grams"] + times["solves"] + times["lasso_cd"]
    print(
        f"N={case['n_instances']:>3} d={case['dim']:>4} n={case['n_per_instance']:>5} | "
        f"fit {times['fit'] * 1e3:7.2f} ms | floor {floor * 1e3:7.2f} ms (Grams {times['grams'] * 1e3:6.2f} + "
        f"solves {times['solves'] * 1e3:5.2f} + LASSO CD {times['lasso_cd'] * 1e3:5.2f}) | "
        f"fit/floor {times['fit'] / floor:5.2f}"
    )
    return data, model, times["fit"]


def bench_median(case: dict, repeats: int) -> None:
    """MedianShrinkage beside RobustMultitask on the same benign problem: time and mean l1 error."""
    data = make_instances(
        case["n_instances"], case["dim"], case["sparsity"], case["n_per_instance"], np.random.default_rng(1)
    )
    models = {
        f"RobustMultitask(lam={LAM}, trim={TRIM})": lambda: fit_ours(data),
        "RobustMultitask() defaults": lambda: RobustMultitask().fit(data.Xs, data.ys),
        "MedianShrinkage() defaults": lambda: MedianShrinkage().fit(data.Xs, data.ys),
        "IndependentOLS()": lambda: IndependentOLS().fit(data.Xs, data.ys),
    }
    times, fitted = best_of(models, repeats)
    reference = times[f"RobustMultitask(lam={LAM}, trim={TRIM})"]
    for name in models:
        error = np.abs(fitted[name].coef_ - data.betas).sum(axis=1).mean()
        print(
            f"  {name:<36} {times[name] * 1e3:8.2f} ms (x{times[name] / reference:5.2f}) | mean l1 error {error:6.3f}"
        )


def bench_draw(dim: int, n_target: int, repeats: int) -> None:
    """Rows versus the exact statistics draw, data-poor study sizes: one target and one rich instance."""
    n_rich = int(0.25 * dim**2 * n_target)
    kwargs = {"design": "gaussian", "target": 0, "n_target": n_target}

    def rows():
        data = make_instances(2, dim, 2, n_rich, np.random.default_rng(0), **kwargs)
        return SufficientStatistics.from_data(data.Xs, data.ys)

    t_rows, _ = timed(rows)
    t_stats, _ = best_of(
        {"draw": lambda: make_instances(2, dim, 2, n_rich, np.random.default_rng(0), draw="statistics", **kwargs)},
        repeats,
    )
    print(
        f"d={dim} n_target={n_target} n_other={n_rich} | rows + statistics {t_rows * 1e3:9.1f} ms | "
        f"exact statistics draw {t_stats['draw'] * 1e3:7.3f} ms | speedup x{t_rows / t_stats['draw']:.0f}"
    )


def debias_cvxpy(data, shared):
    import cvxpy as cp

    coefs = []
    for X, y in zip(data.Xs, data.ys):
        beta = cp.Variable(X.shape[1])
        objective = cp.sum_squares(X @ beta - y) / len(y) + LAM * cp.norm1(beta - shared)
        cp.Problem(cp.Minimize(objective)).solve(solver="CLARABEL")
        coefs.append(beta.value)
    return np.array(coefs)


def debias_sklearn(data, shared):
    # (1/n)||Xb - y||^2 + lam ||b - c||_1 is twice sklearn's objective in u = b - c with alpha = lam/2.
    coefs = []
    for X, y in zip(data.Xs, data.ys):
        model = Lasso(alpha=LAM / 2, fit_intercept=False, tol=1e-10, max_iter=100_000).fit(X, y - X @ shared)
        coefs.append(model.coef_ + shared)
    return np.array(coefs)


def bench_references(data, model, t_ours: float, repeats: int, with_cvxpy: bool) -> None:
    shared = model.shared_coef_
    # Step 1 (Gram matrices, per-instance OLS, trimmed mean) is the same closed form for every method;
    # the references add their own Step 2 (the LASSO debiasing) to it, so all columns are whole fits.
    times, coefs = best_of(
        {
            "step1": lambda: trimmed_mean(ols_from_gram(*gram_statistics(data.Xs, data.ys)[:2]), TRIM),
            "sklearn": lambda: debias_sklearn(data, shared),
        },
        repeats,
    )
    t_skl = times["sklearn"] + times["step1"]
    scale = np.abs(model.coef_).max()
    line = (
        f"N={len(data.Xs):>3} d={data.dim:>4} | ours {t_ours * 1e3:7.2f} ms (step 1 {times['step1'] * 1e3:6.2f}) | "
        f"sklearn {t_skl * 1e3:8.1f} ms (x{t_skl / t_ours:5.2f}), "
        f"max rel diff {np.abs(model.coef_ - coefs['sklearn']).max() / scale:.1e}"
    )
    if with_cvxpy:
        t_cvx, coef_cvx = timed(lambda: debias_cvxpy(data, shared))
        t_cvx += times["step1"]
        line += (
            f" | cvxpy {t_cvx * 1e3:9.1f} ms (x{t_cvx / t_ours:6.1f}), "
            f"max rel diff {np.abs(model.coef_ - coef_cvx).max() / scale:.1e}"
        )
    print(line)


def predict_paper(cores: int) -> None:
    """Time one replicate of every paper-scale grid point and extrapolate to the configured replicates."""
    config = yaml.safe_load((Path(__file__).resolve().parents[1] / "config" / "paper.yaml").read_text())["estimation"]
    total = 0.0
    for study, spec in config["experiments"].items():
        study_seconds = 0.0
        one_replicate = {**config, "experiments": {study: {**spec, "replicates": 1}}}
        for point in points(STUDY, one_replicate, study):
            start = time.perf_counter()
            run_config_point("estimation", one_replicate, study, point.label, seed=0)
            study_seconds += (time.perf_counter() - start) * spec.get("replicates", config["replicates"])
        print(f"  {study:<20} {study_seconds / 60:7.1f} CPU-minutes")
        total += study_seconds
    print(
        f"paper-scale estimation study: {total / 60:.1f} CPU-minutes, "
        f"about {total / 60 / cores:.1f} minutes on {cores} cores"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--cvxpy", action="store_true", help="also time the cvxpy reference (slow)")
    parser.add_argument("--draw-dim", type=int, default=40, help="d of the rows-versus-statistics draw")
    parser.add_argument("--draw-n-target", type=int, default=400, help="n_target; the others get 0.25 d^2 n_target")
    parser.add_argument("--paper", action="store_true", help="also predict the paper-scale wall time")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args()
    with threadpool_limits(limits=1):
        print(f"RobustMultitask fit (Algorithm 1) against its floor, best of {args.repeats} (one BLAS thread)")
        fitted = [bench_floor(case, args.repeats) for case in CASES]
        print("MedianShrinkage (ours) beside RobustMultitask, same problem (benign: uniform design, s sparse)")
        for case in CASES:
            print(f"N={case['n_instances']} d={case['dim']} n={case['n_per_instance']} s={case['sparsity']}")
            bench_median(case, max(args.repeats // 4, 1))
        print("Data-poor study sizes: rows versus the exact draw of the sufficient statistics (Gaussian design)")
        bench_draw(args.draw_dim, args.draw_n_target, args.repeats)
        print("References: the same debiasing step by scikit-learn" + (" and cvxpy" if args.cvxpy else ""))
        for data, model, t_ours in fitted:
            bench_references(data, model, t_ours, max(args.repeats // 4, 1), args.cvxpy)
        if args.paper:
            predict_paper(args.cores)


if __name__ == "__main__":
    main()
