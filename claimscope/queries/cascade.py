"""Reaction cascades in the engine: a thread of ``responds_to`` links walked with a few bounded queries.

The references are :func:`claimscope.views.cascade.thread_origin`, :func:`claimscope.views.cascade.reaction_cascade` and
:func:`claimscope.views.cascade.threads` over the pandas frame of every claim. A thread is a graph traversal; Ibis
has no portable recursive query, so the walk is level by level, as the reference's: each level is one query
for the claims whose ``responds_to`` is among the previous level's ids (at most
:data:`claimscope.views.cascade.MAX_NODES` of them), and the walk is bounded by ``MAX_DEPTH`` levels. The levels
go through the reference's own :func:`claimscope.views.cascade.gather_cascade` (caps, loops, the networkx tree,
the node frame), so both paths give the same cascade. The levels read ids and dates only; the rows the
nodes show (summaries included) and which of them the filters keep come in one last query over the (at
most ``MAX_NODES``) node ids: a level that read every column of the rows it finds would cost three to
four times as much. Walking up to a thread's origin is one query per step. Engines that keep derived tables walk
over :func:`answer_links` (the claims that answer something, in memory) once it is written, else over every claim.

A thread is the dataset's, not the filters': the walk reads every claim (``scope.everything``), and the
filters only fade nodes (``in_view``). The picker's threads and statements do not depend on the filters
either: they are asked once per engine (:mod:`claimscope.queries.memo`) and kept in the cache entry between starts
whatever the view (:func:`dataset_query`); the ingest asks them (:func:`keep_picker_answers`).

The reference trims ``responds_to``; a level compares the cells as stored. The two agree on a loaded
dataset: the validator accepts a non-blank ``responds_to`` only when it names an id exactly, and rejects
the row otherwise; a blank one (spaces) names no node. Trimming a million cells per level would double
the level's cost for nothing.

This module imports networkx (through :mod:`claimscope.views.cascade`): modules on a restart's first page (``app.py``
and what it imports at the top) import it only where a walk is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import pyarrow as pa

from claimscope.engine.cache import CacheEntry
from claimscope.engine.connection import Engine, NamedQuery
from claimscope.engine.filters import filter_predicate
from claimscope.engine.lazy import _, ibis, ir
from claimscope.filters import Filters
from claimscope.queries.claims import MAX_PICKER_OPTIONS
from claimscope.queries.memo import dataset_answer, recent_answer
from claimscope.queries.scope import Scope, as_loaded
from claimscope.views.cascade import (
    _CLAIM_COLUMNS,
    MAX_DEPTH,
    MAX_NODES,
    Answers,
    Cascade,
    _empty_nodes,
    _root_row,
    cascade_from_walk,
    walk_levels,
)

#: how far :func:`thread_origin` walks up (as the reference's ``max_steps``)
MAX_STEPS = 50
#: what a step of the walk reads of a claim: its id, what it answers, and the date that orders a level
WALK_COLUMNS = ["claim_id", "responds_to", "date_start"]


def answer_links(scope: Scope, wait: bool = False) -> ir.Table | None:
    """Every claim that answers something (``responds_to`` not empty), with what a step of the walk reads
    (:data:`WALK_COLUMNS`), kept by the engine when it keeps derived tables and has written it
    (:meth:`~claimscope.engine.connection.Engine.derived_table`), else None (the walk then reads every claim).
    ``wait``: wait for the table to be written (tests).

    Why: each level of a walk, and each step up to a thread's origin, looks for a few ids among every claim, which
    over the Parquet reads a column of every claim; this table holds the reactions only, in memory (at a million
    claims of ``threads``, 450,255 rows; ``docs/scale.md`` has what a claim's cascade gains). The walk's answers are
    the same: a level asks for the claims whose ``responds_to`` is among ids that are never empty, and a step that does
    not find the claim here asks every claim (it answers nothing, or is no claim).
    """
    everything = scope.everything
    return scope.engine.derived_table(
        "answer_links",
        lambda: everything.filter(everything.responds_to.notnull() & (everything.responds_to != "")).select(WALK_COLUMNS),
        wait=wait,
    )


def step_expr(source: ir.Table, claim_id: str) -> ir.Table:
    """What one claim answers (a step up a thread), asked of ``source`` (every claim, or :func:`answer_links`)."""
    return source.filter(source.claim_id == claim_id).select("claim_id", "responds_to")


def _answers(scope: Scope, claim_id: str) -> str | None:
    """What the claim answers, trimmed (``""``: nothing), or None when the dataset holds no such claim."""
    links = answer_links(scope)
    rows = scope.frame(step_expr(links, claim_id), limit=1, spec=None) if links is not None else None
    if rows is None or rows.empty:  # not a reaction: a claim that answers nothing, or no claim at all
        rows = scope.frame(step_expr(scope.everything, claim_id), limit=1, spec=None)
    if rows.empty:
        return None
    target = rows["responds_to"].iloc[0]
    return "" if pd.isna(target) else str(target).strip()


def thread_origin(scope: Scope, node_id: str, events: pd.DataFrame | None = None, max_steps: int = MAX_STEPS) -> str:
    """The statement or event a thread starts from: :func:`claimscope.views.cascade.thread_origin`, one query per step up.

    Each step reads what the target answers: it says both that the target is a claim and where to go next.
    """
    current, seen = node_id, {node_id}
    target = _answers(scope, node_id) or ""
    for _step in range(max_steps):
        if not target or target in seen:
            return current
        above = _answers(scope, target)
        if above is None:  # not a claim: an event (the origin), or an id the data does not hold
            known_event = events is not None and not events.empty and bool((events["event_id"] == target).any())
            return target if known_event else current
        current, target = target, above
        seen.add(current)
    return current


def threads_expr(scope: Scope) -> ir.Table:
    """Every answered node with how many statements answer it directly, most first (ties by id).

    Grouped by the cell as stored first, trimmed on the groups (a few per node, not a row per claim).
    """
    claims = scope.everything
    cells = claims.filter(claims.responds_to != "").group_by(cell=_.responds_to).aggregate(reactions=_.count())
    targets = cells.mutate(node_id=cells.cell.strip())
    counts = targets.filter(targets.node_id != "").group_by("node_id").aggregate(reactions=_.reactions.sum())
    return counts.order_by([ibis.desc("reactions"), "node_id"])


def threads(scope: Scope, limit: int) -> pd.DataFrame:
    """The ``limit`` largest threads (:func:`claimscope.views.cascade.threads`' first rows): the picker's default.

    The threads are the dataset's (the filters do not change them): asked once per engine, and kept in the cache
    entry between starts (:func:`dataset_query`).
    """

    def ask() -> pd.DataFrame:
        frame = as_loaded(dataset_query(scope, f"cascade.threads:{limit}", lambda: threads_expr(scope), limit), None)
        return pd.DataFrame({"node_id": frame["node_id"].astype(str), "reactions": frame["reactions"].astype(int)})

    return dataset_answer(scope.engine, ("threads", limit), ask).copy()


def thread_claims_expr(scope: Scope) -> ir.Table:
    """The statements of any thread (they answer something, or something answers them), in the file's order."""
    claims = scope.everything
    targets = claims.responds_to.fill_null("").strip()
    answered = claims.select(node_id=targets).filter(_.node_id != "").node_id
    rows = claims.filter((targets != "") | claims.claim_id.isin(answered))
    return rows.order_by("_line").select("claim_id", "speaker", "date")


def thread_claims(scope: Scope, limit: int) -> pd.DataFrame:
    """The picker's statements: the first ``limit`` of :func:`thread_claims_expr`, asked once per engine and kept
    between starts (:func:`dataset_query`)."""

    def ask() -> pd.DataFrame:
        return as_loaded(dataset_query(scope, f"cascade.thread_claims:{limit}", lambda: thread_claims_expr(scope), limit))

    return dataset_answer(scope.engine, ("thread claims", limit), ask).copy()


def dataset_query(scope: Scope, name: str, build: Callable[[], ir.Table], limit: int) -> pa.Table:
    """The rows of ``build()`` (at most ``limit``), an expression over every claim that no filter changes, kept in the
    cache entry under ``name`` (:class:`~claimscope.engine.connection.NamedQuery`) whatever the scope's filters.

    Why: the picker's threads and statements each read every claim. Asked through the scope, they were kept between
    starts for the unfiltered view only, and only once a server had asked them; kept by name, the ingest computes them
    (:func:`keep_picker_answers`), so a server's first opening of the cascade section after an ingest, filtered or not,
    reads them back (``docs/scale.md`` has the times).
    """
    return scope.engine.to_arrow(NamedQuery(name, build), limit=limit, between_starts=True)


def cascade_picker(scope: Scope) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """What the Timeline's cascade section opens on: the largest thread (drawn when no statement is picked) and the
    picker's statements (None when no statement answers anything: the section says so instead)."""
    largest = threads(scope, 1)
    return largest, None if largest.empty else thread_claims(scope, MAX_PICKER_OPTIONS)


def keep_picker_answers(entry: CacheEntry) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """:func:`cascade_picker` of a cache entry, asked now so that it is kept in the entry (the ingest does this, once):
    a server's first opening of the cascade section reads it back."""
    engine = Engine.duckdb(entry)
    try:
        return cascade_picker(Scope(engine, Filters()))
    finally:
        engine.close()


def level_expr(scope: Scope, frontier: set[str], seen: set[str], room: int) -> ir.Table:
    """The claims answering any node of ``frontier``: those already in the tree (``seen``) first, all of them,
    then the others by date (undated last) and id, ``room + 1`` of them at most."""
    links = answer_links(scope)
    source = scope.everything if links is None else links
    rows = source.filter(source.responds_to.isin(sorted(frontier))).select(WALK_COLUMNS)
    rows = rows.mutate(_looping=rows.claim_id.isin(sorted(seen)))
    ordered = rows.order_by([ibis.desc("_looping"), ibis.asc("date_start", nulls_first=False), "claim_id"])
    return ordered.limit(room + 1 + len(seen))


def engine_answers(scope: Scope) -> Answers:
    """:data:`claimscope.views.cascade.Answers` through the engine: one bounded query per level."""

    def answers(frontier: set[str], seen: set[str], room: int) -> tuple[int, pd.DataFrame]:
        rows = scope.frame(level_expr(scope, frontier, seen, room), limit=None)
        looping = rows["_looping"].astype(bool)
        rest = rows.loc[~looping, WALK_COLUMNS].drop_duplicates("claim_id")
        # the reference's order, in pandas (a database may collate ids otherwise)
        return int(looping.sum()), rest.sort_values(["date_start", "claim_id"], na_position="last")

    return answers


def details_expr(scope: Scope, node_ids: list[str]) -> ir.Table:
    """Everything a node shows of a few claims, and whether the filters keep each (``in_view``)."""
    claims = scope.everything
    kept = filter_predicate(claims, scope.filters, scope.text_matches).fill_null(False)
    return claims.filter(claims.claim_id.isin(node_ids)).select(*_CLAIM_COLUMNS, in_view=kept)


def reaction_cascade(
    scope: Scope,
    events: pd.DataFrame,
    root: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Cascade:
    """:func:`claimscope.views.cascade.reaction_cascade` of the dataset, walked in the engine, nodes faded by the
    scope's filters (``in_view``; none when no filter is set).

    The levels read ids and dates only; the root's and the nodes' rows come in one last query.
    """
    walk = walk_levels(root, engine_answers(scope), max_depth=max_depth, max_nodes=max_nodes)
    ids = [root, *(str(node) for node in walk.links["claim_id"])]
    details = scope.frame(details_expr(scope, ids), limit=len(ids))
    root_row = _root_row(details.loc[details["claim_id"] == root], events, root)
    if root_row is None:
        return Cascade(root, _empty_nodes())
    rows = walk.links[["claim_id", "depth"]].merge(details, on="claim_id", how="left")  # the walk's order
    in_view = None if scope.filters.is_empty else set(details.loc[details["in_view"].astype(bool), "claim_id"].astype(str))
    return cascade_from_walk(root, root_row, replace(walk, links=rows), in_view)


def cascade_of(scope: Scope, events: pd.DataFrame, node_id: str, mode: str) -> Cascade:
    """The cascade a page draws for ``node_id``: from its thread's origin (``mode`` ``thread``) or from the node.

    Kept among the engine's recent answers (:func:`~claimscope.queries.memo.recent_answer`) for these filters:
    ``events`` are the dataset's (one per engine), and the walk reads nothing else. Do not mutate it.
    """

    def walk() -> Cascade:
        root = thread_origin(scope, node_id, events) if mode == "thread" else node_id
        return reaction_cascade(scope, events, root)

    return recent_answer(scope.engine, ("cascade", node_id, mode, scope.filters), walk)
