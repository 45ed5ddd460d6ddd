"""Chart clicks in Chromium: a trend bar narrows the dates, a cascade node opens its claim.

The point to click is found from the figure the page drew (plotly's ``gd.data``: the customdata of a bar or
a node), then clicked where plotly drew it, as a user would.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from claimscope.ingest.dataset import load_folder
from claimscope.views.cascade import reaction_cascade, thread_origin, threads
from tests.browser.helpers import REPO, assert_no_error, choose_option, main, open_page, sidebar, title, wait_ready

#: the page position of the first point of a trace chosen by its meta (role, and stance when given)
FIND_POINT = """
([role, wanted]) => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const data = gd.data || [];
    for (let i = 0; i < data.length; i++) {
      const t = data[i];
      // claimscope sends a trace's meta as JSON text (claimscope.figures.browser)
      if (!t.meta || JSON.parse(t.meta).role !== role || !t.customdata) continue;
      for (let j = 0; j < t.customdata.length; j++) {
        const custom = t.customdata[j];
        if (!custom || !custom[0] || (wanted && custom[0] !== wanted)) continue;
        // the DOM keeps one group per trace of a layer, in data order
        const layer = t.type === 'bar' ? '.barlayer .trace.bars' : '.scatterlayer .trace';
        const sameType = data.slice(0, i).filter(d => (d.type || 'scatter') === (t.type || 'scatter')).length;
        const group = gd.querySelectorAll(layer)[sameType];
        const shapes = group ? group.querySelectorAll(t.type === 'bar' ? '.point path' : '.points path') : [];
        const shape = shapes[j];
        if (!shape) continue;
        shape.scrollIntoView({block: 'center'});  // Streamlit scrolls inside its main area: bring the point into the window
        const box = shape.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        return {x: box.x + box.width / 2, y: box.y + box.height / 2, custom: custom};
      }
    }
  }
  return null;
}
"""


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_for_charts(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].length > 0 && "
        "[...document.querySelectorAll('.js-plotly-plot')].every(gd => gd.data && gd.querySelector('.main-svg'))",
        polling=100,
    )


def click_point(page, role: str, wanted: str = "") -> list:
    point = page.evaluate(FIND_POINT, [role, wanted])
    assert point, f"no {role} point drawn"
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    return point["custom"]


def test_a_trend_bar_click_narrows_the_dates(data_server, page):
    open_page(page, data_server, "/timeline?view=trends&interval=month")
    assert_no_error(page)
    wait_for_charts(page)
    # a click that comes before plotly has bound its handlers (a loaded machine) selects nothing: click again
    for attempt in range(3):
        date_from, date_to = click_point(page, "bars")[:2]
        try:
            page.wait_for_url(re.compile(r"[?&]from="), timeout=20_000)
            break
        except Exception:
            if attempt == 2:
                raise
    wait_ready(page)
    params = query(page)
    assert params.get("from") == [date_from] and params.get("to") == [date_to], page.url
    assert params.get("view") == ["trends"] and params.get("interval") == ["month"]
    summary = main(page).locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert f"Date: {date_from} to {date_to}" in summary
    assert page.locator('[data-testid="stSidebar"]').get_by_role("textbox", name="From").input_value() == date_from


def test_a_trend_bar_hover_names_its_row_and_count_and_events_are_dotted_lines(data_server, page):
    """The hover text is put together by Plotly from the trace's template (the row) and the bar's customdata: what
    AppTest cannot show is that the browser's Plotly fills them in. The events' lines are one dotted path."""
    open_page(page, data_server, "/timeline?view=trends&interval=month")
    wait_for_charts(page)
    point = page.evaluate(FIND_POINT, ["bars", ""])
    assert point, "no bar drawn"
    lane = page.evaluate(
        "(custom) => { for (const gd of document.querySelectorAll('.js-plotly-plot')) for (const t of gd.data || [])"
        " if (t.meta && JSON.parse(t.meta).role === 'bars' && t.customdata && t.customdata.some(c => c[0] === custom[0]"
        " && c[2] === custom[2])) return JSON.parse(t.meta).lane; return null; }",
        point["custom"],
    )
    for _ in range(3):  # a hover before Plotly binds its handlers shows nothing: move again
        page.mouse.move(point["x"] + 1, point["y"])
        page.mouse.move(point["x"], point["y"])
        try:
            page.wait_for_function("() => document.querySelector('.hoverlayer .hovertext')", timeout=5_000)
            break
        except Exception:
            continue
    hover = page.evaluate("() => document.querySelector('.hoverlayer .hovertext').textContent")
    assert lane and lane in hover and point["custom"][3] in hover and point["custom"][4] in hover, hover
    assert "%{" not in hover and "click: narrow the dates" in hover
    lines = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot .shapelayer path')]"
        ".map(p => [p.getAttribute('d'), p.style.strokeDasharray])"
    )
    segments = [d for d, dash in lines if d and d.count("M") > 1 and dash]
    assert segments, lines  # one path, a segment per period with events, dotted
    # its first segment is drawn where the first event label stands (Plotly read the path's x as a date)
    drawn, expected = page.evaluate(
        "() => { const gd = document.querySelector('.js-plotly-plot'); const xa = gd._fullLayout.xaxis;"
        " const label = gd.layout.annotations.find(a => a.name === 'event');"
        " const path = [...gd.querySelectorAll('.shapelayer path')].find(p => (p.getAttribute('d') || '').split('M').length > 2);"
        " return [parseFloat(path.getAttribute('d').slice(1).split(',')[0]), xa._offset + xa.d2p(label.x)]; }"
    )
    assert abs(drawn - expected) < 1.5, (drawn, expected)


def test_a_cascade_node_click_opens_the_claim(data_server, page):
    open_page(page, data_server, "/timeline?view=cascade")
    assert_no_error(page)
    wait_for_charts(page)
    (claim,) = click_point(page, "nodes")[:1]
    page.wait_for_url(re.compile(r"/claims\?"))
    wait_ready(page)
    assert_no_error(page)
    assert title(page) == "Claims"
    assert query(page).get("claim") == [claim], page.url
    heading = main(page).locator("h2").filter(has_text=claim).first
    assert heading.inner_text().startswith(claim)


def test_a_cascade_node_click_on_the_claim_detail_opens_that_claim(data_server, page):
    dataset = load_folder(REPO / "data")
    answered = threads(dataset.claims)
    claims = set(dataset.claims["claim_id"])
    root = next((n for n in answered["node_id"] if n in claims), None)
    if root is None:
        pytest.skip("no statement of the data is answered by another")
    nodes = reaction_cascade(dataset.claims, dataset.events, thread_origin(dataset.claims, root, dataset.events)).nodes
    other = next(n for n in nodes.loc[nodes["node_kind"] == "claim", "node_id"] if n != root)
    open_page(page, data_server, f"/claims?claim={quote(root)}&detail={quote('Reaction cascade')}")
    wait_for_charts(page)
    click_point(page, "nodes", other)
    page.wait_for_url(re.compile(rf"[?&]claim={re.escape(quote(other))}(&|$)"))
    wait_ready(page)
    assert_no_error(page)
    assert main(page).locator("h2").filter(has_text=other).first.inner_text().startswith(other)


def type_into_picker(page, label: str, text: str, opens: re.Pattern | None = None, attempts: int = 3) -> None:
    """Type into a select box of the main area and press Enter, as an analyst opening a statement by its id would.

    With ``opens`` (a pattern of the address the id leads to), type again if the address does not come: a rerun still
    drawing the page can re-render the box under the typing (as :func:`tests.browser.helpers.choose_option` says), and
    the Enter then finds it empty. A full suite on two cores lost one such Enter in stop 31.
    """
    box = main(page).get_by_role("combobox", name=label, exact=True)
    for attempt in range(attempts):
        wait_ready(page)
        box.click()
        box.fill(text)
        page.keyboard.press("Enter")
        if opens is None:
            return
        try:
            page.wait_for_url(opens, timeout=15_000)
            return
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise


def test_a_claim_the_picker_does_not_list_opens_when_its_id_is_typed(data_server, page):
    # the picker lists the filtered claims only (and only the first MAX_PICKER_OPTIONS): a claim the filters leave out
    # is not listed, and typing its id (pasted with stray spaces) opens it all the same
    dataset = load_folder(REPO / "data")
    claims = dataset.claims
    left_out = str(claims.loc[claims["stance"] != "support", "claim_id"].iloc[0])
    open_page(page, data_server, "/claims?stance=support")
    type_into_picker(page, "Open a claim", f"  {left_out} ", opens=re.compile(rf"[?&]claim={re.escape(quote(left_out))}(&|$)"))
    wait_ready(page)
    assert_no_error(page)
    assert main(page).locator("h2").filter(has_text=left_out).first.inner_text().startswith(left_out)
    # an id of no claim: said so under the picker; the claim open stays open, and the picker shows it again
    type_into_picker(page, "Open a claim", "no-such-claim")
    main(page).get_by_text("No statement has the id “no-such-claim”: nothing was opened.").wait_for()
    wait_ready(page)
    assert_no_error(page)
    assert query(page)["claim"] == [left_out]
    assert main(page).locator("h2").filter(has_text=left_out).count() == 1
    expect(main(page).get_by_role("combobox", name="Open a claim", exact=True)).to_have_value(left_out)


def test_a_statement_typed_into_the_timeline_cascade_picker_draws_its_cascade(data_server, page):
    dataset = load_folder(REPO / "data")
    answered = threads(dataset.claims)
    claims = set(dataset.claims["claim_id"])
    # a statement of a thread other than the largest one (which the view shows without a choice)
    claim = next((n for n in answered["node_id"][1:] if n in claims), None)
    if claim is None:
        pytest.skip("the data has a single thread")
    open_page(page, data_server, "/timeline?view=cascade")
    type_into_picker(page, "Statement", claim, opens=re.compile(rf"[?&]claim={re.escape(quote(claim))}(&|$)"))
    wait_ready(page)
    assert_no_error(page)
    wait_for_charts(page)
    assert query(page)["view"] == ["cascade"]
    assert main(page).get_by_text("The largest thread:").count() == 0  # the typed statement's cascade, not the default


def test_a_claims_link_lands_on_the_claim_and_the_folded_list_opens_on_a_click(data_server, page):
    claims = load_folder(REPO / "data").claims.reset_index(drop=True)
    claim = str(claims.loc[5, "claim_id"])
    open_page(page, data_server, f"/claims?claim={quote(claim)}")
    assert_no_error(page)
    assert main(page).locator("h2").filter(has_text=claim).first.inner_text().startswith(claim)
    expect(main(page).locator('[data-testid="stDataFrame"]')).to_have_count(0)  # no list, no grid of fields
    expect(main(page).get_by_role("combobox", name="Open a claim", exact=True)).to_have_count(0)
    folded = main(page).locator('[data-testid="stExpander"]').filter(has_text="matching statements")
    expect(folded).to_have_count(1)
    before = page.url
    folded.locator("summary").click()
    expect(folded.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    wait_ready(page)
    expect(folded.get_by_role("combobox", name="Open a claim", exact=True)).to_have_value(claim)
    assert main(page).locator("h2").filter(has_text=claim).count() == 1  # the claim stays open under it
    assert page.url == before
    assert_no_error(page)


def test_a_row_clicked_in_the_claims_table_opens_its_claim_and_a_filter_change_keeps_it(data_server, page):
    claims = load_folder(REPO / "data").claims.reset_index(drop=True)
    row = next(i for i in range(2, len(claims)) if claims.loc[i, "stance"] != "oppose")
    claim = str(claims.loc[row, "claim_id"])
    open_page(page, data_server, "/claims")
    grid = main(page).locator('[data-testid="stDataFrame"]').first
    canvas = grid.locator('[data-testid="data-grid-canvas"]')
    grid.scroll_into_view_if_needed()
    canvas.wait_for()
    box = canvas.bounding_box()
    # the row marker (the grid's first column) of that row, under the header: glide-data-grid draws on a canvas
    page.mouse.click(box["x"] + 15, box["y"] + 35 * (row + 1) + 17)
    page.wait_for_url(re.compile(rf"[?&]claim={re.escape(quote(claim))}(&|$)"))
    wait_ready(page)
    assert_no_error(page)
    assert main(page).locator("h2").filter(has_text=claim).first.inner_text().startswith(claim)
    # opened from the list: the list stays open above the claim, the table still drawn in it
    folded = main(page).locator('[data-testid="stExpander"]').filter(has_text="matching statements")
    expect(folded.locator('[data-testid="stDataFrame"]')).to_have_count(1)
    # a filter that leaves the claim out of the table: the claim stays open (the row's position is not reused)
    choose_option(page, sidebar(page).get_by_role("combobox", name="Stance", exact=True), re.compile(r"^oppose( \([\d,]+\))?$"))
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]stance=oppose(&|$)"))
    wait_ready(page)
    assert_no_error(page)
    assert query(page)["claim"] == [claim]
    assert main(page).locator("h2").filter(has_text=claim).first.inner_text().startswith(claim)
