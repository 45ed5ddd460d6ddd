"""The Engine: one shared connection under concurrent sessions, bounded results, a locked-down DuckDB, and
``python -m claimscope load DIR --into URL`` round-tripping a dataset through another database.

``CLAIMSCOPE_TEST_POSTGRES_URL=postgres://user:pass@host/db`` runs the load round trip on PostgreSQL too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimscope.engine import cache as cache_module
from claimscope.engine import connection
from claimscope.engine.cache import DERIVED_FOLDER, TABLE_NAMES, CacheEntry, ingest
from claimscope.engine.connection import DEFAULT_LIMIT, Engine, EngineError, redact
from claimscope.engine.filters import filtered
from claimscope.engine.load import lists_as_text, load_into
from claimscope.filters import Filters, filter_options
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import load_folder
from tests.conftest import DATA_DIR, ROOT
from tests.datasets import CLAIM_COLUMNS, csv_text, write_dataset
from tests.engine_backends import POSTGRES_URL, postgres_url, reingested


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    return ingest(DATA_DIR, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def engine(entry):
    engine = Engine.duckdb(entry)
    yield engine
    engine.close()


def varied_filters(engine: Engine) -> list[Filters]:
    """Eight different views of the data, from the values it holds."""
    claims = load_folder(DATA_DIR).claims
    options = filter_options(claims)
    first = {param: [value for value, _ in values] for param, values in options.items()}
    month = f"{claims['date_start'].dropna().median():%Y-%m}"
    return [
        Filters(),
        Filters(speaker=tuple(first["speaker"][:1])),
        Filters(country=tuple(first["country"][:2])),
        Filters(about=tuple(first["about"][:1])),
        Filters(topic=tuple(first["topic"][:2]), kind=("claim",)),
        Filters(stance=tuple(first["stance"][:1])),
        Filters(date_from=month),
        Filters(date_to=month, q="the"),
    ]


def test_eight_threads_get_the_same_answers_as_one(engine):
    """Streamlit runs sessions in threads over one shared engine: every session must see its own counts."""
    views = varied_filters(engine)
    sequential = [engine.count(filtered(engine.claims, f)) for f in views]
    assert len(set(sequential)) > 1  # different views, or the test would not notice a mix-up
    jobs = views * 6
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda f: engine.count(filtered(engine.claims, f)), jobs))
        frames = list(pool.map(lambda f: engine.execute(filtered(engine.claims, f).select("claim_id"), limit=None), views))
    assert counts == sequential * 6
    assert [len(frame) for frame in frames] == sequential


def test_results_are_bounded_unless_asked_otherwise(engine, entry):
    rows = entry.manifest["tables"]["claims"]["rows"]
    assert len(engine.execute(engine.claims, limit=3)) == min(3, rows)
    assert len(engine.execute(engine.claims)) == min(DEFAULT_LIMIT, rows)
    assert len(engine.execute(engine.claims, limit=None)) == rows
    assert engine.execute(engine.claims.count()) == rows
    assert "claims" in engine.to_sql(engine.claims.select("claim_id")).lower()


def test_every_table_of_the_entry_is_a_view(engine, entry):
    assert engine.table_names == list(TABLE_NAMES)
    for name in TABLE_NAMES:
        assert engine.count(engine.table(name)) == entry.manifest["tables"][name]["rows"]
    with pytest.raises(EngineError, match="no table nope"):
        engine.table("nope")


def test_duckdb_reads_only_the_cache_and_cannot_be_reconfigured(engine, entry):
    outside = entry.path.parent.parent / "elsewhere.parquet"  # beside the cache root, not inside the entry
    for sql in (
        "SELECT * FROM read_csv('/etc/hostname')",
        f"SELECT * FROM read_parquet('{outside}')",
        "INSTALL httpfs",  # an extension would be downloaded: the app requests no other host
    ):
        with pytest.raises(duckdb.PermissionException):
            engine.backend.raw_sql(sql).fetchall()
    with pytest.raises(duckdb.InvalidInputException, match="Cannot change configuration"):
        engine.backend.raw_sql("SET enable_external_access = true")


def test_memtables_still_work_under_the_lockdown(engine):
    """Pages may join a small in-memory table (a memtable) with the views."""
    ids = engine.execute(engine.claims.select("claim_id"), limit=2)["claim_id"].tolist()
    wanted = ibis.memtable({"claim_id": ids})
    assert engine.count(engine.claims.semi_join(wanted, "claim_id")) == len(set(ids))


def test_redact_hides_the_password():
    assert redact("postgres://ana:s3cret@db.example:5432/claims") == "postgres://ana:***@db.example:5432/claims"
    assert redact("duckdb:///tmp/x.db") == "duckdb:///tmp/x.db"


def test_from_url_without_a_claims_table_or_server_is_a_clear_error(tmp_path):
    empty = f"duckdb:///{tmp_path / 'empty.db'}"
    with pytest.raises(EngineError, match="no table claims"):
        Engine.from_url(empty)
    with pytest.raises(EngineError, match=r"cannot connect.*"):
        Engine.from_url("postgres://ana:s3cret@127.0.0.1:1/nothing")
    try:
        Engine.from_url("postgres://ana:s3cret@127.0.0.1:1/nothing")
    except EngineError as exc:
        assert "s3cret" not in str(exc)


def test_from_url_refuses_tables_that_lack_contract_columns(tmp_path, entry):
    """A claims table without _search would make the text filter a silent no-op: refused, naming the columns."""
    url = f"duckdb:///{tmp_path / 'partial.db'}"
    backend = ibis.connect(url)
    backend.create_table("claims", entry.read_table("claims").drop_columns(["_search", "date_end"]))
    backend.disconnect()
    with pytest.raises(EngineError, match="claims lacks date_end, _search"):
        Engine.from_url(url)


def test_lists_as_text_joins_items_with_the_contracts_separator():
    table = pa.table({"about": pa.array([["RUS", "PRK"], [], None], pa.list_(pa.string())), "n": [1, 2, 3]})
    text = lists_as_text(table)
    assert text.column("about").to_pylist() == ["RUS;PRK", "", None]
    assert text.column("n").to_pylist() == [1, 2, 3]


# --- load --into ------------------------------------------------------------------------------------------------


def assert_round_trip(entry, url: str) -> None:
    """Every table arrives whole: the same row count, the same ids (keys), the same lines."""
    engine = Engine.from_url(url)
    try:
        keys = {"claims": "claim_id", "actors": "name", "countries": "code", "sources": "source_id", "events": "event_id"}
        for name in TABLE_NAMES:
            expected = entry.read_table(name)
            assert engine.count(engine.table(name)) == expected.num_rows, name
            if name in keys:
                got = engine.execute(engine.table(name).order_by(LINE_COLUMN).select(keys[name]), limit=None)
                assert got[keys[name]].tolist() == expected.sort_by(LINE_COLUMN).column(keys[name]).to_pylist(), name
        claims = engine.execute(engine.claims.order_by(LINE_COLUMN), limit=None)
        expected = entry.read_table("claims").sort_by(LINE_COLUMN).to_pandas()
        assert claims["_search"].tolist() == expected["_search"].tolist()
        assert claims["date_end"].tolist() == expected["date_end"].tolist()
    finally:
        engine.close()


def test_cli_load_into_duckdb_round_trips_the_curated_data(tmp_path, entry):
    database = tmp_path / "x.db"
    result = subprocess.run(
        [sys.executable, "-m", "claimscope", "load", str(DATA_DIR), "--into", f"duckdb:///{database}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "CLAIMSCOPE_CACHE_DIR": str(entry.path.parent)},
    )
    assert result.returncode == 0, result.stderr
    assert "read from the cache" in result.stderr  # the module's entry was current: nothing parsed again
    assert f"loaded into duckdb:///{database}" in result.stderr and "Traceback" not in result.stderr
    assert_round_trip(entry, f"duckdb:///{database}")


def test_loading_twice_replaces_the_tables(tmp_path, entry):
    url = f"duckdb:///{tmp_path / 'twice.db'}"
    for _ in range(2):
        backend = ibis.connect(url)
        written = load_into(entry, backend)
        backend.disconnect()
    assert written == {name: entry.manifest["tables"][name]["rows"] for name in TABLE_NAMES}
    assert_round_trip(entry, url)


def test_a_folder_with_only_claims_loads_into_tables_an_engine_over_a_url_accepts(tmp_path):
    """The tables of absent files are empty but in the contract's shape (their ``_line`` included), so that
    ``load DIR --into URL`` of a folder of one claims.csv serves: before, they held a pandas ``index`` instead."""
    rows = [
        {
            "claim_id": "c1",
            "date": "2024-06-19",
            "speaker": "A",
            "speaker_country": "RUS",
            "kind": "claim",
            "quote": "q",
            "summary": "s",
            "stance": "support",
            "attribution": "paraphrase",
        }
    ]
    folder = write_dataset(tmp_path / "only-claims", {"claims.csv": csv_text(CLAIM_COLUMNS, rows)})
    entry = ingest(folder, cache_dir=tmp_path / "cache")
    for name in TABLE_NAMES:
        table = entry.read_table(name)
        assert "index" not in table.column_names and (name == "texts" or LINE_COLUMN in table.column_names), name
    engine = loaded_into(entry, f"duckdb:///{tmp_path / 'only-claims.db'}")
    assert engine.count(engine.claims) == 1 and engine.count(engine.table("actors")) == 0
    engine.close()


def loaded_into(entry, url: str) -> Engine:
    """The entry written into the database at ``url`` (``load_into``), and an engine over it."""
    backend = ibis.connect(url)
    load_into(entry, backend)
    backend.disconnect()
    return Engine.from_url(url)


def test_load_into_sqlite_stores_lists_as_text(tmp_path, entry):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    engine = loaded_into(entry, url)
    try:
        assert engine.claims.schema()["about"].is_string()
        about = engine.execute(engine.claims.order_by(LINE_COLUMN).select("about"), limit=None)["about"].tolist()
        expected = entry.read_table("claims").sort_by(LINE_COLUMN).column("about").to_pylist()
        assert about == [";".join(items) for items in expected]
    finally:
        engine.close()
    assert_round_trip(entry, url)


@pytest.mark.skipif(not POSTGRES_URL, reason="set CLAIMSCOPE_TEST_POSTGRES_URL to run against PostgreSQL")
def test_load_into_postgres_round_trips_and_filters_alike(entry, engine):
    url = postgres_url("curated")
    remote = loaded_into(entry, url)
    try:
        assert_round_trip(entry, url)
        for view in varied_filters(engine):
            assert remote.count(filtered(remote.claims, view)) == engine.count(filtered(engine.claims, view)), view
    finally:
        remote.close()


def test_the_engine_package_imports_without_ibis_for_ingest():
    """``python -m claimscope ingest`` needs no Ibis: the package's names are imported lazily."""
    code = "import sys, claimscope.engine.cache; print('ibis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_engine_names_resolve_lazily():
    import claimscope.engine as engine_package

    assert engine_package.Engine is Engine
    with pytest.raises(AttributeError):
        engine_package.nothing  # noqa: B018


