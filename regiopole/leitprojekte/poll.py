"""The online poll: read the votes and aggregate them three ways (Borda, approval, mean rank).

``poll_votes.csv`` is in long form, one row per municipality and project it mentions:
``voter_ags, project_id, rank, approved``. ``rank`` (1 = first choice) may be empty when the
municipality only approved; ``approved`` is ``ja``/``nein`` (also ``1``/``0``). A municipality
may rank any subset of the candidates (a partial ranking); its ranks must run 1, 2, ..., m
without gaps or repeats. Projects a municipality did not mention count as not approved.

Borda variant for partial rankings ("averaged Borda"): with n candidates, a municipality's
project on rank r gets n - r points; the n - m projects it did not rank share the remaining
places n - m - 1, ..., 0 equally, i.e. each gets (n - m - 1) / 2 points. Every ranking
municipality thus hands out the same total n(n - 1)/2, so none weighs more because it ranked
more projects. Municipalities that only approved do not enter the Borda count. The Borda
score is the points divided by their maximum, (n - 1) per ranking municipality (0-1).

Mean rank is taken over the municipalities that ranked the project (shown with their count),
and only for projects ranked by at least ``min_rankers`` of them (the notebook uses the
minimum cell size): a mean over one or two rankings is neither reliable nor publishable.
Ranks of the three methods: 1 = best, ties share the better rank (pandas ``method="min"``);
a project nobody ranked gets the last mean-rank place.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from regiopole.data import DataValidationError, Problem, Region, data_file, read_table, validate
from regiopole.data import schemas
from regiopole.leitprojekte.candidates import known_project
from regiopole.privacy import DEFAULT_MIN_CELL_SIZE, SUPPRESSED, assert_publishable
from regiopole.style import german_number

VOTES_FILE = "poll_votes.csv"
APPROVED_VALUES = {"ja": True, "nein": False, "1": True, "0": False}
METHOD_RANKS = {"rank_borda": "Borda", "rank_approval": "Zustimmung", "rank_mean": "Mittlerer Rang"}


def votes_schema(region_ags: list[str], project_ids: list[str]) -> pa.DataFrameSchema:
    """Schema of ``poll_votes.csv``: a region AGS, a known project, a rank >= 1 or empty, ja/nein."""
    return schemas.table({
        "voter_ags": schemas.ags(allowed=region_ags),
        "project_id": known_project(project_ids),
        "rank": schemas.integer(min_value=1, nullable=True),
        "approved": schemas.one_of(list(APPROVED_VALUES), what="'ja' or 'nein' (or 1/0)"),
    })


def duplicate_problems(votes: pd.DataFrame, keys: list[str], message: str) -> list[Problem]:
    """One problem per row that repeats ``keys`` of an earlier row."""
    first_row = int(votes.attrs.get("first_row", 2))
    subset = votes.dropna(subset=keys)
    repeated = subset[subset.duplicated(keys, keep="first")]
    return [Problem(int(i) + first_row, keys[-1], message.format(**row)) for i, row in repeated.iterrows()]


def gap_problems(votes: pd.DataFrame) -> list[Problem]:
    """A voter whose ranks are not 1..m (m = number of projects it ranked)."""
    ranks = votes.dropna(subset=["rank"]).groupby("voter_ags")["rank"]
    bad = ranks.max()[ranks.max() != ranks.count()]
    return [Problem(None, "rank", f"voter {ags} ranks {ranks.count()[ags]} projects, so its ranks must be 1 to "
                    f"{ranks.count()[ags]} without gaps; highest rank given is {bad[ags]}") for ags in bad.index]


def load_votes(data_dir: str | Path, region: Region, project_ids: list[str]) -> pd.DataFrame:
    """Read and check the votes; ``approved`` becomes a bool, ``rank`` a nullable integer.

    Raises :class:`DataValidationError` naming the row for an unknown voter or project, a
    project listed twice by one voter, a rank used twice by one voter, or gaps in the ranks.
    """
    raw = read_table(data_file(data_dir, VOTES_FILE))
    if "approved" in raw:
        raw["approved"] = raw["approved"].str.lower()
    votes = validate(raw, votes_schema(region.ags, project_ids))
    problems = duplicate_problems(votes, ["voter_ags", "project_id"], "voter {voter_ags} lists project {project_id} twice")
    problems += duplicate_problems(votes, ["voter_ags", "rank"], "voter {voter_ags} gives rank {rank} to two projects")
    if not problems:
        problems = gap_problems(votes)
    if problems:
        raise DataValidationError(votes.attrs["source"], sorted(problems, key=lambda p: (p.row or 0, p.message)))
    return votes.assign(approved=votes["approved"].map(APPROVED_VALUES).astype(bool))


def rank_matrix(votes: pd.DataFrame, project_ids: list[str]) -> pd.DataFrame:
    """Voters who ranked at least one project x projects; the rank or missing if unranked."""
    ranked = votes.dropna(subset=["rank"])
    matrix = ranked.pivot(index="voter_ags", columns="project_id", values="rank")
    return matrix.reindex(columns=project_ids).astype(float)


def borda_points(ranks: pd.DataFrame) -> pd.DataFrame:
    """Averaged-Borda points per voter and project (see module docstring)."""
    n = ranks.shape[1]
    unranked_points = (n - ranks.notna().sum(axis=1) - 1) / 2
    return (n - ranks).apply(lambda column: column.fillna(unranked_points))


def aggregate(votes: pd.DataFrame, project_ids: list[str], min_rankers: int = 1) -> pd.DataFrame:
    """Per project: counts, Borda points and score, approval share, mean rank, and the three ranks.

    ``mean_rank`` is missing (and ``rank_mean`` last) for projects ranked by fewer than
    ``min_rankers`` municipalities.

    ``attrs``: ``n_voters`` (municipalities that took part), ``n_rankers`` (that ranked).
    """
    ranks = rank_matrix(votes, project_ids)
    points = borda_points(ranks)
    n_voters = votes["voter_ags"].nunique()
    n_rankers = len(ranks)
    max_points = n_rankers * (len(project_ids) - 1)
    approvals = votes[votes["approved"]].groupby("project_id").size().reindex(project_ids, fill_value=0)
    out = pd.DataFrame({
        "n_approvals": approvals,
        "approval_share": approvals / n_voters,
        "n_ranked": ranks.notna().sum(),
        "borda_points": points.sum(),
        "borda_score": points.sum() / max_points if max_points else float("nan"),
        "mean_rank": ranks.mean().where(ranks.notna().sum() >= min_rankers),
    }, index=project_ids)
    out["rank_borda"] = out["borda_points"].rank(ascending=False, method="min").astype(int)
    out["rank_approval"] = out["n_approvals"].rank(ascending=False, method="min").astype(int)
    out["rank_mean"] = out["mean_rank"].rank(method="min", na_option="bottom").astype(int)
    out.attrs.update(n_voters=n_voters, n_rankers=n_rankers, min_rankers=min_rankers)
    return out


def describe_participation(summary: pd.DataFrame, n_members: int, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> str:
    """German sentence: how many municipalities took part and ranked (withheld below the cell size)."""
    n_voters, n_rankers = summary.attrs["n_voters"], summary.attrs["n_rankers"]
    if n_voters < min_cell_size:
        return f"An der Abfrage haben weniger als {min_cell_size} Kommunen teilgenommen; Ergebnisse werden nicht veröffentlicht."
    only_approved = n_voters - n_rankers
    if 0 < n_rankers < min_cell_size or 0 < only_approved < min_cell_size:
        detail = "Die Zahl der Kommunen, die gereiht statt nur zugestimmt haben, wird wegen der Mindestfallzahl nicht genannt."
    else:
        detail = f"{n_rankers} davon haben Projekte gereiht, {only_approved} nur zugestimmt."
    return f"An der Abfrage haben {n_voters} von {n_members} Kommunen teilgenommen. {detail}"


def agreement(summary: pd.DataFrame) -> pd.DataFrame:
    """Kendall's tau (tau-b, ties allowed) between the rankings of the three methods."""
    ranks = summary[list(METHOD_RANKS)].rename(columns=METHOD_RANKS)
    return ranks.corr(method="kendall").rename_axis("Kendalls tau")


