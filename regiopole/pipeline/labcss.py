"""JupyterLab's stylesheet without the rules no report page can use.

nbconvert's "lab" template inlines JupyterLab's whole ``index.css`` (240 KB) into every page:
the styles of the whole application (file browser, dialogs, widgets, 600 icons as variables).
A page of a report uses the few classes the templates write. This keeps, of that stylesheet:

- every rule one of whose selectors names only classes with the application's prefixes
  (``jp-``, ``lm-``, ``cm-``, ``p-``) that a template, nbconvert or this package writes
  (classes inside ``:not()`` and other functional pseudo-classes are not counted, so
  ``.jp-Cell:not(.jp-mod-active)`` stays), and every rule without such classes;
- every custom property (``--jp-...``) that a kept rule, the theme, a template or this
  package reads, directly or through another property.

Pages look exactly as before (``tests/test_site_pages.py`` compares screenshots pixel for
pixel); a dossier page is a quarter of its former size, and Chromium has less to parse
for each PDF. tinycss2 (which nbconvert installs) parses the stylesheet.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2

from regiopole.pipeline.files import write_text_atomic

#: The stylesheet as the lab template names it (``resources.include_css``).
NAME = "static/index.css"
_APP_CLASS = re.compile(r"\.((?:jp|lm|cm|p)-[A-Za-z0-9_-]+)")
_APP_CLASS_NAME = re.compile(r"(?<![A-Za-z0-9_-])((?:jp|lm|cm|p)-[A-Za-z0-9_-]+)")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
_PACKAGE = Path(__file__).resolve().parents[1]


def sources(template_paths: Iterable[str]) -> list[str]:
    """Texts that may write a class or read a custom property: the templates (and their CSS),
    nbconvert's own code, this package."""
    import nbconvert

    files = [p for d in template_paths for pattern in ("*.j2", "static/*.css")  # each template's own folder
             for p in Path(d).glob(pattern) if p.name != Path(NAME).name]
    files += list(Path(nbconvert.__file__).parent.rglob("*.py"))
    files += [p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".j2") and p != Path(__file__).resolve()]
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(set(files))]


def trimmed(css: str, texts: list[str]) -> str:
    """``css`` without the rules and custom properties that ``texts`` never use (see the module)."""
    written = {name for text in texts for name in _APP_CLASS_NAME.findall(text)}
    rules = _used_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), written)
    return "\n".join(_without_unused_properties(rules, texts)) + "\n"


def whole_css(template_paths: Iterable[str]) -> str:
    """nbconvert's whole ``index.css``, as found on ``template_paths`` (an exporter's)."""
    for folder in template_paths:
        for candidate in (Path(folder) / NAME, Path(folder) / "lab" / NAME):
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(f"nbconvert's {NAME} is not on the template paths {list(template_paths)}: "
                            "reinstall nbconvert (make install)")


@functools.cache
def lab_css(template_paths: tuple[str, ...], cache_dir: Path | None = None) -> str:
    """The trimmed ``index.css`` found on ``template_paths`` (an exporter's), once per process.

    Trimming parses 240 KB of CSS (half a second); with ``cache_dir``, the result is kept there
    under the SHA-256 of everything it is made from (the stylesheet, the texts of
    :func:`sources`, this module and tinycss2's version), so a later process with the same
    files reads it instead, and any change makes it anew."""
    css, texts = whole_css(template_paths), sources(template_paths)
    if cache_dir is None:
        return trimmed(css, texts)
    digest = hashlib.sha256(f"tinycss2 {tinycss2.__version__}\0".encode())
    for text in (Path(__file__).read_text(encoding="utf-8"), css, *texts):
        digest.update(hashlib.sha256(text.encode("utf-8", "replace")).digest())
    entry = cache_dir / f"labcss-{digest.hexdigest()[:32]}.css"
    try:
        return entry.read_bytes().decode("utf-8")  # as written: no newline translation
    except (OSError, UnicodeDecodeError):
        pass
    result = trimmed(css, texts)
    try:
        write_text_atomic(entry, result)
        for old in cache_dir.glob("labcss-*.css"):  # made from files that have changed since
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only output folder: the stylesheet is right, only the next process trims it again
    return result


def _possible(prelude: list, written: set[str]) -> bool:
    outside = "".join(" " if token.type == "function" else tinycss2.serialize([token]) for token in prelude)
    return any(set(_APP_CLASS.findall(selector)) <= written for selector in outside.split(","))


def _used_rules(rules: list, written: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule" and not _possible(rule.prelude, written):
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content is not None:
            inner = _used_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                                written)
            if not inner:
                continue
            rule.content = [token for r in inner for token in (r, tinycss2.ast.WhitespaceToken(0, 0, "\n"))]
        kept.append(rule)
    return kept


def _declarations(rule) -> list:  # noqa: ANN001 - a tinycss2 QualifiedRule
    return [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True)
            if d.type == "declaration"]


def _without_unused_properties(rules: list, texts: list[str]) -> list[str]:
    defined: dict[str, list[str]] = {}
    readers = list(texts)
    for rule in rules:
        if rule.type != "qualified-rule":
            readers.append(rule.serialize())
            continue
        for declaration in _declarations(rule):
            value = tinycss2.serialize(declaration.value)
            (defined.setdefault(declaration.name, []) if declaration.name.startswith("--") else readers).append(value)
    used = {name for text in readers for name in _VAR.findall(text)}
    new = set(used)
    while new:  # properties read by the values of used properties
        new = {name for prop in new for value in defined.get(prop, []) for name in _VAR.findall(value)} - used
        used |= new
    out = []
    for rule in rules:
        if rule.type != "qualified-rule":
            out.append(rule.serialize())
            continue
        declarations = _declarations(rule)
        kept = [d for d in declarations if not d.name.startswith("--") or d.name in used]
        if kept or not declarations:
            out.append(tinycss2.serialize(rule.prelude).strip() + " {"
                       + "".join(f"\n  {d.serialize()};" for d in kept) + "\n}")
    return out
