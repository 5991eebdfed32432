"""Read the raw files of the Breitbandatlas package "Paket 3" (BNetzA, 2018-2021).

One function, :func:`read_raw`, reads any file of the package into one tidy frame with
the columns of :data:`TIDY_COLUMNS`: ``key`` (AGS of the level: 8, 5 or 2 digits, ``DG``
for Germany), ``level`` (gemeinde, kreis, land, germany), ``vintage`` (ISO date),
``segment`` (households, businesses, business_parks, area for mobile coverage),
``technology`` (all, wired, wireless, dsl, catv, ftth, plc, umts, lte, 5g, wimax, wlan,
wimax_wlan, 2g, mobile_all), ``min_mbps`` (bandwidth class, 0 where the file gives none),
``area_type`` (mobile rows only: the kind of area, e.g. ``Wohnbaufläche``) and ``share``
(per cent, 0-100).

What the files do differently, and what the loader does about it:

- Column headings are German labels in the Gemeinde files (``alle Technologien ≥ 1000
  Mbit/s``, ``leitungsg. Technologien ≥ …``, ``FTTH/B ≥ …``) and codes in the Kreis, Land
  and Germany files (``verf_300_1000`` = all technologies, ``verf_100_*`` = wired,
  ``verf_200_*`` = wireless, ``verf_ftth_*`` …). Both map onto (technology, min_mbps); a
  heading that fits neither is an error. Columns are found by name, so their order does
  not matter (``*_2019_2.csv`` files put the key last).
- Separator ``;`` or ``,``, detected per file from the header line.
- Field counts: a row with more or fewer values than the header has fields is an error
  naming the file and the row. Decision on ``deutschland_privat_2018_1.csv`` (reported
  to have more values than header fields): no repair; the copy checked has 40 header
  fields and 40 values, and any file that does not is refused.
- The Germany files name their one row in a column ``staat`` (or ``ags``, holding
  ``staat``) or have no such column. Documented repair (:data:`GERMANY_KEY`): a Germany
  file with exactly one data row gets the key ``DG`` from its file name; a key cell
  other than ``Deutschland``/``staat`` is an error.
- ``gemeinde_gewerbe_gwg_2019_mitte.csv`` holds connection counts of companies in
  business parks (``firmen_*``), not availability shares. :func:`read_raw` raises
  :class:`NotAvailabilityFile` for it; the builder lists it as skipped with that reason.
- Values outside 0-100, text that is not a number, duplicate keys, a missing key column
  or a missing required indicator: one :class:`DataValidationError` each, listing every
  problem with file, row and column. Only the columns asked for are checked: some files
  hold shares slightly above 100 (100.01-100.65) in the classes ≥ 1 … ≥ 10 Mbit/s, which
  the project does not use; reading those columns raises the error, nothing is clipped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from regiopole.data.errors import DataValidationError, Problem

TIDY_COLUMNS = ["key", "level", "vintage", "segment", "technology", "min_mbps", "area_type", "share"]
GERMANY_KEY = "DG"

LEVELS = {"gemeinde": "gemeinde", "gemeinde_bezirke": "gemeinde", "landkreis": "kreis",
          "bundesland": "land", "deutschland": "germany"}
SEGMENTS = {"privat": "households", "gew": "businesses", "gewerbe_gwg": "business_parks",
            "mobilfunk_stats": "area"}
HALVES = {"1": "06-30", "mitte": "06-30", "2": "12-31", "ende": "12-31"}
KEY_PATTERN = {"gemeinde": r"\d{8}", "kreis": r"\d{5}", "land": r"\d{2}"}
KEY_DIGITS = {"gemeinde": 8, "kreis": 5, "land": 2}

FILE_NAME = re.compile(r"(?P<level>gemeinde_bezirke|gemeinde|landkreis|bundesland|deutschland)_"
                       r"(?P<segment>privat|gewerbe_gwg|gew|mobilfunk_stats)_(?P<year>20\d\d)_(?P<half>1|2|mitte|ende)\.csv")

LABELS = {"alle Technologien": "all", "leitungsg. Technologien": "wired", "mobile Technologien": "wireless",
          "DSL": "dsl", "CATV": "catv", "FTTH/B": "ftth"}
CODES = {"300": "all", "100": "wired", "200": "wireless", "dsl": "dsl", "catv": "catv", "ftth": "ftth",
         "plc": "plc", "umts": "umts", "lte": "lte", "5g": "5g", "wimax": "wimax", "wlan": "wlan",
         "wimax/wlan": "wimax_wlan"}
NO_CLASS_CODES = {"verf_2g": "2g"}
LABEL_HEADING = re.compile(r"(?P<tech>.+?)\s*≥\s*(?P<mbps>\d+)\s*Mbit/s")
CODE_HEADING = re.compile(r"verf_(?P<tech>[a-z0-9/]+?)_(?P<mbps>\d+)")
KEY_COLUMNS = ("ags", "staat")

MOBILE_COLUMNS = {"ags": "key", "technologie": "technology", "flaechenart": "area_type", "verfügbarkeit": "share"}
MOBILE_TECHNOLOGIES = {"5G2": ("5g", 2), "LTE2": ("lte", 2), "LTE6": ("lte", 6), "LTE10": ("lte", 10),
                       "Mobil Alle": ("mobile_all", 0)}
GWG_COUNT_COLUMN = "firmen_in_gwg_gesamt"

# Indicators a file of this level and segment must have (technology, min_mbps).
REQUIRED = {
    ("gemeinde", "households"): [("all", 100), ("all", 1000)],
    ("kreis", "households"): [("all", 50)],
    ("land", "households"): [("all", 50)],
    ("germany", "households"): [("all", 50)],
}


class NotAvailabilityFile(ValueError):
    """A file of the package that holds no availability shares (the builder skips it, saying why)."""


@dataclass(frozen=True)
class RawFile:
    """What a raw file's name says: level, segment and vintage (ISO date)."""

    path: Path
    level: str
    segment: str
    vintage: str


