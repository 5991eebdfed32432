"""The site's own pages, the HTML repairs of publishing, and the PDFs printed during a run."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from regiopole.pipeline import publish, site

ROOT = Path(__file__).resolve().parents[1]


def test_frames_get_the_title_of_the_page_they_show() -> None:
    frame = ('<iframe srcdoc="&lt;html lang=&quot;de&quot;&gt;&lt;title&gt;Karte der Region&lt;/title&gt;'
             '&lt;a title=&quot;x&quot;&gt;" style="border:none"></iframe>')
    fixed = publish.accessible(f"<main>{frame}<iframe src='b.html'></iframe><iframe title='Schon da' src='c'></iframe></main>")
    assert '<iframe title="Karte der Region" srcdoc=' in fixed  # a title= inside the srcdoc does not count
    assert "<iframe title=\"Interaktive Karte\" src='b.html'>" in fixed
    assert fixed.count("title=") == 4  # 2 added, the one there kept, the one inside srcdoc untouched


def test_only_outputs_with_a_table_stay_tab_stops() -> None:
    page = ('<div class="jp-Cell jp-CodeCell"><div class="jp-Cell-inputWrapper" tabindex="0">x</div>'
            '<div class="jp-RenderedText jp-OutputArea-output" tabindex="0"><pre>text</pre></div></div>'
            '<div class="jp-Cell jp-CodeCell"><div class="jp-RenderedHTMLCommon jp-OutputArea-output" tabindex="0">'
            '<table><tr><td>1</td></tr></table></div></div>')
    fixed = publish.accessible(page)
    assert fixed.count('tabindex="0"') == 1 and 'jp-OutputArea-output" tabindex="0"><table>' in fixed


def test_site_settings_are_read_and_checked(tmp_path: Path) -> None:
    config = site.site_config(ROOT)
    assert config["feedback"]["email"] and config["statement_date"].count(".") == 2
    broken = tmp_path / site.SITE_CONFIG
    broken.parent.mkdir(parents=True)
    settings = yaml.safe_load((ROOT / site.SITE_CONFIG).read_text(encoding="utf-8"))
    del settings["feedback"]["email"]
    broken.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"site.yaml: missing or wrong settings feedback.email"):
        site.site_config(tmp_path)


def test_footer_says_the_date_in_words_without_folders_or_commits() -> None:
    line = site.footer({"start": "2024-05-03T14:07:00+02:00", "data": {"example": True, "dir": "data/example"},
                        "git": {"commit": "0123456789abcdef", "dirty": True}})
    assert line == "Stand: 03.05.2024, 14:07 Uhr"


def test_pdf_dates_are_fixed_without_moving_bytes() -> None:
    from regiopole.pipeline.pdf import _fixed_dates

    data = b"1 0 obj << /CreationDate (D:20261201214000+00'00') /ModDate (D:20261201214000+00'00') >>"
    fixed = _fixed_dates(data)
    assert len(fixed) == len(data) and b"2026" not in fixed and fixed.count(b"D:19800101000000Z") == 2


def minimal_project(tmp_path: Path) -> Path:
    """An output folder with one executed report notebook and its manifest record."""
    import json

    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from regiopole.pipeline.files import sha256_file

    banner = '<div class="regiopole-banner" role="note" data-status="beispiel">Beispieldaten.</div>'
    nb = new_notebook(cells=[new_markdown_cell("# Bericht"), new_code_cell("x", outputs=[
        new_output("display_data", data={"text/html": banner, "text/plain": "b"})])])
    out = tmp_path / "outputs"
    executed = out / "notebooks" / "07_dossier-05774032.ipynb"
    executed.parent.mkdir(parents=True)
    nbformat.write(nb, str(executed))
    record = {"title": "Dossier", "description": "d", "status": "ok", "start": "2024-05-03T14:07:00+02:00",
              "duration_s": 1.0, "parameters": {}, "inputs": {}, "outputs": {}, "source_sha256": "s", "kernel": "python3",
              "data": {"example": True, "dir": "data/example"},
              "executed_notebook": {"path": "outputs/notebooks/07_dossier-05774032.ipynb", "sha256": sha256_file(executed)}}
    (out / "manifest.json").write_text(json.dumps({"schema": 1, "notebooks": {"07_dossier-05774032": record}}),
                                       encoding="utf-8")
    return out


def test_a_pdf_that_cannot_be_printed_is_a_problem_not_a_silence(tmp_path: Path, monkeypatch) -> None:
    from regiopole.pipeline import pdf

    def broken(pages):
        assert [p.name for p, _ in pages] == ["07_dossier-05774032.html"]  # any report name, one PDF each
        raise pdf.PdfError("no Chromium to print PDFs with")

    monkeypatch.setattr(pdf, "write_pdfs", broken)
    out = minimal_project(tmp_path)
    result = site.publish(tmp_path, out)
    assert result.problems == ["PDF not written: no Chromium to print PDFs with"]
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "Datengrundlage: Beispieldaten" in index and 'href="07_dossier-05774032.pdf"' not in index
    report = (out / "html" / "07_dossier-05774032.html").read_text(encoding="utf-8")
    assert 'href="07_dossier-05774032.pdf"' not in report and "Datengrundlage: Beispieldaten" in report  # no dead link


def test_a_pdf_printed_during_the_run_is_written_only_for_the_page_it_was_printed_from(tmp_path: Path,
                                                                                         monkeypatch) -> None:
    from regiopole.pipeline import pdf
    from regiopole.pipeline.files import sha256_file

    printed_again = []

    def fake(pages):
        printed_again.extend(p.name for p, _ in pages)
        return [target.write_bytes(b"%PDF-printed-by-publish") and target for _, target in pages]

    monkeypatch.setattr(pdf, "write_pdfs", fake)
    out = minimal_project(tmp_path)
    site.publish(tmp_path, out)
    page, target = out / "html" / "07_dossier-05774032.html", out / "html" / "07_dossier-05774032.pdf"
    target.unlink()
    printed_again.clear()
    site.publish(tmp_path, out, printed={"07_dossier-05774032": (sha256_file(page), b"%PDF-from-the-run")})
    assert target.read_bytes() == b"%PDF-from-the-run" and printed_again == []
    target.unlink()
    site.publish(tmp_path, out, printed={"07_dossier-05774032": ("an older page", b"%PDF-stale")})
    assert target.read_bytes() == b"%PDF-printed-by-publish" and printed_again == ["07_dossier-05774032.html"]


def test_the_site_is_written_while_the_last_pdfs_print_and_again_when_one_fails(tmp_path: Path, monkeypatch) -> None:
    """``printed`` as a function is waited for after the site pages: they link the PDF due, and
    lose the link again when it could not be printed, also not by publish itself."""
    from regiopole.pipeline import pdf
    from regiopole.pipeline.files import sha256_file

    out = minimal_project(tmp_path)
    index, page = out / "html" / "index.html", out / "html" / "07_dossier-05774032.html"
    link = 'href="07_dossier-05774032.pdf"'
    monkeypatch.setattr(pdf, "write_pdfs", lambda pages: [t.write_bytes(b"%PDF") and t for _, t in pages])
    site.publish(tmp_path, out)
    (out / "html" / "07_dossier-05774032.pdf").unlink()
    index.unlink()
    seen = []

    def waiting(result):
        def wait():
            seen.append(index.is_file() and link in index.read_text(encoding="utf-8"))
            return result
        return wait

    site.publish(tmp_path, out, printed=waiting({"07_dossier-05774032": (sha256_file(page), b"%PDF-from-the-run")}))
    assert seen == [True] and link in index.read_text(encoding="utf-8")

    def broken(pages):
        raise pdf.PdfError("07_dossier-05774032.html: Chromium could not print it (crashed)")

    monkeypatch.setattr(pdf, "write_pdfs", broken)
    (out / "html" / "07_dossier-05774032.pdf").unlink()
    result = site.publish(tmp_path, out, printed=waiting({}))  # the run could not print it either
    assert seen == [True, True] and result.problems
    assert link not in index.read_text(encoding="utf-8") and link not in page.read_text(encoding="utf-8")


@pytest.mark.browser
def test_background_printer_returns_each_pdf_with_the_hash_of_the_page_it_printed(tmp_path: Path) -> None:
    from regiopole.pipeline.files import sha256_file
    from regiopole.pipeline.pdf import CHROMIUM, BackgroundPrinter

    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is missing (apt-get install chromium)")
    pages = {}
    for i in range(3):
        pages[f"r{i}"] = tmp_path / f"r{i}.html"
        pages[f"r{i}"].write_text(f'<!DOCTYPE html><html lang="de"><title>B{i}</title><h1>Bericht {i}</h1>', encoding="utf-8")
    printer = BackgroundPrinter()
    try:
        for key, path in pages.items():
            printer.submit(key, path)
        printed = printer.results()
    finally:
        printer.close()
    assert set(printed) == set(pages)
    for key, (digest, data) in printed.items():
        assert digest == sha256_file(pages[key]) and data.startswith(b"%PDF-") and b"/StructTreeRoot" in data


def test_pdf_node_ids_are_numbered_in_their_order_without_moving_bytes() -> None:
    from regiopole.pipeline.pdf import _numbered_nodes

    data = b"<</ID (node00000886)>> <</ID (node00000901)>> /Names [(node00000886) 5 0 R (node00000901) 6 0 R] (node123456789)"
    numbered = _numbered_nodes(data)
    assert len(numbered) == len(data)
    assert numbered == (b"<</ID (node00000001)>> <</ID (node00000002)>> /Names [(node00000001) 5 0 R "
                        b"(node00000002) 6 0 R] (node000000003)")


@pytest.mark.browser
def test_a_page_printed_in_a_tab_that_printed_others_gives_the_same_bytes(tmp_path: Path) -> None:
    from regiopole.pipeline.pdf import CHROMIUM, write_pdfs

    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is missing (apt-get install chromium)")
    rows = "".join(f"<tr><th scope='row'>Kommune {i}</th><td>{i}</td></tr>" for i in range(40))
    pages = []
    for i in range(3):
        page = tmp_path / f"r{i}.html"
        page.write_text(f'<!DOCTYPE html><html lang="de"><title>B{i}</title><h1>Bericht {i}</h1>'
                        f'<table><tr><th>Name</th><th>Wert</th></tr>{rows}</table>', encoding="utf-8")
        pages.append(page)
    write_pdfs([(page, page.with_suffix(".pdf")) for page in pages], parallel=1)  # one tab, one page after the other
    alone = tmp_path / "alone.pdf"
    write_pdfs([(pages[2], alone)], parallel=1)
    assert pages[2].with_suffix(".pdf").read_bytes() == alone.read_bytes()
    assert b"(node00000001)" in alone.read_bytes()


def test_no_page_links_a_missing_or_outdated_pdf_and_the_link_returns_with_the_pdf(tmp_path: Path, monkeypatch) -> None:
    """A PDF of an older version of a report is worse than none: when printing fails it goes, with every link to it."""
    import json

    import nbformat

    from regiopole.pipeline import pdf
    from regiopole.pipeline.files import sha256_file

    def printing(pages):
        for _, target in pages:
            target.write_bytes(b"%PDF-1.7 printed")
        return [target for _, target in pages]

    def broken(pages):
        raise pdf.PdfError("07_dossier-05774032.html: Chromium could not print it (crashed)")

    out = minimal_project(tmp_path)
    html_dir = out / "html"
    link = 'href="07_dossier-05774032.pdf"'
    monkeypatch.setattr(pdf, "write_pdfs", printing)
    assert site.publish(tmp_path, out).problems == []
    assert link in (html_dir / "index.html").read_text(encoding="utf-8")
    assert link in (html_dir / "07_dossier-05774032.html").read_text(encoding="utf-8")

    executed = out / "notebooks" / "07_dossier-05774032.ipynb"  # a new run: the report changes, its PDF is due
    nb = nbformat.read(str(executed), as_version=4)
    nb.cells[0].source = "# Bericht, neuer Lauf"
    nbformat.write(nb, str(executed))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["notebooks"]["07_dossier-05774032"]["executed_notebook"]["sha256"] = sha256_file(executed)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(pdf, "write_pdfs", broken)
    result = site.publish(tmp_path, out)
    assert result.problems == ["PDF not written: 07_dossier-05774032.html: Chromium could not print it (crashed)"]
    assert not (html_dir / "07_dossier-05774032.pdf").exists()  # the old PDF would show the old report
    report = (html_dir / "07_dossier-05774032.html").read_text(encoding="utf-8")
    assert "neuer Lauf" in report and link not in report
    assert link not in (html_dir / "index.html").read_text(encoding="utf-8")

    monkeypatch.setattr(pdf, "write_pdfs", printing)  # printing works again: report and index link the new PDF
    assert site.publish(tmp_path, out).problems == []
    assert (html_dir / "07_dossier-05774032.pdf").read_bytes() == b"%PDF-1.7 printed"
    assert link in (html_dir / "07_dossier-05774032.html").read_text(encoding="utf-8")
    assert link in (html_dir / "index.html").read_text(encoding="utf-8")


def test_the_statement_says_where_the_contact_comes_from_and_whether_it_is_confirmed(tmp_path: Path, monkeypatch) -> None:
    from regiopole.pipeline import pdf

    monkeypatch.setattr(pdf, "write_pdfs", lambda pages: [])
    out = minimal_project(tmp_path)
    site.publish(tmp_path, out)
    shipped = (out / "html" / "barrierefreiheit.html").read_text(encoding="utf-8")
    settings = yaml.safe_load((ROOT / site.SITE_CONFIG).read_text(encoding="utf-8"))
    assert f"Herkunft dieser Angabe: {settings['feedback']['source']}." in shipped
    assert settings["feedback"]["confirmed"] is False and "noch nicht bestätigt" in shipped

    settings["feedback"].update(source="Angabe der Projektleitung vom 01.12.2026", confirmed=True)
    (tmp_path / site.SITE_CONFIG).parent.mkdir(parents=True)
    (tmp_path / site.SITE_CONFIG).write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    site.publish(tmp_path, out)
    confirmed = (out / "html" / "barrierefreiheit.html").read_text(encoding="utf-8")
    assert "Herkunft dieser Angabe: Angabe der Projektleitung vom 01.12.2026." in confirmed
    assert "noch nicht bestätigt" not in confirmed


def test_without_pdfs_no_page_links_one_and_the_next_publish_prints_them(tmp_path: Path, monkeypatch) -> None:
    from regiopole.pipeline import pdf

    def printing(pages):
        for _, target in pages:
            target.write_bytes(b"%PDF-1.7 printed")
        return [target for _, target in pages]

    out = minimal_project(tmp_path)
    html_dir, link = out / "html", 'href="07_dossier-05774032.pdf"'
    monkeypatch.setattr(pdf, "write_pdfs", lambda pages: pytest.fail("printed although asked not to"))
    assert site.publish(tmp_path, out, pdf=False).problems == []
    assert not (html_dir / "07_dossier-05774032.pdf").exists()
    assert link not in (html_dir / "07_dossier-05774032.html").read_text(encoding="utf-8")
    assert link not in (html_dir / "index.html").read_text(encoding="utf-8")
    monkeypatch.setattr(pdf, "write_pdfs", printing)
    assert site.publish(tmp_path, out).problems == []
    assert (html_dir / "07_dossier-05774032.pdf").is_file()
    assert link in (html_dir / "07_dossier-05774032.html").read_text(encoding="utf-8")
    assert link in (html_dir / "index.html").read_text(encoding="utf-8")


def test_the_lab_stylesheet_keeps_what_pages_can_use_and_drops_the_rest() -> None:
    from regiopole.pipeline.labcss import trimmed

    css = """:root { --jp-used: 1px; --jp-chain: var(--jp-deep); --jp-deep: red; --jp-icon-x: url(x.svg); }
    .jp-Cell { color: var(--jp-chain); }
    .jp-Dialog .jp-Cell { color: blue; }
    .jp-Cell:not(.jp-mod-active), .jp-FileBrowser { margin: 0; }
    .jp-FileBrowser, .lm-Widget { display: none; }
    table td { padding: 2px; }
    @media print { .jp-Dialog { display: none; } .jp-Cell { break-inside: avoid; } }
    @media screen { .lm-Menu { color: red; } }"""
    out = trimmed(css, ['<div class="jp-Cell">', "border: var(--jp-used)"])
    assert ".jp-Cell {" in out and "--jp-chain" in out and "--jp-deep" in out and "--jp-used" in out
    assert ".jp-Cell:not(.jp-mod-active)" in out and "table td" in out and "break-inside" in out
    assert "jp-Dialog" not in out and "lm-Widget" not in out and "lm-Menu" not in out
    assert "--jp-icon-x" not in out and "@media screen" not in out


@pytest.mark.browser
def test_a_pdf_links_no_file_of_the_computer_it_was_printed_on(tmp_path: Path, monkeypatch) -> None:
    """Links to the site's own pages would be absolute file URLs in the PDF: the folder (with the
    user's name) in a published file, dead links anywhere else, bytes that depend on the folder.
    (The driver keeps its compiled JavaScript in the cache folder meanwhile.)"""
    from regiopole.pipeline.pdf import CHROMIUM, NODE_CACHE_ENV, use_node_cache, write_pdfs

    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian's chromium is missing (apt-get install chromium)")
    text = ('<!DOCTYPE html><html lang="de"><title>B</title><h1 id="oben">Bericht</h1>'
            '<p><a href="index.html">Alle Berichte</a> · <a href="seiten/karte.html">Karte</a> · '
            '<a href="https://www.bundesnetzagentur.de/">Bundesnetzagentur</a> · <a href="#oben">nach oben</a></p>')
    pages = []
    for folder in ("a", "ein/anderer/ordner"):
        page = tmp_path / folder / "bericht.html"
        page.parent.mkdir(parents=True)
        page.write_text(text, encoding="utf-8")
        pages.append(page)
    monkeypatch.delenv(NODE_CACHE_ENV, raising=False)  # restored afterwards
    use_node_cache(tmp_path / "cache")
    write_pdfs([(page, page.with_suffix(".pdf")) for page in pages])
    assert any(path.is_file() for path in (tmp_path / "cache" / "node").rglob("*"))
    first, second = (page.with_suffix(".pdf").read_bytes() for page in pages)
    assert b"file:" not in first and str(tmp_path).encode() not in first
    assert b"(https://www.bundesnetzagentur.de/)" in first
    assert first == second


def test_the_trimmed_stylesheet_is_kept_for_the_next_process_and_made_anew_when_a_source_changes(
        tmp_path: Path, monkeypatch) -> None:
    from regiopole.pipeline import labcss

    paths = tuple(publish._exporter(False).template_paths)
    made = labcss.lab_css.__wrapped__(paths, tmp_path)  # not the per-process cache: as in a new process
    assert made == labcss.lab_css.__wrapped__(paths)  # the same as trimmed without a cache
    [entry] = tmp_path.glob("labcss-*.css")
    trims = []
    real_trimmed = labcss.trimmed
    monkeypatch.setattr(labcss, "trimmed", lambda css, texts: trims.append(1) or real_trimmed(css, texts))
    assert labcss.lab_css.__wrapped__(paths, tmp_path) == made and trims == []  # read from the folder
    real_sources = labcss.sources
    monkeypatch.setattr(labcss, "sources", lambda p: [*real_sources(p), '<div class="jp-InputPrompt">'])
    labcss.lab_css.__wrapped__(paths, tmp_path)  # a template now writes another class
    assert trims == [1]
    [newer] = tmp_path.glob("labcss-*.css")
    assert newer != entry  # the entry of the old sources is gone


def test_compiled_templates_are_kept_and_the_pages_stay_the_same(tmp_path: Path) -> None:
    """Jinja's bytecode cache in the output folder: the same page with and without it, and a
    template whose source changed is compiled anew (jinja checks each entry's source checksum)."""
    import jinja2
    from nbformat import v4

    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Bericht\n\nText."),
                                v4.new_code_cell("1", outputs=[v4.new_output("display_data", {"text/html": "<b>1</b>"})])],
                         metadata={"language_info": {"name": "python"}})
    plain = publish.render_notebook(nb, "r", "Bericht", tmp_path / "plain", code=False)[0].read_bytes()
    cached = publish.render_notebook(nb, "r", "Bericht", tmp_path / "cached", code=False,
                                     cache_dir=tmp_path / "cache")[0].read_bytes()
    assert cached == plain and any((tmp_path / "cache" / "templates").iterdir())

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.j2").write_text("eins", encoding="utf-8")

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=publish.template_cache(tmp_path))
        return env.get_template("t.j2").render()

    assert render() == "eins"
    (folder / "t.j2").write_text("zwei", encoding="utf-8")
    assert render() == "zwei"


