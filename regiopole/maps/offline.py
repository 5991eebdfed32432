"""Self-contained folium maps: Leaflet and jQuery inlined from installed packages, no CDN.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and Awesome Markers from CDNs, so
a saved map is blank without internet. :class:`OfflineMap` drops those links and puts
Leaflet (JS, CSS with its images as data URIs) and jQuery from the ``xstatic-leaflet``
and ``xstatic-jquery`` packages into the page itself. Circle markers, GeoJSON layers,
tooltips, popups and the layer control need nothing else; plugins or elements that add
their own CDN links (e.g. branca colour scales, which load d3) are refused when saving.
"""

from __future__ import annotations

import base64
import html as html_text
import re
from functools import lru_cache
from pathlib import Path

import folium
import folium.folium
from folium.elements import ElementAddToElement
import xstatic.pkg.jquery as xjquery
import xstatic.pkg.leaflet as xleaflet
from branca.element import Element, Figure
from jinja2 import Template

from regiopole.maps.elements import GermanZoom
from regiopole.report import write_atomic

LEAFLET_DIR = Path(xleaflet.BASE_DIR)
JQUERY_DIR = Path(xjquery.BASE_DIR)
#: Matches ``<script src="...">`` and ``<link href="...">`` that would load a file at view time.
EXTERNAL_ASSET = re.compile(r"""<(?:script[^>]*\ssrc|link[^>]*\shref)\s*=\s*["']?(?!data:)([^"'\s>]+)""", re.IGNORECASE)
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
#: folium's viewport meta locks zooming (``maximum-scale=1.0, user-scalable=no``, WCAG 1.4.4).
LOCKED_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
#: Shown (to sighted readers only) where JupyterLab does not run the map of an untrusted notebook.
UNTRUSTED_NOTE = "Die Karte erscheint, sobald dem Notebook vertraut wird (Datei → Notebook vertrauen)."
DEFAULT_TITLE = "Interaktive Karte"
ICON_FILES = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png", "shadowUrl": "marker-shadow.png"}


def folium_expected_versions() -> dict[str, str]:
    """The Leaflet and jQuery versions folium links to (read from folium's default links)."""
    links = dict(folium.folium._default_js)
    return {
        "leaflet": re.search(r"leaflet@([\d.]+)/", links["leaflet"]).group(1),
        "jquery": re.search(r"jquery-([\d.]+)(?:\.min)?\.js", links["jquery"]).group(1),
    }


def check_versions() -> None:
    """Fail if the installed xstatic packages do not carry the versions folium was written for."""
    expected = folium_expected_versions()
    installed = {"leaflet": xleaflet.VERSION, "jquery": xjquery.VERSION}
    wrong = [f"{name} {installed[name]} installed, folium {folium.__version__} expects {version}"
             for name, version in expected.items() if installed[name] != version]
    if wrong:
        raise RuntimeError("Inlined map assets do not match folium: " + "; ".join(wrong)
                           + ". Install the matching xstatic-leaflet / xstatic-jquery (see requirements.lock).")


def data_uri(path: Path) -> str:
    """A file as a ``data:`` URI (PNG images here)."""
    return f"data:image/png;base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _js(path: Path) -> str:
    return SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def inline_assets_html() -> str:
    """The ``<style>`` and ``<script>`` blocks that replace folium's CDN links."""
    check_versions()
    images = LEAFLET_DIR / "images"
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    css = re.sub(r"url\(images/([\w.-]+\.png)\)", lambda m: f'url("{data_uri(images / m.group(1))}")', css)
    icon_options = ", ".join(f'{key}: "{data_uri(images / name)}"' for key, name in ICON_FILES.items())
    # Leaflet derives the default marker image path from leaflet.css; with data URIs that
    # detection yields garbage, so the path is fixed to "" and the images are set directly.
    icon_default = f"L.Icon.Default.imagePath = ''; L.Icon.Default.mergeOptions({{{icon_options}}});"
    return "\n".join([
        f"<style>{css}</style>",
        f"<script>{_js(LEAFLET_DIR / 'leaflet.js')}</script>",
        f"<script>{_js(JQUERY_DIR / 'jquery.min.js')}</script>",
        f"<script>{icon_default}</script>",
    ])


RENDER_CHILDREN = (ElementAddToElement, folium.Marker.SetIcon)


