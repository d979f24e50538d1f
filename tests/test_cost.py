"""The cost model prices point jobs (batches of points) and refits from a run's Snakemake benchmark files."""

from pathlib import Path

import numpy as np
import pytest
import yaml

from banditlab import batches, cost

ROOT = Path(__file__).resolve().parents[1]


def smoke():
    return yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())


def write_benchmarks(root, jobs):
    for row in jobs.itertuples(index=False):
        path = root / row.study / row.experiment / f"batch{row.batch}.tsv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"s\th:m:s\tmax_rss\n{row.seconds:.6f}\t0:00:01\t100\n")


def test_refit_recovers_the_coefficients_that_made_the_benchmarks(tmp_path):
    # one point per job, so that every study has as many jobs as points (enough equations for the fit)
    config = {**smoke(), "batch_seconds": 0}
    truth = {"estimation": (2.0, 3e-9, 1e-4), "pareto": (1.5, 4e-7), "bandits": (3.0, 6e-7, 2e-10)}
    jobs = cost.batch_table(config, truth)
    write_benchmarks(tmp_path, jobs)
    fitted = cost.refit(config, tmp_path)
    for study in truth:
        refitted = [np.dot(fitted[study], work) for work in jobs.loc[jobs["study"] == study, "work"]]
        assert refitted == pytest.approx(jobs.loc[jobs["study"] == study, "seconds"].to_list(), rel=1e-3)
    assert np.isnan(cost.measured_seconds(jobs, tmp_path / "missing")).all()


def test_refit_refuses_benchmarks_of_other_batches(tmp_path):
    config = smoke()
    write_benchmarks(tmp_path, cost.batch_table({**config, "batch_seconds": 0}))
    with pytest.raises(ValueError, match=r"benchmark files for \d+ planned batches"):
        cost.refit(config, tmp_path)


def test_batches_cover_every_point_once_in_grid_order():
    config = smoke()
    points = cost.job_table(config)
    for budget in (0, 5, 20, 1e9):
        planned = batches.plan_batches({**config, "batch_seconds": budget})
        labels = [(b.study, b.experiment, label) for b in planned for label in b.labels]
        assert labels == list(zip(points["study"], points["experiment"], points["point"]))
        assert len({b.rule for b in planned}) == len(planned)
    one_each = batches.plan_batches({**config, "batch_seconds": 0})
    assert all(len(b.labels) == 1 for b in one_each)
    whole = batches.plan_batches({**config, "batch_seconds": 1e9})
    assert len(whole) == sum(len(config[study]["experiments"]) for study in ("estimation", "pareto", "bandits"))


def test_a_batch_stays_within_its_budget_unless_it_holds_one_point():
    work = [3.0, 4.0, 10.0, 1.0, 1.0, 25.0, 2.0]
    groups = batches.pack(work, 8.0)
    assert groups == [[0, 1], [2], [3, 4], [5], [6]]
    assert all(sum(work[i] for i in group) <= 8.0 or len(group) == 1 for group in groups)
    assert batches.pack(work, 0.0) == [[i] for i in range(len(work))]


def test_a_batch_pays_the_fixed_cost_once():
    config = {**smoke(), "batch_seconds": 1e9}
    coefficients = cost.COEFFICIENTS
    points = cost.job_table(config).groupby(["study", "experiment"], sort=False)
    jobs = cost.batch_table(config).set_index(["study", "experiment"])
    for (study, experiment), group in points:
        fixed = coefficients[study][0]
        expected = group["seconds"].sum() - (len(group) - 1) * fixed
        assert jobs.loc[(study, experiment), "seconds"] == pytest.approx(expected)


@pytest.mark.parametrize("value", [-1, "20", True, None])
def test_batch_seconds_must_be_a_number_at_least_0(value):
    with pytest.raises(ValueError, match="batch_seconds must be a number >= 0"):
        batches.plan_batches({**smoke(), "batch_seconds": value})


def test_job_table_lists_every_point_of_the_config():
    jobs = cost.job_table(smoke())
    assert set(jobs["study"]) == {"estimation", "pareto", "bandits"}
    assert not jobs.duplicated(["study", "experiment", "point"]).any()
    assert (jobs["seconds"] > 0).all()


def test_coefficients_of_another_feature_set_are_refused_by_name():
    with pytest.raises(ValueError, match="'bandits': 2 coefficients for 3 work features"):
        cost.job_table(smoke(), {**cost.COEFFICIENTS, "bandits": (1.0, 1e-8)})


def test_the_estimate_counts_the_jobs_after_the_points():
    config = smoke()
    tail = cost.tail_jobs(config)
    assert (
        tail["figure"] > 0
        and tail["notebook"] == 3
        and tail["experiment_table"]
        == sum(len(config[study]["experiments"]) for study in ("estimation", "pareto", "bandits"))
    )
    estimate = cost.estimate_cost(config).set_index("study")
    expected = sum(cost.TAIL_SECONDS[kind] * count for kind, count in tail.items()) / 60
    assert estimate.loc["tail", "cpu_minutes"] == pytest.approx(expected)
    text = cost.format_cost(config, cores=2)
    assert f"{sum(tail.values())} other jobs" in text


def test_tail_seconds_reads_the_run_log():
    log = "\n".join(
        [
            "[Mon Dec  7 10:00:00 2026]",
            "rule figure:",
            "    jobid: 3",
            "    wildcards: figure=a",
            "[Mon Dec  7 10:00:02 2026]",
            "Finished jobid: 3 (Rule: figure)",
            "[Mon Dec  7 10:00:02 2026]",
            "rule notebook:",
            "    jobid: 4",
            "[Mon Dec  7 10:00:14 2026]",
            "Finished jobid: 4 (Rule: notebook)",
        ]
    )
    assert cost.tail_seconds(log) == {"figure": 2.0, "notebook": 12.0}
