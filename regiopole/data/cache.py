"""Tables read and checked once per version of their file: in memory, and across processes on disk.

In memory, for the life of the process: ``regiopole run`` forks its kernels from a server
process that can load what many notebooks read (``warm`` in ``notebooks/pipeline.yaml``);
the kernels then start with those tables in memory. Every use looks at the file again
(inode, modification time, size): a file that changed, or was replaced, is read and checked
anew. Callers get their own copy.

On disk, when the environment names a folder (``REGIOPOLE_TABLE_CACHE``; ``regiopole run``
sets it for its kernels to ``<output_dir>/.cache/tables``): a kernel started as a new
process (one dossier rerun alone) finds there the tables an earlier kernel checked, and
needs neither pandera nor the checks. An entry is used only when it was made from the same
bytes of the file, by the same reading (``kind``), with the same package source and the
same versions of Python and the table libraries; anything else, also an unreadable entry,
reads and checks the file again and replaces the entry. So a stale entry can never be
used: it costs one reading. The folder holds one entry per file and reading; deleting it is
always safe.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pandas as pd

from regiopole.data.atomic import atomic_path
from regiopole.paths import TABLE_CACHE_ENV

#: Versions kept at most (a run reads a few dozen tables); beyond that the cache starts again.
MAX_TABLES = 256
#: Libraries whose version is part of every disk entry's key (they shape a checked table).
LIBRARIES = ("numpy", "pandas", "pandera", "pyarrow")
_tables: dict[tuple[str, int, int, int, str], pd.DataFrame] = {}


def file_version(path: str | Path) -> tuple[str, int, int, int]:
    """The file's real path, inode, modification time (ns) and size; OSError if it is missing."""
    info = os.stat(path)
    return os.path.realpath(path), info.st_ino, info.st_mtime_ns, info.st_size


def cached_table(path: str | Path, kind: str, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``load()``'s table for this version of ``path`` (``kind`` tells apart different reads of
    one file, and must name everything besides the file that ``load`` depends on); a table
    that fails to load is not kept, so its error is raised at every use."""
    try:
        key = (*file_version(path), kind)
    except OSError:
        return load()  # the loader says the file is missing
    table = _tables.get(key)
    if table is None:
        table = _from_disk(Path(key[0]), kind, load)
        if len(_tables) >= MAX_TABLES:
            _tables.clear()
        _tables[key] = table
    return table.copy()


def _from_disk(path: Path, kind: str, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    folder = os.environ.get(TABLE_CACHE_ENV)
    if not folder:
        return load()
    try:
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return load()
    entry = Path(folder) / (hashlib.sha256(f"{path}\0{kind}".encode()).hexdigest()[:32] + ".pickle")
    key = [content, kind, code_fingerprint()]
    try:
        with entry.open("rb") as handle:
            stored_key, table = pickle.load(handle)
        if stored_key == key and isinstance(table, pd.DataFrame):
            return table
    except Exception:  # noqa: BLE001 - missing, half-copied or from another version: read the file
        pass
    table = load()
    try:
        with atomic_path(entry) as tmp:
            tmp.write_bytes(pickle.dumps((key, table), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only or full disk: the table is still right, only the next process reads it again
    return table


@functools.cache
def code_fingerprint() -> str:
    """What, besides a file, makes its checked table: :func:`source_fingerprint` of this package."""
    return source_fingerprint(Path(__file__).resolve().parents[1])


def source_fingerprint(package: Path) -> str:
    """SHA-256 of the package source below ``package`` (without the pipeline, which loads no
    table) and of the versions of Python and of :data:`LIBRARIES`."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    for source in sorted(package.rglob("*.py")):
        relative = source.relative_to(package)
        if relative.parts[0] != "pipeline":
            digest.update(relative.as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def clear() -> None:
    """Forget every table kept in memory (tests)."""
    _tables.clear()
