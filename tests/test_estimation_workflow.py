"""Config validation, the rate check and the tidy tables of the estimation study."""

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from banditlab import verdicts
from banditlab.estimation.claims import CLAIMS
from banditlab.estimation.experiments import check_estimation_config
from banditlab.estimation.rows import bound_check, bound_markdown, level_rows, rate_rows
from banditlab.io import write_table
from banditlab.runner import run_config_point

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "workflow" / "schemas"


def load(name):
    return yaml.safe_load((ROOT / "config" / name).read_text())


@pytest.mark.parametrize("name", ["config.yaml", "paper.yaml", "smoke.yaml"])
def test_shipped_configs_are_valid(name):
    config = load(name)
    validate(config, str(SCHEMAS / "config.schema.yaml"))
    validate(config["estimation"], str(SCHEMAS / "estimation.schema.yaml"))
    check_estimation_config(config["estimation"])


@pytest.mark.parametrize(
    "edit,match",
    [
        (lambda c: c["base"].update(trim_fraction=0.5), "trim_fraction"),
        (lambda c: c["base"].update(n_instances=-3), "-3"),
        (lambda c: c["base"].update(unknown_key=1), "unknown_key"),
        (lambda c: c.update(replicates="ten"), "ten"),
        (lambda c: c["experiments"]["error_vs_n"].update(grid={"n_per_instance": []}), r"\[\]"),
        (lambda c: c["experiments"]["error_vs_n"].update(grid={"colour": [1, 2]}), "colour"),
    ],
)
def test_schema_rejects_malformed_estimation_config(edit, match):
    estimation = copy.deepcopy(load("smoke.yaml")["estimation"])
    edit(estimation)
    with pytest.raises(Exception, match=match):
        validate(estimation, str(SCHEMAS / "estimation.schema.yaml"))


@pytest.mark.parametrize(
    "edit,match",
    [
        (
            lambda c: c["experiments"]["error_vs_s"]["grid"].update(sparsity=[1, 40]),
            r"experiments\.error_vs_s\.grid\.sparsity \(sparsity=40\).*s=40 must satisfy 0 <= s <= dim d=16",
        ),
        (
            lambda c: c["experiments"]["error_vs_n"]["grid"].update(n_per_instance=[60, 10]),
            r"experiments\.error_vs_n\.grid\.n_per_instance \(n_per_instance=10\).*n_per_instance=10 must exceed dim",
        ),
        (lambda c: c["experiments"]["error_vs_n"]["grid"].update(n_per_instance=[60, 60]), "same point label twice"),
        (lambda c: c["base"].update(sparsity=4), "sqrt\\(s/d\\) and needs s/d < 1/4"),
    ],
)
def test_semantic_checks_name_the_key(edit, match):
    estimation = copy.deepcopy(load("smoke.yaml")["estimation"])
    edit(estimation)
    with pytest.raises(ValueError, match=match):
        check_estimation_config(estimation)


@pytest.fixture(scope="module")
def ols_vs_n():
    estimation = load("smoke.yaml")["estimation"]
    estimation["experiments"] = {"vs_n": {"grid": {"n_per_instance": [40, 160, 640]}, "figure": "error_curve"}}
    estimation.update(replicates=12, estimators=["independent_ols"])
    frames = [run_config_point("estimation", estimation, "vs_n", label, seed=5) for label in ("40", "160", "640")]
    return pd.concat(frames, ignore_index=True)


def test_tidy_table_has_one_row_per_replicate_estimator_instance_metric(ols_vs_n):
    one_point = ols_vs_n[ols_vs_n["axis_value"] == "40"]
    assert len(one_point) == 12 * 1 * (8 + 1) * 2
    assert not one_point.duplicated(["replicate", "estimator", "instance", "metric"]).any()
    assert {"seed", "n_instances", "dim", "sparsity", "scale", "banditlab_version"} <= set(ols_vs_n.columns)


