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
