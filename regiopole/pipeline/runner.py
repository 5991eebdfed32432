"""``regiopole run``: the notebooks in dependency order, several kernels at a time, incremental.

One long-lived process executes the notebooks through papermill's Python API in worker
threads, at most ``jobs`` kernels at once (default: the number of cores). A notebook
becomes ready when every notebook whose output it reads has finished; before it starts,
its inputs are hashed and compared with the manifest, and it is skipped when nothing it
depends on changed. A failure stops only the notebooks that read its outputs. Each
finished notebook is published to HTML by its worker and recorded in the manifest.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import queue
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regiopole.pipeline import manifest as mf
from regiopole.pipeline.execute_messages import describe_failure, error_line
from regiopole.pipeline.files import CACHE_DIR, Busy, exclusive, sha256_file
from regiopole.pipeline.progress import Progress
from regiopole.pipeline.spec import NotebookSpec, Pipeline, PipelineError, load_pipeline, sorter
from regiopole.pipeline.state import (current_state, display_path, file_hashes, input_hashes, package_dir,
                                      package_hash, stale_reason, written_files)

#: Filesystem timestamps can lag the clock by a tick; files this much older than a run still count as written by it.
MTIME_SLACK_NS = 50_000_000
INTERRUPT_GRACE_S = 10.0
#: Held while a run or a publish writes the output folder, so two cannot interleave.
LOCK_FILE = ".regiopole.lock"
DEFAULT_DURATION_S = 10.0
_TEMP_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?$")


@dataclass
class RunOptions:
    """What ``regiopole run`` was asked to do."""

    notebooks: list[str] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    force: bool = False
    jobs: int | None = None
    publish: bool = True
    live: bool | None = None
    preload: bool = True  # fork kernels from a process with the declared modules imported
    pdf: bool = True  # print the stakeholder reports to PDF (with publish)


@dataclass
class Outcome:
    """What happened to one notebook in this run."""

    status: str  # ok, skipped, failed, blocked, interrupted
    reason: str = ""
    message: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    """Outcomes of all selected notebooks, and the publishing result."""

    outcomes: dict[str, Outcome]
    output_dir: Path
    problems: list[str] = field(default_factory=list)
    undeclared: list[str] = field(default_factory=list)  # files written in this run that no declaration names

    @property
    def ok(self) -> bool:
        return not self.problems and all(o.status in ("ok", "skipped") for o in self.outcomes.values())


def default_jobs() -> int:
    """Kernels at once: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def run(root: Path, options: RunOptions, stream: Any = None) -> RunReport:
    """Execute the selected notebooks (and what they depend on) that are out of date."""
    pipeline = load_pipeline(root)
    given = pipeline.given(options.overrides)
    pipeline.check_overrides(options.overrides)
    pipeline = pipeline.expand(given)  # one notebook per parameter set of a `for_each` notebook
    output_dir = Path(pipeline.resolve_one(given["output_dir"]))
    for folder in {output_dir, Path(pipeline.resolve_one(given.get("maps_dir") or output_dir))}:
        ignore_new_folder(folder, root)
    selected = pipeline.select(options.notebooks, given)
    deps = pipeline.dependencies(given)
    graph = sorter({name: deps[name] & set(selected) for name in selected})
    try:
        with exclusive(output_dir / LOCK_FILE):
            return _execute(root, pipeline, given, output_dir, selected, deps, graph, options, stream)
    except Busy:
        raise PipelineError(f"another `regiopole run` or `regiopole publish` is writing to {output_dir}; "
                            "wait for it to finish") from None


def ignore_new_folder(folder: Path, root: Path) -> None:
    """Create a new output folder inside the project with a ``.gitignore`` of ``*``, so that
    generated files in folders given with ``-p output_dir=...`` are never committed."""
    if folder.exists() or not folder.resolve().is_relative_to(root.resolve()):
        return
    folder.mkdir(parents=True)
    (folder / ".gitignore").write_text("# Written by `regiopole run`: generated results, never committed.\n*\n",
                                       encoding="utf-8")


