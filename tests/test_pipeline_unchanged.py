"""What a run does when nothing changed: no audit solved again, no jupyter_client imported for the kernel name."""

from __future__ import annotations

import json
from pathlib import Path

from regiopole.pipeline import disclosure
from regiopole.pipeline.manifest import kernel_name


def write_table(out: Path, name: str, text: str, structure: dict) -> None:
    (out / "tables").mkdir(parents=True, exist_ok=True)
    (out / "audit").mkdir(parents=True, exist_ok=True)
    (out / "tables" / f"{name}.csv").write_text(text, encoding="utf-8")
    (out / "audit" / f"{name}.json").write_text(json.dumps(structure), encoding="utf-8")


def test_the_audit_result_is_reused_only_while_no_audited_table_changes(tmp_path, monkeypatch) -> None:
    from regiopole.privacy import audit

    structure = {"bounds": {"a": [0, 10], "b": [0, 10]}, "min_cell_size": 3, "facts": [],
                 "cells": [{"row": 0, "column": "A", "kind": "count", "expr": {"a": 1}, "n": None, "decimals": 0},
                           {"row": 0, "column": "Summe", "kind": "count", "expr": {"a": 1, "b": 1}, "n": None,
                            "decimals": 0}]}
    write_table(tmp_path, "t", "A,Summe\n5,7\n", structure)
    calls = []
    real = audit.audit_outputs
    monkeypatch.setattr(audit, "audit_outputs", lambda out: calls.append(out) or real(out))
    assert disclosure.disclosure_problems(tmp_path) == []
    assert disclosure.disclosure_problems(tmp_path) == [] and len(calls) == 1  # nothing changed: not solved again
    write_table(tmp_path, "t", "A,Summe\n.,7\n", {**structure, "bounds": {"a": [0, 10], "b": [5, 5]}})
    problems = disclosure.disclosure_problems(tmp_path)  # b is known to be 5: a = 2 follows from the sum
    assert len(calls) == 2 and len(problems) == 1 and "t: row" in problems[0]
    assert disclosure.disclosure_problems(tmp_path) == problems and len(calls) == 2  # a kept finding still fails


def test_the_side_car_folder_is_the_audits_own() -> None:
    from regiopole.privacy.audit import SIDE_CAR_DIR

    assert disclosure.SIDE_CAR_DIR == SIDE_CAR_DIR


def test_kernel_name_finds_what_jupyter_client_finds() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    assert kernel_name() == ("regiopole" if "regiopole" in KernelSpecManager().find_kernel_specs() else "python3")
