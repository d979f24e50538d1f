"""Publish the finished paper-scale run into docs/paper-scale/ (banditlab.publish): ledger, checks, figures."""

import sys
from pathlib import Path

from banditlab import publish

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
runs = sorted(Path(".snakemake/log").glob("*.snakemake.log"))
walls = publish.wall_times(runs[-1]) if runs else {}
record = publish.provenance(params.config, params.config_hash, walls, publish.git_commit())
record["uncommitted_changes"] = publish.uncommitted_changes()
publish.publish(Path(snakemake.output[0]).parent, snakemake.input.tables, snakemake.input.figures, record)