def describe(path: str | Path) -> RawFile:
    """Level, segment and vintage of a Paket 3 file from its name (``landkreis_privat_2019_2.csv``)."""
    path = Path(path)
    match = FILE_NAME.fullmatch(path.name)
    if not match:
        raise DataValidationError(path, [Problem(None, None, "file name is not one of Paket 3: expected "
                                                 "{gemeinde|gemeinde_bezirke|landkreis|bundesland|deutschland}_"
                                                 "{privat|gew|gewerbe_gwg|mobilfunk_stats}_{year}_{1|2|mitte|ende}.csv")])
    return RawFile(path, LEVELS[match["level"]], SEGMENTS[match["segment"]],
                   f"{match['year']}-{HALVES[match['half']]}")


def heading_indicator(heading: str) -> tuple[str, int] | None:
    """(technology, min_mbps) of an availability column heading in either style, else ``None``."""
    label = LABEL_HEADING.fullmatch(heading)
    if label and label["tech"] in LABELS:
        return LABELS[label["tech"]], int(label["mbps"])
    code = CODE_HEADING.fullmatch(heading)
    if code and code["tech"] in CODES:
        return CODES[code["tech"]], int(code["mbps"])
    if heading in NO_CLASS_CODES:
        return NO_CLASS_CODES[heading], 0
    return None


QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class Source:
    """The text of a raw file, its separator and its header."""

    path: Path
    text: str
    separator: str
    header: list[str]

    def frame(self, columns: list[str], text: list[str]) -> pd.DataFrame:
        """The named columns (C parser; only these are built): ``text`` columns as text, empty cells as "",
        the others as numbers where every cell is one (else as text, for :func:`_shares` to report)."""
        table = pd.read_csv(io.StringIO(self.text), sep=self.separator, usecols=columns,
                            dtype=dict.fromkeys(text, object), keep_default_na=False, na_values=[""],
                            skipinitialspace=True)[columns]
        for column in text:
            table[column] = table[column].fillna("").astype(object)
        return table


def open_source(path: Path) -> Source:
    """Read a raw file; a data row with another number of values than the header has fields is an error."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DataValidationError(path, [Problem(None, None, "file is empty; expected a header row and data rows")])
    first = lines[0]
    separator = ";" if first.count(";") >= first.count(",") else ","
    header = [h.strip() for h in next(csv.reader([first], delimiter=separator))]
    fields = len(header)
    problems = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        count = (QUOTED.sub("", line) if '"' in line else line).count(separator) + 1
        if count != fields:
            problems.append(Problem(number, None, f"{count} values where the header has {fields} fields; the "
                                    "values cannot be matched to columns. Use the unchanged file of the package "
                                    "or fix this row"))
    if problems:
        raise DataValidationError(path, problems)
    return Source(path, text, separator, header)


def _shares(path: Path, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Columns as numbers; text that is no number or a value outside 0-100 is an error."""
    values = table[columns].apply(lambda col: col if pd.api.types.is_numeric_dtype(col) else pd.to_numeric(
        col.astype(object), errors="coerce")).astype(float)
    problems = []
    for column in columns:
        if pd.api.types.is_numeric_dtype(table[column]):
            missing = np.zeros(len(table), dtype=bool)
        else:
            missing = values[column].isna().to_numpy() & table[column].notna().to_numpy()
        text = table[column].astype(object).fillna("").astype(str).str.strip() if missing.any() else None
        for row in np.flatnonzero(missing & (text != "").to_numpy()) if text is not None else []:
            problems.append(Problem(int(row) + 2, column, f"{text.iat[row]!r} is not a number; expected a share "
                                    "in per cent with a decimal point (e.g. 72.17)"))
        for row in np.flatnonzero(((values[column] < 0) | (values[column] > 100)).to_numpy()):
            problems.append(Problem(int(row) + 2, column, f"{values[column].iat[row]} is outside 0-100; expected "
                                    "a share of households or businesses in per cent"))
    if problems:
        raise DataValidationError(path, problems)
    return values


