"""The connection: one :class:`Engine` per dataset, shared by every session, the one place where expressions run.

An Engine holds an Ibis backend and the contract's tables in it. Pages build Ibis expressions over
``engine.table(name)`` (pure, cheap, thread-safe: expressions are immutable values) and hand them to
:meth:`Engine.execute`, which runs them with a row limit and returns pandas. Nothing else executes,
so that the bound on every result, the lock and any timing or logging live in one method.

Two ways to open one:

* :meth:`Engine.duckdb` over a cache entry (:mod:`claimscope.engine.cache`): an in-process, in-memory
  DuckDB with one read-only view per table (``read_parquet`` of the entry's files). Nothing is copied
  into memory: DuckDB scans the Parquet files per query and keeps what it needs in its buffer pool.
  The connection is then locked down: it may read files only inside the entry, never installs or
  downloads an extension (the app makes no request to any host), and its settings are frozen.
* :meth:`Engine.from_url` over any Ibis backend named by a URL (``duckdb:///file.db``,
  ``postgres://user:pass@host/db``, ``bigquery://project/dataset``, ``trino://...``) whose tables are
  already in the contract's shape, for instance written by ``python -m claimscope load DIR --into URL``.

Thread safety. Streamlit runs each session's script in its own thread, and every session shares the
one Engine (a cached resource). A DuckDB connection, like a psycopg connection, must not run two
statements at once, so :meth:`Engine.execute` holds a lock around each execution. We chose the lock
over a cursor per thread because (1) DuckDB already runs one query on every core, so running queries
one after another loses little throughput (two cores here: two concurrent queries would only share
them); (2) Streamlit starts a new thread for each script run, so per-thread cursors would be created
and dropped all the time, and each would need its own Ibis backend; (3) the lock works the same for
every backend ``from_url`` may open. The price is head-of-line blocking: a slow query delays the
others, which is why every page query is bounded (``limit``) and aggregated in the engine.

Text search. A text filter reads every folded quote, per query. The DuckDB engines this module opens keep, for
the last :data:`TEXT_MATCHES_KEPT` text queries, the line numbers of the claims each matches in a table of their
in-memory database (:meth:`Engine.text_matches`; not a temporary table, which the cursor an export streams from
would not see): one scan per query text, shared by every session, then a semi-join on an integer column for each
of the page's queries.

Derived tables. The same engines keep, once written (in the background, from a cursor of their own), tables a
query layer derives from the whole dataset and asks for often (:meth:`Engine.derived_table`: every reaction's
target, which a join of every claim to every claim by its string id would otherwise rebuild on each latency
query, joined on the integer ``_line``; and the claims that answer something, which a cascade's walk looks up level
by level); until then the pages read the claims themselves. An engine over a
cache entry keeps what it derived in the entry (:meth:`~claimscope.engine.cache.CacheEntry.kept_table`, under a
fingerprint of the SQL that derives it), and the next start reads it back instead of deriving it again while its
first pages are drawn (at ten million claims, about 3 s of both cores).

Answers kept. The same engines keep the answers of their last queries (Arrow tables and scalars, up to
:data:`RESULT_CACHE_BYTES`), keyed by the query's Ibis operation (an immutable value, equal for a query built the
same way in another run or session) and its row limit. Their tables cannot change while they are open (the
cache's Parquet, an upload's copy), so a query asked again (a rerun, another session on the same link) costs a
lookup. Engines over a URL (a warehouse a pipeline keeps writing) keep nothing. An engine over a cache entry
also keeps, in the entry, the answers of the pages' unfiltered views (what a link without filters asks:
``between_starts``), under a fingerprint of their SQL, of claimscope's code and of the versions that ran them
(:meth:`~claimscope.engine.cache.CacheEntry.kept_result`): a restart then draws its first page without asking
DuckDB to read the Parquet files cold. The queries of that first page (the Overview, its headline counts) come as a
:class:`NamedQuery`, kept under a name instead of their SQL, so that they are found without being built.

Opened when first needed. :meth:`Engine.duckdb` connects to DuckDB (the views, the lockdown) and attaches Ibis
when a query first needs the backend (:attr:`Engine.backend`). A restart whose first page reads only kept answers
builds no expression, imports neither Ibis (:mod:`claimscope.engine.lazy`), which took about 0.75 s of a restart on
two cores (``docs/scale.md``, *A restart's first page without Ibis*), nor DuckDB, and opens no connection.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa

from claimscope.engine.cache import (
    TABLE_NAMES,
    TEXTS_SCHEMA,
    TEXTS_TABLE,
    CacheEntry,
    contract_schema,
    name_stem,
    table_names,
    to_arrow,
)
from claimscope.engine.filters import TextMatches, search_words, text_predicate
from claimscope.engine.lazy import LazyModule, ibis, ir
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import SEARCH_COLUMN, Dataset
from claimscope.schema import FILES

if TYPE_CHECKING:
    import duckdb as duckdb_module
    from ibis.backends import BaseBackend

#: DuckDB, imported when a connection is first made: a restart's first page reads kept answers and needs none
duckdb = LazyModule("duckdb")

# ibis 12 reads pandas' deprecated ``future.infer_string`` option on every execution: without this,
# each query would print a Pandas4Warning in the server's log
warnings.filterwarnings("ignore", message="The 'future.infer_string' option is deprecated", category=DeprecationWarning)
# and it still calls duckdb's fetch_arrow_table, deprecated in duckdb 1.5 (removed in 2.0: requirements.txt)
warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated", category=DeprecationWarning)

log = logging.getLogger("claimscope")

#: how many text queries' matching lines a DuckDB engine keeps (each at most 8 bytes per claim)
TEXT_MATCHES_KEPT = 8
#: the bytes of answers a DuckDB engine over data that cannot change keeps (least recently used dropped first)
RESULT_CACHE_BYTES = 64 * 2**20
#: and at most this many answers (a key holds its query's expression: many tiny answers must not grow without bound)
RESULT_CACHE_ENTRIES = 4096
#: the most rows one execution brings back unless the caller says otherwise: output is bounded everywhere
DEFAULT_LIMIT = 10_000
#: rows per batch when a derived table is written out to be kept in the cache entry (bounded memory at any size)
KEPT_BATCH_ROWS = 122_880
#: the tables a page cannot do without
REQUIRED_TABLES = ("claims",)


@dataclass(frozen=True)
class NamedQuery:
    """A query of an unfiltered view, named so that its answer kept between starts is found without building it.

    ``build()`` gives the expression. Under ``between_starts`` (:meth:`Engine.to_arrow`, :meth:`Engine.execute`) the
    answer is kept and found under ``name`` (and the row limit, claimscope's code and the versions: see
    :func:`_named_fingerprint`), not under its SQL, so a restart's first page reads it back without building it:
    building needs Ibis, whose import is most of what that page would otherwise wait for
    (:mod:`claimscope.engine.lazy`). A name must say everything the expression depends on besides the dataset:
    give one to a query only where its scope is unfiltered (:attr:`claimscope.queries.scope.Scope.between_starts`),
    or to one that no filter changes (over every claim: :func:`claimscope.queries.cascade.dataset_query`), and put
    its arguments in the name (``overview.active:10``).
    """

    name: str
    build: Callable[[], ir.Expr]


class EngineError(Exception):
    """The engine cannot be opened (an unknown URL scheme, a server that does not answer, a missing table)."""


class Engine:
    """An Ibis backend and the contract's tables in it; :meth:`execute` is the only way a query runs."""

    #: whether :meth:`text_matches` keeps a text query's matching lines (the DuckDB engines built here)
    keeps_text_matches: bool = False
    #: whether answers are kept by their SQL (the engines built here, whose tables cannot change while open)
    keeps_results: bool = False

    def __init__(
        self,
        backend: BaseBackend | None,
        tables: Mapping[str, str],
        description: str,
        opener: Callable[[], BaseBackend] | None = None,
    ) -> None:
        """``tables`` maps the contract's table names to the backend's (the same, unless a caller says otherwise).

        Without a ``backend``, ``opener()`` makes it when a query first needs it (:attr:`backend`): a restart's
        first page reads kept answers and never connects (:mod:`claimscope.engine.lazy`).
        """
        missing = [name for name in REQUIRED_TABLES if name not in tables]
        if missing:
            raise EngineError(f"{description}: no table {', '.join(missing)}")
        if backend is None and opener is None:
            raise ValueError("an Engine needs a backend or an opener")
        self._backend = backend
        self._opener = opener
        self._table_map = dict(tables)
        # the backend and the tables' expressions are made once, by whichever thread asks first
        self._open_lock = threading.RLock()
        self.description = description
        self._lock = threading.Lock()
        # the text queries whose matching lines are kept (words -> temporary table), oldest first; only the
        # engines this module builds over DuckDB keep them, where _line is the loader's unique line number
        self._text_tables: OrderedDict[tuple[str, ...], str] = OrderedDict()
        # derived tables (name -> the table, an Event while it is written, False when it could not be), see
        # derived_table
        self._derived: dict[str, ir.Table | threading.Event | bool] = {}
        self._derived_lock = threading.Lock()
        # the threads that write them (and keep them in the cache entry): close() waits for them
        self._writers: list[threading.Thread] = []
        # kept answers: (SQL, limit) -> (answer, bytes), least recently used first; their own lock, so that a
        # kept answer never waits behind a running query
        self._results: OrderedDict[tuple[Any, int | None], tuple[Any, int]] = OrderedDict()
        self._results_bytes = 0
        self._results_lock = threading.Lock()
        # set by close(): the backend is not opened after it, and a deferred task (defer) does not run
        self._closed = False
        self._deferred: threading.Timer | None = None
        # the tables are looked up once (a round trip each on a server); expressions then build without I/O
        self._table_exprs: dict[str, ir.Table] | None = None
        if backend is not None:
            self._table_exprs = self._look_up_tables()
        # the cache entry the tables are read from (Engine.duckdb), where answers may be kept between starts
        self.entry: CacheEntry | None = None

    @property
    def backend(self) -> BaseBackend:
        """The Ibis backend, opened by the first query that needs it on an engine made with an ``opener``."""
        backend = self._backend
        if backend is None:
            with self._open_lock:
                if self._backend is None:
                    if self._closed:
                        raise EngineError(f"{self.description}: the engine is closed")
                    self._backend = self._opener()
                backend = self._backend
        return backend

    def defer(self, seconds: float, task: Callable[[], None]) -> bool:
        """Run ``task()`` in a thread of its own after ``seconds``, unless the engine is closed by then; one deferred
        task at a time (False, and nothing started, while one waits or after :meth:`close`)."""
        with self._open_lock:
            if self._closed or (self._deferred is not None and self._deferred.is_alive()):
                return False

            def run() -> None:
                if not self._closed:
                    task()

            timer = self._deferred = threading.Timer(seconds, run)
            timer.daemon = True
            timer.name = "claimscope-deferred"
            timer.start()
            return True

    @property
    def is_open(self) -> bool:
        """Whether the Ibis backend exists yet (:meth:`backend`): False until a query needs it."""
        return self._backend is not None

    @property
    def _tables(self) -> dict[str, ir.Table]:
        tables = self._table_exprs
        if tables is None:
            with self._open_lock:
                if self._table_exprs is None:
                    self._table_exprs = self._look_up_tables()
                tables = self._table_exprs
        return tables

    def _look_up_tables(self) -> dict[str, ir.Table]:
        return {name: self.backend.table(real) for name, real in self._table_map.items()}

    # --- opening ----------------------------------------------------------------------------------

    @classmethod
    def duckdb(cls, entry: CacheEntry, threads: int | None = None, memory_limit: str | None = None) -> Engine:
        """An in-memory DuckDB with read-only views over the entry's Parquet files.

        ``threads`` and ``memory_limit`` (e.g. ``"1GB"``) bound what DuckDB may use; by default it takes
        every core and up to 80 % of the memory, spilling to disk beyond that.
        """
        names = table_names(entry)
        paths = {name: str(entry.tables[name].resolve()) for name in names}
        allowed = str(entry.path.resolve()) + "/"

        def opener() -> BaseBackend:
            connection = duckdb.connect(":memory:", config=_duckdb_config(threads, memory_limit))
            try:
                for name, path in paths.items():  # the contract's own table names (TABLE_NAMES): plain identifiers
                    connection.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet({_sql_string(path)})')
                connection.execute(f"SET allowed_directories = [{_sql_string(allowed)}]")
                connection.execute("SET enable_external_access = false")
                # Ibis sets the session's time zone as it attaches; the configuration is locked after that, before any
                # query of the pages runs (nothing but the statements above has run on this connection)
                backend = ibis.duckdb.from_connection(connection)
                backend.raw_sql("SET lock_configuration = true")
            except BaseException:  # a file gone from the entry, say: no connection left open, the next query tries again
                connection.close()
                raise
            return backend

        engine = cls(None, {name: name for name in names}, f"duckdb over {entry.path}", opener=opener)
        engine.keeps_text_matches = engine.keeps_results = True
        engine.entry = entry
        return engine

    @classmethod
    def from_dataset(cls, loaded: Dataset, threads: int | None = None, memory_limit: str | None = None) -> Engine:
        """A private in-memory DuckDB holding a dataset already loaded in this process (an analyst's upload).

        The frames are copied into DuckDB's own storage, typed as in the cache (:func:`to_arrow`), so that
        the pages run the same expressions on an upload as on the curated data; the caller may then drop
        the frames. No file is read, and the connection is locked down as :meth:`duckdb`'s is.
        """
        backend = _duckdb(threads, memory_limit)
        for spec in FILES:
            backend.create_table(spec.stem, to_arrow(spec, loaded.frames[spec.stem]))
        texts = pa.table({"source_id": list(loaded.texts), "text": list(loaded.texts.values())}, schema=TEXTS_SCHEMA)
        backend.create_table(TEXTS_TABLE, texts)
        backend.raw_sql("SET enable_external_access = false")
        backend.raw_sql("SET lock_configuration = true")
        names = [*(spec.stem for spec in FILES), TEXTS_TABLE]
        engine = cls(backend, {name: name for name in names}, f"duckdb in memory ({loaded.name})")
        engine.keeps_text_matches = engine.keeps_results = True
        return engine

    @classmethod
    def from_url(cls, url: str) -> Engine:
        """Any Ibis backend by URL, over tables already in the contract's shape (named as its files)."""
        try:
            backend = ibis.connect(url)
            present = set(backend.list_tables())
        except Exception as exc:  # a driver's own errors: connection refused, bad password, unknown scheme
            raise EngineError(f"{redact(url)}: cannot connect ({type(exc).__name__}: {exc})") from exc
        engine = cls(backend, {name: name for name in TABLE_NAMES if name in present}, redact(url))
        problems = engine.contract_problems()
        if problems:
            engine.close()
            raise EngineError(f"{redact(url)}: not in the contract's shape: {'; '.join(problems)}")
        return engine

    def contract_problems(self) -> list[str]:
        """Contract columns a table lacks (the loader's derived ones included: ``_search``, ``date_start``...).

        The filter compiler skips a parameter whose column is missing, as the pandas reference does; on
        tables a pipeline wrote, that would silently ignore a filter, so such tables are refused up front.
        """
        problems = []
        for spec in FILES:
            if spec.stem not in self._tables:
                continue
            have = set(self._tables[spec.stem].columns)
            missing = [name for name in contract_schema(spec).names if name not in have and name not in spec.extension_fields]
            if missing:
                problems.append(f"{spec.stem} lacks {', '.join(missing)}")
        return problems

    def close(self) -> None:
        """Close the backend's connection (the engine cannot be used afterwards), once any derived table being
        written or kept in the cache entry is done (its cursor is a connection to the same database)."""
        with self._open_lock:
            self._closed = True
            if self._deferred is not None:
                self._deferred.cancel()
        with self._derived_lock:
            writers = list(self._writers)
        for writer in writers:  # a derived table being written, or being kept in the cache entry
            writer.join(timeout=600)
        with self._lock, self._open_lock:
            if self._backend is None:  # never opened: nothing to close
                return
            disconnect = getattr(self._backend, "disconnect", None)
            if disconnect is not None:
                disconnect()

    # --- tables and execution -----------------------------------------------------------------------

    @property
    def table_names(self) -> list[str]:
        return list(self._table_map)

    def has_table(self, name: str) -> bool:
        return name in self._table_map

    def table(self, name: str) -> ir.Table:
        """One of the contract's tables, to build expressions on."""
        try:
            return self._tables[name]
        except KeyError:
            raise EngineError(f"{self.description}: no table {name}") from None

    @property
    def claims(self) -> ir.Table:
        return self.table("claims")

    def execute(self, expr: ir.Expr | NamedQuery, limit: int | None = DEFAULT_LIMIT, between_starts: bool = False) -> Any:
        """Run one expression: a table gives a DataFrame of at most ``limit`` rows, a column a Series, a scalar a value.

        ``limit=None`` asks for every row: only for results already known to be small (an aggregate
        over a closed list, the rows of one claim). Ask for one row more than you show to know whether
        a list is truncated. ``between_starts`` keeps a scalar answer in the cache entry for the next start
        (a count of an unfiltered view; see :meth:`to_arrow`). A :class:`NamedQuery` here must be of a scalar (a
        table's goes to :meth:`to_arrow`).
        """
        if isinstance(expr, NamedQuery):
            if between_starts and self.keeps_results:
                return self._named_answer(expr, "scalar", None, self._scalar_of)
            expr = expr.build()
        if isinstance(expr, ir.Scalar):
            key = self._result_key(expr, None)
            found = self._kept(key)
            if found is not None:
                return found[0]
            stored = self._stored_key(expr, None) if between_starts else None
            kept = self.entry.kept_result(stored) if stored is not None else None
            if kept is not None and kept.num_rows == 1 and kept.column_names == [SCALAR_COLUMN]:
                value = kept.column(0)[0].as_py()
            else:
                with self._lock:
                    value = self.backend.execute(expr)
                if stored is not None:
                    self._keep_in_entry(stored, value)
            self._keep(key, value, 64)
            return value
        with self._lock:  # a frame may be changed by its caller: never kept
            return self.backend.execute(expr, limit=limit)

    def to_arrow(self, expr: ir.Table | NamedQuery, limit: int | None = DEFAULT_LIMIT, between_starts: bool = False) -> pa.Table:
        """:meth:`execute` for a table expression, as Arrow (no object column on the way: lists stay lists).

        ``between_starts`` also keeps the answer in the cache entry, for the next start of a server over it
        (engines over an entry only: their tables are the entry's and cannot change under the same inputs). The
        pages ask it for their unfiltered views, the ones a restart's first links open; an answer is then read back
        under a fingerprint of its SQL, the code and the versions (:func:`_answer_fingerprint`) instead of run; a
        :class:`NamedQuery`'s under its name.
        """
        if isinstance(expr, NamedQuery):
            if between_starts and self.keeps_results:
                return self._named_answer(expr, "table", limit, lambda built: self.to_arrow(built, limit=limit))
            expr = expr.build()
        key = self._result_key(expr, limit)
        found = self._kept(key)
        if found is not None:
            return found[0]
        stored = self._stored_key(expr, limit) if between_starts else None
        table = self.entry.kept_result(stored) if stored is not None else None
        if table is None:
            with self._lock:
                table = self.backend.to_pyarrow(expr, limit=limit)
            if stored is not None:
                self.entry.keep_result(stored, table)
        self._keep(key, table, table.nbytes)
        return table

    def _scalar_of(self, built: ir.Expr) -> Any:
        if not isinstance(built, ir.Scalar):
            raise TypeError("Engine.execute takes a NamedQuery of a scalar; a table's goes to Engine.to_arrow")
        return self.execute(built)

    def _named_answer(self, query: NamedQuery, kind: str, limit: int | None, run: Callable[[ir.Expr], Any]) -> Any:
        """A :class:`NamedQuery`'s answer (``kind``: a ``table`` or a ``scalar``) kept under its name: in memory, then
        in the cache entry, else ``run`` on the built expression and kept in both."""
        key = ("named", kind, query.name, limit)
        found = self._kept(key)
        if found is not None:
            return found[0]
        stored = _named_fingerprint(kind, query.name, limit) if self.entry is not None else None
        kept = self.entry.kept_result(stored) if stored is not None else None
        if kept is not None and kind == "scalar":
            kept = kept if kept.num_rows == 1 and kept.column_names == [SCALAR_COLUMN] else None
        if kept is not None:
            answer = kept.column(0)[0].as_py() if kind == "scalar" else kept
        else:
            answer = run(query.build())
            if stored is not None:
                self._keep_in_entry(stored, answer)
        self._keep(key, answer, answer.nbytes if isinstance(answer, pa.Table) else 64)
        return answer

    def _keep_in_entry(self, stored: str, answer: Any) -> None:
        """Keep an answer in the cache entry under ``stored``: a table as it is, a plain scalar as a one-cell table
        (:data:`SCALAR_COLUMN`); another scalar is kept nowhere (asked again at the next start)."""
        if isinstance(answer, pa.Table):
            self.entry.keep_result(stored, answer)
        elif _is_plain(answer):
            try:
                self.entry.keep_result(stored, pa.table({SCALAR_COLUMN: [answer]}))
            except (pa.ArrowException, OverflowError) as exc:
                log.debug("claimscope: a scalar answer was not kept (%s: %s)", type(exc).__name__, exc)

    def _stored_key(self, expr: ir.Expr, limit: int | None) -> str | None:
        """The key an answer is kept under in the cache entry (None for engines that keep none there)."""
        if self.entry is None or not self.keeps_results:
            return None
        try:
            sql = str(self.backend.compile(expr, limit=limit))
        except Exception as exc:  # an expression this backend cannot compile fails as it would have anyway, below
            log.debug("claimscope: no key for a kept answer (%s: %s)", type(exc).__name__, exc)
            return None
        return _answer_fingerprint(sql)

    def _result_key(self, expr: ir.Expr, limit: int | None) -> tuple[Any, int | None] | None:
        # an expression's operation is an immutable value, hashed once when built and equal to any operation built
        # the same way (another run, another session), which is what makes it a key without compiling it
        return (expr.op(), limit) if self.keeps_results else None

    def _kept(self, key: tuple[Any, int | None] | None) -> tuple[Any, int] | None:
        if key is None:
            return None
        with self._results_lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
            return found

    def _keep(self, key: tuple[Any, int | None] | None, answer: Any, size: int) -> None:
        """Keep an answer (an immutable Arrow table or a scalar) unless it alone is over a quarter of the budget."""
        if key is None or size > RESULT_CACHE_BYTES // 4:
            return
        with self._results_lock:
            if key in self._results:
                return
            self._results[key] = (answer, size)
            self._results_bytes += size
            while self._results_bytes > RESULT_CACHE_BYTES or len(self._results) > RESULT_CACHE_ENTRIES:
                _, (_, dropped) = self._results.popitem(last=False)
                self._results_bytes -= dropped

    def text_matches(self, query: str | None) -> TextMatches | None:
        """The claims a text query matches, as line numbers kept in a table; None where not kept.

        The first call for a query's words scans ``_search`` once (``CREATE TABLE ... AS``); later
        calls, from any session, return the kept table. Past :data:`TEXT_MATCHES_KEPT` queries the oldest
        is dropped. Engines over other backends (or without ``_line``) return None: the filter then tests
        the text itself.
        """
        claims = self._tables.get("claims")
        if not query or not self.keeps_text_matches or claims is None or LINE_COLUMN not in claims.columns:
            return None
        words = search_words(query)
        if not words:
            return None
        with self._lock:
            name = self._text_tables.get(words)
            if name is None:
                name = "claimscope_text_" + hashlib.sha256("\x1f".join(words).encode("utf-8")).hexdigest()[:20]
                lines = claims.filter(text_predicate(claims, [SEARCH_COLUMN], query)).select(LINE_COLUMN)
                sql = ibis.to_sql(lines, dialect="duckdb")
                self.backend.raw_sql(f'CREATE OR REPLACE TABLE "{name}" AS {sql}')
                self._text_tables[words] = name
                while len(self._text_tables) > TEXT_MATCHES_KEPT:
                    _, oldest = self._text_tables.popitem(last=False)
                    self.backend.raw_sql(f'DROP TABLE IF EXISTS "{oldest}"')
            else:
                self._text_tables.move_to_end(words)
            table = self.backend.table(name)
        return TextMatches(words, table)

    def derived_table(self, name: str, build: Callable[[], ir.Table], wait: bool = False) -> ir.Table | None:
        """A table derived from the dataset (``build()``'s expression), written once into the engine's in-memory
        database and shared by every session, or None while it is not there: the caller then runs the expression
        itself, which gives the same rows.

        The first call starts writing it in a thread of its own, on a cursor of its own (a second connection
        to the same database, which DuckDB runs beside the pages' queries), so that no page waits for it: at ten
        million claims it takes seconds. ``wait`` waits for it instead (tests). Engines that do not keep
        tables (over a URL, whose tables may change) always return None; so does a table that could not be
        written (the reason is logged). An engine over a cache entry reads the table back from the entry when a
        start before it kept it there (:meth:`~claimscope.engine.cache.CacheEntry.kept_table`), and keeps what it
        derived itself once the pages can use it.
        """
        if not self.keeps_text_matches:
            return None
        with self._derived_lock:
            state = self._derived.get(name)
            if state is None:
                state = self._derived[name] = threading.Event()
                writer = threading.Thread(target=self._write_derived, args=(name, build, state), daemon=True)
                self._writers.append(writer)
                writer.start()
        if isinstance(state, threading.Event):
            if not wait:
                return None
            state.wait()
            state = self._derived.get(name)
        return None if state is False or isinstance(state, threading.Event) else state

    def _write_derived(self, name: str, build: Callable[[], ir.Table], done: threading.Event) -> None:
        real = "claimscope_derived_" + name_stem(name)
        table: ir.Table | bool = False
        cursor = None
        keep = None
        try:
            sql = ibis.to_sql(build(), dialect="duckdb")
            # kept in the cache entry by the start that first derived it, under a fingerprint of its SQL and of the
            # code and engine that ran it: the next start reads it back instead
            kept = self.entry.kept_table(name, _fingerprint(sql)) if self.entry is not None else None
            with self._lock:  # the connection is not used by two threads at once (see record_batches)
                cursor = self.backend.con.cursor()
            if not (kept is not None and kept.is_file() and _read_kept(cursor, real, kept)):
                cursor.execute(f'CREATE OR REPLACE TABLE "{real}" AS {sql}')
                keep = kept
            with self._lock:
                table = self.backend.table(real)
        except Exception as exc:  # a closed engine, a full memory: the pages keep joining by themselves
            log.warning("claimscope: the derived table %s could not be written (%s: %s)", name, type(exc).__name__, exc)
        finally:
            with self._derived_lock:
                self._derived[name] = table
            done.set()  # the pages join on it from now on; keeping it for the next start comes after
        try:
            if keep is not None and table is not False:
                rows = cursor.execute(f'SELECT * FROM "{real}"').to_arrow_reader(KEPT_BATCH_ROWS)
                if not self.entry.keep_table(keep, rows):
                    log.info("claimscope: the derived table %s could not be kept in %s", name, self.entry.path)
        except Exception as exc:  # a closed engine: the next start derives it again
            log.info("claimscope: the derived table %s could not be kept (%s: %s)", name, type(exc).__name__, exc)
        finally:
            if cursor is not None:
                cursor.close()

    def record_batches(self, expr: ir.Table, chunk_size: int) -> Iterator[pa.RecordBatch]:
        """The rows of ``expr`` as Arrow batches of at most ``chunk_size`` rows, read as the caller consumes them.

        A backend streams a result from the connection it ran on, and an export of a million claims takes
        seconds to format: holding the lock that long would stall every other session's page. On DuckDB the
        rows therefore stream from a cursor of their own (a second connection to the same database, which
        DuckDB runs concurrently); the lock is held only to open it. Elsewhere (PostgreSQL, a warehouse) the
        lock is held until the last batch is read. Either way, close the generator when stopping early.
        """
        if self.backend.name == "duckdb":
            sql = self.backend.compile(expr)
            with self._lock:  # the connection is not used by two threads at once
                cursor = self.backend.con.cursor()
            try:
                yield from cursor.execute(sql).to_arrow_reader(chunk_size)
            finally:
                cursor.close()
            return
        with self._lock:
            reader = self.backend.to_pyarrow_batches(expr, chunk_size=chunk_size)
            try:
                yield from reader
            finally:
                reader.close()

    def to_sql(self, expr: ir.Expr) -> str:
        """The SQL an expression runs as on this engine (to show the query behind a page, and in tests)."""
        return str(ibis.to_sql(expr, dialect=self.backend.name))

    def count(self, expr: ir.Table | NamedQuery, between_starts: bool = False) -> int:
        """The rows of a table expression (a shorthand the pages use for their headline numbers)."""
        if isinstance(expr, NamedQuery):
            table = expr
            counted = NamedQuery(table.name, lambda: table.build().count())  # a scalar: kept apart from the table
            return int(self.execute(counted, between_starts=between_starts))
        return int(self.execute(expr.count(), between_starts=between_starts))

    def to_frame(self, expr: ir.Table, limit: int | None = DEFAULT_LIMIT) -> pd.DataFrame:
        """:meth:`execute` for a table expression, typed as a DataFrame."""
        return self.execute(expr, limit=limit)


