"""LimeSurvey exports in every form: CSV dialects, heading and answer styles, XLSX, selection rules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiopole.data import DataValidationError
from regiopole.example.survey import limesurvey_csv
from regiopole.survey import import_survey
from regiopole.survey.exportfile import detect_separator, read_export, tokenize
from regiopole.survey.headings import is_sensitive
from regiopole.survey.limesurvey import read_responses
from regiopole.survey.municipality import normalise
from regiopole.survey.selection import RULE_LABELS, select_responses

FIXTURES = Path(__file__).parent / "fixtures" / "survey"
CSV_FORMS = ["codes_comma.csv", "codes_semicolon.csv", "text_de_tab.csv", "text_en_semicolon.csv", "codetext_comma.csv"]
HOEXTER, WUENNENBERG, PADERBORN, ALTENBEKEN = "05762020", "05774040", "05774032", "05774004"


@pytest.fixture(scope="module")
def reference(book, region):
    return read_responses(FIXTURES / "codes_comma.csv", book, region)[0]


def answer_columns(frame: pd.DataFrame, book) -> pd.DataFrame:
    return frame[["response_id", "submitted", "ags"] + [f.column for f in book.fields() if f.column != "GEMEINDE"]]


def test_fixtures_are_written_the_way_limesurvey_writes():
    raw = (FIXTURES / "codes_comma.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.splitlines()[0].startswith(b'\xef\xbb\xbf"id","token"')


@pytest.mark.parametrize("name", CSV_FORMS + ["codes.xlsx"])
def test_every_form_gives_the_same_answers(name, book, region, reference):
    frame, facts = read_responses(FIXTURES / name, book, region)
    expected = answer_columns(reference, book)
    got = answer_columns(frame, book)
    pd.testing.assert_frame_equal(got.astype(str), expected.astype(str))
    assert list(frame["ags"]) == [HOEXTER, WUENNENBERG, PADERBORN, HOEXTER, ALTENBEKEN]


@pytest.mark.parametrize("name, separator", [("codes_comma.csv", ","), ("codes_semicolon.csv", ";"), ("text_de_tab.csv", "\t")])
def test_separator_is_detected(name, separator):
    assert detect_separator((FIXTURES / name).read_text(encoding="utf-8-sig")) == separator


def test_heading_styles_are_recognised(book, region):
    styles = {name: read_responses(FIXTURES / name, book, region)[1]["Überschriften"] for name in CSV_FORMS}
    assert styles["codes_comma.csv"] == "Fragecodes"
    assert styles["text_de_tab.csv"] == "Fragetext"
    assert styles["codetext_comma.csv"] == "Fragecode und Fragetext"


def test_not_shown_is_kept_apart_from_not_answered(reference):
    incomplete = reference.set_index("response_id").loc[3]
    assert incomplete["HUERDEN[SQ001]"] is None and pd.isna(incomplete["KOOP[SQ001]"]) and pd.isna(incomplete["VZAE"])
    assert incomplete["STAND"] == "A4"
    second = reference.set_index("response_id").loc[2]
    assert second["HUERDEN[SQ006]"] == "" and second["ANMERKUNG"] == ""
    assert second["KOOP[SQ001]"] is False or second["KOOP[SQ001]"] == False  # noqa: E712 - shown, not chosen


def test_tokenizer_tells_empty_from_quoted_empty(tmp_path):
    path = tmp_path / "x.csv"
    assert tokenize('"a",,""\r\n"b ""c""",\r\n\r\n', ",", path) == [["a", None, ""], ['b "c"', None]]


def test_ip_addresses_tokens_and_timings_are_never_read(book, region):
    frame, facts = read_responses(FIXTURES / "codetext_comma.csv", book, region)
    assert not {"token", "ipaddr", "refurl", "interviewtime"} & set(frame.columns)
    values = {str(v) for v in frame.to_numpy().ravel()}
    assert not any(v.startswith(("192.0.2.", "198.51.100.", "tok")) for v in values)
    assert facts["Nicht eingelesene Spalten (personenbezogen)"] == "token, ipaddr, refurl"
    assert facts["Nicht eingelesene Spalten (Bearbeitungszeiten)"] == "interviewtime"
    raw = read_export(FIXTURES / "text_en_semicolon.csv", is_sensitive)
    assert raw.dropped == ["Access code", "IP address", "Referrer URL"]


def test_incomplete_responses_are_excluded_unless_asked(book, region):
    default = import_survey(FIXTURES / "codes_comma.csv", book, region)
    assert PADERBORN not in set(default.responses["ags"])
    assert default.selection.incomplete == 3 - 2 and default.selection.incomplete_excluded == 1
    included = import_survey(FIXTURES / "codes_comma.csv", book, region, include_incomplete=True)
    assert PADERBORN in set(included.responses["ags"]) and included.selection.incomplete_excluded == 0


