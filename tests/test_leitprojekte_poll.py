"""Poll aggregation against hand-computed results, ties included, and what may be published."""

from __future__ import annotations

import pandas as pd
import pytest

from regiopole.data import load_region
from regiopole.leitprojekte import poll
from regiopole.privacy import SUPPRESSED

from test_leitprojekte_input import FIXTURES, IDS

REGION = load_region()


def votes(rows: list[tuple[str, str, int | None, bool]]) -> pd.DataFrame:
    """A validated-looking vote table from (voter, project, rank, approved) tuples."""
    table = pd.DataFrame(rows, columns=["voter_ags", "project_id", "rank", "approved"])
    return table.astype({"rank": "Int64", "approved": bool})


@pytest.fixture(scope="module")
def fixture_summary() -> pd.DataFrame:
    return poll.aggregate(poll.load_votes(FIXTURES, REGION, IDS), IDS)


def test_borda_for_partial_rankings_by_hand(fixture_summary):
    # n = 4. 05774032: LP01>LP02 (3, 2; unranked LP03, LP04 share places 1 and 0: 0.5 each).
    # 05774004: LP02>LP01 (3, 2; 0.5 each). 05774008: LP03 only (3; the other three share 2,1,0: 1 each).
    # 05762020 only approved and does not enter Borda.
    assert fixture_summary["borda_points"].to_dict() == {"LP01": 6.0, "LP02": 6.0, "LP03": 4.0, "LP04": 2.0}
    assert fixture_summary["borda_score"].tolist() == pytest.approx([6 / 9, 6 / 9, 4 / 9, 2 / 9])
    attrs = fixture_summary.attrs
    assert {k: attrs[k] for k in ("n_voters", "n_rankers", "min_rankers")} == {"n_voters": 4, "n_rankers": 3, "min_rankers": 1}
    assert attrs["members"] == list(REGION.ags)  # for the audit: who could have taken part


def test_borda_tie_shares_the_better_rank(fixture_summary):
    assert fixture_summary["rank_borda"].to_dict() == {"LP01": 1, "LP02": 1, "LP03": 3, "LP04": 4}


def test_approval_share_by_hand(fixture_summary):
    # LP01: ja, nein, ja; LP02: ja, ja, ja (the last approval-only); LP03: ja; LP04: nein.
    assert fixture_summary["n_approvals"].to_dict() == {"LP01": 2, "LP02": 3, "LP03": 1, "LP04": 0}
    assert fixture_summary["approval_share"].tolist() == [0.5, 0.75, 0.25, 0.0]
    assert fixture_summary["rank_approval"].tolist() == [2, 1, 3, 4]


def test_mean_rank_over_the_rankers_only(fixture_summary):
    assert fixture_summary["n_ranked"].tolist() == [2, 2, 1, 0]
    assert fixture_summary["mean_rank"].iloc[:3].tolist() == [1.5, 1.5, 1.0]
    assert pd.isna(fixture_summary.at["LP04", "mean_rank"])
    assert fixture_summary["rank_mean"].tolist() == [2, 2, 1, 4]


def test_mean_rank_needs_min_rankers():
    summary = poll.aggregate(poll.load_votes(FIXTURES, REGION, IDS), IDS, min_rankers=2)
    assert summary["mean_rank"].notna().tolist() == [True, True, False, False]
    assert summary["rank_mean"].tolist() == [1, 1, 3, 3]


def test_every_ranking_voter_hands_out_the_same_total():
    table = votes([("a", "P1", 1, True), ("b", "P3", 1, False), ("b", "P2", 2, True), ("b", "P1", 3, False), ("c", "P2", None, True)])
    points = poll.borda_points(poll.rank_matrix(table, ["P1", "P2", "P3", "P4", "P5"]))
    assert points.sum(axis=1).tolist() == [10.0, 10.0]


def test_complete_rankings_give_classic_borda():
    table = votes([("a", "A", 1, True), ("a", "B", 2, False), ("a", "C", 3, False),
                   ("b", "B", 1, True), ("b", "C", 2, True), ("b", "A", 3, False),
                   ("c", "C", 1, True), ("c", "A", 2, False), ("c", "B", 3, False)])
    summary = poll.aggregate(table, ["A", "B", "C"])
    assert summary["borda_points"].tolist() == [3.0, 3.0, 3.0]  # the Condorcet cycle: a three-way tie
    assert summary["rank_borda"].tolist() == [1, 1, 1]
    assert summary["n_approvals"].tolist() == [1, 1, 2]
    assert summary["rank_approval"].tolist() == [2, 2, 1]


