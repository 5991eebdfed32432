"""Property tests: for random card sets and dot votes no published workshop or goal-tree table shows a
count 1 .. min_cell_size-1, derived figures follow their counts, and no suppressed value can be
recovered from a published total. The checks are written here independently of the package."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regiopole import privacy
from regiopole.example import default_dir
from regiopole.workshops import aggregate_votes, code_cards, load_codebook, load_goal_tree
from regiopole.workshops import publish, summary
from regiopole.workshops.coding import coding_summary, uncoded_cards

FIXTURES = Path(__file__).parent / "fixtures" / "workshops"
DOT = privacy.SUPPRESSED
KEYWORDS = {"personal": "Personal", "schulungen": "Schulung", "austausch": "Austausch"}
#: Count columns of the published tables, by their German headings (ranks, rows, levels and Saldo are no counts).
COUNTS = {"Karten", "Punkte", "Karten im Workshop", "Karten insgesamt", "Hürde", "Chance", "Idee", "Ziel",
          "Hürden (Karten)", "Chancen (Karten)", "Hürden (Punkte)", "Chancen (Punkte)", "Punkte (direkt)",
          "Punkte (mit Unterpunkten)"}
CODEBOOK = load_codebook(FIXTURES / "themes.yaml")
TREE = load_goal_tree(default_dir() / "goal_tree.yaml")  # 1 goal, 4 sub-goals, 9 measures

card = st.tuples(st.sampled_from(["W1", "W2", "W3"]), st.sampled_from(["Gruppe A", "Gruppe B"]),
                 st.sampled_from(["huerde", "chance", "idee", "ziel"]), st.sets(st.sampled_from(sorted(KEYWORDS))),
                 st.integers(0, 6))
min_cell_sizes = st.integers(2, 6)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def coded_cards(specs) -> pd.DataFrame:
    rows = [{"row": i + 2, "card_id": f"K{i + 1}", "workshop": w, "group": g, "category": c, "category_label": c,
             "text": " und ".join(KEYWORDS[t] for t in sorted(themes)) or "Mehr Mut", "votes": v, "manual_theme": None,
             "manual_themes": ()} for i, (w, g, c, themes, v) in enumerate(specs)]
    return code_cards(pd.DataFrame(rows), CODEBOOK)


def assert_no_small_count(table: pd.DataFrame, m: int, name: str) -> None:
    for column in COUNTS & set(table.columns):
        for value in table[column]:
            assert value == DOT or int(value) == 0 or int(value) >= m, f"{name}: {column} shows {value} with minimum {m}"


def assert_protected(hidden_values: list[int], total_published: bool, m: int, what: str) -> None:
    """With a published total, the hidden cells of a line are none, or two or more summing to 0 or >= m."""
    if total_published and hidden_values:
        assert len(hidden_values) >= 2, f"{what}: one hidden cell is the total minus the others"
        assert sum(hidden_values) == 0 or sum(hidden_values) >= m, f"{what}: hidden cells sum to {sum(hidden_values)}"


@SETTINGS
@given(st.lists(card, min_size=1, max_size=40), min_cell_sizes)
def test_no_published_card_table_shows_a_small_count(specs, m):
    coded = coded_cards(specs)
    tables = {
        "overview": publish.group_overview(coded, m),
        "themes": publish.frequencies_table(summary.theme_frequencies(coded, CODEBOOK), m),
        "by_workshop": publish.frequencies_table(summary.theme_frequencies(coded, CODEBOOK, by_workshop=True), m),
        "coding": publish.coding_table(coding_summary(coded), m),
        "hurdles": publish.hurdles_table(summary.hurdles_vs_chances(coded, CODEBOOK), m),
        "pairs": publish.cooccurrence_table(coded, CODEBOOK, m),
        "uncoded": publish.cards_table(uncoded_cards(coded), min_cell_size=m),
        "top": publish.top_cards_table(coded, CODEBOOK, 5, m),
    }
    for name, table in tables.items():
        assert_no_small_count(table, m, name)
        privacy.assert_publishable(table[sorted(COUNTS & set(table.columns))], m)
    for name in ("themes", "by_workshop"):
        table = tables[name]
        assert (table["Karten"] == DOT).equals(table["Anteil der Karten"] == DOT)
        assert (table["Karten"] == DOT).equals(table["Rang nach Karten"] == DOT)
        assert (table["Punkte"] == DOT).equals(table["Rang nach Punkten"] == DOT)
    hurdles = tables["hurdles"]
    either = (hurdles["Hürden (Karten)"] == DOT) | (hurdles["Chancen (Karten)"] == DOT)
    assert either.equals(hurdles["Saldo Chancen − Hürden"] == DOT)
    assert ((tables["coding"]["Karten"] == DOT) <= (tables["coding"]["Anteil"] == DOT)).all()


@SETTINGS
@given(st.lists(card, min_size=1, max_size=40), min_cell_sizes)
def test_no_workshop_figure_can_be_recovered_from_all_workshops(specs, m):
    coded = coded_cards(specs)
    raw = summary.theme_frequencies(coded, CODEBOOK, by_workshop=True).set_index(["workshop", "theme"])
    published = publish.frequencies_table(summary.theme_frequencies(coded, CODEBOOK, by_workshop=True), m)
    published["theme"] = published["Thema"].map({v: k for k, v in CODEBOOK.labels.items()})
    published = published.set_index(["Workshop", "theme"])
    workshops = [w for w in dict.fromkeys(coded["workshop"])]
    for column, heading in (("cards", "Karten"), ("votes", "Punkte")):
        for theme in CODEBOOK.ids:
            hidden = [int(raw.at[(w, theme), column]) for w in workshops if published.at[(w, theme), heading] == DOT]
            all_published = published.at[("Alle Workshops", theme), heading] != DOT
            assert_protected(hidden, all_published, m, f"{heading} {theme}")
    sizes = raw.groupby(level="workshop")["workshop_cards"].first()
    hidden = [int(sizes[w]) for w in workshops if published.loc[w, "Karten im Workshop"].iloc[0] == DOT]
    assert_protected(hidden, published.loc["Alle Workshops", "Karten im Workshop"].iloc[0] != DOT, m, "workshop sizes")
    coding = publish.coding_table(coding_summary(coded), m).set_index("Codierung")
    counts = coding_summary(coded).set_index("coding")["cards"]
    assert_protected([int(counts[c]) for c in counts.index if coding.at[c, "Karten"] == DOT], len(coded) >= m, m, "coding")


@SETTINGS
@given(st.lists(st.integers(0, 7), min_size=TREE.number_of_nodes(), max_size=TREE.number_of_nodes()), min_cell_sizes)
def test_no_goal_tree_vote_below_the_minimum_can_be_seen_or_recovered(votes, m):
    frame = pd.DataFrame({"workshop": "Z", "group": "A", "node_id": list(TREE.nodes), "votes": votes})
    priorities = aggregate_votes(TREE, frame)
    table = publish.priorities_table(priorities, m)
    assert_no_small_count(table, m, "goal_tree")
    raw, shown = priorities.set_index("id"), table.set_index("ID")
    assert ((shown["Punkte (mit Unterpunkten)"] == DOT) == (shown["Anteil"] == DOT)).all() or (shown["Anteil"] == DOT).all()
    for node in TREE.nodes:
        children = list(TREE.successors(node))
        if not children:
            assert shown.at[node, "Punkte (direkt)"] == shown.at[node, "Punkte (mit Unterpunkten)"]
            continue
        members = [(raw.at[node, "own_votes"], shown.at[node, "Punkte (direkt)"])]
        members += [(raw.at[c, "total_votes"], shown.at[c, "Punkte (mit Unterpunkten)"]) for c in children]
        hidden = [int(value) for value, published in members if published == DOT]
        total_published = shown.at[node, "Punkte (mit Unterpunkten)"] != DOT
        assert_protected(hidden, total_published, m, f"node {node}")
        if not total_published and raw.at[node, "total_votes"] > 0:
            assert hidden, f"node {node}: its hidden total is the sum of its published members"


@pytest.mark.parametrize("m", [3, 5])
def test_the_property_checks_can_fail(m):
    """The independent checks reject a table that shows a small count or a recoverable cell."""
    with pytest.raises(AssertionError):
        assert_no_small_count(pd.DataFrame({"Karten": [m - 1], "Rang nach Karten": [1]}), m, "bad")
    with pytest.raises(AssertionError):
        assert_protected([m - 1], True, m, "bad")
    assert_no_small_count(pd.DataFrame({"Karten": [0, m, DOT], "Rang nach Karten": [1, 2, DOT]}), m, "good")
