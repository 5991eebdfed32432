"""The notebook declarations: which notebooks run, what each reads and writes, in which order.

``notebooks/pipeline.yaml`` names, for each notebook, a title, a one-line German
description, the files it reads and the files it writes. Paths are relative to the
project root; ``{data_dir}``, ``{output_dir}`` and the other notebook parameters are
filled in per run, and globs (``*``) are allowed. A notebook that reads a file another
notebook writes runs after it. Notebooks in ``notebooks/`` that are not declared still
run, but always (nothing tells which inputs they read). A notebook declared with
``for_each`` runs once per parameter set (:mod:`regiopole.pipeline.paramsets`).
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import graphlib
import json
import os
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from regiopole.pipeline import paramsets
from regiopole.pipeline.files import file_version, load_yaml, sha256_text

DECLARATIONS = "pipeline.yaml"


class PipelineError(Exception):
    """A problem with the notebook declarations or the command line; the message says what to fix."""


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook as the pipeline sees it."""

    name: str
    path: Path
    title: str
    description: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    declared: bool
    defaults: dict[str, Any]
    source_sha256: str
    public_data: bool = False  # metadata.regiopole.public_data: reads official data only, never labelled example data
    for_each: dict[str, Any] | None = None  # declared parameter sets (expanded by Pipeline.expand)
    family: str | None = None  # for one run of a parameter set: the notebook's name
    labels: dict[str, Any] = field(default_factory=dict)  # that run's parameter set (parameter and labels)
    fixed: dict[str, Any] = field(default_factory=dict)  # parameters the set fixes
    warm: tuple[str, ...] = ()  # ``module:function`` the fork server calls before forking its kernel

    def parameters(self, given: dict[str, Any]) -> dict[str, Any]:
        """The values this notebook runs with: its own defaults, overridden by those it accepts
        and by its parameter set."""
        return {**self.defaults, **{k: v for k, v in given.items() if k in self.defaults}, **self.fixed}


