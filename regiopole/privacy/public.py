"""The one list of published tables that the disclosure audit does not need to see, each with its reason.

Every other published table must declare its structure to the audit
(:meth:`regiopole.privacy.audit.Structure.attach`); :func:`regiopole.privacy.audit.check_outputs`
fails for a table that does neither, so a table added later cannot escape the audit
silently. Two kinds of entries:

``PUBLIC``
    Tables from public or non-personal data: official statistics, the public inventory of
    online services, the region file, the project's own lists (candidates, expert scoring).
``NO_COUNTS``
    Tables derived from confidential inputs that publish no count and nothing a count can be
    recomputed from: participation that the project publishes per municipality on purpose
    (and what follows from it), a codebook, correlations computed from published figures only.
    Listing a table here is a decision a person must be able to defend: say why.
"""

from __future__ import annotations

PUBLIC: dict[str, str] = {
    "region_municipalities": "region file and official population figures",
    "region_population_by_kreis": "official population figures",
    "region_size_classes": "official population figures",
    "regiopole_network": "public list of Regiopolen",
    **{f"inventory_{name}": "public inventory of digital applications and OZG online services"
       for name in ("availability", "candidates", "category_scores", "dashboard_comparison", "dashboard_unmatched",
                    "gaps", "index", "oberzentrum")},
    **{f"trends_{name}": "official statistics (Breitbandatlas, Zensus, Regionalstatistik)"
       for name in ("businesses", "development", "kreise", "lagging", "mobile", "municipalities", "reference",
                    "regiopolen", "size_classes", "technology")},
    "leitprojekte_kandidaten": "the project's list of candidate lead projects (no votes)",
    "leitprojekte_beteiligte": "municipalities named as partners of a candidate in the candidates file (no votes)",
    "leitprojekte_nutzwert": "expert scoring of the candidates against the criteria (no votes)",
}

NO_COUNTS: dict[str, str] = {
    "survey_participation": "participation per municipality is published on purpose (map, dossiers); no answer",
    "survey_response_rate_kreis": "sums of the published participation per municipality and public population",
    "survey_response_rate_size": "sums of the published participation per municipality and public population",
    "survey_inventory_correlation": "two rank correlations over all participants (n published); no count",
    "workshop_codebook": "the codebook of themes (descriptions and search words); no count",
    "leitprojekte_umfrage_uebereinstimmung": "Kendall's tau between the published ranks of leitprojekte_umfrage only",
    "leitprojekte_auswahl": ("scores 0-1, no count; the poll value, its rank and the total score only where the poll "
                             "table publishes the value (poll.hidden_poll_values): the total and the weights would give it back"),
    "leitprojekte_stabilitaet": "how often each project is selected under varied weights; shares of weight draws, no count",
    "leitprojekte_stabilitaet_paare": "how often two projects are selected together under varied weights; no count",
    "leitprojekte_einzelaenderung": "selection under one changed weight at a time; no count",
}


def declared_public(name: str) -> bool:
    """True if table ``name`` is listed in :data:`PUBLIC` or :data:`NO_COUNTS`."""
    return name in PUBLIC or name in NO_COUNTS
