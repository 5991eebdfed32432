"""Joins of the region with indicator tables, classification and symbol sizing (regiopole.maps)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from regiopole.data import DataValidationError
from regiopole.maps import build_layer, classify, indicator, load_inventory_index, load_participation, symbol_radii
from regiopole.maps.indicators import NO_DATA
from regiopole.maps.layers import UNVERIFIED_TIER


def inventory_for(ags: list[str], value: float = 50.0) -> pd.DataFrame:
    return pd.DataFrame({"ags": ags, "name": "x", "maturity_index": value, "index_low": value - 8.2, "index_high": value + 7.5})


def test_every_region_ags_is_matched(region):
    inv = inventory_for(region.ags)
    part = pd.DataFrame({"ags": region.ags, "name": "x", "participated": ["ja", "nein"] * 14 + ["ja"]})
    broadband = pd.DataFrame({"ags": region.ags[1:], "name": "x", "vintage": "2021-06-30", "hh_1000": 55.0})
    layer = build_layer(region.municipalities, region.oberzentrum, inventory=inv, participation=part, broadband=broadband)
    assert len(layer.frame) == 29
    assert list(layer.frame["ags"]) == region.ags
    assert layer.unmatched == {"maturity_index": [], "participated": [], "hh_1000": [region.ags[0]]}
    gigabit = layer.frame.set_index("ags")["gigabit_text"]
    assert gigabit[region.ags[0]] == "keine Angabe" and gigabit[region.ags[1]] == "55 % (30.06.2021)"
    assert layer.attributions[-1].endswith("Bundesnetzagentur, Datenstand 06.2021")
    assert layer.unknown.empty
    assert layer.frame["is_oberzentrum"].sum() == 1
    assert layer.frame.loc[layer.frame["is_oberzentrum"], "ags"].item() == region.oberzentrum


def test_unknown_ags_is_reported_not_dropped_silently(region):
    inv = inventory_for([*region.ags[:27], "05774999"])
    with pytest.warns(UserWarning, match="05774999"):
        layer = build_layer(region.municipalities, region.oberzentrum, inventory=inv)
    assert layer.unknown[["table", "ags"]].values.tolist() == [["inventory_index", "05774999"]]
    assert layer.unmatched["maturity_index"] == region.ags[27:]
    assert (layer.frame.set_index("ags").loc[region.ags[27:], "index_text"] == NO_DATA).all()


def test_missing_tables_show_keine_angabe(region):
    layer = build_layer(region.municipalities, region.oberzentrum)
    assert set(layer.frame["index_text"]) == {NO_DATA}
    assert set(layer.frame["participated_text"]) == {NO_DATA}
    assert set(layer.frame["gigabit_text"]) == {NO_DATA}
    assert layer.available == {"maturity_index": False, "participated": False, "population": True, "hh_1000": False}
    assert layer.frame.geometry.geom_type.eq("Point").all()
    assert not layer.has_boundaries


def test_tooltip_texts_are_german_and_flag_unverified_tiers(region):
    inv = inventory_for(region.ags, 62.5)
    layer = build_layer(region.municipalities, region.oberzentrum, inventory=inv)
    row = layer.frame.set_index("ags").loc[region.oberzentrum]
    own = region.municipalities.set_index("ags").loc[region.oberzentrum]
    day, month, year = own["population_date"][8:], own["population_date"][5:7], own["population_date"][:4]
    assert row["population_text"] == f"{int(own['population']):,} ({day}.{month}.{year})".replace(",", ".")
    assert row["tier_text"] == "Oberzentrum"
    assert row["index_text"] == "62,5 (54,3–70,0)"
    unverified = layer.frame[region.municipalities["central_place_tier_verified"].eq("no").to_numpy()]
    assert unverified["tier_text"].str.endswith(f"({UNVERIFIED_TIER})").all()


def test_duplicate_ags_in_an_indicator_table_is_an_error(tmp_path):
    path = tmp_path / "inventory_index.csv"
    path.write_text("ags,name,maturity_index,index_low,index_high\n05774032,P,52.0,41.5,60.5\n05774032,P,2.1,1.6,2.6\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="row 3.*ags.*duplicate"):
        load_inventory_index(path)


def test_inventory_index_must_be_on_the_0_100_scale(tmp_path):
    path = tmp_path / "inventory_index.csv"
    path.write_text("ags,name,maturity_index,index_low,index_high\n05774032,P,152.0,141.5,160.5\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="row 2, column 'maturity_index': expected a number from 0 to 100"):
        load_inventory_index(path)


def test_indicator_tables_load_or_are_absent(tmp_path):
    assert load_inventory_index(tmp_path / "missing.csv") is None
    assert load_participation(None) is None
    path = tmp_path / "survey_participation.csv"
    path.write_text("ags,name,participated\n05774032,Paderborn,ja\n05774004,Altenbeken,vielleicht\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="row 3, column 'participated'"):
        load_participation(path)
    path.write_text("ags,name,participated\n05774032,Paderborn,ja\n5774004,Altenbeken,nein\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="leading zero"):
        load_participation(path)


def test_population_classes_cover_every_value(region):
    values = region.municipalities["population"].astype(float)
    classes = classify(values, indicator("population"))
    assert len(classes.labels) == 5 and NO_DATA not in classes.labels
    assert sum(classes.counts().values()) == 29
    assert classes.assigned.loc[values.idxmax()] == classes.labels[-1]
    assert classes.assigned.loc[values.idxmin()] == classes.labels[0]
    assert classes.labels[0].startswith(f"{int(values.min()):,} bis ".replace(",", "."))
    assert classes.labels[-1].endswith(f" bis {int(values.max()):,}".replace(",", "."))


def test_maturity_classes_are_fixed_on_the_0_100_scale_and_missing_is_keine_angabe():
    values = pd.Series([12.5, 42.5, np.nan, 97.5, 60.0])
    classes = classify(values, indicator("maturity_index"))
    assert classes.labels == ["0 bis 20", "über 20 bis 40", "über 40 bis 60", "über 60 bis 80", "über 80 bis 100", NO_DATA]
    assert classes.assigned.tolist() == ["0 bis 20", "über 40 bis 60", NO_DATA, "über 80 bis 100", "über 40 bis 60"]
    assert classes.counts()["über 20 bis 40"] == 0  # fixed scale: empty classes stay in the legend
    assert classes.color_of(NO_DATA) != classes.color_of("0 bis 20")


def test_all_missing_gives_only_keine_angabe():
    classes = classify(pd.Series([np.nan] * 3), indicator("maturity_index"))
    assert classes.labels == [NO_DATA] and classes.counts() == {NO_DATA: 3}


def test_participation_categories_and_unknown_values():
    classes = classify(pd.Series(["ja", None, "nein", "ja"]), indicator("participated"))
    assert classes.labels == ["ja", "nein", NO_DATA]
    assert classes.counts() == {"ja": 2, "nein": 1, NO_DATA: 1}
    with pytest.raises(ValueError, match="vielleicht"):
        classify(pd.Series(["ja", "vielleicht"]), indicator("participated"))


def test_few_distinct_values_do_not_break_data_driven_classes():
    classes = classify(pd.Series([1000.0, 1000.0, 1000.0]), indicator("population"))
    assert len(classes.labels) == 1 and classes.counts()[classes.labels[0]] == 3


def test_unknown_indicator_names_the_known_ones():
    with pytest.raises(ValueError, match="maturity_index"):
        indicator("einwohnerdichte")


def test_symbol_area_is_proportional_to_population(region):
    values = region.municipalities["population"].astype(float)
    radii = symbol_radii(values, max_radius=30.0, min_radius=0.0)
    assert radii.max() == pytest.approx(30.0)
    areas = math.pi * radii**2
    assert (areas / values).round(9).nunique() == 1


@given(st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=1, max_size=50))
def test_symbol_radii_are_bounded_and_monotonic(values):
    s = pd.Series(values)
    radii = symbol_radii(s, max_radius=20.0, min_radius=2.0)
    assert ((radii >= 2.0) & (radii <= 20.0 + 1e-9)).all()
    order = s.sort_values(kind="stable").index
    assert radii.loc[order].is_monotonic_increasing


def test_negative_sizes_are_refused():
    with pytest.raises(ValueError, match=">= 0"):
        symbol_radii(pd.Series([1.0, -2.0]))


def test_maps_imports_only_lower_layers():
    """regiopole.maps reads other modules' results through their tables, never by importing them."""
    import ast
    from pathlib import Path

    allowed = {"data", "paths", "style", "report", "privacy", "maps"}
    found = {}
    for path in (Path(__file__).resolve().parents[1] / "regiopole" / "maps").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found |= {m.split(".")[1]: path.name for m in modules if m.startswith("regiopole.")}
    assert set(found) <= allowed, {k: v for k, v in found.items() if k not in allowed}
    assert {"data", "report", "style"} <= set(found)
