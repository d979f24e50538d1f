"""The premises of paper 000's Section 3 claims (Table 1, Theorem 1, Corollaries 1-2, Propositions 4-7), computed
from the paper's formulas on one instance.

Each ``*_premises(params)`` is a pure function of one instance's parameters (a grid point of the estimation
study: ``n_instances`` N, ``dim`` d, ``sparsity`` s, ``n_per_instance``, ``n_target``, ``noise_sd``, ``design``,
``regime``, ``lam_multiplier``, ``trim_fraction``, ``support``, ``data_poor_ratio``, ``confidence`` (the delta of
lambda), and the measured ``prop7_construction``: the share of replicates meeting Proposition 7's construction)
and returns :class:`banditlab.verdicts.Premise` items: met or not, with the numbers and the lines of the paper
(``shared/papers/000_*.txt``). A missing parameter raises ``KeyError`` (the engine reports the row "not
checked"). :func:`table_status` evaluates a claim's premises at every grid point of a results table (a slope
over a grid meets them only when every point does).

Where no affordable instance meets a premise, the function says so and why; :func:`smallest_instances` gives,
per claim family, the smallest instance inside its premises (the experiments the studies need there).

Lemma 1's free constant c (``0 < c``, ``eta <= 1/2 - c - zeta``, line 323) is :data:`C_LEMMA1` = 0.01 wherever a
premise needs one: small, so that the premises are about as easy to meet as they can be (c -> 0 lowers the N
Corollary 1 needs by 4%), while Corollary 1's bound (its 3/c and 12/c) stays finite.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from ..verdicts import Claim, Premise, premises_over
from . import theory

__all__ = [
    "C_LEMMA1",
    "corollary1_premises",
    "corollary2_premises",
    "lemma1_premises",
    "line345_no_gain_premises",
    "corollary_failure_probability",
    "corollary_min_instances",
    "corollary1_smallest",
    "corollary2_min_instances",
    "points_of",
    "exact_rate_premises",
    "appendix_b_premises",
    "proposition7_premises",
    "smallest_instances",
    "study_premises",
    "table1_premises",
    "table_status",
    "theorem1_premises",
]

C_LEMMA1 = 0.01
"""Lemma 1's constant c where a premise needs one (module docstring)."""
BOUNDED_DESIGNS = ("uniform", "identity")
"""Designs whose entries are bounded (Assumption 1): Uniform(-1, 1), and Appendix B's fixed Sigma-hat = I design."""

# --------------------------------------------------------------------------------------------- formulas


def corollary_failure_probability(n_instances: float, dim: float, zeta: float, c: float = C_LEMMA1) -> float:
    """The smallest delta Corollaries 1-2 allow: ``6d exp(-N/9 (1/2 - c - zeta)^2)`` (lines 343, 359, 812, 826).

    Infinite when ``zeta >= 1/2 - c`` (no N makes Lemma 1's ``eta <= 1/2 - c - zeta`` possible).

    Examples
    --------
    >>> round(corollary_failure_probability(20, 50, (2 / 50) ** 0.5))   # N = 20, d = 50, s = 2
    249
    >>> f"{corollary_failure_probability(1500, 32, (1 / 32) ** 0.5):.2g}"
    '1.5e-05'
    """
    room = 0.5 - c - zeta
    if room <= 0:
        return math.inf
    return 6 * dim * math.exp(-n_instances / 9 * room**2)


def corollary_min_instances(dim: float, zeta: float, delta: float, c: float = C_LEMMA1) -> float:
    """Smallest N with ``6d exp(-N/9 (1/2 - c - zeta)^2) <= delta``: ``9 log(6d/delta) / (1/2 - c - zeta)^2``.

    >>> math.ceil(corollary_min_instances(50, (2 / 50) ** 0.5, 0.05))
    931
    """
    room = 0.5 - c - zeta
    return math.inf if room <= 0 else 9 * math.log(6 * dim / delta) / room**2


def corollary2_min_instances(dim: float, omega: float, delta: float) -> int:
    """Smallest N with the proof's ``eta = sqrt(9/N log(6d/delta))`` below the trim ``omega`` (so ``zeta > 0``).

    >>> corollary2_min_instances(20, 0.49, 0.05)
    292
    """
    if omega <= 0:
        return math.inf
    return math.floor(9 * math.log(6 * dim / delta) / omega**2) + 1


