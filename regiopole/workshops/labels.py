"""German headings and values for the published workshop and goal-tree tables."""

from __future__ import annotations

import pandas as pd

from regiopole.workshops.cards import CATEGORIES
from regiopole.workshops.goaltree import NODE_TYPES

COLUMNS = {
    "row": "Zeile", "card_id": "Karte", "workshop": "Workshop", "group": "Gruppe", "category_label": "Kategorie",
    "text": "Kartentext", "votes": "Punkte", "cards": "Karten", "themes": "Themen", "coding": "Codierung",
    "share": "Anteil", "theme": "Themen-ID", "label": "Thema", "workshop_cards": "Karten im Workshop",
    "card_share": "Anteil der Karten", "rank_cards": "Rang nach Karten", "rank_votes": "Rang nach Punkten",
    "hurdles": "Hürden (Karten)", "chances": "Chancen (Karten)", "hurdles_votes": "Hürden (Punkte)",
    "chances_votes": "Chancen (Punkte)", "balance": "Saldo Chancen − Hürden", "label_a": "Thema A", "label_b": "Thema B",
    "id": "ID", "level": "Ebene", "title": "Titel", "type": "Typ", "parent": "Übergeordnet", "horizon": "Zeithorizont",
    "responsible": "Verantwortlich", "indicator": "Zielindikator", "target_date": "Zieldatum",
    "own_votes": "Punkte (direkt)", "total_votes": "Punkte (mit Unterpunkten)", "rank": "Rang unter Geschwistern",
    **CATEGORIES,
}


def german(table: pd.DataFrame, drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """Copy of ``table`` with German headings (and node types), shares rounded to 3 places."""
    out = table.drop(columns=[c for c in drop if c in table.columns]).copy()
    if "type" in out:
        out["type"] = out["type"].map(NODE_TYPES).fillna(out["type"])
    for column in ("share", "card_share"):
        if column in out:
            out[column] = out[column].astype(float).round(3)
    return out.rename(columns=COLUMNS)
