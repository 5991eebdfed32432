"""The ``regiopole fetch-boundaries`` subcommand (wired into ``regiopole.cli``)."""

from __future__ import annotations

import argparse
import sys

from regiopole.maps.boundaries import DEFAULT_TOLERANCE_M, DEFAULT_URL, fetch_boundaries
from regiopole.maps.download import DownloadError


def cmd_fetch_boundaries(args: argparse.Namespace) -> int:
    """Download VG250, keep the region's municipalities, write the GeoJSON; print its path."""
    try:
        path = fetch_boundaries(region=args.region, url=args.url, archive=args.archive, out=args.out,
                                sha256=args.sha256, tolerance_m=args.tolerance, year=args.year,
                                retries=args.retries, timeout=args.timeout, progress=not args.quiet)
    except DownloadError as exc:
        print(f"fetch-boundaries: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``fetch-boundaries`` to the ``regiopole`` command."""
    p = subparsers.add_parser(
        "fetch-boundaries", help="download official municipality boundaries (BKG VG250, dl-de/by-2-0)",
        description="Download BKG VG250 (municipality level), keep the region's municipalities, simplify them "
                    "keeping shared borders consistent, and write a small GeoJSON to data/boundaries/ "
                    "(git-ignored). Attribution: © GeoBasis-DE / BKG (year), dl-de/by-2-0, Daten verändert.")
    p.add_argument("--region", default=None, help="region file (default: data/reference/regions/paderborn.yaml)")
    p.add_argument("--url", default=DEFAULT_URL, help="VG250 archive to download (GeoPackage or shapefile 'ebenen' zip)")
    p.add_argument("--archive", default=None, help="use a VG250 zip already on disk instead of downloading")
    p.add_argument("--out", default=None, help="output GeoJSON (default: data/boundaries/<region>_municipalities.geojson)")
    p.add_argument("--sha256", default=None, help="expected SHA-256 of the archive (checked when given)")
    p.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE_M, help="simplification tolerance in metres (0: none)")
    p.add_argument("--year", type=int, default=None, help="data stand for the attribution (default: from the archive)")
    p.add_argument("--retries", type=int, default=3, help="download attempts")
    p.add_argument("--timeout", type=float, default=120.0, help="network timeout in seconds")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_fetch_boundaries)
