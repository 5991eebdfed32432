"""Pipeline logic without kernels: declarations, ordering, skip decisions, hashes, HTML checks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from regiopole.pipeline.cli import parse_parameters
from regiopole.pipeline.files import atomic_path, write_if_changed
from regiopole.pipeline.publish import external_resources
from regiopole.pipeline.spec import PipelineError, load_pipeline, notebook_parameters, source_hash
from regiopole.pipeline.state import current_state, input_hashes, package_hash, stale_reason

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the fixture notebooks and their declarations."""
    shutil.copytree(FIXTURES, tmp_path / "notebooks")
    return tmp_path


def write_declarations(project: Path, notebooks: dict) -> None:
    text = json.dumps({"parameters": {"data_dir": "data/example", "output_dir": "outputs",
                                      "region": "data/reference/regions/paderborn.yaml"},
                       "notebooks": notebooks})
    (project / "notebooks" / "pipeline.yaml").write_text(text, encoding="utf-8")  # JSON is YAML


def test_order_follows_declared_reads_and_writes(project: Path) -> None:
    pipeline = load_pipeline(project)
    given = pipeline.given({})
    deps = pipeline.dependencies(given)
    assert deps["02_consumer"] == {"01_producer"}
    assert deps["05_after_failing"] == {"04_failing"}
    assert deps["01_producer"] == set() and deps["03_independent"] == set()
    order = pipeline.order(given)
    assert order.index("01_producer") < order.index("02_consumer")
    assert order.index("04_failing") < order.index("05_after_failing")


def test_dependencies_follow_the_output_dir_parameter(project: Path) -> None:
    pipeline = load_pipeline(project)
    given = pipeline.given({"output_dir": "/elsewhere/out"})
    assert pipeline.writes(pipeline.notebooks["02_consumer"], given) == ["/elsewhere/out/tables/consumer_sum.csv"]
    assert pipeline.dependencies(given)["02_consumer"] == {"01_producer"}


def test_selection_adds_what_a_notebook_depends_on(project: Path) -> None:
    pipeline = load_pipeline(project)
    given = pipeline.given({})
    assert pipeline.select(["02"], given) == ["01_producer", "02_consumer"]
    assert pipeline.select(["notebooks/03_independent.ipynb"], given) == ["03_independent"]
    assert pipeline.select([], given) == sorted(pipeline.notebooks)
    with pytest.raises(PipelineError, match="not found"):
        pipeline.select(["99_missing"], given)
    with pytest.raises(PipelineError, match="ambiguous"):
        pipeline.select(["0"], given)


def test_a_cycle_is_named(project: Path) -> None:
    write_declarations(project, {
        "01_producer": {"reads": ["{output_dir}/b.csv"], "writes": ["{output_dir}/a.csv"]},
        "02_consumer": {"reads": ["{output_dir}/a.csv"], "writes": ["{output_dir}/b.csv"]},
    })
    pipeline = load_pipeline(project)
    with pytest.raises(PipelineError, match="cycle: .*01_producer.*02_consumer|cycle: .*02_consumer.*01_producer"):
        pipeline.order(pipeline.given({}))


def test_declaration_mistakes_are_reported(project: Path) -> None:
    write_declarations(project, {"01_producer": {"raeds": []}})
    with pytest.raises(PipelineError, match="unknown key.*raeds"):
        load_pipeline(project)
    write_declarations(project, {"01_producer": {"reads": ["{nonsense}/x"]}})
    pipeline = load_pipeline(project)
    with pytest.raises(PipelineError, match="cannot fill in '{nonsense}/x'"):
        pipeline.reads(pipeline.notebooks["01_producer"], pipeline.given({}))


def test_undeclared_notebooks_still_run_and_missing_ones_are_listed(project: Path) -> None:
    write_declarations(project, {"01_producer": {}, "77_not_written_yet": {}})
    pipeline = load_pipeline(project)
    assert pipeline.notebooks["01_producer"].declared
    assert not pipeline.notebooks["03_independent"].declared
    assert pipeline.missing == ["77_not_written_yet"]


