"""The outline of Germany and its Länder for overview maps (the Regiopole network), from
BKG VG5000 (Stand 01.01.2021), simplified and shipped in ``data/reference/geo/``.

:func:`build_outline` derives the shipped file from the official GeoJSON (see
data/README.md); :func:`load_outline` reads it. A test rebuilds it from the source when the
source is at hand and compares the bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely

from regiopole.data import DataValidationError, Problem
from regiopole.paths import project_root
from regiopole.report import write_atomic

OUTLINE_FILE = Path("data/reference/geo/vg5000_laender_2021_simplified.geojson")
SOURCE_FILE = "vg5000_laender.geojson"
ATTRIBUTION = "Umriss Deutschland und Länder: © GeoBasis-DE / BKG (2021), Daten verändert, dl-de/by-2-0"
#: Douglas-Peucker tolerance in metres (ETRS89 / UTM 32N): invisible at the zoom of a map of Germany.
TOLERANCE_M = 1500.0
DECIMALS = 3  # about 100 m
LAENDER = 16


def build_outline(source_dir: str | Path) -> gpd.GeoDataFrame:
    """One simplified land polygon per Land (ARS, name) from the VG5000 ``Länder`` layer.

    The layer has land and water parts (coastal waters, Bodensee) as separate features with
    the same ARS; the land part is the largest feature of each ARS outside the Bodensee.
    """
    source = Path(source_dir) / SOURCE_FILE
    frame = gpd.read_file(source)
    missing = {"ARS", "GEN"} - set(frame.columns)
    if missing:
        raise DataValidationError(source, [Problem(None, c, "column missing (expected the VG5000 Länder layer)") for c in sorted(missing)])
    frame = frame[~frame["GEN"].str.contains("(Bodensee)", regex=False)].to_crs("EPSG:25832")
    land = frame.loc[frame.area.groupby(frame["ARS"]).idxmax()].sort_values("ARS")
    if len(land) != LAENDER:
        raise DataValidationError(source, [Problem(None, "ARS", f"{len(land)} Länder found, expected {LAENDER}")])
    geometry = land.geometry.simplify(TOLERANCE_M, preserve_topology=True).to_crs("EPSG:4326")
    geometry = shapely.set_precision(geometry.values, 10.0 ** -DECIMALS)  # snaps to the grid, stays valid
    return gpd.GeoDataFrame({"ars": land["ARS"].to_numpy(), "name": land["GEN"].to_numpy()}, geometry=geometry,
                            crs="EPSG:4326")


def outline_json(frame: gpd.GeoDataFrame) -> str:
    """The outline as compact GeoJSON text (same input, same bytes)."""
    data = json.loads(frame.to_json(drop_id=True))
    data.pop("crs", None)
    data["source"] = ATTRIBUTION
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_outline(source_dir: str | Path, path: str | Path | None = None) -> Path:
    """Build the outline from the VG5000 source and write it (default: the shipped file)."""
    target = Path(path) if path else project_root() / OUTLINE_FILE
    text = outline_json(build_outline(source_dir))
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def load_outline(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """The Länder outline shipped with the project (EPSG:4326; columns ars, name, geometry)."""
    source = Path(path) if path else project_root() / OUTLINE_FILE
    if not source.is_file():
        raise FileNotFoundError(f"{source}: outline of Germany missing; rebuild it with "
                                "regiopole.maps.outline.write_outline(<folder with vg5000_laender.geojson>)")
    frame = gpd.read_file(source)
    if {"ars", "name"} - set(frame.columns) or len(frame) != LAENDER:
        raise DataValidationError(source, [Problem(None, "ars", f"expected {LAENDER} Länder with columns ars and name")])
    return frame
