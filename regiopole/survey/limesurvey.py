"""Turn a LimeSurvey response export into the analysis frame, mapped through the codebook.

Headings in every style LimeSurvey's export dialogue offers: question codes
(``HUERDEN[SQ001]``, ``KOOP[other]``, ``KOOP[SQ001comment]``, ``PRIO[1]``, Expression Manager
``HUERDEN_SQ001``), full question text (``Welche Hürden ...? [Fehlende ...]``, German or
English, ``&amp;`` for ``&``, a blank after ``[``), "code & text" (``STAND. Wie ...``),
spaces as underscores. Abbreviated headings (cut to 15 characters plus ``..``) cannot be
told apart and are refused with the export setting to choose. Answers may be codes
(``A4``, ``Y``, ``1`` with "Convert Y to 1"), or full answer texts in German or English
(multiple choice ``Yes``/``No``/``N/A``). Every heading and every answer must be known to
the codebook, otherwise one :class:`DataValidationError` lists each unknown one.

The analysis frame has one row per response: ``response_id``, ``submitted``, the dates,
``ags`` (matched municipality) and one column per export field (named by its code
heading). Categorical answers hold the answer code, ``""`` for "shown, not answered" and
``None`` for "not shown"; multiple-choice items are ``True``/``False``/``<NA>``; numbers
are floats.

"Not shown" comes from what LimeSurvey really records, never from how a spreadsheet
program quoted a cell: ``N/A`` in full-answer exports; an unquoted empty field only in a
CSV whose writer is known to write NULL so (every filled value quoted); otherwise the survey
logic of the codebook (a question's ``page`` against the response's ``lastpage``). Where
none of these can tell and it would change a number (a multiple-choice question with a
``condition``), the import stops with the export setting to choose. The import facts say
which source was used. IP address, access code, referrer URL and participant fields are
never read (see :mod:`regiopole.survey.exportfile`); timing columns are left out and listed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regiopole.data import DataValidationError, Problem, Region
from regiopole.survey.codebook import Codebook, Field, Question
from regiopole.survey.dates import parse_dates
from regiopole.survey.exportfile import RawExport, read_export
from regiopole.survey.headings import is_response_id, is_sensitive, key, map_headings
from regiopole.survey.municipality import match_municipalities

NO_ANSWER = {"", "n/a", "na", "keine antwort", "k. a.", "k.a.", "no answer"}
NOT_SHOWN = {"n/a"}
TRUE_WORDS = {"y", "ja", "yes", "1"}
FALSE_WORDS = {"", "n", "nein", "no", "nicht gewählt", "not selected", "0", "2"}
YES_NO_CONVERTED = {"1": "Y", "2": "N", "0": "N"}


def is_yes_no(q: Question) -> bool:
    return q.type == "single" and {a.code for a in q.answers} == {"Y", "N"}


def answer_lookup(f: Field) -> dict[str, str]:
    """Normalised code or label -> answer code, for single, likert and ranking fields."""
    q = f.question
    options = q.scale.answers if q.type == "likert" else q.answers
    lookup = {}
    for o in options:
        lookup[key(o.code)] = o.code
        lookup.update({key(label): o.code for label in o.labels.values()})
    if is_yes_no(q):
        lookup.update({k: v for k, v in YES_NO_CONVERTED.items() if k not in lookup})  # "Convert Y to 1 / N to 2"
        lookup.update({"yes": "Y", "ja": "Y", "no": "N", "nein": "N"})
    if q.other and q.type == "single":
        lookup.update({"-oth-": "-oth-", "sonstiges": "-oth-", "other": "-oth-"})
    return lookup


FULL_MULTIPLE_WORDS = {"yes", "no", "ja", "nein", "n/a"}


def has_full_answers(values: list[str | None]) -> bool:
    """A multiple-choice column written as full answers (Yes/No/N/A)."""
    return any(v is not None and key(v) in FULL_MULTIPLE_WORDS for v in values)


def decode_field(f: Field, values: list[str | None], heading: str, problems: list[Problem],
                 first_row: int = 2, full: bool = False) -> tuple[list, set[str]]:
    """Codes, booleans, floats or text for one field, and the answer forms seen; unknown answers become problems.

    ``full``: the question's columns are full answers. LimeSurvey then writes Yes, No or N/A
    for every item, never an empty cell; an empty one is an N/A a re-save lost (pandas
    reads "N/A" as missing), so it reads as not shown.
    """
    q = f.question
    if f.is_other or q.type in ("text", "municipality"):
        return list(values), set()
    out: list = []
    forms: set[str] = set()
    lookup = answer_lookup(f) if q.type in ("single", "likert", "ranking") else {}
    for row, value in enumerate(values, start=first_row):
        k = None if value is None else key(value)
        if q.type == "multiple":
            if k in NOT_SHOWN:
                forms.add("N/A")
            elif k in ("yes", "no", "ja", "nein"):
                forms.add("Antworttexte")
            elif k in ("1", "0", "2"):
                forms.add("Y als 1")
            not_shown = k is None or k in NOT_SHOWN or (full and k == "")
            out.append(pd.NA if not_shown else True if k in TRUE_WORDS else False if k in FALSE_WORDS else None)
            if out[-1] is None:
                problems.append(Problem(row, heading, f"expected Y or an empty value (or Yes/No/N/A, 1), got {value!r}"))
        elif q.type == "numeric":
            number = pd.to_numeric(str(value).replace(",", "."), errors="coerce") if k and k not in NO_ANSWER else float("nan")
            low, high = q.bounds
            if k and k not in NO_ANSWER and (pd.isna(number) or (low is not None and number < low)
                                             or (high is not None and number > high)):
                problems.append(Problem(row, heading, f"expected a number from {low} to {high}, got {value!r}"))
            out.append(float(number))
        elif k is None:
            out.append(None)
        elif k in lookup:
            out.append(lookup[k])
            forms.add("Antwortcodes" if lookup[k] == value.strip() else "Y als 1" if k in YES_NO_CONVERTED
                      else "Antworttexte")
        elif k in NO_ANSWER:
            out.append("")
        else:
            known = ", ".join(sorted({o.code for o in (q.scale.answers if q.type == "likert" else q.answers)}))
            problems.append(Problem(row, heading, f"unexpected answer {value!r}; expected one of the codes {known} "
                                                  "or their labels in the codebook"))
            out.append(None)
    return out, forms


def no_responses(raw: RawExport) -> bool:
    """LimeSurvey writes an export without responses as the headings and one record of empty values."""
    return not raw.rows or (len(raw.rows) == 1 and not any((v or "").strip() for v in raw.rows[0]))


def apply_survey_logic(frame: pd.DataFrame, codebook: Codebook, raw: RawExport, full_answers: bool) -> str:
    """Mark fields of incomplete responses as not shown where the survey logic says so; say how 'not shown' was told."""
    lastpage = pd.to_numeric(frame.get("lastpage", pd.Series(index=frame.index, dtype=object)), errors="coerce")
    incomplete = ~frame["submitted"]
    pages = any(q.page is not None for q in codebook.questions)
    for q in codebook.questions:
        if q.type == "municipality":
            continue
        if q.page is not None:  # authoritative: a page after the last one reached was never shown
            hidden, only_missing = incomplete & (lastpage.isna() | (lastpage < q.page)), False
        elif raw.null_marked or (full_answers and q.type == "multiple"):
            continue
        else:  # no survey logic: an empty field of an incomplete response cannot be told apart, so: not shown
            hidden, only_missing = incomplete, False
        for f in q.fields():
            column = frame[f.column]
            empty = column.isna() | column.astype(str).isin(["", "False"])
            frame.loc[hidden & (column.isna() if only_missing else empty), f.column] = pd.NA if q.type == "multiple" else None
    sources = []
    if full_answers:
        sources.append("Antworttexte (N/A = nicht gezeigt)")
    if raw.null_marked:
        sources.append("Exportdatei (leere Felder ohne Anführungszeichen, wie LimeSurvey nach Version 6.4.2 schreibt)")
    if pages:
        sources.append("Fragebogenlogik (Seite der Frage und letzte Seite der Antwort)")
    if not sources:
        sources.append("keine Angabe in Datei und Codebuch: leere Felder unvollständiger Antworten gelten als nicht gezeigt")
    return "; ".join(sources)


def check_conditions(codebook: Codebook, raw: RawExport, full_answers: bool) -> None:
    """A multiple-choice question shown only under a condition needs the file to tell 'not shown' from 'not chosen'."""
    if raw.null_marked or full_answers:
        return
    problems = [Problem(None, q.code, f"shown only under a condition ({q.condition}); this file ({raw.dialect}) cannot "
                                      "tell 'not shown' from 'not chosen'. Export again from LimeSurvey with "
                                      "'Full answers', or as CSV from a LimeSurvey release after 6.4.2 and do not re-save it")
                for q in codebook.of_type("multiple") if not q.always_shown]
    if problems:
        raise DataValidationError(raw.path, problems)


def municipality_answers(frame: pd.DataFrame, codebook: Codebook, raw: RawExport, region: Region,
                         heading_of: dict[str, str]) -> pd.Series:
    """AGS per response from the municipality question(s): the first one answered, in codebook order."""
    questions = codebook.municipality_questions
    ags = pd.Series(pd.NA, index=frame.index, dtype="string")
    for q in questions:
        matched = match_municipalities(frame.pop(q.code), region, str(raw.path), first_row=raw.first_row,
                                       column=heading_of[q.code])
        ags = ags.fillna(matched)
    return ags


def build_frame(raw: RawExport, codebook: Codebook, region: Region) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The analysis frame of every response in the file (before any selection), and facts about the file."""
    if not codebook.municipality_questions:
        _ = codebook.municipality_question  # raises the error that says what to do
    mapped, style, timings = map_headings(raw, codebook)
    if no_responses(raw):
        raise DataValidationError(raw.path, [Problem(None, None, "the export holds no responses (LimeSurvey writes the "
                                                                 "headings and one empty record); export again when "
                                                                 "responses are in, and check the response filter")])
    fields = {f.column: f for f in codebook.fields()}
    columns = {m: [r[i] for r in raw.rows] for i, m in enumerate(mapped) if m}
    heading_of = {m: raw.headings[i] for i, m in enumerate(mapped) if m}
    problems: list[Problem] = []
    frame = pd.DataFrame(index=range(len(raw.rows)))
    ids = pd.to_numeric(pd.Series(columns["id"], dtype=object), errors="coerce")
    problems += [Problem(n + raw.first_row, heading_of["id"], "response ID missing or not a number") for n in ids[ids.isna()].index]
    frame["response_id"] = ids.astype("Int64")
    frame["submitted"] = [bool((v or "").strip()) for v in columns["submitdate"]]
    date_forms: dict[str, int] = {}
    for name in ("submitdate", "startdate", "datestamp"):
        if name in columns:
            frame[name], forms = parse_dates(columns[name], heading_of[name], problems, raw.first_row)
            for form, n in forms.items():
                date_forms[form] = date_forms.get(form, 0) + n
        else:
            frame[name] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for name in ("lastpage", "startlanguage", "seed"):
        if name in columns:
            frame[name] = columns[name]
    answer_forms: set[str] = set()
    full_questions = {q.code for q in codebook.of_type("multiple")
                      if any(has_full_answers(columns[f.column]) for f in q.fields() if not f.is_other)}
    for column, f in fields.items():
        decoded, forms = decode_field(f, columns[column], heading_of[column], problems, raw.first_row,
                                      full=f.question.code in full_questions)
        answer_forms |= forms
        kind = "other" if f.is_other else f.question.type
        frame[column] = pd.array(decoded, dtype="boolean") if kind == "multiple" else (
            pd.Series(decoded, dtype=float) if kind == "numeric" else pd.Series(decoded, dtype=object))
    if problems:
        raise DataValidationError(raw.path, problems)
    full_answers = bool(full_questions)
    check_conditions(codebook, raw, full_answers)
    shown = apply_survey_logic(frame, codebook, raw, full_answers)
    frame.insert(2, "ags", municipality_answers(frame, codebook, raw, region, heading_of))
    duplicated = frame["response_id"][frame["response_id"].duplicated()]
    if not duplicated.empty:
        raise DataValidationError(raw.path, [Problem(int(i) + raw.first_row, heading_of["id"], f"response ID {v} occurs twice")
                                             for i, v in duplicated.items()])
    facts = {"Überschriften": style,
             "Antworten": " / ".join(sorted(answer_forms - {"N/A"})) or "Antwortcodes",
             "Datumsangaben": ", ".join(f"{form} ({n})" for form, n in sorted(date_forms.items())) or "keine",
             "Nicht gezeigt erkannt aus": shown}
    if "ohne Zeitstempel (1980-01-01)" in date_forms:
        facts["Datumsangaben"] += "; Umfrage ohne Zeitstempel: Reihenfolge der Antworten nach Antwort-ID"
    return frame, facts, timings


def read_responses(path: str | Path, codebook: Codebook, region: Region, sheet: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Read an export into the analysis frame; also return facts about the file (German labels).

    ``sheet`` names the XLSX sheet; by default the one LimeSurvey names after the survey title.
    """
    raw = read_export(path, drop=is_sensitive, sheet=sheet, title=codebook.survey.get("title"), is_id=is_response_id)
    frame, facts, timings = build_frame(raw, codebook, region)
    facts = {"Datei": Path(path).name, "Format": raw.dialect, **facts,
             "Nicht eingelesene Spalten (personenbezogen)": ", ".join(raw.dropped) or "keine",
             "Nicht eingelesene Spalten (Bearbeitungszeiten)": ", ".join(timings) or "keine"}
    return frame, facts
