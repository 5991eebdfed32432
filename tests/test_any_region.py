"""Any Regiopole: example data, checks, the whole pipeline and its reports for a region that is not Paderborn.

The second region is the fictional fixture ``tests/fixtures/regions/musterregion.yaml``
(a kreisfreie Stadt as Oberzentrum, members of two Kreise, one optional member). The
end-to-end test runs the commands a Regiopole user would run and then scans every
published page, table, figure and executed notebook for the Paderborn region's names and
figures: none may appear outside the Regiopole network and the cited project presentation.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from regiopole import example, narrative, regionprofile
from regiopole.data import load_region
from regiopole.data.reference import PROJECT_PRESENTATION, REGIOPOLEN_SOURCE
from regiopole.example import leitprojekte as example_leads
from regiopole.paths import default_region_file
from regiopole.pipeline.check import check_data
from regiopole.pipeline.spec import load_pipeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "regions" / "musterregion.yaml"
#: A real second region (official data exist for its members), for the end-to-end run.
REAL_REGION = ROOT / "tests" / "fixtures" / "regions" / "trier.yaml"
#: The cited project presentation, however a report words the citation.
CITED_PRESENTATION = re.compile(r"Präsentation der Stadt Paderborn[^.<\n]*")
#: Other Regiopolen of the network: a Paderborn mention near them is the network, not the region.
#: How the network maps label a city: "Paderborn (Nordrhein-Westfalen): federführend …", "Paderborn: Digitale …".
NETWORK_LABEL = re.compile(r"(?: \(Nordrhein-Westfalen\))?: (?:federf|Digitale Infrastruktur)")
NETWORK_NEIGHBOURS = ("Rostock", "Würzburg", "Trier", "Erfurt", "Siegen", "Koblenz", "Bielefeld")


def paderborn_facts() -> re.Pattern:
    """Names of the Paderborn region's members, its Kreis keys and its published figure."""
    spec = yaml.safe_load(default_region_file().read_text(encoding="utf-8"))
    region = load_region(include_optional=True)
    words = [*region.municipalities["name"], "Höxter", "719.000", "720.000", *(a[:5] for a in spec["members"])]
    alternatives = sorted({re.escape(w) for w in words} | {r"H(?:\\u00f6|&#246;|&ouml;)xter"}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


def leaks(text: str, pattern: re.Pattern, own: frozenset[str] = frozenset()) -> list[str]:
    """Mentions of Paderborn-region facts, without the cited presentation and the network listing.

    ``own``: names of the region under test; they do not count as other cities of the network.
    """
    neighbours = [city for city in NETWORK_NEIGHBOURS if city not in own]
    for allowed in (REGIOPOLEN_SOURCE, PROJECT_PRESENTATION):
        text = text.replace(allowed, "")
    text = CITED_PRESENTATION.sub("", text)
    found = []
    for match in pattern.finditer(text):
        window = text[max(0, match.start() - 1500): match.end() + 1500]
        after = text[match.end(): match.end() + 40]
        if match.group(0) == "Paderborn" and (sum(city in window for city in neighbours) >= 2
                                              or NETWORK_LABEL.match(after)):
            continue  # a row, marker or label of the Regiopole network
        found.append(text[max(0, match.start() - 80): match.end() + 40].replace("\n", " "))
    return found


def notebook_text(path: Path) -> str:
    """What an executed notebook shows: Markdown cells and text outputs (code cells may keep code)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for kind, value in (output.get("data") or {}).items():
                if not kind.startswith("image/") or kind == "image/svg+xml":
                    parts.append("".join(value) if isinstance(value, list) else json.dumps(value, ensure_ascii=False))
    return "\n".join(parts)


def region_file_of_size(folder: Path, n: int) -> Path:
    """A fictional region of ``n`` members: a kreisfreie Stadt and Kreise of 25 members each."""
    rows = [{"name": "Großstadt", "ags": "09930000", "kreis": "Großstadt", "population": 250_000}]
    rows += [{"name": f"Gemeinde {i:03d}", "ags": f"099{31 + i // 25:02d}{(i % 25 + 1) * 4:03d}",
              "kreis": f"Kreis {31 + i // 25}", "population": 2_000 + 97 * (i * 37 % 400)} for i in range(n - 1)]
    with open(folder / "municipalities.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "ags", "kreis", "population", "population_date", "area_km2", "central_place_tier",
                         "central_place_tier_verified", "lat", "lon"])
        for k, row in enumerate(rows):
            writer.writerow([row["name"], row["ags"], row["kreis"], row["population"], "2022-05-15", "50.00",
                             "Oberzentrum" if k == 0 else "Grundzentrum", "no", f"{49 + k / 1000:.4f}", "11.0000"])
    path = folder / "region.yaml"
    path.write_text(yaml.safe_dump({"name": f"Testregion mit {n} Kommunen", "municipalities_file": "municipalities.csv",
                                    "oberzentrum": "09930000", "members": [r["ags"] for r in rows]},
                                   allow_unicode=True), encoding="utf-8")
    return path


def test_kreisfreie_stadt_is_named_as_such_never_as_a_kreis():
    region = load_region(FIXTURE)
    assert region.kreisfreie_staedte == ["Musterstadt"]
    assert region.kreise == ["Kreis Südtal", "Kreis Nordheim"]
    assert narrative.kreise_phrase(region) == "2 Kreisen (Kreis Südtal und Kreis Nordheim) und der kreisfreien Stadt Musterstadt"
    table = regionprofile.population_by_kreis(region)
    assert "Musterstadt (kreisfreie Stadt)" in table["Kreis bzw. kreisfreie Stadt"].tolist()
    assert load_region().kreisfreie_staedte == [] and "Kreis" in regionprofile.population_by_kreis(load_region())


def test_region_text_comes_from_the_region_file():
    region = load_region(FIXTURE, include_optional=True)
    text = " ".join([regionprofile.intro_text(region), regionprofile.members_text(region),
                     regionprofile.published_population_text(region), regionprofile.sources_text(region)])
    assert "Regiopolregion Musterstadt" in text and "8 Kommunen" in text and "Eichenhain" in text
    assert "290.000" in text and "Fiktive Abgrenzung" in text and "fiktiver Testfall" in text
    assert not leaks(text, paderborn_facts())
    paderborn = load_region()
    assert "719.000" in regionprofile.published_population_text(paderborn)
    assert paderborn.lead_area == "Digitale Infrastruktur (im öffentlichen Bereich)"  # from regiopolen.csv via the AGS


@pytest.mark.parametrize("size", [3, 13, 500])
def test_example_data_for_regions_of_3_to_500_members(tmp_path, size):
    region_file = region_file_of_size(tmp_path, size)
    out = tmp_path / "data"
    example.generate(out, region=region_file)
    results = check_data(out, region_file)
    assert [r.problem for r in results if r.problem] == []
    region = load_region(region_file)
    candidates = list(csv.DictReader((out / "leitprojekte_candidates.csv").open(encoding="utf-8")))
    allowed = set(region.municipalities["name"]) | {f"Geschäftsstelle der {region.name}"}
    assert {c["lead"] for c in candidates} <= allowed
    voters = {row["voter_ags"] for row in csv.DictReader((out / "poll_votes.csv").open(encoding="utf-8"))}
    assert voters <= set(region.ags) and len(voters) >= 1
    for path in out.iterdir():
        assert not leaks(path.read_text(encoding="utf-8-sig"), paderborn_facts()), path.name


def test_example_refuses_a_region_outside_the_supported_sizes(tmp_path):
    with pytest.raises(ValueError, match="3 to 500"):
        example.generate(tmp_path / "data", region=region_file_of_size(tmp_path, 2))


def test_leads_scale_with_the_region_and_keep_the_paderborn_example():
    paderborn = load_region()
    assert example_leads.lead_name(paderborn, example_leads.member(2)) == "Delbrück"
    assert example_leads.lead_name(paderborn, example_leads.ASSOCIATION) == "regiopolREGION PADERBORN e.V."
    small = load_region(FIXTURE)
    assert example_leads.lead_name(small, example_leads.member(12)) in small.municipalities["name"].tolist()
    assert example_leads.lead_name(small, example_leads.OBERZENTRUM) == "Musterstadt"


def test_pipeline_reads_the_regions_own_municipalities_file():
    pipeline = load_pipeline(ROOT)
    given = pipeline.given({"region": str(FIXTURE)})
    reads = pipeline.reads(pipeline.notebooks["01_inventory"], given)
    assert str(FIXTURE.parent / "musterregion_municipalities.csv") in reads
    assert str(ROOT / "data" / "reference" / "municipalities.csv") not in reads
    default = pipeline.reads(pipeline.notebooks["01_inventory"], pipeline.given({}))
    assert str(ROOT / "data" / "reference" / "municipalities.csv") in default


@pytest.mark.notebook
@pytest.mark.usefixtures("fixture_tables_hold_no_counts")
def test_changing_the_regions_municipalities_file_reruns_the_notebooks(tmp_path):
    import io

    from regiopole.pipeline.runner import RunOptions, run
    from test_pipeline_run import make_project

    root = make_project(tmp_path / "project", ["01_producer", "03_independent"])
    regions = root / "data" / "reference" / "regions"
    (regions / "own.yaml").write_text(
        (regions / "paderborn.yaml").read_text(encoding="utf-8").replace("../municipalities.csv", "own_municipalities.csv"),
        encoding="utf-8")
    table = regions / "own_municipalities.csv"
    table.write_bytes((root / "data" / "reference" / "municipalities.csv").read_bytes())
    options = {"jobs": 1, "live": False, "publish": False, "overrides": {"region": "data/reference/regions/own.yaml"}}
    first = run(root, RunOptions(**options), stream=io.StringIO())
    assert first.ok
    manifest = json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))
    assert "data/reference/regions/own_municipalities.csv" in manifest["notebooks"]["01_producer"]["inputs"]
    with table.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    second = run(root, RunOptions(**options), stream=io.StringIO())
    assert {n: o.status for n, o in second.outcomes.items()} == {"01_producer": "ok", "03_independent": "ok"}
    assert second.outcomes["01_producer"].reason == "input changed: data/reference/regions/own_municipalities.csv"


@pytest.mark.notebook
def test_second_region_end_to_end_reports_only_about_itself(tmp_path):
    """example, check, run --force and publish on a real second region (optional member included), then a scan."""
    data, out = tmp_path / "data", tmp_path / "outputs"
    members = load_region(REAL_REGION, include_optional=True)
    optional = members.municipalities.loc[members.municipalities["optional_member"], "name"].item()

    def regiopole(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "regiopole", *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, f"regiopole {' '.join(args)}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        return result

    region = ["--region", str(REAL_REGION)]
    regiopole("example", *region, "--out", str(data), "--include-optional")
    assert "7 of 7 checks passed" in regiopole("check", "--data", str(data), *region, "--include-optional").stdout
    regiopole("run", "--force", "--data", str(data), *region, "-p", "include_optional=true", "-p", f"output_dir={out}",
              "-p", f"maps_dir={out / 'maps'}", "-p", "n_bootstrap=100", "-p", "n_samples=200", "--no-publish")
    regiopole("publish", "--output", str(out), "--force")

    table = (out / "tables" / "region_municipalities.csv").read_text(encoding="utf-8-sig")
    assert all(name in table for name in members.municipalities["name"])
    participation = (out / "tables" / "survey_participation.csv").read_text(encoding="utf-8-sig")
    assert optional in participation  # the optional member reaches the survey
    assert optional in (out / "tables" / "inventory_index.csv").read_text(encoding="utf-8-sig")
    trends = (out / "tables" / "trends_municipalities.csv").read_text(encoding="utf-8-sig")
    assert all(a in trends for a in members.ags)  # official broadband figures for every member

    pattern = paderborn_facts()
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in {".html", ".csv", ".svg", ".ipynb"}
             and not p.name.startswith("regiopole_network") and not p.stem.endswith(("_network", "_regiopolen"))]
    assert len([p for p in files if p.suffix == ".html"]) >= 12
    found = {}
    for path in files:
        text = notebook_text(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8-sig", errors="replace")
        if hits := leaks(text, pattern, frozenset(members.municipalities["name"])):
            found[str(path.relative_to(out))] = hits[:3]
    assert found == {}


def test_participation_by_kreis_names_a_kreisfreie_stadt_as_such():
    from regiopole.survey import participation

    region = load_region(REAL_REGION)
    responses = pd.DataFrame({"ags": region.ags[:4]})
    table = participation.response_rates(region, responses, "kreis", 3)
    assert "Kreis bzw. kreisfreie Stadt" in table.columns
    assert "Kreisfreie Stadt Trier" in set(table["Kreis bzw. kreisfreie Stadt"])
