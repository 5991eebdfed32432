"""Numbers in report text are rounded half up, as German readers expect (not Python's half to even)."""

import re
from pathlib import Path

import pandas as pd
import pytest

from regiopole.leitprojekte.selection import describe_selection
from regiopole.style import german_number, german_percent
from regiopole.survey.likert import count_share

PACKAGE = Path(__file__).resolve().parents[1] / "regiopole"


@pytest.mark.parametrize(("share", "decimals", "text"), [
    (0.625, 0, "63\u00a0%"), (0.145, 0, "15\u00a0%"), (0.0145, 1, "1,5\u00a0%"), (0.125, 0, "13\u00a0%"),
    (0.335, 0, "34\u00a0%"), (0.1, 0, "10\u00a0%"), (1 / 3, 1, "33,3\u00a0%"), (-0.025, 0, "\u22123\u00a0%")])
def test_percent_rounds_half_up_after_exact_scaling(share: float, decimals: int, text: str) -> None:
    # 100 * 0.145 is 14.499999999999998 in floating point: scaled that way, 14.5 % would read "14 %"
    assert german_percent(share, decimals) == text


def test_a_count_out_of_n_reads_as_half_up() -> None:
    assert count_share(15, 24) == "15 von 24 (63\u00a0%)"
    assert count_share(29, 200) == "29 von 200 (15\u00a0%)"


def test_the_selection_sentence_shows_the_weights_half_up_and_adding_to_100() -> None:
    result = pd.DataFrame({"selected": [True, False]}, index=["P1", "P2"])
    titles = pd.Series({"P1": "Gemeinsames Rechenzentrum", "P2": "Wissensplattform"})
    text = describe_selection(result, titles, 0.625)
    assert "Online-Abfrage von 62,5\u00a0% und der Kriterien von 37,5\u00a0%" in text, text
    assert "von 50\u00a0% und der Kriterien von 50\u00a0%" in describe_selection(result, titles, 0.5)
    assert "von 66,5\u00a0% und der Kriterien von 33,5\u00a0%" in describe_selection(result, titles, 0.665)
    assert german_number(62.5) == "63"


ROUND_IN_TEXT = re.compile(r"\{[^{}]*\bround\([^{}]*\}|\{[^{}:]*:[^{}]*\.\d+[f%]\}")


def test_no_text_of_the_package_rounds_with_python_round_or_format_specs() -> None:
    """f-strings that show a number go through regiopole.style (half up, decimal comma, typographic minus)."""
    allowed = {"maps/elements.py"}  # pixel sizes in CSS, not text for readers
    not_for_readers = ("pipeline", "example")  # terminal messages in English; machine-readable example files
    found = [f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py")) if str(path.relative_to(PACKAGE)) not in allowed
             and path.relative_to(PACKAGE).parts[0] not in not_for_readers
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if 'f"' in line or "f'" in line if ROUND_IN_TEXT.search(line)]
    assert not found, "\n".join(found)
