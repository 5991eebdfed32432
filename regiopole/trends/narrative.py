"""The report's German text, computed from the tables: values, never parameter names."""

from __future__ import annotations

import pandas as pd

from regiopole import style
from regiopole.report import german_date
from regiopole.trends.equality import Equality
from regiopole.trends.figures import pct
from regiopole.trends.sources import NOT_A_TIME_SERIES


def _points(value: float) -> str:
    return f"{style.german_number(abs(value), 1)} Prozentpunkte"


def _names(names: list[str]) -> str:
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} und {names[-1]}"


def overview(reference: pd.DataFrame, municipalities: pd.DataFrame) -> str:
    """Gigabit and ≥ 100 Mbit/s in the region against Oberzentrum, Länder and Germany, and the development."""
    units = reference.set_index("unit")
    region, germany = units.loc["region"], units.loc["germany"]
    newest, first = german_date(region["vintage"]), german_date(region["first_vintage"])
    lands = units[units.index.str.startswith("land:")]
    land_text = "; ".join(f"in {name} {pct(v)}" for name, v in zip(lands["name"], lands["hh_1000"], strict=True))
    valid = municipalities.dropna(subset=["hh_1000"])
    top, bottom = valid.loc[valid["hh_1000"].idxmax()], valid.loc[valid["hh_1000"].idxmin()]
    lines = [
        f"Zum Datenstand **{newest}** konnten in der **{region['name']}** rechnerisch **{pct(region['hh_1000'])}** der "
        f"Haushalte einen Anschluss mit mindestens 1.000 Mbit/s (Gigabit) bekommen und **{pct(region['hh_100'])}** "
        f"einen mit mindestens 100 Mbit/s. Zum Vergleich: {land_text}, in Deutschland {pct(germany['hh_1000'])} "
        f"(mindestens 100 Mbit/s: {pct(germany['hh_100'])}).",
        "",
        f"Zum ersten Datenstand ({first}) lag der Gigabit-Anteil der Region bei {pct(region['hh_1000_first'])}, "
        f"in Deutschland bei {pct(germany['hh_1000_first'])}. Zwischen den Kommunen reicht die Spanne heute von "
        f"{pct(bottom['hh_1000'])} in {bottom['name']} bis {pct(top['hh_1000'])} in {top['name']}.",
    ]
    missing = municipalities.loc[municipalities["hh_1000"].isna(), "name"].tolist()
    if missing:
        lines += ["", f"Für {_names(missing)} enthält der Breitbandatlas zu diesem Datenstand keinen Wert; "
                  "diese Kommunen fehlen in den Mittelwerten."]
    return "\n".join(lines)


def trend_text(trend: pd.DataFrame) -> str:
    """How the gigabit share developed, with the caveat."""
    pivot = trend.pivot(index="unit", columns="vintage", values="share")
    names = trend.drop_duplicates("unit").set_index("unit")["name"]
    first, last = pivot.columns[0], pivot.columns[-1]
    parts = []
    for unit in ("region", "oberzentrum", "germany"):
        if unit in pivot.index and not pd.isna(pivot.at[unit, first]):
            change = pivot.at[unit, last] - pivot.at[unit, first]
            parts.append(f"{names[unit]} von {pct(pivot.at[unit, first])} auf {pct(pivot.at[unit, last])} "
                         f"({'+' if change >= 0 else '−'}{_points(change)})")
    return (f"Von {german_date(first)} bis {german_date(last)} stieg der Gigabit-Anteil der Haushalte: "
            + "; ".join(parts) + f". **Hinweis:** {NOT_A_TIME_SERIES} Veränderungen zwischen zwei Datenständen "
            "können deshalb auch aus der Methode stammen.")


