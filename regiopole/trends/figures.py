"""Figures of the Entwicklungstrends report; each carries a German alt text computed from its data.

Shares are in per cent (0-100). Colours come from the colour-blind safe palette of
:mod:`regiopole.style`; where two groups differ by colour they also differ by marker or
hatching, so the figures read in greyscale too.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from regiopole import style
from regiopole.report import german_date
from regiopole.trends.sources import month_year

DARK, LIGHT = style.PALETTE[0], "#a6cee3"
CATV_COLOUR, FTTH_COLOUR = style.PALETTE[1], style.PALETTE[2]


def pct(value: float, decimals: int = 1) -> str:
    """``72.17`` -> ``'72,2 %'``."""
    return "keine Angabe" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{style.german_number(value, decimals)}\u00a0%"


def _percent_axis(axis) -> None:
    axis.set_major_formatter(mticker.FuncFormatter(lambda x, _pos: f"{style.german_number(x)}\u00a0%"))


def municipal_figure(municipalities: pd.DataFrame, reference: pd.DataFrame) -> plt.Figure:
    """Horizontal bars per member: ≥ 100 Mbit/s (light) behind ≥ 1000 Mbit/s (dark); region and Germany as lines."""
    table = municipalities.sort_values("hh_1000", na_position="first").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.27 * len(table) + 1.6))
    y = np.arange(len(table))
    ax.barh(y, table["hh_100"], color=LIGHT, label="mindestens 100 Mbit/s")
    ax.barh(y, table["hh_1000"], height=0.5, color=DARK, label="mindestens 1.000 Mbit/s (Gigabit)")
    lines = reference.set_index("unit")
    for unit, label, dash in (("region", "Region (Gigabit)", ":"), ("germany", "Deutschland (Gigabit)", "--")):
        ax.axvline(lines.at[unit, "hh_1000"], color="#333333", linestyle=dash, linewidth=1.2, label=label)
    ax.set_yticks(y, table["name"])
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis)
    ax.set_xlabel("Anteil der Haushalte")
    ax.set_title(f"Breitbandverfügbarkeit der Haushalte je Kommune, {month_year(table['vintage'].iat[0])}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 - 1.2 / fig.get_size_inches()[1]), ncol=2, fontsize=8)
    ax.margins(y=0.01)
    top, bottom = table.dropna(subset=["hh_1000"]).iloc[-1], table.dropna(subset=["hh_1000"]).iloc[0]
    fig.alt_text = (f"Balkendiagramm der {len(table)} Kommunen: Anteil der Haushalte mit mindestens 1.000 Mbit/s "
                    f"und mit mindestens 100 Mbit/s. Am höchsten ist der Gigabit-Anteil in {top['name']} "
                    f"({pct(top['hh_1000'])}), am niedrigsten in {bottom['name']} ({pct(bottom['hh_1000'])}); "
                    f"Region {pct(lines.at['region', 'hh_1000'])}, Deutschland {pct(lines.at['germany', 'hh_1000'])}.")
    return fig


def trend_figure(trend: pd.DataFrame) -> plt.Figure:
    """Lines over the vintages: region, Oberzentrum, Länder, Germany (gigabit share of households)."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    order = list(dict.fromkeys(["region", "oberzentrum", *sorted(u for u in trend["unit"] if u.startswith("land:")),
                                "germany"]))
    steps = sorted(trend["vintage"].unique())
    x = {v: i for i, v in enumerate(steps)}
    for i, unit in enumerate(u for u in order if u in set(trend["unit"])):
        part = trend[trend["unit"] == unit]
        ax.plot([x[v] for v in part["vintage"]], part["share"], marker=markers[i % len(markers)],
                color=style.PALETTE[i % len(style.PALETTE)], label=part["name"].iat[0], linewidth=1.8)
    ax.set_xticks(range(len(steps)), [month_year(v) for v in steps])
    ax.set_ylim(0, 100)
    _percent_axis(ax.yaxis)
    ax.set_ylabel("Haushalte mit mindestens 1.000 Mbit/s")
    ax.set_title("Gigabit-Verfügbarkeit der Haushalte nach Datenstand")
    ax.legend(fontsize=8, loc="upper left")
    first, last = steps[0], steps[-1]
    pivot = trend.pivot(index="unit", columns="vintage", values="share")
    names = trend.drop_duplicates("unit").set_index("unit")["name"]
    parts = [f"{names[u]} von {pct(pivot.at[u, first])} auf {pct(pivot.at[u, last])}"
             for u in order if u in pivot.index and not pd.isna(pivot.at[u, first])]
    fig.alt_text = (f"Liniendiagramm der Gigabit-Verfügbarkeit der Haushalte von {german_date(first)} bis "
                    f"{german_date(last)}: " + "; ".join(parts) + ". Die Datenstände sind keine strenge Zeitreihe.")
    return fig


