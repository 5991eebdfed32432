"""The region definition: members, Oberzentrum, optional members and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from regiopole.data import DataValidationError, load_region
from regiopole.paths import default_region_file


def region_copy(tmp_path: Path, **changes) -> Path:
    spec = yaml.safe_load(default_region_file().read_text(encoding="utf-8"))
    spec["municipalities_file"] = str(default_region_file().parent / spec["municipalities_file"])
    spec.update(changes)
    path = tmp_path / "region.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def test_default_region_has_29_members_and_paderborn_as_oberzentrum():
    region = load_region()
    assert len(region.ags) == 29 and len(set(region.ags)) == 29
    assert region.oberzentrum_name == "Paderborn"
    kreis_keys = [a[:5] for a in region.ags]
    assert kreis_keys.count("05774") == 10 and kreis_keys.count("05762") == 10
    assert region.population == int(region.municipalities["population"].sum())


def test_optional_member_is_included_only_on_request():
    base, extended = load_region(), load_region(include_optional=True)
    assert "05754036" not in base.ags and "05754036" in extended.ags
    assert extended.population - base.population == extended.municipalities.set_index("ags").at["05754036", "population"]
    assert load_region(include_optional=["05754036"]).ags == extended.ags


def test_unknown_optional_member_is_an_error():
    with pytest.raises(DataValidationError, match="no optional member with AGS 01001000"):
        load_region(include_optional=["01001000"])


def test_member_not_in_table_and_duplicate_member(tmp_path):
    spec = yaml.safe_load(default_region_file().read_text(encoding="utf-8"))
    members = spec["members"] + ["09162000", spec["members"][1]]
    with pytest.raises(DataValidationError) as excinfo:
        load_region(region_copy(tmp_path, members=members))
    text = str(excinfo.value)
    assert "AGS 09162000 is not in" in text and f"AGS {spec['members'][1]} is listed twice" in text


def test_oberzentrum_must_be_a_member(tmp_path):
    with pytest.raises(DataValidationError, match="oberzentrum"):
        load_region(region_copy(tmp_path, oberzentrum="05774004", members=["05774032"]))


def test_missing_keys_are_listed(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("name: Test\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_region(path)
    assert {p.column for p in excinfo.value.problems} == {"municipalities_file", "oberzentrum", "members"}


def test_smaller_region_from_its_own_file(tmp_path):
    region = load_region(region_copy(tmp_path, name="Kreis Höxter", oberzentrum="05762020",
                                     members=[a for a in load_region().ags if a.startswith("05762")]))
    assert region.name == "Kreis Höxter" and len(region.ags) == 10
