"""Benchmark: score a generated matrix of 11,000 municipalities x 60 applications.

Times the inventory scoring path the notebook runs (Kreis inheritance, index, bootstrap
band with 1,000 replicates, availability, shared-service candidates) on a synthetic
region of 11,000 municipalities in 400 Kreise (about the number of German municipalities).
File reading and validation are not timed. Target: under 2 seconds on a 2-core machine.

Run: ``.venv/bin/python benchmarks/inventory_scoring.py [--municipalities N] [--repeat R]``.
Exit status 1 when the best run misses the target.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from regiopole.data import Region
from regiopole.inventory import availability, effective_levels, municipality_scores, shared_service_candidates

TARGET_SECONDS = 2.0
CATEGORIES = ["Bürgerdienste", "Wirtschaft und Bauen", "Soziales und Familie", "Transparenz und Beteiligung",
              "Verwaltungsinfrastruktur", "Digitale Infrastruktur vor Ort"]


def synthetic_region(n: int, n_kreise: int, rng: np.random.Generator) -> Region:
    """A region of ``n`` members in ``n_kreise`` Kreise with log-normal populations."""
    kreis = np.sort(rng.integers(0, n_kreise, size=n))
    number = pd.Series(kreis).groupby(kreis).cumcount().to_numpy() + 1
    ags = pd.Series(kreis + 1001).astype(str).str.zfill(5) + pd.Series(number).astype(str).str.zfill(3)
    table = pd.DataFrame({"name": "Gemeinde " + ags, "ags": ags, "kreis": "Kreis " + ags.str[:5],
                          "population": np.round(rng.lognormal(9.0, 1.0, size=n)).astype("int64") + 100})
    return Region(name="Benchmark", oberzentrum=ags.iloc[int(table["population"].idxmax())], municipalities=table,
                  source=Path("<benchmark>"))


def synthetic_catalogue(n_apps: int) -> pd.DataFrame:
    """``n_apps`` applications spread over the six categories, every fifth provided by the Kreis."""
    ids = [f"app_{i:02d}" for i in range(n_apps)]
    return pd.DataFrame({"app_id": ids, "name": ids, "category": [CATEGORIES[i % len(CATEGORIES)] for i in range(n_apps)],
                         "themenfeld": None, "provider_level": ["kreis" if i % 5 == 0 else "gemeinde" for i in range(n_apps)]})


def synthetic_matrix(region: Region, apps: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Long-form matrix: every member x every municipal application, plus Kreis rows; ~7 % unknown."""
    def rows(keys: np.ndarray, app_ids: np.ndarray) -> pd.DataFrame:
        level = rng.integers(0, 5, size=len(keys) * len(app_ids)).astype(str)
        level[rng.random(len(level)) < 0.07] = "unbekannt"
        return pd.DataFrame({"ags": np.repeat(keys, len(app_ids)), "app_id": np.tile(app_ids, len(keys)), "level": level})
    municipal = apps.loc[apps["provider_level"] == "gemeinde", "app_id"].to_numpy()
    kreis = apps.loc[apps["provider_level"] == "kreis", "app_id"].to_numpy()
    kreis_keys = np.unique(region.municipalities["ags"].str[:5])
    return pd.concat([rows(region.municipalities["ags"].to_numpy(), municipal), rows(kreis_keys, kreis)], ignore_index=True)


def score(matrix: pd.DataFrame, region: Region, apps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The timed path: levels with inheritance, index with bootstrap band, availability, candidates."""
    levels = effective_levels(matrix, region, apps)
    return (municipality_scores(levels, region, apps, n_bootstrap=1000, seed=2021),
            availability(levels, region, apps), shared_service_candidates(levels, region, apps))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=11_000)
    parser.add_argument("--applications", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(2021)
    region = synthetic_region(args.municipalities, 400, rng)
    apps = synthetic_catalogue(args.applications)
    matrix = synthetic_matrix(region, apps, rng)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        scores, _, _ = score(matrix, region, apps)
        timings.append(time.perf_counter() - start)
    assert len(scores) == args.municipalities and scores["maturity_index"].between(0, 100).all()
    best = min(timings)
    print(f"inventory scoring: {args.municipalities:,} municipalities x {args.applications} applications "
          f"({len(matrix):,} matrix rows), 1,000 bootstrap replicates")
    print(f"  runs: {', '.join(f'{t:.2f} s' for t in timings)}; best {best:.2f} s (target < {TARGET_SECONDS:.0f} s)")
    return 0 if best < TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
