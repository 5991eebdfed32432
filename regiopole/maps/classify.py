"""Map classes and symbol sizes: values -> legend classes with colours (mapclassify), and
population -> circle radius (area proportional to the value)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import mapclassify
import matplotlib as mpl
import numpy as np
import pandas as pd

from regiopole import style
from regiopole.maps.indicators import NO_DATA, Indicator


@dataclass(frozen=True)
class Classes:
    """Legend classes of one indicator and the class of every map feature."""

    labels: list[str]  # legend order; "keine Angabe" last when some value is missing
    colors: list[str]  # one colour per label
    assigned: pd.Series  # the label of each feature (same index as the values)
    hatched: tuple[str, ...] = ()  # labels drawn hatched as well as coloured

    def color_of(self, label: str) -> str:
        return self.colors[self.labels.index(label)]

    @property
    def feature_colors(self) -> pd.Series:
        """The fill colour of each feature."""
        return self.assigned.map(dict(zip(self.labels, self.colors, strict=True)))

    def counts(self) -> dict[str, int]:
        """Number of features per legend class (classes without features count 0)."""
        found = self.assigned.value_counts()
        return {label: int(found.get(label, 0)) for label in self.labels}


def format_value(value: float, decimals: int) -> str:
    """German number as used in legends and tooltips."""
    return style.german_number(value, decimals)


def class_labels(lower: float, upper_bounds: list[float], decimals: int) -> list[str]:
    """German labels 'a bis b', 'über b bis c', ... for classes given by their upper bounds."""
    labels, low = [], lower
    for i, high in enumerate(upper_bounds):
        prefix = "" if i == 0 else "über "
        labels.append(f"{prefix}{format_value(low, decimals)} bis {format_value(high, decimals)}")
        low = high
    return labels


def ramp(cmap: str, k: int) -> list[str]:
    """``k`` colours from a matplotlib colour map, avoiding its palest end (invisible on white)."""
    colours = mpl.colormaps[cmap](np.linspace(0.2, 0.95, k))
    return [mpl.colors.to_hex(c) for c in colours]


def numeric_classes(values: pd.Series, ind: Indicator) -> tuple[list[float], list[str], pd.Series]:
    """Upper bounds, colours and class number per valid value, by fixed bins or a mapclassify scheme."""
    valid = values.dropna().astype(float)
    if ind.bins is not None:
        classifier = mapclassify.UserDefined(valid.to_numpy(), bins=list(ind.bins))
        colours = list(ind.colors) if ind.colors else ramp(ind.cmap, len(classifier.bins))
        return list(classifier.bins), colours[: len(classifier.bins)], pd.Series(classifier.yb, index=valid.index)
    k = min(ind.k, valid.nunique())
    if k < 2:  # one distinct value: one class
        return [float(valid.max())], ramp(ind.cmap, 1), pd.Series(0, index=valid.index)
    with warnings.catch_warnings():  # FisherJenks runs in pure Python without numba; fast enough here
        warnings.filterwarnings("ignore", message="Numba not installed")
        classifier = mapclassify.classify(valid.to_numpy(), scheme=ind.scheme, k=k)
    return list(classifier.bins), ramp(ind.cmap, len(classifier.bins)), pd.Series(classifier.yb, index=valid.index)


def classify(values: pd.Series, ind: Indicator) -> Classes:
    """Class every value of ``ind`` for the legend; missing values become "keine Angabe"."""
    missing = values.isna()
    hatched: tuple[str, ...] = ()
    if ind.kind == "category":
        present = [c for c in ind.categories if (values == c).any()]
        unknown = sorted(set(values.dropna()) - set(ind.categories))
        if unknown:
            raise ValueError(f"{ind.column}: values {unknown} have no colour; expected {list(ind.categories)}")
        labels, colours, assigned = present, [ind.categories[c] for c in present], values.astype(object)
        hatched = tuple(c for c in ind.hatched if c in present)
    elif missing.all():
        labels, colours, assigned = [], [], pd.Series(index=values.index, dtype=object)
    else:
        bounds, colours, numbers = numeric_classes(values, ind)
        lower = ind.minimum if ind.minimum is not None else float(values.min())
        labels = class_labels(lower, bounds, ind.decimals)
        assigned = numbers.map(dict(enumerate(labels))).reindex(values.index)
    if missing.any():  # "keine Angabe" is patterned as well as coloured: on paper it must not pass for a class
        labels, colours, hatched = [*labels, NO_DATA], [*colours, style.UNKNOWN_COLOR], (*hatched, NO_DATA)
    assigned = assigned.astype(object).where(~missing, NO_DATA)
    return Classes(labels=list(labels), colors=list(colours), assigned=assigned, hatched=hatched)


def symbol_radii(values: pd.Series, max_radius: float = 28.0, min_radius: float = 3.0) -> pd.Series:
    """Circle radii (pixels) whose areas are proportional to ``values``; the largest gets ``max_radius``.

    Radii below ``min_radius`` are raised to it so small places stay visible; missing values
    get ``min_radius``.
    """
    v = pd.to_numeric(values, errors="coerce").astype(float)
    if (v < 0).any():
        raise ValueError("symbol sizes need values >= 0")
    top = v.max()
    radii = max_radius * np.sqrt(v / top) if top and top > 0 else v * 0
    return radii.fillna(min_radius).clip(lower=min_radius)
