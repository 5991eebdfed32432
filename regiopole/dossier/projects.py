"""Section "Leitprojekte und Ziele": the lead projects the municipality takes part in, their
project sheets (Steckbriefe), and the goals of the goal tree they serve."""

from __future__ import annotations

import html

import pandas as pd

from regiopole.dossier.model import Dossier

#: Where the published site keeps the pages notebooks write (the project sheets), relative to a report page.
PAGES_HREF = "seiten"


def sheet_href(project_id: str) -> str:
    """Link from a report page to the project sheet (Steckbrief) of a selected lead project."""
    return f"{PAGES_HREF}/steckbrief_{project_id}.html"


def _ids(d: Dossier, ags: str) -> list[str]:
    participants = d.table("project_participants")
    return participants.loc[participants["ags"].eq(ags), "project_id"].tolist()


def _goal_path(d: Dossier, node: str) -> list[pd.Series]:
    """The goal-tree nodes from ``node`` up to the top goal."""
    tree = d.table("goal_tree")
    if tree is None:
        return []
    by_id = tree.set_index("ID")
    path, seen = [], set()
    while node in by_id.index and node not in seen:
        seen.add(node)
        path.append(by_id.loc[node])
        parent = by_id.at[node, "Übergeordnet"]
        node = parent if isinstance(parent, str) else None
    return path


def projects_markdown(d: Dossier) -> str:
    """The lead projects as a German list with links to their sheets, beside the region and the Oberzentrum."""
    needed = ("project_participants", "projects")
    missing = [key for key in needed if d.table(key) is None]
    if missing:
        return d.missing(missing[0])
    projects = d.table("projects").set_index("ID")
    selection = d.table("selection")
    chosen = set(selection.loc[selection["Ausgewählt"].eq("ja"), "ID"]) if selection is not None else set()
    own = [pid for pid in projects.index if pid in set(_ids(d, d.ags))]
    text = (f"{d.name} beteiligt sich an **{len(own)} von {len(projects)} Leitprojekt-Kandidaten** der Region "
            f"({d.project_data_note()})")
    if not d.is_oberzentrum:
        text += f"; das Oberzentrum {d.region.oberzentrum_name} an {len(_ids(d, d.oberzentrum))}"
    text += "." if own else ". Eine Beteiligung ist auch später noch möglich."
    if chosen:
        text += f" Ausgewählt wurden {len(chosen)} Leitprojekte; für sie gibt es einen Projektsteckbrief."
    lines = [text, ""]
    for pid in own:
        row = projects.loc[pid]
        line = (f"- **{html.escape(row['Leitprojekt'])}** ({pid}); Federführung: {html.escape(row['Federführung'])}; "
                f"Zeithorizont: {row['Zeithorizont']}")
        if pid in chosen:
            line += f"; ausgewählt, [Projektsteckbrief {pid}]({sheet_href(pid)})"
        elif selection is not None:
            line += "; nicht ausgewählt"
        lines.append(line + ".")
    return "\n".join(lines)


def goals_markdown(d: Dossier) -> str:
    """The goals of the goal tree that the municipality's lead projects serve, top goal first."""
    if d.table("goal_tree") is None:
        return d.missing("goal_tree")
    if d.table("projects") is None or d.table("project_participants") is None:
        return d.missing("projects")
    projects = d.table("projects").set_index("ID")
    own = [pid for pid in projects.index if pid in set(_ids(d, d.ags))]
    if not own:
        return f"Da sich {d.name} an keinem Leitprojekt-Kandidaten beteiligt, ist hier kein Ziel zugeordnet."
    served: dict[str, list[str]] = {}
    for pid in own:
        path = _goal_path(d, projects.at[pid, "Zielbaum-Knoten"])
        chain = " → ".join(f"{html.escape(str(node['Titel']))}" for node in reversed(path))
        served.setdefault(chain or projects.at[pid, "Zielbaum-Knoten"], []).append(pid)
    lines = [f"Die Leitprojekte, an denen sich {d.name} beteiligt, dienen diesen Zielen des Zielbaums "
             "(vom Oberziel zur Maßnahme):", ""]
    lines += [f"- {chain} (Leitprojekt {', '.join(pids)})" for chain, pids in served.items()]
    return "\n".join(lines)
