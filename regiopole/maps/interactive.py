"""Interactive maps (folium, self-contained): the region map and the Regiopole network map.

Region map: one switchable base layer per indicator (Leaflet layer control) that recolours
all municipalities, each with the same tooltip (name, Kreis, population, central-place tier,
inventory index, survey participation). With boundaries the layers are choropleths with
classed legends; without them, circles at the municipalities' reference coordinates whose
area is proportional to the population, coloured by the indicator. The Oberzentrum has a
red outline. Background tiles are optional; everything else works offline.
"""

from __future__ import annotations

import html
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from regiopole import style
from regiopole.maps.classify import classify, symbol_radii
from regiopole.maps.elements import Attribution, IndicatorSwitch, Legend, LegendSection, MetricScale, Title, symbol_rows_html
from regiopole.maps.indicators import INDEX_MAX, INDICATORS, NO_DATA, indicator
from regiopole.maps.layers import DESTATIS_ATTRIBUTION, TOOLTIP_FIELDS, MapLayer, german_date
from regiopole.maps.offline import OfflineMap

LAYER_NAMES = {"maturity_index": "Reifegrad-Index", "population": "Einwohner", "participated": "Teilnahme an der Befragung"}
FEATURE_CLASS = "regiopole-municipality"
EDGE = "#4d4d4d"
TILES_ATTRIBUTION = "Hintergrund: © OpenStreetMap-Mitwirkende (ODbL)"
MAX_RADIUS = 28.0


def base_map(frame: gpd.GeoDataFrame, tiles: bool) -> OfflineMap:
    """An offline map fitted to the features; OpenStreetMap tiles as a switchable overlay when asked."""
    west, south, east, north = frame.total_bounds
    m = OfflineMap(location=[(south + north) / 2, (west + east) / 2], tiles=None, zoom_start=9)
    MetricScale().add_to(m)
    # leave room for the layer control, title and legend on the right
    m.fit_bounds([[south, west], [north, east]], padding_top_left=(20, 20), padding_bottom_right=(320, 20))
    if tiles:
        folium.TileLayer("OpenStreetMap", name="Hintergrundkarte (OpenStreetMap, online)", overlay=True,
                         control=True, attr="© OpenStreetMap-Mitwirkende").add_to(m)
    return m


def style_for(colour: str, radius: float, oberzentrum: bool, ags: str) -> dict:
    """Leaflet path style of one municipality (CSS classes name the AGS, for tests and styling)."""
    classes = f"{FEATURE_CLASS} ags-{ags}" + (" oberzentrum" if oberzentrum else "")
    return {"fill": True, "fillColor": colour, "fillOpacity": 0.85, "color": style.HIGHLIGHT if oberzentrum else EDGE,
            "weight": 3.5 if oberzentrum else 0.8, "radius": radius, "className": classes}


def municipality_layer(layer: MapLayer, fills: dict[str, pd.Series], shown: str, radii: pd.Series | None) -> folium.GeoJson:
    """All municipalities as one GeoJSON layer with tooltips, coloured by ``shown``.

    Every feature carries its colour for each indicator (``fill_<indicator>``), so switching
    the indicator restyles this one layer instead of repeating the geometry per indicator;
    coordinates are rounded to 1e-5° (about 1 m), which keeps the page small.
    """
    data = layer.frame[[*TOOLTIP_FIELDS, "ags", "is_oberzentrum", "geometry"]].assign(
        radius=radii if radii is not None else 0.0, **{f"fill_{name}": colours for name, colours in fills.items()})
    data = data.set_geometry(shapely.transform(data.geometry.values, lambda xy: np.round(xy, 5)))
    if radii is not None:  # small circles on top of large ones
        data = data.sort_values("radius", ascending=False)
    key = f"fill_{shown}"
    return folium.GeoJson(
        data, name="Kommunen", control=False,
        style_function=lambda f: style_for(f["properties"][key], f["properties"]["radius"],
                                           f["properties"]["is_oberzentrum"], f["properties"]["ags"]),
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        marker=folium.CircleMarker() if radii is not None else None,
        tooltip=folium.GeoJsonTooltip(fields=list(TOOLTIP_FIELDS), aliases=list(TOOLTIP_FIELDS.values()), sticky=True),
    )


def legend_note(layer: MapLayer, name: str) -> str:
    """Short German note under a legend section: data stand, classing, missing data."""
    ind = INDICATORS[name]
    if name == "population":
        dates = sorted({german_date(d) for d in layer.frame["population_date"]})
        return f"Stand {', '.join(dates)}; Klassen nach Fisher-Jenks. Quelle: {ind.source}"
    if not layer.available.get(name):
        return f"{NO_DATA}: Ergebnis der {ind.source} liegt noch nicht vor."
    note = f"Quelle: {ind.source}"
    return note + (f"; Klassen fest auf der Skala 0–{INDEX_MAX}" if ind.bins else "")


def nice_floor(value: float) -> float:
    """Round down to one significant digit (151633 -> 100000)."""
    if value <= 0:
        return 0.0
    step = 10 ** math.floor(math.log10(value))
    return math.floor(value / step) * step


def symbol_legend(values: pd.Series) -> str:
    """Legend rows for proportional circles (three reference sizes)."""
    top = float(values.max())
    refs = sorted({nice_floor(top), nice_floor(top / 5), nice_floor(top / 25)} - {0.0}, reverse=True)
    radii = symbol_radii(pd.Series([*refs, top]), max_radius=MAX_RADIUS).iloc[:-1]
    rows = symbol_rows_html([(r, f"{style.german_number(v)} Einwohner") for r, v in zip(radii, refs, strict=True)])
    return f'<div class="regiopole-legend-section"><h4>Kreisfläche ∝ Einwohnerzahl</h4>{rows}</div>'


