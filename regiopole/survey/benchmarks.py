"""The region beside published national figures, and survey answers against the inventory index.

``data/reference/survey_benchmarks.csv`` names for each national figure its source and the
question, item and answer codes whose share in the region it is set beside. The region's
share is published only where its own table publishes every count it is made of.

The rank correlation reads the inventory index that notebook 01 writes
(``tables/inventory_index.csv``: ``ags, maturity_index``) and reports only the
coefficient and n, never the points per municipality.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from regiopole import privacy
from regiopole.data import DataValidationError, Problem, read_table, validate
from regiopole.data import schemas as s
from regiopole.paths import reference_dir, resolve
from regiopole.privacy.audit import SALDO, Structure
from regiopole.style import german_number, german_percent
from regiopole.survey.analysis import cooperation_interest, hurdle_index, likert_frequencies_for
from regiopole.survey.codebook import Codebook
from regiopole.survey.likert import checked, count_share

MIN_CORRELATION_N = 8


def benchmark_schema(codebook: Codebook) -> pa.DataFrameSchema:
    return s.table({
        "benchmark_id": s.text(unique=True),
        "indicator": s.text(),
        "national_share": s.number(0, 1),
        "national_text": s.text(),
        "question": s.one_of([q.code for q in codebook.questions], what="a question code of the codebook"),
        "item": s.text(nullable=True),
        "answer_codes": s.text(),
        "source": s.text(),
        "source_year": s.integer(1990, 2100),
        "url": s.text(nullable=True),
        "comparability": s.text(),
    })


def load_benchmarks(codebook: Codebook, path: str | Path | None = None) -> pd.DataFrame:
    """The published national figures (validated; items and codes checked against the codebook)."""
    table = validate(read_table(resolve(path) if path else reference_dir() / "survey_benchmarks.csv"),
                     benchmark_schema(codebook))
    problems = []
    for i, row in table.iterrows():
        q = codebook.question(row["question"])
        options = q.scale.codes if q.scale else [a.code for a in q.answers] or ["Y"]
        if pd.notna(row["item"]) and row["item"] not in {it.code for it in q.items}:
            problems.append(s_problem(i, "item", f"{row['item']!r} is not an item of {q.code}"))
        bad = [c for c in row["answer_codes"].split("|") if c not in options]
        if bad:
            problems.append(s_problem(i, "answer_codes", f"{bad} are not answer codes of {q.code} ({options})"))
    if problems:
        raise DataValidationError(table.attrs.get("source", "survey_benchmarks.csv"), problems)
    return table


def s_problem(index: int, column: str, message: str) -> Problem:
    return Problem(int(index) + 2, column, message)


def benchmark_table(responses: pd.DataFrame, codebook: Codebook, benchmarks: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """Region (x von n) beside the national figure, with source and comparability note.

    Declares its structure to the disclosure audit with the unknown counts of the question's own
    table (``field|code``), so that the audit sees a benchmark and its question together.
    """
    rows = []
    structure = Structure(min_cell_size=min_cell_size)
    for position, b in benchmarks.reset_index(drop=True).iterrows():
        column = f"{b['question']}[{b['item']}]" if pd.notna(b["item"]) else b["question"]
        freq = likert_frequencies_for(responses, codebook, column, min_cell_size)
        codes = b["answer_codes"].split("|")
        everything = list(freq.counts.columns)
        for code in everything:
            structure.variable(freq.var(column, code), len(responses))
        freq.declare_cell(structure, position, "Region", column, codes)
        structure.cell(position, "Anteil Region (%)", SALDO, freq.expr(column, codes), freq.expr(column, everything), decimals=1)
        count = freq.group(column, codes)
        n = int(freq.n[column])
        rows.append({
            "Kennzahl": b["indicator"],
            "Region": privacy.SUPPRESSED if count is None else count_share(count, n),
            "Anteil Region (%)": None if count is None or n == 0 else round(100 * count / n, 1),
            "Bundesweit": b["national_text"],
            "Anteil bundesweit (%)": round(100 * float(b["national_share"]), 1),
            "Quelle": f"{b['source']}; {b['url']}" if pd.notna(b["url"]) else b["source"],
            "Vergleichbarkeit": b["comparability"],
        })
    return structure.attach(checked(pd.DataFrame(rows), min_cell_size))


def spearman(x: pd.Series, y: pd.Series) -> float:
    """Spearman's rank correlation: Pearson correlation of average ranks (no SciPy needed)."""
    return float(x.rank().corr(y.rank()))


