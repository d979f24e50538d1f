"""Deprecated: moved to :mod:`banditlab.estimation.experiments` (this alias goes in banditlab 0.3)."""

from .._deprecation import alias_module

alias_module(__name__, "banditlab.estimation.experiments")
