"""Tables read and checked once per version of their file, for the life of the process.

``regiopole run`` forks its kernels from a server process that can load what many notebooks
read (``warm`` in ``notebooks/pipeline.yaml``); the kernels then start with those tables in
memory. Every use looks at the file again (inode, modification time, size): a file that
changed, or was replaced, is read and checked anew. Callers get their own copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

#: Versions kept at most (a run reads a few dozen tables); beyond that the cache starts again.
MAX_TABLES = 256
_tables: dict[tuple[str, int, int, int, str], pd.DataFrame] = {}


def file_version(path: str | Path) -> tuple[str, int, int, int]:
    """The file's real path, inode, modification time (ns) and size; OSError if it is missing."""
    info = os.stat(path)
    return os.path.realpath(path), info.st_ino, info.st_mtime_ns, info.st_size


def cached_table(path: str | Path, kind: str, load: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``load()``'s table for this version of ``path`` (``kind`` tells apart different reads of
    one file); a table that fails to load is not kept, so its error is raised at every use."""
    try:
        key = (*file_version(path), kind)
    except OSError:
        return load()  # the loader says the file is missing
    table = _tables.get(key)
    if table is None:
        table = load()
        if len(_tables) >= MAX_TABLES:
            _tables.clear()
        _tables[key] = table
    return table.copy()


def clear() -> None:
    """Forget every table (tests)."""
    _tables.clear()
