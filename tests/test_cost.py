"""The cost model refits from a run's Snakemake benchmark files (one per point job)."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from banditlab import cost

ROOT = Path(__file__).resolve().parents[1]


def test_refit_recovers_the_coefficients_that_made_the_benchmarks(tmp_path):
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    truth = {"estimation": (2.0, 3e-9, 1e-4), "pareto": (1.5, 4e-7), "bandits": (3.0, 6e-7, 2e-10)}
    jobs = cost.job_table(config, truth)
    for row in jobs.itertuples(index=False):
        path = tmp_path / row.study / row.experiment / f"{row.point}.tsv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"s\th:m:s\tmax_rss\n{row.seconds:.6f}\t0:00:01\t100\n")
    fitted = cost.refit(config, tmp_path)
    for study in truth:
        predicted = cost.job_table(config, {**truth, study: fitted[study]})
        assert predicted["seconds"].to_numpy() == pytest.approx(jobs["seconds"].to_numpy(), rel=1e-3)
    assert np.isnan(cost.measured_seconds(jobs, tmp_path / "missing")).all()


def test_job_table_lists_every_point_job_of_the_config():
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    jobs = cost.job_table(config)
    assert set(jobs["study"]) == {"estimation", "pareto", "bandits"}
    assert not jobs.duplicated(["study", "experiment", "point"]).any()
    assert (jobs["seconds"] > 0).all()


def test_coefficients_of_another_feature_set_are_refused_by_name():
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    with pytest.raises(ValueError, match="'bandits': 2 coefficients for 3 work features"):
        cost.job_table(config, {**cost.COEFFICIENTS, "bandits": (1.0, 1e-8)})
