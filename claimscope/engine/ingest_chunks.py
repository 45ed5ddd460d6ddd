"""Ingest a large claims.csv in bounded memory: the report and the tables of load_folder, chunk by chunk.

Why: :func:`claimscope.ingest.dataset.load_folder` holds a file's bytes, its text, its parsed rows, the typed frame
and its Arrow table at once, about six times the file: a million claims (400 MB) peak at 2.4 GB, and ten
million cannot be loaded on an analyst's machine. claims.csv is the only file that grows with the data, so
:func:`claimscope.engine.cache.ingest` reads a claims.csv larger than :data:`STREAM_ABOVE_BYTES` here, in
chunks of about :data:`CHUNK_BYTES`, and every other file through the whole-file steps of
:mod:`claimscope.ingest.dataset`. The result is the same: the report problem for problem and in the same order,
the same accepted and rejected rows, the same Parquet tables (tests/test_engine_ingest_chunks.py holds the
two paths to each other on every dataset of the tests, with chunks of a single line).

Why it is the same:

* **Records.** A chunk is a run of whole lines, parsed by the careful reader
  (:func:`claimscope.ingest.csvio.read_csv_table`) behind the file's header record, its line numbers then shifted
  by the lines before it. The csv module is a state machine over lines: a chunk that starts where the
  whole-file reader starts a record, and whose own parse does not end inside a quoted cell, yields the
  records the whole-file reader yields for those lines, and ends where that reader starts its next record.
  A chunk whose parse does end inside a quote (:data:`~claimscope.ingest.csvio.UNCLOSED_QUOTE`) is read again with
  more lines, until the quote closes, fails otherwise (the csv module bounds a cell) or the file ends.
* **Rules beyond a row.** Uniqueness of claim_id and responds_to (a claim or event of the dataset, not
  dated after the reaction) need the other chunks. The first pass stores every row's claim_id, date and the
  values its responds_to is looked up by in DuckDB (spilled to disk beyond a bound, never Python objects); two queries
  then give the first line of every duplicated id and, per row, which of its values are claim ids and the
  date of that claim's first row. Each chunk is validated against the dataset's
  :class:`~claimscope.ingest.validation.Context` restricted to the ids its rows ask about, plus
  ``first_lines`` for uniqueness: the verdicts and the messages of the whole-file context. Other files that
  refer to claims (relations.csv evidence) get the claim ids they name.
* **Order.** The problems of all files are ordered once, as :func:`claimscope.ingest.dataset.order_problems` does;
  the rejected rows keep the column order the whole file's frame of rejected rows has.
* **Gaps.** :func:`claimscope.ingest.gaps.gaps` asks whether any accepted claim has a stance, an ``about``, a
  ``responds_to``, a reaction that responds: a few witness rows (the first of each) answer as all rows do.

Between the two passes each parsed chunk waits on disk (pickled) in the entry's temporary folder, so that
the file is parsed once.

**Processes.** A claims.csv over :data:`PARALLEL_ABOVE_BYTES` is parsed and validated by worker processes
(:func:`ingest_workers`); this process cuts the runs, keeps the index, validates the other files, puts the
report together in file order and writes the one Parquet file, so the result does not depend on how many
there are (the tests hold two workers to the whole-file path). A worker reads its run from the file and hands
its typed rows back in an Arrow file: large results pickled through a pipe kept this process busy unpickling. A claims.csv whose header is not on line 1 goes the whole-file way
(:class:`NotStreamable`).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import itertools
import logging
import multiprocessing
import os
import pickle
import shutil
import sys
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from claimscope.authors import AUTHOR_COLUMN, author_mask
from claimscope.engine import cache
from claimscope.ingest.csvio import (
    HEADER_NOT_ON_LINE_1,
    LINE_COLUMN,
    MALFORMED_CSV,
    NO_COLUMN,
    UNCLOSED_QUOTE,
    Problem,
    Table,
    read_csv_table,
)
from claimscope.ingest.dataset import (
    PROBLEMS_COLUMN,
    Dataset,
    DatasetFolderError,
    FileReport,
    Progress,
    _accepted,
    _context,
    order_problems,
    read_folder,
    read_package_and_texts,
    read_tables,
    source_texts,
)
from claimscope.ingest.validation import Context, split_list, validate_table
from claimscope.schema import ACTORS, CLAIMS, FILES, FileSpec

#: a claims.csv larger than this is ingested in chunks; a smaller one takes load_folder's path unchanged
STREAM_ABOVE_BYTES = 50 * 2**20
#: about how many bytes of claims.csv one chunk holds (some 75,000 rows of ``claimscope.synth``, 42,000 of
#: ``claimscope.synth_threads``): what a process holds of a chunk at once is about ten times this
CHUNK_BYTES = 32 * 2**20
#: what DuckDB may hold of the index of ids in memory before it spills to the entry's temporary folder
INDEX_MEMORY_LIMIT = "400MB"
WORK_FOLDER = ".chunks"
#: parsed chunks wait on disk compressed: LZ4 costs a fifth of parsing and holds a third of the bytes
SPILL_CODEC = "lz4"
#: a claims.csv larger than this is parsed and validated by several processes (a smaller one does not repay
#: starting them); how many: :func:`ingest_workers`
PARALLEL_ABOVE_BYTES = 128 * 2**20
#: at most this many workers unless ``$CLAIMSCOPE_INGEST_WORKERS`` asks for more: each holds some 400 MB at its
#: peak, and a container may see more cores than it may use (Community Cloud gives 2.7 GB in all)
DEFAULT_MAX_WORKERS = 2
ENV_INGEST_WORKERS = "CLAIMSCOPE_INGEST_WORKERS"
ID, DATE, RESPONDS_TO = "claim_id", "date", "responds_to"
CLAIM_TARGET = "claims.csv.claim_id"

log = logging.getLogger(__name__)


class NotStreamable(Exception):
    """claims.csv does not start with its header on line 1: the whole-file reader reports what it holds."""


def streams(folder: str | Path) -> bool:
    """Whether :func:`claimscope.engine.cache.ingest` reads this folder's claims.csv in chunks."""
    path = Path(folder) / CLAIMS.name
    try:
        return path.is_file() and path.stat().st_size > STREAM_ABOVE_BYTES
    except OSError:
        return False


