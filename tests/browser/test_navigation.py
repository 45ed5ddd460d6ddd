"""Deep links, shared filters across pages, the URL as the state, and bad URL values."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState

from claimscope.ingest.dataset import load_folder
from tests.browser.helpers import (
    NAV_LABELS,
    PAGES,
    REPO,
    assert_no_error,
    choose_option,
    click_nav,
    main,
    open_page,
    script_runs,
    sidebar,
    title,
    wait_ready,
)

SPEAKER = "Vladimir Putin"
STANCE = "support"
FILTERED = f"/claims?speaker={quote(SPEAKER)}&stance={STANCE}"


@pytest.fixture(scope="module")
def curated_claims():
    return load_folder(REPO / "data").claims


def expected_count(claims, **wanted: str) -> int:
    """Rows with exactly these column values (an oracle independent of claimscope.filters)."""
    mask = True
    for column, value in wanted.items():
        mask = mask & (claims[column].astype(str) == value)
    return int(mask.sum())


def summary_line(page) -> str:
    """The filter summary under the page title ("N of M statements · …" or "All M statements …")."""
    return main(page).locator('[data-testid="stCaptionContainer"]').filter(has_text=re.compile(r"statements")).first.inner_text()


def selected_values(page, label: str) -> list[str]:
    """The values a sidebar multiselect shows as selected (without their counts)."""
    widget = (
        sidebar(page).locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_role("combobox", name=label, exact=True))
    )
    labels = widget.locator('[aria-label="Selected values"] [data-tag]').evaluate_all(
        "tags => tags.map(t => t.getAttribute('aria-label'))"
    )
    return [re.sub(r" \(\d+\)$", "", value) for value in labels]


def nav_labels(page) -> list[str]:
    return page.locator('[data-testid="stSidebarNavLink"] span[label]').evaluate_all(
        "spans => spans.map(s => s.getAttribute('label'))"
    )


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def check_page(page, name: str) -> list[str]:
    """What is wrong with the page now shown as ``name`` (an empty list: nothing)."""
    problems = []
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        problems.append(f"exception: {exceptions.first.inner_text()[:300]}")
    if page.get_by_text("Page not found").count():
        problems.append("'Page not found' shown")
    expected_title = PAGES[name]
    shown_title = title(page) if main(page).locator("h1").count() else ""
    if not shown_title or (expected_title and shown_title != expected_title):
        problems.append(f"title {shown_title!r}, expected {expected_title or 'any'!r}")
    # the sidebar is the app's st.navigation (titles of app.py), not Streamlit's pages/ directory listing
    labels = nav_labels(page)
    if labels != list(NAV_LABELS.values()):
        problems.append(f"sidebar navigation shows {labels}")
    current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"] span[label]')
    if current.count() != 1 or current.get_attribute("label") != NAV_LABELS[name]:
        problems.append("the current page is not marked in the navigation")
    if page.get_by_role("combobox", name="Speaker", exact=True).count() != 1:
        problems.append("no Speaker filter in the sidebar")
    return problems


def test_cold_deep_links(server_factory, page):
    """Deep links on a new server, a deep link first: each renders its page with the app's navigation.

    Streamlit picks its legacy pages/ directory mode on a server's first script run (the app leaves it
    with one st.navigation call and a rerun); every deep link runs before ``/`` on the same cold server.
    """
    server = server_factory(REPO / "data")
    problems = {}
    # the default page (Overview) lives at "/": Streamlit gives the default page no path of its own
    for path in [*(f"/{name}" for name in PAGES if name != "overview"), "/"]:
        open_page(page, server, path)
        found = check_page(page, path.strip("/") or "overview")
        if found:
            problems[path] = found
    assert problems == {}
    # the tab's icon is the app's own SVG, sent inline: no request for it, to this host or another
    icon = page.locator("link[rel='shortcut icon'], link[rel='icon']").first.get_attribute("href")
    assert icon.startswith("data:image/svg+xml;base64,"), icon


def test_deep_link_with_filters_survives_navigation(data_server, page, curated_claims):
    total = len(curated_claims)
    count = expected_count(curated_claims, speaker=SPEAKER, stance=STANCE)
    assert 0 < count < total, "pick filter values that select some but not all claims"
    open_page(page, data_server, FILTERED)
    assert_no_error(page)
    assert title(page) == "Claims"
    assert summary_line(page).startswith(f"{count} of {total} statements")
    assert selected_values(page, "Speaker") == [SPEAKER]
    assert selected_values(page, "Stance") == [STANCE]
    assert main(page).locator('[data-testid="stDataFrame"]').first.is_visible()

    for name in ("overview", "data", "claims"):
        click_nav(page, NAV_LABELS[name])
        assert_no_error(page)
        assert title(page) == PAGES[name]
        params = query(page)
        assert params.get("speaker") == [SPEAKER], page.url
        assert params.get("stance") == [STANCE], page.url
        assert summary_line(page).startswith(f"{count} of {total} statements")
        assert selected_values(page, "Speaker") == [SPEAKER]
        assert selected_values(page, "Stance") == [STANCE]


def test_changing_a_filter_updates_the_url(data_server, page, curated_claims):
    open_page(page, data_server, FILTERED)
    stance_options = curated_claims.loc[curated_claims["speaker"] != SPEAKER, "stance"].astype(str)
    other = next(v for v in ("oppose", "concern", "neutral") if (stance_options == v).any())

    choose_option(page, sidebar(page).get_by_role("combobox", name="Stance", exact=True), re.compile(rf"^{other} \(\d+\)$"))
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(rf"[?&]stance={other}(&|$)"))
    wait_ready(page)
    params = query(page)
    assert params.get("stance") == [STANCE, other], page.url
    assert params.get("speaker") == [SPEAKER], page.url
    both = expected_count(curated_claims, speaker=SPEAKER, stance=STANCE) + expected_count(
        curated_claims, speaker=SPEAKER, stance=other
    )
    assert summary_line(page).startswith(f"{both} of {len(curated_claims)} statements")

    # removing the speaker drops it from the URL
    sidebar(page).get_by_role("button", name=f"Remove {SPEAKER}", exact=False).click()
    page.wait_for_url(lambda url: "speaker=" not in url)
    wait_ready(page)
    params = query(page)
    assert "speaker" not in params, page.url
    assert params.get("stance") == [STANCE, other], page.url

    # the search box too
    box = sidebar(page).get_by_role("textbox", name="Search quotes and summaries")
    box.fill("treaty")
    box.press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=treaty(&|$)"))
    wait_ready(page)
    assert query(page).get("q") == ["treaty"], page.url


def test_more_filters_are_drawn_when_opened_and_kept_across_pages(data_server, page, curated_claims):
    """The folded filters (ui.state.FOLDED_FILTERS) are not drawn until "More filters" is opened; one picked there
    writes the URL and holds, closed, on another page; a link that sets one opens "More filters" on a cold page."""
    kind_widgets = sidebar(page).get_by_role("combobox", name="Kind", exact=True)
    open_page(page, data_server, "/")
    assert kind_widgets.count() == 0
    assert sidebar(page).get_by_role("combobox", name="Speaker", exact=True).count() == 1
    more = sidebar(page).locator('[data-testid="stExpander"]').filter(has_text="More filters")
    runs = script_runs(page)
    more.locator("summary").click()
    kind_widgets.wait_for()
    wait_ready(page, after=runs)
    choose_option(page, kind_widgets, re.compile(r"^reaction \(\d+\)$"))
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]kind=reaction(&|$)"))
    wait_ready(page)
    count = expected_count(curated_claims, kind="reaction")
    assert 0 < count < len(curated_claims)
    assert summary_line(page).startswith(f"{count} of {len(curated_claims)} statements")
    # open, it stays open on another page
    click_nav(page, NAV_LABELS["timeline"])
    assert_no_error(page)
    assert selected_values(page, "Kind") == ["reaction"]

    runs = script_runs(page)
    more.locator("summary").click()
    kind_widgets.wait_for(state="detached")
    wait_ready(page, after=runs)
    expect(sidebar(page).get_by_text("Set under More filters: Kind.")).to_be_visible()
    click_nav(page, NAV_LABELS["claims"])
    assert_no_error(page)
    assert query(page).get("kind") == ["reaction"], page.url
    assert summary_line(page).startswith(f"{count} of {len(curated_claims)} statements")
    assert kind_widgets.count() == 0

    # a fresh session on the link: "More filters" opens itself to show what the link sets
    page.goto("about:blank")
    open_page(page, data_server, "/claims?kind=reaction")
    assert selected_values(page, "Kind") == ["reaction"]
    assert summary_line(page).startswith(f"{count} of {len(curated_claims)} statements")


def test_claim_parameter_opens_the_detail(data_server, page, curated_claims):
    row = curated_claims[curated_claims["speaker"] == SPEAKER].iloc[0]
    open_page(page, data_server, f"/claims?claim={quote(row['claim_id'])}")
    assert_no_error(page)
    heading = main(page).locator("h2").filter(has_text=row["claim_id"]).first
    assert heading.inner_text().strip() == f"{row['claim_id']} · {row['speaker']} · {row['date']}"
    assert query(page).get("claim") == [row["claim_id"]]
    # the permalink and the citation are built when their expander is opened (not before: see pages/claims.py)
    codes = main(page).locator('[data-testid="stCode"]')
    assert codes.count() == 0
    main(page).get_by_text("Permalink and citation").click()
    wait_ready(page)
    codes.first.wait_for()
    assert codes.first.inner_text().strip() == f"{data_server.url}/claims?claim={quote(row['claim_id'], safe='')}"
    assert row["claim_id"] in codes.nth(1).inner_text() and "Accessed" in codes.nth(1).inner_text()
    assert query(page).get("claim") == [row["claim_id"]]


def test_bad_url_values_give_notices_not_errors(data_server, page, curated_claims):
    long_value = "x" * 10_000
    open_page(page, data_server, f"/claims?stance=bogus&from=2024-13&zzz=1&speaker={long_value}")
    assert_no_error(page)
    assert title(page) == "Claims"
    notices = sidebar(page).locator('[data-testid="stAlert"]').all_inner_texts()
    text = "\n".join(notices)
    assert "Ignored stance='bogus'" in text
    assert "Ignored from='2024-13'" in text
    assert "Ignored unknown URL parameter 'zzz'" in text
    assert "Ignored a speaker value of 10,000 characters" in text
    assert long_value not in text
    # nothing is filtered, and the URL no longer carries the ignored values
    assert summary_line(page).startswith(f"All {len(curated_claims)} statements")
    assert query(page) == {}, page.url[:300]


def test_long_search_text_is_ignored_with_a_notice(data_server, page, curated_claims):
    open_page(page, data_server, "/data?q=" + "y" * 10_000)
    assert_no_error(page)
    assert title(page) == "Data"
    assert "Ignored a search text of 10,000 characters" in sidebar(page).inner_text()
    assert summary_line(page).startswith(f"All {len(curated_claims)} statements")


def test_a_show_as_table_expander_builds_its_table_when_opened_and_keeps_the_view(data_server, page):
    """Closed, the profile's tables (its topics and countries section: one under each chart) are not on the page; a
    click opens one and a rerun of its fragment alone (not the page's) builds it there, the address unchanged (the
    expander's state is not a view parameter)."""
    reruns: list[ClientState] = []

    def read(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = BackMsg.FromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                reruns.append(message.rerun_script)

    page.on("websocket", lambda socket: socket.on("framesent", read))
    open_page(page, data_server, f"/actor?speaker={quote('Vladimir Putin')}&section=Topics+and+countries")
    assert_no_error(page)
    expanders = main(page).locator('[data-testid="stExpander"]').filter(has_text="Show as table")
    assert expanders.count() == 2
    assert expanders.first.locator('[data-testid="stDataFrame"]').count() == 0
    before, asked = page.url, len(reruns)
    expanders.first.get_by_text("Show as table").click()
    wait_ready(page)
    expanders.first.locator('[data-testid="stDataFrame"]').first.wait_for()
    assert expanders.nth(1).locator('[data-testid="stDataFrame"]').count() == 0  # the other one stays unbuilt
    opening = reruns[asked:]
    assert len(opening) == 1 and opening[0].fragment_id, "opening a table reran more than its fragment"
    assert page.url == before
    assert_no_error(page)
