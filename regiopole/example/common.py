"""Byte-stable writers for the example data (same input, same bytes on every machine)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write a plain UTF-8 CSV (comma, ``\\n``, no index)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def write_yaml(data: object, path: Path, header: str = "") -> Path:
    """Write YAML with a fixed key order and an optional comment header."""
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return write_text(path, header + body)