#: this module's code: how the entry's tables are exposed (the views a derived table's SQL names) is part of what
#: a kept derived table was made by
_ENGINE_CODE = Path(__file__).read_bytes()


def _fingerprint(sql: str) -> str:
    """What a derived table kept in a cache entry was made by: its SQL, the engine's code (the views it reads) and
    the DuckDB that ran it."""
    return hashlib.sha256(sql.encode() + b"\0" + _ENGINE_CODE + b"\0" + version("duckdb").encode()).hexdigest()[:16]


#: the column a scalar answer is kept in (:meth:`Engine.execute`)
SCALAR_COLUMN = "value"


def _code_fingerprint() -> bytes:
    """claimscope's code: an answer kept between starts was made by the expressions, the derived tables they join
    and the conversions of this code, so that any change to it asks again."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


_CLAIMSCOPE_CODE = _code_fingerprint()


@cache
def _versions() -> bytes:
    """The DuckDB, Ibis, sqlglot (which writes Ibis's SQL) and Arrow that run and type the answers (from their
    package metadata: neither DuckDB nor Ibis is imported for it)."""
    return f"{version('duckdb')}\0{version('ibis-framework')}\0{version('sqlglot')}\0{pa.__version__}".encode()


def _answer_fingerprint(sql: str) -> str:
    """What an answer kept between starts was made by: its SQL (limit included), claimscope's code, and the versions
    that ran and typed it (:func:`_versions`)."""
    return hashlib.sha256(sql.encode() + b"\0" + _CLAIMSCOPE_CODE + b"\0" + _versions()).hexdigest()


def _named_fingerprint(kind: str, name: str, limit: int | None) -> str:
    """What a :class:`NamedQuery`'s kept answer was made by: its kind (a table or a scalar), name and row limit in
    place of its SQL, which claimscope's code and the versions (both in :func:`_answer_fingerprint`) determine."""
    return _answer_fingerprint(f"-- named query\0{kind}\0{name}\0{limit}")


