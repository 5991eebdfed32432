"""Figures of the inventory report (German labels, project style from :mod:`regiopole.style`).

Each function returns a matplotlib figure; the notebook saves it with
``report.save_figure``, which adds the caption and the data label.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap

from regiopole import style
from regiopole.data import Region, load_maturity_levels
from regiopole.inventory.levels import Levels, level_distribution
from regiopole.inventory.scoring import category_order

UNKNOWN_CODE = 5
NO_THEMENFELD = "ohne OZG-Bezug (lokale Infrastruktur)"


def level_labels() -> list[str]:
    """'0 Offline' ... '4 Online-Transaktion' and 'unbekannt', from the reference table."""
    levels = load_maturity_levels()
    return [f"{lvl} {name}" for lvl, name in zip(levels["level"], levels["name"], strict=True)] + ["unbekannt"]


def heatmap_order(levels: Levels, scores: pd.DataFrame, applications: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Municipalities by index (highest first); applications by category, then by mean level."""
    rows = scores.sort_values(["maturity_index", "name"], ascending=[False, True])["ags"].tolist()
    apps = applications[["app_id", "category"]].assign(
        mean=levels.effective.mean().reindex(applications["app_id"]).to_numpy(),
        order=applications["category"].map({c: i for i, c in enumerate(category_order(applications))}).to_numpy())
    return rows, apps.sort_values(["order", "mean", "app_id"], ascending=[True, False, True])["app_id"].tolist()


def matrix_heatmap(levels: Levels, scores: pd.DataFrame, applications: pd.DataFrame, region: Region) -> plt.Figure:
    """The matrix as a heatmap: effective level per municipality and application; dots mark Kreis offers."""
    rows, columns = heatmap_order(levels, scores, applications)
    data = levels.effective.loc[rows, columns].fillna(UNKNOWN_CODE)
    names = region.names()
    app_names = applications.set_index("app_id")["name"]
    fig, ax = plt.subplots(figsize=(0.2 * len(columns) + 4, 0.24 * len(rows) + 3.2))
    sns.heatmap(data.set_axis([names[a] for a in rows]).set_axis(app_names.reindex(columns).tolist(), axis=1), ax=ax,
                cmap=ListedColormap(style.MATURITY_COLORS + [style.UNKNOWN_COLOR]), vmin=-0.5, vmax=UNKNOWN_CODE + 0.5,
                linewidths=0.4, linecolor="white", rasterized=True, cbar_kws={"ticks": range(UNKNOWN_CODE + 1), "shrink": 0.6, "label": "Reifegrad (OZG)"})
    ax.collections[0].colorbar.set_ticklabels(level_labels())
    inherited = levels.inherited.loc[rows, columns].to_numpy()
    y, x = np.nonzero(inherited)
    ax.scatter(x + 0.5, y + 0.5, s=4, color=style.MUTED, marker="o", label="Angebot des Kreises")
    categories = applications.set_index("app_id")["category"].reindex(columns)
    bounds = np.flatnonzero(categories.to_numpy()[1:] != categories.to_numpy()[:-1]) + 1
    for edge in bounds:
        ax.axvline(edge, color="black", linewidth=1)
    starts = np.r_[0, bounds]
    ends = np.r_[bounds, len(columns)]
    for start, end in zip(starts, ends, strict=True):  # six category labels
        ax.text((start + end) / 2, -0.6, categories.iloc[start].replace(" und ", " und\n").replace(" vor ", "\nvor "),
                ha="center", va="bottom", fontsize=8)
    for label in ax.get_yticklabels():
        if label.get_text() == region.oberzentrum_name:
            label.set_color(style.HIGHLIGHT)
            label.set_fontweight("bold")
    ax.tick_params(axis="x", labelsize=7)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.12), frameon=False, fontsize=8)
    ax.set_title("Untersuchungsmatrix: Reifegrad je Kommune und Anwendung", pad=42)
    cells = data.size
    fig.alt_text = (
        f"Farbige Matrix des Reifegrads: {len(rows)} Kommunen als Zeilen, die mit dem höchsten Index oben "
        f"({names[rows[0]]}), und {len(columns)} Anwendungen als Spalten, gruppiert in {len(starts)} Kategorien "
        f"({style.german_list(list(dict.fromkeys(categories)))}). Je dunkler ein Feld, desto höher die Stufe. "
        f"{style.german_percent(float(data.isin([3, 4]).to_numpy().sum()) / cells)} der Felder erreichen Stufe 3 oder 4, "
        f"{style.german_percent(float(data.eq(UNKNOWN_CODE).to_numpy().sum()) / cells)} sind unbekannt; "
        f"in {style.german_number(len(x))} Feldern bestimmt das Angebot des Kreises die Stufe (Punkte).")
    return fig


