"""The ``regiopole`` command (also ``python -m regiopole``).

Subcommands: ``example`` regenerates the example data, ``check`` validates a data folder,
``run`` executes notebooks, ``publish`` writes the HTML reports, ``fetch-boundaries``
downloads official municipality boundaries, ``fetch-broadband`` the Breitbandatlas Paket 3. Bad input ends with the validation message
and exit code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

#: Subcommands that need neither the data layer nor the maps package at start-up: importing
#: those costs 0.5-4 s (pandas, pandera, geopandas, seaborn), more than `regiopole run` may
#: take when nothing changed. Any other command (and the full --help) loads everything.
LIGHT_COMMANDS = {"run", "publish"}


def cmd_example(args: argparse.Namespace) -> int:
    from regiopole import example

    for path in example.generate(args.out, seed=args.seed, region=args.region, include_optional=args.include_optional):
        print(path)
    return 0


def cmd_codebook(args: argparse.Namespace) -> int:
    """Codebook from a LimeSurvey survey structure (.lss), or the codebook as .lss (--to-lss)."""
    from pathlib import Path

    from regiopole.survey.codebook import load_codebook, parse_codebook
    from regiopole.survey.lss import dump_codebook, read_lss, write_lss

    if args.to_lss:
        book = load_codebook(args.codebook)
        out = write_lss(book, Path(args.out or "outputs/survey_questionnaire.lss"), layout=args.layout)
        print(f"{len(book.questions)} questions written to {out} (import it in LimeSurvey: Create survey > Import)",
              file=sys.stderr)
        return 0
    if not args.file:
        print("regiopole codebook: give a .lss file, or --to-lss", file=sys.stderr)
        return 2
    source = Path(args.file)
    spec, info = read_lss(source, municipality=args.municipality)
    print(info.summary(), file=sys.stderr)
    text = dump_codebook(spec, info, source)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"codebook written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    parse_codebook(spec, source)  # validate: problems (e.g. no German texts) end with exit code 2
    return 0


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regiopole", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("example", help="regenerate the example data (seeded)")
    p.add_argument("--out", default=None, help="target folder (default: data/example)")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--region", metavar="FILE", default=None,
                   help="region definition to make data for (default: data/reference/regions/paderborn.yaml)")
    p.add_argument("--include-optional", action="store_true",
                   help="make data for the region's optional members too (run the notebooks with -p include_optional=true)")
    p.set_defaults(func=cmd_example)

    p = sub.add_parser("codebook", help="survey codebook from a LimeSurvey .lss file, or the codebook as .lss")
    p.add_argument("file", nargs="?", help="LimeSurvey survey structure export (.lss)")
    p.add_argument("-o", "--out", help="output file (default: the YAML to stdout; with --to-lss outputs/survey_questionnaire.lss)")
    p.add_argument("--municipality", action="append", metavar="CODE", help="code of the question asking for the municipality")
    p.add_argument("--to-lss", action="store_true", help="write the codebook as a .lss LimeSurvey can import")
    p.add_argument("--codebook", default=None, help="codebook for --to-lss (default: data/reference/survey_codebook.yaml)")
    p.add_argument("--layout", choices=["4.x+", "3.x"], default="4.x+", help="layout of the .lss written")
    p.set_defaults(func=cmd_codebook)

    from regiopole.pipeline.cli import add_subcommands as add_pipeline

    add_pipeline(sub)
    command = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    if command not in LIGHT_COMMANDS:
        from regiopole.maps.cli import add_subcommands as add_maps

        add_maps(sub)
        from regiopole.cli_broadband import add_subcommands as add_broadband

        add_broadband(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``regiopole`` console script."""
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except Exception as exc:
        from regiopole.data import DataValidationError  # late: see LIGHT_COMMANDS

        if not isinstance(exc, DataValidationError):
            raise
        print(exc, file=sys.stderr)
        return 2


def console() -> None:
    """The ``regiopole`` command: :func:`main`, then exit without the interpreter's last garbage
    collection, which walks every object of the run again (a fifth of a second after a run).
    Objects are still released and exit handlers run; only cycles are left to the OS."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
