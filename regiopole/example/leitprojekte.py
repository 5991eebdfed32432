"""Example data of module 4 (lead projects): candidates, criteria scores and online-poll votes.

All invented. The candidates follow the project's goal tree (node ids of
``goal_tree.yaml``); the poll imitates the presentation's findings (training and exchange
formats popular, large infrastructure projects less so): each voter's preferences are the
candidates' popularity plus Gumbel noise (a Plackett-Luce model); most voters rank their
top 3-6 and approve their top 2-5, some only approve.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from regiopole.data import Region
from regiopole.example.common import write_csv

#: Lead roles, resolved per region by :func:`lead_name`: the Oberzentrum, the region's association
#: (region file ``association``, else its Geschäftsstelle), or the member at a population rank among the
#: other members, given as a fraction of the way from the largest (0) to the smallest (1).
OBERZENTRUM = ("oberzentrum", 0.0)
ASSOCIATION = ("association", 0.0)


def member(rank: int, of: int = 27) -> tuple[str, float]:
    """The member at population rank ``rank`` of ``of + 1`` other members, scaled to any region size."""
    return ("member", rank / of)


#: Size of the region the participant and voter counts below were set for; they scale with the region.
REFERENCE_SIZE = 29
#: id, title, goal node, lead role, horizon, cost EUR, funding, participants (min, max), popularity, description
CANDIDATES = [
    ("LP01", "Regionale Digitalakademie", "M11", OBERZENTRUM, "kurzfristig", 180_000, "Förderprogramm (Beispiel)", (18, 26), 2.0,
     "Gemeinsames Schulungsprogramm für Beschäftigte der Kommunalverwaltungen: Grundlagen der Digitalisierung, OZG-Umsetzung, E-Akte; Präsenz- und Onlineformate."),
    ("LP02", "Netzwerk der Digitalisierungsbeauftragten", "M12", ASSOCIATION, "kurzfristig", 25_000, "Eigenmittel", (20, 29), 1.8,
     "Regelmäßige Treffen und ein gemeinsamer Kanal der Digitalisierungsbeauftragten zum Erfahrungsaustausch über laufende Vorhaben."),
    ("LP03", "Shared-Service-Zentrum: Oberzentrum stellt Fachverfahren bereit", "M21", OBERZENTRUM, "langfristig", 650_000,
     "Förderprogramm (Beispiel)", (6, 14), 0.7,
     "Die Stadt {oberzentrum} betreibt ausgewählte Fachverfahren zentral; die Kommunen nutzen sie als Dienstleistung gegen Kostenbeteiligung."),
    ("LP04", "Gemeinsame Beschaffung E-Akte", "M22", member(2), "mittelfristig", 120_000, "Eigenmittel", (8, 16), 0.9,
     "Gebündelte Ausschreibung einer E-Akte-Lösung mit gemeinsamem Einführungskonzept und Schulungen."),
    ("LP05", "Wissensplattform Digitale Region", "M23", ASSOCIATION, "mittelfristig", 90_000, "Förderprogramm (Beispiel)", (15, 25), 1.2,
     "Online-Plattform mit Leitfäden, Musterausschreibungen und Ansprechpersonen der Region."),
    ("LP06", "Regionaler Schnittstellenstandard und Open-Data-Katalog", "M31", OBERZENTRUM, "mittelfristig", 150_000,
     "Förderprogramm (Beispiel)", (8, 18), 0.5,
     "Vereinbarung gemeinsamer Datenformate und Schnittstellen sowie ein regionaler Katalog offener Verwaltungsdaten."),
    ("LP07", "Innovationspartnerschaft Bürgerservice-Chatbot", "M32", member(1), "mittelfristig", 300_000, "Förderprogramm (Beispiel)",
     (4, 10), 0.0, "Entwicklung eines Chatbots für häufige Bürgeranfragen im Vergabeverfahren der Innovationspartnerschaft."),
    ("LP08", "Projektmanagement-Pool", "M41", member(3), "mittelfristig", 240_000, "Eigenmittel (Umlage)", (10, 18), 1.0,
     "Gemeinsam finanzierte Projektmanagerinnen und Projektmanager, die Digitalisierungsprojekte der Kommunen begleiten."),
    ("LP09", "LoRaWAN-Sensornetz regional", "M21", OBERZENTRUM, "langfristig", 400_000, "Förderprogramm (Beispiel)", (4, 9), -0.6,
     "Regionales Funknetz für Sensoren (z. B. Pegelstände, Parkraum), betrieben durch das Oberzentrum."),
    ("LP10", "Digitale Ratsarbeit gemeinsam", "M22", member(12), "kurzfristig", 60_000, "Eigenmittel", (6, 15), 0.4,
     "Gemeinsame Beschaffung und Einführung eines Ratsinformationssystems mit App für Ratsmitglieder."),
    ("LP11", "Nachwuchsprogramm Digitalisierung", "M42", ASSOCIATION, "langfristig", 200_000, "Eigenmittel", (8, 20), 0.3,
     "Gemeinsame Trainee-Stellen und duale Studienplätze für Digitalisierung in der Verwaltung, rotierend zwischen den Kommunen."),
]
#: Invented criteria scores 1-5: impact, feasibility, cost (5 = very expensive), reach, urgency.
SCORES = {
    "LP01": (4, 5, 2, 5, 5), "LP02": (3, 5, 1, 5, 4), "LP03": (5, 2, 5, 4, 3), "LP04": (4, 3, 3, 4, 4),
    "LP05": (3, 4, 2, 5, 3), "LP06": (4, 3, 3, 4, 3), "LP07": (3, 2, 4, 3, 2), "LP08": (4, 3, 3, 3, 4),
    "LP09": (2, 3, 4, 2, 1), "LP10": (2, 5, 2, 3, 3), "LP11": (4, 2, 3, 3, 4),
}
CRITERIA_COLUMNS = ["impact", "feasibility", "cost", "reach", "urgency"]
VOTERS = (20, 26)
RANKED = (3, 6)
APPROVED = (2, 5)
APPROVAL_ONLY_SHARE = 0.15


def lead_name(region: Region, role: tuple[str, float]) -> str:
    """The lead of a candidate in this region (see :data:`OBERZENTRUM`, :data:`ASSOCIATION`, :func:`member`)."""
    kind, position = role
    if kind == "association":
        return region.association or f"Geschäftsstelle der {region.name}"
    others = region.municipalities[region.municipalities["ags"] != region.oberzentrum]
    if kind == "oberzentrum" or others.empty:
        return region.oberzentrum_name
    ranked = others.assign(p=others["population"].astype(int)).sort_values(["p", "ags"], ascending=[False, True])
    return str(ranked["name"].iloc[int(round(position * (len(ranked) - 1)))])


def scaled(bounds: tuple[int, int], n: int) -> tuple[int, int]:
    """Bounds set for a region of REFERENCE_SIZE members, scaled to ``n`` members (at least 1, at most n)."""
    low, high = (min(n, max(1, round(b * n / REFERENCE_SIZE))) for b in bounds)
    return low, high


def participants(rng: np.random.Generator, region: Region, lead: str, bounds: tuple[int, int]) -> str:
    """A random set of participating municipalities (the lead included), in region order."""
    names = region.names()
    lead_ags = [a for a, name in names.items() if name == lead]
    others = [a for a in region.ags if a not in lead_ags]
    bounds = scaled(bounds, len(region.ags))
    count = int(rng.integers(bounds[0], bounds[1] + 1)) - len(lead_ags)
    chosen = set(lead_ags) | set(rng.choice(others, size=max(0, min(count, len(others))), replace=False).tolist())
    return ";".join(a for a in region.ags if a in chosen)


def candidates_table(rng: np.random.Generator, region: Region) -> pd.DataFrame:
    """The candidate list with random participants."""
    leads = [lead_name(region, c[3]) for c in CANDIDATES]
    rows = [{"project_id": pid, "title": title, "goal_node": node, "lead": lead,
             "participants": participants(rng, region, lead, bounds), "horizon": horizon,
             "estimated_cost_eur": cost, "funding": funding, "description": text.format(oberzentrum=region.oberzentrum_name)}
            for (pid, title, node, _role, horizon, cost, funding, bounds, _pop, text), lead in zip(CANDIDATES, leads, strict=True)]
    return pd.DataFrame(rows)


def criteria_table() -> pd.DataFrame:
    """The invented criteria scores."""
    return pd.DataFrame([(pid, *scores) for pid, scores in SCORES.items()], columns=["project_id", *CRITERIA_COLUMNS])


def ballot(rng: np.random.Generator, voter: str, ids: np.ndarray, popularity: np.ndarray) -> list[dict]:
    """One municipality's rows: a partial ranking of its favourites and its approvals."""
    order = ids[np.argsort(-(popularity + rng.gumbel(size=len(ids))), kind="stable")]
    approval_only = rng.random() < APPROVAL_ONLY_SHARE
    n_ranked = 0 if approval_only else int(rng.integers(RANKED[0], RANKED[1] + 1))
    n_approved = int(rng.integers(APPROVED[0], APPROVED[1] + 1))
    return [{"voter_ags": voter, "project_id": pid, "rank": position + 1 if position < n_ranked else None,
             "approved": "ja" if position < n_approved else "nein"}
            for position, pid in enumerate(order[:max(n_ranked, n_approved)])]


def votes_table(rng: np.random.Generator, region: Region) -> pd.DataFrame:
    """Votes of a random 20-26 of the region's municipalities (scaled to the region's size)."""
    ids = np.array([c[0] for c in CANDIDATES])
    popularity = np.array([c[8] for c in CANDIDATES])
    low, high = scaled(VOTERS, len(region.ags))
    n_voters = int(rng.integers(low, high + 1))
    chosen = set(rng.choice(region.ags, size=n_voters, replace=False).tolist())
    rows = [row for voter in region.ags if voter in chosen for row in ballot(rng, voter, ids, popularity)]
    votes = pd.DataFrame(rows).astype({"rank": "Int64"})
    return votes.sort_values(["voter_ags", "rank", "project_id"], na_position="last", kind="stable")


def generate(out_dir: Path, rng: np.random.Generator, region: Region) -> list[Path]:
    """Write the candidates, their criteria scores and the poll votes into ``out_dir``."""
    return [
        write_csv(candidates_table(rng, region), out_dir / "leitprojekte_candidates.csv"),
        write_csv(criteria_table(), out_dir / "leitprojekte_criteria.csv"),
        write_csv(votes_table(rng, region), out_dir / "poll_votes.csv"),
    ]