def _trimmed(omega: float, n_instances: int) -> int:
    """Values TrimmedMean removes from each end: ``floor(omega N)`` (Algorithm 1, eq. (2))."""
    return int(math.floor(omega * n_instances + 1e-9))


def _trim(params: Mapping) -> float:
    trim = params["trim_fraction"]
    if isinstance(trim, str) and trim in theory.TRIM_READINGS:
        N, d, s, delta = _values(params)
        return theory.resolve_trim(trim, s, d, N, delta)
    return float(trim)  # a number (read back from a CSV column that also holds names: a string)


def _values(params: Mapping) -> tuple[int, int, int, float]:
    return int(params["n_instances"]), int(params["dim"]), int(params["sparsity"]), float(params["confidence"])


# ------------------------------------------------------------------------------------ premises, one by one


def _assumption1(params: Mapping) -> Premise:
    design = str(params["design"])
    if design in BOUNDED_DESIGNS:
        return Premise("Assumption 1 (bounded design)", True, f"design {design}", "line 137")
    return Premise(
        "Assumption 1 (bounded design)",
        False,
        f"design {design}: Gaussian contexts are unbounded (lambda uses x_max = the largest realized entry over all "
        "instances)",
        "line 137",
    )


def _assumption6(params: Mapping) -> Premise:
    d = int(params["dim"])
    sizes = [int(params["n_per_instance"])]
    if params["regime"] == "data_poor":
        sizes.append(int(params["n_target"]))
    smallest = min(sizes)
    detail = f"smallest n_j = {smallest} vs d = {d}"
    return Premise("Assumption 6 (psi > 0: every instance's OLS exists, n_j > d)", smallest > d, detail, "line 180")


def _regime(params: Mapping, regime: str) -> Premise:
    ratio = float(params.get("data_poor_ratio", 0) or 0)
    if regime == "data_poor":
        met = params["regime"] == "data_poor" and ratio > 0
        detail = f"regime {params['regime']}, n_i = {ratio:g} d^2 n_j" if met else f"regime {params['regime']}"
        return Premise("data-poor regime, n_i = Theta(d^2 n_j)", met, detail, "line 349")
    met = params["regime"] == "standard"
    return Premise("standard regime (n_j of similar size)", met, f"regime {params['regime']}", "line 335")


def _lambda_theory(params: Mapping, who: str, where: str) -> Premise:
    multiplier = float(params["lam_multiplier"])
    if multiplier == 1.0:
        return Premise(f"lambda at {who}'s value", True, "multiplier 1", where)
    return Premise(
        f"lambda at {who}'s value",
        False,
        f"lambda = {multiplier:g} x sqrt(32 sigma^2 x_max^2/n_j log(4d/delta))",
        where,
    )


def _appendix_b_design(params: Mapping) -> Premise:
    design = str(params["design"])
    return Premise(
        "Appendix B's design (Sigma-hat = I, Gaussian noise)",
        design == "identity",
        f"design {design}",
        "line 836",
    )


def _corollary1_failure(params: Mapping, c: float) -> Premise:
    N, d, s, delta = _values(params)
    zeta = math.sqrt(s / d)
    smallest = corollary_failure_probability(N, d, zeta, c)
    where = "lines 341-343, 810-812"
    if not math.isfinite(smallest):
        return Premise(
            "Corollary 1's failure probability",
            False,
            f"zeta = sqrt(s/d) = {zeta:.3g} >= 1/2 - c: no N makes delta finite",
            where,
        )
    needed = math.ceil(corollary_min_instances(d, zeta, delta, c))
    detail = (
        f"delta >= 6d exp(-N/9 (1/2 - c - sqrt(s/d))^2) = {smallest:.3g} (N = {N}; delta = {delta:g} needs "
        f"N >= {needed})"
    )
    if smallest <= delta:
        return Premise("Corollary 1's failure probability", True, detail, where)
    return Premise("Corollary 1's failure probability", False, detail.replace(" (N", f" > {delta:g} (N", 1), where)


