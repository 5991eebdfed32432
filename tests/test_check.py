"""``regiopole check``: every input file of a data folder validated in one go."""

from __future__ import annotations

import shutil
from pathlib import Path

from regiopole.cli import main
from regiopole.example import default_dir
from regiopole.pipeline.check import check_data


def test_example_data_passes_every_check():
    results = check_data(default_dir())
    assert results and all(r.problem is None for r in results), [r for r in results if r.problem]


def test_bad_files_are_reported_with_file_and_row(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(default_dir(), data)
    matrix = data / "inventory_matrix.csv"
    lines = matrix.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[2] = "7"
    lines[1] = ",".join(fields)
    matrix.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "workshop_cards.csv").unlink()

    results = {r.name: r.problem for r in check_data(data)}
    inventory = results["inventory: inventory_matrix.csv"]
    assert "inventory_matrix.csv" in inventory and "row 2" in inventory and "'level'" in inventory
    assert "workshop_cards" in results["workshops: workshop_cards"]
    assert results["survey: survey_export (with the codebook)"] is None

    assert main(["check", "--data", str(data)]) == 2
    out = capsys.readouterr().out
    assert "PROBLEM  inventory: inventory_matrix.csv" in out and "checks passed" in out


def test_bad_region_file_is_the_only_result(tmp_path):
    region = tmp_path / "region.yaml"
    region.write_text("name: nur ein Name\n", encoding="utf-8")
    [result] = check_data(default_dir(), region)
    assert result.name == "region" and "members" in result.problem


def test_a_lead_of_another_region_is_reported(tmp_path):
    """A lead project led by a municipality outside the region is named with file, row and column."""
    import csv

    from regiopole.example import generate

    region = Path(__file__).parent / "fixtures" / "regions" / "musterregion.yaml"
    generate(tmp_path, region=region)
    path = tmp_path / "leitprojekte_candidates.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["lead"] = "Lippstadt"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    results = {r.name: r.problem for r in check_data(tmp_path, region)}
    problem = results["lead projects: candidates, criteria, poll votes"]
    assert problem and "row 2, column 'lead'" in problem and "'Lippstadt' names no member" in problem
    assert sum(r is not None for r in results.values()) == 1
