"""Project sheets: they show the candidate's facts and only published values, escaped and redacted."""

from __future__ import annotations

import pandas as pd

from regiopole.data import dataset_info, load_region
from regiopole.leitprojekte import candidates, criteria, sheets
from regiopole.privacy import SUPPRESSED
from regiopole.report import Report

from test_leitprojekte_input import FIXTURES, data_folder, edited

REGION = load_region()


def published_tables(ids: list[str]) -> dict[str, pd.DataFrame]:
    """Minimal published tables as the notebook writes them (LP01's approval suppressed)."""
    return {
        "poll": pd.DataFrame({"ID": ids, "Zustimmung (%)": [SUPPRESSED, 75.0, 25.0, 0.0], "Rang Borda": [1, 1, 3, 4]}),
        "selection": pd.DataFrame({"ID": ids, "Nutzwert (0-1)": [0.9, 0.85, 0.6, 0.2], "Gesamtwert (0-1)": [0.8, 0.79, 0.5, 0.1],
                                   "Gesamtrang": [1, 2, 3, 4]}),
        "stability": pd.DataFrame({"ID": ids, "Anteil Top 2 (%)": [100.0, 62.5, 37.5, 0.0], "Rang min": [1, 1, 2, 4],
                                   "Rang max": [1, 3, 3, 4], "Kippt (Zufallsgewichte)": ["nein", "ja", "ja", "nein"],
                                   "Kippt (Einzeländerung)": ["nein", "nein", "ja", "nein"]}),
    }


def render(folder, ids=("LP01", "LP02")) -> dict[str, str]:
    table = candidates.load_candidates(folder, REGION)
    scores = criteria.load_criteria(folder, table.index.tolist())
    return sheets.render_sheets(list(ids), table, candidates.load_goal_tree(folder), scores, REGION,
                                published_tables(table.index.tolist()), "Beispieldaten", 2)


def test_sheet_shows_facts_scores_and_published_values():
    html = render(FIXTURES)["LP01"]
    assert "Regionale Digitalakademie" in html and "M11: Schulungsangebote für Kommunen entwickeln" in html
    assert "Teilziel: Digitale Kompetenz stärken" in html
    assert "3: Paderborn, Altenbeken, Höxter" in html
    assert "180.000 EUR" in html and "Beispieldaten" in html
    assert "nicht veröffentlicht" in html  # the suppressed approval stays suppressed
    assert "<th>Rang nach Borda</th><td>1 von 4</td>" in html
    assert "<td>4</td><td>5</td><td>2</td><td>5</td><td>5</td>" in html.replace("\n", "").replace(" ", "")
    assert "Platzierung kippt" not in html


def test_flipping_project_is_marked():
    assert "Platzierung kippt" in render(FIXTURES)["LP02"]


def test_free_text_is_escaped_and_redacted(tmp_path):
    text = edited("leitprojekte_candidates.csv", "Gemeinsames Schulungsprogramm für die Verwaltungen.",
                  "\"<script>x</script> Kontakt: max.muster@paderborn.de, 05251 -88 16158\"")
    html = render(data_folder(tmp_path, **{"leitprojekte_candidates.csv": text}))["LP01"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "muster@" not in html and "16158" not in html


def test_sheets_are_written_one_file_each_and_together(tmp_path):
    fragments = render(FIXTURES)
    report = Report(info=dataset_info(FIXTURES), region=REGION, output_dir=tmp_path)
    paths = sheets.write_sheets(report, fragments)
    assert sorted(p.name for p in paths) == ["steckbrief_LP01.html", "steckbrief_LP02.html", "steckbriefe.html"]
    together = (tmp_path / "sheets" / "steckbriefe.html").read_text(encoding="utf-8")
    assert together.startswith("<!DOCTYPE html>") and together.count('class="steckbrief"') == 2
    assert set(paths) <= set(report.written)
