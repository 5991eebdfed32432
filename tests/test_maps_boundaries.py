"""Fetching and loading official boundaries: a VG250-like archive built here, served over HTTP
on 127.0.0.1 (never the internet), plus validation of boundary files."""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from regiopole.data import DataValidationError
from regiopole.maps import build_layer, fetch_boundaries, load_boundaries
from regiopole.maps.boundaries import find_gem_layer
from regiopole.maps.cli import add_subcommands
from regiopole.maps.download import DownloadError, download

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "geo" / "owl_municipalities.geojson"
SHP_DIR = "vg250_01-01.utm32s.shape.ebenen/vg250_ebenen_0101"
CELL = 10_000.0
ORIGIN = (470_000.0, 5_690_000.0)  # EPSG:25832, around Paderborn
NEIGHBOURS = [f"0575400{i}" for i in range(1, 7)]
WATER = box(ORIGIN[0] - 3 * CELL, ORIGIN[1], ORIGIN[0] - 2 * CELL, ORIGIN[1] + CELL)  # far off: must be dropped (GF 2)


def wavy(geom):
    """Bend every vertex the same way (x, y) -> (x + f(y), y + g(x)): shared vertices stay shared."""
    return shapely.transform(geom, lambda xy: np.column_stack([xy[:, 0] + 80 * np.sin(xy[:, 1] / 300),
                                                               xy[:, 1] + 80 * np.cos(xy[:, 0] / 300)]))


def municipality_frame(ags_list: list[str], drop: str | None = None) -> gpd.GeoDataFrame:
    """A 6x6 grid coverage: the region's AGS, a second part for the first AGS, neighbours, one water area."""
    codes = [*ags_list, ags_list[0], *NEIGHBOURS]
    cells = [box(ORIGIN[0] + c * CELL, ORIGIN[1] + r * CELL, ORIGIN[0] + (c + 1) * CELL, ORIGIN[1] + (r + 1) * CELL)
             for r in range(6) for c in range(6)]
    geoms = [wavy(shapely.segmentize(cell, 250)) for cell in cells]
    rows = [{"AGS": a, "GEN": f"Gemeinde {a}", "GF": 4, "BEZ": "Stadt", "geometry": g} for a, g in zip(codes, geoms, strict=True)]
    rows.append({"AGS": ags_list[1], "GEN": "Wasser", "GF": 2, "BEZ": "Stadt", "geometry": WATER})
    frame = gpd.GeoDataFrame(rows, crs="EPSG:25832")
    return frame[frame["AGS"] != drop] if drop else frame


def build_archive(folder: Path, frame: gpd.GeoDataFrame, layout: str = "shape") -> Path:
    """A zip laid out like the BKG 'ebenen' archive (shapefile or GeoPackage)."""
    work = folder / f"build-{layout}"
    if layout == "shape":
        (work / SHP_DIR).mkdir(parents=True)
        frame.to_file(work / SHP_DIR / "VG250_GEM.shp", engine="pyogrio")
        members = sorted((work / SHP_DIR).iterdir())
    else:
        work.mkdir(parents=True)
        frame.to_file(work / "DE_VG250.gpkg", layer="vg250_gem", engine="pyogrio")
        frame.iloc[:2].to_file(work / "DE_VG250.gpkg", layer="vg250_krs", engine="pyogrio")
        members = [work / "DE_VG250.gpkg"]
    target = folder / f"vg250_{layout}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in members:
            inner = f"{SHP_DIR}/{path.name}" if layout == "shape" else f"vg250.gpkg.ebenen/{path.name}"
            zf.writestr(zipfile.ZipInfo(inner, date_time=(2024, 1, 1, 0, 0, 0)), path.read_bytes())
    return target


@pytest.fixture(scope="module")
def archive(tmp_path_factory, region):
    return build_archive(tmp_path_factory.mktemp("vg250"), municipality_frame(region.ags))


