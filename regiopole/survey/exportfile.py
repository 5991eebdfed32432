"""Read a LimeSurvey response export file as it is: headings and cells, nothing interpreted.

CSV as LimeSurvey writes it: UTF-8 with BOM, CRLF, every value quoted, the separator a
comma (web UI), semicolon (RemoteControl API) or tab, detected from the heading line.
LimeSurvey up to 6.4.2 quotes NULL too (``""``); later releases write NULL ("not shown")
unquoted. So an empty *unquoted* field means "not shown" (``None``) only where the file is
known to come from such a writer: every filled value quoted (:attr:`RawExport.null_marked`).
A file re-saved by Excel, LibreOffice or pandas quotes only where needed; there, and in
every ``.xlsx``, an empty cell is just ``""`` and the survey logic decides (see
:mod:`regiopole.survey.limesurvey`). Python's csv module (3.11) cannot tell quoted from
unquoted empties, hence the small tokenizer below.

Excel ``.xlsx``: the sheet asked for, else the sheet named after the survey (LimeSurvey
names it after the title without ``* : / \\ ? [ ]``, cut to 31 characters), else the only
sheet or the only one with a response ID heading. The heading row is the first row with a
response ID heading (a title row above it is skipped and named); both are named in
:attr:`RawExport.dialect` and in errors.

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
    """Headings and rows of an export; ``rows[i]`` is file row ``i + first_row``."""

    path: Path
    headings: list[str]
    rows: list[list[str | None]]
    dialect: str
    dropped: list[str]
    null_marked: bool = False  # unquoted empty = NULL ("not shown"), as LimeSurvey after 6.4.2 writes
    header_row: int = 1        # file row of the headings (a title row above it was skipped)

    @property
    def first_row(self) -> int:
        """File row of ``rows[0]``."""
        return self.header_row + 1


def detect_separator(text: str) -> str:
    """The separator of the heading line, counted outside quoted headings."""
    first = text.split("\n", 1)[0]
    bare = QUOTED.sub("", first)
    counts = {sep: bare.count(sep) for sep in SEPARATORS}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def tokenize(text: str, sep: str, path: Path, quoting: list[int] | None = None) -> list[list[str | None]]:
    """Split CSV text into records; unquoted empty fields become ``None``.

    ``quoting``, if given, receives [quoted filled, unquoted filled, quoted empty values].
    """
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
            if quoting is not None:
                quoting[0 if value else 2] += 1
        else:
            match = unquoted.match(text, pos)
            value = match.group(0).strip() or None
            pos = match.end()
            if quoting is not None and value:
                quoting[1] += 1
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


def sheet_name(title: str) -> str:
    """The sheet name LimeSurvey gives an XLSX export of a survey with this title."""
    return re.sub(r"[*:/\\?\[\]]", "", title)[:31]


def find_header(rows: list[list[str | None]], is_id: Callable[[str], bool]) -> int:
    """Index of the first of the first ten rows with a response ID heading (0 if none)."""
    for n, row in enumerate(rows[:10]):
        if any(v and is_id(v) for v in row):
            return n
    return 0


def read_xlsx(path: Path, sheet: str | None, title: str | None,
              is_id: Callable[[str], bool]) -> tuple[list[list[str | None]], str, str]:
    """All rows of the response sheet as text (empty cells as ``""``), the sheet name and how it was chosen."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        content = {n: [[_cell_text(v) for v in row] for row in workbook[n].iter_rows(values_only=True)] for n in names}
    finally:
        workbook.close()
    with_id = [n for n in names if any(v and is_id(v) for r in content[n][:10] for v in r)]
    if sheet is not None:
        if sheet not in names:
            raise DataValidationError(path, [Problem(None, None, f"no sheet named {sheet!r}; the workbook has {names}; "
                                                                 "set the sheet parameter to one of them")])
        chosen, how = sheet, "wie angegeben"
    elif title and sheet_name(title) in names:
        chosen, how = sheet_name(title), "nach der Umfrage benannt"
    elif len(names) == 1:
        chosen, how = names[0], "das einzige Tabellenblatt"
    elif len(with_id) == 1:
        chosen, how = with_id[0], "das einzige mit Antwort-ID"
    else:
        raise DataValidationError(path, [Problem(None, None, f"several sheets {names} and none is named after the survey "
                                                             f"({sheet_name(title or '')!r}); set the sheet parameter to "
                                                             "the sheet with the responses, or keep only that sheet")])
    rows = [r for r in content[chosen] if any(r)]
    return rows, chosen, how


def read_export(path: str | Path, drop: Callable[[str], bool], sheet: str | None = None,
                title: str | None = None, is_id: Callable[[str], bool] = lambda h: h.strip() == "id") -> RawExport:
    """Read a CSV or XLSX export; columns whose heading ``drop`` accepts are left out.

    ``sheet`` names the XLSX sheet (else the one named after ``title``, the survey title);
    ``is_id`` recognises the response ID heading, which marks the heading row.
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "export file not found; check data_dir and export_file")])
    null_marked = False
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        records, chosen, how = read_xlsx(path, sheet, title, is_id)
        dialect = f"Excel (xlsx), Tabellenblatt {chosen!r} ({how})"
    else:
        text, encoding = decode(path)
        sep = detect_separator(text)
        quoting = [0, 0, 0]
        records = tokenize(text, sep, path, quoting)
        # LimeSurvey's own writer: BOM, every filled value quoted, '' as "" (so "" and bare empties both occur)
        null_marked = path.read_bytes().startswith(b"\xef\xbb\xbf") and quoting[0] > 0 and quoting[1] == 0 \
            and quoting[2] > 0
        if not null_marked:
            records = [[("" if v is None else v) for v in r] for r in records]
        separator = {",": "Kommas", ";": "Semikolons", "\t": "Tabulatoren"}.get(sep, f"„{sep}“")
        charset = ("UTF-8" if encoding.startswith("utf-8") else "UTF-16" if encoding.startswith("utf-16")
                   else "Windows-1252" if encoding == "cp1252" else encoding)
        dialect = f"Textdatei (CSV), Werte durch {separator} getrennt, Zeichensatz {charset}"
    if not records:
        raise DataValidationError(path, [Problem(None, None, "file is empty; export the responses again from LimeSurvey")])
    head = find_header(records, is_id)
    header_row = head + 1
    skipped = records[:head]
    records = records[head:]
    headings = [(h or "").strip() for h in records[0]]
    while headings and headings[-1] == "" and all(len(r) < len(headings) or not r[len(headings) - 1] for r in records[1:]):
        headings.pop()  # Excel keeps empty trailing columns of a re-saved sheet
    records = [records[0]] + [r[:len(headings)] + [""] * (len(headings) - len(r)) if path.suffix.lower() in (".xlsx", ".xlsm")
                              else r for r in records[1:]]
    where = f"{dialect}, headings in row {header_row}"
    problems = [Problem(n + head, None, f"{len(r)} fields where the heading row has {len(headings)} ({where})")
                for n, r in enumerate(records[1:], start=2) if len(r) != len(headings)]
    if problems:
        raise DataValidationError(path, problems)
    keep = [i for i, h in enumerate(headings) if not drop(h)]
    dropped = [h for i, h in enumerate(headings) if i not in set(keep)]
    rows = [[r[i] for i in keep] for r in records[1:]]
    if skipped:
        dialect += f", Überschriften in Zeile {header_row} (darüber {len(skipped)} Titelzeile(n), nicht gelesen)"
    return RawExport(path, [headings[i] for i in keep], rows, dialect, dropped, null_marked, header_row)
