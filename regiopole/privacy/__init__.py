"""Privacy by design for everything that is published.

- :mod:`~regiopole.privacy.cells`: minimum cell size, primary and secondary suppression,
  the guard :func:`assert_publishable`.
- :mod:`~regiopole.privacy.redaction`: one redaction (:class:`Redactor`) for every free-text
  field of every input that reaches an output.
- :mod:`~regiopole.privacy.audit`: the disclosure audit over all published tables of a run
  (the feasible range of every suppressed cell, by integer linear programming).
"""

from regiopole.privacy.cells import (
    DEFAULT_MIN_CELL_SIZE, SUPPRESSED, TOTAL, DisclosureError, assert_publishable, hide_zeros_beside, suppress_counts,
    suppressed_mask,
)
from regiopole.privacy.redaction import (
    ADDRESS_TEXT, EMAIL_TEXT, IBAN_TEXT, NAME_TEXT, NAMES_FILE, PHONE_TEXT, PLACE_TEXT, URL_TEXT, Redactor,
    contains_personal_data, load_names, redact, redactor,
)

__all__ = [
    "ADDRESS_TEXT", "DEFAULT_MIN_CELL_SIZE", "EMAIL_TEXT", "IBAN_TEXT", "NAMES_FILE", "NAME_TEXT", "PHONE_TEXT",
    "PLACE_TEXT", "SUPPRESSED", "TOTAL", "URL_TEXT", "DisclosureError", "Redactor", "assert_publishable",
    "contains_personal_data", "hide_zeros_beside", "load_names", "redact", "redactor", "suppress_counts", "suppressed_mask",
]