# --- the processes that parse and validate ----------------------------------------------------------------------


def ingest_workers() -> int:
    """How many processes parse and validate a large claims.csv: ``$CLAIMSCOPE_INGEST_WORKERS``, else one per
    core this process may use, at most :data:`DEFAULT_MAX_WORKERS`.

    Parsing and validating a chunk is Python and pandas work that holds the interpreter, so threads would
    take turns; processes use the cores (bench/ingest_processes.py measures one against two).
    """
    value = os.environ.get(ENV_INGEST_WORKERS, "").strip()
    if value:
        if value.isdecimal() and int(value) >= 1:
            return int(value)
        log.warning("claimscope: %s=%r is not a whole number of at least 1; the default instead", ENV_INGEST_WORKERS, value)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_MAX_WORKERS))


def _ready() -> None:
    """Nothing: submitted once per worker as the pool starts, so that every process starts (and imports) at once."""


class _InProcess(Executor):
    """Runs each task when it is submitted: the pool of one worker (one core, a small file, an upload)."""

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # handed to the caller by result(), as a pool would
            future.set_exception(exc)
        return future


def _pool(workers: int) -> Executor:
    """``workers`` processes, started before this returns. Forking a server that holds threads and DuckDB is
    unsafe, so they are spawned, and without the parent's ``__main__`` (:func:`_main_module_hidden`)."""
    if workers <= 1:
        return _InProcess()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        with _main_module_hidden():
            for _ in range(workers):  # a submit to a pool without an idle worker starts one process, here
                pool.submit(_ready)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return pool


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """A spawned process imports its parent's ``__main__`` again (multiprocessing's rule, so that functions of a
    script can be sent to it). Under Streamlit, ``__main__`` is the app script, which would run in each worker;
    a script that ingests without an ``if __name__ == "__main__"`` guard would ingest again. The workers only
    need this package, so while they start, ``__main__`` is an empty module that names no file."""
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


# --- cutting the file into runs of whole lines ------------------------------------------------------------------


class _Lines:
    """Runs of whole lines of a file, of about ``size`` bytes: what a read of that size holds up to its last
    line end (a longer line whole; the last run: the rest of the file).

    A run ends after a ``\\n``, so that a ``\\r\\n`` is never cut in two and a UTF-8 character never
    either (no byte of a multi-byte character is ``\\n``).
    """

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle, self.size = handle, max(1, size)
        self.rest = b""
        self.eof = False

    @property
    def done(self) -> bool:
        return self.eof and not self.rest

    def take(self) -> bytes:
        parts, length, ends = [self.rest], len(self.rest), b"\n" in self.rest
        self.rest = b""
        while not self.eof and (length < self.size or not ends):
            more = self._read(max(self.size - length, min(self.size, 1 << 16)))
            parts.append(more)
            length, ends = length + len(more), ends or b"\n" in more
        data = b"".join(parts)  # one copy (32 MB: a few milliseconds), not one per read
        if self.eof:
            return data
        cut = data.rindex(b"\n") + 1
        self.rest = data[cut:] or self._read(min(self.size, 1 << 16))  # read ahead: is this the last run?
        return data[:cut] if cut < len(data) else data

    def _read(self, size: int) -> bytes:
        try:
            more = self.handle.read(size)
        except OSError as exc:
            raise DatasetFolderError(
                f"{getattr(self.handle, 'name', CLAIMS.name)}: cannot be read ({exc.strerror or exc})"
            ) from exc
        self.eof = self.eof or not more
        return more


def line_count(data: bytes) -> int:
    """The lines of ``data`` as the careful reader numbers them (``\\n``, ``\\r\\n`` and a lone ``\\r`` end one)."""
    count = data.count(b"\n")
    if b"\r" in data:
        count += data.count(b"\r") - data.count(b"\r\n")
    return count + (1 if data and not data.endswith((b"\n", b"\r")) else 0)


def _header_record(data: bytes) -> bytes:
    """The bytes of the header record that starts the file (without a BOM; a quoted name may span lines).

    Decoded as the careful reader decodes and splits lines, but lazily: the chunk is not copied as text.
    """
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="surrogateescape", newline="")
    taken: list[str] = []

    def lines() -> Iterable[str]:
        for line in stream:
            taken.append(line)
            yield line

    next(csv.reader(lines(), strict=True))
    return "".join(taken).encode("utf-8", "surrogateescape")


