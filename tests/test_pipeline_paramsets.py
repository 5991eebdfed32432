"""Parameter sets: one notebook run once per member (``for_each``), incremental per member.

Unit tests of the declarations and the hashing of table parts, and one scenario with real
kernels on a tiny notebook run for three parameter sets: a change that concerns one set
reruns only that run, a change every run reads reruns all.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
import yaml

from regiopole.data import load_region
from regiopole.pipeline import paramsets
from regiopole.pipeline.runner import RunOptions, run
from regiopole.pipeline.spec import PipelineError, load_pipeline
from regiopole.pipeline.state import input_hashes

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "data" / "reference" / "regions" / "paderborn.yaml"


def notebook(source: str, parameters: str) -> dict:
    cells = [{"cell_type": "code", "id": "p", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [],
              "source": parameters},
             {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": None, "outputs": [], "source": source}]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                         "regiopole": {"title": "Seite", "description": "Eine Seite je Wert"}},
            "nbformat": 4, "nbformat_minor": 5}


PAGE = """
from pathlib import Path
import csv
rows = [r for r in csv.DictReader(open(Path(data_dir) / "table.csv")) if r["key"] == key]
note = (Path(data_dir) / f"note_{key}.txt").read_text()
shared = (Path(data_dir) / "shared.txt").read_text()
out = Path(output_dir) / "tables"
out.mkdir(parents=True, exist_ok=True)
(out / f"page_{key}.txt").write_text(f"{rows} {note} {shared}")
"""


def make_project(root: Path, for_each: object = None) -> Path:
    (root / "notebooks").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "regiopole"\n', encoding="utf-8")
    data = root / "data"
    data.mkdir()
    (data / "dataset.yaml").write_text("example: true\n", encoding="utf-8")
    (data / "table.csv").write_text("key,value,other\nA,1,x\nB,2,x\nC,3,x\n", encoding="utf-8")
    for key in "ABC":
        (data / f"note_{key}.txt").write_text(f"Notiz {key}", encoding="utf-8")
    (data / "shared.txt").write_text("für alle", encoding="utf-8")
    (root / "notebooks" / "01_page.ipynb").write_text(
        json.dumps(notebook(PAGE, 'key = "A"\ndata_dir = "data"\noutput_dir = "outputs"')), encoding="utf-8")
    declarations = {"parameters": {"data_dir": "data", "output_dir": "outputs"}, "notebooks": {"01_page": {
        "title": "Seite {key}", "for_each": for_each or {"key": ["A", "B", "C"]},
        "reads": ["{data_dir}/note_{key}.txt", "{data_dir}/shared.txt",
                  {"file": "{data_dir}/table.csv", "rows": {"key": "{key}"}, "columns": ["key", "value"]}],
        "writes": ["{output_dir}/tables/page_{key}.txt"]}}}
    (root / "notebooks" / "pipeline.yaml").write_text(yaml.safe_dump(declarations, allow_unicode=True), encoding="utf-8")
    return root


def test_region_members_are_the_region_files_members_with_names_and_kreis() -> None:
    region = load_region(REGION)
    members = paramsets.region_members(REGION)
    assert [m["ags"] for m in members] == region.ags
    assert [m["name"] for m in members] == region.municipalities["name"].tolist()
    assert {m["oberzentrum"] for m in members} == {region.oberzentrum}
    with_optional = paramsets.region_members(REGION, include_optional=True)
    assert [m["ags"] for m in with_optional] == load_region(REGION, include_optional=True).ags


def test_expansion_names_titles_and_fixes_the_parameter(tmp_path) -> None:
    pipeline = load_pipeline(make_project(tmp_path))
    given = pipeline.given({})
    expanded = pipeline.expand(given)
    assert sorted(expanded.notebooks) == ["01_page-A", "01_page-B", "01_page-C"]
    spec = expanded.notebooks["01_page-B"]
    assert spec.title == "Seite B" and spec.family == "01_page" and spec.parameters(given)["key"] == "B"
    assert expanded.find_all("01_page") == ["01_page-A", "01_page-B", "01_page-C"]
    assert expanded.find_all("01_page-C") == ["01_page-C"]
    reads = expanded.reads(spec, given)
    assert any(r.endswith("note_B.txt") for r in reads)
    assert paramsets.split_rows(reads[-1])[1] == {"rows": {"key": ["B"]}, "columns": ["key", "value"]}


def test_region_members_expand_to_one_run_per_member(tmp_path) -> None:
    root = make_project(tmp_path, for_each={"key": "region_members"})
    text = (root / "notebooks" / "01_page.ipynb").read_text(encoding="utf-8")
    (root / "notebooks" / "01_page.ipynb").write_text(text.replace('key = \\"A\\"', f'key = \\"A\\"\\nregion = \\"{REGION}\\"'),
                                                     encoding="utf-8")
    pipeline = load_pipeline(root)
    expanded = pipeline.expand(pipeline.given({}))
    assert sorted(expanded.notebooks) == sorted(f"01_page-{a}" for a in load_region(REGION).ags)


@pytest.mark.parametrize("for_each, message", [
    ({"nope": ["A"]}, "not in the notebook's parameters"),
    ({"key": []}, "non-empty list"),
    ({"key": ["A", "A"]}, "repeat key = A"),
    ({"key": "region_members"}, "needs the notebook parameter 'region'"),
])
def test_bad_for_each_declarations_are_named(tmp_path, for_each, message) -> None:
    pipeline = load_pipeline(make_project(tmp_path, for_each=for_each))
    with pytest.raises(PipelineError, match=message):
        pipeline.expand(pipeline.given({}))


def test_part_of_a_table_hashes_only_its_rows_and_columns(tmp_path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("key,value,other\nA,1,x\nB,2,x\n", encoding="utf-8")
    read = paramsets.rows_read(str(table), {"key": ["A"]}, ["key", "value"])

    def digest() -> str | None:
        return input_hashes([read], tmp_path)[f"t.csv#{read.split('#', 1)[1]}"]

    before = digest()
    table.write_text("key,value,other\nA,1,y\nB,5,x\n", encoding="utf-8")  # other column, other row
    assert digest() == before
    table.write_text("key,value,other\nA,9,y\nB,5,x\n", encoding="utf-8")
    assert digest() != before
    table.write_text("value,other\n9,y\n", encoding="utf-8")  # key column gone: the whole file counts
    assert digest() not in (before, None)
    table.unlink()
    assert digest() is None


@pytest.mark.notebook
def test_a_change_for_one_member_reruns_only_its_run_and_a_shared_change_all(tmp_path) -> None:
    root = make_project(tmp_path)
    data = root / "data"

    def step() -> dict[str, str]:
        report = run(root, RunOptions(jobs=2, live=False, publish=False), stream=io.StringIO())
        assert report.ok, report.outcomes
        return {name: outcome.status for name, outcome in report.outcomes.items()}

    assert step() == dict.fromkeys(["01_page-A", "01_page-B", "01_page-C"], "ok")
    assert set(step().values()) == {"skipped"}
    (data / "note_B.txt").write_text("Neue Notiz B", encoding="utf-8")
    assert step() == {"01_page-A": "skipped", "01_page-B": "ok", "01_page-C": "skipped"}
    (data / "table.csv").write_text("key,value,other\nA,1,y\nB,2,y\nC,4,y\n", encoding="utf-8")  # C's value; everyone's other
    assert step() == {"01_page-A": "skipped", "01_page-B": "skipped", "01_page-C": "ok"}
    assert "C,4" not in (root / "outputs" / "tables" / "page_A.txt").read_text(encoding="utf-8")
    assert "'value': '4'" in (root / "outputs" / "tables" / "page_C.txt").read_text(encoding="utf-8")
    (data / "shared.txt").write_text("neu für alle", encoding="utf-8")
    assert step() == dict.fromkeys(["01_page-A", "01_page-B", "01_page-C"], "ok")
    manifest = json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))["notebooks"]
    assert manifest["01_page-C"]["family"] == "01_page" and manifest["01_page-C"]["parameter_set"] == {"key": "C"}
    assert manifest["01_page-C"]["parameters"]["key"] == "C"
    assert (root / "outputs" / "notebooks" / "01_page-C.ipynb").is_file()
    # a parameter set that is gone (a member left the region) leaves the manifest
    declarations = yaml.safe_load((root / "notebooks" / "pipeline.yaml").read_text(encoding="utf-8"))
    declarations["notebooks"]["01_page"]["for_each"] = {"key": ["A", "B"]}
    (root / "notebooks" / "pipeline.yaml").write_text(yaml.safe_dump(declarations, allow_unicode=True), encoding="utf-8")
    assert set(step()) == {"01_page-A", "01_page-B"}
    assert "01_page-C" not in json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))["notebooks"]


def test_only_the_first_run_of_a_parameterised_notebook_gets_a_version_with_code() -> None:
    from regiopole.pipeline.publish import code_version_runs

    runs = {"00_report": None, "07_page-B": "07_page", "07_page-A": "07_page", "08_other-Z": "08_other"}
    assert code_version_runs(runs) == {"00_report", "07_page-A", "08_other-Z"}


@pytest.mark.notebook
def test_the_runs_share_one_version_with_code_and_each_has_its_own_page_and_pdf(tmp_path) -> None:
    root = make_project(tmp_path)
    report = run(root, RunOptions(jobs=2, live=False), stream=io.StringIO())
    assert report.ok, (report.outcomes, report.problems)
    html = root / "outputs" / "html"
    assert {p.name for p in html.glob("01_page-*.html")} == {"01_page-A.html", "01_page-B.html", "01_page-C.html",
                                                             "01_page-A-code.html"}
    assert 'href="01_page-A-code.html"' in (html / "01_page-A.html").read_text(encoding="utf-8")
    assert "-code.html" not in (html / "01_page-B.html").read_text(encoding="utf-8")
    if os.path.exists("/usr/bin/chromium") or os.environ.get("CI"):
        assert {p.name for p in html.glob("01_page-*.pdf")} == {"01_page-A.pdf", "01_page-B.pdf", "01_page-C.pdf"}
    (html / "01_page-B-code.html").write_text("left from an older publish", encoding="utf-8")
    from regiopole.pipeline.site import publish

    publish(root, root / "outputs", force=True)
    assert not (html / "01_page-B-code.html").exists()
