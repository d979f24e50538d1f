"""The regret study of Section 4 (no experiments are printed in the paper; these test its claims).

One function computes one parameter point of one experiment (all replicates, all policies, on common
random numbers) and returns a tidy frame; :func:`points` lists the points of an experiment from the
config block, so the workflow writes one CSV per point. :func:`banditlab.bandits.checks.regret_check`
fits the growth rates and writes a verdict per claim.

Experiments
-----------
``regret_vs_t``   cumulative per-instance regret at log-spaced checkpoints (Corollary 3: log^2 T).
``regret_vs_t_no_diversity``  the same on contexts without covariate diversity (``problem.no_diversity``),
                  where greedy can lock onto a worse arm (Bastani, Bayati & Khosravi 2021), with
                  per-replicate lock-in metrics (:func:`lock_in_rows`).
``regret_vs_d``   per-instance regret at T vs d (Corollary 3: d (s + d/N) against d^2).
``regret_vs_n``   per-instance regret at T vs N (Corollary 3: (s + d/N) log N, falling in N).
``data_poor``     regret of a data-poor target vs d, p_l / p_j = ratio_scale * d^2 (Theorem 3: polylog d).
``network``       target regret vs the number Ñ of instances shared (Corollary 4: U-shape at d^(1/(alpha+1))).
``sensitivity``   RMBandit regret for other q, h and trimming paths.

Policies are named in the config (``bandits.policies`` for regret_vs_t, regret_vs_d and regret_vs_n; the
``policies`` of regret_vs_t_no_diversity, data_poor and network): the built-in names of
:data:`banditlab.bandits.policies.POLICIES` (the papers' RMBandit and baselines, and our
:class:`~banditlab.bandits.policies.MedianShrinkageBandit`, ``median_bandit``), or, except in network,
the import path ``package.module:ClassName`` of a user's policy (built with no arguments;
:mod:`banditlab.registry`). Every policy gets its own generator, derived from its name, on the same
problem and stream: adding one changes no other policy's rows.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd

from .. import registry
from ..agents import simulate
from ..progress import log_replicate_progress
from ..seeding import replicate_rng, seed_int
from .env import make_network_problem, make_problem
from .independent import GreedyBandit, LassoBandit, OLSBandit, Oracle
from .rmbandit import AveragingMultitaskBandit, MedianShrinkageBandit, PooledBandit, RMBandit
from .schedules import network_sources

log = logging.getLogger(__name__)

EXPERIMENTS = (
    "regret_vs_t",
    "regret_vs_t_no_diversity",
    "regret_vs_d",
    "regret_vs_n",
    "data_poor",
    "network",
    "sensitivity",
)
STUDY = "bandits"


def points(experiment: str, cfg: dict) -> list[str]:
    """Names of the parameter points of ``experiment`` (one results file each)."""
    block = cfg[experiment]
    if experiment in ("regret_vs_t", "regret_vs_t_no_diversity"):
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
    if experiment != "regret_vs_t_no_diversity" and cfg["problem"]["contexts"] != "no_diversity":
        # the no-diversity family's parameters do not enter this point: editing them reruns nothing here
        shared["problem"] = {key: value for key, value in cfg["problem"].items() if key != "no_diversity"}
    if experiment in _STUDY_POLICIES:
        shared["policies"] = cfg["policies"]
    return {**shared, experiment: block}


def point_policies(experiment: str, cfg: dict) -> list[str]:
    """The names of the policies the points of ``experiment`` run."""
    if experiment in _STUDY_POLICIES:
        return list(cfg["policies"])
    if experiment == "sensitivity":
        return ["rmbandit", "am_bandit"]
    return list(cfg[experiment]["policies"])


DATA_POOR_MODE = ("rmbandit", "median_bandit")
"""Policies that run in data-poor mode in the data_poor experiment (``Q_target = {neighbour}``, D.1)."""


def _policy(name: str, options: dict, ind: dict, **kwargs):
    """Policy ``name`` with the config's hyperparameters (``options``: RMBandit's practical ones;
    ``ind``: the independent baselines' ``update_ratio`` and the LASSO Bandit's ``q``); a user's policy
    (an import path) is built with no arguments."""
    if registry.is_import_path(name):
        return registry.policy_class(name, "bandits policies")()
    if name == "rmbandit":
        return RMBandit(options=options, **kwargs)
    if name == "median_bandit":
        return MedianShrinkageBandit(options=options, **kwargs)
    if name == "am_bandit":
        return AveragingMultitaskBandit(options=options, **kwargs)
    if name == "pooled":
        return PooledBandit(options=options, **kwargs)
    if name == "ols_bandit":
        return OLSBandit(h=options["h"], update_ratio=ind["update_ratio"])
    if name == "lasso_bandit":
        return LassoBandit(h=options["h"], update_ratio=ind["update_ratio"], q=ind["lasso_q"])
    if name == "greedy":
        return GreedyBandit(update_ratio=ind["update_ratio"])
    if name == "oracle":
        return Oracle()
    raise ValueError(f"unknown policy {name!r}")


def _hyper(cfg: dict) -> tuple[dict, dict]:
    hp = dict(cfg["hyperparameters"])
    ind = {"update_ratio": hp.pop("update_ratio"), "lasso_q": hp.pop("lasso_q")}
    return hp, ind


def _context_options(cfg: dict, contexts: str | None = None) -> dict:
    """Keyword arguments of the problem generators for the context family (``problem.contexts`` unless
    ``contexts`` is given)."""
    pr = cfg["problem"]
    contexts = pr["contexts"] if contexts is None else contexts
    if contexts == "no_diversity":
        return {"contexts": contexts, **pr["no_diversity"]}
    return {"contexts": contexts}


def _problem(cfg, rng, N, d, s=None, p=None, contexts=None):
    pr = cfg["problem"]
    return make_problem(
        N,
        pr["K"],
        d,
        pr["s"] if s is None else s,
        rng,
        p=p,
        sigma=pr["sigma"],
        delta_scale=pr["delta_scale"],
        **_context_options(cfg, contexts),
    )


def forced_pulls(policy, stream, instance: int) -> int:
    """Forced pulls a finished policy made at ``instance``: RMBandit's arrivals in ``B_0``, the
    independent bandits' forced-sample counts, 0 for greedy and the oracle."""
    if isinstance(policy, RMBandit):
        return int(np.count_nonzero(stream.Z[: policy.b0_] == instance))
    if isinstance(policy, (OLSBandit, LassoBandit)):
        return int(policy.forced_stats_.count[instance].sum())
    return 0


