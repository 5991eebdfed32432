"""Content hashes and the decision whether a notebook must run again.

A notebook is up to date when its source, its parameters, the files it reads, the
package's source and the kernel are the same as at its last successful run and the
files that run wrote are still there unchanged. Everything is compared by SHA-256,
never by timestamp.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from regiopole.pipeline.files import sha256_file
from regiopole.pipeline.paramsets import rows_hash, split_rows

GLOB_CHARS = set("*?[")
#: Sub-packages left out of the package hash: notebooks never import the pipeline
#: (CONTRIBUTING.md, layers), so changing how reports are published reruns no notebook.
NOT_NOTEBOOK_CODE = ("pipeline",)


def display_path(path: str | Path, root: Path) -> str:
    """``path`` relative to the project root (POSIX), or absolute when outside it."""
    p = Path(path)
    try:
        return p.relative_to(root).as_posix()
    except ValueError:
        return p.as_posix()


def package_dir(root: Path) -> Path:
    """The package source the notebooks import: ``<root>/regiopole``, else the imported one."""
    local = root / "regiopole"
    return local if local.is_dir() else Path(__file__).resolve().parents[1]


def package_hash(folder: Path, exclude: tuple[str, ...] = NOT_NOTEBOOK_CODE) -> str:
    """SHA-256 over every file below ``folder`` (names and bytes), without caches."""
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = Path(dirpath).relative_to(folder)
        dirnames[:] = sorted(d for d in dirnames
                             if d != "__pycache__" and not (rel_dir == Path(".") and d in exclude))
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            digest.update(f"{(rel_dir / name).as_posix()}\0{sha256_file(path)}\n".encode())
    return digest.hexdigest()


def input_hashes(patterns: list[str], root: Path) -> dict[str, str | None]:
    """SHA-256 of every file the patterns name; a pattern matching nothing maps to None.

    A pattern with a selection (``<table>#{"rows": ..., "columns": ...}``) hashes only those cells.
    """
    hashes: dict[str, str | None] = {}
    for pattern in patterns:
        path, selection = split_rows(pattern)
        if selection is not None:  # some rows or columns of a table
            hashes[display_path(path, root) + pattern[len(path):]] = rows_hash(path, selection)
            continue
        if GLOB_CHARS & set(pattern):
            files = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
            if not files:
                hashes[display_path(pattern, root)] = None
        else:
            files = [pattern]
        for file in files:
            hashes[display_path(file, root)] = sha256_file(Path(file)) if os.path.isfile(file) else None
    return dict(sorted(hashes.items()))


def written_files(patterns: list[str], since_ns: int) -> list[Path]:
    """Files matching the write patterns that were modified at or after ``since_ns``."""
    found = set()
    for pattern in patterns:
        for file in glob.glob(pattern, recursive=True):
            if os.path.isfile(file) and os.stat(file).st_mtime_ns >= since_ns:
                found.add(Path(file))
    return sorted(found)


def file_hashes(paths: list[Path], root: Path) -> dict[str, str]:
    """Mapping display path -> SHA-256 for existing files."""
    return {display_path(p, root): sha256_file(p) for p in sorted(paths)}


def current_state(source_sha256: str, parameters: dict[str, Any], inputs: dict[str, str | None],
                  package_sha256: str, kernel: str) -> dict[str, Any]:
    """What a run depends on, in the form stored in the manifest (parameters as JSON gives them back)."""
    as_json = json.loads(json.dumps(parameters, default=str))
    return {"source_sha256": source_sha256, "parameters": as_json, "inputs": inputs,
            "package_sha256": package_sha256, "kernel": kernel}


def stale_reason(record: dict[str, Any] | None, state: dict[str, Any], root: Path) -> str | None:
    """Why the notebook must run again, or None when its last run is still valid."""
    if not record:
        return "never run"
    if record.get("status") != "ok":
        return "last run failed"
    if record.get("source_sha256") != state["source_sha256"]:
        return "notebook changed"
    if record.get("parameters") != state["parameters"]:
        changed = sorted(k for k in {*record.get("parameters", {}), *state["parameters"]}
                         if record.get("parameters", {}).get(k) != state["parameters"].get(k))
        return f"parameter changed: {', '.join(changed)}"
    old_inputs = record.get("inputs", {})
    for path in sorted({*old_inputs, *state["inputs"]}):
        if old_inputs.get(path) != state["inputs"].get(path):
            return f"input changed: {path}"
    if record.get("package_sha256") != state["package_sha256"]:
        return "package source changed"
    if record.get("kernel") != state["kernel"]:
        return "kernel changed"
    for path, sha in {**record.get("outputs", {}), **_executed(record)}.items():
        target = root / path
        if not target.is_file():
            return f"output missing: {path}"
        if sha256_file(target) != sha:
            return f"output changed since the run: {path}"
    return None


def _executed(record: dict[str, Any]) -> dict[str, str]:
    executed = record.get("executed_notebook") or {}
    return {executed["path"]: executed["sha256"]} if executed else {}
