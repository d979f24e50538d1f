"""The pareto config blocks validate against their schema and give runnable grids."""

from pathlib import Path

import jsonschema
import pytest
import yaml

from banditlab.pareto.experiments import check_pareto_config
from banditlab.pareto.study import STUDY
from banditlab.study import points

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = yaml.safe_load((ROOT / "workflow/schemas/pareto.schema.yaml").read_text())


@pytest.mark.parametrize("name", ["smoke", "config", "paper"])
def test_config_block_valid(name):
    cfg = yaml.safe_load((ROOT / "config" / f"{name}.yaml").read_text())["pareto"]
    jsonschema.validate(cfg, SCHEMA)
    check_pareto_config(cfg)
    assert set(cfg["experiments"]) == {"tp", "horizon", "nu", "shifts", "levels", "frontier"}
    assert all(points(STUDY, cfg, experiment) for experiment in cfg["experiments"])


def test_paper_block_is_appendix_h_scale():
    tp = yaml.safe_load((ROOT / "config/paper.yaml").read_text())["pareto"]["experiments"]["tp"]
    assert tp["T"] == 50000 and tp["grid"]["t_p"] == [1000, 2000, 3000] and tp["replicates"] == 10


def test_bad_grid_fails_fast():
    cfg = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["pareto"]
    cfg["experiments"]["tp"]["grid"]["t_p"] = [cfg["experiments"]["tp"]["T"]]
    with pytest.raises(ValueError, match="t_p"):
        check_pareto_config(cfg)
    bad = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["pareto"]
    bad["policy_params"]["adaptive_tree"]["split_on"] = "leaf"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SCHEMA)


@pytest.mark.parametrize("name", ["smoke", "config", "paper"])
def test_c1_comes_from_the_instance_not_the_config(name):
    """c1 is derived from the environment: no config types it and the schema has no default for it
    (snakemake's validate() fills schema defaults into the config)."""
    params = yaml.safe_load((ROOT / "config" / f"{name}.yaml").read_text())["pareto"]["policy_params"]
    for policy in ("adaptive_tree", "fixed_partition"):
        assert "c1" not in params.get(policy, {})
        assert "default" not in SCHEMA["properties"]["policy_params"]["properties"][policy]["properties"]["c1"]
    assert params["adaptive_tree"]["elimination"] == "lemma5" and params["adaptive_tree"]["inherit"] == "bin"


@pytest.mark.parametrize(
    "key, value", [("inherit", True), ("elimination", "some"), ("c1", -1.0), ("inherit", "sibling")]
)
def test_bad_tree_settings_name_the_field(key, value):
    bad = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["pareto"]
    bad["policy_params"]["adaptive_tree"][key] = value
    with pytest.raises(jsonschema.ValidationError) as schema_error:
        jsonschema.validate(bad, SCHEMA)
    assert key in "/".join(map(str, schema_error.value.absolute_path))
    with pytest.raises(ValueError, match=key):
        check_pareto_config(bad)
