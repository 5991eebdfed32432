"""Figures of the workshop cards and the goal tree (German labels, project style).

The goal tree is drawn with networkx + matplotlib on a layout computed here
(:func:`tree_layout`): leaves are spaced evenly in file order, every parent sits in the
middle of its children, and the depth gives the column (or row), so the same file
always gives the same picture. Graphviz is not needed.

Every figure applies the minimum cell size itself (the decisions of
:mod:`~regiopole.workshops.suppression`, the same as in the published tables): a
suppressed count is never drawn at its size. Bars are left out and marked ``"."``,
heatmap cells are hatched and marked ``"."`` (the survey figures' convention), goal-tree
boxes say ``Punkte: .``; a note under the figure explains the sign.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Rectangle

from regiopole import privacy, style
from regiopole.workshops import suppression
from regiopole.workshops.goaltree import NODE_TYPES
from regiopole.workshops.summary import ALL_WORKSHOPS

HURDLE_COLOR, CHANCE_COLOR = style.LIKERT_COLORS[0], style.LIKERT_COLORS[4]
NODE_COLORS = {"goal": style.MATURITY_COLORS[4], "subgoal": style.MATURITY_COLORS[1], "measure": "#f7f7f7"}
#: Suppressed cells: hatched and white, as in the survey figures.
HIDDEN_STYLE = {"facecolor": "white", "edgecolor": "#8c8c8c", "hatch": "///", "linewidth": 0.5}
MIN_CELL_SIZE = privacy.DEFAULT_MIN_CELL_SIZE


def suppression_note(min_cell_size: int, unit: str, secondary: bool = False) -> str:
    """German explanation of the ``"."`` sign under a figure."""
    also = " oder zum Schutz eines solchen Werts" if secondary else ""
    return f"„{privacy.SUPPRESSED}“ = unterdrückt: weniger als {min_cell_size} {unit}{also}"


def mark_hidden_cells(ax: plt.Axes, table: pd.DataFrame) -> bool:
    """Hatch every missing (suppressed) cell of a heatmap drawn from ``table`` and mark it; True if any."""
    rows, cols = np.nonzero(table.isna().to_numpy())
    for i, j in zip(rows, cols, strict=True):
        ax.add_patch(Rectangle((j, i), 1, 1, **HIDDEN_STYLE))
        ax.text(j + 0.5, i + 0.5, privacy.SUPPRESSED, ha="center", va="center", fontsize=12, fontweight="bold")
    return len(rows) > 0


def bar_with_marker(ax: plt.Axes, y: float, value: float, color: str, offset: float, direction: int = 1) -> bool:
    """One horizontal bar, or none and a ``"."`` beside the axis when the value is suppressed; True if suppressed."""
    if pd.isna(value):
        ax.text(direction * offset, y, privacy.SUPPRESSED, ha="left" if direction > 0 else "right", va="center",
                fontsize=12, fontweight="bold")
        return True
    ax.barh(y, direction * value, color=color, height=0.8)
    return False


def largest(table: pd.DataFrame, column: str, label: str = "label") -> tuple[str, float] | None:
    """Label and value of the row with the largest published (not suppressed) ``column``."""
    shown = table.dropna(subset=[column])
    if shown.empty:
        return None
    row = shown.loc[shown[column].astype(float).idxmax()]
    return str(row[label]), float(row[column])


def extremes(parts: list[tuple[str, tuple[str, float] | None, str]]) -> str:
    """``" Die meisten Karten hat „A“ (12), die meisten Punkte „B“ (30)."`` from (phrase, largest, unit) triples."""
    said = [f"{phrase} „{top[0]}“ ({style.german_number(top[1])}{unit})" for phrase, top, unit in parts if top]
    if not said:
        return ""
    sentence = ", ".join(said)
    return f" {sentence[0].upper()}{sentence[1:]}."


def hidden_note(count: int, unit: str) -> str:
    """Alt-text sentence on suppressed values (no number is given away)."""
    if not count:
        return ""
    return f" {count} {unit} sind zum Schutz der Teilnehmenden nicht ausgewiesen („.“)."


def wrap(text: str, width: int = 28) -> str:
    """Break a German label into lines of at most ``width`` characters."""
    return textwrap.fill(str(text), width=width, break_on_hyphens=False, break_long_words=False)


def theme_bars(frequencies: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> plt.Figure:
    """Two bar panels over the themes (the overall block of :func:`theme_frequencies`): cards and dot votes."""
    table = suppression.suppress_frequencies(frequencies, min_cell_size).iloc[::-1]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.45 * len(table) + 1.8), sharey=True)
    hidden = False
    for ax, column, color in ((left, "cards", style.PALETTE[0]), (right, "votes", style.PALETTE[1])):
        offset = 0.01 * max(np.nanmax(table[column].to_numpy(dtype=float), initial=0), 1)
        for y, value in enumerate(table[column]):
            hidden |= bar_with_marker(ax, y, value, color, offset)
        style.thousands_axis(ax.xaxis)
    left.set_yticks(range(len(table)), table["label"].map(wrap))
    left.set_ylim(-0.6, len(table) - 0.4)  # rows without a bar (suppressed) keep their place
    note = f"\n{suppression_note(min_cell_size, 'Karten bzw. Punkte')}" if hidden else ""
    left.set(xlabel="Karten (eine Karte kann mehreren Themen zugeordnet sein)" + note, title="Häufigkeit")
    right.set(xlabel="Klebepunkte auf diesen Karten", title="Gewichtung durch Punkte")
    fig.tight_layout()
    cards, votes = largest(table, "cards"), largest(table, "votes")
    fig.alt_text = (
        f"Zwei Balkendiagramme über {len(table)} Themen der Workshop-Karten: links die Zahl der Karten, rechts die "
        "Klebepunkte auf diesen Karten."
        + extremes([("Die meisten Karten hat", cards, ""), ("die meisten Punkte", votes, "")])
        + hidden_note(int(table[["cards", "votes"]].isna().to_numpy().sum()), "Werte"))
    return fig


def workshop_heatmap(frequencies_by_workshop: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> plt.Figure:
    """Share of each workshop's cards per theme (:func:`theme_frequencies` by workshop); suppressed cells hatched."""
    published = suppression.suppress_frequencies(frequencies_by_workshop, min_cell_size)
    themes = published.loc[published["workshop"] == ALL_WORKSHOPS, "label"]
    table = published.pivot(index="label", columns="workshop", values="card_share").reindex(
        index=themes, columns=list(dict.fromkeys(published["workshop"])))
    annotations = table.map(lambda v: "" if pd.isna(v) else style.german_percent(v))
    fig, ax = plt.subplots(figsize=(2.2 * len(table.columns) + 3.5, 0.45 * len(table) + 1.8))
    sns.heatmap(table, annot=annotations, fmt="", cmap="Blues", vmin=0, cbar=False, linewidths=0.5, ax=ax)
    hidden = mark_hidden_cells(ax, table)
    ax.set_xticklabels([wrap(t.get_text(), 22) for t in ax.get_xticklabels()], rotation=0)
    ax.set_yticklabels([wrap(t.get_text(), 34) for t in ax.get_yticklabels()])
    note = suppression_note(min_cell_size, "Karten", secondary=True) if hidden else ""
    ax.set(xlabel=note, ylabel="", title="Anteil der Karten je Workshop mit diesem Thema")
    fig.tight_layout()
    stacked = table.stack().dropna()
    top = stacked.astype(float).idxmax() if len(stacked) else None
    fig.alt_text = (
        f"Heatmap: Anteil der Karten je Workshop, die eines von {len(table)} Themen ansprechen, für "
        f"{style.german_list([str(c) for c in table.columns])}; je dunkler, desto höher."
        + (f" Den höchsten Anteil hat „{top[0]}“ in „{top[1]}“ mit {style.german_percent(float(stacked[top]))}."
           if top is not None else "")
        + hidden_note(int(table.isna().to_numpy().sum()), "Felder"))
    return fig


