"""The questionnaire as data: load and validate the survey codebook (YAML).

A codebook (``data/reference/survey_codebook.yaml``) lists every question with its
LimeSurvey code, German (optionally English) text, type, answer codes with labels and the
scale order. :func:`load_codebook` checks it (duplicate codes, codes without a label,
unknown types or scales, ambiguous labels) and raises one :class:`DataValidationError`
listing every problem. Each question expands into the export columns LimeSurvey writes
for it (:class:`Field`): ``KOOP[SQ001]``, ``KOOP[other]``, ``PRIO[1]`` ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from regiopole.data import DataValidationError, Problem, read_yaml
from regiopole.paths import reference_dir, resolve

TYPES = ("municipality", "single", "multiple", "likert", "numeric", "ranking", "text")
LANGUAGES = ("de", "en")
OTHER_LABELS = {"de": "Sonstiges", "en": "Other"}
RANK_LABELS = {"de": "Rang", "en": "Rank"}
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Option:
    """An answer, an array item or a scale point: a code with labels per language."""

    code: str
    labels: dict[str, str]

    @property
    def label(self) -> str:
        """The German label."""
        return self.labels["de"]


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale with its negative, neutral and positive points."""

    key: str
    name: str
    answers: tuple[Option, ...]
    negative: tuple[str, ...]
    neutral: str | None
    positive: tuple[str, ...]

    @property
    def codes(self) -> list[str]:
        return [a.code for a in self.answers]

    def label(self, code: str) -> str:
        return next(a.label for a in self.answers if a.code == code)


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    code: str
    type: str
    texts: dict[str, str]
    answers: tuple[Option, ...] = ()
    items: tuple[Option, ...] = ()
    scale: Scale | None = None
    other: bool = False
    positions: int = 0
    unit: str = ""
    bounds: tuple[float | None, float | None] = (None, None)
    short_label: str = ""

    @property
    def short(self) -> str:
        """Short German name for tables and figures (``short`` in the codebook, else the code)."""
        return self.short_label or self.code

    @property
    def text(self) -> str:
        """The German question text."""
        return self.texts["de"]

    def item(self, code: str) -> Option:
        return next(i for i in self.items if i.code == code)

    def fields(self) -> list[Field]:
        """The export columns of this question, in LimeSurvey's order."""
        if self.type in ("multiple", "likert"):
            out = [Field(f"{self.code}[{i.code}]", self, item=i) for i in self.items]
        elif self.type == "ranking":
            out = [Field(f"{self.code}[{r}]", self, rank=r) for r in range(1, self.positions + 1)]
        else:
            out = [Field(self.code, self)]
        if self.other:
            out.append(Field(f"{self.code}[other]", self, is_other=True))
        return out


@dataclass(frozen=True)
class Field:
    """One column of a LimeSurvey export: a question, or one of its items, ranks or 'other'."""

    column: str
    question: Question = field(repr=False)
    item: Option | None = None
    rank: int | None = None
    is_other: bool = False

    def text_headings(self) -> list[str]:
        """Full-text headings as LimeSurvey writes them: 'question [item]' per language."""
        out = []
        for lang, text in self.question.texts.items():
            if self.item is not None:
                sub = self.item.labels.get(lang)
            elif self.rank is not None:
                sub = f"{RANK_LABELS.get(lang, 'Rank')} {self.rank}"
            elif self.is_other:
                sub = OTHER_LABELS.get(lang, "Other")
            else:
                sub = None
            if self.item is not None and sub is None:
                continue
            out.append(f"{text} [{sub}]" if sub else text)
        return out