def describe_agreement(tau: pd.DataFrame) -> str:
    """One German sentence on how far the three methods agree (computed, not hard-coded)."""
    pairs = tau.where(np.triu(np.ones(tau.shape, dtype=bool), k=1)).stack().dropna()
    if pairs.empty:
        return "Die Übereinstimmung der Verfahren ist nicht berechenbar (alle Projekte gleichauf)."
    lowest, highest = pairs.idxmin(), pairs.idxmax()
    text = (f"Am engsten stimmen {highest[0]} und {highest[1]} überein (Kendalls tau {german_number(pairs.max(), 2)}: "
            f"{agreement_word(pairs.max())}), am wenigsten {lowest[0]} und {lowest[1]} ({german_number(pairs.min(), 2)}: "
            f"{agreement_word(pairs.min())}).")
    if pairs.min() >= 0.7:
        return text + " Alle drei Verfahren führen damit zu einer ähnlichen Rangfolge."
    return text + " Welches Verfahren man wählt, verändert die Rangfolge also zum Teil; die Tabelle zeigt, wo."


def agreement_word(tau: float) -> str:
    """German word for the strength of a rank agreement (Kendall's tau)."""
    return ("eng" if tau >= 0.7 else "mäßig" if tau >= 0.4 else "schwach" if tau >= 0.1 else
            "kein Zusammenhang" if tau > -0.1 else "gegenläufig")