def technology_text(summary: dict[str, float], technology: pd.DataFrame) -> str:
    """How much of gigabit comes from cable and how much from fibre."""
    catv_only = technology[(technology["hh_catv"] >= technology["hh_1000"] - 0.5) & (technology["hh_ftth"] < 10)]
    text = (f"In der Region erreicht das Kabelnetz (CATV) mit Gigabit-Geschwindigkeit rechnerisch **{pct(summary['hh_catv'])}** "
            f"der Haushalte, Glasfaser bis ins Gebäude (FTTH/B) **{pct(summary['hh_ftth'])}**; zusammen mit weiteren "
            f"Techniken ergibt das einen Gigabit-Anteil von {pct(summary['hh_1000'])}. Kabel und Glasfaser können "
            "dieselben Haushalte versorgen, die Anteile lassen sich daher nicht addieren. Glasfaser gilt als die "
            "zukunftsfeste Technik; Kabelnetze erreichen Gigabit über den Standard DOCSIS 3.1, teilen die Bandbreite "
            "aber zwischen den Anschlüssen eines Netzsegments.")
    if len(catv_only):
        text += (f" In {len(catv_only)} Kommunen beruht das Gigabit-Angebot fast ganz auf dem Kabelnetz "
                 f"(Glasfaser unter 10 %): {_names(catv_only['name'].tolist())}.")
    return text


def equality_text(result: Equality, oberzentrum: str, first_vintage: str, vintage: str) -> str:
    """Gap between Oberzentrum and the others, inhabitants below the threshold, the Gini coefficient (defined)."""
    direction = "über" if result.gap >= 0 else "unter"
    lines = [
        f"**{oberzentrum}** (Oberzentrum) hat einen Gigabit-Anteil von {pct(result.oberzentrum)}, die übrigen Kommunen "
        f"zusammen (einwohnergewichtet) {pct(result.others)}: das Oberzentrum liegt {_points(result.gap)} {direction} "
        "dem Rest der Region.",
        "",
        f"**{pct(result.below)}** der Einwohnerinnen und Einwohner leben in einer Kommune, in der weniger als "
        f"{pct(result.threshold)} der Haushalte Gigabit bekommen können (Datenstand {german_date(first_vintage)}: "
        f"{pct(result.below_first)}).",
        "",
        f"Als Maß der Ungleichheit dient der **einwohnergewichtete Gini-Koeffizient** der Gigabit-Anteile: der "
        "mittlere Unterschied zwischen den Gigabit-Anteilen der Wohnorte zweier zufällig gewählter Einwohnerinnen "
        "oder Einwohner der Region, geteilt durch das Doppelte des mittleren Anteils. 0 heißt, alle Kommunen haben "
        "denselben Anteil; je näher der Wert an 1 liegt, desto ungleicher ist das Angebot verteilt. "
        + _gini_change(result.gini_first, result.gini, first_vintage, vintage),
    ]
    return "\n".join(lines)


def size_class_text(sizes: pd.DataFrame) -> str:
    """Gigabit by size class of the municipalities (population-weighted)."""
    parts = [f"{pct(v)} in Kommunen mit {label} Einwohnern ({n} {'Kommune' if n == 1 else 'Kommunen'})"
             for label, v, n in zip(sizes["size_class"], sizes["hh_1000"], sizes["municipalities"], strict=True)]
    return "Gigabit-Anteil nach Gemeindegröße (einwohnergewichtet): " + "; ".join(parts) + "."


def _gini_change(before: float, after: float, first_vintage: str, vintage: str) -> str:
    old, new = style.german_number(before, 2), style.german_number(after, 2)
    if old == new:
        return f"Er lag zu beiden Datenständen ({german_date(first_vintage)}, {german_date(vintage)}) bei {new}."
    verb = "sank" if after < before else "stieg"
    return f"Er {verb} von {old} ({german_date(first_vintage)}) auf {new} ({german_date(vintage)})."


