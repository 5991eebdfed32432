"""Section "Online-Dienste": the maturity index and the services others in the region already offer.

From the inventory report's tables: ``inventory_index.csv`` (index per member) and
``inventory_gaps.csv`` (per member, the applications below the OZG-compliant level that
another member offers at that level), ``inventory_candidates.csv`` (shared-service candidates).
"""

from __future__ import annotations

import pandas as pd

from regiopole.dossier.model import Dossier
from regiopole.style import german_number, german_percent


def index_table(d: Dossier) -> pd.DataFrame | None:
    """Index, rank and OZG-compliant share: the municipality, the region's mean, the Oberzentrum."""
    index = d.table("inventory_index")
    if index is None:
        return None
    by_ags = index.set_index("ags")
    columns = {}
    for heading, key in d.comparison():
        if key == "region":
            columns[f"{heading} (Mittelwert)"] = [german_number(index["maturity_index"].mean(), 1), "–",
                                                  german_percent(index["share_ozg_compliant"].mean()),
                                                  german_number(index["maturity_index_own"].mean(), 1)]
        elif key in by_ags.index:
            row = by_ags.loc[key]
            columns[heading] = [german_number(row["maturity_index"], 1), f"{int(row['rank'])} von {len(index)}",
                                german_percent(row["share_ozg_compliant"]), german_number(row["maturity_index_own"], 1)]
    labels = ["Reifegrad-Index (0–100)", "Rang in der Region", "Anteil der Anwendungen OZG-konform online",
              "Index nur des eigenen Angebots (ohne Kreis)"]
    return pd.DataFrame(columns, index=labels).rename_axis("Merkmal").reset_index()


def index_text(d: Dossier) -> str:
    """The municipality's index and rank beside the region and the Oberzentrum."""
    index = d.table("inventory_index")
    if index is None:
        return d.missing("inventory_index")
    by_ags = index.set_index("ags")
    if d.ags not in by_ags.index:
        return f"Die Bestandsaufnahme enthält für {d.name} keinen Reifegrad-Index."
    own = by_ags.loc[d.ags]
    text = (f"Der **Reifegrad-Index** der Online-Angebote von {d.name} beträgt **{german_number(own['maturity_index'], 1)}** "
            f"von 100 Punkten (Rang {int(own['rank'])} von {len(index)}); der Mittelwert der Region liegt bei "
            f"{german_number(index['maturity_index'].mean(), 1)}")
    if not d.is_oberzentrum and d.oberzentrum in by_ags.index:
        text += f", das Oberzentrum {d.region.oberzentrum_name} erreicht {german_number(by_ags.at[d.oberzentrum, 'maturity_index'], 1)}"
    return text + f". Der Index zählt die Angebote des Kreises mit ({d.project_data_note()})."


def gaps_table(d: Dossier) -> pd.DataFrame | None:
    """The applications the municipality lacks and who in the region offers them."""
    gaps = d.table("inventory_gaps")
    if gaps is None:
        return None
    own = gaps[gaps["ags"].eq(d.ags)]
    candidates = d.table("inventory_candidates")
    shared = set(candidates["Anwendungs-ID"]) if candidates is not None else set()
    table = pd.DataFrame({
        "Anwendung": own["name"], "Kategorie": own["category"],
        "Stufe hier": own["level"].astype(int).astype(str),
        "Angeboten von": own["providers"].str.replace("; ", ", ", regex=False),
        "Vorschlag für einen gemeinsamen Dienst": own["app_id"].isin(shared).map({True: "ja", False: "nein"}),
    })
    if candidates is None:
        return table.drop(columns="Vorschlag für einen gemeinsamen Dienst").sort_values(["Kategorie", "Anwendung"], ignore_index=True)
    # shared-service candidates first: what the region proposes to share
    first = table["Vorschlag für einen gemeinsamen Dienst"].ne("ja")
    return table.assign(_first=first).sort_values(["_first", "Kategorie", "Anwendung"], ignore_index=True).drop(columns="_first")


def gaps_text(d: Dossier) -> str:
    """How many applications the municipality could take over from others, and the shared-service candidates among them."""
    gaps = d.table("inventory_gaps")
    if gaps is None:
        return d.missing("inventory_gaps")
    own = gaps[gaps["ags"].eq(d.ags)]
    level = int(gaps["compliant_level"].iloc[0]) if len(gaps) else None  # the page's own and the Oberzentrum's rows
    level_text = f"ab Stufe {level} (OZG-konform)" if level is not None else "OZG-konform"
    if own.empty:
        return (f"Keine Anwendung, die eine andere Kommune der Region {level_text} online anbietet, fehlt in {d.name} "
                "nachweislich; Anwendungen mit unbekanntem Stand sind dabei nicht mitgezählt.")
    candidates = d.table("inventory_candidates")
    text = (f"**{len(own)} Online-Dienste** sind in {d.name} nicht {level_text} verfügbar, obwohl mindestens eine andere "
            f"Kommune der Region sie so anbietet. ")
    if candidates is not None:
        shared = int(own["app_id"].isin(set(candidates["Anwendungs-ID"])).sum())
        text += (f"{shared} davon gehören zu den Vorschlägen für gemeinsame Dienste der Region: Eine Kommune könnte sie für "
                 "andere mit bereitstellen. " if shared else "Keiner davon gehört zu den Vorschlägen für gemeinsame Dienste der Region. ")
    oz_offers = int(own["providers"].str.split("; ").map(lambda names: d.region.oberzentrum_name in names).sum())
    if not d.is_oberzentrum:
        text += f"{oz_offers} der Dienste bietet das Oberzentrum {d.region.oberzentrum_name} selbst an. "
    return text + f"Anwendungen mit unbekanntem Stand sind nicht mitgezählt ({d.project_data_note()})."
