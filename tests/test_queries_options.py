"""The sidebar's and the summary's queries (claimscope.queries.options) held to their pandas references.

On every query case (tests/query_engines.py: each dataset on DuckDB in memory, over Parquet and on
PostgreSQL), under filters derived from the data: the filter options with their counts equal
``claimscope.filters.filter_options``; "what to loosen" equals ``loosen_suggestions``; a claim id is
found exactly when it is in the data, and ``parse_query_params`` reads the same view with the engine's
lookup as with the index of every id. Every query compiles for BigQuery, Snowflake and Trino.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import ibis
import pandas as pd
import pytest

from claimscope.engine import cache as cache_module
from claimscope.engine.cache import ANSWERS, contract_schema, ingest
from claimscope.engine.connection import Engine
from claimscope.engine.load import load_into
from claimscope.filters import Filters, active_params, filter_options, loosen_suggestions, parse_query_params
from claimscope.ingest.dataset import SEARCH_COLUMN, load_folder
from claimscope.queries import Scope
from claimscope.queries import options as queries
from claimscope.schema import CLAIMS
from tests.conftest import DATA_DIR
from tests.query_engines import QueryCase, query_case  # noqa: F401

NOTHING = "zzqx-no-such-word"


def _top(options: dict, param: str, n: int = 1) -> tuple[str, ...]:
    return tuple(value for value, _ in options[param][:n])


def _word(claims: pd.DataFrame) -> str:
    """A word of the data's folded search text (the longest of the first row that has one)."""
    for text in claims[SEARCH_COLUMN].dropna():
        words = str(text).split()
        if words:
            return max(words, key=len)
    return NOTHING


def _month(claims: pd.DataFrame) -> str:
    dates = claims["date_start"].dropna()
    return f"{dates.median():%Y-%m}" if len(dates) else "2024-01"


#: filters built from the case's data: name -> (claims, pandas options) -> Filters
FILTERS: dict[str, Callable[[pd.DataFrame, dict], Filters]] = {
    "none": lambda claims, options: Filters(),
    "stance": lambda claims, options: Filters(stance=_top(options, "stance")),
    "country": lambda claims, options: Filters(country=_top(options, "country", 2)),
    "authors": lambda claims, options: Filters(authors="exclude"),
    "text": lambda claims, options: Filters(q=_word(claims)),
    "list and dates": lambda claims, options: Filters(about=_top(options, "about"), date_to=_month(claims)),
    "topic and kind": lambda claims, options: Filters(topic=_top(options, "topic", 2), kind=("claim",), date_from=_month(claims)),
    "blank text": lambda claims, options: Filters(stance=_top(options, "stance"), q="  "),  # no word: no text filter
    "nothing": lambda claims, options: Filters(stance=_top(options, "stance"), q=NOTHING),
    # every kind of filter at once, matching nothing: each count is what the others keep
    "everything": lambda claims, options: Filters(
        speaker=_top(options, "speaker"),
        country=_top(options, "country", 3),
        about=_top(options, "about", 2),
        kind=("reaction",),
        stance=_top(options, "stance", 2),
        topic=_top(options, "topic"),
        type=_top(options, "type", 3),
        attribution=_top(options, "attribution", 2),
        certainty=_top(options, "certainty", 2),
        date_from=_month(claims),
        date_to=_month(claims),
        q=NOTHING,
        authors="exclude",
    ),
}


def filters_of(case, name: str) -> Filters:
    claims = case.dataset.claims
    return FILTERS[name](claims, filter_options(claims))


def test_filter_options_equal_the_reference(query_case):  # noqa: F811
    expected = filter_options(query_case.dataset.claims)
    got = queries.filter_options(query_case.engine)
    assert got == expected
    assert list(got) == list(expected)  # the sidebar's order of parameters
    assert any(len(values) > 1 for values in got.values())  # a dataset with something to count


@pytest.mark.parametrize("name", ["stance", "everything"])
def test_filter_options_ignore_the_views_filters(query_case, name):  # noqa: F811
    """The sidebar lists every value of the dataset, whatever the view keeps (as today)."""
    filters = filters_of(query_case, name)
    assert queries.filter_options(Scope(query_case.engine, filters)) == filter_options(query_case.dataset.claims)


@pytest.mark.parametrize("name", list(FILTERS))
def test_loosen_counts_equal_the_reference(query_case, name):  # noqa: F811
    filters = filters_of(query_case, name)
    expected = loosen_suggestions(query_case.dataset.claims, filters)
    assert queries.loosen_counts(Scope(query_case.engine, filters)) == expected


def test_loosen_counts_name_every_active_filter(query_case):  # noqa: F811
    """``from`` and ``to`` are cleared apart (one hint each), as the reference does."""
    filters = filters_of(query_case, "everything")
    params = [param for param, _ in queries.loosen_counts(Scope(query_case.engine, filters))]
    assert sorted(params) == sorted(active_params(filters))
    assert {"from", "to", "q", "authors", "speaker"} <= set(params)


