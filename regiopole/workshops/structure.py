"""The structure of the published workshop and goal-tree tables, for the disclosure audit.

Unknown counts (names shared between tables, so the audit sees the links):

* ``card|<workshop>|<group>|<category>``: cards of a group and category (overview);
* ``coding|<category>``: cards coded automatically, manually or still open; together all cards;
* ``theme|<theme>|<workshop>`` and ``votes|<theme>|<workshop>``: cards with a theme in a
  workshop and their dots; "Alle Workshops" is their sum over the workshops, and a
  workshop's size is the sum of its cards in the overview;
* ``own|<node>`` and ``total|<node>``: dots of a goal-tree node; a node's total is its own
  dots plus its children's totals.

* ``hurdles|<theme>``, ``chances|<theme>`` and their ``…_votes``: hurdle and chance cards with
  a theme; together at most the theme's cards (dots) in "Alle Workshops";
* ``pair|<theme a>|<theme b>``: cards with both themes, at most the cards of either theme; only
  pairs with at least the minimum cell size are listed;
* ``top|<row>``: dots of a card in the list of top cards, at most the dots of each of its themes
  in its workshop and in "Alle Workshops", and those of all listed cards of a theme together too.
"""

from __future__ import annotations

import pandas as pd

from regiopole.privacy.audit import COUNT, Structure
from regiopole.workshops.summary import ALL_WORKSHOPS

#: A generous a-priori bound for counts of cards and dots.
UPPER = 100_000


def overview_structure(counts: pd.DataFrame, columns: dict[str, str], total: str, min_cell_size: int) -> Structure:
    """Rows (workshop, group) of cards per category with their total; ``size|<workshop>`` is a workshop's sum."""
    structure = Structure(min_cell_size=min_cell_size)
    sizes: dict[str, dict[str, float]] = {}
    for position, (workshop, group) in enumerate(counts.index):
        names = [structure.variable(f"card|{workshop}|{group}|{c}", UPPER) for c in counts.columns]
        for name, column in zip(names, counts.columns, strict=True):
            structure.cell(position, columns[column], COUNT, {name: 1.0})
        structure.cell(position, total, COUNT, dict.fromkeys(names, 1.0))
        sizes.setdefault(workshop, {}).update(dict.fromkeys(names, 1.0))
    for workshop, names in [*sizes.items(), (ALL_WORKSHOPS, {k: 1.0 for v in sizes.values() for k in v})]:
        structure.fact({structure.variable(f"size|{workshop}", UPPER): 1.0, **{k: -1.0 for k in names}}, 0, 0)
    return structure


def coding_structure(categories: list[str], min_cell_size: int) -> Structure:
    """One row per coding category; together they hold every card (``size|Alle Workshops``)."""
    structure = Structure(min_cell_size=min_cell_size)
    names = [structure.variable(f"coding|{c}", UPPER) for c in categories]
    for position, name in enumerate(names):
        structure.cell(position, "Karten", COUNT, {name: 1.0})
    structure.fact({**dict.fromkeys(names, 1.0), structure.variable(f"size|{ALL_WORKSHOPS}", UPPER): -1.0}, 0, 0)
    return structure


def frequencies_structure(published: pd.DataFrame, min_cell_size: int) -> Structure:
    """Theme rows of one block or of every workshop and "Alle Workshops" (``published``: before the German headings)."""
    structure = Structure(min_cell_size=min_cell_size)
    for position, row in enumerate(published.itertuples(index=False)):
        size = structure.variable(f"size|{row.workshop}", UPPER)
        cards = structure.variable(f"theme|{row.theme}|{row.workshop}", UPPER)
        structure.cell(position, "Karten", COUNT, {cards: 1.0})
        structure.cell(position, "Punkte", COUNT, {structure.variable(f"votes|{row.theme}|{row.workshop}", UPPER): 1.0})
        structure.cell(position, "Karten im Workshop", COUNT, {size: 1.0})
        structure.fact({cards: 1.0, size: -1.0}, -UPPER, 0)  # a theme is on at most every card of its block
    single = [w for w in dict.fromkeys(published["workshop"]) if w != ALL_WORKSHOPS]
    if single:
        for kind in ("theme", "votes"):
            for theme in dict.fromkeys(published["theme"]):
                structure.fact({f"{kind}|{theme}|{ALL_WORKSHOPS}": 1.0, **{f"{kind}|{theme}|{w}": -1.0 for w in single}}, 0, 0)
        structure.fact({f"size|{ALL_WORKSHOPS}": 1.0, **{f"size|{w}": -1.0 for w in single}}, 0, 0)
    return structure


