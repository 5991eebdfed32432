"""The pipeline end to end on tiny fixture notebooks in a temporary project (real kernels).

One scenario per module-scoped fixture, so kernels are started as rarely as possible:
``scenario`` runs the producer/consumer/independent notebooks through a series of changes
and keeps what each run did; ``failures`` runs a deliberately failing notebook next to
others. The tests then assert on those records.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from regiopole.pipeline.files import sha256_file
from regiopole.pipeline.runner import RunOptions, run

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]


@pytest.fixture(scope="module", autouse=True)
def _fixture_tables(fixture_tables_hold_no_counts):  # their tables hold no count: see conftest.py
    return None


def make_project(root: Path, notebooks: list[str]) -> Path:
    """A minimal regiopole project: fixture notebooks, example data, reference data, the package, a git repo."""
    (root / "notebooks").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "regiopole"\n', encoding="utf-8")
    (root / ".gitignore").write_text("outputs/\n__pycache__/\n", encoding="utf-8")
    for name in notebooks:
        shutil.copy(FIXTURES / f"{name}.ipynb", root / "notebooks")
    shutil.copy(FIXTURES / "pipeline.yaml", root / "notebooks")
    example = root / "data" / "example"
    example.mkdir(parents=True)
    (example / "dataset.yaml").write_text("example: true\ndescription: Testdaten\nseed: 7\n", encoding="utf-8")
    (example / "values.csv").write_text("name,value\nA,3\nB,5\n", encoding="utf-8")
    (example / "independent.txt").write_text("hallo\n", encoding="utf-8")
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    shutil.copytree(ROOT / "regiopole", root / "regiopole", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*GIT, "-C", str(root), "add", "."], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-q", "-m", "fixture"], check=True)
    return root


def statuses(report) -> dict[str, str]:
    return {name: outcome.status for name, outcome in report.outcomes.items()}


def snapshot(folder: Path, pattern: str) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob(pattern))}


def edit_notebook(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def cli(root: Path, *args: str) -> tuple[int, str]:
    """``regiopole <args>`` in this process with ``root`` as project root; exit code and stderr."""
    from regiopole.cli import main

    err = io.StringIO()
    old = os.environ.get("REGIOPOLE_ROOT")
    os.environ["REGIOPOLE_ROOT"] = str(root)
    try:
        with redirect_stderr(err):
            code = main(list(args))
    finally:
        if old is None:
            os.environ.pop("REGIOPOLE_ROOT")
        else:
            os.environ["REGIOPOLE_ROOT"] = old
    return code, err.getvalue()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"), ["01_producer", "02_consumer", "03_independent"])
    out = root / "outputs"
    nb = root / "notebooks"
    steps: dict[str, dict] = {}

    def step(name: str, **options) -> None:
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} if out.exists() else {}
        report = run(root, RunOptions(jobs=2, live=False, **options), stream=io.StringIO())
        steps[name] = {"status": statuses(report), "reasons": {n: o.reason for n, o in report.outcomes.items()},
                       "ok": report.ok, "problems": report.problems,
                       "touched": sorted(str(p.relative_to(out)) for p in out.rglob("*")
                                         if p.is_file() and before.get(p) != p.stat().st_mtime_ns),
                       "manifest": json.loads((out / "manifest.json").read_text(encoding="utf-8")),
                       "tables_svg": {**snapshot(out, "*.csv"), **snapshot(out, "*.svg")}}

    from regiopole.pipeline.execute import KernelRegistry

    kernels: list[int] = []
    with pytest.MonkeyPatch.context() as patch:  # the process of every kernel the first run starts
        patch.setattr(KernelRegistry, "add", lambda self, name, pid, add=KernelRegistry.add: kernels.append(pid)
                      or add(self, name, pid))
        step("first")
    steps["first"]["kernels"] = {pid: _alive(pid) for pid in kernels}
    steps["first"]["html"] = snapshot(out / "html", "*.html")
    step("unchanged")
    step("parameter", overrides={"factor": 2})
    (root / "data" / "example" / "independent.txt").write_text("hallo welt\n", encoding="utf-8")
    step("data_file", overrides={"factor": 2})
    edit_notebook(nb / "01_producer.ipynb", "SICHTBARER-TEXT", "SICHTBARER TEXT")
    step("markdown_only", overrides={"factor": 2})
    edit_notebook(nb / "01_producer.ipynb", 'report.save_table(values, ', 'report.save_table(values.assign(value=values[\\"value\\"] * 10), ')
    step("producer_code", overrides={"factor": 2})
    with open(root / "regiopole" / "style.py", "a", encoding="utf-8") as handle:
        handle.write("\n# changed by the test\n")
    step("package", overrides={"factor": 2})
    step("forced", overrides={"factor": 2}, force=True)
    steps["root"] = root
    return steps


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.is_file() and "\nState:\tZ" in status.read_text())  # a zombie has ended


def test_every_kernel_has_ended_when_the_run_returns(scenario) -> None:
    """Kernels are killed without waiting for them (jupyter_client looks every 0.1 s), but the run waits at its end."""
    kernels = scenario["first"]["kernels"]
    assert len(kernels) == 3 and not any(kernels.values()), kernels


def test_first_run_runs_everything_in_dependency_order(scenario) -> None:
    first = scenario["first"]
    assert first["status"] == {"01_producer": "ok", "02_consumer": "ok", "03_independent": "ok"}
    assert first["ok"] and not first["problems"]
    manifest = first["manifest"]["notebooks"]
    assert manifest["01_producer"]["start"] <= manifest["02_consumer"]["start"]
    consumer_table = scenario["root"] / "outputs" / "tables" / "consumer_sum.csv"
    assert consumer_table.is_file()


def test_nothing_changed_skips_everything_and_writes_nothing(scenario) -> None:
    unchanged = scenario["unchanged"]
    assert set(unchanged["status"].values()) == {"skipped"}
    assert unchanged["touched"] == []  # how fast this is: benchmarks/pipeline.py, not a timed test


@pytest.mark.parametrize(("step", "expected"), [
    ("parameter", {"01_producer": "skipped", "02_consumer": "ok", "03_independent": "skipped"}),
    ("data_file", {"01_producer": "skipped", "02_consumer": "skipped", "03_independent": "ok"}),
    ("markdown_only", {"01_producer": "ok", "02_consumer": "skipped", "03_independent": "skipped"}),
    ("producer_code", {"01_producer": "ok", "02_consumer": "ok", "03_independent": "skipped"}),
    ("package", {"01_producer": "ok", "02_consumer": "ok", "03_independent": "ok"}),
    ("forced", {"01_producer": "ok", "02_consumer": "ok", "03_independent": "ok"}),
])
def test_changes_rerun_exactly_what_they_affect(scenario, step: str, expected: dict) -> None:
    assert scenario[step]["status"] == expected


def test_rerun_reasons_name_the_change(scenario) -> None:
    assert scenario["parameter"]["reasons"]["02_consumer"] == "parameter changed: factor"
    assert scenario["data_file"]["reasons"]["03_independent"] == "input changed: data/example/independent.txt"
    assert scenario["markdown_only"]["reasons"]["01_producer"] == "notebook changed"
    assert scenario["producer_code"]["reasons"]["02_consumer"] == "input changed: outputs/tables/producer_values.csv"
    assert scenario["package"]["reasons"]["03_independent"] == "package source changed"
    assert scenario["forced"]["reasons"]["01_producer"] == "forced"


def test_manifest_records_provenance(scenario) -> None:
    root = scenario["root"]
    record = scenario["first"]["manifest"]["notebooks"]["01_producer"]
    assert record["status"] == "ok" and record["duration_s"] > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", record["start"])
    assert record["parameters"] == {"region": "data/reference/regions/paderborn.yaml", "data_dir": "data/example",
                                    "output_dir": "outputs"}
    values_sha = scenario["first"]["manifest"]["notebooks"]["01_producer"]["inputs"]["data/example/values.csv"]
    assert values_sha == sha256_file(root / "data" / "example" / "values.csv")
    assert set(record["inputs"]) >= {"data/example/dataset.yaml", "data/reference/regions/paderborn.yaml",
                                     "data/reference/municipalities.csv"}
    assert set(record["outputs"]) == {"outputs/tables/producer_values.csv", "outputs/tables/producer_values.xlsx",
                                      "outputs/figures/producer_bars.png", "outputs/figures/producer_bars.svg"}
    assert record["executed_notebook"]["path"] == "outputs/notebooks/01_producer.ipynb"
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert record["git"] == {"commit": head, "dirty": False}
    assert scenario["package"]["manifest"]["notebooks"]["01_producer"]["git"]["dirty"] is True
    assert record["kernel"] in ("python3", "regiopole") and Path(record["kernel_python"]).name.startswith("python")
    assert {"python", "papermill", "nbconvert", "pandas", "matplotlib"} <= set(record["versions"])
    assert record["data"] == {"dir": "data/example", "example": True, "description": "Testdaten", "seed": 7}


def test_tables_and_svg_figures_are_byte_identical_across_runs(scenario) -> None:
    before, after = scenario["package"]["tables_svg"], scenario["forced"]["tables_svg"]
    assert {"tables/producer_values.csv", "figures/producer_bars.svg"} <= set(after)
    assert before == after
    svg = after["figures/producer_bars.svg"].decode("utf-8")
    assert "<dc:date>" not in svg


def test_stakeholder_html_hides_code_and_tagged_cells(scenario) -> None:
    html = scenario["first"]["html"]
    public, full = html["01_producer.html"].decode(), html["01_producer-code.html"].decode()
    assert "SICHTBARER-TEXT" in public and "data:image/png;base64," in public
    for hidden in ("CODE-MARKER", "GEHEIM-ZELLE", "GEHEIM-AUSGABE", "save_figure", "REPR-MARKER"):
        assert hidden not in public
    for shown in ("CODE-MARKER", "GEHEIM-ZELLE", "GEHEIM-AUSGABE", "save_figure", "REPR-MARKER"):
        assert shown in full


def test_index_lists_reports_with_example_label_and_provenance_on_its_own_page(scenario) -> None:
    index = scenario["first"]["html"]["index.html"].decode()
    for text in ("Erzeuger-Bericht", "Liest Beispielwerte und schreibt Tabelle und Abbildung.",
                 "Unabhängiger Bericht (aus pipeline.yaml)", "Beispieldaten", 'href="01_producer.html"',
                 'href="01_producer.pdf"', 'href="01_producer-code.html"', 'href="herkunft.html"'):
        assert text in index
    for code in ("data/example", "data_dir", "../notebooks/", "<code>"):  # stakeholders read words, not code
        assert code not in index
    provenance = scenario["first"]["html"]["herkunft.html"].decode()  # for researchers: parameters and hashes
    values_sha = scenario["first"]["manifest"]["notebooks"]["01_producer"]["inputs"]["data/example/values.csv"]
    assert values_sha[:12] in provenance and 'data_dir = "data/example"' in provenance
    gallery = scenario["first"]["html"]["gallery.html"].decode()
    assert 'alt="Balkendiagramm der Werte je Name"' in gallery and "data:image/png;base64," in gallery


def test_every_html_file_is_self_contained(scenario) -> None:
    pages = scenario["first"]["html"]
    assert {"index.html", "gallery.html", "01_producer.html", "03_independent-code.html"} <= set(pages)
    fetch = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)
    for name, data in pages.items():
        text = data.decode("utf-8")
        assert not fetch.search(text), f"{name} fetches from the internet"
        assert "cdnjs" not in text and "mathjax" not in text.lower(), name


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("failing"), ["03_independent", "04_failing", "05_after_failing", "06_slow"])
    result = {"root": root, "good": cli(root, "run", "--jobs", "2")}
    out = root / "outputs"
    result["before"] = {p: (out / p).read_bytes() for p in
                        ("notebooks/04_failing.ipynb", "html/04_failing.html")}
    result["bad"] = cli(root, "run", "--force", "--jobs", "2", "-p", "fail=true")
    result["manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    result["again"] = cli(root, "run", "-p", "fail=true")
    return result


def test_failure_names_notebook_cell_and_error_and_spares_the_rest(failures) -> None:
    assert failures["good"][0] == 0, failures["good"][1]
    code, err = failures["bad"]
    assert code == 1
    assert "04_failing failed, cell 4" in err and "ValueError: deliberate failure for the test" in err
    assert "05_after_failing was not run because needs 04_failing" in err
    assert "outputs/notebooks/04_failing.failed.ipynb" in err
    assert "4 notebooks: 2 run, 0 up to date, 1 failed, 1 not run" in err
    assert "warning: outputs/tables/slow_undeclared.csv was written but no notebook declares it" in err
    assert "slow.csv was written" not in err and "failing.csv was written" not in err
    record = failures["manifest"]["notebooks"]["04_failing"]
    assert record["status"] == "failed" and record["error"]["cell"] == 4 and record["error"]["ename"] == "ValueError"
    assert failures["manifest"]["notebooks"]["03_independent"]["status"] == "ok"
    assert "04_failing failed" in failures["again"][1], "a failed notebook runs again on the next run"


def test_failure_keeps_earlier_results_and_the_partial_notebook(failures) -> None:
    out = failures["root"] / "outputs"
    for path, data in failures["before"].items():
        assert (out / path).read_bytes() == data, f"{path} was overwritten by the failed run"
    partial = json.loads((out / "notebooks" / "04_failing.failed.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in partial["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors and errors[0]["evalue"] == "deliberate failure for the test"
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    provenance = (out / "html" / "herkunft.html").read_text(encoding="utf-8")
    assert "letzter Lauf fehlgeschlagen" in index and "deliberate failure for the test" in provenance


def test_no_temporary_file_is_left(failures) -> None:
    leftovers = [p for p in failures["root"].rglob("*") if p.name.endswith(".tmp") or re.match(r"^\..+\.[a-z0-9_]{8}\.", p.name)]
    assert leftovers == []


def test_ctrl_c_stops_the_run_and_leaves_no_half_written_file(failures, tmp_path) -> None:
    """SIGINT while a cell sleeps for an hour: the run stops with 130 long before the cell could end.

    No fixed-time wait: the notebook touches a marker file when its slow cell begins, and
    the test waits for that file (or for the run to end early, which fails the test).
    """
    root, out = failures["root"], failures["root"] / "outputs"
    executed = (out / "notebooks" / "06_slow.ipynb").read_bytes()
    marker = tmp_path / "slow-cell-started"
    env = {**os.environ, "REGIOPOLE_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "regiopole", "run", "06_slow", "--force", "-p", "sleep_s=3600",
                             "-p", f"started_marker={marker}"], env=env, stderr=subprocess.PIPE, text=True)
    while not marker.exists():
        assert proc.poll() is None, f"run ended before the slow cell began: {proc.stderr.read()}"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    code = proc.wait(timeout=1800)  # a guard against a hang only; the cell itself would sleep 3600 s
    assert code == 130
    assert "interrupted" in proc.stderr.read()
    assert (out / "notebooks" / "06_slow.ipynb").read_bytes() == executed
    assert not (out / "notebooks" / "06_slow.failed.ipynb").exists()
    assert [p for p in root.rglob("*") if p.name.endswith(".tmp")] == []


FLAKY_KERNEL = """
import os, sys
marker, connection_file = sys.argv[1], sys.argv[2]
if not os.path.exists(marker) or os.environ.get("ALWAYS_FAIL"):
    open(marker, "w").close()
    sys.exit(1)  # dies before answering: a kernel that failed to start
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file])
"""


@pytest.mark.parametrize("always_fail", [False, True])
def test_a_kernel_that_fails_to_start_is_retried_once(tmp_path, monkeypatch, always_fail: bool) -> None:
    import threading

    from regiopole.pipeline.execute import KernelRegistry, execute

    spec_dir = tmp_path / "jupyter" / "kernels" / "flaky"
    spec_dir.mkdir(parents=True)
    (tmp_path / "flaky.py").write_text(FLAKY_KERNEL, encoding="utf-8")
    argv = [sys.executable, str(tmp_path / "flaky.py"), str(tmp_path / "started-once"), "{connection_file}"]
    (spec_dir / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "flaky", "language": "python"}),
                                          encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    if always_fail:
        monkeypatch.setenv("ALWAYS_FAIL", "1")
    root = make_project(tmp_path / "project", ["03_independent"])
    result = execute("03_independent", root / "notebooks" / "03_independent.ipynb", {}, root,
                     root / "outputs" / "notebooks", "flaky", KernelRegistry(), threading.Event())
    if always_fail:
        assert result.status == "failed" and result.error["ename"] == "KernelStartError"
        assert "tried 2 times" in result.error["evalue"]
        assert not (root / "outputs" / "notebooks" / "03_independent.ipynb").exists()
    else:
        assert result.status == "ok", result.error
        assert (root / "outputs" / "tables" / "independent.csv").read_text(encoding="utf-8") == "chars\n6\n"


def test_a_kernel_started_ahead_runs_the_notebook_and_a_dead_one_is_replaced(tmp_path) -> None:
    import threading

    from regiopole.pipeline.execute import KernelRegistry, execute, start_kernel, wait_for_stopped_kernels

    root = make_project(tmp_path / "project", ["03_independent"])
    for dies in (False, True):
        ahead = start_kernel("python3", root)
        assert ahead is not None and ahead.km.has_kernel
        process = ahead.km.provisioner.process
        if dies:  # died before its notebook came: the notebook starts a kernel of its own
            process.kill()
            process.wait(timeout=30)
        result = execute("03_independent", root / "notebooks" / "03_independent.ipynb", {}, root,
                         root / "outputs" / "notebooks", "python3", KernelRegistry(), threading.Event(), ahead=ahead)
        assert result.status == "ok", result.error
        assert (root / "outputs" / "tables" / "independent.csv").read_text(encoding="utf-8") == "chars\n6\n"
        wait_for_stopped_kernels()  # as the run does at its end
        assert process.poll() is not None  # the kernel started ahead is gone after the notebook
        assert ahead.log.closed


def test_a_run_without_fork_server_leaves_no_kernel_started_ahead(tmp_path, monkeypatch) -> None:
    import regiopole.pipeline.execute as execute_module

    started = []

    def recording(kernel, root, table_cache=None):
        kernel = real(kernel, root, table_cache)
        started.append(kernel.km.provisioner.process)
        return kernel

    real = execute_module.start_kernel
    monkeypatch.setattr(execute_module, "start_kernel", recording)
    root = make_project(tmp_path / "project", ["03_independent"])
    report = run(root, RunOptions(jobs=2, live=False, publish=False), stream=io.StringIO())
    assert statuses(report) == {"03_independent": "ok"}
    assert len(started) == 1  # one notebook to run: one kernel ahead, not one per core
    assert all(process.poll() is not None for process in started)


def test_forked_kernel_gives_the_same_results_as_a_new_process(tmp_path) -> None:
    import threading

    from regiopole.pipeline.execute import KernelRegistry, execute, kernel_env
    from regiopole.pipeline.forkserver import ForkServer

    root = make_project(tmp_path / "project", ["01_producer"])
    server = ForkServer(root, kernel_env(root), ["regiopole.report", "no_such_module_for_the_test"])
    try:
        assert server.ready(timeout=60) and server.not_preloaded == ["no_such_module_for_the_test"]
        results = {}
        for launch, fork_server in (("fork", server), ("process", None)):
            out = root / f"out-{launch}"
            result = execute("01_producer", root / "notebooks" / "01_producer.ipynb", {"output_dir": str(out)}, root,
                             out / "notebooks", "python3", KernelRegistry(), threading.Event(), fork_server)
            assert result.status == "ok", result.error
            assert result.launch == launch
            results[launch] = {**snapshot(out, "*.csv"), **snapshot(out, "*.svg")}
        assert results["fork"] == results["process"] and len(results["fork"]) == 2
    finally:
        server.close()
    assert server.process.poll() is not None


def test_a_forked_kernel_starts_with_what_it_inherits_out_of_the_collectors_reach(tmp_path) -> None:
    """gc.freeze() before fork(): the kernel's collections skip the server's objects (and do not
    copy the memory pages they lie on); a kernel started as a new process has nothing frozen."""
    import threading

    import nbformat

    from regiopole.pipeline.execute import KernelRegistry, execute, kernel_env
    from regiopole.pipeline.forkserver import ForkServer

    root = make_project(tmp_path / "project", [])
    probe = root / "notebooks" / "gc_probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import gc, pathlib\npathlib.Path('frozen.txt').write_text(str(gc.get_freeze_count()))")]), probe)
    server = ForkServer(root, kernel_env(root), ["regiopole.report"])
    try:
        assert server.ready(timeout=60)
        frozen = {}
        for launch, fork_server in (("fork", server), ("process", None)):
            result = execute("gc_probe", probe, {}, root, root / "outputs" / "notebooks", "python3", KernelRegistry(),
                             threading.Event(), fork_server)
            assert result.status == "ok" and result.launch == launch, result.error
            frozen[launch] = int((root / "frozen.txt").read_text(encoding="utf-8"))
    finally:
        server.close()
    assert frozen["fork"] > 10_000 and frozen["process"] == 0, frozen


def test_fork_server_imports_the_later_modules_once_no_kernel_is_asked_for(tmp_path) -> None:
    from regiopole.pipeline.execute import kernel_env
    from regiopole.pipeline.forkserver import ForkServer

    server = ForkServer(ROOT, kernel_env(ROOT), ["regiopole.paths"], idle=1.0,
                        later=["xml.dom.minidom", "no_such_later_module_for_the_test"])
    version = [sys.executable, "-m", "ipykernel_launcher", "--version"]  # a "kernel" that prints and ends
    try:
        assert server.ready(timeout=60)
        _, first = server.spawn(version, str(tmp_path), dict(os.environ), None)
        assert first == ["regiopole.paths"]  # asked for at once: forked without waiting for the later modules
        later, pause = first, 1.5
        while later == first and pause < 60:  # each pause longer than `idle`; a busy machine may need a longer one
            time.sleep(pause)
            _, later = server.spawn(version, str(tmp_path), dict(os.environ), None)
            pause *= 2
        assert later == ["regiopole.paths", "xml.dom.minidom"]  # a failing import is left out
    finally:
        server.close()
    assert server.process.poll() is not None


def test_fork_server_warms_once_per_set_of_arguments_before_forking(tmp_path) -> None:
    from regiopole.pipeline.execute import kernel_env
    from regiopole.pipeline.forkserver import ForkServer

    (tmp_path / "warm_probe.py").write_text(
        "def record(output_dir, region=None):\n"
        "    print('text on stdout must not reach the runner')\n"
        "    with open(f'{output_dir}/warm.log', 'a') as log:\n"
        "        log.write(f'{region}\\n')\n"
        "def broken(output_dir):\n"
        "    raise RuntimeError('a failing warm-up is left to the kernel')\n", encoding="utf-8")
    server = ForkServer(tmp_path, kernel_env(tmp_path), ["regiopole.paths"])
    version = [sys.executable, "-m", "ipykernel_launcher", "--version"]  # a "kernel" that prints and ends
    try:
        assert server.ready(timeout=60)
        for ags, region in (("1", "a"), ("2", "a"), ("3", "b")):
            parameters = {"output_dir": str(tmp_path), "region": region, "ags": ags}
            pid, _ = server.spawn(version, str(tmp_path), dict(os.environ), None,
                                  [("warm_probe:broken", parameters), ("warm_probe:record", parameters),
                                   ("no_such_module:warm", parameters)])
            assert pid > 0
    finally:
        server.close()
    # `ags` is not an argument of record(): the second kernel needed no new warm-up
    assert (tmp_path / "warm.log").read_text(encoding="utf-8") == "a\nb\n"


def test_readers_start_while_the_html_of_what_they_read_is_written(tmp_path, monkeypatch) -> None:
    import regiopole.pipeline.execute as execute_module
    import regiopole.pipeline.publish as publish_module

    root = make_project(tmp_path / "project", ["01_producer", "02_consumer"])
    times: dict[str, float] = {}
    execute, render = execute_module.execute, publish_module.render_notebook

    def timed_execute(name, *args, **kwargs):
        times[f"{name} starts"] = time.monotonic()
        return execute(name, *args, **kwargs)

    def slow_render(nb, name, *args, **kwargs):
        if name == "01_producer":
            time.sleep(3)
        pages = render(nb, name, *args, **kwargs)
        times[f"{name} html"] = time.monotonic()
        return pages

    monkeypatch.setattr(execute_module, "execute", timed_execute)
    monkeypatch.setattr(publish_module, "render_notebook", slow_render)
    report = run(root, RunOptions(jobs=2, live=False), stream=io.StringIO())
    assert statuses(report) == {"01_producer": "ok", "02_consumer": "ok"} and report.ok
    assert times["02_consumer starts"] < times["01_producer html"]
    assert {p.name for p in (root / "outputs" / "html").glob("0*.html")} == {
        "01_producer.html", "01_producer-code.html", "02_consumer.html", "02_consumer-code.html"}
