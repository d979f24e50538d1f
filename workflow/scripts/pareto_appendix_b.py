"""Appendix B of paper 004: Table 1 (the rule with csv and md outputs) or Figure 1 (pdf and png)."""

import sys

from banditlab.io import markdown_table, write_table, write_text
from banditlab.pareto import appendix_b

sys.stderr = open(snakemake.log[0], "w")
if "csv" in snakemake.output.keys():
    table = appendix_b.gap_table()
    write_table(table, snakemake.output.csv)
    write_text(markdown_table(table), snakemake.output.md)
else:
    appendix_b.plot_example(snakemake.output.pdf, snakemake.output.png)
