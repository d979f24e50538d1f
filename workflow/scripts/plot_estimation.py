"""Draw one estimation figure from results tables only."""

import sys

import pandas as pd

from banditlab.estimation import plots

sys.stderr = open(snakemake.log[0], "w")
out, kind = snakemake.output, snakemake.params.kind
if kind == "loglog":
    plots.plot_error_curve(pd.read_csv(snakemake.input.table), pd.read_csv(snakemake.input.rates), out.pdf, out.png)
elif kind == "trim":
    plots.plot_trim_sensitivity(pd.read_csv(snakemake.input.table), out.pdf, out.png)
elif kind == "support":
    plots.plot_support_alignment(pd.read_csv(snakemake.input.table), out.pdf, out.png)
else:
    plots.plot_bounds(pd.read_csv(snakemake.input.table), out.pdf, out.png)
