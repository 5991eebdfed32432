"""Figures of the lead-project report (German labels, project style). Each returns a figure;
the notebook saves it with ``report.save_figure``. Only aggregates are drawn, never a single
municipality's vote."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns

from regiopole import style
from regiopole.leitprojekte.poll import METHOD_RANKS, poll_table
from regiopole.privacy import SUPPRESSED


def project_labels(titles: pd.Series, width: int = 38) -> pd.Series:
    """``'LP01 Regionale Digitalakademie'``, wrapped for an axis."""
    return pd.Series({pid: textwrap.fill(f"{pid} {title}", width) for pid, title in titles.items()})


def project_name(pid: str, titles: pd.Series) -> str:
    """``„LP01 Regionale Digitalakademie“`` for an alt text."""
    return f"„{pid} {titles.get(pid, '')}“".replace(" “", "“")


def poll_ranks_figure(summary: pd.DataFrame, titles: pd.Series) -> plt.Figure:
    """The rank of every project under Borda, approval and mean rank, side by side.

    The ranks of the published poll table (:func:`regiopole.leitprojekte.poll.poll_table`, minimum
    cell size ``min_rankers``), in its order: a rank the table withholds shows no marker."""
    table = poll_table(summary, titles, int(summary.attrs.get("min_rankers", 1))).set_index("ID")
    order = table.index
    ranks = table[[f"Rang {name}" for name in METHOD_RANKS.values()]].replace(SUPPRESSED, float("nan")).astype(float)
    ranks.columns = list(METHOD_RANKS)
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(order) + 1.5))
    y = np.arange(len(order))
    for (column, name), marker, colour, offset in zip(METHOD_RANKS.items(), "oDs", style.PALETTE, (-0.22, 0, 0.22), strict=False):
        ax.scatter(ranks[column], y + offset, label=name, marker=marker, color=colour, s=55, zorder=3)
    ax.set_yticks(y, project_labels(titles).loc[order])
    ax.invert_yaxis()
    ax.set_xticks(range(1, len(order) + 1))
    ax.set_xlabel("Rang (1 = vorn)")
    ax.set_title("Online-Abfrage: Rang je Auswertungsverfahren")
    ax.legend(title="Verfahren", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    firsts = [f"{name}: {project_name(ranks[column].idxmin(), titles)}" for column, name in METHOD_RANKS.items()
              if ranks[column].notna().any()]
    fig.alt_text = (f"Punktdiagramm: Rang von {len(order)} Leitprojekten in der Online-Abfrage nach drei "
                    f"Auswertungsverfahren ({style.german_list(list(METHOD_RANKS.values()))}), nach Borda sortiert. "
                    f"Vorn liegt jeweils {'; '.join(firsts)}.")
    return fig


def utility_figure(parts: pd.DataFrame, titles: pd.Series, labels: Mapping[str, str], title: str) -> plt.Figure:
    """Stacked bars: each weighted column's contribution to the total score, best on top."""
    order = parts.sum(axis=1).sort_values(ascending=True, kind="stable").index
    shown = parts.loc[order].rename(columns=labels)
    shown.index = project_labels(titles).loc[order]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(order) + 1.5))
    shown.plot.barh(stacked=True, ax=ax, color=style.PALETTE[: shown.shape[1]], width=0.7)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _pos: style.german_number(x, 1)))
    ax.set_xlabel("Beitrag zum gewichteten Wert (0–1)")
    ax.set_ylabel("")
    ax.set_title(title)
    ax.legend(title="Kriterium", bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    totals = parts.sum(axis=1)
    fig.alt_text = (f"Gestapelte Balken: {title} für {len(order)} Leitprojekte, aufgeteilt in die Beiträge von "
                    f"{style.german_list(list(shown.columns))}; höchster Wert oben. "
                    + (f"Den höchsten Wert hat {project_name(order[-1], titles)} mit "
                       f"{style.german_number(totals[order[-1]], 2)}, den niedrigsten {project_name(order[0], titles)} "
                       f"mit {style.german_number(totals[order[0]], 2)}." if len(order) else ""))
    return fig


def stability_figure(stab: pd.DataFrame, titles: pd.Series, top_k: int) -> plt.Figure:
    """Left: rank range under random weights (line min-max, bar 5-95 %, dot chosen weights);
    right: share of draws in the top k. Flipping projects in the highlight colour."""
    order = stab.index
    labels = project_labels(titles).loc[order]
    colours = [style.HIGHLIGHT if flips else style.PALETTE[0] for flips in stab["flips"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.45 * len(order) + 1.5), sharey=True,
                                      gridspec_kw={"width_ratios": [3, 2]})
    y = range(len(order))
    left.hlines(y, stab["rank_min"], stab["rank_max"], color=style.MUTED, linewidth=1)
    left.hlines(y, stab["rank_p05"], stab["rank_p95"], color=colours, linewidth=6, alpha=0.6)
    left.scatter(stab["baseline_rank"], y, color="black", zorder=3, s=25, label="gewählte Gewichte")
    left.set_yticks(list(y), labels)
    left.invert_yaxis()
    left.set_xticks(range(1, len(order) + 1))
    left.set_xlabel("Rang (1 = vorn)")
    left.set_title("Rangspanne bei zufälligen Gewichten")
    left.legend(loc="lower right")
    right.barh(list(y), stab["top_k_share"], color=colours)
    right.set_xlim(0, 1)
    style.percent_axis(right.xaxis)
    right.set_xlabel(f"Anteil der Ziehungen unter den ersten {top_k}")
    right.set_title(f"Häufigkeit in den Top {top_k}")
    flipping = [project_name(pid, titles) for pid in order[stab["flips"].to_numpy(dtype=bool)]]
    steady = stab.index[stab["top_k_share"] >= 1]
    fig.alt_text = (
        f"Zwei Diagramme für {len(order)} Leitprojekte: links die Spanne der Ränge bei zufällig gezogenen Gewichten "
        f"mit dem Rang bei den gewählten Gewichten (Punkt), rechts der Anteil der Ziehungen, in denen ein Projekt "
        f"unter den ersten {top_k} ist. "
        + (f"Immer unter den ersten {top_k}: {style.german_list([project_name(p, titles) for p in steady])}. " if len(steady) else "")
        + (f"Je nach Gewichten mal drinnen, mal draußen (rot): {style.german_list(flipping)}." if flipping else
           "Kein Projekt wechselt je nach Gewichten zwischen drinnen und draußen."))
    return fig


def oat_figure(oat_ranks: pd.DataFrame, baseline: pd.Series, titles: pd.Series, labels: Mapping[str, str]) -> plt.Figure:
    """Heat map: rank of every project when one weight changes (number = rank, colour = shift)."""
    order = baseline.sort_values(kind="stable").index
    ranks = oat_ranks.loc[order]
    shift = ranks.sub(baseline.loc[order], axis=0)
    columns = [f"{labels.get(name, name)} {'+' if step > 0 else '−'}{style.german_percent(abs(step))}" for name, step in ranks.columns]
    fig, ax = plt.subplots(figsize=(0.8 * len(columns) + 4, 0.45 * len(order) + 2.5))
    sns.heatmap(shift.set_axis(columns, axis=1).set_axis(project_labels(titles).loc[order], axis=0), annot=ranks.to_numpy(), fmt="d",
                cmap="RdBu_r", center=0, vmin=-3, vmax=3, cbar_kws={"label": "Rangänderung (+ = schlechter)"}, ax=ax, linewidths=0.5)
    ax.set_xlabel("Geändertes Gewicht")
    ax.set_ylabel("")
    ax.set_title("Rang bei Änderung eines einzelnen Gewichts")
    plt.setp(ax.get_xticklabels(), rotation=45, ha="right")
    moved = int(shift.ne(0).any(axis=0).sum())
    fig.alt_text = (
        f"Heatmap: Rang von {len(order)} Leitprojekten, wenn jeweils eines der Gewichte gesenkt oder erhöht wird "
        f"({len(columns)} Änderungen); Blau heißt besser, Rot schlechter als bei den gewählten Gewichten. "
        f"{moved} der {len(columns)} Änderungen verschieben mindestens einen Rang; die größte Verschiebung "
        f"beträgt {style.german_number(float(shift.abs().to_numpy().max(initial=0)))} Ränge.")
    return fig
