"""From the long-form matrix to level tables (municipalities x applications), with the
Kreis's offer inherited by its municipalities.

A municipality's *own* level is its own row of the matrix. The *Kreis* level is the row of
its Kreis (5-digit key). The *effective* level, what an inhabitant can use, is the higher
of the two known levels; when neither is known (``unbekannt`` or no row) it is unknown
(NaN), never 0. A cell is *inherited* where the Kreis level is known and higher than the
municipality's own level (or the own level is unknown).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from regiopole.data import Region
from regiopole.inventory.matrix import level_numbers


@dataclass(frozen=True)
class Levels:
    """Level tables, rows = member AGS (region order), columns = app_id (catalogue order);
    values 0-4 as floats, NaN = unknown or not recorded."""

    own: pd.DataFrame
    kreis: pd.DataFrame
    effective: pd.DataFrame

    @property
    def inherited(self) -> pd.DataFrame:
        """True where the effective level comes from the Kreis (higher than the own offer)."""
        return self.kreis.notna() & (self.own.isna() | (self.kreis > self.own))

    @property
    def unknown(self) -> pd.DataFrame:
        """True where the effective level is unknown."""
        return self.effective.isna()


def pivot(rows: pd.DataFrame, index: list[str], columns: list[str]) -> pd.DataFrame:
    """Rows (ags, app_id, number) -> table with the given row and column order (one row per cell)."""
    r = pd.Index(index).get_indexer(rows["ags"])
    c = pd.Index(columns).get_indexer(rows["app_id"])
    if (r < 0).any() or (c < 0).any():
        raise ValueError("matrix rows for AGS or applications outside the region or catalogue; validate the matrix with read_matrix first")
    if len(rows) and np.bincount(r * len(columns) + c).max() > 1:
        raise ValueError("a municipality and application occur twice in the matrix; validate the matrix with read_matrix first")
    table = np.full((len(index), len(columns)), np.nan)
    table[r, c] = rows["number"].to_numpy(dtype=float)
    return pd.DataFrame(table, index=pd.Index(index, name="ags"), columns=pd.Index(columns, name="app_id"))


def effective_levels(matrix: pd.DataFrame, region: Region, applications: pd.DataFrame) -> Levels:
    """Own, Kreis and effective level of every member and application.

    ``matrix`` is the validated long form (:func:`regiopole.inventory.matrix.read_matrix`).
    """
    members = region.ags
    app_ids = applications["app_id"].tolist()
    rows = pd.DataFrame({"ags": matrix["ags"].to_numpy(), "app_id": matrix["app_id"].to_numpy(),
                         "number": level_numbers(matrix["level"]).to_numpy()})
    is_kreis = rows["ags"].str.len().eq(5).to_numpy()
    own = pivot(rows[~is_kreis], members, app_ids)
    kreis_of_member = [a[:5] for a in members]
    by_kreis = pivot(rows[is_kreis], sorted(set(kreis_of_member)), app_ids)
    kreis = by_kreis.reindex(kreis_of_member).set_axis(own.index, axis=0)
    effective = pd.DataFrame(np.fmax(own.to_numpy(), kreis.to_numpy()), index=own.index, columns=own.columns)
    return Levels(own=own, kreis=kreis, effective=effective)


def level_distribution(levels: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """Share of cells at each level (0-4 and ``unbekannt``) per group of applications.

    ``groups`` maps app_id -> group label (e.g. Themenfeld); returns groups x levels.
    """
    cells = levels.melt(ignore_index=True, value_name="level")
    cells["group"] = cells["app_id"].map(groups)
    cells["level"] = cells["level"].astype("Int64").astype("string").fillna("unbekannt")
    table = pd.crosstab(cells["group"], cells["level"], normalize="index")
    return table.reindex(columns=["0", "1", "2", "3", "4", "unbekannt"], fill_value=0.0)
