"""Goal tree: loading, every validation error, the shared example tree, bottom-up votes, layout."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

from regiopole.data import DataValidationError
from regiopole.example import default_dir
from regiopole.workshops import aggregate_votes, load_goal_tree, load_goal_votes
from regiopole.workshops.figures import goal_tree_figure, tree_layout
from regiopole.workshops.goaltree import preorder

matplotlib.use("Agg")
FIXTURES = Path(__file__).parent / "fixtures" / "workshops"

#: The contract with the lead-project module: ids and titles of the example goal tree.
CONTRACT = {
    "Z0": ("goal", None, "Digitale Verwaltung in der Regiopolregion gemeinsam stärken"),
    "Z1": ("subgoal", "Z0", "Digitale Kompetenz stärken"),
    "M11": ("measure", "Z1", "Schulungsangebote für Kommunen entwickeln"),
    "M12": ("measure", "Z1", "Austauschformate für Digitalisierungsbeauftragte ausbauen"),
    "Z2": ("subgoal", "Z0", "Interkommunale Zusammenarbeit ausbauen"),
    "M21": ("measure", "Z2", "Zentrale Infrastruktur durch das Oberzentrum bereitstellen"),
    "M22": ("measure", "Z2", "Aufträge und Beschaffung bündeln"),
    "M23": ("measure", "Z2", "Regionale Wissensplattform aufbauen"),
    "Z3": ("subgoal", "Z0", "Gemeinsame Standards und Schnittstellen"),
    "M31": ("measure", "Z3", "Gemeinsame Schnittstellen und Standards vereinbaren"),
    "M32": ("measure", "Z3", "Innovationspartnerschaften in der Vergabe nutzen"),
    "Z4": ("subgoal", "Z0", "Projektmanagement und Organisationskultur stärken"),
    "M41": ("measure", "Z4", "Projektmanagement-Strukturen aufbauen"),
    "M42": ("measure", "Z4", "Personal für die Digitalisierung gewinnen und halten"),
}


def node(node_id: str, kind: str, parent: str | None, extra: str = "") -> str:
    return f"- id: {node_id}\n  title: Titel {node_id}\n  type: {kind}\n  parent: {parent or 'null'}\n{extra}"


def problems_of(tmp_path: Path, text: str) -> str:
    path = tmp_path / "goal_tree.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_goal_tree(path)
    assert excinfo.value.source == str(path)
    return "\n".join(str(p) for p in excinfo.value.problems)


def test_fixture_tree_loads_with_attributes_and_order():
    tree = load_goal_tree(FIXTURES / "goal_tree.yaml")
    assert tree.graph["root"] == "Z0"
    assert preorder(tree) == ["Z0", "Z1", "M11", "M12", "Z2", "M21"]
    assert sorted(tree.edges) == [("Z0", "Z1"), ("Z0", "Z2"), ("Z1", "M11"), ("Z1", "M12"), ("Z2", "M21")]
    assert tree.nodes["Z0"]["target_date"] == "2027-12-31"  # a YAML date becomes ISO text
    assert tree.nodes["M11"]["target_date"] == "2023"
    assert tree.nodes["M11"]["horizon"] == "kurzfristig"
    assert tree.nodes["Z1"]["responsible"] == "Stadt" and tree.nodes["M12"]["horizon"] is None


def test_example_goal_tree_keeps_the_shared_ids_and_titles():
    tree = load_goal_tree(default_dir() / "goal_tree.yaml")
    found = {n: (d["type"], d["parent"], d["title"]) for n, d in tree.nodes(data=True)}
    assert found == CONTRACT
    assert all(tree.nodes[n]["horizon"] in ("kurzfristig", "mittelfristig", "langfristig") for n in tree.nodes)


def test_unknown_parent_names_line_and_ids(tmp_path):
    lines = problems_of(tmp_path, node("Z0", "goal", None) + node("M1", "measure", "Z9"))
    assert "row 5, column 'parent': unknown parent 'Z9' of 'M1'" in lines


def test_duplicate_id_names_both_lines(tmp_path):
    lines = problems_of(tmp_path, node("Z0", "goal", None) + node("Z1", "subgoal", "Z0") + node("Z1", "subgoal", "Z0"))
    assert "row 9, column 'id': duplicate id 'Z1' (first used in line 5)" in lines


def test_cycle_is_named_with_its_path(tmp_path):
    text = node("Z0", "goal", None) + node("Z1", "subgoal", "Z2") + node("Z2", "subgoal", "Z1") + node("M1", "measure", "Z1")
    assert "cycle (Z1 -> Z2 -> Z1)" in problems_of(tmp_path, text)


def test_measure_without_goal_is_an_error(tmp_path):
    lines = problems_of(tmp_path, node("Z0", "goal", None) + node("M1", "measure", None))
    assert "row 5, column 'parent': 'M1' is a measure without a goal" in lines


def test_measure_below_a_measure_is_an_error(tmp_path):
    lines = problems_of(tmp_path, node("Z0", "goal", None) + node("M1", "measure", "Z0") + node("M2", "measure", "M1"))
    assert "'M2' (measure) cannot hang below 'M1' (measure)" in lines


@pytest.mark.parametrize(("text", "expected"), [
    (node("Z1", "subgoal", None), "exactly one node of type goal (the overall goal), found none"),
    (node("Z0", "goal", None) + node("Z9", "goal", None), "found Z0, Z9"),
    (node("Z0", "goal", None) + node("Z1", "goal", "Z0"), "the goal 'Z1' is the root"),
    (node("Z0", "goal", None, "  horizon: bald\n"), "row 1, column 'horizon': expected kurzfristig, mittelfristig or langfristig"),
    (node("Z0", "goal", None, "  target_date: Ende 2024\n"), "column 'target_date': expected a date as YYYY-MM-DD"),
    (node("Z0", "Ziel", None), "column 'type': expected goal, subgoal or measure, got 'Ziel'"),
    (node("Z0", "goal", None, "  titel: Tippfehler\n"), "column 'titel': unknown field"),
    ("- id: Z0\n  type: goal\n  parent: null\n", "column 'title': value missing"),
    ("id: Z0\ntitle: x\n", "expected a YAML list of nodes"),
    ("- id: Z0\n  title: [\n", "not valid YAML"),
])
def test_bad_trees_are_explained(tmp_path, text, expected):
    assert expected in problems_of(tmp_path, text)


def test_all_field_problems_are_reported_together(tmp_path):
    text = node("Z0", "goal", None, "  horizon: bald\n") + node("Z1", "Teilziel", "Z0")
    lines = problems_of(tmp_path, text)
    assert "row 1, column 'horizon'" in lines and "row 6, column 'type'" in lines


def test_votes_aggregate_bottom_up():
    tree = load_goal_tree(FIXTURES / "goal_tree.yaml")
    table = aggregate_votes(tree, load_goal_votes(FIXTURES / "goal_votes.csv", tree)).set_index("id")
    assert table["own_votes"].to_dict() == {"Z0": 1, "Z1": 3, "M11": 6, "M12": 1, "Z2": 0, "M21": 5}
    # a sub-goal collects its measures' dots; its own dots never reach a measure
    assert table["total_votes"].to_dict() == {"Z0": 16, "Z1": 10, "M11": 6, "M12": 1, "Z2": 5, "M21": 5}
    assert table.at["Z1", "share"] == pytest.approx(10 / 16) and table.at["Z0", "share"] == 1
    assert table["rank"].to_dict() == {"Z0": 1, "Z1": 1, "M11": 1, "M12": 2, "Z2": 2, "M21": 1}
    assert table["level"].to_dict() == {"Z0": 0, "Z1": 1, "M11": 2, "M12": 2, "Z2": 1, "M21": 2}


def test_votes_on_unknown_nodes_name_the_row(tmp_path):
    tree = load_goal_tree(FIXTURES / "goal_tree.yaml")
    path = tmp_path / "goal_votes.csv"
    path.write_text("workshop,group,node_id,votes\nW,A,M11,2\nW,A,M99,1\nW,B,M12,-3\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_goal_votes(path, tree)
    lines = "\n".join(str(p) for p in excinfo.value.problems)
    assert "row 3, column 'node_id': expected the id of a node of the goal tree" in lines and "'M99'" in lines
    assert "row 4, column 'votes'" in lines


@pytest.mark.parametrize("orientation", ["horizontal", "vertical"])
def test_layout_is_hierarchical_and_deterministic(orientation):
    tree = load_goal_tree(default_dir() / "goal_tree.yaml")
    pos = tree_layout(tree, orientation)
    assert pos == tree_layout(tree, orientation)
    depth_axis, across_axis = (0, 1) if orientation == "horizontal" else (1, 0)
    for parent, child in tree.edges:
        assert abs(pos[child][depth_axis]) == abs(pos[parent][depth_axis]) + 1
    for parent in ("Z0", "Z1", "Z2"):
        children = [pos[c][across_axis] for c in tree.successors(parent)]
        assert pos[parent][across_axis] == pytest.approx((children[0] + children[-1]) / 2)
    leaves = [pos[n][across_axis] for n in preorder(tree) if tree.out_degree(n) == 0]
    assert len(set(leaves)) == len(leaves) == 9


def test_tree_figure_labels_every_node_in_german():
    tree = load_goal_tree(FIXTURES / "goal_tree.yaml")
    table = aggregate_votes(tree, load_goal_votes(FIXTURES / "goal_votes.csv", tree))
    fig = goal_tree_figure(tree, table, min_cell_size=1)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == tree.number_of_nodes()
    assert any(t.startswith("Z0 · Oberziel · langfristig") and "16 Punkte (100\u00a0%)" in t for t in texts)
    assert any(t.startswith("M11 · Maßnahme") for t in texts)
    with pytest.raises(ValueError, match="orientation"):
        tree_layout(tree, "diagonal")
