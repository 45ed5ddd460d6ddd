"""What the browser tests and the screenshot script share: the server, the browser, waiting for Streamlit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT = 60.0
READY_TIMEOUT_MS = 60_000  # generous: the suite must survive a loaded 2-core machine

#: url_path of every page and the title its st.title shows (None: the page is being built, title not fixed)
PAGES: dict[str, str | None] = {
    "overview": "Overview",
    "claims": "Claims",
    "actor": "Actor profile",
    "compare": "Compare",
    "timeline": "Timeline",
    "relations": "Country relations",
    "data": "Data",
}
#: the label of every page in the sidebar navigation (st.Page titles in app.py)
NAV_LABELS = {
    "overview": "Overview",
    "claims": "Claims",
    "actor": "Actor profile",
    "compare": "Compare",
    "timeline": "Timeline",
    "relations": "Country relations",
    "data": "Data",
}

APP = '[data-testid="stApp"]'
#: counts the script runs the frontend sees, so that a test can wait for the run its action caused
RUN_COUNTER_SCRIPT = """
(() => {
  window.__claimscopeRuns = 0;
  let last = null;
  const step = (state) => {
    if (state === 'running' && last !== 'running') window.__claimscopeRuns += 1;
    last = state;
  };
  new MutationObserver((records) => {
    // replay every value the attribute had, in order, so that a short run is not missed
    for (const r of records) {
      if (r.type === 'attributes' && r.target.getAttribute('data-testid') === 'stApp') step(r.oldValue);
    }
    const app = document.querySelector('[data-testid="stApp"]');
    step(app ? app.getAttribute('data-test-script-state') : null);
  }).observe(document, {
    subtree: true, childList: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['data-test-script-state'],
  });
})();
"""
BUSY = ", ".join(
    f'[data-testid="{testid}"]'
    for testid in ("stSkeleton", "stAppSkeleton", "stStatusWidgetRunningIcon", "stStatusWidgetRunningManIcon", "stSpinner")
)


# --- the Streamlit server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base_url: str, process: subprocess.Popen, timeout: float) -> None:
    """Poll Streamlit's health endpoint until it answers; raise if the server exits or the time runs out.

    Shared by the browser tests, the load test and the benchmark.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f}s")


@dataclass
class StreamlitServer:
    """One ``streamlit run app.py`` on a free local port, in its own process group."""

    data_dir: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    #: more ``streamlit run`` options, e.g. ("--server.fileWatcherType", "none")
    extra_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StreamlitServer:
        env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1"}
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            *self.extra_args,
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_healthy(self.url, self.process, SERVER_START_TIMEOUT)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc}:\n{self.log()}") from None
        return self

    def stop(self) -> None:
        """Kill the server's whole process group."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-5000:]
        except OSError:
            return ""


# --- the browser ---------------------------------------------------------------------------------------


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class PageRecord:
    """What a page did that a test may assert on."""

    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def new_context(browser, record: PageRecord):
    """A browser context that counts script runs and blocks (and records) every non-local request."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(READY_TIMEOUT_MS)
    context.add_init_script(RUN_COUNTER_SCRIPT)

    def handle(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            record.external_requests.append(url)
            route.abort()

    context.route("**/*", handle)

    def on_websocket(ws) -> None:
        if urlsplit(ws.url).hostname not in LOCAL_HOSTS:
            record.external_requests.append(ws.url)

    def on_dialog(dialog) -> None:
        record.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_page(page) -> None:
        page.on("websocket", on_websocket)
        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: record.page_errors.append(str(error)))

    context.on("page", on_page)
    return context


# --- waiting for Streamlit -----------------------------------------------------------------------------


def script_runs(page) -> int:
    """How many script runs this page has started so far (for wait_ready's ``after``)."""
    return int(page.evaluate("window.__claimscopeRuns || 0"))


