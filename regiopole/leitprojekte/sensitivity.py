"""Rank stability: how much the ranking depends on the chosen weights.

Two analyses of the weighted sum ``matrix @ weights`` (matrix: projects x columns, 0-1):

* **Random weights** (Dirichlet): ``n_samples`` weight vectors drawn from
  Dirichlet(concentration x w), whose mean is the chosen weights w. The larger the
  concentration, the closer the draws stay to w (each weight's standard deviation is
  sqrt(w (1 - w) / (concentration + 1)); at 50 and w = 0.2 about 0.056). Columns with
  weight 0 stay 0. Per project: share of draws in the top k, rank range (min, 5 %, median,
  95 %, max), and a flip flag when its top-k membership differs from the chosen weights'
  in more than ``tolerance`` of the draws. Adjacent pairs of the chosen ranking are
  flagged when their order is reversed in more than ``tolerance`` of the draws.
* **One at a time**: each positive weight is changed by -change and +change (relative,
  e.g. 0.2 -> 0.1 and 0.3 at change 0.5); the other weights keep their proportions and
  are rescaled so that the sum stays 1.

Ranks everywhere: 1 = best, ties share the better rank (``method="min"``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from regiopole.data import DataValidationError, Problem
from regiopole.leitprojekte.criteria import DECIMALS, rank_descending, utility
from regiopole.style import german_percent

TOLERANCE = 0.05  # a share of draws above this counts as a flip


def check_parameter(name: str, value: object, ok: bool, expected: str) -> None:
    """Raise a clear error for a bad notebook parameter."""
    if not ok:
        raise DataValidationError(f"{name} (notebook parameter)", [Problem(None, None, f"expected {expected}, got {value!r}")])


def check_top_k(top_k: int, n_projects: int) -> None:
    """``top_k`` must be a whole number from 1 to the number of projects."""
    check_parameter("top_k", top_k, isinstance(top_k, int) and not isinstance(top_k, bool) and 1 <= top_k <= n_projects,
                    f"a whole number from 1 to {n_projects}")


def sample_weights(weights: pd.Series, n_samples: int, concentration: float, rng: np.random.Generator) -> pd.DataFrame:
    """``n_samples`` random weight vectors around ``weights`` (rows sum to 1)."""
    check_parameter("n_samples", n_samples, isinstance(n_samples, int) and not isinstance(n_samples, bool) and n_samples >= 1,
                    "a whole number >= 1")
    check_parameter("concentration", concentration, isinstance(concentration, int | float) and not isinstance(concentration, bool)
                    and math.isfinite(concentration) and concentration > 0, "a number > 0")
    mean = weights / weights.sum()
    positive = mean[mean > 0]
    out = pd.DataFrame(0.0, index=pd.RangeIndex(n_samples, name="sample"), columns=mean.index)
    out[positive.index] = rng.dirichlet(concentration * positive.to_numpy(), size=n_samples)
    return out


def sample_ranks(matrix: pd.DataFrame, weight_samples: pd.DataFrame) -> pd.DataFrame:
    """Ranks of every project (columns) under every weight vector (rows)."""
    scores = (weight_samples[matrix.columns] @ matrix.T).round(DECIMALS)  # float-equal scores tie, as in criteria.utility
    return scores.rank(axis=1, ascending=False, method="min").astype(int)


def stability(baseline: pd.Series, ranks: pd.DataFrame, top_k: int, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Per project: chosen rank, top-k share, rank range and the flip flag."""
    check_top_k(top_k, len(baseline))
    in_top = ranks <= top_k
    flip_share = in_top.ne(baseline <= top_k, axis=1).mean()
    return pd.DataFrame({
        "baseline_rank": baseline,
        "top_k_share": in_top.mean(),
        "rank_min": ranks.min(),
        "rank_p05": ranks.quantile(0.05, interpolation="lower").astype(int),
        "rank_median": ranks.median(),
        "rank_p95": ranks.quantile(0.95, interpolation="higher").astype(int),
        "rank_max": ranks.max(),
        "flip_share": flip_share,
        "flips": flip_share > tolerance,
    }).sort_values("baseline_rank", kind="stable")


def pair_flips(baseline: pd.Series, ranks: pd.DataFrame, tolerance: float = TOLERANCE) -> pd.DataFrame:
    """Adjacent pairs of the chosen ranking and how often their order is reversed."""
    order = baseline.sort_values(kind="stable").index
    upper, lower = order[:-1], order[1:]
    reversed_share = [(ranks[b] < ranks[a]).mean() for a, b in zip(upper, lower, strict=True)]
    out = pd.DataFrame({"upper": upper, "lower": lower, "reversed_share": reversed_share})
    out["flips"] = out["reversed_share"] > tolerance
    return out


def changed_weights(weights: pd.Series, name: str, change: float) -> pd.Series | None:
    """Weight ``name`` times (1 + change), the others rescaled to keep the sum 1; None if impossible."""
    mean = weights / weights.sum()
    rest = 1 - mean[name]
    if rest <= 0:
        return None
    new = min(mean[name] * (1 + change), 1.0)
    out = mean * (1 - new) / rest
    out[name] = new
    return out


