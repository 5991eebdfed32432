"""Minimum cell size in every published workshop and goal-tree table and figure: one test per table function."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from regiopole import privacy
from regiopole.workshops import aggregate_votes, code_cards, load_cards, load_codebook, load_goal_tree, load_goal_votes
from regiopole.workshops import figures, publish, summary, suppression
from regiopole.workshops.coding import coding_summary, cooccurrence, uncoded_cards

matplotlib.use("Agg")
FIXTURES = Path(__file__).parent / "fixtures" / "workshops"
DOT = privacy.SUPPRESSED
KEYWORDS = {"personal": "Personal", "schulungen": "Schulung", "austausch": "Austausch"}


@pytest.fixture
def codebook():
    return load_codebook(FIXTURES / "themes.yaml")


@pytest.fixture
def coded(codebook):
    """The fixture cards: 8 cards in 2 workshops of 4 cards, every count 1-3."""
    return code_cards(load_cards(FIXTURES / "cards.csv", codebook), codebook)


def make_cards(codebook, specs: list[tuple[str, str, str, tuple[str, ...], int]]) -> pd.DataFrame:
    """Coded cards from (workshop, group, category, themes, votes); the text names the themes."""
    rows = [{"row": i + 2, "card_id": f"K{i + 1}", "workshop": w, "group": g, "category": c, "category_label": c.title(),
             "text": " und ".join(KEYWORDS[t] for t in themes) or "Mehr Mut", "votes": v, "manual_theme": None,
             "manual_themes": ()} for i, (w, g, c, themes, v) in enumerate(specs)]
    return code_cards(pd.DataFrame(rows), codebook)


def block(table: pd.DataFrame, workshop: str) -> pd.DataFrame:
    return table[table["Workshop"] == workshop].set_index("Thema")


def test_theme_counts_below_the_minimum_and_their_share_and_rank_become_dots(coded, codebook):
    table = publish.frequencies_table(summary.theme_frequencies(coded, codebook), min_cell_size=3).set_index("Thema")
    # Personal 3 cards / 7 dots, Schulungen 3 / 6, Austauschformate 2 / 7
    assert table.loc["Austauschformate", ["Karten", "Anteil der Karten", "Rang nach Karten"]].tolist() == [DOT] * 3
    assert table.loc["Austauschformate", "Punkte"] == 7 and table.loc["Personal", "Karten"] == 3
    assert table.index.tolist()[-1] == "Austauschformate"  # suppressed rows after the published ones
    assert table["Rang nach Karten"].tolist()[:2] == [1, 1]
    assert publish.frequencies_table(summary.theme_frequencies(coded, codebook), min_cell_size=4)["Karten"].eq(DOT).all()


def test_a_workshop_cell_is_protected_against_the_total_of_all_workshops(codebook):
    specs = ([("W1", "A", "huerde", ("personal",), 1)] * 6 + [("W2", "A", "huerde", ("personal",), 1)]
             + [("W2", "A", "idee", ("schulungen",), 0)] * 5 + [("W3", "A", "chance", ("personal",), 1)] * 4)
    table = publish.frequencies_table(summary.theme_frequencies(make_cards(codebook, specs), codebook, by_workshop=True), 3)
    # Personal (cards and dots alike): W1 6, W2 1, W3 4, all 11. W2's 1 is suppressed; W3's 4 too, else 11 - 6 - 4 gives it back
    assert block(table, "W2").loc["Personal", ["Karten", "Punkte", "Anteil der Karten", "Rang nach Karten"]].tolist() == [DOT] * 4
    assert block(table, "W3").loc["Personal", ["Karten", "Punkte", "Anteil der Karten"]].tolist() == [DOT] * 3
    assert block(table, "W1").loc["Personal", "Karten"] == 6
    assert block(table, "Alle Workshops").loc["Personal", ["Karten", "Punkte"]].tolist() == [11, 11]
    assert block(table, "W3")["Karten im Workshop"].eq(4).all()


def test_a_small_workshop_is_hidden_with_a_second_one(codebook):
    specs = [("W1", "A", "idee", ("personal",), 0)] * 5 + [("W2", "A", "idee", ("personal",), 0)] * 6 + [("W3", "A", "idee", (), 0)] * 2
    table = publish.frequencies_table(summary.theme_frequencies(make_cards(codebook, specs), codebook, by_workshop=True), 3)
    assert block(table, "W3")["Karten im Workshop"].eq(DOT).all() and block(table, "W1")["Karten im Workshop"].eq(DOT).all()
    assert block(table, "W1")["Karten"].eq(DOT).all()  # also zeros: the whole block is hidden
    assert block(table, "W2")["Karten im Workshop"].eq(6).all() and block(table, "Alle Workshops")["Karten im Workshop"].eq(13).all()


def test_hurdles_chances_and_the_saldo_of_a_suppressed_count(coded, codebook):
    hurdles = summary.hurdles_vs_chances(coded, codebook)
    table = publish.hurdles_table(hurdles, min_cell_size=3).set_index("Thema")
    # Personal: 2 hurdle cards (3 dots), 1 chance card (4 dots)
    assert table.loc["Personal"].tolist() == [DOT, 3, DOT, 4, DOT]
    # a lone "." beside a printed 0 would say "1 or 2": the zero beside it is hidden too
    assert table.loc["Schulungen", ["Hürden (Karten)", "Chancen (Karten)", "Saldo Chancen − Hürden"]].tolist() == [DOT, DOT, DOT]
    assert publish.hurdles_table(hurdles, min_cell_size=1).set_index("Thema").loc["Personal"].tolist() == [2, 3, 1, 4, -1]


def test_theme_pairs_below_the_minimum(coded, codebook):
    assert publish.cooccurrence_table(coded, codebook, min_cell_size=3)["Karten"].tolist() == []  # left out, not "."
    assert publish.cooccurrence_table(coded, codebook, min_cell_size=1)["Karten"].tolist() == [1, 1]


def test_coding_counts_are_protected_against_the_number_of_cards(coded):
    table = publish.coding_table(coding_summary(coded), min_cell_size=3).set_index("Codierung")
    assert table.loc["automatisch", "Karten"] == 4
    assert table.loc[["manuell", "offen"], "Karten"].tolist() == [DOT, DOT]  # 2 and 2
    assert table.loc[["manuell", "offen"], "Anteil"].tolist() == [DOT, DOT]
    one_manual = pd.DataFrame({"coding": ["automatisch", "manuell", "offen"], "cards": [10, 1, 0], "share": [10 / 11, 1 / 11, 0]})
    table = publish.coding_table(one_manual, min_cell_size=3).set_index("Codierung")
    assert table["Karten"].tolist() == [DOT, DOT, DOT]  # 11 - 0 would give the 1 back; the 0 beside them is hidden too


def test_card_lists_show_texts_but_no_small_dot_counts(coded, codebook):
    uncoded = publish.cards_table(uncoded_cards(coded), min_cell_size=3)
    assert "Punkte" not in uncoded  # K4 1 dot, K8 2 dots: tied to no total, a "." would say "1 or 2"
    assert uncoded.empty  # 2 open cards: the coding table suppresses that count, the list's length would give it back
    listed = publish.cards_table(uncoded_cards(coded), min_cell_size=1)
    assert listed["Zeile"].tolist() == [5, 9]  # row numbers are no counts
    top = publish.top_cards_table(coded, codebook, n=10, min_cell_size=3)
    assert top["Punkte"].tolist() == [5, 4, 3]  # cards with 2 or 1 dots are not ranked among themselves
    assert publish.top_cards_table(coded, codebook, n=10, min_cell_size=1)["Punkte"].tolist() == [5, 4, 3, 2, 2, 1]


@pytest.fixture
def tree_priorities():
    tree = load_goal_tree(FIXTURES / "goal_tree.yaml")
    return tree, aggregate_votes(tree, load_goal_votes(FIXTURES / "goal_votes.csv", tree))


def test_goal_tree_votes_are_protected_along_the_tree(tree_priorities):
    _, table = tree_priorities
    published = publish.priorities_table(table, min_cell_size=3).set_index("ID")
    # own dots Z0 1, Z1 3, M11 6, M12 1, Z2 0, M21 5; totals Z0 16, Z1 10, Z2 5
    assert published.at["M12", "Punkte (mit Unterpunkten)"] == DOT and published.at["Z0", "Punkte (direkt)"] == DOT
    assert published.at["Z1", "Punkte (direkt)"] == DOT  # else 10 - 6 - 3 gives M12's 1 back
    assert published.loc[["Z2", "M21"], "Punkte (mit Unterpunkten)"].tolist() == [DOT, DOT]  # else 16 - 10 - 5 gives Z0's 1
    assert published.loc[["Z0", "Z1", "M11"], "Punkte (mit Unterpunkten)"].tolist() == [16, 10, 6]
    assert published.loc[["M12", "Z2", "M21"], "Anteil"].tolist() == [DOT] * 3
    assert published.loc[["Z1", "Z2", "M11", "M12"], "Rang unter Geschwistern"].tolist() == [1, DOT, 1, DOT]
    # Z2 has 0 own dots, hidden beside the suppressed total of M21 (a "." may be 0)
    assert published.at["Z2", "Punkte (direkt)"] == DOT and pd.isna(published.at["Z0", "Übergeordnet"])


def test_every_table_function_guards_its_count_columns():
    with pytest.raises(privacy.DisclosureError):
        publish.guarded(pd.DataFrame({"Karten": [5, 2], "Rang nach Karten": [1, 2]}), 3)
    publish.guarded(pd.DataFrame({"Karten": [5, 0, DOT], "Rang nach Karten": [1, 2, DOT], "Zeile": [2, 1, 3]}), 3)


def test_figures_draw_no_suppressed_value_at_its_size(coded, codebook, tree_priorities):
    fig = figures.theme_bars(summary.theme_frequencies(coded, codebook), min_cell_size=3)
    cards_axis = fig.axes[0]
    assert sorted(p.get_width() for p in cards_axis.patches) == [3, 3]  # no bar for the 2 cards of Austauschformate
    assert DOT in [t.get_text() for t in cards_axis.texts] and "weniger als 3" in cards_axis.get_xlabel()

    fig = figures.hurdles_chances_bars(summary.hurdles_vs_chances(coded, codebook), min_cell_size=3)
    assert all(p.get_width() == 0 for p in fig.axes[0].patches)  # every count of the fixture is 1 or 2
    # hurdles and chances are suppressed as a pair, with the zeros beside them
    assert [t.get_text() for t in fig.axes[0].texts].count(DOT) == 6

    fig = figures.cooccurrence_heatmap(cooccurrence(coded, codebook), codebook.labels, min_cell_size=3)
    texts = [t.get_text() for t in fig.axes[0].texts]
    # the two pairs with 1 card and the one with none look alike: a "." beside printed zeros would say "1 or 2"
    assert texts.count(DOT) == 3 and "1" not in texts and "0" not in texts
    assert sum(p.get_hatch() == "///" for p in fig.axes[0].patches) == 3

    by_workshop = summary.theme_frequencies(coded, codebook, by_workshop=True)
    shares = publish.frequencies_table(by_workshop, min_cell_size=3)["Anteil der Karten"]
    shown = [t.get_text() for t in figures.workshop_heatmap(by_workshop, min_cell_size=3).axes[0].texts]
    # shown: only Personal and Schulungen in all workshops (3 of 8 cards each); Austauschformate (2, 0 | 2) is hidden whole
    assert shown.count(DOT) == shares.eq(DOT).sum() == 7
    assert [t for t in shown if t != DOT] == ["38\u00a0%", "38\u00a0%"]

    tree, table = tree_priorities
    texts = [t.get_text() for t in figures.goal_tree_figure(tree, table, min_cell_size=3).axes[0].texts]
    assert any(t.startswith("M12") and t.endswith(f"Punkte: {DOT}") for t in texts)
    assert not any("1 Punkte" in t.replace("16 Punkte", "") for t in texts)
    assert any("weniger als 3 Punkte" in t for t in texts)
    assert len(texts) == tree.number_of_nodes() + 1  # every box is still drawn, plus the note


def test_ranks_and_order_use_published_values_only():
    published = pd.Series([9.0, float("nan"), 4.0, 0.0, float("nan")])
    # suppressed values count as lying between 0 and the smallest published count
    assert suppression.published_rank(published).iloc[[0, 2, 3]].tolist() == [1, 2, 5]
    assert suppression.published_rank(published).isna().tolist() == [False, True, False, False, True]
