"""The report site in ``outputs/html/``: the reports with their PDFs, and the site pages.

``index.html`` lists the reports with title, description, date ("Stand") and data status in
words (the status each report's banner shows: "Beispieldaten", "Projektdaten" or "Öffentliche
Daten"), with links to the report, its PDF and the version with code; ``gallery.html``
shows every figure with its caption and German alt text (stored in the PNG by
``Report.save_figure``); ``barrierefreiheit.html`` is the accessibility statement (BITV 2.0),
set in ``data/reference/site.yaml``; ``herkunft.html`` gives researchers the technical
provenance (parameters, file hashes, program version) that stakeholder pages leave out.
Each stakeholder report is printed to ``<name>.pdf`` (:mod:`regiopole.pipeline.pdf`). HTML
pages the notebooks write (interactive maps, project sheets) are copied into
``html/seiten/`` so the folder opens from disk as a whole. A stamp file remembers what was
published, so an unchanged project publishes nothing.
"""

from __future__ import annotations

import base64
import html
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from regiopole.paths import default_region_file, resolve
from regiopole.pipeline.files import CACHE_DIR, load_yaml, sha256_file, sha256_text, write_bytes_atomic, write_if_changed, write_text_atomic
from regiopole.pipeline.manifest import Manifest
from regiopole.pipeline.publish import (DATA_STATUS, code_version_runs, external_resources, html_names, pdf_name,
                                        template_cache)
from regiopole.pipeline.state import package_hash

TEMPLATES = Path(__file__).parent / "templates"
#: PDFs printed during the run (report name -> SHA-256 of the HTML printed, PDF bytes), or a
#: function that waits for them.
Printed = dict[str, tuple[str, bytes]] | Callable[[], dict[str, tuple[str, bytes]]]
STAMP = ".published.json"
PAGES_DIR = "seiten"
SITE_CONFIG = Path("data") / "reference" / "site.yaml"
SITE_PAGES = (("site_index.html.j2", "index.html"), ("site_gallery.html.j2", "gallery.html"),
              ("site_accessibility.html.j2", "barrierefreiheit.html"), ("site_provenance.html.j2", "herkunft.html"))
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_STATUS = re.compile(rb'class="regiopole-banner"[^>]*\bdata-status="(\w+)"')


@dataclass
class PublishResult:
    """What publishing wrote and what is wrong with it."""

    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def publisher_hash() -> str:
    """Hash of the code and templates that shape the HTML (a change republishes everything)."""
    return sha256_text(package_hash(TEMPLATES, exclude=()) + sha256_file(Path(__file__).with_name("publish.py"))
                       + sha256_file(Path(__file__).with_name("pdf.py")) + sha256_file(Path(__file__)))


