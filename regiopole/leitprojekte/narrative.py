"""Method sentences of the lead-project report (notebook 05_leitprojekte) with parameter values filled in."""

from __future__ import annotations

from regiopole.narrative import count
from regiopole.privacy.notes import audit_note
from regiopole.style import german_number, german_percent

POLL_MEASURES = {"borda": "als Borda-Wert (Borda-Punkte geteilt durch die höchstmöglichen Punkte)",
                 "approval": "als Zustimmungsanteil"}


def selection_intro(poll_measure: str, poll_weight: float, selected: int) -> str:
    """How poll and criteria are combined and how many projects are selected."""
    measure = POLL_MEASURES.get(poll_measure, poll_measure)
    return ("Die Online-Abfrage geht als sechster Wert in dieselbe gewichtete Summe ein, hier "
            f"{measure}, zwischen 0 und 1. Ihr Gewicht ist {german_percent(poll_weight)} des Gesamtwerts; die "
            f"Kriteriengewichte teilen sich den Rest. Ausgewählt werden die ersten {count(selected, 'Projekt', 'Projekte')} "
            "des Gesamtrangs; bei einem Gleichstand an der Grenze alle gleichplatzierten. Die Tabelle zeigt beide Quellen "
            "nebeneinander, damit sichtbar bleibt, wo Abfrage und Bewertung auseinandergehen.")


def stability_intro(n_samples: int, concentration: float, top_k: int, oat_change: float) -> str:
    """The two sensitivity checks with their settings."""
    return ("Gewichte sind eine Setzung. Zwei Prüfungen zeigen, ob die Auswahl davon abhängt:\n\n"
            f"- **Zufällige Gewichte:** {german_number(n_samples)} Gewichtsvektoren werden zufällig um die gewählten Gewichte "
            f"gezogen (Dirichlet-Verteilung mit Konzentration {german_number(concentration)}: je größer dieser Wert, desto näher "
            "an den gewählten Gewichten; Gewicht 0 bleibt 0). Für jedes Projekt werden der Anteil der Ziehungen unter den "
            f"ersten {german_number(top_k)} und die Spanne seiner Ränge berichtet. Ein Projekt **kippt**, wenn es in mehr als "
            f"5 % der Ziehungen anders als bei den gewählten Gewichten in oder aus den ersten {german_number(top_k)} fällt.\n"
            f"- **Einzeländerung:** Jedes Gewicht wird einzeln um {german_percent(oat_change)} gesenkt und erhöht, die übrigen "
            "behalten ihr Verhältnis und werden so angepasst, dass die Summe 1 bleibt.")


def stability_figure_text(top_k: int) -> str:
    """What the stability figure shows."""
    return ("**Was zeigt die Abbildung?** Links die Ränge, die ein Projekt bei zufälligen Gewichten einnimmt: die dünne Linie "
            "von bestem bis schlechtestem Rang, der Balken die mittleren 90 % der Ziehungen, der Punkt der Rang bei den "
            "gewählten Gewichten. Rechts der Anteil der Ziehungen, in denen das Projekt unter den ersten "
            f"{german_number(top_k)} liegt. Rot markierte Projekte kippen: Ihre Zugehörigkeit zur Spitzengruppe hängt von den "
            "Gewichten ab. Benachbarte Plätze, die oft tauschen:")


def privacy_text(min_cell_size: int) -> str:
    """The privacy rule of the poll with the minimum cell size used."""
    m = german_number(min_cell_size)
    return (f"- Datenschutz: Welche Kommunen an der Abfrage teilgenommen haben, wird je Kommune gezeigt. Eine Zahl von "
            f"Zustimmungen oder Reihungen erscheint deshalb nur, wenn mindestens {m} teilnehmende Kommunen so und mindestens "
            f"{m} anders abgestimmt haben (Mindestfallzahl): „keine einzige Zustimmung“ oder „alle stimmen zu“ würde die Stimme "
            "jeder genannten Kommune verraten. Sonst steht „.“ – es kann für „sehr wenige“ wie für „fast alle“ stehen –, ebenso "
            "bei den darauf beruhenden Anteilen, Rängen und mittleren Rängen. Ein Borda-Wert von 0 oder 1 (alle reihenden "
            "Kommunen setzen ein Projekt ans Ende oder an die Spitze) wird ebenfalls nicht gezeigt. Die Übereinstimmung der "
            "Verfahren beruht nur auf gezeigten Rängen. Einzelne Stimmen und Reihungen erscheinen nirgends.\n\n"
            + audit_note())