def _unclosed(table: Table) -> bool:
    return any(p.message == UNCLOSED_QUOTE for p in table.problems)


def _shift(table: Table, offset: int, header_lines: int) -> None:
    """Renumber a chunk read behind the header as lines of the file; the header's own problems go (chunk 0 has them)."""
    table.problems = [dataclasses.replace(p, line=p.line + offset) for p in table.problems if p.line > header_lines]
    table.unreadable = {line + offset: cells for line, cells in table.unreadable.items()}
    table.rows.index = table.rows.index + offset


# --- the index of ids: DuckDB on disk ---------------------------------------------------------------------------


def _text(values: pd.Series) -> pa.Array:
    array = pa.array(values, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.string())


def index_rows(table: Table) -> dict[str, pa.Table]:
    """What :class:`_Index` keeps of one parsed chunk: its rows' ids and dates, and the values of their responds_to.

    The rows validation sees, not the records set aside. A function of the chunk alone, so that the process
    that parses a chunk builds it and sends only these few columns back.
    """
    rows = table.rows
    found: dict[str, pa.Table] = {}
    lines = pa.array(rows.index.to_numpy(dtype=np.int64), type=pa.int64())
    if ID in rows.columns:
        dates = _text(rows[DATE]) if DATE in rows.columns else pa.nulls(len(rows), pa.string())
        found["ids"] = pa.table({"line": lines, "id": _text(rows[ID]), "date": dates})
    if RESPONDS_TO in rows.columns:
        raw = _text(rows[RESPONDS_TO])
        filled = pc.not_equal(raw, "")
        raw, at = raw.filter(filled), lines.filter(filled)
        # the rules look a value up as it stands (references) and stripped (dates), by pandas (Arrow's
        # white space) or by Python: every form is indexed, the lookups then agree with the whole file's
        python = pa.array([value.strip() for value in raw.to_pylist()], type=pa.string())
        keys = pa.table(
            {
                "line": pa.concat_arrays([at, at, at]),
                "key": pa.concat_arrays([raw, pc.utf8_trim_whitespace(raw), python]),
            }
        )
        found["keys"] = keys.filter(pc.not_equal(keys["key"], ""))
    return found


class _Index:
    """Every row's claim_id, date and the values its responds_to may be looked up by, in DuckDB.

    The lookups :mod:`claimscope.ingest.validation` makes with the whole file's ids (``x in context.claim_ids``,
    ``context.dates[x]``, the first line of a duplicated id) are answered here for the rows of one chunk at
    a time, so that no Python object per claim is ever built.
    """

    def __init__(self, folder: Path) -> None:
        # in memory up to INDEX_MEMORY_LIMIT, then spilled to the folder: a database file would write every
        # insert through its log (seconds per million rows) for an index that lives a few minutes
        self.db = duckdb.connect(":memory:")
        spill = str(folder / "spill").replace("'", "''")
        self.db.execute(f"SET memory_limit = '{INDEX_MEMORY_LIMIT}'")
        self.db.execute(f"SET temp_directory = '{spill}'")
        self.db.execute("CREATE TABLE ids (line BIGINT, id VARCHAR, date VARCHAR)")
        self.db.execute("CREATE TABLE keys (line BIGINT, key VARCHAR)")
        self.duplicated = 0

    def add(self, rows: Mapping[str, pa.Table]) -> None:
        """Index one chunk's rows, as :func:`index_rows` gives them."""
        for name, table in rows.items():
            self._insert(name, table)

    def _insert(self, name: str, table: pa.Table) -> None:
        self.db.register("incoming", table)
        try:
            self.db.execute(f"INSERT INTO {name} SELECT * FROM incoming")
        finally:
            self.db.unregister("incoming")

    def prepare(self) -> None:
        """The whole file's answers: first lines of duplicated ids, and each looked-up value that is a claim id."""
        self.db.execute(
            "CREATE TABLE duplicates AS SELECT id, min(line) AS first_line FROM ids WHERE id <> '' "
            "GROUP BY id HAVING count(*) > 1"
        )
        self.duplicated = self.db.execute("SELECT count(*) FROM duplicates").fetchone()[0]
        # arg_min: the date of the id's first row, as the whole file's dates (first row of an id wins)
        self.db.execute(
            "CREATE TABLE hits AS "
            "WITH wanted AS (SELECT DISTINCT key FROM keys), "
            "firsts AS (SELECT id, arg_min(date, line) AS date FROM ids WHERE id IN (SELECT key FROM wanted) GROUP BY id) "
            "SELECT keys.line, keys.key, firsts.date FROM keys JOIN firsts ON keys.key = firsts.id ORDER BY keys.line"
        )

    def claim_ids_among(self, values: Iterable[str]) -> frozenset[str]:
        """Which of ``values`` are claim ids (what other files' references ask)."""
        wanted = pa.table({"key": pa.array(sorted(set(values)), type=pa.string())})
        if not wanted.num_rows:
            return frozenset()
        self.db.register("wanted", wanted)
        try:
            found = self.db.execute("SELECT DISTINCT id FROM ids WHERE id IN (SELECT key FROM wanted)").fetchall()
        finally:
            self.db.unregister("wanted")
        return frozenset(row[0] for row in found)

    def lookups(self, first: int, last: int) -> tuple[dict[str, int], dict[str, str | None]]:
        """For the rows on lines first..last: ``{duplicated id: its first line}``, ``{looked-up claim id: date}``."""
        duplicates: dict[str, int] = {}
        if self.duplicated:
            duplicates = dict(
                self.db.execute(
                    "SELECT ids.id, duplicates.first_line FROM ids JOIN duplicates ON ids.id = duplicates.id "
                    "WHERE ids.line BETWEEN ? AND ?",
                    [first, last],
                ).fetchall()
            )
        hits = dict(self.db.execute("SELECT key, date FROM hits WHERE line BETWEEN ? AND ?", [first, last]).fetchall())
        return duplicates, hits

    def close(self) -> None:
        self.db.close()


