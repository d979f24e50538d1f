"""Run one grid point of the estimation study (thin wrapper around banditlab)."""

import logging
import sys

from banditlab.estimation.experiments import run_point
from banditlab.io import write_table
from banditlab.resources import guard

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")

params = snakemake.params
with guard(snakemake.rule, snakemake.resources):  # out of memory/time: the log names the resource to raise
    table = run_point(
        snakemake.wildcards.study,
        params.axis,
        params.point,
        replicates=params.replicates,
        seed=params.seed,
        confidence=params.confidence,
        bounds=params.bounds,
        scale=params.scale,
        estimators=params.estimators,
    )
write_table(table, snakemake.output[0])
