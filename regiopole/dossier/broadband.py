"""Section "Breitband": households and businesses with gigabit and fibre, development, rank.

Official Breitbandatlas values from the tables of the report on development trends
(``trends_municipalities.csv``, ``trends_reference.csv``): shares in per cent (0-100).
"""

from __future__ import annotations

import pandas as pd

from regiopole.dossier.model import Dossier
from regiopole.report import german_date
from regiopole.style import german_number

SOURCE = "Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur"
NOTE = "Die Stände des Breitbandatlas sind keine strenge Zeitreihe; Veränderungen sind deshalb nur als Richtung zu lesen."


def _percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{german_number(value, 1)} %"


def _points(value: float) -> str:
    if pd.isna(value):
        return "–"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{german_number(abs(value), 1)} Prozentpunkte"


def _rows(d: Dossier) -> dict[str, pd.Series] | None:
    """The indicator row of each comparison column, or None when the tables are missing."""
    trends, reference = d.table("trends"), d.table("trends_reference")
    if trends is None or reference is None:
        return None
    by_ags = trends.set_index("ags")
    region = reference.loc[reference["unit"].eq("region")]
    rows = {}
    for heading, key in d.comparison():
        if key == "region":
            rows[heading] = region.iloc[0] if len(region) else None
        else:
            rows[heading] = by_ags.loc[key] if key in by_ags.index else None
    return rows


def broadband_table(d: Dossier) -> pd.DataFrame | None:
    """Indicators (rows) for the municipality, the region and the Oberzentrum (columns)."""
    rows = _rows(d)
    if rows is None:
        return None
    own = rows[d.name]
    vintage, first = (german_date(str(own[c])) if own is not None else "–" for c in ("vintage", "first_vintage"))
    lines = {
        f"Haushalte mit mindestens 1.000 Mbit/s ({vintage})": lambda r: _percent(r["hh_1000"]),
        f"Haushalte mit mindestens 1.000 Mbit/s ({first})": lambda r: _percent(r["hh_1000_first"]),
        f"Veränderung seit {first}": lambda r: _points(r["hh_1000"] - r["hh_1000_first"]),
        f"Haushalte mit mindestens 100 Mbit/s ({vintage})": lambda r: _percent(r["hh_100"]),
        f"Haushalte mit Glasfaser bis ins Haus, FTTH/B ({vintage})": lambda r: _percent(r["hh_ftth"]),
        f"Unternehmen mit mindestens 1.000 Mbit/s, leitungsgebunden ({vintage})": lambda r: _percent(r["bus_1000"]),
        f"Unternehmen mit Glasfaser, FTTH/B ({vintage})": lambda r: _percent(r["bus_ftth"]),
    }
    table = pd.DataFrame({heading: [value(row) if row is not None else "–" for value in lines.values()]
                          for heading, row in rows.items()}, index=list(lines))
    return table.rename_axis("Anteil").reset_index()


def broadband_text(d: Dossier) -> str:
    """Gigabit availability, its development, the rank in the region, with source and date."""
    rows = _rows(d)
    if rows is None:
        return d.missing("trends")
    own, region = rows[d.name], rows[d.region.name]
    if own is None:
        return f"Der Breitbandatlas enthält für {d.name} keine Werte."
    n = len(d.region.ags)
    text = (f"Am {german_date(str(own['vintage']))} konnten in {d.name} **{_percent(own['hh_1000'])} der Haushalte** einen "
            f"Anschluss mit mindestens 1.000 Mbit/s (Gigabit) bekommen, am {german_date(str(own['first_vintage']))} waren es "
            f"{_percent(own['hh_1000_first'])}. ")
    if pd.notna(own["rank_hh_1000"]):
        text += f"Damit steht {d.name} auf **Rang {int(own['rank_hh_1000'])} von {n}** Kommunen der Region. "
    if region is not None:
        text += f"In der Region insgesamt sind es {_percent(region['hh_1000'])}"
        oz = rows.get(f"{d.region.oberzentrum_name} (Oberzentrum)")
        text += f", im Oberzentrum {d.region.oberzentrum_name} {_percent(oz['hh_1000'])}. " if oz is not None else ". "
    text += (f"Glasfaser bis ins Haus (FTTH/B), die zukunftssichere Technik, erreicht {_percent(own['hh_ftth'])} der Haushalte; "
             f"von den Unternehmen haben {_percent(own['bus_1000'])} einen leitungsgebundenen Gigabit-Anschluss zur Auswahl.")
    return text


def broadband_source(d: Dossier) -> str:
    """Source line with the data status (Datenstand); empty while the section has no data."""
    rows = _rows(d)
    if rows is None:
        return ""
    own = rows.get(d.name)
    status = f", Datenstand {german_date(str(own['vintage']))}" if own is not None else ""
    return f"Quelle: {SOURCE}{status}; amtliche Daten. {NOTE}"
