"""Ingest once, serve from the cache: a dataset folder as validated, typed Parquet plus a manifest.

Reading and validating a large folder costs far more than querying it (a million claims: tens of
seconds and gigabytes), and it gives the same answer as long as the files, the contract and the
loader stay the same. :func:`ingest` therefore hashes the folder's files (streamed, so a large CSV is
never held in memory for it; skipped for files whose size and modification time are those recorded when they
were last hashed) and, when ``manifest.json`` says the cache was written from exactly these
bytes by this contract and this loader, returns the cached entry without parsing anything. Otherwise
it loads the folder through :func:`claimscope.ingest.dataset.load_folder` (the same rules and the same
report as everywhere else) and writes the entry below. A claims.csv larger than
:data:`~claimscope.engine.ingest_chunks.STREAM_ABOVE_BYTES` is read, validated and written chunk by
chunk instead (:mod:`claimscope.engine.ingest_chunks`: the same report and the same tables, in bounded
memory)::

    <cache root>/<folder name>-<hash of its absolute path>/
        manifest.json          inputs (sha256 per file), versions, created, rows per file, problems, package
        input-stats.json       each input's size and modification time when last hashed (a restart on
                               files with the same skips hashing them)
        answers.json           answers computed once over the tables and kept for every later start (the
                               sidebar's filter options: :meth:`CacheEntry.kept_answer`)
        derived/<name>-<key>.parquet  tables an engine derived from the entry's, kept for the next start
                               (every reaction's target: ``reaction_targets-<key>.parquet``, the name in
                               lowercase letters, digits and underscores; :meth:`CacheEntry.kept_table`)
        results/<key>.arrow    answers of the pages' unfiltered views (Arrow IPC), kept for the next start
                               under a fingerprint of their SQL (:meth:`CacheEntry.kept_result`)
        tables/<table>.parquet accepted rows, typed: claims, actors, countries, sources, events, relations,
                               and texts (source_id, text) for the sources' full texts
        rejected/<table>.parquet  rejected rows of a file, as read, with their _line and _problems

The cache root is ``$CLAIMSCOPE_CACHE_DIR``, else ``$XDG_CACHE_HOME/claimscope``, else
``~/.cache/claimscope``. The environment variable names the *root*, not one dataset's folder, so that
the temporary folder of a new entry sits beside the entries on the same file system (the rename that
publishes it is then atomic) and two datasets never overwrite each other.

Types in Parquet: list columns stay ``list<string>`` (items split and trimmed once, as the loader
does), date intervals are ``timestamp[us]`` (``date_start``, ``date_end``, whole days), enumerations
and text are strings, ``lat``/``lon`` doubles, ``directed`` a boolean, the folded search text
``_search`` and the CSV line ``_line`` are kept, so that every engine can filter without Python.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from claimscope.authors import AUTHOR_COLUMN
from claimscope.ingest import dataset as dataset_module
from claimscope.ingest.csvio import LINE_COLUMN, Problem
from claimscope.ingest.dataset import (
    PROBLEMS_COLUMN,
    SEARCH_COLUMN,
    Dataset,
    DatasetFolderError,
    FileReport,
    LazyFrames,
    Progress,
)
from claimscope.schema import CLAIMS, CROSS_FILE_RULES, EVENTS, FILES, PACKAGE_FILE, SHEET_SUFFIX, TEXTS_FOLDER, FileSpec, Kind

#: the layout of a cache entry (folders, manifest keys, Parquet types); bump it when they change
CACHE_FORMAT = 4
#: the contract the cache was validated against: a fingerprint of every file, column, kind, closed
#: list and cross-file rule declared in :mod:`claimscope.schema`, so that a change of the contract
#: invalidates every cache without anyone remembering to bump a number
SCHEMA_VERSION = hashlib.sha256(repr((FILES, CROSS_FILE_RULES)).encode("utf-8")).hexdigest()[:16]
#: the modules whose code decides what a load accepts, rejects and reports: a fix in any of them
#: must not be hidden by a cache written before it
LOADER_MODULES = (
    "ingest.csvio",
    "ingest.sheets",
    "ingest.writtendates",
    "ingest.dataset",
    "ingest.places",
    "ingest.validation",
    "dates",
    "schema",
    "text",
    "engine.ingest_chunks",
)

#: rows per Parquet row group. A row group is the unit a query skips by its statistics (min and max per
#: column) and the unit DuckDB's threads share: one group of a million rows makes every query read the whole
#: file on one thread; DuckDB's own writer uses 122,880 rows (its vector size times 60)
ROW_GROUP_ROWS = 122_880

ENV_CACHE_DIR = "CLAIMSCOPE_CACHE_DIR"
MANIFEST = "manifest.json"
#: beside the manifest: the inputs' sizes and times when last hashed (:func:`remembered_inputs`)
INPUT_STATS = "input-stats.json"
#: beside the manifest: answers computed once over the entry's tables (:meth:`CacheEntry.kept_answer`)
ANSWERS = "answers.json"
#: tables an engine derives from the entry's once and keeps here for the next start (:meth:`CacheEntry.kept_table`)
DERIVED_FOLDER = "derived"
#: answers of the pages' unfiltered views, kept between starts (:meth:`CacheEntry.kept_result`)
RESULTS_FOLDER = "results"
#: at most this many kept answers, and this many bytes of them, per entry: those least recently read from or written to the entry go first
KEPT_RESULTS = 512
KEPT_RESULTS_BYTES = 64 * 2**20
#: an answer larger than this is not kept between starts (a page's answers are small: tens of kB)
KEPT_RESULT_BYTES = 8 * 2**20
#: a temporary file of a kept table older than this was left by a process that stopped while writing it
STALE_TEMPORARY_SECONDS = 3600
TABLES_FOLDER = "tables"
REJECTED_FOLDER = "rejected"
TEXTS_TABLE = "texts"
#: the tables a cache entry (and any engine) holds, named as the contract's files
TABLE_NAMES: tuple[str, ...] = (*(spec.stem for spec in FILES), TEXTS_TABLE)
TIMESTAMP = pa.timestamp("us")
LIST = pa.list_(pa.string())
TEXTS_SCHEMA = pa.schema([("source_id", pa.string()), ("text", pa.string())])
#: columns the loader derives, with their Parquet types
DERIVED_TYPES: dict[str, pa.DataType] = {
    LINE_COLUMN: pa.int64(),
    "date_start": TIMESTAMP,
    "date_end": TIMESTAMP,
    "date_precision": pa.string(),
    SEARCH_COLUMN: pa.string(),
    AUTHOR_COLUMN: pa.bool_(),
}
_HASH_CHUNK = 1 << 20


class CacheError(Exception):
    """The cache cannot be written or read (a folder that is not writable, a full disk)."""


def _loader_fingerprint() -> str:
    """A hash of the loader's source code (each module's name where its source is not available).

    The sources are read from their files, not imported: importing them would bring in what only a load needs
    (openpyxl for workbooks, 0.18 s of a server's restart on a current cache)."""
    digest = hashlib.sha256()
    for name in LOADER_MODULES:
        spec = importlib.util.find_spec(f"claimscope.{name}")
        try:
            source = Path(spec.origin).read_text(encoding="utf-8") if spec is not None and spec.origin else name
        except OSError:
            source = name
        digest.update(source.encode("utf-8"))
    return digest.hexdigest()[:16]


LOADER_VERSION = _loader_fingerprint()


# --- where the cache lives ------------------------------------------------------------------------


def cache_root(cache_dir: str | os.PathLike | None = None) -> Path:
    """The folder that holds every dataset's entry: the argument, ``$CLAIMSCOPE_CACHE_DIR`` or the user's cache."""
    if cache_dir:
        return Path(cache_dir)
    if os.environ.get(ENV_CACHE_DIR):
        return Path(os.environ[ENV_CACHE_DIR])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claimscope"


def entry_path(folder: str | os.PathLike, cache_dir: str | os.PathLike | None = None) -> Path:
    """The entry of one dataset folder: its name (readable) and a short hash of its absolute path (unique)."""
    absolute = Path(folder).resolve()
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", absolute.name).strip("._")[:60] or "dataset"
    return cache_root(cache_dir) / f"{name}-{hashlib.sha256(str(absolute).encode('utf-8')).hexdigest()[:12]}"


# --- the inputs -------------------------------------------------------------------------------------


def dataset_files(folder: str | os.PathLike) -> list[str]:
    """The relative paths of the files :func:`claimscope.ingest.dataset.read_folder` reads, in its order.

    Kept in line with ``read_folder`` by a test: the CSV files, the workbooks that stand for them
    (``claims.xlsx``) and datapackage.json at the top, every regular file under texts/ (symbolic links
    are not followed there).
    """
    root = Path(folder)
    if not root.exists():
        raise DatasetFolderError(f"{root}: no such folder")
    if not root.is_dir():
        raise DatasetFolderError(f"{root}: not a folder")
    names = [spec.name for spec in FILES] + [spec.stem + SHEET_SUFFIX for spec in FILES] + [PACKAGE_FILE]
    paths = [name for name in names if (root / name).is_file()]
    texts = root / TEXTS_FOLDER
    if texts.is_dir():
        paths += [p.relative_to(root).as_posix() for p in sorted(texts.rglob("*")) if p.is_file() and not p.is_symlink()]
    return paths


def hash_inputs(folder: str | os.PathLike) -> dict[str, str]:
    """``{relative path: sha256}`` of every dataset file, read in chunks (a 400 MB CSV costs no memory)."""
    root = Path(folder)
    hashes = {}
    try:
        for path in dataset_files(root):
            with (root / path).open("rb") as handle:
                hashes[path] = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise DatasetFolderError(f"{root}: cannot be read ({exc.strerror or exc})") from exc
    return hashes


#: a file modified this recently is not remembered by its size and time (it may change again within the
#: file system's time resolution without its size changing): the next start hashes it
RECENT_SECONDS = 2.0


def input_stats(folder: str | os.PathLike, paths: Sequence[str]) -> dict[str, list[int]]:
    """``{relative path: [size, mtime ns, ctime ns, inode]}`` of the dataset's files (what a restart compares).

    The status change time (ctime) is set by the file system on every write and cannot be set back (``touch``
    and ``os.utime`` set it to now), so a file rewritten with its size and modification time kept is still
    noticed; a copy of the folder is a new inode.
    """
    root = Path(folder)
    stats = {}
    try:
        for path in paths:
            info = (root / path).stat()
            stats[path] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    except OSError as exc:
        raise DatasetFolderError(f"{root}: cannot be read ({exc.strerror or exc})") from exc
    return stats


def remembered_inputs(target: Path, stats: Mapping[str, list[int]]) -> dict[str, str] | None:
    """The inputs' hashes as the last start found them, when every file still has that size and time, else None.

    Hashing is what a restart on unchanged files costs most (a 400 MB claims.csv: about a second); as git
    does for its index, a file whose size, times (to the nanosecond) and inode are those recorded beside the
    entry when it was last hashed is taken to hold the same bytes. Any other file, or another set of files, means
    hashing again, and the manifest still decides whether the entry is current.
    """
    try:
        recorded = json.loads((target / INPUT_STATS).read_text(encoding="utf-8"))
        if set(recorded) != set(stats):
            return None
        if any(recorded[path]["stat"] != list(stat) for path, stat in stats.items()):
            return None
        return {path: str(recorded[path]["sha256"]) for path in stats}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def remember_inputs(target: Path, stats: Mapping[str, list[int]], inputs: Mapping[str, str]) -> None:
    """Record beside the entry each file's size, time and hash, taken before it was hashed (see above).

    A file modified in the last :data:`RECENT_SECONDS` is left out, so it is hashed next time. The record
    is written to a temporary file and renamed into place; when the cache cannot be written, nothing is.
    """
    newest = (dt.datetime.now(dt.UTC).timestamp() - RECENT_SECONDS) * 1e9
    if any(max(stat[1], stat[2]) > newest for stat in stats.values()):
        return  # the whole set must match for the record to be used
    record = {path: {"stat": list(stats[path]), "sha256": inputs[path]} for path in stats if path in inputs}
    write_json_atomically(target / INPUT_STATS, record)


def name_stem(name: str) -> str:
    """A name as a file or table name's stem: lowercase letters, digits and underscores."""
    return re.sub(r"[^a-z0-9_]", "_", name.lower())


@contextlib.contextmanager
def replaced_atomically(path: Path) -> Iterator[str]:
    """A temporary file beside ``path`` to write to, renamed into place when the block ends (removed when it raises),
    so that a reader never sees half of the file; the folder is made when missing."""
    path.parent.mkdir(exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield name
        os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def write_json_atomically(path: Path, value: object) -> bool:
    """Write ``value`` as JSON to ``path`` (:func:`replaced_atomically`); False (and no temporary file left) when it
    cannot be written or is not JSON."""
    try:
        with replaced_atomically(path) as name, open(name, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False)
    except (OSError, TypeError, ValueError):
        return False
    return True


# --- the entry ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CacheEntry:
    """One dataset in the cache: where its Parquet files are and what its manifest says.

    ``from_cache`` is True when :func:`ingest` found the entry current and parsed nothing.
    """

    path: Path
    manifest: dict
    from_cache: bool = False

    @property
    def name(self) -> str:
        return str(self.manifest["name"])

    @cached_property
    def signature(self) -> str:
        """A short digest of the inputs and versions: a key for caches of query results built on this entry."""
        keys = {k: self.manifest[k] for k in ("inputs", "format", "schema_version", "loader_version")}
        return hashlib.sha256(json.dumps(keys, sort_keys=True).encode("utf-8")).hexdigest()[:16]

    @property
    def tables(self) -> dict[str, Path]:
        """``{table name: Parquet file}`` of the accepted rows."""
        return {name: self.path / info["path"] for name, info in self.manifest["tables"].items()}

    @property
    def problems(self) -> list[Problem]:
        """The validation report, as :func:`claimscope.ingest.dataset.load_folder` gave it."""
        return [Problem(p["file"], int(p["line"]), p["column"], p["message"]) for p in self.manifest["problems"]]

    @property
    def is_valid(self) -> bool:
        return not self.manifest["problems"]

    @property
    def files(self) -> dict[str, dict]:
        """Per dataset file: present, rows_read, rows_accepted and the Parquet file of its rejected rows."""
        return self.manifest["files"]

    @property
    def package(self) -> dict:
        """title, version, subject and topics of datapackage.json (the pages' headings and vocabulary)."""
        return self.manifest["package"]

    def kept_answer(self, name: str, version: str) -> object | None:
        """The answer kept under ``name`` (:meth:`keep_answer`), or None when there is none, it was made by code
        of another ``version``, or for other inputs than this entry's (a folder re-ingested since).

        Some answers every server start needs cost seconds at ten million claims (the sidebar's options: one
        scan of every claim) and cannot change while the entry does not; they are kept beside the manifest as
        JSON. ``version`` is the caller's fingerprint of the code that makes the answer.
        """
        item = _read_answers(self.path).get(name)
        if not isinstance(item, dict) or item.get("version") != version or item.get("entry") != self.signature:
            return None
        return item.get("value")

    def keep_answer(self, name: str, version: str, value: object) -> bool:
        """Keep a JSON-serialisable answer under ``name`` for :meth:`kept_answer`; False when the entry cannot be
        written (a read-only cache: the answer is then computed again at each start, nothing else changes).

        The file is written whole to a temporary file and renamed into place, so that a reader never sees half
        of it; two servers keeping answers at once may drop each other's, which only costs a query later.
        """
        answers = _read_answers(self.path)
        answers[name] = {"version": version, "entry": self.signature, "value": value}
        return write_json_atomically(self.path / ANSWERS, answers)

    def kept_table(self, name: str, version: str) -> Path:
        """Where a table derived from this entry's tables is kept (:meth:`keep_table`): a Parquet file named after
        ``name``, the caller's ``version`` (a fingerprint of the query that derives it) and this entry's inputs, so
        that a file made by other code or from other inputs is never the one asked for. It may not exist yet.

        An engine derives some tables from every claim once (at ten million claims, seconds of both cores); kept
        here, the next start reads them back instead of deriving them again while its first pages are drawn.
        """
        key = hashlib.sha256(f"{name}\0{version}\0{self.signature}".encode()).hexdigest()[:16]
        return self.path / DERIVED_FOLDER / f"{name_stem(name)}-{key}.parquet"

    def keep_table(self, path: Path, batches: pa.RecordBatchReader) -> bool:
        """Write ``batches`` to ``path`` (from :meth:`kept_table`) as Parquet, batch by batch (bounded memory), to a
        temporary file renamed into place, and remove the files kept for other versions of the same table (two
        versions of the code serving one entry therefore derive it again at each start: it only costs time) and
        temporary files left over an hour ago by a process that stopped while writing.

        False, with no temporary file left, when the entry cannot be written (a read-only cache: the table is then
        derived again at each start, nothing else changes).
        """
        try:
            with replaced_atomically(path) as name, pq.ParquetWriter(name, batches.schema) as writer:
                for batch in batches:
                    writer.write_batch(batch, row_group_size=ROW_GROUP_ROWS)
        except (OSError, pa.ArrowException):
            return False
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.parquet"):
            if old != path:
                old.unlink(missing_ok=True)
        remove_stale_temporaries(path.parent.glob(f".{stem}-*.parquet.*"))
        return True

    def kept_result(self, key: str) -> pa.Table | None:
        """The answer kept under ``key`` by :meth:`keep_result`, or None when there is none (or it cannot be read).

        A server's first run of a page asks the engine its questions cold (DuckDB's first reads of the Parquet
        files): at a million claims, the Overview's took half a second of a restart. The engine keeps the
        answers of the pages' unfiltered views here, under a fingerprint of their SQL, the code and the versions
        that made them (``key``) and this entry's inputs, so a later start reads them instead. A file that cannot
        be read (a partial copy, a disk error) is removed and the answer computed again.
        """
        path = self._result_path(key)
        try:
            with pa.OSFile(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()
        except FileNotFoundError:
            return None
        except (OSError, pa.ArrowException):
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):  # read: kept longest (a read-only cache keeps its order)
            os.utime(path)
        return table

    def keep_result(self, key: str, table: pa.Table) -> bool:
        """Keep ``table`` under ``key`` for :meth:`kept_result`: written whole to a temporary file renamed into place,
        then the answers least recently read or written beyond :data:`KEPT_RESULTS` files or :data:`KEPT_RESULTS_BYTES`
        removed (with temporary files left over an hour ago by a process that stopped while writing).

        False, with no temporary file left, when the answer is larger than :data:`KEPT_RESULT_BYTES` or the entry
        cannot be written (a read-only cache: the answers are then computed at each start, nothing else changes).
        """
        if table.nbytes > KEPT_RESULT_BYTES:
            return False
        path = self._result_path(key)
        try:
            with replaced_atomically(path) as name, pa.OSFile(name, "wb") as out, pa.ipc.new_file(out, table.schema) as writer:
                writer.write_table(table)
        except (OSError, pa.ArrowException):
            return False
        with contextlib.suppress(OSError):  # the entry replaced meanwhile (a re-ingest): nothing left to prune
            _prune_results(path.parent)
        return True

    def _result_path(self, key: str) -> Path:
        digest = hashlib.sha256(f"{key}\0{self.signature}".encode()).hexdigest()[:24]
        return self.path / RESULTS_FOLDER / f"{digest}.arrow"

    def read_table(self, name: str) -> pa.Table:
        """The accepted rows of one table, typed (for tests and small tables; pages query the engine)."""
        return read_parquet_file(self.tables[name])

    def _frame(self, spec: FileSpec) -> pd.DataFrame:
        return from_arrow(self.read_table(spec.stem), spec)

    def rejected(self, file: str) -> pd.DataFrame:
        """The rejected rows of one file as they were read, with ``_line`` and ``_problems``."""
        path = self.files.get(file, {}).get("rejected")
        if not path:
            return pd.DataFrame(columns=[LINE_COLUMN, PROBLEMS_COLUMN])
        return read_parquet_file(self.path / path).to_pandas()

    def dataset(self) -> Dataset:
        """The entry as a :class:`~claimscope.ingest.dataset.Dataset` whose claims stay in Parquet.

        The texts are read; the other small tables (actors, countries, sources, events, relations) each when a
        page first asks for it (:class:`~claimscope.ingest.dataset.LazyFrames`), typed as the loader types them;
        the claims only if something asks for ``dataset.claims`` (the pages ask the engine instead). The report,
        the problems, the package and the gaps come from the manifest, so nothing is validated again.
        """
        # each small table is read when a page first asks for it (LazyFrames): a restart's first page needs few
        frames = LazyFrames({spec.stem: partial(self._frame, spec) for spec in FILES if spec is not CLAIMS})
        reports = {}
        for spec in FILES:
            info = self.files[spec.name]
            reports[spec.name] = FileReport(
                info.get("file", spec.name),
                present=bool(info["present"]),
                rows_read=int(info["rows_read"]),
                rows_accepted=int(info["rows_accepted"]),
                rejected=self.rejected(spec.name),
                columns=tuple(info.get("columns", ())),
                sheet=info.get("sheet", ""),
            )
        texts_table = self.read_table(TEXTS_TABLE)
        texts = dict(zip(texts_table.column("source_id").to_pylist(), texts_table.column("text").to_pylist(), strict=True))
        claims_file = self.tables[CLAIMS.stem]
        return Dataset(
            name=self.name,
            frames=frames,
            package=self.manifest.get("datapackage") or {},
            texts=texts,
            problems=self.problems,
            reports=reports,
            claims_source=lambda: from_arrow(pq.read_table(claims_file), CLAIMS),
            known_gaps=self.manifest.get("gaps"),
        )


def read_parquet_file(path: Path) -> pa.Table:
    """One Parquet file, whole. ``pq.ParquetFile`` rather than ``pq.read_table``, which goes through
    ``pyarrow.dataset``: importing that took about 0.45 s of a server's first run, to read a few small tables
    (the dataset's actors, countries, sources, events, relations and texts) that the file reader reads in 15 ms."""
    with pq.ParquetFile(path) as parquet:
        return parquet.read()


def remove_stale_temporaries(paths: Iterable[Path]) -> None:
    """Remove the temporary files among ``paths`` that a process left when it stopped while writing (older than
    :data:`STALE_TEMPORARY_SECONDS`), not one another process is writing now."""
    for left in paths:
        with contextlib.suppress(OSError):
            if time.time() - left.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                left.unlink()


def _prune_results(folder: Path) -> None:
    """Remove the kept answers least recently read or written beyond the entry's budget, and stale temporary files."""
    remove_stale_temporaries(folder.glob(".*"))
    kept: list[tuple[float, int, Path]] = []
    for item in folder.glob("*.arrow"):
        with contextlib.suppress(OSError):
            status = item.stat()
            kept.append((status.st_mtime, status.st_size, item))
    kept.sort()
    total = sum(size for _, size, _ in kept)
    while kept and (len(kept) > KEPT_RESULTS or total > KEPT_RESULTS_BYTES):
        _, size, oldest = kept.pop(0)
        with contextlib.suppress(OSError):
            oldest.unlink()
        total -= size


def from_arrow(table: pa.Table, spec: FileSpec | None = CLAIMS) -> pd.DataFrame:
    """Rows as Arrow (a cached table, a query's answer) as a frame typed like :func:`claimscope.ingest.dataset.load_folder`'s,
    so that the pandas functions and figure builders take it as they take the loaded frames.

    Lists become Arrow list columns, enumerations categoricals over their closed list, dates
    ``datetime64[ns]``, text pandas strings; columns ``spec`` does not declare keep Arrow's mapping.
    """
    frame = table.to_pandas()
    for name, arrow_type in zip(table.column_names, table.schema.types, strict=True):
        field = _declared(spec, name)
        if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
            lists = table.column(name).cast(pa.large_list(pa.large_string())).combine_chunks()
            frame[name] = pd.Series(pd.arrays.ArrowExtensionArray(lists), index=frame.index)
        elif field is not None and field.kind is Kind.ENUM:
            frame[name] = pd.Categorical(frame[name], categories=list(field.values))
        elif pa.types.is_timestamp(arrow_type):
            frame[name] = frame[name].astype("datetime64[ns]")
        elif pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
            frame[name] = frame[name].astype("string" if name == SEARCH_COLUMN else "str")
    return frame


def _declared(spec: FileSpec | None, name: str):
    if spec is None:
        return None
    try:
        return spec.field(name)
    except KeyError:
        return None


def _read_answers(path: Path) -> dict:
    try:
        answers = json.loads((path / ANSWERS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return answers if isinstance(answers, dict) else {}


def read_manifest(path: Path) -> dict | None:
    """The manifest of an entry, or None when there is none or it cannot be read (then the entry is rebuilt)."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def is_current(manifest: dict | None, inputs: Mapping[str, str], path: Path) -> bool:
    """True when the entry was written from these very bytes, by this contract and loader, and is complete."""
    if not manifest:
        return False
    same = (
        manifest.get("format") == CACHE_FORMAT
        and manifest.get("schema_version") == SCHEMA_VERSION
        and manifest.get("loader_version") == LOADER_VERSION
        and manifest.get("inputs") == dict(inputs)
    )
    if not same:
        return False
    try:
        return all((path / info["path"]).is_file() for info in manifest["tables"].values())
    except (KeyError, TypeError):
        return False


def ingest(
    folder: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    chunk_bytes: int | None = None,
) -> CacheEntry:
    """The cache entry of ``folder``: read from the cache when current, else loaded, validated and written.

    ``progress(stage, rows)`` hears each stage (hashing, reading and validating each file, writing each
    table); rows is None when a stage starts. Raises :class:`~claimscope.ingest.dataset.DatasetFolderError` when
    the folder cannot be read and :class:`CacheError` when the cache cannot be written; bad data never
    raises, it is reported in the manifest. ``workers``: how many processes parse and validate a large
    claims.csv (None: :func:`claimscope.engine.ingest_chunks.ingest_workers`); ``chunk_bytes``, about how much of
    it a chunk holds (None: :data:`claimscope.engine.ingest_chunks.CHUNK_BYTES`).
    """
    say = progress or (lambda stage, rows: None)
    files = dataset_files(folder)
    target = entry_path(folder, cache_dir)
    stats = input_stats(folder, files)  # taken before hashing: a file changed meanwhile is hashed again next time
    inputs = remembered_inputs(target, stats)
    hashed = inputs is None
    if hashed:
        say(f"hashing {len(files)} files", None)
        inputs = hash_inputs(folder)
    manifest = read_manifest(target)
    if manifest is not None and is_current(manifest, inputs, target):
        if hashed:
            remember_inputs(target, stats, inputs)
        say("cache is current", sum(info["rows"] for info in manifest["tables"].values()))
        return CacheEntry(target, manifest, from_cache=True)
    from claimscope.engine import ingest_chunks  # it builds on this module

    entry = None
    if ingest_chunks.streams(folder):
        try:
            entry = ingest_chunks.ingest_in_chunks(folder, inputs, target, say, workers=workers, chunk_bytes=chunk_bytes)
        except ingest_chunks.NotStreamable:
            pass  # a file that starts oddly (no header on line 1, not UTF-8): the whole-file reader reports it
    if entry is None:
        loaded = dataset_module.load_folder(folder, progress=say)
        entry = write_entry(loaded, inputs, target, say, folder=Path(folder).resolve())
    remember_inputs(target, stats, inputs)
    return entry


# --- writing ---------------------------------------------------------------------------------------------


def column_type(spec: FileSpec, name: str) -> pa.DataType:
    """The Parquet type of one column of a loaded frame (columns the contract does not know are text)."""
    if name in DERIVED_TYPES:
        return DERIVED_TYPES[name]
    try:
        f = spec.field(name)
    except KeyError:
        return pa.string()
    if f.is_list:
        return LIST
    return {Kind.NUMBER: pa.float64(), Kind.BOOL: pa.bool_()}.get(f.kind, pa.string())


def contract_schema(spec: FileSpec) -> pa.Schema:
    """The typed columns every cached table of ``spec`` has (a file may add columns of its own, as text).

    Used to write tables against before a backend holds them (``ibis.table(schema, name=...)``).
    """
    names = [LINE_COLUMN, *spec.columns]
    if spec in (CLAIMS, EVENTS):
        names += ["date_start", "date_end", "date_precision"]
    if spec is CLAIMS:
        names += [SEARCH_COLUMN, AUTHOR_COLUMN]
    return pa.schema([(name, column_type(spec, name)) for name in names])


def to_arrow(spec: FileSpec, frame: pd.DataFrame) -> pa.Table:
    """A loaded frame as an Arrow table of the cache's types (categories become strings, lists list<string>)."""
    arrays, names = [], []
    for name in frame.columns:
        array = pa.array(frame[name], from_pandas=True)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        arrays.append(array.cast(column_type(spec, str(name))))
        names.append(str(name))
    return pa.Table.from_arrays(arrays, names=names)


def rejected_to_arrow(frame: pd.DataFrame) -> pa.Table:
    """Rejected rows as they were read: every cell text (or null), the line an integer."""
    arrays, names = [], []
    for name in frame.columns:
        if name == LINE_COLUMN:
            arrays.append(pa.array(frame[name], type=pa.int64()))
        else:
            arrays.append(pa.array(frame[name].astype("string"), from_pandas=True, type=pa.string()))
        names.append(str(name))
    return pa.Table.from_arrays(arrays, names=names)


def package_summary(loaded: Dataset) -> dict:
    """What the pages show of datapackage.json: title, version, subject and the topic vocabulary."""
    return {
        "title": loaded.title,
        "version": loaded.version,
        "subject": loaded.subject,
        "topics": loaded.topic_vocabulary,
    }


def write_entry(
    loaded: Dataset, inputs: Mapping[str, str], target: Path, progress: Progress, folder: Path | None = None
) -> CacheEntry:
    """Write a loaded dataset as a cache entry at ``target``, atomically (a temporary folder, then a rename)."""
    temporary = temporary_entry(target)
    try:
        manifest = _write_files(loaded, inputs, temporary, progress, folder)
        _publish(temporary, target)
    except OSError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise CacheError(f"{target}: the cache cannot be written ({exc.strerror or exc})") from exc
    return CacheEntry(target, manifest, from_cache=False)


def temporary_entry(target: Path) -> Path:
    """A new, empty folder beside ``target`` to write an entry into (then :func:`_publish` moves it into place)."""
    root = target.parent
    try:
        root.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=root))
        temporary.chmod(0o755)  # mkdtemp makes it private; an entry is read by the server's user, maybe not the writer
    except OSError as exc:
        raise CacheError(f"{root}: the cache cannot be written ({exc.strerror or exc})") from exc
    return temporary


#: a table the chunked ingest has written already: its Parquet file, rows, and rejected rows' file (or None)
WrittenTable = Mapping[str, object]


def _write_files(
    loaded: Dataset,
    inputs: Mapping[str, str],
    folder: Path,
    progress: Progress,
    source: Path | None,
    written: Mapping[str, WrittenTable] | None = None,
) -> dict:
    """Write every table of ``loaded`` (but those ``written`` already, by stem) and then the manifest."""
    written = written or {}
    (folder / TABLES_FOLDER).mkdir(exist_ok=True)
    (folder / REJECTED_FOLDER).mkdir(exist_ok=True)
    tables: dict[str, dict] = {}
    files: dict[str, dict] = {}
    for spec in FILES:
        report = loaded.reports[spec.name]
        if spec.stem in written:
            done = written[spec.stem]
            tables[spec.stem] = {"path": done["path"], "rows": done["rows"]}
            rejected = done["rejected"]
        else:
            frame = loaded.frames[spec.stem]
            progress(f"writing {spec.name}", None)
            relative = f"{TABLES_FOLDER}/{spec.stem}.parquet"
            pq.write_table(to_arrow(spec, frame), folder / relative, row_group_size=ROW_GROUP_ROWS)
            progress(f"writing {spec.name}", len(frame))
            tables[spec.stem] = {"path": relative, "rows": len(frame)}
            rejected = None
            if report.present and len(report.rejected):
                rejected = f"{REJECTED_FOLDER}/{spec.stem}.parquet"
                pq.write_table(rejected_to_arrow(report.rejected), folder / rejected)
        files[spec.name] = {
            "present": report.present,
            "rows_read": report.rows_read,
            "rows_accepted": report.rows_accepted,
            "rejected": rejected,
            "file": report.file,
            "columns": list(report.columns),
            "sheet": report.sheet,
        }
    texts = pa.table(
        {"source_id": list(loaded.texts), "text": list(loaded.texts.values())},
        schema=TEXTS_SCHEMA,
    )
    relative = f"{TABLES_FOLDER}/{TEXTS_TABLE}.parquet"
    pq.write_table(texts, folder / relative)
    tables[TEXTS_TABLE] = {"path": relative, "rows": texts.num_rows}
    manifest = {
        "format": CACHE_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "loader_version": LOADER_VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "name": loaded.name,
        "folder": str(source) if source else None,
        "inputs": dict(inputs),
        "files": files,
        "tables": tables,
        "problems": [{"file": p.file, "line": p.line, "column": p.column, "message": p.message} for p in loaded.problems],
        "package": package_summary(loaded),
        "gaps": loaded.gaps,
        "datapackage": loaded.package,
    }
    # the manifest goes last: a folder without one is never taken for a complete entry
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def _publish(temporary: Path, target: Path, attempts: int = 3) -> None:
    """Move a complete entry into place. An old entry is renamed away first, then removed.

    Readers see the old entry or the new one, never half of one (at worst no entry for an instant,
    which makes them ingest again). Another process publishing at the same moment is not an error:
    the last one to rename wins, and both wrote from the same inputs or the next ingest notices.
    """
    for _ in range(attempts):
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}-{os.urandom(4).hex()}")
            try:
                os.rename(target, old)
            except FileNotFoundError:
                old = None  # someone else moved it first
        try:
            os.rename(temporary, target)
        except OSError:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            continue  # another writer put an entry there between the two renames: try again
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return
    raise OSError(f"could not replace {target} after {attempts} attempts")


def table_names(entry: CacheEntry) -> Sequence[str]:
    """The entry's tables, in the order of the contract's files (texts last)."""
    return [name for name in TABLE_NAMES if name in entry.tables]


__all__ = [
    "CACHE_FORMAT",
    "LOADER_VERSION",
    "SCHEMA_VERSION",
    "TABLE_NAMES",
    "CacheEntry",
    "CacheError",
    "cache_root",
    "contract_schema",
    "dataset_files",
    "entry_path",
    "hash_inputs",
    "ingest",
]
