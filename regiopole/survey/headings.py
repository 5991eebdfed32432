"""Export headings in every style LimeSurvey writes, mapped to the codebook's columns.

Styles: question codes (``HUERDEN[SQ001]``, ``KOOP[SQ001comment]``, ``PRIO[1]``, dual scale
``Q[SQ001][1]``, Expression Manager ``HUERDEN_SQ001``), full text (``text [item]``, HTML
entities, a blank after ``[``), "code & text" (``STAND. Wie ...``), spaces as underscores.
Abbreviated headings (texts cut to 15 characters plus ``..``) are refused with the export
setting to choose. Metadata, sensitive and timing columns are recognised in English and
German (3.x to 6.14).
"""

from __future__ import annotations

import html
import re
import unicodedata

from regiopole.data import DataValidationError, Problem
from regiopole.survey.codebook import Codebook
from regiopole.survey.exportfile import RawExport

#: Metadata columns kept, with their code and full-text headings (English and German, 3.x to 6.x).
METADATA = {
    "id": ("id", "Response ID", "Antwort ID", "Antwort-ID"),
    "submitdate": ("submitdate", "Date submitted", "Datum Abgeschickt", "Datum abgeschickt"),
    "lastpage": ("lastpage", "Last page", "Letzte Seite"),
    "startlanguage": ("startlanguage", "Start language", "Start-Sprache", "Startsprache"),
    "seed": ("seed", "Seed", "Zufallsstartwert", "Zufallsgeneratorstartwert"),
    "startdate": ("startdate", "Date started", "Datum gestartet", "Startdatum"),
    "datestamp": ("datestamp", "Date last action", "Datum letzte Aktivität", "Datum der letzten Aktivität"),
}
#: Columns that identify people or their devices: never read into any frame.
SENSITIVE = ("token", "Token", "Access code", "Zugangsschlüssel", "Zugangscode", "ipaddr", "IP address", "IP-Adresse",
             "refurl", "Referrer URL", "Referrer-URL", "Weiterleitungs-URL", "firstname", "First name", "Vorname",
             "lastname", "Last name", "Nachname", "email", "Email", "E-Mail", "E-Mail-Adresse", "emailstatus")
SENSITIVE_PATTERN = re.compile(r"^attribute_\d+$", re.IGNORECASE)
CODE_PREFIX = re.compile(r"^([A-Za-z][\w]*(?:\[[^\]]*\])*)\.\s+(\S.*)$")
TIMING_CODE = re.compile(r"^(interviewtime|grouptime\d+|[a-z]\w*time)$")
TIMING_TEXT = ("total time", "gesamtzeit", "group time:", "gruppenzeit:", "question time:", "fragenzeit:")
REQUIRED_METADATA = ("id", "submitdate")

def key(text: str) -> str:
    """Comparable form of a heading or an answer: NFC, entities decoded, single blanks, case folded."""
    text = unicodedata.normalize("NFC", html.unescape(str(text))).replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\[\s+", "[", re.sub(r"\s+\]", "]", text)).casefold()


def code_part(heading: str) -> tuple[str, str] | None:
    """('STAND', 'Wie ...') for a "code & text" heading."""
    match = CODE_PREFIX.match(heading.strip())
    return (match.group(1), match.group(2)) if match else None


def _sensitive_keys() -> set[str]:
    return {key(s) for s in SENSITIVE}


def is_sensitive(heading: str) -> bool:
    parts = code_part(heading)
    candidates = [heading] + ([parts[0], parts[1]] if parts else [])
    return any(key(c) in _sensitive_keys() or bool(SENSITIVE_PATTERN.match(c.strip())) for c in candidates)


def is_response_id(heading: str) -> bool:
    """The heading of the response ID in any style (marks the heading row)."""
    parts = code_part(heading)
    return key(heading) in {key(h) for h in METADATA["id"]} or bool(parts and key(parts[0]) == "id")


