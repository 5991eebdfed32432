"""The inventory example data: valid, realistic in shape, clearly fake in its addresses."""

from __future__ import annotations

import numpy as np
import pytest

from regiopole.data import load_applications
from regiopole.example import DEFAULT_SEED, default_dir, generate, rng_for
from regiopole.example import inventory as generator
from regiopole.inventory import effective_levels, load_dashboard_exports, load_matrix, municipality_scores


@pytest.fixture(scope="module")
def apps():
    return load_applications()


@pytest.fixture(scope="module")
def matrix(region, apps):
    return load_matrix(default_dir(), region, apps)


def test_committed_inventory_files_equal_a_fresh_generation(tmp_path, region):
    written = generator.generate(tmp_path, rng_for(DEFAULT_SEED, "inventory"), region)
    assert {p.name for p in written} == {"inventory_matrix.csv", "inventory_dashboard_05774032.csv", "inventory_dashboard_05766020.csv"}
    for path in written:
        assert path.read_bytes() == (default_dir() / path.name).read_bytes(), f"stale {path.name}: regenerate the example data"


def test_share_unknown_is_between_5_and_10_percent(matrix):
    assert 0.05 <= matrix["level"].eq("unbekannt").mean() <= 0.10


def test_kreis_rows_only_for_applications_a_kreis_can_provide(matrix, apps):
    kreis_apps = set(matrix.loc[matrix["ags"].str.len() == 5, "app_id"])
    levels = apps.set_index("app_id")["provider_level"]
    assert kreis_apps and set(levels[list(kreis_apps)]) <= {"kreis", "gemeinde_oder_kreis"}
    own_apps = set(matrix.loc[matrix["ags"].str.len() == 8, "app_id"])
    assert not own_apps & set(levels[levels == "kreis"].index)


def test_larger_municipalities_are_more_mature_and_the_oberzentrum_leads(matrix, region, apps):
    scores = municipality_scores(effective_levels(matrix, region, apps), region, apps, n_bootstrap=200)
    rho = scores["maturity_index"].corr(np.log(scores["population"]), method="spearman")
    assert rho > 0.3
    best = scores.sort_values("maturity_index", ascending=False)
    assert best.iloc[0]["ags"] == region.oberzentrum
    assert best.iloc[0]["index_low"] > best.iloc[1]["maturity_index"]


def test_addresses_providers_and_dates_look_like_example_data(matrix):
    assert matrix["source_url"].str.startswith("https://example.org/").all()
    assert set(matrix["provider"].dropna()) <= {"Kommune", "Kreis", "kommunaler IT-Dienstleister", "Landeslösung NRW"}
    assert matrix["date_checked"].str.startswith("2021-").all()
    assert matrix.loc[matrix["level"].isin(["0", "unbekannt"]), "provider"].isna().all()


def test_dashboard_examples_import_and_fill_some_unknown_cells(region, apps, matrix):
    imported = load_dashboard_exports(default_dir(), region, apps)
    assert len(imported.sources) == 2 and not imported.unmatched.empty
    known = matrix.set_index(["ags", "app_id"])["level"]
    covered = imported.matrix.set_index(["ags", "app_id"]).index
    assert known.reindex(covered).eq("unbekannt").any()


def test_another_seed_changes_the_matrix(tmp_path):
    generate(tmp_path / "a", seed=1, only=["inventory"])
    generate(tmp_path / "b", seed=2, only=["inventory"])
    assert (tmp_path / "a" / "inventory_matrix.csv").read_bytes() != (tmp_path / "b" / "inventory_matrix.csv").read_bytes()
