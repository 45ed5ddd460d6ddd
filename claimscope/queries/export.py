"""The Data page's queries: its downloads, streamed from the engine, and the claims per source.

The exports of :mod:`claimscope.views.export` take a pandas frame of every row they write; at a million
claims, building the three downloads that way took minutes and gigabytes on every run of the page.
Here each download reads an Ibis expression back in Arrow batches of :data:`CHUNK_ROWS` rows
(:func:`record_batches`), formats each batch and passes it on as bytes, so an export's working
memory is one batch whatever the size of the data. The page hands the builders to
``st.download_button`` as callables: nothing runs until the analyst clicks.

The bytes are those of :func:`claimscope.views.export.claims_csv`, :func:`~claimscope.views.export.claims_json`
and :func:`~claimscope.views.export.dataset_zip` on the same rows (the tests hold them to it on every
engine and several filters): the contract's columns in its order (extra columns after them), lists
joined with ``;``, CRLF line ends, every CSV cell a spreadsheet would run as a formula neutralised as
:func:`claimscope.text.neutralise_cell` does, rows in the order of their file (``_line``). The
formatting is vectorised with Arrow compute, with no Python call per cell, so a million claims take
seconds of CPU, not minutes.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) encodes a str with
from typing import IO

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.engine.connection import Engine
from claimscope.engine.lazy import ir
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.queries.scope import Scope
from claimscope.schema import CLAIMS, FILES, LIST_SEPARATOR, PACKAGE_FILE, SOURCES, FileSpec, Kind
from claimscope.text import _FORMULA_LIKE, neutralise_cell
from claimscope.views.export import DERIVED_COLUMNS, _plain

#: rows per batch read from the engine: bounds an export's working memory (a batch of claims is a few MB)
CHUNK_ROWS = 20_000
#: full texts per batch when the zip copies them (a text may be long)
TEXT_ROWS = 64
#: the pattern of a cell a spreadsheet would run as a formula: the one :func:`claimscope.text.neutralise_cell` uses
FORMULA_PATTERN = _FORMULA_LIKE.pattern
#: a cell the csv module quotes (QUOTE_MINIMAL, CRLF line ends)
NEEDS_QUOTES = '[",\r\n]'
#: a string the json module escapes (its ESCAPE set, ensure_ascii=False)
JSON_ESCAPES = r'["\\\x00-\x1f]'
CSV_LINE_END = "\r\n"  # RFC 4180, as :func:`claimscope.views.export.to_csv_bytes` writes
#: deflate's fastest level: a million claims' CSV deflates in 5 s of CPU instead of 16 (at level 6), for a
#: zip a quarter larger; the server's cores are shared by every session, the download is one analyst's
ZIP_LEVEL = 1
#: an export is gathered in memory up to this size, then in a temporary file
SPOOL_BYTES = 8 << 20


# --- reading from the engine -------------------------------------------------------------------------


def record_batches(engine: Engine, expr: ir.Table, chunk_size: int | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of ``expr`` as Arrow batches of at most ``chunk_size`` rows (:meth:`Engine.record_batches`),
    read as they are written out, so that an export's working memory is one batch. Close the generator
    (``contextlib.closing``) when stopping early."""
    return engine.record_batches(expr, chunk_size or CHUNK_ROWS)


def keeps_row_order(engine: Engine) -> bool:
    """True when the backend returns a filtered table's rows in their stored order without ORDER BY.

    DuckDB does (``preserve_insertion_order``, on by default, covers scans, filters and projections),
    and the cache's Parquet files and an upload's tables are stored in file order. Sorting a million
    claims there would cost the export twice the time and 600 MB; elsewhere (PostgreSQL, a
    warehouse) only an ORDER BY promises an order.
    """
    return engine.backend.name == "duckdb"


def export_expr(table: ir.Table, ordered: bool = True) -> ir.Table:
    """The contract's and the file's own columns of ``table`` (not those the loader derives), in file order.

    ``ordered=False`` leaves the order to the backend (see :func:`keeps_row_order`).
    """
    columns = [c for c in table.columns if c not in DERIVED_COLUMNS]
    return (table.order_by(LINE_COLUMN) if ordered else table).select(columns)


def claims_expr(scope: Scope) -> ir.Table:
    """The filtered claims as the exports write them."""
    return export_expr(scope.claims, ordered=not keeps_row_order(scope.engine))


def table_expr(engine: Engine, name: str) -> ir.Table:
    """Every row of one of the contract's tables, as the zip writes it."""
    return export_expr(engine.table(name), ordered=not keeps_row_order(engine))


# --- CSV -----------------------------------------------------------------------------------------------


