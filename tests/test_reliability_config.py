"""Issue 7, config fuzzing: every invalid value is refused before any job runs, with a message naming
the key and the allowed range; every valid small config validates (and one really runs).

Invalid configs are generated from the schemas themselves (each bound, type, enum, ``minItems`` and
``additionalProperties: false`` of every key present in the smoke config gives one family of
mutations), so a key added later is fuzzed without editing this file. The semantic checks the schema
cannot express (s > d, t_p >= T, ...) are fuzzed through each study's check function.
"""

from __future__ import annotations

import copy
import functools
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snakemake.utils import validate
from workflow_copy import copy_workflow

from banditlab.bandits.experiments import check_config as check_bandits_config
from banditlab.estimation.experiments import check_estimation_config
from banditlab.pareto.experiments import check_pareto_config

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "workflow" / "schemas"
STUDIES = ("estimation", "pareto", "bandits")
CHECKS = {"estimation": check_estimation_config, "pareto": check_pareto_config, "bandits": check_bandits_config}
SNAKEMAKE = Path(sys.executable).with_name("snakemake")
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.lru_cache
def _parsed_config(name: str) -> dict:
    return yaml.safe_load((ROOT / "config" / name).read_text())


def load_config(name: str = "smoke.yaml") -> dict:
    return copy.deepcopy(_parsed_config(name))


def load_schema(study: str) -> dict:
    return yaml.safe_load((SCHEMAS / f"{study}.schema.yaml").read_text())


def accept(study: str, block: dict) -> None:
    """What the rule file does at parse time: schema, then the study's semantic check."""
    block = copy.deepcopy(block)
    validate(block, str(SCHEMAS / f"{study}.schema.yaml"))
    CHECKS[study](block)


def resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def walk(value, schema: dict, root: dict, path: tuple = ()):
    """Yield (path, schema) for every node of ``value`` together with the schema that governs it."""
    schema = resolve(schema, root)
    yield path, schema
    if isinstance(value, dict):
        for key, item in value.items():
            if key in schema.get("properties", {}):
                yield from walk(item, schema["properties"][key], root, (*path, key))
            elif isinstance(schema.get("additionalProperties"), dict):
                yield from walk(item, schema["additionalProperties"], root, (*path, key))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from walk(item, schema["items"], root, (*path, index))


def key_name(path: tuple) -> str:
    """The last named key of a path (list indices are not names)."""
    return next(str(p) for p in reversed(path) if isinstance(p, str))


def mutations(study: str) -> list[tuple[tuple, object, str]]:
    """(path, invalid value, text the error must contain) for every schema constraint of every key.

    The expected text is the key (always) plus the bound or the offending value, so a message that
    does not name the key or the allowed range fails the test.
    """
    root = load_schema(study)
    block = load_config()[study]
    out = []
    for path, schema in walk(block, root, root):
        if not path:
            continue
        kind = schema.get("type")
        if kind in ("integer", "number"):
            if "minimum" in schema:
                low = schema["minimum"]
                out.append((path, low - 1, "minimum of"))
            if "exclusiveMinimum" in schema:
                out.append((path, schema["exclusiveMinimum"], "less than or equal to the minimum"))
            if "maximum" in schema:
                out.append((path, schema["maximum"] + 1, "maximum of"))
            if "exclusiveMaximum" in schema:
                out.append((path, schema["exclusiveMaximum"], "greater than or equal to the maximum"))
            out.append((path, "not-a-number", "is not of type"))
            if kind == "integer":
                out.append((path, 2.5, "is not of type 'integer'"))
        elif kind == "string" and "enum" in schema:
            out.append((path, "bogus_value", "bogus_value"))
        elif kind == "boolean":
            out.append((path, "yes", "is not of type 'boolean'"))
        elif kind == "array":
            if schema.get("minItems", 0) >= 1:
                out.append((path, [], "should be non-empty" if schema["minItems"] == 1 else "too short"))
            out.append((path, "not-a-list", "is not of type 'array'"))
        elif kind == "object":
            if schema.get("additionalProperties") is False:
                out.append(((*path, "no_such_key"), 1, "no_such_key"))
            for required in schema.get("required", []):
                if "default" in resolve(schema["properties"][required], root):
                    continue  # snakemake's validate fills the default in
                out.append(((*path, required, "__delete__"), None, f"'{required}' is a required property"))
    # the top level of the block too
    out.append((("no_such_key",), 1, "no_such_key"))
    for required in root.get("required", []):
        if "default" in resolve(root["properties"][required], root):
            continue
        out.append(((required, "__delete__"), None, f"'{required}' is a required property"))
    return out


