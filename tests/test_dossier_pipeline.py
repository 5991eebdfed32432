"""The dossiers as `regiopole run` makes them: on the reports' real tables, three members only.

One temporary copy of the project, with the run ``make reproduce`` left (the reports the
dossiers read, on the example data and the official broadband data), runs the dossiers of
three members: one that answered the survey with free text and voted in
the poll, the Oberzentrum, and one more. The tests then check

- privacy: no dossier shows its municipality's own survey answers (free texts, answer labels,
  question or item texts) or poll votes (only the projects it takes part in are named), and
  turning its answers and votes around changes no dossier (none is even rerun);
- the published page: headings in order, every table with headers and a caption, no code;
- incrementality: the member joining one more lead project reruns only its own dossier
  (and the lead-project report), a change every dossier shows reruns all three.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from regiopole.data import load_region, read_table
from regiopole.pipeline.runner import RunOptions, run
from regiopole.survey import load_codebook
from conftest import reproduced

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
FREE_TEXT_MIN = 12  # characters of a free-text fragment that may not appear in a dossier


def chosen_members() -> list[str]:
    """A member with survey free text that also voted, the Oberzentrum, and a third member."""
    region = load_region()
    survey = read_table(EXAMPLE / "survey_export.csv")
    votes = read_table(EXAMPLE / "poll_votes.csv")
    names = {name: ags for ags, name in region.names().items()}
    with_text = [names[row["GEMEINDE"]] for _, row in survey.iterrows()
                 if isinstance(row.get("ANMERKUNG"), str) and len(row["ANMERKUNG"]) > 30 and row["GEMEINDE"] in names]
    voters = set(votes["voter_ags"])
    first = next(a for a in with_text if a in voters and a != region.oberzentrum)
    third = next(a for a in region.ags if a not in (first, region.oberzentrum))
    return [first, region.oberzentrum, third]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    members = chosen_members()
    dossiers = [f"07_dossier-{a}" for a in members]
    # A copy of the project with the run `make reproduce` left: the reports stay up to date there (same
    # files, same hashes), so the steps below rerun only what each change concerns; the three dossiers
    # lose their records and run first.
    reproduced("00_region", "01_inventory", "02_survey", "03_trends", "04_workshops", "05_leitprojekte", *dossiers)
    root = tmp_path_factory.mktemp("dossiers")
    for folder in ("notebooks", "data", "regiopole", "outputs"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "raw", "boundaries"))
    shutil.copy(ROOT / "pyproject.toml", root)
    manifest_file = root / "outputs" / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    for name in dossiers:
        del manifest["notebooks"][name]
        (root / "outputs" / "html" / f"{name}.html").unlink()
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    runs = {}

    def step(name: str) -> None:
        report = run(root, RunOptions(notebooks=[f"07_dossier-{a}" for a in members], jobs=2, live=False),
                     stream=io.StringIO())
        assert report.ok, {n: (o.status, o.message) for n, o in report.outcomes.items()}
        runs[name] = {n: o.status for n, o in report.outcomes.items()}

    step("first")
    pages = {a: (root / "outputs" / "html" / f"07_dossier-{a}.html").read_text(encoding="utf-8") for a in members}
    step("unchanged")
    change_answers_and_votes(root / "data" / "example", load_region().name_of(members[0]), members[0])
    step("answers")
    candidates = root / "data" / "example" / "leitprojekte_candidates.csv"
    table = read_table(candidates)
    joined = next(pid for pid, cell in zip(table["project_id"], table["participants"]) if members[2] not in cell)
    text = candidates.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(f"{joined},"))
    fields = line.split(",")
    column = table.columns.get_loc("participants")
    fields[column] = f"{fields[column]};{members[2]}"
    candidates.write_text(text.replace(line, ",".join(fields)), encoding="utf-8")
    step("joined")
    # a regional value every dossier shows: the Oberzentrum's official shares, an input of the trends report
    atlas = root / "data" / "reference" / "broadband" / "paket3_indicators.parquet"
    values = pd.read_parquet(atlas)
    values.loc[values["key"] == load_region().oberzentrum, "share"] *= 0.99
    values.to_parquet(atlas, index=False)
    step("shared")
    return {"root": root, "members": members, "pages": pages, "runs": runs, "joined": joined}


def change_answers_and_votes(data: Path, name: str, ags: str) -> None:
    """Turn every scale answer of municipality ``name`` around, replace its free texts, reverse its poll
    ranks and approvals: what a dossier shows may not depend on any of it."""
    path = data / "survey_export.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if len(row) != len(header) or row[header.index("GEMEINDE")] != name:
            continue
        for i, column in enumerate(header):
            five_point = column.startswith(("HUERDEN[", "UNTERST[")) or column in ("STAND", "PERSLAGE")
            if five_point and re.fullmatch(r"A[1-5]", row[i]):
                row[i] = f"A{6 - int(row[i][1])}"
            elif column in ("ANMERKUNG", "KOOP[other]") and row[i]:
                row[i] = "Eine ganz andere Anmerkung zum Test"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    path = data / "poll_votes.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        votes = list(csv.DictReader(handle))
    own = [v for v in votes if v["voter_ags"] == ags]
    ranked = sorted(int(v["rank"]) for v in own if v["rank"])
    for vote in own:
        vote["approved"] = "nein" if vote["approved"] == "ja" else "ja"
        if vote["rank"]:
            vote["rank"] = str(ranked[-1] + 1 - int(vote["rank"]))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(votes[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(votes)


def stakeholder_text(page: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["style", "script", "footer", "nav"]):
        tag.decompose()
    return soup.get_text(" ", strip=True)


def survey_labels() -> set[str]:
    """Question, item and answer labels of the questionnaire: no dossier table may hold them (a table
    of survey content). In running text an item label alone is no answer (goals and projects share
    words with the questionnaire), so the text check uses the municipality's own answers."""
    book = load_codebook()
    labels = set()
    for question in book.questions:
        labels |= {question.text, question.short, *(i.label for i in question.items), *(a.label for a in question.answers)}
        labels |= {a.label for a in (question.scale.answers if question.scale else ())}
    return labels - {"Ja", "Nein", "ja", "nein"}  # the dossiers' own yes/no cells


