"""The map report (notebooks/06_regional_map.ipynb) runs with and without the other reports' tables."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest

from regiopole.data import load_region
from regiopole.maps.offline import external_assets

pytestmark = pytest.mark.notebook


def outputs_text(notebook: Path) -> str:
    """All text and HTML outputs of an executed notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts += ["".join(v) if isinstance(v, list) else str(v) for k, v in out.get("data", {}).items() if k.startswith("text")]
            parts.append("".join(out.get("text", "")))
    return "\n".join(parts)


def narrative(notebook: Path) -> str:
    """What a reader sees as prose: static Markdown cells and Markdown outputs."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    parts = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    for cell in nb["cells"]:
        parts += ["".join(out.get("data", {}).get("text/markdown", "")) for out in cell.get("outputs", [])]
    return "\n".join(parts)


def test_runs_without_inventory_and_survey_tables(run_notebook, tmp_path):
    out = run_notebook("06_regional_map", maps_dir=str(tmp_path / "maps"))
    region_html = (tmp_path / "maps" / "region_map.html").read_text(encoding="utf-8")
    network_html = (tmp_path / "maps" / "regiopole_network.html").read_text(encoding="utf-8")
    assert external_assets(region_html) == [] and external_assets(network_html) == []
    for name in ("map_population", "map_maturity_index", "map_participation", "map_network"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000
        assert (out / "figures" / f"{name}.svg").is_file()
    text = outputs_text(out / "notebooks" / "06_regional_map.ipynb")
    assert "liegt nicht vor" in text and "keine Angabe" in text
    assert "Für keine Kommune liegt ein Wert zur Gigabit-Versorgung vor" in text  # no broadband table: said, not guessed
    assert "Punkte an den Bezugspunkten" in text  # no boundaries: proportional symbols
    assert "regiopole-legend" in text  # the map is shown inline
    assert "Beispieldaten" in text
    prose = narrative(out / "notebooks" / "06_regional_map.ipynb")
    for code in ("`", "regiopole ", "fetch-boundaries", "tables/", "figures/", "data/", ".csv", ".html", "Ordner",
                 "maps_dir", "boundaries", "xstatic"):
        assert code not in prose, f"the report shows code or a path: {code!r}"
    static = "".join("".join(c["source"]) for c in json.loads(
        (Path(__file__).resolve().parents[1] / "notebooks" / "06_regional_map.ipynb").read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "markdown")
    region = load_region()
    assert region.municipalities.loc[region.municipalities["ags"] == region.oberzentrum, "name"].iloc[0] not in static
    assert "Infrastrukturbereich Digitale Infrastruktur" in prose  # the region's lead area, from the data


def test_uses_tables_and_boundaries_when_given(run_notebook, tmp_path):
    region = load_region()
    tables = tmp_path / "outputs" / "tables"
    tables.mkdir(parents=True)
    rows = "\n".join(f"{a},{n},{10 + 2 * i}.5,{5 + 2 * i},{16 + 2 * i}" for i, (a, n) in enumerate(region.names().items()))
    (tables / "inventory_index.csv").write_text(f"ags,name,maturity_index,index_low,index_high\n{rows}\n", encoding="utf-8")
    rows = "\n".join(f"{a},{n},{'ja' if i % 4 else 'nein'}" for i, (a, n) in enumerate(region.names().items()))
    (tables / "survey_participation.csv").write_text(f"ags,name,participated\n{rows}\n05999999,Irgendwo,ja\n", encoding="utf-8")
    shares = {a: 10.0 + 3 * i for i, a in enumerate(region.ags)}
    rows = "\n".join(f"{a},{region.name_of(a)},2021-06-30,{v}" for a, v in shares.items())
    (tables / "trends_municipalities.csv").write_text(f"ags,name,vintage,hh_1000\n{rows}\n", encoding="utf-8")
    squares = gpd.GeoDataFrame({"ags": region.ags, "name": region.municipalities["name"]},
                               geometry=gpd.points_from_xy(region.municipalities["lon"], region.municipalities["lat"]).buffer(0.01),
                               crs=4326)
    boundary_file = tmp_path / "boundaries.geojson"
    data = json.loads(squares.to_json(drop_id=True))
    boundary_file.write_text(json.dumps({**data, "attribution": "© GeoBasis-DE / BKG (2024), dl-de/by-2-0, Daten verändert"}),
                             encoding="utf-8")
    out = run_notebook("06_regional_map", maps_dir=str(tmp_path / "maps"), boundaries=str(boundary_file), indicator="population")
    text = outputs_text(out / "notebooks" / "06_regional_map.ipynb")
    assert "für alle Kommunen der Region liegt ein Wert vor" in text
    assert "05999999 (Irgendwo)" in text  # unknown AGS reported
    assert "amtliche Grenzen" in text
    html = (tmp_path / "maps" / "region_map.html").read_text(encoding="utf-8")
    assert "GeoBasis-DE / BKG (2024)" in html
    assert "Ein Reifegrad-Index liegt für 29 von 29 Kommunen vor" in text
    below = [a for a, v in shares.items() if v < 50]
    assert f"In {len(below)} von {len(shares)} Kommunen hat weniger als die Hälfte der Haushalte" in text
    assert "Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur, Datenstand 06.2021" in html
    assert "Gigabit-Versorgung (amtlich)" in html
    assert (out / "figures" / "map_gigabit.png").stat().st_size > 10_000
