"""What of the workshop results may be published, and in which form (German headings).

Privacy rules for workshop cards and dot votes (applied with :mod:`regiopole.privacy`):

* Every published count of cards, dots (Klebepunkte) or cards with a pair of themes
  lies at 0 or at ``min_cell_size`` or above; counts 1 .. ``min_cell_size``-1 are
  shown as ``privacy.SUPPRESSED`` (``"."``), and so is every share, rank and balance
  (Saldo) derived from a suppressed count. Where a published total would give a
  suppressed value back, further values are suppressed (secondary suppression): cards
  per group against the group's total, theme counts per workshop against "Alle
  Workshops", workshop sizes against all cards (a workshop whose size is suppressed is
  not shown at all; its cards still count in "Alle Workshops"), coding categories
  against all cards, and in the goal tree each node's votes against its own dots plus
  those of the nodes below it. :mod:`~regiopole.workshops.suppression` decides;
  the figures and sentences use the same decisions.
* Ranks and row order use published values only (a suppressed value counts as lying
  between 0 and the smallest published count), so neither reveals a suppressed value.
* Card texts are published only after :func:`regiopole.privacy.redact` (contact details,
  addresses, listed names in every spelling, names after role words, and the names of the member municipalities,
  so that a card does not reveal where its author works). Published card lists name
  the workshop but not the group. The list of cards with the most dots holds only cards
  with at least ``min_cell_size`` dots: picking the top cards among smaller, suppressed
  counts would reveal their order. The list of uncoded cards shows no dots, the list of
  theme pairs only pairs with at least ``min_cell_size`` cards.
* Every table of counts declares its structure to the disclosure audit
  (:mod:`~regiopole.workshops.structure`).
* Every table is checked with :func:`regiopole.privacy.assert_publishable` (its count
  columns) before it is returned.
"""

from __future__ import annotations

import re

from collections.abc import Iterable

import pandas as pd
from pandas.io.formats.style import Styler

from regiopole import privacy
from regiopole.paths import resolve
from regiopole.report import german_table
from regiopole.workshops import structure, suppression
from regiopole.workshops.cards import CATEGORIES
from regiopole.workshops.codebook import Codebook
from regiopole.workshops.coding import OPEN, cooccurrence_pairs
from regiopole.workshops.labels import german
from regiopole.workshops.summary import ALL_WORKSHOPS, theme_frequencies, top_cards

MIN_CELL_SIZE = privacy.DEFAULT_MIN_CELL_SIZE
#: Published columns that hold counts of cards or dots (German headings); ranks, ids and levels are no counts.
COUNT_COLUMNS = ("Karten", "Punkte", "Karten im Workshop", "Karten insgesamt", *CATEGORIES.values(),
                 "Hürden (Karten)", "Chancen (Karten)", "Hürden (Punkte)", "Chancen (Punkte)",
                 "Punkte (direkt)", "Punkte (mit Unterpunkten)")
WHOLE_NUMBERS = (*COUNT_COLUMNS, "Rang nach Karten", "Rang nach Punkten", "Rang unter Geschwistern", "Saldo Chancen − Hürden")
SHARES = ("Anteil", "Anteil der Karten")


