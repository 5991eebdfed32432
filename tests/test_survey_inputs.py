"""One catalogue of survey inputs as real people and programs write them: input -> expected result or error.

Every case writes its own file from the LimeSurvey-style fixture ``codes_comma.csv`` (5
responses: Höxter twice, an incomplete one from Paderborn). ``SAME`` means: the responses
that count and the counts behind the published multiple-choice table are exactly those of
the original file (what a researcher's Excel re-save must not change). A string is the
error expected. To add a case: write a ``make`` function and one ``Case`` line.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from regiopole.data import DataValidationError, read_table, read_yaml
from regiopole.example.survey import limesurvey_csv
from regiopole.paths import reference_dir
from regiopole.survey import import_survey
from regiopole.survey.analysis import multiple_frequencies
from regiopole.survey.codebook import load_codebook, parse_codebook
from regiopole.survey.exportfile import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "survey"
ORIGINAL = FIXTURES / "codes_comma.csv"
TEXT_DE = FIXTURES / "text_de_tab.csv"
HOEXTER = "05762020"
SAME = "same tables as the original"
DATE_COLUMNS = ("submitdate", "startdate", "datestamp")


def records(path: Path = ORIGINAL) -> tuple[list[str], list[list[str | None]]]:
    raw = read_export(path, drop=lambda h: False)
    return raw.headings, raw.rows


def number_like(value: str) -> bool:
    return bool(re.fullmatch(r"-?\d+([.,]\d+)?", value))


def german_date(value: str) -> str:
    return dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").strftime("%d.%m.%Y %H:%M")


def resaved_csv(path: Path, headings: list[str], rows: list[list[str | None]], sep: str = ";", encoding: str = "utf-8-sig",
                quote_text: bool = False, quote_filled: bool = False, dates: Callable[[str], str] | None = None, decimal_comma: bool = False) -> Path:
    """A CSV as a spreadsheet program writes it: quotes only where needed (or around text only)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    date_at = {i for i, h in enumerate(headings) if h in DATE_COLUMNS}
    for n, row in enumerate([headings, *rows]):
        cells = []
        for i, v in enumerate(row):
            v = "" if v is None else v
            if n and i in date_at and v and dates:
                v = dates(v)
            if n and decimal_comma and re.fullmatch(r"-?\d+\.\d+", v):
                v = v.replace(".", ",")
            cells.append(v)
        if quote_text or quote_filled:  # LibreOffice "quote all text cells": numbers (unless text) and empty cells bare
            out.write(sep.join(c if c == "" or (number_like(c) and not quote_filled) else '"' + c.replace('"', '""') + '"'
                               for c in cells) + "\r\n")
        else:
            writer.writerow(cells)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, headings: list[str], rows: list[list[str | None]], title_row: str | None = None,
               sheet: str = "Digitalisierung in den Kommunen") -> Path:
    """An XLSX as Excel keeps it after a re-save: numbers as numbers, dates as dates, empty cells empty."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title_row:
        ws.append([title_row])
    ws.append(headings)
    for row in rows:
        cells: list[object] = []
        for h, v in zip(headings, row, strict=True):
            if v in (None, ""):
                cells.append(None)
            elif h in DATE_COLUMNS:
                cells.append(dt.datetime.strptime(v, "%Y-%m-%d %H:%M:%S"))
            elif number_like(v):
                cells.append(float(v) if "." in v else int(v))
            else:
                cells.append(v)
        ws.append(cells)
    wb.save(path)
    return path


def edited_rows(edit: Callable[[dict[str, str | None]], None]) -> tuple[list[str], list[list[str | None]]]:
    headings, rows = records()
    out = []
    for row in rows:
        record = dict(zip(headings, row, strict=True))
        edit(record)
        out.append([record[h] for h in headings])
    return headings, out


def full_answers(book) -> tuple[list[str], list[list[str | None]]]:
    """The fixture as a LimeSurvey "full answers" export in English (SurveyObj::getFullAnswer)."""
    headings, rows = records()
    fields = {f.column: f for f in book.fields()}
    out = []
    for row in rows:
        new = []
        for h, v in zip(headings, row, strict=True):
            f = fields.get(h)
            q = None if f is None else f.question
            if q is None or f.is_other or q.type in ("text", "municipality", "numeric"):
                new.append(v)
            elif q.type == "multiple":
                new.append({"Y": "Yes", "": "No", None: "N/A"}[v])
            elif set(a.code for a in q.answers) == {"Y", "N"}:
                new.append({"Y": "Yes", "N": "No"}.get(v, "N/A"))
            else:
                options = q.scale.answers if q.type == "likert" else q.answers
                new.append(next((o.labels["en"] for o in options if o.code == v), v))
        out.append(new)
    return headings, out


def make_codebook(tmp_path: Path, edit: Callable[[dict], None]) -> Path:
    spec = yaml.safe_load((reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8"))
    edit(spec)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def question(spec: dict, code: str) -> dict:
    return next(q for q in spec["questions"] if q["code"] == code)


# --- the inputs ---------------------------------------------------------------------------------------------------

def excel_de(tmp: Path, book) -> Path:
    return resaved_csv(tmp / "excel.csv", *records(), dates=german_date, decimal_comma=True)


def libreoffice(tmp: Path, book) -> Path:
    return resaved_csv(tmp / "libre.csv", *records(), sep=",", encoding="utf-8", quote_text=True)


def every_filled_cell_quoted(tmp: Path, book) -> Path:
    return resaved_csv(tmp / "quoted.csv", *records(), sep=",", quote_filled=True)


def full_answers_pandas(tmp: Path, book) -> Path:
    full_answers_limesurvey_csv(tmp, book)
    pd.read_csv(tmp / "full.csv", dtype=str, encoding="utf-8-sig").to_csv(tmp / "full_pandas.csv", index=False)
    assert "N/A" not in (tmp / "full_pandas.csv").read_text(encoding="utf-8")  # pandas reads N/A as missing
    return tmp / "full_pandas.csv"


def pandas_resave(tmp: Path, book) -> Path:
    pd.read_csv(ORIGINAL, dtype=str, encoding="utf-8-sig").to_csv(tmp / "pandas.csv", index=False)
    return tmp / "pandas.csv"


def xlsx_resave(tmp: Path, book) -> Path:
    return write_xlsx(tmp / "excel.xlsx", *records())


def xlsx_title_row(tmp: Path, book) -> Path:
    return write_xlsx(tmp / "title.xlsx", *records(), title_row="Ergebnisse der Umfrage, Stand November")


def utf16_text(tmp: Path, book) -> Path:
    return resaved_csv(tmp / "unicode.txt", *records(), sep="\t", encoding="utf-16")


def utf16_without_bom(tmp: Path, book) -> Path:
    return resaved_csv(tmp / "unicode.csv", *records(), sep="\t", encoding="utf-16-le")


def windows_1252(tmp: Path, book) -> Path:
    return resaved_csv(tmp / "ansi.csv", *records(), encoding="cp1252")


def full_answers_xlsx(tmp: Path, book) -> Path:
    return write_xlsx(tmp / "full.xlsx", *full_answers(book))


def full_answers_limesurvey_csv(tmp: Path, book) -> Path:
    (tmp / "full.csv").write_bytes(limesurvey_csv(*full_answers(book)))
    return tmp / "full.csv"


def convert_y_to_1(tmp: Path, book) -> Path:
    def edit(r):
        for h, v in r.items():
            if (h.startswith("KOOP[SQ") or h == "DIGIBEAUF") and v is not None:
                r[h] = {"Y": "1", "N": "2", "": "2" if h.startswith("KOOP") else ""}[v]
    return resaved_csv(tmp / "y1.csv", *edited_rows(edit))


def timings_code(tmp: Path, book) -> Path:
    headings, rows = records()
    extra = ["interviewtime", "groupTime5", "KOOPTime"]
    (tmp / "t.csv").write_bytes(limesurvey_csv(headings + extra, [r + ["12.5", "3", "4.25"] for r in rows]))
    return tmp / "t.csv"


def german_headings(tmp: Path, book, replace: tuple[tuple[str, str], ...] = ()) -> Path:
    headings, rows = records(TEXT_DE)
    for old, new in replace:
        headings = [re.sub(old, new, h) for h in headings]
    extra = ["Gesamtzeit", "Gruppenzeit: Seite 1", "Fragenzeit: KOOP"]
    (tmp / "de.csv").write_bytes(limesurvey_csv(headings + extra, [r + ["10", "2", "1"] for r in rows], sep="\t"))
    return tmp / "de.csv"


def german_metadata_6x(tmp: Path, book) -> Path:
    return german_headings(tmp, book, (("^Zufallsstartwert$", "Zufallsgeneratorstartwert"), ("^Referrer-URL$", "Weiterleitungs-URL")))


def blank_after_bracket(tmp: Path, book) -> Path:
    return german_headings(tmp, book, ((r"\[(?=\w)", "[ "),))


def spaces_as_underscores(tmp: Path, book) -> Path:
    return german_headings(tmp, book, ((" ", "_"),))


def identical_texts(tmp: Path, book) -> Path:
    text = book.question("STAND").text
    return german_headings(tmp, book, ((r"^Wie bewerten Sie die personelle Ausstattung .*\?$", text),))


def expression_manager(tmp: Path, book) -> Path:
    headings, rows = records()
    headings = [re.sub(r"\[(\w+)\]$", r"_\1", h) for h in headings]
    (tmp / "em.csv").write_bytes(limesurvey_csv(headings, rows))
    return tmp / "em.csv"


def abbreviated(tmp: Path, book) -> Path:
    headings, rows = records(TEXT_DE)
    headings = [re.sub(r"^(.{15}).{3,}?( \[|$)", r"\1..\2", h) if len(h) > 20 else h for h in headings]
    (tmp / "abbr.csv").write_bytes(limesurvey_csv(headings, rows, sep="\t"))
    return tmp / "abbr.csv"


def two_row_header(tmp: Path, book) -> Path:
    headings, rows = records()
    groups = [h.split("[")[0] if "[" in h else "" for h in headings]
    subs = [h[h.index("["):] if "[" in h else h for h in headings]
    first = [g if g and (n == 0 or groups[n - 1] != g) else ("" if g else h) for n, (g, h) in enumerate(zip(groups, headings))]
    path = write_xlsx(tmp / "merged.xlsx", headings, rows)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.insert_rows(1)
    for n, (top, sub) in enumerate(zip(first, subs, strict=True), start=1):
        ws.cell(1, n).value, ws.cell(2, n).value = top or None, sub
    wb.save(path)
    return path


def second_municipality_question(spec: dict) -> None:
    spec["questions"].insert(1, {"code": "GEMEINDE2", "type": "municipality", "page": 1,
                                 "de": "Falls nicht in der Liste: welche Kommune?"})


def second_municipality_column(tmp: Path, book) -> Path:
    headings, rows = records()
    at = headings.index("GEMEINDE") + 1
    rows = [r[:at] + [None if r[0] == "3" else ""] + r[at:] for r in rows]
    for r in rows:
        if r[0] == "4":
            r[at - 1], r[at] = "", "Höxter, Stadt"
    (tmp / "m2.csv").write_bytes(limesurvey_csv(headings[:at] + ["GEMEINDE2"] + headings[at:], rows))
    return tmp / "m2.csv"


def dates_changed(to: Callable[[str], str]) -> Callable:
    def make(tmp: Path, book) -> Path:
        def edit(r):
            for h in DATE_COLUMNS:
                if r[h]:
                    r[h] = to(r[h])
        return resaved_csv(tmp / "dates.csv", *edited_rows(edit))
    return make


def us_date(value: str) -> str:
    d = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    return f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}"


def empty_resubmission(tmp: Path, book) -> Path:
    headings, rows = records()
    empty = {h: "" for h in headings} | {"id": "6", "submitdate": "2021-10-25 09:00:00", "lastpage": "4",
                                         "startlanguage": "de", "startdate": "2021-10-25 08:59:00",
                                         "datestamp": "2021-10-25 09:00:00", "GEMEINDE": "Höxter"}
    (tmp / "empty.csv").write_bytes(limesurvey_csv(headings, rows + [[empty[h] for h in headings]]))
    return tmp / "empty.csv"


def no_responses(tmp: Path, book) -> Path:
    headings, _ = records()
    (tmp / "none.csv").write_bytes(limesurvey_csv(headings, [[""] * len(headings)]))
    return tmp / "none.csv"


def municipality_spelling(spelling: str) -> Callable:
    def make(tmp: Path, book) -> Path:
        def edit(r):
            if r["id"] == "4":
                r["GEMEINDE"] = spelling
        (tmp / "m.csv").write_bytes(limesurvey_csv(*edited_rows(edit)))
        return tmp / "m.csv"
    return make


def text_edit(old: str, new: str) -> Callable:
    def make(tmp: Path, book) -> Path:
        (tmp / "e.csv").write_bytes(ORIGINAL.read_bytes().decode("utf-8").replace(old, new, 1).encode("utf-8"))
        return tmp / "e.csv"
    return make


def cut_off(tmp: Path, book) -> Path:
    (tmp / "cut.csv").write_bytes(ORIGINAL.read_bytes()[:-300] + b'"unclosed')
    return tmp / "cut.csv"


# --- the expectations ---------------------------------------------------------------------------------------------

def kept_id(ags: str, response_id: int, *facts: str) -> Callable:
    def check(data, original) -> None:
        assert data.responses.set_index("ags").at[ags, "response_id"] == response_id
        text = " | ".join(f"{k}: {v}" for k, v in data.file_facts.items()) + " | " + " ".join(data.import_table()[""])
        for fact in facts:
            assert fact in text
    return check


def facts(*texts: str) -> Callable:
    def check(data, original) -> None:
        same(data, original)
        text = " | ".join(f"{k}: {v}" for k, v in data.file_facts.items())
        for t in texts:
            assert t in text, text
    return check


def same(data, original) -> None:
    columns = ["response_id", "ags"] + [f.column for f in data.codebook.fields() if f.question.type != "municipality"]
    pd.testing.assert_frame_equal(data.responses[columns].astype(str), original.responses[columns].astype(str))
    koop = data.codebook.question("KOOP")
    pd.testing.assert_frame_equal(multiple_frequencies(data.responses, koop, 1).counts,
                                  multiple_frequencies(original.responses, koop, 1).counts)


def identical_question_texts(spec: dict) -> None:
    question(spec, "PERSLAGE")["de"] = question(spec, "STAND")["de"]


def koop_condition(spec: dict) -> None:
    question(spec, "KOOP")["condition"] = "STAND.NAOK != 'A1'"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path, object], Path]
    expect: str | Callable
    codebook: Callable[[dict], None] | None = None
    include_incomplete: bool = False
    reference_with_codebook: bool = True  # compare with the original read through the case's codebook


CASES = [
    Case("LimeSurvey CSV (the original)", lambda tmp, book: ORIGINAL, SAME),
    Case("re-saved by German Excel: BOM, ';', no quotes, dd.mm.yyyy, decimal comma", excel_de,
         facts("Fragebogenlogik", "TT.MM.JJJJ (14)")),
    Case("re-saved by German Excel, incomplete responses included", excel_de, SAME, include_incomplete=True),
    Case("re-saved by LibreOffice: text cells quoted, numbers bare", libreoffice, SAME),
    Case("re-saved by pandas", pandas_resave, SAME),
    Case("every filled cell quoted, empty cells bare, no BOM (not LimeSurvey's writer)", every_filled_cell_quoted, SAME),
    Case("every filled cell quoted ..., incomplete included", every_filled_cell_quoted, SAME, include_incomplete=True),
    Case("full answers re-saved by pandas (N/A lost)", full_answers_pandas, SAME, include_incomplete=True),
    Case("re-saved by Excel as xlsx", xlsx_resave, SAME),
    Case("xlsx re-save, incomplete responses included", xlsx_resave, SAME, include_incomplete=True),
    Case("xlsx with a title row above the headings", xlsx_title_row, facts("Überschriften in Zeile 2 (darüber 1 Titelzeile")),
    Case("Excel 'Unicode-Text' (UTF-16 with BOM, tab)", utf16_text, facts("UTF-16", "Tabulator")),
    Case("UTF-16 without BOM", utf16_without_bom, "looks like UTF-16 without a byte order mark"),
    Case("Windows-1252 CSV", windows_1252, facts("Windows-1252")),
    Case("LimeSurvey full answers (N/A = not shown), xlsx", full_answers_xlsx, facts("Antworttexte (N/A = nicht gezeigt)")),
    Case("LimeSurvey full answers, CSV, incomplete included", full_answers_limesurvey_csv, SAME, include_incomplete=True),
    Case("'Convert Y to 1' and 'N to 2', re-saved", convert_y_to_1, facts("Y als 1")),
    Case("timing columns (code headings)", timings_code, facts("interviewtime, groupTime5, KOOPTime")),
    Case("German full-text headings with German timing columns", german_headings,
         facts("Fragetext", "Gesamtzeit, Gruppenzeit: Seite 1, Fragenzeit: KOOP")),
    Case("German metadata of 6.14 (Zufallsgeneratorstartwert, Weiterleitungs-URL)", german_metadata_6x,
         facts("personenbezogen): Zugangsschlüssel, IP-Adresse, Weiterleitungs-URL")),
    Case("full-text headings with a blank after '['", blank_after_bracket, SAME),
    Case("full-text headings with spaces as underscores", spaces_as_underscores, SAME),
    Case("Expression Manager codes (HUERDEN_SQ001)", expression_manager, SAME),
    Case("two questions with identical text", identical_texts, SAME, codebook=identical_question_texts),
    Case("abbreviated headings", abbreviated, "abbreviated heading"),
    Case("abbreviated headings: the advice", abbreviated, "Export questions as: Question code"),
    Case("German dates, re-saved", dates_changed(german_date), facts("TT.MM.JJJJ (14)")),
    Case("US dates (month first, told by a day above 12)", dates_changed(us_date), kept_id(HOEXTER, 4)),
    Case("slashed dates nobody can tell", dates_changed(lambda v: "5/10/2021 10:20"),
         "can be read day first or month first"),
    Case("survey without date stamps (1980-01-01)", dates_changed(lambda v: "1980-01-01 00:00:00"),
         kept_id(HOEXTER, 4, "ohne Zeitstempel (1980-01-01)", "Reihenfolge der Antworten nach Antwort-ID")),
    Case("a date that is no date", dates_changed(lambda v: "gestern"), "expected a date such as"),
    Case("an all-empty resubmission", empty_resubmission,
         kept_id(HOEXTER, 4, "davon leere Antworten (keine Frage beantwortet), die nach der Regel eine Antwort mit Angaben "
                             "ersetzt hätten")),
    Case("an export without responses", no_responses, "the export holds no responses"),
    Case("municipality as Destatis writes it ('Höxter, Stadt')", municipality_spelling("Höxter, Stadt"), kept_id(HOEXTER, 4)),
    Case("municipality with a qualifier ('Höxter (Westf.)')", municipality_spelling("Höxter (Westf.)"), kept_id(HOEXTER, 4)),
    Case("AGS without its leading zero", municipality_spelling("5762020"), kept_id(HOEXTER, 4)),
    Case("multiple choice with a condition, re-saved", excel_de, "shown only under a condition", codebook=koop_condition),
    Case("multiple choice with a condition, LimeSurvey's own CSV", lambda tmp, book: ORIGINAL, SAME, codebook=koop_condition),
    Case("two municipality questions (list, then 'other' text)", second_municipality_column, kept_id(HOEXTER, 4),
         codebook=second_municipality_question, reference_with_codebook=False),
    Case("xlsx headings in two rows (merged cells)", two_row_header, "the headings may span two rows"),
    Case("unknown municipality", text_edit('"Bad Wuennenberg"', '"Bad Wünenberg"'), "did you mean 'Bad Wünnenberg'"),
    Case("unknown answer code", text_edit('"A4","A4","A4"', '"A7","A4","A4"'), "expected one of the codes A1, A2, A3, A4, A5"),
    Case("unknown heading", text_edit('"STAND"', '"STAND_ALT"'), "column 'STAND': column missing in the export"),
    Case("cut-off file", cut_off, "not closed"),
]


@pytest.fixture(scope="module")
def original(book, region):
    return import_survey(ORIGINAL, book, region)


@pytest.fixture(scope="module")
def original_all(book, region):
    return import_survey(ORIGINAL, book, region, include_incomplete=True)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_catalogue(case: Case, tmp_path, book, region, original, original_all):
    codebook = load_codebook(make_codebook(tmp_path, case.codebook)) if case.codebook else book
    path = case.make(tmp_path, codebook)
    reference = original_all if case.include_incomplete else original
    if case.codebook and case.reference_with_codebook:
        reference = import_survey(ORIGINAL, codebook, region, include_incomplete=case.include_incomplete)
    if isinstance(case.expect, str) and case.expect != SAME:
        with pytest.raises(DataValidationError) as err:
            import_survey(path, codebook, region, include_incomplete=case.include_incomplete)
        assert case.expect in str(err.value) and str(path) in str(err.value)
        return
    data = import_survey(path, codebook, region, include_incomplete=case.include_incomplete)
    (same if case.expect == SAME else case.expect)(data, reference)


# --- YAML and tables (the data layer) ---------------------------------------------------------------------------

GOAL_TREE_TWO_PARENTS = "- id: Z0\n  title: Ziel\n  type: goal\n  parent: null\n- id: Z1\n  title: Teilziel\n  type: subgoal\n" \
                        "  parent: Z0\n  parent: Z9\n"


@pytest.mark.parametrize("name, text, encoding, expect", [
    ("duplicate key", "a: 1\nb: 2\na: 3\n", "utf-8", "row 3: not valid YAML: key 'a' is given twice (lines 1 and 3)"),
    ("Windows-1252", "titel: Hürden für Kommunen\n", "cp1252", {"titel": "Hürden für Kommunen"}),
    ("UTF-16 with BOM", "titel: Hürden\n", "utf-16", {"titel": "Hürden"}),
    ("UTF-8 with BOM", "titel: Hürden\n", "utf-8-sig", {"titel": "Hürden"}),
])
def test_yaml_inputs(tmp_path, name, text, encoding, expect):
    path = tmp_path / "x.yaml"
    path.write_bytes(text.encode(encoding))
    if isinstance(expect, str):
        with pytest.raises(DataValidationError, match=re.escape(expect)):
            read_yaml(path)
    else:
        assert read_yaml(path) == expect


def test_goal_tree_node_with_two_parents_is_refused(tmp_path):
    from regiopole.workshops import load_goal_tree

    path = tmp_path / "goal_tree.yaml"
    path.write_text(GOAL_TREE_TWO_PARENTS, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"row 9: .*key 'parent' is given twice \(lines 8 and 9\)"):
        load_goal_tree(path)


def test_codebook_with_a_duplicate_key_names_the_line(tmp_path):
    text = (reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8")
    path = tmp_path / "codebook.yaml"
    path.write_text(text.replace("    type: numeric\n", "    type: numeric\n    type: single\n", 1), encoding="utf-8")
    with pytest.raises(DataValidationError, match="key 'type' is given twice"):
        load_codebook(path)


def test_codebook_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes((reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8").encode("cp1252"))
    assert load_codebook(path).question("HUERDEN").item("SQ003").label == "Lücken bei den digitalen Kompetenzen"


def test_read_table_finds_a_title_row_and_names_sheet_and_row(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Notizen"
    ws = wb.create_sheet("Daten")
    ws.append(["Übersicht der Kommunen"])
    ws.append(["ags", "name"])
    ws.append(["05774032", "Paderborn"])
    wb.save(tmp_path / "t.xlsx")
    table = read_table(tmp_path / "t.xlsx", sheet_name="Daten")
    assert list(table.columns) == ["ags", "name"] and table.iloc[0].tolist() == ["05774032", "Paderborn"]
    assert table.attrs["first_row"] == 3 and "sheet 'Daten', header in row 2, a title row above it" in table.attrs["dialect"]
    with pytest.raises(DataValidationError, match=r"no sheet named 'Tabelle1'; the workbook has \['Notizen', 'Daten'\]"):
        read_table(tmp_path / "t.xlsx", sheet_name="Tabelle1")


def test_read_table_reads_utf16(tmp_path):
    path = tmp_path / "u.txt"
    path.write_bytes("ags\tname\r\n05762020\tHöxter\r\n".encode("utf-16"))
    table = read_table(path)
    assert table.iloc[0].tolist() == ["05762020", "Höxter"] and "utf-16" in table.attrs["dialect"]


@pytest.mark.parametrize("typed", ["Paderborn, Stadt", "Stadt Paderborn", "Paderborn (Westf.)", "PADERBORN", "5774032"])
def test_official_spellings(typed, region):
    from regiopole.survey.municipality import lookup, name_index

    assert lookup(typed, name_index(region)) == region.oberzentrum


def test_codebook_spec_round_trips_through_yaml_dump():
    spec = yaml.safe_load((reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8"))
    again = yaml.safe_load(yaml.safe_dump(copy.deepcopy(spec), allow_unicode=True))
    assert parse_codebook(again, Path("x")).question("KOOP").item("SQ001").label.endswith("zentral bereitstellt")