def cooccurrence_heatmap(matrix: pd.DataFrame, labels: dict[str, str], min_cell_size: int = MIN_CELL_SIZE) -> plt.Figure:
    """Lower triangle of the co-occurrence matrix (cards coded with both themes; empty cell = none)."""
    named = suppression.suppress_matrix(matrix, min_cell_size).rename(index=labels, columns=labels).iloc[1:, :-1]
    upper = np.triu(np.ones(named.shape, dtype=bool), k=1)
    fig, ax = plt.subplots(figsize=(0.75 * len(named) + 4, 0.55 * len(named) + 2.8))
    annotations = named.map(lambda v: style.german_number(v) if v else "")
    sns.heatmap(named, mask=upper | named.isna().to_numpy(), annot=annotations, fmt="", cmap="Purples", vmin=0,
                cbar=False, linewidths=0.5, ax=ax)
    hidden = mark_hidden_cells(ax, named.mask(upper, 0))
    ax.grid(False)
    ax.set_xticklabels([wrap(t.get_text(), 18) for t in ax.get_xticklabels()], rotation=90)
    ax.set_yticklabels([wrap(t.get_text(), 30) for t in ax.get_yticklabels()], rotation=0)
    note = suppression_note(min_cell_size, "Karten") if hidden else ""
    ax.set(xlabel=note, ylabel="", title="Gemeinsam genannte Themen (Karten mit beiden Themen)")
    fig.tight_layout()
    lower = named.mask(upper).stack().dropna()
    lower = lower[lower > 0]
    pair = lower.astype(float).idxmax() if len(lower) else None
    fig.alt_text = (
        f"Dreieckige Heatmap: wie viele Workshop-Karten je zwei von {len(named) + 1} Themen zugleich ansprechen."
        + (f" Am häufigsten zusammen genannt werden „{pair[0]}“ und „{pair[1]}“ ({style.german_number(float(lower[pair]))} Karten)."
           if pair is not None else "" if named.isna().to_numpy().any() else " Kein Themenpaar kommt auf einer Karte zusammen vor.")
        + hidden_note(int(named.mask(upper, 0).isna().to_numpy().sum()), "Felder"))
    return fig


