"""Run one parameter point of the bandit regret study (thin wrapper around banditlab.bandits)."""

import logging
import sys

from threadpoolctl import threadpool_limits

from banditlab.bandits.experiments import run_point
from banditlab.io import write_table
from banditlab.resources import guard

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")  # progress lines
# one BLAS thread per job (jobs already fill the cores); out of memory/time: the log names the resource
with threadpool_limits(snakemake.threads), guard(snakemake.rule, snakemake.resources):
    table = run_point(
        snakemake.wildcards.experiment,
        snakemake.wildcards.point,
        snakemake.params.bandits,
        seed=snakemake.params.seed,
        scale=snakemake.params.scale,
    )
write_table(table, snakemake.output[0])
