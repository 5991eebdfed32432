"""German narrative for the map report, computed from the data (no figures hard-coded in prose).

Each function returns Markdown; the notebook only displays it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regiopole.maps.indicators import INDEX_LEVEL_STEP, INDEX_MAX, NO_DATA
from regiopole.maps.layers import MapLayer, german_date
from regiopole.style import german_number

TABLE_ORIGIN = {
    "inventory_index": ("Reifegrad-Index", "Bericht zur Bestandsaufnahme (Untersuchungsmatrix)"),
    "survey_participation": ("Teilnahme an der Befragung", "Bericht zur Befragung der Kommunen"),
    "trends_municipalities": ("Gigabit-Versorgung der Haushalte (amtliche Daten des Breitbandatlas)",
                              "Bericht zu den Entwicklungstrends"),
}


def names(layer: MapLayer, ags: list[str]) -> str:
    """Municipality names for a list of AGS, comma-separated."""
    lookup = dict(zip(layer.frame["ags"], layer.frame["name"], strict=True))
    return ", ".join(lookup.get(a, a) for a in ags)


def table_status(layer: MapLayer, key: str, column: str) -> str:
    """One paragraph: was the table found, which members lack a value, which rows were not mapped."""
    label, origin = TABLE_ORIGIN[key]
    if not layer.available[column]:
        return (f"- **{label}:** Die Ergebnistabelle liegt nicht vor; sie entsteht im {origin}. "
                f"Auf den Karten steht deshalb überall „{NO_DATA}“. Sobald der Bericht gelaufen ist, "
                "zeigt ein erneuter Lauf dieses Berichts die Werte.")
    text = f"- **{label}:** aus dem {origin}"
    missing = layer.unmatched[column]
    text += (f"; für {len(missing)} Kommune(n) fehlt ein Wert ({names(layer, missing)}), sie erscheinen als „{NO_DATA}“"
             if missing else "; für alle Kommunen der Region liegt ein Wert vor")
    unknown = layer.unknown[layer.unknown["table"] == key]
    if not unknown.empty:
        listed = ", ".join(f"{r.ags}" + (f" ({r.name})" if isinstance(r.name, str) else "") for r in unknown.itertuples())
        text += (f". **Achtung:** {len(unknown)} Zeile(n) nennen einen AGS, der nicht zur Region gehört ({listed}); "
                 "sie werden nicht gezeigt – bitte die Tabelle prüfen")
    return text + "."


def data_status(layer: MapLayer) -> str:
    """Markdown list describing every input of the maps."""
    frame = layer.frame
    dates = ", ".join(sorted({german_date(d) for d in frame["population_date"]}))
    lines = [f"- **Kommunen:** {len(frame)} Mitglieder der Region mit Einwohnerzahl (Stand {dates}) und "
             "Bezugspunkt-Koordinaten aus dem Gemeindeverzeichnis von Destatis."]
    if layer.has_boundaries:
        extra = (f" Die Grenzdatei enthält {len(layer.extra_boundaries)} weitere Gemeinden außerhalb der Region; "
                 "sie werden nicht gezeigt." if layer.extra_boundaries else "")
        lines.append(f"- **Gemeindegrenzen:** amtliche Grenzen ({layer.attributions[-1]}).{extra}")
    else:
        lines.append("- **Gemeindegrenzen:** nicht angegeben. Die Karten zeigen deshalb Punkte an den Bezugspunkten der "
                     "Kommunen, deren Fläche der Einwohnerzahl entspricht. Flächenkarten entstehen, sobald die amtlichen "
                     "Gemeindegrenzen des Bundesamts für Kartographie und Geodäsie eingebunden sind (Anleitung im "
                     "Handbuch des Projekts).")
    lines.append(table_status(layer, "inventory_index", "maturity_index"))
    lines.append(table_status(layer, "survey_participation", "participated"))
    lines.append(table_status(layer, "trends_municipalities", "hh_1000"))
    return "\n".join(lines)


def _extremes(frame: pd.DataFrame, column: str, decimals: int) -> tuple[str, str]:
    valid = frame.dropna(subset=[column])
    low, high = valid.loc[valid[column].idxmin()], valid.loc[valid[column].idxmax()]
    fmt = lambda row: f"{german_number(row[column], decimals)} ({row['name']})"  # noqa: E731
    return fmt(low), fmt(high)


def population_summary(layer: MapLayer) -> str:
    frame = layer.frame
    low, high = _extremes(frame, "population", 0)
    oz = frame.loc[frame["is_oberzentrum"]].iloc[0]
    share = oz["population"] / frame["population"].sum()
    return (f"Die {len(frame)} Kommunen haben zusammen {german_number(frame['population'].sum())} Einwohnerinnen und "
            f"Einwohner; die Spanne reicht von {low} bis {high}. Im Oberzentrum {oz['name']} lebt "
            f"{'mehr als ein Fünftel' if share > 0.2 else 'ein kleinerer Teil'} der Bevölkerung der Region "
            f"({german_number(100 * share)} %). Die Hälfte der Kommunen hat weniger als "
            f"{german_number(frame['population'].median())} Einwohner; die Klassengrenzen (Fisher-Jenks) folgen "
            "den natürlichen Sprüngen in der Verteilung.")


def maturity_summary(layer: MapLayer) -> str:
    frame = layer.frame
    valid = frame.dropna(subset=["maturity_index"])
    if valid.empty:
        return (f"Für keine Kommune liegt ein Reifegrad-Index vor; die Karte zeigt überall „{NO_DATA}“. "
                "Der Index entsteht im Bericht zur Bestandsaufnahme.")
    low, high = _extremes(valid, "maturity_index", 1)
    median = valid["maturity_index"].median()
    text = (f"Ein Reifegrad-Index liegt für {len(valid)} von {len(frame)} Kommunen vor. Er reicht von {low} bis {high}; "
            f"der Median beträgt {german_number(median, 1)} auf der Skala 0–{INDEX_MAX}.")
    oz = frame.loc[frame["is_oberzentrum"]].iloc[0]
    if pd.notna(oz["maturity_index"]):
        position = "über" if oz["maturity_index"] > median else "unter" if oz["maturity_index"] < median else "genau auf"
        text += f" Das Oberzentrum {oz['name']} liegt mit {german_number(oz['maturity_index'], 1)} {position} dem Median."
    wide = valid[(valid["index_high"] - valid["index_low"]) > INDEX_LEVEL_STEP]
    if not wide.empty:
        text += (f" Bei {len(wide)} Kommune(n) ist die Unsicherheitsspanne breiter als eine Reifegradstufe "
                 f"({german_number(INDEX_LEVEL_STEP)} Punkte); "
                 "dort sind Unterschiede zu Nachbarn vorsichtig zu lesen.")
    return text


def participation_summary(layer: MapLayer) -> str:
    counts = layer.frame["participated"].value_counts()
    yes, no = int(counts.get("ja", 0)), int(counts.get("nein", 0))
    unknown = len(layer.frame) - yes - no
    if yes + no == 0:
        return f"Zur Teilnahme an der Befragung liegen keine Angaben vor; die Karte zeigt überall „{NO_DATA}“."
    text = f"{yes} von {len(layer.frame)} Kommunen haben an der Befragung teilgenommen, {no} nicht"
    text += f"; für {unknown} fehlt die Angabe." if unknown else "."
    absent = layer.frame.loc[layer.frame["participated"].eq("nein"), "name"].tolist()
    if 0 < len(absent) <= 10:
        text += f" Nicht teilgenommen haben: {', '.join(absent)}."
    if no + unknown:
        text += (" Wo solche Lücken räumlich gehäuft auftreten, stützen sich Aussagen der Befragung für diesen Teil "
                 "der Region auf weniger Antworten.")
    return text


def gigabit_summary(layer: MapLayer) -> str:
    frame = layer.frame
    valid = frame.dropna(subset=["hh_1000"])
    if valid.empty:
        return (f"Für keine Kommune liegt ein Wert zur Gigabit-Versorgung vor; die Karte zeigt überall „{NO_DATA}“. "
                "Die Werte entstehen im Bericht zu den Entwicklungstrends aus dem Breitbandatlas.")
    low, high = _extremes(valid, "hh_1000", 0)
    stand = ", ".join(sorted({german_date(d) for d in valid["vintage"]}))
    below = valid[valid["hh_1000"] < 50]
    text = (f"Amtliche Daten (Breitbandatlas, Stand {stand}): Der Anteil der Haushalte, die einen Anschluss mit mindestens "
            f"1000 Mbit/s bekommen könnten, reicht von {low} bis {high} %.")
    if below.empty:
        return text + " Keine Kommune liegt unter der Hälfte der Haushalte."
    people = below["population"].sum() / frame["population"].sum()
    return text + (f" In {len(below)} von {len(valid)} Kommunen hat weniger als die Hälfte der Haushalte diese Möglichkeit; "
                   f"dort leben {german_number(100 * people)} % der Einwohnerinnen und Einwohner der Region. "
                   "Diese Ebene zeigt amtliche Daten, anders als Reifegrad-Index und Teilnahme.")


SUMMARIES = {"population": population_summary, "maturity_index": maturity_summary, "participated": participation_summary,
             "hh_1000": gigabit_summary}


def indicator_summary(layer: MapLayer, name: str) -> str:
    """What the map of indicator ``name`` shows, in German."""
    return f"**Was zeigt die Karte?** {SUMMARIES[name](layer)}"


def caption(layer: MapLayer, name: str) -> str:
    """Figure caption of a print map, naming the data sources."""
    what = {"population": "Einwohner je Kommune", "maturity_index": f"Reifegrad-Index je Kommune (Skala 0–{INDEX_MAX})",
            "participated": "Teilnahme an der Befragung je Kommune",
            "hh_1000": "Anteil der Haushalte mit Zugang zu mindestens 1000 Mbit/s je Kommune (amtliche Daten)"}[name]
    form = "Gemeindeflächen" if layer.has_boundaries else "Punktfläche proportional zur Einwohnerzahl"
    return f"{what}; {form}. Datenquellen und Lizenzen unter der Karte"


def network_summary(regiopolen: pd.DataFrame, lead_ags: str) -> str:
    """What the network map shows."""
    lead = regiopolen.loc[regiopolen["ags"] == lead_ags]
    lands = regiopolen["land"].nunique()
    text = (f"**Was zeigt die Karte?** Die {len(regiopolen)} Städte des Regiopole-Netzwerks im Modellprojekt liegen in "
            f"{lands} Ländern; jede ist federführend für einen Infrastrukturbereich (Legende).")
    if not lead.empty:
        row = lead.iloc[0]
        text += f" {row['name']} (rot umrandet) bearbeitet „{row['lead_infrastructure_area']}“ – das Thema dieses Projekts."
    return text


def introduction(regiopolen: pd.DataFrame, oberzentrum_ags: str, region_name: str) -> str:
    """The report's opening paragraphs: the project, the region's lead area and the questions."""
    own = regiopolen.loc[regiopolen["ags"] == oberzentrum_ags]
    project = "**Modellprojekt „Regiopolen und Regiopolregionen für Deutschland“**"
    if own.empty:
        partners = "Und wo liegen die Städte des Regiopole-Netzwerks im Modellprojekt?"
    else:
        row = own.iloc[0]
        project += f" **– Infrastrukturbereich {row['lead_infrastructure_area']}**"
        partners = f"Und wo liegen die anderen Städte des Regiopole-Netzwerks, mit denen {row['name']} im Modellprojekt zusammenarbeitet?"
    return (f"{project}\n\nWo liegen die Kommunen der {region_name}, wie groß sind sie, wie weit ist ihre Verwaltung "
            f"digitalisiert und welche von ihnen haben sich an der Befragung beteiligt? {partners}")


def map_file_note(path: Path) -> str:
    """One sentence on the saved interactive map (its size), without file or folder names."""
    return (f"Die Karte ist außerdem als eigenständige Datei gespeichert ({german_number(path.stat().st_size / 1024)} KB), "
            "die ohne Internetverbindung funktioniert und mit dem Bericht archiviert werden kann.")


def network_caption() -> str:
    """Figure caption of the print map of the Regiopole network."""
    return ("Städte des Regiopole-Netzwerks und die Infrastrukturbereiche, für die sie federführend sind; "
            "Punktfläche proportional zur Einwohnerzahl. Datenquellen und Lizenzen unter der Karte")
