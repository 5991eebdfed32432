"""The outline of Germany and the Länder shipped for the network map (BKG VG5000, simplified)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regiopole.data import DataValidationError
from regiopole.maps import outline
from regiopole.paths import project_root

ROOT = Path(__file__).resolve().parents[1]
#: ../shared of the checkout (main checkout) or of the folder holding worktrees.
SHARED_VG5000 = next((p / "shared" / "geo" / "vg5000_2021" for p in (ROOT.parent, ROOT.parent.parent)
                      if (p / "shared" / "geo" / "vg5000_2021" / outline.SOURCE_FILE).is_file()), None)


def test_shipped_outline_is_small_valid_and_attributed():
    path = project_root() / outline.OUTLINE_FILE
    assert path.stat().st_size < 300_000
    frame = outline.load_outline()
    assert len(frame) == 16 and frame["ars"].is_unique and frame.geometry.is_valid.all()
    assert "Nordrhein-Westfalen" in set(frame["name"])
    west, south, east, north = frame.total_bounds
    assert 5.8 < west < 6.0 and 47.2 < south < 47.4 and 15.0 < east < 15.1 and 54.9 < north < 55.1
    assert json.loads(path.read_text(encoding="utf-8"))["source"] == outline.ATTRIBUTION
    assert "GeoBasis-DE / BKG (2021)" in outline.ATTRIBUTION and "dl-de/by-2-0" in outline.ATTRIBUTION


@pytest.mark.skipif(SHARED_VG5000 is None, reason="the VG5000 source (../shared/geo/vg5000_2021) is not available")
def test_shipped_outline_is_rebuilt_byte_for_byte_from_the_official_source(tmp_path):
    rebuilt = outline.write_outline(SHARED_VG5000, tmp_path / "outline.geojson")
    assert rebuilt.read_bytes() == (project_root() / outline.OUTLINE_FILE).read_bytes()


def test_a_wrong_source_file_says_which_file_and_what_is_missing(tmp_path):
    (tmp_path / outline.SOURCE_FILE).write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NAME": "x"}, "geometry": {"type": "Point", "coordinates": [8, 51]}}]}),
        encoding="utf-8")
    with pytest.raises(DataValidationError, match="ARS"):
        outline.build_outline(tmp_path)
