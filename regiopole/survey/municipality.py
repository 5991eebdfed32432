"""Match the municipality a respondent typed to its AGS, tolerantly but never by guessing.

Accepted: the official name in any case, umlauts written as ``ae/oe/ue`` and ``ß`` as
``ss``, hyphens or blanks, a prefix such as "Stadt", "Gemeinde" or "Hansestadt" or the same
word after a comma (the Destatis spelling "Name, Stadt"), a qualifier in brackets given or
left out ("Name (Westf.)" and "Name", where only one member has that name), and the
8-digit AGS itself (also with a leading zero lost, as Excel writes it). Anything else fails loudly with the row, the value and the closest
names, so a typo is corrected in the data rather than dropped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

import pandas as pd

from regiopole.data import DataValidationError, Problem, Region

PREFIXES = ("stadt", "gemeinde", "hansestadt", "kreisstadt", "kommune", "verwaltung der", "verwaltung", "der", "die")
#: Kinds of municipality Destatis writes after the name ("Paderborn, Stadt").
SUFFIXES = ("stadt", "gemeinde", "hansestadt", "kreisstadt", "kreisfreie stadt", "grosse kreisstadt",
            "grosse kreisangehoerige stadt", "mittlere kreisangehoerige stadt", "flecken", "markt", "marktgemeinde")
QUALIFIER = re.compile(r"\s*\([^)]*\)\s*")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise(name: str) -> str:
    """Comparable form of a municipality name: lower case, umlauts spelt out, no prefix or kind suffix."""
    text = unicodedata.normalize("NFC", str(name)).casefold().translate(UMLAUTS)
    head, comma, tail = text.partition(",")
    if comma and re.sub(r"[\s.]+", " ", tail).strip() in SUFFIXES:
        text = head
    text = re.sub(r"[\s\-_/.,()]+", " ", text).strip()
    changed = True
    while changed:
        changed = False
        for prefix in PREFIXES:
            if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
                text = text[len(prefix) + 1:]
                changed = True
    return text


def without_qualifier(name: str) -> str:
    """'Halle (Westf.)' -> 'Halle'."""
    return QUALIFIER.sub(" ", str(name)).strip()


def name_index(region: Region) -> dict[str, str]:
    """Normalised name (and AGS) -> AGS for every member of the region, with and without a bracketed qualifier."""
    index = {normalise(name): ags for ags, name in region.names().items()}
    short: dict[str, list[str]] = {}
    for ags, name in region.names().items():
        short.setdefault(normalise(without_qualifier(name)), []).append(ags)
    index.update({k: v[0] for k, v in short.items() if len(v) == 1 and k not in index})
    index.update({ags: ags for ags in region.ags})
    index.update({ags.lstrip("0"): ags for ags in region.ags if ags.startswith("0")})
    return index


def lookup(value: str, index: dict[str, str]) -> str | None:
    """The AGS of an answer, trying it as given and without a bracketed qualifier."""
    for candidate in (value, without_qualifier(value)):
        found = index.get(normalise(candidate))
        if found:
            return found
    return None


def match_municipalities(answers: pd.Series, region: Region, source: str = "<survey export>",
                         first_row: int = 2, column: str = "municipality") -> pd.Series:
    """AGS for every answer (missing answers stay missing); unknown names raise one error.

    ``answers`` is indexed by position in the file (0 = first data row), so that an error
    names the file row (``first_row`` + index).
    """
    index = name_index(region)
    names = region.names()
    problems = []
    out = pd.Series(pd.NA, index=answers.index, dtype="string")
    for position, value in answers.items():
        if value is None or pd.isna(value) or not str(value).strip():
            continue
        found = lookup(str(value), index)
        if found:
            out[position] = found
            continue
        key = normalise(value)
        close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
        suggestion = f"; did you mean {', '.join(repr(names[index[c]]) for c in close)}?" if close else ""
        problems.append(Problem(int(position) + first_row, column,
                                f"{value!r} is not a member of {region.name}{suggestion} Correct the answer in a copy "
                                "of the export, or check the region parameter"))
    if problems:
        raise DataValidationError(source, problems)
    return out