def hurdles_chances_bars(table: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> plt.Figure:
    """Diverging bars per theme: hurdle cards to the left, chance cards to the right."""
    data = suppression.suppress_hurdles(table, min_cell_size).iloc[::-1]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(data) + 1.8))
    limit = max(np.nanmax(data[["hurdles", "chances"]].to_numpy(dtype=float), initial=0), 1)
    hidden = False
    for y, (hurdles, chances) in enumerate(zip(data["hurdles"], data["chances"], strict=True)):
        hidden |= bar_with_marker(ax, y, hurdles, HURDLE_COLOR, 0.02 * limit, direction=-1)
        hidden |= bar_with_marker(ax, y, chances, CHANCE_COLOR, 0.02 * limit)
    ax.set_yticks(range(len(data)), data["label"].map(wrap))
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlim(-limit * 1.1, limit * 1.1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _pos: style.german_number(abs(x))))
    note = f"\n{suppression_note(min_cell_size, 'Karten', secondary=True)}" if hidden else ""
    ax.set(xlabel="Karten: ← Hürden | Chancen →" + note, title="Hürden und Chancen nach Thema")
    handles = [Rectangle((0, 0), 1, 1, color=color, label=label) for color, label in ((HURDLE_COLOR, "Hürden"), (CHANCE_COLOR, "Chancen"))]
    ax.legend(handles=handles, loc="lower right")
    fig.tight_layout()
    hurdles, chances = largest(data, "hurdles"), largest(data, "chances")
    fig.alt_text = (
        f"Gegenläufige Balken für {len(data)} Themen: nach links die Karten der Kategorie „Hürde“, nach rechts die "
        "der Kategorie „Chance“."
        + extremes([("Die meisten Hürden nennt", hurdles, " Karten"), ("die meisten Chancen", chances, " Karten")])
        + hidden_note(int(data[["hurdles", "chances"]].isna().to_numpy().sum()), "Werte"))
    return fig


def tree_layout(tree: nx.DiGraph, orientation: str = "horizontal") -> dict[str, tuple[float, float]]:
    """Deterministic hierarchical positions: depth along one axis, leaves evenly across.

    ``orientation``: ``"horizontal"`` (goal left, measures right; best for long German
    titles) or ``"vertical"`` (goal on top, measures at the bottom).
    """
    if orientation not in ("horizontal", "vertical"):
        raise ValueError(f"orientation must be 'horizontal' or 'vertical', got {orientation!r}")
    root = tree.graph["root"]
    across: dict[str, float] = {}
    next_leaf = 0
    for node in nx.dfs_postorder_nodes(tree, root):
        children = list(tree.successors(node))
        if children:
            across[node] = (across[children[0]] + across[children[-1]]) / 2
        else:
            across[node], next_leaf = float(next_leaf), next_leaf + 1
    depth = nx.single_source_shortest_path_length(tree, root)
    if orientation == "horizontal":
        return {node: (float(depth[node]), -across[node]) for node in tree.nodes}
    return {node: (across[node], -float(depth[node])) for node in tree.nodes}


