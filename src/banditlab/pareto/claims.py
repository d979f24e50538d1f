"""Paper 004's claims (Appendix B, Lemma 5, Theorem 3, Appendix H) and findings about the paper.

Claims are declared here, next to the study whose rows test them (:mod:`.rows`); :mod:`banditlab.verdicts`
turns the rows into verdicts. Regret is the played-arm reading of eq. (2) per round after t_p (metric
``regret_per_round``; :mod:`.experiments` explains why: the literal support reading is 0 for the paper's
own uniform-random benchmark, finding ``004-regret2-random``).
"""

from __future__ import annotations

from .. import verdicts as v
from .cones import Cone, pareto_gap, pareto_set, preference_distance
from .lemma7 import lemma7_premises
from .readings import lemma2_premises
from .theory import dissimilarity, pareto_claim_table, theorem2_exponent

__all__ = ["CLAIMS", "FINDINGS"]

P004 = "004 Shukla & Kumar"
TREE, RANDOM = "adaptive_tree", "uniform_random"
_CHECK = "results/tables/pareto_check.md"
_H1 = "Appendix H.1 (lines 992-996), Figure 3"
_PER_ROUND = "regret (2), played-arm reading, per round after t_p and the round robin"
_EXCEEDANCE = (
    "replicates in which the lemma's event failed at some round after the round robin, against delta = 1/T: exact "
    "binomial test (holds only if the exact interval's far edge is within 0.1 delta)"
)
SCALE_TOLERANCE = 1e-9
"""Largest change of an exact gap under a scaling of the means that counts as none: double-precision rounding of
``log(alpha q / alpha x)`` is about 1e-16 per logarithm; the general-cone gap adds a few solves."""


def positive_means_premises(params) -> list[v.Premise]:
    """The logarithms of Definition 7 and Proposition 1 need positive means (and Remark (iii) a positive scale):
    ``params`` holds the instance's smallest mean ``min_mean`` and the ``scale`` (1 when none)."""
    low, scale = float(params["min_mean"]), float(params.get("scale", 1.0))
    return [
        v.Premise("means > 0 (the logarithms of Definition 7)", low > 0, f"smallest mean {low:g}", "line 131"),
        v.Premise("alpha > 0 (Remark (iii))", scale > 0, f"alpha = {scale:g}", "line 135"),
    ]


def _claim(claim_id, where, statement, kind, instance, rule, figure, **options) -> v.Claim:
    return v.Claim(claim_id, P004, where, statement, kind, instance, rule, (figure, _CHECK), **options)


_RANDOM_WHY = (
    "uniform random does not learn: its per-round regret after t_p does not depend on {what}, so the rule must not "
    "find the trend in it"
)


def _random_control(what: str, rows: str) -> v.Control:
    return v.Control("uniform random", _RANDOM_WHY.format(what=what), rows)


