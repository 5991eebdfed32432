"""The ``run``, ``publish`` and ``check`` subcommands of ``regiopole``.

Exit codes: 0 all notebooks up to date or run, 1 a notebook failed or a page is not
self-contained, 2 a mistake on the command line or in ``notebooks/pipeline.yaml``,
130 interrupted with Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def add_subcommands(subparsers: Any) -> None:
    """Add ``run``, ``publish`` and ``check`` to the ``regiopole`` command's subparsers."""
    p = subparsers.add_parser("run", help="execute the notebooks that are out of date, then publish HTML",
                              description="Execute the notebooks declared in notebooks/pipeline.yaml in dependency "
                                          "order, several at a time; skip those whose inputs are unchanged; write "
                                          "outputs/manifest.json and outputs/html/.")
    p.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                   help="notebooks to run (name, number prefix like 05, or path), with what they depend on; default: all")
    p.add_argument("-p", "--parameter", action="append", default=[], metavar="KEY=VALUE",
                   help="notebook parameter (repeatable); VALUE is read as YAML: 3 is a number, true a boolean")
    p.add_argument("--data", metavar="DIR", help="data folder (parameter data_dir), e.g. data/raw")
    p.add_argument("--region", metavar="FILE", help="region definition (parameter region)")
    p.add_argument("--force", action="store_true", help="rerun even notebooks that are up to date")
    p.add_argument("--jobs", "-j", type=_positive, metavar="N", help="kernels at once (default: number of cores)")
    p.add_argument("--no-publish", dest="publish", action="store_false", help="do not write HTML")
    p.add_argument("--no-pdf", dest="pdf", action="store_false",
                   help="write no PDFs (the pages then link none; the next run without it prints them)")
    p.add_argument("--no-preload", dest="preload", action="store_false",
                   help="start every kernel as a new process instead of forking it from one with the "
                        "modules under 'preload' in notebooks/pipeline.yaml imported")
    p.set_defaults(func=cmd_run)

    p = subparsers.add_parser("publish", help="write outputs/html/ from the executed notebooks",
                              description="Write the stakeholder and full HTML version of every executed notebook, "
                                          "index.html and gallery.html; only what changed unless --force.")
    p.add_argument("--output", metavar="DIR", help="output folder (default: output_dir of notebooks/pipeline.yaml)")
    p.add_argument("--force", action="store_true", help="rewrite every page")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="print no PDFs (the pages then link none)")
    p.set_defaults(func=cmd_publish)

    p = subparsers.add_parser("check", help="validate every input file of a data folder",
                              description="Run the notebooks' loaders on a data folder and list every problem "
                                          "(file, row, column, what was expected). Exit code 2 when any file is bad.")
    p.add_argument("--data", metavar="DIR", default="data/example", help="data folder (default: data/example)")
    p.add_argument("--region", metavar="FILE", help="region definition (default: data/reference/regions/paderborn.yaml)")
    p.add_argument("--include-optional", action="store_true", help="check the region's optional members too")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from regiopole.pipeline.check import check_data

    results = check_data(args.data, args.region, args.include_optional)
    for result in results:
        print(f"{'ok     ' if result.problem is None else 'PROBLEM'}  {result.name}")
        if result.problem:
            print("         " + result.problem.replace("\n", "\n         "))
    bad = sum(r.problem is not None for r in results)
    print(f"{len(results) - bad} of {len(results)} checks passed for {args.data}")
    return 2 if bad else 0


def cmd_run(args: argparse.Namespace) -> int:
    from regiopole.paths import project_root
    from regiopole.pipeline.runner import RunOptions, run
    from regiopole.pipeline.spec import PipelineError

    t0 = time.perf_counter()
    try:
        overrides = parse_parameters(args.parameter)
        if args.data:
            overrides["data_dir"] = args.data
        if args.region:
            overrides["region"] = args.region
        options = RunOptions(notebooks=args.notebooks, overrides=overrides, force=args.force, jobs=args.jobs,
                             publish=args.publish, preload=args.preload, pdf=args.pdf)
        report = run(project_root(), options)
    except PipelineError as exc:
        print(f"regiopole run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("regiopole run: interrupted; finished notebooks are recorded, nothing half-written was left", file=sys.stderr)
        return 130
    counts = {s: sum(o.status == s for o in report.outcomes.values()) for s in ("ok", "skipped", "failed", "blocked")}
    print(f"{len(report.outcomes)} notebooks: {counts['ok']} run, {counts['skipped']} up to date, "
          f"{counts['failed']} failed, {counts['blocked']} not run ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    for name, outcome in report.outcomes.items():
        for warning in outcome.warnings:
            print(f"warning: {name}: {warning}", file=sys.stderr)
        if outcome.status == "failed":
            print(f"error: {outcome.message}", file=sys.stderr)
        elif outcome.status == "blocked":
            print(f"error: {name} was not run because {outcome.message}", file=sys.stderr)
    for path in report.undeclared:
        print(f"warning: {path} was written but no notebook declares it under 'writes' in notebooks/pipeline.yaml; "
              "notebooks reading it would not rerun when it changes", file=sys.stderr)
    _print_problems(report.problems)
    if args.publish:
        print(f"reports: {report.output_dir / 'html' / 'index.html'}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_publish(args: argparse.Namespace) -> int:
    from regiopole.paths import project_root
    from regiopole.pipeline.site import publish
    from regiopole.pipeline.spec import PipelineError, load_pipeline

    root = project_root()
    try:
        output = args.output or load_pipeline(root).defaults.get("output_dir", "outputs")
    except PipelineError:
        output = args.output or "outputs"
    output_dir = Path(output) if Path(output).is_absolute() else root / output
    if not (output_dir / "manifest.json").is_file():
        print(f"regiopole publish: {output_dir / 'manifest.json'} not found; run `regiopole run` first", file=sys.stderr)
        return 2
    from regiopole.pipeline.files import Busy, exclusive
    from regiopole.pipeline.runner import LOCK_FILE

    try:
        with exclusive(output_dir / LOCK_FILE):
            result = publish(root, output_dir, force=args.force, pdf=args.pdf)
    except Busy:
        print(f"regiopole publish: a run is writing to {output_dir}; wait for it to finish", file=sys.stderr)
        return 2
    print(f"{len(result.written)} file(s) written; reports: {output_dir / 'html' / 'index.html'}", file=sys.stderr)
    _print_problems(result.problems)
    return 1 if result.problems else 0


def parse_parameters(items: list[str]) -> dict[str, Any]:
    """``["min_cell_size=5", "data_dir=data/raw"]`` -> ``{"min_cell_size": 5, "data_dir": "data/raw"}``."""
    import yaml

    from regiopole.pipeline.spec import PipelineError

    parsed: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip().isidentifier():
            raise PipelineError(f"-p expects KEY=VALUE with a parameter name as KEY, got '{item}'")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            value = text
        parsed[key.strip()] = value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else text
    return parsed


def _print_problems(problems: list[str]) -> None:
    if problems:
        print("error: publishing found problems (pages that would fetch from the internet, PDFs not written):",
              file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