@dataclass(frozen=True)
class Theme:
    """A theme for grouping free text, recognised by keyword beginnings."""

    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook."""

    survey: dict
    questions: tuple[Question, ...]
    scales: dict[str, Scale]
    themes: tuple[Theme, ...]
    source: Path

    def question(self, code: str) -> Question:
        for q in self.questions:
            if q.code == code:
                return q
        raise KeyError(f"question {code!r} is not in the codebook {self.source}; known: {[q.code for q in self.questions]}")

    def of_type(self, type_: str) -> list[Question]:
        return [q for q in self.questions if q.type == type_]

    def fields(self) -> list[Field]:
        return [f for q in self.questions for f in q.fields()]

    @property
    def municipality_question(self) -> Question:
        return self.of_type("municipality")[0]


def _options(raw: object, where: str, problems: list[Problem]) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(None, where, "expected a non-empty list of {code, de, en} entries"))
        return ()
    options, seen = [], {}
    for n, entry in enumerate(raw):
        here = f"{where}[{n}]"
        if not isinstance(entry, dict) or entry.get("code") in (None, ""):
            problems.append(Problem(None, here, "entry without a code; write {code: ..., de: ...}"))
            continue
        code = str(entry["code"])
        if code in seen:
            problems.append(Problem(None, here, f"duplicate code {code!r} (also at {where}[{seen[code]}])"))
        seen.setdefault(code, n)
        labels = {lang: str(entry[lang]).strip() for lang in LANGUAGES if entry.get(lang) not in (None, "")}
        if "de" not in labels:
            problems.append(Problem(None, here, f"code {code!r} has no German label; add de: ..."))
            continue
        options.append(Option(code, labels))
    for lang in LANGUAGES:
        labels = [o.labels[lang].casefold() for o in options if lang in o.labels]
        for dup in sorted({x for x in labels if labels.count(x) > 1}):
            problems.append(Problem(None, where, f"label {dup!r} ({lang}) is given to several codes; answers in full text could not be told apart"))
    return tuple(options)


def _scale(key: str, raw: dict, problems: list[Problem]) -> Scale:
    where = f"scales.{key}"
    answers = _options(raw.get("answers"), f"{where}.answers", problems)
    codes = {a.code for a in answers}
    for part in ("negative", "positive"):
        for code in raw.get(part) or []:
            if str(code) not in codes:
                problems.append(Problem(None, f"{where}.{part}", f"code {code!r} is not an answer of the scale"))
    neutral = raw.get("neutral")
    if neutral is not None and str(neutral) not in codes:
        problems.append(Problem(None, f"{where}.neutral", f"code {neutral!r} is not an answer of the scale"))
    return Scale(key, str(raw.get("name", key)), answers, tuple(map(str, raw.get("negative") or [])),
                 None if neutral is None else str(neutral), tuple(map(str, raw.get("positive") or [])))


def _question(n: int, raw: dict, scales: dict[str, Scale], problems: list[Problem]) -> Question | None:
    code = str(raw.get("code", ""))
    where = f"questions[{n}]" + (f" ({code})" if code else "")
    if not CODE_PATTERN.match(code):
        problems.append(Problem(None, where, "expected a LimeSurvey question code (letters, digits, no blanks)"))
        return None
    qtype = raw.get("type")
    if qtype not in TYPES:
        problems.append(Problem(None, f"{where}.type", f"expected one of {', '.join(TYPES)}, got {qtype!r}"))
        return None
    texts = {lang: str(raw[lang]).strip() for lang in LANGUAGES if raw.get(lang)}
    if "de" not in texts:
        problems.append(Problem(None, where, "question text missing; add de: ..."))
    scale = None
    if raw.get("scale") is not None:
        scale = scales.get(str(raw["scale"]))
        if scale is None:
            problems.append(Problem(None, f"{where}.scale", f"unknown scale {raw['scale']!r}; defined: {sorted(scales)}"))
    answers: tuple[Option, ...] = ()
    if qtype in ("single", "ranking"):
        if scale is not None:
            answers = scale.answers
        else:
            answers = _options(raw.get("answers"), f"{where}.answers", problems)
    if qtype == "likert" and scale is None and raw.get("scale") is None:
        problems.append(Problem(None, where, "a likert question needs scale: <name of a scale>"))
    items = _options(raw.get("items"), f"{where}.items", problems) if qtype in ("multiple", "likert") else ()
    positions = int(raw.get("positions", 0) or 0)
    if qtype == "ranking" and not 1 <= positions <= max(len(answers), 1):
        problems.append(Problem(None, f"{where}.positions", f"expected 1 to {len(answers)} ranks, got {positions}"))
    return Question(code, qtype, texts or {"de": code}, answers, items, scale, bool(raw.get("other", False)),
                    positions, str(raw.get("unit", "")), (raw.get("min"), raw.get("max")), str(raw.get("short", "")))


def parse_codebook(spec: dict, source: Path) -> Codebook:
    """Build and validate a codebook from its parsed YAML; raise one error listing all problems."""
    problems: list[Problem] = []
    raw_scales = spec.get("scales") or {}
    scales = {str(k): _scale(str(k), v or {}, problems) for k, v in raw_scales.items()}
    raw_questions = spec.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(Problem(None, "questions", "expected a list of questions"))
        raw_questions = []
    questions = [q for n, raw in enumerate(raw_questions) if (q := _question(n, raw or {}, scales, problems))]
    codes = [q.code for q in questions]
    problems += [Problem(None, "questions", f"duplicate question code {c!r}") for c in sorted({c for c in codes if codes.count(c) > 1})]
    n_municipality = sum(q.type == "municipality" for q in questions)
    if n_municipality != 1:
        problems.append(Problem(None, "questions", f"expected exactly one question of type municipality, found {n_municipality}"))
    themes = tuple(Theme(str(t.get("theme")), tuple(str(k).casefold() for k in t.get("keywords") or []))
                   for t in spec.get("themes") or [])
    problems += [Problem(None, "themes", f"theme {t.name!r} has no keywords") for t in themes if not t.keywords]
    if problems:
        raise DataValidationError(source, problems)
    return Codebook(dict(spec.get("survey") or {}), tuple(questions), scales, themes, source)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook (default: ``data/reference/survey_codebook.yaml``)."""
    path = resolve(path) if path else reference_dir() / "survey_codebook.yaml"
    spec = read_yaml(path, "check the codebook parameter") or {}
    return parse_codebook(spec, path)
