"""The study contract (banditlab.study): one grid, labels made once, captions filled from the config, figures that
read their own tables only, and a toy experiment added to a study with no rule file edited (through snakemake)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
import yaml
from workflow_copy import ROOT, copy_workflow

from banditlab.figures import read_legend
from banditlab.study import (
    Experiment,
    Figure,
    Point,
    caption_text,
    get_study,
    grid_values,
    make_label,
    points,
    study_figures,
)

SMOKE = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())


def test_the_grid_is_the_product_of_its_axes_first_axis_outermost():
    assert grid_values({"a": [1, 2], "b": ["x", "y", "z"]}) == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 1, "b": "z"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
        {"a": 2, "b": "z"},
    ]
    assert grid_values({}) == [{}]
    with pytest.raises(ValueError, match="grid axis 'a' must be a non-empty list"):
        grid_values({"a": []})


def test_labels_come_from_the_declaration_never_from_parsing():
    point = Point("s", "e", "", {"d": 8, "alpha": 0.5}, {"d": 8}, 2)
    assert make_label(Experiment("e", "m:f", "d{d}"), point) == "d8"
    assert make_label(Experiment("e", "m:f", "alpha{alpha:g}"), point) == "alpha0.5"
    assert make_label(Experiment("e", "m:f"), point) == "d8"
    assert make_label(Experiment("e", "m:f"), Point("s", "e", "", {}, {}, 1)) == "default"
    assert make_label(Experiment("e", "m:f"), Point("s", "e", "", {}, {"w": -1.5}, 1)) == "wm1p5"


@pytest.mark.parametrize("study", ["estimation", "bandits", "pareto"])
def test_the_shipped_labels_are_those_of_the_results_folders(study):
    """Labels (and so seeds and file names) as the published results name them."""
    block = SMOKE[study]
    labels = {e: [p.label for p in points(get_study(study), block, e)] for e in block["experiments"]}
    expected = {
        "estimation": {"error_vs_n": ["60", "240"], "lower_bound": ["1", "150"], "trim_sensitivity": ["0.0", "0.25"]},
        "bandits": {
            "regret_vs_t": ["N4_d6"],
            "regret_vs_d": ["d4", "d8"],
            "network": ["alpha0_d8", "alpha0_d16", "alpha1_d8", "alpha1_d16"],
            "regret_vs_k": ["K2", "K3"],
            "sensitivity": ["grid"],
        },
        "pareto": {
            "tp": ["K5_T3000_a1_t_p500", "K5_T3000_a1_t_p1000"],
            "shifts": ["K5_T3000_schedulesingle_nu1", "K5_T3000_schedulemulti_8_1"],
        },
    }[study]
    for experiment, wanted in expected.items():
        assert labels[experiment] == wanted


def test_duplicate_labels_are_refused_naming_the_grid():
    block = copy.deepcopy(SMOKE["bandits"])
    block["experiments"]["regret_vs_d"]["grid"]["d"] = [4, 4]
    with pytest.raises(ValueError, match=r"bandits\.experiments\.regret_vs_d\.grid gives the same point label twice"):
        points(get_study("bandits"), block, "regret_vs_d")


def test_captions_are_filled_from_the_config():
    study, block = get_study("bandits"), copy.deepcopy(SMOKE["bandits"])
    (figure,) = [f for f in study_figures(study, block) if f.name == "regret_vs_d"]
    text = caption_text(study, block, figure, {"scale": "smoke", "seed": 1})
    assert "``h = 2``" in text and "q = 0.25 K d" in text
    block["hyperparameters"].update(h=0.5, forced_scale=0.1)
    text = caption_text(study, block, figure, {"scale": "smoke", "seed": 1})
    assert "``h = 0.5``" in text and "q = 0.1 K d" in text and "``h = 1``" not in text
    broken = Figure("x", "m:f", ("regret_vs_d",), "uses $no_such_key")
    with pytest.raises(ValueError, match=r"caption of figure 'x' uses \$no_such_key"):
        caption_text(study, block, broken, {})


@pytest.mark.parametrize("name", ["smoke", "config", "paper"])
def test_every_caption_of_every_config_fills(name):
    config = yaml.safe_load((ROOT / "config" / f"{name}.yaml").read_text())
    for study_name in ("estimation", "bandits", "pareto"):
        study = get_study(study_name)
        for figure in study_figures(study, config[study_name]):
            assert "$" not in caption_text(study, config[study_name], figure, {"scale": name, "seed": 1})


def test_a_figure_reads_only_its_own_tables():
    for study_name in ("estimation", "bandits", "pareto"):
        study = get_study(study_name)
        block = SMOKE[study_name]
        for figure in study_figures(study, block):
            assert set(figure.tables) <= set(block["experiments"]), (study_name, figure.name)  # no check table


TOY = '''
"""A toy experiment of the user's own: one run function and one figure."""

import matplotlib.pyplot as plt


def run_toy(point, replicate):
    draws = replicate.rng.normal(scale=point["width"], size=point["n"])
    return [{"replicate": replicate.index, "width": point["width"], "metric": "spread", "value": float(draws.std())}]


def draw_toy(tables, options):
    (table,) = tables.values()
    fig, ax = plt.subplots()
    means = table.groupby("width")["value"].mean()
    ax.plot(means.index, means.to_numpy(), marker="o", label="toy spread")
    ax.legend()
    return fig
'''


@pytest.mark.slow
def test_a_toy_experiment_runs_through_snakemake_with_no_rule_file_edited(tmp_path):
    work = copy_workflow(tmp_path / "work")
    rules = {path: path.read_bytes() for path in (work / "workflow" / "rules").glob("*.smk")}
    (work / "mine").mkdir()
    (work / "mine" / "toyexp.py").write_text(textwrap.dedent(TOY))
    config = copy.deepcopy(SMOKE)
    config["bandits"]["experiments"]["toy"] = {
        "run": "toyexp:run_toy",
        "grid": {"width": [1.0, 3.0]},
        "n": 200,
        "figure": {"draw": "toyexp:draw_toy", "caption": "A toy: the spread of $n draws at widths $width."},
    }
    (work / "toy.yaml").write_text(yaml.safe_dump(config))
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join([str(work / "mine"), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "snakemake", "figures/toy.png", "--cores", "1", "--configfile", "toy.yaml"]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    table = pd.read_csv(work / "results" / "bandits" / "toy.csv")
    assert sorted(table["width"].unique()) == [1.0, 3.0] and set(table["metric"]) == {"spread"}
    wide = table.groupby("width")["value"].mean()
    assert 2 < wide[3.0] / wide[1.0] < 4  # the run function's own draws, through the generic point runner
    assert (work / "results" / "bandits" / "toy" / "width1.csv").exists()
    assert read_legend(work / "figures" / "toy.png") == ["toy spread"]
    assert {path: path.read_bytes() for path in rules} == rules
    study = get_study("bandits")
    (toy,) = [figure for figure in study_figures(study, config["bandits"]) if figure.name == "toy"]
    assert caption_text(study, config["bandits"], toy, {}) == "A toy: the spread of 200 draws at widths 1, 3."
