"""The saved maps are single self-contained HTML files: no CDN, Leaflet and jQuery inlined."""

from __future__ import annotations

import json
import re
import warnings

import folium
import pytest
from branca.colormap import LinearColormap

from regiopole.data import load_regiopolen
from regiopole.maps import build_layer, network_map, region_map, render_html, save_map
from regiopole.maps import offline
from regiopole.maps.offline import OfflineMap, external_assets


@pytest.fixture(scope="module")
def region_html(region):
    layer = build_layer(region.municipalities, region.oberzentrum)
    return render_html(region_map(layer, "population", title=region.name))


def shows(html: str, text: str) -> bool:
    """``text`` occurs in the page, literally or JSON-escaped (folium escapes non-ASCII in scripts)."""
    return text in html or json.dumps(text)[1:-1] in html


def test_region_map_loads_nothing_from_elsewhere(region_html):
    assert external_assets(region_html) == []
    assert not re.search(r"cdn\.|cdnjs|code\.jquery\.com|bootstrap|font-?awesome|awesome-markers", region_html, re.IGNORECASE)
    assert "sourceMappingURL" not in region_html
    assert "Leaflet 1.9.3" in region_html and "jQuery v3.7.1" in region_html
    assert 'url("data:image/png;base64,' in region_html  # leaflet.css images inlined
    assert "L.Icon.Default.imagePath = ''" in region_html and 'iconUrl: "data:image/png;base64,' in region_html
    assert len(region_html.encode("utf-8")) < 600_000


def test_region_map_has_layers_tooltips_legend_and_attribution(region_html, region):
    for layer in ("Reifegrad-Index", "Einwohner", "Teilnahme an der Befragung"):
        assert f'"{layer}"' in region_html
    assert shows(region_html, "Zentralörtliche Stufe") and shows(region_html, "nicht amtlich geprüft")
    assert "regiopole-legend" in region_html and shows(region_html, "Oberzentrum (Paderborn)")
    assert "Statistisches Bundesamt (Destatis)" in region_html
    assert "GeoBasis-DE" not in region_html  # no boundaries used, so no BKG attribution
    assert region_html.count('"ags": "') == 29  # geometry embedded once, restyled per indicator
    for name in ("maturity_index", "population", "participated"):
        # a colour, or a pattern on a colour ("nein", "keine Angabe")
        assert region_html.count(f'"fill_{name}": "#') + region_html.count(f'"fill_{name}": "url(#') == 29


def test_network_map_is_self_contained_and_names_every_lead_area():
    cities = load_regiopolen()
    html = render_html(network_map(cities, highlight_ags="05774032"))
    assert external_assets(html) == []
    for name, area in zip(cities["name"], cities["lead_infrastructure_area"], strict=True):
        assert shows(html, name) and shows(html, area)


def test_elements_with_cdn_assets_are_refused(tmp_path):
    m = OfflineMap(location=[51.7, 8.7], tiles=None)
    LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(m)  # branca legends load d3 from a CDN
    with pytest.raises(ValueError, match="d3"):
        save_map(m, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_folium_itself_is_left_unchanged():
    OfflineMap(location=[0, 0], tiles=None).get_root().render()
    assert any("leaflet" in url for _, url in folium.Map.default_js)
    assert OfflineMap.default_js == [] and OfflineMap.default_css == []


def test_version_mismatch_is_an_error(monkeypatch):
    monkeypatch.setattr(offline.xleaflet, "VERSION", "1.7.1")
    with pytest.raises(RuntimeError, match="leaflet 1.7.1 installed, folium .* expects 1.9.3"):
        offline.check_versions()


def test_tiles_are_optional_decoration(region):
    layer = build_layer(region.municipalities, region.oberzentrum)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = render_html(region_map(layer, tiles=True))
    assert "tile.openstreetmap.org" in html and "OpenStreetMap-Mitwirkende" in html
    assert external_assets(html) == []


def test_same_map_same_bytes(region):
    layer = build_layer(region.municipalities, region.oberzentrum)
    first = render_html(region_map(layer, "population"))
    assert first == render_html(region_map(layer, "population"))
    assert first != render_html(region_map(layer, "participated"))


def test_rendering_twice_gives_the_same_page_with_one_legend(region):
    """Saving the map and then showing it in the notebook must not carry legends twice."""
    m = region_map(build_layer(region.municipalities, region.oberzentrum), "population", title="Test")
    first = render_html(m)
    shown_in_notebook = m._repr_html_()
    assert render_html(m) == first
    assert shown_in_notebook.count("Ebenen oben rechts") == first.count("Ebenen oben rechts") == 1
    assert "padding-bottom:85%" in shown_in_notebook
