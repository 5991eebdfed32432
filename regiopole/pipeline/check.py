"""``regiopole check``: validate every input file of a data folder before running the reports.

Runs the same loaders the notebooks use, file by file, and lists every problem (file,
row, column, what was expected) instead of stopping at the first notebook that fails.
Meant for the moment real project data is dropped into ``data/raw/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from regiopole.data import DataValidationError


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``problem`` is None when the input is fine."""

    name: str
    problem: str | None


def _checks(data_dir: str | Path, region_file: str | Path | None,
            include_optional: bool = False) -> list[tuple[str, Callable[[], object]]]:
    from regiopole import inventory, survey, workshops
    from regiopole.data import load_applications, load_maturity_levels, load_region, load_regiopolen
    from regiopole.leitprojekte import candidates, criteria, poll
    from regiopole.paths import resolve
    from regiopole.workshops.priorities import votes_file

    region = load_region(region_file, include_optional=include_optional)
    applications = load_applications()
    folder = resolve(data_dir)

    def survey_export() -> object:
        export = folder / "survey_export.csv"
        export = export if export.exists() else folder / "survey_export.xlsx"
        return survey.import_survey(export, survey.load_codebook(), region)

    def workshop_votes() -> object:
        tree = workshops.load_goal_tree(workshops.goal_tree_file(folder))
        return workshops.load_goal_votes(votes_file(folder), tree)

    def lead_projects() -> object:
        table = candidates.load_candidates(data_dir, region)
        problems = lead_problems(table, region)
        if problems:
            raise DataValidationError(table.attrs.get("source", "leitprojekte_candidates.csv"), problems)
        ids = table["project_id"].tolist()
        criteria.load_criteria(data_dir, ids)
        return poll.load_votes(data_dir, region, ids)

    return [
        ("reference: applications, maturity levels, Regiopolen",
         lambda: (load_maturity_levels(), load_regiopolen())),
        ("inventory: inventory_matrix.csv", lambda: inventory.load_matrix(data_dir, region, applications)),
        ("inventory: inventory_dashboard_*.csv", lambda: inventory.load_dashboard_exports(data_dir, region, applications)),
        ("survey: survey_export (with the codebook)", survey_export),
        ("workshops: workshop_cards", lambda: workshops.load_cards(workshops.cards_file(data_dir), workshops.load_codebook())),
        ("workshops: goal_tree.yaml and goal_votes.csv", workshop_votes),
        ("lead projects: candidates, criteria, poll votes", lead_projects),
    ]


def lead_problems(table, region) -> list:
    """Leads that name no member, no Kreis, not the region and not its association (e.g. data of another region)."""
    from regiopole.data import Problem

    known = [*region.municipalities["name"], *region.municipalities["kreis"], region.name,
             *([region.association] if region.association else [])]
    first_row = int(table.attrs.get("first_row", 2))
    return [Problem(position + first_row, "lead",
                    f"'{lead}' names no member, Kreis or association of {region.name} (nor the region); expected e.g. '{region.oberzentrum_name}'. "
                    "Correct the lead, or check the region parameter")
            for position, lead in enumerate(table["lead"]) if not any(name in str(lead) for name in known)]


def check_data(data_dir: str | Path, region_file: str | Path | None = None, include_optional: bool = False) -> list[CheckResult]:
    """Run every check; a bad region file is reported as the only result."""
    try:
        checks = _checks(data_dir, region_file, include_optional)
    except DataValidationError as exc:
        return [CheckResult("region", str(exc))]
    results = []
    for name, run in checks:
        try:
            run()
        except DataValidationError as exc:
            results.append(CheckResult(name, str(exc)))
        else:
            results.append(CheckResult(name, None))
    return results
