"""German tables and sentences for the inventory report, computed from the results.

The notebook prints these instead of hard-coded numbers; the wording follows the data
(e.g. whether the Oberzentrum's band overlaps the runner-up's).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiopole.data import Region, load_maturity_levels
from regiopole.inventory.dashboard import STATUS_LEVELS, DashboardImport
from regiopole.inventory.levels import Levels
from regiopole.inventory.matrix import UNKNOWN
from regiopole.inventory.scoring import category_order, category_scores, resolve_weights
from regiopole.report import german_date
from regiopole.style import german_number, german_percent

NO_THEMENFELD = "ohne OZG-Bezug"
INDEX_COLUMNS = ["ags", "name", "kreis", "population", "maturity_index", "index_low", "index_high", "share_ozg_compliant",
                 "share_unknown", "maturity_index_own", "share_ozg_compliant_own", "share_inherited", "n_known", "rank", "is_oberzentrum"]
#: German headings of the published tables (the index table keeps its machine-readable contract columns).
LABELS = {
    "app_id": "Anwendungs-ID", "name": "Anwendung", "category": "Kategorie", "themenfeld": "OZG-Themenfeld",
    "n_online": "Kommunen online (OZG-konform)", "share_municipalities_online": "Anteil Kommunen online",
    "population_online": "Einwohner mit Online-Zugang", "share_population_online": "Anteil Einwohner mit Online-Zugang",
    "n_via_kreis": "davon nur über den Kreis", "share_unknown": "Anteil unbekannt", "mean_level": "mittlerer Reifegrad",
    "oberzentrum": "Oberzentrum", "others_mean": "übrige: Mittelwert", "others_median": "übrige: Median",
    "others_min": "übrige: Minimum", "others_max": "übrige: Maximum", "n_others_ahead": "übrige vor dem Oberzentrum",
    "n_others_scored": "übrige mit Score", "difference": "Differenz zum Mittelwert", "rank": "Rang",
    "providers": "Bereitgestellt von (OZG-konform)", "n_providers": "Zahl der Anbieter", "oberzentrum_provides": "Oberzentrum bietet an",
    "n_below": "Kommunen unter Stufe 2", "share_below": "Anteil der übrigen unter Stufe 2",
    "population_gain": "Einwohner mit Zugangsgewinn", "population_unknown": "Einwohner mit unbekanntem Stand",
    "ags": "AGS", "level_matrix": "Stufe laut Matrix", "level_dashboard": "Stufe laut Dashboard (Annahme)", "outcome": "Ergebnis",
}


def maturity_levels_table() -> pd.DataFrame:
    """The OZG maturity levels 0-4 with German headings and ja/nein for OZG compliance."""
    levels = load_maturity_levels()
    return pd.DataFrame({
        "Stufe": levels["level"], "Bezeichnung": levels["name"], "Definition": levels["definition"],
        "OZG-konform": levels["ozg_compliant"].map({"yes": "ja", "no": "nein"}),
    })


def index_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The contract table ``inventory_index`` (index 1 decimal, shares 4 decimals), best first."""
    table = scores[INDEX_COLUMNS].sort_values(["rank", "ags"], ignore_index=True)
    index_columns = ["maturity_index", "index_low", "index_high", "maturity_index_own"]
    share_columns = ["share_ozg_compliant", "share_unknown", "share_ozg_compliant_own", "share_inherited"]
    return table.round({**dict.fromkeys(index_columns, 1), **dict.fromkeys(share_columns, 4)})


