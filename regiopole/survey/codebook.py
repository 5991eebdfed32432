"""The questionnaire as data: load and validate the survey codebook (YAML).

A codebook (``data/reference/survey_codebook.yaml``) lists every question with its
LimeSurvey code, German (optionally English) text, type, answer codes with labels and the
scale order. :func:`load_codebook` checks it (duplicate codes, codes without a label,
unknown types, scales or keys, ambiguous labels) and raises one :class:`DataValidationError`
listing every problem. Each question expands into the export columns LimeSurvey writes
for it (:class:`Field`): ``KOOP[SQ001]``, ``KOOP[SQ001comment]`` ("multiple choice with
comments"), ``KOOP[other]``, ``LISTE[comment]`` ("list with comment"), ``PRIO[1]`` ...

Survey logic, where the codebook has it, decides "not shown" when the export file cannot
(an Excel re-save): ``page`` (the question group, 1 = first) against the response's
``lastpage``, and ``condition`` (LimeSurvey's relevance equation) for questions shown only
to some respondents. A codebook may hold no municipality question (as read from a survey
structure file); the import then asks for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from regiopole.data import DataValidationError, Problem, read_yaml
from regiopole.paths import reference_dir, resolve

TYPES = ("municipality", "single", "multiple", "likert", "numeric", "ranking", "text")
QUESTION_KEYS = {"code", "short", "type", "scale", "de", "en", "answers", "items", "other", "comments", "comment",
                 "positions", "unit", "min", "max", "page", "condition", "limesurvey_type"}
TOP_KEYS = {"survey", "scales", "questions", "themes"}
SURVEY_KEYS = {"id", "title", "fieldwork", "language", "languages", "pages"}
SCALE_KEYS = {"name", "answers", "negative", "neutral", "positive"}
OPTION_KEYS = {"code", "de", "en"}
THEME_KEYS = {"theme", "keywords"}
LANGUAGES = ("de", "en")
OTHER_LABELS = {"de": "Sonstiges", "en": "Other"}
RANK_LABELS = {"de": "Rang", "en": "Rank"}
COMMENT_LABELS = {"de": "Kommentar", "en": "Comment"}
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
    comments: bool = False
    page: int | None = None
    condition: str | None = None
    limesurvey_type: str = ""

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

    @property
    def always_shown(self) -> bool:
        """True unless a condition (relevance equation other than '1') hides the question from some respondents."""
        return self.condition is None or self.condition.strip() in ("", "1")

    def fields(self) -> list[Field]:
        """The export columns of this question, in LimeSurvey's order (createFieldMap)."""
        out: list[Field] = []
        if self.type in ("multiple", "likert"):
            for i in self.items:
                out.append(Field(f"{self.code}[{i.code}]", self, item=i))
                if self.comments and self.type == "multiple":
                    out.append(Field(f"{self.code}[{i.code}comment]", self, item=i, is_other=True, is_comment=True))
        elif self.type == "ranking":
            out = [Field(f"{self.code}[{r}]", self, rank=r) for r in range(1, self.positions + 1)]
        else:
            out = [Field(self.code, self)]
        if self.other:
            out.append(Field(f"{self.code}[other]", self, is_other=True))
            if self.comments and self.type == "multiple":
                out.append(Field(f"{self.code}[othercomment]", self, is_other=True, is_comment=True))
        if self.comments and self.type == "single":
            out.append(Field(f"{self.code}[comment]", self, is_other=True, is_comment=True))
        return out


