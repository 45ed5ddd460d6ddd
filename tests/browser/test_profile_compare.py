"""The Actor profile and Compare pages in the browser: cold deep links, the links to a profile, authors=exclude."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from claimscope.authors import AUTHOR_COLUMN
from claimscope.ingest.dataset import load_folder
from tests.browser.helpers import NAV_LABELS, REPO, assert_no_error, click_nav, main, open_page, sidebar, title, wait_ready
from tests.browser.test_navigation import query, selected_values, summary_line

AUTHORS_TOGGLE = "Leave out the source's own analysis"


@pytest.fixture(scope="module")
def curated_claims():
    return load_folder(REPO / "data").claims


def stakeholders(claims):
    return claims.loc[~claims[AUTHOR_COLUMN]]


def header(page) -> str:
    return main(page).locator("h2").first.inner_text().strip()


def authors_toggle(page):
    return sidebar(page).locator('[data-testid="stCheckbox"]').filter(has_text=AUTHORS_TOGGLE).locator("input")


def test_cold_deep_links_to_a_profile_and_a_comparison(server_factory, page, curated_claims):
    """On a new server, a profile's link is the first one opened; then a comparison's."""
    server = server_factory(REPO / "data")
    name = str(stakeholders(curated_claims)["speaker"].value_counts().index[0])
    open_page(page, server, f"/actor?speaker={quote(name)}")
    assert_no_error(page)
    assert title(page) == "Actor profile"
    assert header(page) == name
    assert selected_values(page, "Speaker") == [name]
    assert query(page) == {"speaker": [name]}

    codes = list(stakeholders(curated_claims)["speaker_country"].loc[lambda c: c != ""].value_counts().index[:2])
    open_page(page, server, "/compare?" + urlencode([("country", c) for c in codes]))
    assert_no_error(page)
    assert title(page) == "Compare"
    expect(main(page).get_by_role("tab", name="Stance over time")).to_have_attribute("aria-selected", "true")
    assert selected_values(page, "Speaker country") == codes
    assert query(page).get("country") == codes


def open_link_in_cell(page, column: int, attempts: int = 4):
    """Focus the first row of the page's first table, move to ``column`` (0: the first after the row marker) and
    open the cell: a link cell then shows its link (glide-data-grid draws the table on a canvas).

    The grid can still be laying itself out when the script run ends (a click then lands before it takes
    focus), so the click is given again, after the grid is in view, until the link shows."""
    grid = main(page).locator('[data-testid="stDataFrame"]').first
    canvas = grid.locator('[data-testid="data-grid-canvas"]')
    link = page.locator("a.gdg-link-area").first
    for attempt in range(attempts):
        grid.scroll_into_view_if_needed()
        canvas.wait_for()
        box = canvas.bounding_box()
        page.keyboard.press("Escape")  # an editor left open by an earlier attempt
        page.mouse.click(box["x"] + 60, box["y"] + 36 + 17)  # the first row's first column, under the header
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        try:
            link.wait_for(timeout=10_000)
            return link
        except Exception:
            if attempt == attempts - 1:
                raise
    return link


def test_a_speaker_in_the_claims_table_opens_the_profile(data_server, page, curated_claims):
    rows = curated_claims.loc[curated_claims["stance"] == "support"]
    name = str(rows["speaker"].iloc[0])
    open_page(page, data_server, "/claims?stance=support")
    assert_no_error(page)
    link = open_link_in_cell(page, 2)  # claim_id, date, speaker
    assert link.inner_text().strip() == name
    assert link.get_attribute("href") == f"actor?speaker={quote(name, safe='')}&stance=support"
    with page.context.expect_page() as opened:
        link.click()
    profile = opened.value
    wait_ready(profile)
    assert urlsplit(profile.url).netloc == urlsplit(data_server.url).netloc  # the link stays on the app's host
    assert urlsplit(profile.url).path == "/actor"
    assert_no_error(profile)
    assert title(profile) == "Actor profile"
    assert query(profile) == {"speaker": [name], "stance": ["support"]}
    assert summary_line(profile).startswith(f"{len(rows.loc[rows['speaker'] == name])} of {len(curated_claims)} statements")


def test_the_claim_detail_opens_the_speakers_profile(data_server, page, curated_claims):
    claim = stakeholders(curated_claims).iloc[0]
    open_page(page, data_server, f"/claims?claim={quote(claim['claim_id'])}")
    assert_no_error(page)
    main(page).get_by_role("button", name=f"Profile of {claim['speaker']}").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/actor")
    wait_ready(page)
    assert title(page) == "Actor profile"
    assert header(page) == claim["speaker"]
    assert query(page).get("speaker") == [claim["speaker"]]
    assert selected_values(page, "Speaker") == [claim["speaker"]]


def test_authors_exclude_survives_page_changes(data_server, page, curated_claims):
    total = len(curated_claims)
    kept = int((~curated_claims[AUTHOR_COLUMN]).sum())
    assert kept < total, "the curated data keeps the seed article's own analysis"
    open_page(page, data_server, "/?authors=exclude")
    assert_no_error(page)
    assert authors_toggle(page).is_checked()
    assert summary_line(page).startswith(f"{kept} of {total} statements")
    for name in ("claims", "actor", "compare", "timeline", "relations", "data", "overview"):
        click_nav(page, NAV_LABELS[name])
        assert_no_error(page)
        assert query(page).get("authors") == ["exclude"], (name, page.url)
        assert authors_toggle(page).is_checked(), name
        assert summary_line(page).startswith(f"{kept} of {total} statements"), name
    # the Overview's bars: no bar of the source's own analysis any more
    page.wait_for_function("() => document.querySelector('[data-testid=\"stPlotlyChart\"] .ytick text')", polling=100)
    bars = (
        main(page)
        .locator('[data-testid="stPlotlyChart"]')
        .first.locator(".ytick text")
        .evaluate_all("ts => ts.map(t => t.textContent)")
    )
    assert bars and not any("own analysis" in bar for bar in bars)
    # switching it off takes it out of the address
    sidebar(page).locator('[data-testid="stCheckbox"]').filter(has_text=AUTHORS_TOGGLE).locator("label").click()
    page.wait_for_url(lambda url: "authors=" not in url)
    wait_ready(page)
    assert summary_line(page).startswith(f"All {total} statements")