def wait_ready(page, after: int | None = None, timeout: int = READY_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script run has finished and nothing is loading any more.

    ``after``: a :func:`script_runs` count taken before an action; then first wait for a run that
    started after it, so that the wait does not end on the state from before the action's rerun.
    (React may batch a very short run away entirely, so tests first wait for the outcome they
    expect, such as the URL, and pass ``after`` only where a run always shows.)
    """
    page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', state="attached", timeout=timeout)
    if after is not None:
        page.wait_for_function(f"(window.__claimscopeRuns || 0) > {int(after)}", timeout=timeout, polling=50)
    page.wait_for_selector(f'{APP}[data-test-script-state="notRunning"]', state="attached", timeout=timeout)
    page.wait_for_function(f"() => !document.querySelector('{BUSY}')", timeout=timeout, polling=50)


def choose_option(page, combobox, option_name, attempts: int = 3) -> None:
    """Open ``combobox`` (a select widget's locator) and click its option named ``option_name`` (a string or a
    pattern), opening it again if its list did not show or closed before the click.

    A rerun still drawing the page (a chart page's figures, an expander just opened) can re-render the widget under
    the click: its list then never shows, or closes at once. Each attempt waits for the app to be ready first.
    """
    option = page.get_by_role("option", name=option_name)
    for attempt in range(attempts):
        wait_ready(page)
        combobox.click()
        try:
            option.first.wait_for(timeout=10_000)
            option.first.click(timeout=10_000)
            return
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def _shown(selectors: str) -> str:
    """A page function: true once an element of ``selectors`` is drawn, or the page says "Page not found"."""
    return f"() => !!document.querySelector('{selectors}') || document.body.innerText.includes('Page not found')"


#: what a run of a page shows: its title, a message (an error among them), an exception, or "Page not found"
PAGE_SHOWN = _shown('[data-testid="stMain"] h1, [data-testid="stException"], [data-testid="stAlert"]')
#: what only the run of a new page draws in the main area: its title, an exception, or "Page not found"
NEW_PAGE_SHOWN = _shown('[data-testid="stMain"] h1, [data-testid="stMain"] [data-testid="stException"]')


def open_page(page, server: StreamlitServer, path: str) -> None:
    """Go to ``path`` (with its query string) on the server and wait for the app's run of the page to finish.

    On a cold server the first deep link runs twice: Streamlit's legacy pages/ mode runs the page script, which
    shows nothing, calls st.navigation and reruns (ui.view.current_view). The app can be "notRunning" between
    the two runs, so the wait ends only once the page has shown itself and no run is going on."""
    page.goto(server.url + path)
    wait_ready(page)
    page.wait_for_function(PAGE_SHOWN, timeout=READY_TIMEOUT_MS, polling=50)
    wait_ready(page)


def assert_no_error(page) -> None:
    """No exception element, no 'Page not found'."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("does not seem to exist").count() == 0


def main(page):
    return page.locator('[data-testid="stMain"]')


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def title(page) -> str:
    return main(page).locator("h1").first.inner_text().strip()


def click_nav(page, label: str) -> None:
    """Go to another page through the sidebar navigation (no reload) and wait for its run.

    The link is marked current (and the page's elements cleared) before the new page's run has started, and the
    app can still say "notRunning" then; the Overview's link is the site's root, so its URL says nothing either
    (CI once read an empty page). So the wait ends only once the new page has drawn something of its own in
    the main area (every page's title comes first; an exception or "Page not found" otherwise) and no run is
    going on. An alert does not count: ``app.py`` draws some (the rows set aside) that outlive the page change."""
    link = page.locator('[data-testid="stSidebarNavLink"]', has_text=label)
    link.click()
    page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]', has_text=label).wait_for()
    page.wait_for_url(link.get_attribute("href").split("?")[0] + "**")
    page.wait_for_function(NEW_PAGE_SHOWN, timeout=READY_TIMEOUT_MS, polling=50)
    wait_ready(page)


def open_tab(page, name: str) -> None:
    """Click one of the main area's tabs and wait for the run its URL parameter starts.

    The Data page's tabs are bound to the URL (``tab``): a click reruns the script, and a widget used
    before that run ends (an uploader given files, say) is drawn anew and forgets what it was given.
    """
    main(page).get_by_role("tab", name=name).click()
    page.wait_for_url(lambda url: "tab=" + quote_plus(name) in url, timeout=READY_TIMEOUT_MS)
    wait_ready(page)


def upload_on_data_page(page, server, path: Path, outcome: str, attempts: int = 3):
    """Upload ``path`` on the Data page's *Bring your own data* tab and wait until ``outcome`` shows.

    Returns the tab's panel. The tab's click reruns the script (the tab is bound to the URL), and on a
    loaded machine that run can end after the file was given: the uploader is drawn anew and forgets it.
    So a file whose outcome does not come is given again, at most ``attempts`` times. When it never
    comes, a full-page screenshot is kept beside the file (``upload-failure.png``).
    """
    open_page(page, server, "/data")
    open_tab(page, "Bring your own data")
    panel = main(page).get_by_role("tabpanel", name="Bring your own data")
    for attempt in range(1, attempts + 1):
        main(page).locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        try:
            panel.get_by_text(outcome).first.wait_for(timeout=READY_TIMEOUT_MS // 2)
            break
        except Exception:
            if attempt == attempts:
                page.screenshot(path=str(path.parent / "upload-failure.png"), full_page=True)
                raise
    wait_ready(page)
    return panel
