"""Run one grid point of the estimation study (thin wrapper around banditlab)."""
import logging
import sys

from banditlab.experiments.estimation import run_point, study_points
from banditlab.io import write_table

sys.stderr = open(snakemake.log[0], "w")
logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(message)s")

estimation = snakemake.params.estimation
study, label = snakemake.wildcards.study, snakemake.wildcards.point
point = dict(study_points(estimation, study))[label]
spec = estimation["studies"][study]
table = run_point(
    study, spec["axis"], point,
    replicates=estimation["replicates"], seed=snakemake.params.seed, confidence=estimation["confidence"],
    bounds=spec.get("bounds", False), scale=snakemake.params.scale, config_hash=snakemake.params.config_hash,
)
write_table(table, snakemake.output[0])