@pytest.mark.parametrize("rule, kept_id", [("last_complete", 4), ("first_complete", 1), ("most_answers", 1)])
def test_duplicate_rule_picks_one_response_per_municipality(rule, kept_id, book, region):
    data = import_survey(FIXTURES / "codes_comma.csv", book, region, duplicate_rule=rule)
    assert data.responses["ags"].is_unique
    assert data.responses.set_index("ags").at[HOEXTER, "response_id"] == kept_id
    assert data.selection.duplicates_set_aside == 1 and data.selection.kept == 3
    assert f"zurückgestellt (Regel: {RULE_LABELS[rule]})" in " ".join(data.import_table()[""])


def test_unknown_duplicate_rule_is_refused(reference):
    with pytest.raises(ValueError, match="last_complete"):
        select_responses(reference, duplicate_rule="newest")


@pytest.mark.parametrize("typed, ags", [("Höxter", HOEXTER), ("Hoexter", HOEXTER), ("Stadt Höxter", HOEXTER),
                                        ("  STADT  höxter ", HOEXTER), ("Bad-Wünnenberg", WUENNENBERG),
                                        ("Gemeinde Altenbeken", ALTENBEKEN), (PADERBORN, PADERBORN)])
def test_municipality_spellings(typed, ags, region):
    from regiopole.survey.municipality import name_index

    assert name_index(region)[normalise(typed)] == ags


def edited_fixture(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "codes_comma.csv").read_bytes().decode("utf-8").replace(old, new, 1)
    path = tmp_path / "edited.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_unknown_municipality_fails_loudly_with_row_and_suggestion(tmp_path, book, region):
    path = edited_fixture(tmp_path, '"Bad Wuennenberg"', '"Bad Wünenberg"')
    with pytest.raises(DataValidationError) as err:
        read_responses(path, book, region)
    message = str(err.value)
    assert "row 3" in message and "'GEMEINDE'" in message and "Bad Wünnenberg" in message


def test_unknown_answer_names_row_column_and_codes(tmp_path, book, region):
    path = edited_fixture(tmp_path, '"A4","A4","A4"', '"A7","A4","A4"')
    with pytest.raises(DataValidationError) as err:
        read_responses(path, book, region)
    assert "row 2" in str(err.value) and "HUERDEN[SQ001]" in str(err.value) and "A1, A2, A3, A4, A5" in str(err.value)


def test_unknown_and_missing_headings_are_reported(tmp_path, book, region):
    path = edited_fixture(tmp_path, '"STAND"', '"STAND_ALT"')
    with pytest.raises(DataValidationError) as err:
        read_responses(path, book, region)
    assert "'STAND_ALT'" in str(err.value) and "column 'STAND': column missing" in str(err.value)


def test_a_cut_off_file_is_an_error(tmp_path, book, region):
    path = tmp_path / "cut.csv"
    path.write_bytes((FIXTURES / "codes_comma.csv").read_bytes()[:-300] + b'"unclosed')
    with pytest.raises(DataValidationError, match="not closed"):
        read_responses(path, book, region)


def test_xlsx_sheet_is_chosen_and_named_or_refused(tmp_path, book, region):
    import openpyxl

    wb = openpyxl.load_workbook(FIXTURES / "codes.xlsx")
    wb.active.title = "Ergebnisse"
    wb.create_sheet("Notizen").append(["Notiz", "zur Auswertung"])
    wb.save(tmp_path / "notes.xlsx")
    frame, facts = read_responses(tmp_path / "notes.xlsx", book, region)
    assert len(frame) == 5 and "Tabellenblatt 'Ergebnisse' (das einzige mit Antwort-ID)" in facts["Format"]
    copy = wb.copy_worksheet(wb["Ergebnisse"])
    copy.title = "Ergebnisse alt"
    wb.save(tmp_path / "two.xlsx")
    with pytest.raises(DataValidationError, match="several sheets .* set the sheet parameter"):
        read_responses(tmp_path / "two.xlsx", book, region)
    frame, facts = read_responses(tmp_path / "two.xlsx", book, region, sheet="Ergebnisse alt")
    assert len(frame) == 5 and "Tabellenblatt 'Ergebnisse alt' (wie angegeben)" in facts["Format"]


def test_limesurvey_writer_roundtrip(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(limesurvey_csv(["id", "x", "y"], [["1", None, ""], ["2", 'a "b"\nc', "z"]], sep=";"))
    raw = read_export(path, drop=lambda h: False)
    assert raw.null_marked and raw.rows == [["1", None, ""], ["2", 'a "b"\nc', "z"]]
    path.write_bytes(path.read_bytes()[3:])  # without the BOM it is not LimeSurvey's writer: no empty means "not shown"
    assert read_export(path, drop=lambda h: False).rows == [["1", "", ""], ["2", 'a "b"\nc', "z"]]
