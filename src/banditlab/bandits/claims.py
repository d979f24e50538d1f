"""The regret study's claims (paper 000, Section 4) and its findings about the paper.

Claims are declared here, next to the study whose rows test them (:mod:`.checks`); :mod:`banditlab.verdicts`
turns the rows into verdicts (one engine for the whole ledger).
"""

from __future__ import annotations

import numpy as np

from .. import verdicts as v
from ..stats import local_slope
from . import premises

P000 = "000 Xu & Bastani"
RMBANDIT = "rmbandit"
INDEPENDENT = ("ols_bandit", "lasso_bandit")
LOG_EXPONENT_SLACK = 0.25
"""Slack on the exponent of log T: the doubling batches make dR/dlog t step-like between batch ends."""
_CHECK = "results/tables/regret_check.md"


def _claim(claim_id, where, statement, kind, instance, rule, figure, **options) -> v.Claim:
    options.setdefault("premises", premises.theorem2_premises)
    options.setdefault("method", "RMBandit")
    return v.Claim(claim_id, P000, where, statement, kind, instance, rule, (figure, _CHECK), **options)


_UPPER_RULE = "slope <= largest exponent among the bound's terms on the grid + slack 0.1"
_COMPARISON_RULE = "per-replicate difference of the two slopes < 0 (interval entirely below 0 to hold)"
_LINEAR = v.Control(
    "pooled bandit (linear regret)",
    "one model for every instance, biased by the deviations: a constant regret per arrival, so its power of t is 1 "
    "and its exponent of log t grows without bound; a growth rule it passes cannot tell polylogarithmic from linear",
    "the same fits (growth_in_t, after 2 B_0) on the pooled policy's regret_vs_t checkpoints (already in the table), "
    "role control, the claim's region",
)
_ALPHA0 = v.Control(
    "the alpha = 0 network",
    "s~ = 1 at every N~: Corollary 4's bound d (1 + d/N~) is smallest at N~ = N, so an interior N~ must not beat "
    "sharing with all",
    "network rows at alpha = 0 (in the network experiments' grids): target regret at each alpha's N~* minus at "
    "N~ = N, same d, paired per replicate, role control",
)
_POOLED_SLOPES = (
    "per replicate: the pooled policy's slope of regret in {axis} minus OLS Bandit's and LASSO Bandit's on {table} "
    "(pooled is in the table), role control"
)
_POOLED_WHY = (
    "it shares every instance's data without debiasing, so the claimed gain (robust sharing of the shared part) is "
    "absent: its regret is linear in T, large and about flat in {axis}; a slope comparison it passes rewards large "
    "flat regret, not the gain"
)
CLAIMS: tuple[v.Claim, ...] = (
    _claim(
        "000-corollary3-T-polylog",
        "Section 4.2, Theorem 2 (line 458) and Corollary 3 (line 468)",
        "RMBandit's regret grows polylogarithmically in T (O(log^2 T) per instance): no power of t",
        v.UPPER_BOUND,
        "regret_vs_t: N instances with equal traffic, uniform contexts, T_per_instance arrivals each",
        "power of t in dR/dlog t <= its local value for log^2 t, (2-1)/log t, + slack 0.1",
        "figures/regret_vs_t.png",
        slack=v.SLOPE_SLACK,
        control=_LINEAR,
    ),
    _claim(
        "000-corollary3-T-log-exponent",
        "Section 4.2, Theorem 2 (line 458) and Corollary 3 (line 468)",
        "the exponent of log T in RMBandit's regret is at most 2",
        v.UPPER_BOUND,
        "regret_vs_t (as above)",
        f"exponent a of log^a t <= 2 + slack {LOG_EXPONENT_SLACK}",
        "figures/regret_vs_t.png",
        resolution=v.LOG_EXPONENT_RESOLUTION,
        slack=LOG_EXPONENT_SLACK,
        control=_LINEAR,
    ),
    _claim(
        "000-corollary3-d",
        "Section 4.2, Corollary 3 (line 468)",
        "RMBandit's per-instance regret grows in d at most like d (s + d/N) log N",
        v.UPPER_BOUND,
        "regret_vs_d: d grid at fixed N, s, T per instance",
        _UPPER_RULE + " (terms d s and d^2/N: exponents 1 and 2)",
        "figures/regret_vs_d.png",
        slack=v.SLOPE_SLACK,
        control=v.Control(
            "OLS Bandit",
            "an independent bandit, O(d^2 log^(3/2) d log T) (line 472): a slope about 2.3 in d on the grid, above "
            "Corollary 3's d (s + d/N) for N >= d; a rule that passes it does not show the bound",
            "ols_bandit's per-replicate slope of regret in d on regret_vs_d (in the table), role control",
        ),
    ),
    _claim(
        "000-corollary3-vs-independent",
        "Section 4.2, after Corollary 3 (line 472)",
        "RMBandit's regret is smaller by a factor d than an independent bandit's O(d^2 log^(3/2) d log T): "
        "it grows more slowly in d",
        v.COMPARISON,
        "regret_vs_d, RMBandit against OLS Bandit and LASSO Bandit on the same problems",
        _COMPARISON_RULE,
        "figures/regret_vs_d.png",
        control=v.Control(
            "pooled bandit", _POOLED_WHY.format(axis="d"), _POOLED_SLOPES.format(axis="d", table="regret_vs_d")
        ),
    ),
    _claim(
        "000-corollary3-N",
        "Section 4.2, Corollary 3 (line 468)",
        "RMBandit's per-instance regret grows in N at most like (s + d/N) log N",
        v.UPPER_BOUND,
        "regret_vs_n: N grid at fixed d, s, T per instance",
        _UPPER_RULE + " (terms s log N and (d/N) log N)",
        "figures/regret_vs_n.png",
        slack=v.SLOPE_SLACK,
        control=v.Control(
            "OLS Bandit",
            "an independent bandit gains nothing from more instances (slope 0 in N); the rule, a ceiling at the slope "
            "of log N, must reject it if it is to show Corollary 3's fall in N",
            "ols_bandit's per-replicate slope of per-instance regret in N on regret_vs_n (in the table), role control",
        ),
    ),
    _claim(
        "000-corollary3-N-vs-independent",
        "Section 4.2, Corollary 3 (line 468) against an independent bandit (line 472)",
        "more instances help RMBandit but not an independent bandit: its slope in N is below theirs",
        v.COMPARISON,
        "regret_vs_n, RMBandit against OLS Bandit and LASSO Bandit on the same problems",
        _COMPARISON_RULE,
        "figures/regret_vs_n.png",
        control=v.Control(
            "pooled bandit", _POOLED_WHY.format(axis="N"), _POOLED_SLOPES.format(axis="N", table="regret_vs_n")
        ),
    ),
    _claim(
        "000-corollary3-K",
        "Section 4.2, Theorem 2 (line 460) and Corollary 3 (line 470)",
        "RMBandit's per-instance regret grows in the number of arms K at most like K",
        v.UPPER_BOUND,
        "regret_vs_k: K grid at fixed N, d, s, T per instance (every arm drawn alike: exchangeable arms)",
        _UPPER_RULE + " (the term K: exponent 1)",
        "figures/regret_vs_k.png",
        slack=v.SLOPE_SLACK,
        premises=premises.arms_premises,
        control=v.Control(
            "pooled bandit (linear regret)",
            "a policy that does not learn the instances' deviations (regret linear in T): a rule on the K slope "
            "that it passes says nothing about RMBandit's K d (s + d/N) log N log^2 T",
            "the pooled policy's per-replicate slope of regret in K on regret_vs_k (in the table), role control",
        ),
    ),
    _claim(
        "000-corollary4-ntilde",
        "Section 4.3, Corollary 4 (line 486)",
        "with s~ = N~^alpha, sharing with N~ = Theta(d^(1/(alpha+1))) instances gives lower target regret than "
        "sharing with none (N~ = 1) or with all (N~ = N)",
        v.COMPARISON,
        "every network experiment (N instances whose differences to the target grow like N~^alpha, eq. (1)): one row "
        "per alpha > 0, d and end of the N~ grid (N~ = 1 and N~ = N), nothing left out; N~ = 1 is never inside the "
        "premises (1 < log(dNT))",
        "target regret at the N~ nearest d^(1/(alpha+1)) minus at the end < 0 (paired per replicate)",
        "figures/regret_network.png",
        premises=premises.corollary4_premises,
        control=_ALPHA0,
    ),
    _claim(
        "000-corollary4-scaling",
        "Section 4.3, Corollary 4 (lines 484-486)",
        "the N~ that minimises the target's regret grows like d^(1/(alpha+1))",
        v.EXACT_RATE,
        "network experiments with a d grid: per alpha > 0, the minimiser of the target's mean regret over the N~ grid "
        "(parabola through the smallest mean and its two neighbours in log N~) at every d",
        "log-log slope of the minimiser in d within 1/(alpha+1) +- slack 0.1 (replicates bootstrapped)",
        "figures/regret_network_scaling.png",
        slack=v.SLOPE_SLACK,
        premises=premises.corollary4_premises,
        control=v.Control(
            "the alpha = 0 network",
            "s~ = 1 at every N~: the bound d (1 + d/N~) falls all the way to N~ = N, so the minimiser stays at the end "
            "of the grid instead of growing like d^(1/(alpha+1))",
            "the same fit on the alpha = 0 rows of the same experiment, with each alpha's region, role control",
        ),
    ),
    _claim(
        "000-theorem3-d",
        "Section 4.4, Theorem 3 (line 498)",
        "the data-poor target's regret is O(K s^2 log^2(dT)): polylogarithmic in d",
        v.UPPER_BOUND,
        "data_poor: a target with p_l/p_j = ratio_scale d^2 traffic to its neighbour, T_target arrivals",
        _UPPER_RULE + " (the term s^2 log^2(dT))",
        "figures/regret_data_poor.png",
        slack=v.SLOPE_SLACK,
        premises=premises.theorem3_premises,
        control=v.Control(
            "OLS Bandit on the target",
            "an independent bandit's target regret grows like d^2 (line 472), far above s^2 log^2(dT)",
            "ols_bandit's per-replicate slope of target regret in d on data_poor (in the table), role control",
        ),
    ),
    _claim(
        "000-theorem3-vs-independent",
        "Section 4.4, after Theorem 3 (line 504)",
        "multitask learning exponentially reduces the data-poor target's regret in d against an independent bandit",
        v.COMPARISON,
        "data_poor, RMBandit against OLS Bandit and LASSO Bandit on the same problems",
        _COMPARISON_RULE,
        "figures/regret_data_poor.png",
        premises=premises.theorem3_premises,
        control=v.Control(
            "pooled bandit",
            "pools target and neighbour without debiasing: the target's estimate keeps the s differing coordinates' "
            "bias, so its regret is linear in T and about flat in d",
            _POOLED_SLOPES.format(axis="d", table="data_poor"),
        ),
    ),
    _claim(
        "000-proposition2",
        "Section 4.5, Proposition 2 (line 518)",
        "each forced-sample estimator is within h/(4 x_max) of the truth in l1 with probability at least 1 - 10/T",
        v.LEVEL,
        "regret_vs_t: RMBandit's forced-sample estimator of instance 0 and arm 0, one draw per replicate",
        "share of replicates with ||beta_hat(B_0) - beta||_1 > h/(4 x_max) <= 10/T (exact binomial test, "
        "Clopper-Pearson interval)",
        "results/tables/regret_check.md",
        premises=premises.proposition2_premises,
        control=v.Control(
            "the pooled bandit's forced-sample estimator",
            "one pooled OLS per arm ignores the instances' deviations (size delta_scale on s coordinates), so its l1 "
            "error is at least about s delta_scale, above h/(4 x_max) for every h of the study: it must exceed",
            "the same exceedance rows for the pooled policy's forced-sample estimator, role control",
        ),
    ),
    _claim(
        "000-lemma11",
        "Appendix C.4, Lemma 11 (line 1233); event A, eq. (7) (line 524)",
        "event A (every forced-sample estimator within h/(4 x_max)) holds with probability at least 1 - 10KN/T; on A "
        "the forced-sample filter never drops an optimal arm",
        v.LEVEL,
        "regret_vs_t: per replicate, RMBandit's forced-sample estimators of every instance and arm, and its filter",
        "share of replicates where A fails, and where the filter drops an optimal arm after B_0, <= 10KN/T (exact "
        "binomial test, Clopper-Pearson interval)",
        "results/tables/regret_check.md",
        premises=premises.proposition2_premises,
        control=v.Control(
            "the pooled bandit's forced-sample estimators",
            "biased by the deviations (see 000-proposition2): A fails in every replicate",
            "the same exceedance rows for the pooled policy, role control",
        ),
    ),
)
"""Every claim the regret study tests, in paper order."""
_BY_ID = {claim.claim_id: claim for claim in CLAIMS}


