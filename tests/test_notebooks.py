"""The notebooks of notebooks/, executed by the workflow into results/notebooks/ (rule `notebook`).

Each draws its study's figures from the results tables with the package's own plotting functions, then at
least two views no fixed figure shows; it opens by saying which config and scale wrote the tables, and never
simulates. The executed copies keep their images.
"""

import ast
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from banditlab.provenance import _follow, package_sources
from banditlab.study import get_study
from banditlab.study import study_figures as declared_figures

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("estimation", "rmbandit", "pareto")
STUDY = {"estimation": "estimation", "rmbandit": "bandits", "pareto": "pareto"}
EXTRA_VIEWS = 2  # views beyond the fixed figures each executed notebook must show, at least
# What a notebook may import from the package: the drawing modules, the figure saver and the study declarations,
# never a simulation.
ALLOWED_IMPORTS = re.compile(
    r"banditlab\.((estimation|bandits|pareto)\.figures(\.\w+)?|figures\.save_figure|study\.(get_study|load|study_figures))$"
)


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def code_source(notebook: dict) -> str:
    """The notebook's code cells as one Python source (IPython magics dropped)."""
    source = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code")
    return re.sub(r"(?m)^[%!].*$", "", source)


def run_config(work: Path) -> tuple[dict, str]:
    """The config and config hash of the run on results/report/provenance.html (what the notebooks read)."""
    page = (work / "results/report/provenance.html").read_text()
    config = yaml.safe_load(html.unescape(re.search(r"<pre>(.*?)</pre>", page, re.S).group(1)))
    return config, re.search(r"<th>config hash</th><td>(.*?)</td>", page).group(1)


def study_figures(name: str, config: dict) -> int:
    """How many figures the workflow draws for the notebook's study under ``config``."""
    study = STUDY[name]
    return len(declared_figures(get_study(study), config[study]))


def outputs(notebook: dict) -> list[dict]:
    return [output for cell in notebook["cells"] if cell["cell_type"] == "code" for output in cell.get("outputs", [])]


def output_text(output: dict) -> str:
    if output["output_type"] == "stream":
        return "".join(output["text"])
    return "".join(output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_source_notebook_is_clean_and_never_simulates(name):
    notebook = load(ROOT / "notebooks" / f"{name}.ipynb")
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(not cell["outputs"] and cell["execution_count"] is None for cell in code), "commit it without outputs"
    assert "".join(code[0]["source"]).startswith("%matplotlib inline"), "the first cell selects inline figures"
    imported = set()
    for node in ast.walk(ast.parse(code_source(notebook))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.update(f"{node.module}.{alias.name}" for alias in node.names)
    package = {module for module in imported if module.startswith("banditlab")}
    assert package, "the notebook draws with the package's own plotting functions"
    outside = {module for module in package if not ALLOWED_IMPORTS.match(module)}
    assert not outside, f"{name} imports {outside}: a notebook reads results, it never simulates"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_rule_tracks_the_code_the_notebook_runs(name, tmp_path):
    """The rule's params.code is the digest of the modules of NOTEBOOK_CODE in workflow/rules/notebooks.smk: they
    must be what the notebook imports (followed transitively)."""
    rules = (ROOT / "workflow/rules/notebooks.smk").read_text()
    paths = re.findall(r'"(banditlab[\w.{}]*:\w*)"', re.search(r"NOTEBOOK_CODE = \[(.*?)\]", rules, re.S).group(1))
    tracked = {path.partition(":")[0] for path in paths}
    tracked = {module.replace("{study}", STUDY[name]) for module in tracked}
    cells = tmp_path / f"{name}.py"
    cells.write_text(code_source(load(ROOT / "notebooks" / f"{name}.ipynb")))
    assert set(package_sources(cells)) == set(_follow(tracked, "banditlab").values())


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_executed_notebook_keeps_its_figures_and_views(name, smoke_run):
    """Runs on results/notebooks/ as the session's smoke run left it (conftest.py), never the checkout's."""
    executed = smoke_run / "results/notebooks" / f"{name}.ipynb"
    notebook, (config, config_hash) = load(executed), run_config(smoke_run)
    found = outputs(notebook)
    errors = [f"{o['ename']}: {o['evalue']}" for o in found if o["output_type"] == "error"]
    assert not errors, errors
    stderr = [output_text(o) for o in found if o["output_type"] == "stream" and o["name"] == "stderr"]
    assert not stderr, f"warnings or errors printed: {stderr}"
    images = sum("image/png" in o.get("data", {}) for o in found)
    expected = study_figures(name, config) + EXTRA_VIEWS
    assert images >= expected, f"{name}: {images} images, expected the study's figures + {EXTRA_VIEWS} = {expected}"
    text = "\n".join(output_text(o) for o in found)
    assert not re.search(r"0x[0-9a-fA-F]{6,}", text), "an output holds a memory address (not reproducible)"
    first = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
    opening = "\n".join(output_text(o) for o in first["outputs"])
    assert f"Scale {config['scale']!r}, config hash {config_hash}" in opening, opening[:500]