# --- the first pass: parse, keep, index -------------------------------------------------------------------------


@dataclass
class _Chunk:
    """A parsed chunk waiting on disk, and the lines it covers."""

    path: Path
    first: int
    last: int


@dataclass
class _Claims:
    """What the first pass learnt of claims.csv."""

    chunks: list[_Chunk] = field(default_factory=list)
    header: tuple[str, ...] = ()
    has_dates: bool = False
    rows_read: int = 0


@dataclass
class _Parsed:
    """What a worker sends back of a parsed run: the chunk itself waits on disk."""

    unclosed: bool
    rows: int
    index: dict[str, pa.Table]


def _parse_run(
    header: bytes, source: str, start: int, length: int, offset: int, header_lines: int, path: str, final: bool
) -> _Parsed:
    """Parse the ``length`` bytes of ``source`` from byte ``start`` (a run of whole lines) behind the header,
    number it as lines of the file (``offset``), keep it at ``path``.

    The worker reads the run itself: sent with the task, its bytes would be pickled through a pipe. A run
    whose parse ends inside a quote, with more of the file after it, is not kept: the caller reads it again
    with the next run.
    """
    try:
        with open(source, "rb") as handle:
            handle.seek(start)
            body = handle.read(length)
    except OSError as exc:
        raise DatasetFolderError(f"{source}: cannot be read ({exc.strerror or exc})") from exc
    table = read_csv_table(CLAIMS.name, header + body)
    del body
    if _unclosed(table) and not final:
        return _Parsed(unclosed=True, rows=0, index={})
    _shift(table, offset, header_lines)
    with pa.output_stream(path, compression=SPILL_CODEC) as out:
        pickle.dump(table, out, protocol=pickle.HIGHEST_PROTOCOL)
    return _Parsed(unclosed=_unclosed(table), rows=len(table.rows) + len(table.unreadable), index=index_rows(table))


@dataclass
class _Run:
    """A run of lines of claims.csv handed to a worker (its bytes, its first line), and where its parse will be."""

    position: int
    length: int
    start: int
    lines: int
    path: Path
    final: bool
    future: Future


def _read_claims(
    path: Path,
    work: Path,
    index: _Index,
    size: int,
    progress: Progress,
    pool: Executor,
    workers: int,
    meanwhile: Callable[[], None] = lambda: None,
) -> _Claims:
    """Parse claims.csv chunk by chunk, keep each parsed chunk on disk and index its ids.

    The first run is parsed here (it holds the header); the others go to ``pool`` behind the header, a few
    at a time, and are taken back in file order. A run that ends inside a quote is read again with the run
    after it, as the whole-file reader would read on; the runs after those stay good, since they start
    where a record starts. ``meanwhile()`` is called once, when the first runs are with the pool: this
    process's own work (the other files) then overlaps theirs.
    """
    claims = _Claims()
    progress(f"reading {CLAIMS.name}", None)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise DatasetFolderError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    with handle:
        pieces = _Lines(handle, size)
        body = pieces.take()
        table = read_csv_table(CLAIMS.name, body)
        while _unclosed(table) and not pieces.done:  # the quote may close in the lines that follow
            body += pieces.take()
            table = read_csv_table(CLAIMS.name, body)
        if not table.header or any(p.message == HEADER_NOT_ON_LINE_1 for p in table.problems):
            raise NotStreamable(f"{path}: the header is not on line 1")
        header = _header_record(body)
        header_lines = line_count(header)
        claims.header = tuple(table.header)
        claims.has_dates = DATE in table.rows.columns
        lines = line_count(body)
        first = _Chunk(work / "chunk-000000.pickle.lz4", 1, max(lines, 1))
        with pa.output_stream(str(first.path), compression=SPILL_CODEC) as out:
            pickle.dump(table, out, protocol=pickle.HIGHEST_PROTOCOL)
        index.add(index_rows(table))
        claims.chunks.append(first)
        claims.rows_read = len(table.rows) + len(table.unreadable)
        progress(f"reading {CLAIMS.name}", claims.rows_read)
        start = 1 + lines
        position = len(body)
        del table, body

        runs: deque[_Run] = deque()
        numbers = itertools.count(1)
        window = max(2, workers + 1)

        def submit(position: int, length: int, start: int, lines: int, final: bool) -> _Run:
            chunk = work / f"chunk-{next(numbers):06d}.pickle.lz4"
            offset = start - 1 - header_lines
            future = pool.submit(_parse_run, header, str(path), position, length, offset, header_lines, str(chunk), final)
            return _Run(position, length, start, lines, chunk, final, future)

        def fill() -> None:
            nonlocal start, position
            while len(runs) < window and not pieces.done:
                body = pieces.take()  # read here too: where the lines end, and how many
                lines = line_count(body)
                runs.append(submit(position, len(body), start, lines, pieces.done))
                start, position = start + lines, position + len(body)

        fill()
        meanwhile()
        while runs:
            head = runs.popleft()
            parsed = head.future.result()
            if parsed.unclosed and not head.final:  # read it again with the next run
                fill()  # (queued now, if it was not: window >= 2)
                after = runs.popleft()
                _discard(after)
                final = after.final
                merged = submit(head.position, head.length + after.length, head.start, head.lines + after.lines, final)
                runs.appendleft(merged)
                continue
            index.add(parsed.index)
            claims.chunks.append(_Chunk(head.path, head.start, head.start + max(head.lines, 1) - 1))
            claims.rows_read += parsed.rows
            progress(f"reading {CLAIMS.name}", claims.rows_read)
            del head, parsed
            fill()
    return claims


