"""Deductive coding of workshop cards with the theme codebook.

Rules:

* Every theme whose pattern occurs in the card text is assigned (multi-label).
* A manual theme (column ``manual_theme``) always wins: it replaces the automatic themes
  of that card entirely, so a coder can also correct a wrong automatic match.
* Cards that no theme matches and that have no manual theme are kept with ``coding ==
  "offen"`` and listed by :func:`uncoded_cards` for manual coding; no card is dropped.

Co-occurrence (:func:`cooccurrence`) counts cards: the cell (A, B) is the number of cards
coded with both A and B; a card with three themes adds one to each of its three pairs.
The diagonal holds the number of cards coded with the theme at all.
"""

from __future__ import annotations

import pandas as pd

from regiopole.workshops.codebook import Codebook

#: German names of the coding source.
MANUAL, AUTOMATIC, OPEN = "manuell", "automatisch", "offen"


def code_cards(cards: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Add ``auto_themes``, ``themes`` (final, tuples of theme ids) and ``coding`` to the cards."""
    coded = cards.copy()
    coded["auto_themes"] = [tuple(codebook.themes_in(text)) for text in coded["text"]]
    has_manual = coded["manual_themes"].map(bool)
    coded["themes"] = coded["manual_themes"].where(has_manual, coded["auto_themes"])
    coded["coding"] = (has_manual.map({True: MANUAL, False: AUTOMATIC})
                       .where(has_manual | coded["auto_themes"].map(bool), OPEN))
    return coded


def card_themes(coded: pd.DataFrame) -> pd.DataFrame:
    """Long table, one row per (card, theme); uncoded cards do not appear here."""
    long = coded.explode("themes").rename(columns={"themes": "theme"})
    return long[long["theme"].notna()].reset_index(drop=True)


def uncoded_cards(coded: pd.DataFrame) -> pd.DataFrame:
    """Cards without any theme, with their row in the file, for manual coding.

    Without their dots: a card's dots are tied to no published total, so a suppressed "." beside
    printed zeros would say "1 or 2" (the disclosure audit's finding); the coders do not need them.
    """
    columns = ["row", "card_id", "workshop", "group", "category_label", "text"]
    out = coded.loc[coded["coding"] == OPEN, columns].reset_index(drop=True)
    out.attrs["coding_summary"] = coding_summary(coded)  # the list's length is the count of open cards
    return out


def coding_summary(coded: pd.DataFrame) -> pd.DataFrame:
    """Number and share of cards coded automatically, manually, or still open."""
    counts = coded["coding"].value_counts().reindex([AUTOMATIC, MANUAL, OPEN], fill_value=0)
    return pd.DataFrame({"coding": counts.index, "cards": counts.to_numpy(),
                         "share": (counts / max(len(coded), 1)).to_numpy()})


def theme_indicators(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """0/1 matrix cards x themes (columns in codebook order)."""
    long = card_themes(coded)
    matrix = pd.crosstab(long["card_id"], long["theme"]).clip(upper=1) if len(long) else pd.DataFrame()
    return matrix.reindex(index=coded["card_id"], columns=codebook.ids, fill_value=0).astype(int)


def cooccurrence(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Themes x themes: number of cards coded with both (diagonal: cards with the theme)."""
    indicators = theme_indicators(coded, codebook)
    matrix = indicators.T @ indicators
    matrix.index.name, matrix.columns.name = "theme", None
    return matrix


def cooccurrence_pairs(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The off-diagonal co-occurrences as pairs (each pair once), most frequent first."""
    matrix = cooccurrence(coded, codebook)
    order = {theme: i for i, theme in enumerate(codebook.ids)}
    pairs = matrix.stack().rename("cards").reset_index()
    pairs.columns = ["theme_a", "theme_b", "cards"]
    pairs = pairs[(pairs["theme_a"].map(order) < pairs["theme_b"].map(order)) & (pairs["cards"] > 0)]
    return pairs.sort_values(["cards", "theme_a", "theme_b"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
