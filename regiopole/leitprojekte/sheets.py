"""One-page project sheets (Projektsteckbriefe) for the selected lead projects, as HTML.

A sheet shows the candidate's facts, its criteria scores and only values that are already in
the published tables (poll, selection, stability), so it can reveal nothing those tables
withhold. Free text arrives redacted from :func:`~regiopole.leitprojekte.candidates.load_candidates`
(names, contact details, addresses). Rendered with the Jinja2 template ``templates/steckbrief.html.j2``; written
to ``<output_dir>/sheets/``, one file per project plus one printable file with all of them.
"""

from __future__ import annotations

import html
from pathlib import Path

import jinja2
import pandas as pd

from regiopole.data import Region
from regiopole.leitprojekte.candidates import split_participants
from regiopole.leitprojekte.criteria import CRITERIA
from regiopole.privacy import SUPPRESSED
from regiopole.report import Report, write_atomic
from regiopole.style import german_number

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("regiopole.leitprojekte", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    keep_trailing_newline=True,
)
CSS = """
.steckbrief { font-family: 'DejaVu Sans', sans-serif; max-width: 48em; border: 1px solid #ccc; padding: 1em 1.5em;
  margin: 1em 0; page-break-after: always; break-after: page; }
.steckbrief h2 { margin-top: 0; } .steckbrief-id, .steckbrief-note, .steckbrief-small { color: #555; font-size: 0.9em; }
.steckbrief table { border-collapse: collapse; margin: 0.3em 0; }
.steckbrief th, .steckbrief td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
.steckbrief-facts th { width: 16em; background: #f6f6f6; }
/* two classes: JupyterLab right-aligns every table cell with a rule of the same weight */
.steckbrief .steckbrief-facts th, .steckbrief .steckbrief-facts td { text-align: left; }
.steckbrief .steckbrief-scores th, .steckbrief .steckbrief-scores td { text-align: right; }
"""


def sheet_context(pid: str, candidates: pd.DataFrame, goal_tree: pd.DataFrame, scores: pd.DataFrame, region: Region,
                  tables: dict[str, pd.DataFrame]) -> dict:
    """Everything one sheet shows; ``tables`` are the published poll, selection and stability tables."""
    row = candidates.loc[pid]
    parent = goal_tree["parent"].get(row["goal_node"])
    poll = tables["poll"].set_index("ID").loc[pid]
    chosen = tables["selection"].set_index("ID").loc[pid]
    stable = tables["stability"].set_index("ID").loc[pid]
    top_share = next(value for column, value in stable.items() if str(column).startswith("Anteil Top"))
    names = region.names()
    approval = poll["Zustimmung (%)"]
    return {
        "id": pid, "title": row["title"], "goal_node": row["goal_node"], "goal_title": row["goal_title"],
        "parent_title": goal_tree["title"].get(parent) if parent else None,
        "lead": row["lead"], "n_participants": row["n_participants"],
        "participants": ", ".join(names.get(a, a) for a in split_participants(row["participants"])),
        "horizon": row["horizon"], "cost": german_number(row["estimated_cost_eur"]), "funding": row["funding"],
        "description": row["description"],
        "scores": {CRITERIA[c]: int(scores.at[pid, c]) for c in CRITERIA},
        "utility": german_number(chosen["Nutzwert (0-1)"], 2) if pd.notna(chosen["Nutzwert (0-1)"]) else "–",
        "approval": "nicht veröffentlicht (zu wenige Stimmen)" if isinstance(approval, str) else f"{german_number(approval, 1)} %",
        "rank_borda": "nicht veröffentlicht" if poll["Rang Borda"] == SUPPRESSED else f"{poll['Rang Borda']} von {len(candidates)}", "rank": chosen["Gesamtrang"],
        "score": german_number(chosen["Gesamtwert (0-1)"], 2) if pd.notna(chosen["Gesamtwert (0-1)"])
        else "nicht veröffentlicht (sie verriete den Umfragewert)",
        "top_k_share": f"{german_number(top_share, 1)} %", "rank_min": stable["Rang min"], "rank_max": stable["Rang max"],
        "flips": "ja" in (stable["Kippt (Zufallsgewichte)"], stable["Kippt (Einzeländerung)"]),
    }


def render_sheets(project_ids: list[str], candidates: pd.DataFrame, goal_tree: pd.DataFrame, scores: pd.DataFrame,
                  region: Region, tables: dict[str, pd.DataFrame], data_label: str, top_k: int) -> dict[str, str]:
    """HTML fragment of each sheet, keyed by project id."""
    template = TEMPLATES.get_template("steckbrief.html.j2")
    return {pid: template.render(p=sheet_context(pid, candidates, goal_tree, scores, region, tables), data_label=data_label,
                                 n_projects=len(candidates), top_k=top_k)
            for pid in project_ids}


def sheets_html(sheets: dict[str, str]) -> str:
    """All fragments with the sheet style, for display in the notebook."""
    return f"<style>{CSS}</style>\n" + "\n".join(sheets.values())


def html_document(body: str, title: str) -> str:
    """A standalone, printable HTML page."""
    return (f'<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def write_sheets(report: Report, sheets: dict[str, str]) -> list[Path]:
    """Write ``sheets/steckbrief_<id>.html`` per project and ``sheets/steckbriefe.html`` with all."""
    folder = report.output_dir / "sheets"
    pages = {f"steckbrief_{pid}.html": html_document(fragment, f"Projektsteckbrief {pid}") for pid, fragment in sheets.items()}
    pages["steckbriefe.html"] = html_document("\n".join(sheets.values()), "Projektsteckbriefe der ausgewählten Leitprojekte")
    paths = [write_atomic(folder / name, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8")) for name, text in pages.items()]
    report.written += paths
    return paths
