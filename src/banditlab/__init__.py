"""banditlab: reproducible replication of two papers on learning across contextual bandits.

* Xu and Bastani, *Learning Across Bandits in High Dimension via Robust Statistics*: the estimators
  (``banditlab.estimators``, shared), the estimation study of Section 3 (``banditlab.estimation``) and
  the regret study of Section 4 (``banditlab.bandits``).
* Shukla and Kumar, *Vector preference-based contextual bandits under distributional shifts*
  (``banditlab.pareto``).

Every study is one package with the same module names where the roles are the same: ``experiments``
(one grid point in, a tidy table out), ``checks`` (the verdict tables against the paper) and ``plots``
(figures drawn from the results tables only), beside the study's own model (``simulate`` and ``theory``,
``env`` and ``policies``). What the studies share sits at the top: ``estimators``, ``lasso``, ``io``,
``seeding``, ``progress``, ``provenance``, ``cost``, ``resources``, ``report`` and ``claims``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("banditlab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["__version__"]