def test_fetch_downloads_filters_simplifies_and_writes_the_region(server, archive, region, tmp_path):
    server.files["/vg250.zip"] = archive.read_bytes()
    out = fetch_boundaries(region, url=server.url("vg250.zip"), out=tmp_path / "b" / "region.geojson", progress=False, retries=1)
    assert out == tmp_path / "b" / "region.geojson"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["attribution"] == "© GeoBasis-DE / BKG (2024), dl-de/by-2-0, Daten verändert"
    assert "dl-de/by-2-0" in data["licence"]
    b = load_boundaries(out, region)
    assert sorted(b.frame["ags"]) == sorted(region.ags)  # region only, one feature per AGS
    assert not set(NEIGHBOURS) & set(b.frame["ags"])
    first = b.frame.set_index("ags").geometry[region.ags[0]]
    assert first.geom_type == "MultiPolygon"  # two land parts dissolved into one feature
    water_east = gpd.GeoSeries([WATER], crs=25832).to_crs(4326).total_bounds[2]
    assert b.frame.set_index("ags").geometry[region.ags[1]].bounds[0] > water_east  # GF = 2 part dropped
    work = b.frame.to_crs(25832).geometry
    assert bool(shapely.coverage_is_valid(work.values))  # shared borders identical, no overlaps
    assert work.union_all().geom_type == "Polygon" and len(work.union_all().interiors) == 0  # no gaps
    source_vertices = shapely.get_num_coordinates(municipality_frame(region.ags).geometry.values[:29]).sum()
    assert shapely.get_num_coordinates(work.values).sum() < 0.75 * source_vertices  # simplified
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


def test_output_is_byte_stable(archive, region, tmp_path):
    a = fetch_boundaries(region, archive=archive, out=tmp_path / "a.geojson", progress=False)
    b = fetch_boundaries(region, archive=archive, out=tmp_path / "b.geojson", progress=False, year=2024)
    assert a.read_bytes() == b.read_bytes()
    assert a.stat().st_size < 100_000


def test_geopackage_archive_from_disk(tmp_path, region):
    gpkg = build_archive(tmp_path, municipality_frame(region.ags), layout="gpkg")
    assert find_gem_layer(gpkg, tmp_path / "x")[1] == "vg250_gem"
    out = fetch_boundaries(region, archive=gpkg, out=tmp_path / "g.geojson", progress=False, tolerance_m=0, year=2023)
    b = load_boundaries(out, region)
    assert len(b.frame) == 29 and "(2023)" in b.attribution


def test_missing_region_ags_fails_and_keeps_the_old_file(tmp_path, region):
    incomplete = build_archive(tmp_path, municipality_frame(region.ags, drop=region.ags[5]))
    out = tmp_path / "region.geojson"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(DataValidationError, match=f"AGS {region.ags[5]} \\({region.name_of(region.ags[5])}\\)"):
        fetch_boundaries(region, archive=incomplete, out=out, progress=False)
    assert out.read_text(encoding="utf-8") == "old"


def test_archive_without_municipality_layer(tmp_path, region):
    bad = tmp_path / "other.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(DataValidationError, match="VG250_GEM"):
        fetch_boundaries(region, archive=bad, out=tmp_path / "x.geojson", progress=False)


def test_download_retries_server_errors(server, archive, tmp_path):
    server.files["/vg250.zip"] = archive.read_bytes()
    server.fail_first = 2
    target = download(server.url("vg250.zip"), tmp_path / "a.zip", retries=3, backoff=0, progress=False)
    assert server.requests == 3
    assert target.read_bytes() == archive.read_bytes()


def test_truncated_download_fails_without_leaving_a_file(server, archive, tmp_path):
    server.files["/vg250.zip"] = archive.read_bytes()
    server.truncate = True
    with pytest.raises(DownloadError, match="after 2 attempt"):
        download(server.url("vg250.zip"), tmp_path / "a.zip", retries=2, backoff=0, progress=False)
    assert server.requests == 2
    assert list(tmp_path.iterdir()) == []


