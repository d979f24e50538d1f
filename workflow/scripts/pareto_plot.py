"""Draw one pareto figure from results tables only (params.kind names the plotting function)."""

import sys

import pandas as pd

from banditlab.pareto import plots
from banditlab.pareto.checks import printed_rate_exponent

sys.stderr = open(snakemake.log[0], "w")
kind, out = snakemake.params.kind, snakemake.output
table = pd.read_csv(snakemake.input.table)
if kind == "regret_vs_T":
    rates = snakemake.params.rates
    implied = {a: printed_rate_exponent(a, rates["alpha"], rates["beta"]) for a in table["a"].dropna().unique()}
    plots.plot_regret_vs_T(table, implied, out.pdf, out.png)
else:
    getattr(plots, f"plot_{kind}")(table, out.pdf, out.png)
