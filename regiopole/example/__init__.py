"""Seeded generator of the example data in ``data/example``.

The project's survey answers, workshop cards and poll votes are confidential. This
package makes realistic stand-ins with a fixed seed, one module per project module, so
``regiopole example`` (and the test that compares with the committed files) always
produces the same bytes. Each module gets its own random stream, derived from the seed
and its name, so changing one generator leaves the others' files unchanged.
"""

from __future__ import annotations

import importlib
import zlib
from pathlib import Path

import numpy as np

from regiopole.data import load_region
from regiopole.example.common import write_text
from regiopole.paths import project_root

DEFAULT_SEED = 2021
#: Generator modules in ``regiopole.example``, each with ``generate(out_dir, rng, region) -> list[Path]``.
GENERATORS = ("inventory", "survey", "workshops", "leitprojekte")

DATASET_YAML = """\
# Written by `regiopole example`; do not edit by hand.
example: true
description: >-
  Generierte Beispieldaten (Seed {seed}). Sie zeigen Form und Umfang der Projektdaten,
  nicht deren Inhalt: alle Befragungs-, Workshop- und Abstimmungswerte sind erfunden.
generator: regiopole example
seed: {seed}
"""


def default_dir() -> Path:
    """The committed example-data folder."""
    return project_root() / "data" / "example"


def rng_for(seed: int, name: str) -> np.random.Generator:
    """Independent, reproducible random stream for generator ``name``."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


#: Region sizes the generators are built for (members, optional ones included).
MIN_MEMBERS, MAX_MEMBERS = 3, 500


def generate(out_dir: str | Path | None = None, seed: int = DEFAULT_SEED, only: list[str] | None = None,
             region: str | Path | None = None, include_optional: bool = False) -> list[Path]:
    """Write the example data set for ``region`` (default: the default region file) into ``out_dir``.

    Sizes (respondents, voters, participants) scale with the region; leads come from it.
    ``include_optional`` makes data for the region's optional members too, to be analysed
    with the notebooks' ``include_optional`` parameter.
    """
    out = Path(out_dir) if out_dir else default_dir()
    loaded = load_region(region, include_optional=include_optional)
    if not MIN_MEMBERS <= len(loaded.ags) <= MAX_MEMBERS:
        raise ValueError(f"{loaded.source}: the region has {len(loaded.ags)} members; example data can be made for "
                         f"{MIN_MEMBERS} to {MAX_MEMBERS} members")
    out.mkdir(parents=True, exist_ok=True)
    region = loaded
    written = [write_text(out / "dataset.yaml", DATASET_YAML.format(seed=seed))]
    for name in only or GENERATORS:
        module = importlib.import_module(f"regiopole.example.{name}")
        written += module.generate(out, rng_for(seed, name), region)
    return written
