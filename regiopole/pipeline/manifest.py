"""``outputs/manifest.json``: the provenance of every notebook's last run.

For each notebook: parameters, SHA-256 of every input file, the outputs written, the git
commit and whether the tree was dirty, package versions, kernel, start, duration and
status. The runner keeps one record per notebook and rewrites the file atomically after
every notebook, so an interrupted run loses nothing that finished.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from regiopole.pipeline.files import load_yaml, write_if_changed
from regiopole.pipeline.state import display_path

MANIFEST = "manifest.json"
SCHEMA_VERSION = 1
#: Distributions whose versions are recorded (what the notebooks and the pipeline run on).
RECORDED_PACKAGES = ("regiopole", "pandas", "numpy", "matplotlib", "seaborn", "geopandas", "folium",
                     "pandera", "openpyxl", "papermill", "nbclient", "nbconvert", "ipykernel", "jupyter_client")


class Manifest:
    """The manifest of one output folder."""

    def __init__(self, path: Path, data: dict[str, Any]):
        self.path = path
        self.data = data

    @classmethod
    def load(cls, output_dir: Path) -> Manifest:
        """Read ``<output_dir>/manifest.json``; an absent or unreadable file gives an empty manifest."""
        path = output_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if data.get("schema") != SCHEMA_VERSION or not isinstance(data.get("notebooks"), dict):
            data = {"schema": SCHEMA_VERSION, "notebooks": {}}
        return cls(path, data)

    @property
    def notebooks(self) -> dict[str, dict[str, Any]]:
        return self.data["notebooks"]

    def record(self, name: str) -> dict[str, Any] | None:
        """The last record of notebook ``name``."""
        return self.notebooks.get(name)

    def put(self, name: str, record: dict[str, Any]) -> None:
        """Store the record of ``name`` and write the file."""
        self.notebooks[name] = record
        self.data["notebooks"] = dict(sorted(self.notebooks.items()))
        self.save()

    def drop_runs_not_in(self, notebooks: dict[str, Any]) -> None:
        """Forget runs of a parameter-set notebook whose parameter set no longer exists
        (their notebook is declared, the set is gone), so the index stops listing them."""
        families = {spec.family for spec in notebooks.values() if getattr(spec, "family", None)}
        gone = [name for name, record in self.notebooks.items()
                if record.get("family") in families and name not in notebooks]
        for name in gone:
            del self.notebooks[name]
        if gone:
            self.save()

    def save(self) -> None:
        write_if_changed(self.path, json.dumps(self.data, indent=2, ensure_ascii=False) + "\n")


def iso_time(timestamp: float) -> str:
    """A Unix time as local time with offset, to the second (ISO 8601)."""
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def git_state(root: Path) -> dict[str, Any] | None:
    """Commit of the checkout and whether it has uncommitted changes; None outside git."""
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


@cache
def versions() -> dict[str, str]:
    """Python, platform and the versions of the recorded packages that are installed."""
    from importlib import metadata  # 30 ms of imports, needed only when a notebook runs

    found = {"python": platform.python_version(), "platform": platform.platform(terse=True)}
    for name in RECORDED_PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def kernel_name() -> str:
    """The registered ``regiopole`` kernel if there is one, else ipykernel's ``python3``.

    Looks in the kernel folders jupyter_client's KernelSpecManager searches (``jupyter_path("kernels")``)
    without importing jupyter_client, which costs half a second in a run that has nothing to do.
    """
    from jupyter_core.paths import jupyter_path

    found = any((Path(folder) / "regiopole" / "kernel.json").is_file() for folder in jupyter_path("kernels"))
    return "regiopole" if found else "python3"


@cache
def kernel_info(name: str) -> dict[str, Any]:
    """Kernel name, the Python it starts and its command (``python`` in a kernel spec means this interpreter)."""
    from jupyter_client.kernelspec import KernelSpecManager

    argv = list(KernelSpecManager().get_kernel_spec(name).argv)
    if argv and argv[0] in {"python", "python3"}:  # jupyter_client runs these with this interpreter
        argv[0] = sys.executable
    return {"name": name, "python": argv[0] if argv else "", "argv": argv}


def data_provenance(data_dir: str | None, root: Path) -> dict[str, Any] | None:
    """Which data folder a run used and whether it holds example data.

    Mirrors ``regiopole.data.dataset_info`` (``dataset.yaml`` with ``example: true``),
    which cannot be imported here without loading pandas and pandera.
    """
    if data_dir is None:
        return None
    folder = Path(data_dir) if Path(data_dir).is_absolute() else root / data_dir
    meta_file = folder / "dataset.yaml"
    try:
        meta = load_yaml(meta_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        meta = {}
    return {"dir": display_path(folder, root), "example": bool(meta.get("example", False)),
            "description": str(meta.get("description", "")).strip(), "seed": meta.get("seed")}


def kernel_start(launch: str | None, preload: tuple[str, ...]) -> str | None:
    """How the kernel was started, in words, for the manifest."""
    if launch == "fork":
        return f"forked from a process with {', '.join(preload)} imported"
    return "new process" if launch == "process" else None
