"""regiopole: analysis package of the Regiopole model project, Regiopolregion Paderborn.

Layers (imports only point downwards):

- ``regiopole.data``: loading, validation, region configuration; knows no analysis.
- ``regiopole.style`` and ``regiopole.report``: shared plot style and report output.
- one module per project module: ``inventory``, ``survey``, ``workshops``,
  ``leitprojekte``, ``maps``; each imports only the layers above.
- ``regiopole.example``: seeded generator of the example data.
- ``regiopole.pipeline`` and ``regiopole.cli``: run and publish the notebooks.
"""

__version__ = "0.1.0"
