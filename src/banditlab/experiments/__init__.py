"""Deprecated: the estimation study's runner and checks moved to :mod:`banditlab.estimation`.

``banditlab.experiments.estimation`` is :mod:`banditlab.estimation.experiments` and
``banditlab.experiments.ratecheck`` is :mod:`banditlab.estimation.checks` (aliases go in banditlab 0.3).
"""

from .._deprecation import warn_moved

warn_moved(__name__, "banditlab.estimation")
