"""Which responses count: incomplete ones, responses without municipality, and repeats.

Incomplete responses (empty ``submitdate``) are excluded unless asked for; when one
municipality answered more than once, ``duplicate_rule`` keeps one of its responses:

- ``last_complete`` (default): the complete response submitted last (with incomplete
  responses included: a complete one before any incomplete one, then the latest);
- ``first_complete``: the complete response submitted first;
- ``most_answers``: the response with the most answered questions, then the latest.

Under every rule a response without a single answered question never replaces one with
answers (an all-empty resubmission would otherwise drop the municipality out of every
table); how often that decided is counted too. Everything set aside is counted in
:class:`Selection`, so the report can say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DUPLICATE_RULES = ("last_complete", "first_complete", "most_answers")
#: How each rule reads in the German report.
RULE_LABELS = {"last_complete": "die zuletzt abgeschickte vollständige Antwort zählt",
               "first_complete": "die zuerst abgeschickte vollständige Antwort zählt",
               "most_answers": "die Antwort mit den meisten beantworteten Fragen zählt"}
META_COLUMNS = ("response_id", "submitted", "ags", "submitdate", "startdate", "datestamp", "lastpage", "startlanguage", "seed")


@dataclass(frozen=True)
class Selection:
    """Counts of the selection, for the report."""

    rows: int
    incomplete: int
    incomplete_excluded: int
    without_municipality: int
    duplicates_set_aside: int
    duplicate_rule: str
    kept: int
    empty_not_preferred: int = 0

    def table(self) -> pd.DataFrame:
        """German overview of what was read and what was set aside."""
        rows = [
            ("Antworten in der Exportdatei", self.rows),
            ("davon unvollständig (nicht abgeschickt)", self.incomplete),
            ("unvollständige Antworten ausgeschlossen", self.incomplete_excluded),
            ("Antworten ohne Angabe der Kommune ausgeschlossen", self.without_municipality),
            (f"weitere Antworten derselben Kommune zurückgestellt (Regel: {RULE_LABELS[self.duplicate_rule]})",
             self.duplicates_set_aside),
            ("davon leere Antworten (keine Frage beantwortet), die nach der Regel eine Antwort mit Angaben ersetzt hätten",
             self.empty_not_preferred),
            ("ausgewertete Antworten (eine je Kommune)", self.kept),
        ]
        return pd.DataFrame(rows, columns=["Schritt", "Anzahl"])


def answered_count(frame: pd.DataFrame) -> pd.Series:
    """Number of answered question fields per response (a multiple-choice item counts when chosen)."""
    answers = frame.drop(columns=[c for c in META_COLUMNS if c in frame])

    def answered(col: pd.Series) -> pd.Series:
        if col.dtype == "boolean":
            return col.fillna(False).astype(bool)
        return col.notna() & col.astype(str).ne("")
    return answers.apply(answered).sum(axis=1)


def select_responses(frame: pd.DataFrame, include_incomplete: bool = False,
                     duplicate_rule: str = "last_complete") -> tuple[pd.DataFrame, Selection]:
    """One response per municipality, by the rules above; the frame itself is not changed."""
    if duplicate_rule not in DUPLICATE_RULES:
        raise ValueError(f"duplicate_rule {duplicate_rule!r} is unknown; use one of {', '.join(DUPLICATE_RULES)}")
    incomplete = int((~frame["submitted"]).sum())
    chosen = frame if include_incomplete else frame[frame["submitted"]]
    with_ags = chosen[chosen["ags"].notna()]
    when = with_ags["submitdate"].fillna(with_ags["datestamp"])
    order = pd.DataFrame({"complete": with_ags["submitted"], "when": when, "id": with_ags["response_id"],
                          "answers": answered_count(with_ags)}, index=with_ags.index)
    order["has_answers"] = order["answers"] > 0
    groups = with_ags["ags"]

    def best_of(keys: list[str]) -> pd.Index:
        if duplicate_rule == "first_complete":
            ranked = order.assign(neg_when=order["when"].rank(ascending=False, method="first"), neg_id=-order["id"])
            ranked = ranked.sort_values(keys + ["complete", "neg_when", "neg_id"], na_position="first")
        elif duplicate_rule == "last_complete":
            ranked = order.sort_values(keys + ["complete", "when", "id"], na_position="first")
        else:
            ranked = order.sort_values(keys + ["answers", "complete", "when", "id"], na_position="first")
        return ranked.groupby(groups.loc[ranked.index], sort=False).tail(1).index

    best = best_of(["has_answers"])
    by_rule_alone = best_of([])
    empty_not_preferred = int((~order.loc[by_rule_alone, "has_answers"]).sum() - (~order.loc[best, "has_answers"]).sum())
    kept = with_ags.loc[best].sort_values("response_id").reset_index(drop=True)
    selection = Selection(
        rows=len(frame), incomplete=incomplete, incomplete_excluded=0 if include_incomplete else incomplete,
        without_municipality=len(chosen) - len(with_ags), duplicates_set_aside=len(with_ags) - len(kept),
        duplicate_rule=duplicate_rule, kept=len(kept), empty_not_preferred=empty_not_preferred,
    )
    return kept, selection
