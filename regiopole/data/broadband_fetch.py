"""Download the Breitbandatlas Paket 3, check it, and rebuild the broadband reference table.

:func:`fetch_broadband` downloads ``Paket_3.zip`` (or takes a zip already on disk),
checks that it is a complete archive, extracts its CSV files into a temporary folder,
compares each with the SHA-256 of the copy the shipped table was built from
(``paket3_files.sha256``; differences are reported, since a republished package may
legitimately differ), rebuilds the table with
:func:`regiopole.data.broadband_table.build_reference` and writes it atomically.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from regiopole.data.broadband_table import (Build, broadband_dir, build_reference, load_current_municipalities,
                                            write_reference)
from regiopole.data.download import check_zip, download, sha256_of
from regiopole.data.errors import DataValidationError, Problem

DEFAULT_URL = "https://data.bundesnetzagentur.de/Bundesnetzagentur/GIGA/DE/Breitbandatlas/Downloads/Paket_3.zip"
CHECKSUMS_NAME = "paket3_files.sha256"


@dataclass
class FetchResult:
    """What a fetch did: the build, the files written, members that differ from the recorded copy."""

    build: Build
    written: list[Path]
    changed: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


def recorded_checksums(path: Path | None = None) -> dict[str, str]:
    """File name -> SHA-256 of the raw files the shipped table was built from."""
    path = path or broadband_dir() / CHECKSUMS_NAME
    if not path.is_file():
        return {}
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def extract_csv(archive: Path, target: Path) -> list[Path]:
    """Extract the CSV members of ``archive`` flat into ``target`` (by file name only, never outside it)."""
    check_zip(archive)
    written = []
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/")).name
            if info.is_dir() or not name.lower().endswith(".csv") or name.startswith("."):
                continue
            out = target / name
            if out.exists():
                raise DataValidationError(archive, [Problem(None, None, f"the archive holds {name} twice "
                                                            "(in two folders); expected one copy of each file")])
            out.write_bytes(zf.read(info))
            written.append(out)
    if not written:
        raise DataValidationError(archive, [Problem(None, None, "no CSV file in the archive; expected Paket_3.zip "
                                                    "of the Breitbandatlas")])
    return written


def fetch_broadband(url: str = DEFAULT_URL, archive: str | Path | None = None, out_dir: str | Path | None = None,
                    sha256: str | None = None, retries: int = 3, timeout: float = 120.0,
                    progress: bool = True) -> FetchResult:
    """Download (or read ``archive``), check, rebuild and write the broadband reference table into ``out_dir``."""
    out_dir = Path(out_dir) if out_dir else broadband_dir()
    with tempfile.TemporaryDirectory(prefix="regiopole-broadband-") as tmp:
        zip_path = Path(archive) if archive else download(url, Path(tmp) / "Paket_3.zip", sha256=sha256, retries=retries,
                                                          timeout=timeout, progress=progress)
        raw_dir = Path(tmp) / "raw"
        raw_dir.mkdir()
        files = extract_csv(zip_path, raw_dir)
        recorded = recorded_checksums()
        changed = sorted(p.name for p in files if p.name in recorded and sha256_of(p) != recorded[p.name])
        new = sorted(p.name for p in files if recorded and p.name not in recorded)
        current = set(load_current_municipalities()["ags"])
        build = build_reference(raw_dir, current, progress=progress)
    written = write_reference(build, out_dir)
    return FetchResult(build=build, written=written, changed=changed, new=new)