def _keys(raw: RawFile, table: pd.DataFrame, key_column: str | None) -> pd.Series:
    """The key of each row, checked against the level's pattern; duplicates are an error."""
    path = raw.path
    if raw.level == "germany":
        if len(table) != 1:
            raise DataValidationError(path, [Problem(None, None, f"{len(table)} data rows; a Germany file has exactly one")])
        if key_column is not None:
            cell = table[key_column].iat[0].strip()
            if cell.lower() not in {"deutschland", "staat"}:
                raise DataValidationError(path, [Problem(2, key_column, f"{cell!r}; expected 'Deutschland' in a Germany file")])
        return pd.Series([GERMANY_KEY], index=table.index)
    if key_column is None:
        raise DataValidationError(path, [Problem(1, "AGS", "missing column; expected a key column 'AGS' or 'ags' "
                                                 "with the official key of each row")])
    keys = table[key_column].str.strip()
    bad = ~keys.str.fullmatch(KEY_PATTERN[raw.level])
    problems = [Problem(int(i) + 2, key_column, f"{keys.iat[i]!r} is not a {KEY_DIGITS[raw.level]}-digit key; "
                        "keys are text with leading zeros (open the file as text, not in Excel)")
                for i in np.flatnonzero(bad.to_numpy())]
    duplicated = keys.duplicated(keep=False).to_numpy()
    problems += [Problem(int(i) + 2, key_column, f"key {keys.iat[i]} appears more than once; each key must be "
                         "one row") for i in np.flatnonzero(duplicated)]
    if problems:
        raise DataValidationError(path, problems)
    return keys


def _key_column(header: list[str]) -> str | None:
    for column in header:
        if column.lower() in KEY_COLUMNS:
            return column
    return None


def read_availability(raw: RawFile, source: Source, wanted: set[tuple[str, int]] | None = None) -> dict[str, np.ndarray]:
    """Tidy rows of an availability file (households, businesses, business parks)."""
    path, header = raw.path, source.header
    if GWG_COUNT_COLUMN in header:
        raise NotAvailabilityFile(f"{path.name}: connection counts of companies in business parks (firmen_*), "
                                  "not availability shares")
    key_column = _key_column(header)
    indicators = {column: heading_indicator(column) for column in header if column != key_column}
    unknown = [column for column, indicator in indicators.items() if indicator is None]
    if unknown:
        raise DataValidationError(path, [Problem(1, column, "unknown column heading; expected a German label like "
                                                 "'alle Technologien ≥ 1000 Mbit/s' or a code like 'verf_300_1000'")
                                         for column in unknown])
    missing = [ind for ind in REQUIRED.get((raw.level, raw.segment), []) if ind not in indicators.values()]
    if missing:
        raise DataValidationError(path, [Problem(1, heading(raw.level, *ind), "missing column; every file of this "
                                                 "level and segment must have it") for ind in missing])
    keep = [column for column, indicator in indicators.items() if wanted is None or indicator in wanted]
    # Only the columns asked for are built and checked (a full file has ~50 columns, the table needs ~6).
    twice = sorted({f"{h}" for h in keep if [indicators[c] for c in keep].count(indicators[h]) > 1})
    if twice:
        raise DataValidationError(path, [Problem(1, column, "a second column for the same technology and bandwidth; "
                                                 "expected each indicator once") for column in twice])
    table = source.frame(([key_column] if key_column else []) + keep, [key_column] if key_column else [])
    keys = _keys(raw, table, key_column)
    values = _shares(path, table, keep)
    shares = values.to_numpy(dtype=float)
    present = ~np.isnan(shares).ravel()  # row-major: each key's columns in turn
    width = len(keep)
    return _arrays(raw, key=np.repeat(keys.to_numpy(dtype=object), width)[present],
                   technology=np.tile(np.array([indicators[c][0] for c in keep], dtype=object), len(keys))[present],
                   mbps=np.tile(np.array([indicators[c][1] for c in keep], dtype=np.int16), len(keys))[present],
                   area_type=np.full(int(present.sum()), "", dtype=object), share=shares.ravel()[present])


