"""Reaction cascades in the engine (claimscope.queries.cascade) held to their pandas references.

On every query case (tests/query_engines.py) the engine's walk gives the cascade of
:func:`claimscope.views.cascade.reaction_cascade` (nodes, order, dtypes, caps, faded nodes) from the roots that
matter: the largest thread, the deepest one, a thread that starts from an event, a claim nothing answers
and an id the data does not hold, under filters derived from the data; :func:`thread_origin` walks up to
the same origin; the picker's threads and statements are the page's pandas ones. A loop in bad data is
handled as the reference handles it, and every query compiles for BigQuery, Snowflake and Trino.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import pandas as pd
import pytest

from claimscope.engine.connection import Engine
from claimscope.filters import Filters
from claimscope.queries import Scope, memo
from claimscope.queries import cascade as queries
from claimscope.queries import options as option_queries
from claimscope.views import cascade as reference
from tests.query_engines import UnboundEngine, query_case  # noqa: F401
from tests.test_trends_cascade import thread  # noqa: F401  (the hand-made thread with an event)

NOTHING = "zzqx-no-such-word"

#: filters built from the case's claims (a thread's nodes are faded by them, never cut)
FILTERS: dict[str, Callable[[pd.DataFrame], Filters]] = {
    "none": lambda claims: Filters(),
    "stance": lambda claims: Filters(stance=("oppose",)),
    "country": lambda claims: Filters(country=tuple(claims["speaker_country"].dropna().astype(str).value_counts().index[:2])),
    "authors": lambda claims: Filters(authors="exclude"),
    "kind": lambda claims: Filters(kind=("reaction",)),
    "nothing": lambda claims: Filters(q=NOTHING),
}


def _steps_up(parents: dict[str, str], node: str, limit: int = 60) -> int:
    """How many responds_to steps lead from ``node`` up to its origin."""
    steps, seen = 0, {node}
    while parents.get(node) and parents[node] not in seen and steps < limit:
        node = parents[node]
        seen.add(node)
        steps += 1
    return steps


def roots(case) -> dict[str, str]:
    """The roots worth walking from, found in the case's data (reference functions only)."""
    claims, events = case.dataset.claims, case.dataset.events
    answered = reference.threads(claims)
    targets = set(answered["node_id"])
    found = {"unknown": "no-such-id-zz"}
    if len(answered):
        found["largest"] = str(answered["node_id"].iloc[0])
        parents = dict(zip(claims["claim_id"], claims["responds_to"].fillna("").astype(str).str.strip(), strict=True))
        deepest = max(parents, key=lambda c: (_steps_up(parents, c), c))
        found["deepest leaf"] = str(deepest)
        found["deepest origin"] = reference.thread_origin(claims, str(deepest), events)
        event_ids = set(events["event_id"].astype(str)) if "event_id" in events else set()
        on_events = [t for t in answered["node_id"] if t in event_ids]
        if on_events:
            found["event"] = str(on_events[0])
            below = claims.loc[claims["responds_to"].astype(str).str.strip() == on_events[0], "claim_id"]
            found["answers an event"] = str(below.iloc[0])
    lonely = claims.loc[~claims["claim_id"].isin(targets), "claim_id"]
    if len(lonely):
        found["no reactions"] = str(lonely.iloc[0])
    return found


def assert_same_cascade(got: reference.Cascade, expected: reference.Cascade) -> None:
    assert got.root == expected.root
    pd.testing.assert_frame_equal(got.nodes, expected.nodes)
    assert (got.depth_capped, got.nodes_capped, got.cycle_links) == (
        expected.depth_capped,
        expected.nodes_capped,
        expected.cycle_links,
    )


def test_threads_walk_as_the_reference_from_every_kind_of_root(query_case):  # noqa: F811
    dataset = query_case.dataset
    scope = Scope(query_case.engine, Filters())
    for name, node in roots(query_case).items():
        for mode in ("thread", "reactions"):
            expected_root = reference.thread_origin(dataset.claims, node, dataset.events) if mode == "thread" else node
            root = queries.thread_origin(scope, node, dataset.events) if mode == "thread" else node
            assert root == expected_root, name
            expected = reference.reaction_cascade(dataset.claims, dataset.events, root)
            assert_same_cascade(queries.cascade_of(scope, dataset.events, node, mode), expected)
    assert_same_cascade(
        queries.reaction_cascade(scope, dataset.events, expected_root),
        reference.reaction_cascade(dataset.claims, dataset.events, expected_root),
    )


@pytest.mark.parametrize("filters_name", list(FILTERS))
def test_filters_fade_the_same_nodes_as_the_reference(query_case, filters_name):  # noqa: F811
    dataset = query_case.dataset
    filters = FILTERS[filters_name](dataset.claims)
    scope = Scope(query_case.engine, filters)
    in_view = None if filters.is_empty else query_case.reference(filters)["claim_id"]
    found = roots(query_case)
    for name in ("largest", "deepest origin", "no reactions"):
        if name in found:
            expected = reference.reaction_cascade(dataset.claims, dataset.events, found[name], in_view=in_view)
            assert_same_cascade(queries.reaction_cascade(scope, dataset.events, found[name]), expected)


