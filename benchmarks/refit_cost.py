"""Refit the cost model (banditlab.cost) from a finished run's Snakemake benchmark files, and compare.

    python benchmarks/refit_cost.py config/paper.yaml [--benchmarks benchmarks]

Prints, per study, the measured CPU-minutes of the point jobs, the current model's prediction, the refitted
coefficients (to paste into ``banditlab.cost.COEFFICIENTS``) and the refitted prediction.
"""

from __future__ import annotations

import argparse

import yaml

from banditlab import cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", help="the config of the finished run (e.g. config/paper.yaml)")
    parser.add_argument("--benchmarks", default="benchmarks", help="folder of <study>/<experiment>/<point>.tsv")
    args = parser.parse_args()
    with open(args.config) as handle:
        config = yaml.safe_load(handle)
    jobs = cost.work_table(config)
    try:
        jobs["seconds"] = cost.job_table(config)["seconds"]
    except ValueError as error:  # the work features changed since the coefficients were fitted
        print(f"current model not comparable: {error}")
        jobs["seconds"] = float("nan")
    jobs["measured"] = cost.measured_seconds(jobs, args.benchmarks)
    fitted = cost.refit(config, args.benchmarks)
    refitted = cost.job_table(config, {**cost.COEFFICIENTS, **fitted})
    jobs["refitted"] = refitted["seconds"]
    for study, group in jobs.groupby("study", sort=False):
        measured = group["measured"].sum() / 60
        print(
            f"{study:<11} {group['measured'].notna().sum():>4} jobs measured  {measured:8.1f} CPU-min measured  "
            f"{group['seconds'].sum() / 60:8.1f} current model  {group['refitted'].sum() / 60:8.1f} refitted  "
            f"coefficients {fitted.get(study)}"
        )


if __name__ == "__main__":
    main()
