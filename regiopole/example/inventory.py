"""Example data of the inventory (module 1): the investigation matrix and two Dashboard exports.

``inventory_matrix.csv`` (long form) holds one row per member and application the
municipality offers itself, plus rows of the Kreise for applications a Kreis provides
(``provider_level`` ``kreis``; for ``gemeinde_oder_kreis`` the Kreis and the larger towns).
Levels follow an ordinal model: a latent maturity that grows with the logarithm of the
population (the Oberzentrum clearly ahead) minus an application difficulty plus noise,
rounded to 0-4; about 7 % of the cells are ``unbekannt``. Providers are generic labels,
source URLs are example.org addresses, dates lie in 2021.

``inventory_dashboard_<AGS>.csv`` imitate exports of the "Dashboard Digitale Verwaltung"
for the Oberzentrum and the largest other member (fake LeiKa keys, example.org URLs).
Everything is drawn with array operations from the given ``rng``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from regiopole.data import Region, load_applications
from regiopole.data.region import is_kreisfreie_stadt
from regiopole.example.common import write_csv, write_text

#: Extra difficulty of single applications (positive: rarer online); others 0. Illustrative only.
DIFFICULTY = {
    "chatbot": 2.0, "lorawan_sensornetz": 1.8, "urbane_datenplattform": 2.0, "beteiligungsplattform": 1.0,
    "open_data_portal": 1.2, "e_akte": 1.0, "digitale_ratssitzung": 0.6, "xrechnung_empfang": 0.3,
    "baugenehmigung": 0.9, "wohngeld": 0.8, "grundsicherung": 1.0, "eheschliessung": 0.6,
    "amtsblatt_online": -1.4, "ratsinformationssystem": -1.2, "wahlergebnisse": -1.3, "online_terminvergabe": -0.6,
    "briefwahl": -0.8, "barrierefreie_website": -0.7, "breitband_koordination": -0.6, "geoportal": -0.4,
    "meldebescheinigung": -0.3, "fundsachen": -0.2, "oeffentliches_wlan": -0.5, "videokonferenz": -0.8,
}
OWN_OFFICE_POPULATION = 20_000  # towns from this size run services the Kreis runs for smaller ones
#: Länder by the first two AGS digits: name and the short form used in provider labels.
LAENDER = {"01": ("Schleswig-Holstein", "SH"), "02": ("Hamburg", "HH"), "03": ("Niedersachsen", "NI"), "04": ("Bremen", "HB"),
           "05": ("Nordrhein-Westfalen", "NRW"), "06": ("Hessen", "HE"), "07": ("Rheinland-Pfalz", "RP"),
           "08": ("Baden-Württemberg", "BW"), "09": ("Bayern", "BY"), "10": ("Saarland", "SL"), "11": ("Berlin", "BE"),
           "12": ("Brandenburg", "BB"), "13": ("Mecklenburg-Vorpommern", "MV"), "14": ("Sachsen", "SN"),
           "15": ("Sachsen-Anhalt", "ST"), "16": ("Thüringen", "TH")}


def land_of(region: Region) -> tuple[str, str, str]:
    """Key, name and short form of the Land of the Oberzentrum."""
    key = region.oberzentrum[:2]
    return (key, *LAENDER[key])


def provider_labels(region: Region, office: str) -> np.ndarray:
    """Provider labels of online services: the office itself, an IT service provider, the Land's solution."""
    return np.array([office, "kommunaler IT-Dienstleister", f"Landeslösung {land_of(region)[2]}"])


def kreis_keys(region: Region) -> list[str]:
    """The 5-digit keys of the Kreise with members; a kreisfreie Stadt is no Kreis and has none."""
    return sorted({a[:5] for a in region.ags if not is_kreisfreie_stadt(a)})
DASHBOARD_COLUMNS = ["leika_key", "leika_name", "ars", "ars_name", "ars_federal_state", "bundesland", "leika_bezeichnung", "ozgid",
                     "ozg_bezeichnung", "url", "online_status", "aktiv", "art_flaechendeckung", "begruendung_nicht_beruecksichtigt",
                     "export_datum", "datenstand_pvog_import"]
