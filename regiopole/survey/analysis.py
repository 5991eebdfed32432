"""Publishable tables of single-choice, multiple-choice, ranking and numeric questions, and
comparisons by size class. Every count goes through the minimum cell size (see
:mod:`regiopole.survey.likert`); no table breaks answers down by single municipality.
Every table carries its structure for the disclosure audit (:mod:`regiopole.privacy.audit`).

Rules beyond the minimum cell size, so that all tables together pass the audit:

* the size-class comparison shows an item only when its own table publishes the compared
  count and n, and every group has 0 or at least ``min_cell_size`` answers with and without
  it; otherwise the item is left out (no "." there: the item's own table and the group
  sizes would bound it);
* the rank table suppresses zeros beside suppressed cells and, where the bound "each rank
  column sums to at most the number of respondents" still narrows a suppressed cell,
  suppresses the smallest published cell of that column (or row) until the audit passes.
"""

from __future__ import annotations

import pandas as pd

from regiopole import privacy
from regiopole.privacy import audit
from regiopole.privacy.audit import COUNT, COUNT_OF_N, Structure
from regiopole.data import Region
from regiopole.style import german_number
from regiopole.survey.codebook import Codebook, Question
from regiopole.survey.likert import Frequencies, checked, count_share, frequencies, likert_frequencies, valid
from regiopole.survey.participation import size_class

CHOSEN, NOT_CHOSEN = "Y", "N"


def choice_frequencies(responses: pd.DataFrame, question: Question, min_cell_size: int) -> Frequencies:
    """Frequencies of a single-choice question (one row)."""
    return frequencies(responses, question.fields()[:1], [a.code for a in question.answers],
                       {a.code: a.label for a in question.answers}, min_cell_size)


def choice_table(responses: pd.DataFrame, question: Question, min_cell_size: int) -> pd.DataFrame:
    """One row per answer: 'x von n (share)'."""
    freq = choice_frequencies(responses, question, min_cell_size)
    row = question.fields()[0].column
    structure = freq.structure(len(responses), min_cell_size)
    for position, a in enumerate(question.answers):
        freq.declare_cell(structure, position, "Anzahl", row, [a.code])
    return structure.attach(checked(pd.DataFrame({"Antwort": [a.label for a in question.answers],
                                                  "Anzahl": [freq.cell_text(row, [a.code]) for a in question.answers]}),
                                    min_cell_size))


def multiple_frequencies(responses: pd.DataFrame, question: Question, min_cell_size: int) -> Frequencies:
    """Chosen / not chosen per option of a multiple-choice question."""
    fields = [f for f in question.fields() if not f.is_other]
    chosen = pd.DataFrame({f.column: responses[f.column].map({True: CHOSEN, False: NOT_CHOSEN}) for f in fields})
    return frequencies(chosen, fields, [CHOSEN, NOT_CHOSEN], {CHOSEN: "gewählt", NOT_CHOSEN: "nicht gewählt"}, min_cell_size)


def multiple_table(responses: pd.DataFrame, question: Question, min_cell_size: int) -> pd.DataFrame:
    """One row per option, most chosen first: 'x von n (share)'."""
    freq = multiple_frequencies(responses, question, min_cell_size)
    order = freq.counts[CHOSEN].sort_values(ascending=False, kind="stable").index
    structure = freq.structure(len(responses), min_cell_size)
    for position, c in enumerate(order):
        freq.declare_cell(structure, position, "gewählt", c, [CHOSEN])
    return structure.attach(checked(pd.DataFrame({"Form der Zusammenarbeit": [freq.labels[c] for c in order],
                                                  "gewählt": [freq.cell_text(c, [CHOSEN]) for c in order]}), min_cell_size))


def ranking_table(responses: pd.DataFrame, question: Question, min_cell_size: int) -> pd.DataFrame:
    """How often each answer was put on each rank; rows by points (3 for rank 1, 2, 1)."""
    fields = question.fields()
    codes = [a.code for a in question.answers]
    counts = pd.DataFrame({f"Rang {f.rank}": valid(responses[f.column]).value_counts().reindex(codes, fill_value=0)
                           for f in fields}).astype("int64")
    points = sum(counts[f"Rang {f.rank}"] * (len(fields) + 1 - f.rank) for f in fields)
    order = points.sort_values(ascending=False, kind="stable").index
    counts = counts.loc[order]
    mask = privacy.suppressed_mask(counts, min_cell_size, row_totals=True, column_totals=True).loc[counts.index]
    mask = privacy.hide_zeros_beside(mask, counts)
    labels = [next(a.label for a in question.answers if a.code == c) for c in order]
    while True:
        published = _ranking_published(counts, mask, labels)
        structure = _ranking_structure(counts, len(responses), min_cell_size)
        findings = audit.audit({"ranking": (published, structure)})
        if not findings:
            return structure.attach(checked(published, min_cell_size))
        for finding in {f.column: f for f in findings}.values():  # one more cell per column, then audit again
            _suppress_further(counts, mask, finding)


