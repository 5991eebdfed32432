"""Nutzwertanalyse, combined selection and rank stability: invariants (hypothesis) and small cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiopole.data import DataValidationError
from regiopole.leitprojekte import criteria, poll, selection, sensitivity

NAMES = list(criteria.CRITERIA)
weight_value = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)
weights_strategy = st.lists(weight_value, min_size=5, max_size=5).filter(lambda w: sum(w) > 1e-6).map(lambda w: dict(zip(NAMES, w, strict=True)))
score_row = st.lists(st.integers(1, 5), min_size=5, max_size=5)


def score_table(rows: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=NAMES, index=[f"P{i:02d}" for i in range(len(rows))])


def ranking(scores: pd.DataFrame, weights: dict) -> pd.Series:
    return criteria.rank_descending(criteria.utility(criteria.normalise(scores), criteria.check_weights(weights)))


def worse(row: list[int], steps: list[int]) -> list[int]:
    """A row that is nowhere better than ``row``: benefit scores lowered, cost raised, by ``steps``."""
    return [min(5, v + s) if n in criteria.LOWER_IS_BETTER else max(1, v - s) for n, v, s in zip(NAMES, row, steps, strict=True)]


# --- normalisation ---------------------------------------------------------------------------

def test_normalisation_uses_the_fixed_scale_and_inverts_cost():
    norm = criteria.normalise(score_table([[1, 1, 1, 1, 1], [5, 5, 5, 5, 5], [3, 3, 3, 3, 3]]))
    assert norm.loc["P00"].tolist() == [0, 0, 1, 0, 0]
    assert norm.loc["P01"].tolist() == [1, 1, 0, 1, 1]
    assert (norm.loc["P02"] == 0.5).all()


def test_utility_by_hand():
    scores = score_table([[5, 1, 1, 3, 3]])  # normalised 1, 0, 1, 0.5, 0.5
    weights = criteria.check_weights({"impact": 2, "feasibility": 1, "cost": 1, "reach": 0, "urgency": 0})
    assert criteria.utility(criteria.normalise(scores), weights).iloc[0] == pytest.approx(0.75)


def test_equal_utilities_share_the_better_rank():
    assert criteria.rank_descending(pd.Series([0.5, 0.9, 0.5, 0.1])).tolist() == [2, 1, 2, 4]


# --- weighted-sum invariants -----------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(rows=st.lists(score_row, min_size=2, max_size=8), weights=weights_strategy,
       factor=st.floats(min_value=1e-3, max_value=1e3, allow_nan=False))
def test_scaling_all_weights_leaves_the_ranking_unchanged(rows, weights, factor):
    scaled = {name: value * factor for name, value in weights.items()}
    pd.testing.assert_series_equal(ranking(score_table(rows), weights), ranking(score_table(rows), scaled))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(score_row, min_size=1, max_size=6), top=score_row,
       steps=st.lists(st.integers(0, 4), min_size=5, max_size=5), weights=weights_strategy)
def test_a_dominated_project_never_ranks_above_its_dominator(rows, top, steps, weights):
    dominated = worse(top, steps)
    ranks = ranking(score_table([top, dominated, *rows]), weights)
    assert ranks["P00"] <= ranks["P01"]


@settings(max_examples=50, deadline=None)
@given(rows=st.lists(score_row, min_size=2, max_size=6), top=score_row,
       steps=st.lists(st.integers(0, 4), min_size=5, max_size=5), weights=weights_strategy, seed=st.integers(0, 2**32 - 1))
def test_dominance_holds_in_every_random_and_single_weight_change(rows, top, steps, weights, seed):
    matrix = criteria.normalise(score_table([top, worse(top, steps), *rows]))
    checked = criteria.check_weights(weights)
    samples = sensitivity.sample_ranks(matrix, sensitivity.sample_weights(checked, 50, 5.0, np.random.default_rng(seed)))
    assert (samples["P00"] <= samples["P01"]).all()
    single = sensitivity.one_at_a_time(matrix, checked, 0.9)
    assert (single.loc["P00"] <= single.loc["P01"]).all()


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(score_row, min_size=2, max_size=8), weights=weights_strategy, seed=st.integers(0, 1000))
def test_ranking_does_not_depend_on_row_order(rows, weights, seed):
    scores = score_table(rows)
    shuffled = scores.sample(frac=1, random_state=seed)
    pd.testing.assert_series_equal(ranking(scores, weights), ranking(shuffled, weights).loc[scores.index])


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 8), data=st.data())
def test_every_ranking_voter_hands_out_n_times_n_minus_1_over_2_points(n, data):
    ids = [f"P{i}" for i in range(n)]
    ballots = data.draw(st.lists(st.permutations(ids).flatmap(lambda order: st.integers(1, n).map(lambda m: order[:m])), min_size=1, max_size=6))
    rows = [(f"v{v}", pid, position + 1, True) for v, ballot in enumerate(ballots) for position, pid in enumerate(ballot)]
    table = pd.DataFrame(rows, columns=["voter_ags", "project_id", "rank", "approved"]).astype({"rank": "Int64"})
    points = poll.borda_points(poll.rank_matrix(table, ids))
    assert np.allclose(points.sum(axis=1), n * (n - 1) / 2)


# --- selection -------------------------------------------------------------------------------

def summary_for(index: list[str], borda: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"borda_score": borda, "approval_share": borda}, index=index)


def test_poll_weight_zero_is_the_nutzwert_and_one_is_the_poll():
    scores = score_table([[5, 5, 1, 5, 5], [3, 3, 3, 3, 3], [1, 1, 5, 1, 1]])
    norm = criteria.normalise(scores)
    summary = summary_for(scores.index.tolist(), [0.1, 0.5, 0.9])
    equal = dict.fromkeys(NAMES, 1)
    only_criteria = selection.select(selection.decision_matrix(norm, summary), selection.combined_weights(equal, 0), 1)
    only_poll = selection.select(selection.decision_matrix(norm, summary), selection.combined_weights(equal, 1), 1)
    assert only_criteria["rank"].sort_index().tolist() == [1, 2, 3]
    assert only_poll["rank"].sort_index().tolist() == [3, 2, 1]
    assert only_poll.index[only_poll["selected"]].tolist() == ["P02"]


def test_combined_weights_sum_to_one_and_keep_criteria_proportions():
    weights = selection.combined_weights({"impact": 2, "feasibility": 1, "cost": 1, "reach": 0, "urgency": 0}, 0.6)
    assert weights.sum() == pytest.approx(1.0)
    assert weights["poll"] == 0.6 and weights["impact"] == pytest.approx(0.2) and weights["feasibility"] == pytest.approx(0.1)


def test_a_tie_on_the_cut_off_selects_every_tied_project():
    matrix = pd.DataFrame({"impact": [1.0, 0.5, 0.5, 0.0], "poll": [1.0, 0.5, 0.5, 0.0]}, index=["A", "B", "C", "D"])
    result = selection.select(matrix, pd.Series({"impact": 0.5, "poll": 0.5}), 2)
    assert sorted(result.index[result["selected"]]) == ["A", "B", "C"]


@pytest.mark.parametrize("call", [
    lambda: selection.combined_weights(dict.fromkeys(NAMES, 1), 1.5),
    lambda: selection.combined_weights(dict.fromkeys(NAMES, 1), True),
    lambda: selection.decision_matrix(pd.DataFrame(), pd.DataFrame(), "mehrheit"),
    lambda: selection.select(pd.DataFrame({"poll": [1.0]}), pd.Series({"poll": 1.0}), 0),
])
def test_bad_selection_parameters_are_named(call):
    with pytest.raises(DataValidationError, match="notebook parameter"):
        call()


def test_selection_table_blanks_hidden_poll_values():
    matrix = pd.DataFrame({n: [1.0, 0.0] for n in NAMES} | {"poll": [0.9, 0.1]}, index=["A", "B"])
    weights = selection.combined_weights(dict.fromkeys(NAMES, 1), 0.5)
    result = selection.select(matrix, weights, 1)
    table = selection.selection_table(matrix, weights, result, pd.Series({"A": "a", "B": "b"}), pd.Series({"A": False, "B": True}))
    assert table["Umfragewert (0-1)"].tolist() == [0.9, None]
    assert table["Ausgewählt"].tolist() == ["ja", "nein"]
    # nor can it be worked back from the total score, the weights and the Nutzwert, or ranked
    assert table["Gesamtwert (0-1)"].tolist()[1] is None and table["Rang Umfrage"].tolist()[1] is None
    shown = table.iloc[0]
    poll = (shown["Gesamtwert (0-1)"] - (1 - weights["poll"]) * shown["Nutzwert (0-1)"]) / weights["poll"]
    assert poll == pytest.approx(0.9)  # where it is published, the total agrees with it


# --- stability -------------------------------------------------------------------------------

TIE = pd.DataFrame({"x": [1.0, 1.0, 0.0, 0.0], "y": [1.0, 0.0, 1.0, 0.0]}, index=["A", "B", "C", "D"])
HALF = pd.Series({"x": 0.5, "y": 0.5})


def test_dirichlet_draws_sum_to_one_centre_on_the_weights_and_keep_zeros():
    weights = pd.Series({"x": 0.2, "y": 0.8, "z": 0.0})
    draws = sensitivity.sample_weights(weights, 4000, 50, np.random.default_rng(1))
    assert np.allclose(draws.sum(axis=1), 1)
    assert (draws["z"] == 0).all()
    assert draws.mean().to_numpy() == pytest.approx([0.2, 0.8, 0.0], abs=0.01)
    assert draws["x"].std() == pytest.approx(np.sqrt(0.2 * 0.8 / 51), rel=0.1)
    tight = sensitivity.sample_weights(weights, 4000, 500, np.random.default_rng(1))
    assert tight["x"].std() < draws["x"].std() / 2


def test_same_seed_same_draws():
    one = sensitivity.sample_weights(HALF, 10, 50, np.random.default_rng(2021))
    two = sensitivity.sample_weights(HALF, 10, 50, np.random.default_rng(2021))
    pd.testing.assert_frame_equal(one, two)


def test_a_tie_on_the_top_k_boundary_is_flagged_as_flipping():
    baseline = criteria.rank_descending(criteria.utility(TIE, HALF))
    assert baseline.tolist() == [1, 2, 2, 4]
    ranks = sensitivity.sample_ranks(TIE, sensitivity.sample_weights(HALF, 1000, 20, np.random.default_rng(3)))
    stab = sensitivity.stability(baseline, ranks, top_k=2)
    assert stab.loc["A", "top_k_share"] == 1 and stab.loc["D", "top_k_share"] == 0
    assert stab.loc["B", "top_k_share"] + stab.loc["C", "top_k_share"] == pytest.approx(1)
    assert stab["flips"].to_dict() == {"A": False, "B": True, "C": True, "D": False}
    assert stab.loc["B", "rank_min"] == 2 and stab.loc["B", "rank_max"] == 3
    pairs = sensitivity.pair_flips(baseline, ranks).set_index(["upper", "lower"])
    assert pairs.loc[("A", "B"), "reversed_share"] == 0 and pairs.loc[("B", "C"), "flips"]


def test_changed_weights_keep_the_sum_and_the_other_proportions():
    new = sensitivity.changed_weights(pd.Series({"x": 0.2, "y": 0.3, "z": 0.5}), "x", 0.5)
    assert new.sum() == pytest.approx(1) and new["x"] == pytest.approx(0.3)
    assert new["z"] / new["y"] == pytest.approx(0.5 / 0.3)
    assert sensitivity.changed_weights(pd.Series({"x": 1.0, "y": 0.0}), "x", 0.5) is None


def test_one_at_a_time_breaks_the_tie_both_ways():
    oat = sensitivity.one_at_a_time(TIE, HALF, 0.5)
    assert list(oat.columns) == [("x", -0.5), ("x", 0.5), ("y", -0.5), ("y", 0.5)]
    assert oat[("x", 0.5)].to_dict() == {"A": 1, "B": 2, "C": 3, "D": 4}
    assert oat[("y", 0.5)].to_dict() == {"A": 1, "B": 3, "C": 2, "D": 4}
    baseline = criteria.rank_descending(criteria.utility(TIE, HALF))
    assert sensitivity.oat_flips(baseline, oat, 2).to_dict() == {"A": False, "B": True, "C": True, "D": False}
    summary = sensitivity.oat_summary(baseline, oat, 2)
    assert summary["top_k_changed"].all() and summary["max_shift"].tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize(("call", "name"), [
    (lambda: sensitivity.sample_weights(HALF, 0, 50, np.random.default_rng(0)), "n_samples"),
    (lambda: sensitivity.sample_weights(HALF, 10, 0, np.random.default_rng(0)), "concentration"),
    (lambda: sensitivity.one_at_a_time(TIE, HALF, 1.5), "oat_change"),
    (lambda: sensitivity.stability(pd.Series([1, 2]), pd.DataFrame([[1, 2]]), 3), "top_k"),
])
def test_bad_stability_parameters_are_named(call, name):
    with pytest.raises(DataValidationError, match=name):
        call()
