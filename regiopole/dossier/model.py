"""The dossier of one municipality: who it is, its region, and the published tables it draws on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from regiopole.data import Region
from regiopole.dossier import tables
from regiopole.report import Report


@dataclass(frozen=True)
class Dossier:
    """One member municipality with its region and the tables of the other reports."""

    ags: str
    region: Region
    output_dir: Path
    example: bool  # the project data (not the official data) are generated example data
    tables: dict[str, pd.DataFrame | None]

    @property
    def member(self) -> pd.Series:
        """The municipality's row of the region (name, kreis, population, ...)."""
        return self.region.municipalities.set_index("ags").loc[self.ags]

    @property
    def name(self) -> str:
        return str(self.member["name"])

    @property
    def oberzentrum(self) -> str:
        return self.region.oberzentrum

    @property
    def is_oberzentrum(self) -> bool:
        return self.ags == self.region.oberzentrum

    def comparison(self) -> list[tuple[str, str]]:
        """Columns of a comparison table: (heading, AGS or "region"); the Oberzentrum's own page
        compares with the region only."""
        columns = [(self.name, self.ags), (self.region.name, "region")]
        if not self.is_oberzentrum:
            columns.append((f"{self.region.oberzentrum_name} (Oberzentrum)", self.oberzentrum))
        return columns

    def table(self, key: str) -> pd.DataFrame | None:
        return self.tables[key]

    def missing(self, key: str) -> str:
        """German sentence for a section whose table has not been published."""
        return (f"*Für diesen Abschnitt liegt noch keine Auswertung vor: Der Bericht „{tables.TABLES[key].report}“ "
                "ist für diese Region noch nicht erstellt worden. Der Abschnitt wird ergänzt, sobald er vorliegt.*")

    def project_data_note(self) -> str:
        """Label of values from the project's own (or example) data."""
        return "Beispieldaten, nicht die Ergebnisse des Modellprojekts" if self.example else "Projektdaten"


def load_dossier(report: Report, ags: str | None = None) -> Dossier:
    """The dossier of member ``ags`` (``None``: the Oberzentrum) of ``report``'s region."""
    region = report.region
    ags = region.oberzentrum if ags is None else str(ags)
    if ags not in set(region.ags):
        known = ", ".join(f"{a} ({n})" for a, n in region.names().items())
        raise ValueError(f"AGS {ags!r} is not a member of {region.name} ({region.source}); "
                         f"set the parameter ags to one of: {known}")
    return Dossier(ags=ags, region=region, output_dir=report.output_dir, example=report.info.is_example,
                   tables=tables.load_all(report.output_dir, ags, region.oberzentrum))
