"""Fill numba's kernel cache before a study's point jobs: the cheapest point of every experiment, one replicate
(banditlab.kernels.warm_up); the table says what was compiled."""

import logging
import sys

import pandas as pd

from banditlab.io import write_table
from banditlab.kernels import warm_up

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")

write_table(pd.DataFrame(warm_up(snakemake.config, only=snakemake.wildcards.study)), snakemake.output[0])