def technology_figure(technology: pd.DataFrame, summary: dict[str, float]) -> plt.Figure:
    """Per member: gigabit via cable (CATV) and via fibre (FTTH/B), next to gigabit overall."""
    table = technology.sort_values("hh_1000", na_position="first").reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(table) + 1.6))
    y = np.arange(len(table))
    ax.barh(y, table["hh_1000"], color="#dddddd", edgecolor="#777777", label="Gigabit insgesamt")
    ax.barh(y + 0.18, table["hh_catv"], height=0.34, color=CATV_COLOUR, label="über Kabelnetz (CATV)")
    ax.barh(y - 0.18, table["hh_ftth"], height=0.34, color=FTTH_COLOUR, hatch="//", label="über Glasfaser (FTTH/B)")
    ax.set_yticks(y, table["name"])
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis)
    ax.set_xlabel("Anteil der Haushalte mit mindestens 1.000 Mbit/s")
    ax.set_title("Welche Technik trägt das Gigabit-Angebot?")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08 - 1.2 / fig.get_size_inches()[1]), ncol=3, fontsize=8)
    ax.margins(y=0.01)
    fibre_leader = table.dropna(subset=["hh_ftth"]).sort_values("hh_ftth").iloc[-1]
    fig.alt_text = (f"Balkendiagramm je Kommune: Gigabit-Anteil insgesamt, über Kabel und über Glasfaser. In der Region "
                    f"erreicht Kabel {pct(summary['hh_catv'])} und Glasfaser {pct(summary['hh_ftth'])} der Haushalte "
                    f"(Gigabit insgesamt {pct(summary['hh_1000'])}); den höchsten Glasfaseranteil hat "
                    f"{fibre_leader['name']} mit {pct(fibre_leader['hh_ftth'])}.")
    return fig


def lagging_map(municipalities: pd.DataFrame, threshold: float) -> plt.Figure:
    """Members at their coordinates, circle size by population; below the threshold marked and labelled."""
    table = municipalities.dropna(subset=["lat", "lon"])
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    below = table["hh_1000"] < threshold
    size = 30 + 400 * table["population"] / table["population"].max()
    ax.scatter(table.loc[~below, "lon"], table.loc[~below, "lat"], s=size[~below], color=DARK, alpha=0.8,
               marker="o", edgecolor="white", label=f"mindestens {pct(threshold)} Gigabit")
    ax.scatter(table.loc[below, "lon"], table.loc[below, "lat"], s=size[below], color=style.PALETTE[3], alpha=0.9,
               marker="^", edgecolor="black", label=f"unter {pct(threshold)} Gigabit")
    for _, row in table[below].iterrows():
        ax.annotate(f"{row['name']} ({pct(row['hh_1000'], 0)})", (row["lon"], row["lat"]), fontsize=7,
                    xytext=(5, 4), textcoords="offset points")
    ax.set_aspect(1 / math.cos(math.radians(table["lat"].mean())))
    ax.set_xlabel("geografische Länge")
    ax.set_ylabel("geografische Breite")
    ax.set_title("Kommunen mit Nachholbedarf beim Gigabit-Angebot")
    ax.legend(fontsize=8, loc="best", markerscale=0.6)
    names = ", ".join(table.loc[below].sort_values("hh_1000")["name"]) or "keine"
    fig.alt_text = (f"Lagekarte der {len(table)} Kommunen (Punkte an ihren Koordinaten, Größe nach Einwohnerzahl). "
                    f"Unter {pct(threshold)} Gigabit-Verfügbarkeit liegen {int(below.sum())} Kommunen: {names}.")
    return fig


