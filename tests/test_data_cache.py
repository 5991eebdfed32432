"""The data layer's cache of checked tables: kept per version of the file, never stale."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from regiopole.data import cache


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def counting_loader(path: Path, calls: list[int]):
    def load() -> pd.DataFrame:
        calls.append(1)
        return pd.read_csv(path, dtype=str)
    return load


def test_a_table_is_loaded_once_per_version_and_each_caller_gets_a_copy(tmp_path: Path) -> None:
    path, calls = tmp_path / "t.csv", []
    path.write_text("ags,name\n1,A\n", encoding="utf-8")
    first = cache.cached_table(path, "t", counting_loader(path, calls))
    first.loc[0, "name"] = "changed by the caller"
    second = cache.cached_table(path, "t", counting_loader(path, calls))
    assert len(calls) == 1 and second.loc[0, "name"] == "A"
    cache.cached_table(path, "another reading of the file", counting_loader(path, calls))
    assert len(calls) == 2


def test_a_file_changed_in_place_or_replaced_is_read_again(tmp_path: Path) -> None:
    path, calls = tmp_path / "t.csv", []
    path.write_text("ags,name\n1,A\n", encoding="utf-8")
    cache.cached_table(path, "t", counting_loader(path, calls))
    info = path.stat()
    path.write_text("ags,name\n1,B\n", encoding="utf-8")  # same size, same inode
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert cache.cached_table(path, "t", counting_loader(path, calls)).loc[0, "name"] == "B"
    replacement = tmp_path / "new.csv"
    replacement.write_text("ags,name\n1,C\n", encoding="utf-8")
    os.replace(replacement, path)  # a new inode, as atomic writers make
    assert cache.cached_table(path, "t", counting_loader(path, calls)).loc[0, "name"] == "C"
    assert len(calls) == 3


def test_a_table_that_fails_to_load_raises_at_every_use(tmp_path: Path) -> None:
    path, calls = tmp_path / "t.csv", []
    path.write_text("ags\n1\n", encoding="utf-8")

    def failing() -> pd.DataFrame:
        calls.append(1)
        raise ValueError("bad cell")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad cell"):
            cache.cached_table(path, "t", failing)
    assert len(calls) == 2
    with pytest.raises(FileNotFoundError):  # a missing file goes to the loader, which says so
        cache.cached_table(tmp_path / "missing.csv", "t", lambda: pd.read_csv(tmp_path / "missing.csv"))


def test_reference_tables_come_from_the_cache_after_the_first_load(monkeypatch) -> None:
    from regiopole.data import reference

    first = reference.load_municipalities()
    monkeypatch.setattr(reference, "read_table", lambda path: pytest.fail("read again"))
    pd.testing.assert_frame_equal(reference.load_municipalities(), first)
    assert reference.load_municipalities().attrs == first.attrs
