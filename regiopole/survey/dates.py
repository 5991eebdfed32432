"""Dates of a LimeSurvey export in every form LimeSurvey or a spreadsheet writes them.

LimeSurvey writes the database string ``YYYY-MM-DD HH:MM:SS`` and, for every response of a
survey without date stamps, ``1980-01-01 00:00:00`` ("no date stamp", read as missing but
still submitted). After a re-save, Excel writes its locale's form: German ``04.10.2021 10:13``
(also ``04.10.21``), English ``10/4/2021 10:13`` or ``4/10/2021`` (day or month first: decided
from the column, refused when no value tells), an ISO form with ``T``, or a serial number
(days since 1899-12-30). Anything else is one clear error with row and column.
"""

from __future__ import annotations

import re

import pandas as pd

from regiopole.data import Problem

NO_DATE_STAMP = pd.Timestamp("1980-01-01 00:00:00")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$")
SERIAL = re.compile(r"^\d{4,5}(\.\d+)?$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _stamp(year: int, month: int, day: int, hour: str | None, minute: str | None, second: str | None,
           half: str | None = None) -> pd.Timestamp:
    h = int(hour or 0)
    if half:
        h = h % 12 + (12 if half.lower() == "pm" else 0)
    return pd.Timestamp(year=year, month=month, day=day, hour=h, minute=int(minute or 0), second=int(second or 0))


def _slash_order(values: list[str]) -> str | None:
    """'dm' or 'md' when some value of the column tells, else None."""
    firsts, seconds = [], []
    for v in values:
        m = SLASHED.match(v)
        if m:
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(2)))
    if any(f > 12 for f in firsts):
        return "dm"
    if any(s > 12 for s in seconds):
        return "md"
    return None


def parse_dates(values: list[str | None], heading: str, problems: list[Problem],
                first_row: int = 2) -> tuple[pd.Series, dict[str, int]]:
    """Timestamps of one column (missing: NaT) and how many values had each form."""
    texts = [None if v is None or not str(v).strip() else str(v).strip() for v in values]
    order = _slash_order([t for t in texts if t])
    forms: dict[str, int] = {}
    out: list[pd.Timestamp | None] = []
    for row, text in enumerate(texts, start=first_row):
        stamp, form = None, None
        try:
            if text is None:
                pass
            elif ISO.match(text):  # Excel's binary times may carry a few microseconds; LimeSurvey has seconds
                stamp, form = pd.Timestamp(text.replace("T", " ")).round("s"), "JJJJ-MM-TT"
            elif m := GERMAN.match(text):
                stamp, form = _stamp(_year(m.group(3)), int(m.group(2)), int(m.group(1)), *m.group(4, 5, 6)), "TT.MM.JJJJ"
            elif m := SLASHED.match(text):
                if order is None:
                    problems.append(Problem(row, heading, f"date {text!r} can be read day first or month first and no "
                                                          "value of the column tells; format the column as "
                                                          "YYYY-MM-DD HH:MM:SS, or export again from LimeSurvey"))
                    out.append(None)
                    continue
                a, b = int(m.group(1)), int(m.group(2))
                day, month = (a, b) if order == "dm" else (b, a)
                stamp, form = _stamp(_year(m.group(3)), month, day, *m.group(4, 5, 6), m.group(7)), "Schrägstrich"
            elif SERIAL.match(text):
                stamp, form = (EXCEL_EPOCH + pd.to_timedelta(float(text), unit="D")).round("s"), "Excel-Zahl"
        except ValueError:
            stamp = None
        if text is not None and stamp is None:
            problems.append(Problem(row, heading, f"expected a date such as 2021-10-04 10:13:00 or 04.10.2021 10:13, "
                                                  f"got {text!r}"))
        if stamp is not None and stamp == NO_DATE_STAMP:
            form, stamp = "ohne Zeitstempel (1980-01-01)", None
        if form:
            forms[form] = forms.get(form, 0) + 1
        out.append(stamp)
    return pd.Series(pd.to_datetime(pd.Series(out, dtype=object)), dtype="datetime64[ns]"), forms
