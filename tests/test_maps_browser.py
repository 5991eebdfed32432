"""The saved maps in headless Chromium, opened from disk with the network blocked.

Needs Debian's ``chromium`` (driven by Playwright through its executable path). Skipped
only when /usr/bin/chromium is absent outside CI; in CI (env ``CI`` set) it must run.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from regiopole.data import load_regiopolen
from regiopole.maps import build_layer, classify, indicator, network_map, region_map, save_map
from regiopole.maps.boundaries import Boundaries
from regiopole.maps.offline import OfflineMap
from regiopole.maps.elements import hatch_fill
from regiopole.maps.interactive import LABEL_MIN_POPULATION
from regiopole.style import HIGHLIGHT, PALETTE, PARTICIPATION_COLORS, UNKNOWN_COLOR

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI: /usr/bin/chromium is missing; .ci/run must install Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened from disk with every non-file request aborted and recorded."""

    def __init__(self, browser, path: Path, width: int = 1200, height: int = 850):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()


@pytest.fixture
def open_page(browser):
    pages = []

    def open_(path: Path, width: int = 1200, height: int = 850) -> Page:
        pages.append(Page(browser, path, width, height))
        return pages[-1]

    yield open_
    for p in pages:
        p.context.close()


def voronoi_boundaries(region) -> Boundaries:
    """Made-up polygons around the real reference points (a Voronoi tessellation), enough for a choropleth."""
    pts = gpd.GeoSeries(gpd.points_from_xy(region.municipalities["lon"], region.municipalities["lat"]), crs=4326).to_crs(25832)
    hull = pts.union_all().convex_hull.buffer(8000)
    cells = gpd.GeoSeries(list(shapely.voronoi_polygons(shapely.MultiPoint(list(pts)), extend_to=hull).geoms), crs=25832)
    cells = cells.intersection(hull)
    frame = gpd.GeoDataFrame({"ags": region.ags, "name": region.municipalities["name"]},
                             geometry=[cells[cells.contains(p)].iloc[0] for p in pts], crs=25832).to_crs(4326)
    return Boundaries(frame=frame, attribution="Testpolygone", source=Path("voronoi"))


def test_region_map_symbols_offline(open_page, region, tmp_path):
    layer = build_layer(region.municipalities, region.oberzentrum)
    page = open_page(save_map(region_map(layer, "population", title=region.name), tmp_path / "region_map.html"))
    features = page.page.locator("path.regiopole-municipality")
    assert features.count() == 29
    page.page.locator("path.ags-05774032").hover()
    tooltip = page.page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "Paderborn" in tooltip.inner_text() and "Oberzentrum" in tooltip.inner_text()
    legend = page.page.locator(".regiopole-legend")
    assert legend.is_visible() and "Einwohnerinnen und Einwohner" in legend.inner_text()
    assert "Statistisches Bundesamt" in page.page.locator(".leaflet-control-attribution").inner_text()
    assert page.errors == []
    assert page.external == []


def test_region_map_choropleth_switches_layers_and_legend(open_page, region, tmp_path):
    layer = build_layer(region.municipalities, region.oberzentrum, voronoi_boundaries(region))
    page = open_page(save_map(region_map(layer, "maturity_index"), tmp_path / "region_map.html"))
    assert page.page.locator("path.regiopole-municipality").count() == 29
    section = page.page.locator(".regiopole-legend-section:visible h4")
    assert section.first.inner_text() == "Reifegrad-Index (0–100)"
    paderborn = page.page.locator("path.ags-05774032")
    # no inventory table: keine Angabe, dotted on its colour (told apart without colour vision)
    assert paderborn.get_attribute("fill") == hatch_fill(UNKNOWN_COLOR)
    dots = page.page.locator(f"pattern#{hatch_fill(UNKNOWN_COLOR)[5:-1]}")
    assert dots.locator("circle").count() == 1 and dots.locator("line").count() == 0  # dots, not the lines of "nein"
    page.page.get_by_label("Einwohner", exact=True).check()
    assert section.first.inner_text() == "Einwohnerinnen und Einwohner"
    largest = classify(layer.frame["population"], indicator("population")).colors[-1]
    assert paderborn.get_attribute("fill") == largest
    assert paderborn.get_attribute("stroke") == HIGHLIGHT  # Oberzentrum outline kept
    paderborn.hover()
    page.page.locator(".leaflet-tooltip").wait_for(state="visible", timeout=5000)
    page.page.mouse.move(5, 400)  # mouse-out resets the style: it must keep the chosen indicator's colour
    assert paderborn.get_attribute("fill") == largest and paderborn.get_attribute("stroke") == HIGHLIGHT
    page.page.get_by_label("Teilnahme an der Befragung", exact=True).check()
    assert section.first.inner_text() == "Teilnahme an der Befragung"
    assert paderborn.get_attribute("fill") == hatch_fill(UNKNOWN_COLOR)
    assert page.page.locator("path.regiopole-municipality").count() == 29
    page.page.locator("path.ags-05762020").hover()  # Höxter
    page.page.locator(".leaflet-tooltip").wait_for(state="visible", timeout=5000)
    assert "keine Angabe" in page.page.locator(".leaflet-tooltip").inner_text()
    assert "Testpolygone" in page.page.locator(".leaflet-control-attribution").inner_text()
    assert page.errors == [] and page.external == []


