"""The estimation study of paper 000 (Section 3): Table 1 and the explicit bounds, module by module.

* :mod:`.simulate`: N related linear models with sparse differences (the data of one replicate).
* :mod:`.theory`: Table 1 as data, Lemma 1, Theorem 1, Corollaries 1-2 and Propositions 4-7 as functions.
* :mod:`.experiments`: one grid point in, a tidy table out (errors of every estimator of
  :mod:`banditlab.estimators`).
* :mod:`.checks`: the rate check against Table 1 and the bound check against the explicit bounds.
* :mod:`.plots`: the figures, drawn from the results tables.

The estimators themselves are shared by every study and live in :mod:`banditlab.estimators`.
"""
