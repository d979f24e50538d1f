"""The package's shape: one package per study with the same module names, old import paths kept for a
release (with a DeprecationWarning), and the rules' conda environment in step with environment.yml."""

import importlib
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
STUDIES = ("estimation", "bandits", "pareto")


@pytest.mark.parametrize("study", STUDIES)
@pytest.mark.parametrize("role", ["experiments", "checks", "plots"])
def test_every_study_has_the_same_module_names(study, role):
    module = importlib.import_module(f"banditlab.{study}.{role}")
    assert module.__doc__, f"banditlab.{study}.{role} has no docstring"


MOVED = {
    "banditlab.simulate": "banditlab.estimation.simulate",
    "banditlab.theory": "banditlab.estimation.theory",
    "banditlab.experiments.estimation": "banditlab.estimation.experiments",
    "banditlab.experiments.ratecheck": "banditlab.estimation.checks",
    "banditlab.plots.estimation": "banditlab.estimation.plots",
}


@pytest.mark.parametrize("old, new", sorted(MOVED.items()))
def test_old_import_paths_warn_and_give_the_new_module(old, new, monkeypatch):
    # a fresh import of the old name (and of its deprecated parent package), whatever ran before
    for name in (old, old.rpartition(".")[0]):
        if name != "banditlab":
            monkeypatch.delitem(sys.modules, name, raising=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert any(w.category is DeprecationWarning and f"import {new} instead" in str(w.message) for w in caught)
    assert module is importlib.import_module(new)


def test_old_names_keep_their_objects(monkeypatch):
    monkeypatch.delitem(sys.modules, "banditlab.simulate", raising=False)
    with pytest.warns(DeprecationWarning):
        from banditlab.simulate import make_instances
    from banditlab.estimation.simulate import make_instances as moved

    assert make_instances is moved


def test_the_new_paths_do_not_warn():
    code = "; ".join(f"import banditlab.{study}.{role}" for study in STUDIES for role in ("experiments", "checks"))
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning:banditlab", "-c", code], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _dependencies(path: Path) -> tuple[list[str], list[str]]:
    spec = yaml.safe_load(path.read_text())
    conda = [d for d in spec["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    return conda, pip


def test_rule_environment_mirrors_environment_yml():
    """workflow/envs/banditlab.yaml (every rule's `conda:`) pins what environment.yml pins, and its pip
    lines name the same files, relative to where it lives (conda resolves them from the env file's folder)."""
    top_conda, top_pip = _dependencies(REPO / "environment.yml")
    rule_file = REPO / "workflow" / "envs" / "banditlab.yaml"
    rule_conda, rule_pip = _dependencies(rule_file)
    assert rule_conda == top_conda
    assert len(rule_pip) == len(top_pip)
    for top, rule in zip(top_pip, rule_pip, strict=True):
        (top_flag, top_path), (rule_flag, rule_path) = top.split(maxsplit=1), rule.split(maxsplit=1)
        assert top_flag == rule_flag
        assert (REPO / top_path).resolve() == (rule_file.parent / rule_path).resolve()


def test_license_and_citation_match_the_project():
    """LICENSE is the licence pyproject.toml declares; CITATION.cff cites the project and both papers by title."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"] == "BSD-3-Clause"
    assert (REPO / "LICENSE").read_text().startswith("BSD 3-Clause License")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "BSD-3-Clause"
    assert citation["version"] == project["version"]
    titles = {reference["title"] for reference in citation["references"]}
    assert titles == {
        "Learning Across Bandits in High Dimension via Robust Statistics",
        "Vector preference-based contextual bandits under distributional shifts",
    }
    readme = " ".join((REPO / "README.md").read_text().split())
    assert all(title in readme for title in titles)