def oberzentrum_legend(layer: MapLayer) -> str:
    name = layer.frame.loc[layer.frame["is_oberzentrum"], "name"].iloc[0]
    return (f'<div class="row" style="margin-top:6px"><span class="swatch" style="background:#fff;'
            f'border:3px solid {style.HIGHLIGHT}"></span><span>Oberzentrum ({name})</span></div>')


def region_map(layer: MapLayer, shown: str = "maturity_index", indicators: tuple[str, ...] = tuple(INDICATORS),
               tiles: bool = False, title: str = "Regiopolregion", data_note: str = "") -> OfflineMap:
    """The region map: the indicators as switchable base layers (``shown`` first), one legend section each.

    ``data_note`` (e.g. the report's caption saying the index comes from example data) is
    shown in the title box, so a map passed on alone still says what it shows.
    """
    indicator(shown)
    if shown not in indicators:
        indicators = (shown, *indicators)
    frame = layer.frame
    radii = None if layer.has_boundaries else symbol_radii(frame["population"], max_radius=MAX_RADIUS)
    m = base_map(frame, tiles)
    classes = {name: classify(frame[indicator(name).column], indicator(name)) for name in indicators}
    for name in indicators:  # the switch: empty base layers, one per indicator
        folium.FeatureGroup(name=LAYER_NAMES[name], overlay=False, show=name == shown).add_to(m)
    features = municipality_layer(layer, {n: c.feature_colors for n, c in classes.items()}, shown, radii).add_to(m)
    IndicatorSwitch(features, {LAYER_NAMES[n]: f"fill_{n}" for n in indicators}).add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    sections = [LegendSection(LAYER_NAMES[n], indicator(n).label,
                              [(colour, label, count) for (label, count), colour in zip(c.counts().items(), c.colors, strict=True)],
                              legend_note(layer, n)) for n, c in classes.items()]
    extra = oberzentrum_legend(layer) + ("" if radii is None else symbol_legend(frame["population"]))
    Legend(sections, shown=LAYER_NAMES[shown], extra_html=extra).add_to(m)
    Attribution(layer.attributions + ([TILES_ATTRIBUTION] if tiles else [])).add_to(m)
    kind = "Gemeindegrenzen" if layer.has_boundaries else "Kreise an den Bezugspunkten der Gemeinden"
    note = f" {data_note}" if data_note else ""
    Title(title, f"{len(frame)} Gemeinden; {kind}. Ebenen oben rechts umschalten.{note}").add_to(m)
    return m


def network_map(regiopolen: pd.DataFrame, highlight_ags: str | None = None, tiles: bool = False) -> OfflineMap:
    """The Regiopole network: the cities across Germany, sized by population, with their lead infrastructure area."""
    cities = regiopolen.reset_index(drop=True)
    frame = gpd.GeoDataFrame(
        cities.assign(population_text=[f"{style.german_number(p)} ({german_date(d)})" for p, d in
                                       zip(cities["population"], cities["population_date"], strict=True)]),
        geometry=gpd.points_from_xy(cities["lon"], cities["lat"]), crs="EPSG:4326")
    colours = [style.HIGHLIGHT if a == highlight_ags else style.PALETTE[0] for a in frame["ags"]]
    frame = frame.assign(fill=colours, radius=symbol_radii(frame["population"].astype(float), max_radius=18, min_radius=6))
    m = base_map(frame.to_crs("EPSG:25832").buffer(60_000).to_crs("EPSG:4326").to_frame("geometry"), tiles)
    fields = {"name": "Stadt", "land": "Land", "population_text": "Einwohner", "lead_infrastructure_area": "Federführend für"}
    cities_layer = folium.FeatureGroup(name="Regiopole-Städte", overlay=True)
    folium.GeoJson(
        frame[[*fields, "fill", "radius", "geometry"]],
        style_function=lambda f: {"fill": True, "fillColor": f["properties"]["fill"], "fillOpacity": 0.9, "color": "#333333",
                                  "weight": 1, "radius": f["properties"]["radius"], "className": "regiopole-city"},
        marker=folium.CircleMarker(),
        tooltip=folium.GeoJsonTooltip(fields=list(fields), aliases=list(fields.values()), sticky=True),
    ).add_to(cities_layer)
    cities_layer.add_to(m)
    labels = folium.FeatureGroup(name="Städtenamen", overlay=True)
    for row in frame.itertuples():
        folium.Marker([row.lat, row.lon], icon=folium.DivIcon(
            html=f'<div class="regiopole-city-label">{html.escape(row.name)}</div>', icon_size=(120, 16), icon_anchor=(-12, 8),
            class_name="regiopole-label")).add_to(labels)
    labels.add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    entries = [(c, f"{n}: {a}", None) for c, n, a in zip(frame["fill"], frame["name"], frame["lead_infrastructure_area"], strict=True)]
    note = "Kreisfläche ∝ Einwohnerzahl. Jede Stadt ist im Modellprojekt federführend für einen Infrastrukturbereich."
    Legend([LegendSection("Regiopole-Städte", "Federführung je Infrastrukturbereich", entries, note)],
           shown="Regiopole-Städte").add_to(m)
    Attribution([DESTATIS_ATTRIBUTION, "Infrastrukturbereiche: Präsentation der Stadt Paderborn"]
                + ([TILES_ATTRIBUTION] if tiles else [])).add_to(m)
    Title("Deutsches RegioPole-Netzwerk im Modellprojekt", f"{len(frame)} Städte").add_to(m)
    return m
