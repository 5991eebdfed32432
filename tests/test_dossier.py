"""The dossier package on tables the test writes in the published formats of the other reports.

The tables here are small and hand-checkable: member i (region order) gets gigabit share
10 + 2 i, maturity index 20 + i, ... so every expected sentence follows from the region.
The broadband tables follow the contract of the development-trends report (BRIEF):
``trends_municipalities.csv`` and ``trends_reference.csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from regiopole import report as reporting
from regiopole.data import DataValidationError, Region, load_region
from regiopole.dossier import broadband, inventory, load_dossier, participation, population, projects, render, tables
from regiopole.style import german_number

ROOT = Path(__file__).resolve().parents[1]
REGION_FILE = ROOT / "data" / "reference" / "regions" / "paderborn.yaml"


def _csv(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_trend_tables(out: Path, region: Region) -> None:
    """The broadband contract tables: member i has 10 + 2 i % gigabit households (rank by that)."""
    n = len(region.ags)
    rows = [{"ags": a, "name": region.name_of(a), "vintage": "2021-06-30", "hh_1000": 10.0 + 2 * i,
             "hh_1000_first": 1.0 * i, "first_vintage": "2018-12-31", "hh_100": 60.0 + i, "hh_ftth": 5.0 + i,
             "bus_1000": 20.0 + i, "bus_ftth": 7.5, "rank_hh_1000": n - i} for i, a in enumerate(region.ags)]
    _csv(out / "tables" / "trends_municipalities.csv", rows)
    reference = [{"unit": "region", "name": region.name, "vintage": "2021-06-30", "hh_1000": 44.4, "hh_1000_first": 3.3,
                  "first_vintage": "2018-12-31", "hh_100": 80.0, "hh_ftth": 9.9, "bus_1000": 30.0, "bus_ftth": 8.0},
                 {"unit": "germany", "name": "Deutschland", "vintage": "2021-06-30", "hh_1000": 62.13, "hh_1000_first": 30.0,
                  "first_vintage": "2018-12-31", "hh_100": 90.0, "hh_ftth": 15.0, "bus_1000": 40.0, "bus_ftth": 12.0}]
    _csv(out / "tables" / "trends_reference.csv", reference)


def write_tables(out: Path, region: Region, trends: bool = True) -> None:
    """Every table a dossier reads, for the members of ``region``."""
    m = region.municipalities
    t = out / "tables"
    _csv(t / "region_municipalities.csv", [
        {"Gemeinde": r["name"], "AGS": r["ags"], "Kreis": r["kreis"], "Einwohner": r["population"],
         "Größenklasse": "klein" if r["population"] < 20_000 else "groß"} for _, r in m.iterrows()])
    if trends:
        write_trend_tables(out, region)
    n = len(region.ags)
    _csv(t / "inventory_index.csv", [
        {"ags": a, "name": region.name_of(a), "maturity_index": 20.0 + i, "maturity_index_own": 10.0 + i,
         "share_ozg_compliant": i / n, "rank": n - i} for i, a in enumerate(region.ags)])
    apps = [("app_a", "Anwendung A", "Bürgerdienste"), ("app_b", "Anwendung B", "Bürgerdienste"), ("app_c", "Anwendung C", "Soziales")]
    gaps = [{"ags": a, "app_id": app, "name": name, "category": cat, "level": k, "providers": region.oberzentrum_name,
             "n_providers": 1, "compliant_level": 3}
            for i, a in enumerate(region.ags) if a != region.oberzentrum for k, (app, name, cat) in enumerate(apps[: i % 4])]
    _csv(t / "inventory_gaps.csv", gaps)
    _csv(t / "inventory_candidates.csv", [{"Rang": 1, "Anwendungs-ID": "app_b", "Anwendung": "Anwendung B"}])
    _csv(t / "survey_participation.csv", [{"ags": a, "name": region.name_of(a), "participated": "ja" if i % 3 else "nein"}
                                          for i, a in enumerate(region.ags)])
    _csv(t / "leitprojekte_umfrage_teilnahme.csv", [{"ags": a, "name": region.name_of(a), "participated": "ja" if i % 2 else "nein"}
                                                   for i, a in enumerate(region.ags)])
    _csv(t / "leitprojekte_beteiligte.csv", [{"project_id": pid, "ags": a, "name": region.name_of(a)}
                                             for pid, members in (("P1", region.ags[::2]), ("P2", region.ags[:3]))
                                             for a in members])
    _csv(t / "leitprojekte_kandidaten.csv", [
        {"ID": "P1", "Leitprojekt": "Gemeinsame Akademie", "Zielbaum-Knoten": "M1", "Federführung": "Verein", "Zeithorizont": "kurzfristig"},
        {"ID": "P2", "Leitprojekt": "Gemeinsames Portal", "Zielbaum-Knoten": "M2", "Federführung": "Oberzentrum", "Zeithorizont": "langfristig"}])
    _csv(t / "leitprojekte_auswahl.csv", [{"ID": "P1", "Ausgewählt": "ja"}, {"ID": "P2", "Ausgewählt": "nein"}])
    _csv(t / "goal_tree.csv", [
        {"ID": "Z0", "Typ": "Oberziel", "Titel": "Gleichwertige Lebensverhältnisse", "Übergeordnet": None},
        {"ID": "Z1", "Typ": "Teilziel", "Titel": "Kompetenz", "Übergeordnet": "Z0"},
        {"ID": "M1", "Typ": "Maßnahme", "Titel": "Schulungen", "Übergeordnet": "Z1"},
        {"ID": "M2", "Typ": "Maßnahme", "Titel": "Portal", "Übergeordnet": "Z0"}])


@pytest.fixture(scope="module")
def region() -> Region:
    return load_region(REGION_FILE)


@pytest.fixture
def out(tmp_path, region) -> Path:
    write_tables(tmp_path, region)
    return tmp_path


def dossier_of(out: Path, ags: str | None, region_file: Path = REGION_FILE):
    report = reporting.start(ROOT / "data" / "example", out, region_file, show_banner=False)
    return load_dossier(report, ags)


def test_broadband_shows_the_contract_values_rank_and_comparison(out, region) -> None:
    i = 3
    ags = region.ags[i]
    d = dossier_of(out, ags)
    text = broadband.broadband_text(d)
    assert f"{german_number(10 + 2 * i, 1)} % der Haushalte" in text
    assert f"Rang {len(region.ags) - i} von {len(region.ags)}" in text
    assert "30.06.2021" in text and "31.12.2018" in text
    assert "In der Region insgesamt sind es 44,4 %" in text
    oz = region.ags.index(region.oberzentrum)
    assert f"im Oberzentrum {region.oberzentrum_name} {german_number(10 + 2 * oz, 1)} %" in text
    table = broadband.broadband_table(d)
    assert list(table.columns) == ["Anteil", region.name_of(ags), region.name, f"{region.oberzentrum_name} (Oberzentrum)"]
    change = table.loc[table["Anteil"].str.startswith("Veränderung"), region.name_of(ags)].item()
    assert change == f"+{german_number(10 + 2 * i - i, 1)} Prozentpunkte"
    assert "Bundesnetzagentur" in broadband.broadband_source(d) and "keine strenge Zeitreihe" in broadband.broadband_source(d)


def test_broadband_section_says_when_its_tables_are_missing(tmp_path, region) -> None:
    write_tables(tmp_path, region, trends=False)
    d = dossier_of(tmp_path, region.ags[1])
    assert broadband.broadband_table(d) is None
    assert "noch keine Auswertung" in broadband.broadband_text(d) and "Entwicklungstrends" in broadband.broadband_text(d)
    assert broadband.broadband_source(d) == "" and "noch nicht ausgewertet" in render.sources_markdown(d)


def test_population_has_date_share_size_class_and_oberzentrum(out, region) -> None:
    ags = region.ags[1]
    d = dossier_of(out, ags)
    text = population.population_text(d)
    row = region.municipalities.set_index("ags").loc[ags]
    assert german_number(int(row["population"])) in text and "Zensus 2022, Stand 15.05.2022" in text
    assert german_number(region.population) in text
    small = int((region.municipalities["population"] < 20_000).sum())
    assert f"„{'klein' if row['population'] < 20_000 else 'groß'}“" in text
    assert (f"wie {small - 1} weitere" in text) if row["population"] < 20_000 else True
    table = population.population_table(d)
    assert table.columns.tolist() == ["Merkmal", region.name_of(ags), region.name, f"{region.oberzentrum_name} (Oberzentrum)"]


def test_oberzentrum_page_compares_with_the_region_only(out, region) -> None:
    d = dossier_of(out, None)
    assert d.ags == region.oberzentrum
    assert population.population_table(d).columns.tolist() == ["Merkmal", region.oberzentrum_name, region.name]
    assert "das Oberzentrum" not in inventory.index_text(d)


def test_inventory_index_and_only_the_municipalitys_own_gaps(out, region) -> None:
    i = 6  # i % 4 == 2: two gaps (Anwendung A level 0, Anwendung B level 1)
    ags = region.ags[i]
    d = dossier_of(out, ags)
    n = len(region.ags)
    text = inventory.index_text(d)
    assert f"**{german_number(20 + i, 1)}**" in text and f"Rang {n - i} von {n}" in text
    assert f"Mittelwert der Region liegt bei {german_number(20 + (n - 1) / 2, 1)}" in text
    gaps = inventory.gaps_table(d)
    assert gaps["Anwendung"].tolist() == ["Anwendung B", "Anwendung A"]  # the shared-service candidate first
    assert gaps["Vorschlag für einen gemeinsamen Dienst"].tolist() == ["ja", "nein"]
    assert "**2 Online-Dienste**" in inventory.gaps_text(d) and "ab Stufe 3" in inventory.gaps_text(d)
    assert "1 davon gehören zu den Vorschlägen" in inventory.gaps_text(d)


def test_participation_only_and_lead_projects_with_sheets_and_goals(out, region) -> None:
    i = 2
    d = dossier_of(out, region.ags[i])
    table = participation.participation_table(d)
    survey = table.set_index("Beteiligung").loc["Befragung der Kommunen"]
    assert survey[region.name_of(region.ags[i])] == "teilgenommen"  # i % 3 != 0
    assert survey[region.name] == f"{sum(1 for k in range(len(region.ags)) if k % 3)} von {len(region.ags)} Kommunen"
    poll = table.set_index("Beteiligung").loc["Online-Abfrage zu den Leitprojekten"]
    assert poll[region.name_of(region.ags[i])] == "nicht teilgenommen"  # i % 2 == 0
    markdown = projects.projects_markdown(d)
    assert "**2 von 2 Leitprojekt-Kandidaten**" in markdown  # member 2 is in P1 (every second) and P2 (first three)
    assert f"]({projects.sheet_href('P1')})" in markdown and "P2); Federführung: Oberzentrum" in markdown
    assert "[Projektsteckbrief P2]" not in markdown  # not selected: no sheet
    goals = projects.goals_markdown(d)
    assert "Gleichwertige Lebensverhältnisse → Kompetenz → Schulungen (Leitprojekt P1)" in goals
    assert "Gleichwertige Lebensverhältnisse → Portal (Leitprojekt P2)" in goals


def test_a_member_outside_every_project(out, region) -> None:
    d = dossier_of(out, region.ags[5])  # odd and not among the first three
    assert "**0 von 2 Leitprojekt-Kandidaten**" in projects.projects_markdown(d)
    assert "kein Ziel" in projects.goals_markdown(d)


def test_unknown_member_and_bad_table_are_clear_errors(out, region) -> None:
    with pytest.raises(ValueError, match="is not a member of"):
        dossier_of(out, "09999999")
    path = out / "tables" / "inventory_index.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("20.0,", "zwanzig,", 1), encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        dossier_of(out, region.ags[0])
    assert "inventory_index.csv" in str(error.value) and "maturity_index" in str(error.value)
    path.write_text("ags,name\n05774032,Paderborn\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="column missing"):
        dossier_of(out, region.ags[0])


def test_stakeholder_text_shows_no_parameter_names_code_or_paths(out, region) -> None:
    d = dossier_of(out, region.ags[4])
    parts = [population.population_text(d), broadband.broadband_text(d), broadband.broadband_source(d), inventory.index_text(d),
             inventory.gaps_text(d), participation.participation_text(d), projects.projects_markdown(d),
             projects.goals_markdown(d), render.sources_markdown(d), render.data_text(d), render.heading(d)]
    text = "\n".join(parts)
    for word in ("compliant_level", "output_dir", "data_dir", ".csv", "tables/", "`", "None", "nan", "ags"):
        assert word not in text, word


def test_loaders_name_every_table_in_the_pipeline_declaration() -> None:
    """What the dossier reads is what the pipeline hashes for it (else a change would not rerun it)."""
    import yaml

    declared = yaml.safe_load((ROOT / "notebooks" / "pipeline.yaml").read_text(encoding="utf-8"))["notebooks"]["07_dossier"]["reads"]
    files = {Path(r["file"] if isinstance(r, dict) else r).name: r for r in declared}
    for key, spec in tables.TABLES.items():
        assert spec.file in files, spec.file
        read = files[spec.file]
        if isinstance(read, dict) and read.get("columns"):
            assert set(spec.columns) <= set(read["columns"]), (spec.file, spec.columns, read["columns"])
        rows = read.get("rows") if isinstance(read, dict) else None
        if key in tables.PER_MUNICIPALITY:  # the dossier reads its own and the Oberzentrum's rows: exactly those hashed
            assert rows == {spec.ags: ["{ags}", "{oberzentrum}"]}, (spec.file, rows)
        else:
            assert rows is None, (spec.file, "the dossier reads every row of this table")


@pytest.mark.notebook
def test_the_notebook_runs_for_another_region(run_notebook, tmp_path) -> None:
    """Any region: a region file the test writes (other members, another Oberzentrum); nothing of the default region shows."""
    municipalities = ROOT / "data" / "reference" / "municipalities.csv"
    table = pd.read_csv(municipalities, dtype=str)
    members = table[table["kreis"].isin(["Kreis Lippe", "Kreis Höxter"])]["ags"].tolist()[:5]
    oberzentrum = table.set_index("ags").loc[members, "population"].astype(int).idxmax()
    region_file = tmp_path / "testregion.yaml"
    region_file.write_text(json.dumps({"name": "Testregion Lippe-Höxter", "municipalities_file": str(municipalities),
                                       "oberzentrum": oberzentrum, "members": members}), encoding="utf-8")
    test_region = load_region(region_file)
    write_tables(tmp_path / "outputs", test_region)
    ags = next(a for a in members if a != oberzentrum)
    out = run_notebook("07_dossier", region=str(region_file), ags=ags)
    nb = json.loads((out / "notebooks" / "07_dossier.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(o.get("data", {}).get("text/markdown", "")) + "".join(o.get("data", {}).get("text/html", ""))
                     for cell in nb["cells"] for o in cell.get("outputs", []))
    assert f"Kommunaldossier {test_region.name_of(ags)}" in text
    assert f"{test_region.name_of(oberzentrum)} (Oberzentrum)" in text and "Testregion Lippe-Höxter" in text
    assert f"in den {len(members)} Kommunen" in text
    default = load_region(REGION_FILE)
    assert default.oberzentrum_name not in text and default.name not in text
    assert not any(o.get("output_type") == "error" for cell in nb["cells"] for o in cell.get("outputs", []))


def test_text_and_ags_tables_come_out_as_the_schema_returns_them(out, region) -> None:
    """The member's rows of a table of text and AGS skip pandera; they must be what its check returns."""
    from regiopole.data import validate

    for key in ("project_participants", "survey_participation", "poll_participation"):
        spec = tables.TABLES[key]
        assert not spec.numbers and spec.ags, key
        rows = tables._text_table(tables.table_path(out, key), key)
        rows = rows[rows["ags"].isin(region.ags[:2])]
        fast = tables._checked(key, rows)
        checked = validate(rows.mask(rows.eq(""), None)[spec.columns], spec.schema())
        pd.testing.assert_frame_equal(fast, checked)
        assert fast.attrs == checked.attrs


