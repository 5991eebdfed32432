"""Regional maps: the region's municipalities and the Regiopole network, interactive
(folium, self-contained and offline) and in print (PNG/SVG), optionally on official
BKG VG250 boundaries.

Typical use in a notebook::

    layer = maps.build_layer(report.region.municipalities, report.region.oberzentrum,
                             boundaries, maps.load_inventory_index(path), maps.load_participation(path))
    m = maps.region_map(layer, "maturity_index")
    maps.save_map(m, maps_dir / "region_map.html")

This module reads other modules' results only through their published tables.
"""

from regiopole.maps.boundaries import Boundaries, fetch_boundaries, load_boundaries
from regiopole.maps.classify import Classes, classify, symbol_radii
from regiopole.maps.indicators import INDICATORS, indicator, load_broadband, load_inventory_index, load_participation
from regiopole.maps.interactive import network_map, region_map
from regiopole.maps.layers import MapLayer, build_layer
from regiopole.maps.offline import OfflineMap, render_html, save_map
from regiopole.maps.static import network_print_map, print_map

__all__ = [
    "INDICATORS", "Boundaries", "Classes", "MapLayer", "OfflineMap", "build_layer", "classify", "fetch_boundaries",
    "indicator", "load_boundaries", "load_broadband", "load_inventory_index", "load_participation", "network_map", "network_print_map",
    "print_map",
    "region_map", "render_html", "save_map", "symbol_radii",
]
