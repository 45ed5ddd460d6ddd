"""Spreadsheets wherever a CSV goes (folder, upload, zip), every problem in the sheet's own terms."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from claimscope.ingest.dataset import PROBLEMS_COLUMN, load_dataset, load_folder
from claimscope.ingest.sheets import cell_text, date_precision, read_xlsx_table
from claimscope.ingest.upload import dataset_files, sort_uploads
from claimscope.views.export import dataset_zip
from tests.statements import ROWS, contract_workbook, organisations_csv

HEADER = ["claim_id", "date", "speaker", "speaker_country", "kind", "quote", "stance"]


def workbook_bytes(sheets: dict[str, list[list]], formats: dict[tuple[str, str], str] | None = None, hidden=()) -> bytes:
    """A workbook with one sheet per entry (rows as lists; None leaves a cell empty)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    for (title, ref), number_format in (formats or {}).items():
        workbook[title][ref].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def claims_rows() -> list[list]:
    return [
        HEADER,
        ["c1", dt.datetime(2024, 6, 19), "Vladimir Putin", "RUS", "claim", "We support it.", "support"],
        ["c2", dt.datetime(2024, 6, 1), "Kim Jong Un", "PRK", "claim", "A new era.", "support"],
        ["c3", "2024", "NATO", "NATO", "reaction", "We are concerned.", "concern"],
    ]


@pytest.mark.parametrize(
    ("number_format", "precision"),
    [
        ("d mmmm yyyy", "day"),
        ("yyyy-mm-dd", "day"),
        ("mm-dd-yy", "day"),
        ("mmm yyyy", "month"),
        ("mmmm\\ yyyy", "month"),
        ('"Month: "mmmm yyyy', "month"),
        ("yyyy", "year"),
        ("[$-409]yyyy", "year"),
        ("General", "day"),
    ],
)
def test_a_date_cell_keeps_the_precision_its_format_shows(number_format, precision):
    assert date_precision(number_format) == precision
    text = cell_text(dt.datetime(2024, 6, 19), number_format)
    assert text == {"day": "2024-06-19", "month": "2024-06", "year": "2024"}[precision]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (True, "true"), (False, "false"), (2024, "2024"), (3.0, "3"), (55.7558, "55.7558"), ("RUS", "RUS")],
)
def test_cells_become_the_text_a_csv_would_hold(value, text):
    assert cell_text(value) == text


def test_a_claims_workbook_in_a_folder_validates_clean_with_every_row(tmp_path):
    """The issue's case as .xlsx: the list in a sheet named claims, a notes sheet beside it, dates as date cells."""
    (tmp_path / "claims.xlsx").write_bytes(contract_workbook())
    (tmp_path / "countries.csv").write_text(organisations_csv(), encoding="utf-8")
    dataset = load_folder(tmp_path)
    assert [str(p) for p in dataset.problems] == []
    assert len(dataset.claims) == ROWS
    report = dataset.reports["claims.csv"]
    assert (report.file, report.sheet, report.rows_read) == ("claims.xlsx", "claims", ROWS)
    assert set(dataset.claims["date_precision"]) == {"day", "month"}
    # the dataset's zip holds claims.csv in the contract's shape: it loads again, the same rows
    again = load_dataset(_unzipped(dataset))
    assert list(again.claims["claim_id"]) == list(dataset.claims["claim_id"])


def _unzipped(dataset) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(dataset_zip(dataset)))
    return {name: archive.read(name) for name in archive.namelist()}


def test_problems_name_the_sheet_row_and_column_letter():
    rows = claims_rows()
    rows[2][6] = "maybe"  # row 3 of the sheet, column G
    rows.insert(2, [None] * 7)  # a blank row: the sheet's numbering is kept, not the record count
    rows[4][3] = "XXX"  # row 5, column D
    dataset = load_dataset({"claims.xlsx": workbook_bytes({"Sheet1": rows})})
    assert [str(p) for p in dataset.problems] == [
        "claims.xlsx:Sheet1!4:G (stance): 'maybe' is not one of support, oppose, concern, neutral",
        "claims.xlsx:Sheet1!5:D (speaker_country): 'XXX' is not an ISO 3166-1 alpha-3 code or a built-in group, "
        "and there is no countries.csv to define it",
    ]
    rejected = dataset.reports["claims.csv"].rejected
    assert list(rejected["_line"]) == [4, 5]
    assert rejected[PROBLEMS_COLUMN].iloc[0].startswith("claims.xlsx:Sheet1!4:G (stance)")
    assert list(dataset.claims["_line"]) == [2]


def test_a_missing_column_is_reported_on_the_header_row():
    rows = [["Statements, as of 2025"], *[row[:5] for row in claims_rows()]]  # no quote; a title above the header
    dataset = load_dataset({"claims.xlsx": workbook_bytes({"claims": rows})})
    messages = [str(p) for p in dataset.problems]
    assert messages[0] == "claims.xlsx:claims!1:-: above the header row: not read as data ('Statements, as of 2025')"
    assert "claims.xlsx:claims!2:quote: required column is missing" in messages
    assert dataset.reports["claims.csv"].rows_accepted == 0


