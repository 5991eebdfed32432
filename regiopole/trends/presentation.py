"""German views of the report's tables for display: readable column names, shares as 0-1 for ``german_table``.

The saved tables keep the machine-readable columns and per cent values; these views are
only what a reader sees in the report.
"""

from __future__ import annotations

import pandas as pd

from regiopole.trends.analysis import Trends

UNIT_KIND = {"region": "Region", "oberzentrum": "Oberzentrum", "germany": "Bund"}


def _share(frame: pd.DataFrame, columns: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    out = frame[list(columns)].rename(columns=columns).copy()
    percent = []
    for source, label in columns.items():
        if pd.api.types.is_float_dtype(frame[source]) and not source.startswith("population"):
            out[label] = frame[source] / 100
            percent.append(label)
    return out, percent


def municipalities_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    return _share(trends.municipalities.sort_values("rank_hh_1000"), {
        "rank_hh_1000": "Rang", "name": "Kommune", "hh_1000": "Gigabit (≥ 1.000 Mbit/s)",
        "hh_100": "≥ 100 Mbit/s", "hh_ftth": "Glasfaser (FTTH/B)", "hh_1000_first": "Gigabit, erster Datenstand",
        "bus_1000": "Unternehmen: Gigabit", "bus_ftth": "Unternehmen: Glasfaser"})


def reference_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    table = trends.reference.assign(kind=[UNIT_KIND.get(u, "Kreis" if u.startswith("kreis:") else "Land")
                                          for u in trends.reference["unit"]])
    return _share(table, {"kind": "Ebene", "name": "Gebiet", "hh_1000": "Gigabit (≥ 1.000 Mbit/s)",
                          "hh_1000_first": "Gigabit, erster Datenstand", "hh_100": "≥ 100 Mbit/s",
                          "hh_ftth": "Glasfaser (FTTH/B)", "weighting": "Berechnung"})


def size_class_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    return _share(trends.size_classes, {"size_class": "Gemeindegröße (Einwohner)", "municipalities": "Kommunen",
                                        "population": "Einwohner (Zensus 2022)", "hh_1000": "Gigabit",
                                        "hh_1000_first": "Gigabit, erster Datenstand", "hh_100": "≥ 100 Mbit/s"})


def kreis_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    return _share(trends.kreise, {"kreis": "Kreis", "members": "Mitgliedskommunen", "population": "Einwohner (Zensus 2022)",
                                  "members_hh_1000": "Gigabit: Mitgliedskommunen", "kreis_hh_1000": "Gigabit: ganzer Kreis",
                                  "kreis_hh_1000_first": "Gigabit: ganzer Kreis, erster Datenstand"})


def lagging_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    view, percent = _share(trends.lagging, {"name": "Kommune", "kreis": "Kreis", "population": "Einwohner (Zensus 2022)",
                                            "hh_1000": "Gigabit", "hh_1000_first": "Gigabit, erster Datenstand",
                                            "hh_100": "≥ 100 Mbit/s", "hh_ftth": "Glasfaser (FTTH/B)"})
    view["Einwohner (Zensus 2022)"] = view["Einwohner (Zensus 2022)"].astype(int)
    return view, percent


def business_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    return _share(trends.businesses, {"name": "Gebiet", "bus_1000": "Unternehmen: Gigabit (leitungsgebunden)",
                                      "bus_ftth": "Unternehmen: Glasfaser (FTTH/B)"})


def mobile_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    wide = trends.mobile.pivot_table(index=["technology", "area_type"], columns="name", values="share", sort=False)
    wide = wide[list(dict.fromkeys(trends.mobile["name"]))].reset_index()
    wide = wide.rename(columns={"technology": "Technik", "area_type": "Flächenart"})
    names = [c for c in wide.columns if c not in ("Technik", "Flächenart")]
    wide[names] = wide[names] / 100
    return wide, names


def regiopolen_view(trends: Trends) -> tuple[pd.DataFrame, list[str]]:
    return _share(trends.regiopolen, {"name": "Stadt", "land": "Land", "hh_1000": "Gigabit",
                                      "hh_1000_first": "Gigabit, erster Datenstand"})


def map_points(trends: Trends, region) -> pd.DataFrame:
    """The members with coordinates and population, for the location map."""
    from regiopole.trends.equality import with_population

    return with_population(trends.municipalities, region)