def poll_table(summary: pd.DataFrame, titles: pd.Series, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> pd.DataFrame:
    """The three aggregations side by side with German headings, ready to publish.

    Counts below ``min_cell_size`` (and the approval share and mean rank resting on them)
    are replaced by ``SUPPRESSED``; if fewer than ``min_cell_size`` municipalities took part,
    every value is. No single municipality's vote appears.
    """
    too_few = summary.attrs.get("n_voters", 0) < min_cell_size
    summary = summary.sort_values("rank_borda", kind="stable")
    counts = summary[["n_approvals", "n_ranked"]].astype("int64")
    small = (counts > 0) & (counts < min_cell_size)
    out = pd.DataFrame({
        "ID": summary.index,
        "Leitprojekt": titles.loc[summary.index].to_numpy(),
        "Zustimmungen": counts["n_approvals"].astype(object).mask(small["n_approvals"], SUPPRESSED).to_numpy(),
        "Zustimmung (%)": (100 * summary["approval_share"]).round(1).astype(object).mask(small["n_approvals"], SUPPRESSED).to_numpy(),
        "Reihungen": counts["n_ranked"].astype(object).mask(small["n_ranked"], SUPPRESSED).to_numpy(),
        "Borda-Punkte": summary["borda_points"].to_numpy(),
        "Mittlerer Rang": summary["mean_rank"].round(2).astype(object).mask(small["n_ranked"] | summary["mean_rank"].isna(), SUPPRESSED).to_numpy(),
        **{f"Rang {label}": summary[column].to_numpy() for column, label in METHOD_RANKS.items()},
    })
    # the order of two suppressed approval counts (or mean ranks) would tell which is 1 and which 2
    out["Rang Zustimmung"] = out["Rang Zustimmung"].astype(object).mask(small["n_approvals"].to_numpy(), SUPPRESSED)
    out["Rang Mittlerer Rang"] = out["Rang Mittlerer Rang"].astype(object).mask(
        (small["n_ranked"] | summary["mean_rank"].isna()).to_numpy(), SUPPRESSED)
    if too_few:
        out = out.astype(object)
        out.iloc[:, 2:] = SUPPRESSED
    assert_publishable(out[["Zustimmungen", "Reihungen"]], min_cell_size)
    return out


def hidden_poll_values(summary: pd.DataFrame, poll_measure: str, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> pd.Series:
    """Per project, True where the poll value may not be published (approval share resting on a
    count below the minimum cell size, or any value if too few municipalities took part)."""
    too_few = summary.attrs.get("n_voters", 0) < min_cell_size
    small = (summary["n_approvals"] > 0) & (summary["n_approvals"] < min_cell_size)
    return (small & (poll_measure == "approval")) | too_few


def participation_table(votes: pd.DataFrame, region: Region) -> pd.DataFrame:
    """``ags, name, participated`` (ja/nein), one row per member: whether it took part in the poll.

    Participation only, like the survey's participation table: no vote of any municipality.
    """
    voted = set(votes["voter_ags"])
    return pd.DataFrame({"ags": region.ags, "name": [region.name_of(a) for a in region.ags],
                         "participated": ["ja" if a in voted else "nein" for a in region.ags]})