def guarded(table: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """``table`` after :func:`privacy.assert_publishable` passed on its count columns."""
    privacy.assert_publishable(table[[c for c in table.columns if c in COUNT_COLUMNS]], min_cell_size)
    return table


def with_marker(table: pd.DataFrame) -> pd.DataFrame:
    """Counts, ranks and shares of a published table with suppressed (missing) values as ``"."``.

    Text columns keep their empty cells (a goal without a parent is no suppressed value).
    """
    out = table.copy()
    for column in (c for c in (*WHOLE_NUMBERS, *SHARES) if c in out.columns):
        values = out[column].astype("Float64")
        values = values.round().astype("Int64") if column in WHOLE_NUMBERS else values.astype(float)
        out[column] = values.astype(object).where(values.notna(), privacy.SUPPRESSED)
    return out


def group_overview(coded: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """Cards per workshop, group and category with totals; small cells suppressed."""
    counts = pd.crosstab([coded["workshop"], coded["group"]], coded["category"]).reindex(columns=list(CATEGORIES), fill_value=0)
    counts = counts.reindex(pd.MultiIndex.from_frame(coded[["workshop", "group"]].drop_duplicates()))
    mask = privacy.hide_zeros_beside(privacy.suppressed_mask(counts, min_cell_size, row_totals=True), counts)
    table = counts.copy()
    table[privacy.TOTAL] = counts.sum(axis=1)
    published = table.astype(object).where(~mask.to_numpy(), privacy.SUPPRESSED)
    published = published.rename(columns={**CATEGORIES, privacy.TOTAL: TOTAL_CARDS})
    declared = structure.overview_structure(counts, CATEGORIES, TOTAL_CARDS, min_cell_size)
    return declared.attach(guarded(published.rename_axis(index=["Workshop", "Gruppe"], columns=None).reset_index(), min_cell_size))


TOTAL_CARDS = "Karten insgesamt"


def frequencies_table(frequencies: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """Published themes-by-frequency table of :func:`summary.theme_frequencies` (one block or per workshop)."""
    published = suppression.suppress_frequencies(frequencies, min_cell_size)
    declared = structure.frequencies_structure(published, min_cell_size)
    return declared.attach(guarded(with_marker(german(published, drop=("theme",))), min_cell_size))


def coding_table(summary: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """Cards coded automatically, manually or still open (German headings)."""
    published = suppression.suppress_coding(summary, min_cell_size)
    declared = structure.coding_structure(published["coding"].tolist(), min_cell_size)
    return declared.attach(guarded(with_marker(german(published)), min_cell_size))


def hurdles_table(table: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """Published hurdles against chances per theme (German headings)."""
    published = suppression.suppress_hurdles(table, min_cell_size)
    declared = structure.hurdles_structure(published, min_cell_size)
    return declared.attach(guarded(with_marker(german(published, drop=("theme",))), min_cell_size))


def priorities_table(priorities: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """Published goal tree with its dot votes (German headings), top-down in file order."""
    published = suppression.suppress_priorities(priorities, min_cell_size)
    declared = structure.priorities_structure(published, min_cell_size)
    return declared.attach(guarded(with_marker(german(published)), min_cell_size))


def redact_texts(cards: pd.DataFrame, places: Iterable[str] = (), names: Iterable[str] = ()) -> pd.DataFrame:
    """Copy with ``text`` redacted; a clear error if contact details survive the redaction."""
    out = cards.copy()
    out["text"] = [privacy.redact(text, names=names, places=places) for text in out["text"]]
    leaking = [text for text in out["text"] if privacy.contains_personal_data(text)]
    if leaking:
        raise privacy.DisclosureError(f"{len(leaking)} card text(s) still hold contact details after redaction; "
                                      "correct them in the cards file before publishing")
    return out


def cards_table(cards: pd.DataFrame, places: Iterable[str] = (), names: Iterable[str] = (),
                min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """A published list of cards: redacted text, no group, dots below the minimum as ``"."``.

    The list of uncoded cards (:func:`~regiopole.workshops.coding.uncoded_cards`) is as long as
    the count of open cards: it is published only where the coding table publishes that count
    (else it is empty), and declares "open cards = rows" to the disclosure audit.
    """
    summary = cards.attrs.get("coding_summary")
    out = redact_texts(cards.drop(columns=["group"], errors="ignore"), places, names)
    if "votes" in out:
        out["votes"] = out["votes"].astype(float).mask(suppression.too_small(out["votes"], min_cell_size))
    withheld = summary is not None and bool(suppression.coding_mask(summary, min_cell_size)[OPEN])
    table = guarded(with_marker(german(out.iloc[:0] if withheld else out)), min_cell_size)
    if summary is not None:
        declared = structure.uncoded_structure(min_cell_size)
        if not withheld:
            declared.rows({f"coding|{OPEN}": 1.0})
        declared.attach(table)
    return table


def top_cards_table(coded: pd.DataFrame, codebook: Codebook, n: int = 10, min_cell_size: int = MIN_CELL_SIZE,
                    places: Iterable[str] = (), names: Iterable[str] = ()) -> pd.DataFrame:
    """The (up to) ``n`` cards with the most dots among those with at least ``min_cell_size`` dots."""
    eligible = coded[coded["votes"] >= min_cell_size]
    listed = eligible.sort_values(["votes", "row"], ascending=[False, True], kind="stable").head(n)  # as top_cards
    unnamed = unnamed_workshops(coded, codebook, listed, min_cell_size)
    declared = structure.top_cards_structure(listed.assign(workshop=listed["workshop"].where(~unnamed, ALL_WORKSHOPS)), min_cell_size)
    table = top_cards(eligible, codebook, n)
    table["workshop"] = table["workshop"].where(~unnamed.to_numpy(), WORKSHOP_NOT_NAMED)
    return declared.attach(cards_table(table, places, names, min_cell_size))


#: Shown instead of the workshop of a top card whose dots would narrow down a suppressed count of that workshop.
WORKSHOP_NOT_NAMED = "(nicht genannt)"


def unnamed_workshops(coded: pd.DataFrame, codebook: Codebook, listed: pd.DataFrame, min_cell_size: int) -> pd.Series:
    """Per listed card: True if one of its themes has suppressed dots in its workshop.

    The card's dots are a lower bound of that suppressed count; beside a published total of all
    workshops they would cap the other suppressed counts of the line. Such a card is listed
    without its workshop.
    """
    published = suppression.suppress_frequencies(theme_frequencies(coded, codebook, by_workshop=True), min_cell_size)
    hidden = set(map(tuple, published.loc[published["votes"].isna(), ["workshop", "theme"]].to_numpy()))
    return pd.Series([any((w, t) in hidden for t in themes) for w, themes in zip(listed["workshop"], listed["themes"], strict=True)],
                     index=listed.index, dtype=bool)


def cooccurrence_table(coded: pd.DataFrame, codebook: Codebook, min_cell_size: int = MIN_CELL_SIZE) -> pd.DataFrame:
    """Published pairs of themes named together on cards (German headings)."""
    pairs = suppression.suppress_pairs(cooccurrence_pairs(coded, codebook), min_cell_size)
    pairs = pairs.assign(label_a=pairs["theme_a"].map(codebook.labels), label_b=pairs["theme_b"].map(codebook.labels))
    declared = structure.pairs_structure(pairs, min_cell_size, listed_at_least=min_cell_size)
    return declared.attach(guarded(with_marker(german(pairs[["label_a", "label_b", "cards"]])), min_cell_size))


def styled(table: pd.DataFrame) -> Styler:
    """A published table for display in a notebook: German numbers, shares as whole percentages, no index, "–" for no text."""
    shares = [c for c in SHARES if c in table.columns]
    return german_table(table, percent=shares, decimals=dict.fromkeys(shares, 0))


def redaction_names(path: str | None, data_dir: str | None = None) -> list[str]:
    """Personal names to redact from card texts: ``path`` (relative to the project root), else the
    names list of the data folder (``survey_names.txt``, the one list of every report), else none."""
    return list(privacy.redactor(resolve(data_dir) if data_dir else None, resolve(path) if path else None).names)


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook as a table: theme, description and its plain search words (for transparency).

    Patterns with regular-expression syntax are left out of the published table (readers
    cannot read them); the codebook file holds them all.
    """
    return pd.DataFrame({
        "Thema": [t.label for t in codebook.themes],
        "Beschreibung": [t.description for t in codebook.themes],
        "Suchwörter (Wortanfänge, Auswahl)": [", ".join(p.pattern for p in t.patterns if re.fullmatch(r"[\w äöüß-]+", p.pattern))
                                            for t in codebook.themes],
    })
