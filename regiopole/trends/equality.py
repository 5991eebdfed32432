"""Gleichwertige Lebensverhältnisse: how evenly gigabit availability is spread over the region."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from regiopole.data import Region
from regiopole.trends.measures import share_below, weighted_gini, weighted_mean

SIZE_CLASS_BOUNDS = (10_000, 20_000, 50_000, 100_000)
SIZE_CLASS_LABELS = ("unter 10.000", "10.000 bis unter 20.000", "20.000 bis unter 50.000",
                     "50.000 bis unter 100.000", "100.000 und mehr")


ADDED_COLUMNS = ("population", "population_date", "kreis", "lat", "lon", "size_class")


def with_population(municipalities: pd.DataFrame, region: Region) -> pd.DataFrame:
    """The contract table with each member's population, its date, Kreis and size class added.

    A table that has them already (this function's result) is returned as it is, so that
    :func:`regiopole.trends.analysis.analyse` joins once for all the measures here.
    """
    if set(ADDED_COLUMNS) <= set(municipalities.columns):
        return municipalities
    facts = region.municipalities.set_index("ags")[["population", "population_date", "kreis", "lat", "lon"]]
    out = municipalities.join(facts, on="ags")
    out["population"] = out["population"].astype(float)
    bins = [0, *SIZE_CLASS_BOUNDS, float("inf")]
    out["size_class"] = pd.cut(out["population"], bins=bins, right=False, labels=SIZE_CLASS_LABELS)
    return out


@dataclass(frozen=True)
class Equality:
    """Summary of the spread of one indicator over the members (shares in per cent)."""

    threshold: float
    oberzentrum: float
    others: float
    gap: float
    gini: float
    gini_first: float
    below: float
    below_first: float
    below_names: list[str]
    missing: list[str]


def equality(municipalities: pd.DataFrame, region: Region, threshold: float) -> Equality:
    """Gap Oberzentrum vs the others, Gini and the share of inhabitants below ``threshold`` (newest and first vintage)."""
    table = with_population(municipalities, region).set_index("ags")
    weights = table["population"]
    others = table.index != region.oberzentrum
    newest, first = table["hh_1000"], table["hh_1000_first"]
    oz = float(newest.get(region.oberzentrum, float("nan")))
    rest = weighted_mean(newest[others], weights[others]) if (others & newest.notna()).any() else float("nan")
    below = table[newest < threshold].sort_values("hh_1000")
    return Equality(threshold=threshold, oberzentrum=oz, others=rest, gap=oz - rest,
                    gini=weighted_gini(newest, weights), gini_first=weighted_gini(first, weights),
                    below=share_below(newest, weights, threshold), below_first=share_below(first, weights, threshold),
                    below_names=below["name"].tolist(), missing=table.loc[newest.isna(), "name"].tolist())


def size_class_table(municipalities: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Per size class: number of members, inhabitants, population-weighted shares (newest and first vintage)."""
    table = with_population(municipalities, region)
    rows = []
    for label, group in table.groupby("size_class", observed=True):
        rows.append({"size_class": label, "municipalities": len(group), "population": int(group["population"].sum()),
                     "hh_1000": weighted_mean(group["hh_1000"], group["population"]),
                     "hh_1000_first": weighted_mean(group["hh_1000_first"], group["population"]),
                     "hh_100": weighted_mean(group["hh_100"], group["population"])})
    return pd.DataFrame(rows)


def kreis_table(municipalities: pd.DataFrame, region: Region, reference: pd.DataFrame) -> pd.DataFrame:
    """Per Kreis of the members: the official Kreis value and the members' population-weighted value."""
    table = with_population(municipalities, region)
    official = reference[reference["unit"].str.startswith("kreis:")].set_index("unit")
    rows = []
    for key, group in table.groupby(table["ags"].str[:5].rename("kreis_key"), sort=False):
        unit = f"kreis:{key}"
        rows.append({"kreis_key": key, "kreis": group["kreis"].iat[0], "members": len(group),
                     "population": int(group["population"].sum()),
                     "members_hh_1000": weighted_mean(group["hh_1000"], group["population"]),
                     "kreis_hh_1000": official.at[unit, "hh_1000"], "kreis_hh_1000_first": official.at[unit, "hh_1000_first"]})
    return pd.DataFrame(rows)


def lagging_table(municipalities: pd.DataFrame, region: Region, threshold: float) -> pd.DataFrame:
    """Members below ``threshold`` (gigabit share, newest vintage), lowest first, with their development."""
    table = with_population(municipalities, region)
    lagging = table[table["hh_1000"] < threshold].sort_values(["hh_1000", "ags"])
    lagging = lagging.assign(change=lagging["hh_1000"] - lagging["hh_1000_first"], gap_to_threshold=threshold - lagging["hh_1000"])
    return lagging[["ags", "name", "kreis", "population", "population_date", "hh_1000", "hh_1000_first", "change",
                    "hh_100", "hh_ftth", "gap_to_threshold"]].reset_index(drop=True)
