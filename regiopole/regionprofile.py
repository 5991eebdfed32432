"""The region profile (notebook ``00_region``): who belongs to the region, how big they are.

Tables come with German headings, ready to publish; nothing here is confidential.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from regiopole import style
from regiopole.data import Region
from regiopole.data.reference import REGIOPOLEN_SOURCE
from regiopole.narrative import count, join, kreise_phrase, population_with_date
from regiopole.style import german_number

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
        kreis_heading(region): m["kreis"].map(dict(zip(region.kreis_units()["kreis"], region.kreis_units()["label"], strict=True))),
        "Einwohner": m["population"].astype(int),
        "Stand": m["population_date"],
        "Fläche (km²)": m["area_km2"].round(2),
        "Einwohner je km²": (m["population"] / m["area_km2"]).round(0).astype(int),
        "Größenklasse": size_class(m["population"]),
        "Zentralörtliche Funktion": tier_label(m["central_place_tier"], m["central_place_tier_verified"]),
        "Oberzentrum": m["ags"].eq(region.oberzentrum).map({True: "ja", False: "nein"}),
    })
    return table.sort_values(["Einwohner", "AGS"], ascending=[False, True], ignore_index=True)


def kreis_heading(region: Region) -> str:
    """Column heading for the Kreis of a member: "Kreis", or "Kreis bzw. kreisfreie Stadt" where one is a member."""
    return "Kreis bzw. kreisfreie Stadt" if region.kreisfreie_staedte else "Kreis"


def population_by_kreis(region: Region) -> pd.DataFrame:
    """Municipalities, inhabitants and share of the region per Kreis (a kreisfreie Stadt named as such), largest first."""
    labels = dict(zip(region.kreis_units()["kreis"], region.kreis_units()["label"], strict=True))
    m = region.municipalities.assign(kreis=region.municipalities["kreis"].map(labels))
    grouped = m.groupby("kreis", sort=False).agg(Gemeinden=("ags", "size"), Einwohner=("population", "sum"),
                                                 Fläche=("area_km2", "sum"))
    grouped["Anteil an der Region"] = grouped["Einwohner"] / grouped["Einwohner"].sum()
    grouped = grouped.rename(columns={"Fläche": "Fläche (km²)"}).rename_axis("Kreis").reset_index()
    grouped["Einwohner"] = grouped["Einwohner"].astype(int)
    grouped["Fläche (km²)"] = grouped["Fläche (km²)"].round(1)
    grouped = grouped.sort_values(["Einwohner", "Kreis"], ascending=[False, True], ignore_index=True)
    return grouped.rename(columns={"Kreis": kreis_heading(region)})


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
    bars = ax.barh(table[kreis_heading(region)], table["Einwohner"], color=style.PALETTE[2])
    labels = [f"{n} {'Kommune' if n == 1 else 'Kommunen'}" for n in table["Gemeinden"]]
    ax.bar_label(bars, labels=labels, padding=4, fontsize=9)
    style.thousands_axis(ax.xaxis)
    ax.set_xlabel("Einwohner")
    ax.set_title("Einwohner und Mitgliedskommunen je " + ("Kreis und kreisfreier Stadt" if region.kreisfreie_staedte else "Kreis"))
    ax.margins(x=0.15)
    heading = kreis_heading(region)
    parts = [f"{kreis}: {style.german_number(people)} Einwohner in {labels[i]}"
             for i, (kreis, people) in enumerate(zip(table[heading], table["Einwohner"], strict=True))][::-1]
    fig.alt_text = f"Balkendiagramm der Einwohner je {heading} mit der Zahl der Mitgliedskommunen. {'; '.join(parts)}."
    return fig


# Report sentences (German Markdown, shown by notebook 00_region).

def title_text(region: Region) -> str:
    """The report's heading: the region's name."""
    return f"# Die {region.name}" if not region.name.lower().startswith("die ") else f"# {region.name}"


def intro_text(region: Region) -> str:
    """What the report is about, with the Oberzentrum and its lead area in the model project."""
    lead = (f", für die die Stadt {region.oberzentrum_name} im Modellprojekt den Infrastrukturbereich "
            f"„{region.lead_area}“ bearbeitet," if region.lead_area else "")
    return (f"Welche Kommunen gehören zur {region.name}, wie groß sind sie, und wie verteilt sich die Bevölkerung auf "
            f"{'die Kreise und kreisfreien Städte' if region.kreisfreie_staedte else 'die Kreise'}? Dieser Bericht stellt "
            f"die Region vor{lead} und ordnet sie in das bundesweite Regiopole-Netzwerk ein. Er zeigt nur veröffentlichte "
            "Angaben mit Quelle; Angaben, die keine amtliche Quelle belegt, sind als „nicht amtlich geprüft“ gekennzeichnet.")


def members_text(region: Region) -> str:
    """How many members, how many inhabitants at which date, which Oberzentrum; optional members named."""
    text = (f"Die **{region.name}** umfasst **{count(len(region.ags), 'Kommune', 'Kommunen')}** mit zusammen "
            f"**{population_with_date(region)}**. Oberzentrum ist **{region.oberzentrum_name}**.")
    optional = region.optional_included
    if optional:
        text += (f" Einbezogen {'ist' if len(optional) == 1 else 'sind'} auch {'das optionale Mitglied' if len(optional) == 1 else 'die optionalen Mitglieder'} "
                 f"{join(optional)}.")
    return text


def published_population_text(region: Region) -> str:
    """The project's own published figure beside the members' sum, each with its date (empty if none)."""
    figure = region.published_population
    if figure is None:
        return ""
    difference = region.population - figure.value
    relation = ("stimmt mit ihr überein" if difference == 0 else
                f"liegt um {german_number(abs(difference))} {'darüber' if difference > 0 else 'darunter'}")
    return (f"Das Projekt selbst nennt für die Region rund {german_number(figure.value)} Einwohnerinnen und Einwohner "
            f"(Quelle: {figure.source}). Die Summe der Einwohnerzahlen der Mitglieder zum Stichtag oben {relation}; "
            "die Angaben beziehen sich auf unterschiedliche Stichtage und Zählungen.")


def kreis_text(region: Region) -> str:
    """Where the members lie and why the Kreise matter for the inventory."""
    units = region.kreis_units()
    largest = units.iloc[0]
    share = largest["population"] / units["population"].sum() * 100
    text = (f"**Was zeigt die Abbildung?** Die Mitgliedskommunen liegen in {kreise_phrase(region)}. "
            "Die meisten Einwohnerinnen und Einwohner leben "
            f"{'in der kreisfreien Stadt ' + largest['kreis'] if largest['kind'] == 'kreisfreie Stadt' else 'im ' + largest['label']}"
            f" ({german_number(share, 0)} %).")
    if region.kreise:
        text += (" Zuständigkeiten für viele Verwaltungsleistungen liegen bei den Kreisen; die Bestandsaufnahme rechnet "
                 "Angebote eines Kreises deshalb seinen Kommunen zu.")
    if region.kreisfreie_staedte:
        text += (" Eine kreisfreie Stadt erfüllt die Aufgaben eines Kreises selbst; ihr Angebot ist immer ihr eigenes.")
    return text


def network_text(region: Region, regiopolen: pd.DataFrame) -> str:
    """The Regiopole network and this region's lead area."""
    text = (f"Im Modellprojekt übernahm jede der {german_number(len(regiopolen))} Regiopolen die Federführung für einen "
            "Infrastrukturbereich.")
    if region.lead_area:
        text += f" {region.oberzentrum_name} bearbeitete den Bereich „{region.lead_area}“."
    else:
        text += f" {region.oberzentrum_name} steht nicht in der Liste der Regiopolen des Modellprojekts."
    return text


def population_source(region: Region) -> str:
    """Source line of the population figures: the region file's first source (by convention)."""
    return region.sources[0] if region.sources else f"Regionsdatei {region.source.name}"


def sources_text(region: Region) -> str:
    """The sources of the region file as a Markdown list, plus the network table's source."""
    lines = [f"- {s}" for s in region.sources] or ["- Die Regionsdatei nennt keine Quellen."]
    lines.append(f"- {REGIOPOLEN_SOURCE}.")
    return "## Quellen\n\n" + "\n".join(lines)