def _arrays(raw: RawFile, key: np.ndarray, technology: np.ndarray, mbps: np.ndarray, area_type: np.ndarray,
            share: np.ndarray) -> dict[str, np.ndarray]:
    """Tidy columns as arrays (the builder concatenates them; :func:`read_raw` makes a frame)."""
    n = len(key)
    return {"key": key, "level": np.full(n, raw.level, dtype=object), "vintage": np.full(n, raw.vintage, dtype=object),
            "segment": np.full(n, raw.segment, dtype=object), "technology": technology, "min_mbps": mbps,
            "area_type": area_type, "share": share}


def heading(level: str, technology: str, mbps: int) -> str:
    """The heading a column of this indicator has in a file of this level (for error messages)."""
    if level == "gemeinde":
        label = {v: k for k, v in LABELS.items()}.get(technology, technology)
        return f"{label} ≥ {mbps} Mbit/s"
    code = {v: k for k, v in CODES.items()}.get(technology, technology)
    return f"verf_{code}_{mbps}"


def read_mobile(raw: RawFile, source: Source) -> dict[str, np.ndarray]:
    """Tidy rows of a mobile coverage file (share of an area type covered, by technology)."""
    path, header = raw.path, source.header
    lower = {column.lower(): column for column in header}
    missing = [name for name in MOBILE_COLUMNS if name not in lower]
    if missing:
        raise DataValidationError(path, [Problem(1, name, "missing column; a mobile coverage file has AGS, "
                                                 "Technologie, Flaechenart and Verfügbarkeit") for name in missing])
    text_columns = [lower[k] for k in MOBILE_COLUMNS if k != "verfügbarkeit"]
    table = source.frame([lower[k] for k in MOBILE_COLUMNS], text_columns).rename(columns={lower[k]: v for k, v in MOBILE_COLUMNS.items()})
    share_column = lower["verfügbarkeit"]
    values = _shares(path, table.rename(columns={"share": share_column}), [share_column])[share_column]
    unknown = sorted(set(table["technology"]) - set(MOBILE_TECHNOLOGIES))
    if unknown:
        raise DataValidationError(path, [Problem(None, lower["technologie"], f"unknown technology {t!r}; expected one of "
                                                 f"{sorted(MOBILE_TECHNOLOGIES)}") for t in unknown])
    if raw.level == "germany":
        bad = ~table["key"].str.lower().eq("deutschland")
        keys = pd.Series(GERMANY_KEY, index=table.index)
    else:
        keys = table["key"].str.strip()
        bad = ~keys.str.fullmatch(KEY_PATTERN[raw.level])
    problems = [Problem(int(i) + 2, lower["ags"], f"{table['key'].iat[i]!r} is not a key of this level")
                for i in np.flatnonzero(bad.to_numpy())]
    duplicated = pd.DataFrame({"k": keys, "t": table["technology"], "a": table["area_type"]}).duplicated(keep=False)
    problems += [Problem(int(i) + 2, None, f"key {keys.iat[i]}, {table['technology'].iat[i]}, "
                         f"{table['area_type'].iat[i]} appears more than once") for i in np.flatnonzero(duplicated.to_numpy())]
    if problems:
        raise DataValidationError(path, problems)
    tech = [MOBILE_TECHNOLOGIES[name] for name in table["technology"]]
    shares = values.to_numpy(dtype=float)
    present = ~np.isnan(shares)
    return _arrays(raw, key=keys.to_numpy(dtype=object)[present],
                   technology=np.array([name for name, _ in tech], dtype=object)[present],
                   mbps=np.array([mbps for _, mbps in tech], dtype=np.int16)[present],
                   area_type=table["area_type"].str.strip().to_numpy(dtype=object)[present], share=shares[present])


def read_raw_arrays(path: str | Path, wanted: set[tuple[str, int]] | None = None) -> dict[str, np.ndarray]:
    """:func:`read_raw` as one array per tidy column (what the builder concatenates)."""
    raw = describe(path)
    source = open_source(raw.path)
    if raw.segment == "area":
        return read_mobile(raw, source)
    return read_availability(raw, source, wanted)


def read_raw(path: str | Path, wanted: set[tuple[str, int]] | None = None) -> pd.DataFrame:
    """One raw Paket 3 file as tidy rows (see the module docstring).

    ``wanted``: keep only these (technology, min_mbps) availability indicators (mobile
    files are kept whole). ``area_type`` is empty text except in mobile rows. Raises
    :class:`DataValidationError` for a bad file and :class:`NotAvailabilityFile` for the
    business-park count file.
    """
    return pd.DataFrame(read_raw_arrays(path, wanted))[TIDY_COLUMNS]
