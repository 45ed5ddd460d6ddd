"""Uploads through the same ingest as a folder: the same report, the claims served from Parquet, the folder cleaned up.

Expected values come from :func:`claimscope.ingest.dataset.load_dataset` on the same files (the in-memory
reference every upload went through before), never from counts written here.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from claimscope.engine import ingest_chunks, serve
from claimscope.ingest.dataset import load_dataset
from tests.conftest import DATA_DIR
from tests.corpus_helpers import base_files, set_cell


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def broken_files() -> dict[str, bytes]:
    files = base_files()
    set_cell(files, "claims.csv", 3, "stance", "lukewarm")
    set_cell(files, "claims.csv", 4, "date", "2024-13-01")
    return files


def assert_same_dataset(served, engine, expected) -> None:
    assert served.problems == expected.problems
    for name, report in expected.reports.items():
        mine = served.reports[name]
        assert (mine.present, mine.rows_read, mine.rows_accepted) == (report.present, report.rows_read, report.rows_accepted)
        assert list(mine.rejected.get("_line", [])) == list(report.rejected.get("_line", []))
    assert engine.count(engine.claims) == len(expected.claims)
    assert list(engine.execute(engine.claims.order_by("_line").claim_id, limit=None)) == list(expected.claims["claim_id"])
    assert served.gaps == expected.gaps


@pytest.mark.parametrize("which", ["curated", "broken"])
def test_an_upload_is_ingested_as_a_folder_is(which):
    files = folder_files(DATA_DIR) if which == "curated" else broken_files()
    served, engine = serve.open_upload(files, max_file_bytes=10**9)
    try:
        assert engine.description.startswith("duckdb over")  # the Parquet of the ingest, not a copy in memory
        assert "claims" not in served.frames  # the claims stay in Parquet until something asks
        assert_same_dataset(served, engine, load_dataset(files, name="upload"))
    finally:
        engine.close()


def test_a_large_claims_upload_is_read_in_chunks_of_the_upload_size(monkeypatch):
    """An upload's ingest runs in the server's process: it reads in chunks of its own size, not a folder's."""
    calls, heard = [], []
    real = ingest_chunks.ingest_in_chunks
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 10**9)  # a folder's size: the whole file in one chunk
    monkeypatch.setattr(serve, "UPLOAD_CHUNK_BYTES", 300)
    monkeypatch.setattr(ingest_chunks, "ingest_in_chunks", lambda *a, **k: (calls.append(a), real(*a, **k))[1])
    files = broken_files()
    served, engine = serve.open_upload(files, max_file_bytes=10**9, progress=lambda stage, rows: heard.append((stage, rows)))
    try:
        assert calls
        read = [rows for stage, rows in heard if stage == "reading claims.csv" and rows is not None]
        assert len(read) > 1 and read == sorted(read)  # several chunks of 300 bytes, their rows counted as they go
        assert_same_dataset(served, engine, load_dataset(files, name="upload"))
    finally:
        engine.close()


def test_the_upload_folder_goes_with_its_engine():
    served, engine = serve.open_upload(base_files(), max_file_bytes=10**9)
    folder = Path(engine.description.removeprefix("duckdb over "))
    assert folder.is_dir()
    engine.close()
    del served, engine
    gc.collect()
    assert not folder.exists()
    assert not folder.parent.parent.exists()  # the upload's own temporary root, its files and its cache


@pytest.mark.parametrize("case", ["too large", "a path out of the folder"])
def test_what_a_folder_cannot_hold_takes_the_in_memory_way(case):
    files = base_files()
    limit = 10**9
    if case == "too large":
        limit = len(files["claims.csv"]) - 1
    else:
        files["../outside.txt"] = b"x"
    served, engine = serve.open_upload(files, max_file_bytes=limit)
    try:
        assert engine.description.startswith("duckdb in memory")
        assert served.problems == load_dataset(files, name="upload", max_file_bytes=limit).problems
    finally:
        engine.close()


def run_in_threads(calls: int, work, timeout: float = 120) -> list:
    """``work(i)`` in ``calls`` daemon threads at once; their answers in order (a thread still blocked after
    ``timeout`` fails the test instead of hanging it)."""
    answers: list = [None] * calls
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            answers[i] = work(i)
        except BaseException as exc:  # handed to the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting for its turn"
    if errors:
        raise errors[0]
    return answers


