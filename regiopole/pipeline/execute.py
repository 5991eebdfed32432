"""Execute one notebook in a fresh kernel through papermill's Python API.

papermill parameterizes and runs the notebook; a small papermill engine (papermill's own
extension point) starts the kernel in the project root with the pipeline's environment,
on its own ports, and retries once when the kernel fails to start. The executed notebook
is written only when the run ends: on success onto ``<name>.ipynb``, on failure beside it
as ``<name>.failed.ipynb`` (the last good one stays), on Ctrl-C not at all.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regiopole.paths import TABLE_CACHE_ENV
from regiopole.pipeline.files import atomic_path

ENGINE = "regiopole"
#: Environment of every kernel. The explicit inline backend keeps figures in the report
#: (``MPLBACKEND=Agg`` would drop them) and never opens a window; a fixed hash seed makes
#: set and dict-of-set orders, and so outputs, the same on every run.
KERNEL_ENV = {
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "PYTHONHASHSEED": "0",
}
START_ATTEMPTS = 2
START_TIMEOUT = 60
#: How long the client waits for one more kernel message when it drains the kernel's start-up
#: messages. jupyter_client waits 0.2 s, idle, before every notebook; a quiet kernel
#: has sent what it will send within milliseconds.
STARTUP_DRAIN_S = 0.02


class KernelStartError(RuntimeError):
    """The kernel did not start, also after the retry."""


@dataclass
class Execution:
    """Outcome of executing one notebook."""

    status: str  # "ok", "failed" or "interrupted"
    start: float
    duration: float
    notebook: Any = None  # the executed nbformat.NotebookNode (also when failed)
    error: dict[str, Any] | None = None
    kept: Path | None = None  # where the executed notebook was written
    launch: str | None = None  # "fork" (from the fork server) or "process" (started as the kernel spec says)
    preloaded: tuple[str, ...] = ()  # modules a forked kernel started with


@dataclass
class KernelRegistry:
    """The kernels running now, so that Ctrl-C can interrupt them (they run in their own session)."""

    pids: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, pid: int) -> None:
        with self.lock:
            self.pids[name] = pid

    def remove(self, name: str) -> None:
        with self.lock:
            self.pids.pop(name, None)

    def signal_all(self, signum: int) -> None:
        """Send ``signum`` to every running kernel's process group."""
        with self.lock:
            pids = list(self.pids.values())
        for pid in pids:
            try:
                if hasattr(os, "killpg"):
                    os.killpg(os.getpgid(pid), signum)
                else:  # pragma: no cover - Windows
                    os.kill(pid, signum)
            except (ProcessLookupError, PermissionError, OSError):
                continue


def load_papermill() -> Any:
    """Import papermill without ``pyarrow.fs`` (and, see :mod:`regiopole.pipeline`, without
    ``rfc3987_syntax``), and register the pipeline's engine.

    papermill imports ``pyarrow.fs`` (a seventh of a second) only for notebooks on HDFS
    (``hdfs://`` paths), which the pipeline never reads or writes; it is absent only while
    papermill is imported, so anything else here may still import it.
    """
    hide = "papermill" not in sys.modules and "pyarrow.fs" not in sys.modules
    if hide:
        sys.modules["pyarrow.fs"] = None  # type: ignore[assignment]
    try:
        import papermill
        from papermill.engines import papermill_engines
    finally:
        if hide and sys.modules.get("pyarrow.fs", False) is None:
            del sys.modules["pyarrow.fs"]

    if _ENGINE_CLASS[0] is None:
        _ENGINE_CLASS[0] = _engine_class()
        papermill_engines.register(ENGINE, _ENGINE_CLASS[0])
    return papermill


_ENGINE_CLASS: list[type | None] = [None]


