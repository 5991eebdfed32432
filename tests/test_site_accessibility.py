"""The published site as stakeholders get it: every page and frame in headless Chromium.

Checks ``outputs/html`` as ``make reproduce`` leaves it (CI runs that first):

- axe-core (pinned in tests/axe, installed by ``make axe``) with the WCAG 2.1 A and AA
  rules finds no violation on any page, nor in any frame (the interactive maps);
- every image has a German alt text: none missing, none of nbconvert's English placeholder,
  no file names;
- on A4 paper no table is wider than its page (portrait, or landscape where the print
  script moved it);
- stakeholder pages show no code: no file paths, commands, identifiers or commit hashes;
- every stakeholder report has its PDF: A4, tagged, with the figures' German alt texts.

Skipped only outside CI when Chromium, axe-core or the published site is missing (with the
command that provides it); in CI (``CI`` set) each of these is a failure.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "outputs" / "html"
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PX_PER_MM = 96 / 25.4
PORTRAIT_PX, LANDSCAPE_PX = 180 * PX_PER_MM, 267 * PX_PER_MM  # A4 minus the 15 mm side margins


def need(condition: bool, what: str, fix: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI: {what} is missing; {fix}")
    pytest.skip(f"{what} is missing ({fix})")


def pages() -> list[Path]:
    return sorted(HTML.glob("*.html")) + sorted((HTML / "seiten").glob("*.html"))


def code_versions() -> set[str]:
    return {p.name for p in HTML.glob("*-code.html")} | {"herkunft.html"}


def stakeholder_pages() -> list[Path]:
    return [p for p in pages() if p.name not in code_versions()]


def reports() -> list[str]:
    manifest = json.loads((HTML.parent / "manifest.json").read_text(encoding="utf-8"))
    return [name for name in manifest["notebooks"] if (HTML / f"{name}.html").is_file()]


@pytest.fixture(scope="module")
def site() -> Path:
    need((HTML / "index.html").is_file() and (HTML.parent / "manifest.json").is_file(), "the published site outputs/html",
         "run `make reproduce`")
    return HTML


@pytest.fixture(scope="module")
def browser(site):
    need(CHROMIUM.exists(), "Debian's chromium", "apt-get install chromium; .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def offline_page(browser, width: int = 1200):
    """A browser page of ``width`` CSS px that loads nothing from the network (the site is self-contained)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "about:"))
                  else route.abort())
    return context, context.new_page()


def frames(page) -> list:
    """The page's own document and every frame in it (srcdoc maps included)."""
    return [page.main_frame, *[f for f in page.frames if f is not page.main_frame]]


@pytest.fixture(scope="module")
def axe_source() -> str:
    need(AXE.is_file(), "axe-core", "run `make axe` (npm ci into tests/axe/node_modules)")
    return AXE.read_text(encoding="utf-8")


IMAGES = """() => Array.from(document.images).map(i => ({
    alt: i.getAttribute('alt'), hidden: i.closest('[aria-hidden=true]') !== null || i.getAttribute('role') === 'presentation',
    src: (i.getAttribute('src') || '').slice(0, 40)}))"""
TEXT = "s => Array.from(document.querySelectorAll(s)).map(e => e.innerText).join('\\n')"
CODE_ELEMENTS = "s => Array.from(document.querySelectorAll(s)).reduce((n, e) => n + e.querySelectorAll('code, pre').length, 0)"
REPORT_FRAME = "header, .regiopole-titlepage, .regiopole-banner, footer"


@pytest.fixture(scope="module")
def scan(browser, axe_source):
    """Each page opened once, lazily: axe's violations, the images of every frame and the visible text
    (the report's own text and what the site puts around it), kept for all tests of this module."""
    context, page = offline_page(browser)
    seen: dict[Path, dict] = {}

    def result(path: Path) -> dict:
        if path not in seen:
            page.goto(path.as_uri(), wait_until="load")
            found, images = [], []
            for frame in frames(page):
                images += frame.evaluate(IMAGES)
                frame.evaluate(axe_source)
                outcome = frame.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                         "iframes: false})", WCAG_21_AA)
                for v in outcome["violations"]:
                    targets = "; ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                                        for n in v["nodes"][:3])
                    where = "" if frame is page.main_frame else f"frame {frame.name or frame.url[:40]}: "
                    found.append(f"{where}{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} - e.g. {targets}")
            texts = {s: (page.evaluate(TEXT, s), page.evaluate(CODE_ELEMENTS, s)) for s in ("body", "main", REPORT_FRAME)}
            seen[path] = {"violations": found, "images": images, "texts": texts}
        return seen[path]

    yield result
    context.close()


