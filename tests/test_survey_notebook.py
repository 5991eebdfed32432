"""Smoke test of notebook 02_survey on the example data: nothing small, nothing personal is published."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import reproduced

from regiopole import privacy
from regiopole.example import default_dir

pytestmark = pytest.mark.notebook


def published_counts(table: pd.DataFrame) -> list[int]:
    """Whole-number cells and counts written as 'x von n'."""
    cells = table.astype(str).to_numpy().ravel()
    plain = [int(c) for c in cells if re.fullmatch(r"\d+", c.strip())]
    in_text = [int(v) for c in cells for m in re.finditer(r"(?<![\d.,])(\d+) von (\d+)", c) for v in m.groups()]
    return plain + in_text


@pytest.fixture(scope="module")
def executed():
    import nbformat
    from nbconvert import HTMLExporter

    out = reproduced("02_survey")  # the report as the default run wrote it (`make reproduce`)
    target = out / "notebooks" / "02_survey.ipynb"
    html, _ = HTMLExporter(exclude_input=True).from_notebook_node(nbformat.read(target, as_version=4))
    return out, html


def test_no_published_table_holds_a_count_of_one_or_two(executed):
    out, _ = executed
    tables = sorted((out / "tables").glob("survey_*.csv"))
    assert len(tables) >= 12
    for path in tables:
        if path.stem.startswith(("survey_response_rate_", "survey_participation")):
            continue  # participation is public per municipality (the map), so it is published in full
        counts = published_counts(pd.read_csv(path, dtype=str, keep_default_na=False))
        assert not {1, 2} & set(counts), f"{path.name} publishes a count below the minimum cell size"


def test_participation_table_is_the_only_per_municipality_output(executed):
    out, _ = executed
    participation = pd.read_csv(out / "tables" / "survey_participation.csv", dtype=str)
    assert list(participation.columns) == ["ags", "name", "participated"] and len(participation) == 29
    for path in (out / "tables").glob("survey_*.csv"):
        if path.name != "survey_participation.csv":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\b05\d{6}\b", text), f"{path.name} names a municipality by AGS"


def test_html_shows_no_e_mail_address_phone_number_or_name(executed):
    _, html = executed
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    assert not privacy.contains_personal_data(text)
    assert "example.org/~" not in text and "/mitarbeiter/" not in text
    for name in privacy.load_names(default_dir() / "survey_names.txt"):
        assert name not in text
    assert re.search(r"\[(E-Mail|Telefon|Name|Link) entfernt\]", text)  # redacted texts were shown
    assert "Beispieldaten" in text and "192.0.2." not in text


def test_figures_are_written(executed):
    out, _ = executed
    assert {p.stem for p in (out / "figures").glob("survey_*.png")} == {"survey_huerden", "survey_unterst", "survey_koop",
                                                                         "survey_benchmarks"}


def test_all_published_tables_together_pass_the_disclosure_audit(executed):
    from regiopole.privacy import audit

    out, _ = executed
    assert audit.check_outputs(out) >= 10  # every count table declared its structure, none gives a cell back
