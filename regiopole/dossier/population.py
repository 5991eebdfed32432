"""Section "Bevölkerung": inhabitants with their date, share of the region, size class."""

from __future__ import annotations

import pandas as pd

from regiopole.dossier.model import Dossier
from regiopole.report import german_date
from regiopole.style import german_number, german_percent

#: Reference dates of official population counts and the count they come from.
COUNTS = {"2022-05-15": "Zensus 2022", "2011-05-09": "Zensus 2011"}


def source(date: str) -> str:
    """``Zensus 2022, Stand 15.05.2022`` or ``amtliche Bevölkerungszahl, Stand ...``."""
    return f"{COUNTS.get(date, 'amtliche Bevölkerungszahl')}, Stand {german_date(date)}"


def _size_class(d: Dossier, ags: str) -> str | None:
    table = d.table("municipalities")
    if table is None:
        return None
    match = table.loc[table["AGS"].eq(ags), "Größenklasse"]
    return str(match.iloc[0]) if len(match) else None


def population_table(d: Dossier) -> pd.DataFrame:
    """Inhabitants, share of the region and size class: the municipality, the region, the Oberzentrum."""
    m = d.region.municipalities.set_index("ags")
    total = d.region.population
    rows = {"Einwohnerinnen und Einwohner": [], "Anteil an der Region": [], "Größenklasse (Einwohner)": []}
    for _, key in d.comparison():
        population = total if key == "region" else int(m.at[key, "population"])
        rows["Einwohnerinnen und Einwohner"].append(german_number(population))
        rows["Anteil an der Region"].append(german_percent(population / total, 1))
        rows["Größenklasse (Einwohner)"].append(f"{len(m)} Kommunen" if key == "region" else _size_class(d, key) or "–")
    table = pd.DataFrame(rows, index=[heading for heading, _ in d.comparison()]).T
    return table.rename_axis("Merkmal").reset_index()


def population_text(d: Dossier) -> str:
    """German sentences on the municipality's size, with the date of the count."""
    m = d.member
    date = str(m["population_date"])
    text = (f"**{d.name}** ({m['kreis']}) hat **{german_number(int(m['population']))} Einwohnerinnen und Einwohner** "
            f"({source(date)}), {german_percent(int(m['population']) / d.region.population, 1)} der "
            f"{german_number(d.region.population)} Menschen in den {len(d.region.ags)} Kommunen der {d.region.name}.")
    size = _size_class(d, d.ags)
    if size is not None:
        classes = d.table("municipalities")
        same = int(classes["Größenklasse"].eq(size).sum())
        text += (f" Sie gehört zur Größenklasse „{size}“ Einwohner"
                 + (f", wie {same - 1} weitere Kommunen der Region." if same > 1 else "; keine andere Kommune der Region ist so groß."))
    if not d.is_oberzentrum:
        text += f" Das Oberzentrum {d.region.oberzentrum_name} hat {german_number(int(d.region.municipalities.set_index('ags').at[d.oberzentrum, 'population']))}."
    dates = sorted(d.region.municipalities["population_date"].unique())
    if dates != [date]:
        text += f" Die Einwohnerzahlen der Region haben verschiedene Stichtage ({', '.join(map(german_date, dates))})."
    return text
