"""The disclosure audit of a run: every published table together, after all notebooks.

A run whose tables let a reader recompute a suppressed count fails (exit code 1, no site index); the problems
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
    return [f"disclosure audit: {f.text()}; the run fails and the site index is not rebuilt: do not publish these outputs, fix the suppression" for f in findings]
