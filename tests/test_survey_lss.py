"""Codebook <-> LimeSurvey survey structure (.lss): round trips in both layouts, the command, and real files."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from regiopole.cli import main
from regiopole.data import DataValidationError
from regiopole.paths import reference_dir
from regiopole.survey.codebook import Codebook, load_codebook, parse_codebook
from regiopole.survey.lss import read_lss, write_lss

ROOT = Path(__file__).resolve().parents[1]
# ../shared next to the checkout (REGIOPOLE_SHARED overrides it, e.g. for a git worktree)
REAL = Path(os.environ.get("REGIOPOLE_SHARED", ROOT.parent / "shared")) / "reference" / "limesurvey"
SAMPLE = REAL / "ls6_structure_sample_multilingual.lss"
needs_shared = pytest.mark.skipif(not SAMPLE.is_file(), reason="../shared/reference/limesurvey is absent")


def structure(book: Codebook) -> list[tuple]:
    """What a .lss carries of each question (not: short names, scale names and their negative/positive points, themes)."""
    out = []
    for q in book.questions:
        options = q.scale.answers if q.type == "likert" else q.answers
        out.append((q.code, q.type, q.texts, [(i.code, i.labels) for i in q.items], [(o.code, o.labels) for o in options],
                    q.other, q.comments, q.positions, q.page, q.condition, q.bounds, q.unit, [f.column for f in q.fields()]))
    return out


def round_trip(book: Codebook, tmp_path: Path, layout: str) -> Codebook:
    path = write_lss(book, tmp_path / f"survey_{layout}.lss", layout=layout)
    spec, info = read_lss(path)
    assert info.layout == layout and info.base_language == "de" and info.read_languages == {"de": "de", "en": "en"}
    return parse_codebook(spec, path)


@pytest.mark.parametrize("layout", ["4.x+", "3.x"])
def test_project_questionnaire_round_trips(book, tmp_path, layout):
    again = round_trip(book, tmp_path, layout)
    assert structure(again) == structure(book)
    assert again.survey["title"] == book.survey["title"] and [q.code for q in again.municipality_questions] == ["GEMEINDE"]


EXTRA = """
  - code: KOMMENTIERT
    type: multiple
    comments: true
    other: true
    page: 4
    condition: "STAND.NAOK != 'A1'"
    de: Was nutzen Sie, und wofür?
    en: What do you use, and what for?
    items:
      - {code: SQ001, de: "Cloud-Dienste, extern", en: External cloud services}
      - {code: SQ002, de: Eigenes Rechenzentrum, en: Own data centre}
  - code: LISTEKOMM
    type: single
    comment: true
    page: 4
    de: Welche Form der Beschaffung nutzen Sie meist?
    answers:
      - {code: A1, de: Eigene Ausschreibung}
      - {code: A2, de: Rahmenvertrag}