def csv_order(spec: FileSpec, columns: Iterable[str]) -> list[str]:
    """The contract's columns in its order, then the file's own: :func:`claimscope.views.export.contract_frame`'s order."""
    columns = list(columns)
    return [c for c in spec.columns if c in columns] + [c for c in columns if c not in spec.columns]


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _is_list(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_large_list(kind)


def as_text(column: pa.Array) -> pa.Array:
    """One column as the contract's text, as :func:`claimscope.views.export.contract_frame` writes it.

    Lists joined with ``;`` (no list: empty), booleans ``true``/``false``, numbers as Python prints
    them (``1.0``, ``37.5``), missing values empty, text as it is.
    """
    kind = column.type
    if _is_list(kind):
        return pc.fill_null(pc.binary_join(column, LIST_SEPARATOR).cast(pa.string()), "")
    if _is_text(kind):
        return pc.fill_null(column.cast(pa.string()), "")
    if pa.types.is_boolean(kind) and column.null_count == 0:
        return pc.if_else(column, "true", "false")
    # numbers and anything else: few such columns (a country's lat and lon), formatted as pandas' export does
    return pa.array(["" if v is None else _plain(v) for v in column.to_pylist()], type=pa.string())


def neutralised(column: pa.Array) -> pa.Array:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (vectorised neutralise_cell)."""
    formula = pc.match_substring_regex(column, FORMULA_PATTERN)
    if not pc.any(formula).as_py():  # most columns have no such cell: no copy
        return column
    return pc.if_else(formula, pc.binary_join_element_wise("'", column, ""), column)


def quoted(column: pa.Array) -> pa.Array:
    """Cells as the ``csv`` module writes them (QUOTE_MINIMAL, as pandas' ``to_csv``): a cell holding a
    comma, a quote, CR or LF between quotes, its quotes doubled; every other cell as it is."""
    needs = pc.match_substring_regex(column, NEEDS_QUOTES)
    if not pc.any(needs).as_py():
        return column
    escaped = pc.binary_join_element_wise('"', pc.replace_substring(column, '"', '""'), '"', "")
    return pc.if_else(needs, escaped, column)


def joined(values: pa.Array, separator: str) -> bytes:
    """UTF-8 text values joined by ``separator``, as bytes, without a Python string per value."""
    one_list = pa.ListArray.from_arrays(pa.array([0, len(values)], type=pa.int32()), values.cast(pa.binary()))
    return pc.binary_join(one_list, separator.encode("utf-8"))[0].as_py()


def csv_rows(names: list[str], batch: pa.RecordBatch) -> bytes:
    """One batch as CSV lines (no header), the contract's text of each cell, neutralised and quoted."""
    cells = [quoted(neutralised(as_text(batch.column(name)))) for name in names]
    rows = pc.binary_join_element_wise(*cells, ",")
    if len(names) == 1:  # the csv module writes a row of one empty cell as "" (else it would be a blank line)
        rows = pc.if_else(pc.equal(rows, ""), '""', rows)
    return joined(rows, CSV_LINE_END) + CSV_LINE_END.encode("utf-8")


def csv_chunks(spec: FileSpec, batches: Iterable[pa.RecordBatch], schema: pa.Schema) -> Iterator[bytes]:
    """A table's rows as the contract's CSV, header first, one bytes chunk per batch."""
    names = csv_order(spec, schema.names)
    header = io.StringIO()
    csv.writer(header, lineterminator=CSV_LINE_END).writerow([neutralise_cell(name) for name in names])
    yield header.getvalue().encode("utf-8")
    for batch in batches:
        if batch.num_rows:
            yield csv_rows(names, batch)


def table_csv_chunks(engine: Engine, expr: ir.Table, spec: FileSpec) -> Iterator[bytes]:
    """:func:`csv_chunks` of an expression's rows, read from the engine in batches."""
    with closing(record_batches(engine, expr)) as batches:
        yield from csv_chunks(spec, batches, expr.schema().to_pyarrow())


def claims_csv_chunks(scope: Scope) -> Iterator[bytes]:
    """The filtered claims as :func:`claimscope.views.export.claims_csv` writes them, in chunks."""
    return table_csv_chunks(scope.engine, claims_expr(scope), CLAIMS)


# --- JSON ----------------------------------------------------------------------------------------------
#
# claims_json is ``json.dumps(records, ensure_ascii=False, indent=1, default=str)``. With ``indent`` the
# standard library encodes in pure Python (two minutes for a million claims), so the layout it writes
# is built here with Arrow around the standard library's own C string encoder: records at one space,
# keys at two, list items at three. The tests hold the result to json.dumps byte for byte.


def json_strings(column: pa.Array) -> pa.Array:
    """JSON text of each string (null: ``null``) as json.dumps(ensure_ascii=False) writes it.

    Most cells need no escape and are only put between quotes; the few that do (a quote, a backslash,
    a control character: the json module's own ESCAPE set) go through its C encoder.
    """
    column = column.cast(pa.string())
    text = pc.binary_join_element_wise('"', column, '"', "")
    escape = pc.fill_null(pc.match_substring_regex(column, JSON_ESCAPES), False)
    if pc.any(escape).as_py():
        encoded = pa.array(list(map(encode_basestring, column.filter(escape).to_pylist())), type=pa.string())
        text = pc.replace_with_mask(text, escape, encoded)
    return pc.fill_null(text, "null")


def json_scalars(column: pa.Array) -> pa.Array:
    """JSON text of values of any other type (numbers, booleans: rare in claims), one json.dumps each."""
    return pa.array([json.dumps(v, ensure_ascii=False, default=str) for v in column.to_pylist()], type=pa.string())


def _json_list(column: pa.Array) -> pa.Array:
    """A list column as json.dumps writes a list of strings at the depth of a record's value."""
    lengths = pc.list_value_length(column)
    items = json_strings(column.flatten())
    offsets = pa.array([0, *itertools.accumulate(pc.fill_null(lengths, 0).to_pylist())], type=pa.int32())
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, items), ",\n   ")
    text = pc.if_else(pc.equal(lengths, 0), "[]", pc.binary_join_element_wise("[\n   ", joined, "\n  ]", ""))
    return pc.if_else(column.is_null(), "null", text)


