"""The chunked ingest of a large claims.csv gives exactly what the whole-file ingest gives.

Every dataset here is ingested twice: through :func:`claimscope.ingest.dataset.load_folder` (the reference) and
through :mod:`claimscope.engine.ingest_chunks` with chunks forced on a small file, down to a single line
per chunk, so that every row boundary, quoted line break, duplicate and reference crosses a chunk. The
manifests (report, counts, gaps, package), the accepted tables and the rejected rows must be equal.
"""

from __future__ import annotations

import codecs
import io
import shutil
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import claimscope.ingest.dataset
from claimscope import synth, synth_threads
from claimscope.engine import cache, ingest_chunks
from claimscope.engine.cache import ingest
from claimscope.engine.ingest_chunks import _Lines, line_count
from tests.conftest import DATA_DIR
from tests.corpus_helpers import CLAIMS_HEADER, CLAIMS_ROWS, add_row, base_files, drop_column, write_folder
from tests.test_validation_corpus import CASES

WHOLE, CHUNKED = "whole", "chunked"


class Calls:
    """Counts the calls of load_folder while letting them through (the whole-file path)."""

    def __init__(self) -> None:
        self.count = 0
        self.real = claimscope.ingest.dataset.load_folder

    def __call__(self, *args, **kwargs):
        self.count += 1
        return self.real(*args, **kwargs)


def ingest_both(folder: Path, root: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes: int) -> tuple:
    """The entry by the whole-file path, the entry by the chunked path, and whether the latter fell back."""
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", 1 << 60)
    whole = ingest(folder, cache_dir=root / WHOLE)
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", chunk_bytes)
    calls = Calls()
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", calls)
    chunked = ingest(folder, cache_dir=root / CHUNKED)
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", calls.real)
    return whole, chunked, calls.count > 0


def assert_same_entry(whole: cache.CacheEntry, chunked: cache.CacheEntry) -> None:
    expected, got = dict(whole.manifest), dict(chunked.manifest)
    for key in ("created",):
        expected.pop(key), got.pop(key)
    assert [str(p) for p in chunked.problems] == [str(p) for p in whole.problems]  # the report, in its order
    assert got == expected
    for name in whole.tables:
        assert chunked.read_table(name).equals(whole.read_table(name), check_metadata=True), name
    for file, info in whole.files.items():
        if info["rejected"]:
            want = pq.read_table(whole.path / info["rejected"])
            have = pq.read_table(chunked.path / chunked.files[file]["rejected"])
            assert have.equals(want, check_metadata=True), file
    assert not (chunked.path / ingest_chunks.WORK_FOLDER).exists()


def compare(files: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_bytes: int = 1) -> bool:
    folder = write_folder(files, tmp_path / "dataset")
    whole, chunked, fell_back = ingest_both(folder, tmp_path, monkeypatch, chunk_bytes)
    assert_same_entry(whole, chunked)
    return fell_back


# --- the validation corpus, the foreign and hostile datasets, the curated data, the generators -------------------


@pytest.mark.parametrize(("case_id", "mutation"), [case[:2] for case in CASES], ids=[case[0] for case in CASES])
def test_every_case_of_the_validation_corpus(case_id, mutation, tmp_path, monkeypatch):
    """One line per chunk when the case edits claims.csv; one chunk when it edits another file (the
    claims' ids then still answer that file's references through the index)."""
    files = base_files()
    mutation(files)
    edits_claims = files.get("claims.csv") != base_files()["claims.csv"]
    fell_back = compare(files, tmp_path, monkeypatch, chunk_bytes=1 if edits_claims else 1 << 30)
    assert fell_back == ("claims.csv" not in files)  # only a folder without claims.csv takes the whole-file way


@pytest.mark.parametrize("which", ["foreign", "hostile"])
def test_foreign_and_hostile_datasets(which, request, tmp_path, monkeypatch):
    folder = request.getfixturevalue(f"{which}_dir")
    whole, chunked, fell_back = ingest_both(folder, tmp_path, monkeypatch, chunk_bytes=1)
    assert not fell_back
    assert_same_entry(whole, chunked)


