"""Hand-checked Likert shares, suppression in every survey table, benchmarks, correlation, free text, figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from regiopole import privacy  # noqa: E402
from regiopole.example import default_dir  # noqa: E402
from regiopole.survey import analysis, benchmarks, figures, freetext, import_survey, likert, participation  # noqa: E402

EXAMPLE = default_dir() / "survey_export.csv"


@pytest.fixture(scope="module")
def example(book, region):
    return import_survey(EXAMPLE, book, region)


def frame_with(book, counts: dict[str, dict[str, int]], n: int) -> pd.DataFrame:
    """Responses whose HUERDEN items have the given answer counts (rest: shown, not answered)."""
    data = {f.column: [""] * n for f in book.fields()}
    for column, by_code in counts.items():
        values = [code for code, k in by_code.items() for _ in range(k)]
        data[column] = values + [""] * (n - len(values))
    return pd.DataFrame(data)


def test_hand_checked_likert_shares(book):
    q = book.question("HUERDEN")
    responses = frame_with(book, {"HUERDEN[SQ002]": {"A1": 0, "A2": 3, "A3": 4, "A4": 10, "A5": 7},
                                  "HUERDEN[SQ001]": {"A1": 5, "A2": 5, "A3": 4, "A4": 3, "A5": 3}}, 24)
    table = likert.likert_table(responses, q, 3).set_index("Aussage")
    staff = table.loc["Zu wenig Personal"]
    assert staff["n"] == 24
    assert staff["Stimme eher zu"] == "10 von 24 (42\u00a0%)"
    assert staff["Zustimmung"] == "17 von 24 (71\u00a0%)"
    assert staff["Saldo Zustimmung – Ablehnung"] == "58 Prozentpunkte"  # (17 - 3) / 24
    assert table.index[0] == "Zu wenig Personal"  # sorted by net agreement
    pm = table.loc["Fehlende Projektmanagement-Strukturen"]
    assert pm["n"] == 20 and pm["Zustimmung"] == "6 von 20 (30\u00a0%)" and pm["Saldo Zustimmung – Ablehnung"] == "\u221220 Prozentpunkte"


def test_small_cells_are_suppressed_and_cannot_be_recomputed(book):
    q = book.question("HUERDEN")
    responses = frame_with(book, {"HUERDEN[SQ002]": {"A1": 1, "A2": 3, "A3": 4, "A4": 10, "A5": 6}}, 24)
    row = likert.likert_table(responses, q, 3).set_index("Aussage").loc["Zu wenig Personal"]
    assert row["Stimme überhaupt nicht zu"] == privacy.SUPPRESSED
    assert row["Stimme eher nicht zu"] == privacy.SUPPRESSED  # secondary: 24 - (4 + 10 + 6) would reveal the 1
    assert row["Zustimmung"] == "16 von 24 (67\u00a0%)"  # holds no suppressed cell: safe
    assert row["Saldo Zustimmung – Ablehnung"] != privacy.SUPPRESSED  # all suppressed cells lie in 'Ablehnung'


def test_group_with_part_of_the_suppressed_cells_is_withheld(book):
    q = book.question("HUERDEN")
    responses = frame_with(book, {"HUERDEN[SQ002]": {"A1": 6, "A2": 5, "A3": 4, "A4": 7, "A5": 1}}, 23)
    freq = likert.likert_frequencies(responses, q, 3)
    hidden = [c for c in q.scale.codes if freq.mask.at["HUERDEN[SQ002]", c]]
    assert "A5" in hidden and len(hidden) >= 2
    if set(hidden) != {"A4", "A5"}:
        assert freq.group("HUERDEN[SQ002]", ["A4", "A5"]) is None


def test_an_item_with_too_few_answers_is_suppressed_whole(book):
    responses = frame_with(book, {"HUERDEN[SQ002]": {"A4": 2}}, 10)
    row = likert.likert_table(responses, book.question("HUERDEN"), 3).set_index("Aussage").loc["Zu wenig Personal"]
    assert (row.drop("Aussage", errors="ignore") == privacy.SUPPRESSED).all()


def test_every_example_table_passes_the_guard(example, book, region):
    r = example.responses
    tables = [likert.likert_table(r, book.question(c), 3) for c in ("HUERDEN", "UNTERST")]
    tables += [analysis.choice_table(r, book.question(c), 3) for c in ("STAND", "PERSLAGE", "DIGIBEAUF", "STRATEGIE")]
    tables += [analysis.multiple_table(r, book.question("KOOP"), 3), analysis.ranking_table(r, book.question("PRIO"), 3),
               analysis.numeric_table(r, book.question("VZAE"), (1, 3, 10), 3)]
    for table in tables:
        privacy.assert_publishable(table, 3)
    with pytest.raises(privacy.DisclosureError):
        privacy.assert_publishable(pd.DataFrame({"x": ["2 von 24 (8 %)"]}), 3)


def test_example_data_are_anchored_in_the_national_figures(example):
    r = example.responses

    def share(column, codes):
        answered = likert.valid(r[column])
        return answered.isin(codes).mean()
    assert 0.55 <= share("HUERDEN[SQ002]", ["A4", "A5"]) <= 0.70
    assert 0.55 <= share("HUERDEN[SQ003]", ["A4", "A5"]) <= 0.65
    assert 0.40 <= share("HUERDEN[SQ001]", ["A4", "A5"]) <= 0.55
    assert 0.20 <= share("STRATEGIE", ["A1"]) <= 0.35
    assert 0.75 <= share("UNTERST[SQ002]", ["A4", "A5"]) <= 0.95
    assert 0.60 <= share("UNTERST[SQ001]", ["A4", "A5"]) <= 0.70
    assert 0.30 <= share("DIGIBEAUF", ["Y"]) <= 0.45
    assert example.selection.incomplete > 0 and example.selection.duplicates_set_aside == 1
    assert 20 <= example.n < 29


def test_participation_file_for_the_map(example, region):
    table = participation.participation_table(region, example.responses)
    assert list(table.columns) == ["ags", "name", "participated"]
    assert len(table) == 29 and set(table["participated"]) == {"ja", "nein"}
    assert (table["participated"] == "ja").sum() == example.n


def test_comparison_only_when_every_group_is_large_enough(example, book, region):
    table, note = analysis.compare_groups(example.responses, region, book, 3, bounds=(10_000, 20_000, 50_000, 100_000))
    assert table is None and "weniger als 6 Antworten" in note
    table, _ = analysis.compare_groups(example.responses, region, book, 3, bounds=(20_000,))
    assert list(table.columns) == ["Merkmal", "unter 20.000", "20.000 und mehr"]


def test_benchmarks_have_a_source_each_and_sit_beside_the_region(example, book):
    marks = benchmarks.load_benchmarks(book)
    assert marks["source"].str.len().gt(20).all() and marks["benchmark_id"].is_unique
    table = benchmarks.benchmark_table(example.responses, book, marks, 3)
    staff = table.set_index("Kennzahl").loc["Personalsituation für Digitales schlecht oder sehr schlecht"]
    assert staff["Bundesweit"] == "42 %" and "Zukunftsradar" in staff["Quelle"]
    expected = likert.valid(example.responses["PERSLAGE"]).isin(["A1", "A2"])
    assert staff["Region"].startswith(f"{expected.sum()} von {len(expected)}")


def test_rank_correlation_with_the_inventory_index(example, book, tmp_path):
    table, note = benchmarks.inventory_correlation(example.responses, book, tmp_path / "missing.csv")
    assert table is None and "liegt nicht vor" in note
    rng = np.random.default_rng(1)
    index = pd.DataFrame({"ags": example.responses["ags"], "maturity_index": rng.uniform(0, 4, example.n).round(2)})
    index.to_csv(tmp_path / "inventory_index.csv", index=False)
    table, _ = benchmarks.inventory_correlation(example.responses, book, tmp_path / "inventory_index.csv")
    hurdles = analysis.hurdle_index(example.responses, book)
    expected = pd.DataFrame({"x": hurdles, "y": index["maturity_index"]}).corr(method="spearman").iloc[0, 1]
    assert table.iloc[0]["Spearman-Rangkorrelation"] == f"{expected:.2f}".replace(".", ",").replace("-", "\u2212")
    assert table.iloc[0]["n"] == example.n and len(table) == 2


def test_free_text_is_redacted_before_grouping(example, book, region):
    names = privacy.load_names(default_dir() / "survey_names.txt")
    texts = freetext.redacted_texts(example.responses, book, region, names)
    joined = " ".join(texts)
    assert "@" not in joined and not privacy.contains_personal_data(joined)
    assert not any(name in joined for name in names)
    assert "~" not in joined and privacy.URL_TEXT in joined
    themes = freetext.theme_table(texts, book, 3)
    privacy.assert_publishable(themes, 3)
    quotes = freetext.quotes(texts, book, 3)
    shown = themes.set_index("Thema")["Freitexte"]
    assert set(quotes["Thema"]) <= set(shown[shown != privacy.SUPPRESSED].index)


def test_diverging_bars_never_draw_a_suppressed_count(book):
    q = book.question("HUERDEN")
    responses = frame_with(book, {"HUERDEN[SQ002]": {"A1": 1, "A2": 3, "A3": 4, "A4": 10, "A5": 6}}, 24)
    freq = likert.likert_frequencies(responses, q, 3)
    fig = figures.diverging_likert(freq, q, 3)
    widths = {round(p.get_width(), 6) for p in fig.axes[0].patches}
    assert round(1 / 24, 6) not in widths and round(3 / 24, 6) not in widths  # A1 and A2 hidden
    assert round(4 / 24, 6) in widths and round(10 / 24, 6) in widths  # visible segments are exact
    assert any(p.get_hatch() for p in fig.axes[0].patches)
