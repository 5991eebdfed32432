"""Module 2: the online survey of the municipalities (LimeSurvey), privacy by design.

- :mod:`~regiopole.survey.codebook`: the questionnaire as data (YAML), validated.
- :mod:`~regiopole.survey.exportfile`, :mod:`~regiopole.survey.headings`,
  :mod:`~regiopole.survey.dates`, :mod:`~regiopole.survey.limesurvey`: read CSV/XLSX exports
  as LimeSurvey (and Excel after it) writes them and map headings and answers through the codebook.
- :mod:`~regiopole.survey.lss`: the codebook from LimeSurvey's survey structure (.lss) and back.
- :mod:`~regiopole.survey.municipality`: municipality answer -> AGS, tolerantly.
- :mod:`~regiopole.survey.selection`: incomplete and repeated responses.
- :mod:`~regiopole.survey.likert`, :mod:`~regiopole.survey.analysis`,
  :mod:`~regiopole.survey.freetext`: publishable tables (minimum cell size enforced here).
- :mod:`~regiopole.survey.figures`: diverging bars and comparison charts (German labels).

No published output breaks answers down by single municipality; only participation
(:func:`~regiopole.survey.analysis.participation_table`) is shown per municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from regiopole.data import Region
from regiopole.report import Report, german_table
from regiopole.survey.codebook import Codebook, load_codebook
from regiopole.survey.limesurvey import read_responses
from regiopole.survey.narrative import file_facts_table
from regiopole.survey.selection import Selection, select_responses


@dataclass
class SurveyData:
    """The responses that count (one per municipality) with the facts of their import."""

    responses: pd.DataFrame
    codebook: Codebook
    region: Region
    selection: Selection
    file_facts: dict

    @property
    def n(self) -> int:
        return len(self.responses)

    def import_table(self) -> pd.DataFrame:
        """German overview: the file, its format, and every selection step with its count."""
        facts = pd.DataFrame(list(file_facts_table(self.file_facts).items()), columns=["Schritt", "Anzahl"])
        return pd.concat([facts, self.selection.table()], ignore_index=True).rename(columns={"Schritt": "", "Anzahl": "Wert"})


def save_and_show(report: Report, table: pd.DataFrame | None, name: str):
    """Save an optional table (one that may be withheld, then ``None``) and return it for display (German numbers)."""
    if table is None:
        return None
    report.save_table(table, name)
    return german_table(table)


def import_survey(path: str | Path, codebook: Codebook, region: Region, include_incomplete: bool = False,
                  duplicate_rule: str = "last_complete", sheet: str | None = None) -> SurveyData:
    """Read a LimeSurvey export and select one response per municipality (``sheet``: the XLSX sheet, if not the survey's)."""
    frame, facts = read_responses(path, codebook, region, sheet=sheet)
    kept, selection = select_responses(frame, include_incomplete, duplicate_rule)
    return SurveyData(kept, codebook, region, selection, facts)


__all__ = ["Codebook", "Selection", "SurveyData", "import_survey", "load_codebook", "save_and_show", "select_responses"]
