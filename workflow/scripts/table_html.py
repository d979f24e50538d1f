"""One check table as an HTML page of the Snakemake report."""

import sys

from banditlab.report import write_table_html

sys.stderr = open(snakemake.log[0], "w")
write_table_html(snakemake.input[0], snakemake.output[0])
