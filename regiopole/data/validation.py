"""Validate a table read by :func:`regiopole.data.io.read_table` against a pandera schema.

pandera collects every failure (``lazy=True``); this module turns them into one
:class:`DataValidationError` whose lines say file, row, column and what was expected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from regiopole.data.errors import DataValidationError, Problem
from regiopole.data.io import parse_decimal

if TYPE_CHECKING:  # imported where a table is checked: a kernel whose tables come from the cache needs no pandera
    import pandera.pandas as pa

DTYPE_WORDS = {
    "int": "a whole number",
    "float": "a number (decimal point or comma)",
    "datetime": "a date as YYYY-MM-DD",
    "bool": "yes or no",
}


def expected_type(check: str) -> str:
    """Describe in words the dtype named in a pandera ``coerce_dtype('...')`` check."""
    for key, words in DTYPE_WORDS.items():
        if key in check.lower():
            return words
    return check


def describe(check: str, column: str | None, value: object) -> tuple[str | None, str]:
    """Return (column, message) for one pandera failure case."""
    shown = repr(str(value)) if value is not None and not pd.isna(value) else "an empty cell"
    if check == "column_in_dataframe":
        return str(value), "column missing; add it with this exact heading"
    if check == "not_nullable":
        return column, "value missing; this column must be filled"
    if check == "field_uniqueness":
        return column, f"duplicate value {shown}; each value may occur only once"
    if check == "multiple_fields_uniqueness":
        return column, f"duplicate combination {shown}; each combination may occur only once"
    if check.startswith("coerce_dtype"):
        return column, f"expected {expected_type(check)}, got {shown}"
    return column, f"expected {check}, got {shown}"


def problems_from(failures: pd.DataFrame, first_row: int) -> list[Problem]:
    """Translate pandera's failure cases into sorted, de-duplicated problems."""
    coerced = {(r.column, r.index) for r in failures.itertuples() if str(r.check).startswith("coerce_dtype")}
    columns_with_coercion_failures = {c for c, _ in coerced}
    problems: set[Problem] = set()
    for r in failures.itertuples():
        check = str(r.check)
        if check.startswith("dtype(") and (r.column, r.index) in coerced:
            continue  # the coercion failure already says it
        if r.index is None and r.column in columns_with_coercion_failures:
            continue  # a check that could not run because values were not converted
        if check == "dtype('str')" or (check.startswith("dtype(") and r.index is None):
            continue
        row = None if r.index is None or pd.isna(r.index) else int(r.index) + first_row
        column = None if pd.isna(r.column) else str(r.column)
        if r.schema_context == "DataFrameSchema" and check == "multiple_fields_uniqueness":
            column = column or "key"
        column, message = describe(check, column, r.failure_case)
        problems.add(Problem(row, column, message))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.message))


def normalise_decimals(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Accept decimal commas in float columns (an in-memory copy; the file is untouched)."""
    out = df.copy()
    for name, column in schema.columns.items():
        if name in out and column.dtype is not None and "float" in str(column.dtype):
            out[name] = parse_decimal(out[name].astype("string")).astype(object)
    return out


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Return the validated, type-converted table or raise one error listing every problem."""
    source = df.attrs.get("source", "<table>")
    first_row = int(df.attrs.get("first_row", 2))
    if df.empty and len(df.columns) == 0:
        raise DataValidationError(source, [Problem(None, None, "table has no header row")])
    if df.empty:
        raise DataValidationError(source, [Problem(None, None, "table has a header but no data rows")])
    from pandera.errors import SchemaErrors

    try:
        out = schema.validate(normalise_decimals(df, schema), lazy=True)
    except SchemaErrors as err:
        problems = problems_from(err.failure_cases, first_row)
        dialect = str(df.attrs.get("dialect", ""))
        if dialect.startswith("xlsx") and any(p.message.startswith("column missing") for p in problems):
            problems.append(Problem(None, None, f"read from {dialect}; if the data is on another sheet or the "
                                                "headings are in another row, choose that sheet or remove the rows "
                                                "above the headings"))
        raise DataValidationError(source, problems) from None
    out.attrs = dict(df.attrs)
    return out
