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
from regiopole.maps.classify import Classes
from regiopole.maps.elements import (AccessibleFeatures, Attribution, FillPatterns, FitBounds, IndicatorSwitch, LayerSwitchA11y, Legend,
                                     LegendSection, MetricScale, Title, hatch_fill, symbol_rows_html)
from regiopole.maps.indicators import INDEX_MAX, INDICATORS, NO_DATA, indicator
from regiopole.maps.layers import DESTATIS_ATTRIBUTION, TOOLTIP_FIELDS, MapLayer, german_date
from regiopole.maps.offline import OfflineMap
from regiopole.maps.outline import ATTRIBUTION as OUTLINE_ATTRIBUTION
from regiopole.maps.outline import load_outline

LAYER_NAMES = {"maturity_index": "Reifegrad-Index", "population": "Einwohner", "participated": "Teilnahme an der Befragung",
               "hh_1000": "Gigabit-Versorgung (amtlich)"}
FEATURE_CLASS = "regiopole-municipality"
EDGE = "#4d4d4d"
TILES_ATTRIBUTION = "Hintergrund: © OpenStreetMap-Mitwirkende (ODbL)"
MAX_RADIUS = 28.0
#: Towns labelled on the region map besides the Oberzentrum: from this population on
#: (BBSR's lower bound of a "Mittelstadt").
LABEL_MIN_POPULATION = 20_000
#: Which tooltip field holds the value of each indicator (for the accessible names).
VALUE_FIELDS = {"maturity_index": "index_text", "population": "population_text", "participated": "participated_text",
                "hh_1000": "gigabit_text"}


def base_map(frame: gpd.GeoDataFrame, tiles: bool, page_title: str) -> OfflineMap:
    """An offline map fitted to the features; OpenStreetMap tiles as a switchable overlay when asked."""
    west, south, east, north = frame.total_bounds
    m = OfflineMap(location=[(south + north) / 2, (west + east) / 2], tiles=None, zoom_start=9, page_title=page_title)
    MetricScale().add_to(m)
    FitBounds([[float(south), float(west)], [float(north), float(east)]]).add_to(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", name="Hintergrundkarte (OpenStreetMap, online)", overlay=True,
                         control=True, attr="© OpenStreetMap-Mitwirkende").add_to(m)
    return m


def style_for(colour: str, radius: float, oberzentrum: bool, ags: str) -> dict:
    """Leaflet path style of one municipality (CSS classes name the AGS, for tests and styling)."""
    classes = f"{FEATURE_CLASS} ags-{ags}" + (" oberzentrum" if oberzentrum else "")
    return {"fill": True, "fillColor": colour, "fillOpacity": 0.85, "color": style.HIGHLIGHT if oberzentrum else EDGE,
            "weight": 3.5 if oberzentrum else 0.8, "radius": radius, "className": classes}


def feature_fills(classes: Classes) -> pd.Series:
    """Fill of each feature: its class colour, hatched for the hatched classes."""
    hatched = {label: hatch_fill(classes.color_of(label)) for label in classes.hatched}
    return classes.assigned.map(lambda label: hatched.get(label) or classes.color_of(label))


def legend_fill(classes: Classes, label: str) -> str:
    return hatch_fill(classes.color_of(label)) if label in classes.hatched else classes.color_of(label)


def accessible_names(frame: pd.DataFrame, name: str) -> list[str]:
    """What a screen reader says for each municipality while indicator ``name`` is shown."""
    field = VALUE_FIELDS[name]
    return [f"{row['name']} ({row['kreis']}{', Oberzentrum' if row['is_oberzentrum'] else ''}): "
            f"{LAYER_NAMES[name]} {row[field]}" for _, row in frame.iterrows()]


def place_labels(layer: MapLayer, radii: pd.Series | None) -> folium.FeatureGroup:
    """Names of the Oberzentrum and of the towns from LABEL_MIN_POPULATION inhabitants (not clickable)."""
    frame = layer.frame
    points = frame.geometry.representative_point() if layer.has_boundaries else frame.geometry
    shown = frame["is_oberzentrum"] | (frame["population"] >= LABEL_MIN_POPULATION)
    group = folium.FeatureGroup(name="Ortsnamen", overlay=True, control=False)
    for i in frame.index[shown]:
        major = (" major" if frame.at[i, "is_oberzentrum"] else "") + (" centred" if radii is None else "")
        offset = 70 if radii is None else -(float(radii[i]) + 3)  # centred in the polygon, or beside the circle
        folium.Marker([points[i].y, points[i].x], interactive=False, keyboard=False, icon=folium.DivIcon(
            html=f'<div class="regiopole-place-label{major}" aria-hidden="true">{html.escape(frame.at[i, "name"])}</div>',
            icon_size=(140, 16), icon_anchor=(offset, 8), class_name="regiopole-label")).add_to(group)
    return group