def index_ranking(scores: pd.DataFrame, region: Region) -> plt.Figure:
    """Index per municipality with its bootstrap band; hollow marks show the municipality's own offer only."""
    table = scores.sort_values(["maturity_index", "name"], ascending=[True, False])
    colours = np.where(table["ags"].eq(region.oberzentrum), style.HIGHLIGHT, style.PALETTE[0])
    fig, ax = plt.subplots(figsize=(8, 0.26 * len(table) + 1.4))
    position = np.arange(len(table))
    ax.hlines(position, table["index_low"], table["index_high"], color=colours, linewidth=2, alpha=0.5, label="95-%-Band (Bootstrap)")
    ax.scatter(table["maturity_index"], position, color=colours, zorder=3, label="Index mit Angeboten des Kreises")
    ax.scatter(table["maturity_index_own"], position, facecolors="none", edgecolors=style.MUTED, zorder=3, label="nur eigenes Angebot")
    ax.set_yticks(position, table["name"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Reifegrad-Index (0 = alles offline, 100 = alles Online-Transaktion)")
    ax.set_title("Reifegrad-Index je Kommune")
    ax.legend(loc="lower right", fontsize=8)
    ax.margins(y=0.01)
    best, worst = table.iloc[-1], table.iloc[0]
    oz = table[table["ags"].eq(region.oberzentrum)]
    oz_text = ""
    if len(oz):
        rank = len(table) - int(np.flatnonzero(table["ags"].eq(region.oberzentrum).to_numpy())[0])
        oz_text = (f" Das Oberzentrum {oz['name'].iloc[0]} (rot) steht mit {style.german_number(oz['maturity_index'].iloc[0], 1)} "
                   f"auf Rang {rank}.")
    fig.alt_text = (
        f"Punktdiagramm des Reifegrad-Index (0 bis 100) für {len(table)} Kommunen, höchster oben, jeweils mit "
        f"95-%-Band. Den höchsten Index hat {best['name']} mit {style.german_number(best['maturity_index'], 1)}, "
        f"den niedrigsten {worst['name']} mit {style.german_number(worst['maturity_index'], 1)}.{oz_text} "
        "Hohle Kreise zeigen den Index nur aus dem eigenen Angebot der Kommune.")
    return fig


def index_vs_population(scores: pd.DataFrame, region: Region) -> plt.Figure:
    """Index against inhabitants (log scale) with a trend over log population."""
    fig, ax = plt.subplots(figsize=(8, 5))
    is_oz = scores["ags"].eq(region.oberzentrum)
    sns.regplot(data=scores, x="population", y="maturity_index", logx=True, ci=None, scatter=False, ax=ax,
                line_kws={"color": style.MUTED, "linestyle": "--", "linewidth": 1, "label": "Trend (log. Einwohner)"})
    ax.vlines(scores["population"], scores["index_low"], scores["index_high"], color=style.PALETTE[0], alpha=0.3, linewidth=1)
    ax.scatter(scores.loc[~is_oz, "population"], scores.loc[~is_oz, "maturity_index"], color=style.PALETTE[0], label="Kommune")
    ax.scatter(scores.loc[is_oz, "population"], scores.loc[is_oz, "maturity_index"], color=style.HIGHLIGHT, s=60, label="Oberzentrum")
    labelled = pd.concat([scores.nlargest(3, "population"), scores.nsmallest(2, "maturity_index"), scores.nlargest(2, "maturity_index")]).drop_duplicates("ags")
    for row in labelled.itertuples():  # a handful of labels
        ax.annotate(row.name, (row.population, row.maturity_index), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.set_xscale("log")
    style.thousands_axis(ax.xaxis)
    ax.set_ylim(0, 100)
    ax.set_xlabel("Einwohner (logarithmische Skala)")
    ax.set_ylabel("Reifegrad-Index (0–100)")
    ax.set_title("Reifegrad-Index und Größe der Kommune")
    ax.legend(loc="lower right", fontsize=8)
    slope = float(np.polyfit(np.log10(scores["population"].astype(float)), scores["maturity_index"].astype(float), 1)[0]) \
        if len(scores) > 1 else 0.0
    trend = (f"steigt je Verzehnfachung der Einwohnerzahl um {style.german_number(slope, 1)} Punkte" if slope >= 0.05 else
             f"fällt je Verzehnfachung der Einwohnerzahl um {style.german_number(-slope, 1)} Punkte" if slope <= -0.05 else
             "verläuft waagerecht")
    fig.alt_text = (
        f"Streudiagramm: Reifegrad-Index (0 bis 100) gegen die Einwohnerzahl auf logarithmischer Achse für "
        f"{len(scores)} Kommunen, das Oberzentrum rot. Die Trendlinie {trend}. Beschriftet sind "
        f"{style.german_list(labelled['name'].tolist())}.")
    return fig


def themenfeld_coverage(levels: Levels, applications: pd.DataFrame) -> plt.Figure:
    """Share of municipality-application cells at each level, per OZG Themenfeld."""
    groups = applications.set_index("app_id")["themenfeld"].fillna(NO_THEMENFELD)
    shares = level_distribution(levels.effective, groups)
    shares = shares.assign(order=shares["3"] + shares["4"]).sort_values("order").drop(columns="order")
    counts = groups.value_counts()
    shares.index = [f"{g} ({counts[g]})" for g in shares.index]
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(shares) + 1.6))
    shares.set_axis(level_labels(), axis=1).plot.barh(stacked=True, ax=ax, width=0.8,
                                                     color=style.MATURITY_COLORS + [style.UNKNOWN_COLOR], edgecolor="white")
    style.percent_axis(ax.xaxis)
    ax.set_xlim(0, 1)
    ax.set_xlabel("Anteil der Kommunen × Anwendungen")
    ax.set_ylabel("")
    ax.set_title("Reifegrad nach OZG-Themenfeld (in Klammern: Zahl der Anwendungen)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8, title="Reifegrad")
    advanced = (shares["3"] + shares["4"]) if len(shares) else shares.sum(axis=1)
    fig.alt_text = (
        f"Gestapelte Balken: Anteil der Reifegradstufen 0 bis 4 und „unbekannt“ in {len(shares)} OZG-Themenfeldern. "
        + (f"Am weitesten digitalisiert (Stufe 3 oder 4) ist {advanced.index[-1]} mit "
           f"{style.german_percent(advanced.iloc[-1])}, am wenigsten {advanced.index[0]} mit "
           f"{style.german_percent(advanced.iloc[0])}." if len(shares) else ""))
    return fig


def oberzentrum_by_category(comparison: pd.DataFrame, region: Region) -> plt.Figure:
    """Category scores of the Oberzentrum against the range and mean of the other members."""
    table = comparison.iloc[::-1]
    position = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(table) + 1.4))
    ax.hlines(position, table["others_min"], table["others_max"], color=style.PALETTE[0], alpha=0.35, linewidth=6, label="übrige Kommunen: Spannweite")
    ax.scatter(table["others_mean"], position, color=style.PALETTE[0], zorder=3, label="übrige Kommunen: Mittelwert")
    ax.scatter(table["oberzentrum"], position, color=style.HIGHLIGHT, marker="D", s=50, zorder=4, label=region.oberzentrum_name)
    ax.set_yticks(position, table["category"])
    ax.set_xlim(0, 100)
    ax.set_xlabel("Kategorie-Score (0–100)")
    ax.set_title(f"{region.oberzentrum_name} im Vergleich zu den übrigen Kommunen")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    above = comparison.loc[comparison["oberzentrum"] > comparison["others_mean"], "category"].tolist()
    fig.alt_text = (
        f"Vergleich der Kategorie-Scores (0 bis 100) von {region.oberzentrum_name} (rote Raute) mit Mittelwert und "
        f"Spannweite der übrigen Kommunen in {len(comparison)} Kategorien. {region.oberzentrum_name} liegt in "
        f"{len(above)} von {len(comparison)} Kategorien über dem Mittel der übrigen"
        + (f": {style.german_list(above)}." if above else "."))
    return fig


