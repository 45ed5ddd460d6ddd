"""The filter compiler: Filters in, the same statements out on every engine as the pandas reference.

* A table from ``Filters(...)`` to the claim ids it selects, on the foreign dataset (fixed ids) and on the
  curated data (filters and expectations derived from the data, through ``apply_filters``), on DuckDB
  over the cache, on SQLite, where list columns are ``;``-joined text, and on PostgreSQL when
  ``CLAIMSCOPE_TEST_POSTGRES_URL`` names a server (tests/engine_backends.py).
* A property test: on generated datasets, DuckDB's rows equal ``apply_filters``'s rows.
* SQL snapshots: what a few filters compile to for DuckDB, PostgreSQL, BigQuery, Snowflake and Trino,
  kept under tests/snapshots/ and reviewed like code (``CLAIMSCOPE_UPDATE_SNAPSHOTS=1`` rewrites them).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import ibis
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimscope.engine import connection
from claimscope.engine.cache import contract_schema, ingest
from claimscope.engine.connection import Engine
from claimscope.engine.filters import PREDICATES, filter_clauses, filter_predicate, filtered
from claimscope.engine.load import load_into
from claimscope.filters import FILTER_PARAMS, Filters, apply_filters, filter_options
from claimscope.ingest.csvio import LINE_COLUMN
from claimscope.ingest.dataset import load_folder
from claimscope.queries.scope import Scope
from claimscope.schema import CLAIMS
from tests.conftest import DATA_DIR
from tests.engine_backends import POSTGRES_URL, postgres_url
from tests.filter_cases import FOREIGN_FILTER_CASES
from tests.test_properties import SETTINGS, filters_for, valid_files

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "engine_filters"
DIALECTS = ("duckdb", "postgres", "bigquery", "snowflake", "trino")
UPDATE_SNAPSHOTS = os.environ.get("CLAIMSCOPE_UPDATE_SNAPSHOTS") == "1"


def open_engine(folder: Path, cache_dir: Path, kind: str) -> Engine:
    """DuckDB over the cache, or the cache loaded into SQLite (a backend without arrays) or PostgreSQL."""
    entry = ingest(folder, cache_dir=cache_dir)
    if kind == "duckdb":
        return Engine.duckdb(entry)
    url = f"sqlite:///{cache_dir / 'claims.sqlite'}" if kind == "sqlite" else postgres_url(folder.name)
    backend = ibis.connect(url)
    load_into(entry, backend)
    backend.disconnect()
    return Engine.from_url(url)


def selected_ids(engine: Engine, filters: Filters) -> list[str]:
    """The claim ids the compiled filters select, in line order (the reference keeps the file's order)."""
    rows = engine.execute(filtered(engine.claims, filters).order_by(LINE_COLUMN).select("claim_id"), limit=None)
    return list(rows["claim_id"])


@pytest.fixture(scope="module", params=["duckdb", "sqlite", *(["postgres"] if POSTGRES_URL else [])])
def foreign_engine(request, foreign_dir, tmp_path_factory) -> Engine:
    engine = open_engine(foreign_dir, tmp_path_factory.mktemp(f"foreign-{request.param}"), request.param)
    yield engine
    engine.close()


@pytest.mark.parametrize(("filters", "expected"), FOREIGN_FILTER_CASES)
def test_compiled_filters_select_these_claims(foreign_engine, foreign_dir, filters, expected):
    assert selected_ids(foreign_engine, filters) == expected
    assert expected == list(apply_filters(load_folder(foreign_dir).claims, filters)["claim_id"])  # the reference agrees


# --- the curated data: filters derived from what it holds ----------------------------------------------------


def most_common(options: dict, param: str, n: int = 1) -> tuple[str, ...]:
    return tuple(value for value, _ in options[param][:n])


def a_word(claims: pd.DataFrame, column: str, at: float) -> str:
    """A word of some row's text, from a position given as a fraction of the rows."""
    text = str(claims[column].iloc[int(at * (len(claims) - 1))])
    words = [w for w in re.findall(r"\w+", text) if len(w) > 3] or text.split() or [""]
    return words[len(words) // 2]


def month_of(claims: pd.DataFrame, at: float) -> str:
    ordered = claims["date_start"].dropna().sort_values()
    return f"{ordered.iloc[int(at * (len(ordered) - 1))]:%Y-%m}"


CURATED_CASES: dict[str, Callable[[pd.DataFrame, dict], Filters]] = {
    "nothing": lambda c, o: Filters(),
    "the most active speaker": lambda c, o: Filters(speaker=most_common(o, "speaker")),
    "two speaker countries": lambda c, o: Filters(country=most_common(o, "country", 2)),
    "about the most named country": lambda c, o: Filters(about=most_common(o, "about")),
    "about two countries, one stance": lambda c, o: Filters(about=most_common(o, "about", 2), stance=most_common(o, "stance")),
    "two topics": lambda c, o: Filters(topic=most_common(o, "topic", 2)),
    "reactions": lambda c, o: Filters(kind=("reaction",)),
    "every type but one": lambda c, o: Filters(type=tuple(v for v, _ in o["type"][1:])),
    "attribution and certainty": lambda c, o: Filters(
        attribution=most_common(o, "attribution"), certainty=most_common(o, "certainty")
    ),
    "from a month on": lambda c, o: Filters(date_from=month_of(c, 0.5)),
    "up to a month": lambda c, o: Filters(date_to=month_of(c, 0.3)),
    "one year": lambda c, o: Filters(date_from=month_of(c, 0.6)[:4], date_to=month_of(c, 0.6)[:4]),
    "a word of a quote in capitals": lambda c, o: Filters(q=a_word(c, "quote", 0.4).upper()),
    "two words": lambda c, o: Filters(q=f"{a_word(c, 'summary', 0.7)} {a_word(c, 'speaker', 0.7)}"),
    "without the source's own analysis": lambda c, o: Filters(authors="exclude"),
    "own analysis left out, one stance": lambda c, o: Filters(authors="exclude", stance=most_common(o, "stance")),
    "everything at once": lambda c, o: Filters(
        country=most_common(o, "country", 3), topic=most_common(o, "topic", 3), date_from=month_of(c, 0.2), q="the"
    ),
}


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> tuple[pd.DataFrame, Engine]:
    claims = load_folder(DATA_DIR).claims
    engine = open_engine(DATA_DIR, tmp_path_factory.mktemp("curated"), "duckdb")
    yield claims, engine
    engine.close()


@pytest.mark.parametrize("case", list(CURATED_CASES))
def test_compiled_filters_select_what_the_reference_selects_on_the_curated_data(curated, case):
    claims, engine = curated
    filters = CURATED_CASES[case](claims, filter_options(claims))
    assert selected_ids(engine, filters) == list(apply_filters(claims, filters)["claim_id"])


def test_every_filter_parameter_has_a_kind_the_compiler_knows():
    claims = ibis.table(ibis.Schema.from_pyarrow(contract_schema(CLAIMS)), name="claims")
    everything = Filters(
        **{p.param: ("x",) for p in FILTER_PARAMS}, date_from="2024", date_to="2025", q="word", authors="exclude"
    )
    clauses = filter_clauses(claims, everything)
    assert list(clauses) == [p.param for p in FILTER_PARAMS] + ["from,to", "q", "authors"]
    assert set(PREDICATES) == {"value", "list", "date_range", "text", "authors"}
    assert filtered(claims, Filters()) is claims
    assert filter_predicate(claims, Filters()).equals(ibis.literal(True))


def test_a_table_without_a_filtered_column_is_not_filtered_by_it():
    """As in the reference: a parameter whose column the table lacks is skipped, not an error."""
    claims = ibis.table({"claim_id": "string", "speaker": "string", "_line": "int64"}, name="claims")
    assert list(filter_clauses(claims, Filters(speaker=("a",), stance=("support",), q="x", date_from="2024"))) == ["speaker"]


# --- the property: DuckDB equals the pandas reference on generated datasets --------------------------------------


@settings(max_examples=10, **SETTINGS)
@given(st.data())
def test_duckdb_selects_the_same_rows_as_the_pandas_reference(data):
    files, _, _ = data.draw(valid_files(max_rows=12, tame=True))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "generated"
        for path, content in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(content)
        entry = ingest(folder, cache_dir=Path(scratch) / "cache")
        claims = load_folder(folder).claims
        engine = Engine.duckdb(entry)
        try:
            options = filter_options(claims)
            rows = claims.to_dict(orient="records")
            for _ in range(10):
                filters = data.draw(filters_for(options, rows))
                expected = list(apply_filters(claims, filters)[LINE_COLUMN])
                got = engine.execute(filtered(engine.claims, filters).order_by(LINE_COLUMN).select(LINE_COLUMN), limit=None)
                assert list(got[LINE_COLUMN]) == expected, filters
                assert engine.count(filtered(engine.claims, filters)) == len(expected)
        finally:
            engine.close()


# --- SQL snapshots ------------------------------------------------------------------------------------------------

SNAPSHOT_CASES: dict[str, Filters] = {
    "values": Filters(speaker=("Vladimir Putin",), stance=("support", "oppose")),
    "lists": Filters(about=("RUS", "PRK"), topic=("treaty",)),
    "dates": Filters(date_from="2024-06", date_to="2024"),
    "text": Filters(q="Ёлка  STRASSE o'neil"),
    "everything": Filters(
        speaker=("Kim Jong Un",),
        country=("PRK",),
        about=("KOR",),
        kind=("reaction",),
        stance=("concern",),
        topic=("sanctions",),
        type=("warning",),
        attribution=("direct_quote",),
        certainty=("hedged",),
        date_from="2023",
        date_to="2025-02",
        q="treaty",
    ),
}
#: names ibis makes up per compilation (BigQuery's UNNEST aliases): numbered in order of appearance
_GENERATED_NAME = re.compile(r"\bibis_[a-z_]+?_[a-z0-9]{26}\b")


def stable_sql(sql: str) -> str:
    names: dict[str, str] = {}
    return _GENERATED_NAME.sub(lambda m: names.setdefault(m.group(0), f"ibis_generated_{len(names)}"), sql).strip() + "\n"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", list(SNAPSHOT_CASES))
def test_sql_snapshot(case, dialect):
    """The SQL a filter compiles to, per dialect: a change shows in review as a diff of these files."""
    claims = ibis.table(ibis.Schema.from_pyarrow(contract_schema(CLAIMS)), name="claims")
    expr = filtered(claims, SNAPSHOT_CASES[case]).select("claim_id")
    sql = stable_sql(str(ibis.to_sql(expr, dialect=dialect)))
    path = SNAPSHOTS / case / f"{dialect}.sql"
    if UPDATE_SNAPSHOTS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with CLAIMSCOPE_UPDATE_SNAPSHOTS=1 and review the new file"
    assert sql == path.read_text(encoding="utf-8"), f"{path} changed: review, then CLAIMSCOPE_UPDATE_SNAPSHOTS=1"


# --- text queries kept by the engine ------------------------------------------------------------------------------


def _text_queries(claims: pd.DataFrame) -> list[str]:
    """Queries derived from the data: a quote's word, two words of one quote in another case, a speaker's name,
    a word with an accent folded away, and a word no claim holds."""
    quote_words = [w for w in str(claims["quote"].iloc[0]).split() if w.isalpha() and len(w) > 4]
    accented = next((w for w in " ".join(claims["quote"].astype(str)).split() if any(ord(c) > 127 for c in w)), "é")
    return [
        quote_words[0],
        f"{quote_words[1].upper()}  {quote_words[2].lower()}",
        str(claims["speaker"].iloc[-1]),
        accented,
        "zzqxnotaword",
    ]


def test_kept_text_matches_select_what_the_text_predicate_selects(curated):
    claims, engine = curated
    for query in _text_queries(claims):
        filters = Filters(q=query, stance=("oppose", "support"))
        scope = Scope(engine, filters)
        assert scope.text_matches is not None, query
        assert "_search" not in engine.to_sql(scope.claims)  # the texts are not read again
        kept = engine.execute(scope.claims.order_by(LINE_COLUMN).select("claim_id"), limit=None)
        assert list(kept["claim_id"]) == list(apply_filters(claims, filters)["claim_id"]), query


def test_a_text_query_is_scanned_once_per_engine_and_the_oldest_is_dropped(curated, monkeypatch):
    claims, engine = curated
    statements: list[str] = []
    real = engine.backend.raw_sql
    monkeypatch.setattr(engine.backend, "raw_sql", lambda sql, *a, **k: (statements.append(sql), real(sql, *a, **k))[1])
    query = _text_queries(claims)[0]
    first = Scope(engine, Filters(q=query)).text_matches
    again = Scope(engine, Filters(q=f"  {query.upper()} ", stance=("oppose",))).text_matches  # another session
    assert again.lines.get_name() == first.lines.get_name()
    assert sum("CREATE" in sql for sql in statements) <= 1
    for index in range(connection.TEXT_MATCHES_KEPT):
        assert Scope(engine, Filters(q=f"{query} w{index}")).text_matches is not None
    assert any("DROP" in sql and first.lines.get_name() in sql for sql in statements)
    again = Scope(engine, Filters(q=query))
    assert again.matched == len(apply_filters(claims, Filters(q=query)))  # asked again, scanned again


def test_only_the_duckdb_engines_built_here_keep_text_matches(foreign_engine):
    """Over a URL (SQLite, PostgreSQL: ``_line`` is whatever a pipeline wrote) the filter tests the text itself."""
    assert foreign_engine.keeps_text_matches == foreign_engine.description.startswith("duckdb over")
    kept = Scope(foreign_engine, Filters(q="word")).text_matches
    assert (kept is not None) == foreign_engine.keeps_text_matches
