"""Run every replicate of one point of any study (banditlab.runner.run_point) and write its table."""

import logging
import sys

from banditlab.io import write_table
from banditlab.resources import guard
from banditlab.runner import run_point

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")  # progress lines

params, wildcards = snakemake.params, snakemake.wildcards
with guard(snakemake.rule, snakemake.resources):  # out of memory/time: the log names the resource to raise
    table, nan_ok = run_point(
        wildcards.study,
        wildcards.experiment,
        wildcards.point,
        params.values,
        params.grid,
        run=params.run,
        tidy=params.tidy,
        replicates=params.replicates,
        seed=params.seed,
        scale=params.scale,
    )
write_table(table, snakemake.output[0], nan_ok=nan_ok)
