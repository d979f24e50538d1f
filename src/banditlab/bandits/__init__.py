"""RMBandit (Algorithm 2 of Xu & Bastani) against single-instance and pooled bandits.

* :mod:`.env`: N linear contextual bandits with sparse differences, common random numbers, exact
  expected regret.
* :mod:`.hyperparameters`: the printed theory values (Appendices C.1, D.1) and practical defaults.
* :mod:`.policies`: batch-level policies (RMBandit, averaging-multitask, pooled, OLS Bandit, LASSO
  Bandit, greedy, oracle; and ours, the median shrinkage bandit) and the runner.
* :mod:`.experiments`: the regret study (one function per experiment).
* :mod:`.checks`: the fitted growth rates against Theorems 2-3 and Corollaries 3-4 (the check table).
* :mod:`.plots`: its figures, drawn from the results tables.
"""

from .env import Problem, Stream, make_network_problem, make_problem
from .hyperparameters import RMBanditHyperparameters, practical, theory_data_poor, theory_standard
from .policies import (
    AveragingMultitaskBandit,
    GreedyBandit,
    LassoBandit,
    MedianShrinkageBandit,
    OLSBandit,
    Oracle,
    PooledBandit,
    RMBandit,
    run_rmbandit_loop,
    simulate,
)

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
    "simulate",
    "run_rmbandit_loop",
]
