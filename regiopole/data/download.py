"""Download one file safely (shared by every ``regiopole fetch-*`` command): progress bar, retries, verification, and never a half-written file.

The file is streamed into a temporary file beside the target, checked (complete length,
zip integrity, SHA-256 when given) and only then renamed onto the target.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

from tqdm import tqdm

from regiopole.data.atomic import atomic_path

CHUNK = 1 << 20
USER_AGENT = "regiopole (python urllib)"


class DownloadError(RuntimeError):
    """The file could not be downloaded or failed verification; the message says what to do."""


class Incomplete(OSError):
    """A transfer ended early or produced a broken archive (worth another attempt)."""


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def check_zip(path: Path) -> None:
    """Raise :class:`Incomplete` unless ``path`` is a zip archive whose members all pass their CRC."""
    if not zipfile.is_zipfile(path):
        raise Incomplete(f"{path.name} is not a complete zip archive")
    with zipfile.ZipFile(path) as archive:
        bad = archive.testzip()
    if bad is not None:
        raise Incomplete(f"member {bad} of the archive is damaged (CRC mismatch)")


def fetch_once(url: str, target: Path, timeout: float, progress: bool) -> None:
    """Stream ``url`` into ``target`` with a progress bar; raise :class:`Incomplete` if cut short."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response, target.open("wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        written = 0
        with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=url.rsplit("/", 1)[-1],
                  disable=not progress, leave=False) as bar:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                written += len(block)
                bar.update(len(block))
    if total is not None and written != total:
        raise Incomplete(f"received {written} of {total} bytes")


def download(url: str, target: Path, sha256: str | None = None, retries: int = 3, timeout: float = 120.0,
             progress: bool = True, backoff: float = 2.0, is_zip: bool = True) -> Path:
    """Download ``url`` to ``target`` and verify it; on failure ``target`` is left untouched.

    Network errors, server errors (5xx) and truncated or damaged archives are retried up to
    ``retries`` times with growing pauses; a missing file (4xx) or a wrong SHA-256 is not.
    """
    last: Exception | None = None
    for attempt in range(1, max(1, retries) + 1):
        try:
            with atomic_path(target) as tmp:
                fetch_once(url, tmp, timeout, progress)
                if is_zip:
                    check_zip(tmp)
                if sha256 and sha256_of(tmp) != sha256.lower():
                    raise DownloadError(f"{url}: SHA-256 is {sha256_of(tmp)}, expected {sha256}. The file on the "
                                        "server differs from the one you named; check the checksum or the URL.")
            return target
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                raise DownloadError(f"{url}: server answered {exc.code} {exc.reason}; check the URL.") from None
            last = exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, Incomplete) as exc:
            last = exc
        if attempt < retries:
            time.sleep(backoff * attempt)
    raise DownloadError(f"{url}: download failed after {retries} attempt(s): {last}. Check the network connection, "
                        "or download the archive by hand and pass it with --archive.")
