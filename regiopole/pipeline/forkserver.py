"""Kernels forked from a process that has already imported what every notebook imports.

Each report notebook spends 1.5-2 s of CPU importing pandas, matplotlib, seaborn and the
package before it computes anything, and the kernel itself needs another ~0.5 s; with six
notebooks on two cores that is a third of a run. The fork server (the idea of
``multiprocessing``'s ``forkserver``) imports the modules named under ``preload`` in
``notebooks/pipeline.yaml`` once per run, then, as soon as no kernel is being asked for,
those under ``preload_later`` (what only later notebooks need, so the first kernels
need not wait for it); each kernel is then a ``fork()`` of it that
becomes an ordinary ipykernel: its own process and session, connection file and ports,
working folder and environment, the same interpreter as ipykernel's ``python3`` kernel
spec, with those modules already in ``sys.modules`` and nothing else run.

Only kernel specs that start this interpreter with ``-m ipykernel_launcher`` are forked;
anything else, and every retry, starts the kernel the usual way. The runner starts the
server only when more notebooks may run than there are kernel slots.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import inspect
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any


#: Seconds to wait for the server's imports before starting a kernel the usual way.
READY_TIMEOUT = 60.0
#: Seconds without a kernel request after which the server imports ``preload_later``.
IDLE_S = 0.1


class ForkServer:
    """Client side: starts the server process and asks it for kernels (thread-safe)."""

    def __init__(self, root: Path, env: dict[str, str], preload: list[str], options: list[str] | None = None,
                 later: list[str] | None = None, idle: float = IDLE_S):
        self.options = list(options or [])  # interpreter options of the kernel spec, e.g. -Xfrozen_modules=off
        self.process = subprocess.Popen(
            [sys.executable, *self.options, "-m", "regiopole.pipeline.forkserver", *preload,
             "--later", *(later or []), "--idle", str(idle)], cwd=root, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            start_new_session=True)
        self.lock = threading.Lock()
        self.not_preloaded: list[str] | None = None

    def can_launch(self, cmd: list[str]) -> bool:
        """True for this interpreter running ``-m ipykernel_launcher`` (the python3 kernel spec)
        once the server has imported its modules (waited for: it takes about as long as a
        kernel's own imports, which a forked kernel then skips)."""
        return (launcher_options(cmd) == self.options and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable)
                and self.ready(READY_TIMEOUT))

    def ready(self, timeout: float = 0.0) -> bool:
        """Whether the server has imported its modules (waiting up to ``timeout`` seconds)."""
        with self.lock:
            if self.not_preloaded is None and self.process.poll() is None:
                readable, _, _ = select.select([self.process.stdout], [], [], timeout)
                if readable:
                    self.not_preloaded = json.loads(self._line())["not_preloaded"]
            return self.not_preloaded is not None and self.process.poll() is None

    def spawn(self, cmd: list[str], cwd: str | None, env: dict[str, str], log: str | None,
              warm: list[tuple[str, dict[str, Any]]] | None = None) -> tuple[int, list[str]]:
        """Fork a kernel running ``cmd``'s ipykernel arguments; return its process id and
        the preloaded modules it starts with. ``warm``: ``(module:function, parameters)`` the
        server calls first (see :func:`_warm`)."""
        with self.lock:
            start = len(self.options) + 3  # after python, its options, -m ipykernel_launcher
            request = {"argv": cmd[start:], "cwd": cwd or os.getcwd(), "env": env, "log": log,
                       "warm": [list(call) for call in warm or ()]}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            reply = json.loads(self._line())
            return int(reply["pid"]), list(reply["preloaded"])

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the kernel fork server ended unexpectedly")
        return line

    def close(self) -> None:
        """Stop the server (kernels it forked are stopped by their managers)."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def launcher_options(cmd: list[str]) -> list[str] | None:
    """The interpreter options of a ``python [-X...] -m ipykernel_launcher ...`` kernel command;
    None for any other command."""
    if "-m" not in cmd[1:] or cmd[cmd.index("-m", 1) + 1: cmd.index("-m", 1) + 2] != ["ipykernel_launcher"]:
        return None
    options = cmd[1:cmd.index("-m", 1)]
    return options if all(o.startswith("-X") for o in options) else None


class ForkedProcess:
    """The part of ``subprocess.Popen`` jupyter_client uses, for a kernel forked by the server.

    The kernel is the server's child, not ours, so liveness is checked with signal 0; the
    server reaps its children at once (``SIGCHLD`` ignored), so a dead kernel disappears.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