def own_survey_content(ags: str) -> list[str]:
    """Phrases that would reveal what this municipality answered: its free texts, the labels of its answers."""
    region = load_region()
    book = load_codebook()
    export = read_table(EXAMPLE / "survey_export.csv")
    rows = export[export["GEMEINDE"].eq(region.name_of(ags))]
    phrases = []
    for question in book.questions:
        if question.type == "municipality":
            continue
        phrases.append(question.text)
        options = {o.code: o.label for o in (*question.answers, *(question.scale.answers if question.scale else ()))}
        for field in question.fields():
            for value in rows.get(field.column, []):
                if not isinstance(value, str):
                    continue
                if question.type == "text" or field.is_other:
                    phrases += [part.strip() for part in re.split(r"[.,;:!?]", value) if len(part.strip()) >= FREE_TEXT_MIN]
                elif value in options and " " in options[value]:
                    # a label of several words ("Stimme eher zu"); one word ("Wissensplattform") may be the
                    # title of a project the municipality takes part in: the test below covers those
                    phrases.append(options[value])
    return [p for p in phrases if p]


def test_every_member_page_is_published_and_listed_in_the_index(project) -> None:
    index = (project["root"] / "outputs" / "html" / "index.html").read_text(encoding="utf-8")
    region = load_region()
    for ags in project["members"]:
        assert f'href="07_dossier-{ags}.html"' in index
        assert f"Kommunaldossier {region.name_of(ags)}" in stakeholder_text(project["pages"][ags])


