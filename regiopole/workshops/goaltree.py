"""The goal tree (Zielbaum): read a YAML file, check it, return a networkx tree.

File format (``goal_tree.yaml`` in the data folder): a YAML list of nodes, in the order
in which they should be drawn and listed::

    - id: Z0                      # unique id (text)
      title: Digitale Verwaltung in der Regiopolregion gemeinsam stärken
      type: goal                  # goal (the one overall goal), subgoal or measure
      parent: null                # id of the parent node; null only for the goal
    - id: Z1
      title: Digitale Kompetenz stärken
      type: subgoal
      parent: Z0
      horizon: mittelfristig      # optional: kurzfristig, mittelfristig or langfristig
      responsible: Stadt Paderborn, Stabsstelle Digitalisierung   # optional: who answers for it
      indicator: Anteil der Kommunen mit Schulungsangebot          # optional: target indicator
      target_date: 2023-12-31     # optional: YYYY-MM-DD, YYYY-MM or YYYY
      description: ...            # optional free text

Rules (each broken rule is reported with its line in the file): exactly one node of type
``goal`` with ``parent: null``; every other node has a parent that exists; sub-goals hang
below the goal or another sub-goal; measures below a goal or sub-goal (a measure without
a goal is an error); ids are unique; the parent links contain no cycle.

:func:`load_goal_tree` returns a :class:`networkx.DiGraph` with edges parent -> child,
the node fields as node attributes (plus ``line``) and ``graph.graph["root"]``. Every text
field (title, responsible, indicator, description) comes redacted
(:func:`regiopole.privacy.redactor`: the names list of the data folder, contact details,
addresses); organisations such as "Stadt Paderborn, Stabsstelle Digitalisierung" stay.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import networkx as nx
import yaml

from regiopole import privacy
from regiopole.data import DataValidationError, Problem
from regiopole.data.io import decode, parse_yaml
from regiopole.paths import resolve

FILE_NAME = "goal_tree.yaml"
#: Node types: code -> German label.
NODE_TYPES = {"goal": "Oberziel", "subgoal": "Teilziel", "measure": "Maßnahme"}
HORIZONS = ("kurzfristig", "mittelfristig", "langfristig")
OPTIONAL_TEXT = ("responsible", "indicator", "description")
KNOWN_KEYS = {"id", "title", "type", "parent", "horizon", "target_date", *OPTIONAL_TEXT}
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: Which node types may be the parent of which.
ALLOWED_PARENTS = {"goal": set(), "subgoal": {"goal", "subgoal"}, "measure": {"goal", "subgoal"}}


def read_nodes(path: Path) -> list[tuple[int, object]]:
    """The YAML list with the line (1-based) where each entry starts."""
    if not path.is_file():
        raise DataValidationError(path, [Problem(None, None, "goal tree file not found; check the data_dir parameter")])
    text = decode(path)[0]
    document = parse_yaml(text, path)  # refuses a key given twice, e.g. two parent: keys in one node
    try:
        composed = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise DataValidationError(path, [Problem(None, None, f"not valid YAML: {exc}")]) from None
    if not isinstance(document, list) or not document:
        raise DataValidationError(path, [Problem(None, None, "expected a YAML list of nodes (- id: ..., title: ..., type: ..., parent: ...)")])
    return [(item.start_mark.line + 1, entry) for item, entry in zip(composed.value, document, strict=True)]


def check_fields(line: int, entry: object) -> tuple[list[Problem], dict | None]:
    """Field checks of one node; returns its problems or the cleaned node."""
    if not isinstance(entry, dict):
        return [Problem(line, None, "expected a node with id, title, type and parent")], None
    problems = [Problem(line, key, f"unknown field; expected one of {', '.join(sorted(KNOWN_KEYS))}") for key in entry if key not in KNOWN_KEYS]
    node = {"line": line}
    for key in ("id", "title"):
        value = entry.get(key)
        if value is None or not str(value).strip():
            problems.append(Problem(line, key, f"value missing; every node needs an {key}" if key == "id" else "value missing; every node needs a title"))
        node[key] = str(value).strip() if value is not None else None
    node["type"] = entry.get("type")
    if node["type"] not in NODE_TYPES:
        problems.append(Problem(line, "type", f"expected goal, subgoal or measure, got {node['type']!r}"))
    node["parent"] = None if entry.get("parent") is None else str(entry["parent"]).strip()
    node["horizon"] = entry.get("horizon")
    if node["horizon"] is not None and node["horizon"] not in HORIZONS:
        problems.append(Problem(line, "horizon", f"expected kurzfristig, mittelfristig or langfristig (or no value), got {node['horizon']!r}"))
    date = entry.get("target_date")
    node["target_date"] = date.isoformat() if isinstance(date, dt.date) else (None if date is None else str(date))
    if node["target_date"] is not None and not DATE_PATTERN.match(node["target_date"]):
        problems.append(Problem(line, "target_date", f"expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got {date!r}"))
    for key in OPTIONAL_TEXT:
        node[key] = None if entry.get(key) is None else str(entry[key]).strip()
    return problems, node


def check_structure(nodes: list[dict]) -> list[Problem]:
    """Duplicate ids, unknown parents, parent types, the single root goal, cycles."""
    problems = []
    by_id: dict[str, dict] = {}
    for node in nodes:
        if node["id"] in by_id:
            problems.append(Problem(node["line"], "id", f"duplicate id {node['id']!r} (first used in line {by_id[node['id']]['line']}); ids must be unique"))
        else:
            by_id[node["id"]] = node
    roots = [n for n in nodes if n["type"] == "goal"]
    if len(roots) != 1:
        found = ", ".join(n["id"] for n in roots) or "none"
        problems.append(Problem(None, "type", f"expected exactly one node of type goal (the overall goal), found {found}"))
    for node in nodes:
        parent, kind = node["parent"], node["type"]
        if kind == "goal" and parent is not None:
            problems.append(Problem(node["line"], "parent", f"the goal {node['id']!r} is the root: set parent: null, or make it a subgoal"))
        elif kind != "goal" and parent is None:
            what = "a measure without a goal" if kind == "measure" else "a sub-goal without a goal"
            problems.append(Problem(node["line"], "parent", f"{node['id']!r} is {what}; set parent to the id of a goal or sub-goal"))
        elif parent is not None and parent not in by_id:
            problems.append(Problem(node["line"], "parent", f"unknown parent {parent!r} of {node['id']!r}; no node has this id"))
        elif parent is not None and by_id[parent]["type"] not in ALLOWED_PARENTS[kind]:
            problems.append(Problem(node["line"], "parent", f"{node['id']!r} ({kind}) cannot hang below {parent!r} "
                                    f"({by_id[parent]['type']}); expected a parent of type {' or '.join(sorted(ALLOWED_PARENTS[kind]))}"))
    links = nx.DiGraph([(n["parent"], n["id"]) for n in by_id.values() if n["parent"] in by_id])
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(links)):
        chain = " -> ".join([*cycle, cycle[0]])
        problems.append(Problem(by_id[cycle[0]]["line"], "parent", f"the parent links form a cycle ({chain}); a goal tree has no cycles"))
    return problems


TEXT_FIELDS = ("title", *OPTIONAL_TEXT)


def load_goal_tree(path: str | Path, redactor: privacy.Redactor | None = None) -> nx.DiGraph:
    """Read and check a goal tree file; one :class:`DataValidationError` lists every problem.

    ``redactor``: the redaction of the text fields (default: the names list of the file's folder).
    """
    path = resolve(path)
    redactor = redactor or privacy.redactor(path.parent)
    problems, nodes = [], []
    for line, entry in read_nodes(path):
        found, node = check_fields(line, entry)
        problems += found
        if node is not None:
            nodes.append(node)
    if not problems:
        problems = check_structure(nodes)
    if problems:
        raise DataValidationError(path, problems)
    tree = nx.DiGraph(source=str(path), root=next(n["id"] for n in nodes if n["type"] == "goal"))
    for node in nodes:
        texts = {k: redactor(node[k]) for k in TEXT_FIELDS if node[k] is not None}
        tree.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"} | texts)
    tree.add_edges_from((n["parent"], n["id"]) for n in nodes if n["parent"] is not None)
    return tree


def goal_tree_file(data_dir: str | Path) -> Path:
    """Path of ``goal_tree.yaml`` in the data folder."""
    return resolve(data_dir) / FILE_NAME


def preorder(tree: nx.DiGraph) -> list[str]:
    """Node ids top-down, children in file order (the order of lists and figures)."""
    return list(nx.dfs_preorder_nodes(tree, tree.graph["root"]))
