"""Figures of the survey (German labels): diverging Likert bars, shares of options, benchmarks.

Suppressed counts are never drawn with their own size: the suppressed answers of an item
are merged into one hatched segment (its size is the sum of the suppressed counts, which
the minimum cell size rule keeps at or above the minimum) on the side they belong to (see
:func:`bar_segments`), and an item with too few answers gets no bar at all.

Every figure carries ``fig.alt_text``, a German description computed from the published
figures (``Report.save_figure`` writes it as the image's alt text).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.colors as mcolors
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


@dataclass(frozen=True)
class Segment:
    """One drawn piece of a bar: an answer code (``None`` for suppressed answers), left edge, width."""

    code: str | None
    left: float
    width: float

    @property
    def right(self) -> float:
        return self.left + self.width


def hidden_side(freq: Frequencies, row: str, question: Question) -> str | None:
    """Where the suppressed answers of ``row`` belong: 'negative', 'positive', 'centre' (neutral or both sides) or None."""
    scale = question.scale
    hidden = {c for c in scale.codes if freq.mask.at[row, c]}
    if not hidden:
        return None
    if hidden <= set(scale.negative):
        return "negative"
    if hidden <= set(scale.positive):
        return "positive"
    return "centre"


def bar_segments(freq: Frequencies, row: str, question: Question) -> list[Segment]:
    """The segments of one diverging bar, neutral centred on 0.

    Suppressed answers are merged into one block (its size is the sum of the suppressed
    counts, which the row total reveals anyway) drawn where they belong: at the outer end
    of the disagreement side when they are all disagreement, of the agreement side when
    they are all agreement. Suppressed neutral answers, or suppressed answers on both
    sides, sit in the centre, split evenly around the neutral segment, so that neither
    side is drawn longer than its published share allows.
    """
    scale = question.scale
    share = freq.counts.loc[row] / freq.n[row]
    visible = [c for c in scale.codes if not freq.mask.at[row, c]]
    hidden = float(sum(share[c] for c in scale.codes if c not in visible))
    side = hidden_side(freq, row, question)
    neutral = share[scale.neutral] if scale.neutral in visible else 0.0
    centre = neutral + (hidden if side == "centre" else 0.0)
    segments: list[Segment] = []
    if side == "centre":
        segments += [Segment(None, -centre / 2, hidden / 2), Segment(None, neutral / 2, hidden / 2)]
    if scale.neutral in visible:
        segments.append(Segment(scale.neutral, -neutral / 2, neutral))
    left = -centre / 2
    for code in reversed(scale.negative):  # mild disagreement next to the centre
        if code in visible:
            left -= share[code]
            segments.append(Segment(code, left, share[code]))
    if side == "negative":
        segments.append(Segment(None, left - hidden, hidden))
    right = centre / 2
    for code in scale.positive:
        if code in visible:
            segments.append(Segment(code, right, share[code]))
            right += share[code]
    if side == "positive":
        segments.append(Segment(None, right, hidden))
    return [s for s in segments if s.width > 0]


HIDDEN_NOTE = {
    "negative": "am Ende der Ablehnung",
    "positive": "am Ende der Zustimmung",
    "centre": "in der Mitte",
}


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mcolors.to_rgb(background))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def likert_alt_text(freq: Frequencies, question: Question, order: list[str], title: str) -> str:
    """German alt text: what the chart shows and its extremes, from published figures only."""
    scale = question.scale
    agree = {r: freq.group(r, list(scale.positive)) for r in order}
    shares = {r: v / freq.n[r] for r, v in agree.items() if v is not None and freq.n[r] > 0}
    text = (f"Gestapeltes Balkendiagramm „{title}“ mit {len(order)} Aussagen: je Aussage die Anteile der Antworten "
            f"von „{scale.answers[0].label}“ (links) bis „{scale.answers[-1].label}“ (rechts), die Mitte mittig.")
    if shares:
        best, low = max(shares, key=shares.get), min(shares, key=shares.get)
        text += (f" Die höchste Zustimmung hat „{freq.labels[best]}“ ({german_percent(shares[best])}), "
                 f"die niedrigste „{freq.labels[low]}“ ({german_percent(shares[low])}).")
    hidden = [r for r in order if freq.n_text(r) != privacy.SUPPRESSED and hidden_side(freq, r, question)]
    if hidden:
        text += f" Bei {len(hidden)} Aussage(n) sind seltene Antworten zusammengefasst und schraffiert."
    too_few = [r for r in order if freq.n_text(r) == privacy.SUPPRESSED or freq.n[r] == 0]
    if too_few:
        text += f" {len(too_few)} Aussage(n) ohne Balken wegen zu weniger Antworten."
    return text


def diverging_likert(freq: Frequencies, question: Question, min_cell_size: int, title: str | None = None) -> plt.Figure:
    """Diverging stacked bars, neutral centred, items sorted by net agreement, n per item."""
    scale = question.scale
    order = item_order(freq, question)
    colors = dict(zip(scale.codes, style.LIKERT_COLORS if len(scale.codes) == 5 else style.PALETTE, strict=False))
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(order) + 1.8))
    labels = []
    sides = set()
    for y, row in enumerate(reversed(order)):
        n_text = freq.n_text(row)
        labels.append(f"{wrap(freq.labels[row])} (n = {n_text})")
        if n_text == privacy.SUPPRESSED or freq.n[row] == 0:
            ax.text(0, y, "zu wenige Antworten", ha="center", va="center", fontsize=9, color=style.MUTED)
            continue
        sides.add(hidden_side(freq, row, question))
        for seg in bar_segments(freq, row, question):
            if seg.code is None:
                ax.barh(y, seg.width, left=seg.left, height=0.7, **HIDDEN_STYLE)
                ax.text(seg.left + seg.width / 2, y, privacy.SUPPRESSED, ha="center", va="center", fontsize=14,
                        fontweight="bold")
                continue
            ax.barh(y, seg.width, left=seg.left, color=colors[seg.code], edgecolor="white", height=0.7)
            if seg.width >= MIN_LABEL_SHARE:
                ax.text(seg.left + seg.width / 2, y, german_percent(seg.width), ha="center", va="center", fontsize=8,
                        color=text_colour(colors[seg.code]))
    ax.set_yticks(range(len(order)), labels)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-1, 1)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _p: german_percent(abs(x))))
    ax.set_xlabel("Anteil der Antworten (links Ablehnung, rechts Zustimmung)")
    ax.set_title(title or question.short)
    handles = [Patch(color=colors[a.code], label=a.label) for a in scale.answers]
    sides.discard(None)
    if sides:
        where = ", ".join(HIDDEN_NOTE[s] for s in HIDDEN_NOTE if s in sides)
        handles.append(Patch(label=f"unterdrückt (weniger als {min_cell_size} Antworten, zusammengefasst; {where})",
                             **HIDDEN_STYLE))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False)
    ax.grid(axis="y", visible=False)
    fig.alt_text = likert_alt_text(freq, question, order, title or question.short)
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
    fig.alt_text = option_alt_text(freq, order, title)
    return fig


def option_alt_text(freq: Frequencies, order: list[str], title: str) -> str:
    """German alt text of :func:`option_shares`: the options from most to least chosen, with counts."""
    chosen = freq.counts.columns[0]
    parts = []
    for row in reversed(order):
        count = freq.group(row, [chosen])
        parts.append(f"„{freq.labels[row]}“: " + ("unterdrückt" if count is None else f"{count} von {int(freq.n[row])}"))
    return f"Balkendiagramm „{title}“, Anteil der Kommunen je Option, häufigste zuerst: " + "; ".join(parts) + "."


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
    fig.alt_text = benchmark_alt_text(table, region_name)
    return fig


def benchmark_alt_text(table: pd.DataFrame, region_name: str) -> str:
    """German alt text of :func:`benchmark_chart`: each figure, region against nationwide."""
    def pct(value: float) -> str:
        return german_percent(value / 100)

    # the region's share as its table cell writes it ("9 von 24 (38 %)", from the counts, not from a rounded share)
    parts = [f"{row['Kennzahl']}: {region_name} "
             + (row["Region"] if pd.notna(row["Anteil Region (%)"]) else "unterdrückt")
             + f", bundesweit {pct(row['Anteil bundesweit (%)'])}" for _, row in table.iterrows()]
    return ("Punktdiagramm: Anteile in der Region (Kreis) und in bundesweiten Befragungen (Raute) je Kennzahl. "
            + "; ".join(parts) + ".")
