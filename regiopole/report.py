"""What every report notebook shares: the data banner, captions, and writing figures and tables.

A notebook starts with :func:`start`, which applies the plot style, shows whether it runs
on example data and returns a :class:`Report` that saves figures (PNG and SVG, byte-stable)
and tables (CSV and XLSX) into the output folder, each written atomically.
:func:`german_table` shows a table the way German readers expect (display only).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import io
import numbers
import os
import re
import zipfile
from collections.abc import Callable
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from regiopole import style
from regiopole.data import DatasetInfo, Region, dataset_info, load_region
from regiopole.data.atomic import atomic_path
from regiopole.paths import resolve

if TYPE_CHECKING:  # pyplot (half a second of imports) is imported where a figure is drawn or saved
    import matplotlib.pyplot as plt

EXAMPLE_NOTE = "Beispieldaten: generiert, nicht die Ergebnisse des Modellprojekts"


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result onto ``target``."""
    with atomic_path(target) as tmp:
        write(tmp)
    return target


#: Data status of a report, one word each, used alike by banner, badge, footer and PDF title page.
DATA_STATUS = {"oeffentlich": "Öffentliche Daten", "beispiel": "Beispieldaten", "projekt": "Projektdaten"}
_BANNER_STYLE = {"oeffentlich": "#e8f5e9; border-left: 6px solid #2e7d32",
                 "beispiel": "#fff3cd; border-left: 6px solid #8a6d00",
                 "projekt": "#e7f1ff; border-left: 6px solid #2171b5"}


def data_status(info: DatasetInfo, public_data_only: bool = False) -> str:
    """Key of :data:`DATA_STATUS` for a report on ``info`` (``public_data_only``: official facts only)."""
    return "oeffentlich" if public_data_only else "beispiel" if info.is_example else "projekt"


def banner_html(info: DatasetInfo, public_data_only: bool = False) -> str:
    """HTML banner saying, in plain German, which data the report shows.

    Carries ``data-status`` (a key of :data:`DATA_STATUS`): the site reads it, so that
    badge, footer and PDF title page say the same as the banner.
    """
    status = data_status(info, public_data_only)
    if status == "oeffentlich":
        text = ("<strong>Öffentliche Daten.</strong> Dieser Bericht beruht nur auf veröffentlichten Quellen, vor allem "
                "amtlicher Statistik (Quellen am Ende). Angaben ohne amtlichen Beleg sind als „nicht amtlich geprüft“ "
                "gekennzeichnet. Befragungs-, Workshop- und Abstimmungsdaten kommen in diesem Bericht nicht vor.")
        if info.is_example:
            text += " Die übrigen Berichte beruhen auf <strong>Beispieldaten</strong>."
    elif status == "beispiel":
        text = ("<strong>Beispieldaten.</strong> Dieser Bericht beruht auf erfundenen Beispieldaten. Alle Befragungs-, "
                "Workshop- und Abstimmungswerte zeigen nur, wie die Auswertung aussieht; sie sind nicht die Ergebnisse "
                "des Modellprojekts.")
    else:
        text = ("<strong>Projektdaten.</strong> Dieser Bericht beruht auf den im Modellprojekt erhobenen Daten"
                f"{': ' + html.escape(info.description) if info.description else '.'}")
    return (f'<div class="regiopole-banner" role="note" data-status="{status}" '
            f'style="background:{_BANNER_STYLE[status]}; color:#1a1a1a; padding:0.8em 1em; margin:0.5em 0">{text}</div>')


def caption_text(text: str, info: DatasetInfo, public_data: bool = False) -> str:
    """A figure caption that always says where the data come from."""
    if public_data:
        return text
    return f"{text} ({EXAMPLE_NOTE})" if info.is_example else f"{text} (Projektdaten)"


FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "1980-01-01T00:00:00Z"


def write_xlsx(table: pd.DataFrame, path: Path, sheet_name: str, index: bool = False) -> None:
    """Write an Excel file that is byte-identical for identical tables.

    openpyxl stamps the save time into ``docProps/core.xml`` and into every zip entry;
    both are replaced by a fixed date so that reruns do not produce spurious changes.
    """
    buffer = io.BytesIO()
    table.to_excel(buffer, index=index, sheet_name=sheet_name, engine="openpyxl")
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DOC_TIME.encode(), data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)


