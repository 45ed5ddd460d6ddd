"""Full-page screenshots of every page on the curated data, for the docs (not a test).

Run: ``.venv/bin/python -m tests.browser.screenshots [--out docs/screenshots]``. Starts the app on
``data/`` on a free local port, opens ``/`` first, then each page through the sidebar navigation (a claim
opened on the Claims page, the most active stakeholder's profile, the three most active speaker countries
compared, each picked from the data), and saves ``<out>/<page>.png`` 1400 px wide. Requests to other hosts
are blocked and listed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

from playwright.sync_api import sync_playwright

from claimscope.authors import is_author
from claimscope.ingest.dataset import load_folder
from tests.browser.helpers import (
    NAV_LABELS,
    REPO,
    VIEWPORT,
    PageRecord,
    StreamlitServer,
    click_nav,
    launch_browser,
    new_context,
    wait_ready,
)

#: views behind URL parameters, shot after the pages of the navigation (name: path with its query)
EXTRA_VIEWS = {
    "timeline-trends": "/timeline?view=trends",
    "timeline-cascade": "/timeline?view=cascade&claim=ctx-r03",
    "timeline-latency": "/timeline?view=latency",
}


def capture(page, path: Path) -> None:
    """Wait for the charts, grow the window to the content, and save a full-page picture."""
    # charts draw after the script run: wait until plotly has laid out every chart
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')].every(c => c.querySelector('.main-svg'))",
        polling=100,
    )
    # Streamlit scrolls inside its main area, so grow the window to the content to get it all
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stSidebarContent', 'stAppViewContainer'].map("
        "id => document.querySelector(`[data-testid=${id}]`)?.scrollHeight || 0))"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    wait_ready(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)
    print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}")


def deep_links(data: Path) -> dict[str, str]:
    """The pages shown with a subject: a claim, the most active stakeholder, the three most active speaker countries."""
    claims = load_folder(data).claims
    stakeholders = claims.loc[~is_author(claims).to_numpy(dtype=bool)]
    links = {"claims": "/claims?claim=" + quote(str(claims["claim_id"].iloc[min(11, len(claims) - 1)]), safe="")}
    if len(stakeholders):
        links["actor"] = "/actor?speaker=" + quote(str(stakeholders["speaker"].value_counts().index[0]), safe="")
        countries = stakeholders["speaker_country"].loc[lambda c: c != ""].value_counts().index[:3]
        links["compare"] = "/compare?" + urlencode([("country", c) for c in countries])
    return links


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--data", type=Path, default=REPO / "data")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    record = PageRecord()
    with tempfile.TemporaryDirectory() as tmp:
        server = StreamlitServer(
            # no file watcher: an edit elsewhere in the tree would put a "File change" banner in the pictures
            data_dir=args.data,
            log_path=Path(tmp) / "streamlit.log",
            extra_args=("--server.fileWatcherType", "none"),
        ).start()
        try:
            with sync_playwright() as playwright:
                browser = launch_browser(playwright)
                context = new_context(browser, record)
                page = context.new_page()
                page.goto(server.url + "/")
                wait_ready(page)
                links = deep_links(args.data)
                for name, label in NAV_LABELS.items():
                    if name in links:  # a page with its subject (a new session: the next page starts from "/")
                        page.goto(server.url + links[name])
                        wait_ready(page)
                    elif name != "overview":
                        page.goto(server.url + "/")
                        wait_ready(page)
                        click_nav(page, label)
                    capture(page, args.out / f"{name}.png")
                for name, path in EXTRA_VIEWS.items():
                    page.goto(server.url + path)
                    wait_ready(page)
                    capture(page, args.out / f"{name}.png")
                context.close()
                browser.close()
        finally:
            server.stop()
    if record.external_requests:
        print("blocked requests to other hosts:", *sorted(set(record.external_requests)), sep="\n  ", file=sys.stderr)
    if record.page_errors:
        print("page errors:", *record.page_errors, sep="\n  ", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
