"""Concatenate the per-point tables of one bandit experiment."""
import sys

from banditlab.io import read_tables, write_table

sys.stderr = open(snakemake.log[0], "w")
write_table(read_tables(snakemake.input), snakemake.output[0])
