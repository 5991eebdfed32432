"""Reading lead-project input: good files load, bad files fail with file, row and column."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from regiopole.data import DataValidationError, load_region
from regiopole.leitprojekte import candidates, criteria, poll

FIXTURES = Path(__file__).parent / "fixtures" / "leitprojekte"
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
REGION = load_region()


def data_folder(tmp_path: Path, **replace: str) -> Path:
    """The fixture folder copied to ``tmp_path``, with whole files replaced by ``name=text``."""
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    for name, text in replace.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def edited(name: str, old: str, new: str) -> str:
    """Text of fixture ``name`` with one replacement (which must apply)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def problems(error: DataValidationError) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in error.problems]


# --- candidates and goal tree ---------------------------------------------------------------

def test_fixture_candidates_load_with_goal_titles_and_participant_counts(tmp_path):
    table = candidates.load_candidates(data_folder(tmp_path), REGION)
    assert table.index.tolist() == ["LP01", "LP02", "LP03", "LP04"]
    assert table.at["LP01", "goal_title"] == "Schulungsangebote für Kommunen entwickeln"
    assert table["n_participants"].tolist() == [3, 2, 2, 1]
    assert table["estimated_cost_eur"].tolist() == [180000, 25000, 120000, 400000]


def test_unknown_goal_node_names_the_row_and_the_known_nodes(tmp_path):
    text = edited("leitprojekte_candidates.csv", "LP03,Gemeinsame Beschaffung E-Akte,M22", "LP03,Gemeinsame Beschaffung E-Akte,M99")
    with pytest.raises(DataValidationError) as err:
        candidates.load_candidates(data_folder(tmp_path, **{"leitprojekte_candidates.csv": text}), REGION)
    assert [(row, column) for row, column, _ in problems(err.value)] == [(4, "goal_node")]
    assert "M99" in str(err.value) and "goal_tree.yaml" in str(err.value) and "M22" in str(err.value)


def test_candidate_without_description_and_negative_cost_fail_by_row(tmp_path):
    text = edited("leitprojekte_candidates.csv", "Regionales Funknetz für Sensoren.", "")
    text = text.replace("kurzfristig,25000", "kurzfristig,-5")
    folder = data_folder(tmp_path, **{"leitprojekte_candidates.csv": text})
    with pytest.raises(DataValidationError) as err:
        candidates.load_candidates(folder, REGION)
    located = {(row, column) for row, column, _ in problems(err.value)}
    assert located == {(5, "description"), (3, "estimated_cost_eur")}
    assert "leitprojekte_candidates.csv" in err.value.source


def test_participant_outside_region_or_listed_twice_is_an_error(tmp_path):
    text = edited("leitprojekte_candidates.csv", "05774032;05774008", "05774032;09999999;05774032")
    folder = data_folder(tmp_path, **{"leitprojekte_candidates.csv": text})
    with pytest.raises(DataValidationError) as err:
        candidates.load_candidates(folder, REGION)
    messages = [m for row, column, m in problems(err.value) if row == 3 and column == "participants"]
    assert any("09999999" in m and "not a member" in m for m in messages)
    assert any("05774032" in m and "twice" in m for m in messages)


def test_duplicate_project_id_is_an_error(tmp_path):
    text = edited("leitprojekte_candidates.csv", "LP04,LoRaWAN", "LP03,LoRaWAN")
    with pytest.raises(DataValidationError, match="project_id"):
        candidates.load_candidates(data_folder(tmp_path, **{"leitprojekte_candidates.csv": text}), REGION)


def test_missing_goal_tree_says_which_file(tmp_path):
    folder = data_folder(tmp_path)
    (folder / "goal_tree.yaml").unlink()
    with pytest.raises(DataValidationError, match="goal_tree.yaml"):
        candidates.load_candidates(folder, REGION)


def test_goal_tree_with_repeated_id_is_an_error(tmp_path):
    tree = (FIXTURES / "goal_tree.yaml").read_text(encoding="utf-8") + "- {id: M11, title: Doppelt, type: measure, parent: Z1}\n"
    with pytest.raises(DataValidationError, match="'M11' occurs more than once"):
        candidates.load_goal_tree(data_folder(tmp_path, **{"goal_tree.yaml": tree}))


@pytest.mark.skipif(not (EXAMPLE / "goal_tree.yaml").is_file(), reason="example goal tree not generated")
def test_example_candidates_reference_the_example_goal_tree():
    table = candidates.load_candidates(EXAMPLE, REGION)
    assert 8 <= len(table) <= 12
    assert set(table["goal_node"]) <= set(candidates.load_goal_tree(EXAMPLE).index)


# --- criteria and weights --------------------------------------------------------------------

def test_criteria_scores_load_in_candidate_order(tmp_path):
    scores = criteria.load_criteria(data_folder(tmp_path), ["LP04", "LP01", "LP02", "LP03"])
    assert scores.index.tolist() == ["LP04", "LP01", "LP02", "LP03"]
    assert scores.loc["LP01"].tolist() == [4, 5, 2, 5, 5]


