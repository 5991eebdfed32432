"""Import exports of the federal "Dashboard Digitale Verwaltung" (Open-PVOG data) into the matrix.

An export (CSV) lists the online services registered for a regional key: columns include
``leika_key`` (14 digits), ``ars`` (12-digit Amtlicher Regionalschlüssel), ``ozgid``,
``online_status``, ``art_flaechendeckung`` and ``url``; optional ``aktiv`` and
``datenstand_pvog_import``/``export_datum``. Rows are mapped onto the matrix by OZG-ID
(``ozgid`` = ``ozg_id`` of ``applications.csv``) and by ARS:
AGS = ARS[:5] + ARS[9:12]; an ARS whose last seven digits are 0 is a Kreis (key ARS[:5]).

**Assumption** (conservative; :data:`STATUS_LEVELS` holds it as data): the Dashboard says
that an online service is registered and whether its link works, not how far it goes.

=============  =====  ==========================================================
online_status  level  why
=============  =====  ==========================================================
``ok``         2      registered and reachable; full online handling (3) unproven
``nicht ok``   1      registered but unreachable; only the information is certain
=============  =====  ==========================================================

So the Dashboard alone never makes a service OZG-compliant (3 or 4). Several services of
one OZG-Leistung give the highest of their levels. Services missing from the export are
not taken as level 0: the export lists only what is online.

Rows that cannot be mapped (no or unknown OZG-ID, federal, Land or Regierungsbezirk level,
i.e. Kreis digits ARS[3:5] = ``00``, or ``aktiv = nein``)
are kept in :attr:`DashboardImport.unmatched` with the reason, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from regiopole.data import DataValidationError, Problem, Region, read_table, schemas, validate
from regiopole.inventory.matrix import MATRIX_COLUMNS, UNKNOWN, kreis_keys
from regiopole.paths import resolve

EXPORT_PATTERN = "inventory_dashboard_*.csv"
#: Assumed maturity level per ``online_status`` (an assumption of this project, not an official mapping).
STATUS_LEVELS = pd.DataFrame([
    ("ok", 2, "Online-Dienst gemeldet und erreichbar; ob Antrag und Nachweise vollständig online gehen (Stufe 3), sagt das Dashboard nicht"),
    ("nicht ok", 1, "Online-Dienst gemeldet, aber bei der Prüfung nicht erreichbar; gesichert ist nur die Information"),
], columns=["online_status", "level", "begruendung"])
#: Provider label by ``art_flaechendeckung`` (first matching word); otherwise :data:`DEFAULT_PROVIDER`.
COVERAGE_PROVIDERS = {"bundesweit": "Bundeslösung (laut Dashboard)", "landesweit": "Landeslösung (laut Dashboard)"}
DEFAULT_PROVIDER = "Kommune oder Kreis (laut Dashboard)"
DATE_COLUMNS = ("datenstand_pvog_import", "export_datum")
UNMATCHED_COLUMNS = ["file", "row", "leika_key", "ars", "ozgid", "online_status", "reason"]


@dataclass(frozen=True)
class DashboardImport:
    """Long-form matrix rows from Dashboard exports, and the export rows that map onto no cell."""

    matrix: pd.DataFrame
    unmatched: pd.DataFrame
    sources: list[str] = field(default_factory=list)


def export_schema() -> pa.DataFrameSchema:
    """pandera schema of a Dashboard export."""
    return schemas.table({
        "leika_key": pa.Column(str, pa.Check.str_matches(r"^\d{14}$", error="a 14-digit LeiKa key kept as text")),
        "ars": pa.Column(str, pa.Check.str_matches(r"^\d{12}$", error="a 12-digit ARS kept as text, e.g. '057740032032'")),
        "ozgid": pa.Column(str, pa.Check.str_matches(r"^\d{5}$", error="a 5-digit OZG-ID or an empty cell"), nullable=True),
        "online_status": schemas.one_of(STATUS_LEVELS["online_status"], what="'ok' or 'nicht ok' (see STATUS_LEVELS)"),
        "art_flaechendeckung": schemas.text(nullable=True),
        "url": schemas.text(nullable=True),
    })


def ars_to_key(ars: pd.Series) -> pd.Series:
    """ARS -> 8-digit AGS, or 5-digit Kreis key where the last seven digits are 0."""
    is_kreis = ars.str[5:].eq("0000000")
    return ars.str[:5].where(is_kreis, ars.str[:5] + ars.str[9:12])


def checked_date(export: pd.DataFrame, source: str) -> pd.Series:
    """Date of the data (first 10 characters of ``datenstand_pvog_import`` or ``export_datum``)."""
    for column in DATE_COLUMNS:
        if column in export and export[column].notna().all():
            dates = export[column].str[:10]
            bad = ~dates.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            if bad.any():
                first = int(export.index[bad][0]) + int(export.attrs.get("first_row", 2))
                raise DataValidationError(source, [Problem(first, column, f"expected a date as YYYY-MM-DD, got {export.at[export.index[bad][0], column]!r}")])
            return dates
    raise DataValidationError(source, [Problem(None, None, f"no data date: add a filled column {' or '.join(DATE_COLUMNS)}")])


def classify(export: pd.DataFrame, region: Region, app_by_ozg: pd.Series) -> pd.Series:
    """Why a row maps onto no cell (empty text where it maps)."""
    key = ars_to_key(export["ars"])
    above_kreis = export["ars"].str[3:5].eq("00")  # Bund, Land or Regierungsbezirk: no Kreis digits
    reason = pd.Series("", index=export.index)
    reason = reason.mask(export["ozgid"].notna() & ~export["ozgid"].isin(app_by_ozg.index), "OZG-ID nicht im Anwendungskatalog")
    reason = reason.mask(export["ozgid"].isna(), "ohne OZG-ID")
    reason = reason.mask(above_kreis, "Land- oder Bundesebene (auch Regierungsbezirk), kein Angebot einer Kommune oder eines Kreises der Region")
    if "aktiv" in export:
        reason = reason.mask(export["aktiv"].fillna("").str.casefold().eq("nein"), "nicht aktiv (aktiv = nein)")
    allowed = set(region.ags) | set(kreis_keys(region))
    outside = ~above_kreis & ~key.isin(allowed)
    if outside.any():
        rows = export.index[outside] + int(export.attrs.get("first_row", 2))
        raise DataValidationError(export.attrs.get("source", "<export>"), [
            Problem(int(r), "ars", f"ARS {a} (AGS {k}) is neither a member nor a Kreis of {region.name}; export the Dashboard for a member")
            for r, a, k in zip(rows, export.loc[outside, "ars"], key[outside], strict=True)])
    return reason


def read_dashboard(path: str | Path, region: Region, applications: pd.DataFrame) -> DashboardImport:
    """Read one Dashboard export and map it onto matrix rows (see the module docstring)."""
    raw = read_table(path)
    export = validate(raw, export_schema())
    source = raw.attrs["source"]
    app_by_ozg = applications.dropna(subset=["ozg_id"]).set_index("ozg_id")["app_id"]
    reason = classify(export, region, app_by_ozg)
    rows = export.assign(date_checked=checked_date(export, source), reason=reason,
                         row=export.index + int(raw.attrs.get("first_row", 2)), file=source)
    unmatched = rows.loc[reason.ne(""), UNMATCHED_COLUMNS]
    mapped = rows[reason.eq("")].merge(STATUS_LEVELS[["online_status", "level"]], on="online_status")
    mapped = mapped.assign(ags=ars_to_key(mapped["ars"]), app_id=mapped["ozgid"].map(app_by_ozg))
    coverage = mapped["art_flaechendeckung"].fillna("").str.casefold()
    mapped["provider"] = DEFAULT_PROVIDER
    for word, label in reversed(COVERAGE_PROVIDERS.items()):  # two labels, not cells
        mapped["provider"] = mapped["provider"].mask(coverage.str.contains(word), label)
    mapped = mapped.rename(columns={"url": "source_url"})
    return DashboardImport(matrix=best_per_cell(mapped), unmatched=unmatched.reset_index(drop=True), sources=[source])


def best_per_cell(mapped: pd.DataFrame) -> pd.DataFrame:
    """One row per (ags, app_id): the highest level, its URL and provider, the latest data date."""
    if mapped.empty:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    ordered = mapped.sort_values(["ags", "app_id", "level", "leika_key"], ascending=[True, True, False, True])
    best = ordered.groupby(["ags", "app_id"], as_index=False).first()
    best["date_checked"] = ordered.groupby(["ags", "app_id"])["date_checked"].max().to_numpy()
    best["level"] = best["level"].astype(int).astype(str)
    return best[MATRIX_COLUMNS].reset_index(drop=True)


def load_dashboard_exports(data_dir: str | Path, region: Region, applications: pd.DataFrame) -> DashboardImport:
    """Read every ``inventory_dashboard_*.csv`` of a data folder (none: an empty import)."""
    paths = sorted(resolve(data_dir).glob(EXPORT_PATTERN))
    imports = [read_dashboard(p, region, applications) for p in paths]
    if not imports:
        return DashboardImport(matrix=pd.DataFrame(columns=MATRIX_COLUMNS), unmatched=pd.DataFrame(columns=UNMATCHED_COLUMNS), sources=[])
    rows = pd.concat([i.matrix for i in imports], ignore_index=True).assign(leika_key="")
    rows["level"] = rows["level"].astype(int)
    return DashboardImport(matrix=best_per_cell(rows), unmatched=pd.concat([i.unmatched for i in imports], ignore_index=True),
                           sources=[s for i in imports for s in i.sources])


def fill_from_dashboard(matrix: pd.DataFrame, imported: DashboardImport) -> pd.DataFrame:
    """The matrix with cells that are ``unbekannt`` or not recorded taken from the Dashboard.

    Known levels of the matrix (researched by hand) always stay; column ``origin`` says
    where each row comes from (``Matrix`` or ``Dashboard``). Use :func:`compare_with_dashboard`
    to see every cell where the two sources meet.
    """
    key = ["ags", "app_id"]
    base = matrix[MATRIX_COLUMNS].assign(origin="Matrix")
    known = base.loc[base["level"].ne(UNKNOWN), key]
    dashboard = imported.matrix.merge(known, on=key, how="left", indicator=True)
    taken = dashboard[dashboard["_merge"].eq("left_only")].drop(columns="_merge").assign(origin="Dashboard")
    replaced = base.merge(taken[key], on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
    filled = pd.concat([base[~replaced], taken], ignore_index=True)
    return filled.sort_values(key, ignore_index=True)


def compare_with_dashboard(matrix: pd.DataFrame, imported: DashboardImport) -> pd.DataFrame:
    """Every cell the Dashboard covers: matrix level, Dashboard level and what was done."""
    key = ["ags", "app_id"]
    both = imported.matrix[key + ["level"]].merge(matrix[key + ["level"]], on=key, how="left", suffixes=("_dashboard", "_matrix"))
    dash = pd.to_numeric(both["level_dashboard"])
    mat = pd.to_numeric(both["level_matrix"].where(both["level_matrix"].ne(UNKNOWN)), errors="raise")
    outcome = pd.Series("übereinstimmend", index=both.index)
    outcome = outcome.mask(mat > dash, "Matrix höher (Matrix bleibt)").mask(mat < dash, "Matrix niedriger (Matrix bleibt)")
    outcome = outcome.mask(both["level_matrix"].eq(UNKNOWN), "übernommen (Matrix: unbekannt)")
    outcome = outcome.mask(both["level_matrix"].isna(), "übernommen (in der Matrix nicht erhoben)")
    return both.assign(outcome=outcome)[key + ["level_matrix", "level_dashboard", "outcome"]]
