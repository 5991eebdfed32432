"""Benchmark: the broadband reference table and the Entwicklungstrends report.

Times (best of ``--repeat`` runs, wall clock):

- loading and validating the shipped Germany-wide table (target ≤ 1 s),
- rebuilding it from the raw Paket 3 files (target ≤ 10 s; needs the unzipped files, by
  default ``../shared/reference/breitbandatlas/paket_3``, else ``--raw DIR``; skipped if absent),
- the cell time of ``notebooks/03_trends.ipynb`` (sum of the cells' durations, kernel start
  not included; target ≤ 3 s), as ``regiopole run`` runs it: in a kernel forked from the fork
  server, with the modules of ``preload`` imported and the region warmed; and, for comparison,
  with papermill in a new kernel, whose first cell imports pandas, matplotlib, seaborn and
  pandera itself (about 3 s on the 2-core machine).

Run: ``.venv/bin/python benchmarks/broadband.py [--repeat R] [--raw DIR] [--skip-notebook]``.
Exit status 1 when a best run misses its target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"load": 1.0, "rebuild": 10.0, "notebook cells": 3.0}
#: Shown for comparison, not a target: the kernel imports the libraries in the first cell.
COMPARISONS = ("notebook cells, new kernel",)


CPU: dict[str, float] = {}  # best CPU time of this process per step (less sensitive to a busy machine)


def best(runs: int, action, name: str = "") -> float:
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if name:
        CPU[name] = min(cpu)
    return min(times)


def time_load(runs: int) -> float:
    from regiopole.data.broadband_table import load_broadband

    load_broadband()  # first use imports pyarrow's Parquet reader
    return best(runs, load_broadband, "load")


def time_rebuild(runs: int, raw: Path) -> float:
    from regiopole.data.broadband_table import build_reference, load_current_municipalities, write_reference

    current = set(load_current_municipalities()["ags"])
    with tempfile.TemporaryDirectory() as tmp:
        return best(runs, lambda: write_reference(build_reference(raw, current), Path(tmp)), "rebuild")


def _cell_time(notebook: Path) -> float:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return sum(float(c.metadata.get("papermill", {}).get("duration") or 0) for c in nb.cells)


def time_forked_notebook(runs: int) -> float:
    import threading

    from regiopole.pipeline.execute import KernelRegistry, execute, kernel_env
    from regiopole.pipeline.forkserver import ForkServer
    from regiopole.pipeline.manifest import kernel_info, kernel_name
    from regiopole.pipeline.spec import load_pipeline
    from regiopole.pipeline.forkserver import launcher_options

    pipeline = load_pipeline(ROOT)
    spec, given = pipeline.notebooks["03_trends"], pipeline.given({})
    kernel = kernel_name()
    server = ForkServer(ROOT, kernel_env(ROOT), list(pipeline.preload),
                        launcher_options(kernel_info(kernel)["argv"]), later=list(pipeline.preload_later))
    try:
        server.ready(timeout=120)
        times = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                parameters = {**spec.parameters(given), "output_dir": tmp}
                result = execute("03_trends", spec.path, parameters, ROOT, Path(tmp) / "notebooks", kernel,
                                 KernelRegistry(), threading.Event(), server,
                                 warm=pipeline.warm_calls(spec, {**given, "output_dir": tmp}))
                if result.status != "ok" or result.launch != "fork":
                    raise SystemExit(f"03_trends did not run in a forked kernel: {result.status} {result.error}")
                times.append(_cell_time(result.kept))
                if "--cells" in sys.argv:
                    print([round(float(c.metadata.get("papermill", {}).get("duration") or 0), 2) for c in __import__("nbformat").read(result.kept, as_version=4).cells if c.cell_type == "code"])
        return min(times)
    finally:
        server.close()


def time_notebook(runs: int) -> float:
    import papermill as pm

    def cells() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "03_trends.ipynb"
            pm.execute_notebook(str(ROOT / "notebooks" / "03_trends.ipynb"), str(out), parameters={"output_dir": tmp},
                                kernel_name="python3", cwd=str(ROOT), progress_bar=False)
            return _cell_time(out)

    return min(cells() for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "reference" / "breitbandatlas" / "paket_3")
    parser.add_argument("--skip-notebook", action="store_true")
    args = parser.parse_args()
    results = {"load": time_load(args.repeat)}
    if args.raw.is_dir():
        results["rebuild"] = time_rebuild(max(1, args.repeat - 1), args.raw)
    else:
        print(f"rebuild: skipped, {args.raw} not found (pass --raw DIR with the unzipped Paket 3)")
    if not args.skip_notebook:
        results["notebook cells"] = time_forked_notebook(max(1, args.repeat - 1))
        results["notebook cells, new kernel"] = time_notebook(max(1, args.repeat - 1))
    failed = False
    for name, seconds in results.items():
        cpu = f"   (CPU {CPU[name]:.2f} s)" if name in CPU else ""
        if name in COMPARISONS:
            print(f"{name:27s} {seconds:6.2f} s   (imports in the first cell; no target)")
            continue
        ok = seconds <= TARGETS[name]
        failed |= not ok
        print(f"{name:27s} {seconds:6.2f} s   target ≤ {TARGETS[name]:.0f} s   {'ok' if ok else 'MISSED'}{cpu}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
