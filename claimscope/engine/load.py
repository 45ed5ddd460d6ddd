"""Write a validated dataset into the tables of any Ibis backend: ``python -m claimscope load DIR --into URL``.

The dataset is ingested first (:func:`claimscope.engine.cache.ingest`: the same validation and
report, and nothing parsed again when the cache is current), then each accepted table of the cache
is written to the backend named by the URL under the contract's name (``claims``, ``actors``,
``countries``, ``sources``, ``events``, ``relations``, and ``texts`` for the sources' full texts),
replacing a table of that name. Only accepted rows are written; the command prints the problems
first and exits 1 when there were any, as ``validate`` does. The Parquet files are streamed in
batches, so a large table is never held in memory whole. ``CLAIMSCOPE_ENGINE=URL`` (the page port) then serves the pages from it,
and :meth:`claimscope.engine.Engine.from_url` opens it.

List columns (``about``, ``topics``, ``aliases``, ``members``, ``countries``, ``evidence``) stay
arrays where the backend has them (DuckDB, PostgreSQL, BigQuery, Snowflake, Trino, ClickHouse...).
Backends without an array type (SQLite, MySQL, SQL Server, Oracle...) get the contract's own text
form instead: the items joined by ``;`` (already split, trimmed and non-empty, and an item never
holds ``;``), and the filter compiler (:mod:`claimscope.engine.filters`) tests membership in such a
column as ``';' || cell || ';'`` containing ``';value;'``, which selects the same rows.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from ibis.backends import BaseBackend

from claimscope.engine.cache import CacheEntry, table_names
from claimscope.ingest.dataset import Progress
from claimscope.schema import LIST_SEPARATOR

#: Ibis backends that have no array type: list columns go there as ;-joined text
NO_ARRAY_BACKENDS = frozenset({"sqlite", "mysql", "mssql", "oracle", "exasol", "druid", "impala"})
#: rows written per insert: bounds the memory a load takes, whatever the table's size
BATCH_ROWS = 100_000


def supports_arrays(backend: BaseBackend) -> bool:
    return backend.name not in NO_ARRAY_BACKENDS


def lists_as_text(batch: pa.RecordBatch | pa.Table) -> pa.Table:
    """The same rows with every list column joined by ``;`` (the contract's CSV form)."""
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    for index, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            joined = pc.binary_join(table.column(index), LIST_SEPARATOR).cast(pa.string())
            table = table.set_column(index, pa.field(field.name, pa.string()), joined)
    return table


def load_into(entry: CacheEntry, backend: BaseBackend, progress: Progress | None = None) -> dict[str, int]:
    """Write every table of the entry into ``backend`` (replacing tables of the same name); rows written per table."""
    say = progress or (lambda stage, rows: None)
    arrays = supports_arrays(backend)
    written: dict[str, int] = {}
    for name in table_names(entry):
        say(f"loading {name}", None)
        parquet = pq.ParquetFile(entry.tables[name])
        schema = parquet.schema_arrow if arrays else lists_as_text(parquet.schema_arrow.empty_table()).schema
        backend.create_table(name, schema=_ibis_schema(schema), overwrite=True)
        rows = 0
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            table = pa.Table.from_batches([batch]) if arrays else lists_as_text(batch)
            backend.insert(name, table)
            rows += table.num_rows
            say(f"loading {name}", rows)
        written[name] = rows
    return written


def _ibis_schema(schema: pa.Schema):
    import ibis

    return ibis.Schema.from_pyarrow(schema)
