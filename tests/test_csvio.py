"""The CSV reader: every record keeps the line it starts on; broken records are reported, not raised."""

from __future__ import annotations

import codecs

import pytest

from claimscope.ingest.csvio import MAX_CELL_CHARS, Problem, decode_text, read_csv_table


def read(data: bytes):
    table = read_csv_table("t.csv", data)
    return table, [str(p) for p in table.problems]


@pytest.mark.parametrize(
    ("data", "lines", "first_column"),
    [
        (b"a,b\n1,2\n3,4\n", [2, 3], ["1", "3"]),
        (b"a,b\n1,2\n3,4", [2, 3], ["1", "3"]),  # no final newline
        (b"a,b\r\n1,2\r\n3,4\r\n", [2, 3], ["1", "3"]),
        (b"a,b\r1,2\r3,4\r", [2, 3], ["1", "3"]),  # old Mac CR
        (b"a,b\r\n1,2\n3,4\r5,6\n", [2, 3, 4], ["1", "3", "5"]),  # mixed
        (b'a,b\n"x\ny",2\n3,4\n', [2, 4], ["x\ny", "3"]),  # a cell over two lines
        (b'a,b\n"x\n\n\ny",2\n3,4\n', [2, 6], ["x\n\n\ny", "3"]),  # blank lines inside a cell belong to it
        (b'a,b\n"x\r\ny",2\r\n3,4\r\n', [2, 4], ["x\r\ny", "3"]),
        (b'a,b\n1,"p\nq\nr"\n3,4\n', [2, 5], ["1", "3"]),  # the multi-line cell is the last one
        (b"a,b\n\n1,2\n\n\n3,4\n\n", [3, 6], ["1", "3"]),  # blank lines are skipped but counted
        (b"a,b\r\n\r\n1,2\r\n", [3], ["1"]),
        (codecs.BOM_UTF8 + b"a,b\n1,2\n", [2], ["1"]),
        (b'a,b\n"1,5",2\n', [2], ["1,5"]),  # a comma inside quotes
        (b'a,b\n"say ""hi""",2\n', [2], ['say "hi"']),  # doubled quotes
        (b"a,b\n,\n", [2], [""]),  # a row of empty cells is a row
        (b" a , b \n1,2\n", [2], ["1"]),  # header names are stripped
    ],
)
def test_records_keep_their_starting_line(data, lines, first_column):
    table, problems = read(data)
    assert problems == []
    assert table.header == ["a", "b"]
    assert list(table.rows.index) == lines
    assert table.rows.index.name == "_line"
    assert list(table.rows["a"]) == first_column


