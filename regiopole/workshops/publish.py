"""What of the workshop results may be published, and in which form (German headings).

Privacy rules for workshop cards (applied with :mod:`regiopole.privacy`):

* Breakdowns by workshop or group are the place where few people stand behind a figure.
  The per-group overview of cards by category goes through
  :func:`regiopole.privacy.suppress_counts` (cells 1 .. ``min_cell_size``-1 and what
  would reveal them are shown as ``"."``). In the themes-by-workshop table a workshop
  with fewer than ``min_cell_size`` cards is suppressed whole (its cards still count in
  "Alle Workshops").
* Theme counts describe what was written, not who: they are published as counted.
* Card texts are published only after :func:`regiopole.privacy.redact` (e-mail
  addresses, phone numbers, listed names, and the names of the member municipalities,
  so that a card does not reveal where its author works). Published card lists name
  the workshop but not the group.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from regiopole import privacy
from regiopole.paths import resolve
from regiopole.workshops.cards import CATEGORIES
from regiopole.workshops.codebook import Codebook
from regiopole.workshops.coding import cooccurrence_pairs
from regiopole.workshops.labels import german

FREQUENCY_VALUES = ["cards", "votes", "card_share", "rank_cards", "rank_votes"]


def group_overview(coded: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Cards per workshop, group and category with totals; small cells suppressed."""
    counts = pd.crosstab([coded["workshop"], coded["group"]], coded["category"]).reindex(columns=list(CATEGORIES), fill_value=0)
    counts = counts.reindex(pd.MultiIndex.from_frame(coded[["workshop", "group"]].drop_duplicates()))
    published = privacy.suppress_counts(counts.rename(columns=CATEGORIES), min_cell_size, row_totals=True, total_label="Karten insgesamt")
    return published.rename_axis(index=["Workshop", "Gruppe"], columns=None).reset_index()


def suppress_small_workshops(frequencies: pd.DataFrame, min_cell_size: int = privacy.DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """Blank (NaN) the figures of every workshop block based on fewer than ``min_cell_size`` cards."""
    out = frequencies.copy()
    small = out["workshop_cards"] < min_cell_size
    out[FREQUENCY_VALUES] = out[FREQUENCY_VALUES].astype(float)
    out.loc[small, FREQUENCY_VALUES] = np.nan
    out.loc[small, "workshop_cards"] = np.nan
    return out


def with_marker(table: pd.DataFrame) -> pd.DataFrame:
    """Missing (suppressed) figures as the privacy marker ``"."`` in a published table."""
    return table.astype(object).where(table.notna(), privacy.SUPPRESSED)


def frequencies_table(frequencies: pd.DataFrame) -> pd.DataFrame:
    """Published themes-by-frequency table (German headings, ``"."`` for suppressed blocks)."""
    table = german(frequencies, drop=("theme",))
    for column in ("Karten", "Punkte", "Rang nach Karten", "Rang nach Punkten", "Karten im Workshop"):
        table[column] = table[column].astype("Int64")
    return with_marker(table)


def redact_texts(cards: pd.DataFrame, places: Iterable[str] = (), names: Iterable[str] = ()) -> pd.DataFrame:
    """Copy with ``text`` redacted; a clear error if contact details survive the redaction."""
    out = cards.copy()
    out["text"] = [privacy.redact(text, names=names, places=places) for text in out["text"]]
    leaking = [text for text in out["text"] if privacy.contains_personal_data(text)]
    if leaking:
        raise privacy.DisclosureError(f"{len(leaking)} card text(s) still hold contact details after redaction; "
                                      "correct them in the cards file before publishing")
    return out


def cards_table(cards: pd.DataFrame, places: Iterable[str] = (), names: Iterable[str] = ()) -> pd.DataFrame:
    """A published list of cards: redacted text, no group (German headings)."""
    return german(redact_texts(cards.drop(columns=["group"], errors="ignore"), places, names))


def cooccurrence_table(coded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Published pairs of themes named together on cards (German headings)."""
    pairs = cooccurrence_pairs(coded, codebook)
    pairs = pairs.assign(label_a=pairs["theme_a"].map(codebook.labels), label_b=pairs["theme_b"].map(codebook.labels))
    return german(pairs[["label_a", "label_b", "cards"]])


def redaction_names(path: str | None) -> list[str]:
    """Personal names to redact from card texts (file relative to the project root), none for ``None``."""
    return privacy.load_names(resolve(path) if path else None)


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook as a table: theme, description and search patterns (for transparency)."""
    return pd.DataFrame({
        "Thema": [t.label for t in codebook.themes],
        "Beschreibung": [t.description for t in codebook.themes],
        "Suchmuster": [", ".join(p.pattern for p in t.patterns) for t in codebook.themes],
    })