def test_no_dossier_shows_its_own_survey_answers_or_poll_votes(project) -> None:
    votes = read_table(EXAMPLE / "poll_votes.csv")
    candidates = read_table(EXAMPLE / "leitprojekte_candidates.csv")
    all_ids = set(candidates["project_id"])
    tables = project["root"] / "outputs" / "tables"
    for ags, page in project["pages"].items():
        text = stakeholder_text(page)
        # answer labels share words with project and goal titles ("Schnittstellen und Standards"): a label
        # may appear inside such a title, never on its own (the next test shows the page ignores answers)
        titles = [*read_table(tables / "leitprojekte_kandidaten.csv")["Leitprojekt"], *read_table(tables / "goal_tree.csv")["Titel"]]
        untitled = re.sub("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)), " ", text)
        leaked = [p for p in own_survey_content(ags) if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", untitled)]
        assert leaked == [], (ags, leaked)
        cells = {cell.get_text(" ", strip=True) for cell in BeautifulSoup(page, "html.parser").select("table th, table td")}
        assert cells & survey_labels() == set(), (ags, "a table of survey content")
        for word in ("zugestimmt", "Zustimmung", "gereiht", "Borda", "Stimmen der", "Punkte in der Abfrage"):
            assert word not in text, (ags, word)
        mentioned = {pid for pid in all_ids if re.search(rf"\b{pid}\b", text)}
        takes_part = {pid for pid, cell in zip(candidates["project_id"], candidates["participants"]) if ags in cell}
        assert mentioned == takes_part, (ags, "only the projects it takes part in, never those it voted for")
        own_votes = votes[votes["voter_ags"].eq(ags)]
        assert own_votes.empty or "Abfrage" in text  # it voted: the page says so, and no more (checked above)


def test_a_dossier_does_not_depend_on_its_own_answers_or_votes(project) -> None:
    """Turning the first member's survey answers and poll votes around reruns the survey and the
    lead-project reports, and no dossier: none of them reads anything from which they follow."""
    answers = project["runs"]["answers"]
    assert answers["02_survey"] == "ok" and answers["05_leitprojekte"] == "ok"
    assert {answers[f"07_dossier-{a}"] for a in project["members"]} == {"skipped"}


def test_published_page_is_accessible_and_shows_no_code(project) -> None:
    for ags, page in project["pages"].items():
        soup = BeautifulSoup(page, "html.parser")
        assert soup.html.get("lang") == "de"
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
        tables = soup.find_all("table")
        assert len(tables) >= 4
        for table in tables:
            assert table.find("thead") and table.find("thead").find_all("th")
            assert table.find("caption") and table.find("caption").get_text(strip=True)
        text = stakeholder_text(page)
        for word in ("load_dossier", "import ", "output_dir", ".csv", "None", "nan", "Traceback"):
            assert word not in text, (ags, word)
        assert "Beispieldaten" in text and "Bundesnetzagentur" in text and "Zensus 2022" in text


def test_a_change_for_one_member_reruns_only_its_dossier_and_a_shared_change_all(project) -> None:
    first, oz, third = (f"07_dossier-{a}" for a in project["members"])
    runs = project["runs"]
    assert {runs["first"][n] for n in (first, oz, third)} == {"ok"}
    assert set(runs["unchanged"].values()) == {"skipped"}
    joined = runs["joined"]
    assert joined["05_leitprojekte"] == "ok" and joined[third] == "ok"
    assert joined[first] == "skipped" and joined[oz] == "skipped"
    page = (project["root"] / "outputs" / "html" / f"{third}.html").read_text(encoding="utf-8")
    assert f"({project['joined']})" in stakeholder_text(page)  # the changed table, not a cached one
    assert list((project["root"] / "outputs" / ".cache" / "tables").glob("*.pickle"))  # the kernels kept theirs
    shared = runs["shared"]
    assert {shared[n] for n in (first, oz, third)} == {"ok"} and shared["05_leitprojekte"] == "skipped"
