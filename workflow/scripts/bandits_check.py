"""Regret check table (paper 000, Section 4): the claims' measurement rows with verdicts, and the sensitivity table."""

import sys
from pathlib import Path

import pandas as pd

from banditlab.bandits.checks import regret_check, sensitivity_summary
from banditlab.io import markdown_table, write_table, write_text
from banditlab.verdicts import check_markdown

sys.stderr = open(snakemake.log[0], "w")
tables = {Path(path).stem: pd.read_csv(path) for path in snakemake.input}
check = regret_check(tables, snakemake.params.bandits)
write_table(check, snakemake.output.csv, nan_ok=check.columns)
write_text(check_markdown(check, "Regret check (paper 000, Section 4)"), snakemake.output.md)
sensitivity = sensitivity_summary(tables["sensitivity"])
write_table(sensitivity, snakemake.output.sensitivity_csv)
write_text(markdown_table(sensitivity), snakemake.output.sensitivity_md)
