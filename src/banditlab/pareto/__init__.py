"""Cone orders, Pareto sets, the scale-independent gap and the preference metric (paper 004, Section 2).

Public interface: :class:`Cone` (``Cone.orthant(M)``, ``Cone.from_generators(W)``), :func:`pareto_set`,
:func:`pareto_gap`, :func:`gap_to_front`, :func:`preference_distance`, :func:`hausdorff_distance`.
Appendix B (Figure 1, Table 1) is reproduced by :mod:`banditlab.pareto.appendix_b`.

The study of Appendix H, module by module:

* :mod:`.env`: the Appendix H environment (contexts, arm means, source and target distributions).
* :mod:`.protocol`: what a policy may know (the spec) and observe (the stream), and the runner.
* :mod:`.policies`: Algorithm 1 (adaptive tree) and the baselines, online agents; compiled in :mod:`.kernels`;
  :mod:`.readings`: Algorithm 1's ambiguous lines as named options.
* :mod:`.experiments`: one grid point in, a tidy table out (the regret of eq. (2)); :mod:`.frontier` and
  :mod:`.lemma7`: the experiments over Algorithm 1's constants and levels.
* :mod:`.claims` and :mod:`.rows`: the verdict table against Appendix B, Theorems 1-3, the lemmas and Appendix H.1.
* :mod:`.figures`: the figures, drawn from the results tables.
"""

import importlib

_EXPORTS = {
    name: "cones"
    for name in ("Cone", "pareto_set", "pareto_gap", "gap_to_front", "preference_distance", "hausdorff_distance")
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    # Imported on first use, so that reading the study's declaration (banditlab.pareto.study) loads no kernel.
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
