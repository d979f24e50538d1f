"""Readings of Algorithm 1 (paper 004) as data: every ambiguous line is an option of
:class:`~banditlab.pareto.policies.AdaptiveTreePolicy` that cites its line, and a *reading* is a named
combination of them declared in the config (``pareto.readings``), under which the tree policy runs and every
tree claim is reported.

Options (:data:`OPTIONS`: name -> the choices and where each comes from; "line n" is the Algorithm 1 box,
"text l. n" a line of the paper's text):

==============  =========================================================================================
``elimination`` line 11, text l. 218: ``printed`` (keep k when ``|mu_hat_k - mu_hat_k'| <=_C 2C`` for some k'
                of P_hat), ``lemma5`` (drop k only when an arm of P_hat confidently strictly dominates it, the
                rule whose negation is step (c) of Lemma 5's proof, text l. 732), ``confident``
``play_from``   line 12, text l. 219 (``active``: uniform over A) against text l. 287 and Lemma 6 (``front``:
                uniform over P_hat)
``c1``          eq. (5), text l. 279, no value given: ``proof`` (1, Lemma 2's proof, text l. 642),
                ``lipschitz`` (the instance's C_beta, what Lemma 2's bias step needs), or a number
``c2``          eq. (5) prints 1 (``printed``); ``lemma2``: what Lemma 2's union bound (text l. 646-648) needs
                for sigma-sub-Gaussian noise (:func:`lemma2_c2`); or a number
``split_test``  line 14 compares the sampling error with ``V_h^beta`` (``width``); ``bias`` compares it with
                eq. (5)'s bias term ``c1 V_h^beta``
``inherit``     text l. 285 ("endowed with mean reward estimates ... from their parents") against eqs. (3)-(4)
                (``bin``: the parent's rounds inside the child), ``parent``, ``none``
``split_on``    line 14 writes ``n_{k,t}``, the proofs the bin count: ``bin``, ``played_arm``, ``min_active``
==============  =========================================================================================

The premises of Lemmas 2 and 5 (:func:`lemma2_premises`) are computed here from the paper's formulas, per
instance and reading.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = [
    "C1_NAMES",
    "C2_NAMES",
    "OPTIONS",
    "SPLIT_TESTS",
    "check_readings",
    "lemma2_c2",
    "lemma2_premises",
    "reading_params",
]

C1_NAMES = {"proof": 1.0, "lipschitz": None}
"""Named values of ``c1``: Lemma 2's proof writes ``|mu_bar - mu| <= V_h^beta`` (text l. 642), i.e. ``c1 = 1``;
``lipschitz`` is the instance's ``C_beta`` (Assumption 1), what the bias step needs."""
C2_NAMES = {"printed": 1.0, "lemma2": None}
"""Named values of ``c2``: 1 as eq. (5) prints it; ``lemma2`` computed by :func:`lemma2_c2`."""
SPLIT_TESTS = ("width", "bias")

OPTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "elimination": (("printed", "lemma5", "confident"), "line 11 (text l. 218) against Lemma 5's proof (l. 732)"),
    "play_from": (("active", "front"), "line 12 (text l. 219) against the text (l. 287) and Lemma 6"),
    "c1": (("proof", "lipschitz", "<number>"), "eq. (5) (text l. 279): no value; Lemma 2's proof (l. 642) uses 1"),
    "c2": (("printed", "lemma2", "<number>"), "eq. (5) prints 1; Lemma 2's union bound (l. 646-648)"),
    "split_test": (SPLIT_TESTS, "line 14 (text l. 221): sampling error against V_h^beta or c1 V_h^beta"),
    "inherit": (("bin", "parent", "none"), "eqs. (3)-(4) (text l. 271-275) against text l. 285"),
    "split_on": (("bin", "played_arm", "min_active"), "line 14 writes n_{k,t}; the proofs the bin count"),
}
"""Every option a reading may set: its choices and the lines it reads."""


def lemma2_c2(sigma: float, n_arms: int, n_objectives: int, delta: float) -> float:
    """The ``c2`` for which eq. (5)'s sampling term equals the deviation Lemma 2's proof bounds.

    Lemma 2's proof (text l. 646-648) bounds ``|mu_hat - mu_bar|`` by Hoeffding at level ``delta / (K M)``
    (the union bound over ``[K] x [M]``, ``L = M``). For ``sigma``-sub-Gaussian noise (eq. (1)) the mean of n
    rewards deviates by more than ``sigma sqrt(2 log(2 K M / delta) / n)`` with probability at most
    ``delta / (K M)``; eq. (5) writes ``c2 sqrt(log(K M / delta) / n)``, so
    ``c2 = sigma sqrt(2 log(2 K M / delta) / log(K M / delta))``.

    >>> round(lemma2_c2(1.0, 5, 2, 1 / 50_000), 3)
    1.451
    """
    if not (sigma >= 0 and 0 < delta < 1 and n_arms >= 1 and n_objectives >= 1):
        raise ValueError(f"need sigma >= 0, 0 < delta < 1, K, M >= 1; got {sigma}, {delta}, {n_arms}, {n_objectives}")
    km = n_arms * n_objectives
    return float(sigma * math.sqrt(2.0 * math.log(2.0 * km / delta) / math.log(km / delta)))


