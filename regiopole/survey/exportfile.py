"""Read a LimeSurvey response export file as it is: headings and cells, nothing interpreted.

CSV as LimeSurvey writes it: UTF-8 with BOM, CRLF, every value quoted, the separator a
comma (web UI), semicolon (RemoteControl API) or tab, detected from the heading line. An
empty *unquoted* field means the question was not shown (``None``); a quoted empty field
``""`` means it was shown and not answered (``""``). Python's csv module (3.11) cannot tell
the two apart, hence the small tokenizer below. Excel ``.xlsx``: the sheet named after the
survey (or the only sheet); Excel has no such distinction, so an empty cell reads as ``""``.

Columns in ``drop`` (IP address, access code, referrer URL, participant names) are
removed while reading: their values never enter a frame.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from regiopole.data import DataValidationError, Problem
from regiopole.data.io import decode

SEPARATORS = (",", ";", "\t")
QUOTED = re.compile(r'"(?:[^"]|"")*"')


@dataclass
class RawExport:
    """Headings and rows of an export; ``rows[i]`` is file row ``i + 2``."""

    path: Path
    headings: list[str]
    rows: list[list[str | None]]
    dialect: str
    dropped: list[str]


def detect_separator(text: str) -> str:
    """The separator of the heading line, counted outside quoted headings."""
    first = text.split("\n", 1)[0]
    bare = QUOTED.sub("", first)
    counts = {sep: bare.count(sep) for sep in SEPARATORS}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def tokenize(text: str, sep: str, path: Path) -> list[list[str | None]]:
    """Split CSV text into records; unquoted empty fields become ``None``."""
    records: list[list[str | None]] = []
    record: list[str | None] = []
    pos, end, line = 0, len(text), 1
    unquoted = re.compile(rf'[^"\r\n{re.escape(sep)}]*')
    while pos <= end:
        if pos < end and text[pos] == '"':
            match = QUOTED.match(text, pos)
            if match is None:
                raise DataValidationError(path, [Problem(line, None, "a quoted value is not closed; the file is cut off or damaged")])
            value: str | None = match.group(0)[1:-1].replace('""', '"')
            line += match.group(0).count("\n")
            pos = match.end()
        else:
            match = unquoted.match(text, pos)
            value = match.group(0).strip() or None
            pos = match.end()
        record.append(value)
        if pos < end and text[pos] == sep:
            pos += 1
            continue
        if pos < end and text[pos] not in "\r\n":
            raise DataValidationError(path, [Problem(line, None, f"unexpected character {text[pos]!r} after a quoted value; "
                                                                 "quotes inside a value must be doubled")])
        if record != [None]:  # a blank line (LimeSurvey ends the file with one) is no record
            records.append(record)
        record = []
        pos += 2 if text.startswith("\r\n", pos) else 1
        line += 1
    return records


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path, sheet: str | None) -> tuple[list[list[str | None]], str]:
    """All rows of the survey's sheet as text (empty cells as ``""``)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        if sheet is not None and sheet[:31] in names:
            chosen = sheet[:31]
        elif len(names) == 1:
            chosen = names[0]
        else:
            raise DataValidationError(path, [Problem(None, None, f"several sheets {names} and none is named after the survey "
                                                                 f"({sheet!r}); keep only the response sheet")])
        rows = [[_cell_text(v) for v in row] for row in workbook[chosen].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return [r for r in rows if any(r)], f"xlsx (sheet {chosen!r})"


def read_export(path: str | Path, drop: Callable[[str], bool], sheet: str | None = None) -> RawExport:
    """Read a CSV or XLSX export; columns whose heading ``drop`` accepts are left out."""
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "export file not found; check data_dir and export_file")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records, dialect = read_xlsx(path, sheet)
    else:
        text, encoding = decode(path)
        sep = detect_separator(text)
        records = tokenize(text, sep, path)
        separator = {",": "Kommas", ";": "Semikolons", "\t": "Tabulatoren"}.get(sep, f"„{sep}“")
        dialect = f"Textdatei (CSV), Werte durch {separator} getrennt, Zeichensatz {'UTF-8' if encoding.startswith('utf-8') else 'Windows'}"
    if not records:
        raise DataValidationError(path, [Problem(None, None, "file is empty; export the responses again from LimeSurvey")])
    headings = [(h or "").strip() for h in records[0]]
    problems = [Problem(n, None, f"{len(r)} fields where the heading row has {len(headings)}")
                for n, r in enumerate(records[1:], start=2) if len(r) != len(headings)]
    if problems:
        raise DataValidationError(path, problems)
    keep = [i for i, h in enumerate(headings) if not drop(h)]
    dropped = [h for i, h in enumerate(headings) if i not in set(keep)]
    rows = [[r[i] for i in keep] for r in records[1:]]
    return RawExport(path, [headings[i] for i in keep], rows, dialect, dropped)
