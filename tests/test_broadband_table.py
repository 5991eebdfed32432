"""The shipped broadband reference table, its loader, and `regiopole fetch-broadband` against a local server."""

from __future__ import annotations

import argparse
import io
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from regiopole.cli_broadband import add_subcommands
from regiopole.data import DataValidationError
from regiopole.data.broadband_fetch import fetch_broadband
from regiopole.data.broadband_table import (MUNICIPALITIES_NAME, REPORT_NAME, TABLE_NAME, broadband_dir,
                                            load_broadband, load_current_municipalities)
from regiopole.data.download import DownloadError

SHARED = Path(os.environ.get("REGIOPOLE_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "reference" / "breitbandatlas" / "paket_3"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared (real Paket 3 files) not available")


@pytest.fixture(scope="module")
def table():
    return load_broadband()


def share(table, key, vintage, segment="households", technology="all", mbps=1000):
    rows = table[(table["key"] == key) & (table["vintage"] == vintage) & (table["segment"] == segment)
                 & (table["technology"] == technology) & (table["min_mbps"] == mbps)]
    assert len(rows) == 1, (key, vintage, segment, technology, mbps)
    return float(rows["share"].iat[0])


def test_hand_checked_values_of_the_shipped_table(table):
    assert [share(table, "05774032", v) for v in ("2018-12-31", "2019-12-31", "2021-06-30")] == [0.0, 49.99, 72.17]
    assert share(table, "DG", "2021-06-30") == 62.13


def test_shipped_table_covers_todays_municipalities_kreise_laender_and_germany(table):
    current = set(load_current_municipalities()["ags"])
    newest = table[(table["level"] == "gemeinde") & (table["vintage"] == "2021-06-30") & (table["segment"] == "households")]
    assert len(current - set(newest["key"].astype(str))) < 0.01 * len(current)  # mergers after mid 2021 only
    for level, count in (("kreis", 402), ("land", 16), ("germany", 1)):
        assert table.loc[table["level"] == level, "key"].nunique() == count
    assert table["share"].between(0, 100).all()
    assert set(table.loc[table["level"] != "gemeinde", "in_zensus_2022"].isna()) == {True}
    assert (broadband_dir() / TABLE_NAME).stat().st_size < 5_000_000


def test_reading_only_some_keys_gives_exactly_their_rows(table):
    keys = ["05774032", "05774", "05", "DG", "07211000"]
    some = load_broadband(keys=keys)
    expected = table[table["key"].isin(keys)]
    assert len(some) == len(expected) > 0 and set(some["key"].astype(str)) == set(keys)
    columns = ["key", "vintage", "segment", "technology", "min_mbps", "area_type"]
    merged = some.astype({c: str for c in columns}).merge(expected.astype({c: str for c in columns}), on=columns)
    assert len(merged) == len(some) and (merged["share_x"] == merged["share_y"]).all()


def test_todays_municipality_list_is_the_zensus_2022_list():
    municipalities = load_current_municipalities()
    assert len(municipalities) == 10_786 and municipalities["ags"].is_unique
    assert municipalities.set_index("ags").at["05774032", "population"] == 155_516


def corrupt(table: pd.DataFrame, tmp_path: Path, change) -> Path:
    bad = change(table.copy())
    path = tmp_path / TABLE_NAME
    bad.to_parquet(path, index=False)
    return path


def test_loader_refuses_a_share_outside_0_100(table, tmp_path):
    def change(t):
        t.loc[0, "share"] = 120.0
        return t
    with pytest.raises(DataValidationError, match="row 2, column 'share': 120.0 is not a share"):
        load_broadband(corrupt(table.head(50), tmp_path, change))


def test_loader_refuses_duplicate_rows_and_missing_columns(table, tmp_path):
    with pytest.raises(DataValidationError, match="3 rows appear twice"):
        load_broadband(corrupt(table.head(50), tmp_path, lambda t: pd.concat([t, t.head(3)], ignore_index=True)))
    with pytest.raises(DataValidationError, match="column 'share': missing column"):
        load_broadband(corrupt(table.head(50), tmp_path, lambda t: t.drop(columns="share")))
    with pytest.raises(DataValidationError, match="file not found; rebuild it with `regiopole fetch-broadband`"):
        load_broadband(tmp_path / "absent.parquet")


def test_loader_refuses_a_key_that_does_not_fit_its_level(table, tmp_path):
    def change(t):
        t["key"] = t["key"].astype(str)
        t.loc[0, "key"] = "5774032"
        return t
    with pytest.raises(DataValidationError, match="'5774032' does not fit level"):
        load_broadband(corrupt(table.head(50), tmp_path, change))


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@needs_shared
def test_fetch_broadband_rebuilds_the_shipped_table_from_a_served_zip(server, table, tmp_path):
    server.files["/Paket_3.zip"] = zip_of({f"Paket_3/{p.name}": p.read_bytes() for p in sorted(SHARED.glob("*.csv"))})
    server.fail_first = 1  # one 503 first: the download retries
    result = fetch_broadband(url=server.url("Paket_3.zip"), out_dir=tmp_path, progress=False, retries=2, timeout=30)
    assert server.requests == 2 and result.changed == [] and result.new == []
    assert sorted(p.name for p in result.written) == sorted([TABLE_NAME, REPORT_NAME])
    # same raw files, same bytes (and far faster than assert_frame_equal on these categorical columns)
    assert (tmp_path / TABLE_NAME).read_bytes() == (broadband_dir() / TABLE_NAME).read_bytes()
    assert load_broadband(tmp_path / TABLE_NAME).equals(table)
    assert (tmp_path / REPORT_NAME).read_text(encoding="utf-8") == (broadband_dir() / REPORT_NAME).read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind


def test_fetch_reports_a_missing_archive_and_leaves_the_target_untouched(server, tmp_path):
    with pytest.raises(DownloadError, match="server answered 404"):
        fetch_broadband(url=server.url("missing.zip"), out_dir=tmp_path, progress=False, retries=1)
    assert list(tmp_path.iterdir()) == []


def test_fetch_refuses_an_archive_that_is_not_paket_3(server, tmp_path):
    server.files["/other.zip"] = zip_of({"landkreis_privat_2021_1.csv": b'"ags";"verf_300_50"\n"05774";90\n'})
    with pytest.raises(DataValidationError, match="no Gemeinde household file"):
        fetch_broadband(url=server.url("other.zip"), out_dir=tmp_path, progress=False, retries=1)
    assert list(tmp_path.iterdir()) == []


def test_fetch_names_changed_members(server, tmp_path):
    gemeinde = ('"AGS";"alle Technologien ≥ 100 Mbit/s";"alle Technologien ≥ 1000 Mbit/s"\n"05774032";97.5;72.17\n')
    server.files["/p.zip"] = zip_of({"gemeinde_privat_2018_ende.csv": gemeinde.encode("utf-8")})
    result = fetch_broadband(url=server.url("p.zip"), out_dir=tmp_path, progress=False, retries=1)
    assert result.changed == ["gemeinde_privat_2018_ende.csv"]
    assert share(load_broadband(tmp_path / TABLE_NAME), "05774032", "2018-12-31") == 72.17


def test_fetch_broadband_subcommand_prints_what_it_wrote(server, tmp_path, capsys):
    gemeinde = ('"AGS";"alle Technologien ≥ 100 Mbit/s";"alle Technologien ≥ 1000 Mbit/s"\n"05774032";97.5;72.17\n'
                '"01001999";50;10\n')
    server.files["/p.zip"] = zip_of({"gemeinde_privat_2018_ende.csv": gemeinde.encode("utf-8")})
    parser = argparse.ArgumentParser()
    add_subcommands(parser.add_subparsers())
    args = parser.parse_args(["fetch-broadband", "--url", server.url("p.zip"), "--out", str(tmp_path), "--quiet",
                              "--retries", "1"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "4 rows from 1 files; 1 Gemeinde keys not in the Zensus 2022 list" in out
    assert str(tmp_path / TABLE_NAME) in out