CLAIMS: tuple[v.Claim, ...] = (
    *(
        _claim(
            f"004-appB-table1-{cone}",
            "Appendix B, Table 1",
            f"the scale-independent gap Delta_{cone} (Definition 7) and Pareto membership of arms A0-A9 under cone "
            f"{cone}, as printed to 4 decimals",
            v.VALUE,
            "the ten arms and two cones of Appendix B (exact computation)",
            "|computed gap - printed| <= 5e-5 and computed Pareto flag = printed, per arm",
            "figures/pareto_example.png",
            control=v.Control(
                f"the {other} column",
                f"the gaps and flags computed under cone {other}, read against {cone}'s printed column: Table 1 prints "
                "different values for the two cones, so the rule must reject the swap",
                f"per arm: Delta_{other} and its Pareto flag against {cone}'s printed value (role control)",
            ),
            method=f"the {cone} computation",
        )
        for cone, other in (("C1", "C3"), ("C3", "C1"))
    ),
    _claim(
        "004-lemma5-active-set",
        "Appendix F, Lemma 5 (lines 723-735)",
        "for every round t, the active arms of Algorithm 1 in X_t's bin contain the Pareto set P(X_t) with "
        "probability 1 - delta (delta = 1/T in Appendix H)",
        v.LEVEL,
        "every Appendix H experiment (tp, horizon, nu, shifts: one row per reading) and the frontier's points (printed "
        "and ramped instance, one row per named reading); every round after the round-robin phase, which Lemma 5 does "
        "not cover; misses split by whether the round's bin meets a jump of the means (or its ramp); only where the "
        "tree eliminated an arm",
        f"{_EXCEEDANCE}; the event: a true Pareto arm outside the active set",
        "figures/pareto_tree.png",
        premises=lemma2_premises,
        control=v.Control(
            "Algorithm 1 with c2 = 0.01",
            "a confidence radius a hundred times too small eliminates arms on noise: its active sets must miss Pareto "
            "arms in far more than delta = 1/T of the rounds",
            "the share of Lemma 5 rounds missing a Pareto arm for adaptive_tree with c2 = 0.01 on the same experiments "
            "(role control)",
        ),
        method="Algorithm 1",
    ),
    _claim(
        "004-theorem3",
        "Section 4.2, Theorem 3 (line 347)",
        "with equal t_p the regret grows with the dissimilarity rho(P~, Q) of the mixture source",
        v.TREND,
        "shifts: schedules with the same last change point and distinct rho(P~, Q) (Definition 4, h = 0.05)",
        f"slope of log {_PER_ROUND} (Algorithm 1) on log rho(P~, Q) > 0",
        "figures/pareto_shifts.png",
        control=_random_control(
            "where the contexts before t_p came from", "uniform_random's slope on log rho on the shift schedules"
        ),
        method="Algorithm 1",
    ),
    _claim(
        "004-appH1-tp",
        _H1,
        "the regret of Algorithm 1 over the last T - t_p rounds decreases as t_p grows (per round: the window "
        "shrinks with t_p, so a cumulative reading would fall for any policy)",
        v.TREND,
        "tp: the Appendix H instance, one row per (K, nu) stratum",
        f"slope of log {_PER_ROUND} on log t_p < 0",
        "figures/pareto_regret_tp.png",
        control=_random_control("t_p (claim 004-appH1-random)", "uniform_random's slope in t_p per (K, nu) stratum"),
        method="Algorithm 1",
    ),
    _claim(
        "004-appH1-random",
        _H1,
        "the uniform-random benchmark shows no change with t_p (same per-round reading as Algorithm 1's)",
        v.NO_EFFECT,
        "tp, uniform random, one row per (K, nu) stratum",
        f"|slope of log {_PER_ROUND} on log t_p| <= {v.NO_EFFECT_MARGIN}",
        "figures/pareto_regret_tp.png",
        control=v.Control(
            "Algorithm 1",
            "its per-round regret falls with t_p (claim 004-appH1-tp), so the no-change rule must reject it",
            "adaptive_tree's slope in t_p per (K, nu) stratum (role control)",
        ),
        method="uniform random",
    ),
    _claim(
        "004-appH1-K",
        _H1,
        "the regret of Algorithm 1 worsens as the number of arms K grows",
        v.TREND,
        "tp, one row per (t_p, nu) stratum",
        f"slope of log {_PER_ROUND} on log K > 0",
        "figures/pareto_regret_tp.png",
        control=v.Control(
            "uniform random",
            "it does not learn, so a K-trend it shows is the instance's (the mean gap of a random arm), not the "
            "policy's: the rule must not find Algorithm 1's trend in it",
            "uniform_random's slope in K per (t_p, nu) stratum (role control)",
        ),
        method="Algorithm 1",
    ),
    _claim(
        "004-appH1-nu",
        _H1,
        "the regret of Algorithm 1 worsens as the source dissimilarity grows (ranked by the measured "
        "rho_0.05(P_nu, Q) of Definition 4, which is not monotone in the exponent)",
        v.TREND,
        "tp (one row per (t_p, K) stratum) and the nu sweep (one row)",
        f"slope of log {_PER_ROUND} on log rho(P, Q) > 0",
        "figures/pareto_nu.png",
        control=_random_control(
            "the source before t_p", "uniform_random's slope on log rho per (t_p, K) stratum and on the nu sweep"
        ),
        method="Algorithm 1",
    ),
    _claim(
        "004-appH1-vs-random",
        _H1,
        "Algorithm 1 has lower regret than the uniform-random benchmark",
        v.COMPARISON,
        "tp, one row per (t_p, K, nu) point; both policies on the same contexts and rewards",
        f"per-replicate difference of {_PER_ROUND} (Algorithm 1 - random) < 0",
        "figures/pareto_regret_tp.png",
        control=v.Control(
            "uniform random against itself",
            "a placebo: uniform random on a second stream of its own choices against uniform random; the comparison "
            "must not find one below the other",
            "per point: per-round regret of uniform_random with a second seed minus uniform_random, paired per "
            "replicate (role control)",
        ),
        method="Algorithm 1",
    ),
    # ---- issue 21, item 9: Proposition 1, Remark (iii), Lemma 7, Appendix H line 983 (exact or paired) ----
    v.Claim(
        "004-prop1-closed-form",
        P004,
        "Appendix E, Proposition 1 (line 531), against Appendix B, Table 1",
        "Delta(k, P(X)) = min_{k' in P(X)} max_m max{0, |log(mu_k'^m / mu_k^m)|} at one context (X1 = X2): the closed "
        "form gives the gaps Table 1 prints",
        v.VALUE,
        "the ten arms and two cones of Appendix B (exact computation); both readings of the inner term: as printed "
        "and without the absolute value, which the max with 0 makes idle",
        "|closed form - printed Table 1 value| <= 5e-5, per (reading, cone, arm)",
        ("results/tables/pareto_prop1.md", _CHECK),
        premises=positive_means_premises,
        control=v.Control(
            "the closed form over every arm",
            "k' over all arms instead of the Pareto set gives 0 for every arm (k' = k is allowed) while Table 1 prints "
            "eight nonzero gaps: the rule must reject it",
            "per (cone, arm): the printed reading with k' over every arm against Table 1 (role control)",
        ),
        method="Proposition 1's closed form",
    ),
    v.Claim(
        "004-remark3-scale",
        P004,
        "Section 2.1, Definition 7, Remark (iii) (line 135)",
        "Delta is scale-independent: multiplying all objectives by the same alpha > 0 leaves Delta unchanged",
        v.VALUE,
        "Appendix B's arms under C1 and C3, means scaled by every alpha of formula_checks.remark3_scales (exact gap of "
        "Definition 7, banditlab.pareto.pareto_gap)",
        f"max over arms of |Delta(alpha mu) - Delta(mu)| <= {SCALE_TOLERANCE:g} (rounding of the logarithms), per "
        "(cone, alpha)",
        ("results/tables/pareto_gap_scale.md", _CHECK),
        resolution=SCALE_TOLERANCE,
        premises=positive_means_premises,
        control=v.Control(
            "the gap of means + gap_offset",
            "the experiments' convention, the gap of mu + gap_offset (pareto.gap_offset), is not scale-independent: "
            "log((alpha q + c) / (alpha x + c)) moves with alpha, so the rule must reject it",
            "per (cone, alpha): max over arms of |Delta(alpha mu + c) - Delta(mu + c)|, c = gap_offset (role control)",
        ),
        method="Definition 7's gap",
    ),
    v.Claim(
        "004-lemma7-levels",
        P004,
        "Appendix F, Lemma 7 (lines 828-834)",
        "the level the tree selects incurs no larger error than the oracle level (Psi(h_t) <= Psi(h*_t)); for the "
        "regret: Algorithm 1's regret is at most that of the best fixed level of its dyadic tree",
        v.LEVEL,
        "levels: Appendix H, Algorithm 1 and the fixed partition at every depth of depths (same elimination and c1, a "
        "grid axis) on the same draws; per point, the best fixed level is the one of least mean regret (an oracle "
        "choice, as h* is)",
        f"mean {_PER_ROUND} of Algorithm 1 / that of the best fixed level <= 1 (paired replicates); a tree that plays "
        "the best level's arm in 99% of the rounds after t_p is not a statistical result",
        ("figures/pareto_levels.png", _CHECK),
        premises=lemma7_premises,
        control=v.Control(
            "uniform random",
            "it keeps no level and eliminates nothing: where the best fixed level learns, its ratio exceeds 1 and the "
            "rule must reject it",
            "per point: uniform_random's mean regret over the best fixed level's (role control)",
        ),
        method="Algorithm 1",
    ),
    *(
        v.Claim(
            f"004-appH-nu-{measure}",
            P004,
            f"Appendix H, experiment setup (line 983), with {definition}",
            "the dissimilarity of the source P ~ (nu + 1) x^nu from the target Q = Uniform[0, 1] increases as nu "
            "increases",
            v.TREND,
            instance,
            f"{statistic}(nu') - {statistic}(nu) > 0 for consecutive nu < nu' of formula_checks.nu_exponents",
            ("results/tables/pareto_nu_dissimilarity.md", _CHECK),
            control=v.Control(
                "the values read from the largest nu down",
                "an increase read backwards is a decrease: the rule must reject the reversed sequence, or it could "
                "not tell the claim's direction from its opposite",
                "the same consecutive differences with the order of nu reversed (role control)",
            ),
            method=f"{definition.split(' (')[0]}'s dissimilarity",
        )
        for measure, definition, statistic, instance in (
            (
                "rho",
                "Definition 4 (line 91)",
                "rho_h",
                "Definition 4's rho_h(P_nu, Q) at every h of formula_checks.rho_h (exact computation on a midpoint "
                "grid): the dissimilarity the paper defines",
            ),
            (
                "dp",
                "Definition 8 (line 149)",
                "D8",
                "D8(P_nu, Q) = E_U[d_p(P(F_nu^-1(U)), P(U))]: Definition 8's metric between the Pareto sets of a "
                "source and a target context at the same quantile (our construction: the paper defines no "
                "dissimilarity of distributions through d_p), Appendix H means + gap_offset, K = formula_checks.n_arms",
            ),
        )
    ),
    # ---- the readings of Algorithm 1 (issue 21): Lemmas 2 and 4, the K trend under dominance-aware regrets ----
    _claim(
        "004-lemma2-coverage",
        "Appendix F, Lemma 2 (lines 618-650)",
        "for all t, k, m and bins (h, i), |mu_hat_k(X) - mu_k(X)| <= c1 V_h^beta + c2 sqrt(log(KL/delta) / n_k) for "
        "every context X of the bin, with probability 1 - delta",
        v.LEVEL,
        "the frontier's points (Appendix H printed and ramped, K and T of the grid), one row per named reading: every "
        "(bin, arm, round) box of eq. (5) Algorithm 1 computed after the round robin (its leaf, each active arm with a "
        "sample), against the exact range of the means over the bin",
        f"{_EXCEEDANCE}; the event: a box that misses a mean of its bin",
        "figures/pareto_frontier.png",
        premises=lemma2_premises,
        control=v.Control(
            "the boxes without their bias term",
            "the same boxes with c1 V_h^beta removed: the means vary within a bin (and jump on the printed instance), "
            "so the sampling term alone must miss in far more than delta of the replicates",
            "per row: the replicates in which a box shrunk by c1 V_h^beta missed a mean of its bin (role control)",
        ),
        method="Algorithm 1's boxes",
    ),
    _claim(
        "004-lemma4-counts",
        "Appendix F, Lemma 4 (lines 672-676)",
        "when bin (h_t, i_t) is selected at t, every active arm k has n_k,t(h_t, i_t) >= n / (4K) samples there, with "
        "probability 1 - delta (n: the bin's context count, the proof's n_{h_t, t}; the statement writes n_{h*_t})",
        v.LEVEL,
        "the frontier's points, one row per named reading: every round after the round robin, the fewest samples of "
        "an active arm in the leaf against the leaf's context count / (4K)",
        f"{_EXCEEDANCE}; the event: an active arm below n / (4K) samples",
        "figures/pareto_frontier.png",
        control=v.Control(
            "the bound without its 1/4",
            "n / K: uniform play over at most K active arms puts each arm's count around n / |A| >= n / K, below it "
            "about half the time, so the rule must reject this bound",
            "per row: the replicates in which an active arm fell below n / K samples (role control)",
        ),
        method="Algorithm 1's counts",
    ),
    *(
        _claim(
            f"004-appH1-K-{name}",
            _H1,
            f"the regret of Algorithm 1 worsens as the number of arms K grows, regret read as {what}",
            v.TREND,
            "tp, one row per (t_p, nu) stratum and reading",
            f"slope of log {statistic} (Algorithm 1) on log K > 0",
            "figures/pareto_regret_tp.png",
            control=v.Control(
                "uniform random",
                "it does not learn, so a K-trend it shows is the instance's, not the policy's: the rule must not find "
                "Algorithm 1's trend in it",
                f"uniform_random's slope of log {statistic} in K per (t_p, nu) stratum (role control)",
            ),
            method="Algorithm 1",
        )
        for name, what, statistic in (
            (
                "dominated",
                "the share of rounds playing an arm outside the Pareto set",
                "the share of dominated plays after t_p and the round robin",
            ),
            (
                "weak-gap",
                "a dominance-aware gap, min over Pareto arms q of max_m log(q_m / mu_k_t,m) (0 only on the Pareto set)",
                "the mean dominance-aware gap after t_p and the round robin",
            ),
        )
    ),
)
"""Every claim of paper 004 the ledger tests, in paper order (the claims on the readings of Algorithm 1 last)."""
_BY_ID = {claim.claim_id: claim for claim in CLAIMS}


