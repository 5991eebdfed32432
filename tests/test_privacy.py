"""Minimum cell size with secondary suppression (property-based) and free-text redaction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regiopole import privacy
from regiopole.privacy import SUPPRESSED, assert_publishable, redact, suppress_counts, suppressed_mask

count_tables = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 6).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 12), min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
).map(lambda data: pd.DataFrame(data, columns=[f"c{j}" for j in range(len(data[0]))]))


def lines_are_protected(full: np.ndarray, mask: np.ndarray, min_cell_size: int) -> None:
    """Each line with a published total hides none, or >= 2 cells holding 0 or >= min_cell_size together."""
    for values, hidden in zip(full, mask, strict=True):
        if hidden[-1]:
            continue  # total not published: nothing to subtract from
        hidden_cells = hidden[:-1]
        if hidden_cells.any():
            assert hidden_cells.sum() >= 2
            assert values[:-1][hidden_cells].sum() == 0 or values[:-1][hidden_cells].sum() >= min_cell_size


@settings(max_examples=300, deadline=None)
@given(table=count_tables, min_cell_size=st.integers(2, 5), column_totals=st.booleans())
def test_no_small_value_is_published_or_recoverable(table, min_cell_size, column_totals):
    mask = suppressed_mask(table, min_cell_size, row_totals=True, column_totals=column_totals).to_numpy()
    full = table.to_numpy()
    full = np.column_stack([full, full.sum(axis=1)])
    if column_totals:
        full = np.vstack([full, full.sum(axis=0)])
    published = full[~mask]
    assert not ((published > 0) & (published < min_cell_size)).any()
    assert mask[(full > 0) & (full < min_cell_size)].all()  # primary suppression
    lines_are_protected(full, mask, min_cell_size)
    if column_totals:
        lines_are_protected(full.T, mask.T, min_cell_size)


@settings(max_examples=200, deadline=None)
@given(table=count_tables, min_cell_size=st.integers(2, 5), column_totals=st.booleans())
def test_published_values_are_unchanged_and_pass_the_guard(table, min_cell_size, column_totals):
    out = suppress_counts(table, min_cell_size, column_totals=column_totals)
    body = out.iloc[: len(table), : table.shape[1]]
    kept = body != SUPPRESSED
    assert (body[kept].fillna(-1).astype(float).to_numpy()[kept.to_numpy()] == table.to_numpy()[kept.to_numpy()]).all()
    assert_publishable(out, min_cell_size)


@settings(max_examples=100, deadline=None)
@given(table=count_tables)
def test_tables_without_small_counts_are_left_alone(table):
    big = table.where(table == 0, table + 3)  # every positive count now >= 4
    assert not suppressed_mask(big, 3).to_numpy().any()


def test_hand_checked_example():
    table = pd.DataFrame({"stimme zu": [1, 5], "neutral": [4, 7], "lehne ab": [6, 0]}, index=["A", "B"])
    out = suppress_counts(table, 3)
    assert out.loc["A"].tolist() == [SUPPRESSED, SUPPRESSED, 6, 11]  # 1 primary, 4 secondary (sum 5 >= 3)
    assert out.loc["B"].tolist() == [5, 7, 0, 12]


def test_a_line_below_the_minimum_is_suppressed_whole():
    out = suppress_counts(pd.DataFrame({"ja": [2], "nein": [0]}), 3)
    assert out.iloc[0].tolist() == [SUPPRESSED] * 3


def test_guard_raises_on_small_counts_and_accepts_markers():
    with pytest.raises(privacy.DisclosureError, match="minimum cell size 3"):
        assert_publishable(pd.DataFrame({"n": [10, 2]}), 3)
    with pytest.raises(privacy.DisclosureError):
        assert_publishable(pd.DataFrame({"n": ["10", "1"]}), 3)
    assert_publishable(pd.DataFrame({"n": [10, 0, SUPPRESSED], "Anteil": [0.5, 0.25, SUPPRESSED]}), 3)


def test_counts_must_be_whole_and_non_negative():
    with pytest.raises(ValueError, match="whole, non-negative"):
        suppress_counts(pd.DataFrame({"a": [1.5]}))
    with pytest.raises(ValueError, match="whole, non-negative"):
        suppress_counts(pd.DataFrame({"a": [-1]}))


@pytest.mark.parametrize("phone", [
    "05251 -88 16158", "05251/88-16158", "(05251) 88 16158", "+49 5251 88-16158", "+49 (0)5251 8816158",
    "0049 5251 881 6158", "0170 1234567", "0170/123 45 67", "05251-8816-158", "05251 8816158",
])
def test_german_phone_numbers_are_redacted(phone):
    out = redact(f"Bitte rufen Sie an: {phone}. Danke")
    assert out == f"Bitte rufen Sie an: {privacy.PHONE_TEXT}. Danke"
    assert not privacy.contains_personal_data(out)


@pytest.mark.parametrize("text", [
    "am 05.10.2021 um 10 Uhr", "0,5 VZÄ für 10.000 Einwohner", "Projekt 2021-2023", "Stufe 3 von 4", "ca. 25.000 EUR",
])
def test_numbers_that_are_no_phone_numbers_stay(text):
    assert redact(text) == text


def test_e_mail_urls_and_names_are_redacted():
    text = ("Fragen an Erika Mustermann (erika.mustermann@example.org) oder max [at] example.org; "
            "Notizen unter https://intranet.example.org/~emustermann/notizen.html, "
            "Profil https://www.example.org/mitarbeiter/max-mustermann, Konzept https://www.example.org/digitalisierung")
    out = redact(text, names=["Erika Mustermann", "Max Mustermann", "Mustermann"])
    assert "@" not in out and "[at]" not in out
    assert "Mustermann" not in out and "mustermann" not in out
    assert out.count(privacy.URL_TEXT) == 2
    assert "https://www.example.org/digitalisierung" in out
    assert "Fragen an [Name entfernt]" in out


def test_names_match_whole_words_and_any_case():
    out = redact("Herr MÜLLER und die Müllerstraße", names=["Müller"])
    assert out == "Herr [Name entfernt] und die Müllerstraße"


def test_url_with_listed_name_in_path_is_redacted():
    assert redact("siehe www.example.org/blog/erika_musterfrau", names=["Erika Musterfrau"]) == f"siehe {privacy.URL_TEXT}"


def test_places_are_replaced():
    assert redact("Wir in Bad Wünnenberg planen", places=["Bad Wünnenberg"]) == "Wir in [Ort] planen"


@settings(max_examples=200, deadline=None)
@given(user=st.from_regex(r"[a-z][a-z0-9._-]{0,12}[a-z0-9]", fullmatch=True),
       domain=st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z]", fullmatch=True),
       before=st.text(alphabet="abc äöü,.;:", max_size=20), after=st.text(alphabet="abc äöü,;:", max_size=20))
def test_any_e_mail_address_is_removed(user, domain, before, after):
    out = redact(f"{before} {user}@{domain}.org {after}")
    assert "@" not in out and privacy.EMAIL_TEXT in out


@settings(max_examples=200, deadline=None)
@given(area=st.from_regex(r"0[2-9]\d{2,3}", fullmatch=True), number=st.from_regex(r"[1-9]\d{4,7}", fullmatch=True),
       sep=st.sampled_from([" ", " -", "/", "-", " / "]))
def test_any_german_landline_number_is_removed(area, number, sep):
    out = redact(f"Tel. {area}{sep}{number[:2]} {number[2:]}")
    assert out == f"Tel. {privacy.PHONE_TEXT}"


def test_load_names(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("# Beispielnamen\nErika Mustermann\n\nMax Mustermann  # Kommentar\n", encoding="utf-8")
    assert privacy.load_names(path) == ["Erika Mustermann", "Max Mustermann"]
    assert privacy.load_names(None) == []
    with pytest.raises(FileNotFoundError, match="redact_names_file"):
        privacy.load_names(tmp_path / "missing.txt")


def test_guard_handles_suppressed_missing_cells():
    # a suppressed share is NaN in a float column (pandas 3 keeps it through astype(str))
    table = pd.DataFrame({"Anteil": [0.5, np.nan], "n": [12, np.nan], "Text": ["9 von 24", None]})
    privacy.assert_publishable(table, 3)
    with pytest.raises(privacy.DisclosureError):
        privacy.assert_publishable(pd.DataFrame({"n": [np.nan, 2.0]}), 3)
