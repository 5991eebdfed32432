"""The small tables the other reports publish for the dossiers: each member's gaps (inventory),
the participants of each lead project and who took part in the poll (lead projects)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from regiopole.data import load_region
from regiopole.inventory import Levels, gaps
from regiopole.leitprojekte.candidates import participants_table
from regiopole.leitprojekte.poll import participation_table


def test_gaps_are_known_levels_below_the_threshold_that_another_member_offers() -> None:
    region = load_region()
    a, b, c = region.oberzentrum, *[x for x in region.ags if x != region.oberzentrum][:2]
    members = [a, b, c]
    apps = pd.DataFrame({"app_id": ["x", "y"], "name": ["Dienst X", "Dienst Y"], "category": ["K1", "K2"]})
    own = pd.DataFrame([[4, 1], [1, np.nan], [np.nan, 2]], index=pd.Index(members, name="ags"), columns=["x", "y"], dtype=float)
    kreis = pd.DataFrame(np.nan, index=own.index, columns=own.columns)
    effective = own.copy()
    effective.loc[c, "x"] = 3  # c has x through its Kreis: no gap
    sub = region.municipalities[region.municipalities["ags"].isin(members)].reset_index(drop=True)
    small = type(region)(name=region.name, oberzentrum=a, municipalities=sub, source=region.source)
    table = gaps(Levels(own=own, kreis=kreis, effective=effective), small, apps, compliant_level=3)
    # b lacks x (level 1; a offers it at 4); b's y is unknown (no gap); nobody offers y at >= 3; a lacks nothing offered
    assert table[["ags", "app_id", "level", "providers", "n_providers", "compliant_level"]].values.tolist() == [
        [b, "x", 1, region.name_of(a), 1, 3]]


def test_participants_and_poll_participation_hold_no_vote() -> None:
    region = load_region()
    candidates = pd.DataFrame({"participants": [f"{region.ags[0]};{region.ags[2]}", region.ags[1]]}, index=["P1", "P2"])
    table = participants_table(candidates, region)
    assert table.values.tolist() == [["P1", region.ags[0], region.name_of(region.ags[0])],
                                     ["P1", region.ags[2], region.name_of(region.ags[2])],
                                     ["P2", region.ags[1], region.name_of(region.ags[1])]]
    votes = pd.DataFrame({"voter_ags": [region.ags[3], region.ags[3]], "project_id": ["P1", "P2"], "rank": [1, 2],
                          "approved": [True, False]})
    taken = participation_table(votes, region)
    assert list(taken.columns) == ["ags", "name", "participated"] and len(taken) == len(region.ags)
    assert taken.set_index("ags")["participated"].to_dict() == {a: "ja" if a == region.ags[3] else "nein" for a in region.ags}