def figure_html(png: Path, alt: str, caption: str, width: int) -> str:
    """The saved PNG as an HTML ``figure``: German alt text, caption and source as text.

    The caption is text (not pixels) so that it reflows on a phone, prints sharply and is
    read aloud; the image is embedded so the report stays one self-contained file.
    """
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (f'<figure class="regiopole-figure" id="abb-{html.escape(png.stem)}">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" width="{width}" '
            'style="max-width:100%; height:auto">'
            f'<figcaption>{html.escape(caption)}</figcaption></figure>')


def show_saved(fig: plt.Figure, png: Path, alt: str, caption: str) -> None:
    """In a notebook, show the saved PNG with its alt text and caption as an HTML figure.

    The report then shows exactly the published file, and each figure is rendered twice
    (PNG, SVG) instead of three times. Outside IPython nothing is shown or closed.
    """
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython comes with jupyterlab
        return
    if get_ipython() is None:
        return
    import matplotlib.pyplot as plt
    from PIL import Image as PILImage

    plt.close(fig)
    with PILImage.open(png) as saved:
        pixels = saved.width
    # Saved at print resolution (savefig.dpi), shown at the notebook's 100 dpi.
    width = round(pixels * 100 / float(plt.rcParams["savefig.dpi"]))
    display(HTML(figure_html(png, alt, caption, width)), metadata={"regiopole": {"alt": alt}})


NO_VALUE = "–"
_NUMERIC_TEXT = re.compile(r"[-−+]?\d|\.$")  # "9 von 24 (38 %)", "-0,33", the privacy marker "."
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def german_date(value: str | datetime.date) -> str:
    """A date the German way: ``"2019-12-31"`` (or a date) -> ``"31.12.2019"``; other text unchanged."""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    iso = _ISO_DATE.fullmatch(value)
    return f"{iso[3]}.{iso[2]}.{iso[1]}" if iso else value


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and not pd.isna(value)


