"""Which workshop and goal-tree figures may be published: the minimum cell size applied.

Every function takes an analysis table (as :mod:`~regiopole.workshops.summary`,
:mod:`~regiopole.workshops.coding` or :mod:`~regiopole.workshops.priorities` compute
it) and returns a float copy in which each value that must not be published is NaN.
:mod:`~regiopole.workshops.publish` writes NaN as ``privacy.SUPPRESSED`` (``"."``),
the figures leave it out, the sentences do not mention it. So tables, figures and
text hide the same values. The rules:

* **Primary:** every count 1 .. ``min_cell_size``-1 (cards, dots, cards with a pair of
  themes). Zeros are published.
* **Derived:** a share, rank or balance (Saldo) of a suppressed count is suppressed.
* **Zeros beside suppressed values:** in a line with a published total that holds a
  suppressed value, zeros are suppressed too, so a "." may be 0 and cannot be narrowed
  down to "1 or 2" by the sum (the disclosure audit assumes exactly that).
* **Secondary** (:func:`regiopole.privacy.suppressed_mask` and its rules), wherever a
  published total would give a suppressed value back: theme counts per workshop
  against "Alle Workshops"; workshop sizes against all cards (a workshop whose size is
  suppressed is not shown at all); the coding categories against the number of cards;
  in the goal tree every node's total against its own dots plus its children's totals.
* **Ranks and row order** use published values only: a suppressed value sorts as if it
  lay between 0 and the smallest published count, ties by theme id. Neither the
  position of a row nor a rank therefore tells anything about a suppressed value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiopole import privacy
from regiopole.workshops.coding import AUTOMATIC, MANUAL, OPEN
from regiopole.workshops.summary import ALL_WORKSHOPS

#: Where a suppressed count sorts: below every published count, above zero.
HIDDEN_SORT_VALUE = 0.5
FREQUENCY_NUMBERS = ["workshop_cards", "cards", "votes", "card_share", "rank_cards", "rank_votes"]
HURDLE_COUNTS = ["hurdles", "hurdles_votes", "chances", "chances_votes"]


def too_small(values: pd.Series, min_cell_size: int) -> pd.Series:
    """Primary suppression: counts 1 .. ``min_cell_size``-1."""
    return (values > 0) & (values < min_cell_size)


def sort_key(published: pd.Series) -> pd.Series:
    """Published values with suppressed ones (NaN) just above zero, for ordering."""
    return published.astype(float).fillna(HIDDEN_SORT_VALUE)


def published_rank(published: pd.Series) -> pd.Series:
    """Rank (1 = most, ties share the best rank) over published values; none for suppressed ones."""
    return sort_key(published).rank(ascending=False, method="min").where(published.notna())


def _row_total_mask(counts: pd.DataFrame, forced: list, min_cell_size: int) -> tuple[pd.DataFrame, pd.Series]:
    """Mask of ``counts`` and of its row totals; the ``forced`` columns are suppressed whole.

    The forced columns are merged into one column for :func:`privacy.suppressed_mask`:
    their sum is what a reader could recover from the total, so it is protected like a cell.
    """
    visible = [c for c in counts.columns if c not in forced]
    frame = pd.DataFrame(counts[visible].to_numpy(), index=counts.index)
    if forced:
        frame[len(visible)] = counts[forced].sum(axis=1).to_numpy()
    mask = privacy.hide_zeros_beside(privacy.suppressed_mask(frame, min_cell_size, row_totals=True), frame).to_numpy()
    cells = pd.DataFrame(True, index=counts.index, columns=counts.columns)
    if visible:
        cells[visible] = mask[:, :len(visible)]
    return cells, pd.Series(mask[:, -1], index=counts.index)


def hidden_workshops(frequencies: pd.DataFrame, min_cell_size: int) -> set[str]:
    """Blocks of :func:`summary.theme_frequencies` whose size (number of cards) is suppressed."""
    sizes = frequencies.groupby("workshop", sort=False)["workshop_cards"].first()
    if ALL_WORKSHOPS not in sizes.index:
        raise ValueError(f"expected the block {ALL_WORKSHOPS!r} of summary.theme_frequencies")
    single = sizes.drop(ALL_WORKSHOPS)
    if single.empty:
        return {ALL_WORKSHOPS} if 0 < sizes[ALL_WORKSHOPS] < min_cell_size else set()
    if single.sum() != sizes[ALL_WORKSHOPS]:
        raise ValueError("the workshop blocks do not add up to 'Alle Workshops'; "
                         "pass theme_frequencies(..., by_workshop=True) unchanged")
    cells, total = _row_total_mask(single.to_frame().T, [], min_cell_size)
    return {name for name in single.index if cells.iloc[0][name]} | ({ALL_WORKSHOPS} if total.iloc[0] else set())


def _count_mask(frequencies: pd.DataFrame, column: str, hidden: set[str], min_cell_size: int) -> np.ndarray:
    """Per row of ``frequencies``: is its ``column`` count suppressed?"""
    matrix = frequencies.pivot(index="theme", columns="workshop", values=column)
    single = [w for w in dict.fromkeys(frequencies["workshop"]) if w != ALL_WORKSHOPS]
    if single:
        cells, total = _row_total_mask(matrix[single], [w for w in single if w in hidden], min_cell_size)
        cells[ALL_WORKSHOPS] = total
    else:
        cells = too_small(matrix[[ALL_WORKSHOPS]], min_cell_size)
    cells.loc[:, cells.columns.isin(hidden)] = True
    where = pd.MultiIndex.from_frame(frequencies[["theme", "workshop"]])
    return cells.stack().reindex(where).to_numpy(dtype=bool)


def suppress_frequencies(frequencies: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Themes by frequency (one block, or per workshop + overall) with suppressed values as NaN.

    Rows within a block are re-ordered by published cards, then published votes, then theme id.
    """
    hidden = hidden_workshops(frequencies, min_cell_size)
    out = frequencies.copy()
    out[FREQUENCY_NUMBERS] = out[FREQUENCY_NUMBERS].astype(float)
    for column in ("cards", "votes"):
        out.loc[_count_mask(frequencies, column, hidden, min_cell_size), column] = np.nan
    out.loc[out["cards"].isna(), "card_share"] = np.nan
    out.loc[out["workshop"].isin(hidden), "workshop_cards"] = np.nan
    blocks = out.groupby("workshop", sort=False)
    out["rank_cards"] = blocks["cards"].transform(published_rank)
    out["rank_votes"] = blocks["votes"].transform(published_rank)
    out["_block"] = out["workshop"].map({w: i for i, w in enumerate(dict.fromkeys(out["workshop"]))})
    out["_cards"], out["_votes"] = sort_key(out["cards"]), sort_key(out["votes"])
    out = out.sort_values(["_block", "_cards", "_votes", "theme"], ascending=[True, False, False, True], kind="stable")
    return out.drop(columns=["_block", "_cards", "_votes"]).reset_index(drop=True)