def test_titles_come_from_declarations_then_notebook_metadata(project: Path) -> None:
    pipeline = load_pipeline(project)
    assert pipeline.notebooks["03_independent"].title == "Unabhängiger Bericht (aus pipeline.yaml)"
    assert pipeline.notebooks["01_producer"].title == "Erzeuger-Bericht"
    assert pipeline.notebooks["01_producer"].description.startswith("Liest Beispielwerte")


def test_parameters_cell_is_read_and_only_known_parameters_apply(project: Path) -> None:
    nb = json.loads((project / "notebooks" / "02_consumer.ipynb").read_text(encoding="utf-8"))
    assert notebook_parameters(nb) == {"region": "data/reference/regions/paderborn.yaml", "data_dir": "data/example",
                                       "output_dir": "outputs", "factor": 1}
    consumer = load_pipeline(project).notebooks["02_consumer"]
    assert consumer.parameters({"factor": 2, "maps_dir": "maps"})["factor"] == 2
    assert "maps_dir" not in consumer.parameters({"factor": 2, "maps_dir": "maps"})


def test_optional_file_parameter_left_at_none_is_not_read(project: Path) -> None:
    write_declarations(project, {"01_producer": {"reads": ["{names_file}", "{data_dir}/values.csv"]}})
    pipeline = load_pipeline(project)
    reads = pipeline.reads(pipeline.notebooks["01_producer"], pipeline.given({"names_file": None}))
    assert reads == [str(project / "data" / "example" / "values.csv")]


def test_source_hash_ignores_outputs_but_not_code_or_tags() -> None:
    nb = {"metadata": {"kernelspec": {"name": "python3"}},
          "cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": [], "execution_count": None}]}
    ran = json.loads(json.dumps(nb))
    ran["cells"][0].update(outputs=[{"output_type": "stream", "text": "1"}], execution_count=3)
    assert source_hash(nb) == source_hash(ran)
    edited = json.loads(json.dumps(nb))
    edited["cells"][0]["source"] = "x = 2"
    tagged = json.loads(json.dumps(nb))
    tagged["cells"][0]["metadata"]["tags"] = ["remove-input"]
    assert len({source_hash(nb), source_hash(edited), source_hash(tagged)}) == 3


def test_input_hashes_expand_globs_and_record_absent_files(tmp_path: Path) -> None:
    (tmp_path / "survey_a.csv").write_text("a", encoding="utf-8")
    (tmp_path / "survey_b.csv").write_text("b", encoding="utf-8")
    hashes = input_hashes([f"{tmp_path}/survey_*", f"{tmp_path}/missing.csv", f"{tmp_path}/none_*"], tmp_path)
    assert set(hashes) == {"survey_a.csv", "survey_b.csv", "missing.csv", "none_*"}
    assert hashes["missing.csv"] is None and hashes["none_*"] is None
    assert hashes["survey_a.csv"] != hashes["survey_b.csv"]


def test_package_hash_sees_source_changes_but_not_caches_or_the_pipeline(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "pipeline").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n", encoding="utf-8")
    before = package_hash(tmp_path / "pkg")
    (tmp_path / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "pkg" / "pipeline" / "runner.py").write_text("# publishing code\n", encoding="utf-8")
    assert package_hash(tmp_path / "pkg") == before
    (tmp_path / "pkg" / "mod.py").write_text("x = 2\n", encoding="utf-8")
    assert package_hash(tmp_path / "pkg") != before


def _record(tmp_path: Path, **changes) -> tuple[dict, dict]:
    out = tmp_path / "outputs" / "t.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("t\n1\n", encoding="utf-8")
    from regiopole.pipeline.files import sha256_file

    state = current_state("src", {"data_dir": "data/example", "factor": 1}, {"data/example/a.csv": "aaa"}, "pkg", "python3")
    record = {**state, "status": "ok", "outputs": {"outputs/t.csv": sha256_file(out)}}
    new_state = {**state, **changes}
    return record, new_state