def _theory_q_evidence() -> str:
    from .hyperparameters import theory_standard

    N, K, d, s, T, sigma = 10, 2, 20, 1, 40_000, 0.5
    constants = {"x_max": 1.0, "p_star": 0.5, "psi": 1 / 3, "rho": 1.0, "h": 1.0}
    q = theory_standard(N, K, d, s, T, np.full(N, 1 / N), sigma, constants).q
    return (
        f"N={N}, K={K}, d={d}, s={s}, sigma={sigma}, equal traffic, x_max=1, p*=0.5, psi=1/3 (uniform contexts), "
        f"h=1, c=0.1: q = {q:.3g}, so B_0 = q log T = {q * np.log(T):.3g} forced rounds against T = {T}"
    )


def _constraints_evidence() -> str:
    smallest = premises.appendix_c1_smallest_n()
    window = premises.eq23_eq26_window(20, 1)
    opens = next(d for d in range(5, 400) if premises.eq23_eq26_window(d, 1) < 1)
    checks = premises.appendix_c1_constraints(10, 2, 20, 1, 40_000)
    return (
        "N = 10, K = 2, d = 20, s = 1, sigma = 0.5, equal traffic, x_max = 1, p* = 1/2, psi = 1/3, rho = 1, h = 1 "
        f"(the most favourable constants), c = 0.1, T = 4e4: B_0 = {checks['B_0 < T'][0]:.3g} against (26)'s "
        f"{checks['(26) B_0 <= ...'][1]:.3g}; (29) needs log(dT/2) = {checks['(29) log(dT/2) <= ...'][0]:.3g} <= "
        f"{checks['(29) log(dT/2) <= ...'][1]:.3g}. Over every c and T, B_0 < T, (26) and (29) hold together only from "
        f"N = {smallest['N']:.3g} (with c = {smallest['c']:.2g} and T = {smallest['T_low']:.2g}). (23) and (26) "
        f"leave no room for |B_0| at d = 20, s = 1 for any N, T, c (lower end {window:.3g}x the upper end; room "
        f"from d = {opens})"
    )


