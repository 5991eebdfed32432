"""Progress display of a run: each notebook's state and elapsed time.

On a terminal the table is redrawn in place; otherwise (CI logs, pipes) every change of
state is printed as one line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

SYMBOLS = {"waiting": " ", "running": ">", "ok": "+", "skipped": "=", "failed": "!", "blocked": "-", "interrupted": "x"}
LABELS = {"waiting": "waiting", "running": "running", "ok": "done", "skipped": "up to date", "failed": "FAILED",
          "blocked": "not run (input failed)", "interrupted": "interrupted"}


class Progress:
    """States of the notebooks of one run, shown on ``stream``."""

    def __init__(self, names: list[str], stream: TextIO | None = None, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.t0 = time.perf_counter()
        self.width = max((len(n) for n in names), default=10)
        self.rows: dict[str, list] = {name: ["waiting", None, None, ""] for name in names}
        self.drawn = 0

    def set(self, name: str, state: str, note: str = "") -> None:
        """Record that ``name`` entered ``state`` (with an optional reason or error line)."""
        row = self.rows.setdefault(name, ["waiting", None, None, ""])
        now = time.perf_counter()
        if state == "running":
            row[1] = now
        elif row[1] is not None and row[2] is None:
            row[2] = now
        row[0], row[3] = state, note
        if self.live:
            self.draw()
        else:
            self.stream.write(f"[{now - self.t0:6.1f} s] {self.line(name)}\n")
            self.stream.flush()

    def elapsed(self, name: str) -> float | None:
        _, start, end, _ = self.rows[name]
        if start is None:
            return None
        return (end if end is not None else time.perf_counter()) - start

    def line(self, name: str) -> str:
        state, _, _, note = self.rows[name]
        seconds = self.elapsed(name)
        took = f"{seconds:5.1f} s" if seconds is not None else " " * 7
        return f"{SYMBOLS[state]} {name:<{self.width}}  {LABELS[state]:<12} {took}  {note}".rstrip()

    def draw(self) -> None:
        """Redraw the whole table in place (terminal only)."""
        if not self.live:
            return
        out = self.stream
        if self.drawn:
            out.write(f"\x1b[{self.drawn}F")
        for name in self.rows:
            out.write("\x1b[2K" + self.line(name)[:200] + "\n")
        out.write(f"\x1b[2K  {time.perf_counter() - self.t0:.1f} s\n")
        self.drawn = len(self.rows) + 1
        out.flush()

    def close(self) -> None:
        """Final redraw."""
        self.draw()