def mutate(block: dict, path: tuple, value) -> dict:
    block = copy.deepcopy(block)
    if path[-1] == "__delete__":
        parent = block
        for part in path[:-2]:
            parent = parent[part]
        del parent[path[-2]]
        return block
    parent = block
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return block


MUTATIONS = {study: mutations(study) for study in STUDIES}


def test_mutation_families_cover_every_study():
    # A schema that lost its bounds would show up here as far fewer mutations.
    for study in STUDIES:
        bounds = [m for m in MUTATIONS[study] if "minimum" in m[2] or "maximum" in m[2]]
        assert len(bounds) >= 10, (study, len(bounds))


@pytest.mark.parametrize("study", STUDIES)
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_schema_violation_is_rejected_naming_key_and_range(study, data):
    path, value, expected = data.draw(st.sampled_from(MUTATIONS[study]))
    bad = mutate(load_config()[study], path, value)
    with pytest.raises(Exception) as info:
        accept(study, bad)
    message = str(info.value)
    name = key_name(path[:-1] if path[-1] == "__delete__" else path)
    assert name in message, (path, message[:400])
    assert expected in message, (path, message[:400])


def test_every_numeric_key_has_bounds_and_description():
    """Schema hygiene: a number without a lower bound cannot be fuzzed, so forbid it."""
    for study in STUDIES:
        root = load_schema(study)
        for path, schema in walk(load_config()[study], root, root):
            if schema.get("type") in ("integer", "number"):
                assert {"minimum", "exclusiveMinimum"} & set(schema), (study, path)
            if path and isinstance(path[-1], str) and schema is not None and "properties" in schema:
                for key, sub in schema["properties"].items():
                    assert "description" in resolve(sub, root) or "description" in sub, (study, path, key)


# --- semantic checks: values the schema alone cannot refuse ---------------------------------------------


def smoke(study: str) -> dict:
    return copy.deepcopy(load_config()[study])


@FUZZ
@given(d=st.integers(2, 30), extra=st.integers(1, 30))
def test_estimation_rejects_sparsity_above_dim(d, extra):
    block = smoke("estimation")
    block["experiments"] = {"only": {"grid": {"sparsity": [d + extra]}, "dim": d, "figure": "error_curve"}}
    with pytest.raises(
        ValueError,
        match=rf"experiments\.only\.grid\.sparsity.*sparsity s={d + extra} must satisfy 0 <= s <= dim d={d}",
    ):
        accept("estimation", block)


@FUZZ
@given(
    axis_value=st.one_of(
        st.tuples(st.just("trim_fraction"), st.one_of(st.floats(0.5, 10), st.floats(-10, -1e-9))),
        st.tuples(st.just("dim"), st.integers(-50, 0)),
        st.tuples(st.just("n_per_instance"), st.integers(-50, 0)),
        st.tuples(st.just("n_instances"), st.integers(-50, 0)),
        st.tuples(st.just("noise_sd"), st.floats(-1e6, -1e-9)),
        st.tuples(st.just("covariate_shift"), st.floats(1.0, 100)),
        st.tuples(st.just("lam_multiplier"), st.floats(-10, 0)),
        st.tuples(st.just("sparsity"), st.just("two")),
        st.tuples(st.just("support"), st.just("everywhere")),
    )
)
def test_estimation_axis_values_are_bounded_like_the_base(axis_value):
    """A grid value (experiments.<name>.grid.<key>) gets the same bounds as the key it varies."""
    axis, value = axis_value
    block = smoke("estimation")
    block["experiments"] = {"only": {"grid": {axis: [value]}, "figure": "error_curve"}}
    with pytest.raises(Exception) as info:
        accept("estimation", block)
    message = str(info.value)
    # the key is experiments.only.grid.<axis>[0]; the printed schema holds the bound and the axis's description
    assert f"['experiments']['only']['grid']['{axis}'][0]" in message, message[:600]
    assert any(word in message for word in ("minimum", "maximum", "not of type", "not one of", "any of")), message[:600]


@FUZZ
@given(T=st.integers(100, 5000), excess=st.integers(0, 5000))
def test_pareto_rejects_change_point_not_before_horizon(T, excess):
    block = smoke("pareto")
    block["experiments"]["nu"].update(T=T, t_p=T + excess)
    with pytest.raises(ValueError, match=rf"pareto\.experiments\.nu.*t_p={T + excess} must be < T={T}"):
        accept("pareto", block)


