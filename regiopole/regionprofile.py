"""The region profile (notebook ``00_region``): who belongs to the region, how big they are.

Tables come with German headings, ready to publish; nothing here is confidential.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from regiopole import style
from regiopole.data import Region

#: Upper bounds (exclusive) of the municipality size classes, by inhabitants.
SIZE_CLASS_BOUNDS = (10_000, 20_000, 50_000, 100_000)
SIZE_CLASS_LABELS = ("unter 10.000", "10.000 bis unter 20.000", "20.000 bis unter 50.000",
                     "50.000 bis unter 100.000", "100.000 und mehr")


def size_class(population: pd.Series) -> pd.Series:
    """German size class of each municipality (ordered categorical)."""
    bins = [0, *SIZE_CLASS_BOUNDS, float("inf")]
    return pd.cut(population.astype(float), bins=bins, right=False, labels=SIZE_CLASS_LABELS)


def tier_label(tier: pd.Series, verified: pd.Series) -> pd.Series:
    """Central-place tier, marked as estimate where no official source confirms it."""
    return tier.where(verified.eq("yes"), tier + " (nicht amtlich geprüft)")


def municipality_table(region: Region) -> pd.DataFrame:
    """One row per member, largest first, with density and size class."""
    m = region.municipalities
    table = pd.DataFrame({
        "Gemeinde": m["name"],
        "AGS": m["ags"],
        "Kreis": m["kreis"],
        "Einwohner": m["population"].astype(int),
        "Stand": m["population_date"],
        "Fläche (km²)": m["area_km2"].round(2),
        "Einwohner je km²": (m["population"] / m["area_km2"]).round(0).astype(int),
        "Größenklasse": size_class(m["population"]),
        "Zentralörtliche Funktion": tier_label(m["central_place_tier"], m["central_place_tier_verified"]),
        "Oberzentrum": m["ags"].eq(region.oberzentrum).map({True: "ja", False: "nein"}),
    })
    return table.sort_values(["Einwohner", "AGS"], ascending=[False, True], ignore_index=True)


def population_by_kreis(region: Region) -> pd.DataFrame:
    """Municipalities, inhabitants and share of the region per Kreis, largest first."""
    m = region.municipalities
    grouped = m.groupby("kreis", sort=False).agg(Gemeinden=("ags", "size"), Einwohner=("population", "sum"),
                                                 Fläche=("area_km2", "sum"))
    grouped["Anteil an der Region"] = grouped["Einwohner"] / grouped["Einwohner"].sum()
    grouped = grouped.rename(columns={"Fläche": "Fläche (km²)"}).rename_axis("Kreis").reset_index()
    grouped["Einwohner"] = grouped["Einwohner"].astype(int)
    grouped["Fläche (km²)"] = grouped["Fläche (km²)"].round(1)
    return grouped.sort_values(["Einwohner", "Kreis"], ascending=[False, True], ignore_index=True)


def size_class_table(region: Region) -> pd.DataFrame:
    """Number of municipalities and inhabitants per size class (all classes, also empty ones)."""
    m = region.municipalities.assign(klasse=size_class(region.municipalities["population"]))
    table = m.groupby("klasse", observed=False).agg(Gemeinden=("ags", "size"), Einwohner=("population", "sum"))
    table = table.rename_axis("Größenklasse (Einwohner)").reset_index()
    table["Einwohner"] = table["Einwohner"].astype(int)
    return table


def network_table(regiopolen: pd.DataFrame, lead_city: str) -> pd.DataFrame:
    """The Regiopole network: city, Land, inhabitants, lead infrastructure area."""
    table = pd.DataFrame({
        "Regiopole": regiopolen["name"],
        "Land": regiopolen["land"],
        "Einwohner": regiopolen["population"].astype(int),
        "Stand": regiopolen["population_date"],
        "Federführung im Modellprojekt": regiopolen["lead_infrastructure_area"],
        "diese Region": regiopolen["name"].eq(lead_city).map({True: "ja", False: ""}),
    })
    return table.sort_values("Einwohner", ascending=False, ignore_index=True)


def population_figure(region: Region) -> plt.Figure:
    """Horizontal bars of inhabitants per municipality, Oberzentrum highlighted."""
    table = municipality_table(region).iloc[::-1]
    colours = [style.HIGHLIGHT if o == "ja" else style.PALETTE[0] for o in table["Oberzentrum"]]
    fig, ax = plt.subplots(figsize=(8, 0.26 * len(table) + 1.2))
    ax.barh(table["Gemeinde"], table["Einwohner"], color=colours)
    style.thousands_axis(ax.xaxis)
    ax.set_xlabel("Einwohner")
    ax.set_ylabel("")
    ax.set_title(f"Einwohner der {len(table)} Kommunen der {region.name}")
    ax.margins(y=0.01)
    largest, smallest = table.iloc[-1], table.iloc[0]
    fig.alt_text = (f"Balkendiagramm der Einwohnerzahl der {len(table)} Kommunen der {region.name}, größte oben. "
                    f"Die größte Kommune ist {largest['Gemeinde']} mit {style.german_number(largest['Einwohner'])} "
                    f"Einwohnern, die kleinste {smallest['Gemeinde']} mit {style.german_number(smallest['Einwohner'])}. "
                    f"Nach Größe: {style.german_list([f'{n} mit {c} Einwohnern' for c, n in table['Größenklasse'].value_counts(sort=False).items() if n])}. "
                    "Das Oberzentrum ist rot hervorgehoben.")
    return fig


def kreis_figure(region: Region) -> plt.Figure:
    """Inhabitants per Kreis as horizontal bars with the number of member municipalities."""
    table = population_by_kreis(region).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 3.2))
    bars = ax.barh(table["Kreis"], table["Einwohner"], color=style.PALETTE[2])
    labels = [f"{n} {'Kommune' if n == 1 else 'Kommunen'}" for n in table["Gemeinden"]]
    ax.bar_label(bars, labels=labels, padding=4, fontsize=9)
    style.thousands_axis(ax.xaxis)
    ax.set_xlabel("Einwohner")
    ax.set_title("Einwohner und Mitgliedskommunen je Kreis")
    ax.margins(x=0.15)
    parts = [f"{row.Kreis}: {style.german_number(row.Einwohner)} Einwohner in {labels[i]}"
             for i, row in enumerate(table.itertuples())][::-1]
    fig.alt_text = f"Balkendiagramm der Einwohner je Kreis mit der Zahl der Mitgliedskommunen. {'; '.join(parts)}."
    return fig
