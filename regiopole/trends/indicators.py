"""The broadband indicators the report uses, and how to pick them out of the reference table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from regiopole.data import Region


@dataclass(frozen=True)
class Indicator:
    """One availability indicator: segment, technology group and minimum bandwidth."""

    column: str
    segment: str
    technology: str
    mbps: int
    label: str


HH_1000 = Indicator("hh_1000", "households", "all", 1000, "Haushalte mit mindestens 1.000 Mbit/s (alle Technologien)")
HH_100 = Indicator("hh_100", "households", "all", 100, "Haushalte mit mindestens 100 Mbit/s (alle Technologien)")
HH_50 = Indicator("hh_50", "households", "all", 50, "Haushalte mit mindestens 50 Mbit/s (alle Technologien)")
HH_CATV = Indicator("hh_catv", "households", "catv", 1000, "Haushalte mit mindestens 1.000 Mbit/s über Kabel (CATV)")
HH_FTTH = Indicator("hh_ftth", "households", "ftth", 1000, "Haushalte mit Glasfaser bis ins Haus (FTTH/B), 1.000 Mbit/s")
BUS_1000 = Indicator("bus_1000", "businesses", "wired", 1000, "Unternehmen mit mindestens 1.000 Mbit/s (leitungsgebunden)")
BUS_FTTH = Indicator("bus_ftth", "businesses", "ftth", 1000, "Unternehmen mit Glasfaser (FTTH/B), 1.000 Mbit/s")

CONTRACT = (HH_1000, HH_100, HH_FTTH, BUS_1000, BUS_FTTH)

LAND_NAMES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen", "05": "Nordrhein-Westfalen",
    "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland",
    "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen", "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}
GERMANY_KEY = "DG"


def rows(table: pd.DataFrame, indicator: Indicator, level: str, keys: list[str] | None = None) -> pd.DataFrame:
    """Rows of one indicator at one level: key, vintage (ISO text), share."""
    mask = ((table["segment"] == indicator.segment) & (table["technology"] == indicator.technology)
            & (table["min_mbps"] == indicator.mbps) & (table["level"] == level))
    if keys is not None:
        mask &= table["key"].isin(keys)
    picked = table.loc[mask, ["key", "vintage", "share"]]
    return pd.DataFrame({"key": picked["key"].astype(str), "vintage": picked["vintage"].astype(str),
                         "share": picked["share"].to_numpy()})


def wide(table: pd.DataFrame, indicator: Indicator, level: str, keys: list[str]) -> pd.DataFrame:
    """Shares of one indicator: one row per key (in the order given), one column per vintage."""
    picked = rows(table, indicator, level, keys)
    return picked.pivot(index="key", columns="vintage", values="share").reindex(keys)


def vintages(table: pd.DataFrame, indicator: Indicator = HH_1000, level: str = "gemeinde") -> list[str]:
    """The vintages (ISO dates, oldest first) for which the indicator has rows at this level."""
    return sorted(rows(table, indicator, level)["vintage"].unique())


def region_subset(table: pd.DataFrame, region: Region, extra_keys: list[str] = ()) -> pd.DataFrame:
    """The rows the report needs: the members, their Kreise and Länder, Germany and ``extra_keys``."""
    members = region.ags
    keys = {*members, *(a[:5] for a in members), *(a[:2] for a in members), GERMANY_KEY, *extra_keys}
    return table[table["key"].isin(keys)]


def kreise(region: Region) -> dict[str, str]:
    """Kreis key (5 digits) -> Kreis name as the region's municipalities table gives it, in member order."""
    table = region.municipalities
    return dict(zip(table["ags"].str[:5], table["kreis"], strict=True))


def laender(region: Region) -> dict[str, str]:
    """Land key (2 digits) -> name for the Länder of the members, in member order."""
    return {a[:2]: LAND_NAMES[a[:2]] for a in region.ags}