@FUZZ
@given(cps=st.lists(st.integers(1, 2000), min_size=2, max_size=4), n_exp=st.integers(1, 4))
def test_pareto_rejects_bad_schedules_naming_the_schedule(cps, n_exp):
    block = smoke("pareto")
    increasing = all(b > a for a, b in zip(cps, cps[1:]))
    if increasing and n_exp == len(cps):
        return  # a valid schedule: covered by the valid-config test
    block["experiments"]["shifts"]["schedules"] = {"mine": {"exponents": [1.0] * n_exp, "change_points": cps}}
    block["experiments"]["shifts"]["grid"]["schedule"] = ["mine"]
    with pytest.raises(ValueError, match=r"pareto\.experiments\.shifts\.schedules\.mine"):
        accept("pareto", block)


@FUZZ
@given(s=st.integers(1, 10), d=st.integers(2, 10))
def test_bandits_reject_sparsity_not_below_dim(s, d):
    block = smoke("bandits")
    block["problem"]["s"] = s
    experiments = block["experiments"]
    experiments["regret_vs_t"]["d"] = d
    for key in ("regret_vs_n", "regret_vs_k", "sensitivity", "regret_vs_t_no_diversity"):
        experiments[key]["d"] = s + 1
    for key in ("regret_vs_d", "data_poor", "network"):
        experiments[key]["grid"]["d"] = [s + 1]
    if d > s:
        accept("bandits", block)
    else:
        with pytest.raises(ValueError, match=rf"bandits\.experiments\.regret_vs_t\.d must exceed problem\.s={s}"):
            accept("bandits", block)


@FUZZ
@given(N=st.integers(2, 8), extra=st.integers(1, 5))
def test_bandits_reject_n_tilde_above_n(N, extra):
    block = smoke("bandits")
    network = block["experiments"]["network"]
    network.update(N=N, n_tilde=[1, N + extra])
    with pytest.raises(ValueError, match=rf"bandits\.experiments\.network\.n_tilde values must be <= N={N}"):
        accept("bandits", block)


def test_bandits_reject_grid_values_that_collide_in_file_names():
    block = smoke("bandits")
    block["experiments"]["network"]["grid"]["alpha"] = [0.5, 0.5000001]  # both written alpha0.5: one file, two points
    with pytest.raises(ValueError, match=r"bandits\.experiments\.network\.grid gives the same point label twice"):
        accept("bandits", block)


def test_pareto_reject_grid_values_that_collide_in_file_names():
    block = smoke("pareto")
    block["experiments"]["nu"]["grid"]["a"] = [1.0, 1.0000001]
    with pytest.raises(ValueError, match=r"pareto\.experiments\.nu\.grid gives the same point label twice"):
        accept("pareto", block)


# --- valid small configs ------------------------------------------------------------------------------


