"""Who took part: participation per municipality, response rates by Kreis and size class.

Participation of an institution is not personal data and not an answer: it is shown per
municipality (:func:`participation_table`, read by the regional map and the dossiers).
Rates by Kreis and size class are therefore published in full, small groups included:
suppressing them would hide nothing the map does not show and would contradict it. The
answers stay protected (minimum cell size, disclosure audit).
"""

from __future__ import annotations

import pandas as pd

from regiopole.data import Region
from regiopole.style import german_number, german_percent
from regiopole.survey.likert import count_share

#: Lower bounds of the size classes by inhabitants (the usual German classes).
SIZE_CLASS_BOUNDS = (10_000, 20_000, 50_000, 100_000)


def size_class_labels(bounds: tuple[int, ...]) -> list[str]:
    """German labels: 'unter 10.000', '10.000 bis unter 20.000', ..., '100.000 und mehr'."""
    b = [german_number(x) for x in bounds]
    return [f"unter {b[0]}"] + [f"{lo} bis unter {hi}" for lo, hi in zip(b, b[1:])] + [f"{b[-1]} und mehr"]


def size_class(population: pd.Series, bounds: tuple[int, ...] = SIZE_CLASS_BOUNDS) -> pd.Series:
    """Size class of each municipality (ordered categorical)."""
    bins = [0, *bounds, float("inf")]
    return pd.cut(population.astype(float), bins=bins, right=False, labels=size_class_labels(tuple(bounds)))


def members_with_participation(region: Region, responses: pd.DataFrame) -> pd.DataFrame:
    """Members (region order) with a ``participated`` flag."""
    m = region.municipalities[["ags", "name", "kreis", "population"]].copy()
    m["participated"] = m["ags"].isin(set(responses["ags"]))
    return m


def participation_table(region: Region, responses: pd.DataFrame) -> pd.DataFrame:
    """``ags, name, participated`` (ja/nein), one row per member: the file the regional map reads."""
    m = members_with_participation(region, responses)
    return pd.DataFrame({"ags": m["ags"], "name": m["name"], "participated": m["participated"].map({True: "ja", False: "nein"})})


def response_rate_text(region: Region, responses: pd.DataFrame) -> str:
    """German sentence: how many municipalities took part and which share of the population they cover."""
    m = members_with_participation(region, responses)
    took_part = m[m["participated"]]
    dates = ", ".join(pd.to_datetime(sorted(region.municipalities["population_date"].unique())).strftime("%d.%m.%Y"))
    share = took_part["population"].sum() / m["population"].sum()
    return (f"An der Befragung haben {len(took_part)} von {len(m)} Kommunen teilgenommen "
            f"({german_percent(len(took_part) / len(m))}). Sie zählen {german_number(took_part['population'].sum())} "
            f"Einwohnerinnen und Einwohner, {german_percent(share)} der Bevölkerung der Region (Stand {dates}).")


def response_rates(region: Region, responses: pd.DataFrame, by: str, min_cell_size: int,
                   bounds: tuple[int, ...] = SIZE_CLASS_BOUNDS) -> pd.DataFrame:
    """Response rate per Kreis (``by="kreis"``) or size class (``by="size"``), with a total row.

    Participation is public per municipality, so every count is shown (see the module docstring).
    """
    m = members_with_participation(region, responses)
    if by == "kreis":
        labels = region.kreis_units().set_index("kreis")["label"]  # a kreisfreie Stadt named as such
        m["group"] = m["kreis"].map(labels)
        heading = "Kreis bzw. kreisfreie Stadt" if region.kreisfreie_staedte else "Kreis"
    elif by == "size":
        m["group"], heading = size_class(m["population"], bounds), "Größenklasse (Einwohner)"
    else:
        raise ValueError(f"by must be 'kreis' or 'size', got {by!r}")
    grouped = m.groupby("group", observed=False, sort=by == "size")
    table = pd.DataFrame({"members": grouped.size(), "yes": grouped["participated"].sum(),
                          "population": grouped["population"].sum(),
                          "covered": grouped.apply(lambda g: g.loc[g["participated"], "population"].sum())})
    table.loc["Insgesamt"] = table.sum()
    rows = []
    for group, r in table.iterrows():
        rows.append({
            heading: str(group),
            "Kommunen": int(r["members"]),
            "Teilnahme": count_share(int(r["yes"]), int(r["members"])),
            "Anteil an der Bevölkerung": german_percent(r["covered"] / r["population"]) if r["population"] else "–",
        })
    return pd.DataFrame(rows)
