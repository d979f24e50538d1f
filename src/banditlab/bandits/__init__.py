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
* :mod:`.figures`: its figures, drawn from the results tables; :mod:`.study`: its declaration.

Every policy is a :class:`banditlab.agents.Agent` run by :func:`banditlab.agents.simulate` on a
:class:`Stream`, with the :class:`Problem` as its spec.
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
    "RMBandit": "rmbandit",
    "AveragingMultitaskBandit": "rmbandit",
    "PooledBandit": "rmbandit",
    "MedianShrinkageBandit": "rmbandit",
    "OLSBandit": "independent",
    "LassoBandit": "independent",
    "GreedyBandit": "independent",
    "Oracle": "independent",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    # Imported on first use, so that reading the study's declaration (banditlab.bandits.study) loads no policy.
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
