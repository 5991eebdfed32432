"""The diverging Likert bars put every suppressed answer on the side it belongs to.

Checked on the example survey (whose suppression happens to fall on the disagreement side
for "Zu wenig Personal") and on hand-made blocks for each placement. A bar's extent on
either side of 0 is read from the drawn patches, so these tests look at the picture, not
at the helper that computed it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from regiopole.example import default_dir  # noqa: E402
from regiopole.survey import figures, import_survey, likert  # noqa: E402

MIN = 3
EPS = 1e-9


@pytest.fixture(scope="module")
def example(book, region):
    return import_survey(default_dir() / "survey_export.csv", book, region)


def bars(fig) -> dict[int, list]:
    """Drawn rectangles per bar (y position), legend handles excluded."""
    out: dict[int, list] = {}
    for p in fig.axes[0].patches:
        out.setdefault(round(p.get_y() + p.get_height() / 2), []).append(p)
    return out


def extents(patches) -> tuple[float, float]:
    """(left end, right end) of a bar."""
    return min(p.get_x() for p in patches), max(p.get_x() + p.get_width() for p in patches)


def row_of(freq, order, label: str) -> tuple[str, int]:
    row = next(r for r in order if freq.labels[r] == label)
    return row, list(reversed(order)).index(row)


def shares(freq, row, codes) -> float:
    return float(freq.counts.loc[row, list(codes)].sum() / freq.n[row])


def check_bar(freq, q, row, patches) -> None:
    """Each side at most its published share plus the suppressed answers that belong there."""
    scale = q.scale
    hidden = {c for c in scale.codes if freq.mask.at[row, c]}
    neutral = shares(freq, row, [scale.neutral]) if scale.neutral not in hidden else 0.0
    centre_hidden = 0.0 if hidden <= set(scale.negative) or hidden <= set(scale.positive) else shares(freq, row, hidden)
    half_centre = (neutral + centre_hidden) / 2
    agree = shares(freq, row, [c for c in scale.positive if c not in hidden])
    agree_hidden = shares(freq, row, hidden) if hidden and hidden <= set(scale.positive) else 0.0
    disagree = shares(freq, row, [c for c in scale.negative if c not in hidden])
    disagree_hidden = shares(freq, row, hidden) if hidden and hidden <= set(scale.negative) else 0.0
    left, right = extents(patches)
    assert right == pytest.approx(half_centre + agree + agree_hidden, abs=EPS)
    assert left == pytest.approx(-(half_centre + disagree + disagree_hidden), abs=EPS)
    assert sum(p.get_width() for p in patches) == pytest.approx(1.0, abs=EPS)
    neutral_patches = [p for p in patches if not p.get_hatch() and abs(p.get_x() + p.get_width() / 2) < EPS]
    if neutral:  # the neutral answers sit in the middle
        assert [p.get_width() for p in neutral_patches] == [pytest.approx(neutral)]


def test_staff_shortage_agreement_side_is_not_stretched_by_suppressed_disagreement(example, book):
    q = book.question("HUERDEN")
    freq = likert.likert_frequencies(example.responses, q, MIN)
    order = likert.item_order(freq, q)
    row, y = row_of(freq, order, "Zu wenig Personal")
    assert freq.group(row, list(q.scale.positive)) is not None  # agreement is published ...
    hidden = {c for c in q.scale.codes if freq.mask.at[row, c]}
    assert hidden and hidden <= set(q.scale.negative)  # ... and the suppressed answers are disagreement
    fig = figures.diverging_likert(freq, q, MIN)
    patches = bars(fig)[y]
    _, right = extents(patches)
    neutral = shares(freq, row, [q.scale.neutral])
    assert right <= neutral / 2 + shares(freq, row, q.scale.positive) + EPS
    hatched = [p for p in patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_x() + hatched[0].get_width() <= -neutral / 2 + EPS  # on the left
    check_bar(freq, q, row, patches)


@pytest.mark.parametrize("code", ["HUERDEN", "UNTERST"])
def test_every_example_bar_keeps_its_sides(example, book, code):
    q = book.question(code)
    freq = likert.likert_frequencies(example.responses, q, MIN)
    order = likert.item_order(freq, q)
    drawn = bars(figures.diverging_likert(freq, q, MIN))
    for y, row in enumerate(reversed(order)):
        if y in drawn:
            check_bar(freq, q, row, drawn[y])


def frame(book, counts: dict[str, int], n: int) -> pd.DataFrame:
    data = {f.column: [""] * n for f in book.fields()}
    values = [c for c, k in counts.items() for _ in range(k)]
    data["HUERDEN[SQ002]"] = values + [""] * (n - len(values))
    return pd.DataFrame(data)


@pytest.mark.parametrize("counts, where", [
    ({"A1": 1, "A2": 2, "A3": 6, "A4": 8, "A5": 7}, "negative"),
    ({"A1": 6, "A2": 8, "A3": 6, "A4": 2, "A5": 1}, "positive"),
    ({"A1": 1, "A2": 8, "A3": 6, "A4": 8, "A5": 1}, "centre"),
])
def test_suppressed_answers_go_to_their_side(book, counts, where):
    q = book.question("HUERDEN")
    freq = likert.likert_frequencies(frame(book, counts, sum(counts.values())), q, MIN)
    row = "HUERDEN[SQ002]"
    assert figures.hidden_side(freq, row, q) == where
    fig = figures.diverging_likert(freq, q, MIN)
    order = likert.item_order(freq, q)
    patches = bars(fig)[list(reversed(order)).index(row)]
    check_bar(freq, q, row, patches)
    hatched = [p for p in patches if p.get_hatch()]
    if where == "negative":
        assert max(p.get_x() + p.get_width() for p in hatched) < 0
    elif where == "positive":
        assert min(p.get_x() for p in hatched) > 0
    else:  # split evenly around the neutral segment
        assert len(hatched) == 2 and hatched[0].get_width() == pytest.approx(hatched[1].get_width())
    assert "unterdrückt" in fig.axes[0].get_legend().get_texts()[-1].get_text()


def test_figures_carry_a_german_alt_text(example, book):
    q = book.question("HUERDEN")
    freq = likert.likert_frequencies(example.responses, q, MIN)
    fig = figures.diverging_likert(freq, q, MIN, "Hürden der Digitalisierung")
    assert fig.alt_text.startswith("Gestapeltes Balkendiagramm „Hürden der Digitalisierung“")
    best = max((r for r in freq.counts.index if freq.group(r, list(q.scale.positive)) is not None),
               key=lambda r: freq.group(r, list(q.scale.positive)) / freq.n[r])
    assert f"höchste Zustimmung hat „{freq.labels[best]}“" in fig.alt_text
