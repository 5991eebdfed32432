"""Print maps (PNG and SVG via ``Report.save_figure``): one indicator per map, drawn with
geopandas/matplotlib in ETRS89 / UTM 32N so distances are true, with classed legend,
scale bar, north arrow ("Norden oben") and the data attribution."""

from __future__ import annotations

import textwrap

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from regiopole import style
from regiopole.maps.boundaries import WORK_CRS
from regiopole.maps.classify import classify, symbol_radii
from regiopole.maps.indicators import NO_DATA, indicator
from regiopole.maps.interactive import EDGE, lead_area_colours, nice_floor
from regiopole.maps.layers import DESTATIS_ATTRIBUTION, MapLayer
from regiopole.maps.outline import ATTRIBUTION as OUTLINE_ATTRIBUTION
from regiopole.maps.outline import load_outline

MAX_RADIUS_PT = 16.0
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


HATCH = "////"
#: "keine Angabe" gets a pattern of its own, so it differs from a hatched category (e.g. "nein") in greyscale too
NO_DATA_HATCH = "...."
#: The Oberzentrum's ring: thick, in the highlight colour, cased in white so that it stands apart
#: from any fill and from the background also in greyscale; its name is set in bold as well.
RING_WIDTH = 2.4
RING_CASING = [patheffects.withStroke(linewidth=RING_WIDTH + 2.6, foreground="white")]
RING_GAP = 2.5  # points between the Oberzentrum's circle and its ring
OBERZENTRUM_KEY = "dicker roter Ring, Name fett"


def hatch_of(label: str, classes) -> str | None:
    """The fill pattern of a legend class: none, or one that tells it apart without colour."""
    if label not in classes.hatched:
        return None
    return NO_DATA_HATCH if label == NO_DATA else HATCH


def draw_polygons(ax: plt.Axes, frame, colours: pd.Series, patterns: pd.Series) -> None:
    for hatch, part in frame.groupby(patterns.loc[frame.index].fillna("")):
        part.plot(ax=ax, color=colours.loc[part.index].tolist(), edgecolor=EDGE, linewidth=0.5, hatch=hatch or None)
    frame[frame["is_oberzentrum"]].boundary.plot(ax=ax, color=style.HIGHLIGHT, linewidth=RING_WIDTH,
                                                 path_effects=RING_CASING)


def draw_symbols(ax: plt.Axes, frame, colours: pd.Series, radii: pd.Series, patterns: pd.Series) -> None:
    order = radii.sort_values(ascending=False).index  # small circles on top
    for i in order:  # one by one: only single scatter calls can be hatched apart from the rest
        ax.scatter(frame.geometry.x[i], frame.geometry.y[i], s=(2 * radii[i]) ** 2, c=[colours[i]],
                   edgecolors=EDGE, linewidths=0.6, zorder=3, hatch=patterns[i])
    for i in frame.index[frame["is_oberzentrum"]]:  # a ring around the circle, apart from its fill by a white gap
        ax.scatter(frame.geometry.x[i], frame.geometry.y[i], s=(2 * (radii[i] + RING_GAP)) ** 2, facecolors="none",
                   edgecolors=style.HIGHLIGHT, linewidths=RING_WIDTH, zorder=3, path_effects=RING_CASING)


def label_places(ax: plt.Axes, frame, radii: pd.Series | None) -> None:
    """Municipality names in small type (beside the circle, or inside the polygon)."""
    anchor = frame.geometry.representative_point() if radii is None else frame.geometry
    for i, pt in anchor.items():
        dx = 0 if radii is None else radii.loc[i] + 2
        ax.annotate(frame.at[i, "name"], (pt.x, pt.y), xytext=(dx, 0), textcoords="offset points", fontsize=6.5,
                    ha="center" if radii is None else "left", va="center", path_effects=HALO, zorder=4,
                    fontweight="bold" if frame.at[i, "is_oberzentrum"] else "normal")


def add_north_arrow(ax: plt.Axes) -> None:
    ax.annotate("N", xy=(0.96, 0.97), xytext=(0.96, 0.87), xycoords="axes fraction", ha="center", va="center",
                fontsize=12, fontweight="bold", arrowprops={"facecolor": "black", "width": 3, "headwidth": 10})
    ax.text(0.96, 0.83, "Norden oben", transform=ax.transAxes, ha="center", va="top", fontsize=7)


