"""The three dependency lists agree.

pyproject.toml names the direct dependencies; requirements.lock pins the whole closure
(what `make install` and the Windows route install); environment.yml pins the direct ones
for conda users. When someone updates one and forgets another, these tests fail and say
which package and which file.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
ENVIRONMENT = ROOT / "environment.yml"

# PyPI name (normalised) -> conda-forge name, where they differ.
CONDA_NAMES = {
    "pandera": "pandera-base",  # conda-forge `pandera` adds extras; `pandera-base` is the PyPI package
    "playwright": "playwright-python",
}
# Entries of environment.yml that are not project dependencies.
CONDA_TOOLS = {"python", "pip"}

NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*"
VERSION = r"[A-Za-z0-9][A-Za-z0-9.+!_-]*"


def normalise(name: str) -> str:
    """Lowercase, runs of `-`, `_`, `.` become one `-` (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str:
    match = re.match(rf"\s*({NAME})", spec)
    assert match, f"cannot read a package name from {spec!r} in pyproject.toml"
    return normalise(match.group(1))


def direct_dependencies() -> set[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    specs = list(project.get("dependencies", []))
    specs += project.get("optional-dependencies", {}).get("test", [])
    return {requirement_name(s) for s in specs}


def lock_pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for number, raw in enumerate(LOCK.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(rf"({NAME})==({VERSION})", line)
        assert match, f"requirements.lock line {number} is not an exact `name==version` pin: {raw!r}"
        name = normalise(match.group(1))
        assert name not in pins, f"requirements.lock pins {name} twice"
        pins[name] = match.group(2)
    return pins


def environment() -> dict:
    return yaml.safe_load(ENVIRONMENT.read_text(encoding="utf-8"))


def environment_pins() -> tuple[dict[str, str], dict[str, str]]:
    """(conda pins, pip pins) of environment.yml, names normalised, conda names as written."""
    conda: dict[str, str] = {}
    pip: dict[str, str] = {}
    for entry in environment()["dependencies"]:
        if isinstance(entry, dict):
            assert set(entry) == {"pip"}, f"unexpected section in environment.yml: {entry!r}"
            for spec in entry["pip"]:
                if spec == "-e .":
                    continue
                match = re.fullmatch(rf"({NAME})==({VERSION})", spec.strip())
                assert match, f"environment.yml pip entry is not pinned with `==`: {spec!r}"
                pip[normalise(match.group(1))] = match.group(2)
            continue
        match = re.fullmatch(rf"({NAME})=({VERSION})", str(entry).strip())
        assert match, f"environment.yml entry is not pinned as `name=version`: {entry!r}"
        name = normalise(match.group(1))
        assert name not in conda, f"environment.yml lists {name} twice"
        conda[name] = match.group(2)
    return conda, pip


def test_pyproject_has_direct_dependencies():
    deps = direct_dependencies()
    assert {"pandas", "pytest"} <= deps


def test_lock_pins_every_direct_dependency():
    pins = lock_pins()
    missing = sorted(direct_dependencies() - pins.keys())
    assert not missing, f"in pyproject.toml but not pinned in requirements.lock: {missing} (run `make lock`)"
    assert "regiopole" not in pins, "requirements.lock must not pin the project itself"


def test_environment_uses_only_conda_forge():
    env = environment()
    assert env["name"] == "regiopole"
    assert env["channels"] == ["conda-forge"], f"environment.yml channels: {env['channels']}"


def test_environment_pins_python_and_installs_project():
    conda, _ = environment_pins()
    assert conda.get("python") == "3.11"
    assert "pip" in conda
    pip_sections = [e["pip"] for e in environment()["dependencies"] if isinstance(e, dict)]
    assert pip_sections and pip_sections[0][-1] == "-e .", "the last pip entry must be `-e .`"


@pytest.mark.parametrize("name", sorted(direct_dependencies()))
def test_environment_matches_lock(name):
    locked = lock_pins().get(name)
    assert locked, f"{name} is not pinned in requirements.lock (run `make lock`)"
    conda, pip = environment_pins()
    conda_name = CONDA_NAMES.get(name, name)
    found = {f"conda {conda_name}": conda.get(conda_name), f"pip {name}": pip.get(name)}
    found = {where: version for where, version in found.items() if version is not None}
    assert len(found) == 1, (
        f"{name} must appear exactly once in environment.yml (as conda-forge `{conda_name}` or "
        f"under pip:), found: {found or 'none'}"
    )
    ((where, version),) = found.items()
    assert version == locked, (
        f"environment.yml has {where}={version}, requirements.lock has {name}=={locked}"
    )


def test_environment_lists_only_direct_dependencies():
    conda, pip = environment_pins()
    to_pypi = {conda_name: pypi for pypi, conda_name in CONDA_NAMES.items()}
    listed = {to_pypi.get(n, n) for n in conda.keys() - CONDA_TOOLS} | pip.keys()
    extra = sorted(listed - direct_dependencies())
    assert not extra, f"environment.yml lists packages that pyproject.toml does not: {extra}"