def _engine_class() -> type:
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    from jupyter_client.asynchronous import AsyncKernelClient

    from regiopole.pipeline.forkserver import kernel_manager_class

    class QuickReadyClient(AsyncKernelClient):
        """``AsyncKernelClient`` whose readiness check drains IOPub with a short timeout."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            channel = self.iopub_channel
            get_msg = channel.get_msg
            channel.get_msg = lambda timeout=None: get_msg(timeout=STARTUP_DRAIN_S)
            try:
                await super().wait_for_ready(timeout)
            finally:
                del channel.get_msg

    class RegiopoleEngine(NBClientEngine):
        """nbclient engine with the kernel's cwd, environment and one start retry."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=START_TIMEOUT, execution_timeout=None, kernel_cwd=None,
                                     kernel_env=None, kernel_log=None, registry=None, run_name="", holder=None,
                                     fork_server=None, warm=None, ahead=None, **kwargs):
            holder = {} if holder is None else holder
            holder["nb"] = nb_man.nb
            for attempt in range(1, START_ATTEMPTS + 1):
                if ahead is not None and attempt == 1:  # a retry starts the kernel the usual way
                    km = ahead.km
                elif fork_server is not None and attempt == 1:
                    km = kernel_manager_class()(kernel_name=kernel_name)
                    km.fork_server, km.kernel_log, km.warm = fork_server, kernel_log.name, list(warm or ())
                else:
                    km = AsyncKernelManager(kernel_name=kernel_name)
                km.client_factory = QuickReadyClient
                ready: list[bool] = []

                def on_start(notebook=None, km=km, ready=ready):
                    ready.append(True)
                    if registry is not None and getattr(km.provisioner, "pid", None):
                        registry.add(run_name, km.provisioner.pid)

                client = PapermillNotebookClient(
                    nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout,
                    kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
                    stderr_file=stderr_file, shutdown_kernel="immediate", on_notebook_start=on_start)
                try:  # the kernel is stopped here, not by nbclient (see stop_in_background)
                    return client.execute(cleanup_kc=False, cwd=kernel_cwd, env=kernel_env,
                                          stdout=subprocess.DEVNULL, stderr=kernel_log)
                except Exception as exc:
                    if ready:
                        raise
                    _close_channels(client)
                    _stop(km, run_sync)
                    if attempt == START_ATTEMPTS:
                        raise KernelStartError(f"kernel '{kernel_name}' did not start (tried {attempt} times): {exc}") from exc
                    logger.warning("kernel did not start (%s); retrying on new ports", exc)
                finally:
                    if ready:
                        _close_channels(client)
                        stop_in_background(km)
                    holder["launch"] = "fork" if getattr(km, "forked", False) else "process"
                    holder["preloaded"] = tuple(getattr(km, "preloaded", ()))
                    if registry is not None:
                        registry.remove(run_name)
            raise AssertionError("unreachable")

    return RegiopoleEngine


def _stop(km: Any, run_sync: Any) -> None:
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 - best effort after a failed start
        pass


def _close_channels(client: Any) -> None:
    if getattr(client, "kc", None) is not None:
        client.kc.stop_channels()
        client.kc = None


_stopping: list[threading.Thread] = []
_stopping_lock = threading.Lock()


def stop_in_background(km: Any) -> None:
    """Kill a kernel whose notebook has run without waiting for it to end.

    jupyter_client, after the kill, checks every tenth of a second whether the process has
    ended, and it ends within milliseconds: waiting for that cost each notebook 0.1 s before
    its HTML could be written (3.6 s of kernel slots in a run of 36). The kill is sent at
    once; :func:`wait_for_stopped_kernels` waits for them all at the end of a run."""
    from jupyter_core.utils import run_sync

    thread = threading.Thread(target=_stop, args=(km, run_sync), name="regiopole-kernel-stop", daemon=True)
    with _stopping_lock:
        _stopping[:] = [t for t in _stopping if t.is_alive()]
        _stopping.append(thread)
    thread.start()


def wait_for_stopped_kernels(timeout: float = 10.0) -> None:
    """Wait until every kernel stopped with :func:`stop_in_background` has ended."""
    with _stopping_lock:
        threads, _stopping[:] = list(_stopping), []
    for thread in threads:
        thread.join(timeout)


@dataclass
class StartedKernel:
    """A kernel started ahead of its notebook, before papermill is imported (half a second):
    it boots meanwhile. ``execute`` runs the next notebook in it; ``stop`` ends an unused one."""

    km: Any  # jupyter_client's AsyncKernelManager, its kernel running
    log: Any  # the kernel's stderr, a temporary file

    def stop(self) -> None:
        from jupyter_core.utils import run_sync

        _stop(self.km, run_sync)
        self.log.close()


def start_kernel(kernel: str, root: Path, table_cache: Path | None = None) -> StartedKernel | None:
    """Start a kernel as ``execute`` does, for a notebook that will run in it; ``None`` if it
    does not start (the notebook then starts its own and reports why that failed)."""
    from jupyter_client.manager import AsyncKernelManager

    log = tempfile.NamedTemporaryFile(mode="w+b", prefix="regiopole-kernel-", suffix=".log")
    km = AsyncKernelManager(kernel_name=kernel)
    try:  # nbclient's own start arguments: cwd, environment, no history file
        asyncio.run(km.start_kernel(cwd=str(root), env=kernel_env(root, table_cache), stdout=subprocess.DEVNULL, stderr=log,
                                    extra_arguments=["--HistoryManager.hist_file=:memory:"]))
    except Exception:  # noqa: BLE001 - see the docstring
        log.close()
        return None
    return StartedKernel(km, log)