def test_the_roots_cover_the_shapes_of_a_thread(query_case):  # noqa: F811
    """The walks above meet deep threads and event roots where the data has them (the curated data and the
    synthetic threads do)."""
    found = roots(query_case)
    dataset = query_case.dataset
    if query_case.name.startswith(("threads", "curated")):
        assert {"largest", "deepest origin", "event", "no reactions"} <= set(found)
        deepest = reference.reaction_cascade(dataset.claims, dataset.events, found["deepest origin"])
        assert deepest.nodes["depth"].max() >= 3


@pytest.mark.parametrize("links", ["kept", "not written yet"])
def test_the_walk_over_the_kept_links_or_every_claim_gives_the_reference(query_case, links, monkeypatch):  # noqa: F811
    """Engines that keep derived tables walk over the reactions' links once written (every claim that answers
    something, nothing else), and over every claim before: the same origins and cascades either way."""
    engine, dataset = query_case.engine, query_case.dataset
    scope = Scope(engine, Filters())
    if not engine.keeps_text_matches:
        assert queries.answer_links(scope) is None
        return
    asked: list[str] = []
    if links == "kept":
        kept = queries.answer_links(scope, wait=True)
        claims = dataset.claims
        answering = claims.loc[claims["responds_to"].fillna("").astype(str).ne(""), "claim_id"]
        assert sorted(engine.to_frame(kept, limit=None)["claim_id"]) == sorted(answering)
        real = engine.to_arrow
        monkeypatch.setattr(engine, "to_arrow", lambda expr, *a, **k: (asked.append(engine.to_sql(expr)), real(expr, *a, **k))[1])
    else:
        monkeypatch.setattr(queries, "answer_links", lambda scope, wait=False: None)
    for name, node in roots(query_case).items():
        origin = reference.thread_origin(dataset.claims, node, dataset.events)
        assert queries.thread_origin(scope, node, dataset.events) == origin, name
        expected = reference.reaction_cascade(dataset.claims, dataset.events, origin)
        assert_same_cascade(queries.reaction_cascade(scope, dataset.events, origin), expected)
    if links == "kept":  # the levels (which rank the loops first) and the steps up both read the kept table
        levels = [sql for sql in asked if "_looping" in sql]
        steps = [sql for sql in asked if "_looping" not in sql and "responds_to" in sql]
        assert levels and all("claimscope_derived_answer_links" in sql for sql in levels)
        assert any("claimscope_derived_answer_links" in sql for sql in steps)


@pytest.mark.parametrize(("max_depth", "max_nodes"), [(1, 300), (2, 5), (8, 1), (0, 300)])
def test_capped_cascades_match_the_reference(query_case, max_depth, max_nodes):  # noqa: F811
    dataset = query_case.dataset
    scope = Scope(query_case.engine, Filters())
    found = roots(query_case)
    for name in ("largest", "deepest origin", "event"):
        if name in found:
            node = found[name]
            expected = reference.reaction_cascade(dataset.claims, dataset.events, node, max_depth=max_depth, max_nodes=max_nodes)
            got = queries.reaction_cascade(scope, dataset.events, node, max_depth=max_depth, max_nodes=max_nodes)
            assert_same_cascade(got, expected)


def test_threads_and_the_picker_match_the_page_reference(query_case):  # noqa: F811
    claims = query_case.dataset.claims
    scope = Scope(query_case.engine, Filters(country=("ZZZ",)))  # the threads are the dataset's, not the filters'
    answered = reference.threads(claims)
    for limit in (1, 25):
        pd.testing.assert_frame_equal(queries.threads(scope, limit), answered.head(limit))
    in_thread = claims["responds_to"].astype(str).str.strip().ne("") | claims["claim_id"].isin(answered["node_id"])
    for limit in (3, 5000):
        expected = claims.loc[in_thread, ["claim_id", "speaker", "date"]].head(limit).reset_index(drop=True)
        pd.testing.assert_frame_equal(queries.thread_claims(scope, limit), expected)


def test_the_picker_is_asked_once_per_engine(query_case, monkeypatch):  # noqa: F811
    scope = Scope(query_case.engine, Filters())
    first = queries.threads(scope, 3), queries.thread_claims(scope, 7)
    first[0].loc[:, "reactions"] = -1  # a caller's change does not reach the kept answer
    monkeypatch.setattr(queries, "threads_expr", lambda *args: pytest.fail("asked the engine again"))
    monkeypatch.setattr(queries, "thread_claims_expr", lambda *args: pytest.fail("asked the engine again"))
    again = queries.threads(scope.with_filters(Filters(q=NOTHING)), 3), queries.thread_claims(scope, 7)
    assert (again[0]["reactions"] >= 0).all()
    pd.testing.assert_frame_equal(again[1], first[1])


