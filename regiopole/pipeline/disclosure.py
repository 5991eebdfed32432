"""The disclosure audit of a run: every published table together, after all notebooks.

A run whose tables let a reader recompute a suppressed count is not published; the problems
name table, row and column (see :mod:`regiopole.privacy.audit` for the rule).
"""

from __future__ import annotations

from pathlib import Path

from regiopole.privacy.audit import AuditError, audit_outputs


def disclosure_problems(output_dir: Path) -> list[str]:
    """One line per unprotected cell; empty when every suppressed cell is protected."""
    try:
        findings = audit_outputs(output_dir)
    except AuditError as error:
        return [f"disclosure audit: {error}"]
    return [f"disclosure audit: {f.text()}; the outputs were not published, fix the suppression" for f in findings]
