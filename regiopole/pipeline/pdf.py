"""Tagged A4 PDFs of the stakeholder reports, printed by headless Chromium through Playwright.

Each report prints with its print stylesheet (``templates/report_style.css.j2``): a title
page with data status and date, tables that fit the page (too wide ones on landscape
pages, see ``report_print.js.j2``), headings kept with what follows. Interactive maps
(frames) are replaced by a picture of themselves, since a frame does not print. Chromium
writes a tagged PDF: headings, tables and figures with their German alt texts are in the
structure a screen reader reads. Page numbers are in the footer. The PDF's dates are fixed,
so that the same page gives the same bytes.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import threading
from pathlib import Path

from regiopole.pipeline.files import sha256_file, write_bytes_atomic

#: Debian's chromium-headless-shell: Chromium's headless-only build, which Playwright itself
#: prints with when it brings its own browser. It starts in half the time of the full browser
#: and prints the same pages (same structure, same text, the same pixels).
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
#: The browser that prints: ``REGIOPOLE_CHROMIUM`` if set, else the headless shell if installed,
#: else Debian's chromium.
CHROMIUM = Path(os.environ.get("REGIOPOLE_CHROMIUM") or (HEADLESS_SHELL if HEADLESS_SHELL.exists() else "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
#: CSS px per mm; the print layout is measured at the A4 portrait text width (210 - 2 x 15 mm).
PX_PER_MM = 96 / 25.4
TEXT_WIDTH_PX = round(180 * PX_PER_MM)
FOOTER = ('<div style="font-family: DejaVu Sans, sans-serif; font-size: 7.5pt; color: #404040; width: 100%; '
          'margin: 0 15mm; display: flex; justify-content: space-between">'
          '<span class="title"></span><span>Seite <span class="pageNumber"></span> von '
          '<span class="totalPages"></span></span></div>')
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{14}[^)]*\)")
_FIXED_DATE = b"D:19800101000000Z"
#: Pages printed at the same time.
PARALLEL = 3
#: Pages printed at the same time while notebooks still run (the kernels need the cores too).
PARALLEL_BESIDE_RUN = 2


#: Node's own cache of compiled JavaScript (Node >= 22.1), for Playwright's driver.
NODE_CACHE_ENV = "NODE_COMPILE_CACHE"


class PdfError(RuntimeError):
    """Chromium could not print a page."""


def use_node_cache(cache_dir: Path | None) -> None:
    """Let Playwright's driver keep its compiled JavaScript in ``<cache_dir>/node``.

    The driver is a Node process that compiles Playwright's 10 MB of JavaScript each time it
    starts, a tenth of a second of CPU in every run that prints. Node keeps and checks the
    cache itself (an entry is used only for the same file and Node version). The driver
    inherits this process's environment, so it is set there; a value already set is kept.
    """
    if cache_dir is not None:
        os.environ.setdefault(NODE_CACHE_ENV, str(cache_dir / "node"))


_NODE_ID = re.compile(rb"\(node(\d{8,})\)")


def _numbered_nodes(data: bytes) -> bytes:
    """Number the structure elements' IDs (``(node00000886)``: Chromium's DOM node counter,
    which goes on counting in a tab that printed other pages before) 1, 2, 3 ... in their own
    order, each with as many digits as before: the same page gives the same bytes in any tab,
    the ID tree stays sorted and no byte offset moves."""
    ranks = {old: rank for rank, old in enumerate(sorted(set(_NODE_ID.findall(data)), key=int), start=1)}
    return _NODE_ID.sub(lambda m: b"(node" + str(ranks[m.group(1)]).zfill(len(m.group(1))).encode() + b")", data)


def _fixed_dates(data: bytes) -> bytes:
    """Replace the PDF's creation and modification dates by a fixed one of the same length
    (the cross-reference table counts bytes, so nothing else moves)."""
    def fixed(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" (" + _FIXED_DATE + b")"
        return new + b" " * (len(old) - len(new)) if len(new) <= len(old) else old
    return _PDF_DATE.sub(fixed, data)


async def _route(route) -> None:  # noqa: ANN001 - playwright's Route
    """The pages are self-contained: anything from the network is refused."""
    if route.request.url.startswith(("file:", "data:", "about:", "blob:")):
        await route.continue_()
    else:
        await route.abort()


async def _freeze_frames(page, front: asyncio.Lock) -> int:  # noqa: ANN001 - playwright's Page
    """Replace every frame (interactive map) by a picture of it, with the frame's title as alt text.

    A headless tab that is not in front gets its frames drawn late: a frame's screenshot there
    waited up to 6 s while another tab printed. The tab is brought to the front for its
    screenshots, one tab at a time (``front``)."""
    frames = await page.query_selector_all("main iframe")
    if not frames:
        return 0
    async with front:
        await page.bring_to_front()
        for frame in frames:
            await frame.scroll_into_view_if_needed()
            picture = base64.b64encode(await frame.screenshot(type="png", animations="disabled")).decode("ascii")
            await frame.evaluate(
                """(el, src) => {
                    const img = document.createElement('img');
                    img.src = src;
                    img.alt = (el.title || 'Interaktive Karte') + ' (Abbild der interaktiven Karte)';
                    img.className = 'regiopole-frame-picture';
                    img.style.cssText = 'width: 100%; height: auto; display: block; border: 1px solid #d0d0d0';
                    const box = el.parentElement;
                    box.style.paddingBottom = '0'; box.style.height = 'auto';
                    el.replaceWith(img);
                }""", f"data:image/png;base64,{picture}")
    return len(frames)


#: Before printing: the page's print script (landscape tables), and links to the site's own
#: files made plain text. Chromium writes every link as an absolute URL: in a PDF, a link to
#: ``index.html`` would read ``file:///home/<user>/.../index.html``, leak the folder, work on
#: no other computer and make the PDF's bytes depend on where the project lies. Links within
#: the page (``#...``) and to the internet stay.
_PREPARE = """() => {
    if (window.regiopolePrepareForPrint) { window.regiopolePrepareForPrint(); }
    document.querySelectorAll('a[href]').forEach((a) => {
        if (!a.getAttribute('href').startsWith('#') && a.protocol === 'file:') { a.removeAttribute('href'); }
    });
}"""


def _has_frames(html_path: Path) -> bool:
    """Whether the page may hold a frame: most pages have none, and asking the browser costs a round trip."""
    return b"<iframe" in html_path.read_bytes()


async def _print(page, html_path: Path, front: asyncio.Lock) -> bytes:  # noqa: ANN001 - playwright's Page
    """Print one page in a tab that shows print media (see :class:`_Pages`): the page is laid out
    for print from the start, not for the screen first. A page with frames loads on screen
    media, so that its maps are pictured as on screen, and then changes to print."""
    frames = _has_frames(html_path)
    if frames:
        await page.emulate_media(media="screen")
    await page.goto(html_path.resolve().as_uri(), wait_until="load")
    if frames:
        await _freeze_frames(page, front)
        await page.emulate_media(media="print")
    await page.evaluate(_PREPARE)
    return await page.pdf(format="A4", print_background=True, prefer_css_page_size=True, tagged=True,
                          outline=True, display_header_footer=True, header_template="<span></span>",
                          footer_template=FOOTER)


class _Pages:
    """Browser tabs kept open between pages: opening a tab per page cost about a fifth of the
    printing time. Tabs show print media: loading a page for the screen first, then changing
    to print and back cost a tenth of the printing time, for the same bytes. A tab that failed
    is closed, not reused."""

    def __init__(self, context):  # noqa: ANN001 - playwright's BrowserContext
        self.context, self.idle, self.front = context, [], asyncio.Lock()

    async def open(self, count: int) -> None:
        """Open ``count`` tabs ahead: a new tab and its first page cost about half a second."""
        while len(self.idle) < count:
            self.idle.append(await self._new())

    async def _new(self):  # noqa: ANN202 - playwright's Page
        page = await self.context.new_page()
        await page.emulate_media(media="print")
        return page

    async def print(self, html_path: Path) -> bytes:
        page = self.idle.pop() if self.idle else await self._new()
        try:
            data = await _print(page, html_path, self.front)
        except BaseException:
            await page.close()
            raise
        self.idle.append(page)
        return data


async def _launch(playwright):  # noqa: ANN001, ANN202 - playwright's objects
    from playwright.async_api import Error as PlaywrightError

    try:  # without Debian's chromium: Playwright's own (`playwright install chromium`)
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM) if CHROMIUM.exists() else None,
                                                   args=ARGS)
    except PlaywrightError as exc:
        raise PdfError(f"no Chromium to print PDFs with ({CHROMIUM} is missing): install Debian's "
                       "chromium-headless-shell or chromium (apt-get install chromium-headless-shell), run "
                       "`playwright install chromium`, or set REGIOPOLE_CHROMIUM to a Chromium executable "
                       f"({str(exc).splitlines()[0]})") from exc
    context = await browser.new_context(viewport={"width": TEXT_WIDTH_PX, "height": 1000})
    await context.route("**/*", _route)
    return browser, context


async def _printed(pages: _Pages, html_path: Path) -> bytes:
    from playwright.async_api import Error as PlaywrightError

    try:
        return _numbered_nodes(_fixed_dates(await pages.print(html_path)))
    except PlaywrightError as exc:
        raise PdfError(f"{html_path.name}: Chromium could not print it ({exc})") from exc


async def _print_all(pages: list[tuple[Path, Path]], parallel: int) -> list[Path]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser, context = await _launch(playwright)
        try:
            turns, tabs = asyncio.Semaphore(parallel), _Pages(context)

            async def one(html_path: Path, pdf_path: Path) -> Path:
                async with turns:
                    data = await _printed(tabs, html_path)
                return write_bytes_atomic(pdf_path, data)

            return list(await asyncio.gather(*(one(h, p) for h, p in pages)))
        finally:
            await browser.close()


class BackgroundPrinter:
    """Prints pages while the run goes on: a report's PDF is made as soon as its HTML is written,
    beside the notebooks that still execute, instead of all PDFs after the last notebook.

    The PDFs are kept in memory, not written: :func:`regiopole.pipeline.site.publish` writes
    them once the run's disclosure audit has passed, and only if the page has not changed since
    (the SHA-256 of the HTML that was printed comes with each PDF). A page that cannot be
    printed here is simply printed again by ``publish``, which reports the error.
    """

    def __init__(self, parallel: int = PARALLEL_BESIDE_RUN):
        self.parallel = parallel
        self.printed: dict[str, tuple[str, bytes]] = {}
        self._failed: dict[str, str] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._futures: list = []
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._eager = False  # start the browser before the first page (``start``)
        self._ahead = parallel  # tabs opened with the browser
        self._lock = threading.Lock()
        self._closed = False
        self._stopping = False

    def start(self, pages: int | None = None) -> None:
        """Start the browser now, beside the first kernels, so that the first page need not wait
        for it (returns at once: Playwright and the browser start in the printer's thread).
        ``pages``: how many pages may come at most; no more tabs are opened ahead than that
        (each is a renderer process to start, on a machine whose cores the kernels need)."""
        self._ahead = self.parallel if pages is None else max(1, min(self.parallel, pages))
        self._eager = True
        self._start_thread(wait=False)

    def submit(self, key: str, html_path: Path) -> None:
        """Print ``html_path`` in the background under ``key``."""
        if self._start_thread() is None:
            return  # Playwright did not start; publish prints the page and says why it cannot
        self._futures.append(asyncio.run_coroutine_threadsafe(self._one(key, html_path), self._loop))

    def _start_thread(self, wait: bool = True) -> asyncio.AbstractEventLoop | None:
        with self._lock:  # start() may come from another thread than submit(), or after close()
            if self._closed:
                return None
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="regiopole-pdf", daemon=True)
                self._thread.start()
        if wait:
            self._ready.wait()
        return self._loop

    def results(self) -> dict[str, tuple[str, bytes]]:
        """Wait for every submitted page; ``key -> (sha256 of the printed HTML, PDF bytes)`` of those printed.

        The browser then begins to close, beside what the caller does next; ``close`` waits for it."""
        for future in self._futures:
            future.result()
        self._begin_stop()
        return dict(self.printed)

    def close(self) -> None:
        """Stop the browser (pages still printing are abandoned: ``publish`` prints them); a
        ``start`` after this starts nothing."""
        with self._lock:
            self._closed = True
        if self._thread is not None:
            self._begin_stop()
            self._thread.join()
            self._loop = self._thread = None
            self._stopping = False

    def _begin_stop(self) -> None:
        if self._thread is not None and not self._stopping:
            self._ready.wait()  # started by start(), which does not wait for Playwright
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._stop.set)
            self._stopping = True

    def _serve(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception:  # noqa: BLE001 - no background printing; publish prints the pages and reports why not
            self._loop = None

    async def _main(self) -> None:
        from playwright.async_api import async_playwright

        self._stop, self._turns, self._launching = asyncio.Event(), asyncio.Semaphore(self.parallel), asyncio.Lock()
        self._browser = self._context = None
        try:
            async with async_playwright() as playwright:
                self._playwright = playwright
                self._loop = asyncio.get_running_loop()
                self._ready.set()
                if self._eager:
                    await self._prelaunch()
                await self._stop.wait()
                if self._browser is not None:
                    await self._browser.close()
        finally:
            self._ready.set()  # also when Playwright itself could not start: submit() must not wait forever

    async def _tabs_ready(self) -> _Pages:
        async with self._launching:
            if self._context is None:
                self._browser, self._context = await _launch(self._playwright)
                self._tabs = _Pages(self._context)
        return self._tabs

    async def _prelaunch(self) -> None:
        try:
            await (await self._tabs_ready()).open(self._ahead)
        except Exception:  # noqa: BLE001 - the first page tries again and records why it could not print
            return

    async def _one(self, key: str, html_path: Path) -> None:
        async with self._turns:
            try:
                await self._tabs_ready()
                digest = sha256_file(html_path)
                data = await _printed(self._tabs, html_path)
                if sha256_file(html_path) == digest:  # else the page changed while printing: publish prints it
                    self.printed[key] = (digest, data)
            except Exception as exc:  # noqa: BLE001 - publish prints it again and reports the error
                self._failed[key] = str(exc)


def write_pdfs(pages: list[tuple[Path, Path]], parallel: int = PARALLEL) -> list[Path]:
    """Print each ``(html, pdf)`` pair: the HTML page (from disk) to a tagged A4 PDF.

    One browser for all pages, ``parallel`` pages at a time (Chromium lays out and prints
    each in its own process). Raises :class:`PdfError` naming the page that failed.
    """
    if not pages:
        return []
    return asyncio.run(_print_all(pages, parallel))