def _is_plain(value: object) -> bool:
    """A scalar answer Arrow keeps as it is (a count, a number, a string): others are not kept between starts."""
    return value is None or isinstance(value, (bool, int, float, str, np.integer, np.floating, np.bool_))


def _read_kept(cursor: duckdb_module.DuckDBPyConnection, real: str, kept: Path) -> bool:
    """Load a kept derived table into the in-memory database (as fast to join as one just derived); False when the
    file cannot be read (a partial copy, a disk error: it is derived again and kept anew)."""
    path = _sql_string(str(kept.resolve()))
    try:
        cursor.execute(f'CREATE OR REPLACE TABLE "{real}" AS SELECT * FROM read_parquet({path})')
    except duckdb.Error as exc:
        log.warning("claimscope: the kept table %s cannot be read (%s); deriving it again", kept, exc)
        return False
    return True


def _duckdb_config(threads: int | None, memory_limit: str | None) -> dict[str, Any]:
    """An in-memory DuckDB's settings: it never installs or loads an extension by itself (no request to any host)."""
    config: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    return config


def _duckdb(threads: int | None, memory_limit: str | None) -> BaseBackend:
    """An in-memory DuckDB through Ibis, with :func:`_duckdb_config`'s settings."""
    return ibis.duckdb.connect(**_duckdb_config(threads, memory_limit))


def _sql_string(text: str) -> str:
    """``text`` as a SQL string literal, quoted by DuckDB itself (a path may hold a quote)."""
    return str(duckdb.ConstantExpression(text))


def redact(url: str) -> str:
    """A connection URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
