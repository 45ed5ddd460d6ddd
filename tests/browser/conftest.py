"""Browser tests: a live Streamlit server per dataset, driven by Debian's Chromium through Playwright.

Every test in this folder is marked ``browser``. Servers are started once per dataset and per pytest
worker (session-scoped fixtures) and killed at the end; ``server_factory`` starts a new, cold one
for tests that need it. Every page blocks and records any request to a host other than the app's
own: the app must load nothing from elsewhere, and a test fails at teardown when it tried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import (
    CHROMIUM,
    REPO,
    VIEWPORT,
    PageRecord,
    StreamlitServer,
    launch_browser,
    new_context,
    wait_ready,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], StreamlitServer]]:
    """Start a server on a dataset folder; every server started is killed at the end of the session."""
    started: list[StreamlitServer] = []

    def start(data_dir: Path) -> StreamlitServer:
        server = StreamlitServer(data_dir=data_dir, log_path=tmp_path_factory.mktemp("server") / "streamlit.log")
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


def _warm(server: StreamlitServer, browser) -> StreamlitServer:
    """Open the root page once, as a first visitor would, before tests share the server.

    Streamlit picks its legacy ``pages/`` directory mode or ``st.navigation`` on a server's first
    script run, so shared servers are opened at ``/`` first: the other tests must not depend on
    which of them comes first. ``test_navigation.py::test_cold_deep_link`` checks cold servers.
    """
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        wait_ready(page)
    finally:
        context.close()
    return server


@pytest.fixture(scope="session")
def data_server(server_factory, browser) -> StreamlitServer:
    return _warm(server_factory(REPO / "data"), browser)


@pytest.fixture(scope="session")
def foreign_server(server_factory, browser, foreign_dir: Path) -> StreamlitServer:
    return _warm(server_factory(foreign_dir), browser)


@pytest.fixture(scope="session")
def hostile_server(server_factory, browser, hostile_dir: Path) -> StreamlitServer:
    return _warm(server_factory(hostile_dir), browser)


@pytest.fixture
def page_record() -> PageRecord:
    return PageRecord()


@pytest.fixture
def page(browser, page_record: PageRecord):
    """A page in a fresh browser context that may request nothing but the local server."""
    context = new_context(browser, page_record)
    page = context.new_page()
    yield page
    context.close()
    assert page_record.external_requests == [], f"the app requested other hosts: {page_record.external_requests}"
