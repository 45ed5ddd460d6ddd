"""Answers of the unfiltered views kept in the cache entry between starts (``CacheEntry.kept_result``).

A planted answer (a row or a count the data cannot give) shows that the next engine read the kept file instead of
asking DuckDB; a change of code, of inputs or an unreadable file makes it ask again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pandas as pd
import pyarrow as pa
import pytest

from claimscope.engine import cache as cache_module
from claimscope.engine import connection
from claimscope.engine.cache import RESULTS_FOLDER, CacheEntry, ingest
from claimscope.engine.connection import SCALAR_COLUMN, Engine
from claimscope.filters import Filters
from claimscope.ingest.dataset import load_folder
from claimscope.queries import actor as actor_queries
from claimscope.queries import overview as overview_queries
from claimscope.queries.overview import stance_by_country
from claimscope.queries.scope import Scope
from claimscope.views import overview as overview_reference
from tests.conftest import DATA_DIR, ROOT
from tests.engine_backends import reingested


@pytest.fixture
def own_entry(tmp_path):
    return ingest(DATA_DIR, cache_dir=tmp_path / "cache")


def by_stance(claims):
    return claims.group_by("stance").agg(n=claims.count()).order_by("stance")


def kept_files(entry: CacheEntry) -> list:
    folder = entry.path / RESULTS_FOLDER
    return sorted(folder.glob("*.arrow")) if folder.is_dir() else []


def counting(engine: Engine, monkeypatch) -> list[str]:
    """Record every query the backend runs."""
    runs: list[str] = []
    real_arrow, real_execute = engine.backend.to_pyarrow, engine.backend.execute
    monkeypatch.setattr(engine.backend, "to_pyarrow", lambda *a, **k: (runs.append("table"), real_arrow(*a, **k))[1])
    monkeypatch.setattr(engine.backend, "execute", lambda *a, **k: (runs.append("scalar"), real_execute(*a, **k))[1])
    return runs


def plant_one_table_and_one_count(entry: CacheEntry) -> None:
    """The entry keeps one table (of stances) and one count: plant ``planted`` as the table's stance, 12345 as the
    count."""
    tables = [path for path in kept_files(entry) if SCALAR_COLUMN not in pa.ipc.open_file(str(path)).schema.names]
    scalars = [path for path in kept_files(entry) if path not in tables]
    assert len(tables) == 1 and len(scalars) == 1
    plant(tables[0], "stance", "planted")
    plant(scalars[0], SCALAR_COLUMN, 12345)


def plant(path, column: str, value) -> None:
    """Rewrite a kept answer as one row the data cannot give."""
    with pa.OSFile(str(path)) as source:
        schema = pa.ipc.open_file(source).schema
    planted = pa.table({name: [value if name == column else None] for name in schema.names}).cast(schema)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        writer.write_table(planted)


def test_an_unfiltered_answer_is_kept_in_the_entry_and_read_back_by_the_next_engine(own_entry, monkeypatch):
    first = Engine.duckdb(own_entry)
    scope = Scope(first, Filters())
    answer = scope.frame(by_stance(scope.claims), limit=None, spec=None)
    total = scope.count(scope.claims)
    first.close()
    assert total == answer["n"].sum() > 0
    plant_one_table_and_one_count(own_entry)

    second = Engine.duckdb(own_entry)
    runs = counting(second, monkeypatch)
    scope = Scope(second, Filters())
    assert scope.frame(by_stance(scope.claims), limit=None, spec=None)["stance"].tolist() == ["planted"]
    assert scope.count(scope.claims) == 12345
    assert runs == []  # neither was asked of DuckDB
    assert scope.frame(by_stance(scope.claims), limit=2, spec=None)["stance"].tolist() != ["planted"]  # another limit
    assert runs == ["table"]
    second.close()


def test_a_filtered_view_keeps_nothing_between_starts_and_an_upload_has_no_entry(own_entry, monkeypatch):
    engine = Engine.duckdb(own_entry)
    oppose = Scope(engine, Filters(stance=("oppose",)))
    stance_by_country(oppose)
    oppose.count(oppose.claims)
    assert kept_files(own_entry) == []
    stance_by_country(Scope(engine, Filters()))  # a page's own query on the unfiltered view
    assert len(kept_files(own_entry)) >= 1
    engine.close()

    upload = Engine.from_dataset(load_folder(DATA_DIR))
    unfiltered = Scope(upload, Filters())
    assert unfiltered.between_starts and upload.entry is None
    assert unfiltered.count(unfiltered.claims) > 0  # answered, kept nowhere on disk
    upload.close()


def test_the_overview_of_a_restart_is_read_from_the_entry_and_is_the_reference(own_entry, monkeypatch):
    """The path the kept answers exist for: a second engine draws the unfiltered Overview without asking DuckDB,
    and what it reads is what the pandas reference gives."""
    dataset = load_folder(DATA_DIR)
    claims = dataset.claims

    def overview(engine: Engine) -> list:
        scope = Scope(engine, Filters())
        return [
            overview_queries.headline_counts(scope, dataset),
            overview_queries.stance_by_country(scope),
            overview_queries.most_active_speakers(scope),
            overview_queries.latest_reactions(scope),
        ]

    first = Engine.duckdb(own_entry)
    overview(first)
    first.close()
    second = Engine.duckdb(own_entry)
    runs = counting(second, monkeypatch)
    counts, stances, active, latest = overview(second)
    assert runs == []
    assert counts == overview_reference.headline_counts(dataset, claims)
    pd.testing.assert_frame_equal(stances, overview_reference.stance_by_country(claims))
    pd.testing.assert_frame_equal(active, overview_reference.most_active_speakers(claims))
    pd.testing.assert_frame_equal(latest, overview_reference.latest_reactions(claims))
    second.close()


def test_a_selected_claim_keeps_nothing_between_starts(own_entry):
    engine = Engine.duckdb(own_entry)
    claim = str(load_folder(DATA_DIR).claims["claim_id"].iloc[0])
    selected = Scope(engine, Filters(claim=claim))
    assert selected.filters.is_empty and not selected.between_starts
    selected.frame(by_stance(selected.claims), limit=None, spec=None)
    assert kept_files(own_entry) == []
    engine.close()


@pytest.mark.parametrize("change", ["other code", "other inputs", "unreadable file"])
def test_a_kept_answer_of_other_code_or_inputs_or_that_cannot_be_read_is_asked_again(own_entry, change, monkeypatch):
    first = Engine.duckdb(own_entry)
    scope = Scope(first, Filters())
    expected = scope.frame(by_stance(scope.claims), limit=None, spec=None)
    first.close()
    (kept,) = kept_files(own_entry)
    plant(kept, "stance", "planted")
    entry = own_entry
    if change == "other code":
        monkeypatch.setattr(connection, "_CLAIMSCOPE_CODE", b"another version of claimscope")
    elif change == "other inputs":
        entry = reingested(own_entry)
    else:
        kept.write_bytes(b"ARROW1 not an Arrow file")
    second = Engine.duckdb(entry)
    runs = counting(second, monkeypatch)
    scope = Scope(second, Filters())
    assert scope.frame(by_stance(scope.claims), limit=None, spec=None).equals(expected)
    assert runs == ["table"]
    second.close()
    files = kept_files(own_entry)
    if change == "unreadable file":  # removed and kept anew under the same key
        assert files == [kept] and pa.ipc.open_file(str(kept)).read_all().num_rows == len(expected)
    else:  # kept under another key beside the planted one
        assert kept in files and len(files) == 2


def test_kept_answers_stay_within_their_budget_least_recently_used_first(own_entry, monkeypatch):
    monkeypatch.setattr(cache_module, "KEPT_RESULTS", 3)
    engine = Engine.duckdb(own_entry)
    scope = Scope(engine, Filters())
    hours_ago, seen = time.time() - 3 * 3600, set()
    for n in range(1, 4):
        scope.frame(scope.claims.select("claim_id").limit(n), limit=None, spec=None)
        (written,) = set(kept_files(own_entry)) - seen
        seen.add(written)
        os.utime(written, (hours_ago + 60 * n, hours_ago + 60 * n))  # written in this order, a minute apart
    oldest = min(kept_files(own_entry), key=lambda path: path.stat().st_mtime)
    first = own_entry.kept_result(engine._stored_key(scope.claims.select("claim_id").limit(1), None))
    assert first is not None and first.num_rows == 1  # read: now the most recently used
    assert oldest.stat().st_mtime > hours_ago + 3000
    scope.frame(scope.claims.select("claim_id").limit(4), limit=None, spec=None)
    files = kept_files(own_entry)
    assert len(files) == 3 and oldest in files  # the one read lately stays; the least recently used went
    monkeypatch.setattr(cache_module, "KEPT_RESULT_BYTES", 16)
    scope.frame(scope.claims.select("quote"), spec=None)
    assert kept_files(own_entry) == files  # too large to keep
    engine.close()


def test_keeping_answers_removes_temporary_files_left_by_a_stopped_process(own_entry):
    folder = own_entry.path / RESULTS_FOLDER
    folder.mkdir()
    left, busy = folder / ".abc.arrow.old", folder / ".abc.arrow.new"
    for temporary in (left, busy):
        temporary.write_bytes(b"partial")
    hours_ago = time.time() - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))
    assert own_entry.keep_result("some key", pa.table({"n": [1]}))
    assert own_entry.kept_result("some key").equals(pa.table({"n": [1]}))
    assert not left.exists() and busy.exists()


def test_answers_are_asked_at_each_start_when_the_entry_cannot_be_written(own_entry, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(cache_module.tempfile, "mkstemp", refuse)
    for _ in range(2):
        engine = Engine.duckdb(own_entry)
        runs = counting(engine, monkeypatch)
        scope = Scope(engine, Filters())
        assert scope.frame(by_stance(scope.claims), limit=None, spec=None)["n"].sum() == scope.count(scope.claims)
        assert runs == ["table", "scalar"]
        engine.close()
    assert kept_files(own_entry) == [] and not list((own_entry.path / RESULTS_FOLDER).iterdir())


def test_a_named_query_is_read_back_by_its_name_without_being_built(own_entry, monkeypatch):
    """What a restart's first page needs: the next engine finds a named answer (a table, a count) without building
    its expression, so that its backend is never opened; another limit, a filtered view or other code builds."""
    built: list[str] = []

    def named(scope: Scope, name: str, build):
        return scope.named(name, lambda: (built.append(name), build())[1])

    first = Engine.duckdb(own_entry)
    scope = Scope(first, Filters())
    answer = scope.frame(named(scope, "test.stances", lambda: by_stance(scope.claims)), limit=None, spec=None)
    total = scope.count(named(scope, "test.claims", lambda: scope.claims))
    first.close()
    assert total == answer["n"].sum() > 0 and built == ["test.stances", "test.claims"]
    plant_one_table_and_one_count(own_entry)

    second = Engine.duckdb(own_entry)
    scope = Scope(second, Filters())
    assert scope.frame(named(scope, "test.stances", lambda: by_stance(scope.claims)), limit=None, spec=None)[
        "stance"
    ].tolist() == ["planted"]
    assert scope.count(named(scope, "test.claims", lambda: scope.claims)) == 12345
    assert built == ["test.stances", "test.claims"] and not second.is_open
    other_limit = scope.frame(named(scope, "test.stances", lambda: by_stance(scope.claims)), limit=2, spec=None)
    assert other_limit["stance"].tolist() != ["planted"] and second.is_open
    oppose = Scope(second, Filters(stance=("oppose",)))
    assert not isinstance(named(oppose, "test.claims", lambda: oppose.claims), connection.NamedQuery)
    assert oppose.count(named(oppose, "test.claims", lambda: oppose.claims)) < total
    assert built[2:] == ["test.stances", "test.claims", "test.claims"]  # each built where it was asked
    # a table's name never answers for a scalar (a count kept under the same name is the table's count, apart)
    with pytest.raises(TypeError, match="to_arrow"):
        second.execute(connection.NamedQuery("test.stances", lambda: by_stance(scope.claims)), between_starts=True)
    second.close()

    monkeypatch.setattr(connection, "_CLAIMSCOPE_CODE", b"another version of claimscope")
    third = Engine.duckdb(own_entry)
    scope = Scope(third, Filters())
    assert scope.count(named(scope, "test.claims", lambda: scope.claims)) == total
    assert built[5:] == ["test.claims"]
    third.close()


#: app.py's first run in a fresh process, as a server's first session runs it: whether Ibis, DuckDB and Streamlit's
#: emoji catalogue were imported and the engine's backend opened by the end of the page (``prepare`` is where app.py's
#: run ends), which of the dataset's small tables were read, and what the page showed
FIRST_RUN = """
import json, sys
from claimscope.queries import actor
from ui import state
seen = {}
def prepare(engine):
    seen["ibis"] = "ibis" in sys.modules
    seen["duckdb"] = "duckdb" in sys.modules
    seen["emojis"] = "streamlit.emojis" in sys.modules
    seen["open"] = engine.is_open
    seen["tables"] = sorted(state.curated_dataset().frames.loaded())
