"""Figures of the survey (German labels): diverging Likert bars, shares of options, benchmarks.

Suppressed counts are never drawn with their own size: the suppressed answers of an item
are merged into one hatched grey segment at the right end (its size is the sum of the
suppressed counts, which the minimum cell size rule keeps at or above the minimum), and an
item with too few answers gets no bar at all.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.patches import Patch

from regiopole import privacy, style
from regiopole.style import german_percent
from regiopole.survey.codebook import Question
from regiopole.survey.likert import Frequencies, item_order

HIDDEN_STYLE = {"facecolor": "white", "edgecolor": "#8c8c8c", "hatch": "///", "linewidth": 0.5}
MIN_LABEL_SHARE = 0.07


def wrap(text: str, width: int = 42) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _segments(freq: Frequencies, row: str, question: Question) -> tuple[list[tuple[str, float, float]], float]:
    """(code, left, width) of the visible segments, and the width of the merged hidden segment."""
    scale = question.scale
    n = freq.n[row]
    share = freq.counts.loc[row] / n
    visible = {c: not freq.mask.at[row, c] for c in scale.codes}
    neutral = scale.neutral
    middle = share[neutral] if neutral and visible[neutral] else 0.0
    left = -middle / 2 - sum(share[c] for c in scale.negative if visible[c])
    segments = []
    for code in [*scale.negative, *([neutral] if neutral else []), *scale.positive]:
        if visible[code]:
            segments.append((code, left, share[code]))
            left += share[code]
    hidden = sum(share[c] for c in scale.codes if not visible[c])
    return segments, hidden


def diverging_likert(freq: Frequencies, question: Question, min_cell_size: int, title: str | None = None) -> plt.Figure:
    """Diverging stacked bars, neutral centred, items sorted by net agreement, n per item."""
    scale = question.scale
    order = item_order(freq, question)
    colors = dict(zip(scale.codes, style.LIKERT_COLORS if len(scale.codes) == 5 else style.PALETTE, strict=False))
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(order) + 1.8))
    labels = []
    any_hidden = False
    for y, row in enumerate(reversed(order)):
        n_text = freq.n_text(row)
        labels.append(f"{wrap(freq.labels[row])} (n = {n_text})")
        if n_text == privacy.SUPPRESSED or freq.n[row] == 0:
            ax.text(0, y, "zu wenige Antworten", ha="center", va="center", fontsize=9, color=style.MUTED)
            continue
        segments, hidden = _segments(freq, row, question)
        for code, left, width in segments:
            ax.barh(y, width, left=left, color=colors[code], edgecolor="white", height=0.7)
            if width >= MIN_LABEL_SHARE:
                ax.text(left + width / 2, y, german_percent(width), ha="center", va="center", fontsize=8)
        if hidden > 0:
            any_hidden = True
            right = max((left + width for _, left, width in segments), default=0.0)
            ax.barh(y, hidden, left=right, height=0.7, **HIDDEN_STYLE)
            ax.text(right + hidden / 2, y, privacy.SUPPRESSED, ha="center", va="center", fontsize=14, fontweight="bold")
    ax.set_yticks(range(len(order)), labels)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _p: german_percent(abs(x))))
    ax.set_xlabel("Anteil der Antworten (links Ablehnung, rechts Zustimmung)")
    ax.set_title(title or question.short)
    handles = [Patch(color=colors[a.code], label=a.label) for a in scale.answers]
    if any_hidden:
        handles.append(Patch(label=f"unterdrückt (weniger als {min_cell_size} Antworten, zusammengefasst)", **HIDDEN_STYLE))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    ax.grid(axis="y", visible=False)
    # minimal alt text (report.save_figure needs one); the maps-a11y branch writes the full one
    fig.alt_text = (f"Gegenläufige gestapelte Balken: {title or question.short}, {len(order)} Aussagen; nach links "
                    "Ablehnung, nach rechts Zustimmung, Anteile der Antworten.")
    return fig


def option_shares(freq: Frequencies, title: str) -> plt.Figure:
    """Share choosing each option (most chosen on top); suppressed options get no bar, only '.'."""
    chosen = freq.counts.columns[0]
    order = list(freq.counts[chosen].sort_values(ascending=True, kind="stable").index)
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(order) + 1.2))
    for y, row in enumerate(order):
        count = freq.group(row, [chosen])
        if count is None:
            ax.text(0.01, y, privacy.SUPPRESSED, va="center", fontsize=10)
            continue
        share = count / freq.n[row]
        ax.barh(y, share, color=style.PALETTE[0], height=0.6)
        ax.text(share + 0.01, y, f"{count} von {int(freq.n[row])}", va="center", fontsize=8)
    ax.set_yticks(range(len(order)), [wrap(freq.labels[r]) for r in order])
    ax.set_xlim(0, 1.12)
    style.percent_axis(ax.xaxis)
    ax.set_xlabel("Anteil der antwortenden Kommunen")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    # minimal alt text (report.save_figure needs one); the maps-a11y branch writes the full one
    fig.alt_text = f"Balkendiagramm: {title}; Anteil der antwortenden Kommunen für {len(order)} Antwortmöglichkeiten."
    return fig


def benchmark_chart(table: pd.DataFrame, region_name: str) -> plt.Figure:
    """Region and national shares side by side per figure (region omitted where suppressed)."""
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(table) + 1.4))
    ys = range(len(table))[::-1]
    for y, (_, row) in zip(ys, table.iterrows(), strict=True):
        ax.plot([0, 1], [y, y], color="#eeeeee", zorder=0)
        ax.scatter(row["Anteil bundesweit (%)"] / 100, y, marker="D", color=style.MUTED, zorder=2)
        if pd.notna(row["Anteil Region (%)"]):
            ax.scatter(row["Anteil Region (%)"] / 100, y, marker="o", s=60, color=style.HIGHLIGHT, zorder=3)
        else:
            ax.text(1.02, y, privacy.SUPPRESSED, va="center")
    ax.set_yticks(list(ys), [wrap(k, 38) for k in table["Kennzahl"]])
    ax.set_xlim(0, 1.05)
    style.percent_axis(ax.xaxis)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=style.HIGHLIGHT, label=region_name),
               plt.Line2D([], [], marker="D", linestyle="", color=style.MUTED, label="bundesweit (Quelle s. Tabelle)")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    ax.set_title("Region und bundesweite Befragungen")
    ax.grid(axis="y", visible=False)
    # minimal alt text (report.save_figure needs one); the maps-a11y branch writes the full one
    fig.alt_text = (f"Punktdiagramm: {len(table)} Kennzahlen, jeweils der Anteil in der Region {region_name} (Kreis) "
                    "neben dem Anteil in bundesweiten Befragungen (Raute).")
    return fig
