"""Rate check against Table 1 and bound check against Propositions 4-7 / Theorem 1."""

import sys

from banditlab.estimation.checks import write_checks
from banditlab.io import read_tables

sys.stderr = open(snakemake.log[0], "w")
write_checks(read_tables(snakemake.input), snakemake.output, snakemake.params.resamples, snakemake.params.seed)
