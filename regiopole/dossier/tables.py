"""Loaders of the tables the other reports publish, as far as a dossier reads them.

Each table is read from ``<output_dir>/tables/``, only the columns the dossier uses (the
tables are the project's own UTF-8 CSV files, so pandas reads them directly: 29 dossiers
read them), and checked with a pandera schema; numbers are parsed, a missing column or a
bad cell is a :class:`regiopole.data.DataValidationError` naming file, row and column. A table that
has not been written yet is not an error: its section says that the report behind it
has not run (``None`` here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from regiopole.data import DataValidationError, Problem, validate
from regiopole.data.ags import all_ags
from regiopole.data.cache import cached_table


@dataclass(frozen=True)
class Published:
    """One published table: its file, the report that writes it, the columns read."""

    file: str
    report: str  # German name of the report that writes it (for "not available yet")
    text: tuple[str, ...]
    numbers: tuple[str, ...] = ()
    ags: str | None = "ags"  # the AGS column, checked as 8 digits

    @property
    def columns(self) -> list[str]:
        return [*self.text, *self.numbers, *([self.ags] if self.ags else [])]

    def schema(self):
        from regiopole.data import schemas  # with pandera, only when a table is not in the cache

        columns = {name: schemas.text(nullable=True) for name in self.text}
        columns.update({name: schemas.number(nullable=True) for name in self.numbers})
        if self.ags:
            columns[self.ags] = schemas.ags()
        return schemas.table(columns)


INDICATORS = ("hh_1000", "hh_1000_first", "hh_100", "hh_ftth", "bus_1000", "bus_ftth")
TREND_TEXT = ("name", "vintage", "first_vintage")

TABLES: dict[str, Published] = {
    "municipalities": Published("region_municipalities.csv", "Die Region", ("Gemeinde", "Größenklasse"), ags="AGS"),
    "trends": Published("trends_municipalities.csv", "Entwicklungstrends", TREND_TEXT, (*INDICATORS, "rank_hh_1000")),
    "trends_reference": Published("trends_reference.csv", "Entwicklungstrends", ("unit", *TREND_TEXT), INDICATORS, ags=None),
    "inventory_index": Published("inventory_index.csv", "Bestandsaufnahme digitaler Anwendungen", ("name",),
                                 ("maturity_index", "maturity_index_own", "share_ozg_compliant", "rank")),
    "inventory_gaps": Published("inventory_gaps.csv", "Bestandsaufnahme digitaler Anwendungen",
                                ("app_id", "name", "category", "providers"), ("level", "compliant_level")),
    "inventory_candidates": Published("inventory_candidates.csv", "Bestandsaufnahme digitaler Anwendungen",
                                      ("Anwendungs-ID",), ags=None),
    "survey_participation": Published("survey_participation.csv", "Befragung der Kommunen", ("participated",)),
    "poll_participation": Published("leitprojekte_umfrage_teilnahme.csv", "Leitprojekte", ("participated",)),
    "project_participants": Published("leitprojekte_beteiligte.csv", "Leitprojekte", ("project_id",)),
    "projects": Published("leitprojekte_kandidaten.csv", "Leitprojekte",
                          ("ID", "Leitprojekt", "Zielbaum-Knoten", "Federführung", "Zeithorizont"), ags=None),
    "selection": Published("leitprojekte_auswahl.csv", "Leitprojekte", ("ID", "Ausgewählt"), ags=None),
    "goal_tree": Published("goal_tree.csv", "Workshops und Zielbaum", ("ID", "Typ", "Titel", "Übergeordnet"), ags=None),
}


def table_path(output_dir: Path, key: str) -> Path:
    """Where table ``key`` is published."""
    return output_dir / "tables" / TABLES[key].file


#: Tables of which a dossier reads only the rows of its municipality and of the Oberzentrum
#: (as declared for the pipeline in ``notebooks/pipeline.yaml``): only those rows are checked.
PER_MUNICIPALITY = ("trends", "inventory_gaps", "project_participants")


def load(output_dir: Path, key: str, ags: tuple[str, ...] | None = None) -> pd.DataFrame | None:
    """Table ``key`` checked and with numbers parsed, or ``None`` when it has not been written;
    with ``ags``, only the rows of those municipalities. Read once per version of the file
    (:func:`regiopole.data.cache.cached_table`): every dossier reads the same tables."""
    path = table_path(output_dir, key)
    if not path.is_file():
        return None
    if ags is None:
        return cached_table(path, f"dossier:{key}", lambda: _checked(key, _text_table(path, key)))

    def rows() -> pd.DataFrame:
        table = cached_table(path, f"dossier-text:{key}", lambda: _text_table(path, key))
        return _checked(key, table[table[TABLES[key].ags].isin(ags)])

    return cached_table(path, f"dossier:{key}:ags={','.join(ags)}", rows)


def _text_table(path: Path, key: str) -> pd.DataFrame:
    """The columns the dossier uses, as text (the index is the data row: row numbers in errors)."""
    spec = TABLES[key]
    header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    absent = [column for column in spec.columns if column not in header]
    if absent:
        raise DataValidationError(path, [Problem(None, column, f"column missing; the report „{spec.report}“ writes it: "
                                                 "run that report again") for column in absent])
    table = pd.read_csv(path, usecols=spec.columns, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table.attrs.update(source=str(path), first_row=2)
    return table


def _checked(key: str, table: pd.DataFrame) -> pd.DataFrame:
    spec = TABLES[key]
    table = table.mask(table.eq(""), None)[spec.columns]
    if table.empty or not spec.numbers and (not spec.ags or all_ags(table[spec.ags])):
        # Nothing to parse and nothing the schema could reject: no rows (no gaps, no project of
        # this member), text only, or text and AGS of 8 digits. The schema would return the table
        # as it is; pandera's import and first check cost a dossier's kernel 0.3 s of CPU.
        return table
    return validate(table, spec.schema())


def preload_tables(output_dir: str | Path) -> None:
    """Read and check every published table the dossiers share, once, for the dossier kernels
    forked from this process (``warm`` in ``notebooks/pipeline.yaml``). A table that is missing
    or wrong is left to each dossier, which reports it."""
    for key in TABLES:
        try:
            load(Path(output_dir), key, () if key in PER_MUNICIPALITY else None)
        except DataValidationError:
            continue


def load_all(output_dir: Path, ags: str, oberzentrum: str) -> dict[str, pd.DataFrame | None]:
    """Every table the dossier of ``ags`` reads (``None`` for those not written yet)."""
    return {key: load(output_dir, key, (ags, oberzentrum) if key in PER_MUNICIPALITY else None) for key in TABLES}
