"""Example data for module 2: a LimeSurvey response export of the municipal survey.

Writes ``survey_export.csv`` exactly as LimeSurvey's web UI exports responses (UTF-8 with
BOM, CRLF, every value quoted, question codes as headings, answer codes, comma) and
``survey_names.txt``, the list of personal names to redact (fictitious names only).

The answers are invented, but anchored in published national figures: staff shortage named
by 55-70 %, gaps in digital skills 55-65 %, missing project-management structures 40-55 %,
an adopted digital strategy 20-35 %, wish for inter-municipal exchange 75-95 %, for
training 60-70 %, a digitalisation officer in 30-45 % (fewer in small towns). Shares are
set exactly (the number of agreeing respondents), only who agrees is random. The file also
holds what a real export holds: most but not all municipalities, incomplete responses
(empty ``submitdate``), one municipality answering twice, names typed in several spellings,
free text with fake e-mail addresses (example.org), phone numbers and names, and access
codes and IP addresses (documentation ranges, RFC 5737) that the import must never read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import yaml

from regiopole.data import Region
from regiopole.example.common import write_text
from regiopole.paths import reference_dir

EXPORT_FILE = "survey_export.csv"
NAMES_FILE = "survey_names.txt"
META = ("id", "token", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl")
NON_RESPONDENTS = 5
FIELDWORK_START = dt.datetime(2021, 10, 4, 8, 0)
FIELDWORK_DAYS = 38
#: Share agreeing (A4/A5) per Likert item; anchored where a national figure exists.
AGREE = {"HUERDEN[SQ001]": 0.48, "HUERDEN[SQ002]": 0.63, "HUERDEN[SQ003]": 0.60, "HUERDEN[SQ004]": 0.55,
         "HUERDEN[SQ005]": 0.42, "HUERDEN[SQ006]": 0.33, "HUERDEN[SQ007]": 0.25,
         "UNTERST[SQ001]": 0.65, "UNTERST[SQ002]": 0.85, "UNTERST[SQ003]": 0.70}
KOOP_SHARE = {"SQ001": 0.70, "SQ002": 0.80, "SQ003": 0.50, "SQ004": 0.60, "SQ005": 0.55, "SQ006": 0.30}
NAMES = ("Erika Mustermann", "Max Mustermann", "Lieschen Müller", "Otto Normalverbraucher")
FREE_TEXTS = (
    "Wir würden uns über regelmäßige Treffen der Digitalisierungsbeauftragten freuen. Ansprechpartnerin bei uns ist "
    "Frau Erika Mustermann, erika.mustermann@example.org, Tel. 05999 -12 34567.",
    "Personal ist unser größtes Problem: Die Stelle für Digitalisierung ist seit einem Jahr unbesetzt.",
    "Gemeinsame Schnittstellen und Standards würden uns viel Arbeit sparen. Rückfragen gern an Max Mustermann "
    "(max.mustermann@example.org).",
    "Eine gemeinsame Wissensplattform wäre hilfreich, etwa nach dem Vorbild https://www.example.org/wissensplattform.",
    "Fortbildungsangebote für die Beschäftigten fehlen; externe Schulungen sind für uns zu teuer.",
    "Das Oberzentrum sollte als Zugpferd vorangehen und Leistungen für die Umlandkommunen bereitstellen.",
    "Förderanträge binden viel Personal, Beratung zu Förderprogrammen wäre gut. Meine Notizen dazu: "
    "https://intranet.example.org/~lmueller/foerderung",
    "Kontakt für Rückfragen: Lieschen Müller, Tel. (05999) 987654, lieschen.mueller@example.org",
    "IT-Sicherheit überfordert kleine Verwaltungen; eine gemeinsame Lösung mit den Nachbarkommunen wäre sinnvoll.",
    "Mehr interkommunaler Austausch wäre gut, gerne auch mit {place}.",
    "Haushaltsmittel für Software und Lizenzen sind knapp, der Breitbandausbau bindet unsere Kapazitäten.",
    "Meine Durchwahl für Fragen: +49 5999 1234-56. Otto Normalverbraucher",
    "Wir brauchen Schulungen zu digitalen Kompetenzen und mehr Personal für die IT.",
)
OTHER_TEXTS = ("Gemeinsamer Betrieb eines Rechenzentrums", "Interkommunaler Personalpool für IT-Fachkräfte")
#: Size of the region the example was first built for: NON_RESPONDENTS scale with the region from it
#: (at least one when the region has 4 or more members).
REFERENCE_SIZE = 29


def limesurvey_csv(headings: list[str], rows: list[list[str | None]], sep: str = ",") -> bytes:
    """Bytes of a CSV as LimeSurvey writes it: BOM, CRLF, values quoted, ``None`` unquoted empty."""
    def field(value: str | None) -> str:
        return "" if value is None else '"' + str(value).replace('"', '""') + '"'
    lines = [sep.join(field(h) for h in headings)] + [sep.join(field(v) for v in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def codebook_fields(spec: dict) -> list[tuple[str, dict]]:
    """(code heading, question) for every export column of the codebook's questions."""
    out = []
    for q in spec["questions"]:
        if q["type"] in ("multiple", "likert"):
            out += [(f"{q['code']}[{i['code']}]", q) for i in q["items"]]
        elif q["type"] == "ranking":
            out += [(f"{q['code']}[{r}]", q) for r in range(1, q["positions"] + 1)]
        else:
            out.append((q["code"], q))
        if q.get("other"):
            out.append((f"{q['code']}[other]", q))
    return out


