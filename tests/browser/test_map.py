"""The map's base layer is served by the app itself: it draws offline, and no request leaves the host."""

from __future__ import annotations

from tests.browser.helpers import main, open_page


def test_map_draws_offline_and_no_request_leaves_the_host(data_server, page, page_record):
    served: list[str] = []
    page.on("request", lambda request: served.append(request.url))
    open_page(page, data_server, "/relations")
    main(page).get_by_role("tab", name="Map").click()
    # the base map's land and borders are drawn from the topojson the app serves itself
    page.wait_for_selector(".stPlotlyChart .geo path.countries, .stPlotlyChart .geo .countries path", state="attached")
    assert any(url.endswith("/app/static/topojson/world_110m.json") for url in served)
    hosts = {url.split("/")[2] for url in served if url.startswith(("http://", "https://"))}
    assert hosts == {data_server.url.split("/")[2]}
    assert page_record.external_requests == []