def _execute(root: Path, pipeline: Pipeline, given: dict[str, Any], output_dir: Path, selected: list[str],
             deps: dict[str, set[str]], graph: Any, options: RunOptions, stream: Any) -> RunReport:
    run = _Run(root, pipeline, given, output_dir, deps, options, Progress(selected, stream=stream, live=options.live))
    run.selected = selected
    try:
        try:
            run.loop(graph)
        except BaseException:
            run.abort()
            raise
        finally:
            run.progress.close()
            if run.fork_server is not None:
                run.fork_server.close()
            for kernel in run.ahead:  # none is left unless the run stopped early
                kernel.stop()
        report = RunReport(run.outcomes, output_dir, undeclared=run.undeclared_writes())
        from regiopole.pipeline.disclosure import disclosure_problems

        disclosure = disclosure_problems(output_dir)  # all published tables together; a leak stops publishing
        if options.publish and not disclosure:
            from regiopole.pipeline.site import publish

            printed = run.printer.results if run.printer else None  # waited for once the site pages are written
            report.problems = publish(root, output_dir, rendered=run.rendered, scanned=run.scanned,
                                      printed=printed, pdf=options.pdf).problems
        report.problems = disclosure + list(report.problems)
        return report
    finally:
        if run.printer is not None:
            run.printer.close()
        if run.registry is not None:  # the kernels killed in the background ended while the site was written
            from regiopole.pipeline.execute import wait_for_stopped_kernels

            wait_for_stopped_kernels()


