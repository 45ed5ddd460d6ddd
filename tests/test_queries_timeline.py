"""The Timeline's statements view asked of the engine, held to the pandas references of claimscope.views.timeline.

Every query runs on every ``query_case`` (the curated, foreign and generated datasets; DuckDB in memory,
over Parquet, PostgreSQL) under several filters, with the page's limits and with small ones that force
the other paths (aggregated marks, marks per year, gathered lanes, events per period, boxes only, a cut
table). Then each query's SQL compiles for BigQuery, Snowflake and Trino.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ibis
import pandas as pd
import pytest

from claimscope.filters import Filters
from claimscope.queries import Scope
from claimscope.queries import options as option_queries
from claimscope.queries import timeline as queries
from claimscope.queries import trends as trend_queries
from claimscope.views.timeline import (
    MAX_GROUPS,
    MAX_LANES,
    MAX_POINTS,
    aggregate_points,
    bloc_candidates,
    dataset_blocs,
    events_in_range,
    latency_view,
    period_unit,
    reaction_latency,
    timeline_events,
    timeline_marks,
    timeline_points,
    used_codes,
)
from tests.query_engines import query_case  # noqa: F401

FILTER_NAMES = ["none", "stance", "country", "authors", "text", "dates", "nothing"]


def filters_for(dataset, name: str) -> Filters:
    """One of the filters every query is tested under, built from the data it runs on (no hard-coded values)."""
    claims = dataset.claims
    if name == "none":
        return Filters()
    if name == "stance":
        return Filters(stance=("oppose",))
    if name == "country":
        countries = claims["speaker_country"].astype(str)
        return Filters(country=(countries[countries != ""].value_counts().index[0],))
    if name == "authors":
        return Filters(authors="exclude")
    if name == "text":
        words = [w for w in re.findall(r"\w{4,}", " ".join(claims["summary"].astype(str).head(5))) if not w.isdigit()]
        return Filters(q=words[0])
    if name == "dates":
        dated = claims["date_start"].dropna().sort_values()
        return Filters(date_from=f"{dated.iloc[len(dated) // 3]:%Y-%m}", date_to=f"{dated.iloc[2 * len(dated) // 3]:%Y}")
    return Filters(q="no-such-word-anywhere")


def assert_marks_equal(got, expected) -> None:
    assert got.lanes == expected.lanes
    assert (got.statements, got.first, got.last, got.aggregated) == (
        expected.statements,
        expected.first,
        expected.last,
        expected.aggregated,
    )
    pd.testing.assert_frame_equal(got.points, expected.points, check_exact=True)
    if expected.groups is not None:
        pd.testing.assert_frame_equal(got.groups, expected.groups, check_exact=True)


#: the page's limits, and small ones that take the other paths on every dataset
MARK_VARIANTS = {
    "country": {"by": "country"},
    "bloc, aggregated": {"by": "bloc", "max_points": 20},
    "actor, 5 lanes, per year": {"by": "actor", "max_points": 20, "max_groups": 10, "max_lanes": 5},
    "country, 3 lanes": {"by": "country", "max_lanes": 3},
}


@pytest.mark.parametrize("variant", list(MARK_VARIANTS))
@pytest.mark.parametrize("filter_name", FILTER_NAMES)
def test_timeline_marks_match_the_reference(query_case, filter_name, variant):  # noqa: F811
    options = dict(MARK_VARIANTS[variant])
    by = options.pop("by")
    limits = {"max_points": options.get("max_points", MAX_POINTS), "max_groups": options.get("max_groups", MAX_GROUPS)}
    filters = filters_for(query_case.dataset, filter_name)
    blocs = dataset_blocs(query_case.dataset) if by == "bloc" else None
    points = timeline_points(query_case.reference(filters), by, blocs, options.get("max_lanes", MAX_LANES))
    expected = timeline_marks(points, **limits)
    got = queries.timeline_marks(Scope(query_case.engine, filters), by, blocs, **options)
    assert_marks_equal(got, expected)
    if expected.statements > limits["max_points"]:  # the small limits did take the aggregated path
        assert got.aggregated and got.points.empty and int(got.groups["statements"].sum()) == expected.statements


@pytest.mark.parametrize("level", ["month", "year", "decade"])
def test_marks_per_month_year_or_decade_as_the_reference(query_case, level):  # noqa: F811
    """The limit between levels is set from the data, so that each case reaches each level where it can."""
    points = timeline_points(query_case.dataset.claims, "country")
    months = len(aggregate_points(points, max_groups=len(points) + 1))
    years = len(aggregate_points(points, max_groups=months - 1)) if months else 0
    max_groups = {"month": months, "year": months - 1, "decade": years - 1}[level]
    if max_groups < 1:
        pytest.skip("too few marks for this level")
    expected = timeline_marks(points, max_points=1, max_groups=max_groups)
    got = queries.timeline_marks(Scope(query_case.engine, Filters()), "country", max_points=1, max_groups=max_groups)
    assert_marks_equal(got, expected)
    units = set(got.groups["period"].map(period_unit))
    if level == "month":
        assert "month" in units
    elif level == "decade" or years <= months - 1:  # else the years are no fewer than the months: decades
        assert units == {level}


@pytest.mark.parametrize("limits", [{}, {"max_points": 3, "max_rows": 5}], ids=["page", "small"])
@pytest.mark.parametrize("filter_name", FILTER_NAMES)
def test_reaction_latency_matches_the_reference(query_case, filter_name, limits):  # noqa: F811
    filters = filters_for(query_case.dataset, filter_name)
    dataset = query_case.dataset
    expected = latency_view(reaction_latency(query_case.reference(filters), dataset.claims, dataset.events), **limits)
    got = queries.reaction_latency(Scope(query_case.engine, filters), **limits)
    assert (got.reactions, got.counted, got.max_days) == (expected.reactions, expected.counted, expected.max_days)
    for name in ("summary", "boxes", "rows", "points"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), check_exact=True, obj=name)
    if limits and expected.reactions > 5:
        assert len(got.rows) == 5  # the table is cut, the summary still counts every reaction
        assert int(got.summary["reactions"].sum()) == expected.reactions


@pytest.mark.parametrize(
    ("bounds", "limits"),
    [
        ((None, None), {}),
        ((1, None), {}),
        ((None, 2), {}),
        ((1, 2), {"max_events": 2}),
        ((None, None), {"max_events": 2, "max_rows": 3}),
        ((None, None), {"max_events": 2, "max_groups": 1}),
        ((None, None), {"max_events": 2, "max_groups": 3}),
    ],
)
def test_context_events_match_the_reference(query_case, bounds, limits):  # noqa: F811
    events = query_case.dataset.events
    dated = events["date_start"].dropna().sort_values() if "date_start" in events else pd.Series(dtype="datetime64[ns]")
    quantiles = [None, *([dated.iloc[len(dated) // 3], dated.iloc[2 * len(dated) // 3]] if len(dated) else [None, None])]
    start, end = quantiles[bounds[0] or 0], quantiles[bounds[1] or 0]
    expected = timeline_events(events_in_range(events, start, end), **limits)
    got = queries.timeline_events(Scope(query_case.engine, Filters()), start, end, **limits)
    assert (got.total, got.aggregated) == (expected.total, expected.aggregated)
    pd.testing.assert_frame_equal(got.rows, expected.rows, check_exact=True)
    if expected.groups is not None:
        pd.testing.assert_frame_equal(got.groups, expected.groups, check_exact=True)
        assert int(got.groups["events"].sum()) == expected.total


def test_a_clicked_claim_exists_whatever_the_filters(query_case):  # noqa: F811
    claim_id = str(query_case.dataset.claims["claim_id"].iloc[-1])
    hiding = Scope(query_case.engine, Filters(q="no-such-word-anywhere"))
    assert option_queries.claim_exists(hiding, claim_id)
    assert not option_queries.claim_exists(hiding, claim_id + "-not-there")
    assert not option_queries.claim_exists(hiding, None)


def test_blocs_from_the_codes_the_engine_finds(query_case):  # noqa: F811
    dataset = query_case.dataset
    candidates = bloc_candidates(dataset)
    found = trend_queries.used_codes(Scope(query_case.engine, Filters(q="no-such-word-anywhere")), candidates)
    assert found == used_codes(dataset.claims) & set(candidates)  # the whole dataset, not the filtered claims
    assert dataset_blocs(dataset, found) == dataset_blocs(dataset)


# --- compiles for the warehouses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompilingScope(Scope):
    """A Scope that compiles every expression it runs for another dialect, then runs it (so every path is reached)."""

    dialect: str = "duckdb"
    sql: list[str] = field(default_factory=list)

    def arrow(self, expr, limit=10_000):
        self.sql.append(str(ibis.to_sql(expr, dialect=self.dialect)))
        return super().arrow(expr, limit)

    def value(self, expr):
        self.sql.append(str(ibis.to_sql(expr, dialect=self.dialect)))
        return super().value(expr)


@pytest.fixture(scope="module")
def curated_engine():
    from claimscope.engine.connection import Engine
    from claimscope.ingest.dataset import load_folder
    from tests.conftest import DATA_DIR

    dataset = load_folder(DATA_DIR)
    engine = Engine.from_dataset(dataset)
    yield dataset, engine
    engine.close()


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_every_query_compiles_for_the_warehouses(curated_engine, dialect):
    dataset, engine = curated_engine
    scope = CompilingScope(engine, Filters(stance=("oppose", "support"), date_from="2020"), dialect)
    queries.timeline_marks(scope, "actor", max_points=5, max_groups=2, max_lanes=3)  # lanes, groups per year
    queries.timeline_marks(scope, "bloc", dataset_blocs(dataset))  # lanes, rows
    queries.timeline_events(scope, pd.Timestamp("2020-01-01"), max_events=2)  # rows, groups
    queries.reaction_latency(scope, max_points=10_000, max_rows=1)  # stats, a page of rows, the counted rows
    option_queries.claim_exists(scope, "x")
    assert len(scope.sql) >= 9
    assert all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in scope.sql)