def test_network_map_offline(open_page, region, tmp_path):
    regiopolen = load_regiopolen()
    page = open_page(save_map(network_map(regiopolen, region.oberzentrum), tmp_path / "regiopole_network.html"))
    cities = page.page.locator("path.regiopole-city")
    assert cities.count() == 8
    assert page.page.locator(".regiopole-city-label").count() == 8
    assert "Digitale Infrastruktur" in page.page.locator(".regiopole-legend").inner_text()
    assert page.page.locator("path.regiopole-outline").count() == 16  # Germany's Länder, from the page itself
    assert "GeoBasis-DE / BKG (2021)" in page.page.locator(".leaflet-control-attribution").inner_text()
    fills = {cities.nth(i).get_attribute("fill") for i in range(8)}
    assert fills == set(PALETTE[:8])  # one colour per lead area
    own = page.page.locator("path.regiopole-city.own")
    assert own.count() == 1 and own.get_attribute("stroke") == HIGHLIGHT
    names = [cities.nth(i).get_attribute("aria-label") for i in range(8)]
    assert sorted(n.split(" (")[0] for n in names) == sorted(regiopolen["name"])
    assert all("federführend für" in n for n in names)
    for i in range(8):  # every name right beside its circle, also straight after loading
        circle = cities.nth(i).bounding_box()
        label = page.page.locator(".regiopole-city-label", has_text=names[i].split(" (")[0]).bounding_box()
        assert abs(label["x"] - (circle["x"] + circle["width"])) < 8
        assert abs((label["y"] + label["height"] / 2) - (circle["y"] + circle["height"] / 2)) < 8
    assert page.errors == [] and page.external == []


def test_map_pages_are_german_titled_zoomable_with_german_controls(open_page, region, tmp_path):
    layer = build_layer(region.municipalities, region.oberzentrum)
    page = open_page(save_map(region_map(layer, "population", title=region.name), tmp_path / "region_map.html")).page
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.title() == f"Interaktive Karte: {region.name}"
    viewport = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "user-scalable" not in viewport and "maximum-scale" not in viewport
    assert page.get_by_role("button", name="Vergrößern").is_visible()
    assert page.get_by_role("button", name="Verkleinern").is_visible()
    assert page.locator(".leaflet-control-layers-toggle").get_attribute("title") == "Kartenebenen"
    assert page.locator("[title='Zoom in'], [aria-label='Zoom in'], [title='Layers']").count() == 0
    scale = page.locator(".leaflet-control-scale-line")
    assert scale.inner_text().endswith(" km")
    assert scale.evaluate("e => getComputedStyle(e).overflow") == "visible"  # the label may run past the bar


def test_features_have_accessible_names_and_open_their_tooltip_on_focus(open_page, region, tmp_path):
    layer = build_layer(region.municipalities, region.oberzentrum)
    page = open_page(save_map(region_map(layer, "population", title=region.name), tmp_path / "region_map.html")).page
    features = page.locator("path.regiopole-municipality")
    names = [features.nth(i).get_attribute("aria-label") for i in range(features.count())]
    assert sorted(n.split(" (")[0] for n in names) == sorted(region.municipalities["name"])
    own = region.municipalities.set_index("ags").loc[region.oberzentrum]
    population = f"{int(own['population']):,}".replace(",", ".")
    paderborn = page.get_by_role("img", name=f"{own['name']} ({own['kreis']}, Oberzentrum): Einwohner {population}", exact=False)
    assert paderborn.count() == 1 and paderborn.get_attribute("tabindex") == "0"
    paderborn.focus()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert "Paderborn" in tooltip.inner_text()
    page.get_by_label("Teilnahme an der Befragung", exact=True).check()  # the names follow the shown layer
    assert "Teilnahme an der Befragung keine Angabe" in page.locator("path.ags-05774032").get_attribute("aria-label")
    labels = page.locator(".regiopole-place-label")
    expected = region.municipalities[(region.municipalities["population"] >= LABEL_MIN_POPULATION)
                                      | region.municipalities["ags"].eq(region.oberzentrum)]
    assert labels.count() == len(expected) and page.locator(".regiopole-place-label.major").inner_text() == "Paderborn"


