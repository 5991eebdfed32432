"""The committed example data are exactly what the seeded generator makes."""

from __future__ import annotations

from pathlib import Path

import yaml

from regiopole.example import DEFAULT_SEED, default_dir, generate


def files_below(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}


def test_committed_example_data_equal_a_fresh_generation(tmp_path):
    generate(tmp_path)
    committed = default_dir()
    assert files_below(tmp_path) == files_below(committed), "run `regiopole example` and commit data/example"
    different = [str(rel) for rel in sorted(files_below(tmp_path))
                 if (tmp_path / rel).read_bytes() != (committed / rel).read_bytes()]
    assert not different, f"stale example files, run `regiopole example`: {different}"


def test_example_folder_declares_itself_as_example_data():
    meta = yaml.safe_load((default_dir() / "dataset.yaml").read_text(encoding="utf-8"))
    assert meta["example"] is True and meta["seed"] == DEFAULT_SEED


def test_another_seed_gives_other_data(tmp_path):
    generate(tmp_path / "a", seed=1)
    generate(tmp_path / "b", seed=2)
    differing = [rel for rel in files_below(tmp_path / "a") if rel.name != "dataset.yaml"
                 and (tmp_path / "a" / rel).read_bytes() != (tmp_path / "b" / rel).read_bytes()]
    assert differing, "the seed has no effect on the example data"
