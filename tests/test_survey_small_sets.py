"""The survey report's package path on small response sets: 5, 13, 25 and 29 responding municipalities.

Every call of notebook 02_survey runs without error, and every published count table holds
no count below the minimum cell size (the exact suppressed values are the privacy rules'
business, tested in test_survey_analysis.py and test_privacy.py).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from regiopole import privacy  # noqa: E402
from regiopole.example import default_dir  # noqa: E402
from regiopole.survey import analysis, benchmarks, figures, freetext, import_survey, likert, participation  # noqa: E402

MIN = 3


@pytest.fixture(scope="module")
def example(book, region):
    return import_survey(default_dir() / "survey_export.csv", book, region)


def responding(example, region, k: int) -> pd.DataFrame:
    """``k`` responses: the first ones of the example, then copies answering for the members that did not respond."""
    responses = example.responses.reset_index(drop=True)
    if k <= len(responses):
        return responses.iloc[:k].copy()
    missing = [a for a in region.ags if a not in set(responses["ags"])][: k - len(responses)]
    extra = responses.iloc[: len(missing)].copy()
    extra["ags"] = missing
    extra["response_id"] = [f"extra{i}" for i in range(len(missing))]
    return pd.concat([responses, extra], ignore_index=True)


@pytest.mark.parametrize("k", [5, 13, 25, 29])
def test_survey_report_runs_and_publishes_nothing_below_the_minimum(example, book, region, k, tmp_path):
    r = responding(example, region, k)
    assert r["ags"].nunique() == k
    # participation (which municipality answered) is published in full, like on the map: no answer counts
    assert len(participation.participation_table(region, r)) == len(region.ags)
    participation.response_rates(region, r, "kreis", MIN)
    participation.response_rates(region, r, "size", MIN, (10000, 20000, 50000, 100000))
    counts = []
    assert participation.response_rate_text(region, r)
    counts += [analysis.choice_table(r, book.question(c), MIN) for c in ("STAND", "PERSLAGE", "DIGIBEAUF", "STRATEGIE")]
    counts.append(analysis.numeric_table(r, book.question("VZAE"), (1, 3, 10), MIN))
    assert isinstance(analysis.numeric_median_text(r, book.question("VZAE"), MIN), str)
    for code in ("HUERDEN", "UNTERST"):
        question = book.question(code)
        counts.append(likert.likert_table(r, question, MIN))
        plt.close(figures.diverging_likert(likert.likert_frequencies(r, question, MIN), question, MIN, code))
        assert isinstance(likert.top_item(r, question, MIN), str)
    koop = book.question("KOOP")
    counts.append(analysis.multiple_table(r, koop, MIN))
    plt.close(figures.option_shares(analysis.multiple_frequencies(r, koop, MIN), "Zusammenarbeit"))
    counts.append(analysis.ranking_table(r, book.question("PRIO"), MIN))
    comparison, note = analysis.compare_groups(r, region, book, MIN, (20000,))
    assert isinstance(note, str)
    national = benchmarks.benchmark_table(r, book, benchmarks.load_benchmarks(book), MIN)
    plt.close(figures.benchmark_chart(national, region.name))
    assert isinstance(benchmarks.benchmark_sentence(national), str)
    correlation, note = benchmarks.inventory_correlation(r, book, tmp_path / "absent_inventory_index.csv")
    texts = freetext.redacted_texts(r, book, region, [])
    counts += [freetext.theme_table(texts, book, MIN), freetext.quotes(texts, book, MIN)]
    for table in counts[1:]:  # participation per municipality is no answer and may be shown
        privacy.assert_publishable(table, MIN)
