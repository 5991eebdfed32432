"""Priorities of the goal tree from workshop dot votes, aggregated bottom-up.

File ``goal_votes.csv`` in the data folder, one row per node and moderation group:

========= =================================================================
column    content
========= =================================================================
workshop  the workshop in which the goal tree was prioritised
group     working group within the workshop
node_id   id of a node of ``goal_tree.yaml`` (goal, sub-goal or measure)
votes     dot votes given to that node by that group, whole number >= 0
========= =================================================================

Aggregation: ``own_votes`` are the dots placed on the node itself; ``total_votes`` adds
the dots of every node below it, so a sub-goal collects the votes of its measures and
the overall goal collects all votes. Dots placed on a sub-goal count for the sub-goal
and the goal above it, never for a measure. ``share`` is ``total_votes`` divided by all
dots cast; ``rank`` orders siblings by ``total_votes`` (1 = most).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from regiopole.data import read_table, schemas, validate
from regiopole.paths import resolve
from regiopole.workshops.goaltree import preorder

FILE_NAME = "goal_votes.csv"
NODE_FIELDS = ["title", "type", "parent", "horizon", "responsible", "indicator", "target_date"]


def votes_schema(tree: nx.DiGraph) -> schemas.pa.DataFrameSchema:
    """Schema of the votes table; ``node_id`` must be a node of ``tree``."""
    return schemas.table({
        "workshop": schemas.text(),
        "group": schemas.text(),
        "node_id": schemas.one_of(list(tree.nodes), what=f"the id of a node of the goal tree ({', '.join(tree.nodes)})"),
        "votes": schemas.integer(min_value=0),
    })


def load_goal_votes(path: str | Path, tree: nx.DiGraph) -> pd.DataFrame:
    """Read and check the dot votes on goal-tree nodes (errors name file, row and column)."""
    votes = validate(read_table(resolve(path)), votes_schema(tree))
    votes["votes"] = votes["votes"].astype(int)
    return votes


def aggregate_votes(tree: nx.DiGraph, votes: pd.DataFrame) -> pd.DataFrame:
    """One row per node, top-down in file order, with own and bottom-up total votes."""
    own = votes.groupby("node_id")["votes"].sum().reindex(list(tree.nodes), fill_value=0).astype(int)
    total = {node: int(own[node] + sum(own[d] for d in nx.descendants(tree, node))) for node in tree.nodes}
    root = tree.graph["root"]
    ordered = preorder(tree)
    table = pd.DataFrame({
        "id": ordered,
        "level": [nx.shortest_path_length(tree, root, node) for node in ordered],
        **{field: [tree.nodes[node][field] for node in ordered] for field in NODE_FIELDS},
        "own_votes": [int(own[node]) for node in ordered],
        "total_votes": [total[node] for node in ordered],
    })
    cast = int(own.sum())
    table["share"] = table["total_votes"] / cast if cast else 0.0
    table["rank"] = (table.groupby(table["parent"].fillna(""))["total_votes"]
                     .rank(ascending=False, method="min").astype(int))
    return table


def votes_file(data_dir: str | Path) -> Path:
    """Path of ``goal_votes.csv`` in the data folder."""
    return resolve(data_dir) / FILE_NAME
