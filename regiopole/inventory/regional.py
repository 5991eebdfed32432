"""The regional view: where each application is available, what the Oberzentrum contributes,
and which applications are candidates for a shared service.

All functions read effective levels (own offer plus the Kreis's, see
:mod:`regiopole.inventory.levels`). "Available online" means an effective level of at
least ``compliant_level`` (3, OZG-compliant). Unknown cells count as neither available
nor below a threshold: availability shares are lower bounds, and the share unknown is
reported beside them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiopole.data import Region
from regiopole.inventory.levels import Levels
from regiopole.inventory.matrix import kreis_keys
from regiopole.inventory.scoring import category_scores


def population_of(region: Region, index: pd.Index) -> pd.Series:
    """Population per member, aligned to ``index`` (AGS)."""
    return region.municipalities.set_index("ags")["population"].astype(float).reindex(index)


def availability(levels: Levels, region: Region, applications: pd.DataFrame, compliant_level: int = 3) -> pd.DataFrame:
    """Per application: municipalities and inhabitants with the application online (>= ``compliant_level``).

    ``share_population_online`` is the share of the region's inhabitants who can use it
    online; ``n_via_kreis`` counts municipalities that have it online only through their Kreis.
    """
    effective = levels.effective
    online = effective >= compliant_level
    population = population_of(region, effective.index)
    via_kreis = online & levels.inherited & ~(levels.own >= compliant_level)
    apps = applications.set_index("app_id").reindex(effective.columns)
    table = pd.DataFrame({
        "app_id": effective.columns,
        "name": apps["name"].to_numpy(),
        "category": apps["category"].to_numpy(),
        "themenfeld": apps["themenfeld"].to_numpy(),
        "n_online": online.sum().to_numpy(),
        "share_municipalities_online": online.mean().to_numpy(),
        "population_online": online.T.dot(population).round().astype("int64").to_numpy(),
        "share_population_online": (online.T.dot(population) / population.sum()).to_numpy(),
        "n_via_kreis": via_kreis.sum().to_numpy(),
        "share_unknown": effective.isna().mean().to_numpy(),
        "mean_level": effective.mean().to_numpy(),
    })
    return table.sort_values(["share_population_online", "app_id"], ascending=[False, True], ignore_index=True)


def oberzentrum_comparison(levels: Levels, region: Region, applications: pd.DataFrame) -> pd.DataFrame:
    """Per category: the Oberzentrum's score against the other members (mean, median, range, rank)."""
    scores = category_scores(levels.effective, applications)
    oz = scores.loc[region.oberzentrum]
    others = scores.drop(index=region.oberzentrum)
    table = pd.DataFrame({
        "category": scores.columns,
        "oberzentrum": oz.to_numpy(),
        "others_mean": others.mean().to_numpy(),
        "others_median": others.median().to_numpy(),
        "others_min": others.min().to_numpy(),
        "others_max": others.max().to_numpy(),
        "n_others_ahead": (others.gt(oz, axis=1)).sum().to_numpy(),
        "n_others_scored": others.notna().sum().to_numpy(),
    })
    table["difference"] = table["oberzentrum"] - table["others_mean"]
    return table


def providers(levels: Levels, region: Region, compliant_level: int) -> pd.DataFrame:
    """Per application: the members (own offer, Oberzentrum first) and Kreise offering it at >= ``compliant_level``."""
    own = levels.own.stack().loc[lambda s: s >= compliant_level].reset_index()
    own = own.assign(provider=own["ags"].map(region.names()), order=own["ags"].ne(region.oberzentrum).astype(int))
    by_kreis = levels.kreis.groupby(levels.kreis.index.str[:5]).first().rename_axis("kreis")
    kreis = by_kreis.stack().loc[lambda s: s >= compliant_level].reset_index()
    kreis = kreis.assign(provider=kreis["kreis"].map(kreis_keys(region)), order=2)
    rows = pd.concat([own, kreis], ignore_index=True).sort_values(["order", "provider"])
    grouped = rows.groupby("app_id").agg(providers=("provider", "; ".join), n_providers=("provider", "size"))
    table = grouped.reindex(levels.own.columns).fillna({"providers": "", "n_providers": 0})
    table["n_providers"] = table["n_providers"].astype(int)
    table["oberzentrum_provides"] = (levels.own.loc[region.oberzentrum] >= compliant_level).to_numpy()
    return table


def shared_service_candidates(levels: Levels, region: Region, applications: pd.DataFrame, compliant_level: int = 3,
                              below_level: int = 2, majority: float = 0.5) -> pd.DataFrame:
    """Applications one member (or Kreis) runs at >= ``compliant_level`` while most others are below ``below_level``.

    "Most others": more than ``majority`` of the members that do not provide it themselves
    have a known effective level below ``below_level`` (unknown cells do not count as
    below). Ranked by ``population_gain``, the inhabitants of members whose known level is
    below ``compliant_level`` and who would gain access if the provider shared its service.
    """
    effective = levels.effective
    offer = providers(levels, region, compliant_level)
    population = population_of(region, effective.index)
    own_provider = levels.own >= compliant_level
    below = (effective < below_level) & ~own_provider
    others = (~own_provider).sum()
    gaining = effective < compliant_level
    table = offer.assign(
        n_below=below.sum(),
        share_below=below.sum() / others.where(others > 0),
        population_gain=gaining.T.dot(population).round().astype("int64"),
        population_unknown=effective.isna().T.dot(population).round().astype("int64"),
    )
    chosen = table[(table["n_providers"] > 0) & (table["share_below"] > majority)]
    apps = applications.set_index("app_id")[["name", "category", "themenfeld"]]
    chosen = apps.join(chosen, how="inner").rename_axis("app_id").reset_index()
    chosen = chosen.sort_values(["population_gain", "app_id"], ascending=[False, True], ignore_index=True)
    chosen.insert(0, "rank", np.arange(1, len(chosen) + 1))
    return chosen


def gaps(levels: Levels, region: Region, applications: pd.DataFrame, compliant_level: int = 3) -> pd.DataFrame:
    """Per member: the applications its inhabitants cannot use at ``compliant_level`` (known effective
    level below it) that another member offers itself at that level, with those providers.

    One row per member and application (long form, the table a per-municipality page reads):
    ``ags, app_id, name, category, level, providers, n_providers, compliant_level``; unknown cells are not gaps.
    """
    effective, own = levels.effective, levels.own >= compliant_level
    names = region.names()
    apps = applications.set_index("app_id")
    rows = []
    for ags in effective.index:
        below = effective.loc[ags].lt(compliant_level)  # NaN (unknown) compares False
        for app_id in effective.columns[below.to_numpy()]:
            offering = [a for a in own.index[own[app_id].to_numpy()] if a != ags]
            if offering:
                offering.sort(key=lambda a: (a != region.oberzentrum, names[a]))
                rows.append({"ags": ags, "app_id": app_id, "name": apps.at[app_id, "name"],
                             "category": apps.at[app_id, "category"], "level": int(effective.at[ags, app_id]),
                             "providers": "; ".join(names[a] for a in offering), "n_providers": len(offering),
                             "compliant_level": compliant_level})
    columns = ["ags", "app_id", "name", "category", "level", "providers", "n_providers", "compliant_level"]
    return pd.DataFrame(rows, columns=columns)
