# Wiring only: the rules live in workflow/rules/, the logic in the installed `banditlab` package.
from snakemake.utils import min_version

min_version("8.20")


report: "workflow/report/workflow.rst"


# The quick scale is the default. A --configfile (paper.yaml, smoke.yaml) replaces it rather than being
# merged into it, so a study left out of paper.yaml cannot leak in from the quick config.
if not config:

    configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/studies.smk"
include: "workflow/rules/ledger.smk"
include: "workflow/rules/notebooks.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/publish.smk"


rule all:
    default_target: True
    input:
        all_targets(),
