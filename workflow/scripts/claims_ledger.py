"""The claims ledger (results/tables/claims.{csv,md}) and the findings about the papers (findings.csv)."""

import sys

from banditlab.claims import write_ledger

sys.stderr = open(snakemake.log[0], "w")
output, params = snakemake.output, snakemake.params
write_ledger(dict(zip(params.tables, snakemake.input)), params.scale, output.csv, output.md, output.findings)
