"""Invented card texts for the example workshops, echoing the presentation's findings.

``TEMPLATES`` maps the theme a card is meant to express to (category, text) pairs;
``{slot}`` placeholders are filled from ``SLOTS``. ``LOOSE_CARDS`` are cards the codebook
is not meant to recognise (category, text, manual theme or None): they exercise the list
of uncoded cards and the manual coding. All texts are invented for the example data.
"""

from __future__ import annotations

SLOTS = {
    "verwaltung": ["kleinen Kommunen", "unserer Verwaltung", "den Rathäusern", "den Fachämtern", "kleineren Gemeinden"],
    "anwendung": ["E-Akte", "Online-Anträge", "Ratsinformationssystem", "Bürgerportal", "Online-Terminbuchung",
                  "Online-Bezahlung", "digitalen Bauantrag", "Mängelmelder"],
    "jahr": ["2023", "2024", "2025"],
}

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "projektmanagement": [
        ("huerde", "Fehlende Projektmanagementstrukturen in {verwaltung}"),
        ("huerde", "Keine klaren Zuständigkeiten für Digitalisierungsprojekte"),
        ("huerde", "Projektleitung läuft nebenbei mit"),
        ("huerde", "Es fehlt ein Projektplan für die Einführung: {anwendung}"),
        ("huerde", "Vorhaben werden ohne Priorisierung begonnen"),
        ("chance", "Einheitliches Projektmanagement macht Vorhaben planbar"),
        ("idee", "Projektmanagement-Handbuch für alle Kommunen der Region"),
        ("idee", "Projektsteuerung für {anwendung} zentral bündeln"),
        ("ziel", "Klare Verantwortlichkeiten für jedes Digitalisierungsprojekt bis {jahr}"),
    ],
    "personal": [
        ("huerde", "Zu wenig Personal für die Digitalisierung"),
        ("huerde", "Personalmangel in der IT"),
        ("huerde", "Offene Stellen in der IT bleiben lange unbesetzt"),
        ("huerde", "Keine Zeit neben dem Tagesgeschäft"),
        ("huerde", "IT-Fachkräfte wandern in die Privatwirtschaft ab"),
        ("huerde", "Geringe personelle Ressourcen in {verwaltung}"),
        ("chance", "Attraktiver Arbeitgeber durch moderne Arbeitsplätze"),
        ("idee", "Stellenplan um Digitalisierungsstellen erweitern"),
        ("ziel", "Ausreichend Personal für Digitalisierungsprojekte bis {jahr}"),
    ],
    "digitale_kompetenzen": [
        ("huerde", "Lücken bei digitalen Kompetenzen der Beschäftigten"),
        ("huerde", "Know-how zur Einführung fehlt: {anwendung}"),
        ("huerde", "Wissenslücken bei Datenschutz und IT-Sicherheit"),
        ("huerde", "Wenig digitale Affinität in {verwaltung}"),
        ("chance", "Junge Kolleginnen und Kollegen bringen digitale Kompetenz mit"),
        ("ziel", "Digitale Kompetenz in allen Fachämtern stärken"),
    ],
    "interkommunale_zusammenarbeit": [
        ("huerde", "Interkommunale Zusammenarbeit scheitert am Abstimmungsaufwand"),
        ("huerde", "Rechtliche Unsicherheit bei Kooperationen (Umsatzsteuer)"),
        ("chance", "Interkommunale Zusammenarbeit spart Kosten"),
        ("chance", "Das Oberzentrum stellt zentrale Infrastruktur bereit"),
        ("chance", "Leistungen von einer Kommune für alle nutzen"),
        ("chance", "Kooperation mit den Nachbarkommunen: {anwendung}"),
        ("idee", "Gemeinsamer Betrieb: {anwendung}"),
        ("idee", "Shared Service Center für die Region"),
        ("idee", "Gemeinsames Rechenzentrum mit dem Kreis"),
        ("ziel", "Interkommunale Zusammenarbeit verbindlich regeln"),
    ],
    "wissensplattform": [
        ("chance", "Wissensplattform für alle Kommunen der Region"),
        ("chance", "Wissenstransfer zwischen großen und kleinen Kommunen"),
        ("chance", "Best Practices anderer Kommunen nutzen"),
        ("idee", "Regionales Wiki mit Musterlösungen"),
        ("idee", "Plattform für Erfahrungen mit: {anwendung}"),
        ("idee", "Wissensdatenbank zu OZG-Leistungen"),
    ],
    "beschaffung": [
        ("chance", "Bündelung von Aufträgen senkt Kosten"),
        ("chance", "Gemeinsame Beschaffung von Hard- und Software"),
        ("chance", "Rahmenverträge für die ganze Region"),
        ("huerde", "Vergaberecht macht jede Anschaffung langwierig"),
        ("idee", "Einkaufsgemeinschaft für Lizenzen"),
        ("idee", "Gemeinsame Ausschreibung: {anwendung}"),
    ],
    "organisationskultur": [
        ("huerde", "Silodenken zwischen den Fachämtern"),
        ("huerde", "Wenig Veränderungsbereitschaft in {verwaltung}"),
        ("huerde", "Starre Hierarchien bremsen Entscheidungen"),
        ("chance", "Veränderung der Organisationskultur"),
        ("chance", "Mehr Flexibilität in der Arbeitsorganisation"),
        ("chance", "Agile Methoden in kleinen Vorhaben ausprobieren"),
        ("chance", "Führungskräfte als Vorbilder für den Wandel"),
        ("ziel", "Offenheit für neue Arbeitsweisen schaffen"),
    ],
    "standardisierung": [
        ("huerde", "Viele Insellösungen ohne Schnittstellen"),
        ("huerde", "Medienbrüche zwischen Fachverfahren"),
        ("huerde", "Fachverfahren sind nicht kompatibel"),
        ("chance", "Systeme statt Einzellösungen"),
        ("chance", "Gemeinsame Schnittstellen erleichtern den Datenaustausch"),
        ("chance", "Einheitliche Standards: {anwendung}"),
        ("idee", "Regionaler Standard für Online-Formulare"),
        ("ziel", "Gemeinsame Standards für alle Kommunen bis {jahr}"),
    ],
    "innovationspartnerschaft": [
        ("chance", "Innovationspartnerschaften in der Vergabe nutzen"),
        ("chance", "Mit der Hochschule vor Ort neue Lösungen erproben"),
        ("chance", "Start-ups aus der Region einbinden"),
        ("idee", "Reallabor für digitale Verwaltung"),
        ("idee", "Pilotpartner aus der Wirtschaft gewinnen: {anwendung}"),
    ],
    "schulungen": [
        ("huerde", "Schulungen sind zu teuer für {verwaltung}"),
        ("idee", "Schulungsangebote für Kommunen entwickeln"),
        ("idee", "E-Learning zum Thema {anwendung}"),
        ("idee", "Fortbildungsreihe Digitalisierung für alle Beschäftigten"),
        ("idee", "Qualifizierung zur Digitallotsin / zum Digitallotsen"),
        ("ziel", "Jede Kommune hat geschulte Ansprechpersonen bis {jahr}"),
    ],
    "austauschformate": [
        ("chance", "Interkommunaler Austausch unter Kolleginnen und Kollegen"),
        ("idee", "Regelmäßige Treffen der Digitalisierungsbeauftragten"),
        ("idee", "Stammtisch Digitalisierung im Kreis"),
        ("idee", "Arbeitskreis gründen: {anwendung}"),
        ("idee", "Netzwerk der Digitallotsen"),
        ("ziel", "Austauschformate für Digitalisierungsbeauftragte ausbauen"),
    ],
}

#: Cards outside the codebook's words: (category, text, manual theme or None).
LOOSE_CARDS = [
    ("idee", "Bürgerinnen und Bürger früher beteiligen", None),
    ("huerde", "Förderprogramme sind unübersichtlich", None),
    ("huerde", "Breitbandausbau in den Ortsteilen fehlt", None),
    ("ziel", "Mehr Tempo bei der OZG-Umsetzung", None),
    ("huerde", "Datenschutz bremst viele Vorhaben", None),
    ("huerde", "Jede Kommune schreibt einzeln aus", "beschaffung"),
    ("huerde", "Angst vor Fehlern", "organisationskultur"),
    ("chance", "Von den Erfahrungen der anderen lernen", "austauschformate"),
    ("huerde", "Wissen geht bei Personalwechsel verloren", "wissensplattform"),
]

#: Cards with (invented) contact details, as people write them on cards; redacted before publication.
CONTACT_CARDS = [
    ("schulungen", "idee", "Schulungstermine bitte abstimmen: anna.beispiel@example.org"),
    ("austauschformate", "idee", "Interesse am Arbeitskreis? Rückruf unter 01234 567890"),
]