DASHBOARD_DATE = "2021-10-15"


def latent_levels(rng: np.random.Generator, maturity: np.ndarray, difficulty: np.ndarray) -> np.ndarray:
    """Levels 0-4 (float) for every (row, application) from maturity minus difficulty plus noise."""
    noise = rng.normal(0.0, 0.8, size=(len(maturity), len(difficulty)))
    return np.clip(np.rint(maturity[:, None] - difficulty[None, :] + noise), 0, 4)


def providers(rng: np.random.Generator, levels: np.ndarray, online_labels: np.ndarray, offline_label: str) -> np.ndarray:
    """Provider label per cell: nobody at level 0, the office itself at 1-2, a mix from level 3."""
    online = online_labels[rng.choice(len(online_labels), size=levels.shape, p=[0.45, 0.4, 0.15])]
    return np.where(levels >= 3, online, np.where(levels >= 1, offline_label, ""))


def check_dates(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """A research date per row (March-June 2021) plus a few days per application."""
    start = np.datetime64("2021-03-01") + rng.integers(0, 110, size=shape[0])
    return (start[:, None] + rng.integers(0, 14, size=shape)).astype(str)


def long_rows(keys: list[str], app_ids: list[str], levels: np.ndarray, unknown: np.ndarray, present: np.ndarray,
              provider: np.ndarray, dates: np.ndarray) -> pd.DataFrame:
    """Grid arrays -> long-form rows where ``present``."""
    grid_keys = np.repeat(np.array(keys), len(app_ids)).reshape(levels.shape)
    grid_apps = np.tile(np.array(app_ids), len(keys)).reshape(levels.shape)
    level_text = np.where(unknown, "unbekannt", levels.astype(int).astype(str))
    table = pd.DataFrame({
        "ags": grid_keys[present], "app_id": grid_apps[present], "level": level_text[present],
        "provider": np.where(unknown, "", provider)[present],
    })
    table["source_url"] = "https://example.org/inventar/" + table["ags"] + "/" + table["app_id"]
    table["date_checked"] = dates[present]
    return table


def matrix(rng: np.random.Generator, region: Region, apps: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The long-form matrix and the true (before ``unbekannt``) member and Kreis levels."""
    m = region.municipalities
    population = m["population"].to_numpy(dtype=float)
    size = (np.log(population) - np.log(population).mean()) / np.log(population).std()
    maturity = 1.7 + 0.45 * size + rng.normal(0.0, 0.25, size=len(m)) + 0.9 * (m["ags"] == region.oberzentrum).to_numpy()
    difficulty = apps["app_id"].map(DIFFICULTY).fillna(0.0).to_numpy() + rng.normal(0.0, 0.3, size=len(apps))
    own_levels = latent_levels(rng, maturity, difficulty)
    level_kind = apps["provider_level"].to_numpy()
    large = (population >= OWN_OFFICE_POPULATION)[:, None]
    own_present = (level_kind == "gemeinde")[None, :] | ((level_kind == "gemeinde_oder_kreis")[None, :] & (large | (rng.random(own_levels.shape) < 0.4)))
    unknown_rate = np.where(m["ags"] == region.oberzentrum, 0.03, np.where(population < OWN_OFFICE_POPULATION, 0.09, 0.06))
    own_unknown = rng.random(own_levels.shape) < unknown_rate[:, None]
    own = long_rows(region.ags, apps["app_id"].tolist(), own_levels, own_unknown, own_present,
                    providers(rng, own_levels, provider_labels(region, "Kommune"), "Kommune"), check_dates(rng, own_levels.shape))

    keys = kreis_keys(region)
    kreis_maturity = 1.8 + rng.normal(0.0, 0.3, size=len(keys))
    kreis_levels = latent_levels(rng, kreis_maturity, difficulty)
    kreis_present = np.broadcast_to((level_kind != "gemeinde")[None, :], kreis_levels.shape)
    kreis_unknown = rng.random(kreis_levels.shape) < 0.04
    kreis = long_rows(keys, apps["app_id"].tolist(), kreis_levels, kreis_unknown, kreis_present,
                      providers(rng, kreis_levels, provider_labels(region, "Kreis"), "Kreis"), check_dates(rng, kreis_levels.shape))
    return pd.concat([own, kreis], ignore_index=True), np.where(own_present, own_levels, np.nan), np.where(kreis_present, kreis_levels, np.nan)


def ars_of(key: str) -> str:
    """ARS of a NRW municipality (AGS) or Kreis (5-digit key)."""
    return key + "0000000" if len(key) == 5 else key[:5] + "0" + key[5:] + key[5:]


def dashboard_export(rng: np.random.Generator, region: Region, apps: pd.DataFrame, ags: str,
                     own_true: np.ndarray, kreis_true: np.ndarray) -> pd.DataFrame:
    """Dashboard-style rows for one member: its own and its Kreis's online services, plus unmappable rows."""
    member = region.ags.index(ags)
    keys = kreis_keys(region)
    land, land_name, _short = land_of(region)
    has_ozg = apps["ozg_id"].notna().to_numpy()
    own_online = has_ozg & (own_true[member] >= 2)
    kreis_online = has_ozg & (kreis_true[keys.index(ags[:5])] >= 2) if ags[:5] in keys else np.zeros(len(apps), dtype=bool)
    local = apps[~has_ozg].head(2)
    state_level = apps[has_ozg].tail(1)
    rows = pd.concat([
        apps[own_online].assign(key=ags, coverage="kommunal"),
        apps[kreis_online].assign(key=ags[:5], coverage="kommunal"),
        local.assign(key=ags, coverage="kommunal"),
        state_level.assign(key=land, coverage="landesweit flächendeckend"),
    ], ignore_index=True)
    rows["ars"] = [ars_of(k) if k != land else land + "0" * 10 for k in rows["key"]]
    names = region.names() | {k[:5]: n for k, n in zip(region.municipalities["ags"], region.municipalities["kreis"], strict=True)}
    return pd.DataFrame({
        "leika_key": "99" + rows["ozg_id"].fillna("00000") + "0000" + pd.Series(np.arange(len(rows)) % 1000).astype(str).str.zfill(3),
        "leika_name": rows["name"], "ars": rows["ars"], "ars_name": rows["key"].map(names).fillna(land_name),
        "ars_federal_state": land, "bundesland": land_name, "leika_bezeichnung": rows["name"],
        "ozgid": rows["ozg_id"].fillna(""), "ozg_bezeichnung": rows["ozg_leistung"].fillna(""),
        "url": "https://example.org/dashboard/" + rows["key"] + "/" + rows["app_id"],
        "online_status": np.where(rng.random(len(rows)) < 0.92, "ok", "nicht ok"), "aktiv": "ja",
        "art_flaechendeckung": rows["coverage"], "begruendung_nicht_beruecksichtigt": "",
        "export_datum": DASHBOARD_DATE, "datenstand_pvog_import": DASHBOARD_DATE,
    })[DASHBOARD_COLUMNS]


def generate(out_dir: Path, rng: np.random.Generator, region: Region) -> list[Path]:
    """Write ``inventory_matrix.csv`` and the Dashboard exports into ``out_dir``."""
    apps = load_applications()
    table, own_true, kreis_true = matrix(rng, region, apps)
    written = [write_csv(table, out_dir / "inventory_matrix.csv")]
    others = region.municipalities[region.municipalities["ags"] != region.oberzentrum]
    for ags in [region.oberzentrum, others.loc[others["population"].idxmax(), "ags"]]:
        export = dashboard_export(rng, region, apps, ags, own_true, kreis_true)
        path = out_dir / f"inventory_dashboard_{ags}.csv"
        written.append(write_text(path, export.to_csv(sep=";", index=False, lineterminator="\n")))
    return written