def test_above_instance_rows_a_point_keeps_the_mean_target_and_instance_0_rows_only():
    estimation = load("smoke.yaml")["estimation"]
    estimation["experiments"] = {
        "vs_n": {"grid": {"n_per_instance": [40]}},
        "poor": {"grid": {"n_target": [20]}, "regime": "data_poor"},
    }
    estimation.update(replicates=2, estimators=["independent_ols", "averaging"])
    for experiment, label in (("vs_n", "40"), ("poor", "20")):
        full = run_config_point("estimation", estimation, experiment, label, seed=3)
        n_instances = int(full["n_instances"].iloc[0])
        fewer = {**estimation, "instance_rows": n_instances - 1}
        short = run_config_point("estimation", fewer, experiment, label, seed=3)
        instance = full["instance"].astype(str)
        kept = full[~instance.str.isdigit() | (instance == "0")].reset_index(
            drop=True
        )  # instance 0: per-instance events
        assert set(full["instance"].astype(str)) - set(kept["instance"].astype(str))  # rows per instance were there
        pd.testing.assert_frame_equal(short, kept)  # the same mean (and target) rows, to the bit
        same = run_config_point("estimation", {**estimation, "instance_rows": n_instances}, experiment, label, seed=3)
        pd.testing.assert_frame_equal(same, full)


def test_rate_check_recovers_the_independent_ols_slope_in_n(ols_vs_n):
    rows = verdicts.evaluate(rate_rows(ols_vs_n, resamples=200, seed=0), CLAIMS)
    row = rows.iloc[0]
    assert row["estimator"] == "independent_ols" and row["claim_id"] == "000-table1-independent_ols-standard"
    assert row["predicted_slope"] == pytest.approx(-0.5)
    assert (row["claimed_low"], row["claimed_high"]) == pytest.approx((-0.6, -0.4))  # exact rate, slack 0.1
    assert row["ci_low"] < -0.5 + 0.1 and row["ci_high"] > -0.5 - 0.1
    assert abs(row["estimate"] + 0.5) < 0.1
    assert row["row_verdict"] in (verdicts.HOLDS, verdicts.NOT_TESTABLE)  # 12 replicates: may lack the power


def test_rate_check_fails_when_the_slope_is_wrong(ols_vs_n):
    # Errors that do not shrink with n at all contradict d/sqrt(n) whatever the constants.
    flat = ols_vs_n.assign(error=1.0 + 0.01 * np.random.default_rng(0).random(len(ols_vs_n)))
    assert verdicts.evaluate(rate_rows(flat, resamples=50, seed=0), CLAIMS).iloc[0]["verdict"] == verdicts.FAILS


def test_bound_check_and_writers(tmp_path):
    estimation = load("smoke.yaml")["estimation"]
    estimation["replicates"] = 4
    frames = [run_config_point("estimation", estimation, "lower_bound", label, seed=1) for label in ("1", "150")]
    table = pd.concat(frames, ignore_index=True)
    checks = verdicts.evaluate(level_rows(table), CLAIMS)
    assert set(checks["claim_id"]) >= {"000-proposition4", "000-proposition5", "000-proposition6", "000-theorem1"}
    assert (checks.loc[checks["claim_id"] == "000-proposition4", "row_verdict"] != verdicts.FAILS).all()
    bounds = bound_check({"lower_bound": table}, estimation, seed=0)
    assert "000-proposition4" in bound_markdown(bounds)


def test_write_table_refuses_nan(tmp_path):
    with pytest.raises(ValueError, match="column 'error'"):
        write_table(pd.DataFrame({"error": [1.0, np.nan]}), tmp_path / "t.csv")
    write_table(pd.DataFrame({"error": [1.0, np.nan]}), tmp_path / "t.csv", nan_ok=["error"])
    assert (tmp_path / "t.csv").exists() and not list(tmp_path.glob(".*tmp"))


def test_run_point_is_deterministic():
    estimation = load("smoke.yaml")["estimation"]
    estimation["replicates"] = 2
    a, b, c = (run_config_point("estimation", estimation, "error_vs_n", "60", seed=seed) for seed in (3, 3, 4))
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["error"], c["error"])
