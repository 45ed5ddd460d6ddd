"""The Timeline's trends in the engine (claimscope.queries.trends) held to their pandas reference.

On every query case (tests/query_engines.py: each dataset on DuckDB in memory, over Parquet and on
PostgreSQL) and under filters derived from the data, :func:`queries.trend_table` gives the same
:class:`claimscope.views.trends.Trend` as :func:`claimscope.views.trends.trend_table` over the pandas filtered
claims: the same table (rows, order, dtypes), groups, counted / coarse / undated figures, the same
"N others" and the same lengthened period. The span ``auto`` reads and the blocs are the reference's
too, and every query compiles for BigQuery, Snowflake and Trino.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import pandas as pd
import pytest

from claimscope.filters import Filters
from claimscope.ingest.dataset import SEARCH_COLUMN
from claimscope.queries import Scope
from claimscope.queries import trends as queries
from claimscope.views import trends as reference
from claimscope.views.timeline import dataset_blocs
from claimscope.views.trends import INTERVALS, Trend
from tests.query_engines import UnboundEngine, query_case  # noqa: F401

NOTHING = "zzqx-no-such-word"


def _top(claims: pd.DataFrame, column: str, n: int = 1) -> tuple[str, ...]:
    values = claims[column].dropna().astype(str)
    values = values.loc[values != ""]
    return tuple(values.value_counts().sort_index().sort_values(ascending=False, kind="stable").index[:n])


def _word(claims: pd.DataFrame) -> str:
    for text in claims[SEARCH_COLUMN].dropna():
        words = str(text).split()
        if words:
            return max(words, key=len)
    return NOTHING


def _year(claims: pd.DataFrame) -> str:
    dates = claims["date_start"].dropna()
    return f"{dates.median():%Y}" if len(dates) else "2024"


#: filters built from the case's claims
FILTERS: dict[str, Callable[[pd.DataFrame], Filters]] = {
    "none": lambda claims: Filters(),
    "stance": lambda claims: Filters(stance=_top(claims, "stance")),
    "country": lambda claims: Filters(country=_top(claims, "speaker_country", 2)),
    "authors": lambda claims: Filters(authors="exclude"),
    "text": lambda claims: Filters(q=_word(claims)),
    "dates": lambda claims: Filters(date_from=_year(claims)),
    "nothing": lambda claims: Filters(q=NOTHING),
}


def _scope(case, name: str) -> tuple[Scope, Filters]:
    filters = FILTERS[name](case.dataset.claims)
    return Scope(case.engine, filters), filters


def assert_same_trend(got: Trend, expected: Trend) -> None:
    pd.testing.assert_frame_equal(got.table, expected.table)
    for field in ("interval", "groups", "counted", "coarse", "undated", "other_groups", "lengthened_from"):
        assert getattr(got, field) == getattr(expected, field), field


@pytest.mark.parametrize("by", ["country", "bloc", "actor"])
@pytest.mark.parametrize("filters_name", list(FILTERS))
def test_trend_table_matches_the_reference(query_case, filters_name, by):  # noqa: F811
    scope, filters = _scope(query_case, filters_name)
    blocs = dataset_blocs(query_case.dataset) if by == "bloc" else None
    claims = query_case.reference(filters)
    summary = queries.trend_summary(scope, by=by, blocs=blocs)
    for interval in INTERVALS:
        expected = reference.trend_table(claims, by=by, interval=interval, blocs=blocs)
        assert_same_trend(queries.trend_table(scope, by=by, interval=interval, blocs=blocs, summary=summary), expected)


@pytest.mark.parametrize("filters_name", ["none", "country"])
def test_small_groups_and_too_many_bars_as_the_reference(query_case, filters_name):  # noqa: F811
    """Few rows and few segments: "N others" and the lengthened period come out of the engine as from pandas."""
    scope, filters = _scope(query_case, filters_name)
    claims = query_case.reference(filters)
    gathered = lengthened = False
    for by, max_groups, max_segments in [("actor", 3, 12), ("country", 2, 4), ("country", 1, 1)]:
        expected = reference.trend_table(claims, by=by, interval="week", max_groups=max_groups, max_segments=max_segments)
        got = queries.trend_table(scope, by=by, interval="week", max_groups=max_groups, max_segments=max_segments)
        assert_same_trend(got, expected)
        gathered |= bool(expected.other_groups)
        lengthened |= bool(expected.lengthened_from)
    if filters_name == "none":  # the data has several groups and weeks: both paths are taken
        assert gathered and lengthened


@pytest.mark.parametrize("filters_name", list(FILTERS))
def test_the_summary_counts_and_spans_the_filtered_claims(query_case, filters_name):  # noqa: F811
    scope, filters = _scope(query_case, filters_name)
    claims = query_case.reference(filters)
    summary = queries.trend_summary(scope)
    first, last = claims["date_start"].min(), claims["date_end"].max()
    assert summary.first == (None if pd.isna(first) else first)
    assert summary.last == (None if pd.isna(last) else last)
    assert summary.total == len(claims)
    assert summary.undated == int(claims["date_start"].isna().sum())
    start = pd.Timestamp("2001-02-03")
    assert queries.span(summary, start, None) == (start, summary.last)
    assert reference.auto_interval(*queries.span(summary, None, None)) == reference.auto_interval(first, last)


def test_blocs_are_read_once_per_engine(query_case, monkeypatch):  # noqa: F811
    scope = Scope(query_case.engine, Filters())
    first = queries.dataset_blocs(scope, query_case.dataset)
    monkeypatch.setattr(queries, "used_codes_expr", lambda *args: pytest.fail("asked the engine again"))
    assert queries.dataset_blocs(scope.with_filters(Filters(q=NOTHING)), query_case.dataset) == first


def test_blocs_match_the_reference(query_case):  # noqa: F811
    assert queries.dataset_blocs(Scope(query_case.engine, Filters()), query_case.dataset) == dataset_blocs(query_case.dataset)


def test_interval_is_checked(query_case):  # noqa: F811
    with pytest.raises(ValueError, match="interval"):
        queries.trend_table(Scope(query_case.engine, Filters()), interval="decade")


# --- every query compiles for the warehouses -----------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_queries_compile_for_warehouses(dialect):
    scope = Scope(UnboundEngine(), Filters(country=("FRA",), q="treaty", date_from="2024", authors="exclude"))
    blocs = {"FRA": "EUU", "DEU": "EUU"}
    expressions = [
        *(queries.summary_expr(scope, by, blocs, 8) for by in ("country", "bloc", "actor")),
        queries.counts_expr(scope, "bloc", blocs, "week", ["EUU", "2 others"], 2, "Own analysis"),
        queries.counts_expr(scope, "actor", None, "month", ["a"], 0, ""),
        queries.counts_expr(scope, "country", None, "year", ["FRA"], 0, "Own analysis"),
        queries.used_codes_expr(scope, ["EUU", "NATO"]),
        queries.author_names_expr(scope),
    ]
    for expr in expressions:
        assert "claims" in str(ibis.to_sql(expr, dialect=dialect)).lower()
