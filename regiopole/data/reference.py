"""Loaders of the public reference tables in ``data/reference`` (each validated)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from regiopole.data.cache import cached_table
from regiopole.data.io import read_table
from regiopole.data.validation import validate
from regiopole.paths import reference_dir

if TYPE_CHECKING:
    import pandera.pandas as pa


#: The model project's own presentation, the cited source of the network table, the workshop
#: themes and the goal-tree method (see data/README.md).
PROJECT_PRESENTATION = "Präsentation der Stadt Paderborn zum Modellprojekt (Stadtplanungsamt, ca. 2021/22)"
#: Where ``regiopolen.csv`` comes from (the network and its lead areas), for report source lines.
REGIOPOLEN_SOURCE = f"Regiopole-Netzwerk und Infrastrukturbereiche: {PROJECT_PRESENTATION}"


def _load(path: str | Path | None, default_name: str, schema: str) -> pd.DataFrame:
    """The table, checked with the schema ``regiopole.data.schemas.<schema>()`` (imported, with
    pandera, only when the table is not in the cache)."""
    source = Path(path) if path else reference_dir() / default_name

    def load() -> pd.DataFrame:
        from regiopole.data import schemas

        make: Callable[[], pa.DataFrameSchema] = getattr(schemas, schema)
        return validate(read_table(source), make())

    return cached_table(source, f"reference:{default_name}", load)


def load_municipalities(path: str | Path | None = None) -> pd.DataFrame:
    """Municipalities with AGS (text), Kreis, population and its date, area, tier, coordinates."""
    return _load(path, "municipalities.csv", "municipalities")


def load_regiopolen(path: str | Path | None = None) -> pd.DataFrame:
    """The cities of the Regiopole network with their lead infrastructure area."""
    return _load(path, "regiopolen.csv", "regiopolen")


def load_maturity_levels(path: str | Path | None = None) -> pd.DataFrame:
    """The OZG maturity levels 0-4 with names, definitions and OZG compliance."""
    return _load(path, "ozg_maturity_levels.csv", "maturity_levels")


def load_applications(path: str | Path | None = None) -> pd.DataFrame:
    """The catalogue of digital applications (OZG services and local digital infrastructure)."""
    return _load(path, "applications.csv", "applications")