"""


@pytest.mark.parametrize("layout", ["4.x+", "3.x"])
def test_comments_conditions_and_lists_with_comment_round_trip(tmp_path, layout):
    text = (reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8").replace("\nthemes:", EXTRA + "\nthemes:", 1)
    (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
    book = load_codebook(tmp_path / "codebook.yaml")
    assert [f.column for f in book.question("KOMMENTIERT").fields()] == [
        "KOMMENTIERT[SQ001]", "KOMMENTIERT[SQ001comment]", "KOMMENTIERT[SQ002]", "KOMMENTIERT[SQ002comment]",
        "KOMMENTIERT[other]", "KOMMENTIERT[othercomment]"]
    assert [f.column for f in book.question("LISTEKOMM").fields()] == ["LISTEKOMM", "LISTEKOMM[comment]"]
    assert book.question("KOMMENTIERT").fields()[1].text_headings()[0] == (
        "Was nutzen Sie, und wofür? [Cloud-Dienste, extern][Kommentar]")
    again = round_trip(book, tmp_path, layout)
    assert structure(again) == structure(book)
    types = {q.findtext("title"): q.findtext("type") for q in ET.parse(tmp_path / f"survey_{layout}.lss").getroot()
             .findall("questions/rows/row")}
    assert types["KOMMENTIERT"] == "P" and types["LISTEKOMM"] == "O" and types["DIGIBEAUF"] == "Y" and types["HUERDEN"] == "F"


def test_a_file_that_is_no_lss_is_refused(tmp_path):
    (tmp_path / "x.lss").write_text("<document><LimeSurveyDocType>Label set</LimeSurveyDocType></document>", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not a LimeSurvey survey structure file"):
        read_lss(tmp_path / "x.lss")
    (tmp_path / "y.lss").write_text("id;submitdate\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="Export > Survey structure"):
        read_lss(tmp_path / "y.lss")


def test_command_writes_the_lss_and_reads_it_back(tmp_path, capsys, book):
    assert main(["codebook", "--to-lss", "-o", str(tmp_path / "q.lss")]) == 0
    assert main(["codebook", str(tmp_path / "q.lss"), "-o", str(tmp_path / "codebook.yaml")]) == 0
    err = capsys.readouterr().err
    assert "questionnaire language: de" in err and "municipality question: GEMEINDE" in err
    text = (tmp_path / "codebook.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Codebook read from q.lss") and "Questionnaire language: de" in text
    assert structure(load_codebook(tmp_path / "codebook.yaml")) == structure(book)


@needs_shared
def test_real_limesurvey_6_sample_survey_is_read():
    spec, info = read_lss(SAMPLE, municipality=["S"])
    assert info.layout == "4.x+" and info.db_version == "498"
    assert info.base_language == "en" and info.read_languages == {"de": "de-informal", "en": "en"}
    book = parse_codebook(spec, SAMPLE)
    by_type = {q.limesurvey_type: q for q in book.questions}
    assert by_type["P"].type == "multiple" and by_type["P"].comments
    assert any(f.column.endswith("comment]") for f in by_type["P"].fields())
    assert by_type["O"].type == "single" and by_type["O"].fields()[-1].column == f"{by_type['O'].code}[comment]"
    assert [a.code for a in by_type["Y"].answers] == ["Y", "N"] and by_type["R"].type == "ranking"
    assert by_type["F"].type == "likert" and by_type["F"].items and by_type["N"].type == "numeric"
    assert [q.code for q in book.municipality_questions] == ["S"]
    assert all("de" in q.texts and "<" not in q.text for q in book.questions)
    assert any(q.condition for q in book.questions)  # the sample has conditions (relevance equations)
    assert "D (type D)" in info.skipped and not any("type X" in s for s in info.skipped)


@needs_shared
def test_lss_written_has_the_tables_and_fields_of_a_real_6x_file(tmp_path, book):
    real = {t.tag: [f.text for f in t.findall("fields/fieldname")] for t in ET.parse(SAMPLE).getroot()}
    ours = {t.tag: [f.text for f in t.findall("fields/fieldname")] for t in ET.parse(write_lss(book, tmp_path / "q.lss")).getroot()}
    for table in ("questions", "subquestions", "answers", "answer_l10ns", "groups", "question_attributes"):
        assert ours[table] == real[table], table
    for table in ("question_l10ns", "group_l10ns", "surveys", "surveys_languagesettings"):
        assert set(ours[table]) <= set(real[table]), table


def test_yaml_written_by_the_command_keeps_labels_with_commas(tmp_path, book):
    write_lss(book, tmp_path / "q.lss")
    assert main(["codebook", str(tmp_path / "q.lss"), "-o", str(tmp_path / "c.yaml")]) == 0
    spec = yaml.safe_load((tmp_path / "c.yaml").read_text(encoding="utf-8"))
    koop = next(q for q in spec["questions"] if q["code"] == "KOOP")
    assert koop["items"][0]["de"] == "Inanspruchnahme einer Leistung, die eine andere Kommune zentral bereitstellt"
