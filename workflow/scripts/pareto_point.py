"""Run one grid point of a pareto experiment (thin wrapper around banditlab.pareto.experiments)."""
import sys

from banditlab.io import write_table
from banditlab.pareto.experiments import run_point

sys.stderr = open(snakemake.log[0], "w")
table = run_point(snakemake.wildcards.experiment, snakemake.wildcards.point, snakemake.params.pareto,
                  seed=snakemake.params.seed, scale=snakemake.params.scale)
write_table(table.assign(config_hash=snakemake.params.config_hash), snakemake.output[0], nan_ok=("a",))
