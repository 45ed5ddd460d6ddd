"""Reaction cascades: the statements (and the event) of a thread of ``responds_to`` links, as a bounded tree.

Pure functions of frames (no Streamlit). ``responds_to`` holds a claim_id or an event_id, so a thread is a
tree rooted at a statement or an event. The tree is gathered level by level from its root: each level is one
vectorised ``isin`` over the claims (a million rows are read a few times, never walked row by row), bounded in
depth and in nodes, and the gathered links are then checked with networkx (a BFS tree from the root, so a
cycle in bad data cannot loop or duplicate a node).

Column contract of :attr:`Cascade.nodes` (one row per node, the root first, then by depth and date):

==================  ====================================================================
``node_id``         claim_id, or event_id for an event
``node_kind``       ``claim`` or ``event``
``parent_id``       the node it answers (``""`` for the root)
``depth``           steps from the root (0 for the root)
``date``            the date as written; ``date_start`` / ``date_end`` its interval
``date_precision``  ``day``, ``month`` or ``year``
``speaker``         the speaker, or the event's title
``speaker_country`` the speaker's country code (``""`` for events and unattributed rows)
``stance``          the stance (``unlabelled`` when empty; ``event`` for an event)
``summary``         summary (claims) or description (events)
``days``            days after the node it answers, when both dates are known to the day
``in_view``         whether the current filters keep the row (events: always True)
==================  ====================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from claimscope.figures.common import UNLABELLED

#: a cascade shows at most this many levels of reactions below its root, and at most this many nodes
MAX_DEPTH = 8
MAX_NODES = 300
EVENT_STANCE = "event"
CASCADE_COLUMNS = [
    "node_id",
    "node_kind",
    "parent_id",
    "depth",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "speaker",
    "speaker_country",
    "stance",
    "summary",
    "days",
    "in_view",
]
_CLAIM_COLUMNS = [
    "claim_id",
    "responds_to",
    "date",
    "date_start",
    "date_end",
    "date_precision",
    "speaker",
    "speaker_country",
    "stance",
    "summary",
]


@dataclass(frozen=True)
class Cascade:
    """A bounded reaction tree and what was cut from it."""

    root: str
    nodes: pd.DataFrame  # CASCADE_COLUMNS
    depth_capped: bool = False  # reactions exist below max_depth
    nodes_capped: bool = False  # more than max_nodes reactions
    cycle_links: int = 0  # responds_to links that point back into the tree (bad data), ignored

    @property
    def reactions(self) -> int:
        return max(len(self.nodes) - 1, 0)

    def note(self, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> str:
        """What the drawing leaves out, in a sentence (empty when nothing)."""
        parts = []
        if self.depth_capped:
            parts.append(f"reactions more than {max_depth} steps from the root are not shown")
        if self.nodes_capped:
            parts.append(f"only the first {max_nodes} reactions (by level, then date) are shown")
        if self.cycle_links:
            parts.append(f"{self.cycle_links} responds_to link(s) loop back into the thread and are ignored")
        return ("The cascade is capped: " + "; ".join(parts) + ".") if parts else ""


def _empty_nodes() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CASCADE_COLUMNS})


def thread_origin(claims: pd.DataFrame, node_id: str, events: pd.DataFrame | None = None, max_steps: int = 50) -> str:
    """The statement or event a thread starts from: follow ``responds_to`` up from ``node_id``.

    Stops at a claim that answers nothing, at an event, at an id the data does not hold, and on a loop.
    """
    if claims.empty or "responds_to" not in claims:
        return node_id
    current, seen = node_id, {node_id}
    for _ in range(max_steps):
        row = claims.loc[claims["claim_id"] == current, "responds_to"]
        target = str(row.iloc[0] or "").strip() if len(row) else ""
        if not target or target in seen:
            return current
        known_claim = bool((claims["claim_id"] == target).any())
        known_event = events is not None and not events.empty and bool((events["event_id"] == target).any())
        if not (known_claim or known_event):
            return current
        if known_event and not known_claim:
            return target
        current = target
        seen.add(current)
    return current


def threads(claims: pd.DataFrame) -> pd.DataFrame:
    """Every node that is answered, with how many statements answer it directly (most first): the picker's choices."""
    if claims.empty or "responds_to" not in claims:
        return pd.DataFrame({"node_id": pd.Series(dtype=object), "reactions": pd.Series(dtype=int)})
    targets = claims["responds_to"].astype(object).fillna("").astype(str).str.strip()
    counts = targets.loc[targets != ""].value_counts()
    frame = pd.DataFrame({"node_id": counts.index.astype(str), "reactions": counts.to_numpy(dtype=int)})
    return frame.sort_values(["reactions", "node_id"], ascending=[False, True]).reset_index(drop=True)


