"""Build Snakemake's own report (`snakemake --report`) as a job, so that `all` ends with report.html.

A second snakemake process, on the same Snakefile and the config this run uses, reads the finished
outputs and the run metadata (it runs no job). --nolock: the running workflow holds the directory lock.
The report is written to a temporary name and renamed, so an interrupted build leaves no half report.
The landing page (workflow/report/workflow.rst) shows the ledger's first line, passed as the config key
``ledger_summary``: the report's templates see the config only.
"""

import os
import subprocess
import sys
import tempfile

import pandas as pd
import yaml

from banditlab.claims import summary_line

summary = summary_line(pd.read_csv(snakemake.input.ledger), pd.read_csv(snakemake.input.findings))
output = os.path.abspath(snakemake.output[0])
partial = os.path.join(os.path.dirname(output), ".partial." + os.path.basename(output))
with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
    yaml.safe_dump({**snakemake.params.config, "ledger_summary": summary}, handle)
command = [
    sys.executable,
    "-m",
    "snakemake",
    "--snakefile",
    snakemake.params.snakefile,
    "--nolock",
    "--configfile",
    handle.name,
    "--report",
    partial,
    "--report-stylesheet",
    snakemake.input.stylesheet,  # the landing page scrolls to its title (workflow/report/report.css)
]
try:
    with open(snakemake.log[0], "w") as log:
        print(" ".join(command), file=log, flush=True)
        subprocess.run(command, check=True, stdout=log, stderr=subprocess.STDOUT)
    os.replace(partial, output)
finally:
    os.unlink(handle.name)
    if os.path.exists(partial):  # a failed build: no half report left behind
        os.unlink(partial)
