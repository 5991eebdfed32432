"""One redaction for every free-text field that reaches an output.

:class:`Redactor` (configured once: the names list and, for answers of respondents, the
member municipalities) replaces, in this order:

* links to personal pages: social-network profiles, personal paths (``/~user``,
  ``/mitarbeiter/...``) and paths holding a listed name -> ``[Link entfernt]``;
* e-mail addresses, whole, plain or obfuscated (``[at]``, ``(at)``, `` at ``, ``(dot)``,
  ``[punkt]``) -> ``[E-Mail entfernt]``;
* IBANs -> ``[IBAN entfernt]``;
* phone numbers in DIN 5008 and sloppy spacing (``0 52 51 / 88 16 158``), with
  ``+49``/``0049``; dates, amounts, AGS and other keys stay -> ``[Telefon entfernt]``;
* street addresses with house number, and a postcode with its town -> ``[Adresse entfernt]``;
* names from the list in every spelling (full name, surname alone, initial and surname,
  "Nachname, Vorname", ue/oe/ae/ss for ü/ö/ä/ß and back) and any capitalised name after a
  role word (Frau, Herr, Dr., Prof., Bürgermeisterin, Kämmerer, Amtsleiterin,
  Ansprechpartner, ...) -> ``[Name entfernt]``; the role word stays, so do organisations
  ("Stadt Paderborn", "Kreis Höxter") and roles ("die Digitalisierungsbeauftragte");
* the places (member municipalities), when configured -> ``[Ort]``.

What it cannot find: a name that is neither listed nor follows a role word ("sprach mit
Jana Beispiel"). Such names must be checked by hand (data/README.md says how).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

EMAIL_TEXT = "[E-Mail entfernt]"
PHONE_TEXT = "[Telefon entfernt]"
URL_TEXT = "[Link entfernt]"
NAME_TEXT = "[Name entfernt]"
PLACE_TEXT = "[Ort]"
IBAN_TEXT = "[IBAN entfernt]"
ADDRESS_TEXT = "[Adresse entfernt]"
#: The one names list, in the data folder: used for every free-text field of every report.
NAMES_FILE = "survey_names.txt"

_AT = r"(?:\s*@\s*|\s*[\[({<]\s*(?:at|ät|@)\s*[\])}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\[({<]\s*(?:dot|punkt)\s*[\])}>]\s*|\s+(?:dot|punkt)\s+)"
EMAIL = re.compile(rf"[\w%+-]+(?:{_DOT}[\w%+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[A-Za-z]{{2,}}\b", re.IGNORECASE)
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
PERSONAL_PATH = re.compile(
    r"/~|/(?:users?|people|person|personen|profile?|profil|mitarbeiter(?:innen)?|team|staff|home|u|in|pub)/", re.IGNORECASE)
SOCIAL = re.compile(r"(?:^|[/.])(?:linkedin\.com|xing\.com|facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|"
                    r"tiktok\.com|threads\.net|mastodon\.[a-z]+|bsky\.app|github\.com|youtube\.com/@)", re.IGNORECASE)
BARE_SOCIAL = re.compile(r"(?<![\w/.])(?:linkedin|xing|facebook|instagram|twitter|x|tiktok)\.com/[^\s<>\"')\]]+", re.IGNORECASE)
MASTODON = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{2,}@[\w-]+(?:\.[\w-]+)+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30}\b")
_SEP = r"[ \t\u00a0\-/.]{0,3}"
PHONE = re.compile(
    rf"(?<![\w+.,/-])(?:(?:\+|00)\s?49{_SEP}(?:\(0\){_SEP})?|\(0[\d ]{{2,6}}\){_SEP}|0{_SEP})"
    rf"(?:\d{_SEP}){{4,13}}\d(?![\w])"
)
PHONE_CONTEXT = re.compile(r"(?:Tel(?:efon)?|Fon|Fax|Mobil|Handy|Durchwahl|Rufnummer|Nr)\.?:?\s*$", re.IGNORECASE)
KEY_CONTEXT = re.compile(r"(?:AGS|ARS|Gemeindekennziffer|Gemeindeschlüssel|Regionalschlüssel|OZG|LeiKa|ID|Aktenzeichen|Az)"
                         r"[.:\-\s]*(?:Nr\.?\s*)?$", re.IGNORECASE)
DATE = re.compile(r"^\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})$")
_STREET_WORD = (r"[A-ZÄÖÜ][\wäöüß.-]*(?:straße|strasse|str\.|weg|platz|allee|gasse|ring|damm|ufer|markt|wall|steig|pfad|"
                r"chaussee|stieg|hof|berg|graben|tor|kamp|feld|winkel)")
_HOUSE = r"\d{1,3}(?:\s?[a-zA-Z](?![\wäöüß]))?(?:\s?[-–/]\s?\d{1,3}[a-zA-Z]?)?(?!\d|[.,]\d)"
_TOWN = r"(?:D-)?\d{5}\s+[A-ZÄÖÜ\[][\wäöüß\[\]-]*(?:\s(?:an der|am|im|in|bei|ob der)\s[A-ZÄÖÜ][\wäöüß]*|\s\([A-Z][\w ]*\))?"
ADDRESS = re.compile(
    rf"(?:\b(?:Straße|Strasse|Platz|Allee|Weg|Gasse|Am|An der|Auf der|Im|In der|Zum|Zur)\s+[A-ZÄÖÜ][\wäöüß-]*\s+{_HOUSE}"
    rf"|\b{_STREET_WORD}\s+{_HOUSE}|\b(?:[A-ZÄÖÜ][\wäöüß-]*\s)?(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Gasse|Ring)\s+{_HOUSE}"
    rf"|\bPostfach\s+\d[\d ]*)(?:,?\s*(?:in\s+)?{_TOWN})?(?!\d)"
    rf"|(?:PLZ:?\s*|D-)\d{{5}}(?:\s+[A-ZÄÖÜ\[][\wäöüß\[\]-]*)?|\b\d{{5}}\s+(?=\[Ort\])\[Ort\]"
)
ROLE_WORDS = (
    "Frau", "Herr", "Herrn", "Fr.", "Hr.", "Dr.", "Prof.", "Dipl.-Ing.", "Bürgermeisterin", "Bürgermeister", "Bürgermeisters",
    "Bürgermeisterinnen", "Kämmerin", "Kämmerer", "Kämmerers", "Amtsleiterin", "Amtsleiter", "Ansprechpartnerin",
    "Ansprechpartner", "Ansprechperson", "Kontaktperson", "Kontakt", "Sachbearbeiterin", "Sachbearbeiter", "Kollegin",
    "Kollege", "Kollegen", "Leiterin", "Leiter", "Landrätin", "Landrat", "Dezernentin", "Dezernent", "Beigeordnete",
    "Beigeordneter", "Fachbereichsleiterin", "Fachbereichsleiter", "Abteilungsleiterin", "Abteilungsleiter",
    "Beauftragte", "Beauftragter", "Digitalisierungsbeauftragte", "Digitalisierungsbeauftragter", "CDO",
    "Projektleiterin", "Projektleiter", "Mitarbeiterin", "Mitarbeiter", "gez.", "i.A.", "i. A.", "i.V.", "i. V.",
    "Gruß", "Grüße", "Grüßen", "Gruss", "Gruesse", "Ansprechpartner:in", "Bürgermeister:in", "Kämmerer:in",
)
#: Role words that are ordinary nouns too ("Mitarbeiter Fortbildungen anbieten"): a name after them needs two words
#: (first name and surname, or initial and surname).
GENERIC_ROLES = {
    "Mitarbeiterin", "Mitarbeiter", "Kollegin", "Kollege", "Kollegen", "Leiterin", "Leiter", "Kontakt", "Kontaktperson",
    "Ansprechperson", "Beauftragte", "Beauftragter", "Digitalisierungsbeauftragte", "Digitalisierungsbeauftragter",
    "Projektleiterin", "Projektleiter", "Sachbearbeiterin", "Sachbearbeiter", "Abteilungsleiterin", "Abteilungsleiter",
    "Fachbereichsleiterin", "Fachbereichsleiter", "Gruß", "Grüße", "Grüßen", "Gruss", "Gruesse", "CDO",
}
#: Words after a role word that start an organisation or a role, not a name.
NOT_A_NAME = {
    "Stadt", "Gemeinde", "Kreis", "Kreises", "Stadtverwaltung", "Verwaltung", "Amt", "Amtes", "Fachbereich", "Abteilung",
    "Stabsstelle", "Team", "Referat", "Dezernat", "Bereich", "IT", "Digitalisierung", "Landkreis", "Landkreises", "Land",
    "Bezirksregierung", "Region", "Regiopolregion", "Kommune", "Kommunen", "Zweckverband", "Rechenzentrum", "Der", "Die",
    "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Einem", "Einer", "Für", "Von", "Vom", "Zur", "Zum", "Im", "Am",
    "Und", "Oder", "Sowie", "Als", "Mit", "Bei", "Nach", "Wir", "Sie", "Ich", "Es", "Ihr", "Ihre", "Unsere", "Unser",
    "Mehr", "Alle", "Viele", "Beste", "Besten", "Freundliche", "Freundlichen", "Herzliche", "Herzlichen", "Liebe",
    "Lieben", "Viel", "Vielen", "Dank", "Frau", "Herr", "Herrn", "Dr", "Prof", "Bürgermeisterin", "Bürgermeister",
    "Digitalisierungsbeauftragte", "Digitalisierungsbeauftragten", "Ansprechpartner", "Ansprechpartnerin", "Leitung",
    "Jahr", "Jahre", "Jahren", "Projekt", "Projekte", "Personal", "Geld", "Zeit", "Ende", "Anfang", "Termin", "Onlinezugangsgesetz",
    "OZG", "Kreistag", "Rat", "Rats", "Verwaltungsvorstand", "Finanzen", "Bauamt", "Ordnungsamt", "Bürgerbüro",
}
_TITLE = r"(?:(?:Dr|Prof|Dipl\.-[A-Z][a-z]+|med|rer\.\s?nat|phil|jur|h\.\s?c)\.\s*)"
_NAME_TOKEN = r"(?:[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?|[A-ZÄÖÜ]\.(?:\s?-?[A-ZÄÖÜ]\.)?)"
_PARTICLE = r"(?:von|van|de|zu|vom|von der|van der|ter)"
ROLE_NAME = re.compile(
    r"(?<![\w])(?P<role>" + "|".join(re.escape(w).replace(r"\ ", r"\s?") for w in sorted(ROLE_WORDS, key=len, reverse=True))
    + rf")(?P<sep>[,:]?\s+|\s*:\s*){_TITLE}*(?P<name>{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{0,2}})(?![\w])"
)
UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü"}


def load_names(path: str | Path | None) -> list[str]:
    """Names to redact from ``path`` (UTF-8, one per line, ``#`` comments); none for ``None``."""
    if path is None:
        return []
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: list of names to redact not found; check the redact_names_file parameter")
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8-sig").splitlines())
    return [line for line in lines if line]


def _spelling(word: str) -> str:
    """Regex for one word in every spelling: ü/ue/u, ß/ss, any case; ``ue`` in the list also matches ``ü``."""
    out = []
    i = 0
    lower = word.lower()
    while i < len(lower):
        two = lower[i:i + 2]
        if two in UMLAUT_OF:
            out.append(f"(?:{two}|{UMLAUT_OF[two]})")
            i += 2
            continue
        if two == "ss":
            out.append("(?:ss|ß)")
            i += 2
            continue
        ch = lower[i]
        plain = {"ä": "a", "ö": "o", "ü": "u"}.get(ch)
        if plain:
            out.append(f"(?:{ch}|{plain}e|{plain})")
        elif ch == "ß":
            out.append("(?:ß|ss)")
        elif ch in " -":
            out.append(r"[\s-]+")
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _name_alternatives(name: str) -> list[str]:
    """Patterns of one listed name: full, reversed with comma, initial + surname, surname alone."""
    parts = name.split()
    if len(parts) == 1:
        return [_spelling(parts[0])]
    first, last = " ".join(parts[:-1]), parts[-1]
    f, s = _spelling(first), _spelling(last)
    initial = re.escape(first[0].lower())
    return [rf"{f}\s+{s}", rf"{s}\s*,\s*{f}", rf"{initial}\.\s?{s}", s]


def names_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One pattern for all listed names in all their spellings (longest alternatives first)."""
    alternatives = [a for n in dict.fromkeys(n.strip() for n in names if n and n.strip()) for a in _name_alternatives(n)]
    if not alternatives:
        return None
    alternatives = sorted(set(alternatives), key=len, reverse=True)
    return re.compile(rf"(?<![\w])(?:{'|'.join(alternatives)})(?![\w])", re.IGNORECASE)


def _places_pattern(places: Iterable[str]) -> re.Pattern | None:
    unique = sorted({p.strip() for p in places if p and p.strip()}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile(rf"(?<![\w])(?:{'|'.join(_spelling(p) for p in unique)})(?![\w])", re.IGNORECASE)


def _redact_url(match: re.Match, names: re.Pattern | None) -> str:
    url = match.group(0)
    path = re.sub(r"^(?:https?://)?[^/]*", "", url, flags=re.IGNORECASE)
    readable = re.sub(r"[-_.+]", " ", path)
    if SOCIAL.search(url) or PERSONAL_PATH.search(path) or (names is not None and names.search(readable)):
        return URL_TEXT
    return url


def _phone(match: re.Match) -> str:
    number = match.group(0)
    before = match.string[max(0, match.start() - 40):match.start()]
    digits = re.sub(r"\D", "", number)
    if DATE.match(number.strip()) or KEY_CONTEXT.search(before):
        return number
    separated = bool(re.search(r"[\s\-/.()]", number.strip())) or number.startswith(("+", "00"))
    if not separated and len(digits) < 9 and not PHONE_CONTEXT.search(before):
        return number  # an 8-digit AGS or another key, not a phone number
    return PHONE_TEXT


def _role_names(text: str) -> str:
    """Replace the name after every role word; after a word that starts no name, look again from there."""
    out, position = [], 0
    while (match := ROLE_NAME.search(text, position)) is not None:
        first = re.split(r"[\s.]", match.group("name"))[0]
        single = len(re.findall(r"[A-ZÄÖÜ]", match.group("name"))) < 2
        if first in NOT_A_NAME or (single and match.group("role") in GENERIC_ROLES):
            out.append(text[position:match.start("name")])
            position = match.start("name")
            continue
        out.append(text[position:match.start("name")] + NAME_TEXT)
        position = match.end()
    return "".join(out) + text[position:]


@dataclass(frozen=True)
class Redactor:
    """The redaction configuration: the names list and (for answers of respondents) the places."""

    names: tuple[str, ...] = ()
    places: tuple[str, ...] = field(default=())

    def __call__(self, text: object) -> str:
        return redact(text, self.names, self.places)

    def without_places(self) -> Redactor:
        """The same names, places kept (for texts of institutions: goal tree, lead projects)."""
        return Redactor(self.names)


def redact(text: object, names: Iterable[str] = (), places: Iterable[str] = ()) -> str:
    """Return ``text`` with personal data replaced by placeholders (see the module docstring)."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return ""
    names_re = names_pattern(names)
    out = URL.sub(lambda m: _redact_url(m, names_re), str(text))
    out = BARE_SOCIAL.sub(URL_TEXT, MASTODON.sub(URL_TEXT, out))
    out = EMAIL.sub(EMAIL_TEXT, out)
    out = IBAN.sub(IBAN_TEXT, out)
    out = PHONE.sub(_phone, out)
    out = ADDRESS.sub(ADDRESS_TEXT, out)
    if names_re is not None:
        out = names_re.sub(NAME_TEXT, out)
    out = _role_names(out)
    places_re = _places_pattern(places)
    if places_re is not None:
        out = places_re.sub(PLACE_TEXT, out)
        out = re.sub(r"\b\d{5}\s+\[Ort\]", ADDRESS_TEXT, out)
    return out


def contains_personal_data(text: str) -> bool:
    """True when ``text`` still holds an e-mail address, a phone number or an IBAN."""
    return (bool(EMAIL.search(text)) or bool(IBAN.search(text))
            or any(_phone(m) == PHONE_TEXT for m in PHONE.finditer(text)))


def default_names_file(data_dir: str | Path) -> Path:
    """``survey_names.txt`` in the data folder: the one names list of every report."""
    return Path(data_dir) / NAMES_FILE


def redactor(data_dir: str | Path | None = None, names_file: str | Path | None = None,
             places: Iterable[str] = ()) -> Redactor:
    """The redaction of a run: names from ``names_file``, else from the data folder's list (if any)."""
    if names_file is not None:
        names = load_names(names_file)
    elif data_dir is not None and default_names_file(data_dir).is_file():
        names = load_names(default_names_file(data_dir))
    else:
        names = []
    return Redactor(tuple(names), tuple(places))