@pytest.mark.parametrize(
    ("data", "problems", "lines", "unreadable"),
    [
        (b"", ["t.csv:1:-: the file is empty: it needs at least a header row"], [], []),
        (b" \n\t\r\n", ["t.csv:1:-: the file is empty: it needs at least a header row"], [], []),
        (b"a,b\n", [], [], []),
        (b"a,b\n1\n3,4\n", ["t.csv:2:-: the row has 1 cells but the header has 2"], [3], [2]),
        (b"a,b\n1,2,x\n3,4\n", ["t.csv:2:-: the row has 3 cells but the header has 2"], [3], [2]),
        (
            b'a,b\n1,"2\n3,4\n5,6\n',
            ["t.csv:2:-: a quoted cell opened on this line is never closed (unbalanced double quote)"],
            [3, 4],
            [2],
        ),
        (
            b'a,b\n1,2\n3,"x"y\n5,6\n',
            ["t.csv:3:-: malformed CSV: ',' expected after '\"' (a double quote inside a quoted cell must be doubled)"],
            [2, 4],
            [3],
        ),
        (
            b'a,b\n1,x"y\n5,6\n',
            [
                "t.csv:2:b: a double quote inside a cell that is not quoted; put the cell in double quotes "
                'and double the quote ("")'
            ],
            [3],
            [2],
        ),
        (
            b'a,b\n"1\n2",x "y"\n5,6\n',  # the stray quote is on the record's second line
            [
                "t.csv:2:b: a double quote inside a cell that is not quoted; put the cell in double quotes "
                'and double the quote ("")'
            ],
            [4],
            [2],
        ),
        (b"a,b\n1,x\x00y\n5,6\n", ["t.csv:2:b: holds a NUL byte at character 2"], [3], [2]),
        (
            b"a,b\nx\xe9,2\n5,6\n",
            ["t.csv:2:a: not valid UTF-8 (byte 0xE9 at character 2); save the file as UTF-8"],
            [3],
            [2],
        ),
        (
            b"a,b\n1,2\n" + b"x" * (MAX_CELL_CHARS + 1) + b",2\n",
            ["t.csv:3:a: the cell has 1,000,001 characters; the limit is 1,000,000"],
            [2],
            [3],
        ),
        (b"\n\na,b\n1,2\n", ["t.csv:3:-: the header is not on line 1"], [4], []),
        (b"a,a\n1,2\n", ["t.csv:1:a: duplicate column name (also column 1); the later one is ignored"], [2], []),
        (b"a,,b\n1,2,3\n", ["t.csv:1:#2: column 2 has an empty name; its cells are ignored"], [2], []),
        (
            codecs.BOM_UTF16_LE + "a,b\n1,2\n".encode("utf-16-le"),
            ["t.csv:1:-: the file is UTF-16-encoded; save it as UTF-8 (with or without BOM)"],
            [],
            [],
        ),
        (
            codecs.BOM_UTF32_LE + "a,b\n".encode("utf-32-le"),
            ["t.csv:1:-: the file is UTF-32-encoded; save it as UTF-8 (with or without BOM)"],
            [],
            [],
        ),
    ],
)
def test_broken_records_are_reported_and_set_aside(data, problems, lines, unreadable):
    table, found = read(data)
    assert found == problems
    assert list(table.rows.index) == lines
    assert sorted(table.unreadable) == unreadable


def test_rows_are_text_and_empty_cells_stay_empty():
    table, _ = read(b"a,b,c\n1,,3\n")
    assert table.rows.loc[2].tolist() == ["1", "", "3"]
    assert all(isinstance(v, str) for v in table.rows.loc[2])


def test_a_cell_of_100_kb_is_kept():
    table, problems = read(b"a,b\n" + b"y" * 100_000 + b",2\n")
    assert problems == []
    assert len(table.rows.at[2, "a"]) == 100_000


def test_ignored_columns_are_left_out_of_the_rows():
    table, _ = read(b"a,,a,b\n1,2,3,4\n")
    assert table.header == ["a", "b"]
    assert table.rows.loc[2].tolist() == ["1", "4"]


def test_unreadable_records_keep_their_text():
    table, _ = read(b'a,b\n1,"2\n3,4\n')
    assert table.unreadable[2] == ['1,"2\n']
    table, _ = read(b"a,b\n1,x\x00y\n")
    assert table.unreadable[2] == ["1", "xy"]


def test_cp1252_row_is_refused_naming_line_and_column_while_other_rows_stay():
    data = "a,b\nok,fine\nnaïve,2\n".encode("cp1252")
    table, problems = read(data)
    assert problems == ["t.csv:3:a: not valid UTF-8 (byte 0xEF at character 3); save the file as UTF-8"]
    assert list(table.rows.index) == [2]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\n", "a\n"),
        (codecs.BOM_UTF8 + b"a\n", "a\n"),
        ("é\n".encode(), "é\n"),
    ],
)
def test_decode_text_accepts_utf8(data, text):
    assert decode_text("t.csv", data) == (text, [])


def test_problem_str_and_order():
    problems = sorted([Problem("b.csv", 2, "x", "m"), Problem("a.csv", 10, "-", "m"), Problem("a.csv", 9, "y", "m")])
    assert [str(p) for p in problems] == ["a.csv:9:y: m", "a.csv:10:-: m", "b.csv:2:x: m"]
