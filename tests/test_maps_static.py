"""Print maps: legend, scale bar, north arrow, attribution; saved as PNG and SVG."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend
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
    assert "Statistisches Bundesamt (Destatis)" in " ".join(text.split())  # the attribution line may wrap
    assert "EPSG:25832" in text
    smallest = f"{int(region.municipalities['population'].astype(int).min()):,} bis ".replace(",", ".")
    assert f"Oberzentrum ({region.oberzentrum_name})" in text and smallest in text
    assert "100.000 Einwohner" in text  # size legend of the proportional circles
    assert any(isinstance(a, AnchoredSizeBar) for a in ax.artists)
    assert sum(len(c.get_offsets()) for c in ax.collections if len(c.get_facecolor())) == 29  # plus the ring of the Oberzentrum
    assert fig.alt_text.startswith("Karte „Einwohner“ der 29 Gemeinden") and "Paderborn ist mit einem dicken roten Ring markiert und fett beschriftet" in fig.alt_text
    plt.close(fig)


def test_participation_differs_by_hatching_not_only_colour(region):
    participation = pd.DataFrame({"ags": region.ags, "name": region.municipalities["name"],
                                  "participated": ["nein" if i % 3 == 0 else "ja" for i in range(len(region.ags))]})
    layer = build_layer(region.municipalities, region.oberzentrum, participation=participation)
    fig = print_map(layer, "participated")
    hatched = [c for c in fig.axes[0].collections if c.get_hatch()]
    assert sum(len(c.get_offsets()) for c in hatched) == (participation["participated"] == "nein").sum()
    legends = [a for a in fig.axes[0].artists if isinstance(a, Legend)]
    legend = {t.get_text(): h for lg in legends for t, h in zip(lg.get_texts(), lg.legend_handles, strict=True)}
    assert legend["nein (10)"].get_hatch() and not legend["ja (19)"].get_hatch()
    assert "nein: 10 (schraffiert)" in fig.alt_text
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


def test_network_print_map_shows_germany_every_city_and_its_lead_area(region):
    from regiopole.data import load_regiopolen
    from regiopole.maps import network_print_map
    from regiopole.style import HIGHLIGHT

    regiopolen = load_regiopolen()
    fig = network_print_map(regiopolen, region.oberzentrum)
    ax = fig.axes[0]
    text = " ".join(texts(fig).split())
    assert all(name in text for name in regiopolen["name"])
    assert all(" ".join(a.split()) in text for a in regiopolen["lead_infrastructure_area"])
    assert "GeoBasis-DE / BKG (2021)" in text and "(diese Region, dicker roter Ring)" in text and "Paderborn (diese Region)" in text
    cities = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(cities) == 8 and len({tuple(c.get_facecolor()[0]) for c in cities}) == 8
    assert sum(1 for c in cities if matplotlib.colors.to_hex(c.get_edgecolor()[0]) == HIGHLIGHT) == 1
    assert any(isinstance(a, AnchoredSizeBar) for a in ax.artists)
    assert fig.alt_text.startswith("Karte von Deutschland") and "Paderborn ist mit einem dicken roten Ring markiert und als „diese Region“ beschriftet" in fig.alt_text
    plt.close(fig)