def municipality_layer(layer: MapLayer, fills: dict[str, pd.Series], shown: str, radii: pd.Series | None) -> folium.GeoJson:
    """All municipalities as one GeoJSON layer with tooltips, coloured by ``shown``.

    Every feature carries its colour for each indicator (``fill_<indicator>``), so switching
    the indicator restyles this one layer instead of repeating the geometry per indicator;
    coordinates are rounded to 1e-5° (about 1 m), which keeps the page small.
    """
    data = layer.frame[[*TOOLTIP_FIELDS, "ags", "is_oberzentrum", "geometry"]].assign(
        radius=radii if radii is not None else 0.0, **{f"fill_{name}": colours for name, colours in fills.items()},
        **{f"label_{name}": accessible_names(layer.frame, name) for name in fills})
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
    if name == "hh_1000":
        stand = ", ".join(sorted({german_date(d) for d in layer.frame["vintage"].dropna()}))
        return f"Amtliche Daten, Stand {stand}; Klassen fest in Schritten von 20 Prozentpunkten. {note}"
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
    return f'<div class="regiopole-legend-section"><h4>Punktfläche ∝ Einwohnerzahl</h4>{rows}</div>'


def oberzentrum_legend(layer: MapLayer) -> str:
    name = layer.frame.loc[layer.frame["is_oberzentrum"], "name"].iloc[0]
    return (f'<div class="row" style="margin-top:6px"><span class="swatch" style="background:#fff;'
            f'border:3px solid {style.HIGHLIGHT}"></span><span>Oberzentrum ({name}): dicker roter Ring, Name fett</span></div>')


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
    m = base_map(frame, tiles, f"Interaktive Karte: {title}")
    classes = {name: classify(frame[indicator(name).column], indicator(name)) for name in indicators}
    hatched = [c.color_of(label) for c in classes.values() for label in c.hatched]
    if hatched:
        FillPatterns(hatched).add_to(m)
    for name in indicators:  # the switch: empty base layers, one per indicator
        folium.FeatureGroup(name=LAYER_NAMES[name], overlay=False, show=name == shown).add_to(m)
    features = municipality_layer(layer, {n: feature_fills(c) for n, c in classes.items()}, shown, radii).add_to(m)
    AccessibleFeatures(features, f"label_{shown}").add_to(m)
    IndicatorSwitch(features, {LAYER_NAMES[n]: f"fill_{n}" for n in indicators},
                    {LAYER_NAMES[n]: f"label_{n}" for n in indicators}).add_to(m)
    place_labels(layer, radii).add_to(m)
    control = folium.LayerControl(collapsed=False, position="topright").add_to(m)
    LayerSwitchA11y(control).add_to(m)
    sections = [LegendSection(LAYER_NAMES[n], indicator(n).label,
                              [(legend_fill(c, label), label, count) for label, count in c.counts().items()],
                              legend_note(layer, n)) for n, c in classes.items()]
    extra = oberzentrum_legend(layer) + ("" if radii is None else symbol_legend(frame["population"]))
    Legend(sections, shown=LAYER_NAMES[shown], extra_html=extra).add_to(m)
    Attribution(layer.attributions + ([TILES_ATTRIBUTION] if tiles else [])).add_to(m)
    kind = "Gemeindegrenzen" if layer.has_boundaries else "Punkte an den Bezugspunkten der Gemeinden, Fläche nach Einwohnerzahl"
    note = f" {data_note}" if data_note else ""
    Title(title, f"{len(frame)} Gemeinden; {kind}. Ebenen oben rechts umschalten.{note}").add_to(m)
    return m


def lead_area_colours(areas: pd.Series) -> dict[str, str]:
    """One categorical colour per lead infrastructure area (first appearance order)."""
    unique = list(dict.fromkeys(areas))
    if len(unique) > len(style.PALETTE):
        raise ValueError(f"{len(unique)} lead areas, but the palette has {len(style.PALETTE)} distinct colours; "
                         "extend regiopole.style.PALETTE (and keep tests/test_style_palettes.py green)")
    return dict(zip(unique, style.PALETTE, strict=False))


