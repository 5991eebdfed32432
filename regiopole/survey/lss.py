"""LimeSurvey's survey structure file (``.lss``) to a codebook and back.

A ``.lss`` is XML with one table per element: ``<questions>``, ``<subquestions>``,
``<answers>``, ``<groups>``, ``<question_attributes>``, ``<surveys>``,
``<surveys_languagesettings>``, each as ``<fields>`` and ``<rows>``. LimeSurvey 3.x keeps
the texts inline (one row per language in ``questions``, ``subquestions``, ``answers``,
``groups``); 4.x and later keep one row per element and the texts in ``question_l10ns``,
``answer_l10ns``, ``group_l10ns``. :func:`read_lss` reads both into a codebook spec (the
YAML structure of :mod:`regiopole.survey.codebook`); :func:`write_lss` writes a codebook
as a 4.x+ file (``DBVersion`` 498, as LimeSurvey 6 writes) or, for tests and old
installations, in the 3.x layout.

Question types: list (L, !), list with comment (O), yes/no (Y), gender (G) -> single;
multiple choice (M), with comments (P) -> multiple; arrays (F, H, A, B, C, E) -> likert;
numerical (N) -> numeric; ranking (R) -> ranking; free text (S, T, U) -> text; a question
named like the municipality question (or given with ``municipality=``) -> municipality.
Other types (dates, multiple numeric or text, dual-scale arrays, boilerplate ...) are not
converted and listed in :attr:`LssInfo.skipped`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from regiopole.data import DataValidationError, Problem
from regiopole.survey.codebook import Codebook, Question

#: LimeSurvey language codes read as the codebook's languages (first found wins).
LANGUAGE_MAP = {"de": "de", "de-informal": "de", "de-easy": "de", "de-ch": "de", "en": "en", "en-gb": "en"}
SINGLE, MULTIPLE, ARRAYS, TEXTS = {"L", "!", "O", "Y", "G", "5"}, {"M", "P"}, {"F", "H", "A", "B", "C", "E"}, {"S", "T", "U"}
THEMES = {"S": "shortfreetext", "T": "longfreetext", "N": "numerical", "Y": "yesno", "L": "listradio", "O": "list_with_comment",
          "M": "multiplechoice", "P": "multiplechoice_with_comments", "R": "ranking", "F": "arrays/array"}
MUNICIPALITY_CODES = re.compile(r"^(gemeinde|kommune|kommunen|municipality|stadt|ort|gebietskoerperschaft)\d*$", re.IGNORECASE)
FIXED_ANSWERS = {
    "Y": [("Y", {"de": "Ja", "en": "Yes"}), ("N", {"de": "Nein", "en": "No"})],
    "G": [("F", {"de": "Weiblich", "en": "Female"}), ("M", {"de": "Männlich", "en": "Male"})],
    "C": [("Y", {"de": "Ja", "en": "Yes"}), ("U", {"de": "Unsicher", "en": "Uncertain"}), ("N", {"de": "Nein", "en": "No"})],
    "E": [("I", {"de": "Mehr", "en": "Increase"}), ("S", {"de": "Gleich", "en": "Same"}), ("D", {"de": "Weniger", "en": "Decrease"})],
    "A": [(str(i), {"de": str(i), "en": str(i)}) for i in range(1, 6)],
    "5": [(str(i), {"de": str(i), "en": str(i)}) for i in range(1, 6)],
    "B": [(str(i), {"de": str(i), "en": str(i)}) for i in range(1, 11)],
}
DB_VERSION = "498"
DB_VERSION_3X = "359"


@dataclass
class LssInfo:
    """What the reader found, for the report."""

    layout: str                      # "3.x" or "4.x+"
    db_version: str
    base_language: str
    languages: list[str]
    read_languages: dict[str, str]   # codebook language -> LimeSurvey language read
    skipped: list[str] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"LimeSurvey survey structure, layout {self.layout} (DBVersion {self.db_version})",
                 f"questionnaire language: {self.base_language} (all: {', '.join(self.languages)}); "
                 f"read: {', '.join(f'{k} from {v}' for k, v in self.read_languages.items()) or 'none'}",
                 f"municipality question: {', '.join(self.municipality) or 'none found (use --municipality CODE)'}"]
        if self.skipped:
            lines.append(f"not converted ({len(self.skipped)}): {', '.join(self.skipped)}; leave them out of the "
                         "response export or add them to the codebook by hand")
        return "\n".join(lines)


def plain(text: str | None) -> str:
    """Question or answer text without HTML, entities decoded, single blanks."""
    text = re.sub(r"<br\s*/?>|</p>|</div>", " ", text or "", flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s+", " ", text).strip()


def _tables(root: ET.Element) -> dict[str, list[dict[str, str]]]:
    out = {}
    for table in root:
        rows = table.find("rows")
        if rows is not None:
            out[table.tag] = [{c.tag: (c.text or "") for c in row} for row in rows]
    return out


def _pick_languages(languages: list[str]) -> dict[str, str]:
    picked: dict[str, str] = {}
    for lang in sorted(languages, key=lambda x: (x not in LANGUAGE_MAP or LANGUAGE_MAP[x] != x, x)):
        target = LANGUAGE_MAP.get(lang.lower())
        if target and target not in picked:
            picked[target] = lang
    return picked


def read_lss(path: str | Path, municipality: list[str] | None = None) -> tuple[dict, LssInfo]:
    """A codebook spec (YAML structure) and what was read from a ``.lss`` file; bad files raise one error."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise DataValidationError(path, [Problem(None, None, f"not a LimeSurvey survey structure file (.lss): {exc}; "
                                                             "export it in LimeSurvey under Export > Survey structure")]) from None
    if root.tag != "document" or (root.findtext("LimeSurveyDocType") or "").strip() != "Survey":
        raise DataValidationError(path, [Problem(None, None, "not a LimeSurvey survey structure file (no "
                                                             "<LimeSurveyDocType>Survey</LimeSurveyDocType>)")])
    t = _tables(root)
    survey = (t.get("surveys") or [{}])[0]
    languages = [el.text or "" for el in root.findall("languages/language")] or [survey.get("language", "")]
    base = survey.get("language") or languages[0]
    picked = _pick_languages(languages)
    l10n = "question_l10ns" in t
    info = LssInfo("4.x+" if l10n else "3.x", (root.findtext("DBVersion") or "").strip(), base, languages, picked)
    if not picked:
        raise DataValidationError(path, [Problem(None, None, f"the questionnaire has no German or English texts "
                                                             f"(languages: {', '.join(languages)}); the codebook needs "
                                                             "German texts: add German in LimeSurvey and export again")])
    wanted = {v: k for k, v in picked.items()}

    def texts_of(rows: list[dict[str, str]], id_field: str, text_field: str) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for r in rows:
            if r.get("language") in wanted:
                out.setdefault(r[id_field], {})[wanted[r["language"]]] = plain(r.get(text_field))
        return out

    def unique(rows: list[dict[str, str]], id_field: str) -> list[dict[str, str]]:
        seen: dict[str, dict[str, str]] = {}
        for r in rows:
            seen.setdefault(r[id_field], r)
        return list(seen.values())

    questions_rows = t.get("questions", [])
    sub_rows = t.get("subquestions", []) + [r for r in questions_rows if r.get("parent_qid", "0") not in ("", "0")]
    questions_rows = [r for r in questions_rows if r.get("parent_qid", "0") in ("", "0")]
    answer_rows = t.get("answers", [])
    if l10n:
        qtexts = texts_of(t.get("question_l10ns", []), "qid", "question")
        atexts = texts_of(t.get("answer_l10ns", []), "aid", "answer")
        gtexts = texts_of(t.get("group_l10ns", []), "gid", "group_name")
        answer_key = "aid"
    else:
        qtexts = texts_of(questions_rows + sub_rows, "qid", "question")
        for r in answer_rows:
            r["_aid"] = f"{r['qid']}|{r.get('scale_id', '0')}|{r['code']}"
        atexts = texts_of(answer_rows, "_aid", "answer")
        gtexts = texts_of(t.get("groups", []), "gid", "group_name")
        answer_key = "_aid"
    groups = sorted(unique(t.get("groups", []), "gid"), key=lambda g: int(g.get("group_order") or 0))
    page_of = {g["gid"]: n for n, g in enumerate(groups, start=1)}
    attributes: dict[str, dict[str, str]] = {}
    for a in t.get("question_attributes", []):
        if not a.get("language") or a.get("language") == picked.get("de", base):
            attributes.setdefault(a["qid"], {})[a["attribute"]] = a.get("value", "")
    subs: dict[str, list[dict[str, str]]] = {}
    for r in unique(sub_rows, "qid"):
        subs.setdefault(r["parent_qid"], []).append(r)
    answers: dict[str, list[dict[str, str]]] = {}
    for r in unique(answer_rows, answer_key):
        if r.get("scale_id", "0") in ("", "0"):
            answers.setdefault(r["qid"], []).append(r)

    def options(rows: list[dict[str, str]], texts: dict[str, dict[str, str]], id_field: str, code_field: str,
                order_field: str) -> list[dict]:
        out = []
        for r in sorted(rows, key=lambda r: int(r.get(order_field) or 0)):
            labels = texts.get(r[id_field], {})
            out.append({"code": r[code_field], **{lang: labels[lang] for lang in ("de", "en") if labels.get(lang)}})
        return out

    marked = set(municipality or [])
    scales: dict[str, dict] = {}
    questions: list[dict] = []
    for q in sorted(unique(questions_rows, "qid"), key=lambda r: (page_of.get(r["gid"], 0), int(r.get("question_order") or 0))):
        code, qtype, qid = q["title"], q["type"], q["qid"]
        text = qtexts.get(qid, {})
        spec: dict = {"code": code}
        is_municipality = code in marked or (not marked and qtype in TEXTS | {"L", "!"} and MUNICIPALITY_CODES.match(code))
        if is_municipality:
            spec["type"] = "municipality"
            info.municipality.append(code)
        elif qtype in SINGLE:
            spec["type"] = "single"
        elif qtype in MULTIPLE:
            spec["type"] = "multiple"
        elif qtype in ARRAYS:
            spec["type"] = "likert"
        elif qtype == "N":
            spec["type"] = "numeric"
        elif qtype == "R":
            spec["type"] = "ranking"
        elif qtype in TEXTS:
            spec["type"] = "text"
        elif qtype == "X":  # a text display: no export column
            continue
        else:
            info.skipped.append(f"{code} (type {qtype})")
            continue
        spec.update({lang: text[lang] for lang in ("de", "en") if text.get(lang)})
        spec["page"] = page_of.get(q["gid"], 1)
        relevance = (q.get("relevance") or "").strip()
        if relevance not in ("", "1"):
            spec["condition"] = relevance
        attrs = attributes.get(qid, {})
        fixed = FIXED_ANSWERS.get(qtype)
        answer_list = ([{"code": c, **{lang: labels[lang] for lang in picked}} for c, labels in fixed] if fixed
                       else options(answers.get(qid, []), atexts, answer_key, "code", "sortorder"))
        if spec["type"] in ("single", "ranking"):
            if not answer_list:
                info.skipped.append(f"{code} (no answer options)")
                continue
            spec["answers"] = answer_list
        if spec["type"] in ("multiple", "likert"):
            spec["items"] = options(subs.get(qid, []), qtexts, "qid", "title", "question_order")
        if spec["type"] == "likert":
            signature = repr(answer_list)
            name = next((k for k, v in scales.items() if repr(v["answers"]) == signature), None)
            if name is None:
                name = code.lower()
                scales[name] = {"name": f"Skala von {code}", "answers": answer_list}
            spec["scale"] = name
        if q.get("other") == "Y" and spec["type"] in ("single", "multiple"):
            spec["other"] = True
        if qtype in ("O", "P"):
            spec["comments"] = True
        if spec["type"] == "ranking":
            spec["positions"] = int(attrs.get("max_answers") or 0) or len(answer_list)
        if spec["type"] == "numeric":
            for name, target in (("min_num_value_n", "min"), ("max_num_value_n", "max")):
                if attrs.get(name, "").strip():
                    spec[target] = float(attrs[name]) if "." in attrs[name] else int(attrs[name])
            if attrs.get("suffix"):
                spec["unit"] = plain(attrs["suffix"])
        spec["limesurvey_type"] = qtype
        questions.append(spec)
    titles = {r.get("surveyls_language"): plain(r.get("surveyls_title")) for r in t.get("surveys_languagesettings", [])}
    title = titles.get(picked.get("de")) or titles.get(base) or next(iter(titles.values()), "")
    survey_spec = {"id": survey.get("sid", ""), "title": title, "language": base, "languages": languages}
    return {"survey": survey_spec, "scales": scales, "questions": questions}, info


