"""The ``regiopole fetch-broadband`` subcommand (wired into ``regiopole.cli``)."""

from __future__ import annotations

import argparse
import sys


def cmd_fetch_broadband(args: argparse.Namespace) -> int:
    """Download Paket 3, rebuild the broadband reference table, print what was written and reported."""
    from regiopole.data.broadband_fetch import fetch_broadband
    from regiopole.data.download import DownloadError

    try:
        result = fetch_broadband(url=args.url, archive=args.archive, out_dir=args.out, sha256=args.sha256,
                                 retries=args.retries, timeout=args.timeout, progress=not args.quiet)
    except DownloadError as exc:
        print(f"fetch-broadband: {exc}", file=sys.stderr)
        return 1
    build = result.build
    print(f"{len(build.table)} rows from {len(build.files)} files; "
          f"{build.not_current['key'].nunique() if not build.not_current.empty else 0} Gemeinde keys not in the "
          "Zensus 2022 list (kept, listed in the build report)")
    for name, reason in build.skipped:
        print(f"skipped {name}: {reason}")
    for name in result.changed:
        print(f"note: {name} differs from the copy the shipped table was built from")
    for name in result.new:
        print(f"note: {name} is new (not in the recorded copy)")
    for path in result.written:
        print(path)
    return 0


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``fetch-broadband`` to the ``regiopole`` command."""
    from regiopole.data.broadband_fetch import DEFAULT_URL

    p = subparsers.add_parser(
        "fetch-broadband", help="download the Breitbandatlas Paket 3 (BNetzA) and rebuild the broadband table",
        description="Download Paket_3.zip of the Breitbandatlas (Bundesnetzagentur), check it, and rebuild "
                    "data/reference/broadband/paket3_indicators.parquet and its build report from the raw files. "
                    "Quelle: Breitbandatlas / Gigabit-Grundbuch, Bundesnetzagentur.")
    p.add_argument("--url", default=DEFAULT_URL, help="archive to download")
    p.add_argument("--archive", default=None, help="use a Paket_3.zip already on disk instead of downloading")
    p.add_argument("--out", default=None, help="output folder (default: data/reference/broadband)")
    p.add_argument("--sha256", default=None, help="expected SHA-256 of the archive (checked when given)")
    p.add_argument("--retries", type=int, default=3, help="download attempts")
    p.add_argument("--timeout", type=float, default=120.0, help="network timeout in seconds")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_fetch_broadband)
