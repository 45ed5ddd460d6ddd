"""A dataset the app has never seen: Cyrillic, Chinese and Korean text, a bloc and an organisation as speakers."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.browser.helpers import NAV_LABELS, assert_no_error, click_nav, main, open_page, sidebar, title
from tests.datasets import FOREIGN_CLAIMS

SPEAKERS = [row["speaker"] for row in FOREIGN_CLAIMS]


def test_every_page_opens(foreign_server, page):
    open_page(page, foreign_server, "/")
    failures = {}
    for name, label in NAV_LABELS.items():
        click_nav(page, label)
        try:
            assert_no_error(page)
            assert title(page)
            assert f"All {len(FOREIGN_CLAIMS)} statements" in main(page).inner_text()
        except AssertionError as exc:
            failures[name] = str(exc)[:500]
    assert failures == {}


def test_claims_page_shows_the_cyrillic_speaker(foreign_server, page):
    open_page(page, foreign_server, "/claims?claim=ru-1")
    assert_no_error(page)
    heading = main(page).locator("h2").filter(has_text="ru-1").first
    assert heading.inner_text().strip() == "ru-1 · Мария Захарова · 2023-03-05"
    assert main(page).get_by_text("«Мы поддерживаем соглашение»").first.is_visible()
    # every speaker, whatever its script, is a filter option
    sidebar(page).get_by_role("combobox", name="Speaker", exact=True).click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert sorted(o for o in options if o != "Select all") == sorted(f"{s} (1)" for s in SPEAKERS)


def test_speaker_filter_in_chinese(foreign_server, page):
    open_page(page, foreign_server, f"/claims?speaker={quote('外交部')}&claim=cn-1")
    assert_no_error(page)
    assert main(page).get_by_text(re.compile(rf"^1 of {len(FOREIGN_CLAIMS)} statements")).first.is_visible()
    assert main(page).locator("h2").filter(has_text="cn-1").first.inner_text().startswith("cn-1 · 外交部 · 2023-03")
