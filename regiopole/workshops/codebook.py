"""The theme codebook for deductive coding of workshop cards (YAML, one entry per theme).

File format (default ``data/reference/workshop_themes.yaml``)::

    themes:
      - id: personal                       # snake_case key, unique
        label: Personal                    # German name for figures and tables, unique
        description: Personelle Ressourcen # optional, German
        patterns: [personal, fachkräft]    # regular expressions, case-insensitive

A card is coded with every theme one of whose patterns occurs anywhere in its text
(``re.search``), so one card can carry several themes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from regiopole.data import DataValidationError, Problem, read_yaml
from regiopole.paths import reference_dir, resolve

DEFAULT_FILE = "workshop_themes.yaml"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook with its compiled patterns."""

    id: str
    label: str
    description: str
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        """True when one of the patterns occurs in ``text``."""
        return any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class Codebook:
    """The themes in file order, with lookups by id and by label."""

    themes: tuple[Theme, ...]
    source: str

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    @property
    def labels(self) -> dict[str, str]:
        """Mapping theme id -> German label."""
        return {t.id: t.label for t in self.themes}

    def themes_in(self, text: str) -> list[str]:
        """Ids of every theme matching ``text``, in codebook order."""
        return [t.id for t in self.themes if t.matches(text)]

    def lookup(self, name: str) -> str | None:
        """Theme id for an id or a German label (case-insensitive); None if unknown."""
        key = name.strip().casefold()
        for theme in self.themes:
            if key in (theme.id.casefold(), theme.label.casefold()):
                return theme.id
        return None


def theme_problems(number: int, entry: object) -> tuple[list[Problem], Theme | None]:
    """Check one entry of the ``themes`` list; return its problems or the theme."""
    where = f"themes[{number}]"
    if not isinstance(entry, dict):
        return [Problem(None, where, "expected a mapping with id, label and patterns")], None
    problems = []
    theme_id, label, patterns = entry.get("id"), entry.get("label"), entry.get("patterns")
    if not isinstance(theme_id, str) or not ID_PATTERN.match(theme_id):
        problems.append(Problem(None, f"{where}.id", f"expected a snake_case id such as 'personal', got {theme_id!r}"))
    if not isinstance(label, str) or not label.strip():
        problems.append(Problem(None, f"{where}.label", "expected a German label (text)"))
    if not isinstance(patterns, list) or not patterns:
        problems.append(Problem(None, f"{where}.patterns", "expected a non-empty list of regular expressions"))
        patterns = []
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(str(pattern), re.IGNORECASE))
        except re.error as exc:
            problems.append(Problem(None, f"{where}.patterns", f"pattern {pattern!r} is not a valid regular expression: {exc}"))
    if problems:
        return problems, None
    return [], Theme(theme_id, label.strip(), str(entry.get("description") or ""), tuple(compiled))


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and check a codebook; one :class:`DataValidationError` lists every problem."""
    path = resolve(path) if path else reference_dir() / DEFAULT_FILE
    spec = read_yaml(path, "check the themes parameter") or {}
    entries = spec.get("themes") if isinstance(spec, dict) else None
    if not isinstance(entries, list) or not entries:
        raise DataValidationError(path, [Problem(None, "themes", "expected a non-empty list 'themes:'")])
    problems: list[Problem] = []
    themes: list[Theme] = []
    for number, entry in enumerate(entries):
        found, theme = theme_problems(number, entry)
        problems += found
        if theme:
            themes.append(theme)
    for key in ("id", "label"):
        values = [getattr(t, key) for t in themes]
        problems += [Problem(None, key, f"{v!r} is used by more than one theme") for v in sorted({v for v in values if values.count(v) > 1})]
    if problems:
        raise DataValidationError(path, problems)
    return Codebook(tuple(themes), str(path))