def test_a_printer_started_after_it_was_closed_starts_no_browser() -> None:
    """The run starts the browser from the thread that warms up the HTML templates; when the run
    ends first (every notebook failed at once), closing must win: no browser is left running."""
    from regiopole.pipeline.pdf import BackgroundPrinter

    printer = BackgroundPrinter()
    assert printer.results() == {}
    printer.close()
    printer.start(pages=1)
    assert printer._thread is None
    printer.close()


def _structure(pdf: bytes) -> dict[str, object]:
    """What a reader of the PDF gets besides the pixels: pages, tags, alt texts, outline, language."""
    return {"pages": len(re.findall(rb"/Type /Page\b", pdf)), "media": sorted(set(re.findall(rb"/MediaBox \[[^\]]*\]", pdf))),
            "tags": Counter(tag.decode() for tag in re.findall(rb"/S /(\w+)", pdf)), "alt": re.findall(rb"/Alt <[0-9A-F]+>|/Alt \([^)]*\)", pdf), "outline": b"/Outlines" in pdf,
            "lang": re.findall(rb"/Lang \(\w+\)", pdf)}


@pytest.mark.browser
def test_the_headless_shell_prints_what_the_full_browser_prints(tmp_path: Path, monkeypatch) -> None:
    """PDFs are printed by Debian's chromium-headless-shell where it is installed (it starts in
    half the time); a reader must get the same PDF from it as from the full browser: the same
    pages, structure tags, alt texts, outline and language. CI installs both and prints with the shell."""
    from regiopole.pipeline import pdf

    if os.environ.get("CI"):
        assert pdf.CHROMIUM == pdf.HEADLESS_SHELL, ".ci/run must install chromium-headless-shell: PDFs print with it"
    full = Path("/usr/bin/chromium")
    if not (pdf.HEADLESS_SHELL.exists() and full.exists()):
        pytest.skip("needs both Debian's chromium and chromium-headless-shell (apt-get install chromium chromium-headless-shell)")
    rows = "".join(f"<tr><th scope='row'>Kommune {i}</th><td>{i}</td></tr>" for i in range(60))
    figure = ('<figure><img alt="Balkendiagramm: Anteil der Haushalte mit Gigabit" src="data:image/png;base64,'
              'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==" '
              'width="200" height="100"><figcaption>Gigabit</figcaption></figure>')
    page = tmp_path / "bericht.html"
    page.write_text(f'<!DOCTYPE html><html lang="de"><title>Bericht</title><h1>Bericht</h1><h2>Teil</h2><p>Text</p>'
                    f'{figure}<ul><li>eins</li><li>zwei</li></ul><table><tr><th>Name</th><th>Wert</th></tr>{rows}</table>',
                    encoding="utf-8")
    printed = {}
    for browser in (pdf.HEADLESS_SHELL, full):
        monkeypatch.setattr(pdf, "CHROMIUM", browser)
        target = tmp_path / f"{browser.name}.pdf"
        pdf.write_pdfs([(page, target)])
        printed[browser.name] = _structure(target.read_bytes())
    shell, browser = printed.values()
    assert shell == browser and shell["pages"] >= 2 and "Figure" in shell["tags"] and len(shell["alt"]) == 1