def test_checksum_mismatch_and_missing_file_are_not_retried(server, archive, tmp_path):
    server.files["/vg250.zip"] = archive.read_bytes()
    with pytest.raises(DownloadError, match="SHA-256"):
        download(server.url("vg250.zip"), tmp_path / "a.zip", sha256="0" * 64, retries=3, backoff=0, progress=False)
    with pytest.raises(DownloadError, match="404"):
        download(server.url("nothing.zip"), tmp_path / "a.zip", retries=3, backoff=0, progress=False)
    assert server.requests == 2
    assert list(tmp_path.iterdir()) == []


def test_cli_fetch_boundaries(server, archive, tmp_path, capsys):
    server.files["/vg250.zip"] = archive.read_bytes()
    parser = argparse.ArgumentParser()
    add_subcommands(parser.add_subparsers(dest="command"))
    out = tmp_path / "cli.geojson"
    args = parser.parse_args(["fetch-boundaries", "--url", server.url("vg250.zip"), "--out", str(out), "--quiet"])
    assert args.func(args) == 0
    assert capsys.readouterr().out.strip() == str(out)
    args = parser.parse_args(["fetch-boundaries", "--url", server.url("gone.zip"), "--out", str(tmp_path / "n.geojson"), "--quiet"])
    assert args.func(args) == 1
    assert "404" in capsys.readouterr().err


def write_geojson(path: Path, features: list, **members) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", **members, "features": features}), encoding="utf-8")
    return path


def feature(ags, geom) -> dict:
    return {"type": "Feature", "properties": {"ags": ags, "name": "x"}, "geometry": shapely.geometry.mapping(geom)}


def test_load_boundaries_reports_bad_features(tmp_path):
    bowtie = shapely.Polygon([(8, 51), (9, 52), (9, 51), (8, 52)])
    path = write_geojson(tmp_path / "b.geojson", [feature("5774032", box(8, 51, 9, 52)), feature("05774004", bowtie),
                                                  feature("05774008", box(8, 51, 9, 52)), feature("05774008", box(9, 51, 10, 52))],
                         attribution="x")
    with pytest.raises(DataValidationError) as err:
        load_boundaries(path)
    text = str(err.value)
    assert "features[0].properties.ags" in text and "'5774032'" in text
    assert "features[1].geometry': invalid polygon: Self-intersection" in text
    assert "AGS 05774008 occurs in more than one feature" in text


def test_load_boundaries_needs_file_attribution_and_every_region_ags(tmp_path, region):
    with pytest.raises(DataValidationError, match="fetch-boundaries"):
        load_boundaries(tmp_path / "none.geojson")
    (tmp_path / "broken.geojson").write_text("{", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid GeoJSON"):
        load_boundaries(tmp_path / "broken.geojson")
    plain = write_geojson(tmp_path / "p.geojson", [feature("05774032", box(8, 51, 9, 52))])
    with pytest.raises(DataValidationError, match="attribution"):
        load_boundaries(plain)
    legacy = write_geojson(tmp_path / "l.geojson", [feature("05774032", box(8, 51, 9, 52))],
                           source="© GeoBasis-DE / BKG 2013 (Daten verändert)")
    assert load_boundaries(legacy).attribution == "© GeoBasis-DE / BKG (2013), dl-de/by-2-0, Daten verändert"
    with pytest.raises(DataValidationError, match="AGS 05774004 \\(Altenbeken\\) of the region has no polygon"):
        load_boundaries(legacy, region)


@pytest.mark.skipif(not SHARED_GEO.is_file(), reason="shared reference boundaries not available")
def test_shared_owl_boundaries_cover_the_region(region):
    b = load_boundaries(SHARED_GEO, region)
    layer = build_layer(region.municipalities, region.oberzentrum, b)
    assert layer.has_boundaries and len(layer.frame) == 29
    assert layer.frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    assert len(layer.extra_boundaries) == len(b.frame) - 29
    assert any("GeoBasis-DE / BKG (2013)" in a for a in layer.attributions)
    names = dict(zip(b.frame["ags"], b.frame["name"], strict=True))
    assert all(names[a] == n for a, n in region.names().items())
