"""Draw one figure of any study from its own tables only (banditlab.jobs.draw_figure)."""

import sys

from banditlab.jobs import draw_figure

sys.stderr = open(snakemake.log[0], "w")
params, output = snakemake.params, snakemake.output
draw_figure(params.draw, dict(zip(params.tables, snakemake.input)), params.options, output.pdf, output.png)
