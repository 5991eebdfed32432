"""Answer frequencies with the minimum cell size applied, and Likert blocks ready to publish.

:class:`Frequencies` holds the counts of a set of fields (rows) over answer codes
(columns) with the suppression mask from :func:`regiopole.privacy.suppressed_mask`. Every
published figure derived from it (a share, a group such as "agree" = A4 + A5, the net
agreement) is shown only when all the counts it is made of are shown, so that no
combination of published figures reveals a suppressed count. In a row that holds suppressed
cells its zeros are suppressed too (:func:`regiopole.privacy.hide_zeros_beside`): a "."
may be 0, so a reader cannot narrow it down to "1 or 2".

Every published table carries its structure for the disclosure audit
(:mod:`regiopole.privacy.audit`): the unknown count behind each cell, ``field|code``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from regiopole import privacy
from regiopole.privacy.audit import COUNT, COUNT_OF_N, SALDO, Structure
from regiopole.style import german_number, german_percent
from regiopole.survey.codebook import Field, Question


def valid(values: pd.Series) -> pd.Series:
    """Substantive answers only: not 'not shown' (missing) and not 'shown, not answered' ('')."""
    return values[values.notna() & values.astype(str).ne("")]


def checked(table: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """The table, after :func:`regiopole.privacy.assert_publishable` found no small count in it."""
    privacy.assert_publishable(table, min_cell_size)
    return table


def count_share(count: int, n: int) -> str:
    """'15 von 24 (63 %)'."""
    return f"{count} von {n} ({german_percent(count / n)})" if n else f"{count} von {n}"


@dataclass(frozen=True)
class Frequencies:
    """Counts per field and answer code, with what may be published."""

    counts: pd.DataFrame          # rows: field columns, columns: answer codes
    mask: pd.DataFrame            # same rows, codes + privacy.TOTAL; True = suppressed
    labels: dict[str, str]        # field column -> German row label
    code_labels: dict[str, str]   # answer code -> German label

    def var(self, row: str, code: str) -> str:
        """Name of the unknown count of ``code`` in ``row`` for the disclosure audit."""
        return f"{row}|{code}"

    def expr(self, row: str, codes: list) -> dict[str, float]:
        return {self.var(row, c): 1.0 for c in codes}

    def structure(self, respondents: int, min_cell_size: int) -> Structure:
        """A structure with one unknown count per row and code, each between 0 and ``respondents``."""
        structure = Structure(min_cell_size=min_cell_size)
        for row in self.counts.index:
            for code in self.counts.columns:
                structure.variable(self.var(row, code), respondents)
        return structure

    def declare_cell(self, structure: Structure, position: int, column: str, row: str, codes: list) -> None:
        """The published 'count von n' of ``codes`` in ``row`` at table row ``position``."""
        structure.cell(position, column, COUNT_OF_N, self.expr(row, codes), self.expr(row, list(self.counts.columns)))

    @property
    def n(self) -> pd.Series:
        return self.counts.sum(axis=1)

    def shown(self, row: str, codes: list) -> bool:
        """True if the sum of ``codes`` in ``row`` can be published without revealing a suppressed count.

        That is the case when n is published and the group holds either none or all of the
        row's suppressed cells: then its sum is a sum of published cells, or that plus the
        total of the suppressed cells, which n minus the published cells reveals anyway.
        """
        if self.mask.at[row, privacy.TOTAL]:
            return False
        hidden = {c for c in self.counts.columns if self.mask.at[row, c]}
        inside = hidden & set(codes)
        return not inside or inside == hidden

    def group(self, row: str, codes: list) -> int | None:
        """Sum of ``codes`` in ``row``, or None where publishing it could reveal a suppressed count."""
        return int(self.counts.loc[row, codes].sum()) if self.shown(row, codes) else None

    def n_text(self, row: str) -> str | int:
        return privacy.SUPPRESSED if self.mask.loc[row, privacy.TOTAL] else int(self.n[row])

    def cell_text(self, row: str, codes: list) -> str:
        """'count von n (share)' of a group, or the suppression marker."""
        count = self.group(row, codes)
        return privacy.SUPPRESSED if count is None else count_share(count, int(self.n[row]))


def frequencies(responses: pd.DataFrame, fields: list[Field], codes: list[str], code_labels: dict[str, str],
                min_cell_size: int, column_totals: bool = False) -> Frequencies:
    """Count the answer codes of ``fields``; ``column_totals`` when the column sums are known elsewhere."""
    rows = {f.column: valid(responses[f.column]).value_counts().reindex(codes, fill_value=0) for f in fields}
    counts = pd.DataFrame(rows).T.reindex(columns=codes).fillna(0).astype("int64")
    mask = privacy.suppressed_mask(counts, min_cell_size, row_totals=True, column_totals=column_totals)
    mask = privacy.hide_zeros_beside(mask, counts)
    labels = {f.column: f.item.label if f.item is not None else f.question.text for f in fields}
    return Frequencies(counts, mask.loc[counts.index], labels, code_labels)


def likert_frequencies(responses: pd.DataFrame, question: Question, min_cell_size: int) -> Frequencies:
    """Frequencies of a Likert block on its scale."""
    scale = question.scale
    return frequencies(responses, question.fields(), scale.codes, {a.code: a.label for a in scale.answers}, min_cell_size)


def net_agreement(freq: Frequencies, question: Question) -> pd.Series:
    """Share agreeing minus share disagreeing per item (all answers counted, used for ordering)."""
    scale = question.scale
    n = freq.n.where(freq.n > 0)
    return (freq.counts[list(scale.positive)].sum(axis=1) - freq.counts[list(scale.negative)].sum(axis=1)) / n


def item_order(freq: Frequencies, question: Question) -> list[str]:
    """Items sorted by net agreement, highest first (ties: codebook order)."""
    net = net_agreement(freq, question).fillna(-2.0)
    position = {c: i for i, c in enumerate(freq.counts.index)}
    return sorted(freq.counts.index, key=lambda c: (-net[c], position[c]))


def likert_table(responses: pd.DataFrame, question: Question, min_cell_size: int) -> pd.DataFrame:
    """Publishable table of a Likert block: n, every scale point, agreement and net agreement."""
    scale = question.scale
    freq = likert_frequencies(responses, question, min_cell_size)
    net = net_agreement(freq, question)
    rows = []
    structure = freq.structure(len(responses), min_cell_size)
    everything = list(scale.codes)
    for position, column in enumerate(item_order(freq, question)):
        structure.cell(position, "n", COUNT, freq.expr(column, everything))
        for a in scale.answers:
            freq.declare_cell(structure, position, a.label, column, [a.code])
        freq.declare_cell(structure, position, "Zustimmung", column, list(scale.positive))
        balance = freq.expr(column, list(scale.positive)) | {freq.var(column, c): -1.0 for c in scale.negative}
        structure.cell(position, "Saldo Zustimmung – Ablehnung", SALDO, balance, freq.expr(column, everything))
        row = {"Aussage": freq.labels[column], "n": freq.n_text(column)}
        row.update({a.label: freq.cell_text(column, [a.code]) for a in scale.answers})
        row["Zustimmung"] = freq.cell_text(column, list(scale.positive))
        both = freq.shown(column, list(scale.positive)) and freq.shown(column, list(scale.negative))
        row["Saldo Zustimmung – Ablehnung"] = (f"{german_number(100 * net[column])} Prozentpunkte"
                                               if both and pd.notna(net[column]) else privacy.SUPPRESSED)
        rows.append(row)
    return structure.attach(checked(pd.DataFrame(rows), min_cell_size))


def top_item(responses: pd.DataFrame, question: Question, min_cell_size: int) -> str:
    """German sentence naming the item with the highest published agreement."""
    scale = question.scale
    freq = likert_frequencies(responses, question, min_cell_size)
    shown = {c: freq.group(c, list(scale.positive)) for c in freq.counts.index}
    shares = {c: v / freq.n[c] for c, v in shown.items() if v is not None and freq.n[c] > 0}
    if not shares:
        return "Für keine Aussage dieses Blocks kann die Zustimmung veröffentlicht werden (zu wenige Antworten)."
    best = max(shares, key=shares.get)
    low = min(shares, key=shares.get)
    return (f"Die höchste Zustimmung erhält „{freq.labels[best]}“ ({freq.cell_text(best, list(scale.positive))}), "
            f"die niedrigste „{freq.labels[low]}“ ({freq.cell_text(low, list(scale.positive))}).")
