"""Map furniture built from Leaflet itself (no plugin, nothing to load): a classed legend that
follows the chosen layer, and the data attribution.

folium's own legends are branca colour scales, which load d3 from a CDN and cannot show
classes; these elements render as a plain Leaflet control and work offline.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

LEGEND_CSS = """
.leaflet-container { background: #f4f4f1; }
.regiopole-city-label { font: bold 12px "DejaVu Sans", Arial, sans-serif; color: #222; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.regiopole-box { background: rgba(255,255,255,0.92); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 12px/1.35 "DejaVu Sans", Arial, sans-serif; max-width: 290px; }
.regiopole-box h4 { margin: 0 0 4px; font-size: 13px; }
.regiopole-legend .row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.regiopole-legend .swatch { width: 16px; height: 12px; border: 1px solid #555; flex: none; }
.regiopole-legend .circle { border-radius: 50%; background: #bbb; border: 1px solid #555; flex: none; }
.regiopole-box .note { color: #444; margin-top: 4px; font-size: 11px; }
"""


@dataclass(frozen=True)
class LegendSection:
    """Legend of one layer: title, class entries (colour, label, count) and an optional note."""

    layer: str
    title: str
    entries: list[tuple[str, str, int | None]]
    note: str = ""


def section_html(section: LegendSection, visible: bool) -> str:
    """HTML of one legend section."""
    rows = "".join(
        f'<div class="row"><span class="swatch" style="background:{html.escape(colour)}"></span>'
        f"<span>{html.escape(label)}{'' if count is None else f' ({count})'}</span></div>"
        for colour, label, count in section.entries)
    note = f'<div class="note">{html.escape(section.note)}</div>' if section.note else ""
    style = "" if visible else ' style="display:none"'
    return (f'<div class="regiopole-legend-section" data-layer="{html.escape(section.layer)}"{style}>'
            f"<h4>{html.escape(section.title)}</h4>{rows}{note}</div>")


def symbol_rows_html(sizes: list[tuple[float, str]]) -> str:
    """Rows explaining proportional circles: (radius in pixels, label)."""
    return "".join(
        f'<div class="row"><span class="circle" style="width:{2 * r:.0f}px;height:{2 * r:.0f}px"></span>'
        f"<span>{html.escape(label)}</span></div>" for r, label in sizes)


class Legend(MacroElement):
    """A legend control; sections switch with the base layer (Leaflet ``baselayerchange``)."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'regiopole-box regiopole-legend');
            div.innerHTML = {{ this.body|tojson }};
            L.DomEvent.disableClickPropagation(div);
            map.on('baselayerchange', function (e) {
                div.querySelectorAll('.regiopole-legend-section').forEach(function (s) {
                    s.style.display = (s.dataset.layer === e.name) ? '' : 'none';
                });
            });
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, sections: list[LegendSection], shown: str, extra_html: str = "", position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.css = LEGEND_CSS
        self.position = position
        self.body = "".join(section_html(s, s.layer == shown) for s in sections) + extra_html


class MetricScale(MacroElement):
    """A scale bar in kilometres only (folium's ``control_scale`` also shows miles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class Attribution(MacroElement):
    """Adds the data sources to the map's attribution line (bottom right)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- for text in this.texts %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojson }});
        {%- endfor %}
        {% endmacro %}
    """)

    def __init__(self, texts: list[str]):
        super().__init__()
        self._name = "Attribution"
        self.texts = [html.escape(t) for t in texts]


class Title(MacroElement):
    """A title box at the top of the map."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'topright'});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'regiopole-box regiopole-title');
            div.innerHTML = {{ this.body|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self._name = "Title"
        self.css = LEGEND_CSS
        sub = f'<div class="note">{html.escape(subtitle)}</div>' if subtitle else ""
        self.body = f"<h4>{html.escape(title)}</h4>{sub}"


class IndicatorSwitch(MacroElement):
    """Recolours a GeoJSON layer when the base layer changes: fill colour from the feature
    property named for the chosen layer (``{layer name: property}``); outline and size stay."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var geo = {{ this.geojson.get_name() }};
            var keys = {{ this.keys|tojson }};
            var original = geo.options.style;
            {{ this._parent.get_name() }}.on('baselayerchange', function (e) {
                var key = keys[e.name];
                if (!key) { return; }
                geo.options.style = function (feature) {
                    var style = Object.assign({}, original(feature));
                    style.fillColor = feature.properties[key];
                    return style;
                };
                geo.setStyle(geo.options.style);
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, geojson: MacroElement, keys: dict[str, str]):
        super().__init__()
        self._name = "IndicatorSwitch"
        self.geojson = geojson
        self.keys = keys
