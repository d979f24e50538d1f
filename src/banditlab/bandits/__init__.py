"""RMBandit (Algorithm 2 of Xu & Bastani) against single-instance and pooled bandits.

* :mod:`.env`: N linear contextual bandits with sparse differences, common random numbers, exact
  expected regret.
* :mod:`.hyperparameters`: the printed theory values (Appendices C.1, D.1) and practical defaults.
* :mod:`.statistics`: running sufficient statistics per (instance, arm), which every policy refits
  from with :mod:`banditlab.estimators`.
* :mod:`.schedules`: source sets ``Q_j``, forced sampling (round robin, the baselines' schedule),
  batches and refit stops.
* :mod:`.decisions`: the choice of arm from the estimates (Algorithm 2's h/2 filter, greedy).
* :mod:`.rmbandit`: RMBandit and its averaging-multitask, pooled and median-shrinkage (ours) variants.
* :mod:`.independent`: the per-instance baselines (OLS Bandit, LASSO Bandit, greedy) and the oracle.
* :mod:`.policies`: the built-in policies by config name.
* :mod:`.experiments`: the regret study (one function per experiment).
* :mod:`.checks`: the fitted growth rates against Theorems 2-3 and Corollaries 3-4 (the check table).
* :mod:`.plots`: its figures, drawn from the results tables.

Every policy is a :class:`banditlab.agents.Agent` run by :func:`banditlab.agents.simulate` on a
:class:`Stream`, with the :class:`Problem` as its spec.
"""

from .env import Problem, Stream, make_network_problem, make_problem
from .hyperparameters import RMBanditHyperparameters, practical, theory_data_poor, theory_standard
from .independent import GreedyBandit, LassoBandit, OLSBandit, Oracle
from .rmbandit import AveragingMultitaskBandit, MedianShrinkageBandit, PooledBandit, RMBandit

__all__ = [
    "Problem",
    "Stream",
    "make_problem",
    "make_network_problem",
    "RMBanditHyperparameters",
    "practical",
    "theory_standard",
    "theory_data_poor",
    "RMBandit",
    "AveragingMultitaskBandit",
    "PooledBandit",
    "OLSBandit",
    "LassoBandit",
    "GreedyBandit",
    "MedianShrinkageBandit",
    "Oracle",
]
