"""The Data page's downloads (filtered CSV, whole dataset zip) and the bring-your-own-data upload."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import expect

from claimscope.ingest.dataset import load_folder
from tests.browser.helpers import REPO, assert_no_error, main, open_page, title, upload_on_data_page
from tests.datasets import CLAIM_COLUMNS, FOREIGN_CLAIMS, csv_text

SPEAKER = "Vladimir Putin"
STANCE = "support"
FORMULA_START = ("=", "+", "-", "@")


def download(page, button_label: str) -> Path:
    with page.expect_download() as info:
        main(page).get_by_role("button", name=button_label).click()
    path = info.value.path()
    assert path is not None and Path(path).stat().st_size > 0
    return Path(path)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_filtered_claims_csv_has_the_filtered_rows(data_server, page):
    claims = load_folder(REPO / "data").claims
    expected = claims[(claims["speaker"] == SPEAKER) & (claims["stance"] == STANCE)]
    assert 0 < len(expected) < len(claims)
    open_page(page, data_server, f"/data?speaker={quote(SPEAKER)}&stance={STANCE}")
    assert_no_error(page)
    assert title(page) == "Data"
    assert main(page).get_by_text(f"Filtered claims ({len(expected)} statements)").is_visible()
    rows = read_csv(download(page, "Claims as CSV"))
    assert len(rows) == len(expected)
    assert [r["claim_id"] for r in rows] == list(expected["claim_id"])
    assert {r["speaker"] for r in rows} == {SPEAKER}
    assert {r["stance"] for r in rows} == {STANCE}


def test_dataset_zip_contains_every_claim(data_server, page):
    open_page(page, data_server, f"/data?speaker={quote(SPEAKER)}")
    with zipfile.ZipFile(download(page, "Dataset as zip")) as archive:
        names = archive.namelist()
        assert "claims.csv" in names
        rows = list(csv.DictReader(io.StringIO(archive.read("claims.csv").decode("utf-8"), newline="")))
    # the whole dataset, not the filtered view
    assert len(rows) == len(load_folder(REPO / "data").claims)


def test_hostile_csv_neutralises_formulas(hostile_server, page):
    open_page(page, hostile_server, "/data")
    rows = read_csv(download(page, "Claims as CSV"))
    assert len(rows) == 3
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c.startswith(FORMULA_START)], "a cell would run as a formula in a spreadsheet"
    by_id = {r["claim_id"]: r for r in rows}
    reaction = by_id["'=cmd|'/C calc'!A0"]
    assert reaction["speaker"] == "'@SUM(1+1)"
    assert reaction["quote"] == "'-2+3"
    assert reaction["summary"] == "'+1 and\ttab"
    assert by_id["h-1"]["responds_to"] == ""
    assert reaction["responds_to"] == "h-1"


def test_upload_of_a_broken_claims_csv_reports_the_line(data_server, page, tmp_path):
    # three rows with no reference to other files; the second data row (line 3) has a bad stance
    rows = [{k: v for k, v in row.items() if k not in ("source_id", "responds_to")} for row in FOREIGN_CLAIMS[:3]]
    rows[1]["stance"] = "furious"
    claims_file = tmp_path / "claims.csv"
    claims_file.write_text(csv_text(CLAIM_COLUMNS, rows), encoding="utf-8")

    panel = upload_on_data_page(page, data_server, claims_file, "Rows that passed")
    assert_no_error(page)
    assert panel.get_by_text("1 problem(s).").is_visible()
    # the report table (a canvas grid: its cells are in the accessible table)
    cell = panel.locator('[role="gridcell"]', has_text=re.compile(r"^claims\.csv:3:stance:"))
    expect(cell).to_have_count(1, timeout=30_000)  # the grid fills its accessible cells after drawing
    assert "furious" in cell.text_content()
    assert panel.get_by_text("Rows that passed (2 claims)").is_visible()

    report = download(page, "Download the report (text)").read_text(encoding="utf-8").splitlines()
    assert len(report) == 1 and report[0].startswith("claims.csv:3:stance: 'furious'")
    rejected = read_csv(download(page, "Download the 1 rejected row(s) of claims.csv"))
    assert [r["claim_id"] for r in rejected] == [rows[1]["claim_id"]]
    assert rejected[0]["stance"] == "furious"
