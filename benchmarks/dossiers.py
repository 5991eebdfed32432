"""Benchmark: all municipality dossiers from scratch, and one dossier after one member's data changed.

In a temporary copy of the project (``outputs/`` is not touched):

1. runs the reports the dossiers read (not timed); without the development-trends report
   (03_trends) it writes broadband tables in that report's contract format, so the dossiers
   have every section;
2. times ``regiopole run 07_dossier`` with no dossier run before (every member's page:
   kernels, HTML, and the PDFs if ``regiopole publish`` writes them), then ``regiopole publish``;
3. lets one member join one more lead project (its row of the candidates file), runs the
   lead-project report that reads that file (timed on its own), then times ``regiopole run
   07_dossier``: that member's dossier reruns, no other. ``--repeat N`` times, the member
   joining and leaving in turn (one run is one sample of a machine that varies by tenths of
   a second: the median and the range are printed);
4. with the broadband fixture (no 03_trends): changes one member's row of it and times the
   run that follows, in which only that member's dossier reruns.

Prints the wall times, how many dossiers ran, the dossiers' own run time from the manifest,
and the targets of the issue (2-core machine: all dossiers <= 30 s, one rerun <= 3 s).

Usage: ``.venv/bin/python benchmarks/dossiers.py [--jobs N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FAMILY = "07_dossier"


def regiopole(root: Path, *args: str) -> float:
    """``regiopole <args>`` in the project ``root``; its wall time (a failure stops the benchmark)."""
    clock = time.perf_counter()
    done = subprocess.run([str(BIN / "regiopole"), *args], cwd=root, env={**os.environ, "REGIOPOLE_ROOT": str(root)},
                          capture_output=True, text=True)
    seconds = time.perf_counter() - clock
    if done.returncode != 0:
        raise SystemExit(f"regiopole {' '.join(args)} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def copy_project(target: Path) -> Path:
    for folder in ("notebooks", "data", "regiopole"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__", "raw"))
    shutil.copy(ROOT / "pyproject.toml", target)
    return target


def members(root: Path) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from regiopole.pipeline.paramsets import region_members

    return [m["ags"] for m in region_members(root / "data" / "reference" / "regions" / "paderborn.yaml")]


def write_trend_fixture(root: Path, ags: list[str]) -> None:
    """Broadband tables in the contract format of the development-trends report (made-up shares)."""
    tables = root / "outputs" / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    columns = ["vintage", "hh_1000", "hh_1000_first", "first_vintage", "hh_100", "hh_ftth", "bus_1000", "bus_ftth"]
    with (tables / "trends_municipalities.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ags", "name", *columns, "rank_hh_1000"])
        for i, key in enumerate(ags):
            writer.writerow([key, key, "2021-06-30", 90 - 2 * i, 5, "2018-12-31", 95, 10 + i, 60, 20, i + 1])
    with (tables / "trends_reference.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit", "name", *columns])
        writer.writerow(["region", "Region", "2021-06-30", 60, 5, "2018-12-31", 90, 20, 55, 18])


def dossier_records(root: Path) -> dict[str, dict]:
    manifest = json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))["notebooks"]
    return {name: record for name, record in manifest.items() if record.get("family") == FAMILY}


def join_a_project(root: Path, ags: str, project: str | None = None) -> str:
    """Add member ``ags`` to the first lead-project candidate it is not part of, or, given the
    ``project`` it joined before, take it out again; the project's id."""
    path = root / "data" / "example" / "leitprojekte_candidates.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if project is None:
        row = next(r for r in rows if ags not in r["participants"])
        row["participants"] += f";{ags}"
    else:
        row = next(r for r in rows if r["project_id"] == project)
        row["participants"] = ";".join(p for p in row["participants"].split(";") if p != ags)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row["project_id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="kernels at once")
    parser.add_argument("--repeat", type=int, default=5, metavar="N", help="samples of the one-dossier rerun (default 5)")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"{len(os.sched_getaffinity(0))} cores; load average before: {os.getloadavg()[0]:.2f}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: every process compiles the project's modules anew, "
              "slower than on a user's machine (unset it to measure as there)")
    with tempfile.TemporaryDirectory(prefix="regiopole-dossiers-") as tmp:
        root = copy_project(Path(tmp))
        ags = members(root)
        trends = (root / "notebooks" / "03_trends.ipynb").is_file()
        if not trends:
            write_trend_fixture(root, ags)
        upstream = sorted(p.stem for p in (root / "notebooks").glob("0[0-6]_*.ipynb"))
        print(f"preparing: {', '.join(upstream)} (not timed){'' if trends else '; broadband tables: contract fixture'}")
        regiopole(root, "run", *upstream, *jobs)
        scratch = regiopole(root, "run", FAMILY, *jobs)
        records = dossier_records(root)
        kernel_time = sum(r["duration_s"] for r in records.values())
        publish = regiopole(root, "publish")
        pdfs = len(list((root / "outputs").rglob(f"{FAMILY}-*.pdf")))
        leitprojekte_name = next(p for p in upstream if p.startswith("05_"))
        project, reruns, owns, reran_each = None, [], [], []
        for sample in range(max(1, args.repeat)):
            before = {name: r["start"] for name, r in dossier_records(root).items()}
            project = join_a_project(root, ags[1], project if sample % 2 else None)
            upstream_rerun = regiopole(root, "run", leitprojekte_name, *jobs)  # the report that reads the changed file
            reruns.append(regiopole(root, "run", FAMILY, *jobs))  # then only the one dossier is out of date
            after = dossier_records(root)
            reran = sorted(name for name, r in after.items() if r["start"] != before.get(name))
            reran_each.append(reran)
            owns.append(sum(after[name]["duration_s"] for name in reran))
        manifest = json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))["notebooks"]
        leitprojekte = next((r for n, r in manifest.items() if n.startswith("05_")), {})
        direct = None
        if not trends:  # the fixture is nobody's output: one member's broadband row changes, nothing upstream reruns
            table = root / "outputs" / "tables" / "trends_municipalities.csv"
            lines = table.read_text(encoding="utf-8").splitlines()
            row = next(i for i, line in enumerate(lines) if line.startswith(f"{ags[2]},"))
            cells = lines[row].split(",")
            cells[-2] = "21"  # bus_ftth: neither its rank nor the region's value changes
            lines[row] = ",".join(cells)
            table.write_text("\n".join(lines) + "\n", encoding="utf-8")
            stamps = {name: r["start"] for name, r in dossier_records(root).items()}
            direct = regiopole(root, "run", FAMILY, *jobs)
            direct_reran = sorted(n for n, r in dossier_records(root).items() if r["start"] != stamps.get(n))
    print(f"{'all ' + str(len(records)) + ' dossiers from scratch (regiopole run, incl. HTML)':<58} {scratch:6.1f} s   target <= 30 s")
    print(f"{'  of which kernel time of the dossiers (sum, 2 at a time)':<58} {kernel_time:6.1f} s")
    print(f"{'regiopole publish afterwards (index' + (f', {pdfs} PDFs' if pdfs else '; no PDFs yet') + ')':<58} {publish:6.1f} s")
    counts = sorted({len(r) for r in reran_each})
    print(f"member {ags[1]} joins and leaves lead project {project} in turn, {len(reruns)} times: dossiers rerun each "
          f"time: {', '.join(map(str, counts))} ({', '.join(sorted({n for r in reran_each for n in r}))})")
    print(f"{'  regiopole run 05_leitprojekte (reads the changed file)':<58} {upstream_rerun:6.1f} s   "
          f"(kernel {leitprojekte.get('duration_s', 0):.1f} s, last time)")
    print(f"{'  then regiopole run 07_dossier: the one dossier reruns':<58} {statistics.median(reruns):6.2f} s   "
          f"target <= 3 s (median; each: {', '.join(f'{t:.2f}' for t in reruns)} s)")
    print(f"{'  of which the rerun dossier (kernel)':<58} {statistics.median(owns):6.2f} s   (median)")
    if direct is not None:
        print(f"member {ags[2]}'s broadband row changes (fixture table): dossiers rerun: {len(direct_reran)} ({', '.join(direct_reran)})")
        print(f"{'  regiopole run after the change (one dossier)':<58} {direct:6.1f} s   target <= 3 s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