def _theorem_rate_evidence(alpha: float = 0.2, beta: float = 1.0) -> str:
    gammas = (0.25, 0.5, 0.75)
    theorem2 = ", ".join(f"gamma={g}: {theorem2_exponent(alpha, beta, g):.2f}" for g in gammas)
    return (
        f"alpha = {alpha} (Appendix H), beta = {beta}: Theorem 1 decays like (T - t_p)^{-(alpha + 1) / beta:.2f}; "
        f"Theorem 2 like (T - t_p)^-min(e1, (alpha+1)/beta) with {theorem2}"
    )


def _assumption3_evidence(gamma: float = 0.5) -> str:
    values = ", ".join(f"h={h}: {h**-gamma * dissimilarity([-gamma], h=h):.3g}" for h in (0.1, 0.01, 0.001))
    return f"h^-gamma rho_h(P, Q) for Example 3 with gamma = {gamma}: {values} (unbounded as h -> 0)"


def _index_claim_evidence() -> str:
    table = pareto_claim_table(n_arms=(5, 10, 20), n_grid=201)
    return "; ".join(
        f"K={r.K}: claimed = computed Pareto set at {r.share_equal:.3f} of {r.n_contexts} contexts, "
        f"claimed set empty at {r.share_claim_empty:.3f}, two indices at {r.share_claim_two:.3f}"
        for r in table.itertuples(index=False)
    )


