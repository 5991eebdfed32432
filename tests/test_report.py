"""Report helpers: data banner and captions, byte-stable figures and tables, atomic writes."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from regiopole import report as reporting  # noqa: E402
from regiopole.data import dataset_info  # noqa: E402
from regiopole.example import default_dir  # noqa: E402


@pytest.fixture
def report(tmp_path):
    return reporting.start(default_dir(), tmp_path, show_banner=False)


def figure() -> plt.Figure:
    fig, ax = plt.subplots()
    ax.bar(["Höxter", "Brakel"], [28_808, 16_137])
    fig.alt_text = "Zwei Balken: Höxter hat mehr Einwohner als Brakel."
    return fig


def test_example_data_is_labelled_in_banner_and_captions(report):
    assert report.info.is_example
    assert "Beispieldaten" in reporting.banner_html(report.info)
    assert "Beispieldaten" in report.caption("Einwohner")
    assert report.caption("Einwohner", public_data=True) == "Einwohner"


def test_caption_and_alt_text_are_text_not_pixels(report):
    """The PNG holds the figure only; caption and German alt text go into its metadata (for the
    gallery) and into the report as an HTML figure with figcaption (reflows, prints, is read aloud)."""
    from PIL import Image

    plain = figure()
    plain.set_dpi(plt.rcParams["savefig.dpi"])
    bare_height = plain.get_tightbbox(plain.canvas.get_renderer()).height
    plt.close(plain)
    fig = figure()
    fig.alt_text = "Balkendiagramm: Höxter hat 28.808 Einwohner, Brakel 16.137."
    png, svg = report.save_figure(fig, "einwohner", "Einwohner je Kommune. Quelle: Destatis", public_data=True)
    with Image.open(png) as image:
        assert image.text["Title"] == "Einwohner je Kommune. Quelle: Destatis"
        assert image.text["Description"] == fig.alt_text
        # no caption drawn below the axes: the image is as tall as the bare figure (plus padding)
        assert image.height <= (bare_height + 2 * plt.rcParams["savefig.pad_inches"]) * plt.rcParams["savefig.dpi"] + 2
    assert "Quelle: Destatis" in svg.read_text(encoding="utf-8")  # SVG metadata (dc:title)
    html = reporting.figure_html(png, fig.alt_text, "Einwohner je Kommune. Quelle: Destatis", 640)
    assert '<figure class="regiopole-figure"' in html and "<figcaption>Einwohner je Kommune. Quelle: Destatis</figcaption>" in html
    assert 'alt="Balkendiagramm: Höxter hat 28.808 Einwohner, Brakel 16.137."' in html


def test_a_figure_without_alt_text_is_refused_with_what_to_do(report):
    fig = figure()
    del fig.alt_text
    with pytest.raises(ValueError, match=r"save_figure\('ohne'\): the figure has no alt text.*fig.alt_text"):
        report.save_figure(fig, "ohne", "Titel")
    assert not (report.figures_dir / "ohne.png").exists()
    paths = report.save_figure(fig, "mit", "Titel", alt="Zwei Balken: Höxter größer als Brakel.")  # alt= also works
    assert paths[0].is_file()
    plt.close(fig)


def test_banner_says_the_data_status_in_plain_words(report, tmp_path):
    example = reporting.banner_html(report.info)
    assert 'data-status="beispiel"' in example and "Beispieldaten" in example and "<code>" not in example
    public = reporting.banner_html(report.info, public_data_only=True)
    assert 'data-status="oeffentlich"' in public and "Öffentliche Daten" in public
    real = reporting.banner_html(dataset_info(tmp_path))
    assert 'data-status="projekt"' in real and str(tmp_path.name) not in real  # no folder names


def test_data_status_words_are_the_same_in_reports_and_site():
    from regiopole.pipeline.publish import DATA_STATUS

    assert DATA_STATUS == reporting.DATA_STATUS


def test_real_data_folder_is_not_labelled_as_example(tmp_path):
    info = dataset_info(tmp_path)
    assert not info.is_example and "Projektdaten" in reporting.caption_text("X", info)


def test_figures_and_tables_are_byte_identical_across_runs(report):
    table = pd.DataFrame({"Gemeinde": ["Höxter", "Brakel"], "Einwohner": [28_808, 16_137]})
    first = report.save_figure(figure(), "f", "Test") + report.save_table(table, "t")
    contents = [p.read_bytes() for p in first]
    second = report.save_figure(figure(), "f", "Test") + report.save_table(table, "t")
    assert [p.read_bytes() for p in second] == contents
    assert {p.suffix for p in first} == {".png", ".svg", ".csv", ".xlsx"}
    assert pd.read_excel(report.tables_dir / "t.xlsx").equals(table)


def test_failed_write_leaves_the_previous_file(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("alt\n", encoding="utf-8")

    def broken(tmp):
        tmp.write_text("halb", encoding="utf-8")
        raise RuntimeError("abgebrochen")

    with pytest.raises(RuntimeError):
        reporting.write_atomic(target, broken)
    assert target.read_text(encoding="utf-8") == "alt\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def shown(styler) -> list[list[str]]:
    """The displayed cell texts of a Styler, row by row (header row first)."""
    import re

    html_ = styler.to_html()
    rows = re.findall(r"<tr>(.*?)</tr>", html_, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", r, flags=re.S)] for r in rows]


def test_german_table_formats_numbers_percentages_and_hides_the_index():
    table = pd.DataFrame({"Gemeinde": ["Höxter", "Brakel", "Nieheim"], "Einwohner": [28_808, 180_000, 6_000],
                          "Anteil": [0.4285714, 0.5, 0.0714], "Fläche (km²)": [1246.8, 180.0, 79.26]},
                         index=[10, 11, 12])
    rows = shown(reporting.german_table(table, percent=["Anteil"]))
    assert rows[0] == ["Gemeinde", "Einwohner", "Anteil", "Fläche (km²)"]  # no index column
    assert rows[1] == ["Höxter", "28.808", "42,9\u00a0%", "1.246,8"]
    assert rows[2] == ["Brakel", "180.000", "50,0\u00a0%", "180,0"]  # one number of decimals per column
    assert rows[3][2:] == ["7,1\u00a0%", "79,3"]
    assert "10" not in sum(rows, [])


def test_german_table_decimals_follow_the_values_unless_given():
    table = pd.DataFrame({"Nutzwert": [0.829, 0.8, 0.7], "Rang": [1.0, 2.0, 3.0], "Mittel": [2.68, 3.5, 3.0],
                          "Borda": [161.5, 105.0, 99.0], "Gewicht": [1 / 6, 1 / 3, 0.5]})
    rows = shown(reporting.german_table(table))
    assert rows[1] == ["0,829", "1", "2,68", "161,5", "0,167"]
    assert rows[2] == ["0,800", "2", "3,50", "105,0", "0,333"]
    rows = shown(reporting.german_table(table, decimals={"Nutzwert": 1, "Borda": 0}))
    assert rows[1][0] == "0,8" and rows[1][3] == "162"


def test_german_table_leaves_text_and_privacy_marker_and_shows_missing_values_as_dash():
    table = pd.DataFrame({"Thema": ["Personal", "Kosten <neu>", None], "Karten": [12, ".", float("nan")],
                          "Anteil": [0.25, ".", None], "Anzahl": ["9 von 24 (38 %)", ".", "1.000"],
                          "Ausgewählt": [True, False, True]})
    table["Punkte"] = pd.array([1200, None, 3], dtype="Int64")
    rows = shown(reporting.german_table(table, percent=["Anteil"]))
    assert rows[1] == ["Personal", "12", "25\u00a0%", "9 von 24 (38 %)", "ja", "1.200"]
    assert rows[2] == ["Kosten &lt;neu&gt;", ".", ".", ".", "nein", "–"]
    assert rows[3] == ["–", "–", "–", "1.000", "ja", "3"]
    assert table.loc[0, "Anteil"] == 0.25 and table.loc[1, "Karten"] == "."  # display only, data untouched


def test_german_table_aligns_words_left_and_numbers_right():
    table = pd.DataFrame({"Kommune": ["Höxter", "Brakel"], "Einwohner": [28_808, 16_137], "Anzahl": [".", "3 von 4"]})
    css = reporting.german_table(table).to_html().split("</style>")[0]
    assert "td.col0" in css and "col1" not in css and "col2" not in css


def test_german_table_keeps_an_index_that_holds_the_row_labels():
    tau = pd.DataFrame([[1.0, 0.85], [0.85, 1.0]], index=["Borda", "Zustimmung"],
                       columns=["Borda", "Zustimmung"]).rename_axis("Kendalls tau")
    rows = shown(reporting.german_table(tau, index=True))
    assert ["Zustimmung", "0,85", "1,00"] in rows
    assert ["Borda", "1,00", "0,85"] in rows


def test_german_table_names_a_column_it_does_not_know():
    with pytest.raises(ValueError, match="Anteil"):
        reporting.german_table(pd.DataFrame({"Karten": [3]}), percent=["Anteil"])


def test_german_table_renders_the_same_html_for_the_same_table():
    table = pd.DataFrame({"Kommune": ["Höxter"], "Einwohner": [28_808]})
    assert reporting.german_table(table).to_html() == reporting.german_table(table.copy()).to_html()


def test_german_table_shows_dates_the_german_way():
    import datetime

    table = pd.DataFrame({"Stand": ["2019-12-31", "31.12.2019", "2019"], "Termin": [datetime.date(2027, 6, 30), None, None]})
    rows = shown(reporting.german_table(table))
    assert [r[0] for r in rows[1:]] == ["31.12.2019", "31.12.2019", "2019"]
    assert [r[1] for r in rows[1:]] == ["30.06.2027", "–", "–"]
    assert reporting.german_date("Stand 2019-12-31") == "Stand 2019-12-31"  # only a whole cell is a date


def test_german_table_lets_only_columns_with_urls_wrap_anywhere():
    table = pd.DataFrame({"Kennzahl": ["Digitalisierungsstrategie"],
                          "Quelle": ["Kommunalstudie 2022; https://www.de.digital/DIGITAL/Redaktion/DE/Newsletter/nl-03-22.html"]})
    css = reporting.german_table(table).to_html().split("</style>")[0]
    assert css.count("overflow-wrap: anywhere") == 2  # the cells and the heading of "Quelle" (col1)
    assert "col1 {\n  text-align: left;\n  overflow-wrap: anywhere" in css
    assert "col0 {\n  text-align: left;\n}" in css


def test_german_numbers_round_half_up_and_use_the_typographic_minus():
    from regiopole.style import german_number, german_percent

    assert german_percent(15 / 24) == "63\u00a0%"  # 62.5 %: half up, not Python's half-to-even "62"
    assert german_number(2.5) == "3" and german_number(0.125, 2) == "0,13" and german_number(2.675, 2) == "2,68"
    assert german_number(-3.25, 1) == "\u22123,3" and german_number(-1234.5) == "\u22121.235"
    assert german_number(-0.004, 2) == "0,00"  # no sign on a value shown as zero
    assert german_number(151633) == "151.633" and german_number(float("nan")) == "\u2013"
    rows = shown(reporting.german_table(pd.DataFrame({"Saldo": [-0.25, 0.125]}), decimals={"Saldo": 2}))
    assert rows[1:] == [["\u22120,25"], ["0,13"]]


def test_german_table_with_index_has_one_header_row_with_the_index_name_in_the_corner():
    kendall = pd.DataFrame([[1.0, 0.85], [0.85, 1.0]], index=pd.Index(["Borda", "Zustimmung"], name="Verfahren"),
                           columns=["Borda", "Zustimmung"])
    html_ = reporting.german_table(kendall, index=True).to_html()
    head = html_.split("<thead>")[1].split("</thead>")[0]
    assert head.count("<tr>") == 1 and ">Verfahren</th>" in head
    rows = shown(reporting.german_table(kendall, index=True))
    assert rows[0] == ["Verfahren", "Borda", "Zustimmung"] and rows[1] == ["Borda", "1,00", "0,85"]


def test_a_report_without_figures_does_not_load_the_plot_style() -> None:
    """A dossier kernel (no figures) imports neither seaborn nor matplotlib: half a second each."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    code = ("import sys; from regiopole import report, dossier; "
            "from regiopole.dossier import broadband, inventory, participation, population, projects, render; "
            "report.start('data/example', sys.argv[1], show_banner=False, figures=False); "
            "assert 'seaborn' not in sys.modules, 'seaborn imported'; "
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'; "
            "report.start('data/example', sys.argv[1], show_banner=False); "
            "assert 'seaborn' in sys.modules")
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([sys.executable, "-c", code, tmp], cwd=Path(__file__).resolve().parents[1],
                              capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
