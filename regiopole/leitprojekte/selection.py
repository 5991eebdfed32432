"""Final selection: poll and Nutzwertanalyse combined in one transparent weighted sum.

The poll enters as a sixth column of the decision matrix, ``poll`` (0-1): the averaged-Borda
score (``poll_measure="borda"``) or the approval share (``"approval"``). Its weight is the
notebook parameter ``poll_weight`` (0-1); the five criteria weights are rescaled to share the
remaining ``1 - poll_weight``. ``poll_weight = 0`` ranks by the Nutzwert alone, ``1`` by the
poll alone. The ``selected`` best ranks are chosen; at a tie on the cut-off every project
sharing that rank is chosen (so the choice never depends on row order).
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real

import pandas as pd

from regiopole.data import DataValidationError, Problem
from regiopole.leitprojekte import criteria
from regiopole.style import german_percent

POLL = "poll"
POLL_MEASURES = {"borda": "borda_score", "approval": "approval_share"}
LABELS = {**criteria.CRITERIA, POLL: "Online-Abfrage"}


def decision_matrix(normalised: pd.DataFrame, summary: pd.DataFrame, poll_measure: str = "borda") -> pd.DataFrame:
    """The normalised criteria plus the poll column (all 0-1, higher is better)."""
    if poll_measure not in POLL_MEASURES:
        raise DataValidationError("poll_measure (notebook parameter)", [
            Problem(None, None, f"unknown poll measure {poll_measure!r}; use one of {', '.join(POLL_MEASURES)}")])
    return normalised.assign(**{POLL: summary.loc[normalised.index, POLL_MEASURES[poll_measure]].astype(float)})


def combined_weights(criteria_weights: Mapping[str, object], poll_weight: float) -> pd.Series:
    """Checked criteria weights scaled to ``1 - poll_weight``, plus the poll's weight."""
    if isinstance(poll_weight, bool) or not isinstance(poll_weight, Real) or not 0 <= poll_weight <= 1:
        raise DataValidationError("poll_weight (notebook parameter)", [
            Problem(None, None, f"expected a number from 0 to 1, got {poll_weight!r}")])
    weights = criteria.check_weights(criteria_weights) * (1 - poll_weight)
    return pd.concat([weights, pd.Series({POLL: float(poll_weight)})])


def select(matrix: pd.DataFrame, weights: pd.Series, selected: int) -> pd.DataFrame:
    """Score (weighted sum), rank and selection flag per project, best first."""
    if isinstance(selected, bool) or not isinstance(selected, int) or selected < 1:
        raise DataValidationError("selected (notebook parameter)", [Problem(None, None, f"expected a whole number >= 1, got {selected!r}")])
    score = criteria.utility(matrix, weights)
    out = pd.DataFrame({"score": score, "rank": criteria.rank_descending(score)})
    out["selected"] = out["rank"] <= selected
    return out.sort_values(["rank"], kind="stable")


def selection_table(matrix: pd.DataFrame, weights: pd.Series, result: pd.DataFrame, titles: pd.Series,
                    hide_poll: pd.Series | None = None) -> pd.DataFrame:
    """Both sources side by side: Nutzwert and its rank, poll value and its rank, combined score,
    rank and choice, best first. ``hide_poll`` (bool per project) blanks poll values that must
    not be published (see :func:`regiopole.leitprojekte.poll.hidden_poll_values`)."""
    order = result.index
    criteria_only = weights.drop(POLL)
    nutzwert = criteria.utility(matrix, criteria_only) if criteria_only.sum() > 0 else pd.Series(float("nan"), index=order)
    hidden = (hide_poll if hide_poll is not None else pd.Series(False, index=order)).reindex(order, fill_value=False)
    # A withheld poll value goes with what gives it back: its rank, and the total score, from which
    # the published weights and Nutzwert would recompute it (the total rank stays: it bounds, not pins, it).
    poll_value = matrix[POLL].round(3).astype(object).loc[order].mask(hidden, None)
    poll_rank = criteria.rank_descending(matrix[POLL]).loc[order].astype(object).mask(hidden, None)
    total = result["score"].round(3).astype(object).mask(hidden.to_numpy(), None)
    return pd.DataFrame({
        "ID": order,
        "Leitprojekt": titles.loc[order].to_numpy(),
        "Nutzwert (0-1)": nutzwert.loc[order].round(3).to_numpy(),
        "Rang Nutzwert": nutzwert.rank(ascending=False, method="min").astype("Int64").loc[order].to_numpy(),
        "Umfragewert (0-1)": poll_value.to_numpy(),
        "Rang Umfrage": poll_rank.to_numpy(),
        "Gesamtwert (0-1)": total.to_numpy(),
        "Gesamtrang": result["rank"].to_numpy(),
        "Ausgewählt": result["selected"].map({True: "ja", False: "nein"}).to_numpy(),
    })


def describe_selection(result: pd.DataFrame, titles: pd.Series, poll_weight: float) -> str:
    """German sentence naming the chosen projects and how poll and criteria were weighted."""
    chosen = [f"{titles[p]} ({p})" for p in result.index[result["selected"]]]
    poll, rest = weight_percent(poll_weight, 1 - poll_weight)
    return (f"Bei einem Gewicht der Online-Abfrage von {poll} und der Kriterien von "
            f"{rest} werden {len(chosen)} Leitprojekte ausgewählt: " + "; ".join(chosen) + ".")


def weight_percent(*shares: float) -> list[str]:
    """Weights as German percent, rounded half up, with one decimal when whole per cent would not
    show them exactly (0.625 and 0.375 read '62,5 %' and '37,5 %', which add up to 100 as the weights do)."""
    decimals = 0 if all(abs(100 * s - round(100 * s)) < 1e-9 for s in shares) else 1
    return [german_percent(s, decimals) for s in shares]