def _log_dt_evidence() -> str:
    parts = []
    for d, t in ((20, 4000), (20, 20_000), (160, 5000)):
        parts.append(f"d = {d}, T = {t}: (log(dT)/log T)^2 = {(np.log(d * t) / np.log(t)) ** 2:.3g}")
    grid = np.array([5, 10, 20, 40, 80, 160], dtype=float)
    slope = local_slope(lambda d: np.log(d * 5000) ** 2, grid)
    return "; ".join(parts) + (
        f"; on regret_vs_d's paper grid (d in [5, 160], T = 5000) log^2(dT) alone has log-log slope {slope:.3g}, which "
        "000-corollary3-d's region (terms d s and d^2/N) leaves out"
    )


FINDINGS: tuple[v.Finding, ...] = (
    v.Finding(
        "000-appC1-q",
        P000,
        "Appendix C.1, hyperparameter choices of Theorem 2 (lines 1008-1016; derived in C.3, lines 1144-1219)",
        "Theorem 2 holds for the printed q, zeta_0, eta_0, lambda_0, lambda_1",
        "the printed batch parameter q is so large that the forced-sampling batch B_0 = q log T covers any "
        "horizon a simulation can reach: with those values RMBandit never leaves forced sampling",
        "q is the maximum of four terms; the first two carry (384 sqrt 3)^2 and 192^3 times x_max^2-x_max^4 over "
        "c^2 h^2 p* psi (banditlab.bandits.hyperparameters.theory_standard computes them as printed). The "
        "experiments use the documented practical defaults of banditlab.bandits.hyperparameters.practical.",
        _theory_q_evidence,
        ("every regret claim of Section 4 is tested with the practical hyperparameters",),
    ),
    v.Finding(
        "000-appC-constraints",
        P000,
        "Appendix C.3, eqs. (23) (line 1150) and (26) (line 1187); Appendix C.4, eq. (29) (line 1383; with line 1491)",
        "with C.1's hyperparameters the forced-sample estimators meet Proposition 2, and the all-sample ones "
        "Proposition 3, for T in the range lines 1205-1217 give",
        "the proof's conditions on |B_0| = q log T cannot be met together at any affordable size: (26) with (29) "
        "needs N of about 6e5 (and T of about 2e17); (23) with (26) has no solution at all at d = 20, s = 1",
        "(26) keeps eta_0 <= 1/2 - c - zeta (|B_0| at most 128^2 (1/2 - c - zeta)^2 x^2 max(sigma^2/p) K d^2/(c^2 h^2 "
        "p* psi)); with q's first term, log T <= (1/2 - c - zeta)^2 N/(27 log d log N); (29) keeps the all-sample trim "
        "eta_1,m <= 1/2 - c - zeta up to the last batch, log(dT/2) <= rho N (1/2 - c - zeta)^2/9; and B_0 < T leaves "
        "at least one batch. (23) asks |B_0| >= 96^2 x^2 max(sigma^2/p) K s d log(16d/s)/(c^2 h^2 p* psi): its ratio "
        "to "
        "(26)'s upper end, 0.5625 (s/d) log(16d/s)/(1/2 - c - sqrt(s/d))^2, is free of N, T, c, sigma, p, psi, p* and "
        "h (banditlab.bandits.premises).",
        _constraints_evidence,
        ("every regret claim of Section 4: its premises use Proposition 2's event, measured, instead",),
    ),
    v.Finding(
        "000-regret-log-dT",
        P000,
        "Section 4.2, Theorem 2 (line 460) and Corollary 3 (line 470); their proofs (lines 1499, 1515)",
        "total regret O(K d (sN + d) log N log^2(T/N)); one instance's O(K d (s + d/N) log N log^2 T)",
        "the proofs end with log^2(dT/N) (line 1499) and log^2(dT) (line 1515): the displays drop the d inside the "
        "logarithm",
        "The regret bound of line 1487 carries C_1^2 log(d p_j T) log(p_j T) and C_3^2 log(p_j T) log(d p_j T); the "
        "proofs' last lines keep the d, the statements do not. In d the dropped factor is not a constant: it adds "
        "to the exponent a slope over a d grid shows.",
        _log_dt_evidence,
        ("000-corollary3-d", "000-corollary3-T-polylog", "000-corollary3-T-log-exponent"),
    ),
)
"""Consequences of the printed formulas of Section 4 (the ledger's "findings about the papers")."""
