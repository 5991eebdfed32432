"""Smoke tests of notebooks/04_workshops.ipynb on the example data, asserting on the tables it writes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regiopole import privacy
from regiopole.privacy import audit
from regiopole.example import default_dir
from regiopole.workshops import cards_file, code_cards, load_cards, load_codebook, uncoded_cards

pytestmark = pytest.mark.notebook

FIGURES = ["workshop_themes", "workshop_themes_by_workshop", "workshop_theme_cooccurrence", "workshop_hurdles_chances", "goal_tree"]
#: Columns of the published tables that count cards or dots; ranks, rows ("Zeile"), ids, levels and Saldo are no counts.
COUNT_COLUMNS = {"Karten", "Punkte", "Karten im Workshop", "Karten insgesamt", "Hürde", "Chance", "Idee", "Ziel",
                 "Hürden (Karten)", "Chancen (Karten)", "Hürden (Punkte)", "Chancen (Punkte)", "Punkte (direkt)",
                 "Punkte (mit Unterpunkten)"}


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / "tables" / f"{name}.csv", dtype=str, keep_default_na=False)


def published_tables(out: Path) -> dict[str, pd.DataFrame]:
    paths = sorted((out / "tables").glob("workshop_*.csv")) + [out / "tables" / "goal_tree.csv"]
    return {path.stem: table(out, path.stem) for path in paths}


def suppressed_cells(out: Path, min_cell_size: int) -> int:
    """Check that no count column of a written table holds 1 .. min_cell_size-1; return the number of '.' cells."""
    dots = 0
    for name, written in published_tables(out).items():
        for column in COUNT_COLUMNS & set(written.columns):
            values = written[column]
            shown = pd.to_numeric(values[values != privacy.SUPPRESSED], errors="raise")
            small = shown[(shown > 0) & (shown < min_cell_size)]
            assert small.empty, f"{name}.csv, column {column!r} shows {small.tolist()} (minimum {min_cell_size})"
            dots += int((values == privacy.SUPPRESSED).sum())
    return dots


def test_workshops_notebook_writes_the_tables_and_figures(run_notebook):
    out = run_notebook("04_workshops")
    codebook = load_codebook()
    coded = code_cards(load_cards(cards_file(default_dir()), codebook), codebook)

    themes = table(out, "workshop_themes")
    assert sorted(themes["Thema"]) == sorted(codebook.labels.values())
    assert themes["Karten"].astype(int).is_monotonic_decreasing
    uncoded = table(out, "workshop_cards_uncoded")
    assert uncoded["Zeile"].astype(int).tolist() == uncoded_cards(coded)["row"].tolist()
    assert len(uncoded) > 0
    coding = table(out, "workshop_coding").set_index("Codierung")["Karten"].astype(int)
    assert coding.sum() == len(coded)

    tree = table(out, "goal_tree").set_index("ID")
    assert len(tree) == 14 and tree.at["Z0", "Typ"] == "Oberziel"
    votes = pd.read_csv(default_dir() / "goal_votes.csv")
    assert int(tree.at["Z0", "Punkte (mit Unterpunkten)"]) == votes["votes"].sum()

    for path in (out / "tables").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not privacy.contains_personal_data(text), f"{path.name} publishes contact details"
    overview = table(out, "workshop_cards_overview")
    privacy.assert_publishable(overview.drop(columns=["Workshop", "Gruppe"]), min_cell_size=3)
    for name in FIGURES:
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000
    assert "Beispieldaten" in (out / "notebooks" / "04_workshops.ipynb").read_text(encoding="utf-8")

    tables = published_tables(out)
    assert {"workshop_themes_by_workshop", "workshop_theme_pairs", "workshop_hurdles_chances", "goal_tree"} <= set(tables)
    dots_at_3 = suppressed_cells(out, 3)
    assert dots_at_3 > 0, "the example data hold counts of 1 and 2; they must appear as '.'"
    hurdles = tables["workshop_hurdles_chances"]
    either_hidden = (hurdles["Hürden (Karten)"] == privacy.SUPPRESSED) | (hurdles["Chancen (Karten)"] == privacy.SUPPRESSED)
    assert (hurdles.loc[either_hidden, "Saldo Chancen − Hürden"] == privacy.SUPPRESSED).all()
    html = (out / "notebooks" / "04_workshops.ipynb").read_text(encoding="utf-8")
    assert "(1 Karte" not in html and "(2 Karten" not in html and "(1 Punkte)" not in html and "(2 Punkte)" not in html

    assert audit.check_outputs(out) >= 5  # overview, coding, themes, themes by workshop, goal tree: nothing comes back

    out = run_notebook("04_workshops", min_cell_size=5)  # the same folder: the tables are rewritten
    assert suppressed_cells(out, 5) > dots_at_3
    assert audit.check_outputs(out) >= 5


def test_min_cell_size_suppresses_small_workshops(run_notebook):
    out = run_notebook("04_workshops", min_cell_size=40, tree_orientation="vertical")
    by_workshop = table(out, "workshop_themes_by_workshop")
    sizes = by_workshop.groupby("Workshop")["Karten im Workshop"].first()
    small = [name for name, n in sizes.items() if n == privacy.SUPPRESSED]
    assert small, "with min_cell_size=40 the smallest example workshop must be suppressed"
    assert (by_workshop.loc[by_workshop["Workshop"].isin(small), "Karten"] == privacy.SUPPRESSED).all()
    overall = by_workshop[by_workshop["Workshop"] == "Alle Workshops"]
    assert (overall["Karten im Workshop"] != privacy.SUPPRESSED).all()  # small workshops' cards still count here
    privacy.assert_publishable(table(out, "workshop_cards_overview").drop(columns=["Workshop", "Gruppe"]), min_cell_size=40)
    suppressed_cells(out, 40)
    assert audit.check_outputs(out) >= 5
