"""What the app serves: a dataset's small tables in pandas and its engine, opened from a folder or a URL.

The server never holds every claim in pandas: :func:`open_folder` ingests the folder into the Parquet
cache (or finds it current: a restart parses and validates nothing) and opens DuckDB over it;
:func:`open_url` opens any Ibis backend whose tables are in the contract's shape
(``CLAIMSCOPE_ENGINE=URL``). Either gives a :class:`~claimscope.ingest.dataset.Dataset` with the small tables
(actors, countries, sources, events, relations, texts), the report and the gaps, whose claims are read
only if something asks for them, and the :class:`~claimscope.engine.connection.Engine` the page
queries run on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from claimscope.engine.cache import TEXTS_TABLE, CacheError, from_arrow, ingest
from claimscope.engine.connection import Engine
from claimscope.ingest.dataset import Dataset, DatasetFolderError, FileReport, Progress, load_dataset, load_folder
from claimscope.ingest.gaps import gaps
from claimscope.schema import CLAIMS, FILES

log = logging.getLogger("claimscope")

#: DuckDB's memory limit for the shared engine (spills to disk beyond it): the server's peak stays bounded
ENV_ENGINE_MEMORY = "CLAIMSCOPE_ENGINE_MEMORY"
DEFAULT_ENGINE_MEMORY = "1GB"
#: a connection URL (``postgres://…``, ``duckdb:///file.db``, ``bigquery://…``) to serve instead of a folder
ENV_ENGINE_URL = "CLAIMSCOPE_ENGINE"
#: an upload's claims.csv is read in chunks of about this size, a quarter of a folder's: the ingest runs in the
#: server's own process beside every session, where a 199 MB upload then peaks some 200 MB lower (a folder's
#: ingest keeps the larger chunks: at 1M, 8 MB chunks cost it 3 to 4 s); docs/scale.md has the measurement
UPLOAD_CHUNK_BYTES = 8 * 2**20
#: how many uploads this process reads at once (read when the module is imported); the others wait their turn,
#: and their status says so. The reading, some 360 MB at the size limit, is then paid once however many sessions
#: upload together (Community Cloud gives 2.7 GB in all)
UPLOADS_READ_AT_ONCE = 1
_upload_readers = threading.BoundedSemaphore(UPLOADS_READ_AT_ONCE)
#: a waiting upload says so again this often: its status shows the time waited, and a session that has moved on
#: can stop its script (Streamlit stops a run at its next message)
WAIT_REPORT_SECONDS = 5.0
#: the stage an upload's progress hears while another session's upload is being read
WAITING_STAGE = "waiting for another session's upload to be read"


def engine_memory() -> str:
    return os.environ.get(ENV_ENGINE_MEMORY) or DEFAULT_ENGINE_MEMORY


def open_folder(folder: str | os.PathLike, progress: Progress | None = None) -> tuple[Dataset, Engine]:
    """The folder's cache entry (written first if needed) as a Dataset and a DuckDB engine over its Parquet.

    When the cache cannot be written (a read-only home, a full disk), the folder is loaded into memory
    instead and served from an in-memory DuckDB: slower and larger, but the same pages; the reason is logged.
    Raises :class:`DatasetFolderError` when the folder cannot be read.
    """
    try:
        entry = ingest(folder, progress=progress)
    except CacheError as exc:
        log.warning("claimscope: %s; serving %s from memory instead", exc, folder)
        loaded = load_folder(folder, progress=progress)
        return loaded, Engine.from_dataset(loaded, memory_limit=engine_memory())
    return entry.dataset(), Engine.duckdb(entry, memory_limit=engine_memory())


def serve_loaded(loaded: Dataset, threads: int | None = 1) -> Engine:
    """An in-memory DuckDB for a dataset loaded in this process (an analyst's upload), which then lets go of
    its claims frame: the claims live once, in DuckDB's columnar storage, and the pages query them there.

    The gaps are computed first (they need every claim once); ``dataset.claims`` still works afterwards
    and reads the claims back from the engine.
    """
    engine = Engine.from_dataset(loaded, threads=threads, memory_limit=engine_memory())
    loaded.known_gaps = loaded.gaps
    loaded.frames.pop("claims", None)
    loaded.claims_source = lambda: from_arrow(engine.to_arrow(engine.claims, limit=None), CLAIMS)
    return engine


def open_upload(
    files: Mapping[str, bytes], max_file_bytes: int | None = None, progress: Progress | None = None
) -> tuple[Dataset, Engine]:
    """An upload through the same ingest as a folder, served by a DuckDB of its own (one per session).

    The files are written to a private temporary folder and ingested into a cache beside them
    (:func:`claimscope.engine.cache.ingest`: the same report, and a large claims.csv read and validated in
    chunks, in bounded memory); the engine reads that Parquet, so the upload's claims never sit in the
    server's memory whole. The folder is removed when the engine is closed or let go of.

    A file over ``max_file_bytes``, a path that would leave the folder, or a cache that cannot be written
    takes the in-memory way instead (:func:`load_dataset`, which reports the file too large). Uploads of several
    sessions are read one after another (:data:`UPLOADS_READ_AT_ONCE`).
    """
    if max_file_bytes is not None and any(len(data) > max_file_bytes for data in files.values()):
        return _in_memory(files, max_file_bytes, progress)  # that file is reported, not read: no turn to wait for
    with _upload_turn(progress):
        return _open_upload(files, max_file_bytes, progress)


@contextlib.contextmanager
def _upload_turn(progress: Progress | None) -> Iterator[None]:
    """This upload's turn to be read (:data:`UPLOADS_READ_AT_ONCE`): at once if it is free, else after a wait that
    it reports every :data:`WAIT_REPORT_SECONDS`."""
    if not _upload_readers.acquire(blocking=False):
        while True:
            if progress is not None:
                progress(WAITING_STAGE, None)
            if _upload_readers.acquire(timeout=WAIT_REPORT_SECONDS):
                break
    try:
        yield
    finally:
        _upload_readers.release()


def _in_memory(files: Mapping[str, bytes], max_file_bytes: int | None, progress: Progress | None) -> tuple[Dataset, Engine]:
    loaded = load_dataset(files, name="upload", max_file_bytes=max_file_bytes, progress=progress)
    return loaded, serve_loaded(loaded)


def _open_upload(files: Mapping[str, bytes], max_file_bytes: int | None, progress: Progress | None) -> tuple[Dataset, Engine]:
    if any(not _safe_relative(name) for name in files):
        return _in_memory(files, max_file_bytes, progress)
    root = Path(tempfile.mkdtemp(prefix="claimscope-upload-"))
    try:
        folder = root / "upload"
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        # in this process: an upload is one session's, and three at once must not start processes of their own
        entry = ingest(folder, cache_dir=root / "cache", progress=progress, workers=1, chunk_bytes=UPLOAD_CHUNK_BYTES)
        engine = Engine.duckdb(entry, threads=1, memory_limit=engine_memory())
    except CacheError as exc:
        shutil.rmtree(root, ignore_errors=True)
        log.warning("claimscope: %s; the upload is served from memory instead", exc)
        return _in_memory(files, max_file_bytes, progress)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    weakref.finalize(engine, shutil.rmtree, root, True)
    return entry.dataset(), engine


def _safe_relative(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return bool(name) and not path.is_absolute() and ".." not in path.parts and ":" not in name


def open_url(url: str) -> tuple[Dataset, Engine]:
    """A backend named by a URL as a Dataset (its small tables read once) and its engine.

    The tables were validated when they were written (``python -m claimscope load``) or are kept in the
    contract's shape by the analyst's pipeline (``python -m claimscope check URL`` checks them in
    place); their report lists each table's rows, and no line numbers: there is no file.
    """
    engine = Engine.from_url(url)
    frames = {}
    reports = {}
    for spec in FILES:
        if spec is CLAIMS:
            rows = engine.count(engine.claims)
            columns = tuple(c for c in engine.claims.columns if not c.startswith("_"))
        elif engine.has_table(spec.stem):
            frames[spec.stem] = from_arrow(engine.to_arrow(engine.table(spec.stem), limit=None), spec)
            rows = len(frames[spec.stem])
            columns = tuple(c for c in frames[spec.stem].columns if not c.startswith("_"))
        else:
            frames[spec.stem] = from_arrow(_empty(spec), spec)
            rows, columns = 0, ()
        present = spec is CLAIMS or engine.has_table(spec.stem)
        reports[spec.name] = FileReport(spec.name, present=present, rows_read=rows, rows_accepted=rows, columns=columns)
    texts = {}
    if engine.has_table(TEXTS_TABLE):
        table = engine.to_arrow(engine.table(TEXTS_TABLE), limit=None)
        texts = dict(zip(table.column("source_id").to_pylist(), table.column("text").to_pylist(), strict=True))
    dataset = Dataset(
        name=engine.description,
        frames=frames,
        package={},
        texts=texts,
        problems=[],
        reports=reports,
        claims_source=lambda: from_arrow(engine.to_arrow(engine.claims, limit=None), CLAIMS),
    )
    dataset.known_gaps = gaps(Dataset(**{**vars(dataset), "frames": {**frames, "claims": witness_rows(engine)}}))
    return dataset, engine


def witness_rows(engine: Engine):
    """At most three claims that show what the dataset has: one with a stance, one about a country, one
    reaction that answers something. :func:`claimscope.ingest.gaps.gaps` asks only whether such rows exist, so
    it gives on them what it would give on every claim."""
    claims = engine.claims
    wanted = []
    if "stance" in claims.columns:
        wanted.append(claims.filter(claims.stance.notnull() & (claims.stance != "")).limit(1))
    if "about" in claims.columns:
        about = claims.about
        has_items = about.length() > 0 if about.type().is_array() else about.cast("string").strip() != ""
        wanted.append(claims.filter(has_items.fill_null(False)).limit(1))
    if "responds_to" in claims.columns and "kind" in claims.columns:
        answering = claims.responds_to.notnull() & (claims.responds_to.strip() != "") & (claims.kind == "reaction")
        wanted.append(claims.filter(answering).limit(1))
    if not wanted:
        return from_arrow(engine.to_arrow(claims.limit(0), limit=None), CLAIMS)
    frames = [from_arrow(engine.to_arrow(expr, limit=1), CLAIMS) for expr in wanted]
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _empty(spec):
    from claimscope.engine.cache import contract_schema

    return contract_schema(spec).empty_table()


def open_served(folder: str | os.PathLike, progress: Progress | None = None) -> tuple[Dataset, Engine]:
    """``$CLAIMSCOPE_ENGINE`` when set, else the folder."""
    url = os.environ.get(ENV_ENGINE_URL)
    if url:
        return open_url(url)
    if not Path(folder).is_dir():
        raise DatasetFolderError(f"{folder}: no such folder")
    return open_folder(folder, progress)