TOTAL_MENTIONS = "Nennungen insgesamt"


def _ranking_published(counts: pd.DataFrame, mask: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    table = counts.copy()
    table[TOTAL_MENTIONS] = counts.sum(axis=1)
    published = table.astype(object).where(~mask.rename(columns={privacy.TOTAL: TOTAL_MENTIONS}).to_numpy(), privacy.SUPPRESSED)
    published.insert(0, "Form der Zusammenarbeit", labels)
    return published.reset_index(drop=True)


def _ranking_structure(counts: pd.DataFrame, respondents: int, min_cell_size: int) -> Structure:
    """Unknown count per answer and rank; each rank column and each answer holds at most one mention per respondent."""
    structure = Structure(min_cell_size=min_cell_size)
    names = {(code, rank): structure.variable(f"{code}|{rank}", respondents) for code in counts.index for rank in counts.columns}
    for position, code in enumerate(counts.index):
        for rank in counts.columns:
            structure.cell(position, rank, COUNT, {names[code, rank]: 1.0})
        structure.cell(position, TOTAL_MENTIONS, COUNT, {names[code, rank]: 1.0 for rank in counts.columns})
        structure.fact({names[code, rank]: 1.0 for rank in counts.columns}, 0, respondents)
    for rank in counts.columns:
        structure.fact({names[code, rank]: 1.0 for code in counts.index}, 0, respondents)
    return structure


def _suppress_further(counts: pd.DataFrame, mask: pd.DataFrame, finding: audit.Finding) -> None:
    """Suppress the smallest published cell in the finding's column, else its row, else the row total."""
    code = counts.index[finding.row]
    column = finding.column if finding.column in counts.columns else None
    candidates = [(counts.at[c, column], i, c, column) for i, c in enumerate(counts.index) if column and not mask.at[c, column]]
    if not candidates:
        candidates = [(counts.at[code, r], 0, code, r) for r in counts.columns if not mask.at[code, r]]
    if not candidates:
        mask.at[code, privacy.TOTAL] = True
        return
    _, _, row, col = min(candidates)
    mask.at[row, col] = True


def numeric_table(responses: pd.DataFrame, question: Question, bounds: tuple[float, ...], min_cell_size: int) -> pd.DataFrame:
    """Answers in classes ('unter 1', '1 bis unter 3', ...): 'x von n (share)'."""
    values = responses[question.code].dropna()
    labels = ([f"unter {german_number(bounds[0], 1).removesuffix(',0')}"]
              + [f"{german_number(a, 1).removesuffix(',0')} bis unter {german_number(b, 1).removesuffix(',0')}"
                 for a, b in zip(bounds, bounds[1:])] + [f"{german_number(bounds[-1], 1).removesuffix(',0')} und mehr"])
    classes = pd.cut(values, bins=[float("-inf"), *bounds, float("inf")], right=False, labels=labels)
    counts = classes.value_counts().reindex(labels, fill_value=0)
    frame = counts.to_frame().T
    mask = privacy.hide_zeros_beside(privacy.suppressed_mask(frame, min_cell_size), frame).iloc[0]
    n = int(counts.sum())
    cells = [privacy.SUPPRESSED if mask[label] or mask[privacy.TOTAL] else count_share(int(counts[label]), n) for label in labels]
    structure = Structure(min_cell_size=min_cell_size)
    names = [structure.variable(f"{question.code}|{label}", len(responses)) for label in labels]
    for position, name in enumerate(names):
        structure.cell(position, "Anzahl", COUNT_OF_N, {name: 1.0}, dict.fromkeys(names, 1.0))
    return structure.attach(checked(pd.DataFrame({f"{question.unit or 'Wert'}": labels, "Anzahl": cells}), min_cell_size))


def numeric_median_text(responses: pd.DataFrame, question: Question, min_cell_size: int) -> str:
    """German sentence with the median, or why it is not shown."""
    values = responses[question.code].dropna()
    if len(values) < min_cell_size:
        return "Der Median wird nicht ausgewiesen (zu wenige Antworten)."
    return (f"Median: {german_number(values.median(), 1)} {question.unit} (n = {len(values)}); "
            "Einzelwerte, Minimum und Maximum werden nicht veröffentlicht.")


def comparison_items(codebook: Codebook) -> list[tuple[str, str, list[str]]]:
    """(label, field column, counted codes) compared between groups: agreement items and yes/no facts."""
    items = [(f"{q.short}: {f.item.label} (Zustimmung)", f.column, list(q.scale.positive))
             for q in codebook.of_type("likert") for f in q.fields()]
    for q in codebook.of_type("single"):
        if q.scale is None:
            items.append((f"{q.short}: {q.answers[0].label}", q.code, [q.answers[0].code]))
    return items


def compare_groups(responses: pd.DataFrame, region: Region, codebook: Codebook, min_cell_size: int,
                   bounds: tuple[int, ...] = (20_000,), min_group_size: int | None = None) -> tuple[pd.DataFrame | None, str]:
    """Share of each comparison item per size class, or ``None`` and a German note why not.

    Shown only when every group has at least ``min_group_size`` respondents (default:
    twice the minimum cell size). Group and overall totals are protected together.
    """
    min_group_size = min_group_size or 2 * min_cell_size
    sizes = region.municipalities.set_index("ags")["population"]
    group = size_class(responses["ags"].map(sizes), tuple(bounds))
    n_group = group.value_counts().reindex(group.cat.categories, fill_value=0)
    if (n_group < min_group_size).any():
        return None, (f"Ein Vergleich nach Größenklassen ({', '.join(group.cat.categories)}) wird nicht ausgewiesen: "
                      f"mindestens eine Gruppe hat weniger als {min_group_size} Antworten.")
    rows, left_out, own_tables = [], 0, {}
    structure = Structure(min_cell_size=min_cell_size)
    for label, column, codes in comparison_items(codebook):
        answered = valid(responses[column])
        all_codes = _codes_of(codebook, column)
        hit = answered.isin(codes)
        counts = pd.DataFrame({"ja": hit.groupby(group[answered.index], observed=False).sum(),
                               "nein": (~hit).groupby(group[answered.index], observed=False).sum()}).astype("int64")
        question = column.split("[")[0]
        if question not in own_tables:
            own_tables[question] = likert_frequencies_for(responses, codebook, column, min_cell_size)
        own = own_tables[question]
        mask = comparison_mask(counts, own.shown(column, codes), min_cell_size)
        if mask is None:
            left_out += 1
            continue
        position = len(rows)
        row = {"Merkmal": label}
        for g in counts.index:
            hidden = mask.loc[g, ["ja", privacy.TOTAL]].any()
            row[str(g)] = privacy.SUPPRESSED if hidden else count_share(int(counts.at[g, "ja"]), int(counts.loc[g].sum()))
            names = {c: structure.variable(f"{column}|{c}|{g}", len(responses)) for c in all_codes}
            structure.cell(position, str(g), COUNT_OF_N, {names[c]: 1.0 for c in codes}, dict.fromkeys(names.values(), 1.0))
        for c in all_codes:  # the groups split the item's own counts
            structure.fact({f"{column}|{c}": 1.0} | {f"{column}|{c}|{g}": -1.0 for g in counts.index}, 0, 0)
        rows.append(row)
    note = f"Vergleich der Größenklassen {' und '.join(group.cat.categories)}."
    if left_out:
        note += (f" {left_out} Merkmale fehlen, weil eine Gruppe dort weniger Antworten als die Mindestfallzahl "
                 "mit oder ohne das Merkmal hat oder ihre eigene Tabelle die Zahl nicht ausweist.")
    table = pd.DataFrame(rows, columns=["Merkmal", *map(str, group.cat.categories)])
    return structure.attach(checked(table, min_cell_size)), note


def comparison_mask(counts: pd.DataFrame, own_shown: bool, min_cell_size: int) -> pd.DataFrame | None:
    """Which group cells of one compared item are suppressed; ``None``: leave the item out.

    The item is shown only whole: its own table publishes the compared count and n, and no
    group has 1 .. ``min_cell_size``-1 answers with or without the item.
    """
    small = ((counts > 0) & (counts < min_cell_size)).to_numpy().any()
    if small or not own_shown:
        return None
    return pd.DataFrame(False, index=counts.index, columns=[*counts.columns, privacy.TOTAL])


def _codes_of(codebook: Codebook, column: str) -> list[str]:
    question = codebook.question(column.split("[")[0])
    return list(question.scale.codes) if question.scale is not None else [a.code for a in question.answers]


def hurdle_index(responses: pd.DataFrame, codebook: Codebook, question_code: str = "HUERDEN") -> pd.Series:
    """Mean position on the scale (1 = no agreement ... 5 = full agreement) per response."""
    question = codebook.question(question_code)
    position = {code: i + 1 for i, code in enumerate(question.scale.codes)}
    scores = pd.DataFrame({f.column: responses[f.column].map(position) for f in question.fields()}).astype(float)
    return scores.mean(axis=1)


def cooperation_interest(responses: pd.DataFrame, codebook: Codebook, question_code: str = "KOOP") -> pd.Series:
    """Number of cooperation forms chosen per response."""
    fields = [f.column for f in codebook.question(question_code).fields() if not f.is_other]
    return responses[fields].astype("Float64").sum(axis=1, min_count=1).astype(float)


def likert_frequencies_for(responses: pd.DataFrame, codebook: Codebook, column: str, min_cell_size: int) -> Frequencies:
    """Frequencies of the question a field belongs to, as published in its own table."""
    question = codebook.question(column.split("[")[0])
    if question.type == "likert":
        return likert_frequencies(responses, question, min_cell_size)
    if question.type == "multiple":
        return multiple_frequencies(responses, question, min_cell_size)
    return choice_frequencies(responses, question, min_cell_size)
