"""Executed notebooks to self-contained HTML: a stakeholder version and a full version.

The stakeholder version (``<name>.html``) shows no code and honours the cell tags
``remove-input``, ``remove-output`` and ``remove-cell`` (as Jupyter Book does); warnings
printed to stderr and bare Python values of a cell (plain-text reprs) are left out too. The full version (``<name>-code.html``) shows every
cell with its code, for researchers; the runs of one parameterised notebook (the dossiers)
share their code, so only the first of them gets it (:func:`code_version_runs`). Both use
nbconvert's ``lab`` look through ``templates/report.html.j2``, which fetches nothing from
the internet.
"""

from __future__ import annotations

import copy
import functools
import html
import re
import threading
from pathlib import Path
from typing import Any

from regiopole.pipeline.files import write_text_atomic

TEMPLATE = Path(__file__).parent / "templates" / "report.html.j2"
#: Data status of a report in words, keyed by the banner's ``data-status`` (see regiopole.report).
DATA_STATUS = {"oeffentlich": "Öffentliche Daten", "beispiel": "Beispieldaten", "projekt": "Projektdaten"}
_STATUS = re.compile(r'class="regiopole-banner"[^>]*\bdata-status="(\w+)"')
#: An iframe's opening tag, its attributes parsed (a srcdoc holds ">" only escaped, so quotes delimit it).
_IFRAME = re.compile(r"""<iframe((?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>""", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s+([\w:-]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
_FRAME_TITLE = re.compile(r"&lt;title&gt;(.*?)&lt;/title&gt;", re.DOTALL)
_TAB_STOP = re.compile(r'(<div class="(?:jp-Cell-inputWrapper|[^"]*\bjp-OutputArea-output\b[^"]*)"[^>]*?) tabindex="0"')
REMOVE_TAGS = {"remove_cell_tags": {"remove-cell"}, "remove_input_tags": {"remove-input"},
               "remove_all_outputs_tags": {"remove-output"}}
#: A resource the browser would fetch: script/img/iframe/source ``src``, stylesheet ``href``, CSS ``url()``/``@import``.
_EXTERNAL = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*?\shref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|@import\s+(?:url\()?\s*["']?((?:https?:)?//[^"')\s;]+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE)
_SRCDOC = re.compile(r"""\ssrcdoc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")
_exporter_lock = threading.Lock()


def html_names(name: str) -> tuple[str, str]:
    """File names of the stakeholder and the full version of notebook ``name``."""
    return f"{name}.html", f"{name}-code.html"


@functools.cache
def _exporter(code: bool, cache_dir: Path | None = None) -> Any:
    """The HTML exporter of the stakeholder (``code=False``) or full version, built once per process.

    Building one compiles nbconvert's templates (about 0.1 s each); the exporters keep
    state while converting, so ``render_notebook`` uses them under a lock. ``cache_dir``:
    where the trimmed lab stylesheet (:func:`labcss.lab_css`) and the compiled templates
    (:func:`template_cache`) are kept for the next process.
    """
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from regiopole.pipeline import labcss

    config = Config()
    config.TagRemovePreprocessor.update(enabled=not code, **REMOVE_TAGS)
    exporter = HTMLExporter(config=config, template_name="lab", template_file=str(TEMPLATE),
                            exclude_input=not code, exclude_input_prompt=not code,
                            exclude_output_prompt=not code, embed_images=True, language_code="de",
                            extra_template_paths=[str(TEMPLATE.parent)],
                            optimistic_validation=True)  # validate once, not after each preprocessor
    # JupyterLab's stylesheet without what no page uses (regiopole.pipeline.labcss): 240 KB -> 19 KB per page
    exporter.extra_loaders = [jinja2.DictLoader({labcss.NAME: labcss.lab_css(tuple(exporter.template_paths), cache_dir)})]
    exporter.environment.bytecode_cache = template_cache(cache_dir)  # after the loaders: setting them makes a new environment
    return exporter


def template_cache(cache_dir: Path | None) -> Any:
    """Jinja's own cache of compiled templates in ``<cache_dir>/templates`` (None without a folder).

    Compiling nbconvert's and the site's templates cost a fifth of a second in every process.
    Jinja keeps each template's code with the checksum of its source and compiles it again
    when the source has changed, or for another Python version."""
    if cache_dir is None:
        return None
    import jinja2

    folder = cache_dir / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only output folder: templates are compiled as before
    return jinja2.FileSystemBytecodeCache(str(folder))


def warm_up(code: bool = True, cache_dir: Path | None = None) -> None:
    """Build the exporters (the full one only if ``code``: a run whose notebooks get no version
    with code needs none) and pay their first-use costs (templates, highlighter, Markdown,
    HTML parser) by converting a two-cell notebook. ``cache_dir`` as for :func:`render_notebook`."""
    from nbformat import v4

    cell = v4.new_code_cell("x = 1", outputs=[v4.new_output("display_data", {"text/html": "<b>x</b>"}),
                                             v4.new_output("stream", name="stdout", text="x")])
    sample = v4.new_notebook(cells=[v4.new_markdown_cell("# Titel\n\nText mit *Betonung*."), cell],
                             metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    with _exporter_lock:
        for with_code in (False, True) if code else (False,):
            _exporter(with_code, cache_dir).from_notebook_node(sample, resources={"metadata": {"name": ""}, "regiopole": {}})


def data_status(nb: Any) -> str | None:
    """Key of :data:`DATA_STATUS` from the data banner an executed notebook shows (None: no banner)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            found = _STATUS.search(str(output.get("data", {}).get("text/html", "")))
            if found:
                return found.group(1)
    return None


def code_version_runs(families: dict[str, str | None]) -> set[str]:
    """The runs (``run name -> name of its parameterised notebook, or None``) that get a version with code:
    every plain notebook, and of the runs of one parameterised notebook only the first by name,
    since all of them run the same code (29 identical code pages would only double the work)."""
    first: dict[str, str] = {}
    for name, family in sorted(families.items()):
        if family:
            first.setdefault(family, name)
    return {name for name, family in families.items() if not family or first[family] == name}


def render_notebook(nb: Any, name: str, title: str, html_dir: Path, footer: str = "", code: bool = True,
                    cache_dir: Path | None = None) -> list[Path]:
    """Write the stakeholder and (if ``code``) the full HTML version of an executed notebook.

    ``footer`` is the "Stand: ..." line; the data status comes from the notebook's banner.
    ``cache_dir``: as for :func:`_exporter` (none: nothing is kept between processes).
    """
    with _exporter_lock:
        stakeholder, full = _exporter(False, cache_dir), _exporter(True, cache_dir) if code else None
    public_name, code_name = html_names(name)
    public_nb = copy.deepcopy(nb)
    for cell in public_nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not _code_level(o)]
    written = []
    status = data_status(nb)
    versions = [(stakeholder, public_nb, public_name, code_name if code else None, "Version mit Code (für Forschende)",
                 False)]
    if code:
        versions.append((full, nb, code_name, public_name, "Version ohne Code", True))
    for exporter, notebook, target, other, label, with_code in versions:
        resources = {"metadata": {"name": title},
                     "regiopole": {"other_href": other, "other_label": label, "footer": footer, "code": with_code,
                                   "status_label": DATA_STATUS.get(status or "", ""),
                                   "pdf_href": None if with_code else pdf_name(name)}}
        notebook.metadata["title"] = title
        with _exporter_lock:  # converting holds the GIL anyway: nothing is lost by taking turns
            body, _ = exporter.from_notebook_node(notebook, resources=resources)
        written.append(write_text_atomic(html_dir / target, accessible(body)))
    return written


def pdf_name(name: str) -> str:
    """File name of the PDF of notebook ``name``'s stakeholder report."""
    return f"{name}.pdf"


def accessible(page: str) -> str:
    """Repair what nbconvert's HTML lacks for keyboard and screen-reader users.

    nbconvert makes every cell wrapper and output a tab stop (``tabindex="0"``) so that it
    can be scrolled with the keyboard; code and text here wrap instead, so only outputs with a
    table (which may scroll sideways on a phone) keep one. Frames get a ``title`` (the
    embedded page's own title), which screen readers announce.
    """
    parts = _TAB_STOP.split(page)
    kept = [parts[0]]
    for opening, rest in zip(parts[1::2], parts[2::2], strict=True):
        scrolls = "<table" in rest.split('class="jp-Cell ', 1)[0]
        kept.append(opening + (' tabindex="0"' if scrolls and "jp-OutputArea-output" in opening else "") + rest)
    page = "".join(kept)

    def titled(match: re.Match[str]) -> str:
        attributes = match.group(1)
        if "title" in {name.lower() for name in _ATTRIBUTE.findall(attributes)}:
            return match.group(0)
        found = _FRAME_TITLE.search(attributes)
        title = html.unescape(found.group(1)).strip() if found else ""
        return f'<iframe title="{html.escape(title or "Interaktive Karte", quote=True)}"{attributes}>'

    return _IFRAME.sub(titled, page)


def _code_level(output: Any) -> bool:
    """Outputs that belong to the code, not the report: warnings on stderr, and a cell's bare
    Python value (``[PosixPath('...png'), ...]`` after ``report.save_figure``) that has no
    rich (HTML, image, Markdown) form."""
    if output.output_type == "stream":
        return output.get("name") == "stderr"
    return output.output_type == "execute_result" and set(output.get("data", {})) <= {"text/plain"}


def external_resources(text: str) -> list[str]:
    """URLs of scripts, stylesheets, images or frames the page would fetch from the network.

    Looks into ``srcdoc`` frames (folium maps) too. Plain links (``<a href>``) are not
    resources and are allowed; markup shown as text (escaped outside a frame) loads nothing.
    """
    text = _DATA_URI.sub("data:", text)  # embedded images are most of a page and load nothing
    found = {next(g for g in match.groups() if g) for match in _EXTERNAL.finditer(text)}
    for frame in _SRCDOC.findall(text):
        found.update(external_resources(html.unescape(frame[1])))
    return sorted(found)
