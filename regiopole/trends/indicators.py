"""The broadband indicators the report uses, and how to pick them out of the reference table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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


class Shares:
    """The rows of the reference table one report needs, indexed for fast look-ups.

    ``frame`` holds the rows as plain text and numbers; ``rows``, ``wide`` and ``vintages``
    answer from a dictionary instead of filtering a frame for every value.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._index: dict[tuple[str, str, int, str], dict[str, dict[str, float]]] = {}
        columns = [frame[c].to_numpy() for c in ("segment", "technology", "min_mbps", "level", "key", "vintage", "share")]
        for segment, technology, mbps, level, key, vintage, share in zip(*columns, strict=True):
            self._index.setdefault((segment, technology, int(mbps), level), {}).setdefault(key, {})[vintage] = float(share)

    def of(self, indicator: Indicator, level: str) -> dict[str, dict[str, float]]:
        """key -> vintage -> share for one indicator and level."""
        return self._index.get((indicator.segment, indicator.technology, indicator.mbps, level), {})


def rows(table: Shares, indicator: Indicator, level: str, keys: list[str] | None = None) -> pd.DataFrame:
    """Rows of one indicator at one level: key, vintage (ISO text), share; by key, then vintage."""
    found = table.of(indicator, level)
    picked = [(k, v, s) for k in (keys if keys is not None else sorted(found)) for v, s in sorted(found.get(k, {}).items())]
    return pd.DataFrame(picked, columns=["key", "vintage", "share"])


def wide(table: Shares, indicator: Indicator, level: str, keys: list[str]) -> pd.DataFrame:
    """Shares of one indicator: one row per key (in the order given), one column per vintage (oldest first)."""
    found = table.of(indicator, level)
    return pd.DataFrame([found.get(k, {}) for k in keys], index=pd.Index(keys, name="key")).sort_index(axis=1)


def vintages(table: Shares, indicator: Indicator = HH_1000, level: str = "gemeinde") -> list[str]:
    """The vintages (ISO dates, oldest first) for which the indicator has rows at this level."""
    return sorted({v for by_vintage in table.of(indicator, level).values() for v in by_vintage})


def subset_keys(region: Region, extra_keys: list[str] = ()) -> set[str]:
    """The keys the report needs: the members, their Kreise and Länder, Germany and ``extra_keys``."""
    members = region.ags
    return {*members, *(a[:5] for a in members), *(a[:2] for a in members), GERMANY_KEY, *extra_keys}


def region_subset(table: pd.DataFrame, region: Region, extra_keys: list[str] = ()) -> Shares:
    """The rows the report needs (:func:`subset_keys`)."""
    subset = table[table["key"].isin(subset_keys(region, extra_keys))]
    # A few thousand rows: plain text columns compare far faster than categories over all of Germany's keys.
    return Shares(pd.DataFrame({column: (np.asarray(subset[column].cat.categories, dtype=object)[subset[column].cat.codes]
                                         if isinstance(subset[column].dtype, pd.CategoricalDtype)
                                         else subset[column].to_numpy())
                                for column in subset.columns}))


def kreise(region: Region) -> dict[str, str]:
    """Kreis key (5 digits) -> Kreis name as the region's municipalities table gives it, in member order."""
    table = region.municipalities
    return dict(zip(table["ags"].str[:5], table["kreis"], strict=True))


def laender(region: Region) -> dict[str, str]:
    """Land key (2 digits) -> name for the Länder of the members, in member order."""
    return {a[:2]: LAND_NAMES[a[:2]] for a in region.ags}