def publish(root: Path, output_dir: Path, force: bool = False, rendered: dict[str, str] | None = None,
            scanned: dict[str, list[str]] | None = None,
            printed: Printed | None = None, pdf: bool = True) -> PublishResult:
    """Bring ``<output_dir>/html`` up to date with the manifest.

    ``rendered`` maps notebooks whose HTML the runner already wrote to the hash of the
    executed notebook it was made from; ``scanned`` gives, for the pages it wrote, the
    internet resources they load (see :func:`scan`). Pages are checked when written; the
    findings are kept in the stamp file until the page is written again. ``printed`` holds the
    PDFs the runner printed in the background (report name -> SHA-256 of the HTML printed, PDF
    bytes); each is written if its page is still that HTML, else the page is printed again.
    ``printed`` may also be a function that waits for them: it is called once the site pages
    are written, so that they are written while the last PDFs print (the pages link the PDFs
    due; should one not be printed, they are written again without its link).
    ``pdf=False`` prints none: pages whose PDF is out of date lose it and its link.
    """
    html_dir = output_dir / "html"
    manifest = Manifest.load(output_dir)
    stamp_file = html_dir / STAMP
    stamp = {} if force else _read_json(stamp_file)
    publisher = publisher_hash()
    if stamp.get("publisher") != publisher:
        stamp = {}
    stamp["publisher"] = publisher
    stamp.setdefault("notebooks", {}).update(rendered or {})
    stamp.setdefault("problems", {}).update(scanned or {})
    result = PublishResult()
    with_code = code_version_runs({name: record.get("family") for name, record in manifest.notebooks.items()})
    for name, record in manifest.notebooks.items():
        public, code = html_names(name)
        if name not in with_code:
            (html_dir / code).unlink(missing_ok=True)  # left from before: the first run of the notebook shows the code
        executed = record.get("executed_notebook")
        if not executed or not (root / executed["path"]).is_file():
            continue
        current = all((html_dir / n).is_file() for n in ([public, code] if name in with_code else [public]))
        if stamp["notebooks"].get(name) == executed["sha256"] and current:
            continue
        import nbformat

        from regiopole.pipeline.publish import render_notebook

        nb = nbformat.read(str(root / executed["path"]), as_version=4)
        result.written += render_notebook(nb, name, record.get("title", name), html_dir, footer=footer(record),
                                          code=name in with_code, cache_dir=output_dir / CACHE_DIR)
        stamp["notebooks"][name] = executed["sha256"]
    made = stamp.setdefault("pdfs", {})
    due = _pdfs_due(manifest, html_dir, made)
    present, due_names = _pdfs_present(manifest, html_dir), {name for name, *_ in due}
    linked = present | due_names if pdf else present - due_names  # the PDFs the pages will link
    config = site_file(root, manifest)
    site_key = sha256_text(json.dumps([manifest.data, publisher, sha256_file(config) if config.is_file() else None],
                                      sort_keys=True))
    site_written = (force or stamp.get("site") != site_key or not (html_dir / "index.html").is_file()
                    or bool(result.written) or bool(due))
    if site_written:
        result.written += _write_site(manifest, root, html_dir, linked, output_dir / CACHE_DIR)
        stamp["site"] = site_key
    result.written += _write_pdfs(due, made, result.problems, stamp["notebooks"],
                                  (printed() if callable(printed) else printed) or {}, pdf, output_dir / CACHE_DIR)
    if site_written and _pdfs_present(manifest, html_dir) != linked:  # a PDF could not be printed
        result.written += _write_site(manifest, root, html_dir, _pdfs_present(manifest, html_dir),
                                      output_dir / CACHE_DIR)
    stamp["problems"].update(scan(result.written, html_dir))
    stamp["problems"] = {page: urls for page, urls in sorted(stamp["problems"].items())
                         if urls and (html_dir / page).is_file()}
    result.problems = [f"{page}: loads {url} from the internet" for page, urls in stamp["problems"].items()
                       for url in urls] + result.problems
    write_if_changed(stamp_file, json.dumps(stamp, indent=2, sort_keys=True) + "\n")
    return result


def scan(pages: list[Path], html_dir: Path) -> dict[str, list[str]]:
    """For each HTML page (relative to ``html_dir``): the URLs it would load from the internet."""
    return {page.relative_to(html_dir).as_posix(): external_resources(page.read_text(encoding="utf-8"))
            for page in pages if page.suffix == ".html"}


def footer(record: dict[str, Any]) -> str:
    """The date line under each report and on its PDF title page: ``Stand: 03.05.2024, 14:07 Uhr``.

    The data status follows from the report's own banner (see ``publish.render_notebook``);
    folders, commits and versions are on ``herkunft.html``, not in the reports.
    """
    return f"Stand: {german_date(record.get('start'))}"


def _pdfs_due(manifest: Manifest, html_dir: Path, made: dict[str, str]) -> list[tuple[str, Path, Path, str]]:
    """``(name, page, pdf, SHA-256 of the page)`` of every stakeholder report whose HTML changed
    since its PDF was made (``made``: report name -> hash of the HTML its PDF shows)."""
    due = []
    for name in manifest.notebooks:
        page, pdf = html_dir / html_names(name)[0], html_dir / pdf_name(name)
        if page.is_file():
            digest = sha256_file(page)
            if made.get(name) != digest or not pdf.is_file():
                due.append((name, page, pdf, digest))
    return due


def _pdfs_present(manifest: Manifest, html_dir: Path) -> set[str]:
    return {name for name in manifest.notebooks if (html_dir / pdf_name(name)).is_file()}


