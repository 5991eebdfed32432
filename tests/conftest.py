"""Shared test fixtures: project paths and a papermill runner for notebook smoke tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: no per-example deadline (a loaded 2-core CI machine is slow), and in CI a
# fixed example sequence, so a CI run is repeatable; locally each run explores new examples.
settings.register_profile("regiopole", deadline=None, derandomize=bool(os.environ.get("CI")))
settings.load_profile("regiopole")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def region():
    """The default region (Regiopolregion Paderborn, 29 members)."""
    from regiopole.data import load_region

    return load_region()


#: What the pipeline fixture notebooks (tests/fixtures/pipeline) publish. A run fails for a
#: table the disclosure audit cannot see (test_privacy_coverage); these hold no count of
#: anybody, so tests that run them list them as such.
PIPELINE_FIXTURE_TABLES = ("producer_values", "consumer_sum", "independent", "failing", "slow", "slow_undeclared")


@pytest.fixture(scope="module")
def fixture_tables_hold_no_counts():
    from regiopole.privacy import public

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(public, "NO_COUNTS", {**public.NO_COUNTS, **dict.fromkeys(PIPELINE_FIXTURE_TABLES, "test values")})
        yield


@pytest.fixture(scope="session")
def book():
    """The survey codebook shipped in data/reference."""
    from regiopole.survey import load_codebook

    return load_codebook()


@pytest.fixture
def run_notebook(tmp_path):
    """Execute ``notebooks/<name>.ipynb`` with papermill into ``tmp_path``; return the output folder.

    ``output_dir`` (and any other parameter given) is passed to the notebook's
    ``parameters`` cell; the notebook runs with the project root as working directory.
    """
    import papermill as pm

    def run(name: str, **parameters) -> Path:
        out = tmp_path / "outputs"
        (out / "notebooks").mkdir(parents=True, exist_ok=True)
        params = {"output_dir": str(out), **parameters}
        pm.execute_notebook(
            str(ROOT / "notebooks" / f"{name}.ipynb"),
            str(out / "notebooks" / f"{name}.ipynb"),
            parameters=params,
            kernel_name="python3",
            cwd=str(ROOT),
            progress_bar=False,
        )
        return out

    return run


def reproduced(*notebooks: str) -> Path:
    """``outputs/`` as ``make reproduce`` leaves it, for tests that check what the default run wrote.

    Each notebook must be up to date there by the runner's own rule (same source, parameters,
    inputs, package and kernel as a run now would have); else the test is skipped, and fails in CI
    (where ``make reproduce`` runs before ``make test``), so it never checks stale outputs.
    """
    from regiopole.pipeline.manifest import Manifest, kernel_name
    from regiopole.pipeline.spec import load_pipeline
    from regiopole.pipeline.state import current_state, input_hashes, package_dir, package_hash, stale_reason

    out = ROOT / "outputs"
    pipeline = load_pipeline(ROOT)
    given = pipeline.given({})
    pipeline = pipeline.expand(given)
    manifest = Manifest.load(out)
    package, kernel = package_hash(package_dir(ROOT)), kernel_name()
    for name in notebooks:
        spec = pipeline.notebooks[name]
        state = current_state(spec.source_sha256, spec.parameters(given),
                              input_hashes(pipeline.reads(spec, given), ROOT), package, kernel)
        reason = stale_reason(manifest.record(name), state, ROOT)
        if reason is not None:
            if os.environ.get("CI"):
                pytest.fail(f"CI: outputs/ of {name} is not from the current state ({reason}); "
                            "`make reproduce` runs before `make test`")
            pytest.skip(f"outputs/ of {name} is not up to date ({reason}): run `make reproduce`")
    return out


@pytest.fixture
def server():
    """A local HTTP server (tests/local_server.py) for the download commands; shut down afterwards."""
    from local_server import Server

    s = Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()