def _metric_axioms_evidence() -> str:
    cone = Cone.orthant(2)
    same = preference_distance([[1.0, 2.0]], [[2.0, 1.0]], cone)
    p1, p2, p3 = [[1.0, 1.0]], [[3.0, 0.5]], [[2.0, 2.0]]
    d12, d23, d13 = (preference_distance(a, b, cone) for a, b in ((p1, p2), (p2, p3), (p1, p3)))
    return (
        f"d_p({{(1,2)}}, {{(2,1)}}) = {same:g} for distinct sets; P1={{(1,1)}}, P2={{(3,0.5)}}, P3={{(2,2)}}: "
        f"d_p(P1,P2) + d_p(P2,P3) = {d12 + d23:g} < d_p(P1,P3) = {d13:.4f}"
    )


_FULL_SUPPORT_DERIVATION = (
    "If supp(pi(X)) contains P*(X), every other arm of the support is dominated by an arm of P*(X) (dominance is "
    "transitive and the arms are finitely many, so a chain of dominating arms ends at a Pareto arm), which is in the "
    "support; Pareto arms are dominated by no arm. So P^pi(X) = P*(X) and d_p(P^pi(X), P*(X)) = 0 at every round."
)


def _support_regret_evidence() -> str:
    from .formulas import support_regret

    worst = support_regret(n_arms=10, n_grid=201, offset=1.0)
    return (
        "Appendix H, K = 10, 201 contexts, means + 1: largest d_p(P^pi, P*) over supports containing P* (P* alone, "
        f"P* plus each other arm, every arm) = {worst['containing']:g}; over supports missing one Pareto arm = "
        f"{worst['missing']:.3g}"
    )


