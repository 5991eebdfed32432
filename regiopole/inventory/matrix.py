"""Read and validate the investigation matrix (Untersuchungsmatrix) in its long form.

One row per municipality (8-digit AGS) or Kreis (5-digit Kreis key = first five digits of
its municipalities' AGS) and application: ``ags, app_id, level, provider, source_url,
date_checked``. ``level`` is an OZG maturity level ``0``-``4`` or the literal
``unbekannt``; unknown is its own value and never counts as 0. A Kreis row describes the
Kreis's own offer, which counts for every municipality of that Kreis (see
:mod:`regiopole.inventory.levels`).

Every problem is reported with file, row and column; nothing is dropped. The returned
frame keeps ``level`` as the text of the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from regiopole.data import DataValidationError, Problem, Region, data_file, read_table, schemas, validate

MATRIX_FILE = "inventory_matrix.csv"
MATRIX_COLUMNS = ["ags", "app_id", "level", "provider", "source_url", "date_checked"]
UNKNOWN = "unbekannt"
LEVEL_VALUES = ["0", "1", "2", "3", "4", UNKNOWN]
#: Text of a level -> number; unknown becomes NaN (never 0).
LEVEL_NUMBERS = {"0": 0.0, "1": 1.0, "2": 2.0, "3": 3.0, "4": 4.0, UNKNOWN: float("nan")}
KEY_PATTERN = r"^\d{5}(\d{3})?$"


def kreis_key(ags: str) -> str:
    """The 5-digit Kreis key of a municipality (``'05774032'`` -> ``'05774'``)."""
    return ags[:5]


def kreis_keys(region: Region) -> dict[str, str]:
    """Kreis key -> Kreis name for every Kreis with a member in the region."""
    m = region.municipalities
    return dict(zip(m["ags"].str[:5], m["kreis"], strict=True))


def allowed_keys(region: Region) -> list[str]:
    """Member AGS and Kreis keys: the values the ``ags`` column may hold."""
    return sorted(set(region.ags) | set(kreis_keys(region)))


def matrix_schema(region: Region, app_ids: list[str]) -> pa.DataFrameSchema:
    """pandera schema of the long-form matrix for this region and application catalogue."""
    keys = allowed_keys(region)
    kreise = ", ".join(sorted(kreis_keys(region)))
    return schemas.table({
        "ags": pa.Column(str, [
            pa.Check.str_matches(KEY_PATTERN, error="an 8-digit AGS or a 5-digit Kreis key kept as text, e.g. '05774032' or '05774' "
                                                    "(one digit less means the leading zero was lost: format the column as text)"),
            pa.Check.isin(keys, error=f"an AGS of a member of the region or the key of one of its Kreise ({kreise})"),
        ]),
        "app_id": schemas.one_of(app_ids, what=f"an app_id of data/reference/applications.csv ({len(app_ids)} known), e.g. '{app_ids[0]}'"),
        "level": schemas.one_of(LEVEL_VALUES, what="a maturity level 0, 1, 2, 3, 4 or 'unbekannt' (unknown is never written as 0)"),
        "provider": schemas.text(nullable=True),
        "source_url": pa.Column(str, pa.Check.str_matches(r"^https?://\S+$", error="a web address starting with http:// or https://"),
                                nullable=True),
        "date_checked": schemas.date(),
    })


def duplicate_problems(df: pd.DataFrame) -> list[Problem]:
    """One problem per repeated (ags, app_id) pair, naming the first row and both levels."""
    first_row = int(df.attrs.get("first_row", 2))
    rows = df.index.to_series() + first_row
    repeated = df.duplicated(["ags", "app_id"], keep=False)
    if not repeated.any():
        return []
    dup = df.loc[repeated, ["ags", "app_id", "level"]].assign(row=rows[repeated])
    first = dup.groupby(["ags", "app_id"], sort=False)[["row", "level"]].transform("first")
    later = dup[dup["row"] != first["row"]]
    problems = []
    for (ags, app_id, level, row), (first_at, first_level) in zip(
            later[["ags", "app_id", "level", "row"]].itertuples(index=False, name=None),
            first.loc[later.index].itertuples(index=False, name=None), strict=True):
        differs = f"with a different level ({first_level!r} there, {level!r} here)" if level != first_level else "with the same level"
        problems.append(Problem(int(row), "app_id", f"AGS {ags} and application '{app_id}' already in row {first_at} {differs}; "
                                                    "keep exactly one row per municipality and application"))
    return problems


def check_matrix(df: pd.DataFrame, region: Region, applications: pd.DataFrame) -> pd.DataFrame:
    """Validate a long-form matrix table (as read by ``read_table``); return it with text levels."""
    source = df.attrs.get("source", "<table>")
    repeated = duplicate_problems(df) if {"ags", "app_id", "level"} <= set(df.columns) else []
    try:
        out = validate(df, matrix_schema(region, applications["app_id"].tolist()))
    except DataValidationError as err:
        raise DataValidationError(source, sorted(err.problems + repeated, key=lambda p: (p.row or 0, p.column or ""))) from None
    if repeated:
        raise DataValidationError(source, repeated)
    out = out[MATRIX_COLUMNS].copy()
    out.attrs = dict(df.attrs)
    return out


def read_matrix(path: str | Path, region: Region, applications: pd.DataFrame) -> pd.DataFrame:
    """Read and validate a long-form matrix file (CSV or XLSX)."""
    return check_matrix(read_table(path), region, applications)


def load_matrix(data_dir: str | Path, region: Region, applications: pd.DataFrame) -> pd.DataFrame:
    """Read ``inventory_matrix.csv`` from a data folder (``data/example`` or ``data/raw``)."""
    return read_matrix(data_file(data_dir, MATRIX_FILE), region, applications)


def level_numbers(levels: pd.Series) -> pd.Series:
    """Levels as numbers 0-4 with NaN for ``unbekannt``; a value outside the scale is an error."""
    numbers = levels.astype(str).map(LEVEL_NUMBERS)
    bad = numbers.isna() & levels.ne(UNKNOWN)
    if bad.any():
        raise ValueError(f"levels outside {LEVEL_VALUES}: {sorted(set(levels[bad].astype(str)))[:5]}; validate the matrix with read_matrix first")
    return numbers