def lock_in_rows(stream, arms: np.ndarray, regret: np.ndarray) -> dict[str, float]:
    """Per-replicate evidence of linear regret, over the late window ``t > T/2`` (after every policy's
    initial forced phase at the configured scales).

    * ``suboptimal_share_late``: share of the window's arrivals pulled on a sub-optimal arm.
    * ``locked_share``: share of instances that pulled a sub-optimal arm at more than half of their
      window arrivals (locked onto a worse arm: linear regret there).
    * ``late_regret_rate``: mean per-step regret over the window, ``(R(T) - R(T/2)) / (T - T/2)``; a
      positive constant for linear regret, of order ``log(T)/T`` for polylogarithmic regret.
    * ``late_increment_ratio``: ``(R(T) - R(T/2)) / (R(T/2) - R(T/4))``; 2 for linear regret, 1 for
      ``log T`` regret, slightly above 1 for ``log^2 T`` (1.08 at T = 9000); left out when
      ``R(T/2) = R(T/4)`` (e.g. the oracle), and noise when both increments are near 0 (a policy that
      stopped erring): read it together with ``late_regret_rate``.
    """
    T = stream.T
    late = np.arange(T) >= T // 2
    wrong = arms != stream.optimal_arms()
    N = int(stream.Z.max()) + 1
    per_instance = np.bincount(stream.Z[late], weights=wrong[late], minlength=N)
    arrivals = np.bincount(stream.Z[late], minlength=N)
    seen = arrivals > 0
    out = {
        "suboptimal_share_late": float(wrong[late].mean()),
        "locked_share": float(np.mean(per_instance[seen] > 0.5 * arrivals[seen])),
    }
    cumulative = np.concatenate([[0.0], np.cumsum(regret)])
    out["late_regret_rate"] = float((cumulative[T] - cumulative[T // 2]) / (T - T // 2))
    before = cumulative[T // 2] - cumulative[T // 4]
    if before > 0:
        out["late_increment_ratio"] = float((cumulative[T] - cumulative[T // 2]) / before)
    return out


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

        if experiment in ("regret_vs_t", "regret_vs_t_no_diversity", "regret_vs_d", "regret_vs_n"):
            block = cfg[experiment]
            N = int(point[1:]) if experiment == "regret_vs_n" else block["N"]
            d = int(point[1:]) if experiment == "regret_vs_d" else block["d"]
            T = N * block["T_per_instance"]
            lock_in = experiment == "regret_vs_t_no_diversity"
            contexts = "no_diversity" if lock_in else cfg["problem"]["contexts"]
            problem = _problem(cfg, rng, N, d, contexts=contexts)
            stream = problem.sample(T, rng)
            if experiment in ("regret_vs_t", "regret_vs_t_no_diversity"):
                checkpoints = np.unique(np.geomspace(max(T // 200, 1), T, block["checkpoints"]).astype(int))
            else:
                checkpoints = np.array([T])
            base = {"N": N, "K": K, "d": d, "s": s, "T": T, "contexts": contexts}
            if lock_in:
                base.update(cfg["problem"]["no_diversity"])
            for name in block["policies"] if lock_in else cfg["policies"]:
                arms = simulate(_policy(name, options, ind), problem, stream, prng(name))
                step_regret = stream.regret(arms)
                regret = np.cumsum(step_regret)
                for t in checkpoints:
                    rows.append(
                        {
                            "replicate": r,
                            "policy": name,
                            **base,
                            "t": int(t),
                            "metric": "regret_per_instance",
                            "value": regret[t - 1] / N,
                            "replicate_seed": rep_seed,
                        }
                    )
                if lock_in:
                    for metric, value in lock_in_rows(stream, arms, step_regret).items():
                        rows.append(
                            {
                                "replicate": r,
                                "policy": name,
                                **base,
                                "t": T,
                                "metric": metric,
                                "value": value,
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
                kwargs = {"target": 0, "neighbour": 1} if name in DATA_POOR_MODE else {}
                policy = _policy(name, options, ind, **kwargs)
                regret = stream.regret(simulate(policy, problem, stream, prng(name)))
                forced = forced_pulls(policy, stream, instance=0)
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
                        "forced_target": forced,
                        "contexts": cfg["problem"]["contexts"],
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
            problem = make_network_problem(
                N, K, d, alpha, rng, sigma=pr["sigma"], delta_scale=pr["delta_scale"], **_context_options(cfg)
            )
            stream = problem.sample(T, rng)
            target = stream.Z == 0
            # Section 4.3 / Appendix C.7: the hyperparameters take s = s~ = min(Ñ^alpha, d), zeta uncapped
            network_options = {**options, "zeta_max": None}
            for n_tilde in block["n_tilde"]:
                s_tilde = problem.meta["s_tilde"][n_tilde - 1]
                for name in block["policies"]:
                    policy = _policy(
                        name, network_options, ind, sources=network_sources(N, 0, n_tilde), sparsity=s_tilde
                    )
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
                            "s_tilde": s_tilde,
                            "T": T,
                            "contexts": pr["contexts"],
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
                                "contexts": cfg["problem"]["contexts"],
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
    """Checks the schema cannot express (raised before any job runs): the policy names resolve (built-in, or
    an import path whose class follows the protocol), the grids fit the problem."""
    for where, names in (
        ("bandits.policies", cfg["policies"]),
        ("bandits.regret_vs_t_no_diversity.policies", cfg["regret_vs_t_no_diversity"]["policies"]),
        ("bandits.data_poor.policies", cfg["data_poor"]["policies"]),
    ):
        registry.check_names(names, "policy", where)
    s = cfg["problem"]["s"]
    for name, grid in (("regret_vs_d", cfg["regret_vs_d"]["d"]), ("data_poor", cfg["data_poor"]["d"])):
        if min(grid) <= s:
            raise ValueError(f"bandits.{name}.d must exceed problem.s={s} everywhere, got {grid}")
    for name in ("regret_vs_t", "regret_vs_t_no_diversity", "regret_vs_n", "sensitivity"):
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
