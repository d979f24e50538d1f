"""Build results/tables/pareto_check.{csv,md}: verdicts computed from the results tables."""

import sys

import pandas as pd

from banditlab.io import markdown_table, write_table, write_text
from banditlab.pareto.checks import check_table

sys.stderr = open(snakemake.log[0], "w")
tables = {name: pd.read_csv(getattr(snakemake.input, name)) for name in ("tp", "horizon", "nu", "shifts")}
check = check_table(
    pd.read_csv(snakemake.input.gap_table), pd.read_csv(snakemake.input.claim), tables, snakemake.params.pareto
)
write_table(check, snakemake.output.csv, nan_ok=("implied_slope",))
write_text(markdown_table(check), snakemake.output.md)