def _write_pdfs(due: list[tuple[str, Path, Path, str]], made: dict[str, str], problems: list[str],
                rendered: dict[str, str], printed: dict[str, tuple[str, bytes]], printing: bool = True,
                cache_dir: Path | None = None) -> list[Path]:
    """Write the PDFs ``due`` (see :func:`_pdfs_due`, ``made`` is updated here): a PDF already
    printed in the background from the same HTML (``printed``) as it is, the others printed now.

    When printing fails, no page links a PDF that is missing or shows an older page: the PDFs
    due are deleted, their reports lose the PDF link (and are rendered again next time, from
    ``rendered``), the index lists them without PDF, and the failure is a problem (exit 1).
    ``cache_dir``: see :func:`regiopole.pipeline.pdf.use_node_cache`.
    """
    todo, written = [], []
    for name, page, pdf, digest in due:
        if printing and printed.get(name, ("",))[0] == digest:
            written.append(write_bytes_atomic(pdf, printed[name][1]))
            made[name] = digest
        else:
            todo.append((name, page, pdf, digest))
    if not todo:
        return written
    if not printing:  # asked for no PDFs: none is left that shows an older page, no page links one
        return written + _without_pdf(todo, made, rendered)
    from regiopole.pipeline.pdf import PdfError, use_node_cache, write_pdfs  # asyncio and the driver: only when printing

    use_node_cache(cache_dir)
    try:
        written += write_pdfs([(page, pdf) for _, page, pdf, _ in todo])
    except PdfError as exc:
        problems.append(f"PDF not written: {exc}")
        return written + _without_pdf(todo, made, rendered)
    made.update({name: digest for name, _, _, digest in todo})
    return written


def _without_pdf(todo: list[tuple[str, Path, Path, str]], made: dict[str, str], rendered: dict[str, str]) -> list[Path]:
    """Reports whose PDF could not be printed: no PDF file, no link to it (see :func:`_write_pdfs`)."""
    changed = []
    for name, page, pdf, _ in todo:
        pdf.unlink(missing_ok=True)
        made.pop(name, None)
        rendered.pop(name, None)
        text = page.read_text(encoding="utf-8")
        unlinked = text.replace(f'<a href="{pdf_name(name)}">Bericht als PDF</a>', "")
        if unlinked != text:
            changed.append(write_text_atomic(page, unlinked))
    return changed


def german_date(iso: str | None) -> str:
    """``2024-05-03T14:07:00+02:00`` -> ``03.05.2024, 14:07 Uhr``."""
    if not iso:
        return "–"
    return datetime.fromisoformat(iso).strftime("%d.%m.%Y, %H:%M Uhr")


