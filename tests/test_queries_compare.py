"""The Compare page's queries (claimscope.queries.compare) against their pandas reference (claimscope.views.compare), on
every dataset and engine of tests/query_engines.py, for countries and actors under several filters; and every
query compiles for the warehouses we do not run (BigQuery, Snowflake, Trino)."""

from __future__ import annotations

from typing import ClassVar

import ibis
import numpy as np
import pandas as pd
import pytest

from claimscope.authors import AUTHOR_COLUMN
from claimscope.figures.timeline import latency_figure
from claimscope.filters import Filters, apply_filters
from claimscope.ingest.dataset import country_names, fold_for_search
from claimscope.queries import compare as queries
from claimscope.queries.scope import Scope
from claimscope.views import compare as reference
from claimscope.views.compare import Subjects
from claimscope.views.timeline import latency_summary
from tests import query_engines
from tests.test_queries_actor import assert_same, ranked_speakers

FILTER_KINDS = ["none", "stance", "authors", "text", "date", "nothing"]

query_case = query_engines.query_case  # the datasets × engines every query is held to its reference on


def subject_sets(claims: pd.DataFrame) -> dict[str, Subjects]:
    """Two countries (the most active), two actors (the most active and a mid-ranked one), an actor beside the
    source's own analysis (when the dataset has some)."""
    stakeholders = claims.loc[~claims[AUTHOR_COLUMN]]
    countries = stakeholders["speaker_country"].astype(str)
    counts = countries[countries != ""].value_counts()
    codes = sorted(counts.index, key=lambda code: (-counts[code], code))
    ranked = ranked_speakers(claims)
    sets = {
        "countries": Subjects("country", tuple(codes[:2])),
        "actors": Subjects("speaker", (ranked[0], ranked[len(ranked) // 2])),
    }
    authors = claims.loc[claims[AUTHOR_COLUMN], "speaker"]
    if len(authors):
        sets["own analysis"] = Subjects("speaker", (ranked[0], str(authors.iloc[0])))
    return sets


def filters_for(kind: str, subjects: Subjects, claims: pd.DataFrame) -> Filters:
    """The page's view (the subjects selected) narrowed by one kind of filter."""
    base = {subjects.by: subjects.values}
    if kind == "none":
        return Filters(**base)
    if kind == "stance":
        return Filters(**base, stance=("oppose", "concern"))
    if kind == "authors":
        return Filters(**base, authors="exclude")
    if kind == "text":
        words = [w for w in fold_for_search(str(claims["summary"].iloc[0])).split() if len(w) > 3]
        return Filters(**base, q=words[0] if words else "a")
    if kind == "date":
        middle = claims["date_start"].dropna().sort_values().iloc[len(claims) // 2]
        return Filters(**base, date_from=f"{middle:%Y-%m}")
    if kind == "nothing":
        return Filters(**base, q="zz-no-statement-says-this-zz")
    raise ValueError(kind)


def views(case, kind: str) -> list[tuple[Subjects, Scope, pd.DataFrame]]:
    claims = case.dataset.claims
    out = []
    for subjects in subject_sets(claims).values():
        filters = filters_for(kind, subjects, claims)
        out.append((subjects, Scope(case.engine, filters), apply_filters(claims, filters)))
    return out


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_labels_totals_periods_and_shares_match_the_reference(query_case, kind):
    names = country_names(query_case.dataset.countries)
    limits = (12, 1) if kind == "none" else (12,)
    for subjects, scope, claims in views(query_case, kind):
        for short in (False, True):
            assert queries.subject_labels(scope, subjects, names, short=short) == reference.subject_labels(
                claims, subjects, names, short=short
            )
        assert_same(queries.stance_totals(scope, subjects), reference.stance_totals(claims, subjects))
        assert queries.choose_period(scope) == reference.choose_period(claims)
        for period in ("month", "year"):
            mine = queries.stance_over_time(scope, subjects, period)
            expected = reference.stance_over_time(claims, subjects, period)
            assert mine.period == expected.period
            assert_same(mine.counts, expected.counts)
            assert dict(mine.too_coarse) == dict(expected.too_coarse)
        for column in ("topics", "about"):
            for limit in limits:
                expected = reference.shares(claims, subjects, column, limit)
                assert_same(queries.shares(scope, subjects, column, limit), expected)
                totals = queries.subject_totals(queries.stance_totals(scope, subjects))
                assert_same(queries.shares(scope, subjects, column, limit, totals), expected)


def test_stance_over_time_refuses_an_unknown_period(query_case):
    subjects, scope, _ = views(query_case, "none")[0]
    with pytest.raises(ValueError):
        queries.stance_over_time(scope, subjects, "week")


def drawn(latency: pd.DataFrame) -> pd.DataFrame:
    return latency.assign(speaker_country=latency["subject"]) if len(latency) else latency


def plain(value: object) -> object:
    """A figure's JSON-like structure with arrays as lists (plotly keeps numpy arrays, which do not compare)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | pd.Series | pd.Index):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def figure_spec(latency: pd.DataFrame, names: dict[str, str] | None, max_points: int) -> dict:
    """The latency figure, with each box's days sorted (the boxes' statistics do not depend on their order)."""
    frame = drawn(latency)
    spec = plain(latency_figure(frame, latency_summary(frame), names, max_points=max_points).to_plotly_json())
    for trace in spec["data"]:
        if trace.get("type") == "box" and "x" in trace:  # precomputed boxes carry their statistics instead
            trace["x"] = sorted(trace["x"])
    return spec


@pytest.mark.parametrize(
    ("kind", "max_rows", "max_points"),
    [
        *((kind, queries.MAX_ROWS, queries.MAX_LATENCY_POINTS) for kind in FILTER_KINDS),
        ("none", 2, 2000),  # the list cut, the counted reactions drawn one by one
        ("none", 2, 1),  # the list cut, boxes only
        ("authors", 2, 1),
    ],
)
def test_latency_matches_the_reference(query_case, kind, max_rows, max_points):
    """The listed rows are the reference's first; the figure, its summary and the per-subject table are the same."""
    dataset = query_case.dataset
    names = country_names(dataset.countries)
    for subjects, scope, claims in views(query_case, kind):
        expected = reference.subject_latency(claims, dataset.claims, dataset.events, subjects)
        latency = queries.subject_latency(scope, subjects, max_rows=max_rows, max_points=max_points)
        assert latency.reactions == len(expected)
        assert latency.truncated == (len(expected) > max_rows)
        assert_same(latency.rows, expected.head(max_rows))
        for within in (2, 14):
            assert_same(
                reference.latency_by_subject(latency.frame, subjects, within),
                reference.latency_by_subject(expected, subjects, within),
            )
        assert_same(latency_summary(drawn(latency.frame)), latency_summary(drawn(expected)))
        assert figure_spec(latency.frame, names, max_points) == figure_spec(expected, names, max_points)


class CompilingScope(Scope):
    """A scope that compiles every expression it runs for ``dialect`` (then runs it, so that every branch is taken)."""

    dialect: ClassVar[str] = "bigquery"
    compiled: ClassVar[list[str]] = []

    def arrow(self, expr, limit=10_000):
        self.compiled.append(str(ibis.to_sql(expr, dialect=self.dialect)))
        return super().arrow(expr, limit)


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_every_compare_query_compiles(dialect):
    from claimscope.engine.connection import Engine
    from claimscope.ingest.dataset import load_folder
    from tests.conftest import DATA_DIR

    dataset = load_folder(DATA_DIR)
    engine = Engine.from_dataset(dataset)
    CompilingScope.dialect = dialect
    CompilingScope.compiled = []
    for subjects in subject_sets(dataset.claims).values():
        scope = CompilingScope(engine, Filters(**{subjects.by: subjects.values}, authors="exclude", q="a"))
        queries.subject_labels(scope, subjects)
        queries.stance_totals(scope, subjects)
        queries.choose_period(scope)
        queries.stance_over_time(scope, subjects, "month")
        queries.shares(scope, subjects, "topics")
        queries.subject_latency(scope, subjects, max_rows=0, max_points=10_000)
        queries.subject_latency(scope, subjects, max_rows=0, max_points=0)
    assert len(CompilingScope.compiled) >= 20
    engine.close()
