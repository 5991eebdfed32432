"""What a data folder holds: real project data or generated example data.

A data folder may carry a ``dataset.yaml``; the example folder's says ``example: true``
with the generator and seed. A folder without one is taken as real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from regiopole.data.errors import DataValidationError, Problem
from regiopole.paths import resolve

DESCRIPTION_FILE = "dataset.yaml"


@dataclass(frozen=True)
class DatasetInfo:
    """Provenance of a data folder."""

    path: Path
    is_example: bool
    description: str
    seed: int | None = None

    @property
    def label(self) -> str:
        """German label for captions: 'Beispieldaten' or 'Projektdaten'."""
        return "Beispieldaten" if self.is_example else "Projektdaten"


def dataset_info(data_dir: str | Path) -> DatasetInfo:
    """Describe the data folder ``data_dir`` (a path relative to the project root or absolute)."""
    folder = resolve(data_dir)
    if not folder.is_dir():
        raise DataValidationError(folder, [Problem(None, None, "data folder not found; check the data_dir parameter")])
    meta_file = folder / DESCRIPTION_FILE
    meta = yaml.safe_load(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    return DatasetInfo(
        path=folder,
        is_example=bool(meta.get("example", False)),
        description=str(meta.get("description", "")),
        seed=meta.get("seed"),
    )


def data_file(data_dir: str | Path, name: str) -> Path:
    """Path of file ``name`` in the data folder; a clear error when it is missing."""
    path = resolve(data_dir) / name
    if not path.exists():
        raise DataValidationError(path, [Problem(None, None, f"expected file '{name}' in the data folder; see data/README.md for the file names")])
    return path
