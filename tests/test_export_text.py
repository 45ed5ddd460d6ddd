"""Exports (neutralised, round-tripping), safe text, provenance and uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile

import pandas as pd
import pytest

from claimscope.ingest.dataset import load_dataset, load_folder, read_folder
from claimscope.ingest.upload import dataset_files
from claimscope.text import escape_markdown, escape_plotly, find_quote, neutralise_cell, quote_context, restore_cell, shorten
from claimscope.views.export import claims_csv, claims_json, dataset_zip, rejected_csv
from claimscope.views.provenance import citation, claim_fields, days_between, field_lines, reactions_to, responds_to
from tests.conftest import DATA_DIR
from tests.datasets import HOSTILE_QUOTE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # already apostrophed: one more, so that reading it back is exact
        ("a=b", "a=b"),
        ("'plain", "'plain"),
        ("", ""),
        (3, 3),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected
    if isinstance(value, str):
        assert restore_cell(neutralise_cell(value)) == value


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_claims_csv_neutralises_every_leading_character(hostile_dir):
    rows = {row["claim_id"]: row for row in read_csv(claims_csv(load_folder(hostile_dir).claims))}
    hostile = rows["'=cmd|'/C calc'!A0"]
    assert hostile["speaker"] == "'@SUM(1+1)"
    assert hostile["quote"] == "'-2+3"
    assert hostile["summary"] == "'+1 and\ttab"
    assert rows["h-1"]["quote"] == HOSTILE_QUOTE  # not formula-like: untouched


@pytest.mark.parametrize("dataset", ["hostile_dir", "foreign_dir"])
def test_export_then_upload_gives_the_same_rows(dataset, request):
    folder = request.getfixturevalue(dataset)
    original = load_folder(folder)
    again = load_dataset({**read_folder(folder), "claims.csv": claims_csv(original.claims)})
    assert again.problems == []
    columns = [c for c in original.claims.columns if c != "index"]
    pd.testing.assert_frame_equal(
        original.claims[columns].reset_index(drop=True), again.claims[columns].reset_index(drop=True), check_dtype=False
    )


def test_extra_columns_survive_export(foreign_dir):
    files = read_folder(foreign_dir)
    text = files["claims.csv"].decode()
    lines = text.splitlines()
    lines[0] += ",analyst_note"
    lines[1:] = [line + ",=note" for line in lines[1:]]
    dataset = load_dataset({**files, "claims.csv": "\n".join(lines).encode()})
    assert list(dataset.claims["analyst_note"]) == ["=note"] * 5
    rows = read_csv(claims_csv(dataset.claims))
    assert [row["analyst_note"] for row in rows] == ["'=note"] * 5
    assert list(rows[0])[-1] == "analyst_note"
    again = load_dataset({**files, "claims.csv": claims_csv(dataset.claims)})
    assert list(again.claims["analyst_note"]) == ["=note"] * 5


def test_claims_json_has_lists_and_no_derived_columns(foreign_dir):
    records = json.loads(claims_json(load_folder(foreign_dir).claims))
    assert records[0]["about"] == ["RUS", "BLR"]
    assert records[0]["speaker"] == "Мария Захарова"
    assert not {"date_start", "_search", "index"} & set(records[0])


def test_dataset_zip_reloads_to_the_same_dataset(foreign_dir):
    original = load_folder(foreign_dir)
    archive = zipfile.ZipFile(io.BytesIO(dataset_zip(original)))
    assert {"claims.csv", "events.csv", "texts/src-1.txt"} <= set(archive.namelist())
    files, notes = dataset_files([("dataset.zip", dataset_zip(original))])
    assert notes == []
    again = load_dataset(files)
    assert again.problems == []
    assert {name: len(frame) for name, frame in again.frames.items()} == {
        name: len(frame) for name, frame in original.frames.items()
    }


def test_rejected_rows_download_lists_line_and_problem(foreign_dir):
    files = read_folder(foreign_dir)
    broken = files["claims.csv"].decode().replace(",support,", ",positive,")
    dataset = load_dataset({**files, "claims.csv": broken.encode()})
    rows = read_csv(rejected_csv(dataset.reports["claims.csv"].rejected))
    assert [(row["_line"], row["claim_id"]) for row in rows] == [("2", "ru-1")]
    assert "claims.csv:2:stance: 'positive' is not one of" in rows[0]["_problems"]


@pytest.mark.parametrize(
    ("uploads", "paths", "notes"),
    [
        ([("claims.csv", b"x")], {"claims.csv"}, 0),
        ([("C:\\Users\\me\\claims.csv", b"x"), ("article.txt", b"t")], {"claims.csv", "texts/article.txt"}, 0),
        ([("notes.docx", b"x")], set(), 1),
        ([("broken.zip", b"not a zip")], set(), 1),
    ],
)
def test_dataset_files(uploads, paths, notes):
    files, messages = dataset_files(uploads)
    assert set(files) == paths
    assert len(messages) == notes


def test_zip_with_traversal_is_set_aside():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.csv", "x")
        archive.writestr("claims.csv", "claim_id\n")
    files, notes = dataset_files([("d.zip", buffer.getvalue())])
    assert set(files) == {"claims.csv"}
    assert any("outside the dataset folder" in note for note in notes)


@pytest.mark.parametrize(
    "text",
    [
        "![img](http://evil.example/x.png)",
        "[link](javascript:alert(1))",
        "$x^2$ and $$\\int$$",
        "<script>alert(1)</script>",
        "**bold** _it_ `code`",
        ":red[x] :smile:",
        "# heading",
        "1. not a list",
        "a | b | c",
    ],
)
def test_escape_markdown_escapes_every_syntax_character(text):
    escaped = escape_markdown(text)
    unescaped = re.sub(r"\\(.)", r"\1", escaped).replace("\u2060", "")
    assert unescaped == text  # nothing lost or added but backslashes (and word joiners in addresses)
    for index, char in enumerate(escaped):
        if char in "[]()$<>*_`:#!|.":
            assert escaped[index - 1] == "\\", (text, escaped, index)


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("http://evil.example", "http\\:\u2060"),
        ("www.evil.example", "www\u2060"),
        ("me@evil.example", "e\u2060\\@"),
        ("JavaScript:/x", ":\u2060"),
    ],
)
def test_escape_markdown_breaks_bare_addresses(text, broken):
    """GFM links bare addresses after escapes are read: a word joiner keeps them text."""
    assert broken in escape_markdown(text)


def test_escape_markdown_reveals_bidi_override():
    assert escape_markdown("a\u202eb") == "a\\[U\\+202E\\]b"


def test_escape_plotly_escapes_html_and_shortens():
    assert escape_plotly("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"
    # Plotly fills %{…} in labels from the figure: no template can be made of the data
    assert escape_plotly("a %{meta.groups} %{x}") == "a %&#123;meta.groups} %&#123;x}"
    assert len(escape_plotly("y" * 1000, limit=50)) == 50


@pytest.mark.parametrize(
    ("text", "quote", "span"),
    [
        ("one two  three", "two three", (4, 14)),
        ("one two\nthree", "two three", (4, 13)),
        ("one two", "three", None),
        ("a (b) c", "(b)", (2, 5)),
        ("abc", "   ", None),
    ],
)
def test_find_quote(text, quote, span):
    assert find_quote(text, quote) == span


def test_quote_context_marks_truncation():
    before, found, after = quote_context("x" * 1000 + "needle" + "y" * 1000, "needle", margin=10)
    assert (before, found, after) == ("…" + "x" * 10, "needle", "y" * 10 + "…")


@pytest.mark.parametrize(
    ("earlier", "later", "days"),
    [
        ("2024-06-19", "2024-06-21", 2),
        ("2024-06-19", "2024-06-19", 0),
        ("2024-06", "2024-06-21", None),
        ("2024", "2025", None),
        ("bad", "2024-01-01", None),
    ],
)
def test_days_between(earlier, later, days):
    assert days_between(earlier, later) == days


def test_responds_to_both_directions(foreign_dir):
    dataset = load_folder(foreign_dir)
    eu = dataset.claims.loc[dataset.claims["claim_id"] == "eu-1"].iloc[0].to_dict()
    link = responds_to(dataset, eu)
    assert (link.id, link.kind, link.days) == ("ru-1", "claim", 2)
    korea = dataset.claims.loc[dataset.claims["claim_id"] == "kr-1"].iloc[0].to_dict()
    assert responds_to(dataset, korea).kind == "event"
    assert responds_to(dataset, korea).days is None  # 2023 is too coarse to count days
    assert [(r.id, r.days) for r in reactions_to(dataset, "ru-1")] == [("cn-1", None), ("eu-1", 2)]


def test_citation_names_dataset_claim_date_and_source(foreign_dir):
    dataset = load_folder(foreign_dir)
    claim = dataset.claims.iloc[3].to_dict()
    text = citation(dataset, claim, dt.date(2026, 1, 2), "https://example.org/src")
    assert "eu-1" in text and "Accessed 2026-01-02" in text and "https://example.org/src" in text and dataset.title in text


@pytest.mark.parametrize(
    ("claim", "shown", "expected"),
    [
        ({"claim_id": "a", "about": ["USA", "KOR"], "topics": []}, (), {"claim_id": "a", "about": "USA;KOR", "topics": ""}),
        ({"claim_id": "a", "url": None, "note": float("nan"), "x": pd.NA}, (), {"claim_id": "a", "url": "", "note": "", "x": ""}),
        (
            {"_line": 7, "date_start": 1, "date_end": 2, "date_precision": "month", "_search": "x", "_author": False}
            | {"index": 0, "date": "2024-06", "date_basis": "published"},
            (),
            {"date": "2024-06", "date_basis": "published"},  # a data column, though its name starts like the bounds'
        ),
        ({"_own": "kept", " padded ": "v"}, (), {"_own": "kept", " padded ": "v"}),  # an imported dataset's own columns
        (
            {"claim_id": "a", "quote": "q", "summary": "s", "stance": "oppose"},
            ("quote", "summary"),
            {"claim_id": "a", "stance": "oppose"},
        ),
        ({"n": 3, "flag": True}, (), {"n": "3", "flag": "True"}),
    ],
)
def test_claim_fields_as_text(claim, shown, expected):
    fields = claim_fields(claim, shown=shown)
    assert fields == expected and list(fields) == list(expected)  # the row's order


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"stance": "oppose"}, "**stance:** oppose"),
        ({"url": ""}, "**url:** —"),
        ({"a": "1", "b": "2"}, "**a:** 1  \n**b:** 2"),
        ({"speaker": "[x](https://e.org) $y$"}, "**speaker:** " + escape_markdown("[x](https://e.org) $y$")),
        ({"odd*name": "v"}, "**odd\\*name:** v"),
        ({" padded ": "v"}, "**padded:** v"),  # a space inside the markers would print them
    ],
)
def test_field_lines_escape_names_and_values(fields, expected):
    assert field_lines(fields) == expected


def test_field_lines_show_hostile_text_literally():
    block = field_lines({"quote": HOSTILE_QUOTE})
    assert "](" not in block and "<script>" not in block


def test_an_upload_over_the_limit_is_refused_naming_the_file():
    dataset = load_dataset({"claims.csv": b"claim_id\n" + b"x\n" * 50}, max_file_bytes=100)
    assert [str(p) for p in dataset.problems] == ["claims.csv:1:-: the file has 109 bytes; the upload limit is 100"]
    assert dataset.claims.empty
    assert not load_dataset({"claims.csv": b"claim_id\n" + b"x\n" * 50}).problems[:1] == dataset.problems


def test_stance_chart_shortens_long_group_names_but_keeps_the_code():
    from claimscope.figures.overview import stance_by_country_figure
    from claimscope.views.overview import stance_by_country

    dataset = load_folder(DATA_DIR)
    claims = dataset.claims[dataset.claims["speaker_country"].isin(["USALLIES", "RUS", "KOR"])]
    figure = stance_by_country_figure(stance_by_country(claims), {"USALLIES": "The U.S. and its allies " * 5})
    labels = [label for trace in figure.data for label in trace.y]
    assert "The U.S. and its allies The U.S… (USALLIES)" in labels
    assert all(len(label) <= 60 for label in labels)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("short", 60, "short"), ("x" * 60, 60, "x" * 60), ("x" * 61, 60, "x" * 59 + "…"), ("abcdef", 4, "abc…"), ("", 5, "")],
)
def test_shorten_cuts_at_the_limit_with_an_ellipsis(text, limit, expected):
    assert shorten(text, limit) == expected
