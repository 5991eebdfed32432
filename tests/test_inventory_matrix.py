"""Loading the investigation matrix: long form, wide sheets, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiopole.data import DataValidationError, load_applications, load_region
from regiopole.inventory.matrix import MATRIX_COLUMNS, read_matrix
from regiopole.inventory.wide import read_wide_matrix

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
LONG = FIXTURES / "matrix_long.csv"
HEADER = "ags,app_id,level,provider,source_url,date_checked\n"
GOOD_ROW = "05774032,meldebescheinigung,4,Kommune,https://example.org/x,2021-04-01\n"


@pytest.fixture(scope="module")
def region():
    return load_region(FIXTURES / "region.yaml")


@pytest.fixture(scope="module")
def apps():
    return load_applications(FIXTURES / "applications.csv")


def write(tmp_path: Path, text: str, name: str = "inventory_matrix.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(excinfo) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in excinfo.value.problems]


def test_long_form_is_read_with_text_levels_and_kreis_rows(region, apps):
    matrix = read_matrix(LONG, region, apps)
    assert list(matrix.columns) == MATRIX_COLUMNS
    assert len(matrix) == 18
    assert set(matrix["level"]) == {"0", "1", "2", "3", "4", "unbekannt"}
    assert set(matrix.loc[matrix["ags"].str.len() == 5, "ags"]) == {"05774", "05762"}
    assert matrix.loc[(matrix["ags"] == "05774004") & (matrix["app_id"] == "oeffentliches_wlan"), "level"].item() == "0"


@pytest.mark.parametrize("level", ["5", "-1", "", "2.5", "unknown"])
def test_level_outside_the_scale_is_an_error_naming_row_and_column(tmp_path, region, apps, level):
    path = write(tmp_path, HEADER + GOOD_ROW + f"05774004,meldebescheinigung,{level},Kommune,,2021-04-01\n")
    with pytest.raises(DataValidationError) as excinfo:
        read_matrix(path, region, apps)
    assert [(row, column) for row, column, _ in problems_of(excinfo)] == [(3, "level")]
    assert str(path) in str(excinfo.value)
    assert "unbekannt" in str(excinfo.value) or "missing" in str(excinfo.value)


def test_unknown_application_id_is_an_error(tmp_path, region, apps):
    path = write(tmp_path, HEADER + GOOD_ROW + "05774004,drohnenpost,2,Kommune,,2021-04-01\n")
    with pytest.raises(DataValidationError) as excinfo:
        read_matrix(path, region, apps)
    (row, column, message), = problems_of(excinfo)
    assert (row, column) == (3, "app_id") and "drohnenpost" in message and "applications.csv" in message


@pytest.mark.parametrize("ags", ["05774999", "05770", "5774004"])
def test_unknown_ags_or_kreis_key_is_an_error(tmp_path, region, apps, ags):
    path = write(tmp_path, HEADER + GOOD_ROW + f"{ags},reisepass,2,Kommune,,2021-04-01\n")
    with pytest.raises(DataValidationError) as excinfo:
        read_matrix(path, region, apps)
    rows_columns = {(row, column) for row, column, _ in problems_of(excinfo)}
    assert rows_columns == {(3, "ags")}
    assert ags in str(excinfo.value)


def test_same_cell_twice_with_different_levels_is_an_error_naming_both_rows(tmp_path, region, apps):
    path = write(tmp_path, HEADER + GOOD_ROW + "05774004,reisepass,1,,,2021-04-01\n"
                 + "05774032,meldebescheinigung,2,Kommune,,2021-05-01\n")
    with pytest.raises(DataValidationError) as excinfo:
        read_matrix(path, region, apps)
    (row, column, message), = problems_of(excinfo)
    assert row == 4 and column == "app_id"
    assert "row 2" in message and "'4'" in message and "'2'" in message


def test_same_cell_twice_with_the_same_level_is_also_an_error(tmp_path, region, apps):
    path = write(tmp_path, HEADER + GOOD_ROW + GOOD_ROW)
    with pytest.raises(DataValidationError, match="same level"):
        read_matrix(path, region, apps)


@pytest.mark.parametrize("text, expected", [("", "empty"), (HEADER, "no data rows")])
def test_empty_file_or_header_only_is_an_error(tmp_path, region, apps, text, expected):
    with pytest.raises(DataValidationError, match=expected):
        read_matrix(write(tmp_path, text), region, apps)


def test_every_problem_is_listed_at_once(tmp_path, region, apps):
    path = write(tmp_path, HEADER + "05774032,reisepass,7,,,2021-04-01\n" + "05774999,reisepass,2,,,2021-04-01\n"
                 + "05774004,reisepass,2,,,01.04.2021\n" + "05774004,reisepass,3,,,2021-04-01\n")
    with pytest.raises(DataValidationError) as excinfo:
        read_matrix(path, region, apps)
    assert [(row, column) for row, column, _ in problems_of(excinfo)] == [(2, "level"), (3, "ags"), (4, "date_checked"), (5, "app_id")]


def test_missing_column_is_an_error(tmp_path, region, apps):
    path = write(tmp_path, "ags,app_id,level\n05774032,reisepass,2\n")
    with pytest.raises(DataValidationError) as excinfo:
        read_matrix(path, region, apps)
    assert {column for _, column, _ in problems_of(excinfo)} >= {"date_checked", "provider", "source_url"}


def cells(matrix: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(matrix[["ags", "app_id", "level"]].itertuples(index=False, name=None))


def test_wide_sheet_gives_the_same_cells_as_the_long_form(region, apps):
    wide = read_wide_matrix(FIXTURES / "matrix_wide.csv", region, apps, date_checked="2021-04-01")
    assert cells(wide) == cells(read_matrix(LONG, region, apps))
    assert set(wide["date_checked"]) == {"2021-04-01"}
    assert wide["provider"].isna().all()


def test_wide_excel_sheet_with_ags_headings_is_read(tmp_path, region, apps):
    table = pd.read_csv(FIXTURES / "matrix_wide.csv", dtype=str).rename(columns={"Paderborn": "05774032", "Kreis Paderborn": "05774"})
    path = tmp_path / "matrix.xlsx"
    table.to_excel(path, index=False, sheet_name="Matrix")
    wide = read_wide_matrix(path, region, apps, date_checked="2021-04-01", sheet_name="Matrix")
    assert cells(wide) == cells(read_matrix(LONG, region, apps))


def test_wide_sheet_with_unknown_headings_is_rejected_listing_them(tmp_path, region, apps):
    path = write(tmp_path, "Anwendung,Paderborn,Gütersloh,5774004\nReisepass,3,2,1\n", "wide.csv")
    with pytest.raises(DataValidationError) as excinfo:
        read_wide_matrix(path, region, apps, date_checked="2021-04-01")
    (row, column, message), = problems_of(excinfo)
    assert row == 1 and message.startswith("these headings match no AGS")
    assert "['Gütersloh', '5774004']" in message and "leading zero" in message


def test_wide_sheet_matching_no_municipality_is_rejected(tmp_path, region, apps):
    path = write(tmp_path, "Anwendung,Bielefeld,Gütersloh\nReisepass,3,2\n", "wide.csv")
    with pytest.raises(DataValidationError, match="no heading of the municipality columns matches"):
        read_wide_matrix(path, region, apps, date_checked="2021-04-01")


@pytest.mark.parametrize("text, row, column", [
    ("Anwendung,Paderborn\nReisepass,5\n", 2, "Paderborn"),
    ("Anwendung,Paderborn\nReisepass,-1\n", 2, "Paderborn"),
    ("Anwendung,Paderborn\nReisepass,2\nDrohnenpost,2\n", 3, "Anwendung"),
    ("Anwendung,Paderborn\nReisepass,2\nreisepass,3\n", 3, "Anwendung"),
    ("Anwendung,Paderborn,05774032\nReisepass,2,2\n", 1, "05774032"),
])
def test_bad_wide_cells_name_row_and_column(tmp_path, region, apps, text, row, column):
    with pytest.raises(DataValidationError) as excinfo:
        read_wide_matrix(write(tmp_path, text, "wide.csv"), region, apps, date_checked="2021-04-01")
    assert (row, column) in {(r, c) for r, c, _ in problems_of(excinfo)}


def test_empty_wide_sheet_is_an_error(tmp_path, region, apps):
    path = tmp_path / "empty.xlsx"
    pd.DataFrame(columns=["Anwendung", "Paderborn"]).to_excel(path, index=False)
    with pytest.raises(DataValidationError, match="empty"):
        read_wide_matrix(path, region, apps, date_checked="2021-04-01")


def test_wide_sheet_without_any_level_is_an_error(tmp_path, region, apps):
    path = write(tmp_path, "Anwendung,Paderborn\nReisepass,\n", "wide.csv")
    with pytest.raises(DataValidationError, match="no data rows"):
        read_wide_matrix(path, region, apps, date_checked="2021-04-01")
