"""Shared fixtures: an isolated token cache, the bundled corpus, and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

# In CI the property tests draw the same examples every run: a red build is a finding, never a dice roll.
# Machines are shared: how long an example takes is not a finding (no deadline, no too-slow check).
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", derandomize=True, print_blob=True, **UNTIMED)
settings.register_profile("shared", **UNTIMED)
settings.load_profile("ci" if os.environ.get("CI") else "shared")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEOUL = CORPUS / "seoul-city-diplomacy-covid19-2020.txt"
KIC = CORPUS / "kic-china-startup-weekly-195-2020.txt"
KIEP = CORPUS / "kiep-north-korea-external-relations-2024.txt"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One token cache for the whole test session, so the bundled corpus is tokenised once."""
    return tmp_path_factory.mktemp("token-cache")


@pytest.fixture(autouse=True)
def cache_env(shared_cache, monkeypatch):
    """Never touch the user's real cache; no colour codes unless a test asks for them."""
    monkeypatch.setenv("KCORPUS_CACHE_DIR", str(shared_cache))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return shared_cache


@pytest.fixture
def cli():
    """Run `kcorpus ARGS...` in-process; returns the typer Result (stdout, stderr, exit_code)."""
    from kcorpus.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture(scope="module")
def scheduler():
    """A two-worker cluster of processes on 127.0.0.1 shared by one test module's tests: its tcp:// address."""
    try:
        import distributed
    except ImportError:
        pytest.skip("needs the kcorpus[dask] extra")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()
