"""Benchmark: the naive papermill + nbconvert CLI loop against ``regiopole run``.

Runs, on this machine and the same notebooks (all declared in notebooks/pipeline.yaml):

1. the naive loop: per notebook one ``papermill`` process, then one ``jupyter nbconvert
   --to html`` process, one notebook after another;
2. ``regiopole run --force --no-pdf`` (all notebooks, parallel kernels, HTML, no PDFs);
3. ``regiopole run --force`` (the same with the PDFs: the difference is what they add);
4. ``regiopole run`` again with nothing changed.

Before the first round one untimed ``regiopole run --no-pdf`` warms the disk cache and
compiles the package's bytecode, which would otherwise land on whichever run comes first.
With ``--repeat`` the rounds alternate which of 2. and 3. comes first, and the PDFs' cost is
the median of the rounds' differences.

Each writes into its own temporary output folder, so ``outputs/`` is not touched.
Prints each wall time and the ratios, with the targets of issue #6 (2-core machine:
full run >= 5x faster than the naive loop, and < 20 s for the 7 reports of that time;
nothing changed < 1.5 s), issue #13 (the PDFs add at most 10 s, nothing changed < 0.5 s)
and issue #16 (>= 5x with the dossiers).

Usage: ``.venv/bin/python benchmarks/pipeline.py [--skip-naive] [--jobs N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    """Run ``cmd`` in the project root; its wall time in seconds (a failure is reported, not fatal)."""
    clock = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - clock
    if done.returncode != 0:  # still timed: a failing notebook is a finding, not a reason to stop
        print(f"  warning: exit {done.returncode}: {' '.join(cmd[:3])} ...\n    "
              + "\n    ".join(done.stderr.strip().splitlines()[-4:]), file=sys.stderr)
    return seconds


def notebooks() -> list[tuple[Path, dict[str, str]]]:
    """Each run in order: the notebook and the parameters its parameter set fixes (one run per
    municipality for the dossiers, so the naive loop runs them as often as ``regiopole run`` does)."""
    sys.path.insert(0, str(ROOT))
    from regiopole.pipeline.spec import load_pipeline

    pipeline = load_pipeline(ROOT)
    given = pipeline.given({})
    pipeline = pipeline.expand(given)
    return [(pipeline.notebooks[name].path, pipeline.notebooks[name].fixed) for name in pipeline.order(given)]


def naive_loop(runs: list[tuple[Path, dict[str, str]]], out: Path) -> float:
    total = 0.0
    for path, fixed in runs:
        name = "-".join([path.stem, *map(str, fixed.values())])
        executed = out / "notebooks" / f"{name}.ipynb"
        executed.parent.mkdir(parents=True, exist_ok=True)
        total += timed([str(BIN / "papermill"), str(path), str(executed), "-k", "python3", "--cwd", str(ROOT),
                        "-p", "output_dir", str(out), "-p", "maps_dir", str(out / "maps"), "--no-progress-bar",
                        *[arg for key, value in fixed.items() for arg in ("-r", key, str(value))]])
        total += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed),
                        "--output-dir", str(out / "html")])
        print(f"  naive: {name} done ({total:.1f} s so far)", file=sys.stderr)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-naive", action="store_true", help="time only regiopole run")
    parser.add_argument("--jobs", type=int, default=None, help="kernels at once for regiopole run")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="N rounds of all three timings, interleaved so that a slow spell of a shared "
                             "machine hits both sides; reports the fastest of each and every round's ratio")
    args = parser.parse_args()
    paths = notebooks()
    cores = len(os.sched_getaffinity(0))
    print(f"{len(paths)} notebook runs ({', '.join(sorted({p.stem for p, _ in paths}))}); {cores} cores; "
          f"load average before: {os.getloadavg()[0]:.2f}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: every process compiles the project's modules anew, "
              "slower than on a user's machine (unset it to measure as there)")
    with tempfile.TemporaryDirectory(prefix="regiopole-bench-") as tmp:
        tmp_path = Path(tmp)
        naives, fulls, unchangeds, no_pdfs = [], [], [], []
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []

        def regiopole_run(out: Path, *extra: str) -> float:
            return timed([str(BIN / "regiopole"), "run", "-p", f"output_dir={out}", "-p", f"maps_dir={out / 'maps'}",
                          *jobs, *extra])

        regiopole_run(tmp_path / "warm-up", "--no-pdf")
        for attempt in range(args.repeat):
            if not args.skip_naive:
                naives.append(naive_loop(paths, tmp_path / f"naive{attempt}"))
            out, no_pdf = tmp_path / f"run{attempt}", tmp_path / f"run{attempt}-no-pdf"
            if attempt % 2 == 0:
                no_pdfs.append(regiopole_run(no_pdf, "--force", "--no-pdf"))
                fulls.append(regiopole_run(out, "--force"))
            else:
                fulls.append(regiopole_run(out, "--force"))
                no_pdfs.append(regiopole_run(no_pdf, "--force", "--no-pdf"))
            unchangeds.append(regiopole_run(out))
        naive = min(naives) if naives else None
        full, unchanged, without_pdf = min(fulls), min(unchangeds), min(no_pdfs)
        pdf_cost = statistics.median(f - n for f, n in zip(fulls, no_pdfs, strict=True))
        if args.repeat > 1:
            print(f"rounds: naive loop {', '.join(f'{t:.1f}' for t in naives) or '-'} s; "
                  f"regiopole run --force --no-pdf {', '.join(f'{t:.1f}' for t in no_pdfs)} s; "
                  f"regiopole run --force {', '.join(f'{t:.1f}' for t in fulls)} s; "
                  f"nothing changed {', '.join(f'{t:.2f}' for t in unchangeds)} s (fastest of each used below; "
                  "the PDFs first in rounds 2, 4, ...)")
            print("the PDFs add, per round: " + ", ".join(f"{f - n:.1f}" for f, n in zip(fulls, no_pdfs, strict=True))
                  + " s")
            if naives:
                print("speed-up per round: " + ", ".join(f"{n / f:.1f}x" for n, f in zip(naives, fulls, strict=True)))
    print(f"{'naive CLI loop (papermill + nbconvert per notebook)':<52} "
          f"{f'{naive:6.1f} s' if naive is not None else '   -'}")
    print(f"{'regiopole run --force --no-pdf (incl. HTML)':<52} {without_pdf:6.1f} s")
    print(f"{'regiopole run --force (incl. HTML and PDFs)':<52} {full:6.1f} s   target: >= 5x the naive loop "
          "(issue 6's < 20 s was for its 7 reports, before the 29 dossiers)")
    print(f"{'  the PDFs add' + (' (median of the rounds)' if args.repeat > 1 else ''):<52} {pdf_cost:6.1f} s   "
          "target <= 10 s")
    print(f"{'regiopole run, nothing changed':<52} {unchanged:6.2f} s   target < 0.5 s")
    if naive is not None:
        print(f"speed-up full run vs naive loop: {naive / full:.1f}x (target >= 5x); "
              f"per notebook: naive {naive / len(paths):.1f} s, regiopole {full / len(paths):.1f} s")
    print(f"speed-up nothing changed vs full run: {full / unchanged:.0f}x; load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