def is_timing(heading: str, codes: set[str] | None = None) -> bool:
    """interviewtime, groupTime5, A1Time; 'Question time: A1', 'Gesamtzeit', 'Gruppenzeit: ...' (any style).

    With ``codes`` (the codebook's question codes, case folded), a question time counts only
    for a question of the codebook, so an unknown question ending in 'time' is not dropped unseen.
    """
    parts = code_part(heading)
    for text in [heading] + ([parts[0]] if parts else []):
        k = key(text)
        code = k.replace(" ", "_")
        if k.startswith(("question time:", "fragenzeit:")):
            return codes is None or k.split(":", 1)[1].strip() in codes
        if k.startswith(TIMING_TEXT) or re.match(r"^(interviewtime|grouptime\d+)$", code):
            return True
        if TIMING_CODE.match(code):
            return codes is None or code[:-4] in codes
    return False


def is_abbreviated(heading: str) -> bool:
    """LimeSurvey's "abbreviated" heading style cuts question and subquestion text to 15 characters plus '..'."""
    return bool(re.search(r"\S\.\.( |\]|$)", heading))


def heading_index(codebook: Codebook) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(code headings -> column, text headings -> columns in codebook order), including metadata."""
    codes: dict[str, str] = {}
    texts: dict[str, list[str]] = {}
    for name, headings in METADATA.items():
        codes[key(name)] = name
        for h in headings:
            texts.setdefault(key(h), []).append(name)
    for f in codebook.fields():
        codes[key(f.column)] = f.column
        codes[key(re.sub(r"\]\[|\[", "_", f.column).rstrip("]"))] = f.column  # Expression Manager form HUERDEN_SQ001
        for h in dict.fromkeys(key(h) for h in f.text_headings()):
            texts.setdefault(h, []).append(f.column)
    return codes, texts


def map_headings(raw: RawExport, codebook: Codebook) -> tuple[list[str], str, list[str]]:
    """Canonical column per heading, the heading style, and the timing columns left out."""
    codes, texts = heading_index(codebook)
    question_codes = {q.code.casefold() for q in codebook.questions}
    used: set[str] = set()
    mapped, styles, problems, timings = [], set(), [], []

    def take(candidates: list[str]) -> str:
        free = [c for c in candidates if c not in used]  # two questions with identical text: in export order
        return (free or candidates)[0]

    for heading in raw.headings:
        k, parts = key(heading), code_part(heading)
        if k in codes:
            column, style = codes[k], "Fragecodes"
        elif k in texts:
            column, style = take(texts[k]), "Fragetext"
        elif parts and key(parts[0]) in codes:
            column, style = codes[key(parts[0])], "Fragecode und Fragetext"
        elif is_timing(heading, question_codes):
            column, style = "", ""
            timings.append(heading)
        elif not heading:
            column, style = "", ""
            problems.append(Problem(raw.header_row, f"column {len(mapped) + 1}", "empty heading; the headings may span "
                                    "two rows (merged cells): keep the one heading row LimeSurvey writes, or export again"))
        elif is_abbreviated(heading):
            column, style = "", ""
            problems.append(Problem(raw.header_row, heading, "abbreviated heading (LimeSurvey cuts texts to 15 "
                                    "characters plus '..', so questions cannot be told apart); export again with "
                                    "'Export questions as: Question code' (Fragecode)"))
        else:
            column, style = "", ""
            problems.append(Problem(raw.header_row, heading, "heading is neither a LimeSurvey metadata column nor a "
                                    f"question of the codebook {codebook.source.name}; export with question codes, or "
                                    "add the question to the codebook (regiopole codebook FILE.lss writes one)"))
        mapped.append(column)
        used.add(column)
        if column and column not in METADATA:
            styles.add(style)
    seen = [m for m in mapped if m]
    problems += [Problem(raw.header_row, c, "several headings map to this column")
                 for c in sorted({c for c in seen if seen.count(c) > 1})]
    expected = list(REQUIRED_METADATA) + [f.column for f in codebook.fields()]
    problems += [Problem(None, c, f"column missing in the export ({raw.dialect}, headings in row {raw.header_row}); "
                                  "export all questions, with the response ID and submit date") for c in expected if c not in seen]
    if problems:
        raise DataValidationError(raw.path, problems)
    return mapped, " / ".join(sorted(styles)), timings
