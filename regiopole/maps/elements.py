"""Map furniture built from Leaflet itself (no plugin, nothing to load): a classed legend that
follows the chosen layer, the data attribution, German controls, fill patterns, place
labels, and what makes a map usable with a keyboard, a screen reader and on a phone.

On screens up to ``PHONE_WIDTH`` pixels wide the title box, the legend and the layer
switch start collapsed behind a button each, so they do not cover the map.

folium's own legends are branca colour scales, which load d3 from a CDN and cannot show
classes; these elements render as a plain Leaflet control and work offline.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from branca.element import MacroElement
from jinja2 import Template

from regiopole import style

PHONE_WIDTH = 600
PHONE_QUERY = f"(max-width: {PHONE_WIDTH}px)"
HATCH_ID = "regiopole-hatch"
HATCH_INK = "#333333"
#: Fills patterned with dots instead of lines: "keine Angabe", so that it differs from a hatched
#: category (e.g. participation "nein") without colour, as in the print maps
DOTTED = (style.UNKNOWN_COLOR.lower(),)

LEGEND_CSS = """
.leaflet-container { background: #f4f4f1; }
.leaflet-control-scale-line { overflow: visible; white-space: nowrap; }
.leaflet-control-attribution { font-size: 11px; max-width: calc(100vw - 180px); }
.regiopole-city-label, .regiopole-place-label { font: 11px "DejaVu Sans", Arial, sans-serif; color: #222;
  white-space: nowrap; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.regiopole-place-label.centred { text-align: center; }
.regiopole-city-label, .regiopole-place-label.major { font-weight: bold; font-size: 12px; }
.regiopole-box { background: rgba(255,255,255,0.94); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); font: 12px/1.35 "DejaVu Sans", Arial, sans-serif; max-width: 290px; }
.regiopole-box h4 { margin: 0 0 4px; font-size: 13px; }
.regiopole-legend .row { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
.regiopole-legend .swatch { width: 16px; height: 12px; border: 1px solid #555; flex: none; }
.regiopole-legend .circle { border-radius: 50%; background: #bbb; border: 1px solid #555; flex: none; }
.regiopole-box .note { color: #444; margin-top: 4px; font-size: 11px; }
.regiopole-toggle { display: none; font: bold 13px "DejaVu Sans", Arial, sans-serif; background: none; border: 0;
  padding: 4px 0; min-height: 24px; cursor: pointer; color: #111; text-align: left; }
.regiopole-toggle::after { content: " \\25BE"; }
.regiopole-collapsed .regiopole-toggle::after { content: " \\25B8"; }
.leaflet-interactive:focus { outline: 3px solid #000; outline-offset: 1px; }
@media (max-width: 600px) {
  .regiopole-toggle { display: block; }
  .regiopole-collapsed .regiopole-body { display: none; }
  .regiopole-box { max-width: 210px; }
  .regiopole-place-label:not(.major) { display: none; }
  .leaflet-control-attribution { font-size: 10px; max-width: 100vw; }
}
"""

#: Script of a collapsible box: a toggle button, collapsed at first on phone screens.
COLLAPSIBLE_JS = """
function regiopoleCollapsible(div, label, body) {
    div.innerHTML = '<button type="button" class="regiopole-toggle" aria-expanded="true"></button>'
        + '<div class="regiopole-body"></div>';
    var button = div.firstChild;
    button.textContent = label;
    div.lastChild.innerHTML = body;
    function set(open) {
        div.classList.toggle('regiopole-collapsed', !open);
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    button.addEventListener('click', function () { set(div.classList.contains('regiopole-collapsed')); });
    set(!window.matchMedia(%s).matches);
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
}
""" % repr(PHONE_QUERY)


@dataclass(frozen=True)
class LegendSection:
    """Legend of one layer: title, class entries (colour, label, count) and an optional note."""

    layer: str
    title: str
    entries: list[tuple[str, str, int | None]]
    note: str = ""


def hatch_fill(colour: str) -> str:
    """The SVG fill value "``colour`` hatched" (defined on the page by :class:`FillPatterns`)."""
    return f"url(#{HATCH_ID}-{colour.lstrip('#').lower()})"


def hatch_base(fill: str) -> str | None:
    """The base colour of a :func:`hatch_fill` value, else None."""
    prefix = f"url(#{HATCH_ID}-"
    return f"#{fill[len(prefix):-1]}" if fill.startswith(prefix) else None


def swatch_css(fill: str) -> str:
    """CSS background of a legend swatch; hatched fills get hatched swatches."""
    base = hatch_base(fill)
    if base is None:
        return f"background:{fill}"
    if base.lower() in DOTTED:
        return f"background:radial-gradient(circle,{HATCH_INK} 1.2px,transparent 1.6px) 0 0/5px 5px,{base}"
    return f"background:repeating-linear-gradient(45deg,{HATCH_INK} 0 1.5px,{base} 1.5px 5px)"


def section_html(section: LegendSection, visible: bool) -> str:
    """HTML of one legend section."""
    rows = "".join(
        f'<div class="row"><span class="swatch" style="{html.escape(swatch_css(colour))}"></span>'
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
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style><script>{{ this.js }}</script>{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'regiopole-box regiopole-legend');
            div.setAttribute('role', 'region');
            div.setAttribute('aria-label', 'Legende');
            regiopoleCollapsible(div, 'Legende', {{ this.body|tojson }});
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
        self.js = COLLAPSIBLE_JS
        self.position = position
        self.body = "".join(section_html(s, s.layer == shown) for s in sections) + extra_html


class MetricScale(MacroElement):
    """A scale bar in kilometres only (folium's ``control_scale`` also shows miles); the label
    may run past the bar (CSS) so "50 km" is never cut. On phones it sits top left, clear of
    the attribution, which takes the whole bottom line there."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 150,
                         position: window.matchMedia({{ this.query|tojson }}).matches ? 'topleft' : 'bottomleft'})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"
        self.query = PHONE_QUERY


class FitBounds(MacroElement):
    """Fits the map to ``bounds`` ([[south, west], [north, east]]), leaving room on the right
    for the legend and switch on wide screens; on phones (boxes folded) only a small margin.
    Without animation: the page is complete once loaded (screenshots, print, screen readers)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }},
            window.matchMedia({{ this.query|tojson }}).matches
                ? {padding: [12, 12], animate: false}
                : {paddingTopLeft: [20, 20], paddingBottomRight: [{{ this.right }}, 20], animate: false});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], right: int = 320):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.right = right
        self.query = PHONE_QUERY


class GermanZoom(MacroElement):
    """Leaflet's zoom buttons with German names (title and accessible name)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.zoom({zoomInTitle: 'Vergrößern', zoomOutTitle: 'Verkleinern'}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "GermanZoom"


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
    """A title box at the top of the map (on phones: the title as a button, the rest folded)."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style><script>{{ this.js }}</script>{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'topright'});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'regiopole-box regiopole-title');
            div.setAttribute('role', 'region');
            div.setAttribute('aria-label', {{ this.title|tojson }});
            regiopoleCollapsible(div, {{ this.title|tojson }}, {{ this.body|tojson }});
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self._name = "Title"
        self.css = LEGEND_CSS
        self.js = COLLAPSIBLE_JS
        self.title = title
        sub = f'<div class="note">{html.escape(subtitle)}</div>' if subtitle else ""
        self.body = f"<h4>{html.escape(title)}</h4>{sub}"


class LayerSwitchA11y(MacroElement):
    """Gives the layer switch a German name and folds it on phones (tap the button to open)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var control = {{ this.control.get_name() }};
            var map = {{ this._parent.get_name() }};
            var box = control.getContainer();
            box.setAttribute('role', 'region');
            box.setAttribute('aria-label', 'Kartenebenen');
            var toggle = box.querySelector('.leaflet-control-layers-toggle');
            toggle.title = 'Kartenebenen';
            toggle.setAttribute('aria-label', 'Kartenebenen ein- und ausblenden');
            if (window.matchMedia({{ this.query|tojson }}).matches) {
                control.collapse();
                map.on('click', function () { control.collapse(); });
            }
        })();
        {% endmacro %}
    """)

    def __init__(self, control: MacroElement):
        super().__init__()
        self._name = "LayerSwitchA11y"
        self.control = control
        self.query = PHONE_QUERY


class AccessibleFeatures(MacroElement):
    """Each feature of a GeoJSON layer becomes a keyboard stop with an accessible name (the
    feature property ``label_property``); focusing it opens its tooltip."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.geojson.get_name() }}.eachLayer(function (layer) {
            var el = layer.getElement ? layer.getElement() : layer._path;
            if (!el) { return; }
            el.setAttribute('role', 'img');
            el.setAttribute('tabindex', '0');
            el.setAttribute('aria-label', layer.feature.properties[{{ this.label_property|tojson }}]);
            el.addEventListener('focus', function () {
                layer.openTooltip(layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter());
            });
            el.addEventListener('blur', function () { layer.closeTooltip(); });
        });
        {% endmacro %}
    """)

    def __init__(self, geojson: MacroElement, label_property: str):
        super().__init__()
        self._name = "AccessibleFeatures"
        self.geojson = geojson
        self.label_property = label_property


class FillPatterns(MacroElement):
    """Defines hatched fills (``hatch_fill(colour)``) in the map's SVG, for categories that
    must differ by more than colour."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var svg = map.getRenderer(L.polyline([[0, 0]]))._container;
            var ns = 'http://www.w3.org/2000/svg';
            var defs = document.createElementNS(ns, 'defs');
            {{ this.colours|tojson }}.forEach(function (c) {
                var p = document.createElementNS(ns, 'pattern');
                p.setAttribute('id', {{ this.prefix|tojson }} + c.slice(1));
                p.setAttribute('patternUnits', 'userSpaceOnUse');
                p.setAttribute('width', '6');
                p.setAttribute('height', '6');
                p.setAttribute('patternTransform', 'rotate(45)');
                p.innerHTML = '<rect width="6" height="6" fill="' + c + '"/>'
                    + ({{ this.dotted|tojson }}.indexOf(c) >= 0
                       ? '<circle cx="3" cy="3" r="1.3" fill="{{ this.ink }}"/>'
                       : '<line x1="0" y1="0" x2="0" y2="6" stroke="{{ this.ink }}" stroke-width="2.5"/>');
                defs.appendChild(p);
            });
            svg.insertBefore(defs, svg.firstChild);
        })();
        {% endmacro %}
    """)

    def __init__(self, colours: list[str]):
        super().__init__()
        self._name = "FillPatterns"
        self.colours = sorted({c.lower() for c in colours})
        self.prefix = f"{HATCH_ID}-"
        self.ink = HATCH_INK
        self.dotted = list(DOTTED)


class IndicatorSwitch(MacroElement):
    """Recolours a GeoJSON layer when the base layer changes: fill colour from the feature
    property named for the chosen layer (``{layer name: property}``); outline and size stay.
    The accessible name of each feature follows (``{layer name: label property}``)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var geo = {{ this.geojson.get_name() }};
            var keys = {{ this.keys|tojson }};
            var labels = {{ this.labels|tojson }};
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
                geo.eachLayer(function (layer) {
                    var el = layer.getElement ? layer.getElement() : layer._path;
                    if (el && labels[e.name]) { el.setAttribute('aria-label', layer.feature.properties[labels[e.name]]); }
                });
            });
        })();
        {% endmacro %}
    """)

    def __init__(self, geojson: MacroElement, keys: dict[str, str], labels: dict[str, str] | None = None):
        super().__init__()
        self._name = "IndicatorSwitch"
        self.geojson = geojson
        self.keys = keys
        self.labels = labels or {}