@pytest.mark.parametrize(("changes", "reason"), [
    ({}, None),
    ({"source_sha256": "src2"}, "notebook changed"),
    ({"parameters": {"data_dir": "data/example", "factor": 2}}, "parameter changed: factor"),
    ({"inputs": {"data/example/a.csv": "bbb"}}, "input changed: data/example/a.csv"),
    ({"inputs": {"data/example/a.csv": "aaa", "data/example/new.csv": "ccc"}}, "input changed: data/example/new.csv"),
    ({"package_sha256": "pkg2"}, "package source changed"),
    ({"kernel": "regiopole"}, "kernel changed"),
])
def test_stale_reason_names_what_changed(tmp_path: Path, changes: dict, reason: str | None) -> None:
    record, state = _record(tmp_path, **changes)
    assert stale_reason(record, state, tmp_path) == reason


def test_stale_when_never_run_failed_or_an_output_is_gone(tmp_path: Path) -> None:
    record, state = _record(tmp_path)
    assert stale_reason(None, state, tmp_path) == "never run"
    assert stale_reason({**record, "status": "failed"}, state, tmp_path) == "last run failed"
    (tmp_path / "outputs" / "t.csv").write_text("edited by hand\n", encoding="utf-8")
    assert stale_reason(record, state, tmp_path) == "output changed since the run: outputs/t.csv"
    (tmp_path / "outputs" / "t.csv").unlink()
    assert stale_reason(record, state, tmp_path) == "output missing: outputs/t.csv"


def test_parameters_compare_as_json(tmp_path: Path) -> None:
    record, _ = _record(tmp_path)
    record["parameters"] = {"weights": [1, 2]}
    state = current_state("src", {"weights": (1, 2)}, record["inputs"], "pkg", "python3")
    assert stale_reason(record, state, tmp_path) is None


def test_atomic_path_keeps_the_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted while writing")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]
    with atomic_path(target) as tmp:
        tmp.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o044 == 0o044  # readable by others, unlike mkstemp's 0600