def outline_layer(outline: gpd.GeoDataFrame) -> folium.GeoJson:
    """Germany and its Länder as a quiet, non-interactive background."""
    return folium.GeoJson(
        outline[["name", "geometry"]], name="Deutschland und Länder", control=False, interactive=False,
        style_function=lambda f: {"fillColor": "#ffffff", "fillOpacity": 1.0, "color": "#9a9a9a", "weight": 1,
                                  "className": "regiopole-outline"})


def network_map(regiopolen: pd.DataFrame, highlight_ags: str | None = None, tiles: bool = False,
                outline: gpd.GeoDataFrame | None = None) -> OfflineMap:
    """The Regiopole network on an outline of Germany and its Länder: the cities sized by
    population, coloured by their lead infrastructure area, the region's own city outlined."""
    cities = regiopolen.reset_index(drop=True)
    outline = load_outline() if outline is None else outline
    frame = gpd.GeoDataFrame(
        cities.assign(population_text=[f"{style.german_number(p)} ({german_date(d)})" for p, d in
                                       zip(cities["population"], cities["population_date"], strict=True)]),
        geometry=gpd.points_from_xy(cities["lon"], cities["lat"]), crs="EPSG:4326")
    colours = lead_area_colours(frame["lead_infrastructure_area"])
    own = frame["ags"].eq(highlight_ags)
    frame = frame.assign(fill=frame["lead_infrastructure_area"].map(colours), own=own,
                         radius=symbol_radii(frame["population"].astype(float), max_radius=18, min_radius=7),
                         label=[f"{n} ({land}): federführend für {a}; {p} Einwohner" + (" – diese Region" if o else "")
                                for n, land, a, p, o in zip(frame["name"], frame["land"], frame["lead_infrastructure_area"],
                                                            frame["population_text"], own, strict=True)])
    title = "Deutsches RegioPole-Netzwerk im Modellprojekt"
    m = base_map(outline, tiles, f"Interaktive Karte: {title}")
    outline_layer(outline).add_to(m)
    fields = {"name": "Stadt", "land": "Land", "population_text": "Einwohner", "lead_infrastructure_area": "Federführend für"}
    cities_layer = folium.FeatureGroup(name="Regiopole-Städte", overlay=True)
    markers = folium.GeoJson(
        frame[[*fields, "fill", "radius", "own", "label", "geometry"]],
        style_function=lambda f: {"fill": True, "fillColor": f["properties"]["fill"], "fillOpacity": 0.95,
                                  "color": style.HIGHLIGHT if f["properties"]["own"] else "#333333",
                                  "weight": 4 if f["properties"]["own"] else 1, "radius": f["properties"]["radius"],
                                  "className": "regiopole-city" + (" own" if f["properties"]["own"] else "")},
        marker=folium.CircleMarker(),
        tooltip=folium.GeoJsonTooltip(fields=list(fields), aliases=list(fields.values()), sticky=True),
    ).add_to(cities_layer)
    cities_layer.add_to(m)
    AccessibleFeatures(markers, "label").add_to(m)
    labels = folium.FeatureGroup(name="Städtenamen", overlay=True)
    for row in frame.itertuples():
        folium.Marker([row.lat, row.lon], interactive=False, keyboard=False, icon=folium.DivIcon(
            html=f'<div class="regiopole-city-label" aria-hidden="true">{html.escape(row.name)}</div>',
            icon_size=(120, 16), icon_anchor=(-(row.radius + 3), 8), class_name="regiopole-label")).add_to(labels)
    labels.add_to(m)
    control = folium.LayerControl(collapsed=False, position="topright").add_to(m)
    LayerSwitchA11y(control).add_to(m)
    entries = [(colours[a], f"{n}: {a}" + (" (diese Region, dicker roter Ring)" if o else ""), None)
               for n, a, o in zip(frame["name"], frame["lead_infrastructure_area"], frame["own"], strict=True)]
    note = "Punktfläche ∝ Einwohnerzahl. Jede Stadt ist im Modellprojekt federführend für einen Infrastrukturbereich."
    Legend([LegendSection("Regiopole-Städte", "Federführung je Infrastrukturbereich", entries, note)],
           shown="Regiopole-Städte").add_to(m)
    Attribution([DESTATIS_ATTRIBUTION, OUTLINE_ATTRIBUTION, "Infrastrukturbereiche: Präsentation des Modellprojekts"]
                + ([TILES_ATTRIBUTION] if tiles else [])).add_to(m)
    Title(title, f"{len(frame)} Städte in {frame['land'].nunique()} Ländern").add_to(m)
    return m