def _corollary1_trim(params: Mapping, c: float) -> Premise:
    N, d, s, delta = _values(params)
    zeta = math.sqrt(s / d)
    eta = theory.eta_proof(N, d, delta)
    wanted, used = zeta + eta, _trim(params)
    where = "lines 323, 337, 798"
    detail = (
        f"trims omega = {used:.3g} ({_trimmed(used, N)} of {N} from each end); Corollary 1 trims zeta + eta = "
        f"{zeta:.3g} + {eta:.3g} (eta = sqrt(9/N log(6d/delta)) of its proof)"
    )
    if wanted > 0.5 - c:
        return Premise("Corollary 1's trimming", False, f"{detail} = {wanted:.3g} > 1/2 - c", where)
    met = _trimmed(used, N) == _trimmed(wanted, N)
    return Premise(
        "Corollary 1's trimming", met, f"{detail} = {wanted:.3g} ({_trimmed(wanted, N)} from each end)", where
    )


def _corollary2_trim(params: Mapping, c: float) -> Premise:
    N, d, s, delta = _values(params)
    omega = _trim(params)
    eta = theory.eta_proof(N, d, delta)  # as printed: N, though the trimmed mean leaves the target out
    where = "lines 353-359, 816, 824-826"
    if omega > 0.5 - c:
        return Premise("Corollary 2's trimming and failure probability", False, f"omega = {omega:.3g} > 1/2 - c", where)
    needed = corollary2_min_instances(d, omega, delta)
    best = corollary2_min_instances(d, 0.5 - c, delta)
    detail = (
        f"the proof's eta = sqrt(9/N log(6d/delta)) = {eta:.3g} vs the trim omega = {omega:.3g}: zeta = omega - eta "
        f"= {omega - eta:.3g} (N = {N}; needs N >= {needed} at this trim, {best} at omega = 1/2 - c)"
    )
    return Premise("Corollary 2's trimming and failure probability", eta < omega, detail, where)


def _proposition7_construction(params: Mapping) -> list[Premise]:
    where = "lines 928-930, 974"
    support = str(params["support"])
    N, d, s, _ = _values(params)
    confidence = float(params["confidence"])
    out = [
        Premise(
            "Proposition 7's construction (ii)-(iii): disjoint supports, Ns <= d",
            support == "disjoint" and N * s <= d,
            f"support {support}, Ns = {N * s}, d = {d}",
            where,
        ),
        Premise("Proposition 7's C <= 1/2", confidence <= 0.5, f"C = delta = {confidence:g}", "line 928"),
    ]
    share = params.get("prop7_construction", math.nan)
    if share is None or not math.isfinite(float(share)):
        out.append(
            Premise(
                "Proposition 7's construction (i), every instance's deviations >= N (5 lambda/4 + t)",
                None,
                "not measured on this row (metric lower_bound_applies_corrected)",
                "lines 954-974 (finding 000-prop7-condition)",
            )
        )
    else:
        out.append(
            Premise(
                "Proposition 7's construction (i), every instance's deviations >= N (5 lambda/4 + t)",
                float(share) >= 1.0,
                f"met in {float(share):.0%} of the replicates",
                "lines 954-974 (finding 000-prop7-condition)",
            )
        )
    return out


# ---------------------------------------------------------------------------------- premises of each claim


def exact_rate_premises(regime: str):
    """Table 1's independent OLS, averaging and pooling cells read as exact rates (their law is Gaussian up to
    bounded factors, Appendix B.1-B.3): Gaussian noise (every study), every OLS defined, the cell's regime."""

    def premises(params: Mapping) -> list[Premise]:
        return [_assumption6(params), _regime(params, regime)]

    premises.__doc__ = f"Premises of Table 1's exact-rate cells, {regime} regime."
    return premises