def reading_params(base: Mapping, reading: Mapping) -> dict:
    """The keyword arguments of the tree policy under ``reading``: the config's ``policy_params.adaptive_tree``
    (``base``: delta, L, beta, max_depth, ...) with the reading's options over it."""
    return {**dict(base), **dict(reading)}


def check_readings(readings: Mapping) -> None:
    """Refuse a reading that names an unknown option or an impossible value, naming the field and what is
    allowed (the schema says the same; this also covers configs built in code)."""
    if not isinstance(readings, Mapping) or not readings:
        raise ValueError("pareto.readings must map reading names to options, e.g. {sound: {elimination: lemma5}}")
    for name, options in readings.items():
        where = f"pareto.readings.{name}"
        if not isinstance(name, str) or not name.replace("_", "").isalnum() or name == "grid":
            raise ValueError(f"{where}: a reading's name must be letters, digits and '_' (and not 'grid')")
        if not isinstance(options, Mapping):
            raise ValueError(f"{where} must be a mapping of options, got {options!r}")
        for key, value in options.items():
            if key not in OPTIONS:
                raise ValueError(f"{where}.{key}: not an option of a reading; allowed: {sorted(OPTIONS)}")
            choices = OPTIONS[key][0]
            numeric = "<number>" in choices and isinstance(value, int | float) and not isinstance(value, bool)
            if numeric:
                low_open = key == "c2"
                if not (value > 0 if low_open else value >= 0) or not math.isfinite(value) or value > 1e6:
                    interval = "(0, 1e6]" if low_open else "[0, 1e6]"
                    raise ValueError(f"{where}.{key} = {value}: allowed: a number in {interval}")
            elif value not in choices or value == "<number>":
                raise ValueError(f"{where}.{key} = {value!r}: allowed: one of {list(choices)}")


def lemma2_premises(params: Mapping) -> list:
    """The premises of Lemma 2 (and of Lemma 5, which rests on its good event) on one instance and reading.

    ``params``: ``instance`` ("printed" or "ramped"), ``lipschitz`` (the instance's C_beta on its smooth
    pieces, or everywhere when ramped), ``c1``, ``c2`` (the values the tree used), ``sigma``, ``K``, ``T``
    (``delta = 1/T``, Appendix H). Three premises: Assumption 1 holds on the instance (the printed means jump,
    so no finite C_beta exists); ``c1 >= C_beta`` (the bias step, text l. 640-642); ``c2 >=`` :func:`lemma2_c2`
    (the union bound, text l. 646-648). A missing parameter raises ``KeyError`` (the row is "not checked").
    """
    from ..verdicts import Premise

    instance, lipschitz = str(params["instance"]), float(params["lipschitz"])
    c1, c2, sigma = float(params["c1"]), float(params["c2"]), float(params["sigma"])
    n_arms, horizon = int(params["K"]), int(params["T"])
    needed = lemma2_c2(sigma, n_arms, 2, 1.0 / horizon)
    smooth = instance != "printed"
    slack = 1 - 1e-9  # the results tables keep 10 significant digits (banditlab.io.FLOAT_FORMAT)
    return [
        Premise(
            "Assumption 1 on the instance",
            smooth,
            f"C_beta = {lipschitz:g} (ramps of the jumps)"
            if smooth
            else "mu^(2) jumps by 1 at x = 0.625, 0.833, 0.9375, 1 (Appendix H, text l. 983-987): no finite C_beta",
            "Assumption 1 (text l. 173); Lemma 2's bias step (text l. 640-642)",
        ),
        Premise(
            "c1 >= C_beta",
            c1 >= lipschitz * slack,
            f"c1 = {c1:g} vs C_beta = {lipschitz:g}",
            "Lemma 2's bias step |mu_bar - mu| <= C_beta V_h^beta (text l. 640-642)",
        ),
        Premise(
            "c2 >= sigma sqrt(2 log(2KM/delta) / log(KM/delta))",
            c2 >= needed * slack,
            f"c2 = {c2:.4g} vs {needed:.4g} (sigma = {sigma:g}, K = {n_arms}, M = 2, delta = 1/{horizon})",
            "Lemma 2's union bound over [K] x [M] (text l. 646-648), sub-Gaussian noise of eq. (1)",
        ),
    ]
