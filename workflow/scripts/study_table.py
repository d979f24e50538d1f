"""A study's check table, or a table of a paper's formulas (banditlab.jobs.make_table), as CSV and Markdown."""

import sys

from banditlab.io import markdown_table, write_table, write_text
from banditlab.jobs import make_table
from banditlab.study import load
from banditlab.verdicts import check_markdown

sys.stderr = open(snakemake.log[0], "w")
params, output = snakemake.params, snakemake.output
table = make_table(params.make, dict(zip(params.inputs, snakemake.input)), params.block, params.seed)
if params.markdown == "plain":
    write_table(table, output.csv)
    markdown = markdown_table(table)
else:  # a check table: a row may lack a bound or an interval, and says why
    write_table(table, output.csv, nan_ok=table.columns)
    markdown = check_markdown(table, params.title) if params.markdown == "check" else load(params.markdown)(table)
write_text(markdown, output.md)
