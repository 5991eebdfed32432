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

``--cells`` prints each forked run's code cells: wall time (papermill's duration) and CPU time of the
kernel (``time.process_time`` around each cell, recorded by IPython hooks in a cell the benchmark
adds to a copy of the notebook and leaves out of the sums). ``--no-new-kernel`` skips the comparison.

Run: ``.venv/bin/python benchmarks/broadband.py [--repeat R] [--raw DIR] [--skip-notebook] [--cells] [--profile FILE]
[--no-new-kernel]``.
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


PROFILE: Path | None = None  # --profile FILE: cProfile statistics of the forked kernel's cells
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
    return sum(float(c.metadata.get("papermill", {}).get("duration") or 0) for c in nb.cells
               if "benchmark" not in c.metadata.get("tags", []))


#: Cells added to a copy of the notebook under ``--cells``: CPU time of the kernel per cell.
_CPU_HOOKS = """import gc as _gc, resource as _r, time as _t
_cpu, _start, _gc_time, _faults = [], [], [0.0, 0], []
def _pre(info=None):
    _start[:] = [_t.process_time(), _r.getrusage(_r.RUSAGE_SELF).ru_minflt]
def _post(result=None):
    if _start:
        _cpu.append(_t.process_time() - _start[0])
        _faults.append(_r.getrusage(_r.RUSAGE_SELF).ru_minflt - _start[1])
        _start.clear()
def _collect(phase, info, _s=[0.0]):
    if phase == "start":
        _s[0] = _t.process_time()
    else:
        _gc_time[0] += _t.process_time() - _s[0]
        _gc_time[1] += info["generation"] == 2
_gc.callbacks.append(_collect)
get_ipython().events.register("pre_run_cell", _pre)
get_ipython().events.register("post_run_cell", _post)"""
_CPU_REPORT = "print('CPU', __import__('json').dumps({'cpu': _cpu, 'gc': _gc_time, 'faults': _faults}))"


def _instrumented(source: Path, tmp: Path, profile: Path | None = None) -> Path:
    """A copy of ``source`` with the CPU hooks first and a cell printing their record last.

    ``profile``: also run the notebook's cells under cProfile (CPU time) and dump the statistics there.
    """
    import nbformat

    nb = nbformat.read(source, as_version=4)
    tagged = {"tags": ["benchmark"]}
    hooks, report = _CPU_HOOKS, _CPU_REPORT
    if profile is not None:
        hooks += "\nimport cProfile as _cp\n_prof = _cp.Profile(_t.process_time)\n_prof.enable()"
        report = f"_prof.disable()\n_prof.dump_stats({str(profile)!r})\n" + report
    nb.cells = ([nbformat.v4.new_code_cell(hooks, metadata=tagged)] + nb.cells
                + [nbformat.v4.new_code_cell(report, metadata=tagged)])
    target = tmp / source.name
    nbformat.write(nb, target)
    return target


def _print_cells(notebook: Path) -> None:
    import json

    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code" and "benchmark" not in c.metadata.get("tags", [])]
    wall = [float(c.metadata.get("papermill", {}).get("duration") or 0) for c in code]
    report = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    record = json.loads(report.split("CPU", 1)[1]) if "CPU" in report else {"cpu": [], "faults": [], "gc": [0, 0]}
    cpu = record["cpu"] if len(record["cpu"]) == len(wall) else [float("nan")] * len(wall)
    faults = record["faults"] if len(record["faults"]) == len(wall) else [0] * len(wall)
    print("  cell  " + " ".join(f"{i:5d}" for i in range(len(code))) + "    sum")
    print("  wall  " + " ".join(f"{w:5.2f}" for w in wall) + f"  {sum(wall):5.2f}")
    print("  CPU   " + " ".join(f"{c:5.2f}" for c in cpu) + f"  {sum(cpu):5.2f}")
    print("  kflt  " + " ".join(f"{f / 1000:5.1f}" for f in faults) + f"  {sum(faults) / 1000:5.1f}"
          f"   (thousand minor page faults; garbage collection {record['gc'][0]:.2f} s CPU, {record['gc'][1]} full)")


def time_forked_notebook(runs: int) -> float:
    import threading

    from regiopole.pipeline.execute import KernelRegistry, execute, kernel_env, wait_for_stopped_kernels
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
                source = (_instrumented(spec.path, Path(tmp), PROFILE) if "--cells" in sys.argv or PROFILE
                          else spec.path)
                result = execute("03_trends", source, parameters, ROOT, Path(tmp) / "notebooks", kernel,
                                 KernelRegistry(), threading.Event(), server,
                                 warm=pipeline.warm_calls(spec, {**given, "output_dir": tmp}))
                if result.status != "ok" or result.launch != "fork":
                    raise SystemExit(f"03_trends did not run in a forked kernel: {result.status} {result.error}")
                times.append(_cell_time(result.kept))
                if "--cells" in sys.argv:
                    _print_cells(result.kept)
        return min(times)
    finally:
        wait_for_stopped_kernels()
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
    parser.add_argument("--cells", action="store_true", help="per-cell wall and CPU time of each forked run")
    parser.add_argument("--profile", type=Path, help="dump cProfile statistics of the forked kernel's cells here")
    parser.add_argument("--no-new-kernel", action="store_true", help="skip the comparison in a new papermill kernel")
    args = parser.parse_args()
    global PROFILE
    PROFILE = args.profile.resolve() if args.profile else None
    results = {"load": time_load(args.repeat)}
    if args.raw.is_dir():
        results["rebuild"] = time_rebuild(max(1, args.repeat - 1), args.raw)
    else:
        print(f"rebuild: skipped, {args.raw} not found (pass --raw DIR with the unzipped Paket 3)")
    if not args.skip_notebook:
        results["notebook cells"] = time_forked_notebook(max(1, args.repeat - 1))
        if not args.no_new_kernel:
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
