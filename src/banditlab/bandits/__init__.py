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

import importlib

_EXPORTS = {
    "Problem": "env",
    "Stream": "env",
    "make_problem": "env",
    "make_network_problem": "env",
    "RMBanditHyperparameters": "hyperparameters",
    "practical": "hyperparameters",
    "theory_standard": "hyperparameters",
    "theory_data_poor": "hyperparameters",
    "RMBandit": "policies",
    "AveragingMultitaskBandit": "policies",
    "PooledBandit": "policies",
    "OLSBandit": "policies",
    "LassoBandit": "policies",
    "GreedyBandit": "policies",
    "MedianShrinkageBandit": "policies",
    "Oracle": "policies",
    "simulate": "policies",
    "run_rmbandit_loop": "policies",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    # Imported on first use, so that reading the study's declaration (banditlab.bandits.study) loads no policy.
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
