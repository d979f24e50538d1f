"""Run one grid point of a pareto experiment (thin wrapper around banditlab.pareto.experiments)."""

import logging
import sys

from banditlab import __version__
from banditlab.io import write_table
from banditlab.pareto.experiments import run_point
from banditlab.resources import guard

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")  # progress lines
with guard(snakemake.rule, snakemake.resources):  # out of memory/time: the log names the resource to raise
    table = run_point(
        snakemake.wildcards.experiment,
        snakemake.wildcards.point,
        snakemake.params.pareto,
        seed=snakemake.params.seed,
        scale=snakemake.params.scale,
    )
table = table.assign(banditlab_version=__version__)  # the config hash is added at the table stage
write_table(table, snakemake.output[0], nan_ok=("a",))
