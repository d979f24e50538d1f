"""Regret check table: fitted growth rates next to the paper's exponents, verdict per claim."""

import sys
from pathlib import Path

import pandas as pd

from banditlab.bandits.checks import regret_check, sensitivity_summary
from banditlab.io import markdown_table, write_table, write_text

sys.stderr = open(snakemake.log[0], "w")
tables = {Path(path).stem: pd.read_csv(path) for path in snakemake.input}
check = regret_check(tables, snakemake.params.bandits)
write_table(check, snakemake.output.csv, nan_ok=["predicted", "fitted", "ci95"])
write_text(markdown_table(check), snakemake.output.md)
sensitivity = sensitivity_summary(tables["sensitivity"])
write_table(sensitivity, snakemake.output.sensitivity_csv)
write_text(markdown_table(sensitivity), snakemake.output.sensitivity_md)