def test_uploads_of_several_sessions_are_read_one_at_a_time(monkeypatch):
    """Three sessions upload at once: one is read while the others say they wait, so one reading's memory is paid."""
    monkeypatch.setattr(serve, "_upload_readers", threading.BoundedSemaphore(1))
    lock, reading, most = threading.Lock(), [0], [0]
    others_waiting = threading.Event()
    heard: list[tuple[int, str]] = []
    real = serve.ingest

    def counted_ingest(*args, **kwargs):
        with lock:
            reading[0] += 1
            most[0] = max(most[0], reading[0])
        others_waiting.wait(timeout=60)  # the first reading lasts until the other two have been heard waiting
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                reading[0] -= 1

    def progress_of(session: int):
        def progress(stage, rows):
            with lock:
                heard.append((session, stage))
                if len({who for who, said in heard if said == serve.WAITING_STAGE}) == 2:
                    others_waiting.set()

        return progress

    monkeypatch.setattr(serve, "ingest", counted_ingest)
    opened = run_in_threads(3, lambda i: serve.open_upload(base_files(), max_file_bytes=10**9, progress=progress_of(i)))
    try:
        assert most[0] == 1
        assert len({who for who, said in heard if said == serve.WAITING_STAGE}) == 2  # each waiting session says so
        expected = load_dataset(base_files(), name="upload")
        for served, engine in opened:
            assert_same_dataset(served, engine, expected)
    finally:
        for _, engine in opened:
            engine.close()


def test_a_waiting_upload_says_so_again_while_it_waits(monkeypatch):
    """The status of a session whose upload waits keeps saying so (and so shows the time waited)."""
    readers = threading.BoundedSemaphore(1)
    monkeypatch.setattr(serve, "_upload_readers", readers)
    monkeypatch.setattr(serve, "WAIT_REPORT_SECONDS", 0.05)
    heard: list[str] = []
    readers.acquire()  # another session's upload is being read
    threading.Timer(0.5, readers.release).start()
    served, engine = serve.open_upload(base_files(), max_file_bytes=10**9, progress=lambda stage, rows: heard.append(stage))
    try:
        assert heard.count(serve.WAITING_STAGE) >= 3
        assert heard.index(serve.WAITING_STAGE) == 0 and serve.WAITING_STAGE not in heard[heard.count(serve.WAITING_STAGE) :]
        assert_same_dataset(served, engine, load_dataset(base_files(), name="upload"))
    finally:
        engine.close()


@pytest.mark.parametrize("ending", ["the reading fails", "a path out of the folder (read in memory)", "read"])
def test_an_uploads_turn_is_given_back_however_it_ends(monkeypatch, ending):
    readers = threading.BoundedSemaphore(1)
    monkeypatch.setattr(serve, "_upload_readers", readers)
    files = base_files()
    if ending == "the reading fails":
        monkeypatch.setattr(serve, "ingest", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk gone")))
        with pytest.raises(RuntimeError, match="disk gone"):
            serve.open_upload(files, max_file_bytes=10**9)
    else:
        if ending != "read":
            files["../outside.txt"] = b"x"
        _, engine = serve.open_upload(files, max_file_bytes=10**9)
        engine.close()
    assert readers.acquire(blocking=False)  # free for the next session's upload
    readers.release()


def test_a_file_over_the_limit_is_refused_without_waiting_for_another_upload(monkeypatch):
    readers = threading.BoundedSemaphore(1)
    monkeypatch.setattr(serve, "_upload_readers", readers)
    heard: list[str] = []
    files = base_files()
    limit = len(files["claims.csv"]) - 1
    readers.acquire()  # another session's upload is being read, and stays so
    try:
        [(served, engine)] = run_in_threads(
            1, lambda _: serve.open_upload(files, max_file_bytes=limit, progress=lambda stage, rows: heard.append(stage)), 60
        )
    finally:
        readers.release()
    try:
        assert serve.WAITING_STAGE not in heard
        assert served.problems == load_dataset(files, name="upload", max_file_bytes=limit).problems  # reported too large
    finally:
        engine.close()


def test_a_folder_keeps_the_folder_chunk_size(monkeypatch, tmp_path):
    """Only uploads read in the smaller chunks: a folder's ingest (worker processes, before the server) keeps its own."""
    heard = []
    monkeypatch.setattr(ingest_chunks, "STREAM_ABOVE_BYTES", -1)
    monkeypatch.setattr(ingest_chunks, "CHUNK_BYTES", 300)
    monkeypatch.setattr(serve, "UPLOAD_CHUNK_BYTES", 10**9)  # an upload's size: the whole file in one chunk
    folder = tmp_path / "folder"
    for name, data in broken_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    monkeypatch.setenv("CLAIMSCOPE_CACHE_DIR", str(tmp_path / "cache"))
    _, engine = serve.open_folder(folder, progress=lambda stage, rows: heard.append((stage, rows)))
    try:
        read = [rows for stage, rows in heard if stage == "reading claims.csv" and rows is not None]
        assert len(read) > 1
        assert engine.count(engine.claims) == len(load_dataset(broken_files(), name="folder").claims)
    finally:
        engine.close()
