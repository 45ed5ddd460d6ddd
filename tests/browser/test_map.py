"""The map's base layer is served by the app itself: it draws offline, and no request leaves the host."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import choose_option, main, open_page, sidebar, wait_ready


def test_map_draws_offline_and_no_request_leaves_the_host(data_server, page, page_record):
    served: list[str] = []
    page.on("request", lambda request: served.append(request.url))
    open_page(page, data_server, "/relations")
    main(page).get_by_role("tab", name="Map").click()
    # only the open tab is built: the click reruns the page, and the address says which tab is open
    expect(page).to_have_url(re.compile(r"[?&]chart=Map(&|$)"))
    # the base map's land and borders are drawn from the topojson the app serves itself
    page.wait_for_selector(".stPlotlyChart .geo path.countries, .stPlotlyChart .geo .countries path", state="attached")
    assert any(url.endswith("/app/static/topojson/world_110m.json") for url in served)
    hosts = {url.split("/")[2] for url in served if url.startswith(("http://", "https://"))}
    assert hosts == {data_server.url.split("/")[2]}
    assert page_record.external_requests == []


def test_a_link_opens_the_relations_tab_it_names(data_server, page):
    open_page(page, data_server, "/relations?chart=Matrix")
    expect(main(page).get_by_role("tab", name="Matrix")).to_have_attribute("aria-selected", "true")
    page.wait_for_selector(".stPlotlyChart .heatmaplayer", state="attached")
    # the network tab's figure was not built, so no network chart is on the page
    assert main(page).locator(".stPlotlyChart").count() == 1
    main(page).get_by_role("tab", name="Network").click()
    wait_ready(page)
    expect(page).not_to_have_url(re.compile(r"[?&]chart="))  # the first tab is the default: left out of the address
    expect(main(page).locator(".stPlotlyChart")).to_have_count(1)  # the statement network (the curated one has its tab)


def test_the_focus_tab_keeps_its_country_while_another_tab_is_open(data_server, page):
    """Only the open tab is built, so the focus tab's widgets are not drawn while another tab is open; its choice
    must still be there when the reader comes back."""
    open_page(page, data_server, "/relations?chart=Focus+on+one+country")
    focus = main(page).get_by_role("combobox", name="Country, group or organisation", exact=True)
    first = focus.input_value()
    focus.click()
    chosen = page.get_by_role("option").nth(1).inner_text()
    page.get_by_role("option").nth(1).click()
    wait_ready(page)
    expect(focus).to_have_value(chosen)
    assert chosen != first
    main(page).get_by_role("tab", name="Matrix").click()
    wait_ready(page)
    expect(focus).to_have_count(0)
    main(page).get_by_role("tab", name="Focus on one country").click()
    wait_ready(page)
    expect(focus).to_have_value(chosen)


def test_a_filter_changes_with_a_relations_tab_open(data_server, page):
    """The open tab's parameter is the tabs' own: the sidebar's rewrite of the address must keep it and not touch it."""
    open_page(page, data_server, "/relations?chart=Matrix")
    choose_option(page, sidebar(page).get_by_role("combobox", name="Stance", exact=True), re.compile(r"^oppose \(\d+\)$"))
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]stance=oppose(&|$)"))
    wait_ready(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]chart=Matrix(&|$)"))
    expect(main(page).get_by_role("tab", name="Matrix")).to_have_attribute("aria-selected", "true")
    page.wait_for_selector(".stPlotlyChart .heatmaplayer", state="attached")