def corollary1_premises(params: Mapping, c: float = C_LEMMA1) -> list[Premise]:
    """Corollary 1 (line 337; proof lines 796-812): Table 1's robust multitask cell, standard regime.

    Its failure probability ``6d exp(-N/9 (1/2 - c - sqrt(s/d))^2)`` at most the delta of lambda; lambda at
    its value; the trimming ``zeta + eta`` with ``zeta = sqrt(s/d)`` and the proof's ``eta``; Assumptions 1 and 6;
    the standard regime.

    >>> point = dict(n_instances=20, dim=50, sparsity=2, n_per_instance=200, n_target=200, design="uniform",
    ...              regime="standard", lam_multiplier=0.25, trim_fraction="theory", confidence=0.05)
    >>> [p.name for p in corollary1_premises(point) if not p.met]
    ["Corollary 1's failure probability", "lambda at Corollary 1's value", "Corollary 1's trimming"]
    """
    return [
        _corollary1_failure(params, c),
        _lambda_theory(params, "Corollary 1", "line 337"),
        _corollary1_trim(params, c),
        _assumption1(params),
        _assumption6(params),
        _regime(params, "standard"),
    ]


def corollary2_premises(params: Mapping, c: float = C_LEMMA1) -> list[Premise]:
    """Corollary 2 (line 353; proof lines 814-826): Table 1's robust multitask cell, data-poor regime.

    ``zeta = omega - eta > 0`` for the trim used and the proof's ``eta`` (then its delta condition is Lemma 1's
    ``omega <= 1/2 - c``); lambda at its value; Assumptions 1 and 6; the data-poor regime.
    """
    return [
        _corollary2_trim(params, c),
        _lambda_theory(params, "Corollary 2", "line 353"),
        _assumption1(params),
        _assumption6(params),
        _regime(params, "data_poor"),
    ]


def appendix_b_premises(params: Mapping) -> list[Premise]:
    """Propositions 4-6 (lines 836-924): Sigma-hat = I and Gaussian noise; every OLS defined."""
    return [_appendix_b_design(params), _assumption6(params)]


def proposition7_premises(params: Mapping) -> list[Premise]:
    """Proposition 7 (line 930; construction line 974): Appendix B's design, lambda at Corollary 1's value with
    delta = C <= 1/2, disjoint supports with Ns <= d, and the construction (i) as the proof needs it (measured)."""
    return [
        _appendix_b_design(params),
        _lambda_theory(params, "Proposition 7", "lines 928-930"),
        *_proposition7_construction(params),
        _assumption6(params),
    ]


def theorem1_premises(params: Mapping) -> list[Premise]:
    """Theorem 1 (line 331): ``zeta in (0, 1/2)``, ``0 < eta <= 1/2 - c - zeta``; the study splits its trim
    ``omega`` as ``zeta = eta = omega/2``, ``c = 1/2 - omega``, so ``0 < omega < 1/2``; Assumptions 1 and 6."""
    omega = _trim(params)
    split = Premise(
        "Theorem 1's 0 < eta <= 1/2 - c - zeta (zeta = eta = omega/2, c = 1/2 - omega)",
        0 < omega < 0.5,
        f"omega = {omega:.3g}",
        "line 331",
    )
    return [split, _assumption1(params), _assumption6(params)]


def lemma1_premises(params: Mapping) -> list[Premise]:
    """Lemma 1 (line 323): zeta, eta, c > 0 with eta < 1/2 - c - zeta (the study takes c = 1/2 - zeta - eta, a hair
    less), fewer than N zeta corrupted samples (``ceil(N zeta) - 1``), the others independent sigma-subgaussian with
    a common mean (Gaussian draws)."""
    zeta, eta = float(params["corrupted_fraction"]), float(params["lemma1_eta"])
    N = int(params["n_instances"])
    corrupted = max(math.ceil(N * zeta) - 1, 0)
    return [
        Premise(
            "Lemma 1's 0 < eta < 1/2 - c - zeta with c > 0",
            zeta > 0 and eta > 0 and zeta + eta < 0.5,
            f"zeta = {zeta:g}, eta = {eta:g}, c = 1/2 - zeta - eta = {0.5 - zeta - eta:.3g}",
            "line 323",
        ),
        Premise(
            "|J| < N zeta corrupted samples",
            corrupted < N * zeta,
            f"{corrupted} of N = {N} (N zeta = {N * zeta:g})",
            "line 323",
        ),
    ]