def test_score_outside_1_to_5_and_unknown_project_fail_by_row(tmp_path):
    text = edited("leitprojekte_criteria.csv", "LP02,3,5,1,5,4", "LP02,3,6,1,5,4").replace("LP04,", "LP99,")
    with pytest.raises(DataValidationError) as err:
        criteria.load_criteria(data_folder(tmp_path, **{"leitprojekte_criteria.csv": text}), ["LP01", "LP02", "LP03", "LP04"])
    located = {(row, column) for row, column, _ in problems(err.value)}
    assert located == {(3, "feasibility"), (5, "project_id")}


def test_candidate_without_scores_is_named(tmp_path):
    with pytest.raises(DataValidationError, match="no scores for candidate LP05"):
        criteria.load_criteria(data_folder(tmp_path), ["LP01", "LP02", "LP03", "LP04", "LP05"])


@pytest.mark.parametrize(("weights", "column", "fragment"), [
    ({"impact": -1, "feasibility": 1, "cost": 1, "reach": 1, "urgency": 1}, "impact", "negative"),
    ({"impact": 1, "feasibility": 1, "cost": 1, "reach": 1, "urgency": math.nan}, "urgency", "finite number"),
    ({"impact": 1, "feasibility": 1, "cost": 1, "reach": 1, "urgency": "hoch"}, "urgency", "finite number"),
    ({"impact": 1, "feasibility": 1, "cost": 1, "reach": 1}, "urgency", "weight missing"),
    ({"impact": 1, "feasibility": 1, "cost": 1, "reach": 1, "urgency": 1, "beauty": 1}, "beauty", "unknown criterion"),
    ({"impact": 0, "feasibility": 0, "cost": 0, "reach": 0, "urgency": 0}, None, "all weights are zero"),
])
def test_bad_weights_name_the_criterion(weights, column, fragment):
    with pytest.raises(DataValidationError) as err:
        criteria.check_weights(weights)
    assert [p.column for p in err.value.problems] == [column]
    assert fragment in err.value.problems[0].message
    assert "criteria_weights" in err.value.source


def test_weights_are_rescaled_to_sum_one():
    weights = criteria.check_weights({"impact": 2, "feasibility": 2, "cost": 0, "reach": 4, "urgency": 0})
    assert weights.to_dict() == {"impact": 0.25, "feasibility": 0.25, "cost": 0.0, "reach": 0.5, "urgency": 0.0}


# --- poll votes ------------------------------------------------------------------------------

IDS = ["LP01", "LP02", "LP03", "LP04"]


def test_votes_load_with_bool_approval_and_nullable_rank(tmp_path):
    votes = poll.load_votes(data_folder(tmp_path), REGION, IDS)
    assert votes["approved"].tolist() == [True, True, True, False, True, True, True, False]
    assert votes["rank"].isna().sum() == 3


@pytest.mark.parametrize(("old", "new", "row", "column", "fragment"), [
    ("05774008,LP03,1,ja", "05774008,LP09,1,ja", 6, "project_id", "LP09"),
    ("05762020,LP04,,nein", "05762020,LP02,,nein", 9, "project_id", "lists project LP02 twice"),
    ("05774004,LP01,2,nein", "05774004,LP01,1,nein", 5, "rank", "gives rank 1 to two projects"),
    ("05774008,LP03,1,ja", "09999999,LP03,1,ja", 6, "voter_ags", "AGS of the region"),
    ("05774008,LP03,1,ja", "5774008,LP03,1,ja", 6, "voter_ags", "leading zero"),
    ("05762020,LP04,,nein", "05762020,LP04,,vielleicht", 9, "approved", "'ja' or 'nein'"),
    ("05774004,LP01,2,nein", "05774004,LP01,0,nein", 5, "rank", ">= 1"),
])
def test_bad_votes_name_the_row(tmp_path, old, new, row, column, fragment):
    folder = data_folder(tmp_path, **{"poll_votes.csv": edited("poll_votes.csv", old, new)})
    with pytest.raises(DataValidationError) as err:
        poll.load_votes(folder, REGION, IDS)
    hits = [p for p in err.value.problems if p.row == row and p.column == column]
    assert hits and fragment in hits[0].message, str(err.value)


def test_gap_in_a_voters_ranks_is_an_error(tmp_path):
    folder = data_folder(tmp_path, **{"poll_votes.csv": edited("poll_votes.csv", "05774004,LP01,2,nein", "05774004,LP01,3,nein")})
    with pytest.raises(DataValidationError, match="voter 05774004 ranks 2 projects.*highest rank given is 3"):
        poll.load_votes(folder, REGION, IDS)


def test_approval_accepts_one_zero_and_capitals(tmp_path):
    text = edited("poll_votes.csv", "05774032,LP01,1,ja", "05774032,LP01,1,JA").replace("05762020,LP04,,nein", "05762020,LP04,,0")
    votes = poll.load_votes(data_folder(tmp_path, **{"poll_votes.csv": text}), REGION, IDS)
    assert votes["approved"].sum() == 6
