"""Publish the finished paper-scale run into docs/paper-scale/ (banditlab.publish): ledger, checks, figures."""

import sys
from pathlib import Path

from banditlab import publish

sys.stderr = open(snakemake.log[0], "w")
params = snakemake.params
walls = publish.wall_times(publish.run_log(".snakemake/log"), names=publish.owners(params.config))
record = publish.provenance(params.config, params.config_hash, walls, publish.git_commit())
record["point_job_cpu_seconds"] = publish.point_job_seconds(params.config)
folder = Path(snakemake.output[0]).parent
record["uncommitted_changes"] = publish.uncommitted_changes(exclude=folder)
publish.publish(folder, snakemake.input.tables, snakemake.input.figures, record)
