"""Entwicklungstrends: population-weighted measures by hand, the contract tables, and a region outside NRW."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regiopole.data import load_region
from regiopole.data.broadband_table import load_broadband
from regiopole.trends import analysis, equality, figures, narrative
from regiopole.trends.measures import share_below, weighted_gini, weighted_mean
from regiopole.trends.tables import MUNICIPALITY_COLUMNS, REFERENCE_COLUMNS

TRIER = Path(__file__).resolve().parent / "fixtures" / "trends" / "trier.yaml"


@pytest.fixture(scope="module")
def table():
    return load_broadband()


def official(table, key, vintage="2021-06-30", segment="households", technology="all", mbps=1000):
    rows = table[(table["key"] == key) & (table["vintage"] == vintage) & (table["segment"] == segment)
                 & (table["technology"] == technology) & (table["min_mbps"] == mbps)]
    return float(rows["share"].iat[0]) if len(rows) else float("nan")


def test_weighted_measures_by_hand():
    x, w = pd.Series([0.0, 50.0, 100.0]), pd.Series([1.0, 2.0, 1.0])
    assert weighted_mean(x, w) == 50.0
    assert share_below(x, w, 60) == 75.0  # 3 of 4 inhabitants live where the share is below 60
    # Σ wᵢwⱼ|xᵢ-xⱼ| = 2·(1·2·50 + 1·1·100 + 2·1·50) = 600; 2·(Σw)²·x̄ = 2·16·50 = 1600
    assert weighted_gini(x, w) == pytest.approx(600 / 1600)
    assert weighted_gini(pd.Series([40.0, 40.0]), pd.Series([5.0, 1.0])) == 0.0
    # doubling every weight changes nothing; an unweighted Gini of (0, 100) is 0.5
    assert weighted_gini(x, 2 * w) == pytest.approx(0.375)
    assert weighted_gini(pd.Series([0.0, 100.0]), pd.Series([1.0, 1.0])) == 0.5


def test_weighted_measures_join_on_keys_in_any_order():
    """Shares and weights are matched by key: a key without share or without weight is left out."""
    shares = pd.Series([10.0, np.nan, 30.0, 40.0], index=["a", "b", "c", "d"])  # "d" has no weight
    weights = pd.Series([3.0, 1.0, 2.0, 5.0], index=["c", "a", "b", "e"])  # "b" has no share
    assert weighted_mean(shares, weights) == (10.0 * 1 + 30.0 * 3) / 4
    assert share_below(shares, weights, 20) == 25.0  # a: 1 of 4 inhabitants
    with pytest.raises(ValueError, match="both a share and a population"):
        weighted_mean(shares[["b", "d"]], weights)
    with pytest.raises(ValueError, match="negative"):
        weighted_mean(shares, -weights)


@pytest.fixture(scope="module")
def paderborn(table):
    return analysis.analyse(load_region(), table=table)


def test_contract_tables_of_the_default_region(paderborn, table):
    region = load_region()
    municipalities, reference = paderborn.municipalities, paderborn.reference
    assert list(municipalities.columns) == MUNICIPALITY_COLUMNS and list(reference.columns) == REFERENCE_COLUMNS
    assert municipalities["ags"].tolist() == region.ags
    row = municipalities.set_index("ags").loc[region.oberzentrum]
    assert (row["hh_1000"], row["hh_1000_first"], row["vintage"], row["first_vintage"]) == (72.17, 0.0, "2021-06-30", "2018-12-31")
    assert row["hh_ftth"] == official(table, region.oberzentrum, technology="ftth")
    assert row["bus_1000"] == official(table, region.oberzentrum, segment="businesses", technology="wired")
    best = municipalities.loc[municipalities["hh_1000"].idxmax()]
    assert best["rank_hh_1000"] == 1 and municipalities["rank_hh_1000"].max() <= len(municipalities)
    units = reference.set_index("unit")
    assert units.at["germany", "hh_1000"] == 62.13 and units.at["germany", "hh_1000_first"] == 27.33
    assert units.at["land:05", "hh_1000"] == official(table, "05", )
    assert sorted(u for u in units.index if u.startswith("kreis:")) == sorted({f"kreis:{a[:5]}" for a in region.ags})


def test_region_value_is_the_population_weighted_mean_by_hand(paderborn, table):
    region = load_region()
    population = region.municipalities.set_index("ags")["population"].astype(float)
    shares = pd.Series({a: official(table, a) for a in region.ags})
    by_hand = float((shares * population).sum() / population.sum())
    assert paderborn.reference.set_index("unit").at["region", "hh_1000"] == round(by_hand, 2)
    germany = official(table, "DG")
    below = population[shares < germany].sum() / population.sum() * 100
    assert paderborn.equality.below == pytest.approx(below)
    assert paderborn.threshold == germany
    assert paderborn.lagging["ags"].tolist() == shares[shares < germany].sort_values().index.tolist()


def test_equality_gap_between_oberzentrum_and_the_others(paderborn, table):
    region = load_region()
    others = [a for a in region.ags if a != region.oberzentrum]
    population = region.municipalities.set_index("ags")["population"].astype(float)[others]
    rest = sum(official(table, a) * population[a] for a in others) / population.sum()
    assert paderborn.equality.others == pytest.approx(rest)
    assert paderborn.equality.gap == pytest.approx(official(table, region.oberzentrum) - rest)
    assert 0 <= paderborn.equality.gini <= 1


def test_measures_from_the_contract_table_equal_those_of_the_analysis(paderborn):
    """analyse joins the population once for the four measures; given the contract table, each joins it itself."""
    region = load_region()
    municipalities = paderborn.municipalities
    pd.testing.assert_frame_equal(equality.size_class_table(municipalities, region), paderborn.size_classes)
    pd.testing.assert_frame_equal(equality.kreis_table(municipalities, region, paderborn.reference), paderborn.kreise)
    pd.testing.assert_frame_equal(equality.lagging_table(municipalities, region, paderborn.threshold), paderborn.lagging)
    assert equality.equality(municipalities, region, paderborn.threshold) == paderborn.equality
    assert list(municipalities.columns) == MUNICIPALITY_COLUMNS  # the contract table itself is not changed


def test_narrative_shows_values_not_parameter_names(paderborn):
    text = narrative.overview(paderborn.reference, paderborn.municipalities)
    assert "62,1\u00a0%" in text and "30.06.2021" in text and "hh_1000" not in text and "threshold" not in text
    trend = narrative.trend_text(paderborn.development)
    assert "keine Zeitreihe im strengen Sinn" in trend


def test_figures_carry_german_alt_text_from_the_data(paderborn):
    fig = figures.municipal_figure(paderborn.municipalities, paderborn.reference)
    assert "Deutschland 62,1\u00a0%" in fig.alt_text
    fig = figures.trend_figure(paderborn.development)
    assert "keine strenge Zeitreihe" in fig.alt_text and "27,3\u00a0%" in fig.alt_text


@pytest.fixture(scope="module")
def trier(table):
    return analysis.analyse(load_region(TRIER), table=table)


def test_region_outside_nrw_uses_its_own_kreis_land_and_numbers(trier, table):
    reference = trier.reference.set_index("unit")
    assert list(reference.index) == ["region", "oberzentrum", "kreis:07211", "kreis:07235", "land:07", "germany"]
    assert reference.at["oberzentrum", "hh_1000"] == 83.22 and reference.at["kreis:07235", "hh_1000"] == 42.59
    assert reference.at["land:07", "name"] == "Rheinland-Pfalz"
    population = pd.Series({"07211000": 102727, "07235068": 17999, "07235118": 7441, "07235125": 7607,
                            "07235045": 6461, "07235058": 1930}, dtype=float)
    shares = pd.Series({a: official(table, a) for a in population.index})
    assert reference.at["region", "hh_1000"] == round(float((shares * population).sum() / population.sum()), 2)
    # Hermeskeil: 64.78 % at the end of 2020, 5.80 % in mid 2021, the atlas's warning in one number
    assert trier.municipalities.set_index("ags").at["07235045", "hh_1000"] == 5.8
    assert set(trier.lagging["name"]) == set(shares[shares < 62.13].index.map(load_region(TRIER).name_of))
    assert "Nordrhein-Westfalen" not in narrative.overview(trier.reference, trier.municipalities)
    assert trier.regiopolen["name"].iat[-1] == "Deutschland"
    assert np.isfinite(trier.equality.gini)
