"""pandera schemas of the reference tables, and column builders the other tables share.

Each check carries an ``error`` text that completes the sentence "expected ...", so
that a validation error reads like an instruction.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandera.pandas as pa

from regiopole.data.ags import AGS_EXPECTED, AGS_PATTERN


def text(nullable: bool = False, unique: bool = False, **kwargs) -> pa.Column:
    """A free-text column."""
    return pa.Column(str, nullable=nullable, unique=unique, **kwargs)


def ags(allowed: Iterable[str] | None = None, unique: bool = False, nullable: bool = False) -> pa.Column:
    """An AGS column; with ``allowed``, every value must be one of them."""
    checks = [pa.Check.str_matches(AGS_PATTERN, error=AGS_EXPECTED)]
    if allowed is not None:
        allowed = sorted(set(allowed))
        checks.append(pa.Check.isin(allowed, error=f"an AGS of the region ({len(allowed)} known; see data/reference/municipalities.csv)"))
    return pa.Column(str, checks=checks, unique=unique, nullable=nullable)


def one_of(values: Iterable[str], nullable: bool = False, what: str = "") -> pa.Column:
    """A column whose values come from a fixed list."""
    values = list(values)
    label = what or "one of " + ", ".join(repr(v) for v in values)
    return pa.Column(str, pa.Check.isin(values, error=label), nullable=nullable)


def integer(min_value: int | None = None, max_value: int | None = None, nullable: bool = False) -> pa.Column:
    """A whole-number column, optionally bounded."""
    checks = []
    if min_value is not None and max_value is not None:
        checks.append(pa.Check.in_range(min_value, max_value, error=f"a whole number from {min_value} to {max_value}"))
    elif min_value is not None:
        checks.append(pa.Check.ge(min_value, error=f"a whole number >= {min_value}"))
    return pa.Column("Int64", checks=checks, coerce=True, nullable=nullable)


def number(min_value: float | None = None, max_value: float | None = None, nullable: bool = False) -> pa.Column:
    """A decimal-number column (decimal comma accepted), optionally bounded."""
    checks = []
    if min_value is not None and max_value is not None:
        checks.append(pa.Check.in_range(min_value, max_value, error=f"a number from {min_value} to {max_value}"))
    elif min_value is not None:
        checks.append(pa.Check.ge(min_value, error=f"a number >= {min_value}"))
    return pa.Column(float, checks=checks, coerce=True, nullable=nullable)


def date(nullable: bool = False) -> pa.Column:
    """An ISO date column (YYYY-MM-DD)."""
    return pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="a date as YYYY-MM-DD"), nullable=nullable)


def yes_no(nullable: bool = False) -> pa.Column:
    """A yes/no flag column."""
    return one_of(["yes", "no"], nullable=nullable, what="'yes' or 'no'")


def table(columns: dict[str, pa.Column], unique: list[str] | None = None) -> pa.DataFrameSchema:
    """A schema that requires every listed column and allows extra ones."""
    return pa.DataFrameSchema(columns, unique=unique, strict=False, report_duplicates="all")


CENTRAL_PLACE_TIERS = ["Oberzentrum", "Mittelzentrum", "Grundzentrum"]
OZG_THEMENFELDER = [
    "Arbeit & Ruhestand", "Bauen & Wohnen", "Bildung", "Ein- & Auswanderung", "Engagement & Hobby",
    "Familie & Kind", "Forschung & Förderung", "Gesundheit", "Mobilität & Reisen", "Querschnitt",
    "Recht & Ordnung", "Steuern & Zoll", "Umwelt", "Unternehmensführung & -entwicklung",
]
PROVIDER_LEVELS = ["gemeinde", "kreis", "gemeinde_oder_kreis"]


def municipalities() -> pa.DataFrameSchema:
    """Schema of ``municipalities.csv`` (one row per municipality)."""
    return table({
        "name": text(unique=True),
        "ags": ags(unique=True),
        "kreis": text(),
        "population": integer(min_value=0),
        "population_date": date(),
        "population_earlier": pa.Column("Int64", pa.Check.ge(0, error="a whole number >= 0"), coerce=True,
                                        nullable=True, required=False),
        "population_earlier_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="a date as YYYY-MM-DD"),
                                             nullable=True, required=False),
        "area_km2": number(min_value=0),
        "central_place_tier": one_of(CENTRAL_PLACE_TIERS),
        "central_place_tier_verified": yes_no(),
        "lat": number(47.0, 55.1),
        "lon": number(5.8, 15.1),
    })


def regiopolen() -> pa.DataFrameSchema:
    """Schema of ``regiopolen.csv`` (the cities of the Regiopole network)."""
    return table({
        "name": text(unique=True),
        "land": text(),
        "ags": ags(unique=True),
        "population": integer(min_value=0),
        "population_date": date(),
        "population_earlier": pa.Column("Int64", pa.Check.ge(0, error="a whole number >= 0"), coerce=True,
                                        nullable=True, required=False),
        "population_earlier_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="a date as YYYY-MM-DD"),
                                             nullable=True, required=False),
        "area_km2": number(min_value=0),
        "lat": number(47.0, 55.1),
        "lon": number(5.8, 15.1),
        "lead_infrastructure_area": text(),
        "member_since": integer(2016, 2100),
    })


def maturity_levels() -> pa.DataFrameSchema:
    """Schema of ``ozg_maturity_levels.csv`` (OZG maturity levels 0-4)."""
    return table({
        "level": integer(0, 4),
        "name": text(unique=True),
        "definition": text(),
        "ozg_compliant": yes_no(),
    }, unique=["level"])


def applications() -> pa.DataFrameSchema:
    """Schema of ``applications.csv`` (the catalogue the inventory looks for)."""
    return table({
        "app_id": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="a snake_case id such as 'kfz_zulassung'"), unique=True),
        "name": text(),
        "category": text(),
        "ozg_id": pa.Column(str, pa.Check.str_matches(r"^\d{5}$", error="a 5-digit OZG-ID or an empty cell"), nullable=True),
        "themenfeld": one_of(OZG_THEMENFELDER, nullable=True, what="an OZG Themenfeld of the 2019 catalogue or an empty cell"),
        "provider_level": one_of(PROVIDER_LEVELS),
        "benchmark_core": yes_no(),
    })
