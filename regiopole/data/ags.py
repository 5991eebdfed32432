"""The municipality key (Amtlicher Gemeindeschlüssel, AGS) as the tables carry it: 8 digits, kept as text.

Without pandera, so that code that only needs to know whether a column holds AGS (a kernel
whose other tables all come from the cache) does not import it.
"""

from __future__ import annotations

import pandas as pd

AGS_PATTERN = r"^\d{8}$"
AGS_EXPECTED = ("an 8-digit AGS kept as text, e.g. '05774032' (7 digits mean the leading zero was lost: "
                "format the column as text)")


def all_ags(values: pd.Series) -> bool:
    """Whether every value is an 8-digit AGS: a column that :func:`regiopole.data.schemas.ags`
    (without ``allowed``) passes unchanged. Stricter where the two could differ (a trailing line
    break, which ``$`` lets through), so a ``False`` only means: let the schema check it."""
    return bool(values.notna().all() and values.astype("string").str.fullmatch(r"\d{8}").all())
