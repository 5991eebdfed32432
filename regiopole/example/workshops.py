"""Example data of the workshops and the goal tree: cards, goal tree, dot votes on the tree.

All invented. Two thematic workshops and one overarching workshop, several groups each;
every workshop weights the themes differently (the thematic workshops lean towards their
topic), hurdles dwell on project management, staff and digital skills, chances on
cooperation, platforms, bundling, culture and standards, as in the presentation. A few
cards carry a manual theme, a few match no theme of the codebook, two carry contact
details that must be redacted before publication. The goal tree has the node ids and
titles the lead-project example data refers to.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from regiopole.data import Region
from regiopole.example.common import write_csv, write_yaml
from regiopole.example.workshop_texts import CONTACT_CARDS, LOOSE_CARDS, SLOTS, TEMPLATES

THEMES = list(TEMPLATES)
#: workshop name, groups, theme weights (default 1.0)
WORKSHOPS = [
    ("Workshop 1: Digitale Anwendungen und Infrastruktur", "ABC",
     {"standardisierung": 3.0, "interkommunale_zusammenarbeit": 3.0, "beschaffung": 3.0, "innovationspartnerschaft": 2.0,
      "wissensplattform": 1.5, "projektmanagement": 1.5, "organisationskultur": 0.5, "schulungen": 0.5}),
    ("Workshop 2: Kompetenzen und Organisation", "ABC",
     {"personal": 3.0, "digitale_kompetenzen": 3.0, "projektmanagement": 3.0, "organisationskultur": 2.5, "schulungen": 2.5,
      "austauschformate": 1.5, "wissensplattform": 1.5, "standardisierung": 0.5, "beschaffung": 0.5, "innovationspartnerschaft": 0.5}),
    ("Workshop 3: Übergreifender Workshop / Zukunftswerkstatt", "AB",
     {"interkommunale_zusammenarbeit": 2.5, "wissensplattform": 2.0, "austauschformate": 2.0, "personal": 1.5,
      "projektmanagement": 1.5, "schulungen": 1.5}),
]
CARDS_PER_GROUP = (15, 21)
MANUAL_SHARE = 0.06
PRIORITY_WORKSHOP = "Zielworkshop: Priorisierung des Zielbaums"
PRIORITY_GROUPS = "ABC"
DOTS_PER_GROUP = (18, 28)
#: How attractive each node is for dots in the example (measures mostly; the goal never).
NODE_APPEAL = {"Z1": 0.6, "Z2": 0.6, "Z3": 0.3, "Z4": 0.4, "M11": 3.0, "M12": 2.5, "M21": 1.2, "M22": 1.8, "M23": 2.2,
               "M31": 1.4, "M32": 0.6, "M41": 2.0, "M42": 2.4}


def fill(template: str, rng: np.random.Generator) -> str:
    """Fill the ``{slot}`` placeholders of a template with random choices."""
    return template.format(**{slot: str(rng.choice(values)) for slot, values in SLOTS.items()})


def group_cards(rng: np.random.Generator, weights: dict[str, float]) -> list[dict]:
    """Random cards of one group: theme by workshop weight, then a template of that theme."""
    p = np.array([weights.get(theme, 1.0) for theme in THEMES])
    cards = []
    for theme in rng.choice(THEMES, size=int(rng.integers(*CARDS_PER_GROUP, endpoint=True)), p=p / p.sum()):
        category, template = TEMPLATES[theme][int(rng.integers(len(TEMPLATES[theme])))]
        manual = theme if rng.random() < MANUAL_SHARE else None
        votes = min(8, int(rng.poisson(0.6 + 0.6 * weights.get(theme, 1.0))))
        cards.append({"category": category, "text": fill(template, rng), "votes": votes, "manual_theme": manual})
    return cards


def extra_cards(rng: np.random.Generator) -> list[dict]:
    """The loose and the contact cards, each with random votes."""
    loose = [{"category": c, "text": t, "votes": int(rng.integers(0, 4)), "manual_theme": m} for c, t, m in LOOSE_CARDS]
    contact = [{"category": c, "text": t, "votes": int(rng.integers(0, 3)), "manual_theme": None} for _theme, c, t in CONTACT_CARDS]
    return loose + contact


def cards_table(rng: np.random.Generator) -> pd.DataFrame:
    """All cards of all workshops; extra cards are spread over random walls."""
    walls = {(w, g): group_cards(rng, weights) for w, (_name, groups, weights) in enumerate(WORKSHOPS) for g in groups}
    keys = list(walls)
    for card in extra_cards(rng):
        wall = walls[keys[int(rng.integers(len(keys)))]]
        wall.insert(int(rng.integers(len(wall) + 1)), card)
    rows = [{"card_id": f"W{w + 1}-{g}-{k:02d}", "workshop": WORKSHOPS[w][0], "group": f"Gruppe {g}", **card}
            for (w, g), wall in walls.items() for k, card in enumerate(wall, start=1)]
    return pd.DataFrame(rows, columns=["card_id", "workshop", "group", "category", "text", "votes", "manual_theme"])


def goal_tree(region: Region) -> list[dict]:
    """The example goal tree (ids and titles shared with the lead-project example data)."""
    city = f"Stadt {region.oberzentrum_name}"
    association = region.association or f"Geschäftsstelle der {region.name}"
    municipalities = f"Kommunen der {region.name}"

    def node(node_id, title, kind, parent, horizon, responsible, indicator, target_date):
        return {"id": node_id, "title": title, "type": kind, "parent": parent, "horizon": horizon,
                "responsible": responsible, "indicator": indicator, "target_date": target_date}

    return [
        node("Z0", "Digitale Verwaltung in der Regiopolregion gemeinsam stärken", "goal", None, "langfristig",
             f"{city}, Stadtplanungsamt (Projektleitung)", "Zahl der Kommunen, die sich an mindestens einem Leitprojekt beteiligen", "2027-12-31"),
        node("Z1", "Digitale Kompetenz stärken", "subgoal", "Z0", "mittelfristig", f"{city}, Stabsstelle Digitalisierung",
             "Anteil der Kommunen mit geschulten Ansprechpersonen", "2024-12-31"),
        node("M11", "Schulungsangebote für Kommunen entwickeln", "measure", "Z1", "kurzfristig", f"{city}, Abteilung E-Government",
             "Zahl der Schulungstermine je Jahr", "2023-06-30"),
        node("M12", "Austauschformate für Digitalisierungsbeauftragte ausbauen", "measure", "Z1", "kurzfristig", association,
             "Zahl der Austauschtreffen je Jahr", "2023-03-31"),
        node("Z2", "Interkommunale Zusammenarbeit ausbauen", "subgoal", "Z0", "mittelfristig", association,
             "Zahl der Kooperationsvereinbarungen", "2025-12-31"),
        node("M21", "Zentrale Infrastruktur durch das Oberzentrum bereitstellen", "measure", "Z2", "langfristig", city,
             "Zahl der Kommunen, die zentrale Dienste des Oberzentrums nutzen", "2026-12-31"),
        node("M22", "Aufträge und Beschaffung bündeln", "measure", "Z2", "mittelfristig", f"Kreise und {municipalities}",
             "Zahl gemeinsamer Ausschreibungen", "2024-12-31"),
        node("M23", "Regionale Wissensplattform aufbauen", "measure", "Z2", "mittelfristig", association,
             "Zahl aktiver Nutzerinnen und Nutzer der Plattform", "2024-06-30"),
        node("Z3", "Gemeinsame Standards und Schnittstellen", "subgoal", "Z0", "mittelfristig", f"{city}, Abteilung E-Government",
             "Anteil der Kommunen, die die vereinbarten Standards anwenden", "2025-12-31"),
        node("M31", "Gemeinsame Schnittstellen und Standards vereinbaren", "measure", "Z3", "mittelfristig", f"{city}, Abteilung E-Government",
             "Zahl vereinbarter Standards", "2025-06-30"),
        node("M32", "Innovationspartnerschaften in der Vergabe nutzen", "measure", "Z3", "langfristig", f"Vergabestellen der {municipalities}",
             "Zahl der Vergaben als Innovationspartnerschaft", "2026-12-31"),
        node("Z4", "Projektmanagement und Organisationskultur stärken", "subgoal", "Z0", "langfristig", municipalities,
             "Anteil der Kommunen mit festgelegter Projektverantwortung", "2026-12-31"),
        node("M41", "Projektmanagement-Strukturen aufbauen", "measure", "Z4", "kurzfristig", municipalities,
             "Anteil der Digitalisierungsprojekte mit Projektplan", "2023-12-31"),
        node("M42", "Personal für die Digitalisierung gewinnen und halten", "measure", "Z4", "langfristig", municipalities,
             "Besetzungsquote der Digitalisierungsstellen", "2027-12-31"),
    ]


def goal_votes(rng: np.random.Generator) -> pd.DataFrame:
    """Dots of each group of the prioritisation workshop on the goal-tree nodes (rows with dots only)."""
    nodes = list(NODE_APPEAL)
    p = np.array(list(NODE_APPEAL.values()))
    rows = []
    for group in PRIORITY_GROUPS:
        dots = rng.multinomial(int(rng.integers(*DOTS_PER_GROUP, endpoint=True)), p / p.sum())
        rows += [{"workshop": PRIORITY_WORKSHOP, "group": f"Gruppe {group}", "node_id": n, "votes": int(d)}
                 for n, d in zip(nodes, dots, strict=True) if d > 0]
    return pd.DataFrame(rows, columns=["workshop", "group", "node_id", "votes"])


TREE_HEADER = """\
# Example goal tree (Zielbaum), written by `regiopole example`; do not edit by hand.
# Invented horizons, responsibilities, indicators and dates; format: data/README.md.
"""


def generate(out_dir: Path, rng: np.random.Generator, region: Region) -> list[Path]:
    """Write ``workshop_cards.csv``, ``goal_tree.yaml`` and ``goal_votes.csv``."""
    return [
        write_csv(cards_table(rng), out_dir / "workshop_cards.csv"),
        write_yaml(goal_tree(region), out_dir / "goal_tree.yaml", header=TREE_HEADER),
        write_csv(goal_votes(rng), out_dir / "goal_votes.csv"),
    ]
