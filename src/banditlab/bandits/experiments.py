"""The regret study of Section 4 (no experiments are printed in the paper; these test its claims).

One function computes one parameter point of one experiment (all replicates, all policies, on common
random numbers) and returns a tidy frame; :func:`points` lists the points of an experiment from the
config block, so the workflow writes one CSV per point. :func:`banditlab.bandits.checks.regret_check`
fits the growth rates and writes a verdict per claim.

Experiments
-----------
``regret_vs_t``   cumulative per-instance regret at log-spaced checkpoints (Corollary 3: log^2 T).
``regret_vs_d``   per-instance regret at T vs d (Corollary 3: d (s + d/N) against d^2).
``regret_vs_n``   per-instance regret at T vs N (Corollary 3: (s + d/N) log N, falling in N).
``data_poor``     regret of a data-poor target vs d, p_l / p_j = ratio_scale * d^2 (Theorem 3: polylog d).
``network``       target regret vs the number Ñ of instances shared (Corollary 4: U-shape at d^(1/(alpha+1))).
``sensitivity``   RMBandit regret for other q, h and trimming paths.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd

from ..progress import log_replicate_progress
from ..seeding import replicate_rng, seed_int
from .env import make_network_problem, make_problem
from .policies import (
    AveragingMultitaskBandit,
    GreedyBandit,
    LassoBandit,
    OLSBandit,
    Oracle,
    PooledBandit,
    RMBandit,
    network_sources,
    simulate,
)

log = logging.getLogger(__name__)

EXPERIMENTS = ("regret_vs_t", "regret_vs_d", "regret_vs_n", "data_poor", "network", "sensitivity")
STUDY = "bandits"


def points(experiment: str, cfg: dict) -> list[str]:
    """Names of the parameter points of ``experiment`` (one results file each)."""
    block = cfg[experiment]
    if experiment == "regret_vs_t":
        return [f"N{block['N']}_d{block['d']}"]
    if experiment == "regret_vs_d":
        return [f"d{d}" for d in block["d"]]
    if experiment == "regret_vs_n":
        return [f"N{n}" for n in block["N"]]
    if experiment == "data_poor":
        return [f"d{d}" for d in block["d"]]
    if experiment == "network":
        return [f"alpha{a:g}" for a in block["alpha"]]
    if experiment == "sensitivity":
        return ["grid"]
    raise ValueError(f"experiment must be one of {EXPERIMENTS}, got {experiment!r}")


# The grid axis of each experiment block with several points (the others have one point).
_GRID_AXIS = {"regret_vs_d": "d", "regret_vs_n": "N", "data_poor": "d", "network": "alpha"}
# Experiments that run the study-wide ``policies`` list (the others name their own).
_STUDY_POLICIES = ("regret_vs_t", "regret_vs_d", "regret_vs_n")


def point_config(experiment: str, point: str, cfg: dict) -> dict:
    """The part of the ``bandits`` block that one parameter point's results depend on.

    The workflow passes it as the point job's params, so editing another grid value or another
    experiment reruns nothing here. :func:`run_point` gives the same table on it as on the whole block.
    """
    if point not in points(experiment, cfg):
        raise ValueError(f"point {point!r} is not in the grid of {experiment}: {points(experiment, cfg)}")
    block = dict(cfg[experiment])
    axis = _GRID_AXIS.get(experiment)
    if axis is not None:
        block[axis] = [
            value for value in block[axis] if points(experiment, {experiment: {**block, axis: [value]}}) == [point]
        ]
    shared = {key: cfg[key] for key in ("replicates", "problem", "hyperparameters")}
    if experiment in _STUDY_POLICIES:
        shared["policies"] = cfg["policies"]
    return {**shared, experiment: block}


def _policy(name: str, options: dict, ind: dict, **kwargs):
    if name == "rmbandit":
        return RMBandit(options=options, **kwargs)
    if name == "am_bandit":
        return AveragingMultitaskBandit(options=options, **kwargs)
    if name == "pooled":
        return PooledBandit(options=options, **kwargs)
    if name == "ols_bandit":
        return OLSBandit(h=options["h"], **ind)
    if name == "lasso_bandit":
        return LassoBandit(h=options["h"], **ind)
    if name == "greedy":
        return GreedyBandit()
    if name == "oracle":
        return Oracle()
    raise ValueError(f"unknown policy {name!r}")


def _hyper(cfg: dict) -> tuple[dict, dict]:
    hp = dict(cfg["hyperparameters"])
    ind = {"update_ratio": hp.pop("update_ratio")}
    return hp, ind


def _problem(cfg, rng, N, d, s=None, p=None):
    pr = cfg["problem"]
    return make_problem(
        N, pr["K"], d, pr["s"] if s is None else s, rng, p=p, sigma=pr["sigma"], delta_scale=pr["delta_scale"]
    )


def _rows(frame_rows: list[dict], seed: int, scale: str) -> pd.DataFrame:
    frame = pd.DataFrame(frame_rows)
    frame["seed"] = seed
    frame["scale"] = scale
    return frame


def run_point(experiment: str, point: str, cfg: dict, seed: int, scale: str) -> pd.DataFrame:
    """All replicates and policies of one parameter point; a tidy frame (one row per replicate x
    policy x checkpoint x metric)."""
    if point not in points(experiment, cfg):
        raise ValueError(f"point {point!r} is not in the grid of {experiment}: {points(experiment, cfg)}")
    options, ind = _hyper(cfg)
    K, s = cfg["problem"]["K"], cfg["problem"]["s"]
    rows: list[dict] = []
    started = time.perf_counter()
    for r in range(cfg["replicates"]):
        rng = replicate_rng(seed, STUDY, experiment, point, r)
        rep_seed = seed_int(seed, STUDY, experiment, point, r)

        def prng(name):
            return replicate_rng(seed, STUDY, experiment, point, r, name)

        if experiment in ("regret_vs_t", "regret_vs_d", "regret_vs_n"):
            block = cfg[experiment]
            N = int(point[1:]) if experiment == "regret_vs_n" else block["N"]
            d = int(point[1:]) if experiment == "regret_vs_d" else block["d"]
            T = N * block["T_per_instance"]
            problem = _problem(cfg, rng, N, d)
            stream = problem.sample(T, rng)
            if experiment == "regret_vs_t":
                checkpoints = np.unique(np.geomspace(max(T // 200, 1), T, block["checkpoints"]).astype(int))
            else:
                checkpoints = np.array([T])
            for name in cfg["policies"]:
                regret = np.cumsum(stream.regret(simulate(_policy(name, options, ind), problem, stream, prng(name))))
                for t in checkpoints:
                    rows.append(
                        {
                            "replicate": r,
                            "policy": name,
                            "N": N,
                            "K": K,
                            "d": d,
                            "s": s,
                            "T": T,
                            "t": int(t),
                            "metric": "regret_per_instance",
                            "value": regret[t - 1] / N,
                            "replicate_seed": rep_seed,
                        }
                    )
        elif experiment == "data_poor":
            block = cfg[experiment]
            d = int(point[1:])
            ratio = block["ratio_scale"] * d**2
            p = np.array([1.0, ratio]) / (1.0 + ratio)  # instance 0: data-poor target, 1: rich neighbour
            T = int(np.ceil(block["T_target"] / p[0]))
            problem = _problem(cfg, rng, 2, d, p=p)
            stream = problem.sample(T, rng)
            target = stream.Z == 0
            for name in block["policies"]:
                kwargs = {"target": 0, "neighbour": 1} if name == "rmbandit" else {}
                policy = _policy(name, options, ind, **kwargs)
                regret = stream.regret(simulate(policy, problem, stream, prng(name)))
                rows.append(
                    {
                        "replicate": r,
                        "policy": name,
                        "N": 2,
                        "K": K,
                        "d": d,
                        "s": s,
                        "T": T,
                        "ratio": ratio,
                        "n_target": int(target.sum()),
                        "metric": "regret_target",
                        "value": regret[target].sum(),
                        "replicate_seed": rep_seed,
                    }
                )
        elif experiment == "network":
            block = cfg[experiment]
            alpha = float(point[len("alpha") :])
            N, d = block["N"], block["d"]
            T = N * block["T_per_instance"]
            pr = cfg["problem"]
            problem = make_network_problem(N, K, d, alpha, rng, sigma=pr["sigma"], delta_scale=pr["delta_scale"])
            stream = problem.sample(T, rng)
            target = stream.Z == 0
            for n_tilde in block["n_tilde"]:
                for name in block["policies"]:
                    policy = _policy(name, options, ind, sources=network_sources(N, 0, n_tilde))
                    regret = stream.regret(simulate(policy, problem, stream, prng((name, n_tilde))))
                    rows.append(
                        {
                            "replicate": r,
                            "policy": name,
                            "N": N,
                            "K": K,
                            "d": d,
                            "alpha": alpha,
                            "n_tilde": n_tilde,
                            "T": T,
                            "metric": "regret_target",
                            "value": regret[target].sum(),
                            "replicate_seed": rep_seed,
                        }
                    )
        elif experiment == "sensitivity":
            block = cfg[experiment]
            N, d = block["N"], block["d"]
            T = N * block["T_per_instance"]
            problem = _problem(cfg, rng, N, d)
            stream = problem.sample(T, rng)
            for name in ("forced_scale", "h", "eta10"):
                for value in block[name]:
                    for policy_name in ("rmbandit", "am_bandit"):
                        policy = _policy(policy_name, {**options, name: value}, ind)
                        regret = stream.regret(simulate(policy, problem, stream, prng(policy_name)))
                        rows.append(
                            {
                                "replicate": r,
                                "policy": policy_name,
                                "N": N,
                                "K": K,
                                "d": d,
                                "s": s,
                                "T": T,
                                "parameter": name,
                                "parameter_value": value,
                                "metric": "regret_per_instance",
                                "value": regret.sum() / N,
                                "replicate_seed": rep_seed,
                            }
                        )
        else:  # pragma: no cover - points() has rejected it
            raise ValueError(experiment)
        log_replicate_progress(log, f"bandits {experiment} {point}", r + 1, cfg["replicates"], started)
    return _rows(rows, seed, scale)


def check_config(cfg: dict) -> None:
    """Checks the schema cannot express (raised before any job runs)."""
    s = cfg["problem"]["s"]
    for name, grid in (("regret_vs_d", cfg["regret_vs_d"]["d"]), ("data_poor", cfg["data_poor"]["d"])):
        if min(grid) <= s:
            raise ValueError(f"bandits.{name}.d must exceed problem.s={s} everywhere, got {grid}")
    for name in ("regret_vs_t", "regret_vs_n", "sensitivity"):
        if cfg[name]["d"] <= s:
            raise ValueError(f"bandits.{name}.d must exceed problem.s={s}, got {cfg[name]['d']}")
    if min(cfg["regret_vs_n"]["N"]) < 2:
        raise ValueError(f"bandits.regret_vs_n.N values must be >= 2, got {cfg['regret_vs_n']['N']}")
    for name, key in (("regret_vs_d", "d"), ("regret_vs_n", "N"), ("data_poor", "d"), ("network", "alpha")):
        labels = points(name, cfg)
        if len(set(labels)) != len(labels):
            raise ValueError(
                f"bandits.{name}.{key} values {cfg[name][key]} give the same file label twice "
                f"({labels}); make them distinct at 6 significant digits"
            )
    net = cfg["network"]
    if max(net["n_tilde"]) > net["N"]:
        raise ValueError(f"bandits.network.n_tilde values must be <= network.N={net['N']}, got {net['n_tilde']}")
