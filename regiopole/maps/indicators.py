"""What the maps can show: the indicators, their German labels, and loaders of the tables
other notebooks write (inventory index, survey participation, broadband availability).

The maps module never imports the inventory or survey modules; it reads their published
tables. A table that does not exist yet is not an error: its indicator shows "keine Angabe".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from regiopole import style
from regiopole.data import read_table, schemas, validate

NO_DATA = "keine Angabe"
#: The inventory's maturity index runs from 0 to 100 (mean OZG level 0-4 of the applications, times 25).
INDEX_MAX = 100
#: One OZG maturity level in index points.
INDEX_LEVEL_STEP = INDEX_MAX / 4
PARTICIPATION_VALUES = ("ja", "nein")


@dataclass(frozen=True)
class Indicator:
    """How one column is classed, coloured and labelled on the maps."""

    column: str
    label: str
    kind: str  # "numeric" or "category"
    source: str
    decimals: int = 0
    scheme: str = "FisherJenks"
    k: int = 5
    bins: tuple[float, ...] | None = None  # fixed class limits (upper bounds), used instead of scheme
    minimum: float | None = None  # lower end of a fixed scale
    colors: tuple[str, ...] | None = None
    cmap: str = "YlGnBu"
    categories: dict[str, str] = field(default_factory=dict)  # category -> colour
    hatched: tuple[str, ...] = ()  # categories also drawn hatched, so they differ by more than colour
    project_data: bool = True  # values come from the project's (or example) data


INDICATORS: dict[str, Indicator] = {
    "maturity_index": Indicator(
        column="maturity_index", label=f"Reifegrad-Index (0–{INDEX_MAX})", kind="numeric", decimals=0,
        source="Bestandsaufnahme (Untersuchungsmatrix)", bins=(20.0, 40.0, 60.0, 80.0, 100.0), minimum=0.0,
        colors=tuple(style.MATURITY_COLORS)),
    "population": Indicator(
        column="population", label="Einwohnerinnen und Einwohner", kind="numeric", decimals=0,
        source="Zensus 2022", scheme="FisherJenks", k=5, cmap="YlGnBu", project_data=False),
    "hh_1000": Indicator(
        column="hh_1000", label="Haushalte mit Zugang zu ≥ 1000 Mbit/s (%)", kind="numeric", decimals=0,
        source="Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur (amtliche Daten)",
        bins=(20.0, 40.0, 60.0, 80.0, 100.0), minimum=0.0, cmap="YlGnBu", project_data=False),
    "participated": Indicator(
        column="participated", label="Teilnahme an der Befragung", kind="category",
        source="Befragung der Kommunen", categories=dict(style.PARTICIPATION_COLORS),
        hatched=("nein",)),
}


def indicator(name: str) -> Indicator:
    """The indicator called ``name``; a clear error lists the known ones."""
    if name not in INDICATORS:
        raise ValueError(f"unknown indicator {name!r}; choose one of {', '.join(INDICATORS)}")
    return INDICATORS[name]


def inventory_index_schema():
    """Columns the maps need from ``tables/inventory_index.csv`` (written by the inventory notebook)."""
    return schemas.table({
        "ags": schemas.ags(unique=True),
        "name": schemas.text(nullable=True),
        "maturity_index": schemas.number(0, INDEX_MAX, nullable=True),
        "index_low": schemas.number(0, INDEX_MAX, nullable=True),
        "index_high": schemas.number(0, INDEX_MAX, nullable=True),
    })


def participation_schema():
    """Columns the maps need from ``tables/survey_participation.csv`` (written by the survey notebook)."""
    return schemas.table({
        "ags": schemas.ags(unique=True),
        "name": schemas.text(nullable=True),
        "participated": schemas.one_of(PARTICIPATION_VALUES),
    })


def broadband_schema():
    """Columns the maps need from ``tables/trends_municipalities.csv`` (written by the Entwicklungstrends notebook)."""
    return schemas.table({
        "ags": schemas.ags(unique=True),
        "name": schemas.text(nullable=True),
        "vintage": schemas.date(),
        "hh_1000": schemas.number(0, 100, nullable=True),
    })


def _load_optional(path: str | Path | None, schema) -> pd.DataFrame | None:
    if path is None or not Path(path).is_file():
        return None
    return validate(read_table(path), schema)


def load_inventory_index(path: str | Path | None) -> pd.DataFrame | None:
    """The inventory index per municipality, or ``None`` when the table has not been written."""
    return _load_optional(path, inventory_index_schema())


def load_participation(path: str | Path | None) -> pd.DataFrame | None:
    """Survey participation (ja/nein) per municipality, or ``None`` when the table has not been written."""
    return _load_optional(path, participation_schema())


def load_broadband(path: str | Path | None) -> pd.DataFrame | None:
    """Official gigabit availability per municipality, or ``None`` when the table has not been written."""
    return _load_optional(path, broadband_schema())
