"""German sentences that describe the computed results, so notebooks hold no numbers in prose."""

from __future__ import annotations

import pandas as pd

from regiopole.style import german_number, german_percent
from regiopole.workshops.coding import AUTOMATIC, MANUAL, OPEN


def enumerate_german(items: list[str]) -> str:
    """'A', 'A und B', 'A, B und C'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def cards_word(n: int) -> str:
    return f"{german_number(n)} Karte" if n == 1 else f"{german_number(n)} Karten"


def coding_sentence(summary: pd.DataFrame) -> str:
    """How many cards were coded automatically, manually, and how many are open."""
    n = summary.set_index("coding")["cards"]
    total = int(n.sum())
    text = (f"Von {cards_word(total)} wurden {german_number(n[AUTOMATIC])} automatisch über das Codebuch und "
            f"{german_number(n[MANUAL])} manuell einem oder mehreren Themen zugeordnet.")
    if n[OPEN]:
        return text + (f" {cards_word(int(n[OPEN]))} passen zu keinem Thema; sie stehen unten in der Liste zur manuellen "
                       "Codierung und fehlen in den Themenauszählungen, bis ihnen ein Thema zugewiesen ist.")
    return text + " Jede Karte hat mindestens ein Thema."


def themes_sentence(frequencies: pd.DataFrame, top: int = 3) -> str:
    """The leading themes by cards and by votes, and whether the two orders agree."""
    named = frequencies[frequencies["cards"] > 0]
    if named.empty:
        return "Keiner Karte wurde ein Thema zugeordnet."
    by_cards = named.sort_values(["cards", "votes"], ascending=False, kind="stable").head(top)
    by_votes = named.sort_values(["votes", "cards"], ascending=False, kind="stable").head(top)
    text = "Am häufigsten genannt wurden " + enumerate_german(
        [f"„{r.label}“ ({cards_word(int(r.cards))})" for r in by_cards.itertuples()]) + ". "
    if by_cards["theme"].iloc[0] == by_votes["theme"].iloc[0]:
        return text + f"Auch nach Klebepunkten gewichtet steht „{by_votes['label'].iloc[0]}“ vorn."
    return text + ("Nach Klebepunkten gewichtet verschiebt sich die Reihenfolge: vorn liegen " + enumerate_german(
        [f"„{r.label}“ ({german_number(int(r.votes))} Punkte)" for r in by_votes.itertuples()]) + ".")


def hurdles_sentence(table: pd.DataFrame) -> str:
    """Which themes appear mainly as hurdles and which mainly as chances."""
    hurdles = table[table["balance"] < 0].sort_values("balance", kind="stable")["label"].tolist()
    chances = table[table["balance"] > 0].sort_values("balance", ascending=False, kind="stable")["label"].tolist()
    parts = []
    if hurdles:
        parts.append("Überwiegend als Hürde genannt werden " + enumerate_german([f"„{t}“" for t in hurdles]) + ".")
    if chances:
        parts.append("Überwiegend als Chance gesehen werden " + enumerate_german([f"„{t}“" for t in chances]) + ".")
    return " ".join(parts) or "Bei keinem Thema überwiegen Hürden oder Chancen."


def cooccurrence_sentence(pairs: pd.DataFrame, labels: dict[str, str]) -> str:
    """The pair of themes most often named on the same card."""
    if pairs.empty:
        return "Keine Karte trägt mehr als ein Thema."
    first = pairs.iloc[0]
    return (f"Am häufigsten treten „{labels[first['theme_a']]}“ und „{labels[first['theme_b']]}“ gemeinsam auf "
            f"({cards_word(int(first['cards']))} mit beiden Themen).")


def priorities_sentence(priorities: pd.DataFrame, top: int = 3) -> str:
    """The sub-goal and the measures with the most votes."""
    cast = int(priorities.loc[priorities["level"] == 0, "total_votes"].sum())
    if cast == 0:
        return "Auf den Zielbaum wurden keine Punkte vergeben."
    subgoals = priorities[priorities["type"] == "subgoal"].sort_values("total_votes", ascending=False, kind="stable")
    measures = priorities[priorities["type"] == "measure"].sort_values("total_votes", ascending=False, kind="stable").head(top)
    text = f"Insgesamt wurden {german_number(cast)} Punkte auf den Zielbaum verteilt. "
    if not subgoals.empty:
        lead = subgoals.iloc[0]
        text += (f"Das Teilziel mit den meisten Punkten (einschließlich seiner Maßnahmen) ist „{lead['title']}“ "
                 f"({german_percent(lead['share'])} der Punkte). ")
    if not measures.empty:
        text += "Die meisten Punkte erhielten die Maßnahmen " + enumerate_german(
            [f"„{r.title}“ ({german_number(int(r.total_votes))} Punkte)" for r in measures.itertuples()]) + "."
    return text.strip()