#: one level of a thread, asked of the claims: ``answers(frontier, seen, room)`` gives how many claims answering a
#: node of ``frontier`` are already in the tree (``seen``: loops in bad data), and the others, one row per claim
#: (:data:`_CLAIM_COLUMNS`), sorted by date (undated last) then claim_id: all of them, or at least ``room + 1``
Answers = Callable[[set[str], set[str], int], tuple[int, pd.DataFrame]]


def reaction_cascade(
    claims: pd.DataFrame,
    events: pd.DataFrame,
    root: str,
    *,
    in_view: Collection[str] | None = None,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Cascade:
    """The tree of statements that answer ``root`` (a claim_id or an event_id), recursively.

    ``in_view``: the claim ids the current filters keep (None: all); the others are still part of the
    thread and come back with ``in_view`` False, so that a filter never cuts a tree in pieces.
    """
    root_row = _root_row(claims, events, root)
    if root_row is None:
        return Cascade(root, _empty_nodes())
    return gather_cascade(root, root_row, frame_answers(claims), in_view=in_view, max_depth=max_depth, max_nodes=max_nodes)


def frame_answers(claims: pd.DataFrame) -> Answers:
    """:data:`Answers` over a frame of claims: one vectorised ``isin`` per level."""
    targets = claims["responds_to"].astype(object).fillna("").astype(str).str.strip() if "responds_to" in claims else None

    def answers(frontier: set[str], seen: set[str], room: int) -> tuple[int, pd.DataFrame]:
        if targets is None:
            return 0, pd.DataFrame(columns=_CLAIM_COLUMNS)
        answering = claims.loc[targets.isin(frontier).to_numpy(), _CLAIM_COLUMNS]
        looping = answering["claim_id"].isin(seen)
        rest = answering.loc[~looping].drop_duplicates("claim_id")
        return int(looping.sum()), rest.sort_values(["date_start", "claim_id"], na_position="last")

    return answers


@dataclass(frozen=True)
class Walk:
    """The reactions gathered below a root, level by level, and what the bounds cut."""

    links: pd.DataFrame  # the rows ``answers`` gave (claim_id, responds_to …) with their depth, in the tree's order
    depth_capped: bool
    nodes_capped: bool
    cycle_links: int


def walk_levels(root: str, answers: Answers, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> Walk:
    """The reactions below ``root``, level by level through ``answers``, bounded in depth and nodes.

    The walk is the same whoever answers the levels: a frame here, the engine in
    :mod:`claimscope.queries.cascade`; so both give the same cascade. The rows need only ``claim_id``
    and ``responds_to``; whatever other columns they carry come along.
    """
    links: list[pd.DataFrame] = []
    frontier, seen = {root}, {root}
    depth_capped = nodes_capped = False
    cycle_links = total = 0
    for depth in range(1, max_depth + 2):
        if not frontier:
            break
        looping, answering = answers(frontier, seen, max(max_nodes - total, 0))
        if not looping and answering.empty:
            break
        if depth > max_depth:
            depth_capped = True
            break
        cycle_links += looping
        if total + len(answering) > max_nodes:
            answering = answering.head(max_nodes - total)
            nodes_capped = True
        answering = answering.assign(depth=depth)
        links.append(answering)
        total += len(answering)
        frontier = set(answering["claim_id"])
        seen |= frontier
        if nodes_capped:
            break
    gathered = pd.concat(links, ignore_index=True) if links else pd.DataFrame(columns=[*_CLAIM_COLUMNS, "depth"])
    # networkx checks the shape: a BFS tree from the root keeps each node once, at its first depth
    graph = nx.DiGraph()
    graph.add_node(root)
    graph.add_edges_from(zip(gathered["responds_to"].astype(str).str.strip(), gathered["claim_id"].astype(str), strict=True))
    tree = nx.bfs_tree(graph, root)
    kept = gathered.loc[gathered["claim_id"].isin(set(tree.nodes))]
    return Walk(kept, depth_capped, nodes_capped, cycle_links)


def gather_cascade(
    root: str,
    root_row: dict,
    answers: Answers,
    *,
    in_view: Collection[str] | None = None,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Cascade:
    """The cascade below ``root`` (its row: :func:`_root_row`'s): :func:`walk_levels`, then the node frame."""
    walk = walk_levels(root, answers, max_depth=max_depth, max_nodes=max_nodes)
    return cascade_from_walk(root, root_row, walk, in_view)


def cascade_from_walk(root: str, root_row: dict, walk: Walk, in_view: Collection[str] | None = None) -> Cascade:
    """The :class:`Cascade` of a walk whose links carry every column of :data:`_CLAIM_COLUMNS`."""
    return Cascade(root, _node_frame(root_row, walk.links, in_view), walk.depth_capped, walk.nodes_capped, walk.cycle_links)


def _root_row(claims: pd.DataFrame, events: pd.DataFrame, root: str) -> dict | None:
    """The root's row as a node (a claim of ``claims``, else an event), or None when neither holds it."""
    if not claims.empty:
        rows = claims.loc[claims["claim_id"] == root]
        if len(rows):
            row = rows.iloc[0]
            return {c: row.get(c) for c in _CLAIM_COLUMNS} | {"node_kind": "claim"}
    if events is not None and not events.empty and "event_id" in events:
        rows = events.loc[events["event_id"] == root]
        if len(rows):
            row = rows.iloc[0]
            return {
                "claim_id": root,
                "responds_to": "",
                "date": row.get("date"),
                "date_start": row.get("date_start"),
                "date_end": row.get("date_end"),
                "date_precision": row.get("date_precision"),
                "speaker": row.get("title"),
                "speaker_country": "",
                "stance": EVENT_STANCE,
                "summary": row.get("description"),
                "node_kind": "event",
            }
    return None


def _node_frame(root_row: dict, kept: pd.DataFrame, in_view: Collection[str] | None) -> pd.DataFrame:
    root = pd.DataFrame([{**root_row, "responds_to": "", "depth": 0}])
    reactions = kept.assign(node_kind="claim")
    frame = pd.concat([root, reactions], ignore_index=True) if len(reactions) else root
    frame = frame.rename(columns={"claim_id": "node_id", "responds_to": "parent_id"})
    frame["parent_id"] = frame["parent_id"].astype(object).fillna("").astype(str).str.strip()
    frame.loc[0, "parent_id"] = ""
    frame["stance"] = frame["stance"].astype(object).where(frame["stance"].notna(), UNLABELLED).astype(str)
    frame["speaker_country"] = frame["speaker_country"].astype(object).fillna("").astype(str)
    frame["summary"] = frame["summary"].astype(object).fillna("").astype(str)
    frame["speaker"] = frame["speaker"].astype(object).fillna("").astype(str)
    # days after the answered node: both dates known to the day (no precision invented)
    starts = dict(zip(frame["node_id"], frame["date_start"], strict=True))
    precisions = dict(zip(frame["node_id"], frame["date_precision"], strict=True))
    parent_start = frame["parent_id"].map(starts)
    both_days = (frame["date_precision"] == "day") & (frame["parent_id"].map(precisions) == "day")
    frame["days"] = (pd.to_datetime(frame["date_start"]) - pd.to_datetime(parent_start)).dt.days.where(both_days).astype("Int64")
    if in_view is None:
        frame["in_view"] = True
    else:
        # ask the long list which of the few nodes it holds (a hash of the few, not of a million ids)
        ids = in_view if isinstance(in_view, pd.Series) else pd.Series(list(in_view), dtype=object)
        kept = set(ids[ids.isin(list(frame["node_id"]))])
        frame["in_view"] = (frame["node_kind"] == "event") | frame["node_id"].isin(kept)
    frame["depth"] = frame["depth"].astype(int)
    return frame[CASCADE_COLUMNS].reset_index(drop=True)


def cascade_lanes(
    nodes: pd.DataFrame, x: pd.Series | None = None, no_country: str = "(no speaker country)", events_lane: str = "context event"
) -> list[str]:
    """The y lanes of a cascade, top to bottom: the event lane, then speaker countries by their first node
    (by ``x``, where each node is drawn, else by the start of its date)."""
    if nodes.empty:
        return []
    lane = lane_of(nodes, no_country, events_lane)
    start = pd.to_datetime(nodes["date_start"]) if x is None else pd.to_datetime(x)
    first = pd.DataFrame({"lane": lane, "start": start.to_numpy(), "event": (nodes["node_kind"] == "event").to_numpy()})
    order = first.groupby("lane").agg(start=("start", "min"), event=("event", "max")).reset_index()
    order = order.sort_values(["event", "start", "lane"], ascending=[False, True, True], na_position="last")
    return list(order["lane"])


def lane_of(nodes: pd.DataFrame, no_country: str = "(no speaker country)", events_lane: str = "context event") -> pd.Series:
    lanes = nodes["speaker_country"].where(nodes["speaker_country"] != "", no_country)
    return lanes.where(nodes["node_kind"] != "event", events_lane)


LAYOUT_COLUMNS = ["node_id", "x", "lane", "row", "window_start", "window_end"]
#: two nodes of a lane share a row when they are this share of the cascade's time span apart
ROW_GAP_SHARE = 1 / 40


def cascade_layout(nodes: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, int, int]]]:
    """Where each node is drawn: ``x`` (a day), its lane (speaker country) and a ``row`` inside the lanes' stack.

    A node dated to the day is drawn on that day. A node known only to the month or year could be on any
    day of its *window*: its interval, from no earlier than what it answers (``window_start`` to
    ``window_end``); the nodes of one window are spread evenly across it (by claim id), so that they and
    their arrows stay apart; the chart draws the window, so the spread is not read as a date.
    Inside a lane, nodes take the first row where they do not crowd an earlier node. Returns the layout
    and, per lane top to bottom, (lane, first row, number of rows).
    """
    if nodes.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LAYOUT_COLUMNS}), []
    frame = pd.DataFrame(
        {
            "node_id": nodes["node_id"],
            "parent_id": nodes["parent_id"],
            "depth": nodes["depth"],
            "start": pd.to_datetime(nodes["date_start"]),
            "end": pd.to_datetime(nodes["date_end"]),
            "precise": nodes["date_precision"] == "day",
            "lane": lane_of(nodes),
        }
    )
    frame["x"] = frame["start"]
    frame["window_start"] = frame["start"]
    frame["window_end"] = frame["end"]
    for depth in sorted(frame["depth"].unique())[1:]:  # parents are placed first (at most MAX_DEPTH levels)
        at = frame["depth"] == depth
        parent_x = frame.loc[at, "parent_id"].map(dict(zip(frame["node_id"], frame["x"], strict=True)))
        coarse = at & ~frame["precise"]
        if not coarse.any():
            continue
        low = pd.concat([frame.loc[coarse, "start"], parent_x[coarse]], axis=1).max(axis=1)
        high = pd.concat([frame.loc[coarse, "end"], low], axis=1).max(axis=1)
        frame.loc[coarse, "window_start"], frame.loc[coarse, "window_end"] = low, high
        part = frame.loc[coarse].assign(low=low, high=high).sort_values("node_id")
        rank = part.groupby(["low", "high"]).cumcount()
        count = part.groupby(["low", "high"])["node_id"].transform("size")
        frame.loc[part.index, "x"] = part["low"] + (part["high"] - part["low"]) * ((rank + 0.5) / count)
    span = (frame["x"].max() - frame["x"].min()) if frame["x"].notna().any() else pd.Timedelta(0)
    gap = max(span * ROW_GAP_SHARE, pd.Timedelta(hours=12))
    lanes = cascade_lanes(nodes, frame["x"])
    # a greedy packing of a bounded number of nodes (at most MAX_NODES), lane by lane in the order of their
    # nodes' days (then ids), on plain values: the rows are set on the frame once (a .loc write per node took a
    # third of a second for a few hundred nodes)
    ordered = frame.sort_values(["x", "node_id"], na_position="last")
    members = {lane: list(zip(part.index, part["x"], strict=True)) for lane, part in ordered.groupby("lane", sort=False)}
    rows: dict[int, int] = {}
    bands: list[tuple[str, int, int]] = []
    first_row = 0
    for lane in lanes:
        row_ends: list[pd.Timestamp] = []
        for index, x in members.get(lane, []):
            row = next((i for i, end in enumerate(row_ends) if pd.notna(x) and x - end >= gap), len(row_ends))
            if row == len(row_ends):
                row_ends.append(x)
            else:
                row_ends[row] = x
            rows[index] = first_row + row
        bands.append((lane, first_row, max(len(row_ends), 1)))
        first_row += max(len(row_ends), 1)
    frame["row"] = pd.Series(rows, dtype="int64").reindex(frame.index, fill_value=0)
    return frame[LAYOUT_COLUMNS].reset_index(drop=True), bands