def _discard(run: _Run) -> None:
    """Wait for a run's parse and drop it (it started inside a quote of the run before)."""
    try:
        run.future.result()
    except Exception:  # begun inside a quote, it may fail any way; it is read again
        pass
    run.path.unlink(missing_ok=True)


def _claim_references(tables: Mapping[str, Table]) -> set[str]:
    """Every value by which another file refers to a claim (relations.csv evidence, cell and item)."""
    values: set[str] = set()
    for spec in FILES:
        table = tables.get(spec.name)
        if spec is CLAIMS or table is None:
            continue
        for f in spec.fields:
            if CLAIM_TARGET in f.refers_to and f.name in table.rows.columns:
                for cell in table.rows[f.name].astype(str):
                    values.add(cell)
                    values.update(split_list(cell))
    return values


# --- the second pass: validate, type, write ---------------------------------------------------------------------


def _chunk_context(base: Context, duplicates: dict[str, int], hits: dict[str, str | None], has_dates: bool) -> Context:
    """The whole file's context as the rows of one chunk see it."""
    dates = base.dates
    if has_dates and hits:
        claimed = pd.Series(list(hits.values()), index=pd.Index(list(hits), dtype=object), dtype=object)
        dates = pd.concat([claimed, base.dates])
        dates = dates[~dates.index.duplicated(keep="first")]  # a claim id wins over an event id, as in the whole file
    return dataclasses.replace(base, claim_ids=frozenset(hits), dates=dates, first_lines={ID: duplicates})


def _filled(values: pd.Series) -> np.ndarray:
    """Which cells hold something, as :func:`claimscope.ingest.gaps._any_filled` decides it for a whole column."""
    if isinstance(values.dtype, pd.ArrowDtype) and pa.types.is_large_list(values.dtype.pyarrow_dtype):
        return (values.list.len().fillna(0) > 0).to_numpy(dtype=bool, na_value=False)
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.notna().to_numpy(dtype=bool)
    return values.astype(str).str.strip().ne("").to_numpy(dtype=bool, na_value=False)


class _Witnesses:
    """The first accepted claim, and the first one with a stance, an about, a responds_to, a reaction that responds.

    :func:`claimscope.ingest.gaps.gaps` only asks whether there is any such row: these few rows answer for all.
    """

    KEYS = ("row", "stance", "about", RESPONDS_TO, "reaction")

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []
        self.found: set[str] = set()
        self.empty: pd.DataFrame | None = None

    def add(self, frame: pd.DataFrame) -> None:
        if self.empty is None:
            self.empty = frame.iloc[:0]
        if frame.empty or len(self.found) == len(self.KEYS):
            return
        masks = {"row": np.ones(len(frame), dtype=bool)}
        for column in ("stance", "about", RESPONDS_TO):
            if column in frame:
                masks[column] = _filled(frame[column])
        if RESPONDS_TO in frame and "kind" in frame:
            answering = frame[RESPONDS_TO].astype(str).str.strip().ne("").to_numpy(dtype=bool, na_value=False)
            masks["reaction"] = answering & frame["kind"].astype(str).eq("reaction").to_numpy(dtype=bool, na_value=False)
        positions = set()
        for key, mask in masks.items():
            if key not in self.found and mask.any():
                self.found.add(key)
                positions.add(int(np.argmax(mask)))
        if positions:
            self.frames.append(frame.iloc[sorted(positions)])

    def frame(self) -> pd.DataFrame:
        if self.frames:
            return pd.concat(self.frames, ignore_index=True)
        return self.empty if self.empty is not None else pd.DataFrame()


