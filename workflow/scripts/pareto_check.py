"""Build results/tables/pareto_check.{csv,md}: paper 004's claims, measured from the results tables."""

import sys

import pandas as pd

from banditlab.io import write_table, write_text
from banditlab.pareto.checks import check_table
from banditlab.verdicts import check_markdown

sys.stderr = open(snakemake.log[0], "w")
tables = {name: pd.read_csv(getattr(snakemake.input, name)) for name in ("tp", "horizon", "nu", "shifts")}
params = snakemake.params
check = check_table(pd.read_csv(snakemake.input.gap_table), tables, params.pareto, params.seed, params.resamples)
write_table(check, snakemake.output.csv, nan_ok=check.columns)
write_text(check_markdown(check, "Paper 004 checks (Appendix B, Theorem 3, Appendix H.1)"), snakemake.output.md)
