"""Print maps (PNG and SVG via ``Report.save_figure``): one indicator per map, drawn with
geopandas/matplotlib in ETRS89 / UTM 32N so distances are true, with classed legend,
scale bar, north arrow ("Norden oben") and the data attribution."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from regiopole import style
from regiopole.maps.boundaries import WORK_CRS
from regiopole.maps.classify import classify, symbol_radii
from regiopole.maps.indicators import indicator
from regiopole.maps.interactive import EDGE, nice_floor
from regiopole.maps.layers import MapLayer

MAX_RADIUS_PT = 16.0
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def draw_polygons(ax: plt.Axes, frame, colours: pd.Series) -> None:
    frame.plot(ax=ax, color=colours.loc[frame.index].tolist(), edgecolor=EDGE, linewidth=0.5)
    frame[frame["is_oberzentrum"]].boundary.plot(ax=ax, color=style.HIGHLIGHT, linewidth=2.2)


def draw_symbols(ax: plt.Axes, frame, colours: pd.Series, radii: pd.Series) -> None:
    order = radii.sort_values(ascending=False).index  # small circles on top
    edge = [style.HIGHLIGHT if frame.at[i, "is_oberzentrum"] else EDGE for i in order]
    width = [2.2 if frame.at[i, "is_oberzentrum"] else 0.6 for i in order]
    ax.scatter(frame.geometry.x.loc[order], frame.geometry.y.loc[order], s=(2 * radii.loc[order]) ** 2,
               c=colours.loc[order].tolist(), edgecolors=edge, linewidths=width, zorder=3)


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
    handles = [Patch(facecolor=c, edgecolor=EDGE, linewidth=0.5, label=f"{label} ({counts[label]})")
               for label, c in zip(classes.labels, classes.colors, strict=True)]
    oz = layer.frame.loc[layer.frame["is_oberzentrum"], "name"].iloc[0]
    handles.append(Patch(facecolor="none", edgecolor=style.HIGHLIGHT, linewidth=2.2, label=f"Oberzentrum ({oz})"))
    first = ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                      fontsize=8, title_fontsize=9, alignment="left")
    if radii is None:
        return
    ax.add_artist(first)
    top = float(layer.frame["population"].max())
    refs = sorted({nice_floor(top), nice_floor(top / 5), nice_floor(top / 25)} - {0.0}, reverse=True)
    sizes = symbol_radii(pd.Series([*refs, top]), max_radius=MAX_RADIUS_PT).iloc[:-1]
    circles = [Line2D([], [], linestyle="", marker="o", markersize=2 * r, markerfacecolor="#bbbbbb",
                      markeredgecolor=EDGE, label=f"{style.german_number(v)} Einwohner") for r, v in zip(sizes, refs, strict=True)]
    ax.legend(handles=circles, title="Kreisfläche ∝ Einwohnerzahl", loc="lower left", bbox_to_anchor=(1.01, 0.15),
              frameon=False, fontsize=8, title_fontsize=9, labelspacing=2.2, borderpad=1.2, alignment="left")


def print_map(layer: MapLayer, name: str, title: str = "") -> plt.Figure:
    """A print map of indicator ``name`` for reports; save it with ``report.save_figure``."""
    ind = indicator(name)
    frame = layer.frame.to_crs(WORK_CRS)
    classes = classify(frame[ind.column], ind)
    colours = classes.feature_colors
    radii = None if layer.has_boundaries else symbol_radii(frame["population"], max_radius=MAX_RADIUS_PT)
    fig, ax = plt.subplots(figsize=(9, 7.5))
    if radii is None:
        draw_polygons(ax, frame, colours)
    else:
        draw_symbols(ax, frame, colours, radii)
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
    # minimal alt text (report.save_figure needs one); the maps-a11y branch writes the full one
    fig.alt_text = f"Karte: {title or ind.label} für {len(frame)} Kommunen; die Farbe zeigt die Klasse laut Legende."
    return fig
