"""Concatenate the per-point tables of one pareto experiment into one tidy table."""

import sys

from banditlab.io import read_tables, write_table

sys.stderr = open(snakemake.log[0], "w")
table = read_tables(snakemake.input).assign(config_hash=snakemake.params.config_hash)
write_table(table, snakemake.output[0], nan_ok=("a",))
