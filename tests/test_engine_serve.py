"""Uploads through the same ingest as a folder: the same report, the claims served from Parquet, the folder cleaned up.

Expected values come from :func:`claimscope.ingest.dataset.load_dataset` on the same files (the in-memory
reference every upload went through before), never from counts written here.
"""

from __future__ import annotations

import gc
import threading
from concurrent.futures import ThreadPoolExecutor
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


def test_uploads_of_several_sessions_are_read_one_at_a_time(monkeypatch):
    """Three sessions upload at once: one is read while the others say they wait, so one reading's memory is paid."""
    lock, reading, most = threading.Lock(), [0], [0]
    others_waiting = threading.Event()
    heard: list[str] = []
    real = serve.ingest

    def counted_ingest(*args, **kwargs):
        with lock:
            reading[0] += 1
            most[0] = max(most[0], reading[0])
        others_waiting.wait(timeout=10)  # the first reading lasts until the other two have been heard waiting
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                reading[0] -= 1

    def progress(stage, rows):
        with lock:
            heard.append(stage)
            if heard.count(serve.WAITING_STAGE) == 2:
                others_waiting.set()

    monkeypatch.setattr(serve, "ingest", counted_ingest)
    with ThreadPoolExecutor(max_workers=3) as pool:
        opened = list(pool.map(lambda _: serve.open_upload(base_files(), max_file_bytes=10**9, progress=progress), range(3)))
    try:
        assert most[0] == 1
        assert heard.count(serve.WAITING_STAGE) == 2
        expected = load_dataset(base_files(), name="upload")
        for served, engine in opened:
            assert_same_dataset(served, engine, expected)
    finally:
        for _, engine in opened:
            engine.close()
