"""Read tables as German offices produce them, without changing a byte of the file.

Every value is read as text, so that an AGS keeps its leading zero and validation can
say exactly what a cell held. Encodings accepted (for CSV and YAML alike): UTF-8 with or
without BOM, UTF-16 with BOM (Excel's "Unicode-Text"), or Windows-1252; comma, semicolon
or tab as separator. Excel ``.xlsx`` files are read with openpyxl: the sheet asked for (or
the first), with the header in the first row, or in the row below a title row (one filled
cell above a fuller row), which is then named in ``df.attrs``. The returned frame carries
the file in ``df.attrs["source"]`` and the first data row's number in the file in
``df.attrs["first_row"]`` (the header is row 1 unless a title row was found).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import yaml

from regiopole.data.errors import DataValidationError, Problem

ENCODINGS = ("utf-8-sig", "cp1252")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SEPARATORS = ",;\t"
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}


def decode(path: Path) -> tuple[str, str]:
    """Return the text of ``path`` and the encoding that decoded it."""
    raw = path.read_bytes()
    if raw.startswith(UTF16_BOMS):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise DataValidationError(path, [Problem(None, None, "file starts like UTF-16 (Excel 'Unicode-Text') but "
                                                                 "is damaged; save it again as CSV UTF-8")]) from None
    if raw.count(b"\x00") > len(raw) // 4:
        raise DataValidationError(path, [Problem(None, None, "file looks like UTF-16 without a byte order mark; "
                                                             "save it as CSV UTF-8 (or as 'Unicode-Text' with BOM)")])
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


def header_row(rows: list[list[object]]) -> int:
    """Index of the header row: 0, or 1 when row 0 is a title (one filled cell above a fuller row)."""
    def filled(row: list[object]) -> int:
        return sum(v is not None and str(v).strip() != "" for v in row)

    if len(rows) > 1 and filled(rows[0]) == 1 and filled(rows[1]) > 1:
        return 1
    return 0


def read_excel_sheet(path: Path, sheet_name: str | int | None) -> tuple[pd.DataFrame, str, int]:
    """The sheet as text cells, its name, and the file row number of the header."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        names = workbook.sheetnames
        if isinstance(sheet_name, str) and sheet_name not in names:
            raise DataValidationError(path, [Problem(None, None, f"no sheet named {sheet_name!r}; the workbook has "
                                                                 f"{names}; give the sheet parameter one of these")])
        index = sheet_name if isinstance(sheet_name, int) else names.index(sheet_name) if sheet_name else 0
        if not 0 <= index < len(names):
            raise DataValidationError(path, [Problem(None, None, f"sheet number {index} does not exist; the workbook has {names}")])
        chosen = names[index]
        rows = [list(r) for r in workbook[chosen].iter_rows(values_only=True)]
    finally:
        workbook.close()
    while rows and all(v is None or str(v).strip() == "" for v in rows[0]):
        rows.pop(0)
    if not rows:
        raise DataValidationError(path, [Problem(None, None, f"sheet {chosen!r} is empty; expected a header row and data rows")])
    head = header_row(rows)
    width = max(len(r) for r in rows)
    header = [("" if v is None else str(v).strip()) for v in rows[head]] + [""] * (width - len(rows[head]))
    while header and header[-1] == "":
        header.pop()
    body = [[_excel_text(v) for v in r[:len(header)]] + [None] * (len(header) - len(r)) for r in rows[head + 1:]]
    return pd.DataFrame(body, columns=header, dtype=object), chosen, head + 1


def _excel_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def read_table(path: str | Path, sheet_name: str | int | None = 0) -> pd.DataFrame:
    """Read a CSV or Excel table with every cell as text (empty cells as missing).

    Raises :class:`DataValidationError` naming the file when it is missing, empty or
    has no header. For Excel files ``df.attrs["dialect"]`` names the sheet and header row
    read, so that a "column missing" error can say where it looked.
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "file not found; check the path or the data_dir parameter")])
    header_line = 1
    if path.suffix.lower() in EXCEL_SUFFIXES:
        df, sheet, header_line = read_excel_sheet(path, sheet_name)
        dialect = f"xlsx (sheet {sheet!r}, header in row {header_line}" + (
            ", a title row above it)" if header_line > 1 else ")")
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
    # Blank rows carry no data; dropping them keeps the index equal to (row number - first_row).
    df = df.dropna(how="all")
    df.attrs.update(source=str(path), first_row=header_line + 1, dialect=dialect)
    return df


def parse_decimal(values: pd.Series) -> pd.Series:
    """Rewrite decimal commas as points (``'179,59'`` -> ``'179.59'``), leave other text as is.

    Works on an in-memory copy, so the file itself is never modified.
    """
    return values.str.replace(r"^(-?\d+),(\d+)$", r"\1.\2", regex=True)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser where PyYAML has it
    """A safe loader that refuses a key given twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201 - PyYAML's signature
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)):
                continue
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice (lines {seen[key]} and {line}); keep one of them",
                    key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _UniqueKeyLoader.construct_mapping)


def parse_yaml(text: str, path: str | Path) -> object:
    """Parse YAML text of ``path``; a syntax error or a key given twice becomes a :class:`DataValidationError` with its line."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        raise DataValidationError(path, [Problem(line, None, f"not valid YAML: {exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise DataValidationError(path, [Problem(None, None, f"not valid YAML: {exc}")]) from None


def read_yaml(path: str | Path, missing_hint: str = "check the path") -> object:
    """Parse a YAML file; a missing file, a syntax error or a duplicate key becomes a :class:`DataValidationError`.

    The text is decoded like a CSV file (UTF-8, UTF-16 with BOM or Windows-1252).
    ``missing_hint`` tells the user what to check when the file is not there.
    """
    path = Path(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, f"file not found; {missing_hint}")])
    return parse_yaml(decode(path)[0], path)
