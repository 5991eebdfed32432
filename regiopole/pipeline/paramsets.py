"""Parameter sets: one notebook run once per entity (per member of the region), each its own report.

A notebook declared in ``notebooks/pipeline.yaml`` with ``for_each`` is not run once but
once per parameter set::

    07_dossier:
      title: "Kommunaldossier {name}"
      for_each:
        ags: region_members      # or a list of values: ["05774032", "05774004"]

``region_members`` are the members of the region file in the ``region`` parameter, and
its optional members too when the notebook's ``include_optional`` is true. Each run is a
notebook of its own to the pipeline, named ``<notebook>-<value>`` (``07_dossier-05774032``):
its own executed notebook, HTML page, manifest record and incremental decision. Patterns
may use the parameter and the labels of the set (``{ags}``, ``{name}``, ``{kreis}``,
``{oberzentrum}``), so a read like ``{data_dir}/notes_{ags}.txt`` belongs to one run only.

A read may also be limited to some rows and/or columns of a CSV table::

    - file: "{output_dir}/tables/inventory_gaps.csv"
      rows: {ags: ["{ags}", "{oberzentrum}"]}
    - file: "{output_dir}/tables/leitprojekte_kandidaten.csv"
      columns: [ID, Leitprojekt]

Only those cells are hashed, so a change in another municipality's rows (or in a column
the run does not read) reruns only the runs that read it.

The region file is read with ``yaml`` and the municipalities table with ``csv``: deciding
what to run must stay fast, without pandas.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import yaml

from regiopole.pipeline.files import file_version, load_yaml

#: Separates a path from its selection in a resolved read (``<path>#{"rows": {"ags": [...]}}``).
ROWS_MARK = "#"
REGION_MEMBERS = "region_members"


class ParameterSetError(Exception):
    """A ``for_each`` declaration or the region file it reads cannot be used."""


def region_members(region_file: Path, include_optional: bool = False) -> list[dict[str, str]]:
    """``ags``, ``name``, ``kreis`` and ``oberzentrum`` of every member of a region file (file order)."""
    try:
        spec = load_yaml(region_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterSetError(f"{region_file}: cannot read the region file ({exc}); check the region parameter") from None
    if not isinstance(spec, dict) or "members" not in spec or "municipalities_file" not in spec:
        raise ParameterSetError(f"{region_file}: a region file needs 'members' and 'municipalities_file'")
    table = region_file.parent / str(spec["municipalities_file"])
    try:
        with table.open(encoding="utf-8-sig", newline="") as handle:
            rows = {row["ags"]: row for row in csv.DictReader(handle)}
    except (OSError, KeyError) as exc:
        raise ParameterSetError(f"{table}: cannot read the municipalities (need columns ags, name, kreis): {exc}") from None
    oberzentrum = str(spec.get("oberzentrum", ""))
    members = []
    for ags in map(str, spec["members"] or []):
        if ags not in rows:
            raise ParameterSetError(f"{region_file}: member {ags} is not a row of {table}")
        members.append({"ags": ags, "name": rows[ags].get("name", ags), "kreis": rows[ags].get("kreis", ""),
                        "oberzentrum": oberzentrum})
    if include_optional:
        members += [{"ags": str(m["ags"]), "name": str(m.get("name", m["ags"])), "kreis": str(m.get("kreis", "")),
                     "oberzentrum": oberzentrum} for m in spec.get("optional_members") or []]
    return members


def parameter_sets(for_each: dict[str, Any], parameters: dict[str, Any], resolve: Any,
                   where: str) -> list[dict[str, Any]]:
    """The parameter sets of a ``for_each`` declaration: one mapping of labels per run.

    Each set holds the varied parameter under its own name plus the labels of the entity
    (for a region member: ``name``, ``kreis``, ``oberzentrum``).
    """
    if not isinstance(for_each, dict) or len(for_each) != 1:
        raise ParameterSetError(f"{where}: 'for_each' must name one parameter and its values, "
                                f"e.g. 'for_each: {{ags: {REGION_MEMBERS}}}'")
    (parameter, values), = for_each.items()
    if parameter not in parameters:
        raise ParameterSetError(f"{where}: 'for_each' varies '{parameter}', which is not in the notebook's "
                                f"parameters cell ({', '.join(sorted(parameters)) or 'none'})")
    if values == REGION_MEMBERS:
        if not parameters.get("region"):
            raise ParameterSetError(f"{where}: '{REGION_MEMBERS}' needs the notebook parameter 'region'")
        members = region_members(Path(resolve(parameters["region"])), bool(parameters.get("include_optional")))
        sets = [{**m, parameter: m["ags"]} for m in members]
    elif isinstance(values, list) and values:
        sets = [{parameter: value} for value in values]
    else:
        raise ParameterSetError(f"{where}: 'for_each: {parameter}' must be '{REGION_MEMBERS}' or a non-empty list")
    keys = [str(s[parameter]) for s in sets]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ParameterSetError(f"{where}: the parameter sets repeat {parameter} = {', '.join(twice)}")
    return sets


def instance_name(notebook: str, parameter_set: dict[str, Any], parameter: str) -> str:
    """Name of one run: ``07_dossier-05774032``."""
    return f"{notebook}-{parameter_set[parameter]}"


def split_rows(read: str) -> tuple[str, dict[str, Any] | None]:
    """A resolved read as (path, filter or None); the filter has ``rows`` and/or ``columns``."""
    at = read.find(ROWS_MARK + "{")
    return (read[:at], json.loads(read[at + 1:])) if at >= 0 else (read, None)


def rows_read(path: str, rows: dict[str, list[str]] | None, columns: list[str] | None) -> str:
    """Encode a read of some rows and/or columns of a table as one string (see :func:`split_rows`)."""
    selection = {key: value for key, value in (("rows", rows), ("columns", columns)) if value}
    return f"{path}{ROWS_MARK}{json.dumps(selection, ensure_ascii=False, separators=(',', ':'), sort_keys=True)}"


def rows_hash(path: str, selection: dict[str, Any]) -> str | None:
    """SHA-256 of the chosen columns (all without ``columns``) of the header and of the rows of
    CSV ``path`` whose column holds one of the values (all rows without ``rows``), in file order;
    None when the file does not exist. A column the table lacks makes the whole file count,
    so a table that lost a key column still counts as changed."""
    if not os.path.isfile(path):
        return None
    text, header, rows = _read_csv(path, *file_version(path))
    (column, wanted), = (selection.get("rows") or {None: None}).items()
    names = [*selection.get("columns", header), *([column] if column else [])]
    if not set(names) <= set(header):
        return hashlib.sha256(text.encode()).hexdigest()
    digest = hashlib.sha256()
    keep = [header.index(name) for name in selection.get("columns", header)]
    key = header.index(column) if column else None
    wanted = set(wanted or ())
    digest.update(("\x1f".join(header[i] for i in keep) + "\n").encode())
    for row in rows:
        if key is None or (key < len(row) and row[key] in wanted):
            digest.update(("\x1f".join(row[i] if i < len(row) else "" for i in keep) + "\n").encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=32)
def _read_csv(path: str, inode: int, mtime_ns: int, size: int) -> tuple[str, list[str], list[list[str]]]:
    """Text, header and rows of a CSV file, read once per version of the file (each of the
    dossier runs selects its own rows of the same tables). An atomic rewrite is a new inode."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    header, *rows = list(csv.reader(io.StringIO(text, newline=""))) or [[]]
    return text, header, rows
