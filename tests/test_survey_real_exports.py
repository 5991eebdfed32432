"""Real LimeSurvey response exports as people re-saved them (../shared; skipped when absent).

The files belong to other surveys, so no codebook of this project fits them; the tests check
what the import reads before the codebook: the sheet, the heading row, every metadata,
sensitive and timing heading, the heading style, and the answer forms (full answers with
``N/A``; "Convert Y to 1") decoded as LimeSurvey meant them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from regiopole.survey.codebook import Field, Option, Question
from regiopole.survey.dates import parse_dates
from regiopole.survey.exportfile import read_export
from regiopole.survey.headings import METADATA, code_part, is_response_id, is_sensitive, is_timing, key
from regiopole.survey.limesurvey import decode_field

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(os.environ.get("REGIOPOLE_SHARED", ROOT.parent / "shared")) / "reference" / "limesurvey"
LS6 = REAL / "ls6_codetext_fullanswers_en.xlsx"
LS3 = REAL / "ls3_codes_excel_resaved.xlsx"
pytestmark = pytest.mark.skipif(not LS6.is_file() or not LS3.is_file(), reason="../shared/reference/limesurvey is absent")
META_KEYS = {key(h) for headings in METADATA.values() for h in headings}


def multiple(code: str, items: list[str]) -> Question:
    return Question(code, "multiple", {"en": code}, items=tuple(Option(i, {"en": i}) for i in items))


def test_limesurvey_6_code_and_text_full_answers():
    raw = read_export(LS6, drop=is_sensitive, is_id=is_response_id)
    assert raw.dialect.startswith("Excel (xlsx), Tabellenblatt 'Documentation of User Research' (das einzige Tabellenblatt)") and raw.header_row == 1
    assert len(raw.headings) == 356 and len(raw.rows) == 22
    assert all(code_part(h) for h in raw.headings)  # "code & text" throughout
    timings = [h for h in raw.headings if is_timing(h)]
    assert timings[:3] == ["interviewtime. Total time", "groupTime14613. Group time: Screening and professional profile",
                           "A1Time. Question time: A1"]
    assert timings == raw.headings[raw.headings.index("interviewtime. Total time"):]  # LimeSurvey puts them last
    assert [h for h in raw.headings if key(code_part(h)[1]) in META_KEYS] == raw.headings[:7]
    column = raw.headings.index("A2[SQ001]. Which of the following best describes your current or most recent role? "
                                "[User researcher]")
    field = Field("A2[SQ001]", multiple("A2", ["SQ001"]))
    values = [r[column] for r in raw.rows]
    problems: list = []
    decoded, forms = decode_field(field, values, raw.headings[column], problems)
    assert not problems and forms == {"N/A", "Antworttexte"}
    assert sum(v is pd.NA for v in decoded) == values.count("N/A") > 0  # N/A: not shown, not "not chosen"
    assert sum(v is True for v in decoded) == values.count("Yes") and sum(v is False for v in decoded) == values.count("No")
    comments = [h for h in raw.headings if code_part(h)[0].endswith("comment]")]
    assert "B4[SQ002comment]" in [code_part(h)[0] for h in comments] and comments[0].endswith("[UX researchers][Comment]")
    dates, date_forms = parse_dates([r[1] for r in raw.rows], raw.headings[1], problems)
    assert not problems and date_forms == {"JJJJ-MM-TT": 7} and dates.notna().sum() == 7  # 15 incomplete responses


def test_limesurvey_3_codes_convert_y_to_1_re_saved_by_excel():
    raw = read_export(LS3, drop=is_sensitive, title="Artifact Evaluation Survey", is_id=is_response_id)
    assert "Tabellenblatt 'Artifact Evaluation Survey' (nach der Umfrage benannt)" in raw.dialect
    assert len(raw.headings) == 227 and len(raw.rows) == 257 and not raw.null_marked
    timings = [h for h in raw.headings if is_timing(h)]
    assert timings == raw.headings[raw.headings.index("interviewtime"):] and {"groupTime5", "g0Time", "f3Time"} <= set(timings)
    assert not is_timing("g0[CICSE_Y2011]") and not is_timing("anonymized")
    codes = {h.split("[")[0].casefold() for h in raw.headings[:raw.headings.index("interviewtime")]}
    assert [h for h in raw.headings if is_timing(h, codes)] == timings[:-1]  # f3Time: f3 is not in this export
    assert not is_timing("OVERTIME", {"koop"}) and is_timing("KOOPTime", {"koop"})
    items = [h[3:-1] for h in raw.headings if h.startswith("g0[")]
    question = multiple("g0", items)
    problems: list = []
    chosen = 0
    for item in items:
        values = [r[raw.headings.index(f"g0[{item}]")] for r in raw.rows]
        decoded, forms = decode_field(Field(f"g0[{item}]", question), values, f"g0[{item}]", problems)
        assert set(values) <= {"1", ""} and forms <= {"Y als 1"}
        chosen += sum(v is True for v in decoded)
    assert not problems and chosen > 0
    dates, _ = parse_dates([r[1] for r in raw.rows], "submitdate", problems)
    assert not problems and dates.dt.year.dropna().eq(2019).all()
