"""The regret study of Section 4 (no experiments are printed in the paper; these test its claims).

One function per kind of experiment runs one replicate of one point (all its policies on common random
numbers; the generator comes from the runner, :mod:`banditlab.runner`) and returns its rows; :func:`tidy`
makes the point's table. The experiments are declared in :mod:`.study`;
:func:`banditlab.bandits.checks.regret_check` fits the growth rates and writes a verdict per claim.

Policies are named in the config (``bandits.policies``, or an experiment's own ``policies``): the built-in
names of :data:`banditlab.bandits.policies.POLICIES` (the papers' RMBandit and baselines, and our
:class:`~banditlab.bandits.policies.MedianShrinkageBandit`, ``median_bandit``), or, except in network,
the import path ``package.module:ClassName`` of a user's policy (built with no arguments;
:mod:`banditlab.registry`). Every policy gets its own generator, derived from its name, on the same
problem and stream: adding one changes no other policy's rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import registry
from ..agents import simulate
from ..study import points
from .diagnostics import FILTER_COLUMNS, filter_columns, filter_exclusion
from .env import make_network_problem, make_problem
from .independent import GreedyBandit, LassoBandit, OLSBandit, Oracle
from .rmbandit import AveragingMultitaskBandit, MedianShrinkageBandit, PooledBandit, RMBandit
from .schedules import network_sources

DIAGNOSTIC_COLUMNS = (*FILTER_COLUMNS, "filter_exclusion_target")
"""Per-replicate columns of the forced-sample filter (:mod:`.diagnostics`; the target's share in data_poor and
network)."""
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
    """Keyword arguments of the problem generators for the context family (the point's ``contexts`` unless
    ``contexts`` is given)."""
    pr = cfg["problem"]
    contexts = cfg["contexts"] if contexts is None else contexts
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


def tidy(records: list[dict], values, grid, stamps) -> tuple[pd.DataFrame, tuple]:
    """The point's table: its rows, then the base seed and the scale (the workflow adds the config hash and the
    package version at the table stage). The filter's diagnostics are NaN for a policy without the forced-sample
    filter (:mod:`.diagnostics`), and only there."""
    frame = pd.DataFrame(records)
    frame["seed"] = stamps["seed"]
    frame["scale"] = stamps["scale"]
    return frame, tuple(column for column in DIAGNOSTIC_COLUMNS if column in frame)


def run_regret(point: dict, replicate) -> list[dict]:
    """regret_vs_t, regret_vs_t_no_diversity, regret_vs_d, regret_vs_n: per-instance regret of every policy on one
    problem and stream (at log-spaced checkpoints when the point has ``checkpoints``, else at T); on contexts
    without covariate diversity also the lock-in metrics of :func:`lock_in_rows`."""
    options, ind = _hyper(point)
    K, s = point["problem"]["K"], point["problem"]["s"]
    N, d = int(point["N"]), int(point["d"])
    T = N * point["T_per_instance"]
    contexts = point["contexts"]
    lock_in = contexts == "no_diversity"
    problem = _problem(point, replicate.rng, N, d, contexts=contexts)
    stream = problem.sample(T, replicate.rng)
    if "checkpoints" in point:
        checkpoints = np.unique(np.geomspace(max(T // 200, 1), T, point["checkpoints"]).astype(int))
    else:
        checkpoints = np.array([T])
    base = {"N": N, "K": K, "d": d, "s": s, "T": T, "contexts": contexts}
    if lock_in:
        base.update(point["problem"]["no_diversity"])
    rows = []
    for name in point["policies"]:
        policy = _policy(name, options, ind)
        arms = simulate(policy, problem, stream, replicate.child(name))
        step_regret = stream.regret(arms)
        regret = np.cumsum(step_regret)
        diagnostics = filter_columns(policy, problem, stream)
        for t in checkpoints:
            rows.append(
                {
                    "replicate": replicate.index,
                    "policy": name,
                    **base,
                    "t": int(t),
                    "metric": "regret_per_instance",
                    "value": regret[t - 1] / N,
                    **diagnostics,
                    "replicate_seed": replicate.seed,
                }
            )
        if lock_in:
            for metric, value in lock_in_rows(stream, arms, step_regret).items():
                rows.append(
                    {
                        "replicate": replicate.index,
                        "policy": name,
                        **base,
                        "t": T,
                        "metric": metric,
                        "value": value,
                        **diagnostics,
                        "replicate_seed": replicate.seed,
                    }
                )
    return rows


def run_data_poor(point: dict, replicate) -> list[dict]:
    """data_poor: regret of a data-poor target (instance 0) beside one rich neighbour, ``p_l / p_j =
    ratio_scale d^2`` (Theorem 3); RMBandit and the median bandit run in data-poor mode (D.1)."""
    options, ind = _hyper(point)
    K, s = point["problem"]["K"], point["problem"]["s"]
    d = int(point["d"])
    ratio = point["ratio_scale"] * d**2
    p = np.array([1.0, ratio]) / (1.0 + ratio)  # instance 0: data-poor target, 1: rich neighbour
    T = int(np.ceil(point["T_target"] / p[0]))
    problem = _problem(point, replicate.rng, 2, d, p=p)
    stream = problem.sample(T, replicate.rng)
    target = stream.Z == 0
    rows = []
    for name in point["policies"]:
        kwargs = {"target": 0, "neighbour": 1} if name in DATA_POOR_MODE else {}
        policy = _policy(name, options, ind, **kwargs)
        regret = stream.regret(simulate(policy, problem, stream, replicate.child(name)))
        forced = forced_pulls(policy, stream, instance=0)
        diagnostics = filter_columns(policy, problem, stream)
        diagnostics["filter_exclusion_target"] = filter_exclusion(policy, stream, instances=[0])
        rows.append(
            {
                "replicate": replicate.index,
                "policy": name,
                "N": 2,
                "K": K,
                "d": d,
                "s": s,
                "T": T,
                "ratio": ratio,
                "n_target": int(target.sum()),
                "forced_target": forced,
                "contexts": point["contexts"],
                "metric": "regret_target",
                "value": regret[target].sum(),
                **diagnostics,
                "replicate_seed": replicate.seed,
            }
        )
    return rows


def run_network(point: dict, replicate) -> list[dict]:
    """network: the target's regret when it shares with its Ñ nearest instances (Corollary 4; Section 4.3 /
    Appendix C.7: the hyperparameters take s = s~ = min(Ñ^alpha, d), zeta uncapped)."""
    options, ind = _hyper(point)
    K = point["problem"]["K"]
    alpha = float(point["alpha"])
    N, d = point["N"], point["d"]
    T = N * point["T_per_instance"]
    pr = point["problem"]
    problem = make_network_problem(
        N, K, d, alpha, replicate.rng, sigma=pr["sigma"], delta_scale=pr["delta_scale"], **_context_options(point)
    )
    stream = problem.sample(T, replicate.rng)
    target = stream.Z == 0
    network_options = {**options, "zeta_max": None}
    rows = []
    for n_tilde in point["n_tilde"]:
        s_tilde = problem.meta["s_tilde"][n_tilde - 1]
        for name in point["policies"]:
            policy = _policy(name, network_options, ind, sources=network_sources(N, 0, n_tilde), sparsity=s_tilde)
            regret = stream.regret(simulate(policy, problem, stream, replicate.child((name, n_tilde))))
            diagnostics = filter_columns(policy, problem, stream)
            diagnostics["filter_exclusion_target"] = filter_exclusion(policy, stream, instances=[0])
            rows.append(
                {
                    "replicate": replicate.index,
                    "policy": name,
                    "N": N,
                    "K": K,
                    "d": d,
                    "alpha": alpha,
                    "n_tilde": n_tilde,
                    "s_tilde": s_tilde,
                    "T": T,
                    "contexts": point["contexts"],
                    "metric": "regret_target",
                    "value": regret[target].sum(),
                    **diagnostics,
                    "replicate_seed": replicate.seed,
                }
            )
    return rows


def run_sensitivity(point: dict, replicate) -> list[dict]:
    """sensitivity: RMBandit's and averaging multitask's regret with one hyperparameter changed at a time
    (``forced_scale``, ``h``, ``eta10``), on one problem and stream."""
    options, ind = _hyper(point)
    K, s = point["problem"]["K"], point["problem"]["s"]
    N, d = point["N"], point["d"]
    T = N * point["T_per_instance"]
    problem = _problem(point, replicate.rng, N, d)
    stream = problem.sample(T, replicate.rng)
    rows = []
    for name in ("forced_scale", "h", "eta10"):
        for value in point[name]:
            for policy_name in point["policies"]:
                policy = _policy(policy_name, {**options, name: value}, ind)
                regret = stream.regret(simulate(policy, problem, stream, replicate.child(policy_name)))
                diagnostics = filter_columns(policy, problem, stream)
                rows.append(
                    {
                        "replicate": replicate.index,
                        "policy": policy_name,
                        "N": N,
                        "K": K,
                        "d": d,
                        "s": s,
                        "T": T,
                        "contexts": point["contexts"],
                        "parameter": name,
                        "parameter_value": value,
                        "metric": "regret_per_instance",
                        "value": regret.sum() / N,
                        **diagnostics,
                        "replicate_seed": replicate.seed,
                    }
                )
    return rows


def cost_features(point) -> tuple[float, ...]:
    """Work of one point job (:mod:`banditlab.cost`): a fixed cost, ``reps x policy runs x T_total`` (per-round
    Python work) and ``reps x policy runs x T_total x d^2`` (rank-one Gram updates, d x d solves)."""
    values = point.values
    if "d" not in values or ("T_target" not in values and "T_per_instance" not in values):
        return (1.0, 0.0, 0.0)  # an experiment of a user's own: its fixed cost only
    runs = len(values["policies"])
    d = int(values["d"])
    if "T_target" in values:  # data_poor
        horizon = values["T_target"] * (1 + values["ratio_scale"] * d**2)
    else:
        horizon = values["N"] * values["T_per_instance"]
    if "n_tilde" in values:  # network
        runs *= len(values["n_tilde"])
    if "forced_scale" in values:  # sensitivity: every value of every swept hyperparameter
        runs *= len(values["forced_scale"]) + len(values["h"]) + len(values["eta10"])
    rounds = point.replicates * runs * float(horizon)
    return (1.0, rounds, rounds * d**2)


def check_config(cfg: dict) -> None:
    """Checks the schema cannot express (raised before any job runs): the policy names resolve (built-in, or
    an import path whose class follows the protocol), the grids fit the problem."""
    from .study import STUDY

    registry.check_names(cfg["policies"], "policy", "bandits.policies")
    s = cfg["problem"]["s"]
    for name, spec in cfg["experiments"].items():
        where = f"bandits.experiments.{name}"
        if "policies" in spec:
            registry.check_names(spec["policies"], "policy", f"{where}.policies")
        for point in points(STUDY, cfg, name):
            values = point.values
            if "d" in values and int(values["d"]) <= s:
                key = "grid.d" if "d" in point.grid else "d"
                raise ValueError(f"{where}.{key} must exceed problem.s={s}, got {values['d']}")
            if "N" in values and int(values["N"]) < 2:
                key = "grid.N" if "N" in point.grid else "N"
                raise ValueError(f"{where}.{key} must be >= 2, got {values['N']}")
            if "n_tilde" in values and max(values["n_tilde"]) > values["N"]:
                raise ValueError(f"{where}.n_tilde values must be <= N={values['N']}, got {values['n_tilde']}")
