"""The database backends the engine's tests run on besides DuckDB.

PostgreSQL runs when ``CLAIMSCOPE_TEST_POSTGRES_URL`` names a server (``postgres://user@host:port/db``):
each test module and each xdist worker gets a database of its own on it, so that parallel tests
never replace each other's tables.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

POSTGRES_URL = os.environ.get("CLAIMSCOPE_TEST_POSTGRES_URL", "")


def postgres_url(label: str) -> str:
    """A URL to a fresh-named database for ``label`` on the test server (created when missing)."""
    import psycopg

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = re.sub(r"[^a-z0-9_]", "_", f"claimscope_{label}_{worker}".lower())
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()


def reingested(entry):
    """``entry`` as the same folder re-ingested from other files: another input signature, the same files on disk."""
    from claimscope.engine.cache import CacheEntry

    manifest = {**entry.manifest, "inputs": {**entry.manifest["inputs"], "claims.csv": "0" * 64}}
    return CacheEntry(entry.path, manifest)
