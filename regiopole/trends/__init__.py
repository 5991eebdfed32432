"""Modul Entwicklungstrends: broadband availability 2018-2021 from the Breitbandatlas (official data).

Imports only the data layer and the shared output. The notebook ``03_trends`` is a report
over these functions; ``tables.municipalities_table`` and ``tables.reference_table`` are
the contract tables other reports read.
"""

from regiopole.trends import comparison, equality, figures, indicators, measures, narrative, sources, tables

__all__ = ["comparison", "equality", "figures", "indicators", "measures", "narrative", "sources", "tables"]
