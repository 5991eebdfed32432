"""The report's tables: per municipality, per comparison unit, and the contract tables other reports read.

``municipalities_table`` and ``reference_table`` are written as ``trends_municipalities.csv``
and ``trends_reference.csv``; other reports (the municipality dossier, the regional map)
read them, so their columns are fixed (see :data:`MUNICIPALITY_COLUMNS`,
:data:`REFERENCE_COLUMNS`). Shares are in per cent (0-100) as the Breitbandatlas publishes
them; the region's value is the population-weighted mean of its municipalities
(Zensus 2022 population; the atlas has no household counts per municipality).
"""

from __future__ import annotations

import pandas as pd

from regiopole.data import Region
from regiopole.trends.indicators import (CONTRACT, GERMANY_KEY, HH_1000, Indicator, Shares, kreise, laender, vintages,
                                         wide)
from regiopole.trends.measures import weighted_mean

MUNICIPALITY_COLUMNS = ["ags", "name", "vintage", "hh_1000", "hh_1000_first", "first_vintage", "hh_100", "hh_ftth",
                        "bus_1000", "bus_ftth", "rank_hh_1000"]
REFERENCE_COLUMNS = ["unit", "name", "vintage", "hh_1000", "hh_1000_first", "first_vintage", "hh_100", "hh_ftth",
                     "bus_1000", "bus_ftth", "weighting"]
REGION_WEIGHTING = "Mittel der Kommunen, gewichtet mit der Einwohnerzahl (Zensus 2022)"
OFFICIAL_WEIGHTING = "amtlicher Wert des Breitbandatlas"


def latest(table: Shares, indicator: Indicator = HH_1000) -> str:
    """The newest vintage of the indicator at the municipal level (ISO date)."""
    return vintages(table, indicator)[-1]


def first(table: Shares, indicator: Indicator = HH_1000) -> str:
    """The oldest vintage of the indicator at the municipal level (ISO date)."""
    return vintages(table, indicator)[0]


def value(table: Shares, indicator: Indicator, level: str, key: str, vintage: str) -> float:
    """One published share (``nan`` when the vintage has none for this key)."""
    return table.of(indicator, level).get(key, {}).get(vintage, float("nan"))


def _latest_of(table: Shares, indicator: Indicator, level: str, keys: list[str]) -> pd.Series:
    shares = wide(table, indicator, level, keys)
    return shares[latest(table, indicator)] if latest(table, indicator) in shares.columns else pd.Series(float("nan"), index=keys)


def municipalities_table(table: Shares, region: Region) -> pd.DataFrame:
    """Contract table: one row per member, the newest vintage, the gigabit share at the first vintage, rank."""
    members = region.ags
    newest, oldest = latest(table), first(table)
    hh_1000 = wide(table, HH_1000, "gemeinde", members)
    out = pd.DataFrame({"ags": members, "name": list(map(region.names().get, members)), "vintage": newest,
                        "hh_1000": hh_1000.get(newest, pd.Series(index=members, dtype=float)).to_numpy(),
                        "hh_1000_first": hh_1000.get(oldest, pd.Series(index=members, dtype=float)).to_numpy(),
                        "first_vintage": oldest})
    for indicator in CONTRACT[1:]:
        out[indicator.column] = _latest_of(table, indicator, "gemeinde", members).to_numpy()
    out["rank_hh_1000"] = out["hh_1000"].rank(ascending=False, method="min").astype("Int64")
    return out[MUNICIPALITY_COLUMNS]


def units(region: Region) -> list[tuple[str, str, str, str]]:
    """Comparison units as (unit, name, level, key): Oberzentrum, the members' Kreise and Länder, Germany."""
    out = [("oberzentrum", region.oberzentrum_name, "gemeinde", region.oberzentrum)]
    out += [(f"kreis:{key}", name, "kreis", key) for key, name in kreise(region).items()]
    out += [(f"land:{key}", name, "land", key) for key, name in laender(region).items()]
    return out + [("germany", "Deutschland", "germany", GERMANY_KEY)]


def reference_table(table: Shares, region: Region, municipalities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Contract table: one row per comparison unit (region, Oberzentrum, Kreise, Länder, Germany)."""
    municipalities = municipalities_table(table, region) if municipalities is None else municipalities
    newest, oldest = latest(table), first(table)
    weights = region.municipalities.set_index("ags")["population"].astype(float)
    shares = municipalities.set_index("ags")
    region_row = {"unit": "region", "name": region.name, "vintage": newest, "first_vintage": oldest,
                  "weighting": REGION_WEIGHTING}
    for column in ("hh_1000", "hh_1000_first", *(i.column for i in CONTRACT[1:])):
        region_row[column] = (round(weighted_mean(shares[column], weights), 2) if shares[column].notna().any()
                              else float("nan"))
    rows = [region_row]
    for unit, name, level, key in units(region):
        row = {"unit": unit, "name": name, "vintage": newest, "first_vintage": oldest, "weighting": OFFICIAL_WEIGHTING,
               "hh_1000_first": value(table, HH_1000, level, key, oldest)}
        for indicator in CONTRACT:
            row[indicator.column] = value(table, indicator, level, key, newest)
        rows.append(row)
    return pd.DataFrame(rows)[REFERENCE_COLUMNS]