@FUZZ
@given(
    N=st.integers(1, 6),
    d=st.integers(4, 20),
    s_frac=st.floats(0, 0.24),
    n_extra=st.integers(1, 100),
    noise=st.floats(0, 10),
    trim=st.one_of(st.just("theory"), st.floats(0, 0.49)),
    reps=st.integers(2, 5),
    shift=st.floats(0, 0.99),
)
def test_valid_small_estimation_configs_validate(N, d, s_frac, n_extra, noise, trim, reps, shift):
    block = smoke("estimation")
    s = min(int(s_frac * d), (d - 1) // 4)
    block["replicates"] = reps
    block["base"].update(
        n_instances=N,
        dim=d,
        sparsity=s,
        n_per_instance=d + n_extra,
        n_target=d + 1,
        noise_sd=noise,
        trim_fraction=trim,
        covariate_shift=shift,
        support="random",
    )
    block["experiments"] = {
        "error_vs_n": {"grid": {"n_per_instance": [d + n_extra, 2 * d + n_extra]}, "figure": "error_curve"}
    }
    if noise == 0:  # median shrinkage weighs by 1/se, so noise_sd = 0 with it is refused (tests/test_extending.py)
        block["estimators"] = [name for name in block["estimators"] if name != "median_shrinkage"]
    accept("estimation", block)


@FUZZ
@given(
    T=st.integers(200, 20000),
    frac=st.floats(0.01, 0.99),
    K=st.integers(2, 30),
    a=st.floats(-0.99, 20),
    reps=st.integers(2, 20),
)
def test_valid_small_pareto_configs_validate(T, frac, K, a, reps):
    block = smoke("pareto")
    t_p = max(1, min(T - 1, int(frac * T)))
    ex = block["experiments"]
    ex["tp"].update(T=T, grid={"t_p": [t_p], "K": [K], "a": [max(a, 0.0)]}, replicates=reps)
    ex["horizon"].update(grid={"T": [T], "a": [a]}, t_p=t_p, K=K, replicates=reps)
    ex["nu"].update(T=T, t_p=t_p, K=K, grid={"a": [a]}, replicates=reps)
    ex["shifts"].update(
        T=T,
        K=K,
        replicates=reps,
        grid={"schedule": ["one"]},
        schedules={"one": {"exponents": [a], "change_points": [t_p]}},
    )
    accept("pareto", block)


@FUZZ
@given(
    K=st.integers(2, 5), s=st.integers(0, 3), d_extra=st.integers(1, 10), N=st.integers(2, 8), reps=st.integers(2, 5)
)
def test_valid_small_bandits_configs_validate(K, s, d_extra, N, reps):
    block = smoke("bandits")
    d = s + d_extra
    block["replicates"] = reps
    block["problem"].update(K=K, s=s)
    ex = block["experiments"]
    ex["regret_vs_t"].update(N=N, d=max(d, 2))
    ex["regret_vs_t_no_diversity"].update(N=N, d=max(d, 2))
    ex["regret_vs_d"].update(N=N, grid={"d": [max(d, 2)]})
    ex["regret_vs_n"].update(d=max(d, 2), grid={"N": [N]})
    ex["data_poor"]["grid"]["d"] = [max(d, 2)]
    ex["network"].update(N=N, d=max(d, 2), n_tilde=sorted({1, N}))
    ex["sensitivity"].update(N=N, d=max(d, 2))
    accept("bandits", block)


@pytest.mark.parametrize("name", ["smoke.yaml", "config.yaml", "paper.yaml"])
def test_shipped_configs_pass_every_check(name):
    config = load_config(name)
    validate(config, str(SCHEMAS / "config.schema.yaml"))
    for study in STUDIES:
        if study in config:
            accept(study, config[study])


# --- through snakemake itself -------------------------------------------------------------------------


def snakemake(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([str(SNAKEMAKE), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_snakemake_dry_run_refuses_a_bad_config_before_any_job(tmp_path):
    work = copy_workflow(tmp_path)
    config = load_config()
    config["bandits"]["problem"]["K"] = 1
    (work / "bad.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(work, "-n", "--cores", "1", "--configfile", "bad.yaml")
    assert result.returncode != 0
    err = result.stdout + result.stderr
    assert "bandits.problem.K = 1: allowed: an integer >= 2" in err, err[-2000:]
    assert not (work / "results").exists()


@pytest.mark.slow
def test_a_tiny_valid_config_really_runs(tmp_path):
    work = copy_workflow(tmp_path)
    config = load_config()
    config["estimation"]["experiments"] = {
        "error_vs_n": {"grid": {"n_per_instance": [60, 120]}, "figure": "error_curve"}
    }
    (work / "tiny.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(work, "results/estimation/error_vs_n.csv", "--cores", "2", "--configfile", "tiny.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    text = (work / "results" / "estimation" / "error_vs_n.csv").read_text()
    assert "nan" not in text.lower() and len(text.splitlines()) > 10
    assert math.isfinite(len(text))


@pytest.mark.parametrize(
    "key,value,expected",
    [
        ("seed", -1, "minimum of 0"),
        ("seed", 1.5, "is not of type 'integer'"),
        ("scale", "huge", "'huge' is not one of"),
        ("no_such_study", {}, "'no_such_study' was unexpected"),
        ("estimation", "__delete__", "'estimation' is a required property"),
    ],
)
def test_top_level_config_violations_are_rejected(key, value, expected):
    config = load_config()
    if value == "__delete__":
        del config[key]
    else:
        config[key] = value
    with pytest.raises(Exception, match=re.escape(expected)):
        validate(config, str(SCHEMAS / "config.schema.yaml"))


@pytest.mark.parametrize("key", ["forced_scale", "h", "eta10"])
def test_bandits_sensitivity_grids_refuse_duplicates(key):
    block = smoke("bandits")
    block["experiments"]["sensitivity"][key] = [0.1, 0.1]  # would double-count one value in the sensitivity summary
    with pytest.raises(Exception, match=r"non-unique elements[\s\S]*\['sensitivity'\]\['" + key):
        accept("bandits", block)