actor.prepare = prepare
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=300)
at.run()
seen["errors"] = [str(e.value) for e in at.exception]
seen["metrics"] = [[m.label, m.value] for m in at.metric]
seen["charts"] = len(at.get("plotly_chart"))
print(json.dumps(seen))
"""


def test_a_restart_draws_the_overview_without_importing_ibis(tmp_path):
    """The first run on a new cache builds the Overview's queries (Ibis and DuckDB imported); a restart reads every
    answer the page and the sidebar need from the entry and draws the same page with no expression built, no
    connection made and only the small tables it shows read."""
    env = {**os.environ, "CLAIMSCOPE_DATA_DIR": str(DATA_DIR), "CLAIMSCOPE_CACHE_DIR": str(tmp_path / "cache")}

    def first_run() -> dict:
        done = subprocess.run(
            [sys.executable, "-c", FIRST_RUN, str(ROOT / "app.py")],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    cold, restarted = first_run(), first_run()
    assert cold["errors"] == [] and restarted["errors"] == []
    assert cold["ibis"] and cold["open"]
    assert not restarted["ibis"] and not restarted["duckdb"] and not restarted["open"]
    # the page's icon is an SVG of ours (an emoji loads Streamlit's catalogue of every emoji to check it)
    assert not cold["emojis"] and not restarted["emojis"]
    # of the small tables, only what the page shows: the countries' names and the events' count
    assert restarted["tables"] == ["countries", "events"]
    assert restarted["metrics"] == cold["metrics"] and len(cold["metrics"]) == 6
    assert restarted["charts"] == cold["charts"] == 1


def test_prepare_opens_an_engine_not_yet_open_only_after_the_first_page(own_entry, monkeypatch):
    """After a restart's first page (no expression built), the derived tables wait for the browser to draw it, once
    per engine, and not at all on an engine closed meanwhile; on an open engine they start at once, as before."""
    monkeypatch.setattr(actor_queries, "PREPARE_AFTER_FIRST_PAGE_S", 0.3)
    engine = Engine.duckdb(own_entry)
    actor_queries.prepare(engine)
    actor_queries.prepare(engine)  # a second run meanwhile: the one waiting task serves both
    waiting = [thread for thread in threading.enumerate() if thread.name == "claimscope-deferred"]
    assert len(waiting) == 1 and not engine.is_open
    waiting[0].join(timeout=30)
    assert engine.is_open

    def not_started():
        raise AssertionError("prepare did not start the derived table")

    assert engine.derived_table("reaction_targets", not_started, wait=True) is not None
    engine.close()

    closed = Engine.duckdb(own_entry)
    actor_queries.prepare(closed)
    closed.close()  # before the task's time: it never runs, and nothing opens the engine afterwards
    time.sleep(0.5)
    assert not closed.is_open and not closed.defer(0, lambda: None)
    with pytest.raises(connection.EngineError, match="closed"):
        closed.count(closed.claims)  # the first query would open the backend

    opened = Engine.duckdb(own_entry)
    assert opened.count(opened.claims) > 0 and opened.is_open
    actor_queries.prepare(opened)
    assert opened.derived_table("reaction_targets", not_started, wait=True) is not None
    opened.close()
