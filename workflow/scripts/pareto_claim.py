"""Appendix H's Pareto-index claim checked against banditlab.pareto.pareto_set."""

import sys

from banditlab.io import markdown_table, write_table, write_text
from banditlab.pareto.checks import pareto_claim_table

sys.stderr = open(snakemake.log[0], "w")
table = pareto_claim_table(n_arms=tuple(snakemake.params.arms), n_grid=snakemake.params.grid)
write_table(table, snakemake.output.csv)
write_text(markdown_table(table), snakemake.output.md)