@pytest.mark.parametrize(
    ("sheets", "hidden", "chosen", "message"),
    [
        ({"Sheet1": claims_rows()}, (), "Sheet1", None),
        ({"notes": [["a", "b"]], "claims": claims_rows()}, (), "claims", None),
        ({"Claims ": claims_rows(), "notes": [["a", "b"]]}, (), "Claims ", None),
        ({"lookup": [["a", "b"]], "data": claims_rows()}, ("lookup",), "data", None),  # a hidden sheet is not a choice
        (
            {"2024": claims_rows(), "2025": claims_rows()},
            (),
            None,
            "claims.xlsx:1:-: the workbook has 2 sheets ('2024', '2025'): name the one to read 'claims', or keep only that one",
        ),
    ],
)
def test_the_sheet_is_chosen_by_name_never_by_position(sheets, hidden, chosen, message):
    dataset = load_dataset({"claims.xlsx": workbook_bytes(sheets, hidden=hidden)})
    if message is None:
        assert [str(p) for p in dataset.problems] == []
        assert dataset.reports["claims.csv"].sheet == chosen
        assert len(dataset.claims) == 3
    else:
        assert [str(p) for p in dataset.problems] == [message]
        assert dataset.claims.empty


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "not an .xlsx workbook"),
        (b"claim_id,date\n", "not an .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old .xls workbook or a password-protected one"),
        (b"PK\x03\x04garbage", "not an .xlsx workbook"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_reported_not_raised(data, fragment):
    dataset = load_dataset({"claims.xlsx": data})
    assert len(dataset.problems) == 1
    assert str(dataset.problems[0]).startswith("claims.xlsx:1:-: ") and fragment in str(dataset.problems[0])


def test_a_zip_that_is_no_workbook_inside_is_reported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")
    dataset = load_dataset({"claims.xlsx": buffer.getvalue()})
    assert "the workbook cannot be read" in str(dataset.problems[0])


def test_header_cells_and_error_cells():
    rows = claims_rows()
    rows[0] = [*HEADER[:6], None, "stance", "stance"]  # G has no header but holds a value; I repeats H
    rows[1] = [*rows[1][:6], "stray", "support", "x"]
    table = read_xlsx_table("claims.csv", workbook_bytes({"claims": rows}), source="claims.xlsx")
    problems = [str(table.in_own_terms(p)) for p in table.problems]
    assert problems == [
        "claims.xlsx:claims!1:G: column G has no header; its cells are ignored",
        "claims.xlsx:claims!1:I: duplicate column name 'stance' (also column H); the later one is ignored",
    ]
    assert table.letters["stance"] == "H"
    assert list(table.rows.index) == [2, 3, 4]


def test_a_spreadsheet_error_value_sets_its_row_aside():
    rows = claims_rows()
    rows[2][5] = "#N/A"  # what a failed formula leaves (openpyxl stores it as an error value)
    dataset = load_dataset({"claims.xlsx": workbook_bytes({"Sheet": rows})})
    assert [str(p) for p in dataset.problems] == [
        "claims.xlsx:Sheet!3:F (quote): the cell holds the spreadsheet error #N/A; fix the formula or type the value"
    ]
    assert list(dataset.reports["claims.csv"].rejected["_line"]) == [3]


def test_csv_and_workbook_of_one_file_the_csv_wins_and_says_so():
    csv = b"claim_id,date,speaker,speaker_country,kind,quote\nc1,2024,A,RUS,claim,q\n"
    dataset = load_dataset({"claims.csv": csv, "claims.xlsx": workbook_bytes({"claims": claims_rows()})})
    assert [str(p) for p in dataset.problems] == [
        "claims.xlsx:1:-: not read: the dataset also has claims.csv, which is read instead"
    ]
    assert list(dataset.claims["claim_id"]) == ["c1"]


def test_workbooks_upload_and_unzip_like_csv_files():
    workbook = workbook_bytes({"claims": claims_rows()})
    files, notes = dataset_files([("claims.xlsx", workbook)])
    assert set(files) == {"claims.xlsx"} and notes == []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mydata/claims.xlsx", workbook)
        archive.writestr("mydata/countries.csv", organisations_csv())
        archive.writestr("mydata/import-mapping.json", "{}")
    files, notes = dataset_files([("mydata.zip", buffer.getvalue())])
    assert set(files) == {"claims.xlsx", "countries.csv"} and notes == []
    assert load_dataset(files).is_valid
    sorted_uploads = sort_uploads([("statements 2024.xlsx", workbook), ("import-mapping.json", b"{}"), ("claims.csv", b"x")])
    assert [name for name, _ in sorted_uploads.to_map] == ["statements 2024.xlsx"]
    assert sorted_uploads.mapping == b"{}" and set(sorted_uploads.files) == {"claims.csv"}
