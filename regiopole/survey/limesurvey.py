"""Turn a LimeSurvey response export into the analysis frame, mapped through the codebook.

Headings may be question codes (``HUERDEN[SQ001]``, ``KOOP[other]``, ``PRIO[1]``), full
question text (``Welche Hürden ...? [Fehlende Projektmanagement-Strukturen]``, German or
English), or both ("code and text"); answers may be codes (``A4``, ``Y``) or full answer
texts in German or English. Every heading and every answer must be known to the codebook,
otherwise one :class:`DataValidationError` lists each unknown one with its row and column.

The analysis frame has one row per response: ``response_id``, ``submitted``, the dates,
``ags`` (matched municipality) and one column per export field (named by its code
heading). Categorical answers hold the answer code, ``""`` for "shown, not answered" and
``None`` for "not shown"; multiple-choice items are ``True``/``False``/``<NA>``; numbers
are floats. IP address, access code, referrer URL and participant fields are never read
(see :mod:`regiopole.survey.exportfile`); timing columns are left out and listed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from regiopole.data import DataValidationError, Problem, Region
from regiopole.survey.codebook import Codebook, Field
from regiopole.survey.exportfile import RawExport, read_export
from regiopole.survey.municipality import match_municipalities

#: Metadata columns kept, with their code and full-text headings (English and German).
METADATA = {
    "id": ("id", "Response ID", "Antwort ID", "Antwort-ID"),
    "submitdate": ("submitdate", "Date submitted", "Datum Abgeschickt", "Datum abgeschickt"),
    "lastpage": ("lastpage", "Last page", "Letzte Seite"),
    "startlanguage": ("startlanguage", "Start language", "Start-Sprache", "Startsprache"),
    "seed": ("seed", "Seed", "Zufallsstartwert"),
    "startdate": ("startdate", "Date started", "Datum gestartet", "Startdatum"),
    "datestamp": ("datestamp", "Date last action", "Datum letzte Aktivität", "Datum der letzten Aktivität"),
}
#: Columns that identify people or their devices: never read into any frame.
SENSITIVE = ("token", "Token", "Access code", "Zugangsschlüssel", "Zugangscode", "ipaddr", "IP address", "IP-Adresse",
             "refurl", "Referrer URL", "Referrer-URL", "firstname", "First name", "Vorname", "lastname", "Last name",
             "Nachname", "email", "Email", "E-Mail", "emailstatus")
SENSITIVE_PATTERN = re.compile(r"^attribute_\d+$", re.IGNORECASE)
TIMING_PATTERN = re.compile(r"^(interviewtime|[A-Za-z]\w*Time(\[.*\])?)$")
REQUIRED_METADATA = ("id", "submitdate")
NO_ANSWER = {"", "n/a", "na", "keine antwort", "k. a.", "k.a.", "no answer"}
TRUE_WORDS = {"y", "ja", "yes", "1"}
FALSE_WORDS = {"", "n", "nein", "no", "nicht gewählt", "not selected", "0"}


def key(text: str) -> str:
    """Comparable form of a heading or an answer: NFC, single blanks, case folded."""
    text = unicodedata.normalize("NFC", str(text)).replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def is_sensitive(heading: str) -> bool:
    return key(heading) in {key(s) for s in SENSITIVE} or bool(SENSITIVE_PATTERN.match(heading.strip()))


def heading_index(codebook: Codebook) -> tuple[dict[str, str], dict[str, str]]:
    """(code headings -> column, text headings -> column), including metadata."""
    codes, texts = {}, {}
    for name, headings in METADATA.items():
        codes[key(name)] = name
        texts.update({key(h): name for h in headings})
    for f in codebook.fields():
        codes[key(f.column)] = f.column
        codes[key(f.column.replace("[", "_").rstrip("]"))] = f.column  # Expression Manager form HUERDEN_SQ001
        texts.update({key(h): f.column for h in f.text_headings()})
    return codes, texts


def map_headings(raw: RawExport, codebook: Codebook) -> tuple[list[str], str, list[str]]:
    """Canonical column per heading, the heading style, and the timing columns left out."""
    codes, texts = heading_index(codebook)
    mapped, styles, problems, timings = [], set(), [], []
    for heading in raw.headings:
        k = key(heading)
        code_part = re.match(r"^([A-Za-z]\w*(?:\[[^\]]*\])?)[.:\s]+\S", heading)
        if k in codes:
            mapped.append(codes[k]); style = "Fragecodes"
        elif k in texts:
            mapped.append(texts[k]); style = "Fragetext"
        elif code_part and key(code_part.group(1)) in codes:
            mapped.append(codes[key(code_part.group(1))]); style = "Fragecode und Fragetext"
        elif TIMING_PATTERN.match(heading):
            mapped.append(""); timings.append(heading)
        else:
            mapped.append("")
            problems.append(Problem(1, heading, "heading is neither a LimeSurvey metadata column nor a question of the "
                                                f"codebook {codebook.source.name}; add the question to the codebook"))
        if mapped[-1] and mapped[-1] not in METADATA:
            styles.add(style)
    seen = [m for m in mapped if m]
    problems += [Problem(1, c, "several headings map to this column") for c in sorted({c for c in seen if seen.count(c) > 1})]
    expected = list(REQUIRED_METADATA) + [f.column for f in codebook.fields()]
    problems += [Problem(1, c, "column missing in the export; export all questions, with the response ID and submit date")
                 for c in expected if c not in seen]
    if problems:
        raise DataValidationError(raw.path, problems)
    return mapped, " / ".join(sorted(styles)), timings


def answer_lookup(f: Field) -> dict[str, str]:
    """Normalised code or label -> answer code, for single, likert and ranking fields."""
    q = f.question
    options = q.scale.answers if q.type == "likert" else q.answers
    lookup = {}
    for o in options:
        lookup[key(o.code)] = o.code
        lookup.update({key(label): o.code for label in o.labels.values()})
    if q.other and q.type == "single":
        lookup.update({"-oth-": "-oth-", "sonstiges": "-oth-", "other": "-oth-"})
    return lookup


def decode_field(f: Field, values: list[str | None], heading: str, problems: list[Problem]) -> list:
    """Codes, booleans, floats or text for one field; unknown answers become problems."""
    q = f.question
    if f.is_other or q.type in ("text", "municipality"):
        return list(values)
    out: list = []
    lookup = answer_lookup(f) if q.type in ("single", "likert", "ranking") else {}
    for row, value in enumerate(values, start=2):
        k = None if value is None else key(value)
        if q.type == "multiple":
            out.append(pd.NA if k is None else True if k in TRUE_WORDS else False if k in FALSE_WORDS else None)
            if out[-1] is None:
                problems.append(Problem(row, heading, f"expected Y or an empty value (or Ja/Nein), got {value!r}"))
        elif q.type == "numeric":
            number = pd.to_numeric(str(value).replace(",", "."), errors="coerce") if k else float("nan")
            low, high = q.bounds
            if k and (pd.isna(number) or (low is not None and number < low) or (high is not None and number > high)):
                problems.append(Problem(row, heading, f"expected a number from {low} to {high}, got {value!r}"))
            out.append(float(number))
        elif k is None:
            out.append(None)
        elif k in lookup:
            out.append(lookup[k])
        elif k in NO_ANSWER:
            out.append("")
        else:
            known = ", ".join(sorted({o.code for o in (q.scale.answers if q.type == "likert" else q.answers)}))
            problems.append(Problem(row, heading, f"unexpected answer {value!r}; expected one of the codes {known} "
                                                  "or their labels in the codebook"))
            out.append(None)
    return out


def build_frame(raw: RawExport, codebook: Codebook, region: Region) -> tuple[pd.DataFrame, str, list[str]]:
    """The analysis frame of every response in the file (before any selection)."""
    mapped, style, timings = map_headings(raw, codebook)
    fields = {f.column: f for f in codebook.fields()}
    columns = {m: [r[i] for r in raw.rows] for i, m in enumerate(mapped) if m}
    heading_of = {m: raw.headings[i] for i, m in enumerate(mapped) if m}
    problems: list[Problem] = []
    frame = pd.DataFrame(index=range(len(raw.rows)))
    ids = pd.to_numeric(pd.Series(columns["id"], dtype=object), errors="coerce")
    problems += [Problem(n + 2, heading_of["id"], "response ID missing or not a number") for n in ids[ids.isna()].index]
    frame["response_id"] = ids.astype("Int64")
    frame["submitted"] = [bool(v) for v in columns["submitdate"]]
    for name in ("submitdate", "startdate", "datestamp"):
        values = pd.Series(columns.get(name, [None] * len(frame)), dtype=object).replace("", None)
        frame[name] = pd.to_datetime(values, errors="coerce", format="ISO8601")
    for name in ("lastpage", "startlanguage", "seed"):
        if name in columns:
            frame[name] = columns[name]
    municipality = codebook.municipality_question.code
    for column, f in fields.items():
        decoded = decode_field(f, columns[column], heading_of[column], problems)
        kind = "other" if f.is_other else f.question.type
        frame[column] = pd.array(decoded, dtype="boolean") if kind == "multiple" else (
            pd.Series(decoded, dtype=float) if kind == "numeric" else pd.Series(decoded, dtype=object))
    if problems:
        raise DataValidationError(raw.path, problems)
    frame.insert(2, "ags", match_municipalities(frame.pop(municipality), region, str(raw.path),
                                                column=heading_of[municipality]))
    duplicated = frame["response_id"][frame["response_id"].duplicated()]
    if not duplicated.empty:
        raise DataValidationError(raw.path, [Problem(int(i) + 2, heading_of["id"], f"response ID {v} occurs twice")
                                             for i, v in duplicated.items()])
    return frame, style, timings


def read_responses(path: str | Path, codebook: Codebook, region: Region) -> tuple[pd.DataFrame, dict]:
    """Read an export into the analysis frame; also return facts about the file (German labels)."""
    raw = read_export(path, drop=is_sensitive, sheet=codebook.survey.get("title"))
    frame, style, timings = build_frame(raw, codebook, region)
    facts = {"Datei": Path(path).name, "Format": raw.dialect, "Überschriften": style,
             "Nicht eingelesene Spalten (personenbezogen)": ", ".join(raw.dropped) or "keine",
             "Nicht eingelesene Spalten (Bearbeitungszeiten)": ", ".join(timings) or "keine"}
    return frame, facts
