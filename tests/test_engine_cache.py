"""The cache of validated Parquet: ingest once, serve from the cache, re-ingest when any input byte changes.

Expected values come from :func:`claimscope.ingest.dataset.load_folder` on the same folder (the reference
the cache must reproduce), never from counts of the curated data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import claimscope.ingest.dataset
from claimscope.engine import cache
from claimscope.engine.cache import CacheError, contract_schema, dataset_files, entry_path, hash_inputs, ingest
from claimscope.filters import Filters, filter_options
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import PROBLEMS_COLUMN, SEARCH_COLUMN, DatasetFolderError, LazyFrames, load_folder, read_folder
from claimscope.queries import options as option_queries
from claimscope.schema import CLAIMS, FILES
from tests.conftest import DATA_DIR, ROOT
from tests.corpus_helpers import base_files, set_cell, write_folder


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own cache root: nothing is written to the user's cache."""
    root = tmp_path / "cache-root"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(root))
    return root


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """A copy of the curated data (which may grow large: only a few tests use it)."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The validation corpus's small dataset, every file of the contract and a text: tests change it byte by byte."""
    return write_folder(base_files(), tmp_path / "small")


class Spy:
    """Counts the calls of load_folder while letting them through."""

    def __init__(self) -> None:
        self.calls = 0
        self.real = claimscope.ingest.dataset.load_folder

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.real(*args, **kwargs)


def refuse(*args, **kwargs):
    raise AssertionError("load_folder was called: the cache should have answered")


def tables_of(entry: cache.CacheEntry) -> dict[str, pa.Table]:
    return {name: entry.read_table(name) for name in entry.tables}


def test_second_ingest_of_unchanged_files_parses_nothing_and_gives_the_same_tables(curated, monkeypatch):
    first = ingest(curated)
    assert not first.from_cache
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", refuse)
    second = ingest(curated)
    assert second.from_cache
    assert second.path == first.path
    assert second.manifest == first.manifest
    assert set(tables_of(second)) == set(cache.TABLE_NAMES)
    for name, table in tables_of(first).items():
        assert tables_of(second)[name].equals(table), name


