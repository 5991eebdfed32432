"""How the dossier shows its parts: the heading, captioned tables, and the sources."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from regiopole.dossier import broadband, population
from regiopole.dossier.model import Dossier
from regiopole.report import german_table


def heading(d: Dossier) -> str:
    """The page's title (first-level heading)."""
    return f"# Kommunaldossier {d.name}\n\n**{d.member['kreis']} · {d.region.name}**"


def table(frame: pd.DataFrame | None, caption: str) -> Styler | None:
    """A table for display with a caption (read by screen readers, printed above the table); None stays None."""
    if frame is None:
        return None
    if frame.empty:
        return None
    return german_table(frame).set_caption(caption)


def show(frame: pd.DataFrame | None, caption: str) -> None:
    """Display the captioned table in the notebook, if there is one."""
    styled = table(frame, caption)
    if styled is not None:
        from IPython.display import display

        display(styled)


def data_text(d: Dossier) -> str:
    """Which parts are official data and which are the project's (or example) data."""
    project = ("**generierte Beispieldaten**: Sie zeigen, wie das Dossier aussieht, nicht die Ergebnisse des Modellprojekts"
               if d.example else "Projektdaten des Modellprojekts")
    return ("Einwohnerzahlen und Breitbandversorgung sind **amtliche Daten** mit Quelle und Stand. Die Abschnitte zu "
            f"Online-Diensten, Beteiligung, Leitprojekten und Zielen beruhen auf {project}.")


def sources_markdown(d: Dossier) -> str:
    """The sources of every section, with their dates where the data carry one."""
    dates = sorted(d.region.municipalities["population_date"].unique())
    lines = [f"- Einwohnerzahlen: {'; '.join(population.source(date) for date in dates)}; Statistische Ämter des Bundes "
             "und der Länder, Datenlizenz Deutschland – Namensnennung 2.0.",
             f"- Breitband: {broadband.broadband_source(d).removeprefix('Quelle: ') or broadband.SOURCE + ' (noch nicht ausgewertet).'}"]
    label = d.project_data_note()
    lines += [f"- Reifegrad-Index und Online-Dienste: Bestandsaufnahme digitaler Anwendungen des Modellprojekts ({label}).",
              f"- Beteiligung: Befragung der Kommunen und Online-Abfrage zu den Leitprojekten ({label}); nur die Teilnahme.",
              f"- Leitprojekte und Ziele: Leitprojekt-Kandidaten, Auswahl und Zielbaum aus den Workshops ({label})."]
    return "\n".join(lines)