def node_label(tree: nx.DiGraph, node: str, published: pd.DataFrame | None, width: int) -> str:
    """Box text: id, type and horizon, the wrapped title, and the published votes if given."""
    data = tree.nodes[node]
    head = " · ".join(p for p in (node, NODE_TYPES[data["type"]], data.get("horizon")) if p)
    lines = [head, wrap(data["title"], width)]
    if published is not None:
        row = published.set_index("id").loc[node]
        if pd.isna(row["total_votes"]):
            lines.append(f"Punkte: {privacy.SUPPRESSED}")
        else:
            share = "" if pd.isna(row["share"]) else f" ({style.german_percent(row['share'])})"
            lines.append(f"{style.german_number(row['total_votes'])} Punkte{share}")
    return "\n".join(lines)


def goal_tree_figure(tree: nx.DiGraph, priorities: pd.DataFrame | None = None, orientation: str = "horizontal",
                     min_cell_size: int = MIN_CELL_SIZE) -> plt.Figure:
    """The goal tree as boxes and lines; with ``priorities`` each box shows its published bottom-up votes."""
    published = None if priorities is None else suppression.suppress_priorities(priorities, min_cell_size)
    pos = tree_layout(tree, orientation)
    leaves = sum(1 for n in tree.nodes if tree.out_degree(n) == 0)
    levels = 1 + nx.dag_longest_path_length(tree)
    if orientation == "horizontal":
        figsize, width = (4.2 * levels, 0.95 * leaves + 1), 34
    else:
        figsize, width = (2.4 * leaves, 2.0 * levels + 0.5), 22
    fig, ax = plt.subplots(figsize=figsize)
    edges = nx.draw_networkx_edges(tree, pos, ax=ax, arrows=False, edge_color=style.MUTED, width=1.2)
    edges.set_zorder(0)
    for node, (x, y) in pos.items():
        kind = tree.nodes[node]["type"]
        ax.text(x, y, node_label(tree, node, published, width), ha="center", va="center", fontsize=8.5,
                color="white" if kind == "goal" else "#1a1a1a", zorder=2, linespacing=1.25,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": NODE_COLORS[kind], "edgecolor": "#636363"})
    xs, ys = zip(*pos.values(), strict=True)
    ax.set_xlim(min(xs) - 0.45, max(xs) + 0.45)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    if published is not None and published["total_votes"].isna().any():
        ax.text(0, 0, suppression_note(min_cell_size, "Punkte", secondary=True), transform=ax.transAxes, ha="left", va="top",
                fontsize=8, color="#444444")
    ax.set_title("Zielbaum: Oberziel, Teilziele und Maßnahmen" + (" mit Punkten aus der Priorisierung" if priorities is not None else ""))
    fig.tight_layout()
    fig.alt_text = goal_tree_alt(tree, published)
    return fig


def goal_tree_alt(tree: nx.DiGraph, published: pd.DataFrame | None) -> str:
    """Alt text of the goal tree: the goal, its subgoals with their measures, and the most-voted subgoal."""
    root = tree.graph["root"]
    kinds = [tree.nodes[n]["type"] for n in tree.nodes]
    parts = [f"Zielbaum als Diagramm: Oberziel „{tree.nodes[root]['title']}“ mit {kinds.count('subgoal')} Teilzielen "
             f"und {kinds.count('measure')} Maßnahmen."]
    subgoals = [n for n in nx.dfs_preorder_nodes(tree, root) if tree.nodes[n]["type"] == "subgoal"]
    if subgoals:
        parts.append("Teilziele: " + "; ".join(
            f"{tree.nodes[n]['title']} ({sum(1 for d in nx.descendants(tree, n) if tree.nodes[d]['type'] == 'measure')} Maßnahmen)"
            for n in subgoals) + ".")
    if published is not None:
        votes = published[published["id"].isin(subgoals)].rename(columns={"id": "node"})
        top = largest(votes, "total_votes", label="node")
        if top:
            parts.append(f"Die meisten Punkte der Priorisierung erhielt das Teilziel „{tree.nodes[top[0]]['title']}“ "
                         f"({style.german_number(top[1])} Punkte).")
        hidden = int(published["total_votes"].isna().sum())
        if hidden:
            parts.append(hidden_note(hidden, "Punktzahlen").strip())
    return " ".join(parts)
