"""German plain-language notes for the method sections: what the disclosure audit covers, what a person must still check.

Each report's privacy text (survey, workshops, poll) ends with :func:`audit_note`; ``data/README.md``
says the same for the research team.
"""

from __future__ import annotations


def audit_note() -> str:
    """Two German paragraphs: what the audit of all published tables checks, and what it cannot check."""
    return ("**Prüfung aller Tabellen zusammen:** Nach jedem Lauf rechnet eine Prüfung nach, was sich aus allen "
            "veröffentlichten Tabellen zusammen ermitteln lässt – so, wie es eine Leserin oder ein Leser mit Summen, "
            "Anteilen, Salden und Vergleichen versuchen könnte. Lässt sich dabei ein unterdrückter Wert auf eine kleine Zahl "
            "eingrenzen oder die Stimme einer genannten Kommune ablesen, werden die Ergebnisse nicht veröffentlicht. Jede "
            "Tabelle aus Befragung, Workshops und Online-Abfrage wird so geprüft; ausgenommen sind nur Tabellen aus "
            "öffentlichen Daten (amtliche Statistik, öffentliche Bestandsaufnahme, Regionsdaten) und Tabellen ohne Anzahlen, "
            "die jeweils mit Begründung als solche gekennzeichnet sind.\n\n"
            "**Von Hand zu prüfen bleibt:** Namen in Freitexten, die weder auf der Namensliste des Projekts stehen noch nach "
            "einer Anrede oder Funktion folgen (etwa „Frau“ oder „Bürgermeister“); Angaben, die eine Person oder Kommune "
            "ohne Namen erkennbar machen (etwa „als einzige Kommune im Kreis“); Abbildungen und Sätze, die die Prüfung nicht "
            "liest; und Wissen von außen, zum Beispiel wer in welcher Arbeitsgruppe saß. Werden Ergebnisse mehrmals "
            "veröffentlicht, während noch Antworten eingehen, verrät der Unterschied die Antworten der neu hinzugekommenen "
            "Kommunen. Das Projekt veröffentlicht die Ergebnisse der Befragung und der Abfrage deshalb nur einmal, nach dem "
            "Ende des Erhebungszeitraums.")
