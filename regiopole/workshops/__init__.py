"""Module 2/3 of the project: workshop cards (coding by themes) and the goal tree (Zielbaum).

* :mod:`~regiopole.workshops.codebook`: the theme codebook (YAML, patterns per theme)
* :mod:`~regiopole.workshops.cards`: read and check the cards typed up from the moderation walls
* :mod:`~regiopole.workshops.coding`: deductive coding, manual override, uncoded list, co-occurrence
* :mod:`~regiopole.workshops.summary`: themes by frequency and votes, hurdles against chances
* :mod:`~regiopole.workshops.goaltree`: read and check the goal tree (YAML) as a networkx tree
* :mod:`~regiopole.workshops.priorities`: dot votes on the goal tree, aggregated bottom-up
* :mod:`~regiopole.workshops.suppression`: which counts, shares and ranks the minimum cell size hides
* :mod:`~regiopole.workshops.publish`: publishable tables (minimum cell size, redacted card texts)
* :mod:`~regiopole.workshops.figures`: the figures
"""

from regiopole.workshops.cards import CATEGORIES, cards_file, load_cards
from regiopole.workshops.codebook import Codebook, Theme, load_codebook
from regiopole.workshops.coding import code_cards, cooccurrence, cooccurrence_pairs, uncoded_cards
from regiopole.workshops.goaltree import NODE_TYPES, goal_tree_file, load_goal_tree
from regiopole.workshops.priorities import aggregate_votes, load_goal_votes

__all__ = [
    "CATEGORIES", "NODE_TYPES", "Codebook", "Theme", "aggregate_votes", "cards_file", "code_cards", "cooccurrence",
    "cooccurrence_pairs", "goal_tree_file", "load_cards", "load_codebook", "load_goal_tree", "load_goal_votes",
    "uncoded_cards",
]
