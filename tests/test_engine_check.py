"""Validation in the database: the contract's rules as queries, problems reported by row key (DuckDB and PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys

import ibis
import pytest

from claimscope.engine.cache import ingest
from claimscope.engine.check import check_engine, rule_queries, shape_problems
from claimscope.engine.connection import Engine
from claimscope.engine.load import load_into
from claimscope.schema import CLAIMS
from tests.conftest import DATA_DIR, ROOT
from tests.engine_backends import POSTGRES_URL, postgres_url

#: (SQL that breaks one rule in the loaded curated data, (table, column, rule) it must break, the key it names)
BREAKS = [
    ("UPDATE claims SET stance = 'maybe' WHERE claim_id = '{a}'", ("claims", "stance", "one_of"), "{a}"),
    ("UPDATE claims SET date = '2024-13' WHERE claim_id = '{b}'", ("claims", "date", "date"), "{b}"),
    ("UPDATE claims SET responds_to = 'no-such-claim' WHERE claim_id = '{c}'", ("claims", "responds_to", "reference"), "{c}"),
    ("UPDATE claims SET responds_to = claim_id WHERE claim_id = '{d}'", ("claims", "responds_to", "self"), "{d}"),
    ("UPDATE claims SET speaker = '' WHERE claim_id = '{e}'", ("claims", "speaker", "required"), "{e}"),
    ("UPDATE claims SET url = 'ftp://example.org/x' WHERE claim_id = '{f}'", ("claims", "url", "url"), "{f}"),
    ("UPDATE claims SET source_id = 'no-such-source' WHERE claim_id = '{g}'", ("claims", "source_id", "reference"), "{g}"),
    ("UPDATE claims SET claim_id = '{h}' WHERE claim_id = '{i}'", ("claims", "claim_id", "unique"), "{h}"),
    ("UPDATE claims SET speaker_country = 'XQZ' WHERE claim_id = '{j}'", ("claims", "speaker_country", "code"), "{j}"),
]


def curated_ids() -> dict[str, str]:
    from claimscope.ingest.dataset import load_folder

    claims = load_folder(DATA_DIR).claims
    stakeholders = claims.loc[
        claims["url"].str.startswith("http") & claims["source_id"].ne("") & claims["speaker_country"].ne("")
    ]
    ids = list(stakeholders["claim_id"])
    return dict(zip("abcdefghij", ids[:10], strict=True))


def broken_backend(kind: str, tmp_path) -> tuple[str, dict[str, str]]:
    """The curated data loaded into a database by URL, then broken once per rule of BREAKS."""
    entry = ingest(DATA_DIR, cache_dir=tmp_path / "cache")
    url = f"duckdb:///{tmp_path / 'broken.duckdb'}" if kind == "duckdb" else postgres_url("check_broken")
    backend = ibis.connect(url)
    load_into(entry, backend)
    ids = curated_ids()
    for statement, _, _ in BREAKS:
        backend.raw_sql(statement.format(**ids))
    backend.disconnect()
    return url, ids


@pytest.fixture(params=["duckdb", "postgres"])
def backend_kind(request):
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("no PostgreSQL server for this run")
    return request.param


def test_the_curated_data_breaks_no_rule_in_the_database(tmp_path):
    engine = Engine.duckdb(ingest(DATA_DIR, cache_dir=tmp_path / "cache"))
    assert check_engine(engine) == []


def test_every_broken_rule_is_reported_with_the_rows_key(backend_kind, tmp_path):
    url, ids = broken_backend(backend_kind, tmp_path)
    engine = Engine.from_url(url)
    problems = check_engine(engine)
    engine.close()
    found = {(p.table, p.column, p.rule): p for p in problems}
    for _, where, key in BREAKS:
        assert where in found, f"{where} not reported: {[str(p) for p in problems]}"
        assert key.format(**ids) in found[where].keys
    # nothing else in claims (other tables may cite the renamed claim id: relations' evidence does)
    assert {(p.table, p.column, p.rule) for p in problems if p.table == "claims"} == {where for _, where, _ in BREAKS}


def test_a_missing_or_mistyped_column_is_a_shape_problem(tmp_path):
    backend = ibis.duckdb.connect()
    entry = ingest(DATA_DIR, cache_dir=tmp_path / "cache")
    load_into(entry, backend)
    backend.raw_sql("ALTER TABLE claims DROP COLUMN stance")
    backend.raw_sql("ALTER TABLE claims ALTER COLUMN quote TYPE INTEGER USING length(quote)")
    engine = Engine(backend, {"claims": "claims"}, "test")
    found = {(p.column, p.rule) for p in shape_problems(engine, CLAIMS)}
    assert found == {("stance", "column"), ("quote", "type")}


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_every_rule_compiles_for_the_warehouses(dialect, tmp_path):
    engine = Engine.duckdb(ingest(DATA_DIR, cache_dir=tmp_path / "cache"))
    queries = rule_queries(engine)
    assert len(queries) > 20
    for query in queries:
        assert "SELECT" in ibis.to_sql(query, dialect=dialect).upper()


def test_cli_check_prints_keys_and_exits_1(tmp_path):
    url, ids = broken_backend("duckdb", tmp_path)
    done = subprocess.run([sys.executable, "-m", "claimscope", "check", url], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert f"claims [{ids['a']}] stance: is not one of" in done.stdout
    assert "Traceback" not in done.stderr
    clean = subprocess.run(
        [sys.executable, "-m", "claimscope", "check", "duckdb:///" + str(tmp_path / "nothing.duckdb")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert clean.returncode == 2 and "no table claims" in clean.stderr
