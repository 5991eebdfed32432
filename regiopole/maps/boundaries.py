"""Official municipality boundaries: fetch them from BKG VG250 once, then load and check them.

:func:`fetch_boundaries` downloads the BKG archive "Verwaltungsgebiete 1:250 000"
(VG250, open data under dl-de/by-2-0), keeps the region's municipalities by AGS,
simplifies them in EPSG:25832 as one coverage (shared borders stay identical, no gaps or
overlaps), and writes a small GeoJSON into the git-ignored ``data/boundaries/``.
:func:`load_boundaries` reads such a file (or any GeoJSON with an ``ags`` property and an
attribution) and checks it; the maps put its attribution on every map that uses it.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from regiopole.data import DataValidationError, Problem, Region, load_region
from regiopole.data.ags import AGS_PATTERN
from regiopole.maps.download import download, sha256_of
from regiopole.paths import project_root, resolve
from regiopole.report import write_atomic

DEFAULT_URL = "https://daten.gdz.bkg.bund.de/produkte/vg/vg250_ebenen_0101/aktuell/vg250_01-01.utm32s.gpkg.ebenen.zip"
ATTRIBUTION = "© GeoBasis-DE / BKG ({year}), dl-de/by-2-0, Daten verändert"
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0), https://www.govdata.de/dl-de/by-2-0"
WORK_CRS = "EPSG:25832"
DEFAULT_TOLERANCE_M = 100.0
SHP_LAYER = re.compile(r"(^|/)vg250_gem\.shp$", re.IGNORECASE)
GPKG_LAYER = "vg250_gem"
LAND_AREA = 4  # VG250 attribute GF: 4 = land area with structure (2 = water)


@dataclass(frozen=True)
class Boundaries:
    """Municipality polygons (columns ``ags``, ``name``, EPSG:4326) with their attribution."""

    frame: gpd.GeoDataFrame
    attribution: str
    source: Path


def boundaries_dir() -> Path:
    """The git-ignored folder for downloaded boundaries."""
    return project_root() / "data" / "boundaries"


def default_output(region: Region) -> Path:
    """Where ``fetch-boundaries`` writes the boundaries of ``region``."""
    return boundaries_dir() / f"{region.source.stem}_municipalities.geojson"


# --- reading the VG250 archive --------------------------------------------------------------

def find_gem_layer(archive: Path, workdir: Path) -> tuple[str, str | None]:
    """GDAL path (and layer name) of the municipality layer inside a VG250 zip archive.

    Shapefiles are read from inside the zip; a GeoPackage is extracted into ``workdir``
    first (SQLite's random access through a compressed zip member is very slow).
    """
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        shapefiles = [n for n in names if SHP_LAYER.search(n)]
        if shapefiles:
            return f"/vsizip/{archive}/{shapefiles[0]}", None
        for name in (n for n in names if n.lower().endswith(".gpkg")):
            path = zf.extract(name, workdir)
            layers = {str(layer).lower(): str(layer) for layer in pyogrio.list_layers(path)[:, 0]}
            if GPKG_LAYER in layers:
                return path, layers[GPKG_LAYER]
    raise DataValidationError(archive, [Problem(None, None, "no municipality layer found: expected VG250_GEM.shp or a "
                                                "GeoPackage with layer vg250_gem (BKG VG250 'ebenen' archive); "
                                                f"the archive holds: {', '.join(names[:12])}")])


def read_municipalities(archive: Path, ags: list[str], workdir: Path) -> gpd.GeoDataFrame:
    """The land areas (GF = 4) of the wanted AGS from a VG250 archive, one row per AGS."""
    path, layer = find_gem_layer(archive, workdir)
    fields = {str(f).upper(): str(f) for f in pyogrio.read_info(path, layer=layer)["fields"]}
    missing = [f for f in ("AGS", "GEN") if f not in fields]
    if missing:
        raise DataValidationError(archive, [Problem(None, f, "attribute missing in the VG250 municipality layer") for f in missing])
    where = f"{fields['AGS']} IN ({', '.join(repr(a) for a in ags)})"
    frame = gpd.read_file(path, layer=layer, where=where, engine="pyogrio")
    frame = frame.rename(columns={v: k for k, v in fields.items()})
    if frame.crs is None:
        raise DataValidationError(archive, [Problem(None, None, "the municipality layer has no coordinate system")])
    if "GF" in frame:
        frame = frame[frame["GF"].astype(int) == LAND_AREA]
    frame = frame.assign(ags=frame["AGS"].astype(str).str.zfill(8), name=frame["GEN"].astype(str))
    return frame[["ags", "name", "geometry"]].dissolve(by="ags", aggfunc="first", as_index=False).sort_values("ags")


def archive_year(archive: Path) -> int:
    """Year of the data stand, taken from the newest member of the archive."""
    with zipfile.ZipFile(archive) as zf:
        return max(info.date_time[0] for info in zf.infolist())


# --- simplifying and writing ----------------------------------------------------------------

def simplify(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """Simplify as one coverage in EPSG:25832, then return WGS 84 with coordinates rounded to 1e-6°."""
    if not hasattr(shapely, "coverage_simplify"):
        raise RuntimeError(f"shapely {shapely.__version__} lacks coverage_simplify; install shapely>=2.1")
    work = frame.to_crs(WORK_CRS)
    if tolerance_m > 0:
        work = work.set_geometry(work.geometry.simplify_coverage(tolerance_m))
    out = work.to_crs("EPSG:4326")
    rounded = shapely.transform(out.geometry.values, lambda xy: np.round(xy, 6))
    keep = shapely.is_valid(rounded)  # rounding is ~0.1 m; keep the exact ring where it would break validity
    return out.set_geometry(np.where(keep, rounded, out.geometry.values), crs="EPSG:4326")


def feature_collection(frame: gpd.GeoDataFrame, meta: dict) -> str:
    """GeoJSON text (RFC 7946) with the attribution and provenance as top-level members."""
    data = json.loads(frame[["ags", "name", "geometry"]].to_json(drop_id=True))
    return json.dumps({"type": "FeatureCollection", **meta, "features": data["features"]}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def check_complete(frame: gpd.GeoDataFrame, region: Region, source: Path | str) -> None:
    """Raise unless every AGS of the region has a polygon."""
    missing = [a for a in region.ags if a not in set(frame["ags"])]
    if missing:
        raise DataValidationError(source, [Problem(None, "ags", f"AGS {a} ({region.name_of(a)}) of the region has no "
                                                    "polygon in the boundaries; use a current VG250 archive") for a in missing])


def fetch_boundaries(region: str | Path | Region | None = None, url: str = DEFAULT_URL, archive: str | Path | None = None,
                     out: str | Path | None = None, sha256: str | None = None, tolerance_m: float = DEFAULT_TOLERANCE_M,
                     year: int | None = None, retries: int = 3, timeout: float = 120.0, progress: bool = True) -> Path:
    """Build the region's boundary GeoJSON from BKG VG250 and return its path.

    ``archive``: a VG250 zip already on disk (no download); otherwise ``url`` is downloaded
    into a temporary folder, verified (zip integrity; ``sha256`` when given) and deleted
    afterwards. ``year`` is the data stand named in the attribution (default: the year of
    the newest archive member). The output is written atomically.
    """
    region = region if isinstance(region, Region) else load_region(region)
    target = resolve(out) if out else default_output(region)
    with tempfile.TemporaryDirectory(prefix="vg250-") as tmp:
        if archive is None:
            zip_path = download(url, Path(tmp) / url.rsplit("/", 1)[-1], sha256=sha256, retries=retries,
                                timeout=timeout, progress=progress)
            origin = url
        else:
            zip_path, origin = resolve(archive), str(archive)
            if sha256 and sha256_of(zip_path) != sha256.lower():
                raise DataValidationError(zip_path, [Problem(None, None, f"SHA-256 differs from {sha256}")])
        frame = read_municipalities(zip_path, region.ags, Path(tmp))
        check_complete(frame, region, zip_path)
        stand = year or archive_year(zip_path)
        digest = sha256_of(zip_path)
    frame = simplify(frame, tolerance_m)
    meta = {"name": f"{region.name}: Gemeinden", "attribution": ATTRIBUTION.format(year=stand), "licence": LICENCE,
            "source": f"BKG Verwaltungsgebiete 1:250 000 (VG250), Ebene Gemeinde, GF = 4; {origin}",
            "source_sha256": digest,
            "processing": f"AGS der Region ausgewählt, Flächen je AGS vereinigt, als Coverage vereinfacht "
                          f"(Toleranz {tolerance_m:g} m in {WORK_CRS}), nach WGS 84 umgerechnet"}
    text = feature_collection(frame, meta)
    return write_atomic(target, lambda tmp_file: tmp_file.write_text(text, encoding="utf-8"))


# --- loading --------------------------------------------------------------------------------

def attribution_of(data: dict, path: Path) -> str:
    """The attribution a boundaries file declares (BKG source strings are put in BKG's current form)."""
    if data.get("attribution"):
        return str(data["attribution"])
    source = str(data.get("source") or "")
    bkg = re.search(r"GeoBasis-DE\s*/\s*BKG\D*(\d{4})", source)
    if bkg:
        return ATTRIBUTION.format(year=bkg.group(1))
    raise DataValidationError(path, [Problem(None, "attribution", "no attribution found: add a top-level member "
                                             "\"attribution\" naming source, year and licence of the boundaries")])


def feature_problems(frame: gpd.GeoDataFrame) -> list[Problem]:
    """Problems of single features: AGS missing, malformed or repeated; geometry not a valid polygon."""
    problems = []
    ags = frame["ags"] if "ags" in frame else pd.Series([None] * len(frame))
    for i, (code, geom) in enumerate(zip(ags, frame.geometry, strict=True)):
        where = f"features[{i}]"
        if code is None or not re.match(AGS_PATTERN, str(code)):
            problems.append(Problem(None, f"{where}.properties.ags", f"expected an 8-digit AGS as text, got {code!r}"))
        if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(None, f"{where}.geometry", "expected a Polygon or MultiPolygon"))
        elif not geom.is_valid:
            problems.append(Problem(None, f"{where}.geometry", f"invalid polygon: {shapely.is_valid_reason(geom)}"))
    duplicated = sorted(set(ags[ags.duplicated()].dropna()))
    problems += [Problem(None, "ags", f"AGS {a} occurs in more than one feature") for a in duplicated]
    return problems


def load_boundaries(path: str | Path | None, region: Region | None = None) -> Boundaries | None:
    """Read and check a boundaries GeoJSON; with ``region``, every member AGS must be present.

    ``path=None`` (the notebook default: no boundaries) returns ``None``.
    """
    if path is None:
        return None
    path = resolve(path)
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "boundaries file not found; run `regiopole fetch-boundaries` "
                                                 "or set the notebook parameter boundaries = None")])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataValidationError(path, [Problem(None, None, f"not valid GeoJSON: {exc}")]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not data.get("features"):
        raise DataValidationError(path, [Problem(None, "type", "expected a GeoJSON FeatureCollection with features")])
    crs = str((data.get("crs") or {}).get("properties", {}).get("name", "CRS84"))
    if not re.search(r"CRS84|4326", crs):
        raise DataValidationError(path, [Problem(None, "crs", f"expected WGS 84 longitude/latitude (RFC 7946), got {crs}")])
    frame = gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")
    problems = feature_problems(frame)
    if problems:
        raise DataValidationError(path, problems)
    frame = frame.assign(ags=frame["ags"].astype(str))
    if "name" not in frame:
        frame["name"] = None
    boundaries = Boundaries(frame=frame[["ags", "name", "geometry"]], attribution=attribution_of(data, path), source=path)
    if region is not None:
        check_complete(boundaries.frame, region, path)
    return boundaries
