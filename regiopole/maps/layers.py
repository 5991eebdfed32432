"""The data behind every map: the region's municipalities joined with the indicators and,
when given, their official boundaries, plus what did not match.

:func:`build_layer` never drops a row silently: indicator rows whose AGS is not a member of
the region are collected in ``MapLayer.unknown`` (and warned about), members without a
value in ``MapLayer.unmatched``, boundary features outside the region in ``extra_boundaries``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from regiopole import style
from regiopole.data import DataValidationError, Problem
from regiopole.maps.boundaries import Boundaries
from regiopole.maps.indicators import NO_DATA

DESTATIS_ATTRIBUTION = ("Einwohner: Zensus 2022, © Statistische Ämter des Bundes und der Länder, dl-de/by-2-0; "
                        "Lage: © Statistisches Bundesamt (Destatis), 2020, dl-de/by-2-0")
BROADBAND_ATTRIBUTION = "Breitband: Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur, Datenstand {stand}"
UNVERIFIED_TIER = "nicht amtlich geprüft"
#: Tooltip fields (feature property -> German heading).
TOOLTIP_FIELDS = {
    "name": "Gemeinde", "kreis": "Kreis", "population_text": "Einwohner", "tier_text": "Zentralörtliche Stufe",
    "index_text": "Reifegrad-Index", "participated_text": "Teilnahme an der Befragung",
    "gigabit_text": "Haushalte mit ≥ 1000 Mbit/s (amtlich)",
}


@dataclass
class MapLayer:
    """One row per region municipality (EPSG:4326; polygons or points) and the join report."""

    frame: gpd.GeoDataFrame
    oberzentrum: str
    has_boundaries: bool
    attributions: list[str]
    unknown: pd.DataFrame  # columns table, ags, name: rows of indicator tables outside the region
    unmatched: dict[str, list[str]] = field(default_factory=dict)  # indicator column -> member AGS without value
    extra_boundaries: list[str] = field(default_factory=list)  # boundary AGS outside the region (not drawn)
    available: dict[str, bool] = field(default_factory=dict)  # indicator column -> was its table given?

    @property
    def attribution(self) -> str:
        """All attributions in one line, for map footers."""
        return " | ".join(self.attributions)


def german_date(iso: str) -> str:
    """'2019-12-31' -> '31.12.2019'."""
    return pd.Timestamp(iso).strftime("%d.%m.%Y")


def tier_text(tier: str, verified: str) -> str:
    """Central-place tier; unverified estimates are marked as such."""
    return tier if verified == "yes" else f"{tier} ({UNVERIFIED_TIER})"


def gigabit_text(share: float, vintage: object) -> str:
    """'72 % (30.06.2021)' for the tooltip; missing values read as no data."""
    if pd.isna(share) or not isinstance(vintage, str):
        return NO_DATA
    return f"{style.german_number(share, 0)} % ({german_date(vintage)})"


def index_text(row: pd.Series) -> str:
    """'2,3 (1,9–2,7)' or 'keine Angabe'."""
    if pd.isna(row.get("maturity_index")):
        return NO_DATA
    text = style.german_number(row["maturity_index"], 1)
    if pd.notna(row.get("index_low")) and pd.notna(row.get("index_high")):
        text += f" ({style.german_number(row['index_low'], 1)}–{style.german_number(row['index_high'], 1)})"
    return text


def join_table(members: pd.DataFrame, table: pd.DataFrame | None, columns: list[str], label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Left-join ``columns`` of ``table`` onto the members by AGS; also return the table's rows outside the region."""
    if table is None:
        return members.assign(**{c: pd.NA for c in columns}), pd.DataFrame(columns=["table", "ags", "name"])
    joined = members.merge(table[["ags", *columns]], on="ags", how="left", validate="one_to_one")
    outside = table[~table["ags"].isin(members["ags"])]
    unknown = pd.DataFrame({"table": label, "ags": outside["ags"], "name": outside.get("name")})
    return joined, unknown.reset_index(drop=True)