def first_text_file(folder: Path) -> str:
    return next(path for path in dataset_files(folder) if path.startswith("texts/"))


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test a moment ago count as old enough for their sizes and times to be recorded."""
    monkeypatch.setattr(cache, "RECENT_SECONDS", -3600.0)


def refuse_hashing(*args, **kwargs):
    raise AssertionError("a file was hashed: its recorded size and times should have answered")


def test_a_restart_on_unchanged_files_hashes_nothing(small, monkeypatch, remembered):
    first = ingest(small)
    assert (
        json.loads((first.path / cache.INPUT_STATS).read_text())["claims.csv"]["sha256"] == first.manifest["inputs"]["claims.csv"]
    )
    monkeypatch.setattr(cache, "hash_inputs", refuse_hashing)
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", refuse)
    heard: list[str] = []
    again = ingest(small, progress=lambda stage, rows: heard.append(stage))
    assert again.from_cache and again.manifest == first.manifest
    assert not any(stage.startswith("hashing") for stage in heard)


def test_files_changed_a_moment_ago_are_not_recorded_and_are_hashed_next_time(small, monkeypatch):
    # the files were written just now: "a moment" is stretched to an hour, so that a slow ingest still finds them recent
    monkeypatch.setattr(cache, "RECENT_SECONDS", 3600.0)
    first = ingest(small)
    assert not (first.path / cache.INPUT_STATS).exists()
    hashed = []
    real = cache.hash_inputs
    monkeypatch.setattr(cache, "hash_inputs", lambda folder: hashed.append(folder) or real(folder))
    assert ingest(small).from_cache
    assert len(hashed) == 1


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(lambda record: record.pop("claims.csv"), id="a file missing from the record"),
        pytest.param(lambda record: record["claims.csv"]["stat"].__setitem__(1, 0), id="another modification time"),
        pytest.param(lambda record: record.__setitem__("texts/new.txt", record["claims.csv"]), id="a file no longer there"),
    ],
)
def test_a_record_that_does_not_match_every_file_means_hashing(small, monkeypatch, remembered, record):
    entry = ingest(small)
    path = entry.path / cache.INPUT_STATS
    changed = json.loads(path.read_text())
    record(changed)
    path.write_text(json.dumps(changed))
    stats = cache.input_stats(small, dataset_files(small))
    assert cache.remembered_inputs(entry.path, stats) is None
    path.write_text("not json")
    assert cache.remembered_inputs(entry.path, stats) is None
    assert ingest(small).from_cache


@pytest.mark.parametrize("remember", [False, True], ids=["hashed", "sizes and times recorded"])
@pytest.mark.parametrize("which", ["claims.csv", "text file", "datapackage.json"])
def test_a_changed_byte_in_any_file_re_ingests(small, monkeypatch, which, remember):
    """Size and modification time are kept: the content hash tells, or (with a record) the file's status change time."""
    # every file counts as just written (no record: the hash decides), or none does (the record decides)
    monkeypatch.setattr(cache, "RECENT_SECONDS", -3600.0 if remember else 3600.0)
    entry = ingest(small)
    assert (entry.path / cache.INPUT_STATS).exists() == remember
    relative = first_text_file(small) if which == "text file" else which
    path = small / relative
    data = bytearray(path.read_bytes())
    stat = path.stat()
    at = data.index(b"e", len(data) // 2)  # one byte in the middle, same length
    data[at : at + 1] = b"E"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    spy = Spy()
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", spy)
    again = ingest(small)
    assert spy.calls == 1
    assert not again.from_cache
    assert again.problems == load_folder(small).problems
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", refuse)
    assert ingest(small).from_cache  # and then the new entry is current


def test_a_new_or_removed_text_file_re_ingests(small, monkeypatch):
    ingest(small)
    (small / "texts" / "extra.txt").write_text("more", encoding="utf-8")
    spy = Spy()
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", spy)
    assert not ingest(small).from_cache
    (small / "texts" / "extra.txt").unlink()
    assert not ingest(small).from_cache
    assert spy.calls == 2


def test_hashed_files_are_exactly_the_files_the_loader_reads(curated, small, foreign_dir, hostile_dir):
    (small / "texts" / "nested").mkdir()
    (small / "texts" / "nested" / "deeper.txt").write_text("x", encoding="utf-8")
    (small / "texts" / "link.txt").symlink_to(small / "texts" / "seed.txt")  # read_folder skips links in texts/
    (small / "notes.csv").write_text("not a dataset file", encoding="utf-8")
    for folder in (curated, small, foreign_dir, hostile_dir):
        assert dataset_files(folder) == list(read_folder(folder)), folder
        assert set(hash_inputs(folder)) == set(read_folder(folder))


def broken_folder(root: Path) -> Path:
    files = base_files()
    set_cell(files, "claims.csv", 4, "stance", "positive")
    set_cell(files, "countries.csv", 2, "lat", "91")
    files["texts/seed.txt"] = files["texts/seed.txt"].replace(b"Kim called", b"Kim \xe9 called")
    files["claims.csv"] += b'bad,"unterminated\n'
    return write_folder(files, root)


def test_the_manifest_carries_the_problems_exactly_as_load_folder_reports_them(tmp_path, monkeypatch):
    folder = broken_folder(tmp_path / "broken")
    loaded = load_folder(folder)
    assert loaded.problems  # the case is broken, or it tests nothing
    entry = ingest(folder)
    assert entry.problems == loaded.problems
    assert [f"{p['file']}:{p['line']}:{p['column']}: {p['message']}" for p in entry.manifest["problems"]] == [
        str(p) for p in loaded.problems
    ]
    assert not entry.is_valid
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", refuse)
    assert ingest(folder).problems == loaded.problems  # from the cache, the same report


def test_rows_read_accepted_and_rejected_rows_per_file(tmp_path):
    folder = broken_folder(tmp_path / "broken")
    loaded = load_folder(folder)
    entry = ingest(folder)
    for spec in FILES:
        report, info = loaded.reports[spec.name], entry.files[spec.name]
        assert (info["present"], info["rows_read"], info["rows_accepted"]) == (
            report.present,
            report.rows_read,
            report.rows_accepted,
        )
        assert entry.manifest["tables"][spec.stem]["rows"] == report.rows_accepted == entry.read_table(spec.stem).num_rows
        rejected = entry.rejected(spec.name)
        assert list(rejected[LINE_COLUMN]) == list(report.rejected[LINE_COLUMN]) if len(report.rejected) else rejected.empty
        if len(report.rejected):
            assert list(rejected[PROBLEMS_COLUMN]) == list(report.rejected[PROBLEMS_COLUMN])


def test_tables_are_typed_and_hold_what_the_loader_accepted(curated):
    loaded = load_folder(curated)
    entry = ingest(curated)
    claims = entry.read_table("claims")
    for name, type_ in zip(contract_schema(CLAIMS).names, contract_schema(CLAIMS).types, strict=True):
        assert claims.schema.field(name).type == type_, name
    assert pa.types.is_list(claims.schema.field("about").type)
    frame = claims.to_pandas()
    expected = loaded.claims
    assert list(frame["claim_id"]) == list(expected["claim_id"])
    assert list(frame[LINE_COLUMN]) == list(expected[LINE_COLUMN])
    assert [list(items) for items in frame["topics"]] == [list(items) for items in expected["topics"]]
    assert list(frame[SEARCH_COLUMN]) == list(expected[SEARCH_COLUMN])
    pd.testing.assert_series_equal(
        frame["date_start"].astype("datetime64[ns]"), expected["date_start"], check_names=False, check_index=False
    )
    assert list(frame["stance"].fillna("")) == list(expected["stance"].astype(object).fillna(""))
    texts = entry.read_table("texts").to_pydict()
    assert dict(zip(texts["source_id"], texts["text"], strict=True)) == loaded.texts
    assert entry.package == {
        "title": loaded.title,
        "version": loaded.version,
        "subject": loaded.subject,
        "topics": loaded.topic_vocabulary,
    }


def test_the_cache_root_comes_from_the_environment(small, tmp_path, monkeypatch, private_cache):
    assert ingest(small).path.parent == private_cache
    monkeypatch.delenv(cache.ENV_CACHE_DIR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert ingest(small).path.parent == tmp_path / "xdg" / "claimscope"
    assert ingest(small, cache_dir=tmp_path / "explicit").path.parent == tmp_path / "explicit"


def test_folders_of_the_same_name_get_their_own_entries(tmp_path, small):
    other = write_folder(base_files(), tmp_path / "elsewhere" / "small")
    assert entry_path(small) != entry_path(other)
    assert entry_path(small).name.startswith("small-")


@pytest.mark.parametrize("constant", ["CACHE_FORMAT", "SCHEMA_VERSION", "LOADER_VERSION"])
def test_another_contract_loader_or_layout_re_ingests(small, monkeypatch, constant):
    ingest(small)
    monkeypatch.setattr(cache, constant, "other")
    spy = Spy()
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", spy)
    assert not ingest(small).from_cache
    assert spy.calls == 1


def test_an_incomplete_or_unreadable_entry_is_rebuilt(small):
    entry = ingest(small)
    entry.tables["claims"].unlink()
    assert not ingest(small).from_cache
    (entry.path / cache.MANIFEST).write_text("{not json", encoding="utf-8")
    assert not ingest(small).from_cache


def test_the_entry_is_replaced_whole_and_no_temporary_folder_is_left(small, private_cache):
    ingest(small)
    (small / "claims.csv").write_bytes((small / "claims.csv").read_bytes() + b"\n")
    ingest(small)
    assert [p.name for p in private_cache.iterdir()] == [entry_path(small).name]


def test_progress_names_every_stage_with_its_rows(small):
    heard: list[tuple[str, int | None]] = []
    ingest(small, progress=lambda stage, rows: heard.append((stage, rows)))
    loaded = load_folder(small)
    stages = [stage for stage, _ in heard]
    assert stages[0].startswith("hashing")
    for spec in FILES:
        report = loaded.reports[spec.name]
        if report.present:
            assert (f"reading {spec.name}", report.rows_read) in heard
            assert (f"validating {spec.name}", report.rows_read) in heard
        assert (f"writing {spec.name}", report.rows_accepted) in heard
    assert stages.index("reading claims.csv") < stages.index("validating claims.csv") < stages.index("writing claims.csv")
    heard.clear()
    ingest(small, progress=lambda stage, rows: heard.append((stage, rows)))
    assert [stage for stage, _ in heard][-1] == "cache is current"


def test_a_missing_folder_and_an_unwritable_cache_are_clear_errors(tmp_path, small):
    with pytest.raises(DatasetFolderError, match="no such folder"):
        ingest(tmp_path / "nowhere")
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(CacheError, match="cannot be written"):
        ingest(small, cache_dir=blocker)


# --- the command line ------------------------------------------------------------------------------------


def run_cli(*args: str, cache_root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "claimscope", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", cache.ENV_CACHE_DIR: str(cache_root)},
    )


def test_cli_ingest_prints_stages_with_rows_then_the_report(small, private_cache):
    loaded = load_folder(small)
    result = run_cli("ingest", str(small), cache_root=private_cache)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    rows = loaded.reports["claims.csv"].rows_read
    assert f"reading claims.csv: {rows:,} rows" in result.stderr
    assert "written to the cache" in result.stderr
    # the sidebar's options, which every server start asks for first, are counted once and kept in the entry
    options = filter_options(loaded.claims)
    assert f"counting the filter options: {sum(map(len, options.values())):,} rows" in result.stderr
    entry = ingest(small)
    assert entry.kept_answer(option_queries.OPTIONS_ANSWER, option_queries.OPTIONS_VERSION) is not None
    assert option_queries.keep_filter_options(entry) == options
    again = run_cli("ingest", str(small), cache_root=private_cache)
    assert again.returncode == 0
    assert "read from the cache" in again.stderr and "reading claims.csv" not in again.stderr
    assert "Traceback" not in result.stderr + again.stderr


def test_cli_ingest_keeps_what_the_cascade_section_opens_on(curated, private_cache, monkeypatch):
    """The largest thread and the picker's statements (each a scan of every claim) are asked by the ingest and kept
    in the entry: a server's engine over it reads them back without a query."""
    from claimscope.engine.connection import Engine
    from claimscope.queries import cascade as cascade_queries
    from claimscope.queries.claims import MAX_PICKER_OPTIONS
    from claimscope.queries.scope import Scope
    from claimscope.views import cascade as cascade_reference

    result = run_cli("ingest", str(curated), cache_root=private_cache)
    assert result.returncode == 0, result.stderr
    claims = load_folder(curated).claims
    answered = cascade_reference.threads(claims)
    in_thread = claims["responds_to"].astype(str).str.strip().ne("") | claims["claim_id"].isin(answered["node_id"])
    expected = claims.loc[in_thread, ["claim_id", "speaker", "date"]].head(MAX_PICKER_OPTIONS).reset_index(drop=True)
    assert len(expected) > 1
    assert f"listing the cascade picker's statements: {len(expected):,} rows" in result.stderr
    engine = Engine.duckdb(ingest(curated))
    try:
        monkeypatch.setattr(engine.backend, "to_pyarrow", lambda *args, **kwargs: pytest.fail("asked the engine"))
        largest, picked = cascade_queries.cascade_picker(Scope(engine, Filters()))
    finally:
        engine.close()
    pd.testing.assert_frame_equal(largest, answered.head(1))
    pd.testing.assert_frame_equal(picked, expected)


@pytest.mark.parametrize(
    ("module", "step", "warning"),
    [
        ("claimscope.queries.options", "keep_filter_options", "the filter options were not kept"),
        ("claimscope.queries.cascade", "keep_picker_answers", "the cascade picker's statements were not kept"),
    ],
)
def test_cli_ingest_still_reports_when_an_answer_cannot_be_kept(small, private_cache, monkeypatch, capsys, module, step, warning):
    """What the ingest asks for the servers (the sidebar's options, the cascade picker's answers) is a bonus: when it
    cannot be kept, the ingest warns and still reports."""
    import importlib

    from claimscope import __main__ as cli

    def fail(entry):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importlib.import_module(module), step, fail)
    assert cli.ingest_folder(str(small), None) == 0
    err = capsys.readouterr().err
    assert f"warning: {warning} (RuntimeError: disk full)" in err
    assert "written to the cache" in err and "Traceback" not in err


def test_cli_ingest_of_a_broken_dataset_prints_the_same_problems_as_validate(tmp_path, private_cache):
    folder = broken_folder(tmp_path / "broken")
    ingested = run_cli("ingest", str(folder), "--cache-dir", str(tmp_path / "other-root"), cache_root=private_cache)
    validated = run_cli("validate", str(folder), cache_root=private_cache)
    assert ingested.returncode == validated.returncode == 1
    assert ingested.stdout == validated.stdout != ""
    assert (tmp_path / "other-root").is_dir() and not private_cache.exists()


def test_cli_ingest_of_a_missing_folder_exits_2(tmp_path, private_cache):
    result = run_cli("ingest", str(tmp_path / "nowhere"), cache_root=private_cache)
    assert result.returncode == 2
    assert "no such folder" in result.stderr and "Traceback" not in result.stderr


def test_manifest_is_plain_json_with_its_documented_keys(small):
    manifest = json.loads((ingest(small).path / cache.MANIFEST).read_text(encoding="utf-8"))
    assert {"format", "schema_version", "loader_version", "created", "inputs", "files", "tables", "problems", "package"} <= set(
        manifest
    )
    assert all(len(digest) == 64 for digest in manifest["inputs"].values())


@pytest.mark.parametrize("which", ["curated", "small", "broken", "foreign"])
def test_the_entry_as_a_dataset_is_the_loaded_dataset_without_reading_its_claims(which, request, tmp_path, foreign_dir):
    """A restart serves the cache: the Dataset it gives must be the one load_folder gives, report included,
    and must not read the claims until something asks for them."""
    folder = {
        "curated": lambda: request.getfixturevalue("curated"),
        "small": lambda: request.getfixturevalue("small"),
        "broken": lambda: broken_folder(tmp_path / "broken"),
        "foreign": lambda: foreign_dir,
    }[which]()
    loaded = load_folder(folder)
    ingest(folder)
    served = ingest(folder).dataset()
    assert "claims" not in served.frames
    assert served.frames.loaded() == []  # each small table is read when first asked for
    assert served.gaps == loaded.gaps
    assert "claims" not in served.frames  # the gaps came from the manifest
    assert (served.name, served.package, served.texts, served.problems) == (
        loaded.name,
        loaded.package,
        loaded.texts,
        loaded.problems,
    )
    for name, report in loaded.reports.items():
        got = served.reports[name]
        assert (got.file, got.present, got.rows_read, got.rows_accepted, got.columns, got.sheet) == (
            report.file,
            report.present,
            report.rows_read,
            report.rows_accepted,
            report.columns,
            report.sheet,
        )
        assert list(got.rejected.get(LINE_COLUMN, [])) == list(report.rejected.get(LINE_COLUMN, []))
    for spec in FILES:
        expected = loaded.frames[spec.stem].reset_index(drop=True)
        got = (served.claims if spec is CLAIMS else served.frames[spec.stem]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


def test_lazy_frames_read_each_table_once_on_first_use_even_from_many_threads():
    """A served dataset's small tables are read on first use (LazyFrames), by one of the sessions asking at once."""
    calls: list[str] = []
    gate = threading.Event()

    def loader(name: str):
        def read() -> pd.DataFrame:
            gate.wait(5)
            calls.append(name)
            return pd.DataFrame({"name": [name]})

        return read

    names = ("events", "sources", "relations")
    frames = LazyFrames({name: loader(name) for name in names}, {"actors": pd.DataFrame()})
    assert sorted(frames) == ["actors", "events", "relations", "sources"] and len(frames) == 4
    assert "events" in frames and "claims" not in frames and frames.loaded() == ["actors"]
    with ThreadPoolExecutor(4) as pool:
        answers = [pool.submit(frames.__getitem__, "events") for _ in range(4)]
        time.sleep(0.2)  # the four at the frame: one reading it at the gate, three waiting for it
        gate.set()
        got = [answer.result()["name"].tolist() for answer in answers]
    assert got == [["events"]] * 4 and calls == ["events"]
    frames["sources"] = pd.DataFrame({"name": ["set"]})  # a frame set replaces its loader, which never runs
    assert frames["sources"]["name"].tolist() == ["set"] and calls == ["events"]
    del frames["relations"]  # dropped without being read
    assert calls == ["events"] and list(frames) == ["actors", "events", "sources"] and len(frames) == 3
    assert frames.pop("events")["name"].tolist() == ["events"] and "events" not in frames
    with pytest.raises(KeyError):
        frames["claims"]
    with pytest.raises(KeyError):
        del frames["relations"]
    assert frames.pop("claims", None) is None


@pytest.mark.parametrize("path", ["whole file", "chunks"])
def test_claims_are_written_in_row_groups_a_query_can_skip_and_share(curated, monkeypatch, path):
    """One row group per table makes every query read the whole claims file on one thread, and a row group per
    chunk makes many small ones; both ingest paths write groups of ``ROW_GROUP_ROWS`` rows."""
    import pyarrow.parquet as pq

    from claimscope.engine import ingest_chunks

    monkeypatch.setattr(cache, "ROW_GROUP_ROWS", 100)
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1 if path == "chunks" else 1 << 60)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 3000)  # chunks of a dozen rows or so: groups span chunks
    entry = ingest(curated)
    metadata = pq.ParquetFile(entry.tables["claims"]).metadata
    sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
    assert sum(sizes) == len(load_folder(curated).claims)
    assert len(sizes) > 1 and sizes[:-1] == [100] * (len(sizes) - 1) and 0 < sizes[-1] <= 100


def test_the_loader_fingerprint_is_its_modules_source():
    """LOADER_VERSION hashes each loader module's file as it is on disk, so that a fix in any of them re-ingests."""
    import hashlib
    import importlib.util

    digest = hashlib.sha256()
    for name in cache.LOADER_MODULES:
        digest.update(Path(importlib.util.find_spec(f"claimscope.{name}").origin).read_bytes())
    assert cache.LOADER_VERSION == digest.hexdigest()[:16]


def test_opening_a_current_cache_imports_neither_pandera_nor_openpyxl(small, private_cache):
    """A restart on a current cache neither validates nor reads workbooks: the libraries that do (0.27 s and
    0.18 s of imports) stay out of the server's start."""
    ingest(small)  # written here: the child process finds it current
    code = (
        "import sys; from pathlib import Path; from claimscope.engine.cache import ingest; "
        "from claimscope.engine.connection import Engine; "
        f"entry = ingest(Path({str(small)!r})); Engine.duckdb(entry).close(); "
        "print(entry.from_cache, sorted(m for m in ('pandera', 'openpyxl') if m in sys.modules))"
    )
    env = {**os.environ, cache.ENV_CACHE_DIR: str(private_cache)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "True []", out.stderr