def suppress_hurdles(table: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Hurdles against chances with small counts and the balance of a suppressed count as NaN.

    Hurdles and chances of a theme are suppressed as a pair (cards, and dots, each like a line
    with a total): both lie within the theme's published cards and dots, so a lone "." beside
    printed zeros would say "1 or 2". In a line with a "." its zeros are hidden too.
    """
    out = table.copy()
    out[[*HURDLE_COUNTS, "balance"]] = out[[*HURDLE_COUNTS, "balance"]].astype(float)
    for pair in (["hurdles", "chances"], ["hurdles_votes", "chances_votes"]):
        cells, total = _row_total_mask(table[pair].reset_index(drop=True), [], min_cell_size)
        cells.loc[total.to_numpy()] = True
        for column in pair:
            out.loc[cells[column].to_numpy(), column] = np.nan
    out.loc[out["hurdles"].isna() | out["chances"].isna(), "balance"] = np.nan
    keys = pd.DataFrame({"h": sort_key(out["hurdles"]), "c": sort_key(out["chances"]), "t": out["theme"]})
    order = keys.sort_values(["h", "c", "t"], ascending=[False, False, True], kind="stable").index
    return out.loc[order].reset_index(drop=True)


def suppress_pairs(pairs: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Co-occurring pairs of themes with at least ``min_cell_size`` cards, most frequent first.

    Pairs with fewer cards are left out, not shown as "." : the list holds only pairs named on
    at least one card, so a "." would say "1 or 2".
    """
    out = pairs[pairs["cards"] >= min_cell_size].copy()
    out["cards"] = out["cards"].astype(float)
    out["_cards"] = sort_key(out["cards"])
    out = out.sort_values(["_cards", "theme_a", "theme_b"], ascending=[False, True, True], kind="stable")
    return out.drop(columns="_cards").reset_index(drop=True)


def suppress_matrix(matrix: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """A matrix of counts without published totals (co-occurrence) with counts below ``min_cell_size`` as NaN.

    Zeros too: beside printed zeros a "." would say "1 or 2" (as the list of pairs leaves such pairs out).
    """
    return matrix.astype(float).mask(matrix < min_cell_size)


def coding_mask(summary: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.Series:
    """Suppressed coding categories (automatisch, manuell, offen) and ``privacy.TOTAL`` (all cards)."""
    counts = summary.set_index("coding")["cards"].reindex([AUTOMATIC, MANUAL, OPEN], fill_value=0)
    cells, total = _row_total_mask(counts.to_frame().T, [], min_cell_size)
    return pd.concat([cells.iloc[0], pd.Series({privacy.TOTAL: bool(total.iloc[0])})]).astype(bool)


def suppress_coding(summary: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Cards coded automatically, manually or still open, with suppressed counts and shares as NaN."""
    mask = coding_mask(summary, min_cell_size)
    out = summary.copy()
    hidden = out["coding"].map(mask).to_numpy(dtype=bool)
    out["cards"] = out["cards"].astype(float).mask(hidden)
    out["share"] = out["share"].astype(float).mask(hidden | mask[privacy.TOTAL])
    return out


def _protect_node(members: list, total: tuple, values: dict, mask: dict, min_cell_size: int) -> bool:
    """Extend the suppression of one node's line (own dots + children's totals = total); True if changed.

    The rules of :func:`privacy.suppressed_mask`, plus one for a total that another line
    suppressed: then at least one member is suppressed too, else the total is their sum.
    """
    line = [*members, total]
    if 0 < values[total] < min_cell_size and not all(mask[k] for k in line):
        mask.update(dict.fromkeys(line, True))
        return True
    changed = False
    while True:
        hidden = [k for k in members if mask[k]]
        hidden_sum = sum(values[k] for k in hidden)
        if mask[total] and (hidden or values[total] == 0):
            break
        if not mask[total] and (not hidden or (len(hidden) >= 2 and (hidden_sum == 0 or hidden_sum >= min_cell_size))):
            break
        candidates = sorted((k for k in members if not mask[k]), key=lambda k: (values[k] == 0, values[k], k))
        if not candidates:
            mask[total], changed = True, True
            break
        mask[candidates[0]], changed = True, True
    return changed


def priorities_mask(priorities: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Per node (index ``id``): are ``own_votes`` and ``total_votes`` suppressed?

    A node's total is its own dots plus its children's totals, so every inner node is a
    line with a published total; the lines are protected until nothing changes. A leaf's
    own dots are its total (one value, one decision).
    """
    table = priorities.set_index("id")
    children = table.groupby("parent", sort=False).groups
    values = {("total", n): int(v) for n, v in table["total_votes"].items()}
    values |= {("own", n): int(table.at[n, "own_votes"]) for n in children}
    mask = {key: 0 < value < min_cell_size for key, value in values.items()}
    lines = [([("own", n)] + [("total", c) for c in kids], ("total", n)) for n, kids in children.items()]
    changed = True
    while changed:
        while any([_protect_node(members, total, values, mask, min_cell_size) for members, total in lines]):
            pass
        zeros = [k for members, _ in lines if any(mask[m] for m in members) for k in members if values[k] == 0 and not mask[k]]
        mask.update(dict.fromkeys(zeros, True))
        changed = bool(zeros)
    total = pd.Series({n: mask[("total", n)] for n in table.index})
    own = pd.Series({n: mask.get(("own", n), mask[("total", n)]) for n in table.index})
    return pd.DataFrame({"own_votes": own, "total_votes": total}).rename_axis("id")


def suppress_priorities(priorities: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Goal-tree priorities with suppressed votes, shares and ranks as NaN (tree order kept)."""
    mask = priorities_mask(priorities, min_cell_size).reindex(priorities["id"])
    out = priorities.copy()
    for column in ("own_votes", "total_votes"):
        out[column] = out[column].astype(float).mask(mask[column].to_numpy())
    root_hidden = out.loc[out["parent"].isna(), "total_votes"].isna().any()
    out["share"] = out["share"].astype(float).mask(out["total_votes"].isna() | root_hidden)
    out["rank"] = out.groupby(out["parent"].fillna(""), sort=False)["total_votes"].transform(published_rank)
    return out
