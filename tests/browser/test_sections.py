"""Views built only when opened, in the browser: the Actor profile's sections, the Compare page's panels, the claim
detail's cascade and the Timeline's latency view. A link opens the one it names, a click on a tab writes it to the
address and builds it, and the first tab is left out of the address (AppTest cannot see a bound widget's URL writes)."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus, urlencode

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from claimscope.authors import AUTHOR_COLUMN
from claimscope.ingest.dataset import load_folder
from claimscope.views.cascade import threads
from tests.browser.helpers import REPO, assert_no_error, main, open_page, wait_ready

CHARTS = '[data-testid="stPlotlyChart"]'


@pytest.fixture(scope="module")
def curated():
    return load_folder(REPO / "data")


def click_tab(page, name: str, param: str) -> None:
    """Click a tab of the main area and wait for the address to name it and the run it starts to end."""
    main(page).get_by_role("tab", name=name).click()
    page.wait_for_url(re.compile(rf"[?&]{param}={re.escape(quote_plus(name))}(&|$)"))
    wait_ready(page)


def selected_tab(page, name: str):
    return expect(main(page).get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")


def test_actor_sections_from_a_link_and_a_click(data_server, page, curated):
    claims = curated.claims.loc[~curated.claims[AUTHOR_COLUMN]]
    name = str(claims["speaker"].value_counts().index[0])
    open_page(page, data_server, "/actor?" + urlencode({"speaker": name, "section": "Threads"}))
    assert_no_error(page)
    selected_tab(page, "Threads")
    expect(main(page).get_by_text("Whom they answered", exact=True)).to_be_visible()
    expect(main(page).locator(CHARTS)).to_have_count(0)  # the timeline's section was not built
    main(page).get_by_role("tab", name="Over time").click()
    page.wait_for_url(lambda url: "section=" not in url)  # the first section is the default: left out of the address
    wait_ready(page)
    expect(main(page).locator(CHARTS)).to_have_count(1)
    expect(main(page).get_by_text("Whom they answered", exact=True)).to_have_count(0)
    click_tab(page, "Topics and countries", "section")
    expect(main(page).locator(CHARTS)).to_have_count(2)
    assert_no_error(page)


def test_compare_panels_one_at_a_time(data_server, page, curated):
    claims = curated.claims.loc[~curated.claims[AUTHOR_COLUMN]]
    codes = list(claims["speaker_country"].loc[lambda c: c != ""].value_counts().index[:2])
    open_page(page, data_server, "/compare?" + urlencode([("country", c) for c in codes]))
    selected_tab(page, "Stance over time")
    expect(main(page).locator(CHARTS)).to_have_count(1)
    click_tab(page, "Reaction latency", "panel")
    expect(main(page).get_by_label("Quick means within (days)")).to_be_visible()
    expect(main(page).locator(CHARTS)).to_have_count(1)
    assert "country=" in page.url  # the subjects stay
    assert_no_error(page)


def test_claim_detail_draws_its_cascade_when_its_tab_is_opened(data_server, page, curated):
    answered = set(threads(curated.claims)["node_id"])
    claim = str(curated.claims.loc[curated.claims["claim_id"].isin(answered), "claim_id"].iloc[0])
    open_page(page, data_server, f"/claims?claim={quote(claim)}")
    selected_tab(page, "The quote in its source text")
    expect(main(page).get_by_text("The quote in its source text", exact=True)).not_to_have_count(0)
    expect(main(page).locator(CHARTS)).to_have_count(0)  # the cascade was neither walked nor drawn
    click_tab(page, "Reaction cascade", "detail")
    expect(main(page).locator(CHARTS)).to_have_count(1)
    assert f"claim={quote(claim)}" in page.url
    assert_no_error(page)


def test_timeline_latency_view_from_a_link(data_server, page):
    open_page(page, data_server, "/timeline?view=latency")
    assert_no_error(page)
    expect(main(page).locator(CHARTS)).to_have_count(1)
    expect(main(page).get_by_text("Days from the statement or event a reaction answers", exact=False)).to_be_visible()


def test_relations_pair_section_opens_and_filters_every_page(data_server, page):
    open_page(page, data_server, "/relations")
    section = main(page).locator('[data-testid="stExpander"]').filter(has_text="Statements behind a pair")
    expect(section.locator('[data-testid="stDataFrame"]')).to_have_count(0)  # drawn closed, not built
    section.locator("summary").click()
    expect(section.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    wait_ready(page)
    # the button reruns the whole page (not only the section's fragment): the filters reach the address and the sidebar
    # the expander's own rerun (it builds the section) can still be under way: a click then may be lost, so it is
    # given again until the address shows the pair (a full suite lost one, once, in five runs)
    pair_in_url = re.compile(r"[?&]country=[^&]+.*&about=|[?&]about=[^&]+.*&country=")
    for attempt in range(3):
        section.get_by_role("button", name="Filter every page to this pair").click()
        try:
            page.wait_for_url(pair_in_url, timeout=20_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            wait_ready(page)
    wait_ready(page)
    expect(main(page).get_by_text(re.compile("Speaker country: "))).not_to_have_count(0)
    assert_no_error(page)
