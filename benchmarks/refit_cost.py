"""Refit the cost model (banditlab.cost) from a finished run's Snakemake benchmark files, and compare.

    python benchmarks/refit_cost.py config/paper.yaml [--benchmarks benchmarks]

Prints, per study, the measured CPU-minutes of the point jobs (batches of points), the current model's
prediction, the refitted coefficients (to paste into ``banditlab.cost.COEFFICIENTS``) and the refitted
prediction. Run it right after the run: the batches are planned by the coefficients in effect.
"""

from __future__ import annotations

import argparse

import numpy as np
import yaml

from banditlab import cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", help="the config of the finished run (e.g. config/paper.yaml)")
    parser.add_argument("--benchmarks", default="benchmarks", help="folder of <study>/<experiment>/batch<index>.tsv")
    parser.add_argument("--log", help="the run's Snakemake log (.snakemake/log/...): also the tail jobs' seconds")
    args = parser.parse_args()
    with open(args.config) as handle:
        config = yaml.safe_load(handle)
    jobs = cost.batch_table(config)
    jobs["measured"] = cost.measured_seconds(jobs, args.benchmarks)
    fitted = cost.refit(config, args.benchmarks)
    # the same batches priced by the refitted coefficients (new coefficients would plan other batches)
    refitted = {**cost.COEFFICIENTS, **fitted}
    jobs["refitted"] = [float(np.dot(refitted[study], work)) for study, work in zip(jobs["study"], jobs["work"])]
    for study, group in jobs.groupby("study", sort=False):
        measured = group["measured"].sum() / 60
        print(
            f"{study:<11} {group['measured'].notna().sum():>4} jobs measured  {measured:8.1f} CPU-min measured  "
            f"{group['seconds'].sum() / 60:8.1f} current model  {group['refitted'].sum() / 60:8.1f} refitted  "
            f"coefficients {fitted.get(study)}"
        )
    if args.log:
        with open(args.log) as handle:
            seconds = cost.tail_seconds(handle.read())
        print("tail jobs, mean seconds (to paste into banditlab.cost.TAIL_SECONDS):", seconds)


if __name__ == "__main__":
    main()
