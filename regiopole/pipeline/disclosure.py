"""The disclosure audit of a run: every published table together, after all notebooks.

A run whose tables let a reader recompute a suppressed count fails (exit code 1, no site index); the problems
name table, row and column (see :mod:`regiopole.privacy.audit` for the rule). So does a run that publishes a
table the audit cannot see: one that neither declares its structure nor is listed, with a reason, in
:mod:`regiopole.privacy.public` (a new notebook's count table would otherwise be published unchecked). The result is kept in
``<output_dir>/.disclosure.json`` with a hash of every audited table, its side-car and the audit's code, so a
run in which no table changed does not solve the integer programs (nor import scipy) again.
"""

from __future__ import annotations

import json
from pathlib import Path

from regiopole.pipeline.files import sha256_file, sha256_text, write_if_changed

RESULT_FILE = ".disclosure.json"
SIDE_CAR_DIR = "audit"  # regiopole.privacy.audit.SIDE_CAR_DIR, not imported: that module loads scipy
_AUDIT_CODE = Path(__file__).resolve().parents[1] / "privacy"


def disclosure_problems(output_dir: Path) -> list[str]:
    """One line per table the audit cannot see and per unprotected cell; empty when every
    published table is audited or declared public and every suppressed cell is protected."""
    key = _tables_key(Path(output_dir))
    result_file = Path(output_dir) / RESULT_FILE
    try:
        kept = json.loads(result_file.read_text(encoding="utf-8"))
        if kept.get("key") == key:
            return list(kept["problems"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from regiopole.privacy.audit import AuditError, audit_outputs, unaccounted_tables

    unseen = [f"disclosure audit: tables/{name}.csv neither declares its structure to the audit nor is listed as public "
              "in regiopole/privacy/public.py, so nobody checked what it reveals; the run fails and the site index is "
              "not rebuilt: declare the structure where the table is built (Structure.attach, see CONTRIBUTING.md), or "
              "list it there with the reason why it holds no count" for name in unaccounted_tables(output_dir)]
    try:
        findings = audit_outputs(output_dir)
    except AuditError as error:
        return unseen + [f"disclosure audit: {error}"]  # not kept: the next run looks again
    problems = unseen + [f"disclosure audit: {f.text()}; the run fails and the site index is not rebuilt: do not "
                         "publish these outputs, fix the suppression" for f in findings]
    if Path(output_dir).is_dir():
        write_if_changed(result_file, json.dumps({"key": key, "problems": problems}, indent=1) + "\n")
    return problems


def _tables_key(output_dir: Path) -> str:
    """Hash of what the audit reads: each side-car and the table beside it, the names of all
    published tables (a new one may be unaccounted for) and the audit's own code (with the
    list of public tables)."""
    parts = [sha256_file(p) for p in sorted(_AUDIT_CODE.glob("*.py"))]
    parts.append(",".join(sorted(p.name for p in (output_dir / "tables").glob("*.csv"))))
    for side_car in sorted((output_dir / SIDE_CAR_DIR).glob("*.json")):
        table = output_dir / "tables" / f"{side_car.stem}.csv"
        parts.append(f"{side_car.name}:{sha256_file(side_car)}:{sha256_file(table) if table.is_file() else '-'}")
    return sha256_text("\n".join(parts))
