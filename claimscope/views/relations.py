"""The Country relations page's data: who speaks about whom, with which stance; curated relations; graph measures.

Pure functions of frames (no Streamlit). A *pair* is (speaker country → a code in ``about``): one statement
about three countries gives three pairs. Layouts are deterministic: nodes sorted, a fixed seed.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from claimscope.figures.common import STANCE_ORDER, UNLABELLED
from claimscope.schema import STANCES

MIXED = "mixed"
LAYOUT_SEED = 7
#: above this many nodes, betweenness is estimated from this many sampled sources (fixed seed)
BETWEENNESS_SAMPLE = 300
#: the spring layout's ideal edge length, times 1/sqrt(nodes) (networkx's default is 1)
SPRING_SPREAD = 3.0

PAIR_COLUMNS = ["from", "to", "statements", *STANCE_ORDER, "net", "prevailing", "latest_id", "latest_date", "claim_ids"]


def statement_pairs(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (speaker country, country spoken about): counts per stance, net stance, prevailing stance, ids.

    ``net`` = (support − oppose − concern) / statements, from −1 to 1. ``prevailing`` is the most frequent
    stance, or ``mixed`` on a tie. Statements without a speaker country or without ``about`` give no pair.
    """
    if claims.empty:
        return empty_pairs()
    frame = pd.DataFrame(
        {
            "from": claims["speaker_country"].astype(object).fillna("").astype(str).str.strip(),
            "to": claims["about"],
            "stance": claims["stance"].astype(object).where(claims["stance"].notna(), UNLABELLED).astype(str),
            "claim_id": claims["claim_id"].astype(str),
            "date_start": claims["date_start"] if "date_start" in claims else pd.NaT,
            "date": claims["date"].astype(str) if "date" in claims else "",
        }
    )
    frame = frame.loc[frame["from"] != ""].explode("to")
    frame = frame.loc[frame["to"].notna() & (frame["to"].astype(str) != "")].drop_duplicates(["from", "to", "claim_id"])
    if frame.empty:
        return empty_pairs()
    frame["to"] = frame["to"].astype(str)
    counts = frame.groupby(["from", "to", "stance"]).size().unstack("stance", fill_value=0)  # crosstab, 5× faster
    for stance in STANCE_ORDER:
        if stance not in counts:
            counts[stance] = 0
    counts = counts[list(STANCE_ORDER)].astype(int)
    ids, latest_id, latest_date = _per_pair(frame)
    counts["claim_ids"] = ids.reindex(counts.index)
    counts["latest_id"] = latest_id.reindex(counts.index)
    counts["latest_date"] = latest_date.reindex(counts.index)
    return finish_pairs(counts)


def empty_pairs() -> pd.DataFrame:
    """The pairs of claims that make none: every column of :data:`PAIR_COLUMNS`, no row."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PAIR_COLUMNS})


def finish_pairs(counts: pd.DataFrame) -> pd.DataFrame:
    """The pairs table from its per-pair counts: statements, net and prevailing stance, in the page's order.

    ``counts`` is indexed by (from, to) and holds an int column per stance of STANCE_ORDER, ``latest_id``,
    ``latest_date`` and, when it has them, ``claim_ids``. Shared by :func:`statement_pairs` and the
    engine's query (:func:`claimscope.queries.relations.statement_pairs`), so both round and order alike.
    """
    counts = counts.copy()
    counts["statements"] = counts[list(STANCE_ORDER)].sum(axis=1)
    counts["net"] = ((counts["support"] - counts["oppose"] - counts["concern"]) / counts["statements"]).round(3)
    counts["prevailing"] = [_prevailing(row) for row in counts[list(STANCE_ORDER)].itertuples(index=False)]
    table = counts.reset_index().rename_axis(columns=None)
    columns = [c for c in PAIR_COLUMNS if c != "claim_ids" or c in table]
    return table[columns].sort_values(["statements", "from", "to"], ascending=[False, True, True]).reset_index(drop=True)


def _per_pair(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each (from, to) pair's claim ids in row order, and its latest statement's id and date.

    One grouping, one stable sort and one split: no Python call per group. The latest is the last by
    ``date_start`` (undated statements count as earliest; ties keep the row order).
    """
    grouper = frame.groupby(["from", "to"], sort=True)
    codes = grouper.ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    ids = frame["claim_id"].to_numpy(dtype=object)
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    keys = pd.MultiIndex.from_tuples(list(grouper.groups), names=["from", "to"]) if len(frame) else None
    per_pair = pd.Series([chunk.tolist() for chunk in np.split(ids[order], bounds)], index=keys, dtype=object)
    stamps = frame["date_start"].to_numpy(dtype="datetime64[ns]").astype("int64")  # NaT: the smallest int64
    by_date = np.lexsort((stamps, codes))  # by pair, then date (stable)
    last = by_date[np.r_[np.flatnonzero(np.diff(codes[by_date])), len(by_date) - 1]]
    dates = frame["date"].to_numpy(dtype=object)
    return per_pair, pd.Series(ids[last], index=keys, dtype=object), pd.Series(dates[last], index=keys, dtype=object)


