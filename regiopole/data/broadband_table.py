"""The project's broadband reference table: built from the raw Paket 3 files, loaded and checked.

``data/reference/broadband/paket3_indicators.parquet`` holds, for every German
municipality (boundaries of each vintage), Kreis, Land and Germany, the indicators the
reports use (:data:`KEEP`) in the tidy columns of :data:`regiopole.data.broadband.TIDY_COLUMNS`
plus ``in_zensus_2022``: for Gemeinde rows whether the AGS is in the Zensus 2022 list
(today's municipalities), empty for the other levels. Rows of AGS that no longer exist are
kept and listed in ``build_report.md``, never dropped. Germany and the Kreise and Länder are
the published aggregates, never recomputed from municipalities.

Parquet (pyarrow) rather than a compressed CSV: the table has about 0.8 million rows; as
Parquet it is a third of the size of the gzip CSV and loads with its types (AGS as text
with the leading zero, dates, categories) in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from regiopole.data.atomic import atomic_path
from regiopole.data.broadband import (FILE_NAME, GERMANY_KEY, KEY_DIGITS, TIDY_COLUMNS, NotAvailabilityFile,
                                      describe, read_raw_arrays)
from regiopole.data.errors import DataValidationError, Problem
from regiopole.paths import reference_dir

KEEP = {
    "households": {("all", 50), ("all", 100), ("all", 1000), ("wired", 1000), ("catv", 1000), ("ftth", 1000)},
    "businesses": {("wired", 100), ("wired", 1000), ("catv", 1000), ("ftth", 1000)},
    "business_parks": {("wired", 100), ("wired", 1000), ("catv", 1000), ("ftth", 1000)},
}
COLUMNS = [*TIDY_COLUMNS, "in_zensus_2022"]
LEVEL_ORDER = ["gemeinde", "kreis", "land", "germany"]
SEGMENT_ORDER = ["households", "businesses", "business_parks", "area"]
TABLE_NAME = "paket3_indicators.parquet"
MUNICIPALITIES_NAME = "gemeinden_zensus2022.csv"
REPORT_NAME = "build_report.md"
REBUILD_HINT = "rebuild it with `regiopole fetch-broadband`"


def broadband_dir() -> Path:
    """Folder of the shipped broadband reference data."""
    return reference_dir() / "broadband"


def load_current_municipalities(path: str | Path | None = None) -> pd.DataFrame:
    """Today's municipalities (Zensus 2022 list): ``ags`` (text), ``name``, ``population`` (15.05.2022)."""
    path = Path(path) if path else broadband_dir() / MUNICIPALITIES_NAME
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "file not found; it ships with the project (git checkout)")])
    table = pd.read_csv(path, dtype={"ags": str, "name": str}, keep_default_na=False)
    problems = [Problem(None, c, "missing column") for c in ("ags", "name", "population") if c not in table.columns]
    if not problems:
        bad = ~table["ags"].str.fullmatch(r"\d{8}")
        problems = [Problem(int(i) + 2, "ags", f"{table['ags'].iat[i]!r} is not an 8-digit AGS") for i in bad[bad].index]
        problems += [Problem(int(i) + 2, "ags", "AGS listed twice") for i in table.index[table["ags"].duplicated()]]
    if problems:
        raise DataValidationError(path, problems)
    return table


@dataclass
class Build:
    """The rebuilt table and what the build has to tell: files read, skipped, AGS not in today's list."""

    table: pd.DataFrame
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    not_current: pd.DataFrame = field(default_factory=pd.DataFrame)

    def report_markdown(self) -> str:
        """The build report (English, for maintainers): counts, skipped files, former AGS per file."""
        lines = ["# Build report of paket3_indicators.parquet", "",
                 f"Rows: {len(self.table)}; raw files read: {len(self.files)}; skipped: {len(self.skipped)}.", "",
                 "## Skipped files", ""]
        lines += [f"- `{name}`: {reason}" for name, reason in self.skipped] or ["- none"]
        lines += ["", "## Gemeinde keys not in the Zensus 2022 list (kept in the table, `in_zensus_2022 = false`)", "",
                  "Former municipalities (merged since) and the districts of Berlin and Hamburg "
                  "(`gemeinde_bezirke_*` files).", "", "| vintage | segment | keys | of which Berlin/Hamburg districts |",
                  "| --- | --- | --- | --- |"]
        if not self.not_current.empty:
            grouped = self.not_current.groupby(["vintage", "segment"], observed=True)["key"]
            for (vintage, segment), keys in grouped:
                districts = keys.str.match(r"^(02|11)000\d\d\d$").sum()
                lines.append(f"| {vintage} | {segment} | {keys.nunique()} | {districts} |")
            lines += ["", "Keys (all vintages):", "", ", ".join(sorted(self.not_current["key"].unique()))]
        return "\n".join(lines) + "\n"


