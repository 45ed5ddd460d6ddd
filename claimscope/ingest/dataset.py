"""Loading a dataset (a folder, or uploaded files) into typed frames plus a validation report.

Loading never raises on bad data: every problem is a :class:`~claimscope.ingest.csvio.Problem`, the rows that
fail are kept aside (counted, listed, downloadable) and the rows that pass are usable. Only a folder
that cannot be read at all raises :class:`DatasetFolderError`.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.authors import AUTHOR_COLUMN, author_mask
from claimscope.dates import date_columns
from claimscope.ingest.csvio import LINE_COLUMN, Problem, Table, read_csv_table
from claimscope.ingest.places import known_names, places
from claimscope.ingest.validation import (
    Context,
    fold_whitespace,
    split_list,
    validate_package,
    validate_table,
)
from claimscope.schema import (
    CLAIMS,
    FILES,
    FILES_BY_NAME,
    PACKAGE_FILE,
    SHEET_SUFFIX,
    TEXTS_FOLDER,
    FileSpec,
    Kind,
)

PROBLEMS_COLUMN = "_problems"
SEARCH_COLUMN = "_search"
#: the largest uploaded file (.streamlit/config.toml server.maxUploadSize says the same)
MAX_FILE_BYTES = 200 * 1024 * 1024
#: told of each stage of a long load: ``progress(stage, rows)``, rows None when the stage starts
Progress = Callable[[str, int | None], None]


def _no_progress(stage: str, rows: int | None) -> None:
    """The default listener: loading says nothing unless someone asks."""


class DatasetFolderError(Exception):
    """The folder cannot be read as a dataset at all (missing, not a folder, unreadable)."""


class LazyFrames(MutableMapping[str, pd.DataFrame]):
    """A dataset's frames, each read on first use from a loader (``{stem: () -> frame}``), then kept.

    Why: a cache entry's small tables (sources, events, relations...) cost a restart's first page their reading
    and typing, about 0.1 s in all, though the unfiltered Overview draws from kept answers and needs few of them.
    Every name is present from the start (``in``, iteration); a frame set replaces its loader, and ``del`` drops a
    name without reading it (``pop``, as any mapping's, returns the frame and so reads it first).
    """

    def __init__(
        self, loaders: Mapping[str, Callable[[], pd.DataFrame]], frames: Mapping[str, pd.DataFrame] | None = None
    ) -> None:
        self._loaders = dict(loaders)
        self._frames = dict(frames or {})
        # the sessions share a served dataset: one of them reads a frame, the others wait for it (re-entrant: a
        # loader that looks at the frames does not wait for itself)
        self._lock = threading.RLock()

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self._frames.get(name)
        if frame is None:
            with self._lock:
                if name not in self._frames:
                    if name not in self._loaders:
                        raise KeyError(name)
                    self._frames[name] = self._loaders[name]()
                    del self._loaders[name]
                frame = self._frames[name]
        return frame

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        with self._lock:
            self._loaders.pop(name, None)
            self._frames[name] = frame

    def __delitem__(self, name: str) -> None:
        with self._lock:
            if name not in self._frames and name not in self._loaders:
                raise KeyError(name)
            self._frames.pop(name, None)
            self._loaders.pop(name, None)

    def _names(self) -> list[str]:
        with self._lock:  # another session may be moving a name from the loaders to the frames
            return [*self._frames, *(name for name in self._loaders if name not in self._frames)]

    def __contains__(self, name: object) -> bool:
        with self._lock:
            return name in self._frames or name in self._loaders

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def loaded(self) -> list[str]:
        """The names read (or set) so far."""
        return list(self._frames)


@dataclass
class FileReport:
    """What happened to one file: how many rows were read and kept, and the rejected rows.

    ``file`` is the file as the analyst has it (``claims.xlsx`` when the claims came from a workbook,
    ``sheet`` then names the sheet read); ``columns`` are the columns the file has.
    """

    file: str
    present: bool
    rows_read: int = 0
    rows_accepted: int = 0
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    columns: tuple[str, ...] = ()
    sheet: str = ""

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_accepted


@dataclass
class Dataset:
    """A loaded dataset: one typed frame per file (accepted rows only) and the validation report."""

    name: str
    frames: MutableMapping[str, pd.DataFrame]  # a dict, or LazyFrames (a cache entry's, read on first use)
    package: dict
    texts: dict[str, str]  # source_id -> full text
    problems: list[Problem]
    reports: dict[str, FileReport]
    #: where the claims come from when ``frames`` does not hold them (a cache entry's Parquet, an engine):
    #: read on first use only, so that a server that asks the engine never holds every claim in pandas
    claims_source: Callable[[], pd.DataFrame] | None = field(default=None, repr=False, compare=False)
    #: the gaps computed when the dataset was ingested (the whole claims are not at hand to compute them again)
    known_gaps: dict[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def claims(self) -> pd.DataFrame:
        if "claims" not in self.frames and self.claims_source is not None:
            self.frames["claims"] = self.claims_source()
        return self.frames["claims"]

    @property
    def actors(self) -> pd.DataFrame:
        return self.frames["actors"]

    @cached_property
    def countries(self) -> pd.DataFrame:
        """Every code the dataset may use: ISO countries, the built-in groups, and its countries.csv over them.

        The rows of countries.csv alone are ``frames["countries"]`` (what the dataset's zip exports).
        """
        return places(self.frames["countries"])

    @property
    def sources(self) -> pd.DataFrame:
        return self.frames["sources"]

    @property
    def events(self) -> pd.DataFrame:
        return self.frames["events"]

    @property
    def relations(self) -> pd.DataFrame:
        return self.frames["relations"]

    @property
    def title(self) -> str:
        return str(self.package.get("title") or self.name)

    @property
    def version(self) -> str:
        return str(self.package.get("version") or "")

    @property
    def subject(self) -> str:
        extra = self.package.get("claimscope")
        return str(extra.get("subject", "")) if isinstance(extra, dict) else ""

    @property
    def topic_vocabulary(self) -> dict[str, str]:
        extra = self.package.get("claimscope")
        topics = extra.get("topics") if isinstance(extra, dict) else None
        if isinstance(topics, dict):
            return {str(k): str(v) for k, v in topics.items()}
        if isinstance(topics, list):
            return {str(k): "" for k in topics}
        return {}

    @cached_property
    def claim_ids(self) -> pd.Index:
        """The claim ids as an index: ``id in dataset.claim_ids`` is a hash lookup, built once per dataset."""
        return pd.Index(self.claims["claim_id"].astype(object), name="claim_id")

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @cached_property
    def gaps(self) -> dict[str, str]:
        """What the dataset cannot show and why (no stance, no events …): see :mod:`claimscope.ingest.gaps`."""
        if self.known_gaps is not None:
            return dict(self.known_gaps)
        from claimscope.ingest.gaps import gaps

        return gaps(self)

    @property
    def set_aside(self) -> list[FileReport]:
        """The files some of whose rows validation set aside (each with how many of how many)."""
        return [report for report in self.reports.values() if report.present and report.rows_rejected]

    def country_name(self, code: str) -> str:
        """The name countries.csv gives a code, else the ISO name, else the code itself."""
        return country_names(self.countries).get(code, code)


def country_names(countries: pd.DataFrame) -> dict[str, str]:
    """Code -> name: the ISO and built-in names, then the names ``countries`` gives (a dataset's, or all places)."""
    names = known_names()
    if not countries.empty:
        for code, name in zip(countries["code"], countries["name"], strict=True):
            if isinstance(name, str) and name:
                names[code] = name
    return names


#: a node label longer than this falls back to the code
SHORT_NAME_CHARS = 16


def short_country_names(countries: pd.DataFrame) -> dict[str, str]:
    """Labels for crowded charts: the name without its parenthesis ("North Korea (DPRK)" → "North Korea"),
    or the code when that is still longer than SHORT_NAME_CHARS ("NATO", not "North Atlantic Treaty Organization")."""
    short = {}
    for code, name in country_names(countries).items():
        bare = re.sub(r"\s*\(.*?\)\s*", " ", name.split(",")[0] if name.count(",") == 1 and "(" not in name else name).strip()
        short[code] = bare if bare and len(bare) <= SHORT_NAME_CHARS else code
    return short


def read_folder(folder: str | os.PathLike, skip: Collection[str] = ()) -> dict[str, bytes]:
    """The dataset's files under ``folder`` (CSV files, datapackage.json, texts/**), as bytes.

    ``skip`` names files that are not read (a large claims.csv that the cache's ingest reads in chunks).
    """
    root = Path(folder)
    if not root.exists():
        raise DatasetFolderError(f"{root}: no such folder")
    if not root.is_dir():
        raise DatasetFolderError(f"{root}: not a folder")
    files: dict[str, bytes] = {}
    try:
        for spec_name in [spec.name for spec in FILES] + [spec.stem + SHEET_SUFFIX for spec in FILES] + [PACKAGE_FILE]:
            path = root / spec_name
            if path.is_file() and spec_name not in skip:
                files[spec_name] = path.read_bytes()
        texts = root / TEXTS_FOLDER
        if texts.is_dir():
            for path in sorted(texts.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    files[path.relative_to(root).as_posix()] = path.read_bytes()
    except OSError as exc:
        raise DatasetFolderError(f"{root}: cannot be read ({exc.strerror or exc})") from exc
    return files


def load_folder(folder: str | os.PathLike, progress: Progress | None = None) -> Dataset:
    """Load and validate the dataset in ``folder``."""
    return load_dataset(read_folder(folder), name=Path(folder).name or str(folder), progress=progress)


def load_dataset(
    files: Mapping[str, bytes], name: str = "dataset", max_file_bytes: int | None = None, progress: Progress | None = None
) -> Dataset:
    """Load and validate a dataset given as ``{relative path: bytes}`` (a folder's files or uploads).

    ``max_file_bytes`` bounds each file (uploads pass MAX_FILE_BYTES; a server's own folder has no bound).
    ``progress`` hears each stage (reading and validating each file, with its rows), so that a long
    load of a large folder can show where it is instead of a bare spinner.

    The steps are functions of their own (:func:`read_tables`, :func:`read_package_and_texts`,
    :func:`order_problems`, :func:`source_texts`) so that the cache's chunked ingest of a large claims.csv
    (:mod:`claimscope.engine.ingest_chunks`) takes the very same steps for everything but the claims.
    """
    progress = progress or _no_progress
    tables, problems = read_tables(files, max_file_bytes=max_file_bytes, progress=progress)
    package, texts, unreadable, extra = read_package_and_texts(files)
    problems.extend(extra)

    context = _context(tables, package, texts, unreadable, set(files))
    for spec in FILES:
        if spec.name in tables:
            progress(f"validating {spec.name}", len(tables[spec.name].rows))
            problems.extend(validate_table(spec, tables[spec.name], context))

    problems = order_problems(problems, tables)
    frames, reports = {}, {}
    for spec in FILES:
        table = tables.get(spec.name)
        frame, report = _accepted(spec, table, problems)
        frames[spec.stem] = frame
        reports[spec.name] = report
    # the source's own analysis, flagged once (claimscope.authors): pages name it, authors=exclude leaves it out
    frames["claims"][AUTHOR_COLUMN] = author_mask(frames["claims"], frames["actors"])
    return Dataset(
        name=name,
        frames=frames,
        package=package,
        texts=source_texts(frames["sources"], texts),
        problems=problems,
        reports=reports,
    )


def read_tables(
    files: Mapping[str, bytes],
    *,
    max_file_bytes: int | None = None,
    progress: Progress = _no_progress,
    streamed: Collection[str] = (),
) -> tuple[dict[str, Table], list[Problem]]:
    """Parse every file of the contract that ``files`` holds (a CSV file, or the workbook that stands for it).

    ``streamed`` names CSV files that are present but read elsewhere, in chunks (a large claims.csv):
    they are neither reported missing nor parsed here.
    """
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for spec in FILES:
        workbook = spec.stem + SHEET_SUFFIX
        has_csv = spec.name in files or spec.name in streamed
        if not has_csv and workbook not in files:
            if spec.required:
                problems.append(
                    Problem(spec.name, 1, "-", "the file is missing: a dataset needs at least claims.csv (or claims.xlsx)")
                )
            continue
        if has_csv and workbook in files:
            problems.append(Problem(workbook, 1, "-", f"not read: the dataset also has {spec.name}, which is read instead"))
        if spec.name in streamed:
            continue
        file = spec.name if spec.name in files else workbook
        data = files[file]
        if max_file_bytes is not None and len(data) > max_file_bytes:
            problems.append(Problem(file, 1, "-", f"the file has {len(data):,} bytes; the upload limit is {max_file_bytes:,}"))
            continue
        progress(f"reading {spec.name}", None)
        if file == workbook:
            from claimscope.ingest.sheets import read_xlsx_table  # openpyxl is imported only when a workbook comes

            table = read_xlsx_table(spec.name, data, source=workbook, stem=spec.stem)
        else:
            table = read_csv_table(spec.name, data)
        progress(f"reading {spec.name}", len(table.rows) + len(table.unreadable))
        problems.extend(table.problems)
        tables[spec.name] = table
    return tables, problems


def read_package_and_texts(files: Mapping[str, bytes]) -> tuple[dict, dict[str, str], dict[str, str], list[Problem]]:
    """datapackage.json and the text files: the package, ``{path: text}``, ``{path: why unreadable}``, problems."""
    problems: list[Problem] = []
    package: dict = {}
    if PACKAGE_FILE in files:
        package, package_problems = validate_package(files[PACKAGE_FILE].decode("utf-8-sig", errors="replace"))
        problems.extend(package_problems)

    texts, unreadable = {}, {}
    for path, data in files.items():
        if path.startswith(TEXTS_FOLDER + "/"):
            try:
                texts[path] = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                unreadable[path] = f"not valid UTF-8 (byte 0x{data[exc.start]:02X} on line {line})"
                problems.append(Problem(path, line, "-", f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); save it as UTF-8"))
    return package, texts, unreadable, problems


def order_problems(problems: list[Problem], tables: Mapping[str, Table]) -> list[Problem]:
    """The report's order: by file, line and column (once each), each named as the analyst's file names it."""
    problems = sorted(set(problems), key=lambda p: (_file_order(p.file), p.line, _column_order(p), p.message))
    by_file = {table.file: table for table in tables.values()}
    return [by_file[p.file].in_own_terms(p) if p.file in by_file else p for p in problems]


def source_texts(sources: pd.DataFrame, texts: Mapping[str, str]) -> dict[str, str]:
    """source_id -> full text, for the accepted sources whose text file was read."""
    found: dict[str, str] = {}
    if not sources.empty:
        for source_id, path in zip(sources["source_id"], sources["text"], strict=True):
            if path in texts:
                found[source_id] = texts[path]
    return found


def _file_order(file: str) -> int:
    names = [spec.stem for spec in FILES]
    stem = file.rsplit(".", 1)[0]
    return names.index(stem) if stem in names else len(names)


def _column_order(problem: Problem) -> int:
    """Problems of one line are listed in the order of the schema's columns."""
    spec = FILES_BY_NAME.get(problem.file)
    columns = spec.columns if spec else []
    return columns.index(problem.column) if problem.column in columns else -1


def _context(tables: dict[str, Table], package: dict, texts: dict[str, str], unreadable: dict, paths: set[str]) -> Context:
    def column(file: str, name: str) -> pd.Series | None:
        table = tables.get(file)
        if table is None or name not in table.rows.columns:
            return None
        return table.rows[name]

    codes = column("countries.csv", "code")
    names = column("actors.csv", "name")
    aliases = column("actors.csv", "aliases")
    speakers = None
    if names is not None:
        speakers = set(names)
        if aliases is not None:
            speakers.update(item for cell in aliases for item in split_list(cell))
    claim_ids = column("claims.csv", "claim_id")
    event_ids = column("events.csv", "event_id")
    source_ids = column("sources.csv", "source_id")
    dated = [
        pd.Series(when.to_numpy(dtype=object), index=ids.to_numpy(dtype=object))
        for ids, when in ((claim_ids, column("claims.csv", "date")), (event_ids, column("events.csv", "date")))
        if ids is not None and when is not None
    ]
    dates = pd.concat(dated) if dated else pd.Series(dtype=object)
    dates = dates[~dates.index.duplicated(keep="first")]  # the first row of a duplicated id is the one kept
    source_texts, source_paths = {}, {}
    text_column = column("sources.csv", "text")
    if source_ids is not None and text_column is not None:
        for source_id, path in zip(source_ids, text_column, strict=True):
            if path in texts:
                source_texts[source_id] = fold_whitespace(texts[path])
                source_paths[source_id] = path
    extra = package.get("claimscope") if isinstance(package.get("claimscope"), dict) else {}
    topics = extra.get("topics")
    if "countries.csv" in tables and codes is None:
        codes = pd.Series([], dtype=object)
    return Context(
        codes=frozenset(codes) if codes is not None else None,
        speakers=frozenset(speakers) if speakers is not None else None,
        claim_ids=frozenset(claim_ids.to_numpy(dtype=object)) if claim_ids is not None else frozenset(),
        event_ids=frozenset(event_ids.to_numpy(dtype=object)) if event_ids is not None else frozenset(),
        source_ids=frozenset(source_ids) if source_ids is not None else (frozenset() if "sources.csv" in tables else None),
        topics=frozenset(topics) if isinstance(topics, (dict, list)) else None,
        source_texts=source_texts,
        source_paths=source_paths,
        available_files=frozenset(paths),
        unreadable_texts=unreadable,
        dates=dates,
    )


def _accepted(spec: FileSpec, table: Table | None, problems: list[Problem]) -> tuple[pd.DataFrame, FileReport]:
    """Split a file's rows into typed accepted rows and the rejected ones (with their problems)."""
    if table is None:
        # no rows, but the same columns as a file's (its line number included: every engine's table has ``_line``)
        empty = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in spec.columns}, index=pd.Index([], dtype="int64", name=LINE_COLUMN)
        )
        return _typed(spec, empty), FileReport(spec.name, present=False)
    file, header = table.display_name, table.header_line
    rows = table.rows.copy()
    columns = tuple(table.header)
    for column in spec.columns:
        if column not in rows:
            rows[column] = ""
    by_line: dict[int, list[str]] = {}
    missing_required = [p for p in problems if p.file == file and p.line == header and p.message == "required column is missing"]
    for p in problems:
        if p.file == file and (p.line > header or p.line in table.unreadable):
            by_line.setdefault(p.line, []).append(str(p))
    rejected_lines = set(by_line) & set(rows.index) if not missing_required else set(rows.index)
    if missing_required:
        for line in rows.index:
            by_line.setdefault(line, []).extend(str(p) for p in missing_required)
    accepted = rows.loc[~rows.index.isin(list(rejected_lines))]
    rejected = rows.loc[rows.index.isin(list(rejected_lines))].copy()
    unreadable = pd.DataFrame(
        [
            {
                **(
                    {c: v for c, v in zip(table.header, cells, strict=False)}
                    # a ragged row's surplus cells are kept too, by position
                    | {f"_cell_{i}": v for i, v in enumerate(cells[len(table.header) :], start=len(table.header) + 1)}
                    if len(cells) > 1
                    else {"_raw": cells[0] if cells else ""}
                ),
                LINE_COLUMN: line,
            }
            for line, cells in table.unreadable.items()
        ]
    )
    if not unreadable.empty:
        unreadable = unreadable.set_index(LINE_COLUMN)
        rejected = pd.concat([rejected, unreadable])
    rejected[PROBLEMS_COLUMN] = [" | ".join(by_line.get(line, [])) for line in rejected.index]
    rejected = rejected.sort_index().reset_index()
    report = FileReport(
        file,
        present=True,
        rows_read=len(rows) + len(table.unreadable),
        rows_accepted=len(accepted),
        rejected=rejected,
        columns=columns,
        sheet=table.sheet,
    )
    return _typed(spec, accepted), report


def _typed(spec: FileSpec, rows: pd.DataFrame) -> pd.DataFrame:
    """Typed columns: dates as intervals with their precision, lists as lists, enums as categories."""
    frame = rows.copy()
    for f in spec.fields:
        values = frame[f.name].fillna("").astype(str) if len(frame) else frame[f.name].astype(object)
        if f.is_list:
            frame[f.name] = split_list_column(values)
        elif f.kind is Kind.ENUM:
            frame[f.name] = pd.Categorical(values.where(values != "", None), categories=list(f.values))
        elif f.kind is Kind.NUMBER:
            frame[f.name] = pd.to_numeric(values, errors="coerce")
        elif f.kind is Kind.BOOL:
            frame[f.name] = values.eq("true")
        else:
            frame[f.name] = values
    if spec.key == "claim_id" or spec.name == "events.csv":
        prefix = "date"
        bounds = date_columns(frame["date"]) if len(frame) else pd.DataFrame(columns=["start", "end", "precision"])
        frame[f"{prefix}_start"] = bounds["start"].astype("datetime64[ns]")
        frame[f"{prefix}_end"] = bounds["end"].astype("datetime64[ns]")
        frame[f"{prefix}_precision"] = bounds["precision"].astype(str) if len(frame) else pd.Series(dtype=str)
        if spec.name == "events.csv" and len(frame):
            ends = date_columns(frame["end_date"])["end"]
            frame["date_end"] = ends.where(ends.notna(), frame["date_end"]).astype("datetime64[ns]")
    if spec is CLAIMS:
        frame[SEARCH_COLUMN] = search_text(frame["quote"] + " " + frame["summary"] + " " + frame["speaker"])
    return frame.reset_index()


LIST_TYPE = pa.large_list(pa.large_string())


def split_list_column(values: pd.Series) -> pd.Series:
    """A column of ``;``-list cells as an Arrow list column: items stripped, empty items dropped.

    Vectorised (no Python list per row); iterating it still yields plain Python lists.
    """
    array = pa.array(values.fillna("").astype(str), type=pa.large_string())
    parts = pc.split_pattern(array, pattern=";")
    items = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    parents = pc.list_parent_indices(parts)
    non_empty = pc.not_equal(items, "")
    items, parents = pc.filter(items, non_empty), pc.filter(parents, non_empty)
    counts = np.bincount(parents.to_numpy(zero_copy_only=False), minlength=len(array)) if len(array) else np.zeros(0, int)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), type=pa.int64())
    lists = pa.LargeListArray.from_arrays(offsets, items.cast(pa.large_string()))
    return pd.Series(pd.arrays.ArrowExtensionArray(lists), index=values.index)


def search_text(values: pd.Series) -> pd.Series:
    """Case- and accent-folded text, precomputed once so that searching is a plain substring test.

    Vectorised with Arrow compute (NFKD, drop combining marks, lower case): a million quotes fold
    in about a second, where a Python loop takes a minute.
    """
    folded = _fold_array(pa.array(values.fillna("").astype(str), type=pa.large_string()))
    return pd.Series(pd.arrays.ArrowStringArray(folded.cast(pa.large_string())), index=values.index)


def _fold_array(array: pa.Array) -> pa.Array:
    ascii_rows = pc.string_is_ascii(array)
    if pc.all(ascii_rows).as_py() is not False:  # ASCII has no accents: lower-casing is all there is to do
        return pc.ascii_lower(array)
    decomposed = pc.utf8_normalize(array, form="NFKD")
    stripped = pc.replace_substring_regex(decomposed, pattern=r"\p{Mn}+", replacement="")
    lowered = pc.utf8_lower(stripped)
    # the case folds that lower-casing misses (str.casefold does them): ß → ss, final sigma → σ
    return pc.replace_substring(pc.replace_substring(lowered, pattern="ß", replacement="ss"), pattern="ς", replacement="σ")


def fold_for_search(text: str) -> str:
    """The same folding for one string (the search box), so that query and data fold alike."""
    return _fold_array(pa.array([str(text)], type=pa.large_string()))[0].as_py()
