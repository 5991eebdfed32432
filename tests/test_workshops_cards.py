"""Reading and checking workshop cards and the theme codebook: good files and every kind of bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from regiopole.data import DataValidationError
from regiopole.workshops import CATEGORIES, cards_file, load_cards, load_codebook

FIXTURES = Path(__file__).parent / "fixtures" / "workshops"
HEADER = "card_id,workshop,group,category,text,votes,manual_theme\n"


@pytest.fixture
def codebook():
    return load_codebook(FIXTURES / "themes.yaml")


def write_cards(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "workshop_cards.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def error_lines(excinfo) -> str:
    return "\n".join(str(p) for p in excinfo.value.problems)


def test_cards_load_with_codes_labels_row_numbers_and_manual_themes(codebook):
    cards = load_cards(FIXTURES / "cards.csv", codebook)
    assert len(cards) == 8
    assert cards["row"].tolist() == list(range(2, 10))
    # German labels in the file ("Chance", "Hürde") become codes, and every card gets its label back
    assert cards.set_index("card_id").loc[["K2", "K4"], "category"].tolist() == ["chance", "huerde"]
    assert set(cards["category_label"]) == set(CATEGORIES.values())
    # an empty votes cell means no dots
    assert cards.set_index("card_id").at["K5", "votes"] == 0
    manual = cards.set_index("card_id")["manual_themes"]
    assert manual["K3"] == ("austausch",)
    assert manual["K6"] == ("schulungen", "personal")  # labels accepted, order kept
    assert manual["K1"] == ()


def test_a_card_without_text_is_an_error_naming_the_row(tmp_path, codebook):
    path = write_cards(tmp_path, "K1,W,G,idee,Schulung,1,\nK2,W,G,idee,,2,\n")
    with pytest.raises(DataValidationError) as excinfo:
        load_cards(path, codebook)
    assert excinfo.value.source == str(path)
    assert "row 3, column 'text': value missing" in error_lines(excinfo)


def test_every_bad_cell_is_reported_at_once(tmp_path, codebook):
    path = write_cards(tmp_path, "K1,W,G,Problem,Schulung,1,\nK2,W,G,idee,Netzwerk,-1,\nK1,W,,idee,Netzwerk,1,\n")
    with pytest.raises(DataValidationError) as excinfo:
        load_cards(path, codebook)
    lines = error_lines(excinfo)
    assert "row 2, column 'category'" in lines and "huerde, chance, idee, ziel" in lines
    assert "row 3, column 'votes'" in lines and ">= 0" in lines
    assert "row 4, column 'card_id': duplicate value 'K1'" in lines
    assert "row 4, column 'group': value missing" in lines


def test_votes_that_are_no_number_are_named(tmp_path, codebook):
    path = write_cards(tmp_path, "K1,W,G,idee,Netzwerk,viele,\n")
    with pytest.raises(DataValidationError, match="row 2, column 'votes': expected a whole number, got 'viele'"):
        load_cards(path, codebook)


def test_unknown_manual_theme_names_row_and_known_themes(tmp_path, codebook):
    path = write_cards(tmp_path, "K1,W,G,idee,Schulung,1,schulung\n")
    with pytest.raises(DataValidationError) as excinfo:
        load_cards(path, codebook)
    lines = error_lines(excinfo)
    assert "row 2, column 'manual_theme'" in lines
    assert "'schulung'" in lines and "personal, schulungen, austausch" in lines


def test_missing_text_column_is_named(tmp_path, codebook):
    path = write_cards(tmp_path, "K1,W,G,idee,1\n", header="card_id,workshop,group,category,votes\n")
    with pytest.raises(DataValidationError, match="text.*column missing"):
        load_cards(path, codebook)


def test_card_id_and_manual_theme_columns_are_optional(tmp_path, codebook):
    path = write_cards(tmp_path, "W,G,idee,Schulung,1\nW,G,ziel,Netzwerk,0\n", header="workshop,group,category,text,votes\n")
    cards = load_cards(path, codebook)
    assert cards["card_id"].tolist() == ["2", "3"]  # the row numbers
    assert cards["manual_themes"].tolist() == [(), ()]


def test_excel_cards_are_read_like_csv(tmp_path, codebook):
    csv_cards = load_cards(FIXTURES / "cards.csv", codebook)
    pd.read_csv(FIXTURES / "cards.csv", dtype=str).to_excel(tmp_path / "workshop_cards.xlsx", index=False)
    assert cards_file(tmp_path) == tmp_path / "workshop_cards.xlsx"
    xlsx_cards = load_cards(cards_file(tmp_path), codebook)
    columns = ["row", "card_id", "category", "text", "votes", "manual_themes"]
    pd.testing.assert_frame_equal(xlsx_cards[columns], csv_cards[columns])


def test_cards_file_prefers_csv_and_explains_a_missing_file(tmp_path):
    with pytest.raises(DataValidationError, match="workshop_cards.csv or workshop_cards.xlsx"):
        cards_file(tmp_path)
    shutil.copy(FIXTURES / "cards.csv", tmp_path / "workshop_cards.csv")
    (tmp_path / "workshop_cards.xlsx").write_bytes(b"")
    assert cards_file(tmp_path).suffix == ".csv"


def test_the_reference_codebook_has_the_seeded_themes():
    codebook = load_codebook()
    assert len(codebook.themes) == 11
    for label in ("Projektmanagement-Strukturen", "Personal", "Digitale Kompetenzen", "Interkommunale Zusammenarbeit",
                  "Wissensplattformen", "Organisationskultur", "Innovationspartnerschaften", "Austauschformate"):
        assert label in codebook.labels.values()
    assert codebook.themes_in("Personalmangel und fehlende Projektmanagementstrukturen") == ["projektmanagement", "personal"]
    assert codebook.themes_in("Online-Personalausweis") == []  # not a staff topic


@pytest.mark.parametrize(("body", "expected"), [
    ("themes:\n  - {id: a, label: A, patterns: ['(unclosed']}\n", "not a valid regular expression"),
    ("themes:\n  - {id: a, label: A, patterns: [x]}\n  - {id: a, label: B, patterns: [y]}\n", "'a' is used by more than one theme"),
    ("themes:\n  - {id: a, label: A, patterns: []}\n", "non-empty list of regular expressions"),
    ("themes:\n  - {id: Bad Id, label: A, patterns: [x]}\n", "snake_case id"),
    ("themes: []\n", "non-empty list 'themes:'"),
    ("themes: [\n", "not valid YAML"),
])
def test_bad_codebooks_are_explained(tmp_path, body, expected):
    path = tmp_path / "themes.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataValidationError, match=expected.replace("(", r"\(").replace("[", r"\[")):
        load_codebook(path)
