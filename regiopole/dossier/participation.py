"""Section "Beteiligung": whether the municipality took part in the survey and in the lead-project poll.

Participation only. The dossier never reads a survey answer or a poll vote: the tables
it reads hold one ``participated`` flag (ja/nein) per member and nothing else.
"""

from __future__ import annotations

import pandas as pd

from regiopole.dossier.model import Dossier

PARTS = {"survey_participation": "Befragung der Kommunen", "poll_participation": "Online-Abfrage zu den Leitprojekten"}


def _took_part(table: pd.DataFrame, ags: str) -> bool | None:
    match = table.loc[table["ags"].eq(ags), "participated"]
    return bool(match.iloc[0] == "ja") if len(match) else None


def participation_table(d: Dossier) -> pd.DataFrame:
    """One row per consultation: the municipality, the region (how many took part), the Oberzentrum."""
    rows = []
    for key, label in PARTS.items():
        table = d.table(key)
        row = {"Beteiligung": label}
        for heading, column in d.comparison():
            if table is None:
                row[heading] = "noch nicht ausgewertet"
            elif column == "region":
                row[heading] = f"{int(table['participated'].eq('ja').sum())} von {len(table)} Kommunen"
            else:
                took = _took_part(table, column)
                row[heading] = "–" if took is None else "teilgenommen" if took else "nicht teilgenommen"
        rows.append(row)
    return pd.DataFrame(rows)


def participation_text(d: Dossier) -> str:
    """Whether the municipality took part, and that its answers are not shown here."""
    sentences = []
    for key, label in PARTS.items():
        table = d.table(key)
        if table is None:
            sentences.append(f"Zur {label} liegt noch keine Auswertung vor.")
            continue
        took = _took_part(table, d.ags)
        n = int(table["participated"].eq("ja").sum())
        verb = "hat" if took else "hat nicht"
        sentences.append(f"An der {label} {verb} {d.name} teilgenommen ({n} von {len(table)} Kommunen der Region haben teilgenommen).")
    sentences.append("Antworten und Stimmen einzelner Kommunen werden nicht veröffentlicht, auch hier nicht: Die Ergebnisse "
                     f"stehen nur für die Region insgesamt in den jeweiligen Berichten ({d.project_data_note()}).")
    return " ".join(sentences)
