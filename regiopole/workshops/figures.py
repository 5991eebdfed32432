"""Figures of the workshop cards and the goal tree (German labels, project style).

The goal tree is drawn with networkx + matplotlib on a layout computed here
(:func:`tree_layout`): leaves are spaced evenly in file order, every parent sits in the
middle of its children, and the depth gives the column (or row), so the same file
always gives the same picture. Graphviz is not needed.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import seaborn as sns

from regiopole import style
from regiopole.workshops.goaltree import NODE_TYPES

HURDLE_COLOR, CHANCE_COLOR = style.LIKERT_COLORS[0], style.LIKERT_COLORS[4]
NODE_COLORS = {"goal": style.MATURITY_COLORS[4], "subgoal": style.MATURITY_COLORS[1], "measure": "#f7f7f7"}


def wrap(text: str, width: int = 28) -> str:
    """Break a German label into lines of at most ``width`` characters."""
    return textwrap.fill(str(text), width=width, break_on_hyphens=False, break_long_words=False)


def theme_bars(frequencies: pd.DataFrame) -> plt.Figure:
    """Two bar panels over the themes (one block of :func:`theme_frequencies`): cards and dot votes."""
    table = frequencies.sort_values(["cards", "votes"], ascending=True, kind="stable")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.45 * len(table) + 1.5), sharey=True)
    labels = table["label"].map(wrap)
    left.barh(labels, table["cards"], color=style.PALETTE[0])
    right.barh(labels, table["votes"], color=style.PALETTE[1])
    left.set(xlabel="Karten (eine Karte kann mehreren Themen zugeordnet sein)", title="Häufigkeit")
    right.set(xlabel="Klebepunkte auf diesen Karten", title="Gewichtung durch Punkte")
    for ax in (left, right):
        style.thousands_axis(ax.xaxis)
    fig.tight_layout()
    return fig


def workshop_heatmap(frequencies_by_workshop: pd.DataFrame) -> plt.Figure:
    """Share of each workshop's cards per theme; blank cells were suppressed (too few cards)."""
    table = frequencies_by_workshop.pivot_table(index="label", columns="workshop", values="card_share", sort=False, dropna=False)
    annotations = table.map(lambda v: "" if pd.isna(v) else style.german_percent(v))
    fig, ax = plt.subplots(figsize=(2.2 * len(table.columns) + 3.5, 0.45 * len(table) + 1.5))
    sns.heatmap(table, annot=annotations, fmt="", cmap="Blues", vmin=0, cbar=False, linewidths=0.5, ax=ax)
    ax.set_xticklabels([wrap(t.get_text(), 22) for t in ax.get_xticklabels()], rotation=0)
    ax.set_yticklabels([wrap(t.get_text(), 34) for t in ax.get_yticklabels()])
    ax.set(xlabel="", ylabel="", title="Anteil der Karten je Workshop mit diesem Thema")
    fig.tight_layout()
    return fig


def cooccurrence_heatmap(matrix: pd.DataFrame, labels: dict[str, str]) -> plt.Figure:
    """Lower triangle of the co-occurrence matrix (cards coded with both themes; empty cell = none)."""
    named = matrix.rename(index=labels, columns=labels).iloc[1:, :-1]
    mask = np.triu(np.ones(named.shape, dtype=bool), k=1)
    fig, ax = plt.subplots(figsize=(0.75 * len(named) + 4, 0.55 * len(named) + 2.5))
    annotations = named.map(lambda v: style.german_number(v) if v else "")
    sns.heatmap(named, mask=mask, annot=annotations, fmt="", cmap="Purples", vmin=0, cbar=False, linewidths=0.5, ax=ax)
    ax.grid(False)
    ax.set_xticklabels([wrap(t.get_text(), 18) for t in ax.get_xticklabels()], rotation=90)
    ax.set_yticklabels([wrap(t.get_text(), 30) for t in ax.get_yticklabels()], rotation=0)
    ax.set(xlabel="", ylabel="", title="Gemeinsam genannte Themen (Karten mit beiden Themen)")
    fig.tight_layout()
    return fig


def hurdles_chances_bars(table: pd.DataFrame) -> plt.Figure:
    """Diverging bars per theme: hurdle cards to the left, chance cards to the right."""
    data = table.sort_values(["hurdles", "chances"], ascending=True, kind="stable")
    labels = data["label"].map(wrap)
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(data) + 1.5))
    ax.barh(labels, -data["hurdles"], color=HURDLE_COLOR, label="Hürden")
    ax.barh(labels, data["chances"], color=CHANCE_COLOR, label="Chancen")
    ax.axvline(0, color="#333333", linewidth=0.8)
    limit = max(int(data[["hurdles", "chances"]].to_numpy().max()), 1)
    ax.set_xlim(-limit * 1.1, limit * 1.1)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda x, _pos: style.german_number(abs(x))))
    ax.set(xlabel="Karten: ← Hürden | Chancen →", title="Hürden und Chancen nach Thema")
    ax.legend(loc="lower right")
    fig.tight_layout()
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


def node_label(tree: nx.DiGraph, node: str, priorities: pd.DataFrame | None, width: int) -> str:
    """Box text: id, type and horizon, the wrapped title, and the votes if given."""
    data = tree.nodes[node]
    head = " · ".join(p for p in (node, NODE_TYPES[data["type"]], data.get("horizon")) if p)
    lines = [head, wrap(data["title"], width)]
    if priorities is not None:
        row = priorities.set_index("id").loc[node]
        lines.append(f"{style.german_number(row['total_votes'])} Punkte ({style.german_percent(row['share'])})")
    return "\n".join(lines)


def goal_tree_figure(tree: nx.DiGraph, priorities: pd.DataFrame | None = None, orientation: str = "horizontal") -> plt.Figure:
    """The goal tree as boxes and lines; with ``priorities`` each box shows its bottom-up votes."""
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
        ax.text(x, y, node_label(tree, node, priorities, width), ha="center", va="center", fontsize=8.5,
                color="white" if kind == "goal" else "#1a1a1a", zorder=2, linespacing=1.25,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": NODE_COLORS[kind], "edgecolor": "#636363"})
    xs, ys = zip(*pos.values(), strict=True)
    ax.set_xlim(min(xs) - 0.45, max(xs) + 0.45)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.axis("off")
    ax.set_title("Zielbaum: Oberziel, Teilziele und Maßnahmen" + (" mit Punkten aus der Priorisierung" if priorities is not None else ""))
    fig.tight_layout()
    return fig
