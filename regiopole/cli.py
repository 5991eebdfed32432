"""The ``regiopole`` command (also ``python -m regiopole``).

Subcommands: ``example`` regenerates the example data, ``check`` validates a data folder,
``run`` executes notebooks, ``publish`` writes the HTML reports, ``fetch-boundaries``
downloads official municipality boundaries, ``fetch-broadband`` the Breitbandatlas Paket 3. Bad input ends with the validation message
and exit code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

#: Subcommands that need neither the data layer nor the maps package at start-up: importing
#: those costs 0.5-4 s (pandas, pandera, geopandas, seaborn), more than `regiopole run` may
#: take when nothing changed. Any other command (and the full --help) loads everything.
LIGHT_COMMANDS = {"run", "publish"}


def cmd_example(args: argparse.Namespace) -> int:
    from regiopole import example

    for path in example.generate(args.out, seed=args.seed):
        print(path)
    return 0


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regiopole", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("example", help="regenerate the example data (seeded)")
    p.add_argument("--out", default=None, help="target folder (default: data/example)")
    p.add_argument("--seed", type=int, default=2021)
    p.set_defaults(func=cmd_example)

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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