def one_at_a_time(matrix: pd.DataFrame, weights: pd.Series, change: float = 0.5) -> pd.DataFrame:
    """Ranks per project (rows) for each single-weight change (columns ``(criterion, change)``)."""
    check_parameter("oat_change", change, isinstance(change, int | float) and not isinstance(change, bool) and 0 < change <= 1,
                    "a relative change above 0 and at most 1 (0.5 = +/-50 %)")
    columns = {}
    for name in weights.index[weights > 0]:
        for step in (-change, change):
            new = changed_weights(weights, name, step)
            if new is not None:
                columns[(name, step)] = rank_descending(utility(matrix, new))
    out = pd.DataFrame(columns, index=matrix.index)
    out.columns = pd.MultiIndex.from_tuples(out.columns, names=["criterion", "change"])
    return out


def oat_summary(baseline: pd.Series, oat_ranks: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """Per scenario: does the top-k set change, largest rank shift, projects that moved."""
    baseline = baseline.loc[oat_ranks.index]
    base_top = baseline <= top_k
    rows = []
    for (name, step), ranks in oat_ranks.items():
        moved = ranks.index[ranks != baseline]
        rows.append({"criterion": name, "change": step, "top_k_changed": bool((ranks <= top_k).ne(base_top).any()),
                     "max_shift": int((ranks - baseline).abs().max()), "moved": ", ".join(moved)})
    return pd.DataFrame(rows, columns=["criterion", "change", "top_k_changed", "max_shift", "moved"])


def oat_flips(baseline: pd.Series, oat_ranks: pd.DataFrame, top_k: int) -> pd.Series:
    """True for projects whose top-k membership changes under at least one single-weight change."""
    return (oat_ranks <= top_k).ne(baseline <= top_k, axis=0).any(axis=1)


def stability_table(stab: pd.DataFrame, oat_flip: pd.Series, titles: pd.Series, top_k: int) -> pd.DataFrame:
    """The stability per project with German headings, in the order of the chosen ranking."""
    yes_no = {True: "ja", False: "nein"}
    return pd.DataFrame({
        "ID": stab.index,
        "Leitprojekt": titles.loc[stab.index].to_numpy(),
        "Rang (gewählte Gewichte)": stab["baseline_rank"].to_numpy(),
        f"Anteil Top {top_k} (%)": (100 * stab["top_k_share"]).round(1).to_numpy(),
        "Rang min": stab["rank_min"].to_numpy(),
        "Rang 5 %": stab["rank_p05"].to_numpy(),
        "Rang Median": stab["rank_median"].to_numpy(),
        "Rang 95 %": stab["rank_p95"].to_numpy(),
        "Rang max": stab["rank_max"].to_numpy(),
        "Kippt (Zufallsgewichte)": stab["flips"].map(yes_no).to_numpy(),
        "Kippt (Einzeländerung)": oat_flip.loc[stab.index].map(yes_no).to_numpy(),
    })


def pair_table(pairs: pd.DataFrame, titles: pd.Series) -> pd.DataFrame:
    """Adjacent pairs of the chosen ranking with German headings."""
    return pd.DataFrame({
        "Vorn": [f"{p} {titles[p]}" for p in pairs["upper"]],
        "Dahinter": [f"{p} {titles[p]}" for p in pairs["lower"]],
        "Reihenfolge umgekehrt (%)": (100 * pairs["reversed_share"]).round(1).to_numpy(),
        "Kippt": pairs["flips"].map({True: "ja", False: "nein"}).to_numpy(),
    })


def oat_table(summary: pd.DataFrame, labels: dict[str, str], top_k: int) -> pd.DataFrame:
    """The single-weight changes with German headings."""
    return pd.DataFrame({
        "Kriterium": summary["criterion"].map(lambda n: labels.get(n, n)).to_numpy(),
        "Änderung des Gewichts (%)": (100 * summary["change"]).round().astype(int).to_numpy(),
        f"Top {top_k} ändert sich": summary["top_k_changed"].map({True: "ja", False: "nein"}).to_numpy(),
        "Größte Rangverschiebung": summary["max_shift"].to_numpy(),
        "Verschobene Projekte": summary["moved"].to_numpy(),
    })


def describe_stability(stab: pd.DataFrame, oat_flip: pd.Series, pairs: pd.DataFrame, titles: pd.Series, top_k: int,
                       tolerance: float = TOLERANCE) -> str:
    """German summary: which projects are safely in the top k, which flip, which pairs swap."""
    safe = [f"{titles[p]} ({p})" for p in stab.index[(stab["baseline_rank"] <= top_k) & ~stab["flips"] & ~oat_flip.loc[stab.index]]]
    flipping = [f"{titles[p]} ({p})" for p in stab.index[stab["flips"] | oat_flip.loc[stab.index]]]
    swapped = pairs[pairs["flips"]]
    parts = [f"Stabil unter den ersten {top_k}: " + ("; ".join(safe) if safe else "kein Projekt") + "."]
    parts.append("Die Platzierung in den Top " + str(top_k) + (" kippt bei " + "; ".join(flipping) + "." if flipping
                                                                else " kippt bei keinem Projekt."))
    parts.append(f"{len(swapped)} von {len(pairs)} benachbarten Paaren der Rangfolge tauschen in mehr als {german_percent(tolerance)} der Ziehungen die Plätze.")
    return " ".join(parts)
