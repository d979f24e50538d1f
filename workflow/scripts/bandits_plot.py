"""One figure of the bandit regret study, read from its results table only."""

import sys

from banditlab.bandits.plots import plot

sys.stderr = open(snakemake.log[0], "w")
plot(snakemake.params.kind, dict(snakemake.input), snakemake.output.pdf, snakemake.output.png)
