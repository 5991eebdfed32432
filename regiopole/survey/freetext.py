"""Free-text answers: redacted first, then grouped by theme.

Every text field of the codebook (type ``text`` and the ``[other]`` fields) is passed
through :func:`regiopole.privacy.redact` with the configurable list of personal names
and the names of the member municipalities (so a quote does not reveal who answered).
Themes come from the codebook (keyword beginnings). Theme counts follow the minimum cell
size; quotes are shown only for themes with at least ``min_cell_size`` texts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from regiopole import privacy
from regiopole.privacy.audit import COUNT_OF_N, Structure
from regiopole.data import Region
from regiopole.paths import resolve
from regiopole.survey.codebook import Codebook
from regiopole.survey.likert import checked, count_share

OTHER_THEME = "Sonstiges"
NAMES_FILE = privacy.NAMES_FILE


def redaction_names(data_dir: str | Path, redact_names_file: str | Path | None) -> list[str]:
    """Names to redact: ``redact_names_file``, else ``survey_names.txt`` in the data folder, else none."""
    return list(privacy.redactor(resolve(data_dir), resolve(redact_names_file) if redact_names_file is not None else None).names)


def text_fields(codebook: Codebook) -> list[str]:
    return [f.column for f in codebook.fields() if f.is_other or f.question.type == "text"]


def redacted_texts(responses: pd.DataFrame, codebook: Codebook, region: Region, names: list[str]) -> pd.Series:
    """All non-empty free texts, redacted, in response order (index is not a municipality)."""
    texts = [t for column in text_fields(codebook) for t in responses[column].tolist() if isinstance(t, str) and t.strip()]
    places = list(region.municipalities["name"])
    return pd.Series([privacy.redact(t.strip(), names=names, places=places) for t in texts], dtype=object)


def themes_of(text: str, codebook: Codebook) -> list[str]:
    """Themes whose keywords begin a word of ``text``; 'Sonstiges' when none does."""
    words = re.findall(r"\w[\w-]*", text.casefold())
    found = [t.name for t in codebook.themes if any(w.startswith(k) or f"-{k}" in w for w in words for k in t.keywords)]
    return found or [OTHER_THEME]


def theme_table(texts: pd.Series, codebook: Codebook, min_cell_size: int) -> pd.DataFrame:
    """Number of free texts per theme ('x von n Freitexten'); a text may touch several themes."""
    names = [t.name for t in codebook.themes] + [OTHER_THEME]
    assigned = [themes_of(t, codebook) for t in texts]
    counts = pd.DataFrame({"ja": [sum(n in a for a in assigned) for n in names]}, index=names)
    counts["nein"] = len(texts) - counts["ja"]
    mask = privacy.suppressed_mask(counts, min_cell_size)
    cells = [privacy.SUPPRESSED if mask.loc[n, ["ja", privacy.TOTAL]].any() else count_share(int(counts.at[n, "ja"]), len(texts))
             for n in names]
    table = pd.DataFrame({"Thema": names, "Freitexte": cells, "_n": counts["ja"].to_numpy()})
    table = table.sort_values("_n", ascending=False, kind="stable").drop(columns="_n").reset_index(drop=True)
    structure = Structure(min_cell_size=min_cell_size)
    total = structure.variable("texts", len(texts))
    for position, name in enumerate(table["Thema"]):
        structure.cell(position, "Freitexte", COUNT_OF_N, {structure.variable(f"theme|{name}", len(texts)): 1.0}, {total: 1.0})
        structure.fact({f"theme|{name}": 1.0, total: -1.0}, -len(texts), 0)
    return structure.attach(checked(table, min_cell_size))


def quotes(texts: pd.Series, codebook: Codebook, min_cell_size: int, per_theme: int = 3) -> pd.DataFrame:
    """Up to ``per_theme`` redacted quotes for each theme with at least ``min_cell_size`` texts."""
    rows = []
    for name in [t.name for t in codebook.themes] + [OTHER_THEME]:
        matching = [t for t in texts if name in themes_of(t, codebook)]
        if len(matching) >= min_cell_size:
            rows += [{"Thema": name, "Zitat (anonymisiert)": t} for t in matching[:per_theme]]
    return pd.DataFrame(rows, columns=["Thema", "Zitat (anonymisiert)"])
