"""Read the matrix as research teams keep it: a wide sheet, applications as rows,
municipalities (and Kreise) as columns.

The first column names the application (its ``app_id`` or its ``name`` from
``applications.csv``). Descriptive columns such as ``Kategorie`` or ``Themenfeld`` are
ignored; every other column heading must be a member's AGS or name, or a Kreis of the
region (5-digit key or name such as ``Kreis Paderborn``). A sheet with headings that match
nothing is rejected with the list of those headings. Cells hold ``0``-``4`` or
``unbekannt``; an empty cell means "not recorded" and adds no row (it is counted as
unknown in the scores, like a missing row of the long form).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regiopole.data import DataValidationError, Problem, Region, read_table
from regiopole.inventory.matrix import LEVEL_VALUES, MATRIX_COLUMNS, check_matrix, kreis_keys

#: Headings of descriptive columns a wide sheet may carry besides the application key.
DESCRIPTIVE_COLUMNS = {
    "app_id", "name", "category", "ozg_id", "ozg_leistung", "themenfeld", "provider_level", "benchmark_core", "description",
    "anwendung", "kategorie", "ozg-id", "ozg-leistung", "bemerkung", "bemerkungen", "beschreibung",
}


def normalise(text: str) -> str:
    """Compare headings and names case- and whitespace-insensitively."""
    return " ".join(str(text).split()).casefold()


def column_targets(region: Region) -> dict[str, str]:
    """Normalised heading -> AGS or Kreis key it stands for."""
    targets = {normalise(a): a for a in region.ags}
    targets |= {normalise(n): a for a, n in region.names().items()}
    for key, name in kreis_keys(region).items():
        targets |= {normalise(key): key, normalise(name): key}
    return targets


def match_columns(headings: list[str], region: Region, source: str) -> dict[str, str]:
    """Heading -> AGS/Kreis key for every municipality column; reject unknown or repeated ones."""
    targets = column_targets(region)
    candidates = [h for h in headings if normalise(h) not in DESCRIPTIVE_COLUMNS]
    unknown = [h for h in candidates if normalise(h) not in targets]
    problems = []
    if unknown:
        hint = " (7 digits: the leading zero of the AGS was lost; format the heading as text)" if any(h.isdigit() and len(h) == 7 for h in unknown) else ""
        what = "no heading of the municipality columns matches" if len(unknown) == len(candidates) else "these headings match"
        problems.append(Problem(1, None, f"{what} no AGS, name or Kreis of {region.name}: {unknown}{hint}; "
                                         f"use AGS such as '{region.oberzentrum}' or names such as '{region.oberzentrum_name}'"))
    matched = {h: targets[normalise(h)] for h in candidates if normalise(h) in targets}
    seen: dict[str, str] = {}
    for heading, key in matched.items():
        if key in seen:
            problems.append(Problem(1, heading, f"column '{heading}' stands for the same municipality as column '{seen[key]}'; keep one"))
        seen.setdefault(key, heading)
    if not candidates:
        problems.append(Problem(1, None, "no municipality columns; expected one column per municipality with its AGS or name as heading"))
    if problems:
        raise DataValidationError(source, problems)
    return matched


def application_ids(keys: pd.Series, applications: pd.DataFrame, column: str, source: str, first_row: int) -> pd.Series:
    """Map the first column (app_id or application name) to app_id; unknown or repeated rows are errors."""
    lookup = {normalise(a): a for a in applications["app_id"]} | {normalise(n): a for a, n in zip(applications["app_id"], applications["name"], strict=True)}
    ids = keys.map(lambda k: lookup.get(normalise(k)) if isinstance(k, str) else None)
    problems = [Problem(int(i) + first_row, column, f"expected an app_id or application name of data/reference/applications.csv, got {keys[i]!r}"
                        if isinstance(keys[i], str) else "value missing; name the application of this row")
                for i in ids.index[ids.isna()]]
    repeated = ids.notna() & ids.duplicated(keep="first")
    problems += [Problem(int(i) + first_row, column, f"application '{ids[i]}' already has a row above; keep one row per application")
                 for i in ids.index[repeated]]
    if problems:
        raise DataValidationError(source, problems)
    return ids


def read_wide_matrix(path: str | Path, region: Region, applications: pd.DataFrame, date_checked: str,
                     sheet_name: str | int = 0) -> pd.DataFrame:
    """Read a wide matrix sheet (XLSX or CSV) and return the validated long form.

    ``date_checked`` (YYYY-MM-DD) is the date the sheet was compiled; provider and source
    URL stay empty because the wide sheet does not carry them.
    """
    wide = read_table(path, sheet_name=sheet_name)
    source = wide.attrs["source"]
    first_row = int(wide.attrs["first_row"])
    if wide.empty or len(wide.columns) < 2:
        raise DataValidationError(source, [Problem(None, None, "sheet is empty; expected applications as rows and one column per municipality")])
    key_column = wide.columns[0]
    columns = match_columns([str(c) for c in wide.columns[1:]], region, source)
    app_ids = application_ids(wide[key_column], applications, key_column, source, first_row)
    cells = wide[list(columns)].assign(app_id=app_ids, row=wide.index + first_row)
    long = cells.melt(id_vars=["app_id", "row"], var_name="heading", value_name="level").dropna(subset=["level"])
    long["level"] = long["level"].str.casefold()
    bad = long[~long["level"].isin(LEVEL_VALUES)]
    if not bad.empty:
        raise DataValidationError(source, [Problem(int(r.row), r.heading, f"expected a maturity level 0, 1, 2, 3, 4 or 'unbekannt', got {r.level!r}")
                                           for r in bad.sort_values(["row", "heading"]).itertuples()])
    long = long.assign(ags=long["heading"].map(columns), provider=None, source_url=None, date_checked=date_checked)
    long = long.sort_values(["row", "ags"]).reset_index(drop=True)[MATRIX_COLUMNS]
    long.attrs = {"source": f"{source} (wide sheet)", "first_row": 2}
    return check_matrix(long, region, applications)