def kernel_env(root: Path, table_cache: Path | None = None) -> dict[str, str]:
    """Environment of the kernels (and of the fork server they are forked from); with
    ``table_cache``, the folder where kernels keep checked tables for the next ones
    (:mod:`regiopole.data.cache`)."""
    env = {**os.environ, **KERNEL_ENV, "REGIOPOLE_ROOT": str(root)}
    if table_cache is not None:
        env[TABLE_CACHE_ENV] = str(table_cache)
    return env


def execute(name: str, source: Path, parameters: dict[str, Any], root: Path, executed_dir: Path,
            kernel: str, registry: KernelRegistry, interrupted: threading.Event, fork_server: Any = None,
            warm: list[tuple[str, dict[str, Any]]] | None = None, ahead: StartedKernel | None = None,
            table_cache: Path | None = None) -> Execution:
    """Run notebook ``source`` with ``parameters``; write ``executed_dir/<name>.ipynb`` on success.
    ``warm``: what the fork server loads before forking the kernel (``Pipeline.warm_calls``);
    ``ahead``: a kernel started for this notebook (``start_kernel``), used instead of a new one;
    ``table_cache``: see :func:`kernel_env`."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    papermill = load_papermill()
    holder: dict[str, Any] = {}
    env = kernel_env(root, table_cache)
    started, clock = time.time(), time.perf_counter()
    log = ahead.log if ahead else tempfile.NamedTemporaryFile(mode="w+b", prefix="regiopole-kernel-", suffix=".log")
    with log as kernel_log:
        try:
            nb = papermill.execute_notebook(
                str(source), None, parameters=parameters, kernel_name=kernel, engine_name=ENGINE,
                progress_bar=False, request_save_on_cell_execute=False, kernel_cwd=str(root),
                kernel_env=env, kernel_log=kernel_log, registry=registry, run_name=name, holder=holder,
                fork_server=fork_server, warm=warm, ahead=ahead)
            status, error = "ok", None
        except PapermillExecutionError as exc:
            nb, status = holder.get("nb"), "failed"
            error = {"cell": _source_cell_number(source, nb), "execution_count": exc.exec_count,
                     "ename": exc.ename, "evalue": exc.evalue, "source": exc.source}
        except Exception as exc:  # kernel died, did not start, timeout
            nb, status = holder.get("nb"), "failed"
            error = {"cell": None, "ename": type(exc).__name__, "evalue": str(exc) + _tail(kernel_log)}
    duration = time.perf_counter() - clock
    if interrupted.is_set():
        return Execution("interrupted", started, duration)
    result = Execution(status, started, duration, notebook=nb, error=error, launch=holder.get("launch"),
                       preloaded=holder.get("preloaded", ()))
    if nb is not None:
        nb.metadata.setdefault("papermill", {})["input_path"] = source.name
        target = executed_dir / (f"{name}.ipynb" if status == "ok" else f"{name}.failed.ipynb")
        nb.metadata["papermill"]["output_path"] = target.name
        with atomic_path(target) as tmp:
            nbformat.write(nb, str(tmp))
        result.kept = target
        if status == "ok":
            (executed_dir / f"{name}.failed.ipynb").unlink(missing_ok=True)
    return result


def _source_cell_number(source: Path, nb: Any) -> int | None:
    """1-based number, in the source notebook, of the cell that failed (papermill adds cells)."""
    import json

    failed = next((cell for cell in (nb.cells if nb is not None else [])
                   if any(out.get("output_type") == "error" for out in cell.get("outputs", []))
                   or cell.get("metadata", {}).get("papermill", {}).get("exception")), None)
    cell_id = failed.get("id") if failed is not None else None
    cells = json.loads(source.read_text(encoding="utf-8")).get("cells", [])
    return next((number for number, cell in enumerate(cells, start=1) if cell_id and cell.get("id") == cell_id), None)


def _tail(log: Any, limit: int = 2000) -> str:
    log.seek(0)
    text = log.read().decode("utf-8", "replace").strip()
    lines = [line for line in text.splitlines() if "running over TCP without encryption" not in line]
    text = "\n".join(lines)[-limit:]
    return f"\nkernel log:\n{text}" if text else ""
