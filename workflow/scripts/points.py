"""Run every replicate of each point of a batch (banditlab.runner.run_point) and write each point's table."""

import logging
import sys

from banditlab.io import write_table
from banditlab.kernels import compiled_here
from banditlab.resources import guard
from banditlab.runner import run_point

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")  # progress lines

params = snakemake.params
with guard(snakemake.rule, snakemake.resources):  # out of memory/time: the log names the resource to raise
    for point, path in zip(params.points, snakemake.output, strict=True):
        logging.info("point %s (%d replicates)", point["label"], point["replicates"])
        table, nan_ok = run_point(
            params.study,
            params.experiment,
            point["label"],
            point["values"],
            point["grid"],
            run=params.run,
            tidy=params.tidy,
            replicates=point["replicates"],
            seed=params.seed,
            scale=params.scale,
        )
        write_table(table, path, nan_ok=nan_ok)
if compiled := compiled_here():  # the kernels rule fills the cache first: a miss means it missed a code path
    logging.warning("numba compiled %d kernels in this job instead of loading them: %s", len(compiled), compiled)