def test_participation_differs_by_pattern_as_well_as_colour(open_page, region, tmp_path):
    participation = pd.DataFrame({"ags": region.ags, "name": region.municipalities["name"],
                                  "participated": ["nein" if i % 3 == 0 else "ja" for i in range(len(region.ags))]})
    layer = build_layer(region.municipalities, region.oberzentrum, participation=participation)
    page = open_page(save_map(region_map(layer, "participated"), tmp_path / "region_map.html")).page
    no, yes = participation.loc[0, "ags"], participation.loc[1, "ags"]
    hatch = hatch_fill(PARTICIPATION_COLORS["nein"])
    assert page.locator(f"path.ags-{no}").get_attribute("fill") == hatch
    assert page.locator(f"path.ags-{yes}").get_attribute("fill") == PARTICIPATION_COLORS["ja"]
    pattern = page.locator(f"pattern#{hatch[5:-1]}")
    assert pattern.count() == 1 and pattern.locator("line").count() == 1
    swatch = page.locator(".regiopole-legend .swatch").first.evaluate("e => getComputedStyle(e).backgroundImage")
    assert "repeating-linear-gradient" in page.locator(".regiopole-legend").inner_html() and swatch is not None


def test_phone_layout_folds_legend_title_and_layer_switch(open_page, region, tmp_path):
    layer = build_layer(region.municipalities, region.oberzentrum)
    page = open_page(save_map(region_map(layer, "population", title=region.name), tmp_path / "region_map.html"),
                     width=390, height=760).page
    legend_button = page.get_by_role("button", name="Legende")
    assert legend_button.is_visible() and legend_button.get_attribute("aria-expanded") == "false"
    assert not page.locator(".regiopole-legend .regiopole-body").is_visible()
    assert not page.locator(".regiopole-title .regiopole-body").is_visible()
    assert "leaflet-control-layers-expanded" not in page.locator(".leaflet-control-layers").get_attribute("class")
    box = page.locator("path.ags-05774032").bounding_box()  # the region fills the phone screen, not a corner
    assert 40 < box["x"] < 350 and 100 < box["y"] < 700
    page.screenshot(path=str(tmp_path / "phone.png"))
    legend_button.click()
    assert legend_button.get_attribute("aria-expanded") == "true"
    assert page.locator(".regiopole-legend .regiopole-body").is_visible()
    page.locator(".leaflet-control-layers-toggle").click()
    assert page.get_by_label("Einwohner", exact=True).is_visible()


def test_notebook_iframe_has_a_title_and_hides_the_trust_note(open_page, region, tmp_path):
    m = network_map(load_regiopolen(), region.oberzentrum)
    host = tmp_path / "report.html"
    host.write_text(f'<!DOCTYPE html><html lang="de"><head><title>Bericht</title></head><body>{m._repr_html_()}</body></html>',
                    encoding="utf-8")
    page = open_page(host).page
    frame = page.locator("iframe")
    assert frame.get_attribute("title") == "Interaktive Karte: Deutsches RegioPole-Netzwerk im Modellprojekt"
    note = page.locator("span[aria-hidden=true]")
    assert "vertraut" in note.inner_text() and "Make this Notebook Trusted" not in page.content()
    inner = page.frame_locator("iframe")
    inner.locator("path.regiopole-city").first.wait_for(state="attached", timeout=5000)
    assert inner.locator("path.regiopole-city").count() == 8


def test_default_marker_icon_comes_from_the_page(open_page, tmp_path):
    import folium

    m = OfflineMap(location=[51.72, 8.76], zoom_start=10, tiles=None)
    folium.Marker([51.72, 8.76]).add_to(m)
    page = open_page(save_map(m, tmp_path / "marker.html"))
    icon = page.page.locator("img.leaflet-marker-icon")
    assert icon.get_attribute("src").startswith("data:image/png;base64,")
    assert icon.evaluate("img => img.complete && img.naturalWidth") == 25
    assert page.page.locator("img.leaflet-marker-shadow").evaluate("img => img.naturalWidth") == 41
    assert page.errors == [] and page.external == []


def test_tiles_fail_gracefully_offline(open_page, region, tmp_path):
    layer = build_layer(region.municipalities, region.oberzentrum)
    page = open_page(save_map(region_map(layer, tiles=True), tmp_path / "tiles.html"))
    assert page.page.locator("path.regiopole-municipality").count() == 29
    assert page.page.locator(".regiopole-legend").is_visible()
    assert page.external and all("tile.openstreetmap.org" in url for url in page.external)
    assert all("ERR_FAILED" in e or "Failed to load resource" in e for e in page.errors)  # only the blocked tiles
