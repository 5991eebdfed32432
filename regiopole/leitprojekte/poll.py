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

Publication rule (the poll names who took part: ``leitprojekte_umfrage_teilnahme`` and every
dossier show each member's participation). A count of participants who approved (or ranked) a
project is published only when at least ``min_cell_size`` of them did *and* at least
``min_cell_size`` did not: "0 approvals" or "all approved" would tell each named participant's
vote, "all but one" nearly so. Otherwise the count, its share and its rank are ``"."``; a "."
therefore stands for "very few" or "nearly all", and nothing published tells which. With fewer
than twice ``min_cell_size`` participants no count is published. A Borda value of exactly 0 or
1 (every ranking municipality put the project last or first) is withheld too. The published
Borda value is the score (0-1), not the points: the sum of the points would give the number of
ranking municipalities away. Ranks are computed over published values only, and Kendall's
tau (:func:`agreement`) over the published ranks, so neither places a withheld value. Each
published table declares its structure to the disclosure audit, with every participant's
approval and ranking of every project as a secret (:mod:`regiopole.privacy.audit`).
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
from regiopole.privacy.audit import COUNT, SALDO, YES_NO, Structure
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
    out = votes.assign(approved=votes["approved"].map(APPROVED_VALUES).astype(bool))
    out.attrs["members"] = list(region.ags)
    return out


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
    if "members" in votes.attrs:
        out.attrs["members"] = list(votes.attrs["members"])
    return out


def withheld_counts(counts: pd.Series, n_voters: int, min_cell_size: int) -> pd.Series:
    """True where a count of participants may not be published: fewer than ``min_cell_size`` did, or did not."""
    return (counts < min_cell_size) | (counts > n_voters - min_cell_size)


def withheld_borda(summary: pd.DataFrame) -> pd.Series:
    """True where the Borda score is exactly 0 or 1 (every ranking municipality placed the project last or first)."""
    score = summary["borda_score"].round(9)
    return score.isna() | (score <= 0) | (score >= 1)


def _published_rank(values: pd.Series, hidden: pd.Series, ascending: bool) -> pd.Series:
    """Rank (ties share the better rank) over the published values only; ``SUPPRESSED`` for withheld ones."""
    ranks = values.where(~hidden).rank(ascending=ascending, method="min")
    return ranks.astype(object).where(~hidden & ranks.notna(), SUPPRESSED).map(lambda v: v if v == SUPPRESSED else int(v))


def _ags_of(summary: pd.DataFrame) -> list[str]:
    if "members" not in summary.attrs:
        raise ValueError("the poll summary does not know the region's members; build it with "
                         "aggregate(load_votes(...), ...) so that the table can declare its structure")
    return list(summary.attrs["members"])


def took_part(ags: str) -> str:
    """Name of the audit's unknown 'member ``ags`` took part in the poll' (0/1)."""
    return f"poll|took_part|{ags}"


def poll_structure(projects: list[str], members: list[str], min_cell_size: int) -> Structure:
    """The poll table for the disclosure audit: per project and member, approved / ranked (0/1, only if taken part)."""
    structure = Structure(min_cell_size=min_cell_size)
    voters = {structure.variable(took_part(a), 1): 1.0 for a in members}
    for position, project in enumerate(projects):
        for kind, column in (("approved", "Zustimmungen"), ("ranked", "Reihungen")):
            answers = {}
            for a in members:
                name = structure.variable(f"poll|{kind}|{project}|{a}", 1)
                structure.fact({name: 1.0, took_part(a): -1.0}, -1, 0)  # no answer without taking part
                structure.secret(f"{a} {kind} {project}", {name: 1.0}, {took_part(a): 1.0})
                answers[name] = 1.0
            structure.cell(position, column, COUNT, answers)
            if kind == "approved":
                structure.cell(position, "Zustimmung (%)", SALDO, answers, voters, decimals=1)
    return structure


def participation_structure(members: list[str]) -> Structure:
    """The participation table for the disclosure audit: row i says whether member i took part."""
    structure = Structure()
    for position, a in enumerate(members):
        structure.cell(position, "participated", YES_NO, {structure.variable(took_part(a), 1): 1.0})
    return structure


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
    """Kendall's tau (tau-b, ties allowed) between the rankings of the three methods.

    For a poll summary of :func:`aggregate` (``attrs`` with ``n_voters``) over the ranks that
    :func:`poll_table` publishes, projects with a withheld rank left out (cell size: ``min_rankers``):
    a tau over all ranks would let a reader test which order of the withheld values fits it.
    """
    if "n_voters" in summary.attrs:
        table = poll_table(summary, pd.Series(summary.index, index=summary.index), int(summary.attrs.get("min_rankers", DEFAULT_MIN_CELL_SIZE)))
        ranks = table.set_index("ID")[[f"Rang {label}" for label in METHOD_RANKS.values()]]
        ranks = ranks[(ranks != SUPPRESSED).all(axis=1)].astype(float)
        ranks.columns = list(METHOD_RANKS.values())
    else:
        ranks = summary[list(METHOD_RANKS)].rename(columns=METHOD_RANKS)
    tau = ranks.corr(method="kendall").rename_axis("Kendalls tau")
    tau.attrs = {}  # pandas carries attrs along: the poll table's audit structure does not belong to tau
    return tau


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
    """The three aggregations side by side with German headings, ready to publish (rule: module docstring).

    If fewer than ``min_cell_size`` municipalities took part, every value is ``SUPPRESSED``.
    No single municipality's vote appears, nor follows from this table with the participation table.
    """
    n_voters = int(summary.attrs.get("n_voters", 0))
    too_few = n_voters < min_cell_size
    counts = summary[["n_approvals", "n_ranked"]].astype("int64")
    hide_approvals = withheld_counts(counts["n_approvals"], n_voters, min_cell_size)
    hide_ranked = withheld_counts(counts["n_ranked"], n_voters, min_cell_size)
    hide_mean = hide_ranked | summary["mean_rank"].isna()
    hide_borda = withheld_borda(summary)
    order = summary.assign(_b=summary["borda_score"].where(~hide_borda)).sort_values("_b", ascending=False,
                                                                                      na_position="last", kind="stable").index
    summary, counts = summary.loc[order], counts.loc[order]
    hide_approvals, hide_ranked, hide_mean, hide_borda = (h.loc[order] for h in (hide_approvals, hide_ranked, hide_mean, hide_borda))
    out = pd.DataFrame({
        "ID": summary.index,
        "Leitprojekt": titles.loc[summary.index].to_numpy(),
        "Zustimmungen": counts["n_approvals"].astype(object).mask(hide_approvals, SUPPRESSED).to_numpy(),
        "Zustimmung (%)": (100 * summary["approval_share"]).round(1).astype(object).mask(hide_approvals, SUPPRESSED).to_numpy(),
        "Reihungen": counts["n_ranked"].astype(object).mask(hide_ranked, SUPPRESSED).to_numpy(),
        "Borda-Wert (0-1)": summary["borda_score"].round(3).astype(object).mask(hide_borda, SUPPRESSED).to_numpy(),
        "Mittlerer Rang": summary["mean_rank"].round(2).astype(object).mask(hide_mean, SUPPRESSED).to_numpy(),
        "Rang Borda": _published_rank(summary["borda_score"], hide_borda, ascending=False).to_numpy(),
        "Rang Zustimmung": _published_rank(summary["n_approvals"], hide_approvals, ascending=False).to_numpy(),
        "Rang Mittlerer Rang": _published_rank(summary["mean_rank"], hide_mean, ascending=True).to_numpy(),
    })
    if too_few:
        out = out.astype(object)
        out.iloc[:, 2:] = SUPPRESSED
    assert_publishable(out[["Zustimmungen", "Reihungen"]], min_cell_size)
    if "members" in summary.attrs:
        poll_structure(out["ID"].tolist(), _ags_of(summary), min_cell_size).attach(out)
    return out


def hidden_poll_values(summary: pd.DataFrame, poll_measure: str, min_cell_size: int = DEFAULT_MIN_CELL_SIZE) -> pd.Series:
    """Per project, True where the poll value may not be published: what :func:`poll_table` withholds
    (the approval share by the rule of the module docstring, a Borda value of 0 or 1), or any value
    if too few municipalities took part."""
    n_voters = int(summary.attrs.get("n_voters", 0))
    too_few = n_voters < min_cell_size
    hidden = withheld_counts(summary["n_approvals"], n_voters, min_cell_size) if poll_measure == "approval" else withheld_borda(summary)
    return hidden | too_few


def participation_table(votes: pd.DataFrame, region: Region) -> pd.DataFrame:
    """``ags, name, participated`` (ja/nein), one row per member: whether it took part in the poll.

    Participation only, like the survey's participation table: no vote of any municipality.
    """
    voted = set(votes["voter_ags"])
    table = pd.DataFrame({"ags": region.ags, "name": [region.name_of(a) for a in region.ags],
                          "participated": ["ja" if a in voted else "nein" for a in region.ags]})
    return participation_structure(list(region.ags)).attach(table)
