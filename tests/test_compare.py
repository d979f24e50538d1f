"""banditlab-compare: two published folders, values beyond round-off, verdicts that differ."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from banditlab.compare import compare, main

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "docs" / "paper-scale"


@pytest.fixture
def two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        (folder / "tables").mkdir(parents=True)
        pd.DataFrame({"claim_id": ["x", "y"], "estimate": [1.0, 2.0], "verdict": ["holds", "fails"]}).to_csv(
            folder / "claims.csv", index=False
        )
        pd.DataFrame({"claim_id": ["x"], "row": ["r"], "estimate": [0.5], "row_verdict": ["holds"]}).to_csv(
            folder / "tables" / "check.csv", index=False
        )
    return a, b


def test_identical_folders_and_round_off_compare_equal(two_folders, capsys):
    a, b = two_folders
    assert compare(a, b).status == 0
    frame = pd.read_csv(b / "claims.csv")
    frame.loc[0, "estimate"] = 1.0 * (1 + 1e-13)  # round-off
    frame.to_csv(b / "claims.csv", index=False)
    assert compare(a, b).status == 0
    assert main([str(a), str(b)]) == 0 and "identical up to round-off" in capsys.readouterr().out


def test_a_value_beyond_round_off_and_a_verdict_are_told_apart(two_folders):
    a, b = two_folders
    frame = pd.read_csv(b / "claims.csv")
    frame.loc[1, "estimate"] = 2.001
    frame.to_csv(b / "claims.csv", index=False)
    result = compare(a, b)
    assert result.status == 1 and result.values == ["claims.csv: y: estimate = 2.0 against 2.001"]
    frame.loc[1, "verdict"] = "holds"
    frame.to_csv(b / "claims.csv", index=False)
    result = compare(a, b)
    assert result.status == 2 and result.verdicts == ["claims.csv: y: verdict = 'fails' against 'holds'"]


def test_a_table_on_one_side_only_is_named(two_folders):
    a, b = two_folders
    (b / "tables" / "check.csv").unlink()
    result = compare(a, b)
    assert result.status == 2 and result.only_in_a == ["tables/check.csv"]


def test_the_published_folder_compares_equal_to_itself(tmp_path):
    copy = shutil.copytree(PUBLISHED, tmp_path / "copy")
    result = compare(PUBLISHED, copy)
    assert result.status == 0 and result.tables >= 10


def _provenance(folder: Path, commit: str, wall: float) -> None:
    provenance = {"commit": commit, "wall_seconds": {"all": wall}, "machine": {"cpu": "x", "cores": 2}}
    (folder / "provenance.yaml").write_text(yaml.safe_dump(provenance))


def test_record_writes_the_reproduction_into_the_first_folders_provenance(two_folders, capsys):
    a, b = two_folders
    _provenance(a, "abc", 800.0)
    _provenance(b, "abc", 812.5)
    assert main([str(a), str(b), "--record"]) == 0
    entry = yaml.safe_load((a / "provenance.yaml").read_text())["reproduced"]
    assert entry["byte_identical"] and entry["wall_seconds"] == 812.5 and entry["commit"] == "abc"
    assert entry["files_that_differ"] == [] and entry["verdicts_that_differ"] == 0
    # a last-digit difference is round-off for the comparison, but the files are no longer byte-identical
    frame = pd.read_csv(b / "claims.csv")
    frame.loc[0, "estimate"] = 1.0 * (1 + 1e-13)
    frame.to_csv(b / "claims.csv", index=False)
    assert main([str(a), str(b), "--record"]) == 0
    entry = yaml.safe_load((a / "provenance.yaml").read_text())["reproduced"]
    assert not entry["byte_identical"] and entry["files_that_differ"] == ["claims.csv"]


def test_record_refuses_a_run_of_another_commit(two_folders, capsys):
    a, b = two_folders
    _provenance(a, "abc", 800.0)
    _provenance(b, "def", 800.0)
    with pytest.raises(SystemExit):
        main([str(a), str(b), "--record"])
    assert "not a reproduction" in capsys.readouterr().err
    assert "reproduced" not in yaml.safe_load((a / "provenance.yaml").read_text())
