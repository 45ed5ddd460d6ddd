"""Reading a CSV file into rows that remember their line numbers.

Every problem is reported as ``file:line:column: message``, so the parser keeps, for each record,
the physical line on which it starts (a quoted cell may span several lines). It never raises on
bad input: broken records are reported and set aside, the others are kept.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from claimscope.text import restore_cell

#: no cell may be longer than this many characters (a cell of 100 KB is fine)
MAX_CELL_CHARS = 1_000_000
NO_COLUMN = "-"
LINE_COLUMN = "_line"
#: what the careful reader says of a record whose quoted cell runs to the end of the text (the chunked ingest
#: of a large file reads such a chunk again with more lines: the quote may close in the next one)
UNCLOSED_QUOTE = "a quoted cell opened on this line is never closed (unbalanced double quote)"
#: how the careful reader's message for any other record the csv module cannot parse begins
MALFORMED_CSV = "malformed CSV:"
#: what the careful reader says when the first record of a file is not on its first line
HEADER_NOT_ON_LINE_1 = "the header is not on line 1"
#: columns the loader adds (dates as intervals, the search text, the line): a data column of that name would clash
RESERVED_COLUMNS = frozenset(
    {LINE_COLUMN, "_problems", "_search", "_author", "date_start", "date_end", "date_precision", "index"}
)

csv.field_size_limit(MAX_CELL_CHARS * 4 + 1)

_REFUSED_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place of one file.

    In a spreadsheet, ``sheet`` names the sheet, ``line`` is the sheet's row number and ``column`` the
    column's letter with its header: ``claims.xlsx:Sheet1!14:C (stance): message``.
    """

    file: str
    line: int
    column: str
    message: str
    sheet: str = ""

    def __str__(self) -> str:
        if self.sheet:
            return f"{self.file}:{self.sheet}!{self.line}:{self.column}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass
class Table:
    """The records of one CSV file: ``rows`` is indexed by the line each record starts on."""

    file: str
    header: list[str]
    rows: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: records that could not be read as rows: line -> raw cells (or the raw text)
    unreadable: dict[int, list[str]] = field(default_factory=dict)
    #: the line (or sheet row) of the header
    header_line: int = 1
    #: for a spreadsheet: the workbook's file name, the sheet read, and each column's letter by header name
    source: str = ""
    sheet: str = ""
    letters: dict[str, str] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        """The file as the analyst knows it (``claims.xlsx`` for a workbook read as claims.csv)."""
        return self.source or self.file

    def in_own_terms(self, problem: Problem) -> Problem:
        """A problem of this table as the analyst's file names it: for a sheet, its row and the column's letter."""
        if not self.source or problem.file != self.file:
            return problem
        if not self.sheet:  # the workbook itself (no sheet could be chosen): its own name
            return Problem(self.display_name, problem.line, problem.column, problem.message)
        column = problem.column
        if column in self.letters:
            column = f"{self.letters[column]} ({column})"
        elif column.startswith("#") and column[1:].isdigit():
            from openpyxl.utils import get_column_letter

            column = get_column_letter(int(column[1:]))
        return Problem(self.display_name, problem.line, column, problem.message, sheet=self.sheet)


