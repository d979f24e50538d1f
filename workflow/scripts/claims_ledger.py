"""The claims ledger (results/tables/claims.{csv,md}) and the findings about the papers (findings.csv)."""

import sys

from banditlab.claims import write_ledger

sys.stderr = open(snakemake.log[0], "w")
output = snakemake.output
write_ledger(dict(snakemake.input.items()), snakemake.params.scale, output.csv, output.md, output.findings)