def test_a_bad_ags_in_a_text_table_is_still_reported_by_the_schema(out, region) -> None:
    path = out / "tables" / "leitprojekte_beteiligte.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(f",{region.ags[0]},", f",{region.ags[0][1:]},", 1),
                    encoding="utf-8")
    with pytest.raises(DataValidationError) as error:
        tables.load(out, "project_participants", (region.ags[0][1:], region.oberzentrum))
    assert "leitprojekte_beteiligte.csv" in str(error.value) and "row 2" in str(error.value)
    assert "8-digit AGS" in str(error.value)


def test_a_dossier_kernel_after_a_members_project_changed_imports_no_pandera(out, region, tmp_path_factory) -> None:
    """The lone dossier rerun after one member joined a project: its changed rows are text and
    AGS, every other table is in the cache, so the kernel needs no pandera (0.3 s of CPU)."""
    import os
    import subprocess
    import sys

    from regiopole.paths import TABLE_CACHE_ENV

    member = region.ags[1]
    script = (f"import sys\nfrom pathlib import Path\nfrom regiopole.dossier import tables\n"
              f"tables.load_all(Path({str(out)!r}), {member!r}, {region.oberzentrum!r})\n"
              "print('pandera' in sys.modules)\n")
    env = {**os.environ, TABLE_CACHE_ENV: str(tmp_path_factory.mktemp("cache"))}

    def kernel() -> str:
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip()

    assert kernel() == "True"  # the first kernel checks the tables with numbers
    path = out / "tables" / "leitprojekte_beteiligte.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"P9,{member},{region.name_of(member)}\n")
    assert kernel() == "False"
