"""Everything the report shows, computed once from the reference table for one region."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from regiopole.data import Region, load_regiopolen
from regiopole.data.broadband_table import load_broadband
from regiopole.trends import comparison, equality
from regiopole.trends.indicators import region_subset, subset_keys
from regiopole.trends.tables import municipalities_table, reference_table

GERMANY_THRESHOLD = "Wert für Deutschland"


@dataclass
class Trends:
    """The report's tables (shares in per cent, 0-100) and the threshold for "lagging behind"."""

    municipalities: pd.DataFrame
    reference: pd.DataFrame
    development: pd.DataFrame
    technology: pd.DataFrame
    technology_summary: dict[str, float]
    threshold: float
    threshold_source: str
    equality: equality.Equality
    size_classes: pd.DataFrame
    kreise: pd.DataFrame
    lagging: pd.DataFrame
    businesses: pd.DataFrame
    mobile: pd.DataFrame
    regiopolen: pd.DataFrame

    @property
    def vintage(self) -> str:
        return str(self.municipalities["vintage"].iat[0])

    @property
    def first_vintage(self) -> str:
        return str(self.municipalities["first_vintage"].iat[0])

    @property
    def mobile_vintage(self) -> str:
        return str(self.mobile["vintage"].iat[0]) if len(self.mobile) else self.vintage


def analyse(region: Region, table: pd.DataFrame | None = None, regiopolen: pd.DataFrame | None = None,
            threshold: float | None = None, table_path: str | Path | None = None) -> Trends:
    """All tables for ``region``; ``threshold`` (gigabit share in %) defaults to Germany's newest value."""
    regiopolen = load_regiopolen() if regiopolen is None else regiopolen
    extra = list(regiopolen["ags"])
    table = load_broadband(table_path, keys=subset_keys(region, extra)) if table is None else table
    table = region_subset(table, region, extra)
    municipalities = municipalities_table(table, region)
    reference = reference_table(table, region, municipalities)
    if threshold is None:
        threshold, source = float(reference.set_index("unit").at["germany", "hh_1000"]), GERMANY_THRESHOLD
    else:
        threshold, source = float(threshold), "vorgegebene Schwelle"
    technology = comparison.technology_table(table, region)
    members = equality.with_population(municipalities, region)  # joined once for the four measures below
    return Trends(
        municipalities=municipalities, reference=reference, development=comparison.trend_table(table, region),
        technology=technology, technology_summary=comparison.technology_summary(technology, region),
        threshold=threshold, threshold_source=source,
        equality=equality.equality(members, region, threshold),
        size_classes=equality.size_class_table(members, region),
        kreise=equality.kreis_table(members, region, reference),
        lagging=equality.lagging_table(members, region, threshold),
        businesses=comparison.business_table(table, region), mobile=comparison.mobile_table(table, region),
        regiopolen=comparison.regiopolen_table(table, regiopolen))