def test_an_answer_asked_again_is_kept_not_run_again(entry, monkeypatch):
    """Built again (another run, another session), the same query is answered from what the engine kept."""
    engine = Engine.duckdb(entry)
    runs = []
    real_arrow, real_execute = engine.backend.to_pyarrow, engine.backend.execute
    monkeypatch.setattr(engine.backend, "to_pyarrow", lambda *a, **k: (runs.append("table"), real_arrow(*a, **k))[1])
    monkeypatch.setattr(engine.backend, "execute", lambda *a, **k: (runs.append("scalar"), real_execute(*a, **k))[1])

    def by_country(claims):
        return claims.group_by("speaker_country").agg(n=claims.count()).order_by("speaker_country")

    first = engine.to_arrow(by_country(filtered(engine.claims, Filters(stance=("oppose",)))))
    again = engine.to_arrow(by_country(filtered(engine.claims, Filters(stance=("oppose",)))))
    assert again.equals(first) and runs == ["table"]
    engine.to_arrow(by_country(filtered(engine.claims, Filters(stance=("oppose",)))), limit=1)  # another limit
    engine.to_arrow(by_country(filtered(engine.claims, Filters(stance=("support",)))))  # another query
    assert runs == ["table"] * 3
    count = engine.count(filtered(engine.claims, Filters(stance=("oppose",))))
    assert engine.count(filtered(engine.claims, Filters(stance=("oppose",)))) == count == sum(first.column("n").to_pylist())
    assert runs.count("scalar") == 1
    engine.close()