def decode_text(file: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (with or without BOM). Other encodings are refused, naming the lines.

    Undecodable bytes are kept as surrogates so that the parser can still find the records
    that hold them, report each one and keep the others.
    """
    text, problems, _ = _decode(file, data)
    return text, problems


def _decode(file: str, data: bytes) -> tuple[str | None, list[Problem], bool]:
    """:func:`decode_text`, and whether the text holds undecodable bytes (surrogates).

    A strict decode that succeeds says there are none, which spares a scan of the whole text for them.
    """
    for bom, name in _REFUSED_BOMS:
        if data.startswith(bom):
            return (
                None,
                [Problem(file, 1, NO_COLUMN, f"the file is {name}-encoded; save it as UTF-8 (with or without BOM)")],
                False,
            )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), [], False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="surrogateescape"), [], True


_UNDECODED = re.compile("[\udc80-\udcff]")


def _displayable(cell: str) -> str:
    """A set-aside cell as text that pandas/Arrow can hold: undecodable bytes become U+FFFD."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if _UNDECODED.search(cell) else cell


def _bad_bytes(cell: str) -> str | None:
    """Describe the first undecodable byte of a cell, or None."""
    for position, char in enumerate(cell, start=1):
        if "\udc80" <= char <= "\udcff":
            return f"byte 0x{ord(char) - 0xDC00:02X} at character {position}"
    return None


def _unquoted_cell_with_quote(raw: str) -> int | None:
    """The index of the first cell of a raw record that is not quoted yet holds a double quote, or None.

    RFC 4180 allows a double quote only inside a quoted cell (doubled); Python's reader would take it literally.
    """
    index, i, n = 0, 0, len(raw)
    while i < n:
        if raw[i] == '"':  # a quoted cell: skip to its closing quote ("" is an escaped quote)
            i += 1
            while i < n and not (raw[i] == '"' and raw[i + 1 : i + 2] != '"'):
                i += 2 if raw[i] == '"' else 1
            i += 1
        while i < n and raw[i] not in ",\r\n":
            if raw[i] == '"':
                return index
            i += 1
        if i >= n or raw[i] != ",":
            return None
        index, i = index + 1, i + 1
    return None


#: a claimscope export's neutralised cell: apostrophes, then a character a spreadsheet would run
_NEUTRALISED_PATTERN = r"^'+[=+\-@\t\r]"


_QUOTED_LINE = re.compile(r'^[^\n]*"[^\n]*$', re.MULTILINE)


def _quotes_are_strict(lines: list[str]) -> bool:
    """True when every line holding a double quote is a record quoted as RFC 4180 says (Arrow is lenient)."""
    if any(_unquoted_cell_with_quote(line) is not None for line in lines):
        return False
    try:
        for _ in csv.reader(lines, strict=True):
            pass
    except csv.Error:
        return False
    return True


def _read_clean_csv(file: str, text: str, data: bytes, undecoded: bool | None = None) -> Table | None:
    """The fast path for a well-formed file: Arrow's multi-threaded CSV reader, Arrow-backed columns.

    Taken only when every record is one line (so the line of row i is i + 2) and the text has nothing
    the per-cell checks look for; any doubt (a parse error, a row count that does not match the
    lines, a stray quote, an oversized cell) returns None and the careful reader reports precisely.
    ``undecoded`` says whether the text holds undecodable bytes, when the decoding knows (None: look).
    """
    if undecoded is None:
        undecoded = bool(_UNDECODED.search(text))
    if undecoded or "\x00" in text or text.startswith(("\n", "\r")):
        return None
    has_cr = "\r" in text
    if (has_cr and text.count("\r") != text.count("\r\n")) or "\n\n" in text or "\n\r\n" in text:
        return None  # bare CR line endings or blank lines: line numbers need the careful reader
    first_line = text.split("\n", 1)[0].rstrip("\r")
    header = next(csv.reader([first_line]), [])
    names = [restore_cell(name.strip()) for name in header]
    if (
        not names
        or "" in names
        or RESERVED_COLUMNS.intersection(names)  # the careful reader reports them
        or len(set(names)) != len(names)
        or any(name != raw for name, raw in zip(names, header, strict=True))  # padded or neutralised names
    ):
        return None
    try:
        arrow = pa_csv.read_csv(
            io.BytesIO(data),
            parse_options=pa_csv.ParseOptions(newlines_in_values=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if arrow.num_rows != lines - 1 or arrow.column_names != names:
        return None
    if '"' in text and not _quotes_are_strict([m.group() for m in _QUOTED_LINE.finditer(text, len(first_line))]):
        return None
    columns = {}
    for name, column in zip(names, arrow.columns, strict=True):
        if arrow.num_rows and pc.max(pc.utf8_length(column)).as_py() > MAX_CELL_CHARS:
            return None
        neutralised = pc.match_substring_regex(column, pattern=_NEUTRALISED_PATTERN)
        if pc.any(neutralised).as_py():
            column = pc.if_else(neutralised, pc.utf8_slice_codeunits(column, 1), column)
        columns[name] = pd.arrays.ArrowStringArray(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    index = pd.RangeIndex(2, arrow.num_rows + 2, name=LINE_COLUMN)
    rows = pd.DataFrame(columns, index=index) if columns else pd.DataFrame(index=index)
    return Table(file=file, header=names, rows=rows)


def read_csv_table(file: str, data: bytes) -> Table | None:
    """Parse one CSV file. Returns None (with the reason in ``problems``) when nothing can be read."""
    table = Table(file=file, header=[], rows=pd.DataFrame(index=pd.Index([], dtype=int, name=LINE_COLUMN)))
    if not data.strip():
        table.problems.append(Problem(file, 1, NO_COLUMN, "the file is empty: it needs at least a header row"))
        return table
    text, problems, undecoded = _decode(file, data)
    table.problems.extend(problems)
    if text is None:
        return table
    fast = _read_clean_csv(file, text, data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data, undecoded)
    if fast is not None:
        return fast

    lines = list(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    quoted_text: dict[int, str] = {}  # the raw text of records that hold a double quote
    position = 0  # index into lines of the next line to read
    while position < len(lines):
        reader = csv.reader(lines[position:], strict=True)
        start = position + 1
        try:
            for record in reader:
                last = position + reader.line_num
                if record:  # blank lines are not records
                    records.append((start, record))
                    if any('"' in cell for cell in record):
                        quoted_text[start] = "".join(lines[start - 1 : last])
                start = last + 1
            break
        except csv.Error as exc:
            if "end of data" in str(exc):
                # the quote swallowed the rest of the file: set this line aside, read on from the next
                message = UNCLOSED_QUOTE
                end = start
            else:
                message = f"{MALFORMED_CSV} {exc} (a double quote inside a quoted cell must be doubled)"
                end = max(position + reader.line_num, start)
            table.problems.append(Problem(file, start, NO_COLUMN, message))
            table.unreadable[start] = [_displayable("".join(lines[start - 1 : end]))]
            position = end

    if not records:
        table.problems.append(Problem(file, 1, NO_COLUMN, "no header row: the file holds no CSV record"))
        return table
    header_line, header = records[0]
    if header_line != 1:
        table.problems.append(Problem(file, header_line, NO_COLUMN, HEADER_NOT_ON_LINE_1))
    header = [restore_cell(name.strip()) for name in header]
    keep: list[int] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            table.problems.append(
                Problem(file, header_line, f"#{index + 1}", f"column {index + 1} has an empty name; its cells are ignored")
            )
            continue
        if name in RESERVED_COLUMNS:
            table.problems.append(
                Problem(file, header_line, name, f"the column name {name!r} is reserved by claimscope; its cells are ignored")
            )
            continue
        if name in seen:
            table.problems.append(
                Problem(
                    file, header_line, name, f"duplicate column name (also column {seen[name] + 1}); the later one is ignored"
                )
            )
            continue
        bad = _bad_bytes(name)
        if bad:
            table.problems.append(
                Problem(file, header_line, f"#{index + 1}", f"the header is not valid UTF-8 ({bad}); save the file as UTF-8")
            )
            continue
        seen[name] = index
        keep.append(index)
    table.header = [header[i] for i in keep]

    good_lines: list[int] = []
    good_rows: list[list[str]] = []
    width = len(header)
    # one scan of the whole text decides whether any cell needs the per-cell checks (a million rows)
    check_cells = undecoded or "\x00" in text
    check_size = len(text) > MAX_CELL_CHARS
    for line, record in records[1:]:
        if len(record) != width:
            table.problems.append(Problem(file, line, NO_COLUMN, f"the row has {len(record)} cells but the header has {width}"))
            table.unreadable[line] = [_displayable(cell) for cell in record]
            continue
        row_problems = []
        stray = _unquoted_cell_with_quote(quoted_text[line]) if line in quoted_text else None
        if stray is not None and stray in keep:
            row_problems.append(
                Problem(
                    file,
                    line,
                    header[stray],
                    'a double quote inside a cell that is not quoted; put the cell in double quotes and double the quote ("")',
                )
            )
        for index in keep if check_cells or (check_size and max(map(len, record)) > MAX_CELL_CHARS) else ():
            cell = record[index]
            bad = _bad_bytes(cell)
            if bad:
                row_problems.append(Problem(file, line, header[index], f"not valid UTF-8 ({bad}); save the file as UTF-8"))
            elif "\x00" in cell:
                row_problems.append(Problem(file, line, header[index], f"holds a NUL byte at character {cell.index(chr(0)) + 1}"))
            elif len(cell) > MAX_CELL_CHARS:
                row_problems.append(
                    Problem(file, line, header[index], f"the cell has {len(cell):,} characters; the limit is {MAX_CELL_CHARS:,}")
                )
        if row_problems:
            table.problems.extend(row_problems)
            table.unreadable[line] = [
                c.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\x00", "")
                for c in (record[i] for i in keep)
            ]
            continue
        good_lines.append(line)
        good_rows.append([restore_cell(record[i]) for i in keep])
    table.rows = pd.DataFrame(good_rows, columns=table.header, index=pd.Index(good_lines, name=LINE_COLUMN), dtype=object)
    return table