def publish(table: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """A result table with German headings, rounded numbers and ja/nein, ready for CSV/XLSX."""
    numeric = table.select_dtypes("number").columns
    flags = table.select_dtypes("bool").columns
    out = table.round(dict.fromkeys(numeric, decimals))
    out[flags] = out[flags].replace({True: "ja", False: "nein"})
    if "themenfeld" in out:
        out["themenfeld"] = out["themenfeld"].fillna(NO_THEMENFELD)
    return out.rename(columns=LABELS)


def matrix_overview(matrix: pd.DataFrame, region: Region, applications: pd.DataFrame) -> str:
    """What the matrix holds: rows, municipalities, Kreise, applications, unknown share, check dates."""
    kreis_rows = matrix["ags"].str.len().eq(5)
    dates = matrix["date_checked"]
    return (f"Die Matrix enthält **{german_number(len(matrix))} Einträge**: {german_number((~kreis_rows).sum())} für "
            f"{matrix.loc[~kreis_rows, 'ags'].nunique()} der {len(region.ags)} Kommunen und {german_number(kreis_rows.sum())} für "
            f"{matrix.loc[kreis_rows, 'ags'].nunique()} Kreise, zu {matrix['app_id'].nunique()} der {len(applications)} Anwendungen "
            f"des Katalogs. {german_percent(matrix['level'].eq(UNKNOWN).mean(), 1)} der Einträge sind „unbekannt“. "
            f"Geprüft wurde zwischen dem {german_date(dates.min())} und dem {german_date(dates.max())}.")


def ranking_text(scores: pd.DataFrame, region: Region) -> str:
    """Who leads, who trails, and whether the Oberzentrum is ahead beyond the uncertainty band."""
    ranked = scores.sort_values("maturity_index", ascending=False)
    best, second, last = ranked.iloc[0], ranked.iloc[1], ranked.iloc[-1]
    oz = scores.set_index("ags").loc[region.oberzentrum]
    text = (f"Den höchsten Index hat **{best['name']}** ({german_number(best['maturity_index'], 1)}), den niedrigsten "
            f"**{last['name']}** ({german_number(last['maturity_index'], 1)}). Das Oberzentrum {oz['name']} steht auf Rang "
            f"{int(oz['rank'])} von {len(scores)}.")
    if best["ags"] == region.oberzentrum:
        clear = best["index_low"] > second["index_high"]
        text += (" Sein Unsicherheitsband überschneidet sich nicht mit dem der zweitplatzierten Kommune: der Vorsprung ist deutlich."
                 if clear else " Sein Unsicherheitsband überschneidet sich mit dem der zweitplatzierten Kommune: der Vorsprung ist nicht gesichert.")
    gain = scores["maturity_index"] - scores["maturity_index_own"]
    text += (f" Die Angebote der Kreise heben den Index im Mittel um {german_number(gain.mean(), 1)} Punkte "
             f"(höchstens {german_number(gain.max(), 1)}).")
    return text


def population_text(scores: pd.DataFrame) -> str:
    """Direction and strength of the relation between size (log inhabitants) and the index."""
    rho = scores["maturity_index"].corr(np.log(scores["population"]), method="spearman")
    if abs(rho) < 0.3:
        relation = "kaum ein Zusammenhang"
    else:
        relation = f"ein {'deutlicher' if abs(rho) >= 0.6 else 'mäßiger'} {'positiver' if rho > 0 else 'negativer'} Zusammenhang"
    direction = " – größere Kommunen sind im Mittel weiter" if rho >= 0.3 else (" – kleinere Kommunen sind im Mittel weiter" if rho <= -0.3 else "")
    return f"Zwischen Einwohnerzahl und Index besteht {relation} (Rangkorrelation nach Spearman {german_number(rho, 2)}){direction}."


def oberzentrum_text(comparison: pd.DataFrame, region: Region) -> str:
    """In how many categories the Oberzentrum is ahead of the others' mean, largest and smallest gap."""
    ahead = comparison[comparison["difference"] > 0]
    largest = comparison.loc[comparison["difference"].idxmax()]
    smallest = comparison.loc[comparison["difference"].idxmin()]
    unbeaten = comparison["n_others_ahead"].eq(0).sum()
    return (f"{region.oberzentrum_name} liegt in **{len(ahead)} von {len(comparison)} Kategorien** über dem Mittel der übrigen Kommunen; "
            f"in {unbeaten} Kategorien erreicht keine andere Kommune einen höheren Score. Am größten ist der Abstand bei "
            f"„{largest['category']}“ ({german_number(largest['difference'], 1)} Punkte), am kleinsten bei „{smallest['category']}“ "
            f"({german_number(smallest['difference'], 1)} Punkte).")


def candidates_text(candidates: pd.DataFrame, region: Region) -> str:
    """How many candidates, how many run by the Oberzentrum, and the top one."""
    if candidates.empty:
        return "Nach den gewählten Schwellen gibt es keine Kandidaten für gemeinsame Dienste."
    top = candidates.iloc[0]
    return (f"**{len(candidates)} Anwendungen** erfüllen die Bedingungen; {int(candidates['oberzentrum_provides'].sum())} davon betreibt "
            f"{region.oberzentrum_name} selbst auf OZG-konformem Niveau. An erster Stelle steht „{top['name']}“: "
            f"{german_number(top['population_gain'])} Einwohner gewännen Zugang, bereitgestellt bisher von {top['providers']}.")


def dashboard_text(imported: DashboardImport, comparison: pd.DataFrame) -> str:
    """What the Dashboard exports added and where they disagree with the matrix."""
    if not imported.sources:
        return "Für diesen Bericht liegt kein Export des Dashboards Digitale Verwaltung vor; die Matrix bleibt unverändert."
    counts = comparison["outcome"].value_counts()
    taken = counts.filter(like="übernommen").sum()
    exports = "1 Export" if len(imported.sources) == 1 else f"{len(imported.sources)} Exporte"
    return (f"{exports} mit {len(imported.matrix)} zuordenbaren Zellen; {taken} davon füllen Lücken der Matrix "
            f"(„unbekannt“ oder nicht erhoben). {counts.get('übereinstimmend', 0)} Zellen stimmen überein, in "
            f"{counts.get('Matrix höher (Matrix bleibt)', 0)} liegt die Matrix höher und in {counts.get('Matrix niedriger (Matrix bleibt)', 0)} "
            f"niedriger als die vorsichtige Dashboard-Annahme; dort gilt die von Hand recherchierte Matrix. "
            f"{len(imported.unmatched)} Export-Zeilen ließen sich keiner Zelle zuordnen (Gründe in der Tabelle).")


def named(table: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Insert the municipality or Kreis name after the ``ags`` column."""
    names = region.names() | dict(zip(region.municipalities["ags"].str[:5], region.municipalities["kreis"], strict=True))
    out = table.copy()
    out.insert(out.columns.get_loc("ags") + 1, "Kommune/Kreis", out["ags"].map(names))
    return out


def availability_text(table: pd.DataFrame, compliant_level: int) -> str:
    """Widest and narrowest reach, and how many applications reach half of the inhabitants."""
    ranked = table.sort_values(["share_population_online", "app_id"], ascending=[False, True])
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    half = (table["share_population_online"] >= 0.5).sum()
    none = (table["n_online"] == 0).sum()
    return (f"Am weitesten verbreitet ist „{top['name']}“: {german_percent(top['share_population_online'])} der Einwohnerinnen und "
            f"Einwohner können es ab Stufe {compliant_level} online nutzen. {half} von {len(table)} Anwendungen erreichen mindestens "
            f"die Hälfte der Einwohner; {none} sind in keiner Kommune auf Stufe {compliant_level} oder höher belegt "
            f"(am geringsten verbreitet: „{bottom['name']}“). Unbekannte Zellen zählen nicht als verfügbar: die Anteile sind Untergrenzen.")


def weights_table(category_weights: dict[str, float] | None, applications: pd.DataFrame) -> pd.DataFrame:
    """Categories with their number of applications and the (normalised) weight used."""
    categories = category_order(applications)
    weights = resolve_weights(category_weights, categories)
    return pd.DataFrame({"Kategorie": categories,
                         "Anwendungen": applications["category"].value_counts().reindex(categories).to_numpy(),
                         "Gewicht": (weights / weights.sum()).round(3).to_numpy()})


def category_table(levels: Levels, region: Region, applications: pd.DataFrame) -> pd.DataFrame:
    """Category scores (0-100, effective levels) per municipality, with name, for publication."""
    table = category_scores(levels.effective, applications).round(1).reset_index().rename(columns={"ags": "AGS"})
    table.insert(1, "Kommune", table["AGS"].map(region.names()))
    return table


def status_table() -> pd.DataFrame:
    """The assumed Dashboard status-to-level mapping with German headings."""
    return STATUS_LEVELS.rename(columns={"online_status": "Status im Dashboard", "level": "angenommene Stufe",
                                         "begruendung": "Begründung"})


# Method and source sentences with the parameter values filled in (notebook 01_inventory).

def kreis_heading(region: Region) -> str:
    """Heading of the Kreis column: a kreisfreie Stadt is no Kreis, so it is named where the region has one."""
    return "Kreis bzw. kreisfreie Stadt" if region.kreisfreie_staedte else "Kreis"


def compliance_text(compliant_level: int) -> str:
    """What "effective level", "Anteil OZG-konform" and "Anteil unbekannt" mean, with the level used."""
    return ("Maßgeblich ist die **wirksame Stufe**: die höhere aus eigenem Angebot der Kommune und Angebot ihres Kreises – "
            "das, was Einwohnerinnen und Einwohner nutzen können. Daneben steht der Index nur des eigenen Angebots. "
            f"Der **Anteil OZG-konform** ist der Anteil aller Anwendungen des Katalogs mit wirksamer Stufe ab Stufe {compliant_level}, "
            "der **Anteil unbekannt** der Anteil ohne bekannte Stufe.")


def availability_intro(compliant_level: int) -> str:
    """What the availability table counts, with the level used."""
    return (f"Für jede Anwendung: in wie vielen Kommunen sie ab Stufe {compliant_level} online ist und welcher Anteil der "
            "Einwohnerinnen und Einwohner sie damit online nutzen kann (nach Einwohnerzahl gewichtet).")


def candidates_intro(compliant_level: int) -> str:
    """How candidates for shared services are chosen and ranked, with the level used."""
    return ("Eine naheliegende Form der Zusammenarbeit ist die **Inanspruchnahme von Leistungen: eine Kommune stellt die "
            "zentrale Infrastruktur bereit**. Kandidaten dafür sind Anwendungen, die mindestens eine Kommune (oder ein Kreis) "
            f"selbst ab Stufe {compliant_level} anbietet, während mehr als die Hälfte der übrigen Kommunen nachweislich unter "
            "Stufe 2 liegt (unbekannte Zellen zählen dabei nicht mit). Gereiht wird nach der Zahl der Einwohnerinnen und "
            f"Einwohner in Kommunen unterhalb von Stufe {compliant_level}, die mit einem gemeinsamen Dienst Zugang gewännen.")


def sources_text(region: Region) -> str:
    """The report's sources; the population source is the region file's first source."""
    population = region.sources[0] if region.sources else f"Regionsdatei {region.source.name}"
    return ("## Quellen\n\n"
            "- Untersuchungsmatrix: Recherche des Projekts (Modul 1); im Beispiellauf generierte Beispieldaten.\n"
            "- OZG-Reifegradmodell und OZG-Umsetzungskatalog: Bundesministerium des Innern (Stand 2019).\n"
            "- Dashboard Digitale Verwaltung (Open-PVOG-Daten), soweit Exporte vorliegen.\n"
            f"- Einwohnerzahlen: {population}.")
