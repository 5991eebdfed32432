"""Coding of workshop cards (automatic, manual override, uncoded list), counts, co-occurrence, publication."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiopole import privacy
from regiopole.data import load_region
from regiopole.example import default_dir
from regiopole.workshops import cards_file, code_cards, cooccurrence, load_cards, load_codebook, uncoded_cards
from regiopole.workshops import narrative, publish, summary
from regiopole.workshops.coding import coding_summary, cooccurrence_pairs

FIXTURES = Path(__file__).parent / "fixtures" / "workshops"


@pytest.fixture
def codebook():
    return load_codebook(FIXTURES / "themes.yaml")


@pytest.fixture
def coded(codebook):
    return code_cards(load_cards(FIXTURES / "cards.csv", codebook), codebook).set_index("card_id", drop=False)


def test_automatic_coding_is_multi_label(coded):
    assert coded.at["K1", "themes"] == ("personal",)
    assert coded.at["K2", "themes"] == ("schulungen", "austausch")
    assert coded.at["K7", "themes"] == ("personal",)  # "Fachkräfte" is a pattern of the staff theme
    assert coded.at["K2", "coding"] == "automatisch"


def test_manual_theme_wins_over_the_automatic_one(coded):
    assert coded.at["K3", "auto_themes"] == ("personal", "schulungen")
    assert coded.at["K3", "themes"] == ("austausch",)
    assert coded.at["K6", "auto_themes"] == ("austausch",)
    assert coded.at["K6", "themes"] == ("schulungen", "personal")
    assert set(coded.loc[["K3", "K6"], "coding"]) == {"manuell"}


def test_uncoded_cards_are_listed_with_their_row_never_dropped(coded):
    uncoded = uncoded_cards(coded)
    assert uncoded["card_id"].tolist() == ["K4", "K8"]
    assert uncoded["row"].tolist() == [5, 9]
    assert uncoded["text"].tolist() == ["Förderprogramme unübersichtlich", "Mehr Mut"]
    counts = coding_summary(coded).set_index("coding")["cards"]
    assert counts.to_dict() == {"automatisch": 4, "manuell": 2, "offen": 2}
    assert counts.sum() == len(coded)


def test_frequencies_count_each_theme_of_a_card_with_all_its_votes(coded, codebook):
    overall = summary.theme_frequencies(coded, codebook).set_index("theme")
    assert overall["cards"].to_dict() == {"personal": 3, "schulungen": 3, "austausch": 2}
    assert overall["votes"].to_dict() == {"personal": 7, "schulungen": 6, "austausch": 7}
    assert overall["rank_votes"].to_dict() == {"personal": 1, "austausch": 1, "schulungen": 3}
    assert set(overall["workshop"]) == {"Alle Workshops"}
    by_workshop = summary.theme_frequencies(coded, codebook, by_workshop=True)
    assert by_workshop["workshop"].unique().tolist() == ["Workshop A", "Workshop B", "Alle Workshops"]
    block_b = by_workshop[by_workshop["workshop"] == "Workshop B"].set_index("theme")
    assert block_b["cards"].to_dict() == {"personal": 2, "schulungen": 2, "austausch": 0}  # zero themes are kept
    assert block_b["workshop_cards"].iloc[0] == 4
    assert block_b.at["personal", "card_share"] == pytest.approx(0.5)


def test_cooccurrence_counts_cards_with_both_themes(coded, codebook):
    matrix = cooccurrence(coded, codebook)
    assert matrix.loc["schulungen", "austausch"] == 1  # K2
    assert matrix.loc["schulungen", "personal"] == 1  # K6 (manual themes count)
    assert matrix.loc["personal", "austausch"] == 0  # K3's automatic pair was overridden
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert [matrix.loc[t, t] for t in codebook.ids] == [3, 3, 2]
    pairs = cooccurrence_pairs(coded, codebook)
    assert pairs[["theme_a", "theme_b", "cards"]].values.tolist() == [["personal", "schulungen", 1], ["schulungen", "austausch", 1]]


def test_hurdles_against_chances(coded, codebook):
    table = summary.hurdles_vs_chances(coded, codebook).set_index("theme")
    assert table.loc["personal", ["hurdles", "hurdles_votes", "chances", "chances_votes", "balance"]].tolist() == [2, 3, 1, 4, -1]
    assert table.loc["schulungen", ["hurdles", "chances", "chances_votes"]].tolist() == [0, 2, 6]
    text = narrative.hurdles_sentence(table.reset_index(), min_cell_size=1)
    assert "Überwiegend als Hürde genannt werden „Personal“" in text
    assert "„Schulungen“ und „Austauschformate“" in text
    # with the default minimum every count of the fixture is suppressed, and so is every comparison
    assert narrative.hurdles_sentence(table.reset_index()) == (
        "Themen mit weniger als 3 Hürden- oder Chancen-Karten bleiben beim Vergleich außen vor.")


def test_overview_per_group_suppresses_small_cells(coded):
    table = publish.group_overview(coded, min_cell_size=3)
    assert table.columns.tolist() == ["Workshop", "Gruppe", "Hürde", "Chance", "Idee", "Ziel", "Karten insgesamt"]
    assert len(table) == 4
    # every group has 1-3 cards: nothing below the minimum may be shown
    values = table.drop(columns=["Workshop", "Gruppe"])
    privacy.assert_publishable(values, min_cell_size=3)
    assert (values == privacy.SUPPRESSED).any().any()
    assert publish.group_overview(coded, min_cell_size=1)["Karten insgesamt"].tolist() == [2, 2, 3, 1]


def test_small_workshops_are_suppressed_whole(coded, codebook):
    by_workshop = summary.theme_frequencies(coded, codebook, by_workshop=True)
    table = publish.frequencies_table(by_workshop, min_cell_size=5)
    # both workshops have 4 cards: each is too small, and either would give the other back from the 8 of all workshops
    for name in ("Workshop A", "Workshop B"):
        block = table[table["Workshop"] == name]
        assert (block.drop(columns=["Workshop", "Thema"]) == privacy.SUPPRESSED).all().all()
    overall = table[table["Workshop"] == "Alle Workshops"]
    assert overall["Karten im Workshop"].tolist() == [8, 8, 8]
    assert (overall["Karten"] == privacy.SUPPRESSED).all()  # 3, 3 and 2 cards
    assert publish.frequencies_table(by_workshop, min_cell_size=1).query("Workshop == 'Alle Workshops'")["Karten"].tolist() == [3, 3, 2]


def test_published_card_texts_are_redacted_and_name_no_group():
    cards = pd.DataFrame({"workshop": ["W"] * 3, "group": ["Gruppe A"] * 3, "votes": [1, 2, 3],
                          "text": ["Rückfragen an max.muster@example.org", "Rückruf 05251 123456", "In Borchen fehlt WLAN"]})
    table = publish.cards_table(cards, places=["Borchen"])
    assert "Gruppe" not in table.columns
    assert table["Kartentext"].tolist() == ["Rückfragen an [E-Mail entfernt]", "Rückruf [Telefon entfernt]", "In [Ort] fehlt WLAN"]
    assert table["Punkte"].tolist() == [privacy.SUPPRESSED, privacy.SUPPRESSED, 3]


def test_example_cards_exercise_every_path():
    codebook = load_codebook()
    coded = code_cards(load_cards(cards_file(default_dir()), codebook), codebook)
    assert 120 <= len(coded) <= 180
    assert coded["workshop"].nunique() == 3 and coded.groupby("workshop")["group"].nunique().min() >= 2
    assert set(coded["category"]) == {"huerde", "chance", "idee", "ziel"}
    assert coded["votes"].between(0, 8).all()
    assert set(coded["coding"]) == {"automatisch", "manuell", "offen"}
    assert (coded.loc[coded["coding"] == "manuell", "auto_themes"] != coded.loc[coded["coding"] == "manuell", "themes"]).any()
    frequencies = summary.theme_frequencies(coded, codebook)
    assert (frequencies["cards"] > 0).all(), "every theme of the codebook should occur in the example"
    assert any(privacy.contains_personal_data(t) for t in coded["text"])
    published = publish.cards_table(coded[["workshop", "group", "text"]], places=load_region().municipalities["name"])
    assert not any(privacy.contains_personal_data(t) for t in published["Kartentext"])


def test_sentences_follow_the_numbers(coded, codebook):
    text = narrative.coding_sentence(coding_summary(coded), min_cell_size=1)
    assert text.startswith("Von 8 Karten wurden 4 automatisch") and "2 Karten passen zu keinem Thema" in text
    text = narrative.themes_sentence(summary.theme_frequencies(coded, codebook), min_cell_size=1)
    assert text.startswith("Am häufigsten genannt wurden „Personal“ (3 Karten)")


def test_sentences_name_no_suppressed_count(coded, codebook):
    text = narrative.coding_sentence(coding_summary(coded), min_cell_size=3)
    assert text.startswith("Von 8 Karten wurden 4 automatisch über das Codebuch und . manuell")
    assert "2" not in text and "Einige Karten passen zu keinem Thema" in text
    text = narrative.themes_sentence(summary.theme_frequencies(coded, codebook), min_cell_size=3)
    assert "Austauschformate" not in text.split(". ")[0]  # 2 cards: not among the named themes
    assert "(2 Karten)" not in text
    pairs = cooccurrence_pairs(coded, codebook)
    assert narrative.cooccurrence_sentence(pairs, codebook.labels, 3) == "Kein Themenpaar steht auf mindestens 3 Karten gemeinsam."
    assert narrative.cooccurrence_sentence(cooccurrence_pairs(coded, codebook).iloc[0:0], codebook.labels) == "Keine Karte trägt mehr als ein Thema."