def line345_no_gain_premises(params: Mapping, c: float = C_LEMMA1) -> list[Premise]:
    """Line 345's second half reads Corollary 1's bound where N = o(d): Corollary 1's premises (N at least what its
    delta needs, a few hundred for every d) and N = o(d), read as N <= d/10. Together they need d in the thousands
    (N >= 509 at every d up to 256: :func:`corollary1_smallest`), out of reach of the studies."""
    N, d = int(params["n_instances"]), int(params["dim"])
    few = Premise("N = o(d) (read: N <= d/10)", N <= d / 10, f"N = {N}, d = {d}", "line 345")
    return [*corollary1_premises(params, c), few]


def table1_premises(estimator: str, regime: str):
    """The premise function of Table 1's cell (estimator, regime)."""
    if estimator in ("independent_ols", "averaging", "pooling"):
        return exact_rate_premises(regime)
    if estimator == "averaging_multitask":

        def premises(params: Mapping) -> list[Premise]:
            return [*proposition7_premises(params), _regime(params, regime)]

        premises.__doc__ = f"Proposition 7's premises in the {regime} regime (Table 1's averaging multitask cell)."
        return premises
    if estimator == "robust_multitask":
        return corollary1_premises if regime == "standard" else corollary2_premises
    raise ValueError(f"no Table 1 cell for estimator {estimator!r}")


# ------------------------------------------------------------------------------- premises of result tables


