"""Nutzwertanalyse (weighted-sum scoring) of the candidates on five criteria.

Scores are whole numbers 1-5 per criterion in ``leitprojekte_criteria.csv``. For ``cost``
a 5 means *very expensive*, so cost is the one criterion where lower is better.

Normalisation (fixed scale, not the observed range, so that adding or removing a
candidate never changes another candidate's value)::

    benefit criteria:  u = (score - 1) / 4        1 -> 0, 5 -> 1
    cost:              u = (5 - score) / 4        1 (cheap) -> 1, 5 (expensive) -> 0

Weights are rescaled to sum to 1; the utility (Nutzwert) is the weighted sum of the
normalised scores, between 0 and 1. Ranks: 1 = best; equal utilities share the better
rank (pandas ``method="min"``: 1, 2, 2, 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from pathlib import Path

import pandas as pd

from regiopole.data import DataValidationError, Problem, data_file, read_table, validate
from regiopole.data import schemas
from regiopole.leitprojekte.candidates import known_project

CRITERIA_FILE = "leitprojekte_criteria.csv"
#: Criterion column -> German label.
CRITERIA = {
    "impact": "Wirkung",
    "feasibility": "Umsetzbarkeit",
    "cost": "Kosten (niedrig = gut)",
    "reach": "Reichweite und Übertragbarkeit",
    "urgency": "Dringlichkeit",
}
LOWER_IS_BETTER = frozenset({"cost"})
SCALE_MIN, SCALE_MAX = 1, 5
UTILITY_LABEL = "Nutzwert"
DECIMALS = 12  # utilities equal up to float rounding are treated as ties


def criteria_schema(project_ids: list[str]):
    """Schema of ``leitprojekte_criteria.csv``: one row per candidate, scores 1-5."""
    columns = {"project_id": known_project(project_ids, unique=True)}
    columns.update({name: schemas.integer(SCALE_MIN, SCALE_MAX) for name in CRITERIA})
    return schemas.table(columns)


def load_criteria(data_dir: str | Path, project_ids: list[str]) -> pd.DataFrame:
    """Criteria scores indexed by project id, in the order of ``project_ids``.

    Raises :class:`DataValidationError` for an unknown project, a score outside 1-5 or a
    candidate without a row.
    """
    table = validate(read_table(data_file(data_dir, CRITERIA_FILE)), criteria_schema(project_ids))
    missing = [p for p in project_ids if p not in set(table["project_id"])]
    if missing:
        raise DataValidationError(table.attrs["source"], [Problem(None, "project_id", f"no scores for candidate {p}; add a row") for p in missing])
    scores = table.set_index("project_id").loc[project_ids, list(CRITERIA)].astype(int)
    return scores.rename_axis(None)


def check_weights(weights: Mapping[str, object], expected: list[str] | None = None,
                  source: str = "criteria_weights (notebook parameter)") -> pd.Series:
    """Validate weights and return them rescaled to sum 1, in the order of ``expected``.

    Every expected criterion needs a finite weight >= 0, no unknown names, not all zero;
    otherwise :class:`DataValidationError` names each offending criterion.
    """
    expected = list(expected or CRITERIA)
    problems = [Problem(None, name, f"unknown criterion; use one of {', '.join(expected)}") for name in weights if name not in expected]
    problems += [Problem(None, name, "weight missing; give every criterion a weight (0 excludes it)") for name in expected if name not in weights]
    for name in expected:
        value = weights.get(name)
        if name not in weights:
            continue
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
            problems.append(Problem(None, name, f"expected a finite number, got {value!r}"))
        elif value < 0:
            problems.append(Problem(None, name, f"weight {value} is negative; weights must be >= 0"))
    if not problems and sum(float(weights[n]) for n in expected) == 0:
        problems.append(Problem(None, None, "all weights are zero; give at least one criterion a weight > 0"))
    if problems:
        raise DataValidationError(source, problems)
    values = pd.Series({name: float(weights[name]) for name in expected})
    return values / values.sum()


def normalise(scores: pd.DataFrame) -> pd.DataFrame:
    """Map scores 1-5 onto 0-1 on the fixed scale, inverting the lower-is-better criteria."""
    span = SCALE_MAX - SCALE_MIN
    out = (scores - SCALE_MIN) / span
    for name in LOWER_IS_BETTER & set(scores.columns):
        out[name] = (SCALE_MAX - scores[name]) / span
    return out.astype(float)


def utility(normalised: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Weighted sum of the normalised scores (weights rescaled to sum 1), rounded to 12 decimals
    so that values equal up to float rounding tie."""
    weights = weights / weights.sum()
    return (normalised[weights.index] * weights).sum(axis=1).round(DECIMALS).rename(UTILITY_LABEL)


def rank_descending(values: pd.Series) -> pd.Series:
    """Rank 1 for the highest value; ties share the better rank (``method="min"``)."""
    return values.rank(ascending=False, method="min").astype(int)


def contributions(normalised: pd.DataFrame, weights: pd.Series) -> pd.DataFrame:
    """Each criterion's share of the utility (rows sum to the utility)."""
    weights = weights / weights.sum()
    return normalised[weights.index] * weights


def weights_table(weights: pd.Series, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The weights used, as a German table (criterion, direction, weight in percent)."""
    labels = labels or CRITERIA
    return pd.DataFrame({
        "Kriterium": [labels.get(n, n) for n in weights.index],
        "Richtung": ["niedriger ist besser" if n in LOWER_IS_BETTER else "höher ist besser" for n in weights.index],
        "Gewicht (%)": (100 * weights).round(1).to_numpy(),
    })


def scoring_table(scores: pd.DataFrame, value: pd.Series, titles: pd.Series) -> pd.DataFrame:
    """Scores 1-5, utility and rank per candidate, German headings, best first."""
    out = scores.rename(columns=CRITERIA)
    out.insert(0, "Leitprojekt", titles.loc[scores.index])
    out[UTILITY_LABEL] = value.round(3)
    out["Rang"] = rank_descending(value)
    return out.rename_axis("ID").reset_index().sort_values(["Rang", "ID"], kind="stable").reset_index(drop=True)
