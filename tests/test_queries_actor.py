"""The Actor profile's queries (claimscope.queries.actor) against their pandas reference (claimscope.views.actor), on
every dataset and engine of tests/query_engines.py, for several actors and filters; and every query compiles
for the warehouses we do not run (BigQuery, Snowflake, Trino)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import ClassVar

import ibis
import pandas as pd
import pytest

from claimscope.authors import AUTHOR_COLUMN, own_analysis_label
from claimscope.figures.compare import grouped_timeline_figure
from claimscope.figures.timeline import timeline_figure
from claimscope.filters import Filters, apply_filters
from claimscope.ingest.dataset import fold_for_search
from claimscope.queries import actor as queries
from claimscope.queries.scope import Scope
from claimscope.views import actor as reference
from claimscope.views.timeline import MAX_EVENTS, MAX_GROUPS, aggregate_points
from tests import query_engines

FILTER_KINDS = ["none", "stance", "country", "authors", "text", "nothing", "no-speaker"]

query_case = query_engines.query_case  # the datasets × engines every query is held to its reference on


def ranked_speakers(claims: pd.DataFrame) -> list[str]:
    counts = claims["speaker"].astype(str).value_counts()
    return sorted(counts.index, key=lambda name: (-counts[name], name))


def subjects_of(claims: pd.DataFrame) -> dict[str, str]:
    """The actors a profile is tested on: the most active, a mid-ranked one, the source's own analysis (if any)."""
    ranked = ranked_speakers(claims)
    subjects = {"most active": ranked[0], "mid-ranked": ranked[len(ranked) // 2]}
    authors = claims.loc[claims[AUTHOR_COLUMN], "speaker"]
    if len(authors):
        subjects["own analysis"] = str(authors.iloc[0])
    return subjects


def filters_for(kind: str, name: str, claims: pd.DataFrame) -> Filters:
    """The profile's view of ``name`` (speaker=name) narrowed by one kind of filter."""
    base = Filters(speaker=(name,))
    mine = claims.loc[claims["speaker"] == name]
    if kind == "none":
        return base
    if kind == "stance":
        return Filters(speaker=(name,), stance=("support",))
    if kind == "country":
        countries = claims["speaker_country"].astype(str)
        return Filters(speaker=(name,), country=(str(countries[countries != ""].value_counts().index[0]),))
    if kind == "authors":
        return Filters(speaker=(name,), authors="exclude")
    if kind == "text":
        words = [w for w in fold_for_search(str(mine["summary"].iloc[0])).split() if len(w) > 3]
        return Filters(speaker=(name,), q=words[0] if words else "a")
    if kind == "nothing":
        return Filters(speaker=(name,), q="zz-no-statement-says-this-zz")
    if kind == "no-speaker":
        return Filters()
    raise ValueError(kind)


@dataclass
class Profile:
    """The reference's view of one actor under one set of filters, and the engine's scope for it."""

    name: str
    filters: Filters
    scope: Scope
    all_rows: pd.DataFrame
    rows: pd.DataFrame
    candidates: pd.DataFrame


def profile_of(case, name: str, filters: Filters) -> Profile:
    claims = case.dataset.claims
    return Profile(
        name,
        filters,
        Scope(case.engine, filters),
        reference.actor_statements(claims, name),
        reference.actor_statements(apply_filters(claims, filters), name),
        apply_filters(claims, filters.without("speaker")),
    )


def profiles(case, kind: str) -> list[Profile]:
    claims = case.dataset.claims
    return [profile_of(case, name, filters_for(kind, name, claims)) for name in subjects_of(claims).values()]


def records(frame: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Columns and rows of a frame as plain Python values (NA as None, lists as lists), to compare across engines."""

    def plain(value: object) -> object:
        if isinstance(value, str):
            return value
        if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
            return None
        if hasattr(value, "__len__"):
            return [str(v) for v in value]
        if hasattr(value, "item"):
            return value.item()
        return value

    return list(frame.columns), [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def assert_same(mine: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert records(mine.reset_index(drop=True)) == records(expected.reset_index(drop=True))


# --- the whole profile -----------------------------------------------------------------------------------


def assert_statements_match(p: Profile, actors: pd.DataFrame, *, limit: int = 12, rows_limit: int = queries.MAX_ROWS) -> None:
    """The counts, the card, the first and last statement, the topics and countries, the listed statements."""
    counts = queries.statement_counts(p.scope, p.name)
    dated = p.rows.loc[p.rows["date_start"].notna()]
    assert (counts.total, counts.matched, counts.hidden) == (len(p.all_rows), len(p.rows), len(p.all_rows) - len(p.rows))
    assert counts.reactions == int((p.rows["kind"] == "reaction").sum())
    assert counts.dated == len(dated)
    if len(dated):
        assert (counts.first_start, counts.last_end) == (dated["date_start"].min(), dated["date_end"].max())
    else:
        assert counts.first_start is None and counts.last_end is None
    assert queries.actor_card(p.scope, actors, p.name, counts) == reference.actor_card(actors, p.all_rows, p.name)

    keys = ["claim_id", "date", "kind", "stance", "summary", "quote"]
    for mine, theirs in zip(queries.first_and_last(p.scope, p.name, counts), reference.first_and_last(p.rows), strict=True):
        if theirs is None:
            assert mine is None
        else:
            assert {k: str(mine[k]) for k in keys} == {k: str(theirs[k]) for k in keys}
    for column in ("topics", "about"):
        assert_same(
            queries.value_counts(p.scope, p.name, column, len(p.rows), limit), reference.value_counts(p.rows, column, limit)
        )
    columns = ["date_start", *reference.STATEMENT_COLUMNS]
    expected = p.rows[columns].sort_values(["date_start", "claim_id"], kind="stable").head(rows_limit + 1)
    assert_same(queries.statement_rows(p.scope, p.name, rows_limit), expected[reference.STATEMENT_COLUMNS])


def assert_timeline_matches(p: Profile, *, max_points: int = queries.MAX_POINTS, max_groups: int = MAX_GROUPS) -> None:
    counts = queries.statement_counts(p.scope, p.name)
    timeline = queries.statement_timeline(p.scope, p.name, counts, max_points=max_points, max_groups=max_groups)
    points = reference.statement_points(p.rows)
    assert timeline.statements == len(points)
    if len(points) <= max_points:
        assert_same(timeline.points, points)
    else:
        assert timeline.points is None
    if len(points):
        assert_same(timeline.groups, aggregate_points(points, max_groups))
        assert dict(timeline.lanes) == dict(points["lane"].value_counts())
    else:
        assert timeline.groups.empty


def assert_threads_match(p: Profile, dataset, *, max_rows: int = queries.MAX_ROWS) -> None:
    """Whom they answered and who answered them: the listed rows, the counts and the medians, whole or cut."""
    answers = reference.answered(p.rows, dataset.claims, dataset.events)
    replies = reference.answered_by(p.rows, p.candidates)
    mine = queries.answered(p.scope, p.name, max_rows=max_rows)
    theirs = queries.answered_by(p.scope, p.name, max_rows=max_rows)
    assert_same(mine.rows, answers.head(max_rows))
    assert_same(theirs.rows, replies.head(max_rows))
    assert (mine.total, mine.truncated) == (len(answers), len(answers) > max_rows)
    assert (theirs.total, theirs.truncated) == (len(replies), len(replies) > max_rows)
    events = set(answers.loc[answers["target_kind"] == "event", "responds_to"]) if len(answers) else set()
    assert set(mine.events) == events
    # the timeline's section asks for the events alone: the same ones, in the order of their ids
    assert queries.answered_events(p.scope, p.name) == tuple(sorted(events))
    assert queries.threads(mine, theirs) == reference.threads(answers, replies)


def assert_bundle_matches(p: Profile, *, max_rows: int = queries.MAX_ROWS, max_points: int = queries.MAX_POINTS) -> None:
    """actor_statements: from the list alone when it is whole, from the engine's queries when it is cut."""
    counts = queries.statement_counts(p.scope, p.name)
    bundle = queries.actor_statements(p.scope, p.name, counts, max_rows=max_rows, max_points=max_points)
    ordered = p.rows.sort_values(["date_start", "claim_id"], kind="stable")
    assert bundle.truncated == (len(p.rows) > max_rows)
    assert_same(bundle.rows[reference.STATEMENT_COLUMNS], ordered.head(max_rows)[reference.STATEMENT_COLUMNS])
    keys = ["claim_id", "date", "kind", "stance", "summary", "quote"]
    for mine, theirs in zip((bundle.first, bundle.last), reference.first_and_last(p.rows), strict=True):
        assert (mine is None) == (theirs is None)
        if theirs is not None:
            assert {k: str(mine[k]) for k in keys} == {k: str(theirs[k]) for k in keys}
    points = reference.statement_points(p.rows)
    assert bundle.timeline.statements == len(points)
    if len(points) <= max_points:
        assert_same(bundle.timeline.points, points)
    if len(points):
        assert_same(bundle.timeline.groups, aggregate_points(points))
    assert_same(bundle.topics, reference.value_counts(p.rows, "topics", queries.TOP_VALUES))
    assert_same(bundle.about, reference.value_counts(p.rows, "about", queries.TOP_VALUES))
    if counts.hidden == 0:  # the roles of all their statements, from the list when it holds them all
        for fallback in ("", "President"):
            roles = queries.roles_over_time(p.scope, p.name, fallback, bundle)
            assert_same(roles, reference.roles_over_time(p.all_rows, fallback))


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_profile_matches_the_reference(query_case, kind):
    """Every query of the page, for each actor, under one kind of filter."""
    for p in profiles(query_case, kind):
        assert_statements_match(p, query_case.dataset.actors)
        assert_timeline_matches(p)
        assert_threads_match(p, query_case.dataset)
        assert_bundle_matches(p)


@pytest.mark.parametrize("kind", ["none", "authors"])
def test_cut_lists_and_grouped_timeline_match_the_reference(query_case, kind):
    """Past the limits: lists cut (their counts then aggregated in the engine), the timeline drawn from groups
    (by year when months are too many), one top value; and the card's country from the statements."""
    for p in profiles(query_case, kind):
        assert_statements_match(p, query_case.dataset.actors.iloc[0:0], limit=1, rows_limit=3)
        assert_timeline_matches(p, max_points=2)
        assert_timeline_matches(p, max_points=1, max_groups=2)
        assert_threads_match(p, query_case.dataset, max_rows=1)
        assert_bundle_matches(p, max_rows=3, max_points=2)


@pytest.mark.parametrize("listed", ["whole", "cut"])
def test_the_timeline_and_charts_are_asked_when_a_section_first_reads_them(query_case, monkeypatch, listed):
    """Only the open section runs: the list and its ends come at once, each of the rest when first read, once."""
    asked: list[str] = []
    for name in ("statement_timeline", "value_counts", "timeline_of", "reference_value_counts"):
        original = getattr(queries, name)
        monkeypatch.setattr(
            queries, name, lambda *a, _name=name, _original=original, **k: asked.append(_name) or _original(*a, **k)
        )
    p = profiles(query_case, "none")[0]
    counts = queries.statement_counts(p.scope, p.name)
    if listed == "cut" and counts.matched < 2:
        pytest.skip("the most active actor of this dataset has one statement: no list to cut")
    bundle = queries.actor_statements(p.scope, p.name, counts, max_rows=counts.matched - (listed == "cut"))
    assert bundle.truncated == (listed == "cut") and asked == []
    assert bundle.timeline is bundle.timeline and bundle.topics is bundle.topics and bundle.about is bundle.about
    if listed == "whole":
        assert asked == ["timeline_of", "reference_value_counts", "reference_value_counts"]
    else:  # statement_timeline draws its points with timeline_of when they are few
        assert [n for n in asked if n != "timeline_of"] == ["statement_timeline", "value_counts", "value_counts"]


def test_the_most_frequent_country_breaks_ties_by_code(tmp_path):
    from tests.test_views_core import load, row

    rows = [row("a", "2024-06-19", "X", "RUS"), row("b", "2024-06-20", "X", "CHN"), row("c", "2024-06-21", "X", "KOR")]
    claims = load(tmp_path, rows).claims
    assert reference.most_frequent_country(claims) == "CHN"  # 1 each: the code that sorts first
    assert reference.most_frequent_country(pd.concat([claims, claims.iloc[[2]]])) == "KOR"


@pytest.mark.parametrize("fallback", ["", "President"])
def test_roles_match_the_reference(query_case, fallback):
    for p in profiles(query_case, "none"):
        assert_same(queries.roles_over_time(p.scope, p.name, fallback), reference.roles_over_time(p.all_rows, fallback))


def test_roles_from_speaker_role_match_the_reference(tmp_path):
    from claimscope.engine.connection import Engine
    from tests.test_views_core import ACTORS, load, row

    dates = ["2000-01-01", "2000-05", "2001", "2000-05", "2001"]  # ties: the ids decide
    roles = ["Prime Minister", "", "President", "Prime Minister", "President"]
    rows = [
        row(f"r{i}", d, "Vladimir Putin", "RUS") | {"speaker_role": r} for i, (d, r) in enumerate(zip(dates, roles, strict=True))
    ]
    dataset = load(tmp_path, rows, ACTORS, extra=("speaker_role",))
    engine = Engine.from_dataset(dataset)
    scope = Scope(engine, Filters())
    for fallback in ("", "President"):
        expected = reference.roles_over_time(reference.actor_statements(dataset.claims, "Vladimir Putin"), fallback)
        assert_same(queries.roles_over_time(scope, "Vladimir Putin", fallback), expected)
    engine.close()


def test_grouped_timeline_figure_is_the_timeline_figure(query_case):
    """Past its points, the profile draws the engine's groups: the same figure as timeline_figure of the points."""
    events = query_case.dataset.events
    for p in profiles(query_case, "none"):
        counts = queries.statement_counts(p.scope, p.name)
        timeline = queries.statement_timeline(p.scope, p.name, counts, max_points=1)
        points = reference.statement_points(p.rows)
        if len(points) < 2:
            continue
        # past MAX_EVENTS the answered events are counted per period in both (the grouped figure drew every one)
        many = pd.concat([events.head(1)] * (MAX_EVENTS + 1), ignore_index=True)
        many["event_id"] = [f"e{i}" for i in range(len(many))]
        for shown in (None, events.head(3), many):
            expected = timeline_figure(points, shown, lane_title="kind", max_points=1)
            mine = grouped_timeline_figure(
                timeline.groups,
                timeline.lanes,
                timeline.statements,
                timeline.first_start,
                timeline.last_end,
                shown,
                lane_title="kind",
            )
            assert json.loads(mine.to_json()) == json.loads(expected.to_json())
            roles = {(trace.meta or {}).get("role") for trace in mine.data}
            assert ("event-groups" in roles) == (shown is many and not many.empty), roles


def test_the_threads_name_the_source_by_how_many_authors_there_are():
    assert queries.author_label(1, "Outlet") == own_analysis_label(["Outlet"])
    assert queries.author_label(3, "A") == own_analysis_label(["A", "B", "C"])
    assert queries.author_label(0, None) == own_analysis_label([])


# --- every query compiles for the warehouses ----------------------------------------------------------


class CompilingScope(Scope):
    """A scope that compiles every expression it runs for ``dialect`` (and then runs it on the real engine, so
    that every branch of a query is taken)."""

    dialect: ClassVar[str] = "bigquery"
    compiled: ClassVar[list[str]] = []

    def arrow(self, expr, limit=10_000):
        self.compiled.append(str(ibis.to_sql(expr, dialect=self.dialect)))
        return super().arrow(expr, limit)


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_every_profile_query_compiles(dialect, tmp_path):
    from claimscope.engine.connection import Engine
    from claimscope.ingest.dataset import load_folder
    from tests.conftest import DATA_DIR

    dataset = load_folder(DATA_DIR)
    engine = Engine.from_dataset(dataset)
    name = subjects_of(dataset.claims)["most active"]
    CompilingScope.dialect = dialect
    CompilingScope.compiled = []
    scope = CompilingScope(engine, Filters(speaker=(name,), q="a", authors="exclude"))
    counts = queries.statement_counts(scope, name)
    queries.most_frequent_country(scope, name)
    queries.roles_over_time(scope, name, "President")
    queries.first_and_last(scope, name, counts)
    queries.value_counts(scope, name, "topics", counts.matched)
    queries.statement_rows(scope, name)
    queries.statement_timeline(scope, name, counts)
    queries.statement_timeline(scope, name, counts, max_points=0)
    queries.actor_statements(scope, name, counts)
    queries.actor_statements(scope, name, counts, max_rows=1)
    queries.answered(scope, name, max_rows=0)
    queries.answered_by(scope, name, max_rows=0)
    queries.answered_events(scope, name)
    assert len(CompilingScope.compiled) >= 15
    engine.close()


def test_reaction_targets_are_the_join_kept_once_by_engines_that_keep_tables(query_case, monkeypatch):
    """The targets every latency and "whom they answered" query joins on ``_line``: on the DuckDB engines built
    here, a table written once whose rows are the join of every reaction to its target; elsewhere, no table."""
    engine = query_case.engine
    scope = Scope(engine, Filters())
    if not engine.keeps_text_matches:
        assert queries.reaction_targets(scope) is None
        assert "claimscope_derived" not in engine.to_sql(queries.latency_join(scope, scope.claims, ["claim_id"]))
        return
    writes = []
    real = engine._write_derived
    monkeypatch.setattr(engine, "_write_derived", lambda name, *rest: (writes.append(name), real(name, *rest))[1])
    kept = queries.reaction_targets(scope, wait=True)
    assert queries.reaction_targets(Scope(engine, Filters(stance=("oppose",)))).equals(kept)  # any view, the same table
    assert len(writes) <= 1  # once per engine (maybe before this test, by another query)
    everything = engine.claims
    joined = queries.target_join(everything.select("_line", "responds_to"), everything, queries.events_table(scope))
    expected = engine.to_frame(joined.drop("responds_to").order_by("_line"), limit=None)
    got = engine.to_frame(kept.order_by("_line"), limit=None)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    # the reference's answered rows: every reaction whose target exists, none dropped or doubled
    reactions = query_case.dataset.claims
    targets = set(reactions["claim_id"]) | set(query_case.dataset.events["event_id"] if len(query_case.dataset.events) else [])
    assert len(got) == int(reactions["responds_to"].astype(str).str.strip().isin(targets - {""}).sum())
    assert got["_line"].is_unique
    assert "claimscope_derived_reaction_targets" in engine.to_sql(queries.latency_join(scope, scope.claims, ["claim_id"]))


@pytest.mark.parametrize("speakers", ["the subject and another", "another only"])
def test_who_answered_them_under_a_speaker_filter_that_names_others_too(query_case, speakers):
    """With no filter but the speakers', "who answered them" joins the kept targets, which is the reference's answer
    only when the filter keeps all the subject's statements: with another speaker alone, none of theirs is kept."""
    claims = query_case.dataset.claims
    ranked = ranked_speakers(claims)
    name, other = ranked[0], ranked[1]
    filters = Filters(speaker=(name, other) if speakers == "the subject and another" else (other,))
    p = profile_of(query_case, name, filters)
    assert_threads_match(p, query_case.dataset)
    if speakers == "another only":
        assert queries.answered_by(p.scope, name).total == 0
