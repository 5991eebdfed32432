"""Smoke test of notebooks/01_inventory.ipynb on the example data, asserting on the tables it writes."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import reproduced

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.notebook
CONTRACT = ["ags", "name", "kreis", "population", "maturity_index", "index_low", "index_high", "share_ozg_compliant", "share_unknown"]


@pytest.fixture(scope="module")
def default_run():
    """The report as the default run wrote it (``make reproduce``)."""
    return reproduced("01_inventory")


def test_index_table_keeps_the_contract_the_map_reads(default_run):
    table = pd.read_csv(default_run / "tables" / "inventory_index.csv", dtype={"ags": str})
    assert list(table.columns[:len(CONTRACT)]) == CONTRACT
    assert len(table) == 29 and table["ags"].str.fullmatch(r"\d{8}").all() and table["ags"].is_unique
    assert table["maturity_index"].between(0, 100).all()
    assert (table["index_low"] <= table["maturity_index"] + 0.1).all() and (table["maturity_index"] <= table["index_high"] + 0.1).all()
    assert table[["share_ozg_compliant", "share_unknown"]].stack().between(0, 1).all()
    assert table.iloc[0]["name"] == "Paderborn"
    assert (default_run / "tables" / "inventory_index.xlsx").is_file()


def test_other_tables_and_figures_are_written(default_run):
    tables = default_run / "tables"
    availability = pd.read_csv(tables / "inventory_availability.csv")
    assert len(availability) == 58 and availability["Anteil Einwohner mit Online-Zugang"].between(0, 1).all()
    candidates = pd.read_csv(tables / "inventory_candidates.csv")
    assert not candidates.empty and candidates["Einwohner mit Zugangsgewinn"].is_monotonic_decreasing
    assert set(candidates["Oberzentrum bietet an"]) <= {"ja", "nein"}
    oberzentrum = pd.read_csv(tables / "inventory_oberzentrum.csv")
    assert len(oberzentrum) == 6
    comparison = pd.read_csv(tables / "inventory_dashboard_comparison.csv", dtype=str)
    assert comparison["Ergebnis"].str.startswith("übernommen").any()
    for name in ["inventory_matrix", "inventory_index_ranking", "inventory_index_population", "inventory_themenfeld",
                 "inventory_oberzentrum", "inventory_candidates"]:
        assert (default_run / "figures" / f"{name}.png").stat().st_size > 10_000


def test_notebook_shows_the_example_banner_and_no_error(default_run):
    nb = nbformat.read(default_run / "notebooks" / "01_inventory.ipynb", as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("Beispieldaten" in str(o.get("data", {}).get("text/html", "")) for o in outputs)


def test_source_notebook_is_committed_clean():
    nb = nbformat.read(ROOT / "notebooks" / "01_inventory.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.outputs and c.execution_count is None for c in code)
    nodes = [n for c in code for n in ast.walk(ast.parse(c.source))]
    assert not [n for n in nodes if isinstance(n, (ast.FunctionDef, ast.Lambda, ast.For, ast.While, ast.comprehension))]


def test_weights_and_a_folder_without_dashboard_exports(run_notebook, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("dataset.yaml", "inventory_matrix.csv"):
        shutil.copy(ROOT / "data" / "example" / name, data / name)
    weights = {"Bürgerdienste": 3, "Wirtschaft und Bauen": 1, "Soziales und Familie": 1, "Transparenz und Beteiligung": 1,
               "Verwaltungsinfrastruktur": 1, "Digitale Infrastruktur vor Ort": 0}
    out = run_notebook("01_inventory", data_dir=str(data), category_weights=weights, n_bootstrap=100)
    weighted = pd.read_csv(out / "tables" / "inventory_index.csv", dtype={"ags": str}).set_index("ags")
    scores = pd.read_csv(out / "tables" / "inventory_category_scores.csv", dtype={"AGS": str}).set_index("AGS")
    expected = (3 * scores["Bürgerdienste"] + scores[["Wirtschaft und Bauen", "Soziales und Familie", "Transparenz und Beteiligung",
                                                         "Verwaltungsinfrastruktur"]].sum(axis=1)) / 7
    assert expected.notna().all()
    difference = (weighted["maturity_index"] - expected.reindex(weighted.index)).abs()
    assert difference.max() <= 0.11  # both tables are rounded to one decimal
    comparison = pd.read_csv(out / "tables" / "inventory_dashboard_comparison.csv")
    assert comparison.empty
