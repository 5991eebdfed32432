"""Population-weighted summaries of municipal shares: mean, share of inhabitants below a threshold, Gini.

All take municipal shares in per cent (0-100) and the inhabitants of each municipality
as weights. The Breitbandatlas publishes no household counts per municipality, so
population stands in for the number of households.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _aligned(shares: pd.Series, weights: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Shares and weights of the keys that have both, in the order of ``shares``."""
    if shares.index.is_unique and weights.index.is_unique:
        # The inner join of the two series, in numpy: a frame per call cost more than the report's sums.
        position = weights.index.get_indexer(shares.index)
        found = position >= 0
        x = shares.to_numpy(dtype=float, na_value=np.nan)[found]
        w = weights.to_numpy(dtype=float, na_value=np.nan)[position[found]]
        both = ~(np.isnan(x) | np.isnan(w))
        x, w = x[both], w[both]
    else:
        frame = pd.concat({"x": shares, "w": weights}, axis=1, join="inner").dropna()
        x, w = frame["x"].to_numpy(dtype=float), frame["w"].to_numpy(dtype=float)
    if not len(x):
        raise ValueError("no municipality has both a share and a population")
    if (w < 0).any():
        raise ValueError("a population weight is negative")
    return x, w


def weighted_mean(shares: pd.Series, weights: pd.Series) -> float:
    """Population-weighted mean share in per cent: Σ wᵢxᵢ / Σ wᵢ."""
    x, w = _aligned(shares, weights)
    return float(np.sum(w * x) / np.sum(w))


def share_below(shares: pd.Series, weights: pd.Series, threshold: float) -> float:
    """Per cent of the inhabitants who live in a municipality whose share is below ``threshold``."""
    x, w = _aligned(shares, weights)
    return float(100 * np.sum(w[x < threshold]) / np.sum(w))


def weighted_gini(shares: pd.Series, weights: pd.Series) -> float:
    """Population-weighted Gini coefficient of the municipal shares (0 = equal everywhere, 1 = maximal).

    G = Σᵢ Σⱼ wᵢ wⱼ |xᵢ − xⱼ| / (2 · (Σ w)² · x̄), with x̄ the weighted mean: the expected
    difference between the shares of two randomly chosen inhabitants, relative to twice the
    mean. 0 when every municipality has the same share; ``nan`` when the mean is 0.
    """
    x, w = _aligned(shares, weights)
    mean = np.sum(w * x) / np.sum(w)
    if mean == 0:
        return float("nan")
    differences = np.abs(x[:, None] - x[None, :])
    return float(np.sum(w[:, None] * w[None, :] * differences) / (2 * np.sum(w) ** 2 * mean))