class _Run:
    """State of one run: the queue of finished notebooks, the manifest, the outcomes."""

    def __init__(self, root: Path, pipeline: Pipeline, given: dict[str, Any], output_dir: Path,
                 deps: dict[str, set[str]], options: RunOptions, progress: Progress):
        self.root, self.pipeline, self.given, self.output_dir = root, pipeline, given, output_dir
        self.options, self.progress = options, progress
        self.jobs = options.jobs or default_jobs()
        self.manifest = mf.Manifest.load(output_dir)
        self.manifest.drop_runs_not_in(pipeline.notebooks)  # e.g. a municipality that left the region
        self.package_sha256 = package_hash(package_dir(root))
        self.kernel = mf.kernel_name()
        self.deps = deps
        self._priority: dict[str, float] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.rendered: dict[str, str] = {}
        self.scanned: dict[str, list[str]] = {}
        self.done: queue.Queue = queue.Queue()
        self.running: dict[str, threading.Thread] = {}  # notebooks whose kernel is executing
        self.rendering: dict[str, threading.Thread] = {}  # executed notebooks whose HTML is being written
        self.interrupted = threading.Event()
        self.registry = None
        self.fork_server = None
        self.ahead: list[Any] = []  # kernels started before papermill was imported, for the next notebooks
        self.printer = None  # PDFs of the reports whose HTML is written, printed while the run goes on
        from regiopole.pipeline.publish import code_version_runs

        self.with_code = code_version_runs({name: spec.family for name, spec in pipeline.notebooks.items()})
        self.selected: list[str] = list(pipeline.notebooks)
        self.started_ns = time.time_ns()
        self.cache_dir = output_dir / CACHE_DIR
        self.table_cache = self.cache_dir / "tables"

    def loop(self, graph: Any) -> None:
        waiting: list[tuple[str, dict[str, Any], str]] = []
        while graph.is_active():
            for name in graph.get_ready():
                task = self.decide(name, graph)
                if task:
                    waiting.append(task)
            waiting.sort(key=lambda task: -self.priority(task[0]))
            while waiting and len(self.running) < self.jobs:
                self.start(*waiting.pop(0))
            if self.running or self.rendering:
                self.handle_next(graph)
        while self.rendering:
            self.handle_next(graph)

    def handle_next(self, graph: Any) -> None:
        """Take one message from a worker: a notebook executed (its readers may start now,
        while its HTML is written) or its HTML written."""
        try:
            kind, name, result = self.done.get(timeout=0.25)
        except queue.Empty:
            self.progress.draw()
            return
        if kind == "executed":
            thread = self.running.pop(name)
            if result.get("render"):
                self.rendering[name] = thread
            else:
                thread.join()
            self.finish(name, result)
            graph.done(name)
        else:
            self.rendering.pop(name).join()
            self.rendered_html(name, result)

    @functools.cached_property
    def git(self) -> dict[str, Any] | None:
        """Commit and dirtiness of the checkout, read once per run (only when something runs)."""
        return mf.git_state(self.root)

    def priority(self, name: str) -> float:
        """Expected seconds from starting ``name`` to the end of its longest chain of readers.

        Starting the longest chains first keeps both cores busy to the end instead of
        leaving one long notebook alone at the tail (durations from the last run).
        """
        if name not in self._priority:
            record = self.manifest.record(name) or {}
            readers = [other for other, deps in self.deps.items() if name in deps]
            self._priority[name] = float(record.get("duration_s") or DEFAULT_DURATION_S) + max(
                (self.priority(r) for r in readers), default=0.0)
        return self._priority[name]

    def decide(self, name: str, graph: Any) -> tuple[str, dict[str, Any], str] | None:
        """Skip, block or queue a ready notebook."""
        spec = self.pipeline.notebooks[name]
        failed = sorted(d for d in self.deps[name]
                        if self.outcomes.get(d) and self.outcomes[d].status not in ("ok", "skipped"))
        if failed:
            self._settle(name, graph, Outcome("blocked", message=f"needs {', '.join(failed)}"))
            return None
        parameters = spec.parameters(self.given)
        inputs = input_hashes(self.pipeline.reads(spec, self.given), self.root)
        state = current_state(spec.source_sha256, parameters, inputs, self.package_sha256, self.kernel)
        if self.options.force:
            reason = "forced"
        elif not spec.declared:
            reason = "not declared in notebooks/pipeline.yaml"
        else:
            reason = stale_reason(self.manifest.record(name), state, self.root)
        if reason is None:
            self._settle(name, graph, Outcome("skipped"))
            return None
        return name, state, reason

    def _settle(self, name: str, graph: Any, outcome: Outcome) -> None:
        self.outcomes[name] = outcome
        self.progress.set(name, outcome.status, outcome.message)
        graph.done(name)

    def start(self, name: str, state: dict[str, Any], reason: str) -> None:
        if self.registry is None:
            self._start_kernels_and_printer()
        spec = self.pipeline.notebooks[name]
        passed = {**{k: v for k, v in self.given.items() if k in spec.defaults}, **spec.fixed}
        started = self.ahead.pop(0) if self.ahead else None
        thread = threading.Thread(target=self._work, args=(name, spec, passed, state, reason, started),
                                  name=f"regiopole-{name}", daemon=True)
        self.running[name] = thread
        self.progress.set(name, "running", reason)
        thread.start()

    def _start_kernels_and_printer(self) -> None:
        """Before the first notebook: the kernels (or the fork server) first, since a kernel's
        start is what the first notebook waits for longest; then papermill, which loads while
        they boot; then, in a thread, the HTML templates and after them the browser for the PDFs.

        The browser starts last because no page can be printed before the first notebook has
        run, and its start-up (a tenth of a second per renderer, most of a second in all) would
        otherwise take CPU from the kernels: a dossier rerun alone took 0.3 s longer with it first."""
        from regiopole.pipeline.execute import KernelRegistry, kernel_env, load_papermill

        # Worth it only when more notebooks may run than there are slots: the first
        # ``jobs`` kernels start before the server has finished importing anyway.
        might_run = len(self.selected) - len(self.outcomes)
        if self.options.preload and self.pipeline.preload and might_run > self.jobs and hasattr(os, "fork"):
            from regiopole.pipeline.forkserver import ForkServer, launcher_options

            options = launcher_options(mf.kernel_info(self.kernel)["argv"])
            if options is not None:  # the server imports while papermill loads here
                self.fork_server = ForkServer(self.root, kernel_env(self.root, self.table_cache),
                                              list(self.pipeline.preload), options,
                                              later=list(self.pipeline.preload_later))
        if self.fork_server is None:  # the first kernels boot while papermill loads here
            from regiopole.pipeline.execute import start_kernel

            started = (start_kernel(self.kernel, self.root, self.table_cache) for _ in range(min(might_run, self.jobs)))
            self.ahead = [kernel for kernel in started if kernel is not None]
        if self.options.publish and self.options.pdf:
            from regiopole.pipeline.pdf import BackgroundPrinter, use_node_cache

            use_node_cache(self.cache_dir)
            self.printer = BackgroundPrinter()
        load_papermill()  # import once, in this thread, before the workers need it
        if self.options.publish:
            from regiopole.pipeline.publish import warm_up

            code = any(n in self.with_code for n in self.selected if n not in self.outcomes)

            def prepare() -> None:
                try:
                    warm_up(code, self.cache_dir)
                finally:
                    if self.printer is not None:
                        self.printer.start(pages=might_run)

            threading.Thread(target=prepare, name="regiopole-html-warm-up", daemon=True).start()
        self.registry = KernelRegistry()

    def _work(self, name: str, spec: NotebookSpec, passed: dict[str, Any], state: dict[str, Any], reason: str,
              started: Any = None) -> None:
        """Worker thread: execute and find what was written, hand that to the main thread; then publish."""
        result: dict[str, Any] = {}
        try:
            from regiopole.pipeline.execute import execute

            since = time.time_ns() - MTIME_SLACK_NS
            execution = execute(name, spec.path, passed, self.root, self.output_dir / "notebooks",
                                self.kernel, self.registry, self.interrupted, self.fork_server,
                                warm=self.pipeline.warm_calls(spec, self.given), ahead=started,
                                table_cache=self.table_cache)
            result: dict[str, Any] = {"execution": execution, "reason": reason, "state": state}
            if execution.status == "ok":
                patterns = self.pipeline.writes(spec, self.given)
                written = written_files(patterns, since)
                result["outputs"] = file_hashes(written, self.root)
                result["warnings"] = [f"declared output not written: {display_path(p, self.root)}" for p in patterns
                                      if not any(fnmatch.fnmatchcase(str(w), p) for w in written)]
                result["executed_sha256"] = sha256_file(execution.kept)
                result["render"] = self.options.publish
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            result = {"crash": exc}
        self.done.put(("executed", name, result))
        if result.get("render"):
            html: dict[str, Any] = {"warnings": []}
            try:
                html["html"] = self._render(name, spec, result["execution"], result, html)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                html = {"crash": exc}
            self.done.put(("rendered", name, html))

    def _render(self, name: str, spec: NotebookSpec, execution: Any, result: dict[str, Any],
                html: dict[str, Any]) -> str | None:
        """Worker thread: write and check this notebook's two HTML pages (problems go to ``html``)."""
        from regiopole.pipeline.publish import render_notebook
        from regiopole.pipeline.site import footer, scan

        record = self._record(name, spec, result)
        html_dir = self.output_dir / "html"
        try:
            pages = render_notebook(execution.notebook, name, spec.title, html_dir, footer=footer(record),
                                    code=name in self.with_code, cache_dir=self.cache_dir)
        except Exception as exc:  # noqa: BLE001 - the notebook ran; `regiopole publish` tries again
            html["warnings"].append(f"HTML not written ({type(exc).__name__}: {exc}); run `regiopole publish`")
            return None
        html["scanned"] = scan(pages, html_dir)
        return result["executed_sha256"]

    def _record(self, name: str, spec: NotebookSpec, result: dict[str, Any]) -> dict[str, Any]:
        execution, state = result["execution"], result["state"]
        kernel = mf.kernel_info(self.kernel)
        record = {
            "title": spec.title, "description": spec.description, "notebook": display_path(spec.path, self.root),
            "status": execution.status, "start": mf.iso_time(execution.start), "duration_s": round(execution.duration, 2),
            **state, "kernel_python": kernel["python"], "kernel_start": mf.kernel_start(execution.launch, execution.preloaded),
            "outputs": result.get("outputs", {}),
            "executed_notebook": {"path": display_path(execution.kept, self.root), "sha256": result["executed_sha256"]}
            if execution.status == "ok" else None,
            # A report of official data only has no data folder to label (no "Beispieldaten" badge or footer).
            "data": None if spec.public_data else mf.data_provenance(state["parameters"].get("data_dir"), self.root),
            "git": self.git, "versions": mf.versions(), "reason": result["reason"],
        }
        if spec.family:  # one run of a parameter set: the index lists it under its notebook
            record.update(family=spec.family, parameter_set=spec.labels)
        return record

    def rendered_html(self, name: str, html: dict[str, Any]) -> None:
        """Main thread: note the HTML pages of an executed notebook, or why they are missing."""
        if "crash" in html:
            raise html["crash"]
        if html.get("html"):
            self.rendered[name] = html["html"]
            self.scanned.update(html.get("scanned", {}))
            if self.printer is not None:
                self.print_in_background(name)
        if html["warnings"]:
            outcome = self.outcomes[name]
            outcome.warnings.extend(html["warnings"])
            self.progress.set(name, outcome.status, "; ".join(outcome.warnings))

    def print_in_background(self, name: str) -> None:
        """Main thread: the report's PDF, printed now from its new HTML (written by ``publish`` after
        the audit) by the printer started with the first kernel."""
        from regiopole.pipeline.publish import html_names

        self.printer.submit(name, self.output_dir / "html" / html_names(name)[0])

    def finish(self, name: str, result: dict[str, Any]) -> None:
        """Main thread: turn a worker's result into an outcome and a manifest record."""
        if "crash" in result:
            raise result["crash"]
        execution = result["execution"]
        spec = self.pipeline.notebooks[name]
        if execution.status == "interrupted":
            self.outcomes[name] = Outcome("interrupted")
            self.progress.set(name, "interrupted")
            return
        record = self._record(name, spec, result)
        if execution.status == "ok":
            warnings = result.get("warnings", [])
            self.outcomes[name] = Outcome("ok", result["reason"], warnings=warnings)
            self.progress.set(name, "ok", "; ".join(warnings))
        else:
            previous = self.manifest.record(name)
            base = previous if previous and previous.get("executed_notebook") else record
            record = {**base, "status": "failed", "error": execution.error, "failed_start": record["start"],
                      "failed_notebook": display_path(execution.kept, self.root) if execution.kept else None}
            message = describe_failure(name, spec.path, execution.error, record["failed_notebook"])
            self.outcomes[name] = Outcome("failed", result["reason"], message=message)
            self.progress.set(name, "failed", error_line(execution.error))
        self.manifest.put(name, record)

    def undeclared_writes(self) -> list[str]:
        """Files written during this run, in the folders notebooks write to, that match no
        declared ``writes`` pattern: a reader of such a file would not be rerun when it changes."""
        if not any(o.status in ("ok", "failed") for o in self.outcomes.values()):
            return []
        patterns = [p for spec in self.pipeline.notebooks.values() for p in self.pipeline.writes(spec, self.given)]
        folders = {Path(p).parent for p in patterns if not set("*?[") & set(str(Path(p).parent))}
        folders -= {self.output_dir, self.output_dir / "notebooks", self.output_dir / "html"}
        since = self.started_ns - MTIME_SLACK_NS
        found = [f for folder in folders if folder.is_dir() for f in folder.rglob("*")
                 if f.is_file() and not f.name.startswith(".") and f.stat().st_mtime_ns >= since
                 and not any(fnmatch.fnmatchcase(str(f), p) for p in patterns)]
        return sorted(display_path(f, self.root) for f in found)

    def abort(self) -> None:
        """Ctrl-C or a crash: stop the kernels, wait for the workers, leave no temporary file."""
        self.interrupted.set()
        if self.registry is not None:
            self.registry.signal_all(signal.SIGINT)  # the cell stops; atomic writers in the kernel clean up
        deadline = time.monotonic() + INTERRUPT_GRACE_S
        for name, thread in [*self.running.items(), *self.rendering.items()]:
            thread.join(max(0.0, deadline - time.monotonic()))
            if not thread.is_alive():
                self.outcomes.setdefault(name, Outcome("interrupted"))
                self.progress.set(name, "interrupted")
        if self.registry is not None:
            self.registry.signal_all(getattr(signal, "SIGKILL", signal.SIGTERM))  # no SIGKILL on Windows
        self._remove_temp_files()

    def _remove_temp_files(self) -> None:
        folders = {self.output_dir / "notebooks", self.output_dir / "html", self.output_dir}
        for spec in self.pipeline.notebooks.values():
            folders |= {Path(p).parent for p in self.pipeline.writes(spec, self.given)}
        for folder in folders:
            for path in folder.glob(".*") if folder.is_dir() else []:
                if path.is_file() and _TEMP_FILE.match(path.name) and path.stat().st_mtime_ns >= self.started_ns - MTIME_SLACK_NS:
                    path.unlink(missing_ok=True)