def test_curated_data(tmp_path, monkeypatch):
    folder = Path(shutil.copytree(DATA_DIR, tmp_path / "data"))
    size = (folder / "claims.csv").stat().st_size
    whole, chunked, fell_back = ingest_both(folder, tmp_path, monkeypatch, chunk_bytes=max(size // 12, 1))
    assert not fell_back
    assert_same_entry(whole, chunked)


@pytest.mark.parametrize(("write", "claims"), [(synth.write, 1500), (synth_threads.write, 1500)], ids=["synth", "threads"])
def test_generated_datasets_with_texts_events_and_threads(write, claims, tmp_path, monkeypatch):
    folder = write(tmp_path / "generated", claims)
    # a few duplicated ids and broken rows, so that the index's answers are used
    text = (folder / "claims.csv").read_bytes()
    lines = text.split(b"\n")
    lines[700] = lines[3]  # a duplicate of an early claim, in a later chunk
    lines[900] = lines[900][:20]  # a ragged row
    (folder / "claims.csv").write_bytes(b"\n".join(lines))
    whole, chunked, fell_back = ingest_both(folder, tmp_path, monkeypatch, chunk_bytes=len(text) // 9)
    assert not fell_back
    assert whole.problems  # the edits were seen
    assert_same_entry(whole, chunked)


# --- claims.csv across chunk boundaries ------------------------------------------------------------------------------

REACTION = dict(zip(CLAIMS_HEADER, CLAIMS_ROWS[2], strict=True))  # c3: a reaction to c1, quoting no text
CLAIM = dict(zip(CLAIMS_HEADER, CLAIMS_ROWS[1], strict=True))  # c2: a claim quoting the seed text


def more_claims(files: dict[str, bytes], count: int = 15) -> None:
    """Claims c5.. on lines 6..: claims and reactions to earlier and later claims and to the events."""
    for number in range(5, 5 + count):
        row = dict(CLAIM if number % 3 else REACTION)
        row["claim_id"] = f"c{number}"
        row["date"] = f"2024-06-{10 + number % 15:02d}"
        if number % 3 == 0:
            row["responds_to"] = {0: f"c{number - 4}", 1: f"c{number + 5}", 2: "ev2"}[number % 9 // 3]
        add_row(files, "claims.csv", **row)


def edit_lines(files: dict[str, bytes], edits: dict[int, bytes | None]) -> None:
    """Replace (or, for None, remove) whole lines of claims.csv by number."""
    lines = files["claims.csv"].split(b"\n")
    for number in sorted(edits, reverse=True):
        if edits[number] is None:
            del lines[number - 1]
        else:
            lines[number - 1] = edits[number]
    files["claims.csv"] = b"\n".join(lines)


def line_of(files: dict[str, bytes], claim_id: str) -> bytes:
    return next(line for line in files["claims.csv"].split(b"\n") if line.startswith(claim_id.encode() + b","))


def duplicates(files):
    more_claims(files)
    edit_lines(files, {14: line_of(files, "c7"), 18: line_of(files, "c7"), 19: line_of(files, "c2").replace(b"c2", b"", 1)})
    edit_lines(files, {20: line_of(files, "c2").replace(b"c2", b"", 1)})  # two empty ids: not duplicates


def references(files):
    more_claims(files)
    row = dict(REACTION, claim_id="r1", responds_to="  c6 ", date="2024-06-01")  # padded, and before c6
    add_row(files, "claims.csv", **row)
    add_row(files, "claims.csv", **dict(REACTION, claim_id="ev1", date="2024-01", kind="claim", responds_to=""))
    add_row(files, "claims.csv", **dict(REACTION, claim_id="r2", responds_to="ev1", date="2024-03"))  # ev1: claim and event
    add_row(files, "claims.csv", **dict(REACTION, claim_id="r3", responds_to="nowhere"))
    add_row(files, "claims.csv", **dict(REACTION, claim_id="r4", responds_to="r4"))
    add_row(files, "claims.csv", **dict(REACTION, claim_id="r5", responds_to="c19", date="2024-06-01"))  # the last claim


def quoted_line_breaks(files):
    more_claims(files)
    files["claims.csv"] = files["claims.csv"].replace(b"Kim praises the treaty.", b'"Kim praises\r\nthe\n\ntreaty."', 1)
    add_row(files, "claims.csv", **dict(CLAIM, claim_id="m1", summary="one\ntwo\r\nthree\rfour"))
    add_row(files, "claims.csv", **dict(CLAIM, claim_id="m2", summary='"quoted"\n, and a comma'))
    add_row(files, "claims.csv", **dict(CLAIM, claim_id="m3"))


def unclosed_quote_mid_file(files):
    """The quote opened on line 9 runs on to line 15, where a quote closes it and a letter follows."""
    more_claims(files)
    edit_lines(
        files,
        {
            9: line_of(files, "c8").replace(b"c8,2024", b'c8,"2024', 1),
            15: line_of(files, "c14").replace(b"Kim praises the treaty.", b'"x"y', 1),
        },
    )


def unclosed_quote_at_the_end(files):
    more_claims(files)
    files["claims.csv"] += b'c99,"2024-06-20,never closed\nand on\n'


def set_aside_records(files):
    """Ragged rows (surplus cells, a single cell), text after a closing quote, in different chunks."""
    more_claims(files)
    edit_lines(
        files,
        {
            8: line_of(files, "c7") + b",surplus,more",
            11: b"just one cell",
            14: line_of(files, "c13") + b",surplus",
            17: b'c16,"2024-06-20"x,Kim',
            19: b"",
            20: line_of(files, "c19") + b",a,b,c",
        },
    )


def line_endings_bom_and_blank_lines(files):
    more_claims(files)
    text = files["claims.csv"].replace(b"\n", b"\r\n")
    text = text.replace(b"\r\nc9,", b"\r\n\r\n\nc9,").replace(b"\r\nc12,", b"\rc12,").replace(b"\r\nc15,", b"\nc15,")
    files["claims.csv"] = codecs.BOM_UTF8 + text


def bad_bytes(files):
    more_claims(files)
    edit_lines(files, {8: line_of(files, "c7").replace(b"Kim", b"K\xffm"), 12: line_of(files, "c11").replace(b"Kim", b"K\x00m")})


def header_quirks(files):
    more_claims(files)
    header = b"claim_id,date,speaker,speaker,,_search," + b",".join(name.encode() for name in CLAIMS_HEADER[3:])
    body = files["claims.csv"].split(b"\n", 1)[1]
    rows = [line.split(b",", 3) for line in body.split(b"\n") if line]
    files["claims.csv"] = header + b"\n" + b"".join(b",".join([*r[:3], b"x", b"y", b"z", r[3]]) + b"\n" for r in rows)


def header_over_two_lines(files):
    more_claims(files)
    files["claims.csv"] = b'"claim_\nid"' + files["claims.csv"][len(b"claim_id") :]


def missing_column(column: str):
    def run(files):
        more_claims(files)
        drop_column(files, "claims.csv", column)

    run.__name__ = f"missing_{column}"
    return run


def no_final_newline(files):
    more_claims(files)
    files["claims.csv"] = files["claims.csv"].rstrip(b"\n")


def workbook_beside(files):
    more_claims(files)
    files["claims.xlsx"] = b"not read: claims.csv is"


EDGES = [
    more_claims,
    duplicates,
    references,
    quoted_line_breaks,
    unclosed_quote_mid_file,
    unclosed_quote_at_the_end,
    set_aside_records,
    line_endings_bom_and_blank_lines,
    bad_bytes,
    header_quirks,
    header_over_two_lines,
    missing_column("date"),
    missing_column("claim_id"),
    missing_column("quote"),
    missing_column("responds_to"),
    no_final_newline,
    workbook_beside,
]


@pytest.mark.parametrize("edit", EDGES, ids=[edit.__name__ for edit in EDGES])
def test_claims_across_chunk_boundaries_one_line_per_chunk(edit, tmp_path, monkeypatch):
    files = base_files()
    edit(files)
    assert not compare(files, tmp_path, monkeypatch, chunk_bytes=1)


def test_the_edges_are_problems_the_report_names(tmp_path, monkeypatch):
    """The edge datasets are broken where they say (or the equality above tests little)."""
    expected = {
        duplicates: "duplicate claim_id 'c7' (first on line 8)",
        references: "'nowhere' is not a claim_id or event_id of this dataset",
        unclosed_quote_mid_file: "claims.csv:9:-: malformed CSV",
        unclosed_quote_at_the_end: "never closed",
        set_aside_records: "claims.csv:11:-: the row has 1 cells",
        bad_bytes: "not valid UTF-8",
        header_quirks: "duplicate column name",
    }
    for edit, message in expected.items():
        files = base_files()
        edit(files)
        report = [str(p) for p in claimscope.ingest.dataset.load_dataset(files).problems]
        assert any(message in line for line in report), (edit.__name__, report)


@pytest.mark.parametrize(
    "start",
    [
        pytest.param(lambda data: b"\n" + data, id="header-not-on-line-1"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b" \n\n", id="blank"),
        pytest.param(lambda data: data.decode().encode("utf-16"), id="utf-16"),
    ],
)
def test_a_claims_file_that_does_not_start_with_its_header_takes_the_whole_file_way(start, tmp_path, monkeypatch):
    files = base_files()
    more_claims(files)
    files["claims.csv"] = start(files["claims.csv"])
    assert compare(files, tmp_path, monkeypatch, chunk_bytes=1)
    assert not list((tmp_path / CHUNKED).glob(".*tmp-*"))  # the abandoned attempt left nothing behind


# --- the switch, the progress, the pieces ------------------------------------------------------------------------------


def test_small_claims_files_keep_the_whole_file_path(tmp_path, monkeypatch):
    folder = write_folder(base_files(), tmp_path / "small")
    assert not ingest_chunks.streams(folder)
    calls = Calls()
    monkeypatch.setattr(claimscope.ingest.dataset, "load_folder", calls)
    ingest(folder)
    assert calls.count == 1
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", (folder / "claims.csv").stat().st_size - 1)
    assert ingest_chunks.streams(folder)


def test_progress_names_each_chunk_with_its_rows_so_far(tmp_path, monkeypatch):
    files = base_files()
    set_aside_records(files)
    folder = write_folder(files, tmp_path / "dataset")
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 400)
    heard: list[tuple[str, int | None]] = []
    entry = ingest(folder, cache_dir=tmp_path / "cache", progress=lambda stage, rows: heard.append((stage, rows)))
    info = entry.files["claims.csv"]
    for stage, total in (("reading", info["rows_read"]), ("writing", info["rows_accepted"])):
        counts = [rows for name, rows in heard if name == f"{stage} claims.csv" and rows is not None]
        assert len(counts) > 3, stage  # once per chunk
        assert counts == sorted(counts) and counts[-1] == total, stage
    validating = [rows for name, rows in heard if name == "validating claims.csv"]
    assert len(validating) > 3 and validating == sorted(validating)
    stages = [name for name, _ in heard]
    assert stages.index("reading claims.csv") < stages.index("validating claims.csv") < stages.index("writing claims.csv")
    assert stages[-1] == "writing relations.csv"


def test_a_second_ingest_reads_the_chunked_entry_from_the_cache(tmp_path, monkeypatch):
    files = base_files()
    more_claims(files)
    folder = write_folder(files, tmp_path / "dataset")
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 300)
    first = ingest(folder, cache_dir=tmp_path / "cache")
    assert not first.from_cache
    second = ingest(folder, cache_dir=tmp_path / "cache")
    assert second.from_cache and second.manifest == first.manifest
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.path.name]


@pytest.mark.parametrize(
    ("data", "size", "runs"),
    [
        (b"a\nb\nc\n", 1, [b"a\n", b"b\n", b"c\n"]),
        (b"a\nb\nc", 3, [b"a\n", b"b\n", b"c"]),  # what a read holds up to its last line end
        (b"ab\ncd\nef\n", 4, [b"ab\n", b"cd\n", b"ef\n"]),
        (b"a\nb\nc\nd\n", 5, [b"a\nb\n", b"c\nd\n"]),
        (b"a\r\nb\r\n", 2, [b"a\r\n", b"b\r\n"]),  # never between \r and \n
        (b"a\rb\rc\n", 1, [b"a\rb\rc\n"]),  # lone CRs end lines the reader counts, not runs
        (b"long line\nx\n", 4, [b"long line\nx\n"]),  # a line longer than a read is read whole
        (b"", 5, [b""]),
        (b"no newline at all", 3, [b"no newline at all"]),
    ],
)
def test_runs_of_whole_lines(data, size, runs):
    pieces = _Lines(io.BytesIO(data), size)
    taken = [pieces.take()]
    while not pieces.done:
        taken.append(pieces.take())
    assert taken == runs
    assert b"".join(taken) == data


@pytest.mark.parametrize(
    ("data", "lines"),
    [(b"", 0), (b"a", 1), (b"a\n", 1), (b"a\nb", 2), (b"a\r\nb\r\n", 2), (b"a\rb\r", 2), (b"\n\n\r\n", 3), (b"a\r\r\nb", 3)],
)
def test_line_count_is_the_careful_readers(data, lines):
    assert line_count(data) == lines
    text = data.decode()
    assert lines == len(list(io.StringIO(text, newline="")))


# --- several processes ---------------------------------------------------------------------------------------------


class Pools:
    """Records how many workers each ingest's pool had, and what kind of executor it was."""

    def __init__(self) -> None:
        self.made: list[tuple[int, str]] = []
        self.real = ingest_chunks._pool

    def __call__(self, workers: int):
        pool = self.real(workers)
        self.made.append((workers, type(pool).__name__))
        return pool


PARALLEL_EDGES = [
    quoted_line_breaks,
    unclosed_quote_mid_file,
    unclosed_quote_at_the_end,
    duplicates,
    references,
    set_aside_records,
]


@pytest.mark.parametrize("edit", PARALLEL_EDGES, ids=[edit.__name__ for edit in PARALLEL_EDGES])
def test_two_processes_give_what_one_gives_one_line_per_chunk(edit, tmp_path, monkeypatch):
    """Runs parsed apart and taken back in order: quotes that span runs are read again with the next run."""
    files = base_files()
    edit(files)
    pools = Pools()
    monkeypatch.setattr(ingest_chunks, "_pool", pools)
    monkeypatch.setattr(ingest_chunks, "PARALLEL_ABOVE_BYTES", -1)
    monkeypatch.setenv(ingest_chunks.ENV_INGEST_WORKERS, "2")
    assert not compare(files, tmp_path, monkeypatch, chunk_bytes=1)
    assert pools.made == [(2, "ProcessPoolExecutor")]


def test_two_processes_on_a_generated_dataset_with_threads(tmp_path, monkeypatch):
    folder = synth_threads.write(tmp_path / "generated", 1200)
    lines = (folder / "claims.csv").read_bytes().split(b"\n")
    lines[800] = lines[5]  # a duplicate in a later chunk, answered by the index of another process's chunk
    (folder / "claims.csv").write_bytes(b"\n".join(lines))
    pools = Pools()
    monkeypatch.setattr(ingest_chunks, "_pool", pools)
    monkeypatch.setattr(ingest_chunks, "PARALLEL_ABOVE_BYTES", -1)
    whole = ingest(folder, cache_dir=tmp_path / WHOLE)
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", (folder / "claims.csv").stat().st_size // 7)
    heard: list[tuple[str, int | None]] = []
    chunked = ingest(folder, cache_dir=tmp_path / CHUNKED, progress=lambda stage, rows: heard.append((stage, rows)), workers=2)
    assert pools.made == [(2, "ProcessPoolExecutor")]
    assert any("duplicate claim_id" in str(p) for p in whole.problems)
    assert_same_entry(whole, chunked)
    written = [rows for stage, rows in heard if stage == "writing claims.csv" and rows is not None]
    assert len(written) >= 7 and written == sorted(written) and written[-1] == chunked.files["claims.csv"]["rows_accepted"]


def test_small_files_and_uploads_stay_in_one_process(tmp_path, monkeypatch):
    files = base_files()
    more_claims(files)
    folder = write_folder(files, tmp_path / "dataset")
    pools = Pools()
    monkeypatch.setattr(ingest_chunks, "_pool", pools)
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 300)
    monkeypatch.setenv(ingest_chunks.ENV_INGEST_WORKERS, "2")
    ingest(folder, cache_dir=tmp_path / "small")  # under PARALLEL_ABOVE_BYTES
    monkeypatch.setattr(ingest_chunks, "PARALLEL_ABOVE_BYTES", -1)
    ingest(folder, cache_dir=tmp_path / "one", workers=1)  # what an upload asks for
    assert pools.made == [(1, "_InProcess"), (1, "_InProcess")]


