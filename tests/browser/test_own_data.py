"""An analyst's own data in the browser: rows set aside announced on every page; a sheet mapped, imported, explored."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    NAV_LABELS,
    assert_no_error,
    click_nav,
    main,
    open_page,
    script_runs,
    title,
    upload_on_data_page,
    wait_ready,
)
from tests.statements import ROWS, analyst_workbook, contract_folder

BAD_ROWS = 40
NOTICE = f"Validation set aside {BAD_ROWS} of {ROWS} rows of claims.csv."


@pytest.fixture(scope="module")
def set_aside_server(server_factory, tmp_path_factory):
    """The issue's list with speaker countries mistyped in its first rows: those rows are set aside."""
    folder = contract_folder(tmp_path_factory.mktemp("aside"))
    rows = list(csv.reader(io.StringIO((folder / "claims.csv").read_text(encoding="utf-8"))))
    for row in rows[1 : BAD_ROWS + 1]:
        row[3] = row[3].lower()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folder / "claims.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return server_factory(folder)


def notice(page):
    return main(page).locator('[data-testid="stAlert"]').filter(has_text=NOTICE)


def test_every_page_announces_the_rows_set_aside_and_links_to_the_report(set_aside_server, page):
    open_page(page, set_aside_server, "/")
    failures = {}
    for name, label in NAV_LABELS.items():
        if name != "overview":
            click_nav(page, label)
        try:
            assert_no_error(page)
            assert title(page)
            expect(notice(page)).to_be_visible()
            # the notice comes before the page's own content
            box = notice(page).bounding_box()
            assert box is not None and box["y"] < main(page).locator("h1").first.bounding_box()["y"]
            expect(main(page).get_by_role("link", name="Open the validation report")).to_be_visible()
            assert f"All {ROWS - BAD_ROWS} accepted statements" in main(page).inner_text()
        except AssertionError as exc:
            failures[name] = str(exc)[:500]
    assert failures == {}

    click_nav(page, NAV_LABELS["timeline"])
    main(page).get_by_role("link", name="Open the validation report").click()
    page.wait_for_url(re.compile(r"/data\?"))
    wait_ready(page)
    assert title(page) == "Data"
    assert parse_qs(urlsplit(page.url).query).get("tab") == ["Validation report"]
    expect(main(page).get_by_role("tab", name="Validation report")).to_have_attribute("aria-selected", "true")
    panel = main(page).get_by_role("tabpanel", name="Validation report")
    expect(panel.get_by_text(f"{BAD_ROWS} problem(s).")).to_be_visible()
    cell = panel.locator('[role="gridcell"]', has_text=re.compile(r"^claims\.csv:2:speaker_country: "))
    expect(cell).to_have_count(1, timeout=30_000)
    assert "codes are upper case" in cell.text_content()


def test_a_deep_link_opens_the_report_tab(set_aside_server, page):
    open_page(page, set_aside_server, "/data?tab=Validation%20report")
    assert_no_error(page)
    expect(main(page).get_by_role("tab", name="Validation report")).to_have_attribute("aria-selected", "true")


def test_the_analysts_sheet_is_mapped_imported_and_explored_in_the_app(data_server, page, tmp_path):
    sheet = tmp_path / "statements 2023-2025.xlsx"
    sheet.write_bytes(analyst_workbook())
    panel = upload_on_data_page(page, data_server, sheet, "validates clean")
    assert_no_error(page)
    expect(panel.get_by_text(f"{ROWS} rows → {ROWS} statements in the contract's shape; it validates clean.")).to_be_visible()
    with page.expect_download() as info:
        panel.get_by_role("button", name="The mapping (JSON)").click()
    assert '"quote": "Statement"' in Path(info.value.path()).read_text(encoding="utf-8")
    wait_ready(page)  # a click given during a run restarts it: no new run would show
    runs = script_runs(page)
    panel.get_by_role("button", name="Explore it in every page").click()
    wait_ready(page, after=runs)  # the click's own run, not the state from before it
    for label in ("Overview", "Timeline"):
        click_nav(page, label)
        assert_no_error(page)
        assert f"All {ROWS} statements" in main(page).inner_text()
