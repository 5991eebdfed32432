"""One page per member municipality: "Was heißt das für unsere Kommune?"

The dossier imports only the data layer and the shared output (``regiopole.report``,
``regiopole.style``); it reads the tables the other reports publish, through
:mod:`regiopole.dossier.tables`, and turns one municipality's rows into German text and
small tables, each beside the value of the region and of the Oberzentrum. It never reads
survey answers or poll votes: only whether a municipality took part.

Submodules: ``tables`` (loaders of the published tables), ``model`` (the
:class:`Dossier` of one municipality), ``population``, ``broadband``, ``inventory``,
``participation``, ``projects`` (one section each: a German text and a table).
"""

from regiopole.dossier.model import Dossier, load_dossier

__all__ = ["Dossier", "load_dossier"]
