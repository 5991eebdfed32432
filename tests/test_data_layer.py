"""Loaders and validation errors of the data layer: dialects, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiopole.data import DataValidationError, load_applications, load_maturity_levels, load_municipalities, load_regiopolen, read_table
from regiopole.paths import reference_dir

MUNICIPALITIES = reference_dir() / "municipalities.csv"


def original_text() -> str:
    return MUNICIPALITIES.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "m.csv", encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_text(text.replace("\n", newline), encoding=encoding, newline="")
    return path


def problems(excinfo) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_reference_tables_load_with_types():
    m = load_municipalities()
    assert len(m) == 29 and m["ags"].str.fullmatch(r"\d{8}").all()
    assert m["population"].dtype == "Int64" and m["area_km2"].dtype == float
    assert len(load_regiopolen()) == 8
    assert load_maturity_levels()["level"].tolist() == [0, 1, 2, 3, 4]
    apps = load_applications()
    assert apps["app_id"].is_unique and apps["ozg_id"].dropna().str.fullmatch(r"\d{5}").all()


@pytest.mark.parametrize("encoding,separator,newline", [
    ("utf-8", ",", "\n"), ("utf-8-sig", ",", "\r\n"), ("cp1252", ";", "\r\n"), ("utf-8", "\t", "\n"),
])
def test_dialects_give_the_same_table(tmp_path, encoding, separator, newline):
    text = original_text()
    if separator != ",":
        # Excel's German CSV: semicolon separator and decimal comma.
        rows = [line.split(",") for line in text.splitlines()]
        text = "\n".join(separator.join(cell.replace(".", ",") if cell.replace(".", "").isdigit() and "." in cell else cell
                                        for cell in row) for row in rows) + "\n"
    path = write(tmp_path, text, encoding=encoding, newline=newline)
    pd.testing.assert_frame_equal(load_municipalities(path).reset_index(drop=True),
                                  load_municipalities().reset_index(drop=True), check_like=False)


def test_excel_file_reads_like_csv(tmp_path):
    reference = read_table(MUNICIPALITIES)
    path = tmp_path / "m.xlsx"
    reference.to_excel(path, index=False)
    assert load_municipalities(path)["ags"].tolist() == load_municipalities()["ags"].tolist()


def test_lost_leading_zero_is_reported_with_row_and_column(tmp_path):
    path = write(tmp_path, original_text().replace("05774004", "5774004"))
    with pytest.raises(DataValidationError) as excinfo:
        load_municipalities(path)
    [problem] = problems(excinfo)
    assert problem.startswith("row 3, column 'ags'") and "leading zero" in problem and "'5774004'" in problem
    assert str(path) in str(excinfo.value)


def test_every_problem_is_listed_at_once(tmp_path):
    text = (original_text().replace("Borchen,05774012", "Borchen,05774008")
            .replace(",17048,", ",viele,").replace(",Oberzentrum,", ",Metropole,"))
    with pytest.raises(DataValidationError) as excinfo:
        load_municipalities(write(tmp_path, text))
    found = problems(excinfo)
    assert any("row 4, column 'ags': duplicate value '05774008'" in p for p in found)
    assert any("row 5, column 'ags': duplicate value '05774008'" in p for p in found)
    assert any("row 4, column 'population': expected a whole number, got 'viele'" in p for p in found)
    assert any("row 2, column 'central_place_tier'" in p and "'Metropole'" in p for p in found)


def test_missing_column_is_named(tmp_path):
    table = read_table(MUNICIPALITIES).drop(columns="kreis")
    path = tmp_path / "m.csv"
    table.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as excinfo:
        load_municipalities(path)
    assert problems(excinfo) == ["column 'kreis': column missing; add it with this exact heading"]


def test_empty_file_and_header_only(tmp_path):
    with pytest.raises(DataValidationError, match="file is empty"):
        load_municipalities(write(tmp_path, ""))
    header = original_text().splitlines()[0] + "\n"
    with pytest.raises(DataValidationError, match="no data rows"):
        load_municipalities(write(tmp_path, header, name="h.csv"))


def test_row_with_unquoted_separator_is_reported(tmp_path):
    text = original_text().replace("Kreis Höxter,18572", "Kreis Höxter,18,572", 1)
    with pytest.raises(DataValidationError) as excinfo:
        load_municipalities(write(tmp_path, text))
    assert problems(excinfo) == ["row 12: 13 fields where the header has 12; quote values that contain the separator"]


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    lines = original_text().splitlines()
    lines.insert(2, "")
    lines[4] = lines[4].replace("05774008", "5774008")  # file line 5 holds Bad Lippspringe
    with pytest.raises(DataValidationError) as excinfo:
        load_municipalities(write(tmp_path, "\n".join(lines) + "\n"))
    assert problems(excinfo)[0].startswith("row 5, column 'ags'")


def test_missing_file_says_what_to_check(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        load_municipalities(tmp_path / "nope.csv")


def test_raw_file_is_never_modified(tmp_path):
    path = write(tmp_path, original_text().replace("179.59", "\"179,59\""), encoding="cp1252")
    before = path.read_bytes()
    assert load_municipalities(path).set_index("name").at["Paderborn", "area_km2"] == 179.59
    assert path.read_bytes() == before


AGS_LIKE = st.text(alphabet=st.sampled_from(list("0123456789") + ["٣", "\n", " ", "a", "-"]), min_size=6, max_size=10)


@settings(max_examples=300)
@given(st.lists(st.one_of(AGS_LIKE, st.sampled_from(["05774032", "05774012"]), st.none()), min_size=1, max_size=6))
def test_all_ags_says_yes_only_where_the_ags_schema_passes_the_column_unchanged(values) -> None:
    """``all_ags`` lets a dossier skip pandera; wherever it says yes, the schema must agree."""
    from regiopole.data import validate
    from regiopole.data.ags import all_ags
    from regiopole.data.schemas import ags, table

    column = pd.Series(values, dtype="str", name="ags")
    if not all_ags(column):
        return
    frame = column.to_frame()
    frame.attrs["source"] = "test.csv"
    pd.testing.assert_frame_equal(validate(frame, table({"ags": ags()})), frame)


def test_all_ags_on_plain_cases() -> None:
    from regiopole.data.ags import all_ags

    assert all_ags(pd.Series(["05774032", "05774012"], dtype="str"))
    assert not all_ags(pd.Series(["5774032"], dtype="str"))  # the leading zero lost
    assert not all_ags(pd.Series(["05774032", None], dtype="str"))
    assert not all_ags(pd.Series(["05774032\n"], dtype="str"))