@pytest.mark.parametrize("budget", ["bytes", "entries"])
def test_kept_answers_stay_within_their_budget(entry, monkeypatch, budget):
    if budget == "bytes":
        monkeypatch.setattr(connection, "RESULT_CACHE_BYTES", 4 * 2**10)
    else:
        monkeypatch.setattr(connection, "RESULT_CACHE_ENTRIES", 5)
    engine = Engine.duckdb(entry)
    rows = [engine.to_arrow(engine.claims.select("claim_id").limit(n)) for n in range(1, 40)]
    assert engine._results_bytes <= connection.RESULT_CACHE_BYTES
    assert 0 < len(engine._results) <= connection.RESULT_CACHE_ENTRIES
    assert len(engine._results) < len(rows)
    assert engine.to_arrow(engine.claims.select("claim_id").limit(1)).equals(rows[0])  # dropped, asked again
    engine.close()


def _by_stance(engine: Engine, extra: bool = False):
    claims = engine.claims
    counts = {"n": claims.count()} | ({"reactions": claims.count(where=claims.kind == "reaction")} if extra else {})
    return claims.group_by("stance").agg(**counts)


def _stances(engine: Engine, build) -> list[str]:
    table = engine.derived_table("by stance", build, wait=True)
    assert table is not None
    return sorted(engine.to_frame(table, limit=None)["stance"].astype(str))