def dump_codebook(spec: dict, info: LssInfo, source: Path) -> str:
    """The codebook spec as YAML text, with a header saying where it came from."""
    import yaml

    header = [f"# Codebook read from {source.name} by `regiopole codebook` (LimeSurvey layout {info.layout}).",
              f"# Questionnaire language: {info.base_language}; all languages: {', '.join(info.languages)}.",
              "# Check the types (municipality!), add `short:` names and the scales' negative/neutral/positive points."]
    if info.skipped:
        header.append(f"# Not converted: {', '.join(info.skipped)}.")
    body = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=120)
    return "\n".join(header) + "\n" + body


def _table(parent: ET.Element, name: str, fields: list[str], rows: list[dict[str, object]]) -> None:
    table = ET.SubElement(parent, name)
    f = ET.SubElement(table, "fields")
    for name_ in fields:
        ET.SubElement(f, "fieldname").text = name_
    body = ET.SubElement(table, "rows")
    for r in rows:
        row = ET.SubElement(body, "row")
        for name_ in fields:
            ET.SubElement(row, name_).text = "" if r.get(name_) is None else str(r[name_])


def limesurvey_type(q: Question) -> str:
    if q.limesurvey_type and q.limesurvey_type in THEMES:
        return q.limesurvey_type
    if q.type == "municipality":
        return "S"
    if q.type == "single":
        if {a.code for a in q.answers} == {"Y", "N"} and not q.comments:
            return "Y"
        return "O" if q.comments else "L"
    return {"multiple": "P" if q.comments else "M", "likert": "F", "numeric": "N", "ranking": "R", "text": "T"}[q.type]