def test_the_site_has_pages_to_check(site) -> None:
    names = {p.name for p in pages()}
    assert {"index.html", "gallery.html", "barrierefreiheit.html", "herkunft.html"} <= names
    assert reports(), "no report in outputs/html"


def axe_cases() -> list[str]:
    """Every page, the map documents included."""
    return [path.relative_to(HTML).as_posix() for path in pages()] or ["(no site)"]


@pytest.mark.parametrize("name", axe_cases())
def test_axe_finds_no_wcag_21_aa_violation(scan, name) -> None:
    found = scan(HTML / name)["violations"]
    assert not found, f"{name}:\n" + "\n".join(found)


ENGLISH = re.compile(r"\b(no description|image|picture|figure|chart|plot|map of|description|provided)\b", re.IGNORECASE)
FILE_NAME = re.compile(r"\.(png|svg|jpe?g|html)\b|\b[a-z]+_[a-z_]+\b")


def test_every_image_has_a_german_alt_text(scan) -> None:
    problems = []
    for path in pages():
        for img in scan(path)["images"]:
            alt = img["alt"]
            if img["hidden"] and alt == "":
                continue  # decorative, hidden from screen readers
            if not alt or len(alt.split()) < 3 or ENGLISH.search(alt) or FILE_NAME.search(alt):
                problems.append(f"{path.name}: img {img['src']}... alt={alt!r}")
    assert not problems, "images without a German alt text:\n" + "\n".join(problems[:40])


def test_no_table_is_wider_than_an_a4_page(browser, site) -> None:
    too_wide = []
    context, page = offline_page(browser, round(PORTRAIT_PX))
    page.emulate_media(media="print")
    for name in reports():
        page.goto((HTML / f"{name}.html").as_uri(), wait_until="load")
        page.evaluate("() => window.regiopolePrepareForPrint()")
        tables = page.evaluate("""() => Array.from(document.querySelectorAll('main table')).map(t => {
                const before = t.style.getPropertyValue('width');
                t.style.setProperty('width', 'min-content', 'important');
                const least = t.getBoundingClientRect().width;
                t.style.setProperty('width', before);
                return {least, shown: t.getBoundingClientRect().width,
                        landscape: t.closest('.regiopole-landscape') !== null,
                        head: (t.querySelector('th') || {}).textContent || ''};
            })""")
        for t in tables:
            room = LANDSCAPE_PX if t["landscape"] else PORTRAIT_PX
            if t["least"] > room + 1 or (not t["landscape"] and t["shown"] > PORTRAIT_PX + 1):
                too_wide.append(f"{name}: table '{t['head'].strip()[:30]}' needs {t['least']:.0f} px, "
                                f"the page has {room:.0f} px")
    context.close()
    assert not too_wide, "\n".join(too_wide)


CODE = {
    "file path": re.compile(r"\b[\w.-]+/[\w./-]*\.(?:csv|xlsx|py|ya?ml|ipynb|md|json|html|png)\b|\.\./notebooks"),
    "command": re.compile(r"\bregiopole (?:run|publish|example|fetch-boundaries|check)\b|\bmake (?:reproduce|test)\b"),
    "identifier": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "commit hash": re.compile(r"\b[0-9a-f]{12,40}\b"),
    "interpreter": re.compile(r"python3?\.\d+|/usr/|/bin/|\.venv|site-packages"),
}


def lab_stylesheets() -> tuple[str, str]:
    """The trimmed JupyterLab stylesheet the pages carry, and nbconvert's whole one."""
    from regiopole.pipeline import labcss, publish

    paths = tuple(publish._exporter(False).template_paths)
    return labcss.lab_css(paths), labcss.whole_css(paths)


