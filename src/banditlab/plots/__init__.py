"""Deprecated: each study draws its own figures (:mod:`banditlab.estimation.plots`,
:mod:`banditlab.bandits.plots`, :mod:`banditlab.pareto.plots`); this alias goes in banditlab 0.3."""

from .._deprecation import warn_moved

warn_moved(__name__, "banditlab.estimation.plots")
