"""The redaction corpus through every report's free-text path: 0 leaks, 0 look-alikes changed."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
import yaml

from regiopole import privacy
from regiopole.example import default_dir
from regiopole.leitprojekte import candidates
from regiopole.survey import freetext
from regiopole.workshops import goaltree, publish
from tests.fixtures.privacy_corpus import LOOK_ALIKES, PERSONAL

NAMES = privacy.load_names(default_dir() / privacy.NAMES_FILE)
TEXTS = [text for text, _ in PERSONAL]


def leaks(outputs: list[str]) -> list[tuple[str, str, list[str]]]:
    """(input, output, secrets still in the output) of every corpus entry that leaks."""
    found = []
    for (text, secrets), out in zip(PERSONAL, outputs, strict=True):
        left = [s for s in secrets if s.casefold() in out.casefold()]
        if left:
            found.append((text, out, left))
    return found


def with_places(text: str, places: list[str]) -> str:
    """A look-alike as a report that hides the member municipalities must show it."""
    for place in sorted(places, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(place)}(?!\w)", privacy.PLACE_TEXT, text)
    return text


def test_the_corpus_is_large_enough():
    assert len(PERSONAL) >= 60 and len(LOOK_ALIKES) >= 20


def test_redactor_removes_every_form_and_keeps_every_look_alike():
    redact = privacy.Redactor(tuple(NAMES))
    assert leaks([redact(t) for t in TEXTS]) == []
    assert [t for t in LOOK_ALIKES if redact(t) != t] == []
    assert not any(privacy.contains_personal_data(redact(t)) for t in TEXTS)


def test_survey_free_texts_and_other_answers(book, region):
    fields = freetext.text_fields(book)
    assert any("other" in f for f in fields)
    for column in fields[:2]:  # a text question and an "other" answer
        rows = TEXTS + LOOK_ALIKES
        responses = pd.DataFrame({f: (rows if f == column else [""] * len(rows)) for f in fields})
        out = freetext.redacted_texts(responses, book, region, freetext.redaction_names(default_dir(), None)).tolist()
        assert leaks(out[:len(TEXTS)]) == []
        places = list(region.municipalities["name"])
        assert out[len(TEXTS):] == [with_places(t, places) for t in LOOK_ALIKES]


def test_workshop_cards_are_checked_against_the_names_list_by_default(region):
    names = publish.redaction_names(None, str(default_dir()))
    assert names == NAMES
    rows = TEXTS + LOOK_ALIKES
    cards = pd.DataFrame({"workshop": "W1", "group": "A", "text": rows, "votes": 4})
    places = list(region.municipalities["name"])
    out = publish.cards_table(cards, places=places, names=names)["Kartentext"].tolist()
    assert leaks(out[:len(TEXTS)]) == []
    assert out[len(TEXTS):] == [with_places(t, places) for t in LOOK_ALIKES]


@pytest.fixture
def data_folder(tmp_path):
    for name in ("leitprojekte_candidates.csv", "goal_tree.yaml", privacy.NAMES_FILE):
        shutil.copy(default_dir() / name, tmp_path / name)
    return tmp_path


def test_goal_tree_text_fields(data_folder):
    nodes = yaml.safe_load((data_folder / "goal_tree.yaml").read_text(encoding="utf-8"))
    root = next(n["id"] for n in nodes if n["type"] == "goal")
    rows = TEXTS + LOOK_ALIKES
    nodes += [{"id": f"T{i}", "title": f"Maßnahme {i}", "type": "measure", "parent": root,
               "responsible": text, "indicator": text, "description": text} for i, text in enumerate(rows)]
    (data_folder / "goal_tree.yaml").write_text(yaml.safe_dump(nodes, allow_unicode=True), encoding="utf-8")
    tree = goaltree.load_goal_tree(data_folder / "goal_tree.yaml")
    for key in ("responsible", "indicator", "description"):
        out = [tree.nodes[f"T{i}"][key] for i in range(len(rows))]
        assert leaks(out[:len(TEXTS)]) == [], key
        assert [t for t, o in zip(LOOK_ALIKES, out[len(TEXTS):], strict=True) if o != t] == [], key


def test_lead_project_lead_description_and_funding(data_folder, region):
    path = data_folder / "leitprojekte_candidates.csv"
    table = pd.read_csv(path, dtype=str)
    rows = TEXTS + LOOK_ALIKES
    extra = pd.DataFrame([table.iloc[0]] * len(rows)).reset_index(drop=True)
    extra["project_id"] = [f"T{i}" for i in range(len(rows))]
    extra["title"] = [f"Testprojekt {i}" for i in range(len(rows))]
    for column in ("lead", "funding", "description"):
        extra[column] = rows
    pd.concat([table, extra]).to_csv(path, index=False)
    loaded = candidates.load_candidates(data_folder, region).iloc[len(table):]
    published = candidates.candidates_table(loaded)
    for column, out in (("lead", published["Federführung"]), ("funding", published["Finanzierung"]),
                        ("description", loaded["description"])):
        out = out.tolist()
        assert leaks(out[:len(TEXTS)]) == [], column
        assert [t for t, o in zip(LOOK_ALIKES, out[len(TEXTS):], strict=True) if o != t] == [], column
