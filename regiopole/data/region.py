"""The region as data: which municipalities belong to it and which one is the Oberzentrum.

A region file (YAML, e.g. ``data/reference/regions/paderborn.yaml``) names its
municipalities table, the member AGS, the Oberzentrum and optional members with their
full facts. Another Regiopole runs the same notebooks with its own region file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from regiopole.data.errors import DataValidationError, Problem
from regiopole.data.io import read_yaml
from regiopole.data.reference import load_municipalities, load_regiopolen
from regiopole.data.validation import validate
from regiopole.paths import default_region_file, resolve

REQUIRED_KEYS = ("name", "municipalities_file", "oberzentrum", "members")
#: A kreisfreie Stadt is its own Kreis: its AGS ends in ``000`` (Gemeinde part 000), no
#: kreisangehörige Gemeinde has that ending.
KREISFREI_SUFFIX = "000"


def is_kreisfreie_stadt(ags: str) -> bool:
    """Whether the municipality with this 8-digit AGS is a kreisfreie Stadt (AGS ends in 000)."""
    return str(ags).endswith(KREISFREI_SUFFIX)


@dataclass(frozen=True)
class PublishedFigure:
    """A figure the project itself published for the region (e.g. its population), with its source."""

    value: int
    source: str


@dataclass(frozen=True)
class Region:
    """A validated region: its name, Oberzentrum and member municipalities (one row each).

    ``sources`` are the region file's short source strings; ``published_population`` the
    project's own published figure for the region (optional); ``lead_area`` the
    infrastructure area the Regiopole leads in the model project (region file, else
    ``regiopolen.csv`` via the Oberzentrum's AGS; empty when neither names one);
    ``association`` the body that carries the regional co-operation (optional);
    ``gemeinden`` the AGS of members that are a Gemeinde rather than a Stadt (optional).
    """

    name: str
    oberzentrum: str
    municipalities: pd.DataFrame
    source: Path
    short_name: str = ""
    sources: tuple[str, ...] = ()
    published_population: PublishedFigure | None = None
    lead_area: str = ""
    association: str = ""
    municipalities_file: Path | None = None
    gemeinden: tuple[str, ...] = ()

    @property
    def display_short_name(self) -> str:
        """The short name, or the full name when the file gives none."""
        return self.short_name or self.name

    @property
    def population_dates(self) -> list[str]:
        """The distinct reference dates of the member populations (ISO, sorted)."""
        return sorted(self.municipalities["population_date"].astype(str).unique())

    @property
    def optional_included(self) -> list[str]:
        """Names of the optional members included in this run."""
        m = self.municipalities
        return m.loc[m["optional_member"].astype(bool), "name"].tolist() if "optional_member" in m else []

    def kreis_units(self) -> pd.DataFrame:
        """One row per Kreis or kreisfreie Stadt: ``kreis`` (as in the data), ``kind``
        (``Kreis`` / ``kreisfreie Stadt``), ``label`` for reports, ``members``, ``population``."""
        m = self.municipalities.assign(kind=self.municipalities["ags"].map(
            lambda a: "kreisfreie Stadt" if is_kreisfreie_stadt(a) else "Kreis"))
        units = m.groupby("kreis", sort=False).agg(kind=("kind", "first"), members=("ags", "size"),
                                                   population=("population", "sum")).reset_index()
        units["label"] = [f"{k} (kreisfreie Stadt)" if kind == "kreisfreie Stadt" and "kreisfreie" not in k.lower() else k
                          for k, kind in zip(units["kreis"], units["kind"], strict=True)]
        return units.sort_values(["population", "kreis"], ascending=[False, True], ignore_index=True)

    @property
    def kreise(self) -> list[str]:
        """Names of the Kreise with members in the region (largest first), without kreisfreie Städte."""
        units = self.kreis_units()
        return units.loc[units["kind"] == "Kreis", "kreis"].tolist()

    @property
    def kreisfreie_staedte(self) -> list[str]:
        """Names of the kreisfreie Städte among the members."""
        return [n for a, n in self.names().items() if is_kreisfreie_stadt(a)]

    @property
    def ags(self) -> list[str]:
        """Member AGS in table order."""
        return self.municipalities["ags"].tolist()

    @property
    def population(self) -> int:
        """Total population of the members (at the dates in ``population_date``)."""
        return int(self.municipalities["population"].sum())

    @property
    def oberzentrum_name(self) -> str:
        """Name of the Oberzentrum."""
        return self.name_of(self.oberzentrum)

    def name_of(self, ags: str) -> str:
        """Name of the member with this AGS."""
        return self.municipalities.set_index("ags").at[ags, "name"]

    def names(self) -> dict[str, str]:
        """Mapping AGS -> name of all members."""
        return dict(zip(self.municipalities["ags"], self.municipalities["name"], strict=True))


def read_region_file(path: Path) -> dict:
    """Read and structurally check a region YAML file."""
    spec = read_yaml(path, "check the region parameter") or {}
    if not isinstance(spec, dict):
        raise DataValidationError(path, [Problem(None, None, "expected a mapping with name, municipalities_file, oberzentrum, members")])
    problems = [Problem(None, key, "key missing in the region file") for key in REQUIRED_KEYS if key not in spec]
    if problems:
        raise DataValidationError(path, problems)
    return spec


def optional_members_table(spec: dict, path: Path, wanted: set[str]) -> pd.DataFrame:
    """The optional members asked for, validated like rows of the municipalities table."""
    rows = [dict(m) for m in spec.get("optional_members") or [] if str(m.get("ags")) in wanted]
    unknown = wanted - {str(r["ags"]) for r in rows}
    if unknown:
        known = [str(m.get("ags")) for m in spec.get("optional_members") or []]
        raise DataValidationError(path, [Problem(None, "optional_members", f"no optional member with AGS {a}; known: {known}") for a in sorted(unknown)])
    if not rows:
        return pd.DataFrame()
    table = pd.DataFrame(rows).astype(str)
    table.attrs.update(source=f"{path} (optional_members)", first_row=1)
    from regiopole.data import schemas

    return validate(table, schemas.municipalities())


def load_region(path: str | Path | None = None, include_optional: bool | Iterable[str] = False) -> Region:
    """Load a region file and its municipalities.

    ``include_optional``: ``True`` for all optional members, or a list of their AGS.
    Raises :class:`DataValidationError` when a member, the Oberzentrum or an optional
    member is not found, naming the file and the AGS.
    """
    path = resolve(path) if path else default_region_file()
    spec = read_region_file(path)
    table = load_municipalities(path.parent / spec["municipalities_file"])
    members = [str(a) for a in spec["members"]]
    problems = [Problem(None, "members", f"AGS {a} is not in {spec['municipalities_file']}") for a in members if a not in set(table["ags"])]
    problems += [Problem(None, "members", f"AGS {a} is listed twice") for a in sorted({a for a in members if members.count(a) > 1})]
    if problems:
        raise DataValidationError(path, problems)
    chosen = table.set_index("ags").loc[members].reset_index()[table.columns]
    chosen["optional_member"] = False
    optional_all = {str(m.get("ags")) for m in spec.get("optional_members") or []}
    wanted = optional_all if include_optional is True else set(map(str, include_optional or []))
    extra = optional_members_table(spec, path, wanted)
    if not extra.empty:
        extra = extra[table.columns].assign(optional_member=True)
        chosen = pd.concat([chosen, extra], ignore_index=True)
    oberzentrum = str(spec["oberzentrum"])
    if oberzentrum not in set(chosen["ags"]):
        raise DataValidationError(path, [Problem(None, "oberzentrum", f"AGS {oberzentrum} is not a member of the region")])
    chosen.attrs = {"source": str(path)}
    return Region(name=str(spec["name"]), oberzentrum=oberzentrum, municipalities=chosen, source=path,
                  short_name=str(spec.get("short_name") or ""), sources=tuple(str(s) for s in spec.get("sources") or ()),
                  published_population=published_figure(spec, path, "published_population"),
                  lead_area=str(spec.get("lead_area") or lead_area_of(oberzentrum)),
                  association=str(spec.get("association") or ""),
                  municipalities_file=(path.parent / spec["municipalities_file"]).resolve(),
                  gemeinden=tuple(str(a) for a in spec.get("gemeinden") or ()))


def preload_region(region: str | Path | None = None, include_optional: bool = False) -> None:
    """Read and check the region's tables once, for the processes forked from this one
    (``warm`` in ``notebooks/pipeline.yaml``; see :mod:`regiopole.data.cache`)."""
    load_region(region, include_optional=include_optional)


def published_figure(spec: dict, path: Path, key: str) -> PublishedFigure | None:
    """An optional ``{value: ..., source: ...}`` entry of the region file."""
    entry = spec.get(key)
    if entry is None:
        return None
    if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
        raise DataValidationError(path, [Problem(None, key, "expected a mapping with 'value' (a whole number) and 'source' (where it was published)")])
    try:
        return PublishedFigure(value=int(entry["value"]), source=str(entry["source"]))
    except (TypeError, ValueError):
        raise DataValidationError(path, [Problem(None, f"{key}.value", f"expected a whole number, got {entry['value']!r}")]) from None


def lead_area_of(oberzentrum: str) -> str:
    """The lead infrastructure area of the Regiopole with this AGS in ``regiopolen.csv`` (empty if none)."""
    network = load_regiopolen()
    match = network.loc[network["ags"] == oberzentrum, "lead_infrastructure_area"]
    return str(match.iloc[0]) if len(match) else ""