def test_pages_look_the_same_with_the_whole_lab_stylesheet(browser, site, tmp_path) -> None:
    """The trimmed stylesheet drops only what no page uses: pixel for pixel as with the whole one,
    every report as printed, a dossier on screen at two widths, a version with code on screen."""
    trimmed, whole = lab_stylesheets()
    names = [f"{name}.html" for name in reports()]
    dossier = next(n for n in names if n.startswith("07_"))
    views = [(n, 1200, "print") for n in names if not n.startswith("07_")] + [(dossier, 1200, "print")]
    views += [(dossier, 1200, "screen"), (dossier, 400, "screen"), (sorted(code_versions() - {"herkunft.html"})[0], 1200, "screen")]
    differ = []
    context, page = offline_page(browser)
    for name, width, media in views:
        text = (HTML / name).read_text(encoding="utf-8")
        assert trimmed in text and len(trimmed) < len(whole) / 5, name
        with_whole = tmp_path / name  # beside nothing: both versions load no other file
        with_whole.write_text(text.replace(trimmed, whole), encoding="utf-8")
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(media=media)
        shots = []
        for path in (HTML / name, with_whole):
            page.goto(path.as_uri(), wait_until="load")
            shots.append(page.screenshot(full_page=True, animations="disabled"))
        if shots[0] != shots[1]:
            differ.append(f"{name} ({media}, {width} px)")
    context.close()
    assert not differ, f"pages that look different with the whole stylesheet: {differ}"


def test_no_published_file_names_the_folder_it_was_made_in(site) -> None:
    """Pages (the versions with code too) and PDFs name no absolute path of this computer: it would
    show the folder (often with the user's name) and make the bytes depend on where the project
    lies. Only the provenance page for researchers records where the kernel ran."""
    here = str(ROOT).encode()
    found = [p.relative_to(HTML).as_posix() for p in [*pages(), *HTML.glob("*.pdf")]
             if p.name != "herkunft.html" and here in p.read_bytes()]
    assert not found, f"files that name {ROOT}: {found}"


def code_in(scan, path: Path, selector: str) -> list[str]:
    """What looks like code in the visible text of ``selector`` on the page at ``path``."""
    text, elements = scan(path)["texts"][selector]
    findings = [f"{kind}: {', '.join(sorted(set(m.group(0) for m in pattern.finditer(text)))[:8])}"
                for kind, pattern in CODE.items() if pattern.search(text)]
    return findings + ([f"{elements} code element(s)"] if elements else [])


def test_site_pages_and_the_reports_frame_show_no_code(scan) -> None:
    """Index, gallery, statement, extra pages; and what the site puts around each report
    (navigation, title page, data banner, footer)."""
    findings = []
    for path in stakeholder_pages():
        report = path.parent == HTML and path.stem in reports()
        selector = REPORT_FRAME if report else "body"
        findings += [f"{path.relative_to(HTML)}: {f}" for f in code_in(scan, path, selector)]
    assert not findings, "code in stakeholder pages:\n" + "\n".join(findings)


def report_cases() -> list[str]:
    return reports() if (HTML / "index.html").is_file() else ["(no site)"]


@pytest.mark.parametrize("name", report_cases())
def test_report_text_shows_no_code(scan, name) -> None:
    findings = code_in(scan, HTML / f"{name}.html", "main")
    assert not findings, f"{name}.html:\n" + "\n".join(findings)


def alt_texts(pdf: bytes) -> list[str]:
    """The /Alt entries of a tagged PDF: UTF-16 hex strings, or literal strings when ASCII."""
    hexed = [bytes.fromhex(h.decode("ascii")).decode("utf-16-be") for h in re.findall(rb"/Alt <FEFF([0-9A-Fa-f]+)>", pdf)]
    literal = [t.decode("latin-1") for t in re.findall(rb"/Alt \(((?:[^()\\]|\\.)*)\)", pdf)]
    return hexed + literal


def test_every_stakeholder_report_has_a_tagged_a4_pdf_linked_from_the_index(site) -> None:
    index = (HTML / "index.html").read_text(encoding="utf-8")
    for name in reports():
        pdf = HTML / f"{name}.pdf"
        assert pdf.is_file(), f"{name}: no PDF (regiopole publish writes it)"
        assert f'href="{name}.pdf"' in index, f"{name}.pdf is not linked from the index"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and b"/StructTreeRoot" in data and b"/MarkInfo" in data, f"{name}.pdf is not tagged"
        assert re.search(rb"/MediaBox \[0 0 59[45]\.\d+ 841\.\d+\]", data), f"{name}.pdf has no A4 page"
        html_ = (HTML / f"{name}.html").read_text(encoding="utf-8")
        figures = html_.count('class="regiopole-figure"')
        alts = alt_texts(data)
        assert len(alts) >= figures, f"{name}.pdf: {len(alts)} alt texts for {figures} figures"
        for alt in alts:
            assert not ENGLISH.search(alt), f"{name}.pdf: English alt text {alt!r}"
