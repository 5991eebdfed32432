"""Workshop cards as typed up from the moderation walls: read, check, normalise.

File ``workshop_cards.csv`` (or ``workshop_cards.xlsx``) in the data folder, one row per card:

============== ======================================================================
column         content
============== ======================================================================
card_id        optional; unique key of the card (default: its row number in the file)
workshop       name of the workshop, e.g. "Workshop 1: Digitale Anwendungen und Infrastruktur"
group          working group / moderation wall within the workshop, e.g. "Gruppe A"
category       ``huerde``, ``chance``, ``idee`` or ``ziel`` (the German labels Hürde,
               Chance, Idee, Ziel are accepted too)
text           the card text; required
votes          dot votes on the card, a whole number >= 0; an empty cell means no dots (0)
manual_theme   optional column; theme id(s) or label(s) of the codebook, several separated
               by ``;``. A manual theme replaces the automatic coding of that card.
============== ======================================================================

The returned frame keeps the file's row number in ``row`` (header = row 1) so that every
later message and the list of uncoded cards can point back to the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from regiopole.data import DataValidationError, Problem, read_table, schemas, validate
from regiopole.paths import resolve
from regiopole.workshops.codebook import Codebook

FILE_STEM = "workshop_cards"
#: Card categories: code -> German label, in display order.
CATEGORIES = {"huerde": "Hürde", "chance": "Chance", "idee": "Idee", "ziel": "Ziel"}
CATEGORY_ALIASES = {**{code: code for code in CATEGORIES}, **{label.casefold(): code for code, label in CATEGORIES.items()},
                    "hürden": "huerde", "chancen": "chance", "ideen": "idee", "ziele": "ziel"}
MANUAL_SEPARATOR = ";"


def cards_file(data_dir: str | Path) -> Path:
    """The cards file of a data folder: ``workshop_cards.csv``, else ``workshop_cards.xlsx``."""
    folder = resolve(data_dir)
    for suffix in (".csv", ".xlsx"):
        if (folder / f"{FILE_STEM}{suffix}").is_file():
            return folder / f"{FILE_STEM}{suffix}"
    raise DataValidationError(folder / f"{FILE_STEM}.csv", [Problem(None, None, (
        "expected the workshop cards as workshop_cards.csv or workshop_cards.xlsx in the data folder; "
        "see data/README.md for the columns"))])


def cards_schema() -> schemas.pa.DataFrameSchema:
    """pandera schema of the cards table (after category labels were mapped to codes)."""
    return schemas.table({
        "card_id": schemas.text(unique=True),
        "workshop": schemas.text(),
        "group": schemas.text(),
        "category": schemas.one_of(CATEGORIES, what="one of huerde, chance, idee, ziel (or Hürde, Chance, Idee, Ziel)"),
        "text": schemas.text(),
        "votes": schemas.integer(min_value=0),
        "manual_theme": schemas.text(nullable=True),
    })


def normalise(raw: pd.DataFrame) -> pd.DataFrame:
    """In-memory copy with row numbers, default ids, category codes and empty votes as 0."""
    df = raw.copy()
    first_row = int(raw.attrs.get("first_row", 2))
    df["row"] = df.index + first_row
    if "card_id" not in df:
        df["card_id"] = df["row"].astype(str)
    if "manual_theme" not in df:
        df["manual_theme"] = None
    if "category" in df:
        df["category"] = df["category"].map(lambda v: CATEGORY_ALIASES.get(v.casefold(), v) if isinstance(v, str) else v)
    if "votes" in df:
        df["votes"] = df["votes"].where(df["votes"].notna(), "0")
    df.attrs = dict(raw.attrs)
    return df


def resolve_manual_themes(cards: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Manual themes as tuples of theme ids (empty tuple: none); unknown names are errors."""
    problems, resolved = [], []
    for row, value in zip(cards["row"], cards["manual_theme"], strict=True):
        names = [n for n in str(value).split(MANUAL_SEPARATOR) if n.strip()] if isinstance(value, str) else []
        ids = []
        for name in names:
            theme_id = codebook.lookup(name)
            if theme_id is None:
                problems.append(Problem(int(row), "manual_theme", f"unknown theme {name.strip()!r}; expected an id or label of "
                                        f"{Path(codebook.source).name}: {', '.join(codebook.ids)}"))
            elif theme_id not in ids:
                ids.append(theme_id)
        resolved.append(tuple(ids))
    if problems:
        raise DataValidationError(cards.attrs.get("source", "<cards>"), problems)
    return pd.Series(resolved, index=cards.index, dtype=object)


def load_cards(path: str | Path, codebook: Codebook) -> pd.DataFrame:
    """Read and check a cards file (CSV or XLSX); resolve manual themes against ``codebook``.

    Returns one row per card with the columns above plus ``row`` (file row number),
    ``category_label`` (German) and ``manual_themes`` (tuple of theme ids).
    Raises :class:`DataValidationError` naming file, row and column of every problem,
    e.g. a card without text.
    """
    cards = validate(normalise(read_table(resolve(path))), cards_schema())
    cards["votes"] = cards["votes"].astype(int)
    cards["category_label"] = cards["category"].map(CATEGORIES)
    cards["manual_themes"] = resolve_manual_themes(cards, codebook)
    columns = ["row", "card_id", "workshop", "group", "category", "category_label", "text", "votes", "manual_theme", "manual_themes"]
    return cards[columns + [c for c in cards.columns if c not in columns]]


def workshop_order(cards: pd.DataFrame) -> list[str]:
    """Workshops in order of first appearance in the file."""
    return list(dict.fromkeys(cards["workshop"]))
