"""Region profile tables and the 00_region notebook."""

from __future__ import annotations

import pandas as pd
import pytest

from regiopole import regionprofile
from regiopole.data import load_region, load_regiopolen


def test_kreis_table_adds_up_to_the_region():
    region = load_region()
    table = regionprofile.population_by_kreis(region)
    assert table["Gemeinden"].sum() == 29
    assert table["Einwohner"].sum() == region.population
    assert table["Anteil an der Region"].sum() == pytest.approx(1.0)
    assert table.set_index("Kreis").at["Kreis Paderborn", "Gemeinden"] == 10


def test_size_classes_cover_every_municipality_once():
    region = load_region()
    table = regionprofile.size_class_table(region)
    assert table["Gemeinden"].sum() == len(region.ags)
    classes = regionprofile.size_class(pd.Series([9_999, 10_000, 19_999, 50_000, 151_633]))
    assert classes.tolist() == ["unter 10.000", "10.000 bis unter 20.000", "10.000 bis unter 20.000",
                                "50.000 bis unter 100.000", "100.000 und mehr"]


def test_unverified_tiers_are_marked():
    table = regionprofile.municipality_table(load_region()).set_index("Gemeinde")
    assert table.at["Paderborn", "Zentralörtliche Funktion"] == "Oberzentrum"
    assert table.at["Lippstadt", "Zentralörtliche Funktion"].endswith("(nicht amtlich geprüft)")
    assert table.at["Detmold", "Zentralörtliche Funktion"] == "Mittelzentrum"


def test_network_marks_this_region():
    table = regionprofile.network_table(load_regiopolen(), lead_city="Paderborn")
    assert len(table) == 8 and table["diese Region"].eq("ja").sum() == 1


@pytest.mark.notebook
def test_region_notebook_writes_its_tables(run_notebook):
    out = run_notebook("00_region")
    municipalities = pd.read_csv(out / "tables" / "region_municipalities.csv", dtype={"AGS": str})
    assert len(municipalities) == 29 and municipalities["AGS"].str.len().eq(8).all()
    by_kreis = pd.read_csv(out / "tables" / "region_population_by_kreis.csv")
    assert by_kreis["Einwohner"].sum() == municipalities["Einwohner"].sum()
    assert (out / "figures" / "region_population.svg").stat().st_size > 0
    assert len(pd.read_csv(out / "tables" / "regiopole_network.csv")) == 8


@pytest.mark.notebook
def test_region_notebook_takes_another_region(run_notebook, tmp_path):
    import yaml

    from regiopole.paths import default_region_file

    spec = yaml.safe_load(default_region_file().read_text(encoding="utf-8"))
    spec["municipalities_file"] = str(default_region_file().parent / spec["municipalities_file"])
    spec.update(name="Kreis Höxter (Test)", oberzentrum="05762020", members=[a for a in spec["members"] if a.startswith("05762")])
    path = tmp_path / "hoexter.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = run_notebook("00_region", region=str(path))
    assert len(pd.read_csv(out / "tables" / "region_municipalities.csv")) == 10
