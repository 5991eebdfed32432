"""The raw Paket 3 loader: small files written here in both heading styles, each bad shape, and the real files."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regiopole.data import DataValidationError
from regiopole.data.broadband import NotAvailabilityFile, describe, heading_indicator, read_raw
from regiopole.data.broadband_table import KEEP, build_reference

# ../shared beside the checkout; REGIOPOLE_SHARED points elsewhere (a worktree's ../ is not the checkout's).
SHARED = Path(os.environ.get("REGIOPOLE_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "reference" / "breitbandatlas" / "paket_3"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (real Paket 3 files) not available")

LABELS = ['"AGS"', '"alle Technologien ≥ 100 Mbit/s"', '"alle Technologien ≥ 1000 Mbit/s"',
          '"leitungsg. Technologien ≥ 1000 Mbit/s"', '"CATV ≥ 1000 Mbit/s"', '"FTTH/B ≥ 1000 Mbit/s"']


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gemeinde_file(folder: Path, name: str = "gemeinde_privat_2018_ende.csv", sep: str = ";",
                  rows: list[list[str]] | None = None) -> Path:
    rows = rows or [['"05774032"', "97.5", "72.17", "72", "71.9", "0.52"], ['"01001000"', "100", "99", "98", "97", "1"]]
    return write(folder, name, [sep.join(LABELS), *(sep.join(r) for r in rows)])


def problems(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_label_headings_map_to_technology_and_bandwidth(tmp_path):
    table = read_raw(gemeinde_file(tmp_path))
    row = table[(table["key"] == "05774032") & (table["technology"] == "all") & (table["min_mbps"] == 1000)]
    assert row["share"].tolist() == [72.17]
    assert set(table["level"]) == {"gemeinde"} and set(table["vintage"]) == {"2018-12-31"}
    assert set(table["segment"]) == {"households"}
    assert set(zip(table["technology"], table["min_mbps"])) == {("all", 100), ("all", 1000), ("wired", 1000),
                                                                ("catv", 1000), ("ftth", 1000)}


def test_comma_separator_and_the_bezirke_name_read_the_same(tmp_path):
    (tmp_path / "a").mkdir()
    semicolon = read_raw(gemeinde_file(tmp_path / "a"))
    comma = read_raw(gemeinde_file(tmp_path, "gemeinde_bezirke_privat_2021_mitte.csv", sep=","))
    assert comma["vintage"].unique().tolist() == ["2021-06-30"]
    pd.testing.assert_series_equal(semicolon["share"], comma["share"])


def test_code_headings_in_any_order_with_the_key_last(tmp_path):
    path = write(tmp_path, "landkreis_privat_2019_2.csv", [
        '"verf_100_1000";"verf_300_50";"verf_300_1000";"verf_catv_1000";"verf_ftth_1000";"verf_2g";"ags"',
        '43.22;91.8;43.22;37.83;11.82;99.97;"05774"'])
    table = read_raw(path).set_index(["technology", "min_mbps"])["share"]
    assert table[("wired", 1000)] == 43.22 and table[("all", 50)] == 91.8 and table[("2g", 0)] == 99.97
    assert describe(path).level == "kreis" and describe(path).vintage == "2019-12-31"


def test_heading_styles_name_the_same_indicators():
    assert heading_indicator("alle Technologien ≥ 1000 Mbit/s") == heading_indicator("verf_300_1000") == ("all", 1000)
    assert heading_indicator("leitungsg. Technologien ≥ 100 Mbit/s") == heading_indicator("verf_100_100") == ("wired", 100)
    assert heading_indicator("FTTH/B ≥ 400 Mbit/s") == heading_indicator("verf_ftth_400") == ("ftth", 400)
    assert heading_indicator("verf_wimax/wlan_6") == ("wimax_wlan", 6)
    assert heading_indicator("Haushalte") is None


def test_germany_file_without_key_column_gets_the_key_dg(tmp_path):
    path = write(tmp_path, "deutschland_privat_2019_2.csv", ['"verf_300_50";"verf_300_1000"', "91.87;43.22"])
    table = read_raw(path)
    assert table["key"].unique().tolist() == ["DG"] and table["level"].unique().tolist() == ["germany"]


def test_germany_file_names_its_row_deutschland_or_fails(tmp_path):
    good = write(tmp_path, "deutschland_privat_2020_1.csv", ['"staat";"verf_300_50"', "deutschland;90"])
    assert read_raw(good)["key"].tolist() == ["DG"]
    bad = write(tmp_path, "deutschland_privat_2020_2.csv", ['"staat";"verf_300_50"', "Bayern;90"])
    with pytest.raises(DataValidationError, match="expected 'Deutschland'"):
        read_raw(bad)


def test_more_values_than_header_fields_is_an_error_naming_file_and_row(tmp_path):
    path = write(tmp_path, "deutschland_privat_2018_1.csv", ["staat;verf_300_1;verf_300_50", "Deutschland;99.9;82.9;66.3"])
    with pytest.raises(DataValidationError) as exc:
        read_raw(path)
    assert "deutschland_privat_2018_1.csv" in str(exc.value)
    assert problems(exc) == ["row 2: 4 values where the header has 3 fields; the values cannot be matched to "
                             "columns. Use the unchanged file of the package or fix this row"]


def test_fewer_values_than_header_fields_is_an_error(tmp_path):
    path = gemeinde_file(tmp_path, rows=[['"05774032"', "97.5", "72.17", "72", "71.9"]])
    with pytest.raises(DataValidationError, match="row 2: 5 values where the header has 6 fields"):
        read_raw(path)


def test_value_outside_0_100_is_an_error_with_row_and_column(tmp_path):
    path = gemeinde_file(tmp_path, rows=[['"05774032"', "97.5", "172.17", "72", "71.9", "0.52"]])
    with pytest.raises(DataValidationError) as exc:
        read_raw(path)
    assert problems(exc) == ["row 2, column 'alle Technologien ≥ 1000 Mbit/s': 172.17 is outside 0-100; expected a "
                             "share of households or businesses in per cent"]


def test_text_that_is_no_number_is_an_error(tmp_path):
    path = gemeinde_file(tmp_path, rows=[['"05774032"', "97,5", "72.17", "72", "71.9", "0.52"]])
    with pytest.raises(DataValidationError, match=r"row 2, column 'alle Technologien ≥ 100 Mbit/s': '97,5' is not a number"):
        read_raw(path)


def test_duplicate_key_is_an_error_naming_both_rows(tmp_path):
    row = ['"05774032"', "97.5", "72.17", "72", "71.9", "0.52"]
    with pytest.raises(DataValidationError) as exc:
        read_raw(gemeinde_file(tmp_path, rows=[row, row]))
    assert [p.row for p in exc.value.problems] == [2, 3]
    assert "appears more than once" in str(exc.value)


def test_key_without_leading_zero_is_an_error(tmp_path):
    with pytest.raises(DataValidationError, match="'5774032' is not a 8-digit key"):
        read_raw(gemeinde_file(tmp_path, rows=[["5774032", "97.5", "72.17", "72", "71.9", "0.52"]]))


def test_missing_key_column_is_an_error(tmp_path):
    path = write(tmp_path, "landkreis_privat_2021_1.csv", ['"verf_300_50"', "90"])
    with pytest.raises(DataValidationError, match="column 'AGS': missing column"):
        read_raw(path)


def test_missing_required_indicator_is_an_error(tmp_path):
    path = write(tmp_path, "gemeinde_privat_2019_mitte.csv", ['"AGS";"alle Technologien ≥ 100 Mbit/s"', '"05774032";97.5'])
    with pytest.raises(DataValidationError, match=r"column 'alle Technologien ≥ 1000 Mbit/s': missing column"):
        read_raw(path)


def test_unknown_heading_and_unknown_file_name_are_errors(tmp_path):
    path = write(tmp_path, "landkreis_privat_2021_1.csv", ['"ags";"verf_300_50";"Haushalte"', '"05774";90;12'])
    with pytest.raises(DataValidationError, match="column 'Haushalte': unknown column heading"):
        read_raw(path)
    with pytest.raises(DataValidationError, match="file name is not one of Paket 3"):
        read_raw(write(tmp_path, "kreise_2021.csv", ["ags;x", "1;2"]))


def test_mobile_file_is_read_by_area_type(tmp_path):
    path = write(tmp_path, "landkreis_mobilfunk_stats_2021_1.csv", [
        '"AGS";"Technologie";"Flaechenart";"Flaechen Gruppe";"Flaechen Gruppe Name";"Verfügbarkeit"',
        '"05774";"5G2";Wohnbaufläche;20;Gemeindefläche;84.74', '"05774";LTE2;Wohnbaufläche;20;Gemeindefläche;100.00'])
    table = read_raw(path).set_index(["technology", "area_type"])["share"]
    assert table[("5g", "Wohnbaufläche")] == 84.74 and table[("lte", "Wohnbaufläche")] == 100.0


def test_business_park_count_file_is_not_an_availability_file(tmp_path):
    path = write(tmp_path, "gemeinde_gewerbe_gwg_2019_mitte.csv", [
        '"ags";"firmen_in_gwg_gesamt";"firmen_angeschlossen_prozent"', '"01001000";2156;70.8'])
    with pytest.raises(NotAvailabilityFile):
        read_raw(path)


def test_build_keeps_and_reports_keys_not_in_todays_list(tmp_path):
    gemeinde_file(tmp_path)
    write(tmp_path, "gemeinde_gewerbe_gwg_2019_mitte.csv", ['"ags";"firmen_in_gwg_gesamt"', '"01001000";2156'])
    write(tmp_path, "README.txt", ["not data"])
    build = build_reference(tmp_path, current_ags={"05774032"})
    flags = build.table.drop_duplicates("key").set_index("key")["in_zensus_2022"]
    assert flags["05774032"] == True and flags["01001000"] == False  # noqa: E712 - nullable booleans
    assert build.not_current["key"].tolist() == ["01001000"]
    assert "01001000" in build.report_markdown()
    assert dict(build.skipped) == {"README.txt": "not a Paket 3 data file name", "gemeinde_gewerbe_gwg_2019_mitte.csv":
                                   "connection counts of companies in business parks (firmen_*), not availability shares"}


def test_build_refuses_two_files_of_the_same_level_segment_and_vintage(tmp_path):
    gemeinde_file(tmp_path, "gemeinde_privat_2019_mitte.csv")
    gemeinde_file(tmp_path, "gemeinde_bezirke_privat_2019_mitte.csv")
    with pytest.raises(DataValidationError, match="both hold gemeinde households 2019-06-30"):
        build_reference(tmp_path, current_ags=set())


@needs_shared
def test_real_files_hand_checked_values():
    paderborn = read_raw(SHARED / "gemeinde_privat_2018_ende.csv", KEEP["households"])
    pick = paderborn[(paderborn["key"] == "05774032") & (paderborn["technology"] == "all") & (paderborn["min_mbps"] == 1000)]
    assert pick["share"].tolist() == [0.0]
    for name, expected in (("gemeinde_bezirke_privat_2019_ende.csv", 49.99), ("gemeinde_bezirke_privat_2021_mitte.csv", 72.17)):
        table = read_raw(SHARED / name, KEEP["households"])
        pick = table[(table["key"] == "05774032") & (table["technology"] == "all") & (table["min_mbps"] == 1000)]
        assert pick["share"].tolist() == [expected]
    germany = read_raw(SHARED / "deutschland_privat_2021_1.csv").set_index(["technology", "min_mbps"])["share"]
    assert germany[("all", 1000)] == 62.13


@needs_shared
def test_real_anomalous_national_files():
    # deutschland_privat_2018_1.csv: reported to carry more values than header fields; this copy has 40 and 40.
    first = read_raw(SHARED / "deutschland_privat_2018_1.csv")
    assert len(first) == 39 and first.set_index(["technology", "min_mbps"]).at[("all", 50), "share"] == 82.9
    # deutschland_privat_2019_2.csv: key column last, another order; read by name.
    late = read_raw(SHARED / "deutschland_privat_2019_2.csv").set_index(["technology", "min_mbps"])["share"]
    assert late[("all", 1000)] == 43.22 and late[("ftth", 1000)] == 11.82


@needs_shared
def test_real_values_above_100_in_unused_classes_are_refused_not_clipped():
    with pytest.raises(DataValidationError) as exc:
        read_raw(SHARED / "landkreis_privat_2021_1.csv")
    assert "row 42, column 'verf_300_1': 100.01 is outside 0-100" in str(exc.value)
    kept = read_raw(SHARED / "landkreis_privat_2021_1.csv", KEEP["households"])
    assert kept["share"].between(0, 100).all() and kept["key"].nunique() == 402


@needs_shared
def test_every_real_file_reads_or_is_named_as_skipped():
    for path in sorted(SHARED.glob("*.csv")):
        segment = describe(path).segment
        try:
            table = read_raw(path, None if segment == "area" else KEEP[segment])
        except NotAvailabilityFile:
            assert path.name == "gemeinde_gewerbe_gwg_2019_mitte.csv"
            continue
        assert len(table) > 0 and np.isfinite(table["share"]).all(), path.name