def json_values(spec: FileSpec, name: str, column: pa.Array) -> pa.Array:
    """A column's values as JSON text, as :func:`claimscope.views.export.claims_json` gives them.

    Enumerations (categoricals in the frame) are "" when missing; lists are arrays (a backend without
    arrays holds them as ``;``-joined text: :mod:`claimscope.engine.load`).
    """
    try:
        field = spec.field(name)
    except KeyError:
        field = None
    if field is not None and field.is_list and _is_text(column.type):
        split = pc.split_pattern(column, LIST_SEPARATOR)
        column = pc.if_else(pc.equal(column, ""), pa.scalar([], split.type), split)  # "" is the empty list
    if _is_list(column.type):
        return _json_list(column)
    if field is not None and field.kind is Kind.ENUM:
        column = pc.fill_null(column.cast(pa.string()), "")
    return json_strings(column) if _is_text(column.type) else json_scalars(column)


def json_records(spec: FileSpec, batch: pa.RecordBatch) -> bytes:
    """One batch's records as json.dumps(..., indent=1) writes them inside the array, joined by ",\n"."""
    parts: list = []
    for index, name in enumerate(batch.schema.names):
        parts += [
            (" {\n" if index == 0 else ",\n") + f"  {encode_basestring(name)}: ",
            json_values(spec, name, batch.column(name)),
        ]
    # one pass over every column: the literal parts (keys, commas, braces) are scalars between the values
    records = pc.binary_join_element_wise(*parts, "\n }", "")
    return joined(records, ",\n")