def test_a_cascade_is_walked_once_per_view_among_the_engines_recent_answers(query_case, monkeypatch):  # noqa: F811
    """A rerun or another session on the same view reuses the walk; other filters (another fading) walk again."""
    found = roots(query_case)
    if "largest" not in found:
        pytest.skip("no thread in this dataset")
    events, node = query_case.dataset.events, found["largest"]
    first = queries.cascade_of(Scope(query_case.engine, Filters()), events, node, "reactions")
    walks: list[str] = []
    real = queries.reaction_cascade
    monkeypatch.setattr(
        queries, "reaction_cascade", lambda scope, events, root: (walks.append(root), real(scope, events, root))[1]
    )
    assert queries.cascade_of(Scope(query_case.engine, Filters()), events, node, "reactions") is first and walks == []
    oppose = Filters(stance=("oppose",))
    faded = queries.cascade_of(Scope(query_case.engine, oppose), events, node, "reactions")
    assert walks == [node] and faded is not first
    expected = reference.reaction_cascade(
        query_case.dataset.claims, events, node, in_view=query_case.reference(oppose)["claim_id"]
    )
    assert_same_cascade(faded, expected)


def test_recent_answers_are_kept_per_engine_least_recently_used_first(monkeypatch):
    class Owner:  # an engine as the memo sees it: a key held weakly
        pass

    monkeypatch.setattr(memo, "RECENT_ANSWERS", 2)
    one, other = Owner(), Owner()
    asked: list[str] = []

    def ask(owner, key):
        return memo.recent_answer(owner, key, lambda: (asked.append(key), [key])[1])

    a = ask(one, "a")
    assert ask(one, "a") is a and ask(other, "a") is not a  # per engine
    ask(one, "b")
    ask(one, "a")  # used again: now the most recent
    ask(one, "c")  # over the budget: "b" goes
    assert ask(one, "a") is a
    ask(one, "b")
    assert asked == ["a", "a", "b", "c", "b"]


def test_claim_exists(query_case):  # noqa: F811
    scope = Scope(query_case.engine, Filters(q=NOTHING))
    first = str(query_case.dataset.claims["claim_id"].iloc[-1])
    assert option_queries.claim_exists(scope, first)
    assert not option_queries.claim_exists(scope, "no-such-id-zz")


def test_a_loop_in_bad_data_is_cut_as_the_reference_cuts_it(thread):  # noqa: F811
    claims = thread.frames["claims"]
    claims.loc[claims["claim_id"] == "root", "responds_to"] = "r11"  # root → r11 → r1 → root
    engine = Engine.from_dataset(thread)
    try:
        scope = Scope(engine, Filters(country=("KOR",)))
        for node in ("root", "r111", "ev1", "ev-r"):
            origin = queries.thread_origin(scope, node, thread.events)
            assert origin == reference.thread_origin(claims, node, thread.events)
            expected = reference.reaction_cascade(claims, thread.events, origin, in_view=["r1"])
            assert_same_cascade(queries.reaction_cascade(scope, thread.events, origin), expected)
        assert queries.reaction_cascade(scope, thread.events, "root").cycle_links == 1
    finally:
        engine.close()


# --- every query compiles for the warehouses -----------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "trino"])
def test_queries_compile_for_warehouses(dialect):
    scope = Scope(UnboundEngine(), Filters(country=("FRA",), q="treaty", date_from="2024", authors="exclude"))
    expressions = [
        queries.step_expr(scope.everything, "c-1"),
        queries.threads_expr(scope),
        queries.thread_claims_expr(scope),
        queries.level_expr(scope, {"c-1", "ev-1"}, {"c-1"}, 299),
        queries.details_expr(scope, ["c-1", "c-2"]),
    ]
    for expr in expressions:
        assert "claims" in str(ibis.to_sql(expr, dialect=dialect)).lower()


def test_the_engine_cascade_draws_every_other_lane_shaded(query_case):  # noqa: F811
    """The figure takes the engine's nodes; its lane shading is one rectangle per even lane band, below the data."""
    from claimscope.figures.cascade import cascade_figure
    from claimscope.views.cascade import cascade_layout

    found = roots(query_case)
    if "largest" not in found:
        pytest.skip("no thread in this dataset")
    nodes = queries.reaction_cascade(Scope(query_case.engine, Filters()), query_case.dataset.events, found["largest"]).nodes
    _, bands = cascade_layout(nodes)
    figure = cascade_figure(nodes)
    expected = [(first - 0.5, first + count - 0.5) for i, (_, first, count) in enumerate(bands) if i % 2 == 0]
    assert [(shape.y0, shape.y1) for shape in figure.layout.shapes] == expected
    assert all(s.xref == "x domain" and s.layer == "below" and (s.x0, s.x1) == (0, 1) for s in figure.layout.shapes)