def number_elements(root: Element) -> None:
    """Replace the random ids branca gives every element by numbers in document order, so the
    same map renders to the same bytes (ids become JavaScript variable names such as ``map_0000``).

    folium's layers add an ``ElementAddToElement`` child while rendering, named after their
    id, and markers with an icon a ``SetIcon`` child; those from an earlier rendering are
    dropped first, or every rendering would shift the numbers and leave one more of them behind.
    """
    stack, number = [root], 0
    while stack:
        element = stack.pop()
        for name in [n for n, child in element._children.items() if isinstance(child, RENDER_CHILDREN)]:
            del element._children[name]
        element._id = f"{number:04d}"
        number += 1
        stack.extend(reversed(list(element._children.values())))


class MapPage(Figure):
    """The page of a map: German (``lang="de"``), with a ``<title>``, zoomable, and shown in
    a notebook or report as an iframe whose ``title`` names the map."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="de">\n'
        "<head>\n"
        "<title>{{ this.title|e }}</title>\n"
        "    {{this.header.render(**kwargs)}}\n"
        "</head>\n"
        "<body>\n"
        "    {{this.html.render(**kwargs)}}\n"
        "</body>\n"
        "<script>\n"
        "    {{this.script.render(**kwargs)}}\n"
        "</script>\n"
        "</html>\n",
    )

    def render(self, **kwargs) -> str:
        return LOCKED_VIEWPORT.sub(VIEWPORT, super().render(**kwargs))

    def _repr_html_(self, **kwargs) -> str:
        page = html_text.escape(self.render(**kwargs))
        title = html_text.escape(self.title or DEFAULT_TITLE)
        return (f'<div style="width:{self.width};"><div style="position:relative;width:100%;height:0;'
                f'padding-bottom:{self.ratio};"><span class="regiopole-untrusted-note" style="color:#565656" aria-hidden="true">{UNTRUSTED_NOTE}</span>'
                f'<iframe srcdoc="{page}" title="{title}" style="position:absolute;width:100%;height:100%;left:0;top:0;'
                'border:none !important;" allowfullscreen></iframe></div></div>')


class OfflineMap(folium.Map):
    """A folium map whose page carries Leaflet and jQuery itself (works from disk, offline)
    and renders reproducibly (same map, same bytes).

    ``page_title`` names the map for the page's ``<title>`` and the iframe's ``title``
    (what a screen reader announces). The zoom buttons are German (Leaflet's own say
    "Zoom in"); pass ``zoom_control=False`` for none.
    """

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    def __init__(self, *args, page_title: str = DEFAULT_TITLE, zoom_control: bool = True, **kwargs):
        super().__init__(*args, zoom_control=False, **kwargs)
        self.page_title = page_title
        if zoom_control:
            GermanZoom().add_to(self)

    #: Height of the map inside a notebook or report, as a share of its width (folium: 60 %,
    #: too low for the legend beside the layer switch).
    notebook_ratio = "85%"

    def _repr_html_(self, **kwargs) -> str:
        return fresh_figure(self, self.notebook_ratio)._repr_html_(**kwargs)

    def render(self, **kwargs) -> None:
        number_elements(self)
        self.get_root().header.add_child(Element(inline_assets_html()), name="regiopole_inline_assets")
        super().render(**kwargs)


def fresh_figure(m: folium.Map, ratio: str = "60%") -> MapPage:
    """Attach the map to a new, empty page and return it.

    Rendering adds the page's header, scripts and legends to the page it is on; rendering
    the same page twice (saving the file, then showing the map in the notebook) would
    carry every legend and title twice. A fresh page per rendering keeps them single.
    """
    figure = MapPage(ratio=ratio, title=getattr(m, "page_title", DEFAULT_TITLE))
    m._parent = None
    figure.add_child(m, name=m.get_name())
    return figure


def external_assets(html: str) -> list[str]:
    """URLs of scripts and style sheets a page would load (empty for a self-contained page)."""
    return EXTERNAL_ASSET.findall(html)


def render_html(m: folium.Map) -> str:
    """Render a map to one HTML page; refuse pages that would load scripts or styles from elsewhere."""
    html = fresh_figure(m).render()
    external = external_assets(html)
    if external:
        raise ValueError("The map links external assets and would not work offline: " + ", ".join(external)
                         + ". Use only elements whose assets regiopole.maps.offline inlines.")
    return html


def save_map(m: folium.Map, path: str | Path) -> Path:
    """Write the map as one self-contained HTML file (atomically)."""
    html = render_html(m)
    return write_atomic(Path(path), lambda tmp: tmp.write_text(html, encoding="utf-8"))