@pytest.fixture
def own_entry(tmp_path):
    return ingest(DATA_DIR, cache_dir=tmp_path / "cache")


def _kept_files(entry: CacheEntry) -> list:
    return sorted((entry.path / DERIVED_FOLDER).glob("by_stance-*.parquet"))


def _plant(path) -> None:
    """A row the data cannot give: it shows only if an engine read the kept file instead of deriving the table."""
    table = pq.read_table(path)
    planted = pa.table({"stance": ["planted"], "n": [7]}).cast(table.schema)
    pq.write_table(pa.concat_tables([table, planted]), path)


def test_a_derived_table_is_kept_in_the_entry_and_read_back_by_the_next_engine(own_entry):
    first = Engine.duckdb(own_entry)
    derived = _stances(first, lambda: _by_stance(first))
    first.close()
    (kept,) = _kept_files(own_entry)
    assert sorted(pq.read_table(kept)["stance"].to_pylist()) == derived
    _plant(kept)
    second = Engine.duckdb(own_entry)
    builds = []
    assert _stances(second, lambda: builds.append(1) or _by_stance(second)) == sorted([*derived, "planted"])
    assert builds == [1]  # the expression is built (its SQL names the kept file) but not run
    second.close()


@pytest.mark.parametrize("change", ["other code", "other inputs", "unreadable file"])
def test_a_kept_table_of_other_code_or_inputs_or_that_cannot_be_read_is_derived_again(own_entry, change, caplog):
    first = Engine.duckdb(own_entry)
    derived = _stances(first, lambda: _by_stance(first))
    first.close()
    (kept,) = _kept_files(own_entry)
    _plant(kept)
    entry, extra = own_entry, False
    if change == "other code":
        extra = True  # another query derives the table: another fingerprint
    elif change == "other inputs":
        entry = reingested(own_entry)
    else:
        kept.write_bytes(b"PAR1 not a Parquet file")
    second = Engine.duckdb(entry)
    assert _stances(second, lambda: _by_stance(second, extra)) == derived
    second.close()
    (now,) = _kept_files(own_entry)  # kept anew; the file of the other version removed
    assert sorted(pq.read_table(now)["stance"].to_pylist()) == derived
    assert (now != kept) == (change != "unreadable file")
    if change == "unreadable file":
        assert "cannot be read" in caplog.text


