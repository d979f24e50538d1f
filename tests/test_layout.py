"""The package's shape: every study declares the same contract (banditlab.study), modules hold one concern
each (none over 600 lines), no machine path anywhere, and the rules' conda environment in step with
environment.yml."""

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from banditlab.study import STUDY_MODULES, get_study, load

REPO = Path(__file__).resolve().parents[1]
STUDIES = tuple(STUDY_MODULES)
MAX_LINES = 600


@pytest.mark.parametrize("study", STUDIES)
def test_every_study_declares_its_contract(study):
    declared = get_study(study)
    assert declared.name == study and declared.title and declared.tidy and declared.cost_features
    for path in (declared.tidy, declared.cost_features, declared.claims, declared.findings):
        assert load(path) is not None, path
    for experiment in [*declared.experiments.values(), *filter(None, [declared.default_experiment])]:
        assert callable(load(experiment.run)), experiment.run
    for table in declared.tables:
        assert callable(load(table.make)), table.make
    for figure in [*declared.figures, *declared.figure_kinds.values()]:
        assert callable(load(figure.draw)), figure.draw


def test_declaring_the_studies_imports_nothing_heavy():
    """The workflow reads the declarations when it parses: they must not load numba, scipy, sklearn or pandas."""
    code = (
        "import sys; import banditlab.study as s; [s.get_study(n) for n in s.STUDY_MODULES]; "
        "print(sorted(m for m in ('numba', 'scipy', 'sklearn', 'pandas', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_module_holds_more_than_600_lines():
    long = {
        str(path.relative_to(REPO)): n
        for path in (REPO / "src" / "banditlab").rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by concern): {long}"


@pytest.mark.parametrize("old", ["banditlab.simulate", "banditlab.theory", "banditlab.experiments", "banditlab.plots"])
def test_the_old_shims_are_gone(old):
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(old)


def test_no_machine_path_anywhere():
    """No absolute path of a machine in the package, the workflow, the configs or the docs (tests may build
    their own temporary paths)."""
    pattern = re.compile(r"(/work/|/home/|/root/|/tmp/|/Users/)")
    places = ["src", "workflow", "config", "docs", "notebooks", "benchmarks", "README.md", "Snakefile"]
    tracked = subprocess.run(["git", "ls-files", *places], cwd=REPO, capture_output=True, text=True, check=True)
    found = []
    for name in tracked.stdout.split():
        path = REPO / name
        if path.suffix in {".png", ".pdf"} or "paper-scale" in path.parts or not path.exists():
            continue
        text = path.read_text(errors="ignore")
        found += [f"{name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found, found


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
