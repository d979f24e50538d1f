"""Package and library versions, config hash and the full config, as a page of the report."""

import sys

from banditlab.report import write_provenance

sys.stderr = open(snakemake.log[0], "w")
write_provenance(snakemake.params.config, snakemake.params.config_hash, snakemake.output[0])