def priorities_structure(published: pd.DataFrame, min_cell_size: int) -> Structure:
    """Goal-tree rows (``published``: before the German headings) with their own and total dots."""
    structure = Structure(min_cell_size=min_cell_size)
    children = published.groupby("parent", sort=False)["id"].apply(list).to_dict()
    for node in published["id"]:
        structure.variable(f"own|{node}", UPPER)
        structure.variable(f"total|{node}", UPPER)
    for position, node in enumerate(published["id"]):
        structure.cell(position, "Punkte (direkt)", COUNT, {f"own|{node}": 1.0})
        structure.cell(position, "Punkte (mit Unterpunkten)", COUNT, {f"total|{node}": 1.0})
        line = {f"total|{node}": 1.0, f"own|{node}": -1.0} | {f"total|{c}": -1.0 for c in children.get(node, [])}
        structure.fact(line, 0, 0)
    return structure


def hurdles_structure(published: pd.DataFrame, min_cell_size: int) -> Structure:
    """Hurdles against chances per theme (``published``: before the German headings, with ``theme``)."""
    structure = Structure(min_cell_size=min_cell_size)
    columns = {"hurdles": "Hürden (Karten)", "hurdles_votes": "Hürden (Punkte)",
               "chances": "Chancen (Karten)", "chances_votes": "Chancen (Punkte)"}
    for position, theme in enumerate(published["theme"]):
        names = {k: structure.variable(f"{k}|{theme}", UPPER) for k in columns}
        for key, column in columns.items():
            structure.cell(position, column, COUNT, {names[key]: 1.0})
        structure.cell(position, "Saldo Chancen − Hürden", COUNT, {names["chances"]: 1.0, names["hurdles"]: -1.0})
        for kind, (a, b) in (("theme", ("hurdles", "chances")), ("votes", ("hurdles_votes", "chances_votes"))):
            total = structure.variable(f"{kind}|{theme}|{ALL_WORKSHOPS}", UPPER)
            structure.fact({names[a]: 1.0, names[b]: 1.0, total: -1.0}, -UPPER, 0)
    return structure


def pairs_structure(published: pd.DataFrame, min_cell_size: int, listed_at_least: int) -> Structure:
    """Pairs of themes (``published``: ``theme_a``, ``theme_b``); every listed pair holds ``listed_at_least`` cards."""
    structure = Structure(min_cell_size=min_cell_size)
    for position, (a, b) in enumerate(zip(published["theme_a"], published["theme_b"], strict=True)):
        pair = structure.variable(f"pair|{a}|{b}", UPPER)
        structure.cell(position, "Karten", COUNT, {pair: 1.0})
        structure.fact({pair: 1.0}, listed_at_least, UPPER)
        for theme in (a, b):
            structure.fact({pair: 1.0, structure.variable(f"theme|{theme}|{ALL_WORKSHOPS}", UPPER): -1.0}, -UPPER, 0)
    return structure


def top_cards_structure(top: pd.DataFrame, min_cell_size: int) -> Structure:
    """The list of top cards (``top``: ``workshop`` and theme ids ``themes`` per listed card, in table order)."""
    structure = Structure(min_cell_size=min_cell_size)
    groups: dict[str, dict[str, float]] = {}
    for position, (workshop, themes) in enumerate(zip(top["workshop"], top["themes"], strict=True)):
        dots = structure.variable(f"top|{position}", UPPER)
        structure.cell(position, "Punkte", COUNT, {dots: 1.0})
        for theme in themes:
            for block in (workshop, ALL_WORKSHOPS):
                groups.setdefault(structure.variable(f"votes|{theme}|{block}", UPPER), {})[dots] = 1.0
    for total, cards in groups.items():
        structure.fact({**cards, total: -1.0}, -UPPER, 0)
    return structure


def uncoded_structure(min_cell_size: int) -> Structure:
    """The list of uncoded cards: one row per open card (``coding|offen``), when it is published."""
    structure = Structure(min_cell_size=min_cell_size)
    structure.variable("coding|offen", UPPER)
    return structure
