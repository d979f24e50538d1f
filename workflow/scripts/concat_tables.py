"""Concatenate per-point tables into one tidy table per study, stamped with the config hash."""

import sys

from banditlab.io import read_tables, write_table

sys.stderr = open(snakemake.log[0], "w")
write_table(read_tables(snakemake.input).assign(config_hash=snakemake.params.config_hash), snakemake.output[0])
