"""German tables and sentences of the inventory report follow the data, not fixed wording."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from regiopole.data import load_applications, load_region
from regiopole.inventory import effective_levels, municipality_scores, read_matrix, shared_service_candidates
from regiopole.inventory import figures, summary

matplotlib.use("Agg")
FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
APPS = load_applications(FIXTURES / "applications.csv")
REGION = load_region(FIXTURES / "region.yaml")


@pytest.fixture(scope="module")
def levels():
    return effective_levels(read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS), REGION, APPS)


@pytest.fixture(scope="module")
def scores(levels):
    return municipality_scores(levels, REGION, APPS, n_bootstrap=200, seed=1)


def test_index_table_rounds_and_orders_by_rank(scores):
    table = summary.index_table(scores)
    assert table["rank"].is_monotonic_increasing
    assert table.loc[0, "maturity_index"] == round(((100 + 75 + 75) / 3 + 100 + 50) / 3, 1)


def test_publish_translates_headings_and_flags():
    out = summary.publish(pd.DataFrame({"population_gain": [1.23456], "oberzentrum_provides": [True]}))
    assert list(out.columns) == ["Einwohner mit Zugangsgewinn", "Oberzentrum bietet an"]
    assert out.iloc[0].tolist() == [1.235, "ja"]


def test_ranking_text_says_whether_the_lead_is_secure(scores):
    secure = scores.assign(index_low=scores["maturity_index"], index_high=scores["maturity_index"])
    assert "der Vorsprung ist deutlich" in summary.ranking_text(secure, REGION)
    wide = scores.assign(index_low=0.0, index_high=100.0)
    assert "nicht gesichert" in summary.ranking_text(wide, REGION)


@pytest.mark.parametrize("indices, expected", [
    ([10, 20, 30, 40], "deutlicher positiver Zusammenhang"),
    ([40, 30, 20, 10], "deutlicher negativer Zusammenhang"),
])
def test_population_text_follows_the_correlation(scores, indices, expected):
    ordered = scores.sort_values("population").assign(maturity_index=indices)
    assert expected in summary.population_text(ordered)


def test_candidates_text_handles_no_candidates(levels):
    none = shared_service_candidates(levels, REGION, APPS, majority=0.99)
    assert none.empty and "keine Kandidaten" in summary.candidates_text(none, REGION)


def test_figures_draw_on_the_small_region(levels, scores):
    candidates = shared_service_candidates(levels, REGION, APPS)
    drawn = [figures.matrix_heatmap(levels, scores, APPS, REGION), figures.index_ranking(scores, REGION),
             figures.index_vs_population(scores, REGION), figures.themenfeld_coverage(levels, APPS),
             figures.candidates_chart(candidates)]
    assert all(fig.axes for fig in drawn)
    heatmap = drawn[0].axes[0]
    assert [t.get_text() for t in heatmap.get_yticklabels()][0] == "Paderborn"