def _decimals(values: list[float], cap: int) -> int:
    """The fewest decimals (at most ``cap``) that show every value exactly."""
    for decimals in range(cap):
        if all(abs(v - round(v, decimals)) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return cap


def _cell_formatter(values: pd.Series, percent: bool, decimals: int | None) -> Callable[[object], object]:
    """Format numbers and dates of one column the German way; flags as ja/nein; other text (and ".") unchanged."""
    numbers_ = [float(v) * (100 if percent else 1) for v in values if _is_number(v)]
    if decimals is None and numbers_:
        largest = max(abs(v) for v in numbers_)
        decimals = _decimals(numbers_, 1 if percent or largest >= 10 else 2 if largest >= 1 else 3)
    number = style.german_percent if percent else style.german_number

    def cell(value: object) -> object:
        if isinstance(value, (bool, np.bool_)):
            return "ja" if value else "nein"
        if isinstance(value, (str, datetime.date)):
            return german_date(value)
        return number(float(value), decimals) if _is_number(value) else value

    return cell


def _is_text(values: pd.Series) -> bool:
    """A column of words (left-aligned) rather than numbers, counts written out, or "."."""
    cells = [v for v in values if not (pd.api.types.is_scalar(v) and pd.isna(v))]
    return any(isinstance(v, (bool, np.bool_)) or (isinstance(v, str) and not _NUMERIC_TEXT.match(v)) for v in cells)


def _has_long_words(values: pd.Series, length: int = 30) -> bool:
    """Whether a cell holds a word longer than ``length`` characters (a URL, a file path)."""
    return any(isinstance(v, str) and any(len(word) > length for word in v.split()) for v in values)


def german_table(table: pd.DataFrame, percent: Collection[str] = (), decimals: Mapping[str, int] | None = None,
                 index: bool = False) -> Styler:
    """``table`` for display in a German report; the table itself (and what is saved) is unchanged.

    Numbers get a decimal comma and a thousands point (``180.000``, ``66,7``); columns named in
    ``percent`` hold shares 0-1 and are shown as ``42,9 %``. Each column shows all its numbers
    with the same decimals: those in ``decimals`` (per column) or the fewest that show its
    values exactly, at most 1 from 10 on (and for percentages), 2 from 1 on, 3 below 1.
    ``True``/``False`` read "ja"/"nein", dates ``31.12.2019``, missing values "–"; other text,
    including the privacy marker ".", is shown as it is (HTML-escaped). Columns of words are
    left-aligned, columns of numbers (also "." and counts written out, "9 von 24 (38 %)")
    right-aligned. The index is hidden unless ``index=True`` (row labels kept in the index).
    """
    unknown = [c for c in (*percent, *(decimals or {})) if c not in table.columns]
    if unknown:
        raise ValueError(f"german_table: the table has no column {unknown}; its columns are {list(table.columns)}")
    uuid = hashlib.sha1(table.to_csv().encode("utf-8")).hexdigest()[:10]  # same table, same HTML
    if index and table.index.nlevels == 1:
        # the index's name heads the row labels in the header row itself, not in a second header
        # row of its own (which leaves empty header cells that screen readers announce)
        table = table.rename_axis(index=None, columns=table.index.name or table.columns.name)
    styler = Styler(table, uuid=uuid, cell_ids=False)
    for position, column in enumerate(table.columns):
        values = table.iloc[:, position]
        styler.format(_cell_formatter(values, column in percent, (decimals or {}).get(column)),
                      subset=pd.IndexSlice[:, [column]], na_rep=NO_VALUE, escape="html")
        if _is_text(values):
            # a column with URLs may wrap them anywhere, so that the table still fits the page
            wrap = "; overflow-wrap: anywhere" if _has_long_words(values) else ""
            styler.set_table_styles([{"selector": f"td.col{position}, th.col_heading.col{position}",
                                      "props": f"text-align: left{wrap}"}], overwrite=False)
    return styler if index else styler.hide(axis="index")


@dataclass
class Report:
    """Output context of one notebook run."""

    info: DatasetInfo
    region: Region
    output_dir: Path
    written: list[Path] = field(default_factory=list)

    @property
    def figures_dir(self) -> Path:
        return self.output_dir / "figures"

    @property
    def tables_dir(self) -> Path:
        return self.output_dir / "tables"

    def input_table(self, file_name: str, given: str | os.PathLike[str] | None = None) -> Path:
        """Path of a table another report writes: ``given`` if set, else ``<output_dir>/tables/<file_name>``."""
        return resolve(given) if given else self.tables_dir / file_name

    def caption(self, text: str, public_data: bool = False) -> str:
        """Caption text with the data label (``public_data``: official facts, no label needed)."""
        return caption_text(text, self.info, public_data)

    def save_figure(self, fig: plt.Figure, name: str, caption: str, public_data: bool = False,
                    alt: str | None = None) -> list[Path]:
        """Write ``figures/<name>.png`` and ``.svg`` and show the figure with its caption as text.

        ``alt`` is the German alt text (what the figure shows, for readers who cannot see
        it); without it the figure's ``alt_text`` attribute is used, which the package's
        figure functions set. Captions of figures from project data say whether they show
        example data; ``public_data=True`` marks figures of official public facts (the
        caption names the source). Caption and alt text are stored in the files' metadata
        (PNG text chunks ``Title``/``Description``, SVG title/description) for the gallery.
        """
        alt = alt if alt is not None else getattr(fig, "alt_text", None)
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError(
                f"save_figure({name!r}): the figure has no alt text. Set fig.alt_text = '<German text saying what "
                "the figure shows>' in the function that draws it, or pass alt='...' to save_figure.")
        import matplotlib.pyplot as plt
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image, PngImagePlugin

        alt = " ".join(alt.split())
        text = self.caption(caption, public_data)
        screen_dpi, save_dpi = fig.dpi, plt.rcParams["savefig.dpi"]
        # Laid out at the PNG's resolution: text extents vary with it (font hinting).
        fig.set_dpi(screen_dpi if save_dpi == "figure" else save_dpi)
        try:
            canvas = fig.canvas
            renderer = canvas.get_renderer()
            # One layout pass for both files: bbox_inches="tight" would lay the figure out again per file.
            bbox = fig.get_tightbbox(renderer).padded(plt.rcParams["savefig.pad_inches"])
            agg = isinstance(canvas, FigureCanvasAgg) and hasattr(canvas, "_lastKey")
            box = (int(bbox.width * fig.dpi), int(bbox.height * fig.dpi), fig.dpi)
            if agg:
                # The PNG is drawn by this same renderer, sized to the box as Agg would size a new
                # one (same pixels): matplotlib keeps text extents per renderer, so a new renderer
                # measured every text of the figure a second time (a tenth of the figure's time).
                renderer.__init__(*box)
                canvas._lastKey = box  # FigureCanvasAgg.get_renderer reuses its renderer for this key

            def write_png(tmp: Path) -> None:
                if agg:  # drawn into the renderer; the raw pixels matplotlib writes out are not needed
                    fig.savefig(os.devnull, format="rgba", bbox_inches=bbox)
                if not agg or canvas.renderer is not renderer:
                    fig.savefig(tmp, format="png", bbox_inches=bbox, metadata={"Software": None, "Title": text,
                                "Description": alt}, pil_kwargs={"compress_level": 3})
                    return
                # matplotlib's own PNG writer (the same PIL calls), but a figure without transparency
                # is written as RGB: the same pixels without the alpha channel that is 255 throughout,
                # which halves the compression time and makes the file a tenth smaller.
                image = Image.frombuffer("RGBA", box[:2], renderer.buffer_rgba(), "raw", "RGBA", 0, 1)
                if image.getextrema()[3] == (255, 255):
                    image = image.convert("RGB")
                info = PngImagePlugin.PngInfo()
                info.add_text("Title", text)
                info.add_text("Description", alt)
                # zlib level 3 instead of PIL's 6: a third less time, files within a few per cent.
                image.save(tmp, format="png", pnginfo=info, dpi=(fig.dpi, fig.dpi), compress_level=3)

            png = write_atomic(self.figures_dir / f"{name}.png", write_png)
            svg = write_atomic(self.figures_dir / f"{name}.svg", lambda tmp: fig.savefig(
                tmp, format="svg", bbox_inches=bbox, metadata={"Date": None, "Creator": None, "Title": text,
                                                               "Description": alt, "Language": "de"}))
            paths = [png, svg]
        finally:
            fig.set_dpi(screen_dpi)
        self.written += paths
        show_saved(fig, paths[0], alt, text)
        return paths

    def save_table(self, table: pd.DataFrame, name: str, index: bool = False) -> list[Path]:
        """Write ``tables/<name>.csv`` (UTF-8) and ``tables/<name>.xlsx`` for Excel users."""
        csv_path = write_atomic(self.tables_dir / f"{name}.csv",
                                lambda tmp: table.to_csv(tmp, index=index, encoding="utf-8", lineterminator="\n"))
        xlsx_path = write_atomic(self.tables_dir / f"{name}.xlsx",
                                 lambda tmp: write_xlsx(table, tmp, sheet_name=name[:31], index=index))
        self.written += [csv_path, xlsx_path]
        from regiopole.privacy.audit import SIDE_CAR_DIR, write_structure  # the table's structure for the disclosure audit
        side_car = write_structure(table, self.output_dir / SIDE_CAR_DIR, name)
        self.written += [side_car] if side_car else []
        return [csv_path, xlsx_path]


def start(data_dir: str | os.PathLike[str], output_dir: str | os.PathLike[str], region: str | os.PathLike[str] | None = None,
          include_optional: bool = False, show_banner: bool = True, public_data_only: bool = False,
          figures: bool = True) -> Report:
    """Begin a report: apply the style, load the region, show the data banner.

    ``public_data_only``: the report reads only public reference data (the banner says so).
    ``figures=False``: the report draws no figures, so the plot style (and seaborn) is not loaded.
    """
    if figures:
        style.use()
    info = dataset_info(data_dir)
    report = Report(info=info, region=load_region(region, include_optional=include_optional), output_dir=resolve(output_dir))
    if show_banner:
        try:
            from IPython.display import HTML, display
        except ImportError:  # pragma: no cover - IPython comes with jupyterlab
            print(banner_html(info, public_data_only))
        else:
            display(HTML(banner_html(info, public_data_only)))
    return report
