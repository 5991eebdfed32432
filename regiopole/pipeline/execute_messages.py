"""Messages about a failed notebook: which notebook, which cell, which error, where to look."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Lines of an error message shown on the terminal; the kept notebook has all of them.
MESSAGE_LINES = 8


def describe_failure(name: str, notebook: Path, error: dict[str, Any] | None, kept: str | None) -> str:
    """The message naming notebook, cell and error, and where the partial notebook is."""
    error = error or {}
    cell = f", cell {error['cell']}" if error.get("cell") else ""
    count = f" (In [{error['execution_count']}])" if error.get("execution_count") else ""
    evalue = str(error.get("evalue", "")).splitlines() or [""]
    if len(evalue) > MESSAGE_LINES:
        evalue = [*evalue[:MESSAGE_LINES], f"  ... ({len(evalue) - MESSAGE_LINES} more lines in the kept notebook)"]
    lines = [f"{name} failed{cell}{count}: {error.get('ename', 'Error')}: {evalue[0]}".rstrip(), *evalue[1:]]
    code = (error.get("source") or "").strip().splitlines()
    if code:
        lines.append("  cell source: " + code[0][:120] + (" ..." if len(code) > 1 else ""))
    if kept:
        lines.append(f"  partially executed notebook kept for inspection: {kept}")
    lines.append(f"  earlier results of {notebook.name} were left in place")
    return "\n".join(lines)


def error_line(error: dict[str, Any] | None) -> str:
    """One line for the progress display: cell, error type and the first line of the message."""
    error = error or {}
    cell = f"cell {error['cell']}: " if error.get("cell") else ""
    return f"{cell}{error.get('ename', '')}: {str(error.get('evalue', '')).splitlines()[0] if error.get('evalue') else ''}"[:160]
