"""Checks of the public reference data in data/reference/.

(a) Structure and key facts of the committed files, with plain pandas (always runs).
(b) Cross-checks against the compiled source material in ``<workspace>/shared/reference``
    (skipped where that folder does not exist, i.e. for every ordinary user of the project).

All CSVs are read with ``dtype=str`` so that leading zeros of AGS and OZG-IDs survive.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT / "data" / "reference"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference"

MUNICIPALITY_COLUMNS = [
    "name", "ags", "kreis", "population", "population_date", "population_earlier", "population_earlier_date", "area_km2",
    "central_place_tier", "central_place_tier_verified", "lat", "lon",
]
REGIOPOLE_COLUMNS = [
    "name", "land", "ags", "population", "population_date", "population_earlier", "population_earlier_date",
    "area_km2", "lat", "lon", "lead_infrastructure_area", "member_since",
]
APPLICATION_COLUMNS = [
    "app_id", "name", "category", "ozg_id", "ozg_leistung", "themenfeld",
    "provider_level", "benchmark_core", "description",
]
# The 14 Themenfelder of the OZG-Umsetzungskatalog (state 2019, names as in the catalogue).
OZG_THEMENFELDER = frozenset({
    "Arbeit & Ruhestand",
    "Bauen & Wohnen",
    "Bildung",
    "Ein- & Auswanderung",
    "Engagement & Hobby",
    "Familie & Kind",
    "Forschung & Förderung",
    "Gesundheit",
    "Mobilität & Reisen",
    "Querschnitt",
    "Recht & Ordnung",
    "Steuern & Zoll",
    "Umwelt",
    "Unternehmensführung & -entwicklung",
})
BENCHMARK_CORE = {"kfz_zulassung", "wohngeld", "gewerbeanmeldung", "baugenehmigung",
                  "meldebescheinigung"}
PROVIDER_LEVELS = {"gemeinde", "kreis", "gemeinde_oder_kreis"}
POPULATION_SUM_2022 = 718_713  # sum of the 29 in the Zensus 2022 (15.05.2022)
POPULATION_SUM_2019 = 715_044  # sum of the 29 on 31.12.2019 (Destatis GV-ISys)
ZENSUS_DATE, EARLIER_DATE = "2022-05-15", "2019-12-31"
OBERZENTRUM = "05774032"  # Paderborn
AGS = re.compile(r"^\d{8}$")
OZG_ID = re.compile(r"^\d{5}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read(name: str, folder: Path = REF) -> pd.DataFrame:
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def municipalities() -> pd.DataFrame:
    return read("municipalities.csv")


@pytest.fixture(scope="module")
def region() -> dict:
    with open(REF / "regions" / "paderborn.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def applications() -> pd.DataFrame:
    return read("applications.csv")


# --------------------------------------------------------------------------- (a) structure


@pytest.mark.parametrize("name", [
    "municipalities.csv", "regiopolen.csv", "ozg_maturity_levels.csv", "applications.csv",
    "regions/paderborn.yaml",
])
def test_files_are_utf8_without_bom(name):
    raw = (REF / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")


def test_municipalities_structure(municipalities):
    m = municipalities
    assert list(m.columns) == MUNICIPALITY_COLUMNS
    assert len(m) == 29
    assert m["ags"].str.match(AGS).all()
    assert m["ags"].is_unique and m["name"].is_unique
    assert OBERZENTRUM in set(m["ags"])
    assert m["population_date"].str.match(ISO_DATE).all()
    pd.to_datetime(m["population_date"], format="%Y-%m-%d")
    assert set(m["central_place_tier_verified"]) <= {"yes", "no"}
    assert m["population"].astype(int).gt(0).all()
    assert m["area_km2"].astype(float).gt(0).all()
    assert m["lat"].astype(float).between(51.0, 52.5).all()
    assert m["lon"].astype(float).between(8.0, 9.5).all()


def test_municipalities_key_facts(municipalities):
    m = municipalities
    paderborn = m[m["kreis"] == "Kreis Paderborn"]
    hoexter = m[m["kreis"] == "Kreis Höxter"]
    assert len(paderborn) == 10 and paderborn["ags"].str.startswith("05774").all()
    assert len(hoexter) == 10 and hoexter["ags"].str.startswith("05762").all()
    assert set(m["population_date"]) == {ZENSUS_DATE} and set(m["population_earlier_date"]) == {EARLIER_DATE}
    assert m["population"].astype(int).sum() == POPULATION_SUM_2022
    assert (paderborn["population"].astype(int).sum(), hoexter["population"].astype(int).sum()) == (313_102, 138_447)
    assert m["population_earlier"].astype(int).sum() == POPULATION_SUM_2019
    assert paderborn["population_earlier"].astype(int).sum() == 307_839
    assert hoexter["population_earlier"].astype(int).sum() == 140_251
    assert m["area_km2"].astype(float).sum() == pytest.approx(3425.6, abs=0.05)
    oz = m.set_index("ags").loc[OBERZENTRUM]
    assert (oz["name"], oz["central_place_tier"], oz["central_place_tier_verified"]) == (
        "Paderborn", "Oberzentrum", "yes")


def test_region_file(region, municipalities):
    assert region["name"] == "Regiopolregion Paderborn"
    assert region["short_name"] == "Paderborn"
    path = (REF / "regions" / region["municipalities_file"]).resolve()
    assert path == (REF / "municipalities.csv").resolve()
    members = region["members"]
    assert all(isinstance(a, str) and AGS.match(a) for a in members)
    assert len(members) == len(set(members)) == 29
    assert set(members) == set(municipalities["ags"])
    assert region["oberzentrum"] == OBERZENTRUM and OBERZENTRUM in members
    (shs,) = region["optional_members"]
    assert set(MUNICIPALITY_COLUMNS) <= set(shs) and shs["note"]
    assert shs["ags"] == "05754036" and shs["ags"] not in members
    assert shs["central_place_tier_verified"] == "no"
    assert ISO_DATE.match(shs["population_date"])
    assert region["sources"] and all(isinstance(s, str) for s in region["sources"])


def test_regiopolen(municipalities):
    r = read("regiopolen.csv")
    assert list(r.columns) == REGIOPOLE_COLUMNS
    assert len(r) == 8 and r["name"].is_unique
    assert r["ags"].str.match(AGS).all() and r["ags"].is_unique
    assert "Kassel" not in set(r["name"])  # joined the network in 2025, not in the model project
    pb = r.set_index("name").loc["Paderborn"]
    assert pb["ags"] == OBERZENTRUM
    assert pb["lead_infrastructure_area"].startswith("Digitale Infrastruktur")
    own = municipalities.set_index("ags").loc[OBERZENTRUM]
    assert (pb["population"], pb["area_km2"]) == (own["population"], own["area_km2"])
    pd.to_datetime(r["population_date"], format="%Y-%m-%d")


def test_maturity_levels():
    lv = read("ozg_maturity_levels.csv")
    assert list(lv.columns) == ["level", "name", "definition", "ozg_compliant"]
    assert list(lv["level"]) == ["0", "1", "2", "3", "4"]
    assert list(lv["name"]) == ["Offline", "Information", "Formular-Assistent",
                                "Online-Leistung", "Online-Transaktion"]
    assert list(lv["ozg_compliant"]) == ["no", "no", "no", "yes", "yes"]
    assert (lv["definition"].str.len() > 20).all()


def test_applications_structure(applications):
    a = applications
    assert list(a.columns) == APPLICATION_COLUMNS
    assert 45 <= len(a) <= 60
    assert a["app_id"].is_unique
    assert a["app_id"].str.match(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$").all()
    assert 5 <= a["category"].nunique() <= 7
    assert set(a["provider_level"]) <= PROVIDER_LEVELS
    assert set(a["benchmark_core"]) <= {"yes", "no"}
    assert set(a.loc[a["benchmark_core"] == "yes", "app_id"]) == BENCHMARK_CORE
    assert (a["name"] != "").all() and (a["description"] != "").all()


def test_applications_ozg_columns(applications):
    a = applications
    ozg = a[a["ozg_id"] != ""]
    non = a[a["ozg_id"] == ""]
    assert ozg["ozg_id"].str.match(OZG_ID).all()
    assert ozg["ozg_id"].is_unique
    assert (ozg["ozg_leistung"] != "").all()
    assert set(ozg["themenfeld"]) <= OZG_THEMENFELDER
    assert ((non["ozg_leistung"] == "") & (non["themenfeld"] == "")).all()
    assert set(a.loc[a["benchmark_core"] == "yes", "ozg_id"]) <= set(ozg["ozg_id"])
    assert len(ozg) >= 20 and len(non) >= 10


# ------------------------------------------------------- (b) cross-checks against sources

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"source material {SHARED} not available (only in the workspace)")


@needs_shared
def test_applications_match_ozg_catalogue(applications):
    catalogue = read("ozg_leistungen_2019.csv", SHARED).set_index("ozg_id")
    leika = read("leika_ozg_zuordnung_2019.csv", SHARED)
    assert set(catalogue["themenfeld"]) == OZG_THEMENFELDER
    municipal = leika["leika_typ"].map(
        lambda t: any(x.strip() in {"2/3", "4", "5"} for x in t.split(",")))
    municipal_ids = set(leika.loc[municipal, "ozg_id"])
    ozg = applications[applications["ozg_id"] != ""]
    for row in ozg.itertuples():
        assert row.ozg_id in catalogue.index, row.app_id
        assert row.ozg_leistung == catalogue.loc[row.ozg_id, "ozg_leistung"], row.app_id
        assert row.themenfeld == catalogue.loc[row.ozg_id, "themenfeld"], row.app_id
        assert row.ozg_id in municipal_ids, f"{row.app_id}: no LeiKa row of Typ 2/3, 4 or 5"


@needs_shared
def test_municipalities_match_sources(municipalities, region):
    src = read("region_paderborn_municipalities.csv", SHARED)
    earlier = municipalities.drop(columns=["population", "population_date"]).rename(
        columns={"population_earlier": "population", "population_earlier_date": "population_date"})[src.columns]
    pd.testing.assert_frame_equal(
        earlier.sort_values("ags").reset_index(drop=True),
        src.sort_values("ags").reset_index(drop=True))
    text = (SHARED / "README-region.md").read_text(encoding="utf-8")
    shs = region["optional_members"][0]
    for fact in (shs["ags"], f"{shs['population_earlier']:,}", f"{shs['area_km2']:.2f}",
                 f"lat {shs['lat']}", f"lon {shs['lon']}", "16.04.2018"):
        assert fact in text, fact


@needs_shared
def test_regiopolen_match_sources():
    earlier = read("regiopolen.csv").drop(columns=["population", "population_date"]).rename(
        columns={"population_earlier": "population", "population_earlier_date": "population_date"})
    src = read("regiopolen.csv", SHARED)
    pd.testing.assert_frame_equal(earlier[src.columns], src)


@needs_shared
def test_population_is_the_zensus_2022_count(municipalities, region):
    zensus = read("zensus2022/zensus2022_gemeinden.csv", SHARED).set_index("AGS")["AnzahlPersonen"].astype(int)
    rows = pd.concat([municipalities, read("regiopolen.csv"), pd.DataFrame(region["optional_members"]).astype(str)])
    assert (rows["population_date"] == ZENSUS_DATE).all()
    assert rows["population"].astype(int).tolist() == zensus.loc[rows["ags"]].tolist()