def json_chunks(spec: FileSpec, batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    """Rows as one JSON array of records, exactly as ``json.dumps(records, ensure_ascii=False, indent=1)``."""
    first = True
    for batch in batches:
        if not batch.num_rows:
            continue
        yield (b"[\n" if first else b",\n") + json_records(spec, batch)
        first = False
    yield b"[]" if first else b"\n]"


def claims_json_chunks(scope: Scope) -> Iterator[bytes]:
    """The filtered claims as :func:`claimscope.views.export.claims_json` writes them, in chunks."""
    with closing(record_batches(scope.engine, claims_expr(scope))) as batches:
        yield from json_chunks(CLAIMS, batches)


# --- the dataset as a zip --------------------------------------------------------------------------------


def dataset_zip_to(out: IO[bytes], engine: Engine, present: Iterable[str], package: Mapping | None) -> None:
    """Write :func:`claimscope.views.export.dataset_zip`'s archive into ``out``, every table streamed from the engine.

    ``present`` names the dataset's files that exist (a missing events.csv is not exported as an
    empty one); ``package`` is datapackage.json's content. Entries are deflated as they are written,
    so only one batch of a table is in memory at a time.
    """
    present = set(present)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        for spec in FILES:
            if spec.name not in present or not engine.has_table(spec.stem):
                continue
            # zip64 for the table that may pass 4 GiB (its size is unknown until written); every reader takes it
            with archive.open(spec.name, "w", force_zip64=spec is CLAIMS) as entry:
                for chunk in table_csv_chunks(engine, table_expr(engine, spec.stem), spec):
                    entry.write(chunk)
        if SOURCES.name in present and engine.has_table("texts") and engine.has_table(SOURCES.stem):
            for path, text in texts_of_sources(engine):
                archive.writestr(path, text)
        if package:
            archive.writestr(PACKAGE_FILE, json.dumps(package, indent=2, ensure_ascii=False))


def texts_expr(sources: ir.Table, texts: ir.Table) -> ir.Table:
    """(path, body) of every source whose full text is kept, in the order of sources.csv."""
    kept = sources.filter(sources.text.notnull() & (sources.text != ""))
    joined = kept.inner_join(texts, kept.source_id == texts.source_id)
    return joined.select(line=kept[LINE_COLUMN], path=kept.text, body=texts.text).order_by("line").select("path", "body")


def texts_of_sources(engine: Engine) -> Iterator[tuple[str, str]]:
    """(path, full text) of every source whose text is kept, in the order of sources.csv (a few at a time)."""
    expr = texts_expr(engine.table(SOURCES.stem), engine.table("texts"))
    with closing(record_batches(engine, expr, chunk_size=TEXT_ROWS)) as batches:
        for batch in batches:
            yield from zip(batch.column("path").to_pylist(), batch.column("body").to_pylist(), strict=True)


# --- the sources tab -------------------------------------------------------------------------------------------


def source_counts_expr(claims: ir.Table, sources: ir.Table) -> ir.Table:
    """``source_id`` and ``claims``: how many of ``claims`` cite each source of ``sources`` (cited ones only)."""
    counts = claims.group_by("source_id").aggregate(claims=claims.count())
    return sources.select("source_id").inner_join(counts, "source_id").select("source_id", "claims")


def claims_per_source(scope: Scope) -> pd.DataFrame:
    """How many claims of the whole dataset (the filters not applied) cite each source of sources.csv.

    Columns ``source_id`` and ``claims`` (int64); a source no claim cites has no row. Counted in the
    engine and joined to sources.csv, whose key source_id is: at most one row per source comes back.
    """
    expr = source_counts_expr(scope.everything, scope.table(SOURCES.stem))
    frame = scope.frame(expr, limit=None, spec=None)
    return frame.astype({"source_id": "str", "claims": "int64"})


def sources_table(sources: pd.DataFrame, counts: pd.DataFrame, kept_texts: Iterable[str]) -> pd.DataFrame:
    """sources.csv as the Sources tab shows it: the file's columns, the claims citing each, whether its text is kept."""
    shown = sources.drop(columns=[c for c in sources if c.startswith("_") or c == "index"])
    shown = shown.merge(counts.set_index("source_id")["claims"], left_on="source_id", right_index=True, how="left")
    shown["claims"] = shown["claims"].fillna(0).astype(int)
    shown["text kept"] = shown["source_id"].isin(list(kept_texts))
    return shown


# --- what the download buttons call -------------------------------------------------------------------------


def spooled(write: Callable[[IO[bytes]], None]) -> bytes:
    """The bytes ``write`` writes, gathered in a temporary file (on disk past a few MB) and read back once.

    Streamlit stores a download as one bytes object; gathering the chunks in a list and joining them
    would hold the export twice at the end, a temporary file holds it once.
    """
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        write(spool)
        spool.seek(0)
        return spool.read()


def _write_chunks(chunks: Iterable[bytes]) -> Callable[[IO[bytes]], None]:
    def write(out: IO[bytes]) -> None:
        for chunk in chunks:
            out.write(chunk)

    return write


def claims_csv(scope: Scope) -> bytes:
    """The filtered claims as CSV (what the "Claims as CSV" button downloads)."""
    return spooled(_write_chunks(claims_csv_chunks(scope)))


def claims_json(scope: Scope) -> bytes:
    """The filtered claims as JSON (what the "Claims as JSON" button downloads)."""
    return spooled(_write_chunks(claims_json_chunks(scope)))


def dataset_zip(engine: Engine, present: Iterable[str], package: Mapping | None) -> bytes:
    """The whole dataset as a zip (what the "Dataset as zip" button downloads)."""
    present = list(present)
    return spooled(lambda out: dataset_zip_to(out, engine, present, package))


__all__ = [
    "CHUNK_ROWS",
    "claims_csv",
    "claims_csv_chunks",
    "claims_expr",
    "claims_json",
    "claims_json_chunks",
    "claims_per_source",
    "dataset_zip",
    "dataset_zip_to",
    "export_expr",
    "record_batches",
    "source_counts_expr",
    "sources_table",
    "texts_expr",
]
