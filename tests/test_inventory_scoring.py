"""The maturity index: hand-computed values, Kreis inheritance, bootstrap band and properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiopole.data import load_applications, load_region
from regiopole.inventory.levels import effective_levels
from regiopole.inventory.matrix import read_matrix
from regiopole.inventory.scoring import bootstrap_index, category_scores, maturity_index, municipality_scores

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
PB, AB, BD, MM = "05774032", "05774004", "05762004", "05762024"
APPS = load_applications(FIXTURES / "applications.csv")
REGION = load_region(FIXTURES / "region.yaml")
CATEGORIES = ["Bürgerdienste", "Transparenz und Beteiligung", "Digitale Infrastruktur vor Ort"]


@pytest.fixture(scope="module")
def levels():
    return effective_levels(read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS), REGION, APPS)


def test_kreis_offer_is_inherited_and_kept_apart_from_the_own_offer(levels):
    assert np.isnan(levels.own.at[PB, "kfz_zulassung"]) and levels.kreis.at[PB, "kfz_zulassung"] == 3
    assert levels.effective.at[PB, "kfz_zulassung"] == 3
    assert levels.effective.at[BD, "kfz_zulassung"] == 1  # Kreis Höxter's own level, not Kreis Paderborn's
    assert levels.effective.at[PB, "reisepass"] == 3  # own 3 beats the Kreis's 2
    assert levels.effective.at[AB, "reisepass"] == 2  # own unknown, Kreis 2
    assert levels.inherited.loc[AB].tolist() == [False, True, True, False, False]
    assert levels.inherited.loc[PB].tolist() == [False, False, True, False, False]
    assert np.isnan(levels.effective.at[MM, "oeffentliches_wlan"])  # neither recorded: unknown, not 0


def test_index_matches_hand_computation(levels):
    index = maturity_index(levels.effective, APPS)
    # Paderborn: Bürgerdienste (100+75+75)/3, Transparenz 100, Infrastruktur 50
    assert index[PB] == pytest.approx(((100 + 75 + 75) / 3 + 100 + 50) / 3)
    # Altenbeken: (25+50+75)/3 = 50, 50, 0
    assert index[AB] == pytest.approx(100 / 3)
    # Bad Driburg: infrastructure unknown -> left out, weights renormalised over two categories
    assert index[BD] == pytest.approx(((50 + 50 + 25) / 3 + 75) / 2)
    # Marienmünster: only Bürgerdienste known
    assert index[MM] == pytest.approx(25)
    own = maturity_index(levels.own, APPS)
    assert own[PB] == pytest.approx(((100 + 75) / 2 + 100 + 50) / 3)
    assert own[AB] == pytest.approx((25 + 50 + 0) / 3)


def test_category_weights_change_the_index_as_computed_by_hand(levels):
    weights = {"Bürgerdienste": 2, "Transparenz und Beteiligung": 1, "Digitale Infrastruktur vor Ort": 1}
    index = maturity_index(levels.effective, APPS, weights)
    assert index[PB] == pytest.approx((2 * 250 / 3 + 100 + 50) / 4)
    assert index[BD] == pytest.approx((2 * 125 / 3 + 75) / 3)


@pytest.mark.parametrize("weights, message", [
    ({"Bürgerdienste": 1}, "missing"),
    ({**dict.fromkeys(CATEGORIES, 1), "Sonstiges": 1}, "unknown"),
    ({**dict.fromkeys(CATEGORIES, 1), "Bürgerdienste": -1}, ">= 0"),
    (dict.fromkeys(CATEGORIES, 0), "not all 0"),
])
def test_bad_category_weights_are_errors(levels, weights, message):
    with pytest.raises(ValueError, match=message):
        maturity_index(levels.effective, APPS, weights)


def test_municipality_table_has_the_contract_columns_and_shares(levels):
    table = municipality_scores(levels, REGION, APPS, n_bootstrap=200, seed=1).set_index("ags")
    for column in ["name", "kreis", "population", "maturity_index", "index_low", "index_high", "share_ozg_compliant", "share_unknown"]:
        assert column in table
    assert table["share_ozg_compliant"].to_dict() == pytest.approx({PB: 0.8, AB: 0.2, BD: 0.2, MM: 0.0})
    assert table["share_unknown"].to_dict() == pytest.approx({PB: 0.0, AB: 0.0, BD: 0.2, MM: 0.4})
    assert table["share_inherited"].to_dict() == pytest.approx({PB: 0.2, AB: 0.4, BD: 0.2, MM: 0.2})
    assert table["share_ozg_compliant_own"][PB] == pytest.approx(0.6)
    assert table.loc[PB, "rank"] == 1 and table.loc[PB, "is_oberzentrum"]
    assert table.loc[AB, "kreis"] == "Kreis Paderborn" and table.loc[AB, "population"] == 10000


def test_bootstrap_band_is_reproducible_and_brackets_the_index(levels):
    a = bootstrap_index(levels.effective, APPS, n_bootstrap=300, seed=7)
    b = bootstrap_index(levels.effective, APPS, n_bootstrap=300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    index = maturity_index(levels.effective, APPS)
    assert (a["index_low"] <= index + 1e-9).all() and (index <= a["index_high"] + 1e-9).all()
    assert (a["index_low"] >= 0).all() and (a["index_high"] <= 100).all()


def test_bootstrap_band_depends_on_the_seed_and_narrows_with_more_applications():
    catalogue = load_applications()
    rng = np.random.default_rng(0)
    levels = pd.DataFrame(rng.integers(0, 5, size=(30, len(catalogue))).astype(float), columns=catalogue["app_id"])
    a = bootstrap_index(levels, catalogue, n_bootstrap=400, seed=1)
    b = bootstrap_index(levels, catalogue, n_bootstrap=400, seed=2)
    assert not a.equals(b)
    assert ((a["index_high"] - a["index_low"]) - (b["index_high"] - b["index_low"])).abs().max() < 5
    doubled = pd.concat([levels, levels.set_axis([f"{c}_copy" for c in levels.columns], axis=1)], axis=1)
    catalogue2 = pd.concat([catalogue, catalogue.assign(app_id=catalogue["app_id"] + "_copy")], ignore_index=True)
    wide = a["index_high"] - a["index_low"]
    narrow = bootstrap_index(doubled, catalogue2, n_bootstrap=400, seed=1)
    assert ((narrow["index_high"] - narrow["index_low"]) < wide).mean() > 0.9


def test_bootstrap_band_collapses_when_all_applications_agree():
    flat = pd.DataFrame(3.0, index=["x", "y"], columns=APPS["app_id"])
    band = bootstrap_index(flat, APPS, n_bootstrap=100, seed=1)
    assert np.allclose(band.to_numpy(), 75.0)


def test_bootstrap_of_a_municipality_without_known_cells_is_missing():
    empty = pd.DataFrame(np.nan, index=["x"], columns=APPS["app_id"])
    assert bootstrap_index(empty, APPS, n_bootstrap=50).isna().all(axis=None)
    assert maturity_index(empty, APPS).isna().all()


# ---- properties -------------------------------------------------------------------------

cell = st.one_of(st.none(), st.integers(0, 4))
matrices = st.lists(st.lists(cell, min_size=len(APPS), max_size=len(APPS)), min_size=1, max_size=6)
weights = st.lists(st.floats(0.1, 10), min_size=3, max_size=3).map(lambda w: dict(zip(CATEGORIES, w, strict=True)))


def frame(rows: list[list[int | None]]) -> pd.DataFrame:
    return pd.DataFrame([[np.nan if v is None else float(v) for v in row] for row in rows],
                        index=[f"m{i}" for i in range(len(rows))], columns=APPS["app_id"])


@settings(max_examples=200, deadline=None)
@given(matrices, weights)
def test_index_lies_between_0_and_100(rows, w):
    index = maturity_index(frame(rows), APPS, w).dropna()
    assert ((index >= 0) & (index <= 100 + 1e-9)).all()


@settings(max_examples=200, deadline=None)
@given(matrices, weights, st.data())
def test_raising_one_level_never_lowers_an_index(rows, w, data):
    levels = frame(rows)
    raisable = [(r, c) for r in range(levels.shape[0]) for c in range(levels.shape[1]) if levels.iat[r, c] < 4]
    if not raisable:
        return
    r, c = data.draw(st.sampled_from(raisable))
    raised = levels.copy()
    raised.iat[r, c] += 1
    before, after = maturity_index(levels, APPS, w), maturity_index(raised, APPS, w)
    pd.testing.assert_series_equal(after.isna(), before.isna())  # raising a known level never removes a score
    assert (after.dropna() >= before.dropna() - 1e-9).all()
    assert after.iloc[r] > before.iloc[r]


@settings(max_examples=100, deadline=None)
@given(matrices, st.randoms(use_true_random=False))
def test_row_and_column_order_do_not_matter(rows, random):
    levels = frame(rows)
    rows_shuffled = random.sample(list(levels.index), len(levels))
    columns_shuffled = random.sample(list(levels.columns), levels.shape[1])
    pd.testing.assert_series_equal(maturity_index(levels, APPS).loc[rows_shuffled],
                                   maturity_index(levels.loc[rows_shuffled, columns_shuffled], APPS))


@settings(max_examples=200, deadline=None)
@given(matrices, st.data())
def test_unknown_cells_do_not_count_as_zero(rows, data):
    levels = frame(rows)
    r = data.draw(st.integers(0, len(levels) - 1))
    known = [c for c in range(levels.shape[1]) if not np.isnan(levels.iat[r, c])]
    if not known:
        return
    c = data.draw(st.sampled_from(known))
    blanked = levels.copy()
    blanked.iat[r, c] = np.nan
    without = levels.drop(columns=levels.columns[c])
    apps_without = APPS[APPS["app_id"] != levels.columns[c]]
    expected = maturity_index(without, apps_without).iloc[r]
    got = maturity_index(blanked, APPS).iloc[r]
    assert (np.isnan(expected) and np.isnan(got)) or got == pytest.approx(expected)
    zeroed = levels.copy()
    zeroed.iat[r, c] = 0
    if levels.iat[r, c] > 0:
        assert maturity_index(zeroed, APPS).iloc[r] < maturity_index(levels, APPS).iloc[r]


def test_row_order_of_the_matrix_file_does_not_change_any_result(levels):
    matrix = read_matrix(FIXTURES / "matrix_long.csv", REGION, APPS)
    shuffled = matrix.sample(frac=1.0, random_state=3)
    a = municipality_scores(levels, REGION, APPS, n_bootstrap=100, seed=2)
    b = municipality_scores(effective_levels(shuffled, REGION, APPS), REGION, APPS, n_bootstrap=100, seed=2)
    pd.testing.assert_frame_equal(a, b)


def test_category_scores_skip_unknown_cells(levels):
    scores = category_scores(levels.effective, APPS)
    assert list(scores.columns) == CATEGORIES
    assert np.isnan(scores.at[MM, "Transparenz und Beteiligung"])
    assert scores.at[BD, "Bürgerdienste"] == pytest.approx(125 / 3)
