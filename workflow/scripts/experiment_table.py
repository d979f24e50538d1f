"""One experiment's table: its point tables in grid order, stamped with the config hash (and the version)."""

import sys

from banditlab.io import write_table
from banditlab.jobs import concat_points

sys.stderr = open(snakemake.log[0], "w")
table = concat_points(snakemake.input, snakemake.params.stamps)
write_table(table, snakemake.output[0], nan_ok=table.columns)  # each point table was checked when written
