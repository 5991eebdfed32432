"""Benchmark: what printing the stakeholder reports to PDF adds to ``make reproduce``.

Prints every stakeholder report in ``outputs/html`` (run ``make reproduce`` first) to PDF
in a temporary folder, as ``regiopole publish`` does (one headless Chromium for all pages),
and reports the wall time in total and per page, against the target of issue 13 (at most
10 s added on the 2-core machine). ``--repeat N`` takes the fastest of N rounds.

Usage: ``.venv/bin/python benchmarks/pdf.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0


def _cpu() -> float:
    """CPU seconds the whole machine has been busy (Linux ``/proc/stat``): Chromium's browser,
    renderer and utility processes, Playwright's driver and this process. Elsewhere: this
    process and its finished children only (which misses the browser's own children)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            user, nice, system, _idle, _iowait, irq, softirq = map(int, stat.readline().split()[1:8])
        return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    from regiopole.pipeline.manifest import Manifest
    from regiopole.pipeline.pdf import write_pdfs
    from regiopole.pipeline.publish import html_names

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    html_dir = ROOT / "outputs" / "html"
    if not (ROOT / "outputs" / "manifest.json").is_file():
        print("error: outputs/manifest.json not found; run `make reproduce` first", file=sys.stderr)
        return 2
    pages = [html_dir / html_names(name)[0] for name in Manifest.load(ROOT / "outputs").notebooks]
    pages = [page for page in pages if page.is_file()]
    rounds, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            clock, cpu = time.perf_counter(), _cpu()
            written = write_pdfs([(page, Path(tmp) / f"{page.stem}.pdf") for page in pages])
            rounds.append(time.perf_counter() - clock)
            cpus.append(_cpu() - cpu)
        sizes = sum(path.stat().st_size for path in written)
    best = min(rounds)
    print(f"{len(pages)} PDFs ({sizes / 1e6:.1f} MB): {best:.1f} s (fastest of {len(rounds)}: "
          f"{', '.join(f'{r:.1f}' for r in rounds)} s), {best / max(len(pages), 1):.2f} s per page; "
          f"target <= {TARGET_S:.0f} s: {'met' if best <= TARGET_S else 'NOT met'}")
    from regiopole.pipeline.pdf import CHROMIUM

    print(f"browser: {CHROMIUM}")
    print(f"CPU time (the machine, all processes and cores; run it on an idle machine): {min(cpus):.1f} s; load average now "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (a busy machine stretches the wall time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
