"""Smoke test of notebooks/03_trends.ipynb: it runs on the shipped official data and writes the tables it promises."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import reproduced

from regiopole.pipeline.spec import load_pipeline
from regiopole.trends.tables import MUNICIPALITY_COLUMNS, REFERENCE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.notebook
FIGURES = ["trends_municipalities", "trends_development", "trends_technology",
           "trends_lagging_map", "trends_businesses", "trends_mobile_5g", "trends_regiopolen"]


@pytest.fixture(scope="module")
def run():
    """The report as the default run wrote it (``make reproduce``)."""
    return reproduced("03_trends")


def test_contract_tables_are_written_with_their_columns(run, region):
    municipalities = pd.read_csv(run / "tables" / "trends_municipalities.csv", dtype={"ags": str})
    assert list(municipalities.columns) == MUNICIPALITY_COLUMNS
    assert municipalities["ags"].tolist() == region.ags
    assert municipalities[["hh_1000", "hh_1000_first", "hh_100", "hh_ftth", "bus_1000", "bus_ftth"]].stack().between(0, 100).all()
    oberzentrum = municipalities.set_index("ags").loc[region.oberzentrum]
    assert (oberzentrum["hh_1000"], oberzentrum["vintage"], oberzentrum["first_vintage"]) == (72.17, "2021-06-30", "2018-12-31")
    assert sorted(municipalities["rank_hh_1000"]) [0] == 1
    reference = pd.read_csv(run / "tables" / "trends_reference.csv", dtype=str)
    assert list(reference.columns) == REFERENCE_COLUMNS
    assert reference["unit"].iat[0] == "region" and reference["unit"].iat[-1] == "germany"
    assert reference.set_index("unit").at["germany", "hh_1000"] == "62.13"
    for suffix in ("csv", "xlsx"):
        assert (run / "tables" / f"trends_lagging.{suffix}").is_file()


def test_figures_are_written_with_source_lines(run):
    for name in FIGURES:
        assert (run / "figures" / f"{name}.png").stat().st_size > 10_000, name
    nb = nbformat.read(run / "notebooks" / "03_trends.ipynb", as_version=4)
    sources = [cell.source for cell in nb.cells if cell.cell_type == "code" and "save_figure" in cell.source]
    assert sum(s.count("save_figure") for s in sources) == len(FIGURES)
    assert all("sources.caption(" in s for s in sources)
    development = pd.read_csv(run / "tables" / "trends_development.csv")
    assert development["vintage"].nunique() == 6


def test_notebook_runs_on_official_data_without_example_banner_or_errors(run):
    nb = nbformat.read(run / "notebooks" / "03_trends.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = " ".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "Öffentliche Daten" in html and "<strong>Beispieldaten.</strong>" not in html
    markdown = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "keine Zeitreihe im strengen Sinn" in markdown and "Gini" in markdown


def test_pipeline_declares_the_report_as_official_data():
    pipeline = load_pipeline(ROOT)
    spec = pipeline.notebooks["03_trends"]
    assert spec.public_data and "regiopole.trends" in pipeline.preload_later
    assert "{output_dir}/tables/trends_*" in spec.writes