def add_scale_bar(ax: plt.Axes) -> None:
    """Scale bar (metres in EPSG:25832) and a note on the projection."""
    x0, x1 = ax.get_xlim()
    length = nice_floor((x1 - x0) / 5)
    bar = AnchoredSizeBar(ax.transData, length, f"{style.german_number(length / 1000)} km", "lower right",
                          frameon=False, size_vertical=(x1 - x0) / 250, pad=0.4, fontproperties={"size": 8})
    ax.add_artist(bar)
    ax.text(0.0, -0.005, "Maßstab: siehe Balken; Projektion ETRS89 / UTM 32N (EPSG:25832)", transform=ax.transAxes,
            ha="left", va="top", fontsize=7, color="#444444")


def add_legends(ax: plt.Axes, layer: MapLayer, classes, title: str, radii: pd.Series | None) -> None:
    """Class legend (with the Oberzentrum) and, for symbols, a separate size legend below it."""
    counts = classes.counts()
    handles = [Patch(facecolor=c, edgecolor=EDGE, linewidth=0.5, label=f"{label} ({counts[label]})",
                     hatch=hatch_of(label, classes))
               for label, c in zip(classes.labels, classes.colors, strict=True)]
    oz = layer.frame.loc[layer.frame["is_oberzentrum"], "name"].iloc[0]
    handles.append(Patch(facecolor="white", edgecolor=style.HIGHLIGHT, linewidth=RING_WIDTH,
                         label=textwrap.fill(f"Oberzentrum ({oz}): {OBERZENTRUM_KEY}", 26)))
    first = ax.legend(handles=handles, title=textwrap.fill(title, 26), loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                      fontsize=8, title_fontsize=9, alignment="left")
    if radii is None:
        return
    ax.add_artist(first)
    top = float(layer.frame["population"].max())
    refs = sorted({nice_floor(top), nice_floor(top / 5), nice_floor(top / 25)} - {0.0}, reverse=True)
    sizes = symbol_radii(pd.Series([*refs, top]), max_radius=MAX_RADIUS_PT).iloc[:-1]
    circles = [Line2D([], [], linestyle="", marker="o", markersize=2 * r, markerfacecolor="#bbbbbb",
                      markeredgecolor=EDGE, label=f"{style.german_number(v)} Einwohner") for r, v in zip(sizes, refs, strict=True)]
    ax.legend(handles=circles, title="Punktfläche ∝ Einwohnerzahl", loc="lower left", bbox_to_anchor=(1.01, 0.15),
              frameon=False, fontsize=8, title_fontsize=9, labelspacing=2.2, borderpad=1.2, alignment="left")


def print_map(layer: MapLayer, name: str, title: str = "") -> plt.Figure:
    """A print map of indicator ``name`` for reports; save it with ``report.save_figure``."""
    ind = indicator(name)
    frame = layer.frame.to_crs(WORK_CRS)
    classes = classify(frame[ind.column], ind)
    colours = classes.feature_colors
    patterns = pd.Series([hatch_of(label, classes) for label in classes.assigned], index=classes.assigned.index, dtype=object)
    radii = None if layer.has_boundaries else symbol_radii(frame["population"], max_radius=MAX_RADIUS_PT)
    fig, ax = plt.subplots(figsize=(9, 7.5))
    if radii is None:
        draw_polygons(ax, frame, colours, patterns)
    else:
        draw_symbols(ax, frame, colours, radii, patterns)
        pad = (frame.total_bounds[2] - frame.total_bounds[0]) * 0.06
        west, south, east, north = frame.total_bounds
        ax.set_xlim(west - pad, east + pad)
        ax.set_ylim(south - pad, north + pad)
    label_places(ax, frame, radii)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title or ind.label)
    add_legends(ax, layer, classes, ind.label, radii)
    add_north_arrow(ax)
    add_scale_bar(ax)
    ax.text(0.0, -0.04, style.wrap_to_width("Daten: " + layer.attribution, fig, fig.get_figwidth() * ax.get_position().width, 6.5),
            transform=ax.transAxes, ha="left", va="top", fontsize=6.5, color="#444444")
    fig.alt_text = alt_text(layer, classes, title or ind.label, radii is None)
    return fig


