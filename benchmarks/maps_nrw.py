"""Benchmark: the region map for all 396 municipalities of North Rhine-Westphalia.

Builds the interactive choropleth map (join, classification, folium, inlined Leaflet,
rendering to one HTML page) for 396 polygons: generated (a seeded Voronoi tessellation
over NRW's bounding box, edges densified and bent so each polygon has about as many
vertices as simplified VG250 boundaries) or given (``--geojson`` with an ``ags`` property).
Targets: under 10 s to build and under 2 MB of HTML.

Run: ``.venv/bin/python benchmarks/maps_nrw.py [--geojson FILE] [--vertices N] [--repeat R] [--out FILE]``.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from regiopole.maps import build_layer, load_boundaries, region_map, render_html
from regiopole.maps.boundaries import Boundaries

TARGET_SECONDS = 10.0
TARGET_BYTES = 2_000_000
N_MUNICIPALITIES = 396
NRW_BBOX_LONLAT = (5.87, 50.32, 9.46, 52.53)


def generated_polygons(n: int, vertices: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """``n`` polygons tiling NRW's bounding box, about ``vertices`` vertices each, AGS ``05xxxxxx``."""
    bbox = gpd.GeoSeries([shapely.box(*NRW_BBOX_LONLAT)], crs=4326).to_crs(25832).iloc[0].envelope
    x0, y0, x1, y1 = bbox.bounds
    points = shapely.points(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n))
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=bbox).geoms
    cells = [shapely.intersection(c, bbox) for c in cells]
    spacing = np.mean([c.length for c in cells]) / vertices
    # the same bend for every vertex keeps shared vertices shared (a valid coverage)
    bend = lambda xy: np.column_stack([xy[:, 0] + 150 * np.sin(xy[:, 1] / 900), xy[:, 1] + 150 * np.cos(xy[:, 0] / 900)])  # noqa: E731
    geoms = shapely.transform(shapely.segmentize(np.array(cells), spacing), bend)
    ags = [f"05{i:06d}" for i in range(n)]
    return gpd.GeoDataFrame({"ags": ags, "name": [f"Gemeinde {i}" for i in range(n)]}, geometry=geoms, crs=25832).to_crs(4326)


def municipalities_for(polygons: gpd.GeoDataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A municipalities table (the columns of data/reference/municipalities.csv) for the polygons."""
    n = len(polygons)
    centre = polygons.to_crs(25832).representative_point().to_crs(4326)
    return pd.DataFrame({
        "name": polygons["name"].fillna(polygons["ags"]).to_numpy(), "ags": polygons["ags"].to_numpy(),
        "kreis": [f"Kreis {i // 12}" for i in range(n)],
        "population": np.round(rng.lognormal(9.8, 0.9, n)).astype("int64") + 500,
        "population_date": "2019-12-31", "area_km2": polygons.to_crs(25832).area.to_numpy() / 1e6,
        "central_place_tier": rng.choice(["Grundzentrum", "Mittelzentrum"], n, p=[0.7, 0.3]),
        "central_place_tier_verified": rng.choice(["yes", "no"], n), "lat": centre.y.to_numpy(), "lon": centre.x.to_numpy(),
    })


def indicator_tables(ags: pd.Series, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    index = rng.uniform(0.5, 3.5, len(ags)).round(2)
    inventory = pd.DataFrame({"ags": ags, "name": None, "maturity_index": index,
                              "index_low": (index - 0.3).clip(0), "index_high": (index + 0.3).clip(max=4)})
    participation = pd.DataFrame({"ags": ags, "name": None, "participated": rng.choice(["ja", "nein"], len(ags))})
    return inventory, participation


def build(municipalities: pd.DataFrame, boundaries: Boundaries | None, inventory, participation) -> str:
    """What the notebook does for one map: join, classify, build and render to HTML."""
    oberzentrum = municipalities.loc[municipalities["population"].idxmax(), "ags"]
    layer = build_layer(municipalities, oberzentrum, boundaries, inventory, participation)
    return render_html(region_map(layer, "maturity_index", title="Nordrhein-Westfalen (Benchmark)"))


def timed(repeat: int, *args) -> tuple[float, str]:
    best, html = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        html = build(*args)
        best = min(best, time.perf_counter() - start)
    return best, html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--geojson", type=Path, help="given polygons (GeoJSON with 'ags', WGS 84) instead of generated ones")
    parser.add_argument("--vertices", type=int, default=60, help="mean vertices per generated polygon")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, help="also write the HTML here")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    if args.geojson:
        boundaries = load_boundaries(args.geojson)
        polygons = boundaries.frame
    else:
        polygons = generated_polygons(N_MUNICIPALITIES, args.vertices, rng)
        boundaries = Boundaries(polygons, "Benchmark: generierte Polygone", Path("<generated>"))
    municipalities = municipalities_for(polygons, rng)
    inventory, participation = indicator_tables(municipalities["ags"], rng)
    vertices = int(shapely.get_num_coordinates(polygons.geometry.values).sum())
    seconds, html = timed(args.repeat, municipalities, boundaries, inventory, participation)
    size = len(html.encode("utf-8"))
    symbol_seconds, symbol_html = timed(args.repeat, municipalities, None, inventory, participation)
    if args.out:
        args.out.write_text(html, encoding="utf-8")
    print(f"{len(polygons)} polygons, {vertices:,} vertices ({'given' if args.geojson else 'generated'})")
    print(f"choropleth: built in {seconds:.2f} s (best of {args.repeat}), HTML {size / 1e6:.2f} MB")
    print(f"symbols:    built in {symbol_seconds:.2f} s, HTML {len(symbol_html.encode('utf-8')) / 1e6:.2f} MB")
    ok = seconds < TARGET_SECONDS and size < TARGET_BYTES
    print(f"targets < {TARGET_SECONDS:.0f} s and < {TARGET_BYTES / 1e6:.0f} MB: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