def _theorem1_min_evidence() -> str:
    from .formulas import theorem1_factors

    table = theorem1_factors(50_000, (1000, 2000, 3000), (1.0, 2.0, 4.0, 8.0), h=0.05)
    parts = []
    for nu, group in table.groupby("nu"):
        low, high = group.loc[group["factor"].idxmin()], group.loc[group["factor"].idxmax()]
        parts.append(f"nu={nu:g}: {low.factor:.3g} (t_p={low.t_p}) to {high.factor:.3g} (t_p={high.t_p})")
    takes = ", ".join(sorted(set(table["min_takes"])))
    return (
        "Appendix H.1 design (T = 5e4, t_p in {1000, 2000, 3000}), rho = rho_0.05 of Definition 4: source term / "
        f"target term = {'; '.join(parts)}; the min takes: {takes}"
    )


def _remark_i_evidence() -> str:
    from .appendix_b import ARM_MEANS, cones

    c3 = cones()["C3"]
    return (
        f"A0 under C3: Pareto optimal: {0 in pareto_set(ARM_MEANS, c3)}, "
        f"Delta_C3(A0) = {pareto_gap(ARM_MEANS, c3)[0]:g} (Table 1 prints 0.0000 and 'False')"
    )


FINDINGS: tuple[v.Finding, ...] = (
    v.Finding(
        "004-theorem1-rate",
        P004,
        "Section 4, Theorem 1 (lines 297-304) and Remark 4.1 (lines 306-312)",
        "R(T) <= O((K log(KM/delta)/max{t_p, T - t_p})^((alpha+1)/beta) + [K log(KM/delta) min{rho(P,Q)/t_p, "
        "rho(Q,Q)/(T - t_p)}]^((alpha+1)/alpha (beta+1)/beta))",
        "at fixed t_p the bound decreases in T, like (T - t_p)^-(alpha+1)/beta, so it cannot bound the "
        "cumulative regret (2), which is a sum of nonnegative terms; nor the per-round regret, whose log-log "
        "slope in T is >= -1 whenever the cumulative regret is nondecreasing. Under its literal definitions the "
        "theorem is nonetheless true and empty: regret (2) is 0 for any policy whose support contains the Pareto "
        "set, and on Lemma 5's event (probability 1 - delta) Algorithm 1's support, its active set, does",
        "For T - t_p > t_p both terms are powers of 1/(T - t_p) with exponents (alpha+1)/beta and "
        "(alpha+1)(beta+1)/(alpha beta) > (alpha+1)/beta, so the bound falls like (T - t_p)^-(alpha+1)/beta. "
        "R(T) in (2) is nondecreasing in T, and R(T)/(T - t_p) falls at most like (T - t_p)^-1, while "
        "(alpha+1)/beta > 1 for every beta <= 1 (Assumption 1's beta in (0, 1]). Remark 4.1 calls "
        "T^-(alpha+1)/beta the standard scaling, which is the rate of a per-round *excess risk* in "
        "classification, not of a cumulative regret. "
        + _FULL_SUPPORT_DERIVATION
        + " Lemma 5 (lines 723-735) puts P(X_t) inside the active set, from which Algorithm 1 plays (line 12), so "
        "R(T) = 0 <= any bound with probability 1 - delta.",
        lambda: f"{_theorem_rate_evidence()}; {_support_regret_evidence()}",
        ("the horizon experiment is shown (figures/pareto_regret_vs_T.png) but tests no claim",),
    ),
    v.Finding(
        "004-theorem2-rate",
        P004,
        "Section 4.1, Theorem 2 (lines 330-340)",
        "the regret bound for (P, Q) in D(gamma, C_gamma)",
        "the same decrease in T; gamma plays no part in the leading term for Appendix H's alpha = 0.2",
        "With t_p fixed and T - t_p > t_p, the first term decays with exponent (alpha+1)/alpha gamma(beta+1)/beta "
        "+ 1/alpha and the second with (alpha+1)/beta; the slower one, (alpha+1)/beta = 1.2 at alpha = 0.2 and "
        "beta = 1, leads for every gamma > 0, and it cannot bound a cumulative (or per-round) regret, as for "
        "Theorem 1.",
        _theorem_rate_evidence,
        (),
    ),
    v.Finding(
        "004-assumption3-example3",
        P004,
        "Section 4.1, Assumption 3 (line 318) and Example 3 (line 326)",
        "if P(x) = (1 + gamma) x^-gamma and Q is uniform on [0, 1], then (P, Q) in D(gamma, 1 + gamma)",
        "no pair satisfies Assumption 3 for gamma > 0: rho_h(P, Q) >= 1 for every h, so h^-gamma rho_h grows "
        "without bound as h -> 0",
        "rho_h(P, Q) = E_Q[1/P(B(X, h))] and P(B(X, h)) <= 1, so rho_h >= 1 and sup_{0<h<=1} h^-gamma rho_h "
        ">= sup h^-gamma = infinity. Also, the printed density (1 + gamma) x^-gamma integrates to "
        "(1 + gamma)/(1 - gamma), not 1, on [0, 1]; the experiments use the normalized (1 - gamma) x^-gamma.",
        _assumption3_evidence,
        (),
    ),
    v.Finding(
        "004-appH-index-claim",
        P004,
        "Appendix H, experiment setup (line 990)",
        "given a context x, the Pareto-optimal arms are those with indices in [floor k1(x), ..., ceil k2(x)]",
        "the computed Pareto sets of the printed reward functions differ from that interval at every context "
        "of the grid (k1(x) > k2(x), so the interval holds at most two indices, e.g. [1, 2] at x = 0.25, and none "
        "at many contexts)",
        "k1(x) - k2(x) = 5/(4(1 - x)) - 5/(5 - 4x) = 5/(4(1 - x)(5 - 4x)) > 0 on [0, 1), so ceil k2 - floor k1 < "
        "(k2 + 1) - (k1 - 1) < 2: [floor k1, ceil k2] holds two indices when n < k2 < k1 < n + 1 for an integer n "
        "(x = 0.25: k1 = 5/3, k2 = 5/4, the interval [1, 2]), one index, or none (an integer in [k2, k1) makes it "
        "empty: floor k1 > ceil k2); the Pareto sets are computed exactly from mu_k(x) (banditlab.pareto.pareto_set, "
        "orthant) at a grid of contexts.",
        _index_claim_evidence,
        (),
    ),
    v.Finding(
        "004-definition8-metric",
        P004,
        "Section 2.1, Definition 8 (line 149) and Appendix E",
        "d_p is a metric on Pareto sets (shown in Appendix E)",
        "identity of indiscernibles and the triangle inequality fail",
        "Two mutually non-dominated singletons are at d_p = 0 (neither strictly dominates the other), and a set "
        "incomparable with two comparable ones is at d_p = 0 from both, which breaks the triangle inequality; "
        "Appendix E's argument bounds a coordinatewise log-Hausdorff distance, not d_p.",
        _metric_axioms_evidence,
        (),
    ),
    v.Finding(
        "004-definition7-remark-i",
        P004,
        "Section 2.1, Definition 7, Remark (i) (line 135), and Appendix B, Table 1",
        "Delta(k, P(X)) >= 0 with equality iff k is Pareto optimal",
        "an arm dominated only along a boundary ray of the cone has Delta = 0 without being Pareto optimal",
        "Definition 7 counts strict dominance (the cone's interior); Table 1's own A0 under C3 (A9 - A0 on a "
        "boundary ray) is printed as not Pareto optimal with Delta = 0.0000.",
        _remark_i_evidence,
        (),
    ),
    v.Finding(
        "004-regret2-random",
        P004,
        "Section 2.1, eq. (2) (line 161) with Definition 6 (line 119), and Appendix H.1",
        "regret (2) sums d_p(P^pi(X_t), P*(X_t)), P^pi the non-dominated arms of the policy's support",
        "for the uniform-random benchmark the support is every arm, so P^pi = P* and its regret (2) is exactly 0: "
        "Figure 3's comparison with it cannot be of eq. (2) as defined. More generally regret (2) is 0 for any "
        "policy whose support contains the Pareto set: Algorithm 1 whenever Lemma 5 holds, the oracle, uniform "
        "random; the metric cannot rank them",
        "Definition 6 takes the non-dominated arms of supp(pi(X)) under the true means. "
        + _FULL_SUPPORT_DERIVATION
        + " A policy randomizing over all K arms is the case supp = [K]. The ledger's comparisons use the played-arm "
        "reading d_p({mu_k_t}, P*) = Delta(k_t, P*) (banditlab.pareto.experiments).",
        _support_regret_evidence,
        ("004-appH1-vs-random",),
    ),
    v.Finding(
        "004-theorem1-min-term",
        P004,
        "Section 4, Theorem 1 (lines 297-304), Appendix H (line 983) and H.1 (line 994)",
        "the adaptation term of Theorem 1 is [K log(KM/delta) min{rho(P,Q)/t_p, rho(Q,Q)/(T - t_p)}]^((alpha+1)/alpha "
        "(beta+1)/beta): source samples help through rho(P,Q)/t_p",
        "on Appendix H's design the min always takes the target term rho(Q,Q)/(T - t_p), by the factors of the "
        "evidence (source term / target term, smallest at nu = 1 and t_p = 3000): the bound ignores the source, "
        "depends on t_p only through T - t_p (both terms then grow with t_p), and the claimed benefit of more source "
        "samples (line 994) does not follow from it",
        "rho(P,Q)/t_p > rho(Q,Q)/(T - t_p) iff rho(P,Q)/rho(Q,Q) > t_p/(T - t_p); with T = 5e4 and t_p <= 3000 the "
        "right side is at most 3000/47000, while rho_h(P_nu, Q) >= rho_h(Q, Q) for these sources (it grows with nu: "
        "claim 004-appH-nu-rho). Theorem 1 names no h; Definition 4's rho_h at "
        "h = 0.05 is the project's default, and results/tables/pareto_theorem1_terms.md gives the terms at every "
        "h of formula_checks.rho_h and every t_p of the tp experiment.",
        _theorem1_min_evidence,
        ("004-appH1-tp",),
    ),
)
"""Consequences of the printed formulas (the ledger's "findings about the papers")."""
