"""The poll as an attacker reads it: results per project beside the named participants.

The participation table (and every dossier) names who took part; "nobody approved" or "every
participant approved" would then tell each named municipality's vote. The audit declares each
participant's approval and ranking of each project as a secret and must find them on the
suppression used before (zeros and unanimous counts published), and none on the published tables.
"""

from __future__ import annotations

import pandas as pd
import pytest

from regiopole.data import load_region
from regiopole.example import default_dir
from regiopole.leitprojekte import poll
from regiopole.privacy import SUPPRESSED, audit

REGION = load_region()
MIN = 3


@pytest.fixture(scope="module")
def example():
    candidates = pd.read_csv(default_dir() / "leitprojekte_candidates.csv", dtype=str)
    ids = candidates["project_id"].tolist()
    return poll.load_votes(default_dir(), REGION, ids), ids, candidates.set_index("project_id")["title"]


def with_unanimous_projects(votes: pd.DataFrame, everyone: str, nobody: str) -> pd.DataFrame:
    """``votes`` where every participant approves ``everyone`` and none approves ``nobody``."""
    kept = votes[~votes["project_id"].isin([everyone, nobody])]
    voters = sorted(set(votes["voter_ags"]))
    added = pd.DataFrame({"voter_ags": voters, "project_id": everyone, "rank": pd.array([pd.NA] * len(voters), dtype="Int64"),
                          "approved": True})
    out = pd.concat([kept, added], ignore_index=True)
    out.attrs = dict(votes.attrs)
    return out


def published(votes: pd.DataFrame, ids: list[str], titles: pd.Series, m: int = MIN) -> dict:
    summary = poll.aggregate(votes, ids, min_rankers=m)
    table = poll.poll_table(summary, titles, m)
    participation = poll.participation_table(votes, REGION)
    # as a reader gets them: the CSV text
    return {"leitprojekte_umfrage": (table.astype(str), table.attrs["audit"]),
            "leitprojekte_umfrage_teilnahme": (participation, participation.attrs["audit"])}


def weak_rule(monkeypatch) -> None:
    """The rule before: only counts 1 .. m-1 withheld; 0, unanimous counts and Borda extremes published."""
    monkeypatch.setattr(poll, "withheld_counts", lambda counts, n, m: (counts > 0) & (counts < m))
    monkeypatch.setattr(poll, "withheld_borda", lambda summary: summary["borda_score"].isna())


def test_unanimous_and_zero_results_give_each_named_vote_back_under_the_old_rule(monkeypatch, example):
    votes, ids, titles = example
    weak_rule(monkeypatch)
    findings = audit.audit(published(with_unanimous_projects(votes, ids[0], ids[1]), ids, titles))
    participants = sorted(set(votes["voter_ags"]))
    revealed = {(f.column, f.low) for f in findings}
    assert {(f"{a} approved {ids[0]}", 1) for a in participants} <= revealed  # everyone approved
    assert {(f"{a} approved {ids[1]}", 0) for a in participants} <= revealed  # nobody approved
    assert all(f.row == -1 for f in findings)


def test_the_published_poll_gives_no_vote_back(example):
    votes, ids, titles = example
    for case in (votes, with_unanimous_projects(votes, ids[0], ids[1])):
        tables = published(case, ids, titles)
        assert audit.audit(tables) == []
    table = tables["leitprojekte_umfrage"][0].set_index("ID")
    assert table.loc[[ids[0], ids[1]], ["Zustimmungen", "Zustimmung (%)", "Rang Zustimmung"]].eq(SUPPRESSED).all().all()


@pytest.mark.parametrize("share", [0.3, 0.5, 0.8])
def test_smaller_polls_give_no_vote_back(example, share):
    votes, ids, titles = example
    voters = pd.Series(sorted(set(votes["voter_ags"]))).sample(frac=share, random_state=7)
    part = votes[votes["voter_ags"].isin(voters)].reset_index(drop=True)
    part.attrs = dict(votes.attrs)
    assert audit.audit(published(part, ids, titles)) == []


def test_no_count_lies_within_min_cell_size_of_none_or_all(example):
    votes, ids, titles = example
    table = poll.poll_table(poll.aggregate(votes, ids, min_rankers=MIN), titles, MIN)
    n = votes["voter_ags"].nunique()
    for column in ("Zustimmungen", "Reihungen"):
        shown = table.loc[table[column] != SUPPRESSED, column].astype(int)
        assert shown.between(MIN, n - MIN).all(), column


def test_borda_values_do_not_give_the_number_of_ranking_municipalities_away(example):
    """Borda points summed to (rankers x n(n-1)/2); the published scores always sum to n/2."""
    votes, ids, titles = example
    summary = poll.aggregate(votes, ids, min_rankers=MIN)
    assert summary["borda_score"].sum() == pytest.approx(len(ids) / 2)
    table = poll.poll_table(summary, titles, MIN)
    assert "Borda-Punkte" not in table
    assert table["Borda-Wert (0-1)"].ne(SUPPRESSED).any()


def test_agreement_uses_published_ranks_only(example):
    votes, ids, titles = example
    summary = poll.aggregate(votes, ids, min_rankers=MIN)
    table = poll.poll_table(summary, titles, MIN)
    ranks = table.set_index("ID")[["Rang Borda", "Rang Zustimmung", "Rang Mittlerer Rang"]]
    ranks = ranks[(ranks != SUPPRESSED).all(axis=1)].astype(float)
    tau = poll.agreement(summary)
    assert tau.loc["Borda", "Zustimmung"] == pytest.approx(ranks.corr(method="kendall").iloc[0, 1])
    assert len(ranks) < len(ids)  # some projects are left out in the example
