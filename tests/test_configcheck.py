"""Config errors fit on one screen: `banditlab.configcheck.validate_block` turns a schema violation into one line
naming the key by its dotted path (block included) and what is allowed there, and snakemake prints at most five
lines for a bad config, or for a target placed after --configfile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_reliability_config import MUTATIONS, SCHEMAS, STUDIES, load_config, mutate
from workflow_copy import ROOT, copy_workflow

from banditlab.configcheck import ConfigError, describe_schema, dotted_path, validate_block

SNAKEMAKE = Path(sys.executable).with_name("snakemake")


def test_dotted_path_names_the_block_and_the_list_index():
    assert dotted_path("bandits", ["regret_vs_t", "T_per_instance"]) == "bandits.regret_vs_t.T_per_instance"
    assert dotted_path("estimation", ["estimators", 0]) == "estimation.estimators[0]"
    assert dotted_path(None, ["seed"]) == "seed"


def test_describe_schema_says_the_range_in_words():
    assert describe_schema({"type": "integer", "minimum": 10}) == "an integer >= 10"
    trim = {"oneOf": [{"type": "number", "minimum": 0, "exclusiveMaximum": 0.5}, {"type": "string", "const": "theory"}]}
    assert describe_schema(trim) == 'a number >= 0 and < 0.5, or "theory"'
    assert describe_schema({"type": "string", "enum": ["a", "b"]}) == "one of a, b"


def test_the_shipped_configs_validate_and_get_their_defaults():
    for name in ("smoke.yaml", "config.yaml", "paper.yaml"):
        config = load_config(name)
        validate_block(config, SCHEMAS / "config.schema.yaml")
        for study in STUDIES:
            validate_block(config[study], SCHEMAS / f"{study}.schema.yaml", study)
    block = load_config()["estimation"]
    del block["replicates"]
    assert validate_block(block, SCHEMAS / "estimation.schema.yaml", "estimation")["replicates"] == 20


@pytest.mark.parametrize("study", STUDIES)
def test_every_schema_violation_gives_one_line_naming_the_dotted_key(study):
    """Every mutation of the schema fuzzing (each bound, type, enum, minItems, unknown and missing key)."""
    for path, value, _ in MUTATIONS[study]:
        bad = mutate(load_config()[study], path, value)
        with pytest.raises(ConfigError) as info:
            validate_block(bad, SCHEMAS / f"{study}.schema.yaml", study)
        message = str(info.value)
        key = path[:-1] if path[-1] == "__delete__" else path
        assert "\n" not in message and len(message) < 400, (path, message)
        assert dotted_path(study, key) in message, (path, message)
        assert "allowed" in message, (path, message)


def test_a_bound_is_printed_as_the_schema_states_it():
    block = load_config()["bandits"]
    block["experiments"]["regret_vs_t"]["T_per_instance"] = -400
    with pytest.raises(
        ConfigError, match=r"^bandits\.experiments\.regret_vs_t\.T_per_instance = -400: allowed: an integer >= 10$"
    ):
        validate_block(block, SCHEMAS / "bandits.schema.yaml", "bandits")


# --- through snakemake: what a user sees -------------------------------------------------------------------


def _smoke_with(edit) -> str:
    text = (ROOT / "config" / "smoke.yaml").read_text()
    config = yaml.safe_load(text)
    edit(config)
    return yaml.safe_dump(config, sort_keys=False)


def _mistype(config):
    config["estimation"]["replicatse"] = config["estimation"].pop("replicates")


def _negative(config):
    config["bandits"]["experiments"]["regret_vs_t"]["T_per_instance"] = -400


def _estimator(config):
    config["estimation"]["estimators"][0] = "independant_ols"


BAD_CONFIGS = {
    "mistyped key": (_mistype, ["estimation.replicatse: unknown key", "did you mean replicates?", "allowed keys:"]),
    "negative size": (
        _negative,
        ["bandits.experiments.regret_vs_t.T_per_instance = -400", "allowed: an integer >= 10"],
    ),
    "wrong estimator": (_estimator, ['estimation.estimators[0] = "independant_ols"', "robust_multitask", ":Class"]),
}


def _snakemake(cwd: Path, *args: str) -> tuple[int, list[str]]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run([str(SNAKEMAKE), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, (result.stdout + result.stderr).splitlines()


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return copy_workflow(tmp_path_factory.mktemp("configcheck") / "work")


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_a_bad_config_gives_at_most_five_lines_naming_the_dotted_key(work, case):
    edit, expected = BAD_CONFIGS[case]
    (work / "bad.yaml").write_text(_smoke_with(edit))
    code, lines = _snakemake(work, "-n", "--configfile", "bad.yaml")
    assert code != 0
    assert len(lines) <= 5, "\n".join(lines)
    text = "\n".join(lines)
    assert all(part in text for part in expected), text
    assert not (work / "results").exists()


def test_a_target_after_configfile_gives_a_hint(work):
    """`snakemake --configfile config/paper.yaml publish` loads the file `publish` (repository root) as a config."""
    code, lines = _snakemake(work, "-n", "--configfile", "config/smoke.yaml", "publish")
    assert code != 0
    assert len(lines) <= 5, "\n".join(lines)
    text = "\n".join(lines)
    assert "'publish' was read as a config file" in text, text
    assert "snakemake publish -n --configfile config/smoke.yaml" in text, text