@functools.cache
def kernel_manager_class() -> type:
    """An ``AsyncKernelManager`` that asks a :class:`ForkServer` (attribute ``fork_server``) for its kernel."""
    from jupyter_client.manager import AsyncKernelManager

    class ForkedKernelManager(AsyncKernelManager):
        fork_server: ForkServer | None = None
        kernel_log: str | None = None
        warm: list[tuple[str, dict[str, Any]]] = []  # what the server loads before forking this kernel
        forked = False
        preloaded: list[str] = []  # modules the fork server had imported when it forked this kernel

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # After the kill at the end of a notebook, jupyter_client checks every 0.1 s
            # whether the kernel is gone; a killed fork is gone within milliseconds.
            await super()._async_wait(pollinterval=min(pollinterval, 0.005))

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            if self.fork_server is None or not self.fork_server.can_launch(kernel_cmd):
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            import asyncio

            pid, self.preloaded = await asyncio.to_thread(self.fork_server.spawn, kernel_cmd, kw.get("cwd"),
                                                          kw.get("env") or {}, self.kernel_log, self.warm)
            provisioner = self.provisioner
            provisioner.process, provisioner.pid, provisioner.pgid = ForkedProcess(pid), pid, pid
            provisioner.cwd = kw.get("cwd")
            self._reconcile_connection_info(provisioner.connection_info)
            self.forked = True

    return ForkedKernelManager


def serve(preload: list[str], later: list[str], idle: float = IDLE_S) -> None:
    """Server side: import ``preload``, then fork one kernel per request line on stdin,
    importing ``later`` once no request has come for ``idle`` seconds."""
    imported: list[str] = []
    missing = _import(preload, imported)
    importlib.import_module("ipykernel.kernelapp")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernels are reaped as they end
    print(json.dumps({"not_preloaded": missing}), flush=True)
    requests = _Lines(sys.stdin.fileno())
    warmed: set[str] = set()
    while True:
        if later and not requests.waiting(idle):
            _import(later, imported)
            later = []
        line = requests.next()
        if line is None:  # the runner is done; skip tearing down all those modules (~0.5 s)
            sys.stdout.flush()
            os._exit(0)
        request = json.loads(line)
        _warm(request.get("warm") or [], warmed)
        # What the kernel inherits is never garbage: moved out of the collector's reach, a
        # kernel's collections skip it and do not copy the pages it lies on (a quarter of a
        # second of CPU in a kernel that draws figures). Python's gc docs advise this before fork().
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            _become_kernel(request)
        print(json.dumps({"pid": pid, "preloaded": imported}), flush=True)


class _Lines:
    """Lines from a file descriptor, unbuffered enough to tell whether one is waiting
    (``select`` cannot see lines already read into a ``sys.stdin`` buffer)."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, b""

    def waiting(self, timeout: float) -> bool:
        return b"\n" in self.buffer or bool(select.select([self.fd], [], [], timeout)[0])

    def next(self) -> str | None:
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")


def _import(names: list[str], imported: list[str]) -> list[str]:
    """Import ``names``, adding them to ``imported``; return those that failed (a module
    that fails here is simply imported by the notebook)."""
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001
            missing.append(name)
        else:
            imported.append(name)
    return missing


def _warm(calls: list[list[Any]], warmed: set[str]) -> None:
    """Call each ``module:function`` with the parameters it takes, once per set of values: what
    it loads (tables kept per file version, :mod:`regiopole.data.cache`) every later kernel
    starts with. A failure is ignored: the kernel then loads the data itself and reports it."""
    for call, parameters in calls:
        try:
            module, _, name = call.partition(":")
            function = getattr(importlib.import_module(module), name)
            accepted = inspect.signature(function).parameters
            arguments = {k: v for k, v in parameters.items() if k in accepted}
            key = json.dumps([call, arguments], sort_keys=True, default=str)
            if key in warmed:
                continue
            warmed.add(key)
            with contextlib.redirect_stdout(sys.stderr):  # stdout carries the replies to the runner
                function(**arguments)
        except Exception:  # noqa: BLE001
            continue


def _become_kernel(request: dict[str, Any]) -> None:
    """In the forked child: set up like ``python -m ipykernel_launcher`` would be, then run the kernel."""
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        stdin = os.open(os.devnull, os.O_RDONLY)
        log = os.open(request["log"] or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(stdin, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
        if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
            del sys.path[0]  # as ipykernel_launcher does; IPython adds the working folder back
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except BaseException:  # noqa: BLE001 - the child must never return into the server loop
        traceback.print_exc()
    finally:
        os._exit(code)


if __name__ == "__main__":
    import argparse

    _parser = argparse.ArgumentParser(description="kernel fork server of `regiopole run`")
    _parser.add_argument("preload", nargs="*")
    _parser.add_argument("--later", nargs="*", default=[])
    _parser.add_argument("--idle", type=float, default=IDLE_S)
    _args = _parser.parse_args()
    serve(_args.preload, _args.later, _args.idle)