def test_keeping_a_table_removes_temporary_files_left_by_a_stopped_process_not_one_being_written(own_entry):
    path = own_entry.kept_table("by stance", "v1")
    path.parent.mkdir()
    left, busy = path.parent / f".{path.name}.old", path.parent / f".{path.name}.new"
    for temporary in (left, busy):
        temporary.write_bytes(b"partial")
    hours_ago = time.time() - 2 * 3600
    os.utime(left, (hours_ago, hours_ago))
    table = pa.table({"stance": ["support"], "n": [1]})
    assert own_entry.keep_table(path, pa.RecordBatchReader.from_batches(table.schema, table.to_batches()))
    assert pq.read_table(path).equals(table)
    assert not left.exists() and busy.exists()


def test_a_derived_table_is_derived_at_each_start_when_the_entry_cannot_be_written(own_entry, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(cache_module.tempfile, "mkstemp", refuse)
    with caplog.at_level("INFO", logger="claimscope"):
        for _ in range(2):
            engine = Engine.duckdb(own_entry)
            assert "planted" not in _stances(engine, lambda engine=engine: _by_stance(engine))
            engine.close()
    assert _kept_files(own_entry) == [] and not list((own_entry.path / DERIVED_FOLDER).iterdir())
    assert caplog.text.count("could not be kept") == 2


def test_engines_over_a_url_keep_no_answers_and_derive_no_table(tmp_path, entry):
    url = f"duckdb:///{tmp_path / 'claims.duckdb'}"
    engine = loaded_into(entry, url)
    assert not engine.keeps_results
    engine.to_arrow(engine.claims.select("claim_id"))
    assert not engine._results
    assert engine.derived_table("any", lambda: engine.claims, wait=True) is None
    engine.close()


def test_a_derived_table_is_written_in_the_background_once_and_read_after(entry, caplog):
    engine = Engine.duckdb(entry)
    builds = []

    def by_stance():
        builds.append(1)
        claims = engine.claims
        return claims.group_by("stance").agg(n=claims.count())

    assert engine.derived_table("by stance", by_stance) is None  # not written yet: the caller runs the expression
    table = engine.derived_table("by stance", by_stance, wait=True)
    assert table is not None and engine.derived_table("by stance", by_stance) is table
    assert builds == [1]
    expected = engine.to_frame(by_stance().order_by("stance"), limit=None)
    pd.testing.assert_frame_equal(engine.to_frame(table.order_by("stance"), limit=None), expected)

    def broken():
        return engine.claims.select(nothing=engine.claims.claim_id.cast("int64"))  # the ids are not numbers

    assert engine.derived_table("broken", broken, wait=True) is None
    assert engine.derived_table("broken", broken) is None  # not tried again
    assert "derived table broken could not be written" in caplog.text
    engine.close()


def test_an_engine_that_cannot_open_leaves_no_connection_and_opens_at_the_next_query(own_entry, monkeypatch):
    """The connection is made by the first query that needs it: a file gone from the entry fails that query (its
    connection closed), and the next query, the file back, opens the engine as if nothing had happened."""
    made = []
    real_connect = duckdb.connect

    def connect(*args, **kwargs):
        made.append(real_connect(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(duckdb, "connect", connect)
    engine = Engine.duckdb(own_entry)
    assert made == [] and not engine.is_open  # nothing connected until a query needs it
    claims = own_entry.tables["claims"]
    moved = claims.rename(claims.with_suffix(".away"))
    with pytest.raises(duckdb.Error):
        engine.count(engine.claims)
    with pytest.raises(duckdb.ConnectionException):  # the failed opening closed its connection
        made[0].execute("SELECT 1")
    moved.rename(claims)
    assert engine.count(engine.claims) == len(load_folder(DATA_DIR).claims) and engine.is_open and len(made) == 2
    engine.close()