class _RejectedColumns:
    """The column order of the whole file's rejected rows: the rows' columns, then ``_raw`` and ``_cell_N``.

    load_dataset builds the records set aside (``_raw`` for a record it could not parse, ``_cell_N`` for the
    surplus cells of a ragged row) as one frame whose columns come in order of first appearance, records the
    csv module failed on first, then the others in line order; the chunks' frames are put in that order.
    """

    def __init__(self) -> None:
        self.raw_first = False
        self.later: dict[str, None] = {}

    def add(self, table: Table) -> None:
        failed = {
            p.line
            for p in table.problems
            if p.column == NO_COLUMN and (p.message == UNCLOSED_QUOTE or p.message.startswith(MALFORMED_CSV))
        }
        self.raw_first = self.raw_first or bool(failed & set(table.unreadable))
        width = len(table.header)
        for line in sorted(table.unreadable):
            if line in failed:
                continue
            cells = table.unreadable[line]
            names = [f"_cell_{i}" for i in range(width + 1, len(cells) + 1)] if len(cells) > 1 else ["_raw"]
            self.later.update(dict.fromkeys(names))

    def merge(self, other: _RejectedColumns) -> None:
        """Take in what a later chunk's own instance saw (chunks are validated apart, merged in file order)."""
        self.raw_first = self.raw_first or other.raw_first
        self.later.update(other.later)

    def columns(self, rows: list[str]) -> list[str]:
        extra = (["_raw"] if self.raw_first else []) + list(self.later)
        extra = [name for name in dict.fromkeys(extra) if name not in rows]
        return [LINE_COLUMN, *rows, *extra, PROBLEMS_COLUMN]


class _RowGroups:
    """Tables handed in file order, written into one Parquet file in row groups of ``rows`` rows (the last fewer).

    A chunk holds some 40,000 to 75,000 rows: written as it comes, each would be a row group of its own, and
    DuckDB shares a file's work between its threads by row groups of its own size (122,880 rows).
    """

    def __init__(self, path: Path, rows: int) -> None:
        self.path, self.rows = path, max(1, rows)
        self.writer: pq.ParquetWriter | None = None
        self.waiting: list[pa.Table] = []
        self.count = 0

    def add(self, table: pa.Table) -> None:
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.path, table.schema)
        if table.num_rows:
            self.waiting.append(table)
            self.count += table.num_rows
        while self.count >= self.rows:
            self._write(self.rows)

    def _write(self, rows: int) -> None:
        joined = pa.concat_tables(self.waiting)
        if self.writer is not None:
            self.writer.write_table(joined.slice(0, rows), row_group_size=rows)
        rest = joined.slice(rows)
        self.waiting, self.count = ([rest] if rest.num_rows else []), rest.num_rows

    def close(self) -> None:
        if self.writer is None:
            return
        if self.count:
            self._write(self.count)
        self.writer.close()
        self.writer = None

    def abandon(self) -> None:
        """Close the file without the rows still waiting (the ingest failed; its error is the one to see)."""
        self.waiting, self.count = [], 0
        if self.writer is not None:
            with contextlib.suppress(Exception):
                self.writer.close()
            self.writer = None


@dataclass
class _Written:
    """The claims as written: rows, the report, the problems, and the witness rows of the gaps."""

    report: FileReport
    problems: list[Problem]
    witnesses: pd.DataFrame
    table: cache.WrittenTable


@dataclass
class _Validated:
    """What a worker sends back of one validated chunk: its accepted rows as Arrow, and what they add to the report."""

    problems: list[Problem]
    accepted: Path | pa.Table
    rows: int
    row_columns: list[str]
    witnesses: pd.DataFrame
    columns: _RejectedColumns
    rejected: Path | None


#: the whole file's context and actors.csv as a worker process loaded them: (path, (context, actors)); only
#: workers fill it (each runs one task at a time): in this process the context is handed over as it is
_shared: dict[str, tuple[Context, pd.DataFrame]] = {}


def _shared_context(path: str) -> tuple[Context, pd.DataFrame]:
    """The context every chunk is validated against, read once per worker from the file the ingest wrote."""
    if path not in _shared:
        _shared.clear()
        with open(path, "rb") as handle:
            _shared[path] = pickle.load(handle)  # written by _write_claims of this very ingest
    return _shared[path]


def _validate_chunk(
    chunk: _Chunk,
    shared: str | tuple[Context, pd.DataFrame],
    duplicates: dict[str, int],
    hits: dict[str, str | None],
    has_dates: bool,
    accepted: str | None,
    rejected: str,
) -> _Validated:
    """Validate one parsed chunk against the whole file's context; type its accepted rows for the Parquet.

    In a worker, ``shared`` is the file of the context and ``accepted`` where to leave the rows; in this
    process (one worker), the context itself and None: the rows are returned as they are.
    """
    base, actors = shared if isinstance(shared, tuple) else _shared_context(shared)
    with pa.input_stream(str(chunk.path), compression=SPILL_CODEC) as handle:
        table: Table = pickle.load(handle)  # written by _read_claims of this very ingest
    chunk.path.unlink()
    found = validate_table(CLAIMS, table, _chunk_context(base, duplicates, hits, has_dates))
    ordered = order_problems(table.problems + found, {})
    frame, report = _accepted(CLAIMS, table, ordered)
    frame[AUTHOR_COLUMN] = author_mask(frame, actors)
    witnesses, columns = _Witnesses(), _RejectedColumns()
    witnesses.add(frame)
    columns.add(table)
    set_aside = None
    if len(report.rejected):
        set_aside = Path(rejected)
        pq.write_table(cache.rejected_to_arrow(report.rejected), set_aside)
    return _Validated(
        problems=ordered,
        accepted=_hand_over(cache.to_arrow(CLAIMS, frame), accepted),
        rows=len(table.rows),
        row_columns=list(table.rows.columns),
        witnesses=witnesses.frame(),
        columns=columns,
        rejected=set_aside,
    )