def candidates_chart(candidates: pd.DataFrame, top: int = 12) -> plt.Figure:
    """Inhabitants who would gain access, for the top shared-service candidates, with their providers."""
    table = candidates.head(top).iloc[::-1]
    colours = np.where(table["oberzentrum_provides"], style.HIGHLIGHT, style.PALETTE[0])
    fig, ax = plt.subplots(figsize=(9, 0.42 * max(len(table), 1) + 1.4))
    bars = ax.barh(table["name"], table["population_gain"], color=colours)
    labels = [p if len(p) <= 40 else p[:38] + " …" for p in table["providers"]]
    ax.bar_label(bars, labels=[f"bereitgestellt von: {p}" for p in labels], padding=4, fontsize=8)
    style.thousands_axis(ax.xaxis)
    ax.margins(x=0.6)
    ax.set_xlabel("Einwohner, die Zugang zu einem OZG-konformen Angebot gewännen")
    ax.set_title("Kandidaten für gemeinsame Dienste (rot: vom Oberzentrum betrieben)")
    first = table.iloc[-1] if len(table) else None
    fig.alt_text = (
        f"Balkendiagramm der {len(table)} Anwendungen, bei denen ein gemeinsamer Dienst die meisten Einwohner "
        "neu erreichen würde, mit den Kommunen, die ihn schon anbieten. "
        + (f"Vorn liegt {first['name']} mit {style.german_number(first['population_gain'])} Einwohnern; "
           f"{int(table['oberzentrum_provides'].sum())} der Anwendungen betreibt das Oberzentrum (rot)."
           if first is not None else "Es gibt keine Kandidaten."))
    return fig
