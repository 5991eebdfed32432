"""The data layer's cache of checked tables: kept per version of the file, never stale."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from regiopole.data import cache
from regiopole.paths import TABLE_CACHE_ENV


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


def test_a_new_process_finds_the_checked_table_on_disk_and_never_a_stale_one(tmp_path: Path, monkeypatch) -> None:
    """The disk cache (REGIOPOLE_TABLE_CACHE): a second process (memory cleared) gets the same
    table without loading it; other bytes, another reading, other package code or a damaged
    entry load the file again."""
    monkeypatch.setenv(TABLE_CACHE_ENV, str(tmp_path / "cache"))
    path, calls = tmp_path / "t.csv", []
    path.write_text("ags,name\n05774032,Paderborn\n", encoding="utf-8")

    def load() -> pd.DataFrame:
        calls.append(1)
        table = pd.read_csv(path, dtype={"ags": str, "name": "category"})
        table.attrs.update(source=str(path), first_row=2)
        return table

    first = cache.cached_table(path, "t", load)
    cache.clear()  # as in a new kernel process
    again = cache.cached_table(path, "t", load)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs == first.attrs and again["name"].dtype == "category"

    cache.clear()
    path.write_text("ags,name\n05774032,Paderbörn\n", encoding="utf-8")  # other bytes
    assert cache.cached_table(path, "t", load).loc[0, "name"] == "Paderbörn" and len(calls) == 2

    cache.clear()
    cache.cached_table(path, "another reading", load)
    assert len(calls) == 3

    cache.clear()
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "the package's code has changed")
    cache.cached_table(path, "t", load)
    assert len(calls) == 4

    for entry in (tmp_path / "cache").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    cache.clear()
    assert cache.cached_table(path, "t", load).loc[0, "name"] == "Paderbörn" and len(calls) == 5
    cache.clear()
    cache.cached_table(path, "t", load)  # the damaged entry was replaced
    assert len(calls) == 5
    assert path.read_text(encoding="utf-8") == "ags,name\n05774032,Paderbörn\n"  # the file is only read


def test_without_the_environment_variable_nothing_is_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(TABLE_CACHE_ENV, raising=False)
    path, calls = tmp_path / "t.csv", []
    path.write_text("ags,name\n1,A\n", encoding="utf-8")
    cache.cached_table(path, "t", counting_loader(path, calls))
    cache.clear()
    cache.cached_table(path, "t", counting_loader(path, calls))
    assert len(calls) == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_the_code_fingerprint_changes_with_the_code_that_loads_tables(tmp_path: Path) -> None:
    """A change to a loader or a schema makes every disk entry stale; one to the pipeline,
    which loads no table, does not."""
    import shutil

    package = tmp_path / "regiopole"
    shutil.copytree(Path(cache.__file__).resolve().parents[1], package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.source_fingerprint(package)
    assert before == cache.code_fingerprint()
    with (package / "pipeline" / "runner.py").open("a", encoding="utf-8") as handle:
        handle.write("# publishing changed\n")
    assert cache.source_fingerprint(package) == before
    with (package / "data" / "schemas.py").open("a", encoding="utf-8") as handle:
        handle.write("# a check changed\n")
    assert cache.source_fingerprint(package) != before


def test_a_kernel_whose_tables_are_cached_imports_no_pandera(tmp_path: Path) -> None:
    """The point of the disk cache: a dossier kernel that starts as a new process and finds
    its tables checked needs neither pandera nor its first checks (half a second)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from regiopole.data import load_region\n"
        "load_region()\n"
        "print('pandera' in sys.modules)\n"
    )
    env = {**os.environ, TABLE_CACHE_ENV: str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr[-2000:] for r in runs]
