"""Development over the vintages, technologies, businesses, mobile coverage and the Regiopole cities."""

from __future__ import annotations

import pandas as pd

from regiopole.data import Region
from regiopole.trends.indicators import (BUS_1000, BUS_FTTH, GERMANY_KEY, HH_1000, HH_CATV, HH_FTTH, Indicator, Shares,
                                         laender,
                                         kreise, vintages, wide)
from regiopole.trends.measures import weighted_mean
from regiopole.trends.tables import latest, units, value

MOBILE_TECHNOLOGIES = {("lte", 2): "4G (LTE)", ("5g", 2): "5G"}


def trend_table(table: Shares, region: Region, indicator: Indicator = HH_1000) -> pd.DataFrame:
    """One row per unit and vintage: the region (population-weighted), the Oberzentrum, Länder and Germany."""
    steps = vintages(table, indicator)
    members = wide(table, indicator, "gemeinde", region.ags)
    weights = region.municipalities.set_index("ags")["population"].astype(float)
    out = [{"unit": "region", "name": region.name, "vintage": v, "share": weighted_mean(members[v], weights)}
           for v in steps if v in members.columns and members[v].notna().any()]
    for unit, name, level, key in units(region):
        if level == "kreis":
            continue
        out += [{"unit": unit, "name": name, "vintage": v, "share": s}
                for v, s in sorted(table.of(indicator, level).get(key, {}).items()) if v >= steps[0]]
    return pd.DataFrame(out).sort_values(["unit", "vintage"], kind="stable", ignore_index=True)


def technology_table(table: Shares, region: Region) -> pd.DataFrame:
    """Per member (newest vintage): gigabit share of all technologies, of cable (CATV) and of fibre (FTTH/B)."""
    newest = latest(table)
    columns = {}
    for indicator in (HH_1000, HH_CATV, HH_FTTH):
        shares = wide(table, indicator, "gemeinde", region.ags)
        columns[indicator.column] = shares[newest] if newest in shares.columns else pd.Series(index=region.ags, dtype=float)
    out = pd.DataFrame(columns).rename_axis("ags").reset_index()
    out.insert(1, "name", out["ags"].map(region.names()))
    return out.sort_values("hh_1000", ascending=False, ignore_index=True)


def technology_summary(technology: pd.DataFrame, region: Region) -> dict[str, float]:
    """Population-weighted shares of the region: gigabit overall, via cable, via fibre."""
    weights = region.municipalities.set_index("ags")["population"].astype(float)
    shares = technology.set_index("ags")
    return {column: weighted_mean(shares[column], weights) for column in ("hh_1000", "hh_catv", "hh_ftth")}


def _comparison_keys(region: Region) -> list[tuple[str, str, str]]:
    return ([("kreis", key, name) for key, name in kreise(region).items()]
            + [("land", key, name) for key, name in laender(region).items()] + [("germany", GERMANY_KEY, "Deutschland")])


def business_table(table: Shares, region: Region) -> pd.DataFrame:
    """Businesses with gigabit (wired) and with fibre (FTTH/B) in the members' Kreise, their Länder and Germany."""
    newest = latest(table, BUS_1000)
    out = []
    for level, key, name in _comparison_keys(region):
        row = {"level": level, "key": key, "name": name, "vintage": newest}
        for indicator in (BUS_1000, BUS_FTTH):
            row[indicator.column] = value(table, indicator, level, key, newest)
        out.append(row)
    return pd.DataFrame(out)


def mobile_table(table: Shares, region: Region) -> pd.DataFrame:
    """Mobile coverage (4G, 5G) by area type in the members' Kreise, their Länder and Germany: one row each."""
    frame = table.frame
    area = frame["segment"].to_numpy() == "area"
    columns = [frame[c].to_numpy()[area]
               for c in ("level", "key", "technology", "min_mbps", "vintage", "area_type", "share")]
    # (level, key, technology, mbps) -> (vintage, area type, share) of each row, in table order
    found: dict[tuple, list[tuple]] = {}
    for level, key, technology, mbps, vintage, area_type, share in zip(*columns, strict=True):
        found.setdefault((level, key, technology, mbps), []).append((vintage, area_type, share))
    out = []
    for level, key, name in _comparison_keys(region):
        for (technology, mbps), label in MOBILE_TECHNOLOGIES.items():
            out += [{"level": level, "key": key, "name": name, "vintage": str(v), "technology": label,
                     "area_type": str(a), "share": s}
                    for v, a, s in found.get((level, key, technology, mbps), [])]
    return pd.DataFrame(out, columns=["level", "key", "name", "vintage", "technology", "area_type", "share"])


def regiopolen_table(table: Shares, regiopolen: pd.DataFrame) -> pd.DataFrame:
    """The Regiopole cities side by side: gigabit share at the first and the newest vintage, Germany last."""
    newest, oldest = latest(table), vintages(table)[0]
    cities = list(regiopolen["ags"])
    shares = wide(table, HH_1000, "gemeinde", cities)
    germany = wide(table, HH_1000, "germany", [GERMANY_KEY])
    out = pd.DataFrame({"name": list(regiopolen["name"]), "ags": cities, "land": list(regiopolen["land"]),
                        "hh_1000_first": shares.get(oldest, pd.Series(index=cities, dtype=float)).to_numpy(),
                        "hh_1000": shares.get(newest, pd.Series(index=cities, dtype=float)).to_numpy()})
    out = out.sort_values("hh_1000", ascending=False, ignore_index=True)
    reference = pd.DataFrame([{"name": "Deutschland", "ags": GERMANY_KEY, "land": "",
                               "hh_1000_first": germany.at[GERMANY_KEY, oldest], "hh_1000": germany.at[GERMANY_KEY, newest]}])
    out = pd.concat([out, reference], ignore_index=True)
    out["first_vintage"], out["vintage"] = oldest, newest
    return out