def test_claim_exists_only_for_the_data_ids(query_case):  # noqa: F811
    ids = query_case.dataset.claims["claim_id"].astype(str)
    for claim_id in (ids.iloc[0], ids.iloc[len(ids) // 2], ids.iloc[-1]):
        assert queries.claim_exists(query_case.engine, claim_id)
        assert queries.claim_exists(Scope(query_case.engine, Filters(q=NOTHING)), claim_id)  # the filters do not hide it
    known = set(ids)
    # a near miss, another case (ids are exact), empty, a LIKE wildcard, SQL text: none is an id
    absent = [c for c in (ids.iloc[0] + "x", ids.iloc[0].swapcase(), "", "%", "' OR '1'='1") if c not in known]
    assert len(absent) >= 4
    for claim_id in absent:
        assert not queries.claim_exists(query_case.engine, claim_id)


def test_parse_query_params_reads_the_same_view_with_the_engine_lookup(query_case):  # noqa: F811
    claims = query_case.dataset.claims
    options = filter_options(claims)
    index = query_case.dataset.claim_ids
    asked: list[str] = []

    def lookup(claim_id: str) -> bool:
        asked.append(claim_id)
        return queries.claim_exists(query_case.engine, claim_id)

    known = str(claims["claim_id"].iloc[-1])
    for params in (
        {"claim": known, "stance": list(_top(options, "stance"))},
        {"claim": known + "-missing"},
        {"claim": "x" * 400},
        {"speaker": list(_top(options, "speaker"))},
    ):
        assert parse_query_params(params, options, lookup) == parse_query_params(params, options, index)
    assert asked == [known, known + "-missing"]  # only a claim id of a plausible length is looked up


@pytest.fixture(scope="module")
def sqlite_case(tmp_path_factory):
    """The curated data on SQLite, where lists are ``;``-joined text (no arrays): the options split them."""
    tmp = tmp_path_factory.mktemp("sqlite")
    url = f"sqlite:///{tmp / 'claims.sqlite'}"
    backend = ibis.connect(url)
    load_into(ingest(DATA_DIR, cache_dir=tmp / "cache"), backend)
    backend.disconnect()
    engine = Engine.from_url(url)
    yield QueryCase("curated-sqlite", load_folder(DATA_DIR), engine)
    engine.close()


def test_queries_on_a_backend_without_arrays(sqlite_case):
    assert not sqlite_case.engine.claims["about"].type().is_array()
    assert queries.filter_options(sqlite_case.engine) == filter_options(sqlite_case.dataset.claims)
    options = filter_options(sqlite_case.dataset.claims)
    # no date filter here: SQLite keeps timestamps as ISO text ("T") and the compiler's literal has a space,
    # which puts a statement of the last day of ``to`` outside (the filter compiler's matter, reported)
    for filters in (
        Filters(about=_top(options, "about"), stance=_top(options, "stance")),
        Filters(topic=_top(options, "topic", 2), about=_top(options, "about"), q=NOTHING, authors="exclude"),
    ):
        expected = loosen_suggestions(sqlite_case.dataset.claims, filters)
        assert queries.loosen_counts(Scope(sqlite_case.engine, filters)) == expected
    first = str(sqlite_case.dataset.claims["claim_id"].iloc[0])
    assert queries.claim_exists(sqlite_case.engine, first)
    assert not queries.claim_exists(sqlite_case.engine, first + "x")


def _unbound_claims() -> ibis.Table:
    return ibis.table(contract_schema(CLAIMS), name="claims")


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_queries_compile_for_warehouses(dialect):
    claims = _unbound_claims()
    everything = Filters(
        speaker=("A",),
        country=("RUS", "CHN"),
        about=("UKR",),
        kind=("reaction",),
        stance=("oppose",),
        topic=("trade",),
        type=("concern",),
        attribution=("direct_quote",),
        certainty=("hedged",),
        date_from="2024-05",
        date_to="2025",
        q="two words",
        authors="exclude",
    )
    expressions = [
        queries.options_expr(claims),
        queries.loosen_expr(claims, everything),
        queries.claim_lookup_expr(claims, "c-1"),
    ]
    for expr in expressions:
        sql = str(ibis.to_sql(expr, dialect=dialect))
        assert "claims" in sql.lower()


# --- the options kept in the cache entry ------------------------------------------------------------------


def _no_query(monkeypatch) -> list[str]:
    """Make the options' query fail loudly; the list records each attempt."""
    asked: list[str] = []

    def refuse(claims):
        asked.append("query")
        raise AssertionError("the options were queried")

    monkeypatch.setattr(queries, "options_expr", refuse)
    return asked


def _answers(entry) -> dict:
    return json.loads((entry.path / ANSWERS).read_text(encoding="utf-8"))


def test_options_are_kept_in_the_entry_and_read_back_by_the_next_engine(tmp_path, monkeypatch):
    entry = ingest(DATA_DIR, cache_dir=tmp_path)
    assert not (entry.path / ANSWERS).exists()
    first = Engine.duckdb(entry)
    expected = filter_options(load_folder(DATA_DIR).claims)
    assert queries.filter_options(first) == expected
    first.close()
    assert queries.OPTIONS_ANSWER in _answers(entry)
    asked = _no_query(monkeypatch)
    again = Engine.duckdb(ingest(DATA_DIR, cache_dir=tmp_path))  # a restart: the entry as the next start finds it
    got = queries.filter_options(again)
    again.close()
    assert got == expected and list(got) == list(expected)
    assert all(isinstance(value, str) and type(n) is int for values in got.values() for value, n in values)
    assert asked == []


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda entry, kept: kept.update(version="another"), id="made by other code"),
        pytest.param(lambda entry, kept: kept.update(entry="0" * 16), id="made for other inputs"),
        pytest.param(lambda entry, kept: kept["value"].pop("speaker"), id="a parameter missing"),
        pytest.param(lambda entry, kept: kept["value"]["stance"].append(["oppose", "many"]), id="a count not a number"),
        pytest.param(lambda entry, kept: kept.update(value=[1, 2]), id="not a mapping"),
    ],
)
def test_kept_options_not_made_for_this_entry_and_code_are_counted_again(tmp_path, spoil):
    entry = ingest(DATA_DIR, cache_dir=tmp_path)
    expected = queries.keep_filter_options(entry)
    answers = _answers(entry)
    kept = answers[queries.OPTIONS_ANSWER]
    kept["value"]["speaker"] = [["Planted speaker", 1]]  # what the options would show, were this answer used
    spoil(entry, kept)
    (entry.path / ANSWERS).write_text(json.dumps(answers), encoding="utf-8")
    engine = Engine.duckdb(entry)
    assert queries.filter_options(engine) == expected
    engine.close()
    assert _answers(entry)[queries.OPTIONS_ANSWER]["version"] == queries.OPTIONS_VERSION  # written again, whole
    assert queries.filter_options(Engine.duckdb(entry)) == expected


