"""Minimum cell size: which counts of a table may be published.

Shared by every analysis module (survey, workshops, lead projects). Public API:

``SUPPRESSED``
    The marker ``"."`` that replaces a suppressed value (the sign German official
    statistics use for "Zahlenwert unbekannt oder geheimzuhalten").
``suppressed_mask(counts, min_cell_size=3, row_totals=True, column_totals=False)``
    Which cells of a table of counts must not be published: primary suppression of every
    count 1 .. ``min_cell_size``-1, then secondary suppression, so that no suppressed value
    can be recovered by subtracting the others from a published total. In every row (and
    column, when column totals are published) that holds suppressed cells, at least two
    cells are suppressed and together they hold at least ``min_cell_size``; a line whose
    total is below ``min_cell_size`` is suppressed whole, total included. Zeros are
    published here; :func:`hide_zeros_beside` hides them too where a line holds suppressed
    cells, so that a reader cannot tell a "." from 0. The mask has the table's shape plus a ``total`` column (and row) when asked.
``suppress_counts(counts, min_cell_size=3, row_totals=True, column_totals=False, total_label="Insgesamt")``
    The table with the totals added and every suppressed cell replaced by ``SUPPRESSED``.
``assert_publishable(table, min_cell_size=3)``
    A guard for a table of counts about to be written: raises :class:`DisclosureError`
    when any cell holds a whole number 1 .. ``min_cell_size``-1, also inside a count
    written as text ("2 von 24 (8 %)").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

SUPPRESSED = "."
DEFAULT_MIN_CELL_SIZE = 3
TOTAL = "total"

EMAIL_TEXT = "[E-Mail entfernt]"
PHONE_TEXT = "[Telefon entfernt]"
URL_TEXT = "[Link entfernt]"
NAME_TEXT = "[Name entfernt]"
PLACE_TEXT = "[Ort]"

EMAIL = re.compile(r"[\w.%+-]+(?:@|\s*\(at\)\s*|\s*\[at\]\s*)[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
# German numbers: a leading 0 (area code or mobile prefix) or +49/0049, then digits in groups
# separated by blanks, '-', '/', '.'; at least 6 digits after the prefix so that years,
# dates and amounts are not taken for numbers.
PHONE = re.compile(
    r"(?<![\w+.,])(?:(?:\+|00)49[ \t\u00a0\-/.]*(?:\(0\)[ \t\u00a0\-/.]*)?|\(0\d{2,5}\)[ \t\u00a0\-/.]*|0)"
    r"(?:\d[ \t\u00a0\-/.]{0,3}){5,13}\d(?![\w])"
)
DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})$")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
PERSONAL_PATH = re.compile(
    r"/~|/(?:users?|people|person|personen|profile?|profil|mitarbeiter(?:innen)?|team|staff|home|u)/",
    re.IGNORECASE,
)


class DisclosureError(ValueError):
    """A table about to be published holds a count below the minimum cell size."""


def _check_counts(counts: pd.DataFrame, min_cell_size: int) -> np.ndarray:
    if min_cell_size < 1:
        raise ValueError(f"min_cell_size must be at least 1, got {min_cell_size}")
    values = counts.to_numpy(dtype=float)
    if np.isnan(values).any() or (values < 0).any() or (values != np.round(values)).any():
        raise ValueError("suppression needs a table of whole, non-negative counts (no missing values)")
    return values.astype(np.int64)


def _protect_line(values: np.ndarray, mask: np.ndarray, min_cell_size: int) -> bool:
    """Extend the suppression of one line (cells + total at the end); True if anything changed."""
    cells, total = values[:-1], values[-1]
    changed = False
    if 0 < total < min_cell_size and not mask.all():
        mask[:] = True
        return True
    while mask[:-1].any():
        hidden = mask[:-1]
        hidden_sum = cells[hidden].sum()
        if hidden.sum() >= 2 and (hidden_sum == 0 or hidden_sum >= min_cell_size):
            break
        candidates = np.flatnonzero(~hidden)
        if candidates.size == 0:
            if not mask[-1]:  # every cell hidden and still too small: hide the total too
                mask[-1] = True
                changed = True
            break
        # prefer the smallest positive count: it protects with the least loss of information
        order = sorted(candidates, key=lambda i: (cells[i] == 0, cells[i], i))
        mask[order[0]] = True
        changed = True
    return changed


def suppressed_mask(counts: pd.DataFrame, min_cell_size: int = DEFAULT_MIN_CELL_SIZE,
                    row_totals: bool = True, column_totals: bool = False) -> pd.DataFrame:
    """Boolean frame: ``True`` where a count (or a total) must be suppressed. See the module docstring."""
    values = _check_counts(counts, min_cell_size)
    rows, cols = values.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:-1, :-1] = values
    full[:-1, -1] = values.sum(axis=1)
    full[-1, :] = full[:-1, :].sum(axis=0)
    mask = (full > 0) & (full < min_cell_size)
    # a line needs protection only when its total is published; the grand total only with both margins
    protected_rows = list(range(rows)) if row_totals else []
    protected_cols = list(range(cols)) if column_totals else []
    if row_totals and column_totals:
        protected_rows.append(rows)
        protected_cols.append(cols)
    changed = True
    while changed:
        changed = False
        for i in protected_rows:
            changed |= _protect_line(full[i], mask[i], min_cell_size)
        for j in protected_cols:
            column_mask = mask[:, j].copy()
            if _protect_line(full[:, j], column_mask, min_cell_size):
                mask[:, j] = column_mask
                changed = True
    mask = mask[: rows + (1 if column_totals else 0), : cols + (1 if row_totals else 0)]
    index = list(counts.index) + ([TOTAL] if column_totals else [])
    columns = list(counts.columns) + ([TOTAL] if row_totals else [])
    return pd.DataFrame(mask, index=index, columns=columns)


def suppress_counts(counts: pd.DataFrame, min_cell_size: int = DEFAULT_MIN_CELL_SIZE, row_totals: bool = True,
                    column_totals: bool = False, total_label: str = "Insgesamt") -> pd.DataFrame:
    """Counts with totals, every value that could reveal fewer than ``min_cell_size`` respondents as ``"."``."""
    mask = suppressed_mask(counts, min_cell_size, row_totals=row_totals, column_totals=column_totals)
    table = counts.astype("int64").copy()
    if row_totals:
        table[TOTAL] = table.sum(axis=1)
    if column_totals:
        table.loc[TOTAL] = table.sum(axis=0)
    published = table.astype(object).where(~mask.to_numpy(), SUPPRESSED)
    return published.rename(index={TOTAL: total_label}, columns={TOTAL: total_label})


COUNT_IN_TEXT = re.compile(r"(?<![\d.,])(\d+) von \d+")


def _whole_numbers(table: pd.DataFrame) -> np.ndarray:
    """Whole-number cells, and counts written as text 'x von n' (both x and n)."""
    # suppressed (missing) cells hold no count; pandas 3 keeps NaN through astype(str)
    cells = table.stack(future_stack=True).dropna().astype(str).str.strip()
    numbers = pd.to_numeric(cells, errors="coerce").dropna()
    in_text = [int(v) for cell in cells for m in COUNT_IN_TEXT.finditer(cell)
               for v in (m.group(1), m.group(0).rsplit(" ", 1)[1])]
    return np.concatenate([numbers[numbers == np.round(numbers)].to_numpy(dtype=float), np.array(in_text, dtype=float)])


def assert_publishable(table: pd.DataFrame, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> None:
    """Raise :class:`DisclosureError` if a table of counts holds a value 1 .. ``min_cell_size``-1."""
    numbers = _whole_numbers(table)
    small = sorted({int(v) for v in numbers if 0 < v < min_cell_size})
    if small:
        raise DisclosureError(
            f"table holds counts {small} below the minimum cell size {min_cell_size}; "
            "pass the counts through regiopole.privacy.suppress_counts before publishing them"
        )


def hide_zeros_beside(mask: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """``mask`` with the zeros of every row that holds a suppressed cell suppressed too.

    Where only positive counts are ever suppressed, a reader knows that every "." is at
    least 1; hiding the zeros beside them makes "." mean "0 or more" (the disclosure
    audit assumes exactly that).
    """
    cells = [c for c in counts.columns if c in mask.columns]
    hidden = mask[cells].to_numpy(dtype=bool, copy=True)
    rows = min(len(counts), len(mask))  # a column-total row of the mask has no counts of its own
    zeros = counts[cells].to_numpy()[:rows] == 0
    hidden[:rows] |= zeros & hidden[:rows].any(axis=1, keepdims=True)
    out = mask.copy()
    out[cells] = hidden
    return out