def exact_choice(rng: np.random.Generator, n: int, share: float, weights: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask with exactly round(share * n) True entries, drawn with optional weights."""
    k = int(round(share * n))
    p = None if weights is None else weights / weights.sum()
    chosen = rng.choice(n, size=k, replace=False, p=p)
    mask = np.zeros(n, dtype=bool)
    mask[chosen] = True
    return mask


def likert_answers(rng: np.random.Generator, n: int, share: float) -> list[str]:
    agree = exact_choice(rng, n, share)
    return [str(rng.choice(["A4", "A5"], p=[0.6, 0.4])) if a else str(rng.choice(["A1", "A2", "A3"], p=[0.15, 0.4, 0.45]))
            for a in agree]


def spelling(rng: np.random.Generator, name: str, prefix: str = "Stadt") -> str:
    """The municipality as a respondent might type it (``prefix``: "Stadt" or "Gemeinde")."""
    variant = int(rng.integers(0, 6))
    if variant == 0:
        return f"{prefix} {name}"
    if variant == 1:
        return name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    if variant == 2:
        return f" {name.lower()} "
    return name


def final_answers(rng: np.random.Generator, members, region: Region) -> list[dict[str, str | None]]:
    """The answers of the responses that count, with the anchored shares."""
    n = len(members)
    population = members["population"].to_numpy(dtype=float)
    answers: list[dict[str, str | None]] = [{} for _ in range(n)]
    columns = {c: likert_answers(rng, n, s) for c, s in AGREE.items()}
    columns["DIGIBEAUF"] = ["Y" if y else "N" for y in exact_choice(rng, n, 0.38, np.sqrt(population))]
    strategy = exact_choice(rng, n, 0.28, np.sqrt(population))
    columns["STRATEGIE"] = ["A1" if s else str(rng.choice(["A2", "A3"], p=[0.55, 0.45])) for s in strategy]
    columns["PERSLAGE"] = [str(rng.choice(["A1", "A2"], p=[0.3, 0.7])) if bad else str(rng.choice(["A3", "A4", "A5"], p=[0.6, 0.35, 0.05]))
                           for bad in exact_choice(rng, n, 0.45)]
    columns["STAND"] = [str(rng.choice(["A1", "A2", "A3", "A4", "A5"], p=[0.08, 0.37, 0.38, 0.15, 0.02])) for _ in range(n)]
    fte = np.maximum(0.5, np.round(2 * population / 12000 * rng.lognormal(0, 0.35, n)) / 2)
    columns["VZAE"] = [f"{v:.1f}".rstrip("0").rstrip(".") for v in fte]
    for code, share in KOOP_SHARE.items():
        columns[f"KOOP[{code}]"] = ["Y" if y else "" for y in exact_choice(rng, n, share)]
    columns["KOOP[other]"] = [""] * n
    for position, text in zip(rng.choice(n, size=min(len(OTHER_TEXTS), n), replace=False), OTHER_TEXTS, strict=False):
        columns["KOOP[other]"][position] = text
    weights = np.array([KOOP_SHARE[f"SQ00{i}"] for i in range(1, 7)])
    ranks = [rng.choice(6, size=3, replace=False, p=weights / weights.sum()) for _ in range(n)]
    for r in range(3):
        columns[f"PRIO[{r + 1}]"] = [f"A{ranking[r] + 1}" for ranking in ranks]
    texts = [""] * n
    places = [name for name in region.municipalities["name"]]
    for position, text in zip(rng.choice(n, size=min(len(FREE_TEXTS), n), replace=False), FREE_TEXTS, strict=False):
        texts[position] = text.format(place=places[int(rng.integers(0, len(places)))])
    columns["ANMERKUNG"] = texts
    for column in ("HUERDEN[SQ006]", "UNTERST[SQ003]"):  # shown, not answered: 1 disagreeing respondent each
        disagree = [i for i, v in enumerate(columns[column]) if v in ("A1", "A2", "A3")]
        if disagree:
            columns[column][disagree[0]] = ""
    for i in range(n):
        answers[i] = {c: values[i] for c, values in columns.items()}
    return answers


def timestamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def response_row(rng: np.random.Generator, fields: list[str], answers: dict, name: str, start: dt.datetime,
                 complete: bool, lastpage: int, prefix: str = "Stadt") -> dict[str, str | None]:
    """One export row; fields after ``lastpage`` of an incomplete response were not shown (None)."""
    end = start + dt.timedelta(minutes=int(rng.integers(8, 45)), seconds=int(rng.integers(0, 60)))
    alphabet = list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
    row: dict[str, str | None] = {
        "token": "".join(rng.choice(alphabet, size=15)), "submitdate": timestamp(end) if complete else None,
        "lastpage": str(lastpage), "startlanguage": "de", "seed": str(int(rng.integers(10**8, 2 * 10**9))),
        "startdate": timestamp(start), "datestamp": timestamp(end),
        "ipaddr": f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{int(rng.integers(1, 255))}",
        "refurl": None if rng.random() < 0.7 else "https://www.example.org/newsletter/2021-10",
        "GEMEINDE": spelling(rng, name, prefix),
    }
    page_of = {"STAND": 1, "VZAE": 2, "PERSLAGE": 2, "DIGIBEAUF": 2, "STRATEGIE": 2, "HUERDEN": 3, "KOOP": 3, "PRIO": 3,
               "UNTERST": 4, "ANMERKUNG": 4}
    for f in fields:
        page = page_of.get(f.split("[")[0], 1)
        row[f] = answers.get(f, "") if complete or page <= lastpage else None
    return row


def generate(out_dir: Path, rng: np.random.Generator, region: Region) -> list[Path]:
    """Write the example LimeSurvey export and the list of names to redact."""
    spec = yaml.safe_load((reference_dir() / "survey_codebook.yaml").read_text(encoding="utf-8"))
    fields = [c for c, _ in codebook_fields(spec) if c != "GEMEINDE"]
    members = region.municipalities.reset_index(drop=True)
    others = members.index[members["ags"] != region.oberzentrum].to_numpy()
    small_first = 1 / np.sqrt(members.loc[others, "population"].to_numpy(dtype=float))
    n_absent = min(len(others), max(1 if len(members) >= 4 else 0, round(NON_RESPONDENTS * len(members) / REFERENCE_SIZE)))
    absent = set(rng.choice(others, size=n_absent, replace=False, p=small_first / small_first.sum()))
    respondents = members.loc[[i for i in members.index if i not in absent]].reset_index(drop=True)
    answers = final_answers(rng, respondents, region)
    starts = sorted(FIELDWORK_START + dt.timedelta(minutes=int(m)) for m in rng.integers(0, FIELDWORK_DAYS * 24 * 60, len(respondents) + 4))
    kind = {a: "Gemeinde" if a in region.gemeinden else "Stadt" for a in members["ags"]}
    prefix = respondents["ags"].map(kind).tolist()
    rows = [response_row(rng, fields, answers[i], respondents.at[i, "name"], starts[i + 2], True, 4, prefix[i])
            for i in range(len(respondents))]
    twice = int(rng.integers(0, len(respondents)))  # answered twice: an earlier complete response, set aside
    earlier = final_answers(rng, respondents, region)[twice]
    rows.append(response_row(rng, fields, earlier, respondents.at[twice, "name"], starts[0], True, 4, prefix[twice]))
    abandoned = int(rng.integers(0, len(respondents)))  # started, abandoned, answered again later
    rows.append(response_row(rng, fields, answers[abandoned], respondents.at[abandoned, "name"], starts[1], False, 1,
                             prefix[abandoned]))
    for k, i in enumerate(sorted(absent)[:2]):  # started but never submitted: these municipalities did not take part
        rows.append(response_row(rng, fields, answers[k], members.at[i, "name"], starts[-1 - k], False, 2 + k,
                                 kind[members.at[i, "ags"]]))
    rows.sort(key=lambda r: r["startdate"])
    headings = [*META, "GEMEINDE", *fields]
    table = [[str(n + 1) if h == "id" else row.get(h) for h in headings] for n, row in enumerate(rows)]
    export = out_dir / EXPORT_FILE
    export.parent.mkdir(parents=True, exist_ok=True)
    export.write_bytes(limesurvey_csv(headings, table))
    names = write_text(out_dir / NAMES_FILE, "# Personal names to redact from free-text answers (one per line).\n"
                       "# Example data: fictitious names only. For real data keep this list in data/raw/.\n"
                       + "\n".join(NAMES) + "\n")
    return [export, names]
