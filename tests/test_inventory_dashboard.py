"""Import of "Dashboard Digitale Verwaltung" exports: ARS -> AGS, OZG-ID mapping, unmatched rows, filling."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from regiopole.data import DataValidationError, load_applications, load_region
from regiopole.inventory.dashboard import (DEFAULT_PROVIDER, STATUS_LEVELS, ars_to_key, compare_with_dashboard, fill_from_dashboard,
                                           load_dashboard_exports, read_dashboard)
from regiopole.inventory.matrix import read_matrix

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
EXPORT = FIXTURES / "dashboard_export.csv"
APPS = load_applications(FIXTURES / "applications.csv")
REGION = load_region(FIXTURES / "region.yaml")


@pytest.fixture(scope="module")
def imported():
    return read_dashboard(EXPORT, REGION, APPS)


def test_ars_becomes_ags_or_kreis_key():
    ars = pd.Series(["057740032032", "057740000000", "057620024024"])
    assert ars_to_key(ars).tolist() == ["05774032", "05774", "05762024"]


def test_status_mapping_is_conservative():
    mapping = dict(zip(STATUS_LEVELS["online_status"], STATUS_LEVELS["level"], strict=True))
    assert mapping == {"ok": 2, "nicht ok": 1}
    assert max(mapping.values()) < 3  # the Dashboard alone never makes a service OZG-compliant


def test_export_rows_are_mapped_by_ozg_id_with_the_best_level_per_cell(imported):
    cells = imported.matrix.set_index(["ags", "app_id"])
    assert sorted(cells.index) == [("05762024", "meldebescheinigung"), ("05774", "kfz_zulassung"),
                                   ("05774004", "reisepass"), ("05774032", "meldebescheinigung")]
    paderborn = cells.loc[("05774032", "meldebescheinigung")]
    assert paderborn["level"] == "2"  # 'ok' beats 'nicht ok' of the second service of the same OZG-ID
    assert paderborn["source_url"] == "https://example.org/dash/2"
    assert paderborn["provider"] == DEFAULT_PROVIDER
    assert paderborn["date_checked"] == "2021-10-14"
    assert cells.loc[("05774", "kfz_zulassung"), "level"] == "1"
    assert cells.loc[("05774004", "reisepass"), "provider"].startswith("Landeslösung")
    assert cells.loc[("05762024", "meldebescheinigung"), "provider"].startswith("Bundeslösung")


def test_rows_that_map_onto_no_cell_are_kept_with_their_reason(imported):
    reasons = dict(zip(imported.unmatched["row"], imported.unmatched["reason"], strict=True))
    assert set(reasons) == {6, 7, 8, 9}
    assert reasons[6].startswith("Land- oder Bundesebene")
    assert reasons[7] == "ohne OZG-ID"
    assert reasons[8] == "OZG-ID nicht im Anwendungskatalog"
    assert reasons[9].startswith("nicht aktiv")
    assert len(imported.matrix) + len(imported.unmatched) <= 9


def test_filling_takes_only_unknown_or_missing_cells(imported):
    matrix = read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS)
    filled = fill_from_dashboard(matrix, imported).set_index(["ags", "app_id"])
    assert filled.loc[("05774004", "reisepass"), "level"] == "2"  # was 'unbekannt'
    assert filled.loc[("05774004", "reisepass"), "origin"] == "Dashboard"
    assert filled.loc[("05774032", "meldebescheinigung"), "level"] == "4"  # hand-researched level stays
    assert filled.loc[("05762024", "meldebescheinigung"), "level"] == "1"
    assert filled.index.is_unique and len(filled) == len(matrix)


def test_comparison_names_every_cell_the_dashboard_covers(imported):
    matrix = read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS)
    outcome = compare_with_dashboard(matrix, imported).set_index(["ags", "app_id"])["outcome"]
    assert outcome[("05774032", "meldebescheinigung")].startswith("Matrix höher")
    assert outcome[("05762024", "meldebescheinigung")].startswith("Matrix niedriger")
    assert outcome[("05774004", "reisepass")] == "übernommen (Matrix: unbekannt)"
    assert outcome[("05774", "kfz_zulassung")].startswith("Matrix höher")


def test_a_cell_not_recorded_in_the_matrix_is_added(imported):
    matrix = read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS)
    without = matrix[~((matrix["ags"] == "05774004") & (matrix["app_id"] == "reisepass"))]
    filled = fill_from_dashboard(without, imported)
    assert len(filled) == len(without) + 1
    assert compare_with_dashboard(without, imported).set_index(["ags", "app_id"]).loc[("05774004", "reisepass"), "outcome"] \
        == "übernommen (in der Matrix nicht erhoben)"


def test_regierungsbezirk_rows_are_unmatched_not_errors(tmp_path):
    result = read_dashboard(edited(tmp_path, "050000000000", "057000000000"), REGION, APPS)
    assert result.unmatched.set_index("row").loc[6, "reason"].startswith("Land- oder Bundesebene")


def test_folder_loader_reads_all_exports_and_tolerates_none(tmp_path):
    assert load_dashboard_exports(tmp_path, REGION, APPS).matrix.empty
    shutil.copy(EXPORT, tmp_path / "inventory_dashboard_05774032.csv")
    shutil.copy(EXPORT, tmp_path / "inventory_dashboard_copy.csv")
    both = load_dashboard_exports(tmp_path, REGION, APPS)
    assert len(both.sources) == 2 and len(both.matrix) == 4 and len(both.unmatched) == 8


def edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(EXPORT.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, row, column", [
    (";ok;ja;landesweit", ";online;ja;landesweit", 4, "online_status"),
    ("057740004004", "05774000400", 4, "ars"),
    ("057740004004", "057540044044", 4, "ars"),  # Verl: not a member of the test region
    ("99000000000003", "9900000000003", 4, "leika_key"),
])
def test_bad_export_rows_are_errors_naming_row_and_column(tmp_path, old, new, row, column):
    with pytest.raises(DataValidationError) as excinfo:
        read_dashboard(edited(tmp_path, old, new), REGION, APPS)
    assert (row, column) in {(p.row, p.column) for p in excinfo.value.problems}


def test_export_without_a_data_date_is_an_error(tmp_path):
    table = pd.read_csv(EXPORT, sep=";", dtype=str).drop(columns=["export_datum", "datenstand_pvog_import"])
    path = tmp_path / "export.csv"
    table.to_csv(path, sep=";", index=False)
    with pytest.raises(DataValidationError, match="datenstand_pvog_import"):
        read_dashboard(path, REGION, APPS)
