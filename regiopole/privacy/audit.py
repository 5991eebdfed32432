"""Disclosure audit: what a reader can recompute from all published tables of a run together.

Each table builder declares its table's structure in ``table.attrs["audit"]`` (a
:class:`Structure` as a dict): the unknown counts behind it with their a-priori bounds,
which published cell stands for which sum of them (and how it is written: a count, or
"x von n (p %)", or a balance in percentage points over n), and public facts such as "each
rank column sums to at most the number of respondents". ``Report.save_table`` writes it
beside the table as ``audit/<name>.json``; the side-car holds no value, only structure.

:func:`audit` reads the published values back from the tables (as a reader would), adds
every published value as an equation, and computes by integer linear programming
(:func:`scipy.optimize.milp`) the smallest and largest value of every suppressed cell that
is consistent with all tables together (the audit of tau-ARGUS).

**Protection rule.** A suppressed cell is protected when its feasible range either starts
at ``min_cell_size`` or above (then it is no small count, whatever it is), or is exactly 0
(a zero may be published), or includes both 0 and ``min_cell_size``. A range such as
[1, 5] (the reader learns "at least one") or [2, 2] is a finding.

**Individual answers.** Where the tables name who took part (the poll's participation per
municipality, kind ``yes_no``), a structure also declares each participant's own answer as a
*secret* (``Structure.secret``): a 0/1 unknown such as "municipality A approved project P".
A secret is protected when the published tables leave both values open, or when the
participant is known not to have taken part (then there is no answer to protect). "Every
participant approved" or "nobody did" pins every secret: a finding.

**Lists.** ``Structure.rows`` declares that a table lists one row per unit of a count (for
example one row per uncoded card): the audit adds "that count = number of rows".

Tables without a side-car must be listed in :mod:`regiopole.privacy.public` (public data, or
derived figures that hold no count); :func:`check_outputs` fails for any other table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from regiopole.privacy.cells import DEFAULT_MIN_CELL_SIZE, SUPPRESSED

COUNT, COUNT_OF_N, SALDO, YES_NO = "count", "count_of_n", "saldo", "yes_no"
YES_NO_VALUES = {"ja": 1.0, "nein": 0.0}
COUNT_OF_N_TEXT = re.compile(r"^\s*(\d+) von (\d+)")
NUMBER = re.compile(r"^\s*([-−]?\d+(?:[,.]\d+)?)")  # published text writes the typographic minus and a comma; CSV shares a point
SIDE_CAR_DIR = "audit"


@dataclass
class Structure:
    """A published table with its equations (what :func:`audit` needs to know about it)."""

    bounds: dict[str, tuple[int, int]] = field(default_factory=dict)   # unknown count -> (min, max) a priori
    cells: list[dict] = field(default_factory=list)                    # row, column, kind, expr (and n)
    facts: list[dict] = field(default_factory=list)                    # expr, lo, hi: public facts
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE
    secrets: list[dict] = field(default_factory=list)                  # name, expr, given: individual answers
    row_count: dict[str, float] | None = None                          # expr that equals the number of rows

    def variable(self, name: str, upper: int) -> str:
        self.bounds[name] = (0, int(upper))
        return name

    def cell(self, row: int, column: str, kind: str, expr: dict[str, float], n: dict[str, float] | None = None,
             decimals: int = 0, hidden_low: int = 0) -> None:
        """A published cell; ``hidden_low``: what a reader knows of it when it is ``"."`` (1 where zeros are printed)."""
        self.cells.append({"row": int(row), "column": column, "kind": kind, "expr": expr, "n": n, "decimals": decimals,
                           **({"hidden_low": int(hidden_low)} if hidden_low else {})})

    def fact(self, expr: dict[str, float], lo: float, hi: float) -> None:
        self.facts.append({"expr": expr, "lo": float(lo), "hi": float(hi)})

    def secret(self, name: str, expr: dict[str, float], given: dict[str, float]) -> None:
        """An individual answer (0/1) that the tables must leave open wherever ``given`` (took part) can be 1."""
        self.secrets.append({"name": name, "expr": expr, "given": given})

    def rows(self, expr: dict[str, float]) -> None:
        """The table lists one row per unit of ``expr`` (its number of rows is published with it)."""
        self.row_count = expr

    def to_dict(self) -> dict:
        out = {"bounds": self.bounds, "cells": self.cells, "facts": self.facts, "min_cell_size": self.min_cell_size}
        if self.secrets:
            out["secrets"] = self.secrets
        if self.row_count is not None:
            out["rows"] = self.row_count
        return out

    def attach(self, table: pd.DataFrame) -> pd.DataFrame:
        """``table`` with this structure in ``attrs["audit"]`` (written beside it by ``Report.save_table``)."""
        table.attrs["audit"] = self.to_dict()
        return table


@dataclass(frozen=True)
class Finding:
    """A suppressed cell whose feasible range is not protected."""

    table: str
    row: int
    column: str
    low: int
    high: int

    def text(self) -> str:
        value = f"exactly {self.low}" if self.low == self.high else f"between {self.low} and {self.high}"
        if self.row < 0:
            return f"{self.table}: the individual answer {self.column!r} is recoverable as {value}"
        return f"{self.table}: row {self.row + 1}, column {self.column!r} is recoverable as {value}"


class AuditError(ValueError):
    """Published tables together reveal a suppressed count."""


def _parse(text: str, cell: dict) -> list[tuple[dict, float, float]] | None:
    """The equations one published cell adds; ``None`` for a suppressed cell."""
    text = str(text).strip()
    if text in (SUPPRESSED, "", "nan", "None", "<NA>"):
        return None
    if cell["kind"] == COUNT:
        value = float(text)
        return [(cell["expr"], value, value)]
    if cell["kind"] == YES_NO:
        if text not in YES_NO_VALUES:
            raise ValueError(f"expected 'ja' or 'nein', got {text!r} in column {cell['column']!r}")
        return [(cell["expr"], YES_NO_VALUES[text], YES_NO_VALUES[text])]
    if cell["kind"] == COUNT_OF_N:
        match = COUNT_OF_N_TEXT.match(text)
        if match is None:
            raise ValueError(f"expected 'x von n', got {text!r} in column {cell['column']!r}")
        count, n = map(float, match.groups())
        return [(cell["expr"], count, count), (cell["n"], n, n)]
    if cell["kind"] == SALDO:  # 100 * expr / n rounded: |100 * expr - s * n| <= half * n
        match = NUMBER.match(text)
        if match is None:
            raise ValueError(f"expected a number of percentage points, got {text!r}")
        value, half = float(match.group(1).replace(",", ".").replace("−", "-")), 0.5 * 10 ** -cell["decimals"]
        lower = {k: 100 * v for k, v in cell["expr"].items()}
        for k, v in cell["n"].items():
            lower[k] = lower.get(k, 0) - (value + half) * v
        upper = {k: 100 * v for k, v in cell["expr"].items()}
        for k, v in cell["n"].items():
            upper[k] = upper.get(k, 0) - (value - half) * v
        return [(lower, -np.inf, 0.0), (upper, 0.0, np.inf)]
    raise ValueError(f"unknown kind of published cell {cell['kind']!r}")


@dataclass
class System:
    """All published tables as one system of linear constraints over the unknown counts."""

    bounds: dict[str, tuple[int, int]] = field(default_factory=dict)
    rows: list[tuple[dict, float, float]] = field(default_factory=list)
    hidden: list[tuple[str, int, str, dict, int]] = field(default_factory=list)  # table, row, column, expr, min cell size
    secrets: list[tuple[str, str, dict, dict]] = field(default_factory=list)     # table, name, expr, given

    def add(self, name: str, table: pd.DataFrame, structure: dict | Structure) -> None:
        if isinstance(structure, Structure):
            structure = structure.to_dict()
        for var, (lo, hi) in structure["bounds"].items():
            old = self.bounds.get(var, (lo, hi))
            self.bounds[var] = (max(lo, old[0]), min(hi, old[1]))
        self.rows += [(f["expr"], f["lo"], f["hi"]) for f in structure["facts"]]
        self.secrets += [(name, s["name"], s["expr"], s["given"]) for s in structure.get("secrets", [])]
        if structure.get("rows") is not None:
            self.rows.append((structure["rows"], float(len(table)), float(len(table))))
        for cell in structure["cells"]:
            if cell["column"] not in table.columns or cell["row"] >= len(table):
                raise AuditError(f"{name}: the declared structure names row {cell['row'] + 1}, column {cell['column']!r}, "
                                 "which the table does not have; rerun the report that writes it")
            equations = _parse(table.iloc[cell["row"]][cell["column"]], cell)
            if equations is None and cell["kind"] != SALDO:  # a withheld balance is no count
                self.hidden.append((name, cell["row"], cell["column"], cell["expr"],
                                    int(structure.get("min_cell_size", DEFAULT_MIN_CELL_SIZE))))
                if cell.get("hidden_low"):  # the suppression rule prints zeros: a "." is at least 1
                    self.rows.append((cell["expr"], float(cell["hidden_low"]), np.inf))
            elif equations is not None:
                self.rows += equations

    def components(self) -> dict[str, int]:
        """Variable -> id of its connected component (variables linked through any equation)."""
        parent = {v: v for v in self.bounds}

        def root(v: str) -> str:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for expr in [r[0] for r in self.rows] + [h[3] for h in self.hidden] + [{**s[2], **s[3]} for s in self.secrets]:
            first, *rest = expr
            for other in rest:
                parent[root(other)] = root(first)
        return {v: root(v) for v in self.bounds}

    def ranges(self) -> list[tuple[str, int, str, int, int, int]]:
        """(table, row, column, min, max, min cell size) of every suppressed cell, one small program per component."""
        component = self.components()
        out = []
        for key in dict.fromkeys(component[next(iter(h[3]))] for h in self.hidden):
            members = {v for v, c in component.items() if c == key}
            part = System({v: self.bounds[v] for v in members},
                          [r for r in self.rows if next(iter(r[0])) in members],
                          [h for h in self.hidden if next(iter(h[3])) in members])
            out += part.solve()
        order = {(h[0], h[1], h[2]): i for i, h in enumerate(self.hidden)}
        return sorted(out, key=lambda r: order[r[:3]])

    def _program(self) -> tuple[list[str], dict[str, int], np.ndarray, np.ndarray, list]:
        """The unknowns (sorted), their column, their bounds and the published equations as constraints."""
        names = sorted(self.bounds)
        index = {v: i for i, v in enumerate(names)}
        lower = np.array([self.bounds[v][0] for v in names], dtype=float)
        upper = np.array([self.bounds[v][1] for v in names], dtype=float)
        matrix = np.zeros((len(self.rows), len(names)))
        for r, (expr, _, _) in enumerate(self.rows):
            for var, coefficient in expr.items():
                matrix[r, index[var]] += coefficient
        constraints = [LinearConstraint(matrix, [lo for _, lo, _ in self.rows], [hi for _, _, hi in self.rows])] if self.rows else []
        return names, index, lower, upper, constraints

    def solve(self) -> list[tuple[str, int, str, int, int, int]]:
        names, index, lower, upper, constraints = self._program()
        out = []
        for table, row, column, expr, min_cell_size in self.hidden:
            objective = np.zeros(len(names))
            for var, coefficient in expr.items():
                objective[index[var]] += coefficient
            found = []
            for sign in (1, -1):
                if sign == -1 and found[0] >= min_cell_size:
                    found.append(found[0])  # protected whatever its maximum; saves a program
                    break
                result = milp(sign * objective, constraints=constraints, integrality=np.ones(len(names)),
                              bounds=Bounds(lower, upper))
                if result.status != 0:
                    raise AuditError(f"{table}: the published tables are inconsistent ({result.message}); "
                                     "a declared structure does not match its table")
                found.append(int(round(sign * result.fun)))
            out.append((table, row, column, found[0], found[1], min_cell_size))
        return out

    def revealed_secrets(self) -> list[tuple[str, str, int]]:
        """(table, name, value) of every individual answer the tables pin down (see the module docstring)."""
        if not self.secrets:
            return []
        component = self.components()
        keys = {component[v] for s in self.secrets for v in (*s[2], *s[3])}
        if len(component) > len({v for v, c in component.items() if c in keys}):
            members = {v for v, c in component.items() if c in keys}
            part = System({v: self.bounds[v] for v in members}, [r for r in self.rows if next(iter(r[0])) in members],
                          [], self.secrets)
            return part.revealed_secrets()
        names, index, lower, upper, constraints = self._program()

        def vector(expr: dict) -> np.ndarray:
            out = np.zeros(len(names))
            for var, coefficient in expr.items():
                out[index[var]] += coefficient
            return out

        pool: list[np.ndarray] = []

        def solve(objective: np.ndarray) -> np.ndarray:
            result = milp(objective, constraints=constraints, integrality=np.ones(len(names)), bounds=Bounds(lower, upper))
            if result.status != 0:
                raise AuditError(f"the published tables are inconsistent ({result.message}); a declared structure does not match its table")
            pool.append(np.round(result.x))
            return pool[-1]

        # a few solutions first: a secret that differs between two of them is open without a program of its own
        everything = sum((vector(e) for _, _, e, _ in self.secrets), np.zeros(len(names)))
        generator = np.random.default_rng(0)
        for objective in (everything, -everything, *(generator.choice([-1.0, 1.0], len(names)) * everything for _ in range(4))):
            solve(objective)
        out, absent = [], {}
        for table, name, expr, given in self.secrets:
            key = tuple(sorted(given.items()))
            if key not in absent:
                g = vector(given)
                absent[key] = max(x @ g for x in pool) <= 0 and solve(-g) @ g <= 0
            if absent[key]:
                continue  # known not to have taken part: no answer to protect
            e = vector(expr)
            values = {int(round(x @ e)) for x in pool}
            if len(values) == 1:
                (only,) = values
                values.add(int(round(solve(e if only > 0 else -e) @ e)))
            if len(values) == 1:
                out.append((table, name, values.pop()))
        return out


def protected(low: int, high: int, min_cell_size: int) -> bool:
    """The protection rule of the module docstring."""
    return low >= min_cell_size or high <= 0 or (low <= 0 and high >= min_cell_size)


def system_of(tables: dict[str, tuple[pd.DataFrame, dict]]) -> System:
    """One system over ``{name: (published table, structure)}``."""
    system = System()
    for name, (table, structure) in tables.items():
        system.add(name, table, structure)
    return system


def audit(tables: dict[str, tuple[pd.DataFrame, dict]]) -> list[Finding]:
    """Findings over ``{name: (published table, structure)}``, all tables together (each with its minimum cell size).

    A revealed individual answer is a finding with row -1 and the secret's name as column.
    """
    system = system_of(tables)
    findings = [Finding(t, r, c, lo, hi) for t, r, c, lo, hi, m in system.ranges() if not protected(lo, hi, m)]
    return findings + [Finding(t, -1, name, value, value) for t, name, value in system.revealed_secrets()]


def audit_table(table: pd.DataFrame) -> list[Finding]:
    """Findings of one table built with its structure in ``attrs``."""
    return audit({"table": (table, table.attrs["audit"])}) if "audit" in table.attrs else []


def write_structure(table: pd.DataFrame, folder: Path, name: str) -> Path | None:
    """Write the side-car ``<folder>/<name>.json`` of a table that declares its structure."""
    if "audit" not in table.attrs:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(table.attrs["audit"], ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return path


def audit_outputs(output_dir: str | Path) -> list[Finding]:
    """Audit every table of ``<output_dir>/tables`` that has a side-car in ``<output_dir>/audit``."""
    output_dir = Path(output_dir)
    tables = {}
    for side_car in sorted((output_dir / SIDE_CAR_DIR).glob("*.json")):
        csv = output_dir / "tables" / f"{side_car.stem}.csv"
        if not csv.is_file():
            raise AuditError(f"{side_car}: no published table {csv.name} beside it; rerun the report that writes it")
        tables[side_car.stem] = (pd.read_csv(csv, dtype=str, keep_default_na=False),
                                 json.loads(side_car.read_text(encoding="utf-8")))
    return audit(tables)


def unaccounted_tables(output_dir: str | Path) -> list[str]:
    """Published tables of ``<output_dir>/tables`` with no side-car and not listed in :mod:`regiopole.privacy.public`."""
    from regiopole.privacy.public import declared_public

    output_dir = Path(output_dir)
    audited = {p.stem for p in (output_dir / SIDE_CAR_DIR).glob("*.json")}
    return sorted(p.stem for p in (output_dir / "tables").glob("*.csv") if p.stem not in audited and not declared_public(p.stem))


def check_outputs(output_dir: str | Path) -> int:
    """Raise :class:`AuditError` listing every finding and every table that escapes the audit; return the number audited."""
    missing = unaccounted_tables(output_dir)
    if missing:
        raise AuditError("published tables neither declare their structure to the disclosure audit nor are listed as "
                         "public in regiopole/privacy/public.py: " + ", ".join(missing)
                         + "; declare the structure where the table is built (Structure.attach), or list it with a reason")
    findings = audit_outputs(output_dir)
    if findings:
        raise AuditError("published tables reveal suppressed counts (do not publish these outputs):\n"
                         + "\n".join(f"- {f.text()}" for f in findings))
    return len(list((Path(output_dir) / SIDE_CAR_DIR).glob("*.json")))


def _renamed(structure: dict | Structure, prefix: str) -> dict:
    structure = structure.to_dict() if isinstance(structure, Structure) else structure

    def rename(expr: dict | None) -> dict | None:
        return None if expr is None else {f"{prefix}{k}": v for k, v in expr.items()}

    return {"bounds": {f"{prefix}{k}": v for k, v in structure["bounds"].items()},
            "cells": [{**c, "expr": rename(c["expr"]), "n": rename(c.get("n"))} for c in structure["cells"]],
            "facts": [{**f, "expr": rename(f["expr"])} for f in structure["facts"]],
            "min_cell_size": structure.get("min_cell_size", DEFAULT_MIN_CELL_SIZE)}


def audit_two_publications(first: dict[str, tuple[pd.DataFrame, dict]], second: dict[str, tuple[pd.DataFrame, dict]],
                           added: int) -> list[Finding]:
    """What two publications of a growing response set reveal about the ``added`` responses.

    Every count of the second publication is the count of the first plus that of the added
    responses (0 .. ``added``). A finding is a count of the added responses that a reader
    knows to be at least 1 and below the minimum cell size: the added municipalities'
    answers. With fewer added responses than the minimum cell size this is the rule, not
    the exception; hence: publish survey results once, after the field period.
    """
    system = System()
    for prefix, tables in (("before:", first), ("after:", second)):
        for name, (table, structure) in tables.items():
            system.add(f"{prefix}{name}", table, _renamed(structure, prefix))
    system.hidden = []
    shared = sorted({k.removeprefix("before:") for k in system.bounds if k.startswith("before:")}
                    & {k.removeprefix("after:") for k in system.bounds if k.startswith("after:")})
    m = max(int(s.get("min_cell_size", DEFAULT_MIN_CELL_SIZE)) for _, s in [*first.values(), *second.values()])
    for var in shared:
        difference = {f"after:{var}": 1.0, f"before:{var}": -1.0}
        system.rows.append((difference, 0.0, float(added)))
        system.hidden.append(("added responses", 0, var, difference, m))
    return [Finding(t, r, c, lo, hi) for t, r, c, lo, hi, m in system.ranges() if 0 < lo < m]
