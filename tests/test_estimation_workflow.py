"""Config validation, the rate check and the tidy tables of the estimation study."""

import copy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from banditlab import verdicts
from banditlab.estimation.checks import CLAIMS, level_rows, rate_rows, write_checks
from banditlab.estimation.experiments import check_estimation_config, run_point, study_points
from banditlab.io import write_table

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
        (lambda c: c["studies"]["error_vs_n"].update(values=[]), "values"),
        (lambda c: c["studies"]["error_vs_n"].update(axis="colour"), "colour"),
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
            lambda c: c["studies"]["error_vs_s"].update(values=[1, 40]),
            r"error_vs_s\.values\[1\].*s=40 must satisfy 0 <= s <= dim d=16",
        ),
        (
            lambda c: c["studies"]["error_vs_n"].update(values=[60, 10]),
            r"error_vs_n\.values\[1\].*n_per_instance=10 must exceed dim",
        ),
        (lambda c: c["studies"]["error_vs_n"].update(values=[60, 60]), "duplicates"),
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
    estimation["studies"] = {"vs_n": {"axis": "n_per_instance", "values": [40, 160, 640], "plot": "loglog"}}
    frames = [
        run_point(
            "vs_n", "n_per_instance", point, replicates=12, seed=5, confidence=0.05, estimators=("independent_ols",)
        )
        for _, point in study_points(estimation, "vs_n")
    ]
    return pd.concat(frames, ignore_index=True)


def test_tidy_table_has_one_row_per_replicate_estimator_instance_metric(ols_vs_n):
    one_point = ols_vs_n[ols_vs_n["axis_value"] == "40"]
    assert len(one_point) == 12 * 1 * (8 + 1) * 2
    assert not one_point.duplicated(["replicate", "estimator", "instance", "metric"]).any()
    assert {"seed", "n_instances", "dim", "sparsity", "scale", "banditlab_version"} <= set(ols_vs_n.columns)


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
    spec = estimation["studies"]["lower_bound"]
    frames = [
        run_point("lower_bound", spec["axis"], point, replicates=4, seed=1, confidence=0.05, bounds=True)
        for _, point in study_points(estimation, "lower_bound")
    ]
    table = pd.concat(frames, ignore_index=True)
    checks = verdicts.evaluate(level_rows(table), CLAIMS)
    assert set(checks["claim_id"]) >= {"000-proposition4", "000-proposition5", "000-proposition6", "000-theorem1"}
    assert (checks.loc[checks["claim_id"] == "000-proposition4", "row_verdict"] != verdicts.FAILS).all()
    outputs = SimpleNamespace(**{k: tmp_path / f"{k}.out" for k in ("rates", "rates_md", "bounds", "bounds_md")})
    write_checks(table, outputs, resamples=20, seed=0)
    assert "000-proposition4" in outputs.bounds_md.read_text()


def test_write_table_refuses_nan(tmp_path):
    with pytest.raises(ValueError, match="column 'error'"):
        write_table(pd.DataFrame({"error": [1.0, np.nan]}), tmp_path / "t.csv")
    write_table(pd.DataFrame({"error": [1.0, np.nan]}), tmp_path / "t.csv", nan_ok=["error"])
    assert (tmp_path / "t.csv").exists() and not list(tmp_path.glob(".*tmp"))


def test_run_point_is_deterministic():
    estimation = load("smoke.yaml")["estimation"]
    label, point = study_points(estimation, "error_vs_n")[0]
    a = run_point("error_vs_n", "n_per_instance", point, replicates=2, seed=3, confidence=0.05)
    b = run_point("error_vs_n", "n_per_instance", point, replicates=2, seed=3, confidence=0.05)
    c = run_point("error_vs_n", "n_per_instance", point, replicates=2, seed=4, confidence=0.05)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["error"], c["error"])
