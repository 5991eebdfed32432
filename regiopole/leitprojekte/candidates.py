"""Candidate lead projects: read ``leitprojekte_candidates.csv`` and check it against the region
and the goal tree (``goal_tree.yaml``) of the same data folder.

Each candidate names the goal-tree node it serves (``goal_node``), its lead, the participating
municipalities (AGS separated by ``;``), its horizon, estimated cost and funding. A reference
to an unknown node or AGS is an error naming the row. Every free-text field (title, lead,
funding, description, and the goal-tree titles) comes redacted with
:func:`regiopole.privacy.redactor` (the names list of the data folder, contact details,
addresses), so every table and sheet built from them is too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from regiopole import privacy
from regiopole.data import DataValidationError, Problem, Region, data_file, read_table, read_yaml, validate
from regiopole.data import schemas

CANDIDATES_FILE = "leitprojekte_candidates.csv"
GOAL_TREE_FILE = "goal_tree.yaml"
HORIZONS = ["kurzfristig", "mittelfristig", "langfristig"]
PROJECT_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
PARTICIPANTS_PATTERN = r"^\d{8}(\s*;\s*\d{8})*$"
GOAL_NODE_KEYS = ("id", "title", "type", "parent")
#: Free-text columns of the candidates file, redacted when read.
TEXT_COLUMNS = ("title", "lead", "funding", "description")

#: German headings of the published candidate table.
LABELS = {
    "project_id": "ID", "title": "Leitprojekt", "goal_node": "Zielbaum-Knoten", "goal_title": "Ziel/Maßnahme",
    "lead": "Federführung", "n_participants": "Beteiligte Kommunen", "horizon": "Zeithorizont",
    "estimated_cost_eur": "Geschätzte Kosten (EUR)", "funding": "Finanzierung",
}


def project_id_column(unique: bool = False) -> pa.Column:
    """A column of project ids such as ``LP01``."""
    return pa.Column(str, pa.Check.str_matches(PROJECT_ID_PATTERN, error="a project id such as 'LP01' (letters, digits, '-' or '_')"),
                     unique=unique)


def known_project(project_ids: list[str], unique: bool = False) -> pa.Column:
    """A column whose values must be ids of the candidates file."""
    return pa.Column(str, pa.Check.isin(list(project_ids), error=f"the project_id of a candidate in {CANDIDATES_FILE} "
                                        f"({', '.join(project_ids)})"), unique=unique)


def load_goal_tree(data_dir: str | Path) -> pd.DataFrame:
    """The nodes of ``goal_tree.yaml`` (columns id, title, type, parent), indexed by id.

    The file is a YAML list of mappings; only the keys this module needs are checked here.
    """
    path = data_file(data_dir, GOAL_TREE_FILE)
    nodes = read_yaml(path)
    if isinstance(nodes, dict) and "nodes" in nodes:
        nodes = nodes["nodes"]
    if not isinstance(nodes, list) or not nodes:
        raise DataValidationError(path, [Problem(None, None, "expected a YAML list of nodes, each with id, title, type and parent")])
    problems = [Problem(None, "id", f"node no. {number} is not a mapping with an 'id' and a 'title'")
                for number, node in enumerate(nodes, start=1)
                if not isinstance(node, dict) or not node.get("id") or not node.get("title")]
    if problems:
        raise DataValidationError(path, problems)
    table = pd.DataFrame([{key: node.get(key) for key in GOAL_NODE_KEYS} for node in nodes]).astype({"id": str})
    table["title"] = table["title"].map(privacy.redactor(path.parent))
    twice = sorted(set(table.loc[table["id"].duplicated(), "id"]))
    if twice:
        raise DataValidationError(path, [Problem(None, "id", f"node id {node_id!r} occurs more than once") for node_id in twice])
    return table.set_index("id")


def candidates_schema(goal_nodes: list[str]) -> pa.DataFrameSchema:
    """Schema of ``leitprojekte_candidates.csv``; ``goal_node`` must be one of ``goal_nodes``."""
    return schemas.table({
        "project_id": project_id_column(unique=True),
        "title": schemas.text(unique=True),
        "goal_node": schemas.one_of(goal_nodes, what=f"a node id of {GOAL_TREE_FILE} ({', '.join(goal_nodes)})"),
        "lead": schemas.text(),
        "participants": pa.Column(str, pa.Check.str_matches(
            PARTICIPANTS_PATTERN, error="8-digit AGS separated by ';', e.g. '05774032;05774004'")),
        "horizon": schemas.one_of(HORIZONS),
        "estimated_cost_eur": schemas.integer(min_value=0),
        "funding": schemas.text(),
        "description": schemas.text(),
    })


def split_participants(cell: str) -> list[str]:
    """The AGS listed in one ``participants`` cell, in the order given."""
    return [part.strip() for part in cell.split(";")]


def participant_problems(table: pd.DataFrame, region: Region) -> list[Problem]:
    """Problems of the ``participants`` column: AGS outside the region or listed twice."""
    members = set(region.ags)
    first_row = int(table.attrs.get("first_row", 2))
    problems = []
    for index, cell in table["participants"].items():
        listed = split_participants(cell)
        row = int(index) + first_row
        problems += [Problem(row, "participants", f"AGS {a} is not a member of {region.name}") for a in listed if a not in members]
        problems += [Problem(row, "participants", f"AGS {a} is listed twice") for a in sorted({a for a in listed if listed.count(a) > 1})]
    return problems


def load_candidates(data_dir: str | Path, region: Region) -> pd.DataFrame:
    """Read and check the candidates; add ``goal_title`` and ``n_participants``.

    Raises :class:`DataValidationError` listing every bad row (unknown goal node, unknown
    or repeated participant AGS, missing text, cost not a whole number, ...).
    """
    goal_tree = load_goal_tree(data_dir)
    raw = read_table(data_file(data_dir, CANDIDATES_FILE))
    table = validate(raw, candidates_schema(goal_tree.index.tolist()))
    problems = participant_problems(table, region)
    if problems:
        raise DataValidationError(table.attrs["source"], problems)
    redact = privacy.redactor(data_dir)
    table = table.assign(
        **{column: table[column].map(redact) for column in TEXT_COLUMNS},
        goal_title=table["goal_node"].map(goal_tree["title"]),
        n_participants=table["participants"].map(lambda cell: len(split_participants(cell))),
    )
    return table.set_index("project_id", drop=False).rename_axis(None)


def candidates_table(candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidates with German headings, ready to publish (no free text beyond titles)."""
    return candidates[list(LABELS)].rename(columns=LABELS).reset_index(drop=True)


def participants_table(candidates: pd.DataFrame, region: Region) -> pd.DataFrame:
    """``project_id, ags, name``: one row per candidate and participating member (the per-municipality
    pages read it; who takes part in a project is a fact of the project, not a vote)."""
    names = region.names()
    rows = [{"project_id": pid, "ags": ags, "name": names.get(ags, ags)}
            for pid, cell in candidates["participants"].items() for ags in split_participants(cell)]
    return pd.DataFrame(rows, columns=["project_id", "ags", "name"])