def test_write_if_changed_leaves_identical_files_alone(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    assert write_if_changed(target, "a")
    mtime = target.stat().st_mtime_ns
    assert not write_if_changed(target, "a")
    assert target.stat().st_mtime_ns == mtime
    assert write_if_changed(target, "b")


def test_external_resources_are_found_also_inside_srcdoc_frames() -> None:
    page = ('<script src="https://cdn.example.org/require.js"></script>'
            '<link rel="stylesheet" href="//cdn.example.org/x.css">'
            '<a href="https://www.destatis.de">Quelle</a><img src="data:image/png;base64,AAAA">'
            '<iframe srcdoc="&lt;script src=&quot;https://unpkg.com/leaflet.js&quot;&gt;&lt;/script&gt;"></iframe>'
            '<style>@import url("https://fonts.example.org/f.css");</style>')
    assert external_resources(page) == ["//cdn.example.org/x.css", "https://cdn.example.org/require.js",
                                        "https://fonts.example.org/f.css", "https://unpkg.com/leaflet.js"]
    assert external_resources('<script>var x = 1;</script><a href="https://example.org">link</a>') == []
    shown_as_text = '<pre>&lt;script src=&quot;https://cdn.example.org/a.js&quot;&gt;</pre>'
    assert external_resources(shown_as_text) == []
    nested = '<iframe srcdoc=\'&lt;iframe srcdoc=&quot;&amp;lt;img src=&amp;quot;http://x.org/i.png&amp;quot;&amp;gt;&quot;&gt;\'>'
    assert external_resources(nested) == ["http://x.org/i.png"]


def test_command_line_parameters_are_typed() -> None:
    assert parse_parameters(["min_cell_size=5", "data_dir=data/raw", "flag=true", "names_file=null", "w=0.5"]) == {
        "min_cell_size": 5, "data_dir": "data/raw", "flag": True, "names_file": None, "w": 0.5}
    assert parse_parameters(["day=2021-05-01"]) == {"day": "2021-05-01"}
    with pytest.raises(PipelineError, match="KEY=VALUE"):
        parse_parameters(["novalue"])


def test_project_declarations_cover_every_notebook_and_form_no_cycle() -> None:
    pipeline = load_pipeline(ROOT)
    assert all(spec.declared for spec in pipeline.notebooks.values()), "declare every notebook in notebooks/pipeline.yaml"
    given = pipeline.given({})
    pipeline = pipeline.expand(given)  # one notebook per parameter set (the dossiers)
    assert set(pipeline.order(given)) == set(pipeline.notebooks)
    for spec in pipeline.notebooks.values():
        assert spec.title and spec.description, f"{spec.name}: title and description needed for index.html"
        # a page per parameter set (a dossier) may write nothing but its report
        assert pipeline.writes(spec, given) or spec.family, f"{spec.name}: declare what it writes"
    assert pipeline.overlapping_writes(given) == []
    deps = pipeline.dependencies(given)
    if "06_regional_map" in pipeline.notebooks:
        assert {"01_inventory", "02_survey"} & set(pipeline.notebooks) <= deps["06_regional_map"]
    if {"01_inventory", "02_survey"} <= set(pipeline.notebooks):
        assert "01_inventory" in deps["02_survey"]


def test_overlapping_write_patterns_are_found(project: Path) -> None:
    write_declarations(project, {"01_producer": {"writes": ["{output_dir}/figures/region_*"]},
                                 "02_consumer": {"writes": ["{output_dir}/figures/region_map_*"]}})
    pipeline = load_pipeline(project)
    assert [(a, b) for a, _, b, _ in pipeline.overlapping_writes(pipeline.given({}))] == [("01_producer", "02_consumer")]


def test_importing_the_command_loads_no_heavy_package() -> None:
    import subprocess
    import sys

    code = ("import sys, regiopole.cli, regiopole.pipeline.runner, regiopole.pipeline.site; "
            "regiopole.cli.build_parser(['run']); "
            "print(sorted(m for m in ('pandas', 'papermill', 'nbconvert', 'jsonschema', 'geopandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_reading_notebooks_skips_only_the_grammar_of_one_string_format() -> None:
    """``regiopole publish`` read notebooks with jsonschema's grammar of IRIs built (a second of CPU)."""
    import subprocess
    import sys

    code = ("import sys, regiopole.pipeline.site, nbformat, jsonschema; "
            "checker = jsonschema.FormatChecker(); "
            "print(sys.modules.get('rfc3987_syntax', 'absent'), 'date' in checker.checkers, "
            "checker.conforms('2024-13-45', 'date'), checker.conforms('2024-05-03', 'date'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["None", "True", "False", "True"]


def test_progress_shows_state_and_elapsed_time() -> None:
    import io

    from regiopole.pipeline.progress import Progress

    log = io.StringIO()
    progress = Progress(["01_inventory", "06_regional_map"], stream=log, live=False)
    progress.set("01_inventory", "running", "never run")
    progress.set("01_inventory", "ok")
    progress.set("06_regional_map", "failed", "cell 3: ValueError: x")
    lines = log.getvalue().splitlines()
    assert "01_inventory" in lines[0] and "running" in lines[0] and "never run" in lines[0]
    assert re.search(r"done\s+\d+\.\d s", lines[1])
    assert "FAILED" in lines[2] and "cell 3: ValueError: x" in lines[2]
    terminal = io.StringIO()
    live = Progress(["a", "b"], stream=terminal, live=True)
    live.set("a", "running")
    live.set("b", "skipped")
    assert "\x1b[3F" in terminal.getvalue()  # redrawn in place: cursor up over the 2 rows + total


def test_publish_reports_a_page_that_loads_from_the_internet(tmp_path: Path) -> None:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from regiopole.pipeline.files import sha256_file
    from regiopole.pipeline.site import publish

    nb = new_notebook(cells=[new_markdown_cell("# Karte"), new_code_cell("m", outputs=[new_output(
        "display_data", data={"text/html": '<iframe srcdoc="&lt;script src=&quot;https://cdn.example.org/leaflet.js&quot;&gt;'
                                           '&lt;/script&gt;"></iframe>', "text/plain": "<Map>"})])])
    out = tmp_path / "outputs"
    executed = out / "notebooks" / "05_map.ipynb"
    executed.parent.mkdir(parents=True)
    nbformat.write(nb, str(executed))
    record = {"title": "Karte", "description": "d", "status": "ok", "start": "2024-05-03T14:07:00+02:00",
              "duration_s": 1.0, "parameters": {}, "inputs": {}, "outputs": {}, "source_sha256": "s", "kernel": "python3",
              "executed_notebook": {"path": "outputs/notebooks/05_map.ipynb", "sha256": sha256_file(executed)}}
    (out / "manifest.json").write_text(json.dumps({"schema": 1, "notebooks": {"05_map": record}}), encoding="utf-8")
    result = publish(tmp_path, out)
    assert result.problems == ["05_map-code.html: loads https://cdn.example.org/leaflet.js from the internet",
                               "05_map.html: loads https://cdn.example.org/leaflet.js from the internet"]
    assert "03.05.2024, 14:07 Uhr" in (out / "html" / "index.html").read_text(encoding="utf-8")
    again = publish(tmp_path, out)
    assert again.written == [] and again.problems == result.problems  # remembered until the page is rewritten


def test_a_parameter_no_notebook_has_is_refused(project: Path) -> None:
    pipeline = load_pipeline(project)
    pipeline.check_overrides({"factor": 2, "data_dir": "data/raw"})
    with pytest.raises(PipelineError, match="unknown parameter.*factr.*accept: .*factor"):
        pipeline.check_overrides({"factr": 2})


def test_only_ipykernel_launcher_commands_are_forked() -> None:
    from regiopole.pipeline.forkserver import launcher_options

    assert launcher_options(["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]) == []
    assert launcher_options(["/venv/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json",
                             "--HistoryManager.hist_file=:memory:"]) == ["-Xfrozen_modules=off"]
    assert launcher_options(["/venv/bin/python", "-u", "-m", "ipykernel_launcher"]) is None
    assert launcher_options(["R", "--slave", "-e", "IRkernel::main()"]) is None


def test_a_second_writer_is_refused(tmp_path: Path) -> None:
    from regiopole.pipeline.files import Busy, exclusive

    with exclusive(tmp_path / ".lock"):
        with pytest.raises(Busy), exclusive(tmp_path / ".lock"):
            pass
    with exclusive(tmp_path / ".lock"):  # free again
        pass


def test_declared_warm_ups_take_only_parameters_their_notebooks_have() -> None:
    import importlib
    import inspect

    pipeline = load_pipeline(ROOT)
    given = pipeline.given({})
    pipeline = pipeline.expand(given)
    checked = 0
    for spec in pipeline.notebooks.values():
        for call, parameters in pipeline.warm_calls(spec, given):
            module, _, name = call.partition(":")
            function = getattr(importlib.import_module(module), name)
            required = {n for n, p in inspect.signature(function).parameters.items() if p.default is p.empty}
            assert required <= set(parameters), f"{spec.name}: {call} needs {sorted(required - set(parameters))}"
            checked += 1
    assert checked > len(pipeline.notebooks)  # every notebook warms the region, the dossiers their tables too


def test_a_warm_entry_that_is_not_module_colon_function_is_refused(tmp_path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "pipeline.yaml").write_text("warm: [regiopole.data.region.preload_region]\nnotebooks: {}\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="expected 'module:function'"):
        load_pipeline(tmp_path)


def test_a_kernel_stopped_in_the_background_is_waited_for_at_the_end() -> None:
    import threading
    import time

    from regiopole.pipeline import execute

    stopped, signalled = [], threading.Event()

    class Manager:  # the part of jupyter_client's AsyncKernelManager that stopping uses
        has_kernel = True

        async def shutdown_kernel(self, now: bool = False) -> None:
            signalled.set()
            time.sleep(0.2)  # as jupyter_client, which looks again after a tenth of a second
            stopped.append(now)

    execute.stop_in_background(Manager())
    assert signalled.wait(5)  # the kill is sent at once, without waiting for the caller
    execute.wait_for_stopped_kernels()
    assert stopped == [True]