def lagging_text(lagging: pd.DataFrame, threshold: float, threshold_source: str) -> str:
    """Which municipalities lag behind: candidates for a lead project."""
    if lagging.empty:
        return f"Keine Kommune der Region liegt unter der Schwelle von {pct(threshold)} ({threshold_source})."
    names = _names([f"{n} ({pct(v)})" for n, v in zip(lagging["name"], lagging["hh_1000"], strict=True)])
    return (f"**{len(lagging)} Kommunen** liegen unter der Schwelle von {pct(threshold)} ({threshold_source}): {names}. "
            "Sie sind Kandidaten für ein Leitprojekt zum Gigabit-Ausbau; die Tabelle zeigt auch, wie weit sich ihr "
            "Anteil seit dem ersten Datenstand bewegt hat.")


def business_text(business: pd.DataFrame) -> str:
    """Businesses with gigabit and fibre in the Kreise."""
    kreise = business[business["level"] == "kreis"]
    germany = business[business["level"] == "germany"].iloc[0]
    best, worst = kreise.loc[kreise["bus_1000"].idxmax()], kreise.loc[kreise["bus_1000"].idxmin()]
    return (f"Unternehmen (Datenstand {german_date(germany['vintage'])}): leitungsgebundenes Gigabit reicht von "
            f"{pct(worst['bus_1000'])} ({worst['name']}) bis {pct(best['bus_1000'])} ({best['name']})"
            f"; in Deutschland sind es {pct(germany['bus_1000'])}. Glasfaser erreicht in den Kreisen der Region "
            f"{pct(kreise['bus_ftth'].min())} bis {pct(kreise['bus_ftth'].max())} der Unternehmen "
            f"(Deutschland {pct(germany['bus_ftth'])}).")


def mobile_text(mobile: pd.DataFrame) -> str:
    """5G and 4G coverage of residential and agricultural areas in the Kreise."""
    if mobile.empty:
        return "Für die Kreise der Region enthält der Breitbandatlas keine Mobilfunkwerte."
    kreise = mobile[mobile["level"] == "kreis"]
    germany = mobile[mobile["level"] == "germany"]
    vintage = german_date(mobile["vintage"].iat[0])

    def span(technology: str, area: str) -> str:
        part = kreise[(kreise["technology"] == technology) & (kreise["area_type"] == area)]
        ref = germany[(germany["technology"] == technology) & (germany["area_type"] == area)]["share"]
        de = f" (Deutschland {pct(ref.iat[0])})" if len(ref) else ""
        return f"{pct(part['share'].min())} bis {pct(part['share'].max())}{de}"

    return (f"Mobilfunk (Datenstand {vintage}, Anteil der Fläche): 5G deckt in den Kreisen der Region "
            f"{span('5G', 'Wohnbaufläche')} der Wohnbauflächen und {span('5G', 'Landwirtschaftliche Flächen')} der "
            f"landwirtschaftlichen Flächen ab; 4G (LTE) erreicht auf Wohnbauflächen {span('4G (LTE)', 'Wohnbaufläche')}.")


def regiopolen_text(regiopolen: pd.DataFrame, oberzentrum_ags: str) -> str:
    """The Regiopole cities compared on gigabit, Germany as reference."""
    cities = regiopolen[regiopolen["ags"] != "DG"].reset_index(drop=True)
    germany = regiopolen[regiopolen["ags"] == "DG"].iloc[0]
    above = cities[cities["hh_1000"] > germany["hh_1000"]]
    own = cities[cities["ags"] == oberzentrum_ags]
    text = (f"Von den {len(cities)} Regiopolen liegen {len(above)} über dem deutschen Gigabit-Anteil von "
            f"{pct(germany['hh_1000'])}; am höchsten ist er in {cities['name'].iat[0]} ({pct(cities['hh_1000'].iat[0])}), "
            f"am niedrigsten in {cities['name'].iat[-1]} ({pct(cities['hh_1000'].iat[-1])}).")
    if len(own):
        text += f" {own['name'].iat[0]} steht mit {pct(own['hh_1000'].iat[0])} an Stelle {int(own.index[0]) + 1}."
    return text
