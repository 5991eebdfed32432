"""Print maps: legend, scale bar, north arrow, attribution; saved as PNG and SVG."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import geopandas as gpd
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from regiopole import report as reporting
from regiopole.maps import build_layer, print_map
from regiopole.maps.boundaries import Boundaries


def texts(fig: plt.Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(plt.Text))


def test_symbol_print_map_has_all_map_furniture(region):
    layer = build_layer(region.municipalities, region.oberzentrum)
    fig = print_map(layer, "population", title="Einwohner")
    ax = fig.axes[0]
    text = texts(fig)
    assert "Norden oben" in text and "N" in text
    assert "Statistisches Bundesamt (Destatis)" in text
    assert "EPSG:25832" in text
    smallest = f"{int(region.municipalities['population'].astype(int).min()):,} bis ".replace(",", ".")
    assert f"Oberzentrum ({region.oberzentrum_name})" in text and smallest in text
    assert "100.000 Einwohner" in text  # size legend of the proportional circles
    assert any(isinstance(a, AnchoredSizeBar) for a in ax.artists)
    assert len(ax.collections[0].get_offsets()) == 29
    plt.close(fig)


def test_choropleth_print_map_names_the_boundary_source_and_unknowns(region, tmp_path):
    squares = gpd.GeoSeries(gpd.points_from_xy(region.municipalities["lon"], region.municipalities["lat"]), crs=4326)
    frame = gpd.GeoDataFrame({"ags": region.ags, "name": region.municipalities["name"]},
                             geometry=squares.to_crs(25832).buffer(2000, cap_style="square").to_crs(4326))
    bkg = "© GeoBasis-DE / BKG (2024), dl-de/by-2-0, Daten verändert"
    layer = build_layer(region.municipalities, region.oberzentrum, Boundaries(frame, bkg, tmp_path))
    fig = print_map(layer, "maturity_index")
    text = texts(fig)
    assert bkg in " ".join(text.split()) and "keine Angabe (29)" in text  # the attribution may wrap
    assert sum(len(c.get_paths()) for c in fig.axes[0].collections) >= 29
    report = reporting.start("data/example", tmp_path / "out", show_banner=False)
    paths = report.save_figure(fig, "map_maturity_index", "Reifegrad-Index")
    assert [p.suffix for p in paths] == [".png", ".svg"] and all(p.stat().st_size > 10_000 for p in paths)
    plt.close(fig)