def geometries(members: pd.DataFrame, boundaries: Boundaries | None) -> tuple[gpd.GeoSeries, list[str]]:
    """Polygons from the boundaries (every member must have one) or points at the reference coordinates."""
    if boundaries is None:
        return gpd.GeoSeries(gpd.points_from_xy(members["lon"], members["lat"]), index=members.index, crs="EPSG:4326"), []
    shapes = boundaries.frame.to_crs("EPSG:4326").set_index("ags").geometry
    missing = [a for a in members["ags"] if a not in shapes.index]
    if missing:
        raise DataValidationError(boundaries.source, [Problem(None, "ags", f"AGS {a} of the region has no polygon") for a in missing])
    extra = sorted(set(shapes.index) - set(members["ags"]))
    return gpd.GeoSeries(shapes.loc[members["ags"]].to_numpy(), index=members.index, crs="EPSG:4326"), extra


def build_layer(municipalities: pd.DataFrame, oberzentrum: str, boundaries: Boundaries | None = None,
                inventory: pd.DataFrame | None = None, participation: pd.DataFrame | None = None,
                broadband: pd.DataFrame | None = None) -> MapLayer:
    """Join the members with the inventory index, survey participation, broadband and (optional) boundaries."""
    members = municipalities.reset_index(drop=True)
    members, unknown_inv = join_table(members, inventory, ["maturity_index", "index_low", "index_high"], "inventory_index")
    members, unknown_part = join_table(members, participation, ["participated"], "survey_participation")
    members, unknown_bb = join_table(members, broadband, ["hh_1000", "vintage"], "trends_municipalities")
    for column in ("maturity_index", "index_low", "index_high", "population", "hh_1000"):
        members[column] = pd.to_numeric(members[column], errors="coerce").astype(float)
    members["participated"] = members["participated"].astype(object).where(members["participated"].notna(), None)
    members = members.assign(
        population_text=[f"{style.german_number(p)} ({german_date(d)})" for p, d in zip(members["population"], members["population_date"], strict=True)],
        tier_text=[tier_text(t, v) for t, v in zip(members["central_place_tier"], members["central_place_tier_verified"], strict=True)],
        index_text=members.apply(index_text, axis=1),
        participated_text=members["participated"].fillna(NO_DATA),
        gigabit_text=[gigabit_text(v, d) for v, d in zip(members["hh_1000"], members["vintage"], strict=True)],
        is_oberzentrum=members["ags"].eq(oberzentrum),
    )
    geometry, extra = geometries(members, boundaries)
    unknown = pd.concat([u for u in (unknown_inv, unknown_part, unknown_bb) if not u.empty] or [unknown_inv], ignore_index=True)
    if not unknown.empty:
        warnings.warn(f"{len(unknown)} indicator row(s) name an AGS outside the region and are not mapped: "
                      + ", ".join(f"{r.table}: {r.ags}" for r in unknown.itertuples()), stacklevel=2)
    attributions = [DESTATIS_ATTRIBUTION] + ([f"Verwaltungsgrenzen: {boundaries.attribution}"] if boundaries else [])
    if broadband is not None and broadband["vintage"].notna().any():
        stand = ", ".join(sorted({german_date(d)[3:] for d in broadband["vintage"].dropna()}))
        attributions.append(BROADBAND_ATTRIBUTION.format(stand=stand))
    return MapLayer(
        frame=gpd.GeoDataFrame(members, geometry=geometry, crs="EPSG:4326"),
        oberzentrum=oberzentrum, has_boundaries=boundaries is not None, attributions=attributions, unknown=unknown,
        unmatched={"maturity_index": members.loc[members["maturity_index"].isna(), "ags"].tolist(),
                   "participated": members.loc[members["participated"].isna(), "ags"].tolist(),
                   "hh_1000": members.loc[members["hh_1000"].isna(), "ags"].tolist()},
        extra_boundaries=extra,
        available={"maturity_index": inventory is not None, "participated": participation is not None, "population": True,
                   "hh_1000": broadband is not None},
    )
