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
from regiopole.data import schemas
from regiopole.data.errors import DataValidationError, Problem
from regiopole.data.io import read_yaml
from regiopole.data.reference import load_municipalities
from regiopole.data.validation import validate
from regiopole.paths import default_region_file, resolve

REQUIRED_KEYS = ("name", "municipalities_file", "oberzentrum", "members")


@dataclass(frozen=True)
class Region:
    """A validated region: its name, Oberzentrum and member municipalities (one row each)."""

    name: str
    oberzentrum: str
    municipalities: pd.DataFrame
    source: Path

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
    return Region(name=str(spec["name"]), oberzentrum=oberzentrum, municipalities=chosen, source=path)
