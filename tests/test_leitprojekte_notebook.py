"""Smoke tests of notebook 05_leitprojekte on the example data, asserting on the tables it writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiopole.privacy import SUPPRESSED

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
pytestmark = [
    pytest.mark.notebook,
    pytest.mark.skipif(not (EXAMPLE / "goal_tree.yaml").is_file(), reason="example goal tree not generated"),
]


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)


def test_notebook_writes_poll_selection_stability_and_sheets(run_notebook):
    out = run_notebook("05_leitprojekte")
    n_candidates = len(pd.read_csv(EXAMPLE / "leitprojekte_candidates.csv"))

    assert len(table(out, "leitprojekte_kandidaten")) == n_candidates

    umfrage = table(out, "leitprojekte_umfrage")
    published = umfrage[["Zustimmungen", "Reihungen"]].stack()
    assert not published[published != SUPPRESSED].astype(int).between(1, 2).any()
    assert "Borda-Punkte" not in umfrage  # their sum gave the number of ranking municipalities away

    auswahl = table(out, "leitprojekte_auswahl")
    ranks = auswahl["Gesamtrang"].astype(int)
    assert ranks.is_monotonic_increasing and ranks.iloc[0] == 1
    assert (auswahl["Ausgewählt"] == "ja").tolist() == (ranks <= 3).tolist()

    stabil = table(out, "leitprojekte_stabilitaet")
    shares = stabil["Anteil Top 3 (%)"].astype(float)
    assert shares.between(0, 100).all() and shares.sum() >= 300 - 1e-6
    assert (stabil["Rang min"].astype(int) <= stabil["Rang max"].astype(int)).all()
    assert set(stabil["Kippt (Zufallsgewichte)"]) <= {"ja", "nein"}

    assert len(table(out, "leitprojekte_einzelaenderung")) == 2 * 6  # five criteria and the poll, each down and up
    chosen = auswahl.loc[auswahl["Ausgewählt"] == "ja", "ID"]
    assert sorted(p.name for p in (out / "sheets").glob("steckbrief_*.html")) == sorted(f"steckbrief_{p}.html" for p in chosen)
    assert (out / "figures" / "leitprojekte_stabilitaet.svg").stat().st_size > 0


def test_notebook_parameters_change_the_selection_and_the_suppression(run_notebook):
    out = run_notebook("05_leitprojekte", poll_weight=0.0, selected=2, top_k=2, min_cell_size=30, n_samples=200)
    auswahl = table(out, "leitprojekte_auswahl")
    assert auswahl["Gesamtrang"].tolist() == auswahl["Rang Nutzwert"].tolist()
    assert (auswahl["Ausgewählt"] == "ja").sum() >= 2
    umfrage = table(out, "leitprojekte_umfrage")
    assert (umfrage.drop(columns=["ID", "Leitprojekt"]) == SUPPRESSED).all().all()
    assert "Anteil Top 2 (%)" in table(out, "leitprojekte_stabilitaet").columns


def test_notebook_stops_on_negative_weights_naming_the_criterion(run_notebook):
    import papermill

    weights = {"impact": -1, "feasibility": 1, "cost": 1, "reach": 1, "urgency": 1}
    with pytest.raises(papermill.PapermillExecutionError, match="weight -1 is negative"):
        run_notebook("05_leitprojekte", criteria_weights=weights)
