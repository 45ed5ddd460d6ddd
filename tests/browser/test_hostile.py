"""The hostile dataset: text that would run, load or render as markup must stay text on every page."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.helpers import NAV_LABELS, assert_no_error, click_nav, main, open_page, title
from tests.datasets import HOSTILE_QUOTE, HOSTILE_SUMMARY, PLOTLY_TEMPLATE_SPEAKER

SCRIPT_TEXT = "<script>window.__pwned=1</script>"


def assert_inert(page, page_record) -> None:
    """Nothing from the data ran, loaded or rendered as markup."""
    assert page_record.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator('img[src*="evil.example"]').count() == 0
    assert page.locator('a[href^="javascript:" i]').count() == 0
    assert page.locator('script:not([src]):has-text("__pwned")').count() == 0
    # maths in the data must not be typeset (KaTeX): the data has $x^2$, $$\int$$ and $t$
    assert page.locator(".katex, .katex-display, math").count() == 0
    assert page.locator("b[onmouseover], img[onerror], [onerror], [onmouseover]").count() == 0


def visit_every_page(page, server):
    """Open ``/``, then every page through the sidebar navigation (no reload), yielding each name."""
    open_page(page, server, "/")
    yield "overview"
    for name, label in list(NAV_LABELS.items())[1:]:
        click_nav(page, label)
        yield name


def test_every_page_keeps_hostile_text_inert(hostile_server, page, page_record):
    failures = {}
    for name in visit_every_page(page, hostile_server):
        try:
            assert_no_error(page)
            assert title(page)
            page.mouse.move(700, 300)  # hover the main area, where handlers would fire
            assert_inert(page, page_record)
            if name in ("overview", "data"):  # the dataset's title (a script tag) is shown as text
                assert main(page).get_by_text("<script>alert('title')</script> $t$").first.is_visible()
        except AssertionError as exc:
            failures[name] = str(exc)[:500]
    assert failures == {}


def test_hostile_quote_is_literal_text_on_the_claims_page(hostile_server, page, page_record):
    open_page(page, hostile_server, "/claims?claim=h-1&q=Mallory")
    assert_no_error(page)
    assert main(page).locator("h2").filter(has_text="h-1").first.is_visible()
    assert main(page).get_by_text("1 of 3 statements").first.is_visible()
    shown = main(page).get_by_text(SCRIPT_TEXT, exact=False).first
    assert shown.is_visible()
    # the whole quote is shown literally (markdown, HTML and maths included), in a paragraph, not as markup
    quote = main(page).locator('[data-testid="stMarkdownContainer"]').filter(has_text=SCRIPT_TEXT).first
    # bare addresses carry an invisible word joiner (U+2060) so that markdown cannot link them
    assert quote.inner_text().strip().replace("\u2060", "") == HOSTILE_QUOTE
    summary = main(page).locator('[data-testid="stMarkdownContainer"]').filter(has_text="onmouseover").first
    assert summary.inner_text().strip() == HOSTILE_SUMMARY.replace("\u202e", "[U+202E]")
    # the speaker's markup is text in the heading
    heading = main(page).locator("h2").filter(has_text="h-1").first.inner_text()
    assert "<i>Mallory</i> [x](http://evil.example)" in heading.replace("\u2060", "")  # word joiner: not a link
    assert_inert(page, page_record)


def test_urls_in_data_do_not_become_links(hostile_server, page):
    """ui.view.text promises "no links": a URL inside the data must not turn into a clickable link."""
    open_page(page, hostile_server, "/claims?claim=h-1")
    assert main(page).locator("h2").filter(has_text="h-1").first.is_visible()
    links = page.locator('a[href*="evil.example"]').evaluate_all("links => links.map(a => a.outerHTML)")
    assert links == []


#: every text Plotly drew in the page's charts (labels, ticks, legends, titles, annotations)
CHART_TEXTS = "() => [...document.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent)"


@pytest.mark.parametrize(
    "link",
    [
        "/timeline?view=trends&by=actor&interval=year",
        "/",
        "/timeline",
        "/timeline?view=cascade&claim=h-1",
        "/relations",
        "/actor?speaker=" + quote(PLOTLY_TEMPLATE_SPEAKER),
    ],
)
def test_plotly_templates_in_the_data_stay_text_in_charts(hostile_server, page, page_record, link):
    """A name with ``%{meta.groups}``: Plotly fills templates in labels, legends and titles from the figure (a
    layout's meta may hold every row's raw name, markup and link included); the name must be drawn as written."""
    open_page(page, hostile_server, link)
    assert_no_error(page)
    page.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')", polling=100)
    texts = page.evaluate(CHART_TEXTS)
    if link.startswith("/timeline?view=trends"):  # the speaker names the rows: its name is a row's title
        assert any(text.startswith("Long talker %{meta.groups}") for text in texts), texts
    # wherever the name is drawn it is the name, not the figure's values filled in
    assert all("%{meta" in text for text in texts if "Long talker" in text), texts
    # the other names' markup stays characters (read as markup, <i> would vanish)
    assert all("<i>Mallory</i>" in text for text in texts if "Mallory" in text), texts
    assert page.locator(".js-plotly-plot a").count() == 0  # no link drawn from the data
    assert_inert(page, page_record)
