"""Where the project's folders are, and how notebook path parameters are resolved.

Notebook parameters hold paths relative to the project root (``data/example``), so the
same notebook works in JupyterLab (cwd ``notebooks/``) and under papermill.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "REGIOPOLE_ROOT"
#: Folder of the disk cache of checked tables (:mod:`regiopole.data.cache`); unset: none.
TABLE_CACHE_ENV = "REGIOPOLE_TABLE_CACHE"


def project_root() -> Path:
    """Return the project root: ``$REGIOPOLE_ROOT``, else the nearest folder upwards from
    the working directory holding this project's ``pyproject.toml``, else the checkout
    the package was imported from."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    for folder in [Path.cwd(), *Path.cwd().parents]:
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and 'name = "regiopole"' in pyproject.read_text(encoding="utf-8"):
            return folder
    return Path(__file__).resolve().parent.parent


def resolve(path: str | os.PathLike[str]) -> Path:
    """Resolve a path parameter: absolute paths stay, relative ones are taken from the root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (project_root() / p)


def reference_dir() -> Path:
    """Folder of the public reference data (``data/reference``)."""
    return project_root() / "data" / "reference"


def default_region_file() -> Path:
    """The region definition used when none is given."""
    return reference_dir() / "regions" / "paderborn.yaml"
