"""Every table a run publishes is either audited or declared public, with a reason, in one place.

The run: ``outputs/`` as ``make reproduce`` leaves it (CI runs that first; every notebook on the
example data: 00 to 05 write tables, the map and the dossiers none, checked below). A table added
later that neither declares its structure to the disclosure audit nor is listed in
``regiopole.privacy.public`` fails here (and ``audit.check_outputs`` fails for it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from regiopole.privacy import audit, public

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_WITH_TABLES = ["00_region", "01_inventory", "02_survey", "03_trends", "04_workshops", "05_leitprojekte"]
CONFIDENTIAL_PREFIXES = ("survey_", "workshop_", "goal_tree", "leitprojekte_umfrage")


@pytest.fixture(scope="module")
def run() -> Path:
    out = ROOT / "outputs"
    manifest = out / "manifest.json"
    ran = set(json.loads(manifest.read_text(encoding="utf-8"))["notebooks"]) if manifest.is_file() else set()
    if not set(NOTEBOOKS_WITH_TABLES) <= ran:
        if os.environ.get("CI"):
            pytest.fail("CI: outputs/ holds no full run; `make reproduce` runs before `make test`")
        pytest.skip("outputs/ holds no full run (run `make reproduce`)")
    return out


def published(out: Path) -> set[str]:
    return {p.stem for p in (out / "tables").glob("*.csv")}


def test_only_these_notebooks_write_tables():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        source = "".join("".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"])
        assert ("save_table" in source) == (notebook.stem in NOTEBOOKS_WITH_TABLES), notebook.name


def test_every_published_table_is_audited_or_declared_public(run):
    assert len(published(run)) > 40
    assert audit.unaccounted_tables(run) == []
    assert audit.check_outputs(run) >= 20  # 23 side-cars on the example data; the audit finds nothing in them


def test_tables_from_confidential_inputs_are_audited_unless_they_hold_no_count(run):
    audited = {p.stem for p in (run / "audit").glob("*.json")}
    for name in published(run):
        if name.startswith(CONFIDENTIAL_PREFIXES):
            assert name in audited or name in public.NO_COUNTS, name
            assert name not in public.PUBLIC, f"{name} comes from confidential data and cannot be public"


def test_the_public_list_names_only_tables_of_the_run_and_none_that_is_audited(run):
    audited = {p.stem for p in (run / "audit").glob("*.json")}
    listed = set(public.PUBLIC) | set(public.NO_COUNTS)
    assert listed <= published(run), f"stale entries: {sorted(listed - published(run))}"
    assert not listed & audited, f"both audited and listed: {sorted(listed & audited)}"
    assert all(reason.strip() for reason in (*public.PUBLIC.values(), *public.NO_COUNTS.values()))


def test_a_new_table_without_structure_fails_the_check(tmp_path):
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"Karten": [5]}).to_csv(tmp_path / "tables" / "workshop_new_counts.csv", index=False)
    assert audit.unaccounted_tables(tmp_path) == ["workshop_new_counts"]
    with pytest.raises(audit.AuditError, match="workshop_new_counts"):
        audit.check_outputs(tmp_path)
    pd.DataFrame({"Einwohner": [5]}).to_csv(tmp_path / "tables" / "region_municipalities.csv", index=False)
    assert audit.unaccounted_tables(tmp_path) == ["workshop_new_counts"]  # a public table needs no side-car


def test_a_run_fails_for_a_table_the_audit_cannot_see(tmp_path):
    """``regiopole run`` audited the tables with side-cars only: a new notebook's count table was published unchecked."""
    from regiopole.pipeline.disclosure import disclosure_problems

    (tmp_path / "tables").mkdir()
    pd.DataFrame({"Einwohner": [5]}).to_csv(tmp_path / "tables" / "region_municipalities.csv", index=False)
    assert disclosure_problems(tmp_path) == []
    pd.DataFrame({"Karten": [2]}).to_csv(tmp_path / "tables" / "workshop_new_counts.csv", index=False)
    problems = disclosure_problems(tmp_path)  # the result kept from the first call does not hide it
    assert len(problems) == 1 and "tables/workshop_new_counts.csv" in problems[0] and "public.py" in problems[0]
    (tmp_path / "tables" / "workshop_new_counts.csv").unlink()
    assert disclosure_problems(tmp_path) == []
