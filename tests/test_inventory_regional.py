"""Availability across the region, the Oberzentrum's role and shared-service candidates (hand-computed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from regiopole.data import load_applications, load_region
from regiopole.inventory.levels import effective_levels, level_distribution
from regiopole.inventory.matrix import read_matrix
from regiopole.inventory.regional import availability, oberzentrum_comparison, shared_service_candidates

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
APPS = load_applications(FIXTURES / "applications.csv")
REGION = load_region(FIXTURES / "region.yaml")
TOTAL = 150_000 + 10_000 + 20_000 + 5_000


@pytest.fixture(scope="module")
def levels():
    return effective_levels(read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS), REGION, APPS)


def test_availability_is_weighted_by_population(levels):
    table = availability(levels, REGION, APPS).set_index("app_id")
    assert table.loc["meldebescheinigung", "population_online"] == 150_000
    assert table.loc["kfz_zulassung", "share_population_online"] == pytest.approx(160_000 / TOTAL)
    assert table.loc["kfz_zulassung", "n_online"] == 2 and table.loc["kfz_zulassung", "n_via_kreis"] == 2
    assert table.loc["ratsinformationssystem", "share_population_online"] == pytest.approx(170_000 / TOTAL)
    assert table.loc["ratsinformationssystem", "share_municipalities_online"] == pytest.approx(0.5)
    assert table.loc["oeffentliches_wlan", "n_online"] == 0
    assert table.loc["oeffentliches_wlan", "share_unknown"] == pytest.approx(0.5)
    assert table.index[0] == "ratsinformationssystem"  # sorted by population reached


def test_availability_with_a_lower_threshold(levels):
    table = availability(levels, REGION, APPS, compliant_level=2).set_index("app_id")
    assert table.loc["reisepass", "n_online"] == 3  # Paderborn 3, Altenbeken 2 via Kreis, Bad Driburg 2
    assert table.loc["reisepass", "n_via_kreis"] == 1


def test_oberzentrum_against_the_others_by_category(levels):
    table = oberzentrum_comparison(levels, REGION, APPS).set_index("category")
    b = table.loc["Bürgerdienste"]
    assert b["oberzentrum"] == pytest.approx(250 / 3)
    assert b["others_mean"] == pytest.approx((50 + 125 / 3 + 25) / 3)
    assert b["n_others_ahead"] == 0 and b["n_others_scored"] == 3
    t = table.loc["Transparenz und Beteiligung"]
    assert t["others_mean"] == pytest.approx(62.5) and t["n_others_scored"] == 2  # Marienmünster unknown
    assert t["difference"] == pytest.approx(37.5)


def test_shared_service_candidates_by_hand(levels):
    table = shared_service_candidates(levels, REGION, APPS)
    assert table["app_id"].tolist() == ["meldebescheinigung"]
    row = table.iloc[0]
    assert row["providers"] == "Paderborn" and row["oberzentrum_provides"]
    assert row["n_below"] == 2 and row["share_below"] == pytest.approx(2 / 3)
    assert row["population_gain"] == 35_000


def test_kreis_offer_counts_as_provider_and_ranking_follows_population_gain(levels):
    table = shared_service_candidates(levels, REGION, APPS, majority=0.4)
    assert table["app_id"].tolist() == ["meldebescheinigung", "kfz_zulassung"]
    kfz = table.iloc[1]
    assert kfz["providers"] == "Kreis Paderborn" and not kfz["oberzentrum_provides"]
    assert kfz["population_gain"] == 25_000 and kfz["rank"] == 2


def test_unknown_cells_are_not_counted_as_below(levels):
    table = shared_service_candidates(levels, REGION, APPS, majority=0.0).set_index("app_id")
    # ratsinformationssystem: Altenbeken is at 2 and Marienmünster unknown -> nobody below 2
    assert "ratsinformationssystem" not in table.index
    assert table.loc["reisepass", "population_unknown"] == 0


def test_level_distribution_shares_sum_to_one(levels):
    groups = APPS.set_index("app_id")["category"]
    table = level_distribution(levels.effective, groups)
    assert list(table.columns) == ["0", "1", "2", "3", "4", "unbekannt"]
    assert np.allclose(table.sum(axis=1), 1.0)
    assert table.at["Digitale Infrastruktur vor Ort", "unbekannt"] == pytest.approx(0.5)