def _prevailing(counts: tuple) -> str:
    best = max(counts)
    winners = [stance for stance, n in zip(STANCE_ORDER, counts, strict=True) if n == best]
    return winners[0] if len(winners) == 1 else MIXED


def top_pairs(pairs: pd.DataFrame, limit: int, include_self: bool = False) -> pd.DataFrame:
    """The ``limit`` heaviest pairs (ties broken by code, so the cut is stable); self-pairs only when asked."""
    if not include_self and not pairs.empty:
        pairs = pairs.loc[pairs["from"] != pairs["to"]]
    return pairs.sort_values(["statements", "from", "to"], ascending=[False, True, True]).head(limit).reset_index(drop=True)


def curated_relations(relations: pd.DataFrame) -> pd.DataFrame:
    """The curated relations, one row each: from, to, relation, directed, start, end, note."""
    columns = ["from", "to", "relation", "directed", "start", "end", "note"]
    if relations.empty or "from_country" not in relations:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = relations.rename(columns={"from_country": "from", "to_country": "to"})
    frame = frame.assign(relation=frame["relation"].astype(str), directed=frame["directed"].astype(bool))
    return frame[columns].reset_index(drop=True)


def node_table(pairs: pd.DataFrame, curated: pd.DataFrame | None = None, countries: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every node of the drawn edges: code, kind (state/group/organization/unknown), statements made and received."""
    codes = set(pairs["from"]).union(pairs["to"]) if not pairs.empty else set()
    if curated is not None and not curated.empty:
        codes |= set(curated["from"]).union(curated["to"])
    kinds = {}
    if countries is not None and not countries.empty:
        kinds = {
            str(c): (str(k) if isinstance(k, str) and k else "state")
            for c, k in zip(countries["code"], countries["kind"].astype(object), strict=True)
        }
    made = pairs.groupby("from")["statements"].sum() if not pairs.empty else pd.Series(dtype=int)
    received = pairs.groupby("to")["statements"].sum() if not pairs.empty else pd.Series(dtype=int)
    rows = [
        {
            "code": code,
            "kind": kinds.get(code, "unknown" if kinds else "state"),
            "made": int(made.get(code, 0)),
            "received": int(received.get(code, 0)),
        }
        for code in sorted(codes)
    ]
    return pd.DataFrame(rows, columns=["code", "kind", "made", "received"])


def graph_of(pairs: pd.DataFrame, include_self: bool = False) -> nx.DiGraph:
    """A directed graph, nodes added in sorted order, edge weight = statements."""
    graph = nx.DiGraph()
    if pairs.empty:
        return graph
    graph.add_nodes_from(sorted(set(pairs["from"]).union(pairs["to"])))
    for row in pairs.sort_values(["from", "to"]).itertuples(index=False):
        if row[0] != row[1] or include_self:
            graph.add_edge(row[0], row[1], weight=int(row[2]))
    return graph


BUNDLE_COLUMNS = ["a", "b", "statements", "a_to_b", "b_to_a", *STANCE_ORDER, "net", "prevailing", "latest_id", "latest_date"]


def bundle_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """One row per unordered pair of different countries (``a`` < ``b``): both directions' statements summed.

    ``a_to_b`` and ``b_to_a`` keep the count of each direction; the stance counts, ``net`` and ``prevailing``
    are over both; ``latest_id``/``latest_date`` name the latest statement either way. A groupby, no loop.
    """
    if pairs.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in BUNDLE_COLUMNS})
    between = pairs.loc[pairs["from"] != pairs["to"]]
    if between.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in BUNDLE_COLUMNS})
    forward = between["from"] < between["to"]
    frame = between.assign(
        a=between["from"].where(forward, between["to"]),
        b=between["to"].where(forward, between["from"]),
        a_to_b=between["statements"].where(forward, 0),
        b_to_a=between["statements"].where(~forward, 0),
    )
    sums = frame.groupby(["a", "b"])[["statements", "a_to_b", "b_to_a", *STANCE_ORDER]].sum()
    latest = (
        frame.sort_values(["latest_date", "latest_id"], na_position="first", kind="stable")
        .drop_duplicates(["a", "b"], keep="last")
        .set_index(["a", "b"])
        .reindex(sums.index)
    )
    sums["net"] = ((sums["support"] - sums["oppose"] - sums["concern"]) / sums["statements"]).round(3)
    sums["prevailing"] = [_prevailing(row) for row in sums[list(STANCE_ORDER)].itertuples(index=False)]
    sums["latest_id"] = latest["latest_id"].to_numpy()
    sums["latest_date"] = latest["latest_date"].to_numpy()
    table = sums.reset_index()
    return table[BUNDLE_COLUMNS].sort_values(["statements", "a", "b"], ascending=[False, True, True]).reset_index(drop=True)


#: the layout's rings: the core (the busiest nodes) inside, the others on one or two outer rings
CORE_MAX = 4
CORE_SHARE = 0.5  # a node joins the core with at least this share of the busiest node's statements
OUTER_RING_MAX = 24  # past this many outer nodes, they alternate between two rings (room for labels)


def layout(
    edges: list[tuple[str, str]],
    nodes: list[str] | None = None,
    seed: int = LAYOUT_SEED,
    weights: dict[str, float] | None = None,
) -> dict[str, tuple[float, float]]:
    """Deterministic positions in [-1, 1]²: the busiest nodes on an inner ring, the others around them.

    The core (up to CORE_MAX nodes with at least CORE_SHARE of the busiest node's weight, e.g. RUS and PRK)
    is spread on a small inner ring, so that the dense centre does not pile up; every other node goes to
    an outer ring (two alternating rings past OUTER_RING_MAX nodes), ordered by the angle of the core
    nodes it is linked to, so that its edges stay short (networkx's shell layout places the rings). Ties
    are broken by code, so the same graph always gets the same picture. ``weights`` (e.g. statements per
    node) choose the core; without them, the degree does. ``seed`` is kept for callers; nothing is random.
    """
    del seed  # the shell layout is deterministic
    graph = nx.Graph()
    graph.add_nodes_from(sorted(set(nodes or []) | {node for edge in edges for node in edge}))
    graph.add_edges_from(sorted({tuple(sorted(e)) for e in edges if e[0] != e[1]}))
    n = graph.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(graph.nodes)): (0.0, 0.0)}
    weight = {node: float((weights or {}).get(node, graph.degree(node))) for node in graph.nodes}
    ranked = sorted(graph.nodes, key=lambda node: (-weight[node], node))
    top = weight[ranked[0]] or 1.0
    core = [node for node in ranked[:CORE_MAX] if weight[node] >= CORE_SHARE * top and graph.degree(node) > 0]
    if n <= 3 or len(core) in (0, n):
        shells = [sorted(graph.nodes, key=lambda node: (-weight[node], node))]
        positions = nx.shell_layout(graph, nlist=shells, scale=1.0)
    else:
        core_angle = {node: 2 * math.pi * i / len(core) for i, node in enumerate(core)}
        outer = [node for node in graph.nodes if node not in core_angle]

        def anchor(node: str) -> tuple[float, float, str]:
            # the mean direction of the core nodes it is linked to (weighted by their rank), else after all of them
            linked = [core_angle[m] for m in graph.neighbors(node) if m in core_angle]
            if not linked:
                return (2 * math.pi, -weight[node], node)
            angle = math.atan2(sum(math.sin(a) for a in linked), sum(math.cos(a) for a in linked)) % (2 * math.pi)
            return (round(angle, 6), -weight[node], node)

        outer.sort(key=anchor)
        if len(outer) > OUTER_RING_MAX:
            shells = [core, outer[0::2], outer[1::2]]
        else:
            shells = [core, outer]
        # rotate=0: ring i's first node at angle 0, as the anchors above assume
        positions = nx.shell_layout(graph, nlist=shells, scale=1.0, rotate=0)
        if len(shells) == 2:  # the core at 0.4 of the outer ring's radius (shell_layout would put it at 0.5)
            positions = {node: (xy * (0.8 if node in core_angle else 1.0)) for node, xy in positions.items()}
    coords = np.array([positions[node] for node in graph.nodes], dtype=float)
    span = np.abs(coords).max() or 1.0
    return {
        node: (round(float(x / span), 6), round(float(y / span), 6)) for node, (x, y) in zip(graph.nodes, coords, strict=True)
    }


def neighbourhood(pairs: pd.DataFrame, focus: str, steps: int) -> pd.DataFrame:
    """The pairs among the nodes within ``steps`` hops of ``focus`` (either direction)."""
    if pairs.empty or focus not in set(pairs["from"]).union(pairs["to"]):
        return pairs.iloc[0:0]
    graph = graph_of(pairs).to_undirected()
    reached = nx.single_source_shortest_path_length(graph, focus, cutoff=max(0, steps))
    inside = set(reached)
    return pairs.loc[pairs["from"].isin(inside) & pairs["to"].isin(inside)].reset_index(drop=True)


def hops_from(pairs: pd.DataFrame, focus: str) -> dict[str, int]:
    """Steps from ``focus`` to every node it reaches (either direction)."""
    if pairs.empty or focus not in set(pairs["from"]).union(pairs["to"]):
        return {}
    return dict(nx.single_source_shortest_path_length(graph_of(pairs).to_undirected(), focus))


def centrality(pairs: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Per node: degree (distinct partners, in and out), statements made and received, betweenness (networkx)."""
    columns = ["code", "name", "out degree", "in degree", "degree", "statements made", "statements about", "betweenness"]
    graph = graph_of(pairs)
    if graph.number_of_nodes() == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    n = graph.number_of_nodes()
    sample = BETWEENNESS_SAMPLE if n > BETWEENNESS_SAMPLE else None
    between = nx.betweenness_centrality(graph, k=sample, seed=LAYOUT_SEED if sample else None, normalized=True)
    names = names or {}
    rows = [
        {
            "code": node,
            "name": names.get(node, node),
            "out degree": graph.out_degree(node),
            "in degree": graph.in_degree(node),
            "degree": graph.degree(node),
            "statements made": int(graph.out_degree(node, weight="weight")),
            "statements about": int(graph.in_degree(node, weight="weight")),
            "betweenness": round(float(between[node]), 4),
        }
        for node in graph.nodes
    ]
    return pd.DataFrame(rows, columns=columns).sort_values(["degree", "code"], ascending=[False, True]).reset_index(drop=True)


def pair_matrix(pairs: pd.DataFrame, limit: int = 30) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
    """Count and net-stance matrices (rows: speaker countries, columns: countries spoken about).

    Only the ``limit`` most active speakers and most spoken-about countries are kept; the returned ints
    say how many of each there were in all.
    """
    if pairs.empty:
        empty = pd.DataFrame()
        return empty, empty, 0, 0
    rows_total = pairs.groupby("from")["statements"].sum()
    cols_total = pairs.groupby("to")["statements"].sum()
    rows = sorted(rows_total.index, key=lambda c: (-rows_total[c], c))[:limit]
    cols = sorted(cols_total.index, key=lambda c: (-cols_total[c], c))[:limit]
    kept = pairs.loc[pairs["from"].isin(rows) & pairs["to"].isin(cols)]
    counts = kept.pivot(index="from", columns="to", values="statements").reindex(index=rows, columns=cols)
    net = kept.pivot(index="from", columns="to", values="net").reindex(index=rows, columns=cols)
    return counts, net, len(rows_total), len(cols_total)


def pair_from_selection(selection: object) -> tuple[str, str] | None:
    """The (from, to) pair in a plotly selection event: the ``customdata`` [from, to] of the first point with one."""
    from claimscope.views.timeline import _points

    for point in _points(selection):
        data = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(data, list | tuple) and len(data) >= 2 and all(isinstance(v, str) and v for v in data[:2]):
            return str(data[0]), str(data[1])
    return None


def with_coordinates(pairs: pd.DataFrame, countries: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The pairs whose both ends have capital coordinates (lat/lon added), and the codes left out (sorted)."""
    if pairs.empty:
        return pairs.assign(from_lat=[], from_lon=[], to_lat=[], to_lon=[]), []
    coords: dict[str, tuple[float, float]] = {}
    if not countries.empty and {"lat", "lon"} <= set(countries):
        for code, lat, lon in zip(countries["code"], countries["lat"], countries["lon"], strict=True):
            if pd.notna(lat) and pd.notna(lon):
                coords[str(code)] = (float(lat), float(lon))
    codes = set(pairs["from"]).union(pairs["to"])
    missing = sorted(codes - set(coords))
    kept = pairs.loc[pairs["from"].isin(coords) & pairs["to"].isin(coords)].copy()
    kept["from_lat"] = [coords[c][0] for c in kept["from"]]
    kept["from_lon"] = [coords[c][1] for c in kept["from"]]
    kept["to_lat"] = [coords[c][0] for c in kept["to"]]
    kept["to_lon"] = [coords[c][1] for c in kept["to"]]
    return kept.reset_index(drop=True), missing


def stance_columns() -> list[str]:
    return [*STANCES, UNLABELLED]


def statement_lines(claims: pd.DataFrame, ids) -> dict[str, str]:
    """``speaker: summary`` of each of a few claim ids (the hover's latest statement), looked up once."""
    wanted = [i for i in ids if isinstance(i, str) and i]
    if claims.empty or not wanted:
        return {}
    rows = claims.loc[claims["claim_id"].isin(wanted), ["claim_id", "speaker", "summary"]]
    return {str(cid): statement_line(speaker, summary) for cid, speaker, summary in rows.itertuples(index=False)}


def statement_line(speaker: object, summary: object) -> str:
    """``speaker: summary``, or the speaker alone when the statement has no summary."""
    return f"{speaker}: {summary}" if isinstance(summary, str) and summary else str(speaker)