def write_lss(codebook: Codebook, path: str | Path, layout: str = "4.x+") -> Path:
    """Write the codebook's questionnaire as a ``.lss`` LimeSurvey can import (layout '4.x+' or '3.x')."""
    path = Path(path)
    langs = [lang for lang in ("de", "en") if any(lang in q.texts for q in codebook.questions)] or ["de"]
    sid = str(codebook.survey.get("id") or "100000")
    sid = sid if sid.isdigit() else "100000"
    pages = sorted({q.page or 1 for q in codebook.questions})
    gid_of = {p: 10 + n for n, p in enumerate(pages)}
    page_titles = codebook.survey.get("pages") or {}
    groups, questions, subquestions, answers, attributes = [], [], [], [], []
    qid, aid = 1000, 5000
    for order, q in enumerate(codebook.questions):
        qid += 1
        qtype = limesurvey_type(q)
        gid = gid_of[q.page or 1]
        base = {"qid": qid, "parent_qid": 0, "sid": sid, "gid": gid, "type": qtype, "title": q.code, "preg": "",
                "other": "Y" if q.other else "N", "mandatory": "N", "question_order": order, "scale_id": 0,
                "same_default": 0, "relevance": q.condition or "1", "modulename": "", "encrypted": "N",
                "question_theme_name": THEMES[qtype], "same_script": 0}
        questions.append((base, q.texts))
        if q.type in ("multiple", "likert"):
            for n, item in enumerate(q.items):
                qid += 1
                subquestions.append(({**base, "qid": qid, "parent_qid": base["qid"], "title": item.code,
                                      "question_order": n, "other": "N", "relevance": "1"}, item.labels))
        options = q.scale.answers if q.type == "likert" else q.answers
        if qtype not in ("Y",) and q.type in ("single", "likert", "ranking"):
            for n, option in enumerate(options):
                aid += 1
                answers.append(({"aid": aid, "qid": base["qid"], "code": option.code, "sortorder": n,
                                 "assessment_value": 0, "scale_id": 0}, option.labels))
        if q.type == "ranking" and q.positions < len(options):
            attributes.append({"qid": base["qid"], "attribute": "max_answers", "value": q.positions, "language": ""})
        if q.type == "numeric":
            low, high = q.bounds
            for name, value in (("min_num_value_n", low), ("max_num_value_n", high)):
                if value is not None:
                    attributes.append({"qid": base["qid"], "attribute": name, "value": value, "language": ""})
            if q.unit:
                attributes += [{"qid": base["qid"], "attribute": "suffix", "value": q.unit, "language": lang} for lang in langs]
    for p in pages:
        label = page_titles.get(p) if isinstance(page_titles, dict) else None
        groups.append(({"gid": gid_of[p], "sid": sid, "group_order": p - 1, "randomization_group": "", "grelevance": "1"},
                       {lang: label or (f"Seite {p}" if lang == "de" else f"Page {p}") for lang in langs}))
    root = ET.Element("document")
    ET.SubElement(root, "LimeSurveyDocType").text = "Survey"
    ET.SubElement(root, "DBVersion").text = DB_VERSION if layout == "4.x+" else DB_VERSION_3X
    lang_el = ET.SubElement(root, "languages")
    for lang in langs:
        ET.SubElement(lang_el, "language").text = lang
    q_fields = ["qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory", "question_order",
                "scale_id", "same_default", "relevance", "modulename", "encrypted", "question_theme_name", "same_script"]
    a_fields = ["aid", "qid", "code", "sortorder", "assessment_value", "scale_id"]
    g_fields = ["gid", "sid", "group_order", "randomization_group", "grelevance"]
    if layout == "4.x+":
        _table(root, "answers", a_fields, [a for a, _ in answers])
        _table(root, "answer_l10ns", ["id", "aid", "answer", "language"],
               [{"id": n, "aid": a["aid"], "answer": labels.get(lang, ""), "language": lang}
                for n, (a, labels, lang) in enumerate(((a, lb, lg) for a, lb in answers for lg in langs), start=1)])
        _table(root, "groups", g_fields, [g for g, _ in groups])
        _table(root, "group_l10ns", ["id", "gid", "group_name", "description", "language"],
               [{"id": n, "gid": g["gid"], "group_name": names[lang], "description": "", "language": lang}
                for n, (g, names, lang) in enumerate(((g, nm, lg) for g, nm in groups for lg in langs), start=1)])
        _table(root, "questions", q_fields, [q for q, _ in questions])
        _table(root, "subquestions", q_fields, [q for q, _ in subquestions])
        _table(root, "question_l10ns", ["id", "qid", "question", "help", "language", "script"],
               [{"id": n, "qid": q["qid"], "question": texts.get(lang, ""), "help": "", "language": lang, "script": ""}
                for n, (q, texts, lang) in enumerate(((q, tx, lg) for q, tx in questions + subquestions for lg in langs),
                                                     start=1)])
    else:  # 3.x: one row per language, texts inline
        _table(root, "answers", ["qid", "code", "answer", "sortorder", "assessment_value", "language", "scale_id"],
               [{**a, "answer": labels.get(lang, ""), "language": lang} for a, labels in answers for lang in langs])
        _table(root, "groups", ["gid", "sid", "group_name", "group_order", "description", "language",
                                "randomization_group", "grelevance"],
               [{**g, "group_name": names[lang], "description": "", "language": lang} for g, names in groups for lang in langs])
        f3 = ["qid", "parent_qid", "sid", "gid", "type", "title", "question", "preg", "help", "other", "mandatory",
              "question_order", "language", "scale_id", "same_default", "relevance", "modulename"]
        _table(root, "questions", f3, [{**q, "question": texts.get(lang, ""), "help": "", "language": lang}
                                       for q, texts in questions for lang in langs])
        _table(root, "subquestions", f3, [{**q, "question": texts.get(lang, ""), "help": "", "language": lang}
                                          for q, texts in subquestions for lang in langs])
    _table(root, "question_attributes", ["qid", "attribute", "value", "language"], attributes)
    _table(root, "surveys", ["sid", "gsid", "admin", "adminemail", "anonymized", "format", "savetimings", "template",
                             "language", "additional_languages", "datestamp", "usecookie", "allowsave", "allowprev",
                             "ipaddr", "refurl", "usetokens", "showprogress", "questionindex"],
           [{"sid": sid, "gsid": 1, "admin": "", "adminemail": "", "anonymized": "Y", "format": "G", "savetimings": "N",
             "template": "vanilla", "language": langs[0], "additional_languages": " ".join(langs[1:]), "datestamp": "Y",
             "usecookie": "N", "allowsave": "Y", "allowprev": "Y", "ipaddr": "N", "refurl": "N", "usetokens": "N",
             "showprogress": "Y", "questionindex": 0}])
    _table(root, "surveys_languagesettings", ["surveyls_survey_id", "surveyls_language", "surveyls_title",
                                              "surveyls_description", "surveyls_welcometext", "surveyls_endtext",
                                              "surveyls_dateformat", "surveyls_numberformat"],
           [{"surveyls_survey_id": sid, "surveyls_language": lang, "surveyls_title": codebook.survey.get("title", ""),
             "surveyls_description": "", "surveyls_welcometext": "", "surveyls_endtext": "",
             "surveyls_dateformat": 1 if lang == "de" else 9, "surveyls_numberformat": 1 if lang == "de" else 0}
            for lang in langs])
    ET.indent(root, space=" ")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n")
    tmp.replace(path)
    return path
