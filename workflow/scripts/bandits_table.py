"""Concatenate the per-point tables of one bandit experiment (stamped with config hash and version)."""

import sys

from banditlab import __version__
from banditlab.io import read_tables, write_table

sys.stderr = open(snakemake.log[0], "w")
table = read_tables(snakemake.input).assign(config_hash=snakemake.params.config_hash, banditlab_version=__version__)
write_table(table, snakemake.output[0])