@dataclass(frozen=True)
class Field:
    """One column of a LimeSurvey export: a question, or one of its items, ranks or 'other'."""

    column: str
    question: Question = field(repr=False)
    item: Option | None = None
    rank: int | None = None
    is_other: bool = False   # a free-text column: 'other', or a comment
    is_comment: bool = False

    def text_headings(self) -> list[str]:
        """Full-text headings as LimeSurvey writes them: 'question [item]' per language."""
        out = []
        for lang, text in self.question.texts.items():
            if self.is_comment and self.item is None and self.question.type == "multiple":  # 'other' comment
                other, comment = OTHER_LABELS.get(lang, "Other"), COMMENT_LABELS.get(lang, "Comment")
                out += [f"{text} [{other} {comment.lower() if lang == 'en' else comment}]", f"{text} [{other}][{comment}]"]
                continue
            if self.is_comment:
                sub = (f"{self.item.labels.get(lang)}][{COMMENT_LABELS.get(lang, 'Comment')}" if self.item is not None
                       else COMMENT_LABELS.get(lang, "Comment"))
            elif self.item is not None:
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
    def municipality_questions(self) -> list[Question]:
        """The questions asking for the municipality (none, one, or e.g. a list and an 'other' text)."""
        return self.of_type("municipality")

    @property
    def municipality_question(self) -> Question:
        found = self.municipality_questions
        if not found:
            raise DataValidationError(self.source, [Problem(None, "questions", "no question of type municipality; mark "
                                                            "the question asking for the town or municipality with "
                                                            "type: municipality")])
        return found[0]


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
        _unknown_keys(entry, OPTION_KEYS, here, problems)
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


def _unknown_keys(raw: dict, allowed: set[str], where: str, problems: list[Problem]) -> None:
    """A key the codebook does not know is an error: often a label cut at an unquoted comma."""
    for k in raw:
        if str(k) not in allowed:
            hint = (" - a label with a comma in {...} must be quoted: de: \"..., ...\"" if raw[k] is None else "")
            problems.append(Problem(None, where, f"unknown key {k!r}; expected {', '.join(sorted(allowed))}{hint}"))


def _scale(key: str, raw: dict, problems: list[Problem]) -> Scale:
    where = f"scales.{key}"
    _unknown_keys(raw, SCALE_KEYS, where, problems)
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
    _unknown_keys(raw, QUESTION_KEYS, where, problems)
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
    page = raw.get("page")
    if page is not None and (not isinstance(page, int) or page < 1):
        problems.append(Problem(None, f"{where}.page", f"expected the number of the question group (1, 2, ...), got {page!r}"))
        page = None
    comments = bool(raw.get("comments", False) or raw.get("comment", False))
    if comments and qtype not in ("multiple", "single"):
        problems.append(Problem(None, where, "comments are possible for multiple (with comments) and single (list with comment) questions"))
    condition = raw.get("condition")
    return Question(code, qtype, texts or {"de": code}, answers, items, scale, bool(raw.get("other", False)),
                    positions, str(raw.get("unit", "")), (raw.get("min"), raw.get("max")), str(raw.get("short", "")),
                    comments, page, None if condition is None else str(condition), str(raw.get("limesurvey_type", "")))


def parse_codebook(spec: dict, source: Path) -> Codebook:
    """Build and validate a codebook from its parsed YAML; raise one error listing all problems."""
    problems: list[Problem] = []
    if not isinstance(spec, dict):
        raise DataValidationError(source, [Problem(None, None, "expected a mapping with survey, scales, questions, themes")])
    _unknown_keys(spec, TOP_KEYS, "codebook", problems)
    _unknown_keys(spec.get("survey") or {}, SURVEY_KEYS, "survey", problems)
    raw_scales = spec.get("scales") or {}
    scales = {str(k): _scale(str(k), v or {}, problems) for k, v in raw_scales.items()}
    raw_questions = spec.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(Problem(None, "questions", "expected a list of questions"))
        raw_questions = []
    questions = [q for n, raw in enumerate(raw_questions) if (q := _question(n, raw or {}, scales, problems))]
    codes = [q.code for q in questions]
    problems += [Problem(None, "questions", f"duplicate question code {c!r}") for c in sorted({c for c in codes if codes.count(c) > 1})]
    for n, t in enumerate(spec.get("themes") or []):
        _unknown_keys(t if isinstance(t, dict) else {}, THEME_KEYS, f"themes[{n}]", problems)
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