def _hand_over(table: pa.Table, path: str | None) -> Path | pa.Table:
    """Leave a worker's typed rows in an Arrow file for the main process (returned as a result, a chunk's 80 MB
    would be pickled here and unpickled there, which kept the main process busy while the workers waited);
    with no path (this very process), the rows themselves."""
    if path is None:
        return table
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return Path(path)


def _taken_over(rows: Path | pa.Table) -> pa.Table:
    """The rows :func:`_hand_over` left: read whole from their file (not mapped: a mapped file cannot be removed
    everywhere), which is then removed."""
    if isinstance(rows, pa.Table):
        return rows
    with pa.OSFile(str(rows), "rb") as source:
        table = pa.ipc.open_file(source).read_all()
    rows.unlink()
    return table


def _write_claims(
    claims: _Claims,
    base: Context,
    index: _Index,
    actors: pd.DataFrame,
    entry: Path,
    work: Path,
    progress: Progress,
    pool: Executor,
    workers: int,
    meanwhile: Callable[[], None] | None = None,
) -> _Written:
    """Validate each chunk against the whole file's context, append its accepted rows to the claims' Parquet.

    ``meanwhile()`` is called once, when the first chunks are with the pool (the other files' validation).
    The chunks are validated by ``pool``, a few at a time; their rows are written here, in file order, into one
    file. (One Parquet part per chunk, written by the workers, took no less time here, and a view over two dozen
    files made the pages' queries a fifth slower.)
    """
    relative = f"{cache.TABLES_FOLDER}/{CLAIMS.stem}.parquet"
    (entry / cache.TABLES_FOLDER).mkdir(exist_ok=True)
    groups = _RowGroups(entry / relative, cache.ROW_GROUP_ROWS)
    shared: str | tuple[Context, pd.DataFrame] = (base, actors)
    if workers > 1:  # each worker reads it once
        shared = str(work / "context.pickle")
        with open(shared, "wb") as handle:
            pickle.dump((base, actors), handle, protocol=pickle.HIGHEST_PROTOCOL)
    problems: list[Problem] = []
    witnesses, columns = _Witnesses(), _RejectedColumns()
    rejected_parts: list[Path] = []
    rows_columns: list[str] = []
    validated = accepted = 0
    waiting: deque[Future] = deque()
    window = workers + 1
    pending = iter(enumerate(claims.chunks))
    try:
        while True:
            for number, chunk in itertools.islice(pending, window - len(waiting)):
                duplicates, hits = index.lookups(chunk.first, chunk.last)
                accepted_rows = str(work / f"accepted-{number:06d}.arrow") if workers > 1 else None
                rejected = work / f"rejected-{number:06d}.parquet"
                waiting.append(
                    pool.submit(_validate_chunk, chunk, shared, duplicates, hits, claims.has_dates, accepted_rows, str(rejected))
                )
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            if not waiting:
                break
            done: _Validated = waiting.popleft().result()
            problems.extend(done.problems)
            validated += done.rows
            progress(f"validating {CLAIMS.name}", validated)
            if not rows_columns:
                rows_columns = done.row_columns + [c for c in CLAIMS.columns if c not in done.row_columns]
            rows = _taken_over(done.accepted)
            groups.add(rows)
            accepted += rows.num_rows
            del rows
            progress(f"writing {CLAIMS.name}", accepted)
            witnesses.add(done.witnesses)
            columns.merge(done.columns)
            if done.rejected is not None:
                rejected_parts.append(done.rejected)
            del done
    except BaseException:
        groups.abandon()  # the entry is about to be removed: write nothing more, hide nothing
        raise
    finally:
        for future in waiting:
            future.cancel()
    groups.close()
    rejected = None
    if rejected_parts:
        rejected = f"{cache.REJECTED_FOLDER}/{CLAIMS.stem}.parquet"
        (entry / cache.REJECTED_FOLDER).mkdir(exist_ok=True)
        _merge_rejected(rejected_parts, columns.columns(rows_columns), entry / rejected)
    report = FileReport(
        CLAIMS.name,
        present=True,
        rows_read=claims.rows_read,
        rows_accepted=accepted,
        rejected=pd.DataFrame(columns=[LINE_COLUMN, PROBLEMS_COLUMN]),  # on disk already
        columns=claims.header,
        sheet="",
    )
    table_info = {"path": relative, "rows": accepted, "rejected": rejected}
    return _Written(report=report, problems=problems, witnesses=witnesses.frame(), table=table_info)


