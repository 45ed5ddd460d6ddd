"""Every page served from a database named by CLAIMSCOPE_ENGINE (tables written by `python -m claimscope load`):
the same pages, the same counts, as from the data folder. PostgreSQL when the test run has one, DuckDB always."""

from __future__ import annotations

import re

import ibis
import pytest
from streamlit.testing.v1 import AppTest

from claimscope.engine.cache import ingest
from claimscope.engine.load import load_into
from claimscope.filters import Filters, apply_filters
from claimscope.ingest.dataset import load_folder
from tests.conftest import DATA_DIR, ROOT
from tests.engine_backends import POSTGRES_URL, postgres_url
from tests.test_apptest_pages import PAGES, count_caption

TIMEOUT = 120


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def engine_url(request, tmp_path_factory):
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("no PostgreSQL server for this run")
    folder = tmp_path_factory.mktemp("engine-url")
    url = f"duckdb:///{folder / 'claims.duckdb'}" if request.param == "duckdb" else postgres_url("apptest_engine_url")
    backend = ibis.connect(url)
    load_into(ingest(DATA_DIR, cache_dir=folder / "cache"), backend)
    backend.disconnect()
    return url


def start(monkeypatch, url: str, params: dict, page: str | None) -> AppTest:
    monkeypatch.setenv("CLAIMSCOPE_ENGINE", url)
    monkeypatch.setenv("CLAIMSCOPE_DATA_DIR", "/nonexistent-folder")  # the URL, not a folder, is served
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_from_the_database_with_the_folders_counts(monkeypatch, engine_url, page):
    claims = load_folder(DATA_DIR).claims
    stance = str(claims["stance"].dropna().astype(str).value_counts().index[0])
    at = start(monkeypatch, engine_url, {"stance": stance}, None if page == PAGES[0] else page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    expected = len(apply_filters(claims, Filters(stance=(stance,))))
    assert re.match(rf"^{expected} of {len(claims)}\b", count_caption(at)), count_caption(at)
