"""The maturity index of each municipality and its bootstrap uncertainty band.

Index definition (0-100):

1. Each application with a known level scores ``level / 4 * 100`` (0, 25, 50, 75, 100).
2. A category score is the mean of these scores over the category's applications with a
   known level. Unknown cells (``unbekannt`` or not recorded) are left out; they never
   count as 0.
3. The index is the weighted mean of the category scores (``category_weights``; default
   equal weights). A category without any known cell has no score; it is left out and the
   weights of the other categories are renormalised. Without any known cell the index
   is missing (NaN).

The uncertainty band is a percentile bootstrap over applications: each replicate draws,
within every category, as many applications as the category has (with replacement, the
same draw for all municipalities) and recomputes the index. The band is the central
``confidence`` interval of the replicates; it shows how much the index depends on which
applications the catalogue happens to contain. All computations are vectorised (matrix
products over applications), so 11,000 municipalities x 60 applications score in about a
second.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext

import numpy as np
import pandas as pd

try:  # installed with scikit-learn (via mapclassify); without it BLAS keeps its default threads
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover
    threadpool_limits = None

from regiopole.data import Region
from regiopole.inventory.levels import Levels

MAX_LEVEL = 4
BLOCK_ROWS = 2048  # municipalities per bootstrap block; bounds memory to a few MB per array


def category_order(applications: pd.DataFrame) -> list[str]:
    """Categories in catalogue order."""
    return list(dict.fromkeys(applications["category"]))


def resolve_weights(category_weights: Mapping[str, float] | None, categories: list[str]) -> pd.Series:
    """Weights per category; ``None`` means equal weights. Unknown, missing or negative weights are errors."""
    if category_weights is None:
        return pd.Series(1.0, index=categories)
    given = dict(category_weights)
    unknown = sorted(set(given) - set(categories))
    missing = [c for c in categories if c not in given]
    if unknown or missing:
        raise ValueError(f"category_weights must name every category exactly as in applications.csv: "
                         f"unknown {unknown}, missing {missing}; known categories: {categories}")
    weights = pd.Series({c: float(given[c]) for c in categories})
    if (weights < 0).any() or not np.isfinite(weights).all() or weights.sum() <= 0:
        raise ValueError(f"category_weights must be finite, >= 0 and not all 0; got {dict(weights)}")
    return weights


def category_scores(levels: pd.DataFrame, applications: pd.DataFrame) -> pd.DataFrame:
    """Mean score (level/4*100) per municipality and category over known cells; NaN if none known."""
    categories = applications.set_index("app_id")["category"].reindex(levels.columns)
    scores = levels / MAX_LEVEL * 100
    return scores.T.groupby(categories.to_numpy(), sort=False).mean().T.reindex(columns=category_order(applications))


def weighted_index(scores: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Weighted mean of category scores per row, renormalising over categories with a score."""
    w = weights.reindex(scores.columns).to_numpy()
    values = scores.to_numpy()
    has = ~np.isnan(values)
    total = np.where(has, w, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(has, values * w, 0.0).sum(axis=1) / total
    return pd.Series(np.where(total > 0, index, np.nan), index=scores.index, name="maturity_index")


def maturity_index(levels: pd.DataFrame, applications: pd.DataFrame, category_weights: Mapping[str, float] | None = None) -> pd.Series:
    """The maturity index 0-100 per municipality (definition in the module docstring)."""
    weights = resolve_weights(category_weights, category_order(applications))
    return weighted_index(category_scores(levels, applications), weights)


def bootstrap_counts(applications: pd.DataFrame, app_ids: list[str], n_bootstrap: int, rng: np.random.Generator) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per category: column positions and a (replicates x applications) matrix of draw counts."""
    category = applications.set_index("app_id")["category"].reindex(app_ids).to_numpy()
    counts = {}
    for name in category_order(applications):  # a handful of categories, not cells
        columns = np.flatnonzero(category == name)
        draws = rng.integers(0, len(columns), size=(n_bootstrap, len(columns)))
        tally = np.zeros((n_bootstrap, len(columns)), dtype=np.float32)
        np.add.at(tally, (np.repeat(np.arange(n_bootstrap), len(columns)), draws.ravel()), 1.0)
        counts[name] = (columns, tally)
    return counts


def bootstrap_block(scores: np.ndarray, counts: dict, weights: pd.Series) -> np.ndarray:
    """Index replicates (rows x replicates) for one block of municipalities.

    Per category, matrix products give the replicate's sum of known scores and number of
    known draws; the weight is folded into the scores, so each category costs two products
    and three in-place passes over the block.
    """
    known = ~np.isnan(scores)
    filled = np.where(known, scores, 0.0).astype(np.float32)
    known = known.astype(np.float32)
    total = np.zeros((len(scores), next(iter(counts.values()))[1].shape[0]), dtype=np.float32)
    weight_sum = np.zeros_like(total)
    for name, (columns, tally) in counts.items():
        weight = np.float32(weights[name])
        numerator = (filled[:, columns] * weight) @ tally.T
        denominator = known[:, columns] @ tally.T
        has = denominator > 0
        np.divide(numerator, denominator, out=numerator, where=has)  # no known draw: the numerator is 0 already
        total += numerator
        np.add(weight_sum, weight, out=weight_sum, where=has)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight_sum > 0, total / weight_sum, np.float32(np.nan))


def percentile_band(replicates: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Central percentile interval per row; replicates without any known cell are left out."""
    tail = (1 - confidence) / 2
    complete = ~np.isnan(replicates).any(axis=1)
    low = np.full(len(replicates), np.nan)
    high = np.full(len(replicates), np.nan)
    if complete.any():
        low[complete], high[complete] = np.quantile(replicates[complete], [tail, 1 - tail], axis=1)
    partial = ~complete & ~np.isnan(replicates).all(axis=1)
    if partial.any():
        low[partial], high[partial] = np.nanquantile(replicates[partial], [tail, 1 - tail], axis=1)
    return low, high


def bootstrap_index(levels: pd.DataFrame, applications: pd.DataFrame, category_weights: Mapping[str, float] | None = None,
                    n_bootstrap: int = 1000, seed: int = 2021, confidence: float = 0.95) -> pd.DataFrame:
    """Bootstrap band of the index per municipality: columns ``index_low``, ``index_high``."""
    if n_bootstrap < 1 or not 0 < confidence < 1:
        raise ValueError(f"n_bootstrap must be >= 1 and confidence between 0 and 1; got {n_bootstrap}, {confidence}")
    weights = resolve_weights(category_weights, category_order(applications))
    counts = bootstrap_counts(applications, list(levels.columns), n_bootstrap, np.random.default_rng(seed))
    scores = levels.to_numpy(dtype=float) / MAX_LEVEL * 100
    low, high = np.empty(len(scores)), np.empty(len(scores))
    # The products have only ~10 applications per category as inner dimension; BLAS threads
    # cost more than they save there (measured: twice as fast single-threaded on 2 cores).
    with threadpool_limits(1, user_api="blas") if threadpool_limits else nullcontext():
        for start in range(0, len(scores), BLOCK_ROWS):  # blocks of municipalities bound the memory
            block = slice(start, start + BLOCK_ROWS)
            low[block], high[block] = percentile_band(bootstrap_block(scores[block], counts, weights), confidence)
    return pd.DataFrame({"index_low": low, "index_high": high}, index=levels.index)


def share_at_least(levels: pd.DataFrame, level: int) -> pd.Series:
    """Share of all applications (unknown included in the denominator) at ``level`` or higher."""
    return (levels >= level).sum(axis=1) / levels.shape[1]


def municipality_scores(levels: Levels, region: Region, applications: pd.DataFrame, category_weights: Mapping[str, float] | None = None,
                        n_bootstrap: int = 1000, seed: int = 2021, compliant_level: int = 3, confidence: float = 0.95) -> pd.DataFrame:
    """One row per member: index with band, OZG-compliant and unknown shares, own offer beside it.

    ``maturity_index``, ``share_ozg_compliant`` and ``share_unknown`` use the effective levels
    (own offer plus the Kreis's); the ``*_own`` columns use the municipality's own offer only.
    Shares are of all applications of the catalogue (0-1).
    """
    effective = levels.effective
    band = bootstrap_index(effective, applications, category_weights, n_bootstrap, seed, confidence)
    m = region.municipalities.set_index("ags").reindex(effective.index)
    table = pd.DataFrame({
        "ags": effective.index,
        "name": m["name"].to_numpy(),
        "kreis": m["kreis"].to_numpy(),
        "population": m["population"].astype("int64").to_numpy(),
        "maturity_index": maturity_index(effective, applications, category_weights).to_numpy(),
        "index_low": band["index_low"].to_numpy(),
        "index_high": band["index_high"].to_numpy(),
        "share_ozg_compliant": share_at_least(effective, compliant_level).to_numpy(),
        "share_unknown": levels.unknown.mean(axis=1).to_numpy(),
        "maturity_index_own": maturity_index(levels.own, applications, category_weights).to_numpy(),
        "share_ozg_compliant_own": share_at_least(levels.own, compliant_level).to_numpy(),
        "share_inherited": levels.inherited.mean(axis=1).to_numpy(),
        "n_known": effective.notna().sum(axis=1).to_numpy(),
        "is_oberzentrum": (effective.index == region.oberzentrum),
    })
    table["rank"] = table["maturity_index"].rank(ascending=False, method="min").astype("Int64")
    return table
