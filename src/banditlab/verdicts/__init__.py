"""The one verdict engine of the claims ledger: every claim's kind, premises, control and rule, and how its rows
combine.

Every claim of both papers is tested by *measurement rows* that its study's ``checks`` module writes
(one row per grid, axis, stratum or point). A row holds an estimate, its standard error, the *claimed region*
(the values of the statistic the claim allows on that row, slack included), the *premises status* of the
instance it was measured on, and its *role*: a row of the claim's method, or of its *negative control*. This
module turns rows into verdicts, with one vocabulary end to end:

``holds``              the measurement agrees with the claim, inside its premises, with the power the claim's
                       kind declares, and the same rule rejects the claim's negative control;
``fails``              the measurement contradicts the claim beyond chance (family-wise), inside its premises;
``outside premises``   no row was measured on an instance that meets the claim's premises (the paper's own
                       conditions, computed from its formulas): the paper says nothing there;
``not testable here``  neither: too little power, a vacuous or uninformative bound, an identity, a control the
                       rule cannot tell from the method, or no measurement at this config.

Every verdict carries a one-line reason.

Kinds and their rules
---------------------
The rules were fixed, and written here, before any result of the checks was looked at. ``[lo, hi]`` is the
row's 95% interval (estimate +- 1.96 se; exact Clopper-Pearson for an exceedance rate), ``R`` the claimed
region, ``r`` the row's resolution.

=================  ==================================================  =========================================
kind               claimed region R (set by the study's check code)    a row holds when (and it does not fail)
=================  ==================================================  =========================================
``upper bound``    slope <= largest exponent among the rate's terms     the estimate lies in R and the interval's
                   on the grid + slack                                  far edge within r of R
``lower bound``    slope >= smallest exponent among the terms - slack   as above
                   (tested only on the proof's construction)
``exact rate``     smallest - slack <= slope <= largest + slack         as above (both edges)
``level``          measured / explicit bound >= 1 (lower bounds) or     as above; an exceedance rate's r is
                   exceedance rate <= failure probability (Theorem 1)   r x the failure probability
``value``          |computed - printed| <= the printed precision        the computed value lies in R (exact)
``comparison``     paired difference on the claimed side of 0 (< 0)     ``[lo, hi]`` lies on the claimed side
``trend``          sign of a named effect statistic as claimed          ``[lo, hi]`` lies on the claimed side
``no effect``      |effect| <= margin                                   ``[lo, hi]`` lies inside the margin
=================  ==================================================  =========================================

A row *fails* when the hypothesis "the true value lies in R" is rejected: its p-value is
``2 (1 - Phi(d / se))`` with ``d`` the distance from the estimate to R (``d > 0`` outside R), so that a
single row fails at level 0.05 exactly when its 95% interval lies entirely outside R; for an exceedance row
(k of n replicates above a bound of failure probability p_f) it is the exact binomial tail
``P[Binom(n, p_f) >= k]``.

"Holds" is earned
-----------------
A row that is not rejected holds only when its point estimate lies inside R and its interval's far edge is
within the resolution of R (a violation larger than the resolution would have been seen). An estimate past
the bound that is not rejected is "not testable here: estimate past the bound, not rejected". Three more
guards: a row of a comparison, trend or no-effect claim (a difference or an effect) whose estimate is exactly 0
with a zero-width interval (two policies identical on every draw, say) is an *identity*, never a failure or a
success (a bound's slope of exactly 0 is a flat curve, a ``value`` or ``level`` row of 0 a computed value or a
count of events); a ``level`` row whose bound is more than
:data:`UNINFORMATIVE_FACTOR` times the measured value (columns ``paper_bound`` and ``measured_value``) is
*uninformative* (a bound ten times too large would pass as well); a bound with failure probability >= 1
(column ``vacuous``) says nothing.

Readings and degenerate rows
----------------------------
When a paper's algorithm is ambiguous, a study runs it under several named *readings* and its rows carry a
``reading`` column: each claim is then decided once per reading (its own Holm family, premises gate and control),
and its reason starts with "under reading <name>". A row cannot decide, whatever its numbers, when the study says
why (column ``not_testable``, e.g. "nothing eliminated": the event the claim bounds cannot happen) or when the
policy played the same arm as its comparator in at least :data:`PLAYS_LIKE_SHARE` of the rounds it measures, on
the same draws (columns ``comparator`` and ``same_arm_share``): "not testable here: plays like <comparator> under
reading <name>". Such rows, and identities, get no p-value, so they never enter Holm's correction.

Premises
--------
A claim declares its premises (:attr:`Claim.premises`, a pure function of a row's parameters returning
:class:`Premise` items computed from the paper's formulas; see :mod:`banditlab.estimation.premises` and
:mod:`banditlab.bandits.premises`). Each measurement row carries a status in its ``premises`` column:
``"met"``, the premises that fail with their numbers (``"Corollary 1's failure probability: delta >= 249 ...
(N = 20; needs N >= 931)"``), or ``"not checked: ..."`` (a measured premise without its measurement). When the
column is empty the engine computes the status from the row's own columns with the claim's function
(:func:`premise_status`). Only rows whose premises are met can hold or fail; the others are "outside
premises", with the direction they would take in the reason. A claim with no row inside its premises is
"outside premises".

Negative controls
-----------------
A claim names a control (:attr:`Claim.control`): a method or an instance the claim says must *not* satisfy
its rule. Control rows (``role == "control"``, :func:`control_row`) are evaluated with the same rule on the
same rows (Holm among themselves, no premises gate: an instance control is outside the premises by design).
A claim holds only when its control is *rejected*: the control fails the rule; for the sign kinds
(comparison, trend, no effect), whose null control cannot be rejected by a one-sided test, also when the
control does not hold although its intervals are narrower than the margin by which the method's rows clear
the region's edge (an effect as large as the method's would have been seen). A control that holds too
makes the claim "not testable here: the rule cannot tell <control> from <method>"; a control with no rows
at this config, or neither rejected nor passing, leaves the claim not testable. A failure needs no control.

Chance, accounted for
---------------------
A claim tested on m rows inside its premises must not be m times as likely to fail by chance: their
p-values are combined by Holm's step-down procedure at the family-wise level :data:`FAMILY_LEVEL` (0.05), so
the claim *fails* with probability at most 0.05 when it is true on every row. It *holds* only when every
row inside its premises holds (an intersection-union test: each row's 95% interval, no correction needed).
"""

from .engine import *  # noqa: F403 (the engine: engine.__all__)
from .engine import __all__ as _ENGINE
from .model import *  # noqa: F403 (the types, constants, row builders and wording: model.__all__)
from .model import __all__ as _MODEL

__all__ = [*_MODEL, *_ENGINE]
