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
    return fig


def test_example_data_is_labelled_in_banner_and_captions(report):
    assert report.info.is_example
    assert "Beispieldaten" in reporting.banner_html(report.info)
    assert "Beispieldaten" in report.caption("Einwohner")
    assert report.caption("Einwohner", public_data=True) == "Einwohner"


def test_caption_is_wrapped_to_the_figure_and_inside_the_saved_area(report):
    fig = figure()
    text = "Einwohner je Kommune im Kreis Höxter, Stand 31.12.2019, Quelle: Destatis, GV-ISys; " * 4
    bbox = reporting.add_caption(fig, text)
    caption = fig.texts[-1]
    renderer = fig.canvas.get_renderer()
    lines = caption.get_text().split("\n")
    assert len(lines) > 2 and " ".join(lines).split() == text.split()  # words kept, in order
    right = fig.get_figwidth() * fig.dpi
    for line in lines:  # no line runs past the figure's right edge
        width = renderer.get_text_width_height_descent(line, caption.get_fontproperties(), ismath=False)[0]
        assert caption.get_window_extent(renderer).x0 + width <= right + 1
    tight = fig.get_tightbbox(renderer)  # the box save_figure cuts to, from one layout pass, is the full one
    assert [round(v, 3) for v in bbox.extents] == [round(v, 3) for v in tight.extents]
    plt.close(fig)


def test_caption_stays_clear_of_long_rotated_labels_in_the_saved_png(report):
    fig, ax = plt.subplots(figsize=(14, 6))
    labels = [f"Amtsblatt und öffentliche Bekanntmachungen online {i}" for i in range(40)]
    ax.bar(labels, range(40))
    ax.tick_params(axis="x", labelrotation=90, labelsize=7)
    report.save_figure(fig, "long_labels", "Beschriftung unter der Abbildung")
    fig.set_dpi(plt.rcParams["savefig.dpi"])  # as the PNG was drawn
    renderer = fig.canvas.get_renderer()
    caption_top = fig.texts[-1].get_window_extent(renderer).y1
    lowest_label = min(label.get_window_extent(renderer).y0 for label in ax.get_xticklabels())
    assert caption_top < lowest_label
    plt.close(fig)


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