def points_of(table: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """The grid points of an estimation results table: (labels, parameters), each with the measured
    ``prop7_construction`` (share of replicates meeting Proposition 7's construction, where measured)."""
    keys = [key for key in (*_POINT_KEYS, "confidence") if key in table.columns]
    labels, points = [], []
    for _, point in table.groupby("axis_value", sort=False) if "axis_value" in table else [("", table)]:
        params = {key: point[key].iloc[0] for key in keys}
        applies = point[(point["metric"] == "lower_bound_applies_corrected")] if "metric" in point else point.iloc[:0]
        params["prop7_construction"] = float(applies["error"].mean()) if len(applies) else math.nan
        axis = point["axis"].iloc[0] if "axis" in point else "point"
        labels.append(f"{axis}={point['axis_value'].iloc[0]}" if "axis_value" in point else axis)
        points.append(params)
    return labels, points


_POINT_KEYS = (
    "n_instances",
    "dim",
    "sparsity",
    "n_per_instance",
    "n_target",
    "noise_sd",
    "deviation_size",
    "support",
    "design",
    "trim_fraction",
    "regime",
    "lam_multiplier",
    "data_poor_ratio",
    "case",
    "corrupted_fraction",
    "lemma1_eta",
)


def table_status(claim: Claim, table: pd.DataFrame) -> str:
    """``claim``'s premises status on the rows of an estimation results table (one study, or one grid point)."""
    labels, points = points_of(table)
    return premises_over(claim, points, labels)


def study_premises(estimation: Mapping, claims: Sequence[Claim]) -> pd.DataFrame:
    """Every claim's premises at every grid point of every experiment of an ``estimation`` config block (no
    simulation; Proposition 7's measured construction is read from the config's deviation size against the proof's
    need)."""
    from ..study import points
    from .study import STUDY

    rows = []
    for study in estimation["experiments"]:
        for point in points(STUDY, estimation, study):
            label = point.label
            params = {**point.values, "confidence": float(estimation["confidence"])}
            params["prop7_construction"] = _construction_from_config(params)
            for claim in claims:
                if claim.premises is None:
                    continue
                try:
                    items = list(claim.premises(params))
                except KeyError:
                    continue  # a claim whose premises read keys this experiment has not (Lemma 1's on the others)
                failing = [p for p in items if p.met is False]
                rows.append(
                    {
                        "study": study,
                        "point": label,
                        "claim_id": claim.claim_id,
                        "met": not failing,
                        "failing": "; ".join(p.text() for p in failing),
                    }
                )
    return pd.DataFrame(rows)


def _construction_from_config(params: Mapping) -> float:
    """1 when the point's deviation size reaches Proposition 7's need N (5 lambda/4 + t) (x_max of the identity design
    as the study's construction check takes it), else 0; NaN outside Appendix B's design."""
    if params["design"] != "identity" or params["support"] != "disjoint":
        return math.nan
    import numpy as np

    N, d = int(params["n_instances"]), int(params["dim"])
    n_obs = np.full(N, float(params["n_per_instance"]))
    if params["regime"] == "data_poor":
        n_obs[0] = float(params["n_target"])
    x_max = float(np.sqrt(2 * np.log(2 * n_obs.max() * d / 0.01)))
    sds = np.full(N, float(params["noise_sd"]))
    needed = theory.proposition7_min_deviation(N, 0, sds, n_obs, d, x_max, float(params["confidence"]), True)
    return float(float(params["deviation_size"]) >= needed)


# ------------------------------------------------------------------------------------ smallest instances


def corollary1_smallest(sparsity: int = 1, confidence: float = 0.05, c: float = C_LEMMA1, dims=None) -> pd.DataFrame:
    """Per d, the smallest N inside Corollary 1's premises (failure probability <= ``confidence``), with the trim
    ``zeta + eta`` it then prescribes; and at N = 1500 the corollary's own delta."""
    dims = dims or (8, 16, 32, 50, 64, 100, 128, 200, 256)
    rows = []
    for d in dims:
        zeta = math.sqrt(sparsity / d)
        needed = corollary_min_instances(d, zeta, confidence, c)
        if not math.isfinite(needed):
            continue  # zeta = sqrt(s/d) >= 1/2 - c: no N makes delta finite
        n_min = math.ceil(needed)
        eta = theory.eta_proof(n_min, d, confidence)
        rows.append(
            {
                "s": sparsity,
                "d": d,
                "N_min": n_min,
                "trim": zeta + eta,
                "delta_at_N_min": corollary_failure_probability(n_min, d, zeta, c),
                "delta_at_N_1500": corollary_failure_probability(1500, d, zeta, c),
            }
        )
    return pd.DataFrame(rows)


def smallest_instances(confidence: float = 0.05, c: float = C_LEMMA1) -> pd.DataFrame:
    """Per claim family of Section 3, the smallest instance inside its premises (what the studies would need)."""
    cor1 = corollary1_smallest(1, confidence, c)
    best = cor1.loc[cor1["N_min"].idxmin()]
    at32 = cor1.set_index("d").loc[32]
    cor2 = {d: corollary2_min_instances(d, 0.5 - c, confidence) for d in (10, 20, 40, 80)}
    return pd.DataFrame(
        [
            {
                "claims": "000-table1-robust_multitask-standard (Corollary 1)",
                "smallest instance": (
                    f"s = 1: N >= {int(best['N_min'])} at d = {int(best['d'])} (N >= {int(at32['N_min'])} at d = 32), "
                    f"trim zeta + eta = {best['trim']:.3g}, lambda multiplier 1, a bounded design, "
                    f"delta = {confidence:g}"
                ),
                "numbers": (
                    f"d = 32, s = 1: delta = {at32['delta_at_N_1500']:.2g} at N = 1500; Table 1's grid: N proportional "
                    "to d/s above these"
                ),
            },
            {
                "claims": "000-table1-robust_multitask-data_poor (Corollary 2)",
                "smallest instance": (
                    "trim omega = 1/2 - c = 0.49, N >= "
                    + ", ".join(f"{n} (d = {d})" for d, n in cor2.items())
                    + "; a bounded design (not the Gaussian one), lambda multiplier 1, n_i = Theta(d^2 n_j)"
                ),
                "numbers": "zeta = omega - sqrt(9/N log(6d/delta)) > 0",
            },
            {
                "claims": "000-theorem1",
                "smallest instance": "any 0 < trim < 1/2 and a bounded design; non-vacuous when 3d exp(-N omega^2/36) "
                "+ 2d exp(-lambda^2 n/(32 sigma^2 x_max^2)) < 1 (theorem1_level: N = 1500, d = 8)",
                "numbers": "met by the theorem1_level study",
            },
            {
                "claims": "000-proposition4/5/6, Table 1's exact-rate cells",
                "smallest instance": (
                    "design identity (Sigma-hat = I), every n_j > d; data-poor cells n_i = Theta(d^2 n_j)"
                ),
                "numbers": "met by every construction study",
            },
            {
                "claims": "000-proposition7, 000-table1-averaging_multitask-*",
                "smallest instance": "the construction studies (identity, disjoint, lambda multiplier 1, deviations "
                ">= N (5 lambda/4 + t))",
                "numbers": "met by every construction study",
            },
        ]
    )
