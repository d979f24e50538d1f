"""banditlab: reproducible replication of two papers on learning across contextual bandits.

* Xu and Bastani, *Learning Across Bandits in High Dimension via Robust Statistics*
  (``banditlab.estimators``, ``banditlab.simulate``, ``banditlab.theory``).
* Shukla and Kumar, *Vector preference-based contextual bandits under distributional shifts*
  (``banditlab.pareto``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("banditlab")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

__all__ = ["__version__"]
