"""An analyst's own sheet (own headers, country names, written dates) imported into a dataset that validates clean."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from claimscope.ingest.dataset import load_dataset
from claimscope.ingest.importer import MAPPING_FILE, Mapping, convert, dataset_zip, import_file, read_sheet, suggest_columns
from claimscope.ingest.upload import dataset_files
from tests.datasets import csv_text
from tests.statements import ANALYST_HEADER, ROWS, SPEAKERS, analyst_csv, analyst_rows, analyst_workbook, statements


def sheet_csv(header: list[str], rows: list[dict]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def claims_of(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.files["claims.csv"].decode("utf-8"), newline="")))


@pytest.mark.parametrize(("name", "data"), [("statements.csv", analyst_csv), ("statements.xlsx", analyst_workbook)])
def test_the_analysts_sheet_imports_clean_with_every_row(name, data):
    _table, result = import_file(name, data())
    assert [str(p) for p in result.problems] == []
    assert result.mapping.columns == {
        "date": "Date",
        "speaker": "Who",
        "speaker_country": "Country",
        "quote": "Statement",
        "url": "Link",
        "source": "Source",
    }
    dataset = result.dataset
    assert dataset.is_valid and len(dataset.claims) == ROWS
    expected = statements()
    rows = claims_of(result)
    assert [r["speaker_country"] for r in rows] == [s["speaker_country"] for s in expected]  # names became codes
    assert [r["date"] for r in rows] == [s["date"] for s in expected]  # at the precision each one carries
    assert len({r["claim_id"] for r in rows}) == ROWS
    assert [r["Notes"] for r in rows] == [r["Notes"] for r in analyst_rows()]  # the analyst's own column is kept
    assert len(dataset.sources) == len({s["source"] for s in expected})
    assert {c for c, *_ in SPEAKERS} == set(dataset.claims["speaker_country"])


def test_claim_ids_are_made_from_the_statement_so_next_month_keeps_them():
    rows = analyst_rows()
    _, first = import_file("may.csv", sheet_csv(ANALYST_HEADER, rows[:100]))
    _, second = import_file("june.csv", sheet_csv(ANALYST_HEADER, [rows[120], *reversed(rows)]))  # reordered, grown, a repeat
    ids_first = {r["quote"]: r["claim_id"] for r in claims_of(first)}
    ids_second = [(r["quote"], r["claim_id"]) for r in claims_of(second)]
    assert all(ids_first[q] == i for q, i in ids_second if q in ids_first and not i.endswith("-2"))
    assert len({i for _, i in ids_second}) == len(ids_second)  # the repeated statement gets its own id
    assert second.dataset.is_valid


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Date", "Country", "Statement"], {"date": "Date", "speaker_country": "Country", "quote": "Statement"}),
        (
            ["When", "Nation", "Speaker", "Quote", "URL"],
            {"date": "When", "speaker_country": "Nation", "speaker": "Speaker", "quote": "Quote", "url": "URL"},
        ),
        (
            ["date", "speaker_country", "Text", "Link"],
            {"date": "date", "speaker_country": "speaker_country", "quote": "Text", "url": "Link"},
        ),
        (
            ["Date:", "Who?", "Country / Organisation", "Statement text", "Stance"],
            {
                "date": "Date:",
                "speaker": "Who?",
                "speaker_country": "Country / Organisation",
                "quote": "Statement text",
                "stance": "Stance",
            },
        ),
        (
            ["ID", "Date", "Country", "Quote", "Topic", "About"],
            {
                "claim_id": "ID",
                "date": "Date",
                "speaker_country": "Country",
                "quote": "Quote",
                "topics": "Topic",
                "about": "About",
            },
        ),
    ],
)
def test_headers_are_matched_by_their_usual_names(header, expected):
    table = read_sheet("s.csv", sheet_csv(header, [dict.fromkeys(header, "x")]))
    chosen, conflicts = suggest_columns(table)
    assert chosen == expected and conflicts == {}


def test_a_source_column_is_a_url_or_a_name_by_what_it_holds_and_type_is_kind_when_it_holds_kinds():
    header = ["Date", "Country", "Statement", "Source", "Type"]
    urls = read_sheet("s.csv", sheet_csv(header, [{"Source": "https://example.org/a", "Type": "Reaction"}]))
    names = read_sheet("s.csv", sheet_csv(header, [{"Source": "Reuters", "Type": "warning"}]))
    assert suggest_columns(urls)[0]["url"] == "Source" and suggest_columns(urls)[0]["kind"] == "Type"
    assert suggest_columns(names)[0]["source"] == "Source" and suggest_columns(names)[0]["claim_type"] == "Type"


def test_two_columns_for_one_field_are_a_question():
    _table, result = import_file(
        "s.csv",
        sheet_csv(
            ["Date", "Country", "Statement", "Text"], [{"Date": "2024", "Country": "Japan", "Statement": "a", "Text": "b"}]
        ),
    )
    assert next(str(p) for p in result.problems) == "s.csv:1:-: 'Statement', 'Text' could each hold the quote: say which"
    assert result.files == {}
    _, settled = import_file(
        "s.csv",
        sheet_csv(
            ["Date", "Country", "Statement", "Text"], [{"Date": "2024", "Country": "Japan", "Statement": "a", "Text": "b"}]
        ),
        columns={"quote": "Text"},
    )
    assert settled.ok and claims_of(settled)[0]["quote"] == "b" and claims_of(settled)[0]["Statement"] == "a"


def test_ambiguous_dates_are_asked_listed_with_the_evidence_and_settled_by_the_order():
    rows = analyst_rows()[:6]
    rows[1]["Date"], rows[3]["Date"] = "03/04/2024", "19/06/2024"
    data = sheet_csv(ANALYST_HEADER, rows)
    _, asked = import_file("s.csv", data)
    assert [str(p) for p in asked.problems] == [
        "s.csv:3:Date: '03/04/2024' could be 3 April 2024 or March 4, 2024: say which order the sheet uses "
        "(day first or month first) ('19/06/2024' on row 5 is day first)"
    ]
    assert asked.files == {} and asked.ambiguous_dates == ["03/04/2024"]
    _, day_first = import_file("s.csv", data, date_order="dayfirst")
    assert day_first.ok and claims_of(day_first)[1]["date"] == "2024-04-03"
    _, month_first = import_file("s.csv", data, date_order="monthfirst")
    assert [str(p) for p in month_first.problems] == [
        "s.csv:5:Date: '19/06/2024' can only be read day first, but the sheet's dates were said to be month first"
    ]


def test_country_names_that_cannot_be_placed_are_asked_and_answers_define_new_codes():
    rows = analyst_rows()[:4]
    rows[0]["Country"], rows[2]["Country"] = "Korea", "Kosovo"
    data = sheet_csv(ANALYST_HEADER, rows)
    _, asked = import_file("s.csv", data)
    assert [str(p) for p in asked.problems] == [
        "s.csv:2:Country: 'Korea' could be KOR or PRK: say which code it is",
        "s.csv:4:Country: 'Kosovo' is not a country, group or organisation claimscope knows: give its code",
    ]
    assert asked.unresolved_places == {"Korea": ("KOR", "PRK"), "Kosovo": ()}
    _, settled = import_file("s.csv", data, countries={"Korea": "KOR", "Kosovo": "XKX"})
    assert settled.ok
    assert [r["speaker_country"] for r in claims_of(settled)][0::2] == ["KOR", "XKX"]
    assert settled.files["countries.csv"].decode().splitlines() == ["code,name", "XKX,Kosovo"]


def test_values_are_read_in_their_grammatical_forms_and_others_are_asked():
    header = ["Date", "Country", "Statement", "Stance", "Kind", "About"]
    rows = [
        {
            "Date": "2024",
            "Country": "Japan",
            "Statement": "a",
            "Stance": "Supportive",
            "Kind": "Reaction",
            "About": "Russia; North Korea",
        },
        {"Date": "2024", "Country": "Japan", "Statement": "b", "Stance": "Opposed", "Kind": "claim", "About": "Russia, the EU"},
        {
            "Date": "2024",
            "Country": "Japan",
            "Statement": "c",
            "Stance": "positive",
            "Kind": "claim",
            "About": "Korea, Republic of",
        },
    ]
    _, asked = import_file("s.csv", sheet_csv(header, rows))
    assert [str(p) for p in asked.problems] == [
        "s.csv:4:Stance: 'positive' is not a stance (support, oppose, concern, neutral): say which it is"
    ]
    _, settled = import_file("s.csv", sheet_csv(header, rows), values={"stance": {"positive": "support"}})
    out = claims_of(settled)
    assert [r["stance"] for r in out] == ["support", "oppose", "support"]
    assert [r["kind"] for r in out] == ["reaction", "claim", "claim"]
    assert [r["about"] for r in out] == ["RUS;PRK", "RUS;EU", "KOR"]


def test_a_sheet_without_the_needed_columns_asks_for_them():
    _, result = import_file("s.csv", sheet_csv(["Notes", "Who"], [{"Notes": "x", "Who": "y"}]))
    assert [str(p) for p in result.problems] == [
        "s.csv:1:-: which column holds the date? none is named like one",
        "s.csv:1:-: which column holds the quote? none is named like one",
        "s.csv:1:-: which column holds the speaker's country or organisation?",
    ]


def test_what_the_validator_finds_in_the_made_files_is_reported_on_the_sheets_row():
    rows = analyst_rows()[:3]
    rows[1]["Link"] = "www.example.org/no-scheme"
    _, result = import_file("s.csv", sheet_csv(ANALYST_HEADER, rows))
    assert [str(p) for p in result.problems] == [
        "s.csv:3:Link: 'www.example.org/no-scheme' is not an absolute http or https address"
    ]
    _, kept = import_file("s.csv", sheet_csv(ANALYST_HEADER, rows), settle_unanswered=True)
    assert kept.files and len(kept.dataset.claims) == 2 and kept.dataset.set_aside[0].rows_rejected == 1


def test_the_mapping_round_trips_and_imports_next_months_sheet_the_same_way():
    header = ["When", "Nation", "Said", "Remark"]
    rows = [{"When": "03/04/2024", "Nation": "Korea", "Said": "x", "Remark": "note"}]
    data = sheet_csv(header, rows)
    mapping = Mapping(
        columns={"date": "When", "speaker_country": "Nation", "quote": "Said"},
        date_order="dayfirst",
        countries={"Korea": "KOR"},
        kind="reaction",
    )
    saved, problems = Mapping.from_json(mapping.to_json())
    assert problems == [] and saved == mapping
    _, result = import_file("s.csv", data, saved)
    assert result.ok
    assert claims_of(result)[0] | {"claim_id": ""} == {
        "claim_id": "",
        "date": "2024-04-03",
        "speaker": "Korea",
        "speaker_country": "KOR",
        "kind": "reaction",
        "quote": "x",
        "Remark": "note",
    }
    archive = zipfile.ZipFile(io.BytesIO(dataset_zip(result)))
    assert MAPPING_FILE in archive.namelist()
    files, notes = dataset_files([("imported.zip", dataset_zip(result))])
    assert notes == [] and load_dataset(files).is_valid  # the zip loads directly next time


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"columns": {"colour": "X"}}', "'colour' is not a field an import can fill"),
        ('{"date_order": "sideways"}', "'sideways' is not one of dayfirst, monthfirst, None"),
        ('{"countries": ["KOR"]}', "must be an object of text: text"),
    ],
)
def test_a_broken_mapping_file_is_reported(text, fragment):
    _, problems = Mapping.from_json(text)
    assert any(fragment in str(p) for p in problems), problems


def test_the_import_keeps_the_rows_of_a_title_above_the_header_out_and_says_so():
    table, result = import_file("statements.xlsx", analyst_workbook(title_row=True))
    assert table.header_line == 3 and result.ok
    assert any("Row 1 is above the header" in note for note in result.notes)


def test_convert_needs_a_header():
    table = read_sheet("empty.csv", b"")
    result = convert(table, Mapping())
    assert [str(p) for p in result.problems] == ["empty.csv:1:-: the file is empty: it needs at least a header row"]
