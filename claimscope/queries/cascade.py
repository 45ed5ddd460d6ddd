"""Reaction cascades in the engine: a thread of ``responds_to`` links walked with a few bounded queries.

The references are :func:`claimscope.cascade.thread_origin`, :func:`claimscope.cascade.reaction_cascade` and
:func:`claimscope.cascade.threads` over the pandas frame of every claim. A thread is a graph traversal; Ibis
has no portable recursive query, so the walk is level by level, as the reference's: each level is one query
for the claims whose ``responds_to`` is among the previous level's ids (at most
:data:`claimscope.cascade.MAX_NODES` of them), and the walk is bounded by ``MAX_DEPTH`` levels. The levels
go through the reference's own :func:`claimscope.cascade.gather_cascade` (caps, loops, the networkx tree,
the node frame), so both paths give the same cascade. Which nodes the filters keep is one more query over
the (at most ``MAX_NODES``) node ids. Walking up to a thread's origin is one query per step.

A thread is the dataset's, not the filters': the walk reads every claim (``scope.everything``), and the
filters only fade nodes (``in_view``). The picker's threads and statements do not depend on the filters
either: they are asked once per engine (:mod:`claimscope.queries.memo`).

The reference trims ``responds_to``; a level compares the cells as stored. The two agree on a loaded
dataset: the validator accepts a non-blank ``responds_to`` only when it names an id exactly, and rejects
the row otherwise; a blank one (spaces) names no node. Trimming a million cells per level would double
the level's cost for nothing.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd
from ibis import _

from claimscope.cascade import _CLAIM_COLUMNS, MAX_DEPTH, MAX_NODES, Answers, Cascade, _empty_nodes, _root_row, gather_cascade
from claimscope.queries.memo import dataset_answer
from claimscope.queries.scope import Scope

#: how far :func:`thread_origin` walks up (as the reference's ``max_steps``)
MAX_STEPS = 50


def claim_exists(scope: Scope, claim_id: str) -> bool:
    """Whether the dataset holds a claim with this id (a chart click names one)."""
    claims = scope.everything
    return bool(scope.count(claims.filter(claims.claim_id == claim_id).limit(1)))


def claim_rows_expr(scope: Scope, ids: list[str]) -> ir.Table:
    """The rows (as a cascade's node reads them) of a few claims of the dataset."""
    claims = scope.everything
    return claims.filter(claims.claim_id.isin(ids)).select(_CLAIM_COLUMNS)


def _claim_row(scope: Scope, claim_id: str) -> pd.DataFrame:
    return scope.frame(claim_rows_expr(scope, [claim_id]), limit=1)


def _walk_up(scope: Scope, node_id: str, events: pd.DataFrame | None, max_steps: int) -> tuple[str, pd.DataFrame]:
    """The origin (as :func:`claimscope.cascade.thread_origin`) and its claim row (empty: an event or unknown).

    Each step reads the row of the claim the current one answers: it says both that the target is a
    claim and what the target answers in turn.
    """
    rows = _claim_row(scope, node_id)
    current, seen = node_id, {node_id}
    for _step in range(max_steps):
        answers = rows.iloc[0]["responds_to"] if len(rows) else ""
        target = "" if pd.isna(answers) else str(answers or "").strip()
        if not target or target in seen:
            return current, rows
        parent = _claim_row(scope, target)
        if parent.empty:
            known_event = events is not None and not events.empty and bool((events["event_id"] == target).any())
            return (target, parent) if known_event else (current, rows)
        current, rows = target, parent
        seen.add(current)
    return current, rows


def thread_origin(scope: Scope, node_id: str, events: pd.DataFrame | None = None, max_steps: int = MAX_STEPS) -> str:
    """The statement or event a thread starts from: :func:`claimscope.cascade.thread_origin`, one query per step up."""
    return _walk_up(scope, node_id, events, max_steps)[0]


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
    """The ``limit`` largest threads (:func:`claimscope.cascade.threads`' first rows): the picker's default.

    Asked once per engine: the threads are the dataset's.
    """

    def ask() -> pd.DataFrame:
        frame = scope.frame(threads_expr(scope), limit=limit, spec=None)
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
    """The picker's statements: the first ``limit`` of :func:`thread_claims_expr`, asked once per engine."""
    return dataset_answer(
        scope.engine, ("thread claims", limit), lambda: scope.frame(thread_claims_expr(scope), limit=limit)
    ).copy()


def level_expr(scope: Scope, frontier: set[str], seen: set[str], room: int) -> ir.Table:
    """The claims answering any node of ``frontier``: those already in the tree (``seen``) first, all of them,
    then the others by date (undated last) and id, ``room + 1`` of them at most."""
    claims = scope.everything
    rows = claims.filter(claims.responds_to.isin(sorted(frontier))).select(_CLAIM_COLUMNS)
    rows = rows.mutate(_looping=rows.claim_id.isin(sorted(seen)))
    ordered = rows.order_by([ibis.desc("_looping"), ibis.asc("date_start", nulls_first=False), "claim_id"])
    return ordered.limit(room + 1 + len(seen))


def engine_answers(scope: Scope) -> Answers:
    """:data:`claimscope.cascade.Answers` through the engine: one bounded query per level."""

    def answers(frontier: set[str], seen: set[str], room: int) -> tuple[int, pd.DataFrame]:
        rows = scope.frame(level_expr(scope, frontier, seen, room), limit=None)
        looping = rows["_looping"].astype(bool)
        rest = rows.loc[~looping, _CLAIM_COLUMNS].drop_duplicates("claim_id")
        # the reference's order, in pandas (a database may collate ids otherwise)
        return int(looping.sum()), rest.sort_values(["date_start", "claim_id"], na_position="last")

    return answers


def in_view_expr(scope: Scope, node_ids: list[str]) -> ir.Table:
    """Which of a cascade's nodes the filters keep."""
    claims = scope.claims
    return claims.filter(claims.claim_id.isin(node_ids)).select("claim_id")


def reaction_cascade(
    scope: Scope,
    events: pd.DataFrame,
    root: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
    root_rows: pd.DataFrame | None = None,
) -> Cascade:
    """:func:`claimscope.cascade.reaction_cascade` of the dataset, walked in the engine, nodes faded by the
    scope's filters (``in_view``; none when no filter is set).

    ``root_rows``: the root's claim row when the caller has read it already (an empty frame: not a claim).
    """
    rows = _claim_row(scope, root) if root_rows is None else root_rows
    root_row = _root_row(rows, events, root)
    if root_row is None:
        return Cascade(root, _empty_nodes())
    walked = gather_cascade(root, root_row, engine_answers(scope), max_depth=max_depth, max_nodes=max_nodes)
    if scope.filters.is_empty or walked.nodes.empty:
        return walked
    node_ids = [str(node) for node in walked.nodes.loc[walked.nodes["node_kind"] == "claim", "node_id"]]
    kept = set(scope.frame(in_view_expr(scope, node_ids), limit=len(node_ids), spec=None)["claim_id"].astype(str))
    nodes = walked.nodes.assign(in_view=(walked.nodes["node_kind"] == "event") | walked.nodes["node_id"].isin(kept))
    return Cascade(walked.root, nodes, walked.depth_capped, walked.nodes_capped, walked.cycle_links)


def cascade_of(scope: Scope, events: pd.DataFrame, node_id: str, mode: str) -> Cascade:
    """The cascade a page draws for ``node_id``: from its thread's origin (``mode`` ``thread``) or from the node.

    The origin's row read on the way up is the root's row: no query is asked twice.
    """
    if mode != "thread":
        return reaction_cascade(scope, events, node_id)
    origin, rows = _walk_up(scope, node_id, events, MAX_STEPS)
    return reaction_cascade(scope, events, origin, root_rows=rows)