def raw_files(raw_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Paket 3 CSV files in ``raw_dir`` (any depth), and files skipped because their name is not one of the package."""
    found, skipped = [], []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        if FILE_NAME.fullmatch(path.name):
            found.append(path)
        else:
            skipped.append((path.name, "not a Paket 3 data file name"))
    return found, skipped


def build_reference(raw_dir: str | Path, current_ags: set[str], progress: bool = False) -> Build:
    """Read every raw file of ``raw_dir`` and assemble the tidy reference table (nothing written)."""
    raw_dir = Path(raw_dir)
    paths, skipped = raw_files(raw_dir)
    if not any(describe(p).level == "gemeinde" and describe(p).segment == "households" for p in paths):
        raise DataValidationError(raw_dir, [Problem(None, None, "no Gemeinde household file (gemeinde_privat_*.csv); "
                                                    "this is not the unzipped Paket 3 of the Breitbandatlas")])
    parts, files = [], []
    for path in tqdm(paths, desc="Paket 3", unit="Datei", disable=not progress, leave=False):
        raw = describe(path)
        try:
            part = read_raw_arrays(path, None if raw.segment == "area" else KEEP[raw.segment])
        except NotAvailabilityFile as exc:
            skipped.append((path.name, str(exc).split(": ", 1)[1]))
            continue
        parts.append(part)
        files.append(path.name)
    seen: dict[tuple[str, str, str], str] = {}
    for path in paths:
        raw = describe(path)
        slot = (raw.level, raw.segment, raw.vintage)
        if slot in seen and path.name in files:
            raise DataValidationError(raw_dir, [Problem(None, None, f"{seen[slot]} and {path.name} both hold {raw.level} "
                                                        f"{raw.segment} {raw.vintage}; keep one file per level, segment "
                                                        "and vintage")])
        if path.name in files:
            seen[slot] = path.name
    table = assemble({column: np.concatenate([part[column] for part in parts]) for column in TIDY_COLUMNS})
    gemeinde = (table["level"] == "gemeinde").to_numpy()
    known = np.array([key in current_ags for key in table["key"].cat.categories])[table["key"].cat.codes.to_numpy()]
    flag = pd.array(np.where(gemeinde, known, False), dtype="boolean")
    flag[~gemeinde] = pd.NA
    table["in_zensus_2022"] = flag
    lost = table.loc[gemeinde & ~known, ["vintage", "segment", "key"]].astype(str).drop_duplicates()
    return Build(table=table, files=files, skipped=skipped, not_current=lost.reset_index(drop=True))


def assemble(columns: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sorted rows with compact types: categories for the repeated text, so the file is small and loads fast."""
    orders = {"level": LEVEL_ORDER, "segment": SEGMENT_ORDER}
    coded = {}
    for column in ("key", "level", "vintage", "segment", "technology", "area_type"):
        categories = orders.get(column) or sorted(set(columns[column]))
        coded[column] = pd.Categorical(columns[column], categories=categories)
    codes = {column: np.asarray(cat.codes) for column, cat in coded.items()}
    if any((c < 0).any() for c in codes.values()):
        raise ValueError("a level or segment outside the known ones")  # pragma: no cover - describe() prevents it
    order = np.lexsort((codes["key"], codes["area_type"], columns["min_mbps"], codes["technology"], codes["vintage"],
                        codes["segment"], codes["level"]))
    table = pd.DataFrame({column: pd.Categorical.from_codes(codes[column][order], coded[column].categories)
                          for column in coded})
    table["min_mbps"] = columns["min_mbps"][order].astype("int16")
    table["share"] = columns["share"][order].astype("float64")
    return table[TIDY_COLUMNS]


def write_reference(build: Build, out_dir: str | Path | None = None) -> list[Path]:
    """Write the table (Parquet) and the build report atomically into ``out_dir``."""
    out_dir = Path(out_dir) if out_dir else broadband_dir()
    table_path, report_path = out_dir / TABLE_NAME, out_dir / REPORT_NAME
    with atomic_path(table_path) as tmp:
        build.table.to_parquet(tmp, engine="pyarrow", compression="zstd", index=False)
    with atomic_path(report_path) as tmp:
        tmp.write_text(build.report_markdown(), encoding="utf-8")
    return [table_path, report_path]


def load_broadband(path: str | Path | None = None, keys: Iterable[str] | None = None) -> pd.DataFrame:
    """The shipped broadband reference table, validated (see the module docstring).

    ``keys``: read only the rows of these keys (AGS, Kreis or Land keys, ``DG``), which is
    what one region's report needs; they are validated alike. Raises
    :class:`DataValidationError` naming the file and the problem when the file is missing,
    has other columns, a key that does not fit its level, a share outside 0-100 or a row twice.
    """
    path = Path(path) if path else broadband_dir() / TABLE_NAME
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, f"file not found; {REBUILD_HINT}")])
    filters = None if keys is None else [("key", "in", sorted(set(keys)))]
    table = pd.read_parquet(path, engine="pyarrow", filters=filters)
    problems = [Problem(None, c, f"missing column; {REBUILD_HINT}") for c in COLUMNS if c not in table.columns]
    if problems:
        raise DataValidationError(path, problems)
    problems += _check_values(table)
    if problems:
        raise DataValidationError(path, problems)
    return table[COLUMNS]


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and their values (text) of a column; categories keep this cheap for 0.8 million rows."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return np.asarray(column.cat.codes, dtype=np.int64), [str(c) for c in column.cat.categories]
    values, uniques = pd.factorize(column, use_na_sentinel=True)
    return values.astype(np.int64), [str(u) for u in uniques]


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Distinct values by sorting (numpy's hash-based ``unique`` is several times slower on 0.8 million codes)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


def _check_values(table: pd.DataFrame) -> list[Problem]:
    """Every problem of the loaded table, found on integer codes (so validation stays well under a second)."""
    problems = []
    codes = {column: _codes(table[column]) for column in ("key", "level", "vintage", "segment", "technology", "area_type")}
    for column in codes:
        if (codes[column][0] < 0).any():
            problems.append(Problem(int(np.flatnonzero(codes[column][0] < 0)[0]) + 2, column, f"empty; {REBUILD_HINT}"))
    for column, allowed in (("level", LEVEL_ORDER), ("segment", SEGMENT_ORDER)):
        unknown = set(codes[column][1]) - set(allowed)
        problems += [Problem(None, column, f"unknown value {u!r}; expected one of {allowed}") for u in sorted(unknown)]
    if problems:
        return problems
    share = table["share"].to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(share) | (share < 0) | (share > 100))
    problems += [Problem(int(i) + 2, "share", f"{share[i]} is not a share in per cent (0-100); {REBUILD_HINT}")
                 for i in bad[:20]]
    key_codes, keys = codes["key"]
    level_codes, levels = codes["level"]
    pairs = _sorted_unique(key_codes * len(levels) + level_codes)
    expected = {**KEY_DIGITS, "germany": len(GERMANY_KEY)}
    for pair in pairs:
        key, level = keys[pair // len(levels)], levels[pair % len(levels)]
        if len(key) != expected[level] or not (key.isdigit() or key == GERMANY_KEY):
            problems.append(Problem(None, "key", f"{key!r} does not fit level {level}; {REBUILD_HINT}"))
            if len(problems) > 20:
                break
    mbps_codes, _ = pd.factorize(table["min_mbps"])
    combined = np.zeros(len(table), dtype=np.int64)
    for values, size in [codes[c] for c in ("key", "level", "vintage", "segment", "technology", "area_type")] + \
            [(mbps_codes.astype(np.int64), list(range(int(mbps_codes.max()) + 1 if len(mbps_codes) else 1)))]:
        combined = combined * max(len(size), 1) + values
    unique = _sorted_unique(combined)
    if len(unique) != len(combined):
        problems.append(Problem(None, None, f"{len(combined) - len(unique)} rows appear twice; {REBUILD_HINT}"))
    return problems