def _write_site(manifest: Manifest, root: Path, html_dir: Path, pdfs: set[str],
                cache_dir: Path | None = None) -> list[Path]:
    """The site pages; ``pdfs``: the reports whose PDF they link."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             keep_trailing_newline=True, bytecode_cache=template_cache(cache_dir))
    env.filters["german_date"] = german_date
    reports = [_report(name, record, root, html_dir, name in pdfs) for name, record in manifest.notebooks.items()]
    written = [path for report in reports for path in report.pop("copied")]
    context = {"reports": [r for r in reports if not r.get("family")], "dossiers": dossier_groups(reports),
               "any_example": any(r["data_status"] == "beispiel" for r in reports),
               "site": site_config(root, site_file(root, manifest)), "statuses": DATA_STATUS}
    for template, target in SITE_PAGES:
        if write_if_changed(html_dir / target, env.get_template(template).render(**context)):
            written.append(html_dir / target)
    return written


def site_file(root: Path, manifest: Manifest) -> Path:
    """The site settings of the run's region: the file its region file names under ``site``,
    else ``data/reference/site.yaml`` (with a warning when the region is another one)."""
    import yaml

    regions = {str(r.get("parameters", {}).get("region")) for r in manifest.notebooks.values()
               if r.get("parameters", {}).get("region")}
    for region in sorted(regions):
        path = resolve(region) if not Path(region).is_absolute() else Path(region)
        try:
            spec = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue  # the region file's own errors are reported by the notebooks that load it
        if isinstance(spec, dict) and spec.get("site"):
            return (path.parent / str(spec["site"])).resolve()
        if path.resolve() != default_region_file().resolve():
            print(f"warning: {path} names no site settings (key 'site'); the accessibility statement uses "
                  f"{SITE_CONFIG}, whose publisher and contact belong to another region; add your own "
                  "(see data/reference/regions/README.md)", file=sys.stderr)
    return root / SITE_CONFIG


def site_config(root: Path, path: Path | None = None) -> dict[str, Any]:
    """The site settings (default ``data/reference/site.yaml``): publisher, feedback contact and statement."""
    import yaml

    path = path or root / SITE_CONFIG
    if not path.is_file():
        path = Path(__file__).parents[2] / SITE_CONFIG  # a project without its own: the package's
    try:
        config = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the site settings ({exc}); fix the file (see data/README.md)") from exc
    required = {"publisher": str, "feedback": dict, "enforcement": dict, "statement_date": object, "method": str,
                "limitations": list}
    missing = [key for key, kind in required.items() if not isinstance(config.get(key), kind)]
    missing += [f"feedback.{k}" for k in ("name", "email") if not (config.get("feedback") or {}).get(k)]
    if missing:
        raise ValueError(f"{path}: missing or wrong settings {', '.join(missing)}; the accessibility statement needs "
                         "them (see the comments in the file and data/README.md)")
    config["statement_date"] = german_date(str(config["statement_date"])).split(",")[0]
    return config


def dossier_groups(reports: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Runs of a parameter-set notebook (the municipality dossiers) by Kreis, each sorted by name."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        if report.get("family"):
            labels = report.get("parameter_set") or {}
            groups.setdefault(str(labels.get("kreis") or ""), []).append({**report, "label": labels.get("name") or report["title"]})
    return [(kreis, sorted(entries, key=lambda r: r["label"])) for kreis, entries in sorted(groups.items())]


def _report(name: str, record: dict[str, Any], root: Path, html_dir: Path, pdf: bool) -> dict[str, Any]:
    public, code = html_names(name)
    outputs = record.get("outputs", {})
    figures = [path for path in outputs if path.endswith(".png") and (root / path).is_file()]
    pages, copied = [], []
    for path in outputs:
        if path.endswith(".html") and (root / path).is_file():
            target = html_dir / PAGES_DIR / Path(path).name
            text = (root / path).read_text(encoding="utf-8")
            if not target.is_file() or sha256_file(target) != outputs[path]:
                write_text_atomic(target, text)
                copied.append(target)
            title = _TITLE.search(text)
            fallback = "Interaktive Karte" if "leaflet" in text.lower() else "Zusatzseite"  # a page without <title>
            pages.append({"href": f"{PAGES_DIR}/{Path(path).name}",
                          "title": html.unescape(title.group(1)).strip() if title and title.group(1).strip() else fallback})
    status = _page_status(html_dir / public)
    if status is None and record.get("data"):
        status = "beispiel" if (record.get("data") or {}).get("example") else "projekt"
    return {
        **record, "name": name, "public_href": public if (html_dir / public).is_file() else None,
        "code_href": code if (html_dir / code).is_file() else None,
        "pdf_href": pdf_name(name) if pdf else None,
        "example": bool((record.get("data") or {}).get("example")), "data_status": status,
        "status_label": DATA_STATUS.get(status or "", ""),
        "figures": [{"name": Path(p).stem, "path": p, "src": _data_uri(root / p), **_figure_text(root / p)}
                    for p in figures],
        "pages": pages, "copied": copied,
    }


def _page_status(page: Path) -> str | None:
    """The data status a report's banner shows (its ``data-status``), None without a banner."""
    if not page.is_file():
        return None
    with page.open("rb") as handle:
        found = _STATUS.search(handle.read(2_000_000))
    return found.group(1).decode("ascii") if found else None


def _figure_text(png: Path) -> dict[str, str]:
    """Caption and alt text that ``Report.save_figure`` stored in the PNG."""
    from PIL import Image

    with Image.open(png) as image:
        # Text chunks before the image data are in .info without decoding the image (matplotlib
        # writes them there); .text decodes the whole image to find chunks after it as well.
        text = image.info if {"Title", "Description"} <= set(image.info) else dict(getattr(image, "text", {}))
    return {"caption": str(text.get("Title", "")), "alt": str(text.get("Description", ""))}


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
