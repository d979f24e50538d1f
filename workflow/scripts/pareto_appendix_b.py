"""Appendix B of paper 004: Table 1 (gap table) or Figure 1, from part A's banditlab.pareto.appendix_b."""
import sys

from banditlab.io import markdown_table, write_table, write_text
from banditlab.pareto import appendix_b

sys.stderr = open(snakemake.log[0], "w")
if snakemake.params.what == "table":
    table = appendix_b.gap_table()
    write_table(table, snakemake.output.csv)
    write_text(markdown_table(table), snakemake.output.md)
else:
    appendix_b.plot_example(snakemake.output.pdf, snakemake.output.png)
