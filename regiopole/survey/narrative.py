"""Report sentences of the survey (notebook 02_survey) with parameter values filled in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd

from regiopole.narrative import count
from regiopole.privacy.notes import audit_note
from regiopole.survey.codebook import Question
from regiopole.survey.selection import RULE_LABELS


def privacy_text(min_cell_size: int) -> str:
    """The privacy rule with the minimum cell size used in this report."""
    return (f"**Datenschutz:** Jede veröffentlichte Zahl beruht auf mindestens {count(min_cell_size, 'Antwort', 'Antworten')} "
            "(Mindestfallzahl); kleinere Werte – und Werte, aus denen sie sich zurückrechnen ließen – stehen als „.“. "
            "Antworten werden nie nach einzelnen Kommunen aufgeschlüsselt; nur die Teilnahme wird je Kommune gezeigt. "
            "Freitexte werden vor der Anzeige geschwärzt (E-Mail-Adressen, Telefonnummern, persönliche Links, Namen, "
            "Ortsnamen). IP-Adressen und Zugangsschlüssel aus dem Export werden gar nicht erst eingelesen.\n\n"
            + audit_note())


def import_rules_text(include_incomplete: bool, duplicate_rule: str) -> str:
    """Which responses count: incomplete ones or not, and the rule for repeated responses."""
    incomplete = ("Unvollständige Antworten (ohne Abschlussdatum) zählen in diesem Bericht mit"
                  if include_incomplete else "Unvollständige Antworten (ohne Abschlussdatum) zählen in diesem Bericht nicht")
    return f"{incomplete}. Hat eine Kommune mehrmals geantwortet: {RULE_LABELS[duplicate_rule]}."


def items_intro(question: Question) -> str:
    """How many statements a Likert question had, e.g. for the hurdles."""
    return (f"Die Kommunen haben für {count(len(question.items), 'mögliche Hürde', 'mögliche Hürden')} angegeben, "
            "wie sehr sie zustimmen (fünfstufige Skala).")


# LimeSurvey's names of the columns that are never read, as a reader knows them
COLUMN_NAMES = {"token": "Zugangsschlüssel", "ipaddr": "IP-Adresse", "refurl": "Adresse der verweisenden Webseite",
                "firstname": "Vorname", "lastname": "Nachname", "email": "E-Mail-Adresse",
                "emailstatus": "E-Mail-Status", "interviewtime": "Gesamtbearbeitungszeit"}
TIMING_COLUMN = re.compile(r"^grouptime\d+$|time$", re.IGNORECASE)
ATTRIBUTE_COLUMN = re.compile(r"^attribute_(\d+)$", re.IGNORECASE)
DATE_COUNT = re.compile(r"\((\d+)\)")


def column_label(name: str) -> str:
    """A LimeSurvey column name in words ('ipaddr' -> 'IP-Adresse'); other headings stay as written."""
    text = name.strip()
    if text.lower() in COLUMN_NAMES:
        return COLUMN_NAMES[text.lower()]
    if attribute := ATTRIBUTE_COLUMN.match(text):
        return f"Teilnehmermerkmal {attribute.group(1)}"
    if TIMING_COLUMN.search(text) and " " not in text:
        return "Bearbeitungszeit einer Fragengruppe" if text.lower().startswith("grouptime") else "Bearbeitungszeit einer Frage"
    return text


def columns_text(columns: str) -> str:
    """'token, ipaddr, refurl' -> 'Zugangsschlüssel, IP-Adresse, Adresse der verweisenden Webseite' (repeats counted)."""
    if columns in ("", "keine"):
        return "keine"
    labels: dict[str, int] = {}
    for name in columns.split(", "):
        label = column_label(name)
        labels[label] = labels.get(label, 0) + 1
    return ", ".join(label if n == 1 else f"{label} ({n}-mal)" for label, n in labels.items())


def file_facts_table(facts: dict) -> dict[str, str]:
    """The facts about the export file as a council reads them: no file names, no column codes."""
    shown = {}
    for label, value in facts.items():
        value = str(value)
        if label == "Datei":
            shown["Gelesene Datei"] = "Antwortexport der Befragung aus LimeSurvey"
        elif label == "Datumsangaben":
            shown[label] = DATE_COUNT.sub(lambda m: f"({count(int(m.group(1)), 'Angabe', 'Angaben')})", value)
        elif label == "Nicht gezeigt erkannt aus":
            shown["Nicht gezeigte Fragen erkannt an"] = value
        elif label.startswith("Nicht eingelesene Spalten"):
            shown[label] = columns_text(value)
        else:
            shown[label] = value
    return shown


LINK = re.compile(r"; (https?://\S+)$")


def benchmark_shown(national: pd.DataFrame) -> pd.DataFrame:
    """The comparison table as shown: the shares stand in 'Region' and 'Bundesweit', sources by name
    (their addresses are the links of :func:`benchmark_sources_text`)."""
    shown = national.drop(columns=["Anteil Region (%)", "Anteil bundesweit (%)"])
    return shown.assign(Quelle=shown["Quelle"].str.replace(LINK, "", regex=True))


def benchmark_sources_text(national: pd.DataFrame) -> str:
    """Every source of the national figures once, as a link named after the source and its website."""
    links = []
    for source in dict.fromkeys(national["Quelle"]):
        if found := LINK.search(source):
            url = found.group(1)
            name = source[:found.start()].split(" (")[0]
            links.append(f"[{name} ({urlsplit(url).hostname})]({url})")
    return f"**Quellen im Internet:** {'; '.join(dict.fromkeys(links))}." if links else ""
