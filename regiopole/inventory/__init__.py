"""Module 1, the inventory: the investigation matrix (Untersuchungsmatrix) of digital
applications, maturity scores per municipality and application, the Oberzentrum's role and
shared-service candidates.

Submodules: ``matrix`` (long form), ``wide`` (wide sheets), ``dashboard`` (Dashboard
Digitale Verwaltung exports), ``levels`` (Kreis inheritance), ``scoring`` (index and
bootstrap band), ``regional`` (availability, Oberzentrum, candidates), ``figures`` and
``summary`` (German tables and sentences for the report).
"""

from regiopole.inventory.dashboard import (DashboardImport, compare_with_dashboard, fill_from_dashboard, load_dashboard_exports,
                                           read_dashboard)
from regiopole.inventory.levels import Levels, effective_levels
from regiopole.inventory.matrix import MATRIX_FILE, UNKNOWN, load_matrix, read_matrix
from regiopole.inventory.regional import availability, gaps, oberzentrum_comparison, shared_service_candidates
from regiopole.inventory.scoring import bootstrap_index, category_scores, maturity_index, municipality_scores
from regiopole.inventory.wide import read_wide_matrix

__all__ = [
    "MATRIX_FILE", "UNKNOWN", "DashboardImport", "Levels", "availability", "bootstrap_index", "category_scores",
    "compare_with_dashboard", "effective_levels", "fill_from_dashboard", "gaps", "load_dashboard_exports", "load_matrix",
    "maturity_index", "municipality_scores", "oberzentrum_comparison", "read_dashboard", "read_matrix", "read_wide_matrix",
    "shared_service_candidates",
]
