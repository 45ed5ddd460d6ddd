"""Reading a spreadsheet (.xlsx) into the same rows as a CSV file, reported in the sheet's own terms.

Analysts keep their lists in Excel or Google Sheets. A workbook is read with openpyxl (read-only, the
values the spreadsheet last computed) into a :class:`~claimscope.ingest.csvio.Table` whose rows are indexed by
the sheet's row numbers and whose columns remember their letters, so every problem reads
``claims.xlsx:Sheet1!14:C (stance): message``. Cells become the text the contract expects: a date cell
becomes an ISO date at the precision its number format shows (``mmm yyyy`` → ``2024-06``), a whole number
loses its ``.0``, a boolean becomes ``true``/``false``.

The sheet is chosen explicitly when a workbook has several visible sheets: by name (``--sheet``, or the
sheet named like the contract file, e.g. ``claims``), never by position.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from claimscope.ingest.csvio import LINE_COLUMN, NO_COLUMN, RESERVED_COLUMNS, Problem, Table

XLSX_SUFFIX = ".xlsx"
#: a workbook is a zip: bound what it unpacks to (a small file can unpack to gigabytes)
MAX_UNPACKED_BYTES = 400 * 1024 * 1024


class WorkbookError(Exception):
    """The bytes cannot be read as an .xlsx workbook (the message says why, for the analyst)."""


def _workbook(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise WorkbookError(
                "an old .xls workbook or a password-protected one: save it as .xlsx (Excel Workbook) without a password"
            ) from None
        raise WorkbookError("not an .xlsx workbook (it is not a zip of spreadsheet files)") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(f"the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it skips (data validation, styles)
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails inside openpyxl in many ways; none may escape as a traceback
        raise WorkbookError(f"the workbook cannot be read ({type(exc).__name__}: {exc})") from None


def sheet_names(data: bytes) -> list[str]:
    """The visible sheets of a workbook, in the workbook's order (raises WorkbookError)."""
    workbook = _workbook(data)
    try:
        return [ws.title for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    finally:
        workbook.close()


def choose_sheet(names: list[str], wanted: str | None, stem: str | None) -> tuple[str | None, str | None]:
    """The sheet to read, or None and why: a named sheet, the only one, or the one named like the contract file."""
    if wanted:
        if wanted in names:
            return wanted, None
        return None, f"the workbook has no sheet {wanted!r} (its sheets: {', '.join(map(repr, names))})"
    if len(names) == 1:
        return names[0], None
    if not names:
        return None, "the workbook has no visible sheet"
    if stem:
        by_name = [n for n in names if n.strip().casefold() == stem.casefold()]
        if len(by_name) == 1:
            return by_name[0], None
        return None, (
            f"the workbook has {len(names)} sheets ({', '.join(map(repr, names))}): name the one to read {stem!r}, "
            "or keep only that one"
        )
    return None, f"the workbook has {len(names)} sheets ({', '.join(map(repr, names))}): choose one"


def date_precision(number_format: str) -> str:
    """The precision a date cell's number format shows: ``d mmm yyyy`` day, ``mmm yyyy`` month, ``yyyy`` year."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", (number_format or "").lower())
    if "d" in shown or "y" not in shown:
        return "day"
    return "month" if "m" in shown else "year"


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell's value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        precision = date_precision(number_format)
        text = f"{value.year:04d}"
        if precision in ("month", "day"):
            text += f"-{value.month:02d}"
        if precision == "day":
            text += f"-{value.day:02d}"
        return text
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _non_empty(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def read_xlsx_table(
    file: str,
    data: bytes,
    source: str,
    sheet: str | None = None,
    stem: str | None = None,
    header_row: int | None = None,
) -> Table:
    """Read one sheet of a workbook as the rows of ``file`` (a contract file name, or the workbook's own).

    ``source`` is the workbook's name as the analyst knows it; problems are about ``file`` and are turned
    into the sheet's terms by :meth:`Table.in_own_terms`. The header is ``header_row``, else the first row
    with two or more cells filled in (a title above it is reported, not read as data).
    """
    table = Table(file=file, header=[], rows=pd.DataFrame(index=pd.Index([], dtype=int, name=LINE_COLUMN)), source=source)
    try:
        workbook = _workbook(data)
    except WorkbookError as exc:
        table.problems.append(Problem(file, 1, NO_COLUMN, str(exc)))
        return table
    try:
        names = [ws.title for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        chosen, why = choose_sheet(names, sheet, stem)
        if chosen is None:
            table.problems.append(Problem(file, 1, NO_COLUMN, str(why)))
            return table
        table.sheet = chosen
        grid: list[tuple[int, list[str], list[str]]] = []  # (row, texts, errors by column)
        for number, row in enumerate(workbook[chosen].iter_rows(min_row=1), start=1):
            texts, errors = [], []
            for cell in row:
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", "") == "e":
                    texts.append(str(value or ""))
                    errors.append(str(value or "error"))
                else:
                    texts.append(cell_text(value, getattr(cell, "number_format", "General") or "General"))
                    errors.append("")
            if _non_empty(texts):
                grid.append((number, texts, errors))
    except Exception as exc:  # see _workbook: a damaged sheet must not escape as a traceback
        table.problems.append(Problem(file, 1, NO_COLUMN, f"the sheet cannot be read ({type(exc).__name__}: {exc})"))
        return table
    finally:
        workbook.close()
    if not grid:
        table.problems.append(Problem(file, 1, NO_COLUMN, f"the sheet {table.sheet!r} is empty: it needs at least a header row"))
        return table
    _fill(table, grid, header_row)
    return table


def _fill(table: Table, grid: list[tuple[int, list[str], list[str]]], header_row: int | None) -> None:
    file = table.file
    if header_row is not None:
        position = next((i for i, (number, _, _) in enumerate(grid) if number == header_row), None)
        if position is None:
            table.problems.append(Problem(file, header_row, NO_COLUMN, f"row {header_row} is empty: it cannot be the header"))
            return
    else:
        position = next((i for i, (_, texts, _) in enumerate(grid) if _non_empty(texts) >= 2), 0)
    for number, texts, _ in grid[:position]:
        shown = next(t for t in texts if t.strip())
        table.problems.append(Problem(file, number, NO_COLUMN, f"above the header row: not read as data ({shown[:60]!r})"))
        table.unreadable[number] = [t for t in texts if t.strip()]
    header_line, header_cells, _ = grid[position]
    table.header_line = header_line
    width = max(len(texts) for _, texts, _ in grid[position:])
    header_cells = [c.strip() for c in header_cells] + [""] * (width - len(header_cells))
    keep: list[int] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header_cells):
        letter = get_column_letter(index + 1)
        if not name:
            if any(index < len(texts) and texts[index].strip() for _, texts, _ in grid[position + 1 :]):
                table.problems.append(
                    Problem(file, header_line, f"#{index + 1}", f"column {letter} has no header; its cells are ignored")
                )
            continue
        if name in RESERVED_COLUMNS:
            table.problems.append(
                Problem(
                    file,
                    header_line,
                    f"#{index + 1}",
                    f"the column name {name!r} is reserved by claimscope; its cells are ignored",
                )
            )
            continue
        if name in seen:
            table.problems.append(
                Problem(
                    file,
                    header_line,
                    f"#{index + 1}",
                    f"duplicate column name {name!r} (also column {get_column_letter(seen[name] + 1)}); the later one is ignored",
                )
            )
            continue
        seen[name] = index
        keep.append(index)
        table.letters[name] = letter
    table.header = [header_cells[i] for i in keep]
    lines, rows = [], []
    for number, texts, errors in grid[position + 1 :]:
        texts = texts + [""] * (width - len(texts))
        errors = errors + [""] * (width - len(errors))
        bad = [(i, errors[i]) for i in keep if errors[i]]
        if bad:
            for i, error in bad:
                table.problems.append(
                    Problem(
                        file,
                        number,
                        header_cells[i],
                        f"the cell holds the spreadsheet error {error}; fix the formula or type the value",
                    )
                )
            table.unreadable[number] = [texts[i] for i in keep]
            continue
        lines.append(number)
        rows.append([texts[i] for i in keep])
    table.rows = pd.DataFrame(rows, columns=table.header, index=pd.Index(lines, name=LINE_COLUMN), dtype=object)