def test_agreement_is_one_for_identical_rankings_and_detects_reversal():
    same = pd.DataFrame({"rank_borda": [1, 2, 3], "rank_approval": [1, 2, 3], "rank_mean": [3, 2, 1]})
    tau = poll.agreement(same)
    assert tau.loc["Borda", "Zustimmung"] == pytest.approx(1.0)
    assert tau.loc["Borda", "Mittlerer Rang"] == pytest.approx(-1.0)
    sentence = poll.describe_agreement(tau)
    assert sentence.startswith("Am engsten stimmen Borda und Zustimmung überein (Kendalls tau 1,00: eng)")
    assert "1,00: gegenläufig)" in sentence and "ähnlichen Rangfolge" not in sentence


def test_agreement_wording_follows_each_value():
    """A high tau is never called weak (the old sentence said 'kaum' next to 0,85)."""
    tau = pd.DataFrame([[1.0, 0.85, 0.75], [0.85, 1.0, 0.8], [0.75, 0.8, 1.0]],
                       index=["Borda", "Zustimmung", "Mittlerer Rang"], columns=["Borda", "Zustimmung", "Mittlerer Rang"])
    sentence = poll.describe_agreement(tau)
    assert "0,85: eng" in sentence and "kaum" not in sentence and "ähnlichen Rangfolge" in sentence


def test_published_table_suppresses_small_counts_and_what_rests_on_them(fixture_summary):
    titles = pd.Series({p: f"Projekt {p}" for p in IDS})
    # 4 participants, minimum 1: a count is shown when at least 1 participant did and at least 1 did not
    table = poll.poll_table(fixture_summary, titles, min_cell_size=1).set_index("ID")
    assert table.at["LP02", "Zustimmungen"] == 3 and table.at["LP02", "Zustimmung (%)"] == 75.0
    assert table.at["LP04", "Zustimmungen"] == SUPPRESSED  # nobody approved: that is every named participant's vote
    assert table.at["LP04", "Zustimmung (%)"] == SUPPRESSED and table.at["LP04", "Rang Zustimmung"] == SUPPRESSED
    assert table.at["LP04", "Reihungen"] == SUPPRESSED and table.at["LP04", "Mittlerer Rang"] == SUPPRESSED
    assert table.index.tolist() == ["LP01", "LP02", "LP03", "LP04"]  # Borda order, tie kept stable
    # minimum 3: fewer than 2 x 3 participants, so every count is "very few" or "nearly all"
    strict = poll.poll_table(fixture_summary, titles, min_cell_size=3)
    assert (strict[["Zustimmungen", "Zustimmung (%)", "Reihungen", "Mittlerer Rang"]] == SUPPRESSED).all().all()
    assert "Borda-Punkte" not in strict and strict["Borda-Wert (0-1)"].tolist() == [0.667, 0.667, 0.444, 0.222]


def test_published_table_is_all_suppressed_with_too_few_voters(fixture_summary):
    titles = pd.Series({p: p for p in IDS})
    table = poll.poll_table(fixture_summary, titles, min_cell_size=5)
    assert (table.drop(columns=["ID", "Leitprojekt"]) == SUPPRESSED).all().all()
    assert "weniger als 5 Kommunen" in poll.describe_participation(fixture_summary, 29, min_cell_size=5)


def test_participation_sentence_withholds_small_remainders(fixture_summary):
    sentence = poll.describe_participation(fixture_summary, 29, min_cell_size=3)
    assert sentence.startswith("An der Abfrage haben 4 von 29 Kommunen teilgenommen.")
    assert "nicht genannt" in sentence  # one municipality only approved
    assert "3 davon haben Projekte gereiht, 1 nur" in poll.describe_participation(fixture_summary, 29, min_cell_size=1)


def test_hidden_poll_values_only_for_approval_measure(fixture_summary):
    assert poll.hidden_poll_values(fixture_summary, "approval", 3).all()  # 4 participants < 2 x 3
    assert poll.hidden_poll_values(fixture_summary, "approval", 1).tolist() == [False, False, False, True]  # LP04: none
    assert not poll.hidden_poll_values(fixture_summary, "borda", 3).any()  # no Borda value of 0 or 1


def test_ranks_resting_on_suppressed_counts_are_suppressed_too(fixture_summary):
    """Two suppressed approval counts with different ranks would tell which is 1 and which 2."""
    table = poll.poll_table(fixture_summary, pd.Series({p: p for p in IDS}), min_cell_size=3).set_index("ID")
    hidden = table["Zustimmungen"] == SUPPRESSED
    assert hidden.any() and (table.loc[hidden, "Rang Zustimmung"] == SUPPRESSED).all()
    assert (table.loc[table["Mittlerer Rang"] == SUPPRESSED, "Rang Mittlerer Rang"] == SUPPRESSED).all()