def strength(rho: float) -> str:
    size = abs(rho)
    word = "kein nennenswerter" if size < 0.1 else "schwacher" if size < 0.3 else "mittlerer" if size < 0.5 else "starker"
    direction = "" if size < 0.1 else (" positiver" if rho > 0 else " negativer")
    return f"{word}{direction} Zusammenhang"


def read_inventory_index(path: str | Path) -> pd.DataFrame | None:
    """``ags, maturity_index`` from the inventory notebook's table, or None when it does not exist."""
    path = resolve(path)
    if not path.is_file():
        return None
    return validate(read_table(path), s.table({"ags": s.ags(unique=True), "maturity_index": s.number(nullable=True)}))


def inventory_correlation(responses: pd.DataFrame, codebook: Codebook, inventory_index: str | Path,
                          min_n: int = MIN_CORRELATION_N) -> tuple[pd.DataFrame | None, str]:
    """Rank correlation of hurdles and cooperation interest with the maturity index, or None and a note."""
    index = read_inventory_index(inventory_index)
    if index is None:
        return None, (f"Der Reifegrad-Index aus der Bestandsaufnahme (Modul 1) liegt nicht vor ({inventory_index}). "
                      "Bitte zuerst das Notebook der Bestandsaufnahme ausführen; der Abgleich entfällt in diesem Lauf.")
    maturity = responses["ags"].map(index.set_index("ags")["maturity_index"]).astype(float)
    measures = {"Hürden (mittlere Zustimmung über alle Hürden)": hurdle_index(responses, codebook),
                "Interesse an Zusammenarbeit (Zahl der gewählten Formen)": cooperation_interest(responses, codebook)}
    rows = []
    for label, values in measures.items():
        both = pd.DataFrame({"x": values, "y": maturity}).dropna()
        if len(both) < min_n:
            rows.append({"Merkmal": label, "n": privacy.SUPPRESSED, "Spearman-Rangkorrelation": privacy.SUPPRESSED,
                         "Einordnung": f"nicht berechnet (weniger als {min_n} Kommunen mit beiden Angaben)"})
            continue
        rho = spearman(both["x"], both["y"])
        rows.append({"Merkmal": label, "n": len(both), "Spearman-Rangkorrelation": german_number(rho, 2),
                     "Einordnung": strength(rho)})
    return pd.DataFrame(rows), "Rangkorrelation mit dem Reifegrad-Index der Bestandsaufnahme (Modul 1)."


def benchmark_sentence(table: pd.DataFrame) -> str:
    """German sentence: for how many figures the region lies above the national value."""
    shown = table.dropna(subset=["Anteil Region (%)"])
    if shown.empty:
        return "Kein Regionalwert kann veröffentlicht werden (zu wenige Antworten)."
    above = shown[shown["Anteil Region (%)"] > shown["Anteil bundesweit (%)"]]
    gap = (shown["Anteil Region (%)"] - shown["Anteil bundesweit (%)"]).abs()
    widest = shown.loc[gap.idxmax()]
    return (f"Bei {len(above)} von {len(shown)} veröffentlichten Kennzahlen liegt der Anteil in der Region über dem "
            f"bundesweiten Wert. Den größten Abstand zeigt „{widest['Kennzahl']}“ (Region {german_percent(widest['Anteil Region (%)'] / 100)}, "
            f"bundesweit {widest['Bundesweit']}).")
