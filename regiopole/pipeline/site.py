"""The report site in ``outputs/html/``: the reports, ``index.html`` and ``gallery.html``.

``index.html`` lists the reports with title, description, run date, parameters and data
provenance from the manifest, and labels runs on example data as "Beispieldaten";
``gallery.html`` shows every figure. HTML pages the notebooks write (interactive maps, project sheets) are copied
into ``html/seiten/`` so the folder opens from disk as a whole. A stamp file remembers
what was published, so an unchanged project publishes nothing.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from regiopole.pipeline.files import sha256_file, sha256_text, write_if_changed, write_text_atomic
from regiopole.pipeline.manifest import Manifest
from regiopole.pipeline.publish import external_resources, html_names
from regiopole.pipeline.state import package_hash

TEMPLATES = Path(__file__).parent / "templates"
STAMP = ".published.json"
PAGES_DIR = "seiten"
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


@dataclass
class PublishResult:
    """What publishing wrote and what is wrong with it."""

    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def publisher_hash() -> str:
    """Hash of the code and templates that shape the HTML (a change republishes everything)."""
    return sha256_text(package_hash(TEMPLATES, exclude=()) + sha256_file(Path(__file__).with_name("publish.py"))
                       + sha256_file(Path(__file__)))


def publish(root: Path, output_dir: Path, force: bool = False, rendered: dict[str, str] | None = None,
            scanned: dict[str, list[str]] | None = None) -> PublishResult:
    """Bring ``<output_dir>/html`` up to date with the manifest.

    ``rendered`` maps notebooks whose HTML the runner already wrote to the hash of the
    executed notebook it was made from; ``scanned`` gives, for the pages it wrote, the
    internet resources they load (see :func:`scan`). Pages are checked when written; the
    findings are kept in the stamp file until the page is written again.
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
    for name, record in manifest.notebooks.items():
        executed = record.get("executed_notebook")
        if not executed or not (root / executed["path"]).is_file():
            continue
        current = all((html_dir / n).is_file() for n in html_names(name))
        if stamp["notebooks"].get(name) == executed["sha256"] and current:
            continue
        import nbformat

        from regiopole.pipeline.publish import render_notebook

        nb = nbformat.read(str(root / executed["path"]), as_version=4)
        result.written += render_notebook(nb, name, record.get("title", name), html_dir, footer=footer(record))
        stamp["notebooks"][name] = executed["sha256"]
    site_key = sha256_text(json.dumps([manifest.data, publisher], sort_keys=True))
    if force or stamp.get("site") != site_key or not (html_dir / "index.html").is_file() or result.written:
        result.written += _write_site(manifest, root, html_dir)
        stamp["site"] = site_key
    stamp["problems"].update(scan(result.written, html_dir))
    stamp["problems"] = {page: urls for page, urls in sorted(stamp["problems"].items())
                         if urls and (html_dir / page).is_file()}
    result.problems = [f"{page}: loads {url} from the internet" for page, urls in stamp["problems"].items() for url in urls]
    write_if_changed(stamp_file, json.dumps(stamp, indent=2, sort_keys=True) + "\n")
    return result


def scan(pages: list[Path], html_dir: Path) -> dict[str, list[str]]:
    """For each HTML page (relative to ``html_dir``): the URLs it would load from the internet."""
    return {page.relative_to(html_dir).as_posix(): external_resources(page.read_text(encoding="utf-8"))
            for page in pages if page.suffix == ".html"}


def footer(record: dict[str, Any]) -> str:
    """One German line under each report: run date, data and commit."""
    data = record.get("data") or {}
    git = record.get("git") or {}
    parts = [f"Stand: {german_date(record.get('start'))}"]
    if data:
        parts.append(f"Daten: {'Beispieldaten (generiert)' if data.get('example') else 'Projektdaten'} aus {data.get('dir')}")
    if git:
        parts.append(f"Version {git.get('commit', '')[:10]}{' (mit nicht eingecheckten Änderungen)' if git.get('dirty') else ''}")
    return " · ".join(parts)


def german_date(iso: str | None) -> str:
    """``2024-05-03T14:07:00+02:00`` -> ``03.05.2024, 14:07 Uhr``."""
    if not iso:
        return "–"
    return datetime.fromisoformat(iso).strftime("%d.%m.%Y, %H:%M Uhr")


def _write_site(manifest: Manifest, root: Path, html_dir: Path) -> list[Path]:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             keep_trailing_newline=True)
    env.filters["german_date"] = german_date
    reports = [_report(name, record, root, html_dir) for name, record in manifest.notebooks.items()]
    written = [path for report in reports for path in report.pop("copied")]
    context = {"reports": [r for r in reports if not r.get("family")], "dossiers": dossier_groups(reports),
               "any_example": any(r["example"] for r in reports)}
    for template, target in (("site_index.html.j2", "index.html"), ("site_gallery.html.j2", "gallery.html")):
        if write_if_changed(html_dir / target, env.get_template(template).render(**context)):
            written.append(html_dir / target)
    return written


def dossier_groups(reports: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Runs of a parameter-set notebook (the municipality dossiers) by Kreis, each sorted by name."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        if report.get("family"):
            labels = report.get("parameter_set") or {}
            groups.setdefault(str(labels.get("kreis") or ""), []).append({**report, "label": labels.get("name") or report["title"]})
    return [(kreis, sorted(entries, key=lambda r: r["label"])) for kreis, entries in sorted(groups.items())]


def _report(name: str, record: dict[str, Any], root: Path, html_dir: Path) -> dict[str, Any]:
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
            pages.append({"href": f"{PAGES_DIR}/{Path(path).name}",
                          "title": html.unescape(title.group(1)).strip() if title and title.group(1).strip() else Path(path).stem})
    return {
        **record, "name": name, "public_href": public if (html_dir / public).is_file() else None,
        "code_href": code if (html_dir / code).is_file() else None,
        "example": bool((record.get("data") or {}).get("example")),
        "figures": [{"name": Path(p).stem, "path": p, "src": _data_uri(root / p)} for p in figures],
        "pages": pages, "copied": copied,
    }


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
