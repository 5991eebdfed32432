"""Source lines and the time-series caveat that go under every figure of the report."""

from __future__ import annotations

ATLAS = "Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur"
ZENSUS = "Einwohner: Zensus 2022 (Stand 15.05.2022), © Statistische Ämter des Bundes und der Länder"
NOT_A_TIME_SERIES = ("Die Datenstände sind keine Zeitreihe im strengen Sinn: Erhebungsmethode und Betreiber "
                     "des Breitbandatlas haben sich zwischen den Datenständen geändert.")


def month_year(vintage: str) -> str:
    """``2021-06-30`` -> ``06/2021`` (the atlas's way of naming a Datenstand)."""
    return f"{vintage[5:7]}/{vintage[:4]}"


def source_line(vintage: str, first_vintage: str | None = None, population: bool = False) -> str:
    """``Quelle: Breitbandatlas …, Datenstand 06/2021`` (or ``Datenstände 12/2018 bis 06/2021``), optionally with Zensus."""
    if first_vintage and first_vintage != vintage:
        stand = f"Datenstände {month_year(first_vintage)} bis {month_year(vintage)}"
    else:
        stand = f"Datenstand {month_year(vintage)}"
    line = f"Quelle: {ATLAS}, {stand}"
    return f"{line}; {ZENSUS}" if population else line


def caption(text: str, vintage: str, first_vintage: str | None = None, population: bool = False,
            trend: bool = False) -> str:
    """A figure caption: what it shows, the caveat for trends, and the source line."""
    parts = [text.rstrip(".") + "."]
    if trend:
        parts.append(NOT_A_TIME_SERIES)
    parts.append(source_line(vintage, first_vintage, population) + ".")
    return " ".join(parts)
