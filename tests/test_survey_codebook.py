"""The questionnaire codebook: the shipped one is valid, broken ones are refused with a clear message."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from regiopole.data import DataValidationError
from regiopole.paths import reference_dir
from regiopole.survey.codebook import load_codebook, parse_codebook

SPEC = yaml.safe_load((reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8"))


def test_shipped_codebook_covers_the_project_themes():
    book = load_codebook()
    hurdles = [i.label for i in book.question("HUERDEN").items]
    assert {"Fehlende Projektmanagement-Strukturen", "Zu wenig Personal", "Lücken bei den digitalen Kompetenzen"} <= set(hurdles)
    assert book.question("HUERDEN").scale.codes == ["A1", "A2", "A3", "A4", "A5"]
    assert book.municipality_question.code == "GEMEINDE"
    columns = [f.column for f in book.fields()]
    assert "KOOP[other]" in columns and "PRIO[3]" in columns and "HUERDEN[SQ007]" in columns
    assert len(columns) == len(set(columns))


def test_full_text_headings_follow_limesurvey():
    book = load_codebook()
    field = next(f for f in book.fields() if f.column == "HUERDEN[SQ001]")
    assert field.text_headings()[0] == f"{book.question('HUERDEN').text} [Fehlende Projektmanagement-Strukturen]"
    other = next(f for f in book.fields() if f.column == "KOOP[other]")
    assert other.text_headings() == [f"{book.question('KOOP').text} [Sonstiges]", f"{book.question('KOOP').texts['en']} [Other]"]
    assert next(f for f in book.fields() if f.column == "PRIO[2]").text_headings()[0].endswith("[Rang 2]")


def broken(edit) -> str:
    spec = copy.deepcopy(SPEC)
    edit(spec)
    with pytest.raises(DataValidationError) as err:
        parse_codebook(spec, reference_dir() / "survey_codebook.yaml")
    return str(err.value)


def question(spec, code):
    return next(q for q in spec["questions"] if q["code"] == code)


def test_duplicate_question_code():
    assert "duplicate question code 'STAND'" in broken(lambda s: s["questions"].append(copy.deepcopy(question(s, "STAND"))))


def test_duplicate_answer_code():
    def edit(s):
        question(s, "STRATEGIE")["answers"][2]["code"] = "A1"
    assert "duplicate code 'A1'" in broken(edit)


def test_label_missing_for_a_code():
    def edit(s):
        del question(s, "HUERDEN")["items"][3]["de"]
    message = broken(edit)
    assert "questions[6] (HUERDEN).items[3]" in message and "code 'SQ004' has no German label" in message


def test_ambiguous_labels_are_refused():
    def edit(s):
        question(s, "KOOP")["items"][1]["de"] = question(s, "KOOP")["items"][0]["de"]
    assert "is given to several codes" in broken(edit)


def test_unknown_scale_and_type():
    def edit(s):
        question(s, "HUERDEN")["scale"] = "agreement"
        question(s, "STAND")["type"] = "dropdown"
    message = broken(edit)
    assert "unknown scale 'agreement'" in message and "got 'dropdown'" in message


def test_scale_points_must_exist():
    def edit(s):
        s["scales"]["zustimmung"]["neutral"] = "A9"
    assert "code 'A9' is not an answer of the scale" in broken(edit)


def test_a_codebook_without_municipality_question_loads_but_cannot_import(tmp_path, region):
    import yaml

    from regiopole.survey import import_survey

    spec = copy.deepcopy(SPEC)
    spec["questions"].remove(question(spec, "GEMEINDE"))
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    book = load_codebook(path)
    assert book.municipality_questions == []
    with pytest.raises(DataValidationError, match="no question of type municipality; mark the question"):
        import_survey(Path(__file__).parent / "fixtures" / "survey" / "codes_comma.csv", book, region)


def test_unknown_keys_are_refused_and_a_cut_label_is_explained():
    def edit(s):
        question(s, "KOOP")["items"][0] = {"code": "SQ001", "de": "Inanspruchnahme einer Leistung",
                                           "die eine andere Kommune zentral bereitstellt": None}
        question(s, "STAND")["shrot"] = "typo"
    message = broken(edit)
    assert "unknown key 'die eine andere Kommune zentral bereitstellt'" in message and "must be quoted" in message
    assert "unknown key 'shrot'" in message


def test_shipped_codebook_has_the_full_koop_label_and_names_no_city(book):
    assert book.question("KOOP").item("SQ001").label == "Inanspruchnahme einer Leistung, die eine andere Kommune zentral bereitstellt"
    text = (Path(__file__).resolve().parents[1] / "data" / "reference" / "survey_codebook.yaml").read_text(encoding="utf-8")
    assert "Paderborn" not in text and "Rolle des Oberzentrums" in [t.name for t in book.themes]


def test_missing_codebook_file(tmp_path):
    with pytest.raises(DataValidationError, match="not found; check the codebook parameter"):
        load_codebook(tmp_path / "none.yaml")
