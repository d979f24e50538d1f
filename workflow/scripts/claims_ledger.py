"""The claims ledger (results/tables/claims.{csv,md}) from the check tables."""

import sys

from banditlab.claims import write_ledger

sys.stderr = open(snakemake.log[0], "w")
write_ledger(dict(snakemake.input.items()), snakemake.params.scale, snakemake.output.csv, snakemake.output.md)