def _merge_rejected(parts: list[Path], columns: list[str], target: Path) -> None:
    """One Parquet file of every chunk's rejected rows, in the whole file's columns (absent cells null)."""
    schema = pa.schema([(name, pa.int64() if name == LINE_COLUMN else pa.string()) for name in columns])
    with pq.ParquetWriter(target, schema) as writer:
        for part in parts:
            table = pq.read_table(part)
            arrays = [
                table.column(name) if name in table.column_names else pa.nulls(table.num_rows, type=schema.field(name).type)
                for name in columns
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            part.unlink()


# --- the whole ingest ---------------------------------------------------------------------------------------------


def load_in_chunks(
    folder: str | Path, entry: Path, progress: Progress, size: int | None = None, workers: int | None = None
) -> tuple[Dataset, cache.WrittenTable]:
    """Load and validate ``folder`` with its claims.csv in chunks; the claims are written into ``entry`` as they go.

    Returns the dataset without its claims (``frames["claims"]`` holds the few witness rows of the gaps,
    the report of claims.csv its counts) and what was written of the claims. Raises :class:`NotStreamable`
    before anything is validated when claims.csv does not start with its header.

    A claims.csv over :data:`PARALLEL_ABOVE_BYTES` is parsed and validated by ``workers`` processes (None:
    :func:`ingest_workers`); this process reads the file, keeps the index and writes the Parquet, in file
    order, so the result is the same whatever the number.
    """
    root = Path(folder)
    work = entry / WORK_FOLDER
    work.mkdir()
    try:
        large = (root / CLAIMS.name).stat().st_size > PARALLEL_ABOVE_BYTES
    except OSError:
        large = False  # _read_claims says why the file cannot be read
    count = (workers or ingest_workers()) if large else 1
    try:
        with contextlib.ExitStack() as stack:
            index = _Index(work)
            stack.callback(index.close)
            pool = _pool(count)
            stack.callback(pool.shutdown, wait=True, cancel_futures=True)
            read: dict = {}

            def read_others() -> None:  # while the workers parse claims.csv
                files = read_folder(root, skip={CLAIMS.name})
                tables, problems = read_tables(files, progress=progress, streamed={CLAIMS.name})
                package, texts, unreadable, extra = read_package_and_texts(files)
                base = _context(tables, package, texts, unreadable, set(files) | {CLAIMS.name})
                read.update(tables=tables, problems=problems + extra, package=package, texts=texts, base=base)

            claims = _read_claims(root / CLAIMS.name, work, index, size or CHUNK_BYTES, progress, pool, count, read_others)
            index.prepare()
            tables, problems, package, texts, base = (read[k] for k in ("tables", "problems", "package", "texts", "base"))
            others = dataclasses.replace(base, claim_ids=index.claim_ids_among(_claim_references(tables)))

            def validate(specs: Iterable[FileSpec]) -> None:
                for spec in specs:
                    if spec.name in tables:
                        progress(f"validating {spec.name}", len(tables[spec.name].rows))
                        problems.extend(validate_table(spec, tables[spec.name], others))

            validate([ACTORS])  # the claims' validation needs the accepted actors (whose statements are the source's own)
            actors, _ = _accepted(ACTORS, tables.get(ACTORS.name), order_problems(problems, tables))
            rest = [spec for spec in FILES if spec not in (CLAIMS, ACTORS)]
            written = _write_claims(claims, base, index, actors, entry, work, progress, pool, count, lambda: validate(rest))
            ordered = order_problems(problems, tables)
            frames: dict[str, pd.DataFrame] = {}
            reports: dict[str, FileReport] = {}
            for spec in FILES:
                if spec is not CLAIMS:
                    frames[spec.stem], reports[spec.name] = _accepted(spec, tables.get(spec.name), ordered)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    frames = {CLAIMS.stem: written.witnesses, **frames}
    reports = {CLAIMS.name: written.report, **reports}
    dataset = Dataset(
        name=root.name or str(folder),
        frames=frames,
        package=package,
        texts=source_texts(frames["sources"], texts),
        problems=order_problems(problems + written.problems, tables),
        reports=reports,
    )
    return dataset, written.table


def ingest_in_chunks(
    folder: str | Path,
    inputs: Mapping[str, str],
    target: Path,
    progress: Progress,
    workers: int | None = None,
    chunk_bytes: int | None = None,
) -> cache.CacheEntry:
    """The cache entry of ``folder``, its claims.csv read, validated and written chunk by chunk (see the module).

    ``chunk_bytes``: about how much of claims.csv a chunk holds (None: :data:`CHUNK_BYTES`). A worker that dies
    (killed for memory, say) breaks the pool: the ingest starts again in this process alone, and says so in the log.
    """
    try:
        return _ingest_in_chunks(folder, inputs, target, progress, workers, chunk_bytes)
    except BrokenProcessPool as exc:
        log.warning("claimscope: a worker of the ingest ended (%s); ingesting %s again in one process", exc, folder)
        return _ingest_in_chunks(folder, inputs, target, progress, 1, chunk_bytes)


def _ingest_in_chunks(
    folder: str | Path, inputs: Mapping[str, str], target: Path, progress: Progress, workers: int | None, chunk_bytes: int | None
) -> cache.CacheEntry:
    temporary = cache.temporary_entry(target)
    try:
        loaded, claims = load_in_chunks(folder, temporary, progress, size=chunk_bytes, workers=workers)
        manifest = cache._write_files(loaded, inputs, temporary, progress, Path(folder).resolve(), written={CLAIMS.stem: claims})
        cache._publish(temporary, target)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise cache.CacheError(f"{target}: the cache cannot be written ({exc.strerror or exc})") from exc
    except duckdb.Error as exc:  # the index could not spill (a full disk)
        shutil.rmtree(temporary, ignore_errors=True)
        raise cache.CacheError(f"{target}: the cache cannot be written ({exc})") from exc
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return cache.CacheEntry(target, manifest, from_cache=False)


__all__ = [
    "CHUNK_BYTES",
    "PARALLEL_ABOVE_BYTES",
    "STREAM_ABOVE_BYTES",
    "NotStreamable",
    "ingest_in_chunks",
    "ingest_workers",
    "load_in_chunks",
    "streams",
]
