"""Methods beyond the papers (results/tables/beyond_papers.{csv,md}): measurements only, no claim."""

import sys

from banditlab.beyond import write_beyond_papers

sys.stderr = open(snakemake.log[0], "w")
params, output = snakemake.params, snakemake.output
bandits = dict(zip(params.bandit_experiments, snakemake.input.bandits))
write_beyond_papers(
    list(snakemake.input.estimation), bandits, output.csv, output.md, params.resamples, params.seed, params.scale
)
