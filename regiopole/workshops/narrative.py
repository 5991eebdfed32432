"""German sentences that describe the computed results, so notebooks hold no numbers in prose.

The sentences name only published figures: each function applies the minimum cell size
through :mod:`~regiopole.workshops.suppression`, like the tables and figures, so a
sentence neither states nor compares a suppressed value.
"""

from __future__ import annotations

import pandas as pd

from regiopole import privacy
from regiopole.data.reference import PROJECT_PRESENTATION
from regiopole.privacy.notes import audit_note
from regiopole.style import german_number, german_percent
from regiopole.workshops import suppression
from regiopole.workshops.coding import AUTOMATIC, MANUAL, OPEN

MIN_CELL_SIZE = privacy.DEFAULT_MIN_CELL_SIZE


def enumerate_german(items: list[str]) -> str:
    """'A', 'A und B', 'A, B und C'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


def cards_word(n: int) -> str:
    return f"{german_number(n)} Karte" if n == 1 else f"{german_number(n)} Karten"


def count_text(value: float) -> str:
    """A published count, or the sign of a suppressed one."""
    return privacy.SUPPRESSED if pd.isna(value) else german_number(int(value))


def cards_sentence(coded: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """How many cards, workshops, groups and dots the analysis rests on (totals below the minimum suppressed)."""
    cards, votes = len(coded), int(coded["votes"].sum())
    groups = len(coded[["workshop", "group"]].drop_duplicates())
    if cards < min_cell_size:
        return f"Ausgewertet werden weniger als {min_cell_size} Karten; Zahlen werden deshalb nicht ausgewiesen."
    dots = (f"**{german_number(votes)} Klebepunkten**" if not 0 < votes < min_cell_size
            else f"weniger als {min_cell_size} Klebepunkten")
    return (f"Ausgewertet werden **{cards_word(cards)}** aus **{german_number(coded['workshop'].nunique())} Workshops** "
            f"mit zusammen **{german_number(groups)} Arbeitsgruppen** und {dots}.")


def coding_sentence(summary: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """How many cards were coded automatically, manually, and how many are open (published counts only)."""
    n = suppression.suppress_coding(summary, min_cell_size).set_index("coding")["cards"]
    total = int(summary["cards"].sum())
    if suppression.coding_mask(summary, min_cell_size)[privacy.TOTAL]:
        return f"Es liegen weniger als {min_cell_size} Karten vor; die Codierung wird nicht nach Zahlen ausgewiesen."
    text = (f"Von {cards_word(total)} wurden {count_text(n[AUTOMATIC])} automatisch über das Codebuch und "
            f"{count_text(n[MANUAL])} manuell einem oder mehreren Themen zugeordnet.")
    if n.isna().any():
        text += (f" („{privacy.SUPPRESSED}“: weniger als {min_cell_size} Karten oder zum Schutz eines solchen Werts "
                 "nicht ausgewiesen.)")
    open_cards = summary.set_index("coding")["cards"][OPEN]
    if open_cards:
        some = cards_word(int(n[OPEN])) if pd.notna(n[OPEN]) else "Einige Karten"
        return text + (f" {some} passen zu keinem Thema; sie stehen unten in der Liste zur manuellen "
                       "Codierung und fehlen in den Themenauszählungen, bis ihnen ein Thema zugewiesen ist.")
    return text + " Jede Karte hat mindestens ein Thema."


def themes_sentence(frequencies: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE, top: int = 3) -> str:
    """The leading themes by published cards and votes, and whether the two orders agree."""
    if (frequencies["cards"] == 0).all():
        return "Keiner Karte wurde ein Thema zugeordnet."
    published = suppression.suppress_frequencies(frequencies, min_cell_size)
    keys = published.assign(c=suppression.sort_key(published["cards"]), v=suppression.sort_key(published["votes"]))
    by_cards = keys[keys["cards"] > 0].sort_values(["c", "v"], ascending=False, kind="stable").head(top)
    by_votes = keys[keys["votes"] > 0].sort_values(["v", "c"], ascending=False, kind="stable").head(top)
    if by_cards.empty:
        text = f"Kein Thema steht auf mindestens {min_cell_size} Karten. "
    else:
        text = "Am häufigsten genannt wurden " + enumerate_german(
            [f"„{r.label}“ ({cards_word(int(r.cards))})" for r in by_cards.itertuples()]) + ". "
    if by_votes.empty:
        return text + f"Kein Thema erhielt mindestens {min_cell_size} Klebepunkte."
    if not by_cards.empty and by_cards["theme"].iloc[0] == by_votes["theme"].iloc[0]:
        return text + f"Auch nach Klebepunkten gewichtet steht „{by_votes['label'].iloc[0]}“ vorn."
    lead = ("Nach Klebepunkten gewichtet verschiebt sich die Reihenfolge: vorn liegen " if not by_cards.empty
            else "Nach Klebepunkten liegen vorn ")
    return text + lead + enumerate_german(
        [f"„{r.label}“ ({german_number(int(r.votes))} Punkte)" for r in by_votes.itertuples()]) + "."


def hurdles_sentence(table: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """Which themes appear mainly as hurdles and which mainly as chances (published balances only)."""
    table = suppression.suppress_hurdles(table, min_cell_size)
    hurdles = table[table["balance"] < 0].sort_values("balance", kind="stable")["label"].tolist()
    chances = table[table["balance"] > 0].sort_values("balance", ascending=False, kind="stable")["label"].tolist()
    parts = []
    if hurdles:
        parts.append("Überwiegend als Hürde genannt werden " + enumerate_german([f"„{t}“" for t in hurdles]) + ".")
    if chances:
        parts.append("Überwiegend als Chance gesehen werden " + enumerate_german([f"„{t}“" for t in chances]) + ".")
    if table["balance"].isna().any():
        parts.append(f"Themen mit weniger als {min_cell_size} Hürden- oder Chancen-Karten bleiben beim Vergleich außen vor.")
    return " ".join(parts) or "Bei keinem Thema überwiegen Hürden oder Chancen."


def cooccurrence_sentence(pairs: pd.DataFrame, labels: dict[str, str], min_cell_size: int = MIN_CELL_SIZE) -> str:
    """The pair of themes most often named on the same card (if its count is published)."""
    if pairs.empty:
        return "Keine Karte trägt mehr als ein Thema."
    published = suppression.suppress_pairs(pairs, min_cell_size)
    if published["cards"].isna().all():
        return f"Kein Themenpaar steht auf mindestens {min_cell_size} Karten gemeinsam."
    first = published.iloc[0]
    return (f"Am häufigsten treten „{labels[first['theme_a']]}“ und „{labels[first['theme_b']]}“ gemeinsam auf "
            f"({cards_word(int(first['cards']))} mit beiden Themen).")


def priorities_sentence(priorities: pd.DataFrame, min_cell_size: int = MIN_CELL_SIZE, top: int = 3) -> str:
    """The sub-goal and the measures with the most published votes."""
    cast = int(priorities.loc[priorities["level"] == 0, "total_votes"].sum())
    if cast == 0:
        return "Auf den Zielbaum wurden keine Punkte vergeben."
    published = suppression.suppress_priorities(priorities, min_cell_size)
    if published.loc[published["level"] == 0, "total_votes"].isna().any():
        return f"Auf den Zielbaum wurden weniger als {min_cell_size} Punkte vergeben; sie werden nicht einzeln ausgewiesen."
    text = f"Insgesamt wurden {german_number(cast)} Punkte auf den Zielbaum verteilt. "
    for kind in ("subgoal", "measure"):
        nodes = published[published["type"] == kind]
        shown = nodes.dropna(subset=["total_votes"]).sort_values("total_votes", ascending=False, kind="stable")
        if shown.empty:
            continue
        partial = len(shown) < len(nodes)
        if kind == "subgoal":
            lead = shown.iloc[0]
            share = f"{german_percent(lead['share'])} der Punkte"
            text += (f"Unter den ausgewiesenen Teilzielen hat „{lead['title']}“ die meisten Punkte (einschließlich "
                     f"seiner Maßnahmen; {share}). " if partial else
                     f"Das Teilziel mit den meisten Punkten (einschließlich seiner Maßnahmen) ist „{lead['title']}“ ({share}). ")
        else:
            names = enumerate_german([f"„{r.title}“ ({german_number(int(r.total_votes))} Punkte)"
                                      for r in shown.head(top).itertuples()])
            text += (f"Unter den ausgewiesenen Maßnahmen erhielten die meisten Punkte {names}. " if partial else
                     f"Die meisten Punkte erhielten die Maßnahmen {names}. ")
    if published["total_votes"].isna().any():
        text += (f"Knoten mit weniger als {min_cell_size} Punkten (und Knoten, aus denen sich diese zurückrechnen "
                 "ließen) werden ohne Punktzahl gezeigt.")
    return text.strip()


# Method sentences with the parameter values filled in (notebook 04_workshops).

def privacy_text(min_cell_size: int = MIN_CELL_SIZE) -> str:
    """The privacy rule of the workshop report with the minimum cell size used."""
    return ("**Datenschutz:** Karten und Klebepunkte stammen von einem kleinen Kreis namentlich bekannter Teilnehmender. "
            "Damit keine Rückschlüsse auf einzelne Personen möglich sind, zeigt dieser Bericht – in Tabellen, Abbildungen und "
            f"Text – keine Zahl von Karten, Punkten oder Themenpaaren zwischen 1 und {german_number(min_cell_size - 1)} "
            f"(Mindestfallzahl {german_number(min_cell_size)}). An ihrer Stelle steht ein Punkt „.“; ebenso bei Anteilen, Rängen "
            "und Salden, die auf einer solchen Zahl beruhen, und bei Zahlen, aus denen sich eine unterdrückte Zahl über eine "
            "ausgewiesene Summe zurückrechnen ließe. Ein „.“ kann deshalb auch für 0 oder eine größere Zahl stehen.")


def top_cards_intro(top_n_cards: int, min_cell_size: int = MIN_CELL_SIZE) -> str:
    """What the list of the most-voted cards shows, with its length and the minimum cell size."""
    return ("Die Texte sind geschwärzt wie oben; die Arbeitsgruppe wird nicht genannt, der Workshop nur dort, wo die Punkte "
            "der Karte keine unterdrückte Zahl des Workshops eingrenzen. Aufgeführt werden höchstens "
            f"{cards_word(top_n_cards)}, und nur Karten mit mindestens {german_number(min_cell_size)} Klebepunkten – eine Auswahl "
            "unter kleineren, unterdrückten Punktzahlen würde deren Reihenfolge verraten. Die Liste kann deshalb kürzer sein.")


def method_text(min_cell_size: int = MIN_CELL_SIZE, names_listed: bool = False) -> str:
    """The method, privacy and sources section."""
    names = "Namen aus der Namensliste des Projekts, " if names_listed else ""
    return (
        "## Methode, Datenschutz und Quellen\n\n"
        "- **Codierung:** deduktiv mit dem Themen-Codebuch des Projekts; Mehrfachzuordnung möglich; von Hand vergebene "
        "Themen haben Vorrang; nicht zugeordnete Karten werden aufgelistet, nie verworfen.\n"
        f"- **Mindestfallzahl {german_number(min_cell_size)}:** Keine veröffentlichte Zahl von Karten, Klebepunkten oder "
        f"Themenpaaren liegt zwischen 1 und {german_number(min_cell_size - 1)}; solche Zahlen und die Anteile, Ränge und Salden, "
        "die auf ihnen beruhen, stehen als „.“, in Abbildungen ohne Balken bzw. schraffiert. Wo eine ausgewiesene Summe eine "
        "unterdrückte Zahl verraten würde (Gruppen gegen ihre Summe, Workshops gegen „Alle Workshops“, Knoten des Zielbaums "
        "gegen den übergeordneten Knoten), werden weitere Zahlen unterdrückt. Workshops mit weniger Karten werden nicht "
        "einzeln ausgewiesen. Hürden und Chancen eines Themas werden gemeinsam unterdrückt, Themenpaare erst ab "
        f"{german_number(min_cell_size)} Karten aufgeführt, die Liste der nicht zugeordneten Karten ohne Klebepunkte. "
        "Ränge und Reihenfolgen beruhen nur auf ausgewiesenen Zahlen. Jede Tabelle wird vor dem Speichern auf diese "
        "Regeln geprüft.\n"
        f"- **Kartentexte** werden nur geschwärzt veröffentlicht: E-Mail-Adressen, Telefonnummern, {names}"
        "die Namen der Mitgliedskommunen.\n"
        f"- **Quellen:** Themen der Workshops und Aufbau des Zielbaums nach der {PROJECT_PRESENTATION}.\n\n"
        + audit_note())
