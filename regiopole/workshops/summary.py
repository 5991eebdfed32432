"""Counts over coded cards: themes by frequency and by votes, hurdles against chances.

A card with several themes counts once for each of them, with all its votes; theme
totals therefore add up to more than the number of cards. Every theme of the codebook
appears in the tables, also with zero cards.
"""

from __future__ import annotations

import pandas as pd

from regiopole.workshops.cards import CATEGORIES, workshop_order
from regiopole.workshops.codebook import Codebook
from regiopole.workshops.coding import card_themes

ALL_WORKSHOPS = "Alle Workshops"


def overview(coded: pd.DataFrame) -> pd.DataFrame:
    """Per workshop and group: cards, dot votes, cards per category."""
    counts = pd.crosstab([coded["workshop"], coded["group"]], coded["category"]).reindex(columns=list(CATEGORIES), fill_value=0)
    table = coded.groupby(["workshop", "group"]).agg(cards=("card_id", "size"), votes=("votes", "sum")).join(counts)
    table = table.reset_index()
    table["workshop"] = pd.Categorical(table["workshop"], workshop_order(coded), ordered=True)
    return table.sort_values(["workshop", "group"]).reset_index(drop=True).astype({"workshop": str})


def _frequencies(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    long = card_themes(coded)
    grouped = long.groupby("theme").agg(cards=("card_id", "size"), votes=("votes", "sum"))
    table = grouped.reindex(codebook.ids, fill_value=0).rename_axis("theme").reset_index()
    table.insert(1, "label", table["theme"].map(codebook.labels))
    table["card_share"] = table["cards"] / len(coded) if len(coded) else 0.0
    table["rank_cards"] = table["cards"].rank(ascending=False, method="min").astype(int)
    table["rank_votes"] = table["votes"].rank(ascending=False, method="min").astype(int)
    return table


def theme_frequencies(coded: pd.DataFrame, codebook: Codebook, by_workshop: bool = False) -> pd.DataFrame:
    """Themes with number of cards, dot votes, share of the cards and ranks.

    Overall (``workshop == "Alle Workshops"``) or, with ``by_workshop``, one block per
    workshop followed by the overall block. ``workshop_cards`` is the number of cards
    the block is based on. Sorted by cards, then votes, within each block.
    """
    blocks = [(name, coded[coded["workshop"] == name]) for name in workshop_order(coded)] if by_workshop else []
    blocks.append((ALL_WORKSHOPS, coded))
    tables = []
    for name, part in blocks:
        table = _frequencies(part, codebook)
        table.insert(0, "workshop", name)
        table.insert(1, "workshop_cards", len(part))
        tables.append(table.sort_values(["cards", "votes", "theme"], ascending=[False, False, True], kind="stable"))
    return pd.concat(tables, ignore_index=True)


def hurdles_vs_chances(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per theme: hurdle and chance cards and their votes; ``balance`` = chances - hurdles (cards)."""
    long = card_themes(coded)
    long = long[long["category"].isin(["huerde", "chance"])]
    cards = pd.crosstab(long["theme"], long["category"]) if len(long) else pd.DataFrame()
    votes = long.pivot_table(index="theme", columns="category", values="votes", aggfunc="sum") if len(long) else pd.DataFrame()
    table = pd.DataFrame(index=pd.Index(codebook.ids, name="theme"))
    for code, name in (("huerde", "hurdles"), ("chance", "chances")):
        table[name] = cards.get(code, pd.Series(dtype=int)).reindex(table.index).fillna(0).astype(int)
        table[f"{name}_votes"] = votes.get(code, pd.Series(dtype=int)).reindex(table.index).fillna(0).astype(int)
    table["balance"] = table["chances"] - table["hurdles"]
    table = table.reset_index()
    table.insert(1, "label", table["theme"].map(codebook.labels))
    return table.sort_values(["hurdles", "chances", "theme"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def top_cards(coded: pd.DataFrame, codebook: Codebook, n: int = 10) -> pd.DataFrame:
    """The ``n`` cards with the most dot votes (ties: file order), with their theme labels."""
    top = coded.sort_values(["votes", "row"], ascending=[False, True], kind="stable").head(n)
    labels = top["themes"].map(lambda ids: "; ".join(codebook.labels[i] for i in ids))
    return pd.DataFrame({"workshop": top["workshop"], "category_label": top["category_label"], "text": top["text"],
                         "votes": top["votes"], "themes": labels}).reset_index(drop=True)