@dataclass
class Pipeline:
    """All notebooks of a project, with the parameters every notebook gets by default."""

    root: Path
    notebooks: dict[str, NotebookSpec]
    defaults: dict[str, Any]
    common_reads: tuple[str, ...] = ()
    missing: list[str] = field(default_factory=list)
    preload: tuple[str, ...] = ()
    preload_later: tuple[str, ...] = ()
    warm: tuple[str, ...] = ()  # called before forking any kernel (see ``warm_calls``)

    def warm_calls(self, spec: NotebookSpec, given: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """What the fork server loads before it forks ``spec``'s kernel: each ``module:function``
        of ``warm`` (every notebook) and of the notebook's own ``warm``, with the notebook's
        parameters (the server passes those the function takes)."""
        parameters = spec.parameters(given)
        return [(call, parameters) for call in (*self.warm, *spec.warm)]

    def given(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Parameters for this run: the declared defaults with the command line's overrides."""
        return {**self.defaults, **overrides}

    def check_overrides(self, overrides: dict[str, Any]) -> None:
        """Refuse parameters that no notebook has (most likely a typo)."""
        known = set(self.defaults).union(*(spec.defaults for spec in self.notebooks.values()))
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise PipelineError(f"unknown parameter(s) {', '.join(unknown)}; the notebooks accept: {', '.join(sorted(known))}")

    def reads(self, spec: NotebookSpec, given: dict[str, Any]) -> list[str]:
        """Absolute read patterns of ``spec`` for a run with parameters ``given``, with the files
        its region file points to (a region's own municipalities table reruns what uses it)."""
        return [*self.resolve(spec, (*self.common_reads, *spec.reads), given), *self.region_files(spec, given)]

    def region_files(self, spec: NotebookSpec, given: dict[str, Any]) -> list[str]:
        """The ``municipalities_file`` named by the notebook's ``region`` file (none if unreadable:
        the notebook itself then reports the bad region file)."""
        region = {**given, **spec.parameters(given)}.get("region")
        if not region:
            return []
        path = Path(self.resolve_one(region))
        table = _municipalities_file(path, *_version(path))
        return [os.path.normpath(path.parent / str(table))] if table else []

    def writes(self, spec: NotebookSpec, given: dict[str, Any]) -> list[str]:
        """Absolute write patterns of ``spec``."""
        return self.resolve(spec, spec.writes, given)

    def resolve(self, spec: NotebookSpec, patterns: tuple[Any, ...], given: dict[str, Any]) -> list[str]:
        values = {**given, **spec.labels, **spec.parameters(given)}
        out = []
        for pattern in patterns:
            if isinstance(pattern, dict):  # some rows/columns of a table: {file, rows: {column: values}, columns}
                rows = {}
                for column, wanted in (pattern.get("rows") or {}).items():
                    rows[str(column)] = [self.fill(spec, str(v), values) for v in (wanted if isinstance(wanted, list) else [wanted])]
                path = self.fill(spec, pattern["file"], values)
                if path is not None and not any(None in v for v in rows.values()):
                    out.append(paramsets.rows_read(self.resolve_one(path), rows, [str(c) for c in pattern.get("columns") or []]))
                continue
            text = self.fill(spec, pattern, values)
            if text is not None:
                out.append(self.resolve_one(text))
        return out

    def fill(self, spec: NotebookSpec, pattern: str, values: dict[str, Any]) -> str | None:
        """``pattern`` with the parameters filled in; None when one of them is None (an optional
        file parameter left unset: nothing to read or write)."""
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
        if any(values.get(name, "") is None for name in fields):
            return None
        try:
            return pattern.format_map(values)
        except (KeyError, ValueError) as exc:
            raise PipelineError(f"{DECLARATIONS}, notebook '{spec.name}': cannot fill in '{pattern}' "
                                f"({exc}); known parameters: {', '.join(sorted(values))}") from None

    def resolve_one(self, value: object) -> str:
        """A path parameter or pattern as an absolute, normalised path (relative ones from the root)."""
        path = Path(str(value)).expanduser()
        return os.path.normpath(path if path.is_absolute() else self.root / path)

    def dependencies(self, given: dict[str, Any]) -> dict[str, set[str]]:
        """For each notebook, the notebooks that write a file it reads."""
        writes = {name: self.writes(spec, given) for name, spec in self.notebooks.items()}
        deps: dict[str, set[str]] = {}
        for name, spec in self.notebooks.items():
            reads = [paramsets.split_rows(read)[0] for read in self.resolve(spec, spec.reads, given)]
            deps[name] = {other for other, patterns in writes.items()
                          if other != name and any(_overlap(r, w) for r in reads for w in patterns)}
        return deps

    def overlapping_writes(self, given: dict[str, Any]) -> list[tuple[str, str, str, str]]:
        """Pairs of notebooks whose write patterns can match the same file (must not happen:
        a file's writer would be ambiguous)."""
        writes = [(name, self.writes(spec, given)) for name, spec in self.notebooks.items()]
        return [(a, pa, b, pb) for i, (a, wa) in enumerate(writes) for b, wb in writes[i + 1:]
                for pa in wa for pb in wb if _overlap(pa, pb)]

    def order(self, given: dict[str, Any]) -> list[str]:
        """All notebooks in an order that runs every producer before its readers."""
        ts = sorter(self.dependencies(given))
        order = []
        while ts.is_active():
            ready = sorted(ts.get_ready())
            order += ready
            ts.done(*ready)
        return order

    def select(self, requested: list[str], given: dict[str, Any]) -> list[str]:
        """The requested notebooks plus everything they depend on (all if none requested)."""
        if not requested:
            return sorted(self.notebooks)
        deps = self.dependencies(given)
        chosen: set[str] = set()
        stack = [found for name in requested for found in self.find_all(name)]
        while stack:
            name = stack.pop()
            if name not in chosen:
                chosen.add(name)
                stack.extend(deps[name])
        return sorted(chosen)

    def expand(self, given: dict[str, Any]) -> Pipeline:
        """This pipeline with every ``for_each`` notebook replaced by one notebook per parameter set."""
        specs: dict[str, NotebookSpec] = {}
        for name, spec in self.notebooks.items():
            if not spec.for_each:
                specs[name] = spec
                continue
            try:
                sets = paramsets.parameter_sets(spec.for_each, spec.parameters(given), self.resolve_one,
                                                f"{DECLARATIONS}, notebook '{name}'")
            except paramsets.ParameterSetError as exc:
                raise PipelineError(str(exc)) from None
            (parameter, _), = spec.for_each.items()
            for labels in sets:
                instance = paramsets.instance_name(name, labels, parameter)
                specs[instance] = replace(spec, name=instance, for_each=None, family=name, labels=labels,
                                          fixed={parameter: labels[parameter]},
                                          title=self.fill(spec, spec.title, {**given, **labels}) or spec.title,
                                          description=self.fill(spec, spec.description, {**given, **labels}) or "")
        return replace(self, notebooks=dict(sorted(specs.items())))

    def find_all(self, text: str) -> list[str]:
        """The notebooks meant by ``text``: as :meth:`find`, and every run of a notebook with
        parameter sets (``07_dossier``, or a prefix only its runs share)."""
        key = Path(text).name.removesuffix(".ipynb")
        if key in self.notebooks:
            return [key]
        matches = sorted(name for name in self.notebooks if name.startswith(key))
        families = {self.notebooks[name].family for name in matches}
        if matches and len(families) == 1 and None not in families:
            return matches
        return [self.find(text)]

    def find(self, text: str) -> str:
        """The notebook meant by ``text``: a name, a unique prefix (``05``) or a path."""
        key = Path(text).name.removesuffix(".ipynb")
        if key in self.notebooks:
            return key
        matches = [name for name in self.notebooks if name.startswith(key)]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(sorted(self.notebooks)) or "none"
        raise PipelineError(f"no single notebook matches '{text}' "
                            f"({'ambiguous: ' + ', '.join(matches) if matches else 'not found'}); notebooks: {known}")


def sorter(deps: dict[str, set[str]]) -> graphlib.TopologicalSorter:
    """A prepared topological sorter; a cycle becomes a PipelineError naming it."""
    ts = graphlib.TopologicalSorter(deps)
    try:
        ts.prepare()
    except graphlib.CycleError as exc:
        raise PipelineError(f"{DECLARATIONS}: the notebooks read each other's outputs in a cycle: "
                            f"{' -> '.join(exc.args[1])}; fix their 'reads'/'writes'") from None
    return ts


def _overlap(read: str, write: str) -> bool:
    if read == write:
        return True
    if not (_is_pattern(read) or _is_pattern(write)):  # two plain paths (most pairs): no fnmatch needed
        return False
    return fnmatch.fnmatchcase(read, write) or fnmatch.fnmatchcase(write, read)


@functools.lru_cache(maxsize=4096)
def _is_pattern(path: str) -> bool:
    return any(char in path for char in "*?[")


def load_pipeline(root: Path, notebooks_dir: Path | None = None) -> Pipeline:
    """Read ``notebooks/pipeline.yaml`` and the notebooks it names (plus undeclared ones)."""
    folder = notebooks_dir or root / "notebooks"
    decl_file = folder / DECLARATIONS
    if not decl_file.is_file():
        raise PipelineError(f"{decl_file} not found; it declares the notebooks to run (see CONTRIBUTING.md)")
    try:
        decl = load_yaml(decl_file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise PipelineError(f"{decl_file}: not valid YAML: {exc}") from None
    entries = decl.get("notebooks") or {}
    if not isinstance(entries, dict):
        raise PipelineError(f"{decl_file}: 'notebooks' must map notebook names to their declarations")
    specs, missing = {}, []
    for name, entry in entries.items():
        path = folder / f"{name}.ipynb"
        if path.is_file():
            specs[name] = _spec(name, path, entry or {}, declared=True, decl_file=decl_file)
        else:
            missing.append(name)
    for path in sorted(folder.glob("*.ipynb")):
        if path.stem not in specs:
            specs[path.stem] = _spec(path.stem, path, {}, declared=False, decl_file=decl_file)
    return Pipeline(root=root, notebooks=dict(sorted(specs.items())), defaults=dict(decl.get("parameters") or {}),
                    common_reads=tuple(decl.get("reads_everywhere") or ()), missing=missing,
                    preload=tuple(decl.get("preload") or ()), preload_later=tuple(decl.get("preload_later") or ()),
                    warm=_warm_calls(decl.get("warm"), decl_file, "warm"))


def _spec(name: str, path: Path, entry: dict[str, Any], declared: bool, decl_file: Path) -> NotebookSpec:
    unknown = set(entry) - {"title", "description", "reads", "writes", "for_each", "warm"}
    if unknown:
        raise PipelineError(f"{decl_file}, notebook '{name}': unknown key(s) {sorted(unknown)}; "
                            "allowed: title, description, reads, writes, for_each, warm")
    for read in entry.get("reads") or ():
        if isinstance(read, dict) and not ("file" in read and set(read) <= {"file", "rows", "columns"} and len(read) > 1
                                           and (isinstance(read.get("rows"), dict) and len(read["rows"]) == 1 or "rows" not in read)
                                           and (isinstance(read.get("columns"), list) or "columns" not in read)):
            raise PipelineError(f"{decl_file}, notebook '{name}': a read of part of a table needs 'file' and 'rows' "
                                "(one column) and/or 'columns', e.g. {file: \"{output_dir}/tables/x.csv\", "
                                "rows: {ags: \"{ags}\"}, columns: [ags, name]}")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PipelineError(f"{path}: not a readable notebook ({exc})") from None
    meta = (nb.get("metadata") or {}).get("regiopole") or {}
    return NotebookSpec(
        name=name, path=path,
        title=str(entry.get("title") or meta.get("title") or _first_heading(nb) or name),
        description=str(entry.get("description") or meta.get("description") or ""),
        reads=tuple(entry.get("reads") or ()), writes=tuple(entry.get("writes") or ()),
        declared=declared, defaults=notebook_parameters(nb), source_sha256=source_hash(nb),
        public_data=bool(meta.get("public_data", False)),
        for_each=entry.get("for_each"),
        warm=_warm_calls(entry.get("warm"), decl_file, f"notebook '{name}', warm"),
    )


def _warm_calls(value: Any, decl_file: Path, where: str) -> tuple[str, ...]:
    calls = [value] if isinstance(value, str) else list(value or [])
    bad = [c for c in calls if not isinstance(c, str) or not re.fullmatch(r"[\w.]+:\w+", c)]
    if bad:
        raise PipelineError(f"{decl_file}, {where}: expected 'module:function' entries "
                            f"(e.g. regiopole.dossier:warm), got {bad}")
    return tuple(calls)


def _cell_source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def source_hash(nb: dict[str, Any]) -> str:
    """Hash of what a notebook computes: cell types, sources and tags, and the kernel.

    Outputs, execution counts and editor metadata are left out, so saving a notebook in
    JupyterLab after running it does not count as a change.
    """
    cells = [[c.get("cell_type"), _cell_source(c), sorted((c.get("metadata") or {}).get("tags") or [])]
             for c in nb.get("cells", [])]
    kernel = ((nb.get("metadata") or {}).get("kernelspec") or {}).get("name")
    return sha256_text(json.dumps([kernel, cells], ensure_ascii=False, sort_keys=True))


def notebook_parameters(nb: dict[str, Any]) -> dict[str, Any]:
    """Names and default values assigned in the cell tagged ``parameters``."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in ((cell.get("metadata") or {}).get("tags") or []):
            try:
                tree = ast.parse(_cell_source(cell))
            except SyntaxError:
                return {}
            return dict(_assignments(tree))
    return {}


def _assignments(tree: ast.Module):
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and node.value is not None:
                try:
                    yield target.id, ast.literal_eval(node.value)
                except ValueError:
                    yield target.id, ast.unparse(node.value)


def _first_heading(nb: dict[str, Any]) -> str | None:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in _cell_source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def _version(path: Path) -> tuple[int, int, int]:
    try:
        return file_version(path)
    except OSError:
        return (0, 0, 0)


@functools.lru_cache(maxsize=64)
def _municipalities_file(path: Path, inode: int, mtime_ns: int, size: int) -> str | None:
    """The region file's ``municipalities_file``, parsed once per version of the file (every dossier run asks)."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    return data.get("municipalities_file") if isinstance(data, dict) else None
