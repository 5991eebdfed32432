"""Read tables as German offices produce them, without changing a byte of the file.

Every value is read as text, so that an AGS keeps its leading zero and validation can
say exactly what a cell held. CSV dialects accepted: UTF-8 with or without BOM, or
Windows-1252; comma, semicolon or tab as separator. Excel ``.xlsx`` files are read with
openpyxl. The returned frame carries the file in ``df.attrs["source"]`` and the first
data row's number in the file in ``df.attrs["first_row"]`` (the header is row 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import yaml

from regiopole.data.errors import DataValidationError, Problem

ENCODINGS = ("utf-8-sig", "cp1252")
SEPARATORS = ",;\t"
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def decode(path: Path) -> tuple[str, str]:
    """Return the text of ``path`` and the encoding that decoded it."""
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DataValidationError(  # pragma: no cover - cp1252 decodes almost anything
        path, [Problem(None, None, "file is neither UTF-8 nor Windows-1252; save it as UTF-8")]
    )


def sniff_separator(text: str) -> str:
    """Detect the separator from the header line (comma, semicolon or tab)."""
    header = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=SEPARATORS).delimiter
    except csv.Error:
        counts = {sep: header.count(sep) for sep in SEPARATORS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def parse_csv(text: str, separator: str, path: Path) -> pd.DataFrame:
    """Parse CSV text into a frame of strings; a record with the wrong field count is an error."""
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    header, body = records[0], records[1:]
    problems = [
        Problem(number, None, f"{len(record)} fields where the header has {len(header)}; "
                "quote values that contain the separator")
        for number, record in enumerate(body, start=2) if len(record) != len(header) and any(record)
    ]
    if problems:
        raise DataValidationError(path, problems)
    body = [record if record else [""] * len(header) for record in body]
    return pd.DataFrame(body, columns=header, dtype=object)


def read_table(path: str | Path, sheet_name: str | int | None = 0) -> pd.DataFrame:
    """Read a CSV or Excel table with every cell as text (empty cells as missing).

    Raises :class:`DataValidationError` naming the file when it is missing, empty or
    has no header.
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "file not found; check the path or the data_dir parameter")])
    if path.suffix.lower() in EXCEL_SUFFIXES:
        df = pd.read_excel(path, sheet_name=sheet_name, dtype=str, engine="openpyxl")
        dialect = "xlsx"
    else:
        text, encoding = decode(path)
        if not text.strip():
            raise DataValidationError(path, [Problem(None, None, "file is empty; expected a header row and data rows")])
        separator = sniff_separator(text)
        df = parse_csv(text, separator, path)
        dialect = f"csv ({encoding}, separator {separator!r})"
    df.columns = [str(c).strip() for c in df.columns]
    df = df.astype(object).apply(lambda col: col.map(lambda v: v.strip() if isinstance(v, str) else v))
    df = df.mask(df.isin([""]) | df.isna(), None)
    # Blank rows carry no data; dropping them keeps the index equal to (row number - 2).
    df = df.dropna(how="all")
    df.attrs.update(source=str(path), first_row=2, dialect=dialect)
    return df


def parse_decimal(values: pd.Series) -> pd.Series:
    """Rewrite decimal commas as points (``'179,59'`` -> ``'179.59'``), leave other text as is.

    Works on an in-memory copy, so the file itself is never modified.
    """
    return values.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)


def read_yaml(path: str | Path, missing_hint: str = "check the path") -> object:
    """Parse a YAML file; a missing file or a syntax error becomes a :class:`DataValidationError`.

    ``missing_hint`` tells the user what to check when the file is not there.
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, f"file not found; {missing_hint}")])
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataValidationError(path, [Problem(None, None, f"not valid YAML: {exc}")]) from None
