"""Shared fixtures: the repo root, the curated data folder, the small datasets of tests/datasets.py, and the
PostgreSQL server of the engine's tests (started once per run, before xdist's workers, which inherit its URL)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.datasets import foreign_dataset, hostile_dataset
from tests.postgres_server import PostgresServer

_SERVER = pytest.StashKey[PostgresServer]()

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
POSTGRES_ENV = "CLAIMSCOPE_TEST_POSTGRES_URL"
CACHE_ENV = "CLAIMSCOPE_CACHE_DIR"


def pytest_configure(config: pytest.Config) -> None:
    """Start the throwaway PostgreSQL server (tests/postgres_server.py) unless a URL is given or this is a worker.

    On CI (``CI`` set) a missing PostgreSQL is an error, not a skip: the engine must be tested on it.
    """
    if not hasattr(config, "workerinput") and not os.environ.get(CACHE_ENV):
        # the app and the engine's tests write Parquet caches: into a folder of this run, never the user's cache
        os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="claimscope-test-cache-")
    if hasattr(config, "workerinput") or os.environ.get(POSTGRES_ENV):
        return
    from tests.postgres_server import start_postgres

    server = start_postgres()
    if server is None:
        if os.environ.get("CI"):
            raise pytest.UsageError("PostgreSQL is not installed: run `bash scripts/bootstrap.sh --dev`")
        return
    os.environ[POSTGRES_ENV] = server.url
    config.stash[_SERVER] = server


def pytest_unconfigure(config: pytest.Config) -> None:
    cache_root = os.environ.get(CACHE_ENV, "")
    if not hasattr(config, "workerinput") and "claimscope-test-cache-" in cache_root:
        shutil.rmtree(cache_root, ignore_errors=True)
    server = config.stash.get(_SERVER, None)
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def foreign_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return foreign_dataset(tmp_path_factory.mktemp("foreign"))


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_dataset(tmp_path_factory.mktemp("hostile"))
