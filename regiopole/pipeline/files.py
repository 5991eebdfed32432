"""Small file helpers of the pipeline: content hashes and atomic writes.

Kept free of heavy imports (``regiopole.report`` has the same atomic writer but imports
matplotlib and pandas, which would cost seconds in a run where nothing changed).
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

TMP_SUFFIX = ".tmp"
#: What a run keeps in the output folder for the next one, in ``<output_dir>/.cache``: checked
#: tables (:mod:`regiopole.data.cache`), the trimmed lab stylesheet
#: (:mod:`regiopole.pipeline.labcss`) and compiled templates (``publish.template_cache``).
#: Every entry is checked against what it was made from, so deleting the folder is always safe.
CACHE_DIR = ".cache"
#: mkstemp creates files readable only by their owner; published files get the usual
#: permissions instead (0666 less the umask). Read once: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


#: libyaml's safe loader where PyYAML was built with it (about 10x faster than the pure-Python one,
#: which cost a third of a run with nothing to do); same results, same errors (yaml.YAMLError).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text like ``yaml.safe_load``, with libyaml when available."""
    return yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader


def sha256_file(path: Path | str) -> str:
    """SHA-256 (hex) of a file's bytes.

    Kept per version of the file (inode, modification time, size) for the life of the process:
    a run asks for the region file's and the shared tables' hashes once per dossier. Every
    writer here replaces files atomically, which gives them a new inode.
    """
    return _sha256_version(os.fspath(path), *file_version(path))


def file_version(path: Path | str) -> tuple[int, int, int]:
    """A file's inode, modification time (ns) and size, to keep what was read from it per
    version (OSError if it is missing)."""
    info = os.stat(path)
    return info.st_ino, info.st_mtime_ns, info.st_size


@functools.lru_cache(maxsize=4096)
def _sha256_version(path: str, inode: int, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def sha256_text(text: str) -> str:
    """SHA-256 (hex) of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` only on success.

    On an error or Ctrl-C the temporary file is removed, so ``target`` is either the
    old file or the complete new one, never half written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TMP_SUFFIX, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    """Write UTF-8 text (``\\n`` line ends) to ``target`` atomically."""
    return write_bytes_atomic(target, text.encode("utf-8"))


def write_if_changed(target: Path, text: str) -> bool:
    """Write ``text`` atomically unless ``target`` already holds exactly it; True if written."""
    data = text.encode("utf-8")
    if target.is_file() and target.read_bytes() == data:
        return False
    write_bytes_atomic(target, data)
    return True


class Busy(RuntimeError):
    """Another process holds the lock."""


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (POSIX), or raise :class:`Busy` at once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(str(lock_file)) from None
        yield