@pytest.mark.parametrize(
    ("value", "expected", "warns"),
    [
        (None, "cores", False),
        ("3", 3, False),
        (" 2 ", 2, False),
        ("1", 1, False),
        ("0", "cores", True),
        ("many", "cores", True),
        ("-2", "cores", True),
        ("²", "cores", True),  # a digit to str.isdigit, not to int()
    ],
)
def test_how_many_ingest_workers(value, expected, warns, monkeypatch, caplog):
    if value is None:
        monkeypatch.delenv(ingest_chunks.ENV_INGEST_WORKERS, raising=False)
    else:
        monkeypatch.setenv(ingest_chunks.ENV_INGEST_WORKERS, value)
    monkeypatch.setattr(ingest_chunks.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5}, raising=False)
    with caplog.at_level("WARNING"):
        assert ingest_chunks.ingest_workers() == (ingest_chunks.DEFAULT_MAX_WORKERS if expected == "cores" else expected)
    assert (ingest_chunks.ENV_INGEST_WORKERS in caplog.text) == warns


def test_workers_do_not_run_the_parents_main_script(tmp_path, monkeypatch):
    """Under Streamlit, ``__main__`` is the app script: a spawned worker would import (run) it again. The pool
    starts its workers without it; a plain spawn pool, the control, does run it."""
    import multiprocessing
    import types
    from concurrent.futures import ProcessPoolExecutor

    marker = tmp_path / "ran"
    script = tmp_path / "app_script.py"
    script.write_text(f"open({str(marker)!r}, 'a').write('x')\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)

    control = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        control.submit(ingest_chunks._ready).result()
    finally:
        control.shutdown()
    assert marker.exists()  # the rule the pool works around
    marker.unlink()

    pool = ingest_chunks._pool(2)
    try:
        assert [pool.submit(ingest_chunks._ready).result() for _ in range(4)] == [None] * 4
    finally:
        pool.shutdown()
    assert not marker.exists()
    assert sys.modules["__main__"] is fake_main  # put back


class BrokenPool(ingest_chunks._InProcess):
    """A pool whose workers have died: every task fails as a broken process pool fails it."""

    def submit(self, fn, /, *args, **kwargs):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future = Future()
        future.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return future


def test_a_broken_pool_ingests_again_in_one_process(tmp_path, monkeypatch, caplog):
    files = base_files()
    more_claims(files)
    folder = write_folder(files, tmp_path / "dataset")
    whole = ingest(folder, cache_dir=tmp_path / WHOLE)
    real = ingest_chunks._pool
    made = []
    monkeypatch.setattr(
        ingest_chunks, "_pool", lambda workers: made.append(workers) or (BrokenPool() if workers > 1 else real(1))
    )
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "PARALLEL_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 300)
    with caplog.at_level("WARNING"):
        chunked = ingest(folder, cache_dir=tmp_path / CHUNKED, workers=2)
    assert made == [2, 1]
    assert "ingesting" in caplog.text and "again in one process" in caplog.text
    assert_same_entry(whole, chunked)
    assert not list((tmp_path / CHUNKED).glob(".*tmp-*"))  # the broken attempt left nothing behind


def test_a_chunk_that_fails_fails_the_ingest_with_its_own_error_and_leaves_nothing(tmp_path, monkeypatch):
    """The rows waiting for their row group are dropped, not written into an entry about to be removed."""
    files = base_files()
    more_claims(files)
    folder = write_folder(files, tmp_path / "dataset")
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 300)
    real = ingest_chunks._validate_chunk
    calls = []

    def third_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("chunk three")
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest_chunks, "_validate_chunk", third_fails)
    with pytest.raises(RuntimeError, match="chunk three"):
        ingest(folder, cache_dir=tmp_path / "cache")
    assert len(calls) >= 3
    assert not any((tmp_path / "cache").iterdir())  # no entry, no temporary folder