def business_figure(business: pd.DataFrame) -> plt.Figure:
    """Businesses with gigabit (wired) and fibre per Kreis, Land and Germany."""
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(business) + 1.5))
    table = business.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(table))
    ax.barh(y + 0.2, table["bus_1000"], height=0.4, color=DARK, label="mindestens 1.000 Mbit/s (leitungsgebunden)")
    ax.barh(y - 0.2, table["bus_ftth"], height=0.4, color=FTTH_COLOUR, hatch="//", label="Glasfaser (FTTH/B)")
    ax.set_yticks(y, table["name"])
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis)
    ax.set_xlabel("Anteil der Unternehmen")
    ax.set_title("Gigabit und Glasfaser für Unternehmen")
    ax.legend(fontsize=8, loc="lower right")
    parts = [f"{n}: {pct(a)} Gigabit, {pct(b)} Glasfaser"
             for n, a, b in zip(business["name"], business["bus_1000"], business["bus_ftth"], strict=True)]
    fig.alt_text = "Balkendiagramm der Unternehmen mit Gigabit- und Glasfaseranschluss. " + "; ".join(parts) + "."
    return fig


def mobile_figure(mobile: pd.DataFrame, technology: str = "5G") -> plt.Figure:
    """Coverage of one mobile technology by area type: one marker per Kreis, Land and Germany."""
    table = mobile[mobile["technology"] == technology]
    areas = sorted(table["area_type"].unique())
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(areas) + 1.8))
    markers = ["o", "s", "^", "D", "v", "P", "X", "*", "h"]
    y = {a: i for i, a in enumerate(areas)}
    for i, (name, part) in enumerate(table.groupby("name", sort=False)):
        ax.scatter(part["share"], [y[a] for a in part["area_type"]], marker=markers[i % len(markers)],
                   color=style.PALETTE[i % len(style.PALETTE)], label=name, s=40, zorder=3)
    ax.set_yticks(range(len(areas)), areas)
    ax.set_xlim(0, 102)
    _percent_axis(ax.xaxis)
    ax.set_xlabel(f"Anteil der Fläche mit {technology}-Versorgung")
    ax.set_title(f"{technology}-Versorgung nach Flächenart")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    home = table[table["area_type"] == "Wohnbaufläche"]
    parts = [f"{n}: {pct(s)}" for n, s in zip(home["name"], home["share"], strict=True)]
    fig.alt_text = (f"Punktdiagramm der {technology}-Versorgung nach Flächenart für die Kreise der Region, ihre Länder "
                    f"und Deutschland. Wohnbauflächen: " + "; ".join(parts) + ".")
    return fig


def regiopolen_figure(regiopolen: pd.DataFrame) -> plt.Figure:
    """Gigabit share of the Regiopole cities (first and newest vintage), Germany as reference line."""
    cities = regiopolen[regiopolen["ags"] != "DG"].iloc[::-1].reset_index(drop=True)
    germany = regiopolen[regiopolen["ags"] == "DG"].iloc[0]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(cities) + 1.5))
    y = np.arange(len(cities))
    ax.barh(y - 0.2, cities["hh_1000_first"], height=0.4, color=LIGHT, hatch="..",
            label=f"Datenstand {month_year(regiopolen['first_vintage'].iat[0])}")
    ax.barh(y + 0.2, cities["hh_1000"], height=0.4, color=DARK, label=f"Datenstand {month_year(regiopolen['vintage'].iat[0])}")
    ax.axvline(germany["hh_1000"], color="#333333", linestyle="--", label="Deutschland (neuester Datenstand)")
    ax.set_yticks(y, cities["name"])
    ax.set_xlim(0, 100)
    _percent_axis(ax.xaxis)
    ax.set_xlabel("Haushalte mit mindestens 1.000 Mbit/s")
    ax.set_title("Gigabit-Verfügbarkeit in den Regiopolen")
    ax.legend(fontsize=8, loc="lower right")
    parts = [f"{n} {pct(v)}" for n, v in zip(cities["name"][::-1], cities["hh_1000"][::-1], strict=True)]
    fig.alt_text = (f"Balkendiagramm der Gigabit-Verfügbarkeit in den {len(cities)} Regiopolen: " + ", ".join(parts)
                    + f"; Deutschland {pct(germany['hh_1000'])}.")
    return fig
