"""Report sentences of the survey (notebook 02_survey) with parameter values filled in."""

from __future__ import annotations

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