def alt_text(layer: MapLayer, classes, title: str, polygons: bool) -> str:
    """German alt text of a print map: what it shows, how many municipalities per class, the Oberzentrum's class."""
    frame = layer.frame
    oz = frame.loc[frame["is_oberzentrum"]].index[0]
    form = "Gemeindeflächen" if polygons else "Punkte an den Gemeinden, Fläche nach Einwohnerzahl"
    pattern = {HATCH: " (schraffiert)", NO_DATA_HATCH: " (gepunktet)", None: ""}
    counts = "; ".join(f"{label}: {n}" + pattern[hatch_of(label, classes)] for label, n in classes.counts().items())
    return (f"Karte „{title}“ der {len(frame)} Gemeinden ({form}), jede mit ihrem Namen beschriftet. "
            f"Gemeinden je Klasse – {counts}. Das Oberzentrum {frame.at[oz, 'name']} ist mit einem dicken roten Ring "
            f"markiert und fett beschriftet; es liegt in der Klasse „{classes.assigned[oz]}“.")


def network_print_map(regiopolen: pd.DataFrame, highlight_ags: str | None = None, outline=None) -> plt.Figure:
    """The Regiopole network for print: the cities on the outline of Germany and its Länder,
    one colour per lead area, the region's own city outlined red (the interactive map's twin)."""
    land = (load_outline() if outline is None else outline).to_crs(WORK_CRS)
    cities = gpd.GeoDataFrame(regiopolen.reset_index(drop=True),
                              geometry=gpd.points_from_xy(regiopolen["lon"], regiopolen["lat"]), crs="EPSG:4326").to_crs(WORK_CRS)
    colours = lead_area_colours(cities["lead_infrastructure_area"])
    radii = symbol_radii(cities["population"].astype(float), max_radius=11.0, min_radius=5.0)
    fig, ax = plt.subplots(figsize=(8, 9))
    land.plot(ax=ax, color="white", edgecolor="#9a9a9a", linewidth=0.6)
    own = cities["ags"].eq(highlight_ags)
    for i, row in cities.iterrows():  # every city is named on the map, so the legend's areas need no colour matching
        ax.scatter(row.geometry.x, row.geometry.y, s=(2 * radii[i]) ** 2, c=[colours[row["lead_infrastructure_area"]]],
                   edgecolors=style.HIGHLIGHT if own[i] else "#333333", linewidths=RING_WIDTH if own[i] else 0.6,
                   zorder=3, path_effects=RING_CASING if own[i] else None)
        ax.annotate(row["name"] + (" (diese Region)" if own[i] else ""), (row.geometry.x, row.geometry.y),
                    xytext=(radii[i] + 3, 0), textcoords="offset points",
                    fontsize=8, fontweight="bold", va="center", path_effects=HALO, zorder=4)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_facecolor("#f4f4f1")
    ax.set_title("Deutsches RegioPole-Netzwerk im Modellprojekt")
    handles = [Patch(facecolor=colours[a], edgecolor=style.HIGHLIGHT if o else EDGE, linewidth=2 if o else 0.5,
                     label=textwrap.fill(f"{n}: {a}" + (" (diese Region, dicker roter Ring)" if o else ""), 48))
               for n, a, o in zip(cities["name"], cities["lead_infrastructure_area"], own, strict=True)]
    ax.legend(handles=handles, title="Federführung je Infrastrukturbereich", loc="upper left", bbox_to_anchor=(0.0, -0.09),
              frameon=False, fontsize=8, title_fontsize=9, alignment="left", ncol=2)
    add_scale_bar(ax)
    ax.text(0.0, -0.04, style.wrap_to_width(f"Daten: {DESTATIS_ATTRIBUTION} | {OUTLINE_ATTRIBUTION}", fig,
                                            fig.get_figwidth() * ax.get_position().width, 6.5),
            transform=ax.transAxes, ha="left", va="top", fontsize=6.5, color="#444444")
    areas = "; ".join(f"{n}: {a}" for n, a in zip(cities["name"], cities["lead_infrastructure_area"], strict=True))
    own_name = cities.loc[own, "name"]
    fig.alt_text = (f"Karte von Deutschland mit den Ländergrenzen und den {len(cities)} Städten des Regiopole-Netzwerks, "
                    f"jede als farbiger Punkt (Fläche nach Einwohnerzahl) mit ihrem Namen; die Farbe steht für den "
                    f"Infrastrukturbereich, für den die Stadt federführend ist – {areas}."
                    + (f" {own_name.iloc[0]} ist mit einem dicken roten Ring markiert und als „diese Region“ beschriftet."
                       if not own_name.empty else ""))
    return fig
