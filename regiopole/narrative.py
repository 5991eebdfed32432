"""Small German text helpers for report sentences built from data and parameter values.

Report text that depends on the region or on a parameter is written by package functions
(shown in a notebook cell tagged ``remove-input`` with ``display(Markdown(...))``), so that
JupyterLab and the published page show the same sentence with the values filled in. These
helpers keep those functions short: lists joined the German way, counts with the right
noun form, and the region's Kreise and kreisfreie Städte named correctly.
"""

from __future__ import annotations

from collections.abc import Iterable

from regiopole.data import Region
from regiopole.style import german_number


def join(items: Iterable[object], last: str = "und") -> str:
    """``["A", "B", "C"]`` -> ``"A, B und C"`` (empty string for no items)."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def count(n: int, singular: str, plural: str) -> str:
    """``count(1, "Kommune", "Kommunen")`` -> ``"1 Kommune"``; numbers with German thousands points."""
    return f"{german_number(n)} {singular if n == 1 else plural}"


def kreise_phrase(region: Region) -> str:
    """Where the members lie: ``"3 Kreisen (Kreis A, Kreis B und Kreis C) und der kreisfreien Stadt X"``.

    Dative, to follow "in" or "aus". A kreisfreie Stadt is named as such, never counted as a Kreis.
    """
    kreise, cities = region.kreise, region.kreisfreie_staedte
    parts = []
    if kreise:
        parts.append(f"{count(len(kreise), 'Kreis', 'Kreisen')} ({join(kreise)})" if len(kreise) > 1 else f"dem {kreise[0]}")
    if cities:
        parts.append(f"der kreisfreien Stadt {cities[0]}" if len(cities) == 1 else f"den kreisfreien Städten {join(cities)}")
    return join(parts)


def population_with_date(region: Region) -> str:
    """``"719.000 Einwohnerinnen und Einwohnern (Stand 15.05.2022)"`` for the members' sum (dative)."""
    dates = join(_german_date(d) for d in region.population_dates)
    return f"{german_number(region.population)} Einwohnerinnen und Einwohnern (Stand {dates})"


def _german_date(iso: str) -> str:
    year, month, day = str(iso)[:10].split("-")
    return f"{day}.{month}.{year}"
