"""The regret study end to end on a tiny grid: tidy tables, verdicts computed by code."""

import copy

import numpy as np
import pandas as pd
import pytest

from banditlab.bandits.checks import regret_check, sensitivity_summary
from banditlab.bandits.experiments import EXPERIMENTS, check_config, points, run_point

CFG = {
    "replicates": 2,
    "policies": ["rmbandit", "ols_bandit", "oracle"],
    "problem": {"K": 2, "s": 1, "sigma": 0.5, "delta_scale": 1.0},
    "hyperparameters": {
        "h": 0.1,
        "forced_scale": 0.25,
        "lambda_scale": 1.0,
        "eta0": 0.05,
        "eta10": 0.02,
        "zeta_max": 0.25,
        "update_ratio": 1.1,
    },
    "regret_vs_t": {"N": 3, "d": 4, "T_per_instance": 300, "checkpoints": 8},
    "regret_vs_d": {"N": 3, "d": [3, 6], "T_per_instance": 200},
    "regret_vs_n": {"d": 4, "N": [2, 4], "T_per_instance": 200},
    "data_poor": {"d": [3, 6], "ratio_scale": 0.25, "T_target": 30, "policies": ["rmbandit", "ols_bandit"]},
    "network": {"N": 4, "d": 6, "alpha": [1.0], "n_tilde": [1, 2, 4], "T_per_instance": 200, "policies": ["rmbandit"]},
    "sensitivity": {"N": 3, "d": 4, "T_per_instance": 200, "forced_scale": [0.25], "h": [0.1], "eta10": [0.02]},
}


@pytest.fixture(scope="module")
def tables():
    return {
        e: pd.concat([run_point(e, p, CFG, 5, "test") for p in points(e, CFG)], ignore_index=True) for e in EXPERIMENTS
    }


def test_tables_are_tidy_and_reproducible(tables):
    for name, frame in tables.items():
        assert {"policy", "replicate", "metric", "value", "seed", "scale"} <= set(frame.columns), name
        assert np.isfinite(frame["value"]).all() and (frame["value"] >= 0).all()
    again = run_point("regret_vs_d", "d3", CFG, 5, "test")
    first = tables["regret_vs_d"]
    assert np.array_equal(again["value"].to_numpy(), first[first["d"] == 3]["value"].to_numpy())
    assert (tables["regret_vs_t"].query("policy == 'oracle'")["value"] == 0).all()


def test_regret_check_has_a_verdict_per_claim(tables):
    check = regret_check(tables, CFG)
    assert check["verdict"].notna().all() and (check["verdict"] != "").all()
    claims = " ".join(check["claim"])
    for key in ("log", "Corollary 3", "Theorem 3", "Corollary 4"):
        assert key in claims
    assert len(sensitivity_summary(tables["sensitivity"])) == 6


def test_config_checks():
    bad = copy.deepcopy(CFG)
    bad["network"]["n_tilde"] = [1, 9]
    with pytest.raises(ValueError, match="n_tilde"):
        check_config(bad)
    bad = copy.deepcopy(CFG)
    bad["regret_vs_d"]["d"] = [1, 4]
    with pytest.raises(ValueError, match="exceed"):
        check_config(bad)
    with pytest.raises(ValueError, match="not in the grid"):
        run_point("regret_vs_d", "d99", CFG, 5, "test")
