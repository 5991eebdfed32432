"""Stakeholder text of the survey report: values in words, no file names, column codes or addresses."""

import re

import pandas as pd

from regiopole.survey import narrative

CODE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\.csv\b|https?://")


def test_file_facts_name_no_file_and_no_column_codes() -> None:
    facts = {"Datei": "survey_export.csv", "Format": "Textdatei (CSV)", "Datumsangaben": "JJJJ-MM-TT (81), TT.MM.JJJJ (1)",
             "Nicht gezeigt erkannt aus": "Fragebogenlogik",
             "Nicht eingelesene Spalten (personenbezogen)": "token, ipaddr, refurl, attribute_1",
             "Nicht eingelesene Spalten (Bearbeitungszeiten)": "interviewtime, groupTime5, groupTime6"}
    shown = narrative.file_facts_table(facts)
    text = " ".join(f"{k} {v}" for k, v in shown.items())
    assert not CODE.search(text), text
    assert shown["Datumsangaben"] == "JJJJ-MM-TT (81 Angaben), TT.MM.JJJJ (1 Angabe)"
    assert shown["Nicht eingelesene Spalten (personenbezogen)"] == (
        "Zugangsschlüssel, IP-Adresse, Adresse der verweisenden Webseite, Teilnehmermerkmal 1")
    assert shown["Nicht eingelesene Spalten (Bearbeitungszeiten)"] == (
        "Gesamtbearbeitungszeit, Bearbeitungszeit einer Fragengruppe (2-mal)")
    assert "token" not in text and "Datei" not in shown


def test_german_headings_of_an_export_stay_as_written() -> None:
    assert narrative.columns_text("Zugangsschlüssel, Gesamtzeit") == "Zugangsschlüssel, Gesamtzeit"
    assert narrative.columns_text("keine") == "keine"


NATIONAL = pd.DataFrame({
    "Kennzahl": ["A", "B", "C"], "Region": ["1 von 3 (33 %)"] * 3, "Anteil Region (%)": [33.3] * 3,
    "Bundesweit": ["40 %"] * 3, "Anteil bundesweit (%)": [40.0] * 3,
    "Quelle": ["Studie X (Herausgeber, 2022); https://www.example.org/studie/x_2022.html",
               "Studie X (Herausgeber, 2022; 900 Befragte); https://www.example.org/studie/x_2022.html",
               "Studie Y ohne Adresse"],
    "Vergleichbarkeit": ["gleich"] * 3})


def test_benchmark_table_names_sources_and_links_each_address_once() -> None:
    shown = narrative.benchmark_shown(NATIONAL)
    assert list(shown.columns) == ["Kennzahl", "Region", "Bundesweit", "Quelle", "Vergleichbarkeit"]
    assert shown["Quelle"].tolist() == ["Studie X (Herausgeber, 2022)", "Studie X (Herausgeber, 2022; 900 Befragte)",
                                        "Studie Y ohne Adresse"]
    links = narrative.benchmark_sources_text(NATIONAL)
    assert links == "**Quellen im Internet:** [Studie X (www.example.org)](https://www.example.org/studie/x_2022.html)."
    assert NATIONAL["Quelle"].str.contains("https://").sum() == 2  # the saved table keeps the addresses
