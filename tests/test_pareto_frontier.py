"""The frontier of Algorithm 1: a (c1, c2) grid and the named readings beside uniform random on the same draws, its
table and its figure."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from banditlab.pareto.frontier import frontier_markdown, frontier_settings, frontier_table
from banditlab.pareto.readings import lemma2_c2
from banditlab.runner import run_config_point
from banditlab.study import get_study, points

ROOT = Path(__file__).resolve().parents[1]


def _block():
    block = yaml.safe_load((ROOT / "config/smoke.yaml").read_text())["pareto"]
    block["experiments"]["frontier"]["c2_grid"] = [1.0, "lemma2"]
    return block


@pytest.fixture(scope="module")
def frontier():
    block = _block()
    tables = [
        run_config_point("pareto", block, "frontier", point.label, seed=5, scale="smoke")
        for point in points(get_study("pareto"), block, "frontier")
    ]
    return block, pd.concat(tables, ignore_index=True)


def test_every_setting_runs_on_the_same_draws_as_random(frontier):
    block, frame = frontier
    settings = frame.drop_duplicates(["instance", "reading", "setting"])
    grid = settings[settings["reading"] == "grid"]
    assert sorted(grid["setting"].unique()) == ["c1=0.5, c2=1", "c1=0.5, c2=lemma2", "c1=4, c2=1", "c1=4, c2=lemma2"]
    assert set(settings["reading"]) == {"-", "grid", "as_printed", "sound", "text_phat"}
    assert frame.loc[frame.policy == "uniform_random", ["c1", "c2"]].isna().all().all()
    lemma2 = grid[grid["setting"].str.endswith("lemma2")]
    assert np.allclose(lemma2["c2"], lemma2_c2(1.0, 5, 2, 1 / 3000))
    # the named readings carry Lemma 2's and 4's diagnostics, the grid does not
    named = frame[frame["reading"].isin(["as_printed", "sound", "text_phat"])]
    assert {"lemma2_missed", "lemma4_missed", "lemma5_missed"} <= set(named["metric"])
    assert "lemma2_missed" not in set(frame.loc[frame["reading"] == "grid", "metric"])
    ramped = frame[(frame.instance == "ramped") & (frame.reading == "sound")]
    assert np.allclose(ramped["c1"], 16.0)  # C_beta of the ramped instance, w = 0.05


def test_the_table_pairs_each_setting_with_random(frontier):
    """The sound reading never eliminates at this scale: it plays random's arm every round, so its ratio is exactly
    1 with no spread; a setting that eliminates plays other arms and its ratio moves."""
    block, frame = frontier
    table = frontier_table({"frontier": frame}, block, 0)
    sound = table[table["reading"] == "sound"]
    assert (sound["regret_ratio"] == 1.0).all() and (sound["ratio_low"] == 1.0).all()
    assert (sound["same_arm_share"] == 1.0).all() and (sound["lost_share"] == 0).all()
    printed = table[table["reading"] == "text_phat"]
    assert (printed["same_arm_share"] < 0.9).all() and (printed["regret_ratio"] < 1).all()
    # by hand for one setting: the mean of the tree's per-round regret over random's on the same replicates
    one = frame[(frame.metric == "regret_per_round") & (frame.instance == "printed")]
    tree = one[one["setting"] == "text_phat"].set_index("replicate")["value"]
    random = one[one["policy"] == "uniform_random"].set_index("replicate")["value"]
    row = table[(table.instance == "printed") & (table.reading == "text_phat")].iloc[0]
    assert row["regret_ratio"] == pytest.approx(tree.mean() / random.loc[tree.index].mean(), rel=1e-12)
    assert row["replicates"] == 2 and 0 <= row["lost_low"] <= row["lost_share"] <= row["lost_high"] <= 1
    text = frontier_markdown(table)
    assert "## printed, K = 5, T = 3000" in text and "* sound (c1 = 4, c2 = 1.46)" in text


def test_the_figure_marks_every_reading(frontier, tmp_path):
    from banditlab.figures import read_legend, save_figure
    from banditlab.pareto.figures import pareto_frontier
    from banditlab.style import check_figure

    block, frame = frontier
    drawn = pareto_frontier({"frontier": frame}, {})
    assert check_figure(drawn) == []
    save_figure(drawn, tmp_path / "f.pdf", tmp_path / "f.png")
    legend = " ".join(" ".join(entry.split()) for entry in read_legend(tmp_path / "f.png"))
    for reading in ("as_printed", "sound", "text_phat"):
        assert f"Algorithm 1 ({reading})" in legend
    assert "c1 = 0.5, c2 = lemma2" in legend and "c1 = 4, c2 = 1" in legend and "uniform random" in legend


def test_a_frontier_needs_its_grid_reading():
    block = _block()
    point = points(get_study("pareto"), block, "frontier")[0].values
    with pytest.raises(ValueError, match="grid_reading = 'nope': allowed: a reading of pareto.readings"):
        frontier_settings({**point, "grid_reading": "nope"})
    with pytest.raises(ValueError, match=r"c2 = -1.0: allowed: a number in \(0, 1e6\]"):
        frontier_settings({**point, "c2_grid": [-1.0]})


def test_every_claim_on_algorithm1_is_decided_under_every_reading(frontier):
    """The smoke tp grid has one K: the K claims have no measurement, and say so under each reading; the degenerate
    reading (sound: nothing eliminated) is never "fails"."""
    from banditlab.pareto.appendix_b import gap_table
    from banditlab.pareto.claims import CLAIMS
    from banditlab.pareto.rows import pareto_check

    block, frame = frontier
    tables = {"pareto_gap_table": gap_table(), "frontier": frame}
    tables["tp"] = pd.concat(
        [
            run_config_point("pareto", block, "tp", p.label, seed=5, scale="smoke")
            for p in points(get_study("pareto"), block, "tp")
        ],
        ignore_index=True,
    )
    check = pareto_check(tables, block, 0)
    decided = set(zip(check["claim_id"], check["reading"]))
    for claim in CLAIMS:
        if claim.method_label.startswith("Algorithm 1"):
            assert {(claim.claim_id, r) for r in block["readings"]} <= decided, claim.claim_id
    k_rows = check[check["claim_id"] == "004-appH1-K"]
    assert (k_rows["row_reason"].str.contains("no measurement at this config")).all()
    sound = check[(check["reading"] == "sound") & (check["role"] == "claim")]
    assert not (sound["row_verdict"] == "fails").any()
    vs_random = sound[sound["claim_id"] == "004-appH1-vs-random"]
    assert vs_random["row_reason"].str.contains("plays like uniform random under reading sound").all()
