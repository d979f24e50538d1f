"""The regret study's claims (paper 000, Section 4) and its findings about the paper.

Claims are declared here, next to the study whose rows test them (:mod:`.checks`); :mod:`banditlab.verdicts`
turns the rows into verdicts (one engine for the whole ledger).
"""

from __future__ import annotations

import numpy as np

from .. import verdicts as v

P000 = "000 Xu & Bastani"
RMBANDIT = "rmbandit"
INDEPENDENT = ("ols_bandit", "lasso_bandit")
LOG_EXPONENT_SLACK = 0.25
"""Slack on the exponent of log T: the doubling batches make dR/dlog t step-like between batch ends."""
_CHECK = "results/tables/regret_check.md"


def _claim(claim_id, where, statement, kind, instance, rule, figure, **options) -> v.Claim:
    return v.Claim(claim_id, P000, where, statement, kind, instance, rule, (figure, _CHECK), **options)


_UPPER_RULE = "slope <= largest exponent among the bound's terms on the grid + slack 0.1"
_COMPARISON_RULE = "per-replicate difference of the two slopes < 0 (interval entirely below 0 to hold)"
CLAIMS: tuple[v.Claim, ...] = (
    _claim(
        "000-corollary3-T-polylog",
        "Section 4.2, Theorem 2 (line 459) and Corollary 3 (line 471)",
        "RMBandit's regret grows polylogarithmically in T (O(log^2 T) per instance): no power of t",
        v.UPPER_BOUND,
        "regret_vs_t: N instances with equal traffic, uniform contexts, T_per_instance arrivals each",
        "power of t in dR/dlog t <= its local value for log^2 t, (2-1)/log t, + slack 0.1",
        "figures/regret_vs_t.png",
        slack=v.SLOPE_SLACK,
    ),
    _claim(
        "000-corollary3-T-log-exponent",
        "Section 4.2, Theorem 2 (line 459) and Corollary 3 (line 471)",
        "the exponent of log T in RMBandit's regret is at most 2",
        v.UPPER_BOUND,
        "regret_vs_t (as above)",
        f"exponent a of log^a t <= 2 + slack {LOG_EXPONENT_SLACK}",
        "figures/regret_vs_t.png",
        resolution=v.LOG_EXPONENT_RESOLUTION,
        slack=LOG_EXPONENT_SLACK,
    ),
    _claim(
        "000-corollary3-d",
        "Section 4.2, Corollary 3 (line 471)",
        "RMBandit's per-instance regret grows in d at most like d (s + d/N) log N",
        v.UPPER_BOUND,
        "regret_vs_d: d grid at fixed N, s, T per instance",
        _UPPER_RULE + " (terms d s and d^2/N: exponents 1 and 2)",
        "figures/regret_vs_d.png",
        slack=v.SLOPE_SLACK,
    ),
    _claim(
        "000-corollary3-vs-independent",
        "Section 4.2, after Corollary 3 (line 475)",
        "RMBandit's regret is smaller by a factor d than an independent bandit's O(d^2 log^(3/2) d log T): "
        "it grows more slowly in d",
        v.COMPARISON,
        "regret_vs_d, RMBandit against OLS Bandit and LASSO Bandit on the same problems",
        _COMPARISON_RULE,
        "figures/regret_vs_d.png",
    ),
    _claim(
        "000-corollary3-N",
        "Section 4.2, Corollary 3 (line 471)",
        "RMBandit's per-instance regret grows in N at most like (s + d/N) log N",
        v.UPPER_BOUND,
        "regret_vs_n: N grid at fixed d, s, T per instance",
        _UPPER_RULE + " (terms s log N and (d/N) log N)",
        "figures/regret_vs_n.png",
        slack=v.SLOPE_SLACK,
    ),
    _claim(
        "000-corollary3-N-vs-independent",
        "Section 4.2, Corollary 3 (line 471) against an independent bandit (line 475)",
        "more instances help RMBandit but not an independent bandit: its slope in N is below theirs",
        v.COMPARISON,
        "regret_vs_n, RMBandit against OLS Bandit and LASSO Bandit on the same problems",
        _COMPARISON_RULE,
        "figures/regret_vs_n.png",
    ),
    _claim(
        "000-corollary4-ntilde",
        "Section 4.3, Corollary 4 (line 487)",
        "with s~ = N~^alpha, sharing with N~ = Theta(d^(1/(alpha+1))) instances gives lower target regret than "
        "sharing with none (N~ = 1) or with all (N~ = N)",
        v.COMPARISON,
        "network: N instances whose differences to the target grow like N~^alpha (eq. (1)); one row per alpha and "
        "end of the N~ grid where the bound d(s~ + d/N~) is at least twice its value at N~*",
        "target regret at the N~ nearest d^(1/(alpha+1)) minus at the end < 0 (paired per replicate)",
        "figures/regret_network.png",
    ),
    _claim(
        "000-theorem3-d",
        "Section 4.4, Theorem 3 (line 500)",
        "the data-poor target's regret is O(K s^2 log^2(dT)): polylogarithmic in d",
        v.UPPER_BOUND,
        "data_poor: a target with p_l/p_j = ratio_scale d^2 traffic to its neighbour, T_target arrivals",
        _UPPER_RULE + " (the term s^2 log^2(dT))",
        "figures/regret_data_poor.png",
        slack=v.SLOPE_SLACK,
    ),
    _claim(
        "000-theorem3-vs-independent",
        "Section 4.4, after Theorem 3 (line 504)",
        "multitask learning exponentially reduces the data-poor target's regret in d against an independent bandit",
        v.COMPARISON,
        "data_poor, RMBandit against OLS Bandit and LASSO Bandit on the same problems",
        _COMPARISON_RULE,
        "figures/regret_data_poor.png",
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


FINDINGS: tuple[v.Finding, ...] = (
    v.Finding(
        "000-appC1-q",
        P000,
        "Appendix C.1, hyperparameter choices of Theorem 2 (lines 1008-1146)",
        "Theorem 2 holds for the printed q, zeta_0, eta_0, lambda_0, lambda_1",
        "the printed batch parameter q is so large that the forced-sampling batch B_0 = q log T covers any "
        "horizon a simulation can reach: with those values RMBandit never leaves forced sampling",
        "q is the maximum of four terms; the first two carry (384 sqrt 3)^2 and 192^3 times x_max^2-x_max^4 over "
        "c^2 h^2 p* psi (banditlab.bandits.hyperparameters.theory_standard computes them as printed). The "
        "experiments use the documented practical defaults of banditlab.bandits.hyperparameters.practical.",
        _theory_q_evidence,
        ("every regret claim of Section 4 is tested with the practical hyperparameters",),
    ),
)
"""Consequences of the printed formulas of Section 4 (the ledger's "findings about the papers")."""