@pytest.mark.parametrize("content", ["{not json", "[]", '{"filter_options": 3}'])
def test_an_unreadable_answers_file_is_counted_again(tmp_path, content):
    entry = ingest(DATA_DIR, cache_dir=tmp_path)
    (entry.path / ANSWERS).write_text(content, encoding="utf-8")
    expected = filter_options(load_folder(DATA_DIR).claims)
    assert queries.filter_options(Engine.duckdb(entry)) == expected
    assert queries.OPTIONS_ANSWER in _answers(entry)


def test_an_entry_that_cannot_be_written_still_gives_the_options(tmp_path, monkeypatch):
    """A read-only cache (another user's, a full disk): the options are counted, nothing is left behind."""
    entry = ingest(DATA_DIR, cache_dir=tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache_module.tempfile, "mkstemp", refuse)
    assert queries.filter_options(Engine.duckdb(entry)) == filter_options(load_folder(DATA_DIR).claims)
    assert not entry.keep_answer("x", "1", 1)
    assert not (entry.path / ANSWERS).exists()
    monkeypatch.undo()
    monkeypatch.setattr(cache_module.os, "replace", refuse)  # the temporary file is written, then cannot be moved
    assert not entry.keep_answer("x", "1", 1)
    assert [p.name for p in entry.path.iterdir() if p.name.startswith(f".{ANSWERS}")] == []


def test_keeping_an_answer_that_cannot_be_written_leaves_nothing_behind(tmp_path, monkeypatch):
    entry = ingest(DATA_DIR, cache_dir=tmp_path)
    assert not entry.keep_answer("bad", "1", {"not json": object()})
    assert entry.keep_answer("good", "1", [1, 2])
    assert entry.kept_answer("good", "1") == [1, 2] and entry.kept_answer("good", "2") is None
    assert sorted(p.name for p in entry.path.iterdir() if p.name.startswith(f".{ANSWERS}")) == []


def test_engines_without_a_cache_entry_keep_nothing(tmp_path, monkeypatch):
    loaded = load_folder(DATA_DIR)
    engine = Engine.from_dataset(loaded)
    assert engine.entry is None
    assert queries.filter_options(engine) == filter_options(loaded.claims)
    asked = _no_query(monkeypatch)
    with pytest.raises(AssertionError):
        queries.filter_options(engine)  # no entry: every call queries (the server caches it per dataset)
    assert asked == ["query"]
